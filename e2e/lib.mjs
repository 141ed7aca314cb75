// Shared helpers for the end-to-end tests: connect to a node, sign and wait for finality,
// assertions that fail the process with a clear message.
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';

export const WS = process.env.CROWDLABEL_WS ?? 'ws://127.0.0.1:9944';

export async function connect(url = WS) {
  await cryptoWaitReady();
  const provider = new WsProvider(url, 1000);
  const api = await ApiPromise.create({ provider, throwOnConnect: true, noInitWarn: true });
  const keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
  const dev = Object.fromEntries(
    ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'].map((n) => [n.toLowerCase(), keyring.addFromUri(`//${n}`)]),
  );
  return { api, keyring, dev };
}

export function assert(cond, msg) {
  if (!cond) {
    throw new Error(`assertion failed: ${msg}`);
  }
}

export function assertEq(actual, expected, msg) {
  const a = typeof actual === 'bigint' ? actual.toString() : JSON.stringify(actual);
  const e = typeof expected === 'bigint' ? expected.toString() : JSON.stringify(expected);
  if (a !== e) {
    throw new Error(`assertion failed: ${msg}: expected ${e}, got ${a}`);
  }
}

// Signs and sends `tx`, resolves once the including block is finalized. Rejects on a dispatch
// error (decoded to `pallet.Error`), on an invalid/dropped transaction, or after `timeoutMs`.
export function sendAndFinalize(api, tx, signer, timeoutMs = 120_000) {
  return new Promise((resolve, reject) => {
    let unsub = null;
    const timer = setTimeout(() => {
      if (unsub) unsub();
      reject(new Error(`timeout waiting for finality of ${tx.method.section}.${tx.method.method}`));
    }, timeoutMs);
    tx.signAndSend(signer, (result) => {
      const { status, events, dispatchError } = result;
      if (status.isInBlock && dispatchError) {
        clearTimeout(timer);
        if (unsub) unsub();
        let msg = dispatchError.toString();
        if (dispatchError.isModule) {
          const d = api.registry.findMetaError(dispatchError.asModule);
          msg = `${d.section}.${d.name}`;
        }
        reject(new Error(`${tx.method.section}.${tx.method.method} failed: ${msg}`));
        return;
      }
      if (status.isDropped || status.isInvalid || status.isUsurped) {
        clearTimeout(timer);
        if (unsub) unsub();
        reject(new Error(`${tx.method.section}.${tx.method.method}: ${status.type}`));
        return;
      }
      if (status.isFinalized) {
        clearTimeout(timer);
        if (unsub) unsub();
        resolve({ blockHash: status.asFinalized, events });
      }
    })
      .then((u) => {
        unsub = u;
      })
      .catch((e) => {
        clearTimeout(timer);
        reject(e);
      });
  });
}

export function findEvent(events, section, method) {
  return events.map((r) => r.event).find((e) => e.section === section && e.method === method);
}

// Submits `call` through sudo as `signer` and checks the inner dispatch result.
export async function sudo(api, call, signer) {
  const res = await sendAndFinalize(api, api.tx.sudo.sudo(call), signer);
  const ev = findEvent(res.events, 'sudo', 'Sudid');
  if (!ev) throw new Error('no sudo.Sudid event');
  const r = ev.data.sudoResult;
  if (r.isErr) {
    const e = r.asErr;
    let msg = e.toString();
    if (e.isModule) {
      const d = api.registry.findMetaError(e.asModule);
      msg = `${d.section}.${d.name}`;
    }
    throw new Error(`sudo(${call.method.section}.${call.method.method}) failed: ${msg}`);
  }
  return res;
}

export function eventsOf(events, section, method) {
  return events.map((r) => r.event).filter((e) => e.section === section && e.method === method);
}

// The registry type name of a type identified by its Rust path, e.g. ['pallet_labelers', 'types', 'Label'].
export function lookupType(api, path) {
  const want = path.join('::');
  const t = api.registry.lookup.types.find((t) => t.type.path.map((p) => p.toString()).join('::') === want);
  if (!t) throw new Error(`type ${want} not in metadata`);
  return api.registry.createLookupType(t.id);
}

// blake2_256(SCALE(label) ++ salt): the commitment format of gold answers and labels.
export async function commitment(api, label, salt) {
  const { blake2AsHex } = await import('@polkadot/util-crypto');
  const { u8aConcat } = await import('@polkadot/util');
  const ty = lookupType(api, ['pallet_labelers', 'types', 'Label']);
  return blake2AsHex(u8aConcat(api.createType(ty, label).toU8a(), salt), 256);
}
