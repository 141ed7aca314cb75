// Sends a transaction and reports its status: pending → in block → finalized, or the error in
// the metadata's own words (`jobs.NoFreePackage: No package is free …`).
import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { DispatchError } from '@polkadot/types/interfaces';
import { signerOf, type Account } from './chain';

export type TxStatus =
  | { state: 'pending' }
  | { state: 'inBlock'; block: string }
  | { state: 'finalized'; block: string }
  | { state: 'failed'; error: string };

/** `pallet.Error: its documentation`, from the metadata. */
export function explain(api: ApiPromise, error: DispatchError): string {
  if (error.isModule) {
    const m = api.registry.findMetaError(error.asModule);
    return `${m.section}.${m.name}: ${m.docs.join(' ').trim()}`;
  }
  return error.toString();
}

export async function send(
  api: ApiPromise,
  tx: SubmittableExtrinsic<'promise'>,
  account: Account,
  onStatus: (s: TxStatus) => void,
): Promise<void> {
  onStatus({ state: 'pending' });
  const who = await signerOf(account);
  await new Promise<void>((resolve, reject) => {
    const options = 'signer' in who ? { signer: who.signer } : {};
    const signer = 'signer' in who ? who.address : who;
    tx.signAndSend(signer, options, ({ status, dispatchError }) => {
      if (dispatchError) {
        const error = explain(api, dispatchError);
        onStatus({ state: 'failed', error });
        reject(new Error(error));
      } else if (status.isInBlock) {
        onStatus({ state: 'inBlock', block: status.asInBlock.toHex() });
      } else if (status.isFinalized) {
        onStatus({ state: 'finalized', block: status.asFinalized.toHex() });
        resolve();
      } else if (status.isInvalid || status.isDropped || status.isUsurped) {
        const error = `the transaction was ${status.type.toLowerCase()}`;
        onStatus({ state: 'failed', error });
        reject(new Error(error));
      }
    }).catch((e: Error) => {
      onStatus({ state: 'failed', error: e.message });
      reject(e);
    });
  });
}
