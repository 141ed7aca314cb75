// Appeals end to end (issue 15, item 4), on the dev chain: a colluding majority slashes the
// honest minority, and the honest labeler wins the appeal before a panel of the domain's most
// reliable labelers.
// 1. Three panelists build a track record: a 20-item package labeled alike (weight 1.2, at
//    least 20 scored answers).
// 2. A 2-item job: the honest labeler labels right, two colluders agree on junk; the judgement
//    slashes the honest labeler and keeps the colluders' deposits at stake (SlashAppealable).
// 3. The honest labeler appeals (bond held); a colluder and an unproven newcomer cannot sit on
//    the panel; two panelists overturn: deposit refunded, bond back, the colluders' stakes
//    forfeited to the treasury, the two panelists paid by the treasury.
import { mnemonicGenerate } from '@polkadot/util-crypto';
import {
  CROL, connect, assert, assertEq, findEvent, eventsOf, sendInBlock, freeOf, heldFor, palletAccount,
  qualifiedDomain, fund, labelJob, expectError, feeOf,
} from './lib.mjs';

const { api, keyring, dev } = await connect();
const { alice, dave } = dev;
const TREASURY = await palletAccount(api, 'crl/trsy');
const fresh = () => keyring.addFromUri(mnemonicGenerate());

try {
  const honest = fresh();
  const colluders = [fresh(), fresh()];
  const panel = [fresh(), fresh(), fresh()];
  const newcomer = fresh();
  // A requester of its own: the jobs stay unsettled, their escrow must not count for others.
  const requester = fresh();
  await fund(api, dave, [honest, ...colluders, ...panel, newcomer, requester], 2_000n * CROL);
  const domain = await qualifiedDomain(api, alice, [honest, ...colluders, ...panel, newcomer]);
  const box = (x) => ({ Boxes: [{ xMin: x, yMin: x, xMax: x + 50, yMax: x + 50, class: 0 }] });
  const item = (job, i) => '0x' + String(job).padStart(2, '0') + String(i).padStart(62, '0');

  // ---- 1. The panelists' track record: 20 items labeled alike.
  let r = await sendInBlock(api, api.tx.jobs.createJob({ domain, items: [...Array(20).keys()].map((i) => item(1, i)), redundancy: 3, packageSize: 20, budget: 300n * CROL, duration: 300, commitWindow: 40, revealWindow: 40, challenges: null }), requester);
  const warmup = findEvent(r.events, 'jobs', 'JobCreated').data.job.toNumber();
  r = await labelJob(api, warmup, panel.map((p) => [p, Array(20).fill(box(0))]));
  assertEq(eventsOf(r.events, 'jobs', 'PackageAccepted').length, 3, 'the panelists were accepted');
  const samples = [];
  for (const p of panel) {
    const rep = await api.query.labelers.reputation(p.address, domain);
    samples.push(rep.stats.samples.toNumber());
    assert(rep.stats.samples.toNumber() >= 20, `panelist ${p.address} has ${rep.stats.samples} scored answers`);
  }
  console.log(`panelists: 3 labelers with ${samples.join(', ')} scored answers (PanelMinRecord 20)`);

  // ---- 2. Colluders slash the honest labeler.
  r = await sendInBlock(api, api.tx.jobs.createJob({ domain, items: [item(2, 0), item(2, 1)], redundancy: 3, packageSize: 2, budget: 300n * CROL, duration: 300, commitWindow: 40, revealWindow: 40, challenges: null }), requester);
  const job = findEvent(r.events, 'jobs', 'JobCreated').data.job.toNumber();
  const honestBefore = await freeOf(api, honest);
  r = await labelJob(api, job, [[honest, [box(0), box(0)]], [colluders[0], [box(300), box(300)]], [colluders[1], [box(300), box(300)]]]);
  const slash = findEvent(r.events, 'jobs', 'DepositSlashed');
  assert(slash && slash.data.labeler.toString() === honest.address, 'the honest labeler was slashed');
  const deposit = slash.data.amount.toBigInt();
  const appealable = findEvent(r.events, 'jobs', 'SlashAppealable');
  assert(appealable && appealable.data.labeler.toString() === honest.address, 'jobs.SlashAppealable');
  for (const c of colluders) {
    assertEq(await heldFor(api, c, 'Jobs', 'AppealStake', r.blockHash), deposit, 'the colluder\'s deposit stays at stake');
  }
  console.log(`job ${job}: the colluders' junk is the consensus; the honest labeler lost ${deposit / CROL} CROL, appealable until block ${appealable.data.until}; 2 x ${deposit / CROL} CROL at stake`);

  // ---- 3. Appeal.
  r = await sendInBlock(api, api.tx.jobs.appeal(job, 0), honest);
  const bond = findEvent(r.events, 'jobs', 'AppealFiled').data.bond.toBigInt();
  assertEq(await heldFor(api, honest, 'Jobs', 'AppealBond', r.blockHash), bond, 'the bond is held');
  await expectError(sendInBlock(api, api.tx.jobs.voteAppeal(job, 0, honest.address, false), colluders[0]), 'jobs.ConflictOfInterest', 'a colluder cannot judge');
  await expectError(sendInBlock(api, api.tx.jobs.voteAppeal(job, 0, honest.address, false), newcomer), 'jobs.NotReliableEnough', 'an unproven account cannot judge');
  r = await sendInBlock(api, api.tx.jobs.voteAppeal(job, 0, honest.address, true), panel[0]);
  assert(!findEvent(r.events, 'jobs', 'AppealDecided'), 'one vote decides nothing');
  r = await sendInBlock(api, api.tx.jobs.voteAppeal(job, 0, honest.address, true), panel[1]);
  const decided = findEvent(r.events, 'jobs', 'AppealDecided');
  assert(decided && decided.data.overturned.isTrue && decided.data.by.toString() === 'Panel', 'the panel overturned the slash');
  const forfeited = eventsOf(r.events, 'jobs', 'StakeForfeited');
  assertEq(forfeited.map((e) => e.data.labeler.toString()).sort(), colluders.map((c) => c.address).sort(), 'both colluders forfeit their stakes');
  const paid = eventsOf(r.events, 'jobs', 'PanelistPaid');
  assertEq(paid.length, 2, 'two panelists paid');
  const fee = paid[0].data.amount.toBigInt();
  for (const c of colluders) assertEq(await heldFor(api, c, 'Jobs', 'AppealStake', r.blockHash), 0n, 'no stake left');
  assertEq(await heldFor(api, honest, 'Jobs', 'AppealBond', r.blockHash), 0n, 'the bond is released');
  // Balances across the deciding block (fees are burned; nobody else transacted in it).
  const parent = (await api.rpc.chain.getHeader(r.blockHash)).parentHash;
  const delta = async (who) => (await freeOf(api, who, r.blockHash)) - (await freeOf(api, who, parent));
  assertEq(await delta(honest), deposit + bond, 'the honest labeler gets the deposit and the bond back');
  assertEq(await delta(panel[0]), fee, 'the first panelist is paid');
  assertEq(await delta(panel[1]), fee - feeOf(r.events, panel[1]), 'the deciding panelist is paid (minus the vote fee)');
  assertEq(await delta(TREASURY), 2n * deposit - deposit - 2n * fee, 'treasury: + 2 stakes - the refund - 2 fees');
  const lost = honestBefore - (await freeOf(api, honest, r.blockHash));
  assert(lost > 0n && lost < deposit / 10n, `the honest labeler lost only transaction fees (${lost} plancks)`);
  console.log(`appeal: bond ${bond / CROL} CROL; panel 2/3 overturned; ${deposit / CROL} CROL refunded (the honest labeler is out ${lost} plancks of fees), 2 stakes of ${deposit / CROL} CROL forfeited, 2 panelists paid ${fee / CROL} CROL each`);
} finally {
  await api.disconnect();
}
