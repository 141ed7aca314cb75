// Governance end to end (issue 15, items 1 and 2), on the dev chain with its council (Alice, Bob,
// Charlie):
// 1. curator acts pass as council motions of two members; one member alone is refused;
// 2. Root through the council (rootDispatch) needs all three; two are refused;
// 3. the treasury (filled by fees, reserve and fines) pays a council-approved spend into the
//    newcomer pot; a single member cannot spend;
// 4. the council funds a supplementary job from the treasury; three newcomers label it, earn
//    their newcomer bonus from the pot, and the unspent budget returns to the treasury.
// Runs last in scripts/e2e.sh: it funds the newcomer pot, which pays later newcomers.
import { mnemonicGenerate } from '@polkadot/util-crypto';
import {
  CROL, connect, assert, assertEq, findEvent, eventsOf, sendInBlock, freeOf, heldFor, palletAccount,
  councilMotion, council, qualifiedDomain, fund, labelJob,
} from './lib.mjs';

const { api, keyring, dev } = await connect();
const { alice, bob, charlie, dave, eve } = dev;
const TREASURY = await palletAccount(api, 'crl/trsy');
const POT = await palletAccount(api, 'crl/newc');

try {
  const members = (await api.query.council.members()).map((m) => m.toString());
  assertEq(JSON.stringify(members.sort()), JSON.stringify([alice, bob, charlie].map((k) => k.address).sort()), 'the council is Alice, Bob and Charlie');

  // ---- 1. Curation by motion.
  const params = { bar: { MinMeanAgreement: 500_000_000 }, roundSize: 1, cooldown: 10, answerWindow: 100, revealWindow: 100, sigma: '200000000000000000' };
  const create = api.tx.labelers.createDomain('council domain', { BoundingBoxes: { classes: 1 } }, params);
  // One member: threshold 1 executes at once, with a 1/3 origin, and is refused.
  let r = await sendInBlock(api, api.tx.council.propose(1, create, create.method.encodedLength), alice);
  const alone = findEvent(r.events, 'council', 'Executed');
  assert(alone && alone.data.result.isErr, 'a motion of one member executes with an error');
  assert(!findEvent(r.events, 'labelers', 'DomainCreated'), 'one member cannot create a domain');
  // A non-member cannot even propose.
  let refused = false;
  try { await sendInBlock(api, api.tx.council.propose(2, create, create.method.encodedLength), dave); } catch (e) { refused = String(e.message).endsWith('council.NotMember'); }
  assert(refused, 'a non-member cannot propose');
  const m = await council(api, create, [bob, charlie]);
  const created = findEvent(m.events, 'labelers', 'DomainCreated');
  assert(created, 'two of three members created the domain');
  console.log(`council motion (Bob, Charlie): labelers.createDomain -> domain ${created.data.domain.toNumber()}`);

  // ---- 2. Root through the council.
  const target = keyring.addFromUri(mnemonicGenerate());
  const forceSet = api.tx.rootDispatch.dispatchAsRoot(api.tx.balances.forceSetBalance(target.address, 3n * CROL));
  const two = await councilMotion(api, forceSet, [alice, bob]);
  assertEq(two.result, 'BadOrigin', 'two of three members are not Root');
  assertEq(await freeOf(api, target), 0n, 'nothing changed');
  const three = await council(api, forceSet, [alice, bob, charlie]);
  const dispatched = findEvent(three.events, 'rootDispatch', 'Dispatched');
  assert(dispatched && dispatched.data.result.isOk, 'rootDispatch.Dispatched Ok');
  assertEq(await freeOf(api, target), 3n * CROL, 'Root (all three members) set the balance');
  console.log('Root through the council: 2/3 refused (BadOrigin), 3/3 dispatched balances.forceSetBalance');

  // ---- 3. Treasury spend into the newcomer pot.
  // The treasury is filled by fees, reserves and fines; top it up here so the test does not
  // depend on the tests before it.
  await sendInBlock(api, api.tx.balances.transferKeepAlive(TREASURY, 5_000n * CROL), eve);
  const spend = api.tx.treasury.spend(null, 100n * CROL, POT, null);
  let failed = '';
  try { await sendInBlock(api, spend, alice); } catch (e) { failed = String(e.message); }
  assert(failed.endsWith('BadOrigin'), `a single member cannot spend (${failed})`);
  const approved = findEvent((await council(api, spend, [alice, charlie])).events, 'treasury', 'AssetSpendApproved');
  assert(approved, 'treasury.AssetSpendApproved');
  const index = approved.data.index.toNumber();
  const treasuryBefore = await freeOf(api, TREASURY);
  r = await sendInBlock(api, api.tx.treasury.payout(index), eve);
  assert(findEvent(r.events, 'treasury', 'Paid'), 'treasury.Paid');
  assertEq(await freeOf(api, POT), 100n * CROL, 'the newcomer pot holds the spend');
  assertEq(treasuryBefore - (await freeOf(api, TREASURY)), 100n * CROL, 'the treasury paid it');
  console.log(`treasury spend #${index}: 100 CROL to the newcomer pot ${POT} (approved by Alice and Charlie, paid out by Eve)`);

  // ---- 4. A supplementary job funded by the treasury, labeled by newcomers.
  const newcomers = [0, 1, 2].map(() => keyring.addFromUri(mnemonicGenerate()));
  await fund(api, dave, newcomers, 2_000n * CROL);
  const domain = await qualifiedDomain(api, alice, newcomers);
  const items = [1, 2].map((i) => '0x' + String(i).padStart(2, '0').repeat(32));
  const spec = { domain, items, redundancy: 3, packageSize: 2, budget: 300n * CROL, duration: 300, commitWindow: 40, revealWindow: 40, challenges: null };
  const beforeJob = await freeOf(api, TREASURY);
  const jm = await council(api, api.tx.jobs.createTreasuryJob(spec), [bob, charlie]);
  const jc = findEvent(jm.events, 'jobs', 'JobCreated');
  assertEq(jc.data.requester.toString(), TREASURY, 'the treasury is the requester');
  const job = jc.data.job.toNumber();
  const storage = jc.data.storageDeposit.toBigInt();
  assertEq(await heldFor(api, TREASURY, 'Jobs', 'JobEscrow'), 300n * CROL, 'the budget is held on the treasury');
  console.log(`council motion (Bob, Charlie): jobs.createTreasuryJob -> job ${job}, 300 CROL held on the treasury`);

  const box = [{ Boxes: [{ xMin: 0, yMin: 0, xMax: 50, yMax: 50, class: 0 }] }, { Boxes: [{ xMin: 10, yMin: 10, xMax: 60, yMax: 60, class: 0 }] }];
  const potBefore = await freeOf(api, POT);
  const labeled = await labelJob(api, job, newcomers.map((w) => [w, box]));
  const paid = eventsOf(labeled.events, 'jobs', 'NewcomerBonusPaid');
  assertEq(paid.length, 3, 'each newcomer earned a bonus for the accepted package');
  // bonus = min(NewcomerBonus, qualification fee / NewcomerPackages) = min(0.5, 0.1 x 1 / 5) CROL
  const expected = [api.consts.jobs.newcomerBonus.toBigInt(), api.consts.labelers.goldItemFee.toBigInt() / BigInt(api.consts.jobs.newcomerPackages.toNumber())].reduce((a, b) => (a < b ? a : b));
  for (const e of paid) {
    assertEq(e.data.amount.toBigInt(), expected, 'bonus = min(NewcomerBonus, fee / NewcomerPackages)');
    assertEq(e.data.nth.toNumber(), 1, 'the first accepted package');
  }
  assertEq(potBefore - (await freeOf(api, POT)), 3n * expected, 'the pot paid the three bonuses');
  r = await sendInBlock(api, api.tx.jobs.settleJob(job), eve);
  const settled = findEvent(r.events, 'jobs', 'JobSettled');
  assertEq(settled.data.paid.toBigInt(), 270n * CROL, 'the labelers are paid the whole pay');
  // The treasury paid the labelers and holds the storage deposit until pruning; the reserve
  // share came back to it.
  assertEq(beforeJob - (await freeOf(api, TREASURY)), 270n * CROL + storage, 'the treasury spent the pay (and holds the storage deposit)');
  console.log(`newcomer bonuses: 3 x ${expected} plancks from the pot; job ${job} settled, 270 CROL paid, reserve back in the treasury`);
  console.log('council e2e: OK');
} finally {
  await api.disconnect();
}
