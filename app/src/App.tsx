// The CrowdLabel app shell: connection, accounts, the chain's domains, and the data owner's
// first step (files → CIDs computed here → stored on the content node → registered on chain).
// The labeler, requester, buyer and curator views build on the same pieces (issue 14).
import { useEffect, useState } from 'react';
import type { ApiPromise } from '@polkadot/api';
import { accounts as loadAccounts, connect, type Account } from './chain';
import { GATEWAY_URL, RPC_URL } from './config';
import { fileCid, type FileCid } from './lib/cid';
import { addToContentNode, fetchVerified } from './content';
import { send, type TxStatus } from './tx';

interface Domain {
  id: number;
  name: string;
  kind: string;
}

function Status({ s }: { s?: TxStatus }) {
  if (!s) return null;
  const text = s.state === 'failed' ? `failed — ${s.error}` : s.state === 'pending' ? 'pending…' : `${s.state === 'inBlock' ? 'in block' : 'finalized'} ${s.block.slice(0, 10)}…`;
  return <span data-testid="tx-status" className={`tx ${s.state}`}>{text}</span>;
}

export function App() {
  const [api, setApi] = useState<ApiPromise>();
  const [error, setError] = useState<string>();
  const [chain, setChain] = useState<string>();
  const [best, setBest] = useState<number>();
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [who, setWho] = useState<Account>();
  const [domains, setDomains] = useState<Domain[]>([]);

  useEffect(() => {
    let unsub: (() => void) | undefined;
    connect(RPC_URL)
      .then(async (a) => {
        setApi(a);
        setChain((await a.rpc.system.chain()).toString());
        unsub = await a.rpc.chain.subscribeNewHeads((h) => setBest(h.number.toNumber()));
        const list = await loadAccounts(a);
        setAccounts(list);
        setWho(list[0]);
        const entries = await a.query.labelers.domains.entries();
        setDomains(
          entries.map(([k, v]) => {
            const d = (v as any).unwrap();
            return { id: (k.args[0] as any).toNumber(), name: d.name.toUtf8?.() ?? d.name.toString(), kind: d.kind.toString() };
          }),
        );
      })
      .catch((e) => setError(`cannot reach ${RPC_URL}: ${e.message}`));
    return () => unsub?.();
  }, []);

  return (
    <main>
      <header>
        <h1>CrowdLabel</h1>
        <p data-testid="connection">
          {error ?? (api ? `${chain} at ${RPC_URL}, block #${best ?? '…'}` : `connecting to ${RPC_URL}…`)}
        </p>
        <label>
          Account{' '}
          <select data-testid="account" value={who?.address ?? ''} onChange={(e) => setWho(accounts.find((a) => a.address === e.target.value))}>
            {accounts.map((a) => (
              <option key={a.address} value={a.address}>{a.name} — {a.address.slice(0, 8)}…</option>
            ))}
          </select>
        </label>
      </header>
      <section>
        <h2>Domains</h2>
        <ul data-testid="domains">
          {domains.map((d) => (
            <li key={d.id}>#{d.id} {d.name} — {d.kind}</li>
          ))}
        </ul>
      </section>
      {api && who && <Owner api={api} who={who} domains={domains} />}
    </main>
  );
}

/** Data owner: add files (CIDs computed in the browser), store them, register them. */
function Owner({ api, who, domains }: { api: ApiPromise; who: Account; domains: Domain[] }) {
  type Added = { name: string; cid: FileCid; stored?: boolean; verified?: boolean };
  const [files, setFiles] = useState<Added[]>([]);
  const [progress, setProgress] = useState<number>(0);
  const [domain, setDomain] = useState<number>(0);
  const [status, setStatus] = useState<TxStatus>();

  async function add(list: FileList | null) {
    if (!list) return;
    const total = Array.from(list).reduce((n, f) => n + f.size, 0);
    let done = 0;
    const out: Added[] = [];
    for (const f of Array.from(list)) {
      const cid = await fileCid(new Uint8Array(await f.arrayBuffer()), 'rawLeaves', (n) => setProgress((done + n) / Math.max(total, 1)));
      done += f.size;
      const storedCid = await addToContentNode(GATEWAY_URL, f);
      const stored = storedCid === cid.text;
      // Read it back through the gateway, verified block by block against the CID.
      const back = await fetchVerified(GATEWAY_URL, cid.text);
      out.push({ name: f.name, cid, stored, verified: back.length === f.size });
    }
    setFiles((old) => [...old, ...out]);
  }

  async function register() {
    const tx = api.tx.datasets.registerItems(domain, 'CC-BY-4.0', true, files.map((f) => f.cid.binary));
    await send(api, tx, who, setStatus).catch(() => {});
  }

  return (
    <section>
      <h2>Data owner</h2>
      <input data-testid="owner-files" type="file" multiple onChange={(e) => add(e.target.files)} />
      <progress value={progress} max={1} />
      <table data-testid="owner-table">
        <tbody>
          {files.map((f) => (
            <tr key={f.cid.text}>
              <td>{f.name}</td>
              <td><code>{f.cid.text}</code></td>
              <td>{f.stored ? 'stored' : 'store mismatch'}</td>
              <td>{f.verified ? 'verified' : 'not verified'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <label>
        Domain{' '}
        <select value={domain} onChange={(e) => setDomain(Number(e.target.value))}>
          {domains.map((d) => (
            <option key={d.id} value={d.id}>#{d.id} {d.name}</option>
          ))}
        </select>
      </label>{' '}
      <button data-testid="register" disabled={files.length === 0} onClick={register}>Register {files.length} items</button>{' '}
      <Status s={status} />
    </section>
  );
}
