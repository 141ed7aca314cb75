// Requester: a job from files added here or a CSV of CIDs, hidden challenge items placed at
// random (~5 %) with their answers committed here (salt saved in this browser), progress per
// package, the challenge reveal, settlement, the dataset, and the results as CSV and COCO.
import { useState } from 'react';
import { rpc } from '../chain';
import { GATEWAY_URL } from '../config';
import { addToContentNode } from '../content';
import { fileCid, itemCid, type FileCid } from '../lib/cid';
import { cidsFromCsv, randomIndices } from '../lib/jobs';
import { challengeCommitment, newSalt, saltHex } from '../lib/commitment';
import type { Label } from '../lib/labels';
import { toCoco, toCsv, type ItemMeta, type ItemResult } from '../lib/results';
import { classNames, crol, download, itemUrl, kindText, plancks, Status, usePerBlock, useSession, useTx, type Domain } from '../session';
import { emptyLabel, LabelEditor } from './LabelEditor';

/** Share of a job's items that are hidden challenges. */
const CHALLENGE_SHARE = 0.05;

export function Requester() {
  return (
    <section data-testid="requester">
      <h2>Requester</h2>
      <CreateJob />
      <MyJobs />
    </section>
  );
}

function CreateJob() {
  const { api, who, genesis, secrets, domains } = useSession();
  const tx = useTx();
  const [domain, setDomain] = useState<Domain>();
  const [items, setItems] = useState<(FileCid & { name?: string })[]>([]);
  const [csvError, setCsvError] = useState<string>();
  const [progress, setProgress] = useState(0);
  const [spec, setSpec] = useState({ redundancy: 3, packageSize: 2, budget: '600', duration: 600, commitWindow: 100, revealWindow: 100 });
  const [withChallenges, setWithChallenges] = useState(true);
  const [challenges, setChallenges] = useState<{ index: number; answer: Label }[]>([]);
  const [created, setCreated] = useState<string>();

  async function addFiles(list: FileList | null) {
    if (!list) return;
    const files = Array.from(list);
    const total = files.reduce((n, f) => n + f.size, 0) || 1;
    let done = 0;
    const out: (FileCid & { name?: string })[] = [];
    for (const f of files) {
      const cid = await fileCid(new Uint8Array(await f.arrayBuffer()), 'rawLeaves', (n) => setProgress((done + n) / total));
      done += f.size;
      if ((await addToContentNode(GATEWAY_URL, f)) !== cid.text) throw new Error(`the content node stored ${f.name} under another CID`);
      out.push({ ...cid, name: f.name });
    }
    setItems((old) => [...old, ...out]);
    setChallenges([]);
  }
  function addCsv(text: string) {
    try {
      setItems((old) => [...old, ...cidsFromCsv(text)]);
      setCsvError(undefined);
      setChallenges([]);
    } catch (e: any) {
      setCsvError(e.message);
    }
  }
  function pickChallenges() {
    if (!domain || items.length < 2) return;
    const count = Math.max(1, Math.round(items.length * CHALLENGE_SHARE));
    setChallenges(randomIndices(items.length, count).map((index) => ({ index, answer: emptyLabel(domain.kind) })));
  }
  async function create() {
    if (!domain) return;
    let commitment: string | null = null;
    let key: string | undefined;
    if (withChallenges && challenges.length) {
      const answers: [number, Label][] = challenges.map((c) => [c.index, c.answer]);
      const salt = saltHex(newSalt());
      commitment = challengeCommitment(who.address, answers, salt);
      key = `challenge:${genesis}:${commitment}`;
      await secrets.put({ kind: 'challenge', key, genesis, requester: who.address, answers, salt, commitment, revealed: false, createdAt: Date.now() });
    }
    const sent = await tx.run(
      api.tx.jobs.createJob({
        domain: domain.id,
        items: items.map((i) => i.itemHash),
        redundancy: spec.redundancy,
        packageSize: spec.packageSize,
        budget: plancks(spec.budget),
        duration: spec.duration,
        commitWindow: spec.commitWindow,
        revealWindow: spec.revealWindow,
        challenges: commitment,
        // No declared workload (Briko eq. 2-3); the chain then accepts any budget above dust.
        workload: null,
      }),
    );
    const ev = sent?.events.find((e) => e.section === 'jobs' && e.method === 'JobCreated')?.data;
    if (ev) {
      if (commitment) await secrets.setChallengeJob(genesis, commitment, ev.job);
      setCreated(`job ${ev.job} created`);
      setItems([]);
      setChallenges([]);
    }
  }
  const num = (k: keyof typeof spec) => (
    <label>
      {k} <input type="number" data-testid={`job-${k}`} value={spec[k] as number} onChange={(e) => setSpec({ ...spec, [k]: Number(e.target.value) })} />{' '}
    </label>
  );
  return (
    <fieldset data-testid="create-job">
      <legend>New job</legend>
      <select data-testid="job-domain" value={domain?.id ?? ''} onChange={(e) => { setDomain(domains.find((d) => d.id === Number(e.target.value))); setChallenges([]); }}>
        <option value="" disabled>choose a domain</option>
        {domains.map((d) => <option key={d.id} value={d.id}>#{d.id} {d.name} — {kindText(d.kind)}</option>)}
      </select>
      <div>
        Items: <input data-testid="job-files" type="file" multiple onChange={(e) => addFiles(e.target.files).catch((err) => setCsvError(err.message))} />
        <progress value={progress} max={1} /> or a CSV of CIDs{' '}
        <input data-testid="job-csv" type="file" accept=".csv,.txt" onChange={async (e) => e.target.files?.[0] && addCsv(await e.target.files[0].text())} />
        {csvError && <span className="error" data-testid="job-csv-error"> {csvError}</span>}
      </div>
      <ol data-testid="job-items">
        {items.map((it, i) => <li key={`${it.itemHash}-${i}`}><code>{it.text}</code> {it.name}</li>)}
      </ol>
      <div>
        {num('redundancy')}{num('packageSize')}
        <label>budget (CROL) <input data-testid="job-budget" value={spec.budget} onChange={(e) => setSpec({ ...spec, budget: e.target.value })} /></label>{' '}
        {num('duration')}{num('commitWindow')}{num('revealWindow')}
      </div>
      <label><input type="checkbox" checked={withChallenges} onChange={(e) => setWithChallenges(e.target.checked)} /> hidden challenges (~{CHALLENGE_SHARE * 100} % of the items, at least one)</label>{' '}
      <button data-testid="pick-challenges" disabled={!withChallenges || !domain || items.length < 2} onClick={pickChallenges}>Place challenges at random</button>
      {domain && challenges.map((c, i) => (
        <div key={c.index} data-testid={`challenge-${i}`} data-index={c.index}>
          Challenge: item {c.index} — your answer, checked against the labelers’ after the job:
          <LabelEditor kind={domain.kind} item={items[c.index].itemHash} codec={items[c.index].codec} testId={`challenge-${i}`} value={c.answer}
            onChange={(answer) => setChallenges((old) => old.map((x, j) => (j === i ? { ...x, answer } : x)))} />
        </div>
      ))}
      <button data-testid="create-job-submit" disabled={!domain || !items.length || tx.busy || (withChallenges && !challenges.length)} onClick={create}>
        Create job ({items.length} items, budget {spec.budget} CROL)
      </button>{' '}
      <Status s={tx.status} /> <span data-testid="job-created">{created}</span>
    </fieldset>
  );
}

function MyJobs() {
  const { api, who } = useSession();
  const jobs = usePerBlock(async () => {
    const out: number[] = [];
    for (const [key, value] of await api.query.jobs.jobDetails.entries()) {
      if ((value as any).unwrap().requester.toString() === who.address) out.push((key.args[0] as any).toNumber());
    }
    return out.sort((a, b) => b - a);
  }, [who.address]);
  return (
    <fieldset data-testid="my-jobs">
      <legend>Your jobs</legend>
      {(jobs ?? []).map((j) => <Job key={j} job={j} />)}
    </fieldset>
  );
}

function Job({ job }: { job: number }) {
  const { api, who, sudoKey, genesis, secrets, domains } = useSession();
  const reveal = useTx();
  const settle = useTx();
  const publish = useTx();
  const [price, setPrice] = useState('400');
  const [note, setNote] = useState<string>();
  const info = usePerBlock(async () => {
    const p = await rpc('jobProgress', job);
    const j = ((await api.query.jobs.jobDetails(job)) as any).unwrap();
    const commitment = j.challenges.isSome ? j.challenges.unwrap().toHex() : null;
    const secret: any = commitment ? await secrets.get(`challenge:${genesis}:${commitment}`) : null;
    return { p, revealed: j.challengesRevealed.isTrue, commitment, secret, checked: j.goldChecked.toNumber(), wrong: j.goldWrong.toNumber() };
  }, [job]);
  if (!info?.p) return null;
  const { p } = info;
  const domain = domains.find((d) => d.id === p.domain);

  async function results(): Promise<{ results: ItemResult[]; meta: Record<string, ItemMeta> }> {
    const all: ItemResult[] = [];
    for (;;) {
      const page: ItemResult[] = await rpc('jobResults', job, all.length, null);
      all.push(...page);
      if (!page.length || all.length >= p.items) break;
    }
    const meta: Record<string, ItemMeta> = {};
    for (const r of all) {
      const it = (await api.query.datasets.dataItems(r.item)) as any;
      const codec = it.isSome ? it.unwrap().codec.toString() : 'Raw';
      const m: ItemMeta = { cid: itemCid(r.item, codec).v1 };
      try {
        const { url } = await itemUrl(r.item, codec);
        Object.assign(m, await imageSize(url));
      } catch {
        // Not an image, or unreachable: the COCO entry goes without a size.
      }
      meta[r.item] = m;
    }
    return { results: all, meta };
  }
  async function csv() {
    const r = await results();
    download(`job-${job}.csv`, toCsv(r.results, r.meta, domain ? classNames(domain.kind) : undefined), 'text/csv');
    setNote(`CSV: ${r.results.length} items`);
  }
  async function coco() {
    const r = await results();
    try {
      download(`job-${job}.coco.json`, JSON.stringify(toCoco(r.results, r.meta, domain ? classNames(domain.kind) : [], { description: `CrowdLabel job ${job}` }), null, 1));
      setNote(`COCO: ${r.results.length} images`);
    } catch (e: any) {
      setNote(`no COCO: ${e.message}`);
    }
  }
  async function revealChallenges() {
    if (!info?.secret) return;
    if (sudoKey === who.address) {
      if (await reveal.run(api.tx.sudo.sudo(api.tx.jobs.revealChallenges(job, info.secret.answers, info.secret.salt)))) await secrets.markRevealed(info.secret.key);
    } else {
      // The curator reveals: hand over this job's answers (the curator imports the file).
      const text = await secrets.exportJson(genesis);
      const doc = JSON.parse(text);
      doc.records = doc.records.filter((r: any) => r.key === info.secret.key);
      download(`crowdlabel-challenges-job-${job}.json`, JSON.stringify(doc, null, 1));
      setNote('challenge answers exported for the curator');
    }
  }
  const done = p.packageProgress.filter((k: any) => k.complete).length;
  return (
    <div className="job" data-testid={`job-${job}`} data-status={p.status} data-complete={done} data-packages={p.packages}>
      <h3>
        Job {job}: {p.status}, {p.items} items in {p.packages} packages, R = {p.redundancy}, budget {crol(p.budget)}, fines {crol(p.fines)}, ends at block {p.deadline}
      </h3>
      <progress value={done} max={p.packages} /> {done}/{p.packages} packages complete, {p.labeledItems} items labeled
      <table>
        <tbody>
          {p.packageProgress.map((k: any) => (
            <tr key={k.package}>
              <td>package {k.package}</td>
              <td><progress value={k.accepted} max={p.redundancy} /></td>
              <td>{k.takers} working, {k.committed} committed, {k.revealed} revealed, {k.accepted}/{p.redundancy} accepted{k.complete ? ' — complete' : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {info.commitment && (
        <div>
          Hidden challenges: {info.revealed ? `revealed — ${info.checked} labels checked, ${info.wrong} wrong` : info.secret ? 'answers saved in this browser' : 'answers not in this browser'}{' '}
          {!info.revealed && info.secret && (
            <button data-testid={`job-${job}-reveal`} disabled={reveal.busy} onClick={revealChallenges}>
              {sudoKey === who.address ? 'Reveal challenges' : 'Export challenge answers for the curator'}
            </button>
          )}{' '}
          <Status s={reveal.status} testId={`job-${job}-reveal-status`} />
        </div>
      )}
      {/* The statuses stay when the buttons go (a settled job has nothing left to settle). */}
      <div>
        {p.status === 'Open' && (
          <button data-testid={`job-${job}-settle`} disabled={settle.busy} onClick={() => settle.run(api.tx.jobs.settleJob(job))}>Settle</button>
        )}{' '}
        <Status s={settle.status} testId={`job-${job}-settle-status`} />
      </div>
      <div>
        {p.status === 'Settled' && p.dataset == null && (
          <>
            <label>Price (CROL) <input data-testid={`job-${job}-price`} value={price} onChange={(e) => setPrice(e.target.value)} /></label>{' '}
            <button data-testid={`job-${job}-publish`} disabled={publish.busy} onClick={() => publish.run(api.tx.datasets.publishDataset(job, plancks(price)))}>Publish dataset</button>
          </>
        )}{' '}
        <Status s={publish.status} testId={`job-${job}-publish-status`} />
      </div>
      {p.dataset != null && <div data-testid={`job-${job}-dataset`}>Dataset {p.dataset}</div>}
      <button data-testid={`job-${job}-csv`} disabled={!p.labeledItems} onClick={csv}>Download CSV</button>{' '}
      {domain?.kind.kind === 'boxes' && <button data-testid={`job-${job}-coco`} disabled={!p.labeledItems} onClick={coco}>Download COCO</button>}{' '}
      <span data-testid={`job-${job}-note`}>{note}</span>
    </div>
  );
}

function imageSize(url: string): Promise<{ width: number; height: number }> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve({ width: img.naturalWidth, height: img.naturalHeight });
    img.onerror = () => reject(new Error('not an image'));
    img.src = url;
  });
}
