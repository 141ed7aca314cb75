// Data owner: add files (CIDs computed in the browser, stored on the content node, read back
// verified), register them with consent in a domain, see every sale that used them, claim.
import { useState } from 'react';
import { rpc } from '../chain';
import { GATEWAY_URL } from '../config';
import { addToContentNode, fetchVerified } from '../content';
import { fileCid, type FileCid } from '../lib/cid';
import { crol, Status, usePerBlock, useSession, useTx } from '../session';

export function Owner() {
  const { api, domains } = useSession();
  type Added = { name: string; cid: FileCid; stored?: boolean; verified?: boolean };
  const [files, setFiles] = useState<Added[]>([]);
  const [progress, setProgress] = useState<number>(0);
  const [domain, setDomain] = useState<number>();
  const [license, setLicense] = useState('CC-BY-4.0');
  const tx = useTx();

  async function add(list: FileList | null) {
    if (!list) return;
    const total = Array.from(list).reduce((n, f) => n + f.size, 0);
    let done = 0;
    const out: Added[] = [];
    for (const f of Array.from(list)) {
      const cid = await fileCid(new Uint8Array(await f.arrayBuffer()), 'rawLeaves', (n) => setProgress((done + n) / Math.max(total, 1)));
      done += f.size;
      const storedCid = await addToContentNode(GATEWAY_URL, f);
      // Read it back through the gateway, verified block by block against the CID.
      const back = await fetchVerified(GATEWAY_URL, cid.text);
      out.push({ name: f.name, cid, stored: storedCid === cid.text, verified: back.length === f.size });
    }
    setFiles((old) => [...old, ...out]);
  }

  async function register() {
    const d = domain ?? domains[domains.length - 1]?.id;
    if (d === undefined) return;
    await tx.run(api.tx.datasets.registerItems(d, license, true, files.map((f) => f.cid.binary)));
  }

  return (
    <section data-testid="owner">
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
        <select data-testid="owner-domain" value={domain ?? domains[domains.length - 1]?.id ?? ''} onChange={(e) => setDomain(Number(e.target.value))}>
          {domains.map((d) => (
            <option key={d.id} value={d.id}>#{d.id} {d.name}</option>
          ))}
        </select>
      </label>{' '}
      <label>Licence <input value={license} onChange={(e) => setLicense(e.target.value)} /></label>{' '}
      <button data-testid="owner-register" disabled={files.length === 0 || tx.busy} onClick={register}>Register {files.length} items (consent to sale)</button>{' '}
      <Status s={tx.status} />
      <Sales />
    </section>
  );
}

/** Every sale that used the owner's data (newest first), what is unclaimed, and the claim. */
function Sales() {
  const { api, who } = useSession();
  const tx = useTx();
  const report = usePerBlock(() => rpc('ownerSales', who.address, null, null, null), [who.address]);
  return (
    <fieldset data-testid="owner-sales">
      <legend>Sales of your data</legend>
      Unclaimed: <span data-testid="owner-unclaimed">{report ? crol(report.unclaimed) : '…'}</span>{' '}
      <button data-testid="owner-claim" disabled={!report || report.unclaimed === '0' || tx.busy} onClick={() => tx.run(api.tx.datasets.claimPayouts())}>Claim</button>{' '}
      <Status s={tx.status} testId="owner-claim-status" />
      <table>
        <tbody>
          {(report?.sales ?? []).map((s: any) => (
            <tr key={s.sale} data-testid={`owner-sale-${s.sale}`}>
              <td>sale {s.sale}</td><td>dataset {s.dataset}</td><td>{s.items} of your items</td><td>{crol(s.amount)}</td><td>buyer {s.buyer.slice(0, 8)}…</td><td>block {s.at}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </fieldset>
  );
}
