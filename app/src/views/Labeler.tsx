// Labeler: registration and standing, qualification rounds answered on the gold items, jobs
// with free work, labeling a package, commit (salt saved in this browser first), automatic
// reveal when the package's reveals open while the page is open, deadline warnings, rewards.
import { useEffect, useRef, useState } from 'react';
import { rpc } from '../chain';
import { FaucetClaim } from '../components/FaucetClaim';
import { labelCommitment, newSalt, saltHex } from '../lib/commitment';
import type { Label } from '../lib/labels';
import { crol, download, importSecretsFile, kindText, labelText, MILLIS_PER_BLOCK, Status, usePerBlock, useSession, useTx, type Domain } from '../session';
import { emptyLabel, LabelEditor } from './LabelEditor';

/** Most packages one take asks for: the runtime's `MaxOpenPerLabeler`. */
const MAX_TAKE = 4;
/** Blocks before a deadline when the page warns. */
const WARN_BLOCKS = 20;

export function Labeler() {
  const { api, who } = useSession();
  const reg = usePerBlock(async () => {
    const r = (await api.query.labelers.registrations(who.address)) as any;
    return r.isSome ? { deposit: r.unwrap().deposit.toBigInt(), domains: r.unwrap().domains.map((d: any) => d.toNumber()) as number[] } : null;
  }, [who.address]);
  const standing = usePerBlock(() => rpc('labeler', who.address), [who.address]);
  return (
    <section data-testid="labeler">
      <h2>Labeler</h2>
      <FaucetClaim />
      {reg === undefined ? 'loading…' : <Registration reg={reg} />}
      {standing && <Standing standing={standing} />}
      {reg && <Qualification declared={reg.domains} standing={standing} />}
      {reg && <Work standing={standing} />}
      <Rewards />
      <SecretsBackup />
    </section>
  );
}

function Registration({ reg }: { reg: { deposit: bigint; domains: number[] } | null }) {
  const { api, domains } = useSession();
  const tx = useTx();
  const [chosen, setChosen] = useState<number[]>([]);
  const toggle = (d: number) => setChosen((c) => (c.includes(d) ? c.filter((x) => x !== d) : [...c, d]));
  const deposit = (api.consts.labelers.registrationDeposit as any).toBigInt();
  if (!reg) {
    return (
      <fieldset data-testid="registration">
        <legend>Register (deposit {crol(deposit)}, held until you leave)</legend>
        {domains.map((d) => (
          <label key={d.id}>
            <input type="checkbox" data-testid={`register-domain-${d.id}`} checked={chosen.includes(d.id)} onChange={() => toggle(d.id)} /> #{d.id} {d.name}{' '}
          </label>
        ))}
        <button data-testid="register" disabled={!chosen.length || tx.busy} onClick={() => tx.run(api.tx.labelers.register(chosen))}>Register</button>{' '}
        <Status s={tx.status} />
      </fieldset>
    );
  }
  const others = domains.filter((d) => !reg.domains.includes(d.id));
  // At the chain's bound a new domain replaces the oldest declared one (a longer list would not
  // even decode).
  const max = (api.consts.labelers.maxDomains as any).toNumber();
  const full = reg.domains.length >= max;
  const declare = (d: number) => tx.run(api.tx.labelers.declareDomains(full ? [...reg.domains.slice(reg.domains.length - max + 1), d] : [...reg.domains, d]));
  return (
    <fieldset data-testid="registration">
      <legend>Registered: deposit {crol(reg.deposit)} held</legend>
      Declared domains: {reg.domains.map((d) => `#${d}`).join(', ') || 'none'}{' '}
      {others.map((d) => (
        <button key={d.id} data-testid={`declare-domain-${d.id}`} disabled={tx.busy} onClick={() => declare(d.id)}>
          Declare #{d.id} {d.name}{full ? ` instead of #${reg.domains[0]}` : ''}
        </button>
      ))}{' '}
      <Status s={tx.status} />
    </fieldset>
  );
}

