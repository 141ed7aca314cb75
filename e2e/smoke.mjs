// Foundation smoke test: connect, check chain properties, finalize a balance transfer and check
// that it paid a real fee (1 micro-CROL per byte plus 10 plancks per picosecond of weight).
import { connect, assert, assertEq, sendAndFinalize, findEvent, feeOf } from './lib.mjs';

const { api, dev } = await connect();
try {
  const props = await api.rpc.system.properties();
  const symbol = props.tokenSymbol.unwrap()[0].toString();
  const decimals = props.tokenDecimals.unwrap()[0].toNumber();
  assertEq(symbol, 'CROL', 'token symbol');
  assertEq(decimals, 12, 'token decimals');
  const chain = (await api.rpc.system.chain()).toString();
  const spec = api.runtimeVersion.specName.toString();
  assertEq(spec, 'crowdlabel', 'runtime spec name');
  console.log(`connected to "${chain}" (${spec} v${api.runtimeVersion.specVersion}), token ${symbol}/${decimals}`);

  // Fresh account so the expected balance is exact.
  const dest = api.registry.createType('AccountId', new Uint8Array(32).fill(7)).toString();
  const before = (await api.query.system.account(dest)).data.free.toBigInt();
  const amount = 12_345n * 10n ** 12n;
  const tx = api.tx.balances.transferKeepAlive(dest, amount);
  const { blockHash, events } = await sendAndFinalize(api, tx, dev.alice);
  const ev = findEvent(events, 'balances', 'Transfer');
  assert(ev, 'balances.Transfer event emitted');
  assertEq(ev.data.to.toString(), dest, 'Transfer.to');
  assertEq(ev.data.amount.toBigInt(), amount, 'Transfer.amount');
  const after = (await api.query.system.account.at(blockHash, dest)).data.free.toBigInt();
  assertEq(after - before, amount, 'destination balance increased by the amount');
  // `tx` is signed in place: its encoded length is what the length fee was charged for.
  const fee = feeOf(events, dev.alice);
  const lengthFee = BigInt(tx.encodedLength) * 1_000_000n;
  assert(fee > lengthFee, `fee ${fee} above the length fee ${lengthFee} (${tx.encodedLength} bytes at 1 micro-CROL)`);
  console.log(`the transfer paid ${fee} plancks (${Number(fee) / 1e12} CROL) in fees`);
  const fin = await api.rpc.chain.getFinalizedHead();
  const finNum = (await api.rpc.chain.getHeader(fin)).number.toNumber();
  console.log(`transfer of ${amount} plancks finalized in ${blockHash.toHex()} (finalized head #${finNum})`);
  console.log('SMOKE OK');
} finally {
  await api.disconnect();
}
