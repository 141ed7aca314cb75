// zombienet/upgrade.zndsl: a live runtime upgrade through the council, on the 4-validator network
// started from the previous release (spec 100, runtime/releases/):
// 1. on spec 100, a labeling job is under way: one package judged and accepted, one taken and
//    committed (deposits held), the job's budget in escrow;
// 2. the council (all three members: Root needs 3/4) passes
//    rootDispatch.dispatchAsRoot(system.authorizeUpgrade(hash of the new wasm)); Eve applies it
//    with system.applyAuthorizedUpgrade(code); the next block runs the new spec, whose migrations
//    move the jobs pallet's storage from version 0 to 1 (Job::workload) and the labelers pallet's
//    from 0 to 1 (Labeler::pending removed);
// 3. nothing else happens in between, and every job (with `workload: None` added), every
//    registration (without its pending counter), every hold, every account and the total
//    issuance are the same before and after the upgrade block;
// 4. the job finishes on the new runtime (reveals of the package committed on the old one,
//    settlement, claims), a job declaring a workload is created, and finality keeps going.
// Transactions go to alice (CROWDLABEL_WS), reads come from bob (CROWDLABEL_READ_WS).
import { readFileSync } from 'node:fs';
import { blake2AsHex, xxhashAsHex } from '@polkadot/util-crypto';
import { u8aToHex } from '@polkadot/util';
import { Metadata, TypeRegistry } from '@polkadot/types';
import {
  CROL, connect, assert, assertEq, findEvent, eventsOf, sendInBlock, council, qualifiedDomain, fund,
  takeAll, commitPackage, revealPackage, waitForBlock, claimRewards,
} from './lib.mjs';

const WRITE = process.env.CROWDLABEL_WS ?? 'ws://127.0.0.1:9961';
const READ = process.env.CROWDLABEL_READ_WS ?? WRITE;
const code = readFileSync(process.env.CROWDLABEL_NEW_WASM);
// The spec the upgrade brings (the runtime built from this tree).
const NEW_SPEC = 113;
const { api, keyring, dev } = await connect(WRITE);
const reader = READ === WRITE ? { api } : await connect(READ);
const rapi = reader.api;
const { alice, bob, charlie, eve, ferdie } = dev;
const tag = process.env.CROWDLABEL_RUN ?? String(Date.now());
const specOf = async (hash) => (await (hash ? rapi.rpc.state.getRuntimeVersion(hash) : rapi.rpc.state.getRuntimeVersion())).specVersion.toNumber();
const step = (msg) => console.log(`- ${msg}`);

// Everything the upgrade must not touch, at block `hash`, read raw from bob (no decoding: the
// block that sets the code already reports the new runtime's metadata, while its storage is
// still the old one). Returns `{ 'Pallet.Item': [[key, value]...] }`.
const ITEMS = [
  ['System', 'Account'], ['Balances', 'Holds'], ['Balances', 'TotalIssuance'], ['Jobs', 'JobDetails'],
  ['Jobs', 'CounterForJobDetails'], ['Jobs', 'Packages'], ['Jobs', 'Assignments'], ['Jobs', 'Workload'],
  ['Jobs', 'UnclaimedRewards'], ['Jobs', 'JobItems'], ['Labelers', 'Registrations'], ['Labelers', 'Reputation'],
  ['Labelers', 'Reliabilities'],
];
async function snapshot(hash) {
  await waitForBlock(rapi, hash);
  const out = {};
  for (const [pallet, item] of ITEMS) {
    const prefix = xxhashAsHex(pallet, 128) + xxhashAsHex(item, 128).slice(2);
    const entries = [];
    let start;
    for (;;) {
      const keys = await rapi.rpc.state.getKeysPaged(prefix, 500, start, hash);
      for (const k of keys) entries.push([k.toHex(), (await rapi.rpc.state.getStorage(k, hash)).toHex()]);
      if (keys.length < 500) break;
      start = keys[keys.length - 1];
    }
    out[`${pallet}.${item}`] = entries.sort();
  }
  return out;
}

// The events of block `hash`, decoded with the metadata of its parent's runtime (the runtime that
// executed the block) in a registry of their own. The API's cached registries are not used: when
// the API switches to a new runtime it re-initialises its registry in place, and a lookup racing
// with that switch can pair the old spec version with the new metadata (it once failed to decode
// the events of the block that sets the code: "Unable to decode storage system.events").
async function eventsWithParentMetadata(hash) {
  const parent = (await rapi.rpc.chain.getHeader(hash)).parentHash;
  const registry = new TypeRegistry();
  const metadata = new Metadata(registry, (await rapi.rpc.state.getMetadata(parent)).toHex());
  registry.setMetadata(metadata);
  const system = metadata.asLatest.pallets.find((p) => p.name.toString() === 'System');
  const entry = system.storage.unwrap().items.find((i) => i.name.toString() === 'Events');
  const key = xxhashAsHex('System', 128) + xxhashAsHex('Events', 128).slice(2);
  const raw = await rapi.rpc.state.getStorage(key, hash);
  return registry.createType(registry.createLookupType(entry.type.asPlain), raw.toHex());
}

