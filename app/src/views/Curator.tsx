// Curator: domains, gold items (answers committed here, salts kept in this browser), gold
// reveals for answered qualification rounds, and hidden-challenge reveals from a requester's
// exported secrets. On a development chain the curator is the sudo key; on other chains these
// calls need the curator origin.
import { useState } from 'react';
import { GATEWAY_URL } from '../config';
import { addToContentNode } from '../content';
import { fileCid } from '../lib/cid';
import { goldCommitment, newSalt, saltHex } from '../lib/commitment';
import type { Label } from '../lib/labels';
import { importSecretsFile, kindText, Status, usePerBlock, useSession, useTx, type Domain } from '../session';
import { emptyLabel, LabelEditor } from './LabelEditor';

export function Curator() {
  const { who, sudoKey } = useSession();
  const isCurator = sudoKey === who.address;
  return (
    <section data-testid="curator">
      <h2>Curator</h2>
      {!isCurator && (
        <p className="warning">
          Curator calls go through the sudo key on this chain ({sudoKey?.slice(0, 8) ?? 'none'}…); {who.name} would be refused with
          <code> BadOrigin</code>.
        </p>
      )}
      <CreateDomain />
      <AddGold />
      <RevealGold />
      <RevealChallenges />
    </section>
  );
}

function CreateDomain() {
  const { api, reloadDomains } = useSession();
  const tx = useTx();
  const [name, setName] = useState('photos');
  const [kind, setKind] = useState<'BoundingBoxes' | 'SingleClass' | 'Score'>('BoundingBoxes');
  const [classes, setClasses] = useState(2);
  const [range, setRange] = useState<[number, number]>([1, 5]);
  const [bar, setBar] = useState(50);
  const [roundSize, setRoundSize] = useState(1);
  async function create() {
    const k = kind === 'Score' ? { Score: { min: range[0], max: range[1] } } : { [kind]: { classes } };
    const barValue = kind === 'Score' ? { MaxMeanScoreError: bar * 10_000_000 } : { MinMeanAgreement: bar * 10_000_000 };
    const params = { bar: barValue, roundSize, cooldown: 10, answerWindow: 100, revealWindow: 100, sigma: '200000000000000000' };
    const sent = await tx.run(api.tx.sudo.sudo(api.tx.labelers.createDomain(name, k, params)));
    if (sent) await reloadDomains();
  }
  return (
    <fieldset>
      <legend>New domain</legend>
      <label>Name <input data-testid="domain-name" value={name} onChange={(e) => setName(e.target.value)} /></label>{' '}
      <select data-testid="domain-kind" value={kind} onChange={(e) => setKind(e.target.value as any)}>
        <option value="BoundingBoxes">bounding boxes</option>
        <option value="SingleClass">single class</option>
        <option value="Score">score</option>
      </select>{' '}
      {kind === 'Score' ? (
        <>
          <input type="number" value={range[0]} onChange={(e) => setRange([Number(e.target.value), range[1]])} />–
          <input type="number" value={range[1]} onChange={(e) => setRange([range[0], Number(e.target.value)])} />
        </>
      ) : (
        <label>classes <input data-testid="domain-classes" type="number" min={1} value={classes} onChange={(e) => setClasses(Number(e.target.value))} /></label>
      )}{' '}
      <label>
        {kind === 'Score' ? 'max mean error %' : 'min mean agreement %'}{' '}
        <input type="number" min={0} max={100} value={bar} onChange={(e) => setBar(Number(e.target.value))} />
      </label>{' '}
      <label>gold per round <input type="number" min={1} value={roundSize} onChange={(e) => setRoundSize(Number(e.target.value))} /></label>{' '}
      <button data-testid="create-domain" disabled={tx.busy} onClick={create}>Create domain</button> <Status s={tx.status} testId="create-domain-status" />
    </fieldset>
  );
}

function DomainPicker({ value, onChange, testId }: { value?: number; onChange: (d: Domain) => void; testId: string }) {
  const { domains } = useSession();
  return (
    <select data-testid={testId} value={value ?? ''} onChange={(e) => onChange(domains.find((d) => d.id === Number(e.target.value))!)}>
      <option value="" disabled>choose a domain</option>
      {domains.map((d) => (
        <option key={d.id} value={d.id}>#{d.id} {d.name} — {kindText(d.kind)}</option>
      ))}
    </select>
  );
}

function AddGold() {
  const { api, genesis, secrets } = useSession();
  const tx = useTx();
  const [domain, setDomain] = useState<Domain>();
  const [items, setItems] = useState<{ hash: string; name: string; answer: Label }[]>([]);
  const [progress, setProgress] = useState(0);
  async function add(list: FileList | null) {
    if (!list || !domain) return;
    const files = Array.from(list);
    const out: { hash: string; name: string; answer: Label }[] = [];
    for (const [i, f] of files.entries()) {
      const cid = await fileCid(new Uint8Array(await f.arrayBuffer()));
      await addToContentNode(GATEWAY_URL, f);
      out.push({ hash: cid.itemHash, name: f.name, answer: emptyLabel(domain.kind) });
      setProgress((i + 1) / files.length);
    }
    setItems((old) => [...old, ...out]);
  }
  async function submit() {
    if (!domain) return;
    const entries: [string, string][] = [];
    // The salts are saved before the commitments leave the browser.
    for (const it of items) {
      const salt = saltHex(newSalt());
      const commitment = goldCommitment(it.answer, salt);
      await secrets.put({ kind: 'gold', key: `gold:${genesis}:${domain.id}:${it.hash}`, genesis, domain: domain.id, item: it.hash, answer: it.answer, salt, commitment, revealed: false, createdAt: Date.now() });
      entries.push([it.hash, commitment]);
    }
    if (await tx.run(api.tx.sudo.sudo(api.tx.labelers.addGold(domain.id, entries)))) setItems([]);
  }
  return (
    <fieldset>
      <legend>Gold items</legend>
      <DomainPicker testId="gold-domain" value={domain?.id} onChange={(d) => { setDomain(d); setItems([]); }} />{' '}
      <input data-testid="gold-files" type="file" multiple disabled={!domain} onChange={(e) => add(e.target.files)} />
      <progress value={progress} max={1} />
      {domain &&
        items.map((it, i) => (
          <LabelEditor key={it.hash} kind={domain.kind} item={it.hash} codec="Raw" testId={`gold-${i}`} value={it.answer}
            onChange={(answer) => setItems((old) => old.map((x, j) => (j === i ? { ...x, answer } : x)))} />
        ))}
      <button data-testid="add-gold" disabled={!items.length || tx.busy} onClick={submit}>Add {items.length} gold items</button> <Status s={tx.status} testId="add-gold-status" />
    </fieldset>
  );
}

