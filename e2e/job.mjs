// Jobs pallet end to end, with the rules of issue 11:
// 1. create_job refuses R < 3, windows longer than the job and labelings worth less than the
//    existential deposit; a job holds its budget in escrow plus a storage deposit.
// 2. A job of 2 packages, R = 3: Dave, Eve and Ferdie each take packages until NoFreePackage
//    (the pallet assigns them: each ends up with one slot in both packages, Charlie finds none).
//    Eve's copy of Dave's commitment is refused; reveals open only when every slot committed.
//    Ferdie's labels are junk: the reveal that completes each package judges it, Dave and Eve
//    are accepted at once, Ferdie's deposits are slashed. Charlie fills both free slots, his
//    reveals complete the packages. Settlement credits the rewards (nobody's balance moves);
//    each labeler claims them; every payout is checked to the unit, fees included.
// 3. Deadlines (expire_assignment): a taker who never commits and a committer who never reveals
//    forfeit their deposits; after a cancellation the revealed labels left waiting are judged
//    (too few to slash: accepted and paid), the rest of the budget is refunded.
// 4. A take whose windows would end after the job's deadline is refused (TooLateToTake).
// 5. One account holds at most MaxOpenPerLabeler unjudged packages of a job, whether taken one
//    by one or with one `takePackages(job, n)` (distinct packages, one hold); after a
//    cancellation, work that can no longer fill (taken, or committed with reveals never opened)
//    is released with its deposit, and the whole budget is refunded.
// 6. Idle stakes: an accepted deposit stays held while its labeler holds another package of
//    the job, released with the last one or on request (`releaseIdleStake`).
import {
  CROL, connect, assert, assertEq, findEvent, eventsOf, sendInBlock, sendAndFinalize, qualifiedDomain, expectError, curate,
  takeAll, takePackage, commitPackage, revealPackage, revealCall, labelJob, latest, claimRewards, freeOf, heldFor, palletAccount,
  blockNumber, waitForHeight,
} from './lib.mjs';

const { api, dev } = await connect();
const { alice, charlie, dave, eve, ferdie } = dev;
const TREASURY = await palletAccount(api, 'crl/trsy');
const JOBS = await palletAccount(api, 'crl/jobs');
const name = (w) => ({ [charlie.address]: 'Charlie', [dave.address]: 'Dave', [eve.address]: 'Eve', [ferdie.address]: 'Ferdie' })[w.address ?? w] ?? String(w);
const parentOf = async (hash) => (await api.rpc.chain.getHeader(hash)).parentHash;
const item = (i) => '0x' + String(i).padStart(2, '0').repeat(32);

