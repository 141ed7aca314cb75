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
  return { api, keyring, dev, provider };
}

// Calls a `crowdlabel_*` JSON-RPC method (not in @polkadot/api's built-in definitions).
export function crowdlabelRpc(provider, method, ...params) {
  return provider.send(`crowdlabel_${method}`, params);
}

// Waits until `api`'s node has imported block `hash` (another node produced or finalized it).
export async function waitForBlock(api, hash, timeoutMs = 120_000) {
  const start = Date.now();
  for (;;) {
    try {
      const header = await api.rpc.chain.getHeader(hash);
      if (header && header.number) return header;
    } catch (_) {
      // not imported yet
    }
    if (Date.now() - start > timeoutMs) throw new Error(`block ${hash} not imported within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

export function assert(cond, msg) {
  if (!cond) {
    throw new Error(`assertion failed: ${msg}`);
  }
}

export function assertEq(actual, expected, msg) {
  const str = (x) => (typeof x === 'bigint' ? x.toString() : JSON.stringify(x, (_, v) => (typeof v === 'bigint' ? v.toString() : v)));
  const a = str(actual);
  const e = str(expected);
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

// Signs and sends `tx`, resolves once it is in a block (faster than finality for long flows;
// the final assertions still read finalized state). Rejects on a dispatch error.
export function sendInBlock(api, tx, signer, timeoutMs = 120_000) {
  return new Promise((resolve, reject) => {
    let unsub = null;
    const timer = setTimeout(() => {
      if (unsub) unsub();
      reject(new Error(`timeout waiting for inclusion of ${tx.method.section}.${tx.method.method}`));
    }, timeoutMs);
    tx.signAndSend(signer, ({ status, events, dispatchError }) => {
      if (status.isInBlock || status.isFinalized) {
        clearTimeout(timer);
        if (unsub) unsub();
        if (dispatchError) {
          let msg = dispatchError.toString();
          if (dispatchError.isModule) {
            const d = api.registry.findMetaError(dispatchError.asModule);
            msg = `${d.section}.${d.name}`;
          }
          reject(new Error(`${tx.method.section}.${tx.method.method} failed: ${msg}`));
        } else {
          resolve({ blockHash: status.isInBlock ? status.asInBlock : status.asFinalized, events });
        }
      } else if (status.isDropped || status.isInvalid || status.isUsurped) {
        clearTimeout(timer);
        if (unsub) unsub();
        reject(new Error(`${tx.method.section}.${tx.method.method}: ${status.type}`));
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

// blake2_256(SCALE(labels) ++ salt): the commitment of a package's labels.
export async function labelsCommitment(api, labels, salt) {
  const { blake2AsHex } = await import('@polkadot/util-crypto');
  const { u8aConcat } = await import('@polkadot/util');
  const ty = lookupType(api, ['pallet_labelers', 'types', 'Label']);
  return blake2AsHex(u8aConcat(api.createType(`Vec<${ty}>`, labels).toU8a(), salt), 256);
}

// Creates a box domain (K = 1) and qualifies every account of `who` in it through a real round.
export async function qualifiedDomain(api, sudoKey, who) {
  const { randomAsU8a } = await import('@polkadot/util-crypto');
  const params = {
    bar: { MinMeanAgreement: 500_000_000 },
    slashFloor: 500_000_000,
    roundSize: 1,
    cooldown: 10,
    answerWindow: 100,
    revealWindow: 100,
    sigma: '200000000000000000',
  };
  let r = await sudo(api, api.tx.labelers.createDomain('job domain', { BoundingBoxes: { classes: 2 } }, params), sudoKey);
  const domain = findEvent(r.events, 'labelers', 'DomainCreated').data.domain.toNumber();
  const gold = { Boxes: [{ xMin: 0, yMin: 0, xMax: 50, yMax: 50, class: 0 }] };
  const salt = randomAsU8a(32);
  const c = await commitment(api, gold, salt);
  const items = who.map((_, i) => '0x' + 'a' + String(i).padStart(63, '0'));
  await sudo(api, api.tx.labelers.addGold(domain, items.map((it) => [it, c])), sudoKey);
  const rounds = await Promise.all(
    who.map(async (w) => {
      const reg = await api.query.labelers.labelers(w.address);
      if (reg.isNone) {
        await sendInBlock(api, api.tx.labelers.register([domain]), w);
      } else {
        const ds = reg.unwrap().domains.map((d) => d.toNumber());
        await sendInBlock(api, api.tx.labelers.declareDomains([...ds, domain]), w);
      }
      const res = await sendInBlock(api, api.tx.labelers.requestQualification(domain), w);
      const round = findEvent(res.events, 'labelers', 'QualificationRequested').data.round.toNumber();
      await sendInBlock(api, api.tx.labelers.submitQualification(round, [gold]), w);
      return round;
    }),
  );
  for (const round of rounds) {
    const res = await sudo(api, api.tx.labelers.revealGold(round, [[gold, salt]]), sudoKey);
    assert(findEvent(res.events, 'labelers', 'Qualified'), `round ${round} qualified`);
  }
  return domain;
}

// `PalletId(*b"...").into_account_truncating()`: "modl" ++ id ++ zero padding, as SS58.
export async function palletAccount(api, id) {
  const { u8aConcat, stringToU8a } = await import('@polkadot/util');
  return api.createType('AccountId', u8aConcat(stringToU8a('modl'), stringToU8a(id), new Uint8Array(20))).toString();
}

// One package of a job labeled by `crew` ([[signer, labels]…]): each takes it and commits, then
// all reveal, then `finalizer` finalizes it (in a block, or `final: true` for finality).
// Returns the finalize result plus the `PackageTaken` events (`taken`).
export async function labelPackage(api, job, pkg, crew, finalizer, { final = false } = {}) {
  const { randomAsU8a } = await import('@polkadot/util-crypto');
  const salts = crew.map(() => randomAsU8a(32));
  const taken = await Promise.all(crew.map(async ([w, labels], i) => {
    const res = await sendInBlock(api, api.tx.jobs.takePackage(job, pkg), w);
    await sendInBlock(api, api.tx.jobs.commitLabels(job, pkg, await labelsCommitment(api, labels, salts[i])), w);
    return findEvent(res.events, 'jobs', 'PackageTaken');
  }));
  await Promise.all(crew.map(([w, labels], i) => sendInBlock(api, api.tx.jobs.revealLabels(job, pkg, labels, salts[i]), w)));
  const tx = api.tx.jobs.finalizePackage(job, pkg);
  const result = final ? await sendAndFinalize(api, tx, finalizer) : await sendInBlock(api, tx, finalizer);
  return { ...result, taken };
}