/** Answered rounds whose gold this browser holds: reveal the answers (qualifies or fails the candidate). */
function RevealGold() {
  const { api, genesis, secrets } = useSession();
  const tx = useTx();
  const rounds = usePerBlock(async () => {
    const out: { round: number; labeler: string; domain: number; reveals: [Label, string][]; missing: number; keys: string[] }[] = [];
    for (const [key, value] of await api.query.labelers.rounds.entries()) {
      const r = (value as any).unwrap();
      if (!r.phase.isAnswered) continue;
      const reveals: [Label, string][] = [];
      const keys: string[] = [];
      let missing = 0;
      for (const g of r.gold) {
        const gold = ((await api.query.labelers.gold(g)) as any).unwrapOr(null);
        const s: any = gold && (await secrets.get(`gold:${genesis}:${gold.domain.toNumber()}:${gold.item.toHex()}`));
        if (s) {
          reveals.push([s.answer, s.salt]);
          keys.push(s.key);
        } else missing++;
      }
      out.push({ round: (key.args[0] as any).toNumber(), labeler: r.labeler.toString(), domain: r.domain.toNumber(), reveals, missing, keys });
    }
    return out.sort((a, b) => a.round - b.round);
  }, []);
  async function reveal(r: NonNullable<typeof rounds>[number]) {
    if (await tx.run(api.tx.sudo.sudo(api.tx.labelers.revealGold(r.round, r.reveals)))) for (const k of r.keys) await secrets.markRevealed(k);
  }
  async function revealAll() {
    const ready = (rounds ?? []).filter((r) => !r.missing);
    if (!ready.length) return;
    const calls = ready.map((r) => api.tx.labelers.revealGold(r.round, r.reveals));
    if (await tx.run(api.tx.sudo.sudo(api.tx.utility.batchAll(calls)))) for (const r of ready) for (const k of r.keys) await secrets.markRevealed(k);
  }
  return (
    <fieldset>
      <legend>Qualification rounds waiting for the gold answers</legend>
      <ul data-testid="answered-rounds">
        {(rounds ?? []).map((r) => (
          <li key={r.round}>
            round {r.round}: {r.labeler.slice(0, 8)}… in domain {r.domain}{' '}
            {r.missing ? `(${r.missing} gold answers are not in this browser)` : <button onClick={() => reveal(r)}>Reveal gold</button>}
          </li>
        ))}
      </ul>
      <button data-testid="reveal-all-gold" disabled={tx.busy || !(rounds ?? []).some((r) => !r.missing)} onClick={revealAll}>Reveal every ready round</button>{' '}
      <Status s={tx.status} testId="reveal-gold-status" />
    </fieldset>
  );
}

/** Jobs whose hidden challenges are unrevealed; the requester's exported secrets reveal them. */
function RevealChallenges() {
  const { api, genesis, secrets } = useSession();
  const tx = useTx();
  const [imported, setImported] = useState<string>();
  const jobs = usePerBlock(async () => {
    const out: { job: number; commitment: string; secret?: any }[] = [];
    for (const [key, value] of await api.query.jobs.jobDetails.entries()) {
      const j = (value as any).unwrap();
      if (j.challenges.isNone || j.challengesRevealed.isTrue) continue;
      const commitment = j.challenges.unwrap().toHex();
      out.push({ job: (key.args[0] as any).toNumber(), commitment, secret: await secrets.get(`challenge:${genesis}:${commitment}`) });
    }
    return out;
  }, [imported]);
  const importFile = async (list: FileList | null) => setImported(await importSecretsFile(secrets, list?.[0]));
  async function reveal(j: NonNullable<typeof jobs>[number]) {
    if (await tx.run(api.tx.sudo.sudo(api.tx.jobs.revealChallenges(j.job, j.secret.answers, j.secret.salt)))) await secrets.markRevealed(j.secret.key);
  }
  return (
    <fieldset>
      <legend>Hidden challenges to reveal</legend>
      <label>Import a requester's secrets <input data-testid="curator-import" type="file" accept=".json" onChange={(e) => importFile(e.target.files)} /></label>{' '}
      <span data-testid="curator-imported">{imported}</span>
      <ul data-testid="challenge-jobs">
        {(jobs ?? []).map((j) => (
          <li key={j.job}>
            job {j.job}{' '}
            {j.secret ? <button data-testid={`reveal-challenges-${j.job}`} disabled={tx.busy} onClick={() => reveal(j)}>Reveal challenges</button> : '(answers not in this browser)'}
          </li>
        ))}
      </ul>
      <Status s={tx.status} testId="reveal-challenges-status" />
    </fieldset>
  );
}
