// "Get test CROL": on chains whose faucet is on (dev and test networks), an account holding less
// than one drip claims one without signing anything — a proof of work found in the page, then a
// general transaction `faucet.drip` (no signature, no fee). Hidden everywhere else.
import { useState } from 'react';
import { crol, usePerBlock, useSession } from '../session';
import { submitRaw } from '../chain';
import { solveWork } from '../lib/faucet';

type Claim =
  | { state: 'working'; tried: number }
  | { state: 'pending' }
  | { state: 'finalized'; block: string }
  | { state: 'failed'; error: string };

export function FaucetClaim() {
  const { api, who } = useSession();
  const [claim, setClaim] = useState<Claim>();
  const faucet = (api.query as any).faucet;
  const info = usePerBlock(async () => {
    if (!faucet) return null;
    const enabled = ((await faucet.enabled()) as any).isTrue as boolean;
    const account = (await api.query.system.account(who.address)) as any;
    const total = account.data.free.toBigInt() + account.data.reserved.toBigInt();
    return { enabled, total, drip: (api.consts.faucet.dripAmount as any).toBigInt() as bigint };
  }, [who.address]);
  if (!info || !info.enabled || (info.total >= info.drip && claim?.state !== 'finalized')) return null;

  async function run() {
    try {
      setClaim({ state: 'working', tried: 0 });
      const difficulty = (api.consts.faucet.difficulty as any).toNumber();
      const account = api.createType('AccountId', who.address).toU8a();
      const nonce = await solveWork(api.genesisHash.toU8a(), account, difficulty, (tried) => setClaim({ state: 'working', tried }));
      setClaim({ state: 'pending' });
      // @polkadot/api 16.5.6 builds the general body right but its `Extrinsic` wrapper encodes the
      // version and length twice: send the body's own encoding.
      const ext = api.registry.createType(
        'Extrinsic',
        { payload: { method: api.tx.faucet.drip(who.address, nonce).method, era: '0x00', nonce: 0, tip: 0, mode: 0 }, transactionExtensionVersion: 0 },
        { version: 5, preamble: 'general' },
      ) as any;
      const block = await submitRaw(ext.inner.toHex());
      setClaim({ state: 'finalized', block });
    } catch (e: any) {
      setClaim({ state: 'failed', error: e.message ?? String(e) });
    }
  }

  const busy = claim?.state === 'working' || claim?.state === 'pending';
  return (
    <fieldset data-testid="faucet">
      <legend>New here? This test network has a faucet</legend>
      Your wallet holds {crol(info.total)}.{' '}
      <button data-testid="faucet-claim" disabled={busy || claim?.state === 'finalized'} onClick={run}>
        Get {crol(info.drip)} of test CROL
      </button>{' '}
      <span data-testid="faucet-status" className={`tx ${claim?.state ?? ''}`}>
        {claim?.state === 'working' && `proof of work… ${claim.tried.toLocaleString()} hashes`}
        {claim?.state === 'pending' && 'pending…'}
        {claim?.state === 'finalized' && `finalized ${claim.block.slice(0, 10)}…`}
        {claim?.state === 'failed' && `failed — ${claim.error}`}
      </span>
    </fieldset>
  );
}