try {
  const domain = await qualifiedDomain(api, alice, [charlie, dave, eve, ferdie]);
  console.log(`domain ${domain}: Charlie, Dave, Eve and Ferdie qualified`);

  // ---- 0. The slash floor lives in the jobs pallet (its only reader): default 50 %, curator-set.
  assertEq(api.consts.jobs.defaultSlashFloor.toNumber(), 500_000_000, 'default slash floor 50 %');
  assert((await api.query.jobs.slashFloors(domain)).isNone, 'no floor set yet');
  const floorSet = await curate(api, api.tx.jobs.setSlashFloor(domain, 500_000_000), alice);
  assert(findEvent(floorSet.events, 'jobs', 'SlashFloorSet'), 'SlashFloorSet emitted');
  assertEq((await api.query.jobs.slashFloors(domain)).unwrap().toNumber(), 500_000_000, 'floor stored');
  console.log('the curator set the domain\'s slash floor to 50 % (jobs.setSlashFloor)');

  // ---- 1. Job parameters.
  const items = [1, 2, 3, 4].map(item);
  await expectError(sendInBlock(api, api.tx.jobs.createJob({ domain, items, redundancy: 2, packageSize: 2, budget: 1000n * CROL, duration: 300, commitWindow: 40, revealWindow: 40, challenges: null }), alice),
    'jobs.BadRedundancy', 'R = 2 refused');
  await expectError(sendInBlock(api, api.tx.jobs.createJob({ domain, items, redundancy: 3, packageSize: 2, budget: 1000n * CROL, duration: 60, commitWindow: 40, revealWindow: 40, challenges: null }), alice),
    'jobs.WindowsExceedDuration', 'commit + reveal windows longer than the job refused');
  // 12 labelings of 2 items share 0.9 x budget: below 1 milli-CROL (the existential deposit) each.
  await expectError(sendInBlock(api, api.tx.jobs.createJob({ domain, items, redundancy: 3, packageSize: 2, budget: 10n ** 9n, duration: 300, commitWindow: 40, revealWindow: 40, challenges: null }), alice),
    'jobs.BudgetTooSmall', 'labelings worth less than the existential deposit refused');
  console.log('create_job refuses R = 2, windows longer than the job and a dust budget');

  // 4 items, R = 3, packages of 2, budget 1000 CROL: reserve 100, pay 900; each labeling of a
  // package is worth 900 * 2 / 12 = 150 CROL, the deposit 225 CROL.
  let r = await sendInBlock(api, api.tx.jobs.createJob({ domain, items, redundancy: 3, packageSize: 2, budget: 1000n * CROL, duration: 300, commitWindow: 40, revealWindow: 40, challenges: null }), alice);
  const created = findEvent(r.events, 'jobs', 'JobCreated').data;
  const job = created.job.toNumber();
  const storageDeposit = created.storageDeposit.toBigInt();
  const perByte = api.consts.jobs.storageDepositPerByte.toBigInt();
  assertEq(created.packages.toNumber(), 2, 'two packages');
  assert(storageDeposit > 0n && storageDeposit % perByte === 0n, `storage deposit ${storageDeposit} is a whole number of bytes at ${perByte} per byte`);
  let parent = await parentOf(r.blockHash);
  assertEq((await heldFor(api, alice, 'Jobs', 'JobEscrow', r.blockHash)) - (await heldFor(api, alice, 'Jobs', 'JobEscrow', parent)), 1000n * CROL, 'budget escrowed');
  assertEq((await heldFor(api, alice, 'Jobs', 'JobStorage', r.blockHash)) - (await heldFor(api, alice, 'Jobs', 'JobStorage', parent)), storageDeposit, 'storage deposit held');
  console.log(`job ${job} created: 1000 CROL escrowed, storage deposit ${storageDeposit} plancks (${storageDeposit / perByte} bytes)`);

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

  // ---- 2. Assignment: the crew of R takes until no package is free.
  const ferdieBefore = await freeOf(api, ferdie);
  const crew = [[dave, honest], [eve, nearly], [ferdie, junk]];
  const taken = await Promise.all(crew.map(([w]) => takeAll(api, job, w)));
  crew.forEach(([w], i) => {
    assertEq(taken[i].map((t) => t.package).sort(), [0, 1], `${name(w)} holds one slot in each package`);
    taken[i].forEach((t) => assertEq(t.deposit, 225n * CROL, 'deposit = 1.5 x package value'));
  });
  await expectError(sendInBlock(api, api.tx.jobs.takePackage(job), charlie), 'jobs.NoFreePackage', 'Charlie finds no free slot');
  console.log('Dave, Eve and Ferdie were assigned both packages (225 CROL deposit each); Charlie finds none');

  // Commits. Eve cannot copy Dave's commitment; nobody reveals before every slot is committed.
  const salts = new Map();
  const commit = async (w, labels, pkg) => {
    const c = await commitPackage(api, job, pkg, w, labels);
    salts.set(`${w.address}/${pkg}`, c.salt);
    return c;
  };
  const daveCommits = [await commit(dave, honest, 0), await commit(dave, honest, 1)];
  // Users of polkadot.js apps build the same commitment with the runtime API (Developer ->
  // Runtime calls -> commitmentApi.labelCommitment).
  const viaApi = await api.call.commitmentApi.labelCommitment(dave.address, job, 0, honest, salts.get(`${dave.address}/0`));
  assertEq(viaApi.toHex(), daveCommits[0].commitment, 'commitmentApi.labelCommitment = the locally built commitment');
  console.log(`commitmentApi.labelCommitment gives Dave's commitment ${viaApi.toHex().slice(0, 18)}...`);
  await expectError(sendInBlock(api, api.tx.jobs.commitLabels(job, 0, daveCommits[0].commitment), eve),
    'jobs.DuplicateCommitment', 'a copied commitment is refused');
  await expectError(revealPackage(api, job, 0, dave, honest, salts.get(`${dave.address}/0`)), 'jobs.RevealNotOpen', 'no reveal before every slot is committed');
  const lastCommits = await Promise.all([[eve, nearly], [ferdie, junk]].map(async ([w, labels]) => [await commit(w, labels, 0), await commit(w, labels, 1)]));
  const opened = lastCommits.flat().flatMap((c) => eventsOf(c.events, 'jobs', 'RevealsOpened'));
  assertEq(opened.map((e) => e.data.package.toNumber()).sort(), [0, 1], 'RevealsOpened once per package, with its last commit');
  console.log('Eve\'s copy of Dave\'s commitment was refused (DuplicateCommitment); reveals opened after the last commits');

  // A reveal is charged up front for a judgement of as many labels as its witness names: one
  // below the job's R (3) is refused, before anything is written.
  await expectError(sendInBlock(api, revealCall(api, job, 0, honest, salts.get(`${dave.address}/0`), 2), dave),
    'jobs.RedundancyWitnessTooLow', 'a reveal understating the job\'s redundancy is refused');
  console.log('Dave\'s reveal with a redundancy witness of 2 (the job\'s R is 3) was refused (RedundancyWitnessTooLow)');

  // Reveals: the last reveal of each package judges it.
  const reveals = await Promise.all(crew.map(async ([w, labels]) => [
    await revealPackage(api, job, 0, w, labels, salts.get(`${w.address}/0`)),
    await revealPackage(api, job, 1, w, labels, salts.get(`${w.address}/1`)),
  ]));
  let events = reveals.flat().flatMap((x) => x.events);
  const accepted = eventsOf(events, 'jobs', 'PackageAccepted').map((e) => `${name(e.data.labeler.toString())}/${e.data.package}`).sort();
  assertEq(accepted, ['Dave/0', 'Dave/1', 'Eve/0', 'Eve/1'], 'Dave and Eve accepted at once in both packages');
  const slashes = eventsOf(events, 'jobs', 'DepositSlashed');
  assertEq(slashes.map((e) => `${name(e.data.labeler.toString())}/${e.data.package}/${e.data.reason.toString()}`).sort(),
    ['Ferdie/0/BadLabels', 'Ferdie/1/BadLabels'], 'Ferdie slashed in both packages for bad labels');
  slashes.forEach((e) => assertEq(e.data.amount.toBigInt(), 225n * CROL, 'slashed amount'));
  assert(!findEvent(events, 'jobs', 'PackageCompleted'), 'no package complete yet');
  const judged = await latest(api, reveals.flat());
  for (const p of [0, 1]) {
    const pkg = await api.query.jobs.packages.at(judged.blockHash, job, p);
    assertEq([pkg.accepted.toNumber(), pkg.takers.toNumber(), pkg.complete.isTrue], [2, 0, false], `package ${p}: 2 accepted, 1 free slot`);
  }
  // Ferdie paid two deposits (held, then forfeited) plus fees: at least 450 CROL gone for good.
  assert(ferdieBefore - (await freeOf(api, ferdie, judged.blockHash)) >= 450n * CROL, 'Ferdie lost both deposits');
  assertEq(await heldFor(api, dave, 'Jobs', 'PackageDeposit', judged.blockHash), 0n, 'Dave\'s package deposits released at once');
  // ... but kept at stake while Ferdie may appeal the judgements that slashed him.
  assertEq(await heldFor(api, dave, 'Jobs', 'AppealStake', judged.blockHash), 450n * CROL, 'Dave\'s deposits at stake for the appeal window');
  console.log('the completing reveals judged both packages: Dave and Eve accepted, Ferdie slashed 2 x 225 CROL');

  // Charlie fills both free slots; his reveals complete the packages.
  const rest = await labelJob(api, job, [[charlie, honest]]);
  assertEq(rest.taken[0].map((t) => t.package).sort(), [0, 1], 'Charlie was assigned both free slots');
  assertEq(eventsOf(rest.events, 'jobs', 'PackageCompleted').map((e) => e.data.package.toNumber()).sort(), [0, 1], 'both packages complete');
  assertEq(eventsOf(rest.events, 'jobs', 'ConsensusReached').map((e) => e.data.item.toNumber()).sort(), [0, 1, 2, 3], 'consensus for the 4 items');
  assertEq(eventsOf(rest.events, 'jobs', 'PackageAccepted').length, 2, 'Charlie accepted twice');
  console.log('Charlie replaced Ferdie in both packages; both complete');

  // Settle: Briko eq. 4 over a * W, credited; reserve to the treasury, nothing to refund.
  const labelers = [charlie, dave, eve, ferdie];
  r = await sendAndFinalize(api, api.tx.jobs.settleJob(job), alice);
  parent = await parentOf(r.blockHash);
  const settled = findEvent(r.events, 'jobs', 'JobSettled').data;
  assertEq(settled.paid.toBigInt(), 900n * CROL, 'paid = budget - reserve');
  assertEq(settled.reserve.toBigInt(), 100n * CROL, 'reserve');
  assertEq(settled.refunded.toBigInt(), 0n, 'refund');
  assert(!findEvent(r.events, 'jobs', 'RewardPaid'), 'no direct payment at settlement');
  const credited = Object.fromEntries(eventsOf(r.events, 'jobs', 'RewardCredited').map((e) => [e.data.labeler.toString(), e.data.amount.toBigInt()]));
  assertEq(Object.values(credited).reduce((a, b) => a + b, 0n), 900n * CROL, 'credited rewards sum to Pay exactly');
  assertEq(credited[ferdie.address] ?? 0n, 0n, 'Ferdie earned nothing');
  assert(credited[dave.address] > 0n && credited[eve.address] > 0n && credited[charlie.address] > 0n, 'honest labelers credited');
  for (const w of labelers) {
    assertEq((await freeOf(api, w, r.blockHash)) - (await freeOf(api, w, parent)), 0n, `${name(w)}'s balance does not move at settlement`);
  }
  assertEq((await heldFor(api, JOBS, 'Jobs', 'UnclaimedReward', r.blockHash)) - (await heldFor(api, JOBS, 'Jobs', 'UnclaimedReward', parent)), 900n * CROL, 'rewards held on the jobs pallet account');
  assertEq((await freeOf(api, TREASURY, r.blockHash)) - (await freeOf(api, TREASURY, parent)), 100n * CROL, 'treasury got the reserve');
  assertEq(await heldFor(api, alice, 'Jobs', 'JobEscrow', r.blockHash), 0n, 'no escrow left');
  assert((await heldFor(api, alice, 'Jobs', 'JobStorage', r.blockHash)) >= storageDeposit, 'the storage deposit stays held until the job is pruned');
  console.log(`credited: Charlie ${credited[charlie.address]}, Dave ${credited[dave.address]}, Eve ${credited[eve.address]} plancks; reserve 100 CROL`);

  // Each labeler claims: the balance grows by the credit minus the claim's fee.
  for (const w of [charlie, dave, eve]) {
    const c = await claimRewards(api, w);
    assert(c.claimed >= credited[w.address], `${name(w)} claimed at least this job's credit`);
    assert(c.fee > 0n, 'the claim paid a fee');
  }
  await expectError(sendInBlock(api, api.tx.jobs.claimRewards(), ferdie), 'jobs.NothingToClaim', 'Ferdie has nothing to claim');
  console.log('Charlie, Dave and Eve claimed their rewards (balance change = credit - fee)');

  // ---- 3. Deadlines. One package of 2 items, R = 3, commit window 6 blocks, reveal window 10; budget 30 CROL:
  // each labeling is worth 27 * 2 / 6 = 9 CROL, the deposit 13.5 CROL.
  r = await sendInBlock(api, api.tx.jobs.createJob({ domain, items: [5, 6].map(item), redundancy: 3, packageSize: 2, budget: 30n * CROL, duration: 80, commitWindow: 6, revealWindow: 10, challenges: null }), alice);
  const job2 = findEvent(r.events, 'jobs', 'JobCreated').data.job.toNumber();
  const takes = await Promise.all([dave, eve, ferdie].map((w) => takePackage(api, job2, w)));
  takes.forEach((t) => assertEq([t.package, t.deposit], [0, 13_500_000_000_000n], 'the only package, 13.5 CROL deposit'));
  const daveTake = takes[0];
  const commits2 = await Promise.all([[eve, honest], [ferdie, honest]].map(([w, l]) => commitPackage(api, job2, 0, w, l)));
  await expectError(sendInBlock(api, api.tx.jobs.expireAssignment(job2, 0, dave.address), alice), 'jobs.NotExpired', 'Dave is within his commit window');
  // Dave never commits: after his commit window anyone expires him.
  await waitForHeight(api, (await blockNumber(api, daveTake.blockHash)) + 7);
  r = await sendInBlock(api, api.tx.jobs.expireAssignment(job2, 0, dave.address), alice);
  let slash = findEvent(r.events, 'jobs', 'DepositSlashed').data;
  assertEq([slash.labeler.toString(), slash.reason.toString(), slash.amount.toBigInt()], [dave.address, 'MissedCommit', 13_500_000_000_000n], 'Dave slashed for a missed commit');
  // Charlie takes the freed slot; his commit opens the reveals.
  const charlieTake = await takePackage(api, job2, charlie);
  assertEq(charlieTake.package, 0, 'Charlie took the freed slot');
  const charlieCommit = await commitPackage(api, job2, 0, charlie, honest);
  const open = findEvent(charlieCommit.events, 'jobs', 'RevealsOpened');
  assert(open, 'the last commit opened the reveals');
  const revealBy = open.data.revealBy.toNumber();
  // Eve and Charlie reveal; Ferdie does not and is slashed after the reveal window.
  await revealPackage(api, job2, 0, eve, honest, commits2[0].salt);
  r = await revealPackage(api, job2, 0, charlie, honest, charlieCommit.salt);
  assert(!findEvent(r.events, 'jobs', 'PackageAccepted'), 'not judged while Ferdie may still reveal');
  await expectError(sendInBlock(api, api.tx.jobs.expireAssignment(job2, 0, ferdie.address), alice), 'jobs.NotExpired', 'Ferdie is within his reveal window');
  await waitForHeight(api, revealBy + 1);
  r = await sendInBlock(api, api.tx.jobs.expireAssignment(job2, 0, ferdie.address), alice);
  slash = findEvent(r.events, 'jobs', 'DepositSlashed').data;
  assertEq([slash.labeler.toString(), slash.reason.toString()], [ferdie.address, 'MissedReveal'], 'Ferdie slashed for a missed reveal');
  // The requester cancels: no new takes, but the revealed labels are still judged and paid.
  r = await sendInBlock(api, api.tx.jobs.cancelJob(job2), alice);
  assert(findEvent(r.events, 'jobs', 'JobCancelled'), 'JobCancelled');
  await expectError(sendInBlock(api, api.tx.jobs.takePackage(job2), dave), 'jobs.JobNotOpen', 'no take after the cancellation');
  await expectError(sendInBlock(api, api.tx.jobs.settleJob(job2), alice), 'jobs.AssignmentsOpen', 'no settlement while revealed labels wait');
  r = await sendInBlock(api, api.tx.jobs.expireAssignment(job2, 0, eve.address), alice);
  assertEq(eventsOf(r.events, 'jobs', 'PackageAccepted').map((e) => name(e.data.labeler.toString())).sort(), ['Charlie', 'Eve'],
    'the waiting revealed labels are judged (2 < 3 labels: accepted, nobody slashed)');
  assert(!findEvent(r.events, 'jobs', 'DepositSlashed'), 'nobody slashed by the closing judgement');
  // Settlement: 4 of 6 labelings accepted -> pay 27 * 4/6 = 18, reserve 3 * 4/6 = 2, refund 10.
  r = await sendInBlock(api, api.tx.jobs.settleJob(job2), alice);
  const s2 = findEvent(r.events, 'jobs', 'JobSettled').data;
  assertEq([s2.paid.toBigInt(), s2.reserve.toBigInt(), s2.refunded.toBigInt()], [18n * CROL, 2n * CROL, 10n * CROL], 'job 2: paid, reserve, refund');
  const credited2 = eventsOf(r.events, 'jobs', 'RewardCredited').map((e) => name(e.data.labeler.toString())).sort();
  assertEq(credited2, ['Charlie', 'Eve'], 'Eve and Charlie credited');
  console.log(`job ${job2}: Dave slashed (missed commit), Ferdie slashed (missed reveal), cancelled; Eve and Charlie judged and paid 18 CROL, 10 CROL refunded`);

  // ---- 4. Too late to take: the windows (5 + 5 blocks) fill the whole job (10 blocks).
  r = await sendInBlock(api, api.tx.jobs.createJob({ domain, items: [item(7)], redundancy: 3, packageSize: 1, budget: 10n * CROL, duration: 10, commitWindow: 5, revealWindow: 5, challenges: null }), alice);
  const job3 = findEvent(r.events, 'jobs', 'JobCreated').data.job.toNumber();
  await expectError(sendInBlock(api, api.tx.jobs.takePackage(job3), charlie), 'jobs.TooLateToTake', 'a take whose windows end after the deadline');
  await sendInBlock(api, api.tx.jobs.cancelJob(job3), alice);
  r = await sendInBlock(api, api.tx.jobs.settleJob(job3), alice);
  assertEq(findEvent(r.events, 'jobs', 'JobSettled').data.refunded.toBigInt(), 10n * CROL, 'job 3 refunded in full');
  console.log(`job ${job3}: take refused (TooLateToTake), cancelled and refunded`);

  // ---- 5. Five single-item packages, R = 3, budget 50 CROL: each labeling is worth 3 CROL,
  // the deposit 4.5 CROL.
  const maxOpen = api.consts.jobs.maxOpenPerLabeler.toNumber();
  assert(maxOpen < 5, `MaxOpenPerLabeler ${maxOpen} below the 5 packages of the job`);
  r = await sendInBlock(api, api.tx.jobs.createJob({ domain, items: [8, 9, 10, 11, 12].map(item), redundancy: 3, packageSize: 1, budget: 50n * CROL, duration: 300, commitWindow: 40, revealWindow: 40, challenges: null }), alice);
  const job4 = findEvent(r.events, 'jobs', 'JobCreated').data.job.toNumber();
  const mine = await takeAll(api, job4, charlie);
  assertEq(mine.length, maxOpen, `Charlie stops at MaxOpenPerLabeler = ${maxOpen} packages`);
  await expectError(sendInBlock(api, api.tx.jobs.takePackage(job4), charlie), 'jobs.TooManyOpenPackages', 'no more than MaxOpenPerLabeler open packages');
  await commitPackage(api, job4, mine[0].package, charlie, [honest[0]]);
  assertEq(await heldFor(api, charlie, 'Jobs', 'PackageDeposit'), BigInt(maxOpen) * 4_500_000_000_000n, 'Charlie\'s deposits held');
  // Dave takes his packages in one call (`takePackages`): distinct packages, one hold.
  await expectError(sendInBlock(api, api.tx.jobs.takePackages(job4, maxOpen + 1), dave), 'jobs.TooManyOpenPackages', 'a batch above MaxOpenPerLabeler is refused whole');
  const daveHeld = await heldFor(api, dave, 'Jobs', 'PackageDeposit');
  r = await sendInBlock(api, api.tx.jobs.takePackages(job4, maxOpen), dave);
  const daves = eventsOf(r.events, 'jobs', 'PackageTaken').map((e) => e.data.package.toNumber());
  assertEq(new Set(daves).size, maxOpen, `one takePackages gave Dave ${maxOpen} different packages`);
  assertEq(await heldFor(api, dave, 'Jobs', 'PackageDeposit', r.blockHash) - daveHeld, BigInt(maxOpen) * 4_500_000_000_000n, 'Dave\'s deposits held');
  await sendInBlock(api, api.tx.jobs.cancelJob(job4), alice);
  for (const [who, packages] of [[charlie, mine.map((t) => t.package)], [dave, daves]]) {
    for (const p of packages) {
      r = await sendInBlock(api, api.tx.jobs.expireAssignment(job4, p, who.address), alice);
      const rel = findEvent(r.events, 'jobs', 'DepositReleased');
      assert(rel && rel.data.amount.toBigInt() === 4_500_000_000_000n, `package ${p}: deposit released (nothing revealed, the package cannot fill)`);
    }
  }
  assertEq(await heldFor(api, charlie, 'Jobs', 'PackageDeposit', r.blockHash), 0n, 'Charlie\'s deposits all back');
  assertEq(await heldFor(api, dave, 'Jobs', 'PackageDeposit', r.blockHash), daveHeld, 'Dave\'s deposits of job 4 all back');
  r = await sendInBlock(api, api.tx.jobs.settleJob(job4), alice);
  assertEq(findEvent(r.events, 'jobs', 'JobSettled').data.refunded.toBigInt(), 50n * CROL, 'job 4 refunded in full');
  console.log(`job ${job4}: Charlie stopped at ${maxOpen} open packages, Dave took ${maxOpen} in one call; after the cancellation their work was released, deposits back, budget refunded`);
  // ---- 6. Idle stakes: Charlie, Dave and Eve each take both packages of a two-package job with
  // one takePackages; when package 0 is accepted each still holds package 1, so package 0's
  // deposit stays held as their idle stake in the job. Charlie releases his at once; the
  // others' come back when package 1 is judged.
  r = await sendInBlock(api, api.tx.jobs.createJob({ domain, items: [13, 14].map(item), redundancy: 3, packageSize: 1, budget: 20n * CROL, duration: 300, commitWindow: 40, revealWindow: 40, challenges: null }), alice);
  const job5 = findEvent(r.events, 'jobs', 'JobCreated').data.job.toNumber();
  const trio = [charlie, dave, eve];
  const heldBefore = [];
  for (const w of trio) heldBefore.push(await heldFor(api, w, 'Jobs', 'PackageDeposit'));
  let deposit = 0n;
  for (const w of trio) {
    r = await sendInBlock(api, api.tx.jobs.takePackages(job5, 2), w);
    const taken = eventsOf(r.events, 'jobs', 'PackageTaken');
    assertEq(taken.map((e) => e.data.package.toNumber()).sort(), [0, 1], `${name(w.address)} took both packages in one call`);
    deposit = taken[0].data.deposit.toBigInt();
  }
  const salts5 = new Map();
  for (const w of trio) {
    for (const p of [0, 1]) salts5.set(`${w.address}/${p}`, (await commitPackage(api, job5, p, w, [honest[0]])).salt);
  }
  let last;
  for (const w of trio) last = await revealPackage(api, job5, 0, w, [honest[0]], salts5.get(`${w.address}/0`));
  assert(findEvent(last.events, 'jobs', 'PackageCompleted'), 'package 0 judged and complete');
  for (const [i, w] of trio.entries()) {
    assertEq(await heldFor(api, w, 'Jobs', 'PackageDeposit', last.blockHash) - heldBefore[i], 2n * deposit, `${name(w.address)}: both deposits still held`);
    assertEq((await api.query.jobs.workload.at(last.blockHash, job5, w.address)).unwrap().idle.toBigInt(), deposit, `${name(w.address)}: package 0's deposit is the idle stake`);
  }
  r = await sendInBlock(api, api.tx.jobs.releaseIdleStake(job5), charlie);
  const own = findEvent(r.events, 'jobs', 'IdleStakeReleased');
  assert(own && own.data.amount.toBigInt() === deposit && own.data.labeler.toString() === charlie.address, 'Charlie released his idle stake');
  assertEq(await heldFor(api, charlie, 'Jobs', 'PackageDeposit', r.blockHash) - heldBefore[0], deposit, 'Charlie: only package 1\'s deposit held');
  await expectError(sendInBlock(api, api.tx.jobs.releaseIdleStake(job5), charlie), 'jobs.NoIdleStake', 'nothing idle left');
  const last5 = [];
  for (const w of trio) last5.push(await revealPackage(api, job5, 1, w, [honest[0]], salts5.get(`${w.address}/1`)));
  const idleBack = last5.flatMap((x) => eventsOf(x.events, 'jobs', 'IdleStakeReleased'));
  assertEq(idleBack.map((e) => name(e.data.labeler.toString())).sort(), ['Dave', 'Eve'], 'package 1 judged: Dave\'s and Eve\'s idle stakes released');
  idleBack.forEach((e) => assertEq(e.data.amount.toBigInt(), deposit, 'the idle stake is package 0\'s deposit'));
  const end = await latest(api, last5);
  for (const [i, w] of trio.entries()) {
    assertEq(await heldFor(api, w, 'Jobs', 'PackageDeposit', end.blockHash), heldBefore[i], `${name(w.address)}: every deposit of job ${job5} back`);
  }
  console.log(`job ${job5}: package 0's deposits stayed held as idle stakes while package 1 was open; Charlie released his on request, Dave's and Eve's came back with package 1's judgement`);
  console.log('JOB OK');
} finally {
  await api.disconnect();
}
