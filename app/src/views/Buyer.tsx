// Buyer: listed datasets with their quality certificate and the price a purchase costs now, a
// purchase with a maximum price, and an item's inclusion proof checked in the browser against
// the root read from the chain's storage.
import { useState } from 'react';
import { hexToU8a } from '@polkadot/util';
import { rpc } from '../chain';
import { leafOf, verifyProof } from '../lib/merkle';
import { registry } from '../lib/labels';
import { crol, plancks, Status, usePerBlock, useSession, useTx } from '../session';

export function Buyer() {
  const { api } = useSession();
  const datasets = usePerBlock(async () => {
    const out: { id: number; view: any }[] = [];
    for (const [key] of await api.query.datasets.datasetDetails.entries()) {
      const id = (key.args[0] as any).toNumber();
      out.push({ id, view: await rpc('dataset', id) });
    }
    return out.sort((a, b) => b.id - a.id);
  }, []);
  return (
    <section data-testid="buyer">
      <h2>Buyer</h2>
      {(datasets ?? []).map((d) => <Dataset key={d.id} id={d.id} view={d.view} />)}
    </section>
  );
}

function Dataset({ id, view }: { id: number; view: any }) {
  const { api, who } = useSession();
  const tx = useTx();
  const [max, setMax] = useState<string>();
  const [leaf, setLeaf] = useState(0);
  const [proof, setProof] = useState<{ text: string; ok: boolean }>();
  const c = view.certificate;
  const bought = usePerBlock(async () => {
    for (const [, s] of await api.query.datasets.sales.entries()) {
      const sale = (s as any).unwrap();
      if (sale.dataset.toNumber() === id && sale.buyer.toString() === who.address) return true;
    }
    return false;
  }, [id, who.address]);
  async function purchase() {
    await tx.run(api.tx.datasets.purchaseDataset(id, plancks(max ?? crolText(view.quote))));
  }
  async function checkProof() {
    try {
      const p = await rpc('inclusionProof', id, leaf);
      if (!p) return setProof({ text: `no leaf ${leaf}`, ok: false });
      // The root comes from the chain's storage, not from the proof's answer.
      const stored = ((await api.query.datasets.datasetDetails(id)) as any).unwrap();
      const root = stored.root.toHex();
      const ok = verifyProof(root, leafOf(p.item, p.label), leaf, stored.items.toNumber(), p.proof);
      const label = registry.createType('CrowdLabelConsensus', hexToU8a(p.label)).toJSON();
      setProof({ text: `leaf ${leaf}: item ${p.item.slice(0, 12)}…, label ${JSON.stringify(label)}, ${p.proof.length} hashes — ${ok ? 'verified in the browser against the chain’s root' : 'DOES NOT verify'}`, ok });
    } catch (e: any) {
      setProof({ text: e.message, ok: false });
    }
  }
  return (
    <div className="dataset" data-testid={`dataset-${id}`}>
      <h3>
        Dataset {id} (job {view.job}): {view.items} items, {view.sellable} sellable now, {view.sales} sales{view.listed ? '' : ' — not listed'}
      </h3>
      <table>
        <tbody>
          <tr><td>gold accuracy</td><td data-testid={`dataset-${id}-gold`}>{c.goldAccuracy ?? '—'} ({c.goldChecked} labels checked)</td></tr>
          <tr><td>mean agreement</td><td>{c.meanAgreement}</td></tr>
          <tr><td>labelers, redundancy</td><td>{c.labelers}, R = {c.redundancy}</td></tr>
          <tr><td>hidden challenge share</td><td>{c.challengeShare}</td></tr>
          <tr><td>price now</td><td data-testid={`dataset-${id}-quote`}>{crol(view.quote)} (list price {crol(view.price)})</td></tr>
        </tbody>
      </table>
      {bought ? (
        <p data-testid={`dataset-${id}-bought`}>You bought this dataset.</p>
      ) : (
        <p>
          <label>Pay at most (CROL) <input data-testid={`dataset-${id}-max`} value={max ?? crolText(view.quote)} onChange={(e) => setMax(e.target.value)} /></label>{' '}
          <button data-testid={`dataset-${id}-buy`} disabled={!view.listed || tx.busy} onClick={purchase}>Purchase</button>
        </p>
      )}
      <Status s={tx.status} testId={`dataset-${id}-buy-status`} />
      <p>
        <label>Inclusion proof of leaf <input type="number" min={0} data-testid={`dataset-${id}-leaf`} value={leaf} onChange={(e) => setLeaf(Number(e.target.value))} /></label>{' '}
        <button data-testid={`dataset-${id}-prove`} onClick={checkProof}>Verify</button>{' '}
        {proof && <span data-testid={`dataset-${id}-proof`} data-ok={String(proof.ok)}>{proof.text}</span>}
      </p>
    </div>
  );
}

/** Plancks as a CROL decimal, exact. */
function crolText(p: string | bigint): string {
  const v = BigInt(p);
  const frac = (v % 10n ** 12n).toString().padStart(12, '0').replace(/0+$/, '');
  return frac ? `${v / 10n ** 12n}.${frac}` : `${v / 10n ** 12n}`;
}
