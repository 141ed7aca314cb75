// The whole CrowdLabel flow, end to end, with a real client:
// registration -> qualification -> job (with a hidden challenge item) -> packages assigned by the
// chain -> commit/reveal labels -> consensus and slash in the completing reveal -> replacement ->
// challenge reveal -> settlement (credited) -> reward claims -> data registry -> dataset ->
// purchase -> owner and labeler payouts -> inclusion proof.
//
// Transactions go to CROWDLABEL_WS; every check reads from CROWDLABEL_READ_WS (default: the same
// node) after that node has imported the block, through storage, the `crowdlabel_*` RPC methods
// and the runtime API (`api.call.crowdLabelApi`). On zombienet the two are different validators.
import { createHash } from 'node:crypto';
import { randomAsU8a } from '@polkadot/util-crypto';
import { u8aConcat, u8aToHex } from '@polkadot/util';
import {
  CROL, connect, assert, assertEq, findEvent, eventsOf, sendInBlock, sendAndFinalize, curate,
  qualifiedDomain, crowdlabelRpc, waitForBlock, palletAccount, labelJob, challengeCommitment, feeOf,
} from './lib.mjs';

const WRITE = process.env.CROWDLABEL_WS ?? 'ws://127.0.0.1:9944';
const READ = process.env.CROWDLABEL_READ_WS ?? WRITE;
const { api, keyring, dev, provider } = await connect(WRITE);
const reader = READ === WRITE ? null : await connect(READ);
const rapi = reader ? reader.api : api;
const rprov = reader ? reader.provider : provider;
const { alice, bob, charlie, dave, eve, ferdie } = dev;
const tag = process.env.CROWDLABEL_RUN ?? String(Date.now());
const owner2 = keyring.addFromUri(`//CrowdLabelOwner/${tag}`);
const buyer = keyring.addFromUri(`//CrowdLabelBuyer/${tag}`);
const TREASURY = await palletAccount(api, 'crl/trsy');

// Reads happen on the reader node at the block that holds the transaction.
async function readAt(res) {
  await waitForBlock(rapi, res.blockHash);
  return rapi.at(res.blockHash);
}
const rpc = (method, ...params) => crowdlabelRpc(rprov, method, ...params);
const free = async (at, who) => (await at.query.system.account(who)).data.free.toBigInt();
const step = (msg) => console.log(`- ${msg}`);

