// Jobs pallet end to end: a requester escrows a budget; four qualified labelers label two
// packages (R = 3) with commit-reveal; Ferdie's labels are bad: his deposit is slashed to the
// treasury and Charlie takes over; the job is settled and every payout is checked to the unit.
import { connect, assert, assertEq, findEvent, eventsOf, sendInBlock, sendAndFinalize, qualifiedDomain, labelPackage as labelPackageWith } from './lib.mjs';

const CROL = 10n ** 12n;
const { api, dev } = await connect();
const { alice, charlie, dave, eve, ferdie } = dev;
const free = async (who, at) => (at ? await api.query.system.account.at(at, who) : await api.query.system.account(who)).data.free.toBigInt();

try {
  const domain = await qualifiedDomain(api, alice, [charlie, dave, eve, ferdie]);
  console.log(`domain ${domain}: Charlie, Dave, Eve and Ferdie qualified`);

  // 4 items, R = 3, packages of 2, budget 1000 CROL: reserve 100, pay 900; each labeling of a
  // package is worth 900 * 2 / 12 = 150 CROL, the deposit 225 CROL.
  const items = [1, 2, 3, 4].map((i) => '0x' + String(i).padStart(2, '0').repeat(32));
  let r = await sendInBlock(api, api.tx.jobs.createJob(domain, items, 3, 2, 1000n * CROL, 300, 40, 40, null), alice);
  const job = findEvent(r.events, 'jobs', 'JobCreated').data.job.toNumber();
  console.log(`job ${job} created`);

  const honest = [
    { Boxes: [{ xMin: 0, yMin: 0, xMax: 100, yMax: 100, class: 0 }] },
    { Boxes: [{ xMin: 10, yMin: 10, xMax: 60, yMax: 60, class: 1 }] },
  ];
  const nearly = [
    { Boxes: [{ xMin: 2, yMin: 2, xMax: 102, yMax: 102, class: 0 }] },
    { Boxes: [{ xMin: 11, yMin: 11, xMax: 61, yMax: 61, class: 1 }] },
  ];
  const junk = [
    { Boxes: [{ xMin: 700, yMin: 700, xMax: 800, yMax: 800, class: 0 }] },
    { Boxes: [] },
  ];

  // Every take holds 1.5 x the package's value.
  async function labelPackage(pkg, crew) {
    const res = await labelPackageWith(api, job, pkg, crew, alice, { final: true });
    res.taken.forEach((t) => assertEq(t.data.deposit.toBigInt(), 225n * CROL, 'deposit = 1.5 x package value'));
    return res;
  }

  // Package 0: Dave and Eve honest, Ferdie junk -> Ferdie slashed.
  const ferdieBefore = await free(ferdie.address);
  r = await labelPackage(0, [[dave, honest], [eve, nearly], [ferdie, junk]]);
  const slash = findEvent(r.events, 'jobs', 'DepositSlashed');
  assert(slash, 'DepositSlashed event');
  assertEq(slash.data.labeler.toString(), ferdie.address, 'Ferdie slashed');
  assertEq(slash.data.amount.toBigInt(), 225n * CROL, 'slashed amount');
  assert(!findEvent(r.events, 'jobs', 'PackageCompleted'), 'package 0 not complete yet');
  const ferdieAfter = await free(ferdie.address);
  // Ferdie paid the deposit (held, then forfeited) plus fees: at least 225 CROL gone for good.
  assert(ferdieBefore - ferdieAfter >= 225n * CROL, 'Ferdie lost the deposit');
  console.log('Ferdie slashed 225 CROL; his slot is free again');

  // Charlie replaces Ferdie; the package completes.
  r = await labelPackage(0, [[charlie, honest]]);
  assert(findEvent(r.events, 'jobs', 'PackageCompleted'), 'package 0 complete');
  assertEq(eventsOf(r.events, 'jobs', 'ConsensusReached').length, 2, 'consensus for both items');
  r = await labelPackage(1, [[charlie, honest], [dave, honest], [eve, nearly]]);
  assert(findEvent(r.events, 'jobs', 'PackageCompleted'), 'package 1 complete');

  // Settle: Briko eq. 4 over a * W, reserve to the treasury, nothing to refund.
  const labelers = [charlie, dave, eve, ferdie];
  const before = await Promise.all(labelers.map((w) => free(w.address)));
  const aliceBefore = await free(alice.address);
  r = await sendAndFinalize(api, api.tx.jobs.settleJob(job), alice);
  const settled = findEvent(r.events, 'jobs', 'JobSettled');
  assertEq(settled.data.paid.toBigInt(), 900n * CROL, 'paid = budget - reserve');
  assertEq(settled.data.reserve.toBigInt(), 100n * CROL, 'reserve');
  assertEq(settled.data.refunded.toBigInt(), 0n, 'refund');
  const rewards = Object.fromEntries(eventsOf(r.events, 'jobs', 'RewardPaid').map((e) => [e.data.labeler.toString(), e.data.amount.toBigInt()]));
  const after = await Promise.all(labelers.map((w) => free(w.address, r.blockHash)));
  let sum = 0n;
  labelers.forEach((w, i) => {
    const got = after[i] - before[i];
    assertEq(got, rewards[w.address] ?? 0n, `balance change of ${w.meta?.name ?? w.address} equals its RewardPaid`);
    sum += got;
  });
  assertEq(sum, 900n * CROL, 'sum of rewards is exactly Pay');
  assertEq(rewards[ferdie.address] ?? 0n, 0n, 'Ferdie earned nothing');
  assert(rewards[dave.address] > 0n && rewards[eve.address] > 0n && rewards[charlie.address] > 0n, 'honest labelers paid');
  const escrow = (await api.query.balances.holds.at(r.blockHash, alice.address)).filter((h) => JSON.stringify(h.id.toHuman()).includes('JobEscrow'));
  assertEq(escrow.length, 0, 'no escrow left');
  const aliceAfter = await free(alice.address, r.blockHash);
  assert(aliceAfter < aliceBefore, 'Alice only paid the settle fee');
  console.log(`rewards: Charlie ${rewards[charlie.address]}, Dave ${rewards[dave.address]}, Eve ${rewards[eve.address]} plancks; reserve 100 CROL`);
  console.log('JOB OK');
} finally {
  await api.disconnect();
}
