// Sends a transaction and reports its status: pending → in block → finalized, or the error in
// the metadata's own words (`jobs.NoFreePackage: No package is free …`); resolves with the
// transaction's events.
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

/** A finalized transaction: its block and its events (`section.method`, data as JSON). */
export interface Sent {
  block: string;
  events: { section: string; method: string; data: any }[];
}

/** The first event `section.method` of `sent`, its data by field name. */
export function eventOf(sent: Sent | undefined, section: string, method: string): any {
  return sent?.events.find((e) => e.section === section && e.method === method)?.data;
}

/** Signs and sends `tx` as `account`; resolves when it is finalized (rejects on any failure). */
export async function send(
  api: ApiPromise,
  tx: SubmittableExtrinsic<'promise'>,
  account: Account,
  onStatus: (s: TxStatus) => void,
): Promise<Sent> {
  onStatus({ state: 'pending' });
  const who = await signerOf(account);
  return new Promise<Sent>((resolve, reject) => {
    const options = 'signer' in who ? { signer: who.signer } : {};
    const signer = 'signer' in who ? who.address : who;
    let events: Sent['events'] = [];
    tx.signAndSend(signer, options, ({ status, dispatchError, events: records }) => {
      if (dispatchError) {
        const error = explain(api, dispatchError);
        onStatus({ state: 'failed', error });
        reject(new Error(error));
      } else if (status.isInBlock) {
        events = records.map(({ event }) => ({ section: event.section, method: event.method, data: eventData(event.data) }));
        onStatus({ state: 'inBlock', block: status.asInBlock.toHex() });
      } else if (status.isFinalized) {
        onStatus({ state: 'finalized', block: status.asFinalized.toHex() });
        resolve({ block: status.asFinalized.toHex(), events });
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

/** An event's fields by name (`{ job: 3, package: 0, … }`), as JSON. */
function eventData(data: any): any {
  const names: string[] | null = data.names;
  if (!names) return data.toJSON();
  return Object.fromEntries(names.map((n, i) => [n, data[i].toJSON()]));
}