try {
  console.log(`submitting to ${WRITE}, reading from ${READ}`);
  // 0. Fresh actors: a second data owner and a buyer, funded by Alice.
  await sendInBlock(api, api.tx.balances.transferKeepAlive(owner2.address, 1_000n * CROL), alice);
  await sendInBlock(api, api.tx.balances.transferKeepAlive(buyer.address, 2_000n * CROL), alice);

  // 1-2. Registration and qualification of four labelers in a new box domain.
  const domain = await qualifiedDomain(api, alice, [charlie, dave, eve, ferdie]);
  const head = await api.rpc.chain.getFinalizedHead();
  await waitForBlock(rapi, head);
  const standing = await rpc('labeler', charlie.address, head.toHex());
  const inDomain = standing.domains.find((d) => d.domain === domain);
  assert(inDomain && inDomain.qualified, 'crowdlabel_labeler: Charlie qualified in the domain');
  step(`domain ${domain}: 4 labelers qualified (Charlie weight ${inDomain.weight}, read from the reader node)`);

  // 3. Data owners register the items (CIDv1 raw sha2-256 of the files' bytes).
  const files = [1, 2, 3, 4].map((i) => Buffer.from(`full-flow ${tag} scan #${i} `.repeat(50)));
  const hashes = files.map((b) => u8aToHex(createHash('sha256').update(b).digest()));
  const cids = hashes.map((h) => u8aToHex(u8aConcat(new Uint8Array([0x01, 0x55, 0x12, 0x20]), h)));
  await sendInBlock(api, api.tx.datasets.registerItems(domain, 'CC-BY-4.0', true, cids.slice(0, 3)), bob);
  let r = await sendInBlock(api, api.tx.datasets.registerItems(domain, 'CC-BY-SA-4.0', true, cids.slice(3)), owner2);
  let at = await readAt(r);
  assertEq((await at.query.datasets.dataItems(hashes[3])).unwrap().owner.toString(), owner2.address, 'item 4 owned by owner2');
  step('Bob registered 3 items, owner2 1 item');

  // 4. Job: 4 items, R = 3, packages of 2, budget 600 CROL; item 1 is a hidden challenge.
  const good = [
    { Boxes: [{ xMin: 0, yMin: 0, xMax: 100, yMax: 100, class: 0 }] },
    { Boxes: [{ xMin: 20, yMin: 20, xMax: 80, yMax: 90, class: 1 }] },
  ];
  const junk = [{ Boxes: [{ xMin: 500, yMin: 500, xMax: 600, yMax: 600, class: 1 }] }, { Boxes: [] }];
  const challengeAnswers = [[1, good[1]]];
  const challengeSalt = randomAsU8a(32);
  // The challenge list names the requester: blake2_256(SCALE((requester, answers, salt))).
  const challengeCommit = challengeCommitment(api, alice, challengeAnswers, challengeSalt);
  const challengeViaApi = await api.call.commitmentApi.challengeCommitment(alice.address, challengeAnswers, challengeSalt);
  assertEq(challengeViaApi.toHex(), challengeCommit, 'commitmentApi.challengeCommitment = the locally built commitment');
  r = await sendInBlock(api, api.tx.jobs.createJob({ domain, items: hashes, redundancy: 3, packageSize: 2, budget: 600n * CROL, duration: 400, commitWindow: 40, revealWindow: 40, challenges: challengeCommit }), alice);
  const created = findEvent(r.events, 'jobs', 'JobCreated').data;
  const job = created.job.toNumber();
  step(`job ${job}: 2 packages, R = 3, budget 600 CROL escrowed, storage deposit ${created.storageDeposit.toBigInt()} plancks`);

  // 5-6. The chain assigns the packages: Charlie, Dave and Ferdie take until no package is free
  // (one slot each in both packages). Ferdie's junk is slashed in the reveal that completes each
  // package; Charlie and Dave are accepted at once.
  r = await labelJob(api, job, [[charlie, good], [dave, good], [ferdie, junk]]);
  r.taken.forEach((t) => assertEq(t.map((x) => x.package).sort(), [0, 1], 'each crew member holds both packages'));
  const slashes = eventsOf(r.events, 'jobs', 'DepositSlashed');
  assertEq(slashes.map((e) => [e.data.labeler.toString(), e.data.reason.toString()]), [[ferdie.address, 'BadLabels'], [ferdie.address, 'BadLabels']], 'Ferdie slashed in both packages');
  assertEq(eventsOf(r.events, 'jobs', 'PackageAccepted').length, 4, 'Charlie and Dave accepted in both packages');
  assert(!findEvent(r.events, 'jobs', 'PackageCompleted'), 'no package complete yet');
  const slashed = slashes.reduce((a, e) => a + e.data.amount.toBigInt(), 0n);
  at = await readAt(r);
  let progress = await rpc('jobProgress', job, r.blockHash.toHex());
  assertEq(progress.packageProgress.map((p) => [p.takers, p.complete]), [[0, false], [0, false]], 'crowdlabel_jobProgress: nobody holds a package, none complete');
  assertEq((await at.query.jobs.packages(job, 0)).accepted.toNumber(), 2, 'package 0: 2 labels accepted (read from the reader node)');
  assertEq(BigInt(progress.fines), slashed, 'crowdlabel_jobProgress: fines = the slashed deposits');
  step(`Ferdie slashed 2 x ${slashed / 2n / CROL} CROL (1.5 x package value) to the treasury`);

  // Eve fills both free slots; her reveals complete the packages.
  r = await labelJob(api, job, [[eve, good]]);
  assertEq(r.taken[0].map((x) => x.package).sort(), [0, 1], 'Eve took both free slots');
  assertEq(eventsOf(r.events, 'jobs', 'PackageCompleted').length, 2, 'both packages complete');
  await readAt(r);
  progress = await rpc('jobProgress', job, r.blockHash.toHex());
  assertEq([progress.completedPackages, progress.labeledItems], [2, 4], 'both packages complete, 4 items labeled');
  const results = await rpc('jobResults', job, 0, 10, r.blockHash.toHex());
  assertEq(results.map((x) => x.label.boxes[0].xMin), [0, 20, 0, 20], 'consensus labels of the 4 items');

  // Challenge reveal (curator) and settlement: rewards are credited, then claimed.
  r = await curate(api, api.tx.jobs.revealChallenges(job, challengeAnswers, challengeSalt), alice);
  const ch = findEvent(r.events, 'jobs', 'ChallengesRevealed').data;
  assertEq([ch.checked.toNumber(), ch.wrong.toNumber()], [3, 0], 'challenge: 3 labels checked, all right');
  const labelers = [charlie, dave, eve, ferdie];
  r = await sendAndFinalize(api, api.tx.jobs.settleJob(job), alice);
  const settled = findEvent(r.events, 'jobs', 'JobSettled').data;
  const rewardCredits = eventsOf(r.events, 'jobs', 'RewardCredited');
  assertEq(rewardCredits.reduce((a, e) => a + e.data.amount.toBigInt(), 0n), settled.paid.toBigInt(), 'credited rewards sum to paid');
  assertEq(settled.paid.toBigInt() + settled.reserve.toBigInt() + settled.refunded.toBigInt(), 600n * CROL, 'budget conserved');
  assertEq(rewardCredits.map((e) => e.data.labeler.toString()).sort(), [charlie.address, dave.address, eve.address].sort(), 'Charlie, Dave and Eve credited, Ferdie not');
  step(`settled: ${settled.paid.toBigInt() / CROL} CROL credited to 3 labelers, reserve ${settled.reserve.toBigInt() / CROL} CROL`);
  for (const who of [charlie, dave, eve]) {
    const res = await sendInBlock(api, api.tx.jobs.claimRewards(), who);
    const a = await readAt(res);
    const b = await rapi.at((await rapi.rpc.chain.getHeader(res.blockHash)).parentHash);
    const pending = (await b.query.jobs.unclaimedRewards(who.address)).toBigInt();
    const claimed = findEvent(res.events, 'jobs', 'RewardsClaimed').data.amount.toBigInt();
    assertEq(claimed, pending, `${who.address} claimed every credited reward`);
    assertEq((await free(a, who.address)) - (await free(b, who.address)), pending - feeOf(res.events, who), `${who.address} received its rewards minus the fee`);
  }
  step('Charlie, Dave and Eve claimed their job rewards');

  // 7. Dataset: published by the requester; certificate and quote through RPC on the reader.
  r = await sendInBlock(api, api.tx.datasets.publishDataset(job, 400n * CROL), alice);
  const dataset = findEvent(r.events, 'datasets', 'DatasetPublished').data.dataset.toNumber();
  await readAt(r);
  const info = await rpc('dataset', dataset, r.blockHash.toHex());
  assertEq([info.items, info.quote, info.certificate.goldAccuracy, info.certificate.goldChecked, info.certificate.labelers,
    info.certificate.redundancy, info.certificate.challengeShare],
    [4, (400n * CROL).toString(), '1', 3, 3, 3, '0.25'], 'crowdlabel_dataset: items, quote, certificate (R = 3, 1 challenge item of 4)');
  step(`dataset ${dataset}: root ${info.root}, gold accuracy ${info.certificate.goldAccuracy}, mean agreement ${info.certificate.meanAgreement}`);

  // 8. Purchase: owners 40% (40 CROL per item), labelers 40% by a * W, treasury 20%.
  r = await sendAndFinalize(api, api.tx.datasets.purchaseDataset(dataset, 400n * CROL), buyer);
  at = await readAt(r);
  const parent = (await rapi.rpc.chain.getHeader(r.blockHash)).parentHash;
  const before = await rapi.at(parent);
  assertEq((await free(at, TREASURY)) - (await free(before, TREASURY)), 80n * CROL, 'treasury got the 20% reserve');
  const credits = Object.fromEntries(
    [...eventsOf(r.events, 'datasets', 'OwnerCredited'), ...eventsOf(r.events, 'datasets', 'LabelerCredited')]
      .map((e) => [(e.data.owner ?? e.data.labeler).toString(), e.data.amount.toBigInt()]),
  );
  assertEq(credits[bob.address], 120n * CROL, 'Bob credited 3 x 40 CROL');
  assertEq(credits[owner2.address], 40n * CROL, 'owner2 credited 40 CROL');
  const labelerCredits = labelers.map((w) => credits[w.address] ?? 0n);
  assertEq(labelerCredits.reduce((a, b) => a + b, 0n), 160n * CROL, 'labelers credited 40% in total');
  assertEq(labelerCredits[3], 0n, 'Ferdie gets nothing from the sale');
  // Earlier sales may have left Bob unclaimed payouts: compare with the block before.
  const report = await rpc('ownerSales', bob.address, null, r.blockHash.toHex());
  const reportBefore = await rpc('ownerSales', bob.address, null, parent.toHex());
  assertEq([BigInt(report.unclaimed) - BigInt(reportBefore.unclaimed), report.sales[0].dataset, report.sales[0].items, report.sales[0].buyer],
    [120n * CROL, dataset, 3, buyer.address], 'crowdlabel_ownerSales: Bob sees the sale and 120 CROL more unclaimed');
  step('purchase split: Bob 120, owner2 40, labelers 160, treasury 80 CROL');

  // 9. Owners and labelers claim: each gets exactly what was unclaimed (this sale's credit plus
  // anything left from earlier sales).
  for (const who of [bob, owner2, charlie, dave, eve]) {
    const res = await sendInBlock(api, api.tx.datasets.claimPayouts(), who);
    const a = await readAt(res);
    const b = await rapi.at((await rapi.rpc.chain.getHeader(res.blockHash)).parentHash);
    const pending = (await b.query.datasets.unclaimed(who.address)).unwrap().toBigInt();
    assert(pending >= credits[who.address], `${who.address}: unclaimed includes this sale's credit`);
    const claimed = findEvent(res.events, 'datasets', 'PayoutClaimed').data.amount.toBigInt();
    assertEq(claimed, pending, `${who.address} claimed everything pending`);
    assertEq((await free(a, who.address)) - (await free(b, who.address)), pending - feeOf(res.events, who), `${who.address} received its payouts`);
  }
  const after = await rpc('ownerSales', bob.address, null, null);
  assertEq(after.unclaimed, '0', 'nothing left to claim');
  step('all five beneficiaries claimed their exact credits');

  // 10. Inclusion proof from the reader node, verified by RPC and by the runtime API.
  const proof = await rpc('inclusionProof', dataset, 2, null);
  assertEq(proof.item, hashes[2], 'leaf 2 is item 3');
  assert(await rpc('verifyInclusion', dataset, 2, proof.item, proof.label, proof.proof, null), 'crowdlabel_verifyInclusion accepts the proof');
  const viaCall = await rapi.call.crowdLabelApi.verifyInclusion(dataset, 2, proof.item, proof.label, proof.proof);
  assert(viaCall.isTrue, 'api.call.crowdLabelApi.verifyInclusion accepts the proof');
  assert(!(await rpc('verifyInclusion', dataset, 1, proof.item, proof.label, proof.proof, null)), 'wrong leaf index rejected');
  step(`inclusion proof of leaf 2 (${proof.proof.length} hashes) verified via RPC and runtime API`);
  console.log('FULL FLOW OK');
} finally {
  await api.disconnect();
  if (reader) await reader.api.disconnect();
}
