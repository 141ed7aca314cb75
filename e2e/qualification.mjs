// Labelers pallet end to end: the curator (Alice via sudo) creates a box domain and stocks
// committed gold; Bob registers, pays the round fee, runs a qualification round and qualifies
// (round deposit back); Charlie answers badly and fails with a cool-down, forfeiting part of his
// round deposit to the treasury; Dave registers and leaves with his deposit back. Single-class
// domains whose bar a random guesser passes with more than 1% are refused (GuessableBar); the
// guessing pass probability of an accepted one is stated in DomainCreated, exactly. A 0-100
// rating domain (numeric scores) grades in shares of its range.
import { randomAsU8a } from '@polkadot/util-crypto';
import {
  CROL, connect, assert, assertEq, sendAndFinalize, findEvent, curate, goldCommitment, expectError, freeOf, feeOf,
  heldFor, palletAccount,
} from './lib.mjs';

const { api, dev } = await connect();
const { alice, bob, charlie, dave } = dev;
const TREASURY = await palletAccount(api, 'crl/trsy');
const parentOf = async (hash) => (await api.rpc.chain.getHeader(hash)).parentHash;
const BILLION = 1_000_000_000n;

try {
  const goldItemFee = api.consts.labelers.goldItemFee.toBigInt();
  const roundDeposit = api.consts.labelers.roundDeposit.toBigInt();
  const forfeitParts = BigInt(api.consts.labelers.failedRoundForfeit.toNumber());
  const maxGuess = api.consts.labelers.maxGuessPassProbability.toNumber();
  console.log(`round deposit ${roundDeposit}, gold fee ${goldItemFee} per item, failed rounds forfeit ${forfeitParts} ppb, guessing bound ${maxGuess} ppb`);

  // 0. Guessable bars. Single class, 2 classes, K = 10, 80% bar: a coin-flipper passes with
  // P(Bin(10, 1/2) >= 8) = 56/1024 = 5.47% > 1%: refused.
  const classParams = (roundSize, bar) => ({
    bar: { MinMeanAgreement: bar }, roundSize, cooldown: 20, answerWindow: 50, revealWindow: 50,
    sigma: '200000000000000000',
  });
  await expectError(curate(api, api.tx.labelers.createDomain('coin flips', { SingleClass: { classes: 2 } }, classParams(10, 800_000_000)), alice),
    'labelers.GuessableBar', '2 classes, K = 10, 80% bar refused');
  // K = 20, 90% bar: P(Bin(20, 1/2) >= 18) = (190 + 20 + 1) / 2^20 = 0.0201...%, rounded up to
  // the next part per billion: 201226.
  let r = await curate(api, api.tx.labelers.createDomain('coin flips', { SingleClass: { classes: 2 } }, classParams(20, 900_000_000)), alice);
  let created = findEvent(r.events, 'labelers', 'DomainCreated').data;
  assertEq(created.guessPass.unwrap().toNumber(), Number((211n * BILLION + 2n ** 20n - 1n) / 2n ** 20n), 'guessing pass probability of K = 20, 90%');
  assert(created.guessPass.unwrap().toNumber() <= maxGuess, 'below the runtime bound');
  console.log(`domain ${created.domain}: 2 classes, K = 20, 90% bar accepted (a guesser passes with ${created.guessPass.unwrap().toNumber()} ppb)`);

  // 1. Domain: boxes with 3 classes, K = 2, pass at mean IoU >= 70%.
  const params = {
    bar: { MinMeanAgreement: 700_000_000 },
    roundSize: 2,
    cooldown: 20,
    answerWindow: 50,
    revealWindow: 50,
    sigma: '200000000000000000', // s = 0.2 (18 decimals)
  };
  r = await curate(api, api.tx.labelers.createDomain('traffic signs', { BoundingBoxes: { classes: 3 } }, params), alice);
  created = findEvent(r.events, 'labelers', 'DomainCreated').data;
  const domain = created.domain.toNumber();
  assert(created.guessPass.isNone, 'no guessing figure for bounding boxes');
  console.log(`domain ${domain} created`);

  // 2. Four gold items (two rounds of K = 2); only commitments go on chain.
  const gold = [
    { Boxes: [{ xMin: 0, yMin: 0, xMax: 100, yMax: 100, class: 0 }] },
    { Boxes: [{ xMin: 200, yMin: 200, xMax: 300, yMax: 300, class: 1 }] },
    { Boxes: [{ xMin: 10, yMin: 10, xMax: 60, yMax: 90, class: 2 }] },
    { Boxes: [] },
  ];
  const salts = gold.map(() => randomAsU8a(32));
  const items = gold.map((_, i) => '0x' + String(i + 1).padStart(2, '0').repeat(32));
  const commits = gold.map((g, i) => goldCommitment(api, g, salts[i]));
  // The runtime API builds the same gold commitment (for curators using polkadot.js apps).
  const goldViaApi = await api.call.commitmentApi.goldCommitment(gold[0], salts[0]);
  assertEq(goldViaApi.toHex(), commits[0], 'commitmentApi.goldCommitment = the locally built commitment');
  r = await curate(api, api.tx.labelers.addGold(domain, items.map((it, i) => [it, commits[i]])), alice);
  assertEq((await api.query.labelers.goldStock(domain)).length, 4, 'gold stock');
  const onChain = await api.query.labelers.gold(0);
  assertEq(onChain.unwrap().commitment.toHex(), commits[0], 'stored commitment');

  // 3. Bob registers (10 CROL held).
  r = await sendAndFinalize(api, api.tx.labelers.register([domain]), bob);
  assert(findEvent(r.events, 'labelers', 'Registered'), 'Registered event');
  const holds = await api.query.balances.holds(bob.address);
  assertEq(holds.map((h) => h.amount.toBigInt()).reduce((a, b) => a + b, 0n), 10n * CROL, 'registration hold');

  // 4. Bob's round: the first two gold items. The round fee (2 gold items) goes to the treasury
  // for good, the round deposit is held.
  r = await sendAndFinalize(api, api.tx.labelers.requestQualification(domain), bob);
  let req = findEvent(r.events, 'labelers', 'QualificationRequested');
  const bobRound = req.data.round.toNumber();
  assertEq(req.data.items.map((h) => h.toHex()), items.slice(0, 2), 'round items');
  assertEq(req.data.fee.toBigInt(), 2n * goldItemFee, 'round fee = GoldItemFee x K');
  let parent = await parentOf(r.blockHash);
  assertEq((await freeOf(api, bob, parent)) - (await freeOf(api, bob, r.blockHash)), 2n * goldItemFee + roundDeposit + feeOf(r.events, bob),
    'Bob paid the round fee, the round deposit (held) and the transaction fee');
  assertEq((await freeOf(api, TREASURY, r.blockHash)) - (await freeOf(api, TREASURY, parent)), 2n * goldItemFee, 'the treasury got the round fee');

  // 5. Bob answers well (exact, and shifted by 5 px: IoU 0.8100).
  const bobAnswers = [gold[0], { Boxes: [{ xMin: 205, yMin: 205, xMax: 305, yMax: 305, class: 1 }] }];
  r = await sendAndFinalize(api, api.tx.labelers.submitQualification(bobRound, bobAnswers), bob);
  assert(findEvent(r.events, 'labelers', 'QualificationAnswered'), 'QualificationAnswered');

  // 6. The curator reveals; the chain checks commitments and grades.
  r = await curate(api, api.tx.labelers.revealGold(bobRound, [[gold[0], salts[0]], [gold[1], salts[1]]]), alice);
  const q = findEvent(r.events, 'labelers', 'Qualified');
  assert(q, 'Qualified event');
  assertEq(q.data.labeler.toString(), bob.address, 'qualified labeler');
  const agreement = q.data.agreement.toNumber();
  // mean of 1 and 9025/10975 = 0.911162...
  assertEq(agreement, 911_161_731, 'mean IoU of the round (Perbill parts)');
  assertEq(r.events.filter((e) => e.event.method === 'GoldRevealed').length, 2, 'two GoldRevealed events');
  const status = await api.query.labelers.qualifications(bob.address, domain);
  assert(status.unwrap().isQualified, 'Bob qualified on chain');
  assertEq(await heldFor(api, bob, 'Labelers', 'QualificationRound', r.blockHash), 0n, 'a passed round\'s deposit comes back in full');
  assert((await api.query.labelers.gold(0)).isNone, 'used gold retired');
  const rep = await api.query.labelers.reputation(bob.address, domain);
  assertEq(rep.stats.samples.toNumber(), 2, 'reputation samples from gold');
  assert(rep.model.isSome, 'the gold answers taught the reliability model, kept in the same record');
  console.log(`Bob qualified in domain ${domain} with mean IoU ${agreement / 1e9}`);

  // 7. Charlie answers the other two items badly and fails with a cool-down.
  await sendAndFinalize(api, api.tx.labelers.register([domain]), charlie);
  r = await sendAndFinalize(api, api.tx.labelers.requestQualification(domain), charlie);
  req = findEvent(r.events, 'labelers', 'QualificationRequested');
  const charlieRound = req.data.round.toNumber();
  const bad = [{ Boxes: [{ xMin: 500, yMin: 500, xMax: 600, yMax: 600, class: 0 }] }, { Boxes: [{ xMin: 1, yMin: 1, xMax: 9, yMax: 9, class: 0 }] }];
  await sendAndFinalize(api, api.tx.labelers.submitQualification(charlieRound, bad), charlie);
  r = await curate(api, api.tx.labelers.revealGold(charlieRound, [[gold[2], salts[2]], [gold[3], salts[3]]]), alice);
  const f = findEvent(r.events, 'labelers', 'QualificationFailed');
  assert(f, 'QualificationFailed event');
  assertEq(f.data.agreement.toNumber(), 0, 'Charlie agreement');
  const forfeited = (roundDeposit * forfeitParts) / BILLION;
  assertEq(f.data.forfeited.toBigInt(), forfeited, 'a failed round forfeits FailedRoundForfeit of the deposit');
  assert(forfeited > 0n, 'a failed round costs something');
  parent = await parentOf(r.blockHash);
  assertEq((await freeOf(api, TREASURY, r.blockHash)) - (await freeOf(api, TREASURY, parent)), forfeited, 'the treasury got the forfeited part');
  assertEq((await freeOf(api, charlie, r.blockHash)) - (await freeOf(api, charlie, parent)), roundDeposit - forfeited, 'Charlie got the rest of the deposit back');
  assertEq(await heldFor(api, charlie, 'Labelers', 'QualificationRound', r.blockHash), 0n, 'no round deposit left held');
  const cstatus = (await api.query.labelers.qualifications(charlie.address, domain)).unwrap();
  assert(cstatus.isFailed, 'Charlie failed on chain');
  console.log(`Charlie failed (forfeited ${forfeited} plancks), may retry at block ${cstatus.asFailed.retryAt.toNumber()}`);

  // A wrong reveal is rejected: nothing to reveal now, so check the error path on an unknown round.
  let rejected = false;
  try {
    await curate(api, api.tx.labelers.revealGold(9999, []), alice);
  } catch (e) {
    rejected = /UnknownRound/.test(String(e));
  }
  assert(rejected, 'reveal of an unknown round fails with UnknownRound');

  // 7b. A 0-100 rating domain (the numeric score kind): the bar is a share of the range, checked
  // exactly in points. A range without width is refused; 11 % over K = 5 items is refused as
  // guessable (1.34 %); 5 % (25 points summed) is accepted.
  const rating = { Score: { min: 0, max: 100 } };
  const scoreParams = (bar) => ({
    bar: { MaxMeanScoreError: bar }, roundSize: 5, cooldown: 20, answerWindow: 50, revealWindow: 50,
    sigma: '200000000000000000',
  });
  await expectError(curate(api, api.tx.labelers.createDomain('flat', { Score: { min: 7, max: 7 } }, scoreParams(50_000_000)), alice),
    'labelers.EmptyScoreRange', 'a score range without width refused');
  await expectError(curate(api, api.tx.labelers.createDomain('ratings', rating, scoreParams(110_000_000)), alice),
    'labelers.GuessableBar', '0-100, K = 5, 11 % bar refused');
  r = await curate(api, api.tx.labelers.createDomain('ratings', rating, scoreParams(50_000_000)), alice);
  created = findEvent(r.events, 'labelers', 'DomainCreated').data;
  const ratingDomain = created.domain.toNumber();
  const ratingGuess = created.guessPass.unwrap().toNumber();
  // 0.0276725 % for gold in the middle of the range, rounded up (one part more at most)
  assert(ratingGuess === 276_726 || ratingGuess === 276_727, `rating guessing figure ${ratingGuess} ppb`);
  const ratingGold = [80, 20, 50, 0, 100].map((s) => ({ Score: s }));
  const ratingSalts = ratingGold.map(() => randomAsU8a(32));
  const ratingItems = ratingGold.map((_, i) => '0x' + 'b' + String(i).padStart(63, '0'));
  await curate(api, api.tx.labelers.addGold(ratingDomain, ratingItems.map((it, i) => [it, goldCommitment(api, ratingGold[i], ratingSalts[i])])), alice);
  await sendAndFinalize(api, api.tx.labelers.declareDomains([domain, ratingDomain]), bob);
  r = await sendAndFinalize(api, api.tx.labelers.requestQualification(ratingDomain), bob);
  const ratingRound = findEvent(r.events, 'labelers', 'QualificationRequested').data.round.toNumber();
  await expectError(sendAndFinalize(api, api.tx.labelers.submitQualification(ratingRound, [101, 20, 50, 0, 100].map((s) => ({ Score: s }))), bob),
    'labelers.InvalidLabel', 'a score above the range refused');
  // 5 points off on every item: 25 points summed, exactly the bar
  await sendAndFinalize(api, api.tx.labelers.submitQualification(ratingRound, [85, 15, 55, 5, 95].map((s) => ({ Score: s }))), bob);
  r = await curate(api, api.tx.labelers.revealGold(ratingRound, ratingGold.map((g, i) => [g, ratingSalts[i]])), alice);
  const rq = findEvent(r.events, 'labelers', 'Qualified');
  assert(rq, 'Bob qualified in the rating domain');
  // mean error 5 points of a width of 100 = 0.05 (18 decimals)
  assertEq(rq.data.scoreError.unwrap().toBigInt(), 50_000_000_000_000_000n, 'mean score error in widths of the range');
  console.log(`rating domain ${ratingDomain}: a guesser passes with ${ratingGuess} ppb; Bob qualified with mean error 5 points`);

  // 8. Dave registers and leaves: deposit refunded.
  await sendAndFinalize(api, api.tx.labelers.register([]), dave);
  r = await sendAndFinalize(api, api.tx.labelers.unregister(), dave);
  const u = findEvent(r.events, 'labelers', 'Unregistered');
  assertEq(u.data.refunded.toBigInt(), 10n * CROL, 'refunded deposit');
  assertEq((await api.query.balances.holds(dave.address)).length, 0, 'no holds left');
  console.log('QUALIFICATION OK');
} finally {
  await api.disconnect();
}
