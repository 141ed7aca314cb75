// Shared helpers for the end-to-end tests: connect to a node, sign and wait for inclusion or
// finality, the chain's commitment formats, the labeling steps of a job, assertions that fail the
// process with a clear message.
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { blake2AsHex, blake2AsU8a, cryptoWaitReady, randomAsU8a } from '@polkadot/util-crypto';
import { bnToU8a, stringToU8a, u8aConcat } from '@polkadot/util';

export const WS = process.env.CROWDLABEL_WS ?? 'ws://127.0.0.1:9944';
export const CROL = 10n ** 12n;

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

// Waits until the best block of `api`'s node is at least `number`; returns its number.
export async function waitForHeight(api, number, timeoutMs = 300_000) {
  const start = Date.now();
  for (;;) {
    const now = (await api.rpc.chain.getHeader()).number.toNumber();
    if (now >= number) return now;
    if (Date.now() - start > timeoutMs) throw new Error(`block #${number} not reached within ${timeoutMs} ms (at #${now})`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

// The number of block `hash`.
export async function blockNumber(api, hash) {
  return (await api.rpc.chain.getHeader(hash)).number.toNumber();
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

// `pallet.Error` of a dispatch error (or its string form when it is not a module error).
export function errorName(api, dispatchError) {
  if (dispatchError.isModule) {
    const d = api.registry.findMetaError(dispatchError.asModule);
    return `${d.section}.${d.name}`;
  }
  return dispatchError.toString();
}

// Awaits `promise` (a transaction helper's) and checks that it failed with the dispatch error
// `name` (e.g. 'jobs.NoFreePackage'): the helpers reject with "<call> failed: <pallet.Error>".
export async function expectError(promise, name, msg = name) {
  let err = null;
  try {
    await promise;
  } catch (e) {
    err = e;
  }
  if (!err) throw new Error(`assertion failed: ${msg}: expected ${name}, but the call succeeded`);
  if (!String(err.message ?? err).endsWith(`failed: ${name}`)) {
    throw new Error(`assertion failed: ${msg}: expected ${name}, got ${err.message ?? err}`);
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
        reject(new Error(`${tx.method.section}.${tx.method.method} failed: ${errorName(api, dispatchError)}`));
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
          reject(new Error(`${tx.method.section}.${tx.method.method} failed: ${errorName(api, dispatchError)}`));
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

export function findEvent(events, section, method) {
  return events.map((r) => r.event).find((e) => e.section === section && e.method === method);
}

export function eventsOf(events, section, method) {
  return events.map((r) => r.event).filter((e) => e.section === section && e.method === method);
}

// The transaction fee `who` paid in a transaction's events (`TransactionFeePaid.actualFee`).
export function feeOf(events, who) {
  const address = typeof who === 'string' ? who : who.address;
  const ev = eventsOf(events, 'transactionPayment', 'TransactionFeePaid').find((e) => e.data.who.toString() === address);
  if (!ev) throw new Error(`no TransactionFeePaid event for ${address}`);
  return ev.data.actualFee.toBigInt();
}

// Submits the curator call `call` and checks its dispatch result: through sudo as `signer` when
// the chain has a sudo key (the dev chain), otherwise as a council motion of `signer` and a
// second council member (2/3 of the preset council Alice, Bob, Charlie), as on the `local`
// chain. Returns the transaction result holding the call's events.
export async function curate(api, call, signer) {
  const key = await api.query.sudo.key();
  if (key.isNone) {
    const keyring = new Keyring({ type: 'sr25519' });
    const second = keyring.addFromUri(signer.address === keyring.addFromUri('//Bob').address ? '//Charlie' : '//Bob');
    return council(api, call, [signer, second]);
  }
  const res = await sendAndFinalize(api, api.tx.sudo.sudo(call), signer);
  const ev = findEvent(res.events, 'sudo', 'Sudid');
  if (!ev) throw new Error('no sudo.Sudid event');
  const r = ev.data.sudoResult;
  if (r.isErr) {
    throw new Error(`sudo(${call.method.section}.${call.method.method}) failed: ${errorName(api, r.asErr)}`);
  }
  return res;
}

// Passes `call` as a council motion: `ayes[0]` proposes it with threshold `ayes.length`, every
// member of `ayes` votes aye, `ayes[0]` closes it. Returns `{ executed, result, events, blockHash }`
// of the close: `executed` is the `council.Executed` event (absent when the threshold was not
// reached), `result` its dispatch result as `'Ok'` or the error name.
export async function councilMotion(api, call, ayes) {
  const len = call.method.encodedLength;
  const proposed = await sendInBlock(api, api.tx.council.propose(ayes.length, call, len), ayes[0]);
  const ev = findEvent(proposed.events, 'council', 'Proposed');
  if (!ev) throw new Error('no council.Proposed event (a threshold below 2 executes at once)');
  const { proposalHash, proposalIndex } = ev.data;
  for (const who of ayes) await sendInBlock(api, api.tx.council.vote(proposalHash, proposalIndex, true), who);
  // The weight bound: the call's own weight (payment info of the bare call, an upper bound).
  const { weight } = await call.paymentInfo(ayes[0]);
  const closed = await sendInBlock(api, api.tx.council.close(proposalHash, proposalIndex, weight, len), ayes[0]);
  const executed = findEvent(closed.events, 'council', 'Executed');
  const r = executed && executed.data.result;
  const result = !r ? null : r.isOk ? 'Ok' : errorName(api, r.asErr);
  return { executed, result, ...closed };
}

// Passes `call` as a council motion of `ayes` and checks that it executed successfully.
export async function council(api, call, ayes) {
  const m = await councilMotion(api, call, ayes);
  if (m.result !== 'Ok') {
    throw new Error(`council motion ${call.method.section}.${call.method.method} failed: ${m.result ?? 'not executed'}`);
  }
  return m;
}

// The registry type name of a type identified by its Rust path, e.g. ['crowdlabel_labels', 'types', 'Label'].
export function lookupType(api, path) {
  const want = path.join('::');
  const t = api.registry.lookup.types.find((t) => t.type.path.map((p) => p.toString()).join('::') === want);
  if (!t) throw new Error(`type ${want} not in metadata`);
  return api.registry.createLookupType(t.id);
}

// Free balance of `who` (now, or at block `at`).
export async function freeOf(api, who, at) {
  const address = typeof who === 'string' ? who : who.address;
  const info = at ? await api.query.system.account.at(at, address) : await api.query.system.account(address);
  return info.data.free.toBigInt();
}

// Sum of the holds of `who` with reason `pallet.reason` (e.g. 'Jobs', 'JobEscrow'), now or at `at`.
export async function heldFor(api, who, pallet, reason, at) {
  const address = typeof who === 'string' ? who : who.address;
  const holds = at ? await api.query.balances.holds.at(at, address) : await api.query.balances.holds(address);
  return holds
    .filter((h) => {
      const id = h.id.toHuman();
      return id && typeof id === 'object' && id[pallet] === reason;
    })
    .map((h) => h.amount.toBigInt())
    .reduce((a, b) => a + b, 0n);
}

// `PalletId(*b"...").into_account_truncating()`: "modl" ++ id ++ zero padding, as SS58.
export async function palletAccount(api, id) {
  return api.createType('AccountId', u8aConcat(stringToU8a('modl'), stringToU8a(id), new Uint8Array(20))).toString();
}

// ---- Commitments -------------------------------------------------------------------------
// Every commitment is `blake2_256(SCALE(tuple))` where the tuple ends with a 32-byte salt; SCALE
// of a tuple is the concatenation of its fields' encodings. Labels and challenge lists name the
// account they belong to, so nobody else can open a copied commitment.

const addressOf = (who) => (typeof who === 'string' ? who : who.address);

function checkSalt(salt) {
  if (!(salt instanceof Uint8Array) || salt.length !== 32) throw new Error('a salt is exactly 32 bytes');
  return salt;
}

// The registry name of `crowdlabel_labels::types::Label` (a label of any kind).
export function labelType(api) {
  return lookupType(api, ['crowdlabel_labels', 'types', 'Label']);
}

// A package's labels, committed by the labeler with `jobs.commitLabels`:
//   blake2_256(SCALE((labeler: AccountId32, job: u32, package: u32, labels: Vec<Label>, salt: [u8; 32])))
//   = blake2_256(labeler's 32 bytes ++ job u32 LE ++ package u32 LE ++ SCALE(labels) ++ salt)
export function labelCommitment(api, labeler, job, pkg, labels, salt) {
  return blake2AsHex(
    u8aConcat(
      api.createType('AccountId32', addressOf(labeler)).toU8a(),
      api.createType('u32', job).toU8a(),
      api.createType('u32', pkg).toU8a(),
      api.createType(`Vec<${labelType(api)}>`, labels).toU8a(),
      checkSalt(salt),
    ),
    256,
  );
}

// A job's hidden challenge answers, committed by the requester in `jobs.createJob`:
//   blake2_256(SCALE((requester: AccountId32, answers: Vec<(u32, Label)>, salt: [u8; 32])))
export function challengeCommitment(api, requester, answers, salt) {
  return blake2AsHex(
    u8aConcat(
      api.createType('AccountId32', addressOf(requester)).toU8a(),
      api.createType(`Vec<(u32, ${labelType(api)})>`, answers).toU8a(),
      checkSalt(salt),
    ),
    256,
  );
}

// A gold item's answer, committed by the curator in `labelers.addGold` (one candidate answers a
// gold item, so it is not bound to an account):
//   blake2_256(SCALE((answer: Label, salt: [u8; 32]))) = blake2_256(SCALE(answer) ++ salt)
export function goldCommitment(api, answer, salt) {
  return blake2AsHex(u8aConcat(api.createType(labelType(api), answer).toU8a(), checkSalt(salt)), 256);
}

// ---- Labelers --------------------------------------------------------------------------------

// Creates a box domain (K = 1; boxes have no guessing figure, so any bar is accepted) and
// qualifies every account of `who` in it through a real round (each round pays its gold fee).
export async function qualifiedDomain(api, sudoKey, who) {
  const params = {
    bar: { MinMeanAgreement: 500_000_000 },
    roundSize: 1,
    cooldown: 10,
    answerWindow: 100,
    revealWindow: 100,
    sigma: '200000000000000000',
  };
  const r = await curate(api, api.tx.labelers.createDomain('job domain', { BoundingBoxes: { classes: 2 } }, params), sudoKey);
  const domain = findEvent(r.events, 'labelers', 'DomainCreated').data.domain.toNumber();
  const gold = { Boxes: [{ xMin: 0, yMin: 0, xMax: 50, yMax: 50, class: 0 }] };
  const salt = randomAsU8a(32);
  const c = goldCommitment(api, gold, salt);
  const items = who.map((_, i) => '0x' + 'a' + String(i).padStart(63, '0'));
  await curate(api, api.tx.labelers.addGold(domain, items.map((it) => [it, c])), sudoKey);
  const rounds = await Promise.all(
    who.map(async (w) => {
      const reg = await api.query.labelers.registrations(w.address);
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
    const res = await curate(api, api.tx.labelers.revealGold(round, [[gold, salt]]), sudoKey);
    assert(findEvent(res.events, 'labelers', 'Qualified'), `round ${round} qualified`);
  }
  return domain;
}

// Funds fresh accounts from `from` (transferKeepAlive, one after the other).
export async function fund(api, from, accounts, amount = 1_000n * CROL) {
  for (const a of accounts) {
    await sendInBlock(api, api.tx.balances.transferKeepAlive(addressOf(a), amount), from);
  }
}

// ---- Jobs ------------------------------------------------------------------------------------
// The pallet assigns packages: `jobs.takePackage(job)` picks a random package with a free slot
// (at most one slot per account per package) and names it in `PackageTaken`. Reveals open when
// every slot of a package is committed (`RevealsOpened`); the reveal that completes a package's
// R reveals judges it in the same extrinsic (`PackageAccepted`, `DepositSlashed`,
// `ConsensusReached`, `PackageCompleted`).

// Takes one package of `job` as `who`; returns `{ package, deposit, blockHash, events }`.
export async function takePackage(api, job, who) {
  const res = await sendInBlock(api, api.tx.jobs.takePackage(job), who);
  const ev = findEvent(res.events, 'jobs', 'PackageTaken');
  assert(ev, 'PackageTaken event');
  assertEq(ev.data.labeler.toString(), who.address, 'PackageTaken.labeler');
  return { package: ev.data.package.toNumber(), deposit: ev.data.deposit.toBigInt(), ...res };
}

// Takes packages of `job` as `who` until the chain answers `jobs.NoFreePackage` (no package with
// a free slot `who` does not hold) or `jobs.TooManyOpenPackages` (`who` holds `MaxOpenPerLabeler`
// unjudged packages of the job); at most `max` takes. Returns what was taken,
// `[{ package, deposit, blockHash, events }]`, in order.
export async function takeAll(api, job, who, max = 64) {
  const taken = [];
  for (;;) {
    try {
      taken.push(await takePackage(api, job, who));
    } catch (e) {
      const msg = String(e.message);
      if (msg.endsWith('failed: jobs.NoFreePackage') || msg.endsWith('failed: jobs.TooManyOpenPackages')) return taken;
      throw e;
    }
    if (taken.length > max) throw new Error(`${who.address} took more than ${max} packages of job ${job}`);
  }
}

// Commits `labels` for package `pkg` as `who` with a fresh salt; returns
// `{ salt, commitment, blockHash, events }`.
export async function commitPackage(api, job, pkg, who, labels) {
  const salt = randomAsU8a(32);
  const commitment = labelCommitment(api, who, job, pkg, labels, salt);
  const res = await sendInBlock(api, api.tx.jobs.commitLabels(job, pkg, commitment), who);
  return { salt, commitment, ...res };
}

// `jobs.revealLabels` of `labels` and `salt` for package `pkg`, with the job's redundancy R as
// the call's witness (`redundancy`: the reveal is charged up front for a judgement of R labels;
// fewer is refused with `RedundancyWitnessTooLow`). Runtimes before spec 111 (the previous
// release a zombienet upgrade starts from) take no witness.
export function revealCall(api, job, pkg, labels, salt, redundancy) {
  const args = [job, pkg, labels, salt];
  if (api.tx.jobs.revealLabels.meta.args.length > args.length) args.push(redundancy);
  return api.tx.jobs.revealLabels(...args);
}

// Reveals `labels` and `salt` for package `pkg` as `who` (the witness read from the job).
export async function revealPackage(api, job, pkg, who, labels, salt) {
  const r = (await api.query.jobs.jobDetails(job)).unwrap().redundancy.toNumber();
  return sendInBlock(api, revealCall(api, job, pkg, labels, salt, r), who);
}

// Of several transaction results, the one in the highest block (where the chain state has seen
// all of them when they are on one chain).
export async function latest(api, results) {
  let best = null;
  let bestNumber = -1;
  for (const r of results) {
    const n = await blockNumber(api, r.blockHash);
    if (n > bestNumber) {
      best = r;
      bestNumber = n;
    }
  }
  return best;
}

// A crew labels job `job`: `crew` is `[[signer, labels]…]` where `labels` is an array (the same
// labels for every package) or a function `pkg => labels`. Every member takes packages until
// `jobs.NoFreePackage`, commits each package it holds, then everyone reveals (members in
// parallel, each member's transactions in order). With a crew of exactly R labelers on a fresh
// job of at most `MaxOpenPerLabeler` (runtime: 4) packages, every member ends up with one slot in
// every package; a crew may also fill the free slots left by slashed labelers. (On a larger job a
// member stops at the cap with random packages whose other slots the crew may not fill: their
// reveals would never open. Use more labelers there.)
// Returns `{ taken, commits, reveals, events, blockHash }`: `taken[i]` the packages member i took
// (`takeAll`'s entries), `events` every event of the reveals (the judgements are among them),
// `blockHash` the highest block holding a reveal.
export async function labelJob(api, job, crew) {
  const labelsOf = (labels, pkg) => (typeof labels === 'function' ? labels(pkg) : labels);
  const taken = await Promise.all(crew.map(([w]) => takeAll(api, job, w)));
  const commits = await Promise.all(
    crew.map(async ([w, labels], i) => {
      const out = [];
      for (const t of taken[i]) out.push({ package: t.package, ...(await commitPackage(api, job, t.package, w, labelsOf(labels, t.package))) });
      return out;
    }),
  );
  const reveals = await Promise.all(
    crew.map(async ([w, labels], i) => {
      const out = [];
      for (const c of commits[i]) out.push({ package: c.package, ...(await revealPackage(api, job, c.package, w, labelsOf(labels, c.package), c.salt)) });
      return out;
    }),
  );
  const all = reveals.flat();
  const last = all.length ? await latest(api, all) : null;
  return { taken, commits, reveals, events: all.flatMap((r) => r.events), blockHash: last && last.blockHash };
}

// Claims the caller's credited job rewards and checks the balance change: exactly what was
// credited before the claim, minus the claim's fee. Returns `{ claimed, fee, blockHash }`.
export async function claimRewards(api, who) {
  const res = await sendInBlock(api, api.tx.jobs.claimRewards(), who);
  const parent = (await api.rpc.chain.getHeader(res.blockHash)).parentHash;
  const pending = (await api.query.jobs.unclaimedRewards.at(parent, who.address)).toBigInt();
  const ev = findEvent(res.events, 'jobs', 'RewardsClaimed');
  assert(ev, 'RewardsClaimed event');
  const claimed = ev.data.amount.toBigInt();
  assertEq(claimed, pending, `${who.address} claimed every credited reward`);
  const fee = feeOf(res.events, who);
  const delta = (await freeOf(api, who, res.blockHash)) - (await freeOf(api, who, parent));
  assertEq(delta, claimed - fee, `${who.address} received its rewards minus the claim fee`);
  assertEq((await api.query.jobs.unclaimedRewards.at(res.blockHash, who.address)).toBigInt(), 0n, 'nothing left to claim');
  return { claimed, fee, blockHash: res.blockHash };
}

// ---- faucet (general transactions) ----

// Leading zero bits of a hash.
function leadingZeroBits(hash) {
  let bits = 0;
  for (const byte of hash) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

// The faucet's proof of work for `dest` on this chain: the first nonce from `start` whose
// blake2_256(b"crowdlabel-faucet" ++ genesis hash ++ dest ++ nonce as u64 LE) has `difficulty`
// leading zero bits (`pallet_faucet::Pallet::work_hash`).
export function faucetWork(api, dest, difficulty, start = 0) {
  const prefix = u8aConcat(stringToU8a('crowdlabel-faucet'), api.genesisHash.toU8a(), api.createType('AccountId', dest).toU8a());
  for (let n = start; ; n++) {
    const hash = blake2AsU8a(u8aConcat(prefix, bnToU8a(n, { bitLength: 64, isLe: true })), 256);
    if (leadingZeroBits(hash) >= difficulty) return n;
  }
}

// A general (extrinsic format 5) transaction of `call`, as hex: no signature, no signer,
// extension values of an immortal, tip-free transaction. Only a call with an authorize function
// (`faucet.drip`) gets an origin from the runtime's `AuthorizeCall` extension; the nonce and fee
// checks skip it. @polkadot/api 16.5.6 builds the general body (`GeneralExtrinsic`) correctly but
// its `Extrinsic` wrapper encodes the version byte and the length twice, so the body's own
// encoding is what is sent.
export function generalTx(api, call) {
  const ext = api.registry.createType(
    'Extrinsic',
    { payload: { method: call.method, era: '0x00', nonce: 0, tip: 0, mode: 0 }, transactionExtensionVersion: 0 },
    { version: 5, preamble: 'general' },
  );
  return ext.inner.toHex();
}

// The faucet's claim `faucet.drip(dest, nonce)` as a general transaction (hex).
export function generalDrip(api, dest, nonce) {
  return generalTx(api, api.tx.faucet.drip(dest, nonce));
}

// Submits an encoded extrinsic (hex) with no signer over the raw JSON-RPC and resolves with its
// block's events once finalized (rejects with the pool's error, e.g. "1010: Invalid
// Transaction: Custom error: 2").
export async function submitGeneral(api, provider, hex, timeoutMs = 120_000) {
  const blockHash = await new Promise((resolve, reject) => {
    let subscription = null;
    const done = (f, v) => {
      clearTimeout(timer);
      if (subscription !== null) provider.unsubscribe('author_extrinsicUpdate', 'author_unwatchExtrinsic', subscription).catch(() => {});
      f(v);
    };
    const timer = setTimeout(() => done(reject, new Error('timeout waiting for finality of a general transaction')), timeoutMs);
    provider
      .subscribe('author_extrinsicUpdate', 'author_submitAndWatchExtrinsic', [hex], (error, status) => {
        if (error) done(reject, error);
        else if (status && status.finalized) done(resolve, status.finalized);
        else if (status === 'invalid' || status === 'dropped' || (status && status.usurped)) {
          done(reject, new Error(`general transaction ${JSON.stringify(status)}`));
        }
      })
      .then((id) => {
        subscription = id;
      })
      .catch((e) => done(reject, e));
  });
  // The block's extrinsics as the node encodes them, to find ours by its bytes.
  const raw = await provider.send('chain_getBlock', [blockHash]);
  const index = raw.block.extrinsics.indexOf(hex);
  if (index < 0) throw new Error('general transaction not in its finalized block');
  const all = await api.query.system.events.at(blockHash);
  const events = all.filter((r) => r.phase.isApplyExtrinsic && r.phase.asApplyExtrinsic.toNumber() === index);
  const failed = events.find((r) => r.event.section === 'system' && r.event.method === 'ExtrinsicFailed');
  if (failed) throw new Error(`general transaction failed: ${errorName(api, failed.event.data.dispatchError)}`);
  return { blockHash, events };
}