// Submits `tx` signed by `signer` and returns the hash of the block that includes it, watching
// only the status (no event decoding, see the upgrade below).
async function submitWithoutEvents(tx, signer) {
  await tx.signAsync(signer);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout waiting for the upgrade\'s inclusion')), 120_000);
    api.rpc.author.submitAndWatchExtrinsic(tx, (status) => {
      if (status.isInBlock || status.isFinalized) {
        clearTimeout(timer);
        resolve(status.isInBlock ? status.asInBlock : status.asFinalized);
      } else if (status.isDropped || status.isInvalid || status.isUsurped) {
        clearTimeout(timer);
        reject(new Error(`system.applyAuthorizedUpgrade: ${status.type}`));
      }
    }).catch((e) => { clearTimeout(timer); reject(e); });
  });
}

try {
  const first = await specOf();
  assertEq(first, 100, 'the network starts on the previous release (spec 100)');
  step(`${WRITE}: spec ${first}, jobs storage version ${(await api.query.jobs.palletVersion()).toNumber()}`);

  // ---- 1. A job under way on spec 100.
  const crew = [0, 1, 2].map((i) => keyring.addFromUri(`//CrowdLabelUpgrade/${tag}/${i}`));
  await fund(api, alice, crew, 1_000n * CROL);
  const domain = await qualifiedDomain(api, alice, crew);
  const items = [1, 2, 3, 4].map((i) => '0x' + String(i).padStart(2, '0').repeat(32));
  let r = await sendInBlock(api, api.tx.jobs.createJob({ domain, items, redundancy: 3, packageSize: 2, budget: 300n * CROL, duration: 600, commitWindow: 200, revealWindow: 200, challenges: null }), ferdie);
  const job = findEvent(r.events, 'jobs', 'JobCreated').data.job.toNumber();
  const box = [{ Boxes: [{ xMin: 0, yMin: 0, xMax: 50, yMax: 50, class: 0 }] }, { Boxes: [{ xMin: 5, yMin: 5, xMax: 55, yMax: 55, class: 0 }] }];
  // Each labeler takes both packages (R = 3 labelers, 2 packages) and commits to both; only
  // package 0 is revealed (and judged) before the upgrade.
  const salts = [];
  for (const w of crew) {
    const taken = await takeAll(api, job, w);
    assertEq(taken.map((t) => t.package).sort().join(), '0,1', 'a slot in each package');
    const s = {};
    for (const t of taken) s[t.package] = (await commitPackage(api, job, t.package, w, box)).salt;
    salts.push(s);
  }
  const judged = 0;
  const open = 1;
  for (const [i, w] of crew.entries()) await revealPackage(api, job, judged, w, box, salts[i][judged]);
  assert((await api.query.jobs.packages(job, judged)).complete.isTrue, 'package 0 complete');
  step(`job ${job} on spec 100: package ${judged} accepted, package ${open} committed (deposits held)`);

  // ---- 2. The upgrade, through the council.
  const hash = blake2AsHex(code, 256);
  const authorize = api.tx.rootDispatch.dispatchAsRoot(api.tx.system.authorizeUpgrade(hash));
  const m = await council(api, authorize, [alice, bob, charlie]);
  assert(findEvent(m.events, 'system', 'UpgradeAuthorized'), 'system.UpgradeAuthorized');
  step(`council (Alice, Bob, Charlie): authorized code ${hash} (${code.length} bytes)`);
  r = { blockHash: await submitWithoutEvents(api.tx.system.applyAuthorizedUpgrade(u8aToHex(code)), eve) };
  // The events of the block that sets the code were written by spec 100, but the block's state
  // already holds the new code, so the API may switch to the new metadata before it decodes them
  // (a race that once left `sendInBlock` with no events). Hence the status-only submission, and
  // the events decoded with the metadata of the block's parent in a registry of their own.
  await waitForBlock(rapi, r.blockHash);
  const upgradeEvents = await eventsWithParentMetadata(r.blockHash);
  const failed = upgradeEvents.find(({ event }) => event.section === 'system' && event.method === 'ExtrinsicFailed');
  assert(!failed, `system.applyAuthorizedUpgrade failed: ${failed && failed.event.data.toString()}`);
  assert(findEvent(upgradeEvents, 'system', 'CodeUpdated'), 'system.CodeUpdated in the block that sets the code');
  const upgradeBlock = (await api.rpc.chain.getHeader(r.blockHash)).number.toNumber();
  // The block that sets the code was executed by spec 100 (its parent's code); its state holds
  // the new code and the old storage.
  const parent = (await rapi.rpc.chain.getHeader(r.blockHash)).parentHash;
  assertEq(await specOf(parent), 100, 'the block that sets the code runs spec 100');
  assertEq((await rapi.query.jobs.palletVersion.at(r.blockHash)).toNumber(), 0, 'storage not migrated yet');
  const before = await snapshot(r.blockHash);

  // The next block runs the new spec and migrates; nothing is submitted meanwhile.
  const nextHash = async () => {
    for (;;) {
      try {
        const h = await rapi.rpc.chain.getBlockHash(upgradeBlock + 1);
        if (!h.isEmpty) return h;
      } catch (_) { /* not yet */ }
      await new Promise((res) => setTimeout(res, 1000));
    }
  };
  const enacted = await nextHash();
  assertEq(await specOf(enacted), NEW_SPEC, `the next block runs spec ${NEW_SPEC}`);
  const migrated = await rapi.query.jobs.palletVersion.at(enacted);
  assertEq(migrated.toNumber(), 3, 'jobs storage version 3 after the upgrade');
  assertEq((await rapi.query.labelers.palletVersion.at(r.blockHash)).toNumber(), 0, 'labelers not migrated yet');
  assertEq((await rapi.query.labelers.palletVersion.at(enacted)).toNumber(), 3, 'labelers storage version 3 after the upgrade');
  const after = await snapshot(enacted);
  step(`block #${upgradeBlock + 1}: spec ${NEW_SPEC}, jobs storage version 3, labelers storage version 3`);

  // ---- 3. Nothing changed but the new field.
  const extrinsics = (await rapi.rpc.chain.getBlock(enacted)).block.extrinsics;
  assertEq(extrinsics.length, 1, 'the enacting block holds only the timestamp');
  // A migrated job is the old record with `workload: None` (one 0x00 byte) appended.
  const jobs = before['Jobs.JobDetails'];
  assert(jobs.length >= 1, 'there is a job to migrate');
  assertEq(JSON.stringify(after['Jobs.JobDetails']), JSON.stringify(jobs.map(([k, v]) => [k, v + '00'])), 'every job kept every byte, plus workload None');
  for (const [id, job] of await (await rapi.at(enacted)).query.jobs.jobDetails.entries()) {
    assert(job.unwrap().workload.isNone, `job ${id.args[0]} decodes on spec ${NEW_SPEC} with no workload`);
  }
  // A migrated registration is the old record without its trailing `pending` counter (a u32,
  // 4 bytes): the crew's counted the package they hold across the upgrade.
  const regs = before['Labelers.Registrations'];
  assert(regs.length >= 3, 'there are registrations to migrate');
  assertEq(JSON.stringify(after['Labelers.Registrations']), JSON.stringify(regs.map(([k, v]) => [k, v.slice(0, -8)])), 'every registration kept every byte but the pending counter');
  const counted = regs.filter(([, v]) => v.slice(-8) !== '00000000').length;
  assert(counted >= 3, 'the crew\'s registrations counted their open package before the upgrade');
  // A migrated workload entry is the old one with an empty idle stake (a u128: 16 zero bytes)
  // appended: the crew's entries for the package they hold across the upgrade.
  const work = before['Jobs.Workload'];
  assert(work.length >= 3, 'there are workload entries to migrate');
  assertEq(JSON.stringify(after['Jobs.Workload']), JSON.stringify(work.map(([k, v]) => [k, v + '00'.repeat(16)])), 'every workload entry kept every byte, plus an empty idle stake');
  // A migrated reputation entry is the old error statistics with the labeler's reliability
  // model of the same domain appended (`Some`: 0x01 and the model's bytes as they were in
  // `Reliabilities`, same hashed key; `None`: 0x00); a model without statistics gets empty
  // statistics (44 zero bytes); no model is left in `Reliabilities`.
  const reps = before['Labelers.Reputation'];
  const models = before['Labelers.Reliabilities'];
  const repPrefix = xxhashAsHex('Labelers', 128) + xxhashAsHex('Reputation', 128).slice(2);
  const relPrefix = xxhashAsHex('Labelers', 128) + xxhashAsHex('Reliabilities', 128).slice(2);
  const modelOf = new Map(models.map(([k, v]) => [k.slice(relPrefix.length), v.slice(2)]));
  assert(reps.length >= 3, 'there are reputation entries to migrate');
  const expected = reps.map(([k, v]) => {
    const m = modelOf.get(k.slice(repPrefix.length));
    return [k, v + (m === undefined ? '00' : '01' + m)];
  });
  for (const [suffix, m] of modelOf) {
    if (!reps.some(([k]) => k.slice(repPrefix.length) === suffix)) expected.push([repPrefix + suffix, '0x' + '00'.repeat(44) + '01' + m]);
  }
  expected.sort();
  assertEq(JSON.stringify(after['Labelers.Reputation']), JSON.stringify(expected), 'every reputation entry kept every byte, plus its model');
  assertEq(after['Labelers.Reliabilities'].length, 0, 'no model left apart');
  // A migrated package is the old one with no package-wide reveal deadline (`None`, one 0x00
  // byte) appended: the committed assignments of the package whose reveals opened on spec 100
  // keep theirs (Jobs.Assignments is unchanged below) and reveal in it.
  const pkgs = before['Jobs.Packages'];
  assert(pkgs.length >= 2, 'there are packages to migrate');
  assertEq(JSON.stringify(after['Jobs.Packages']), JSON.stringify(pkgs.map(([k, v]) => [k, v + '00'])), 'every package kept every byte, plus no reveal deadline');
  for (const key of Object.keys(before).filter((k) => !['Jobs.JobDetails', 'Labelers.Registrations', 'Jobs.Workload', 'Labelers.Reputation', 'Labelers.Reliabilities', 'Jobs.Packages'].includes(k))) {
    assertEq(JSON.stringify(after[key]), JSON.stringify(before[key]), `${key} unchanged across the upgrade`);
  }
  step(`across the upgrade: ${jobs.length} job(s), ${work.length} workload entries, ${regs.length} registrations (${counted} with a pending counter), ${pkgs.length} packages and ${reps.length} reputation entries (${models.length} reliability models moved in) migrated; ${before['Balances.Holds'].length} hold entries, ${before['System.Account'].length} accounts, the issuance, assignments unchanged`);

  // ---- 4. The job finishes on the new spec.
  const reveals = [];
  for (const [i, w] of crew.entries()) reveals.push(await revealPackage(api, job, open, w, box, salts[i][open]));
  const judgedNow = reveals.flatMap((x) => x.events);
  assertEq(eventsOf(judgedNow, 'jobs', 'PackageAccepted').length, 3, `labels committed on spec 100 judged on spec ${NEW_SPEC}`);
  r = await sendInBlock(api, api.tx.jobs.settleJob(job), eve);
  const settled = findEvent(r.events, 'jobs', 'JobSettled');
  assertEq(settled.data.paid.toBigInt(), 270n * CROL, 'the whole pay for the whole job');
  for (const w of crew) await claimRewards(api, w);
  // A job declaring a workload (new in the new spec): 4 items x 3 x 2 minutes at 1 CROL = 24 CROL pay.
  // (a client connecting now sees the version-2 runtime API)
  const fresh = await connect(READ);
  const least = await fresh.api.call.crowdLabelApi.workloadBudget(4, 3, 2, CROL);
  await fresh.api.disconnect();
  assert(least.isSome, 'the runtime API v2 answers');
  const spec = { domain, items, redundancy: 3, packageSize: 2, budget: least.unwrap().toBigInt(), duration: 300, commitWindow: 40, revealWindow: 40, challenges: null, workload: { minutesPerItem: 2, pricePerMinute: CROL } };
  r = await sendInBlock(api, api.tx.jobs.createJob(spec), ferdie);
  const j2 = findEvent(r.events, 'jobs', 'JobCreated').data.job.toNumber();
  const stored = (await api.query.jobs.jobDetails(j2)).unwrap();
  assertEq(stored.workload.unwrap().minutesPerItem.toNumber(), 2, 'the new job stores its workload');
  step(`job ${job} settled on spec ${NEW_SPEC} (270 CROL paid, rewards claimed); job ${j2} declares 2 minutes per item, budget ${least.unwrap().toString()} plancks`);

  // Finality went on across the upgrade.
  const finalized = (await rapi.rpc.chain.getHeader(await rapi.rpc.chain.getFinalizedHead())).number.toNumber();
  assert(finalized > upgradeBlock + 1, `finalized #${finalized} is past the upgrade block #${upgradeBlock}`);
  step(`finalized head #${finalized} (upgrade at #${upgradeBlock})`);
  console.log('upgrade: OK');
} finally {
  await api.disconnect();
  if (reader.api !== api) await rapi.disconnect();
}
