// Faucet end to end (issue 15, item 3): a newcomer with an empty wallet claims test CROL
// without a signature and without a fee — a general (v5) transaction `faucet.drip` with a proof
// of work, built with @polkadot/api — then registers and pays its own fees with it. The pool
// refuses a funded wallet, a repeat within the cool-down and a forged proof of work with the
// faucet's `Custom` codes, and any other call sent as a general transaction (nothing authorizes
// it); nothing is paid for them.
import { mnemonicGenerate } from '@polkadot/util-crypto';
import {
  connect, assert, assertEq, sendAndFinalize, findEvent, freeOf, palletAccount,
  faucetWork, generalDrip, generalTx, submitGeneral,
} from './lib.mjs';

const { api, keyring, dev, provider } = await connect();
try {
  const amount = api.consts.faucet.dripAmount.toBigInt();
  const difficulty = api.consts.faucet.difficulty.toNumber();
  const faucet = await palletAccount(api, 'crl/fcet');
  assert((await api.query.faucet.enabled()).isTrue, 'the dev preset switches the faucet on');
  const newcomer = keyring.addFromUri(mnemonicGenerate());
  assertEq(await freeOf(api, newcomer), 0n, 'the newcomer starts without CROL');

  // 1. The claim: proof of work in JS, a general transaction with no signature.
  const started = Date.now();
  const nonce = faucetWork(api, newcomer.address, difficulty);
  console.log(`proof of work at ${difficulty} bits: nonce ${nonce} in ${Date.now() - started} ms`);
  const faucetBefore = await freeOf(api, faucet);
  const { events } = await submitGeneral(api, provider, generalDrip(api, newcomer.address, nonce));
  const ev = findEvent(events, 'faucet', 'Dripped');
  assert(ev, 'faucet.Dripped emitted');
  assertEq(ev.data.dest.toString(), newcomer.address, 'Dripped.dest');
  assertEq(ev.data.amount.toBigInt(), amount, 'Dripped.amount');
  assertEq(await freeOf(api, newcomer), amount, 'the newcomer received one drip');
  assertEq(faucetBefore - (await freeOf(api, faucet)), amount, 'the faucet paid exactly one drip (no fee on anyone)');
  assert(!findEvent(events, 'transactionPayment', 'TransactionFeePaid'), 'nobody paid a fee for the drip');
  console.log(`${newcomer.address} received ${amount} plancks from the faucet without signing anything`);

  // 2. Refusals at the pool, with the faucet's codes: a funded wallet (2), the same wallet
  // again (2: no longer empty; after spending it, 3: cooling down), a forged proof of work (1).
  const refusal = async (dest, n) => {
    try {
      await submitGeneral(api, provider, generalDrip(api, dest, n));
    } catch (e) {
      return String(e.message ?? e);
    }
    return 'accepted';
  };
  const rich = await refusal(dev.ferdie.address, faucetWork(api, dev.ferdie.address, difficulty));
  assert(/Custom error: 2/.test(rich), `a funded wallet is refused with code 2 (got: ${rich})`);
  const other = keyring.addFromUri(mnemonicGenerate());
  let forged = nonce;
  while (faucetWork(api, other.address, difficulty, forged) === forged) forged++;
  const weak = await refusal(other.address, forged);
  assert(/Custom error: 1/.test(weak), `a nonce without enough work is refused with code 1 (got: ${weak})`);

  // Other calls cannot ride as general transactions: nothing authorizes them.
  const freeRemark = generalTx(api, api.tx.system.remark('0x' + 'ab'.repeat(1000)));
  let rode = 'accepted';
  try {
    await submitGeneral(api, provider, freeRemark);
  } catch (e) {
    rode = String(e.message ?? e);
  }
  assert(/did not authorize any origin/.test(rode), `a general system.remark is refused (got: ${rode})`);

  // 3. The drip pays for registration and fees; an emptied wallet still waits out its cool-down.
  const r = await sendAndFinalize(api, api.tx.labelers.register([]), newcomer);
  assert(findEvent(r.events, 'labelers', 'Registered'), 'the newcomer registered with the drip');
  await sendAndFinalize(api, api.tx.labelers.unregister(), newcomer);
  await sendAndFinalize(api, api.tx.balances.transferAll(dev.alice.address, false), newcomer);
  assertEq(await freeOf(api, newcomer), 0n, 'the newcomer emptied its wallet');
  const again = await refusal(newcomer.address, nonce);
  assert(/Custom error: 3/.test(again), `a repeat within the cool-down is refused with code 3 (got: ${again})`);
  assertEq(await freeOf(api, newcomer), 0n, 'nothing paid for refused claims');
  console.log('FAUCET OK');
} finally {
  await api.disconnect();
}