function Standing({ standing }: { standing: any }) {
  const { domains } = useSession();
  return (
    <table data-testid="standing">
      <thead>
        <tr><th>domain</th><th>qualified</th><th>pay weight a</th><th>voting power</th><th>error</th><th>challenges (failed)</th></tr>
      </thead>
      <tbody>
        {standing.domains.map((d: any) => (
          <tr key={d.domain} data-domain={d.domain} data-qualified={String(d.qualified)}>
            <td>#{d.domain} {domains.find((x) => x.id === d.domain)?.name}</td>
            <td>{d.qualified ? 'yes' : d.retryAt ? `no — retry at block ${d.retryAt}` : 'no'}</td>
            <td>{d.weight}</td>
            <td>{d.votingPower}</td>
            <td>{d.error ?? '—'}</td>
            <td>{d.challenges} ({d.challengesFailed})</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Per declared, unqualified domain: request a round, answer its gold items, wait for the reveal. */
function Qualification({ declared, standing }: { declared: number[]; standing: any }) {
  const { domains } = useSession();
  const qualified = new Set<number>((standing?.domains ?? []).filter((d: any) => d.qualified).map((d: any) => d.domain));
  const open = domains.filter((d) => declared.includes(d.id) && !qualified.has(d.id));
  if (!open.length) return null;
  return (
    <fieldset data-testid="qualification">
      <legend>Qualification</legend>
      {open.map((d) => <DomainQualification key={d.id} domain={d} />)}
    </fieldset>
  );
}

function DomainQualification({ domain }: { domain: Domain }) {
  const { api, who, best } = useSession();
  const tx = useTx();
  const [answers, setAnswers] = useState<Label[]>([]);
  const round = usePerBlock(async () => {
    const id = (await api.query.labelers.openRound(who.address, domain.id)) as any;
    if (id.isNone) return null;
    const r = ((await api.query.labelers.rounds(id.unwrap())) as any).unwrap();
    const gold: string[] = [];
    for (const g of r.gold) gold.push(((await api.query.labelers.gold(g)) as any).unwrap().item.toHex());
    return { id: id.unwrap().toNumber(), gold, answering: r.phase.isAnswering, answerDeadline: r.answerDeadline.toNumber(), revealDeadline: r.revealDeadline.toNumber() };
  }, [who.address, domain.id]);
  useEffect(() => {
    if (round && answers.length !== round.gold.length) setAnswers(round.gold.map(() => emptyLabel(domain.kind)));
  }, [round?.id]);
  const testId = `qual-${domain.id}`;
  if (round === undefined) return null;
  if (!round) {
    return (
      <div data-testid={testId}>
        #{domain.id} {domain.name} ({kindText(domain.kind)}):{' '}
        <button data-testid={`${testId}-request`} disabled={tx.busy} onClick={() => tx.run(api.tx.labelers.requestQualification(domain.id))}>Request a qualification round</button>{' '}
        <Status s={tx.status} />
      </div>
    );
  }
  if (!round.answering) {
    return (
      <div data-testid={testId} data-phase="answered">
        #{domain.id}: round {round.id} answered — the curator reveals the gold answers by block {round.revealDeadline}. <Status s={tx.status} />
      </div>
    );
  }
  return (
    <div data-testid={testId} data-phase="answering">
      <p>
        #{domain.id} {domain.name}: round {round.id}, label {round.gold.length} gold item(s) by block {round.answerDeadline}
        <Deadline at={round.answerDeadline} best={best} />
      </p>
      {round.gold.map((item, i) => (
        <LabelEditor key={item} kind={domain.kind} item={item} testId={`${testId}-${i}`} value={answers[i] ?? emptyLabel(domain.kind)}
          onChange={(l) => setAnswers((a) => a.map((x, j) => (j === i ? l : x)))} />
      ))}
      <button data-testid={`${testId}-submit`} disabled={tx.busy || answers.length !== round.gold.length} onClick={() => tx.run(api.tx.labelers.submitQualification(round.id, answers))}>
        Submit answers
      </button>{' '}
      <Status s={tx.status} />
    </div>
  );
}

function Deadline({ at, best }: { at: number; best: number }) {
  const left = at - best;
  if (left > WARN_BLOCKS) return null;
  return (
    <strong className="warning" data-testid="deadline-warning">
      {' '}
      {left >= 0 ? `— deadline in ${left} blocks (~${Math.round((left * MILLIS_PER_BLOCK) / 1000)} s)` : '— deadline passed'}
    </strong>
  );
}

interface Held {
  job: number;
  pkg: number;
  domain: Domain;
  items: string[];
  codecs: ('Raw' | 'DagPb')[];
  state: 'Taken' | 'Committed' | 'Revealed' | 'Accepted';
  deadline?: number;
  deposit: bigint;
  /** The job's redundancy R: the reveal's witness (charged up front for a judgement of R labels). */
  redundancy: number;
}

/** Open jobs in the labeler's qualified domains, and the packages the labeler holds. */
function Work({ standing }: { standing: any }) {
  const { api, who, domains, genesis, secrets } = useSession();
  const qualified = new Set<number>((standing?.domains ?? []).filter((d: any) => d.qualified).map((d: any) => d.domain));
  const take = useTx();
  const [counts, setCounts] = useState<Record<number, number>>({});
  const state = usePerBlock(async () => {
    const jobs: { job: number; domain: Domain; free: number; items: number; redundancy: number; deadline: number }[] = [];
    const held: Held[] = [];
    const known = new Set<number>();
    for (const [key, value] of await api.query.jobs.jobDetails.entries()) {
      const j = (value as any).unwrap();
      const job = (key.args[0] as any).toNumber();
      known.add(job);
      if (!j.status.isOpen) continue;
      const domain = domains.find((d) => d.id === j.domain.toNumber());
      if (!domain) continue;
      const open = ((await api.query.jobs.openPackages(job)) as any).length;
      if (qualified.has(domain.id)) jobs.push({ job, domain, free: open, items: j.items.toNumber(), redundancy: j.redundancy.toNumber(), deadline: j.deadline.toNumber() });
      const mine = (await api.query.jobs.assignments.entries(job)).filter(([k]) => k.args[2].toString() === who.address);
      if (!mine.length) continue;
      const all: string[] = ((await api.query.jobs.jobItems(job)) as any).map((h: any) => h.toHex());
      const size = j.packageSize.toNumber();
      for (const [k, v] of mine) {
        const a = (v as any).unwrap();
        const pkg = (k.args[1] as any).toNumber();
        const items = all.slice(pkg * size, pkg * size + size);
        const codecs = await Promise.all(items.map(async (h) => {
          const it = (await api.query.datasets.dataItems(h)) as any;
          return (it.isSome ? it.unwrap().codec.toString() : 'Raw') as 'Raw' | 'DagPb';
        }));
        // A committed assignment's reveal deadline is its package's while the reveals are open
        // (one an assignment committed before spec 108 carries itself applies first).
        let deadline: number | undefined = a.deadline.isSome ? a.deadline.unwrap().toNumber() : undefined;
        if (deadline === undefined && a.state.type === 'Committed') {
          const p = (await api.query.jobs.packages(job, pkg)) as any;
          if (p.revealBy.isSome) deadline = p.revealBy.unwrap().toNumber();
        }
        held.push({ job, pkg, domain, items, codecs, state: a.state.type, deadline, deposit: a.deposit.toBigInt(), redundancy: j.redundancy.toNumber() });
      }
    }
    // Packages this browser labeled that the chain no longer lists as held: judged (accepted
    // ones stay listed until settlement, so a missing revealed one was rejected) or expired.
    const history: { job: number; pkg: number; outcome: 'accepted' | 'slashed' | 'expired' }[] = [];
    for (const s of (await secrets.list({ kind: 'label', genesis, account: who.address })) as any[]) {
      // A pruned job has lost its records: nothing to tell.
      if (!known.has(s.job) || held.some((h) => h.job === s.job && h.pkg === s.package)) continue;
      const contributors = (await api.query.jobs.contributions(s.job, s.package)) as any;
      const accepted = contributors.some(([a]: any) => a.toString() === who.address);
      history.push({ job: s.job, pkg: s.package, outcome: accepted ? 'accepted' : s.revealed ? 'slashed' : 'expired' });
    }
    // The newest job first, its packages in order: the view stays put while older ones change.
    held.sort((a, b) => b.job - a.job || a.pkg - b.pkg);
    return { jobs, held, history };
  }, [who.address, domains.length, qualified.size]);

  // Automatic reveal: a committed package whose reveals are open (a reveal deadline is set) is
  // revealed from the saved salt, once per package while the page is open.
  const revealing = useRef(new Set<string>());
  const [autoStatus, setAutoStatus] = useState<string>();
  const auto = useTx();
  useEffect(() => {
    for (const h of state?.held ?? []) {
      if (h.state !== 'Committed' || h.deadline === undefined) continue;
      const key = `label:${genesis}:${who.address}:${h.job}:${h.pkg}`;
      if (revealing.current.has(key)) continue;
      revealing.current.add(key);
      (async () => {
        const s: any = await secrets.get(key);
        if (!s) {
          setAutoStatus(`job ${h.job} package ${h.pkg}: no salt in this browser — import your secrets to reveal`);
          return;
        }
        setAutoStatus(`revealing job ${h.job} package ${h.pkg}…`);
        const sent = await auto.run(api.tx.jobs.revealLabels(h.job, h.pkg, s.labels, s.salt, h.redundancy));
        if (sent) {
          await secrets.markRevealed(key);
          const slashed = sent.events.some((e) => e.method === 'DepositSlashed' && e.data.labeler === who.address);
          setAutoStatus(`revealed job ${h.job} package ${h.pkg}${slashed ? ' — your labels were rejected, deposit slashed' : ''}`);
        } else revealing.current.delete(key);
      })();
    }
  }, [state]);

  return (
    <>
      <fieldset data-testid="jobs">
        <legend>Jobs with work in your domains</legend>
        <ul>
          {(state?.jobs ?? []).map((j) => (
            <li key={j.job} data-job={j.job}>
              job {j.job} — #{j.domain.id} {j.domain.name}, {j.items} items, R = {j.redundancy}, {j.free} packages with a free slot, ends at block {j.deadline}{' '}
              <label>
                packages{' '}
                <input data-testid={`take-count-${j.job}`} type="number" min={1} max={MAX_TAKE} value={counts[j.job] ?? 1}
                  onChange={(e) => setCounts({ ...counts, [j.job]: Math.min(MAX_TAKE, Math.max(1, Number(e.target.value) || 1)) })} />
              </label>{' '}
              <button data-testid={`take-${j.job}`} disabled={!j.free || take.busy}
                onClick={() => {
                  // Several packages in one transaction (one hold of their deposits) cost less
                  // than as many single takes.
                  const n = counts[j.job] ?? 1;
                  take.run(n > 1 ? api.tx.jobs.takePackages(j.job, n) : api.tx.jobs.takePackage(j.job));
                }}>Take work</button>
            </li>
          ))}
        </ul>
        <Status s={take.status} testId="take-status" />
      </fieldset>
      <fieldset data-testid="packages">
        <legend>Your packages</legend>
        <p data-testid="auto-reveal">{autoStatus ?? 'Reveals happen automatically when a package’s reveals open while this page is open.'}</p>
        {(state?.held ?? []).map((h) => <Package key={`${h.job}/${h.pkg}`} held={h} />)}
        <ul data-testid="history">
          {(state?.history ?? []).map((h) => (
            <li key={`${h.job}/${h.pkg}`} data-testid={`history-${h.job}-${h.pkg}`} data-outcome={h.outcome}>
              job {h.job}, package {h.pkg}:{' '}
              {h.outcome === 'accepted' ? 'accepted — paid at settlement' : h.outcome === 'slashed' ? 'your labels were rejected by consensus — deposit slashed' : 'not revealed in time — deposit forfeited'}
            </li>
          ))}
        </ul>
      </fieldset>
    </>
  );
}

function Package({ held }: { held: Held }) {
  const { api, who, genesis, secrets, best } = useSession();
  const tx = useTx();
  const [labels, setLabels] = useState<Label[]>(() => held.items.map(() => emptyLabel(held.domain.kind)));
  const [saved, setSaved] = useState<Label[]>();
  const key = `label:${genesis}:${who.address}:${held.job}:${held.pkg}`;
  useEffect(() => {
    secrets.get(key).then((s: any) => s && setSaved(s.labels));
  }, [key, held.state]);

  async function commit() {
    // A commit sent earlier may be on chain already although this view still says Taken: never
    // replace a salt the chain might hold.
    const a = (await api.query.jobs.assignments(held.job, held.pkg, who.address)) as any;
    if (a.isNone || !a.unwrap().state.isTaken) {
      tx.setStatus({ state: 'failed', error: 'this package is no longer waiting for a commit (already committed, or the slot expired)' });
      return;
    }
    const salt = saltHex(newSalt());
    const commitment = labelCommitment(who.address, held.job, held.pkg, labels, salt);
    // Saved before the commitment is sent: without the salt the labels cannot be revealed.
    await secrets.put({ kind: 'label', key, genesis, account: who.address, job: held.job, package: held.pkg, labels, salt, commitment, revealed: false, createdAt: Date.now() });
    await tx.run(api.tx.jobs.commitLabels(held.job, held.pkg, commitment));
  }
  const testId = `pkg-${held.job}-${held.pkg}`;
  const what =
    held.state === 'Taken'
      ? 'label and commit'
      : held.state === 'Committed'
        ? held.deadline === undefined ? 'committed — waiting for the other labelers to commit' : 'reveals are open'
        : held.state === 'Revealed'
          ? 'revealed — waiting for the others’ reveals'
          : 'accepted — paid at settlement';
  return (
    <div className="package" data-testid={testId} data-state={held.state}>
      <h3>
        Job {held.job}, package {held.pkg} ({held.items.length} items, deposit {crol(held.deposit)}): {what}
        {held.deadline !== undefined && <Deadline at={held.deadline} best={best} />}
      </h3>
      {held.state === 'Taken' && held.deadline !== undefined && held.deadline < best ? (
        <p>The commit deadline passed: the slot can no longer be committed (anyone may expire it; the deposit is forfeited).</p>
      ) : held.state === 'Taken' ? (
        <>
          {held.items.map((item, i) => (
            <LabelEditor key={item} kind={held.domain.kind} item={item} codec={held.codecs[i]} testId={`${testId}-${i}`} value={labels[i]}
              onChange={(l) => setLabels((a) => a.map((x, j) => (j === i ? l : x)))} />
          ))}
          <button data-testid={`${testId}-commit`} disabled={tx.busy} onClick={() => commit().catch((e) => tx.setStatus({ state: 'failed', error: String(e.message ?? e) }))}>Commit labels</button>
        </>
      ) : (
        saved && <ol>{saved.map((l, i) => <li key={i}>{labelText(l)}</li>)}</ol>
      )}
      <Status s={tx.status} />
    </div>
  );
}

function Rewards() {
  const { api, who } = useSession();
  const jobsTx = useTx();
  const salesTx = useTx();
  const r = usePerBlock(async () => ({
    jobs: ((await api.query.jobs.unclaimedRewards(who.address)) as any).toBigInt() as bigint,
    sales: (((await api.query.datasets.unclaimed(who.address)) as any).unwrapOr(0) as any).toString() as string,
  }), [who.address]);
  return (
    <fieldset data-testid="rewards">
      <legend>Rewards</legend>
      Job rewards: <span data-testid="job-rewards">{r ? crol(r.jobs) : '…'}</span>{' '}
      <button data-testid="claim-rewards" disabled={!r?.jobs || jobsTx.busy} onClick={() => jobsTx.run(api.tx.jobs.claimRewards())}>Claim</button> <Status s={jobsTx.status} testId="claim-rewards-status" />
      <br />
      Dataset sales: <span data-testid="sale-rewards">{r ? crol(r.sales) : '…'}</span>{' '}
      <button data-testid="claim-sales" disabled={!r || r.sales === '0' || salesTx.busy} onClick={() => salesTx.run(api.tx.datasets.claimPayouts())}>Claim</button> <Status s={salesTx.status} testId="claim-sales-status" />
    </fieldset>
  );
}

/** Export and import of this browser's secrets (salts): keep a copy, move to another browser. */
export function SecretsBackup() {
  const { genesis, secrets } = useSession();
  const [msg, setMsg] = useState<string>();
  const importFile = async (list: FileList | null) => setMsg(await importSecretsFile(secrets, list?.[0]));
  return (
    <fieldset data-testid="secrets">
      <legend>Secrets kept in this browser</legend>
      <button data-testid="export-secrets" onClick={async () => download(`crowdlabel-secrets-${genesis.slice(2, 10)}.json`, await secrets.exportJson(genesis))}>Export</button>{' '}
      <label>Import <input data-testid="import-secrets" type="file" accept=".json" onChange={(e) => importFile(e.target.files)} /></label>{' '}
      <span data-testid="secrets-imported">{msg}</span>
    </fieldset>
  );
}
