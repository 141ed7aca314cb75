// zombienet/flow.zndsl helper, after the full flow:
// 1. from zn-watch.mjs's samples: dave was down for a while and alice's finalized height grew
//    during that time (3 of 4 GRANDPA voters suffice);
// 2. dave caught up: his finalized head reaches alice's, the block hashes agree, and the
//    CrowdLabel state (datasets, sales, jobs, unclaimed payouts and rewards) read from dave equals alice's
//    at the same block; dave's `crowdlabel_dataset` answers like alice's.
import { readFileSync } from 'node:fs';
import { connect, assert, assertEq, crowdlabelRpc } from './lib.mjs';

const samples = JSON.parse(readFileSync(process.env.CROWDLABEL_WATCH_FILE ?? '/tmp/crowdlabel-watch.json'));
const down = samples.filter((s) => s.dave === null && s.alice !== null);
assert(down.length >= 10, `dave was down for at least 10 samples (got ${down.length})`);
const grew = down[down.length - 1].alice - down[0].alice;
const seconds = Math.round((down[down.length - 1].t - down[0].t) / 1000);
assert(grew >= 3, `alice finalized ${grew} blocks while dave was down (need >= 3)`);
console.log(`dave down for ~${seconds} s; alice finalized ${down[0].alice} -> ${down[down.length - 1].alice} (+${grew}) meanwhile`);
const back = samples.findIndex((s, i) => i > samples.indexOf(down[down.length - 1]) && s.dave !== null);
assert(back >= 0, 'dave answered again after the restart');

const A = await connect('ws://127.0.0.1:9961');
const D = await connect('ws://127.0.0.1:9964');
try {
  const target = (await A.api.rpc.chain.getHeader(await A.api.rpc.chain.getFinalizedHead())).number.toNumber();
  const t0 = Date.now();
  let daveFinal = 0;
  while (Date.now() - t0 < 120_000) {
    daveFinal = (await D.api.rpc.chain.getHeader(await D.api.rpc.chain.getFinalizedHead())).number.toNumber();
    if (daveFinal >= target) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  assert(daveFinal >= target, `dave finalized ${daveFinal}, alice ${target}`);
  const hashA = await A.api.rpc.chain.getBlockHash(target);
  const hashD = await D.api.rpc.chain.getBlockHash(target);
  assertEq(hashD.toHex(), hashA.toHex(), `block #${target} is the same on dave and alice`);

  const snapshot = async (api, hash) => {
    const at = await api.at(hash);
    const dump = async (q) => (await q.entries()).map(([k, v]) => [k.toHex(), v.toHex()]).sort();
    return JSON.stringify({
      datasets: await dump(at.query.datasets.datasetDetails),
      sales: await dump(at.query.datasets.sales),
      unclaimed: await dump(at.query.datasets.unclaimed),
      items: await dump(at.query.datasets.dataItems),
      jobs: await dump(at.query.jobs.jobDetails),
      results: await dump(at.query.jobs.results),
      jobRewards: await dump(at.query.jobs.unclaimedRewards),
      contributions: await dump(at.query.jobs.contributions),
      labelers: await dump(at.query.labelers.registrations),
    });
  };
  const sa = await snapshot(A.api, hashA);
  const sd = await snapshot(D.api, hashA);
  assertEq(sd, sa, 'CrowdLabel state on dave equals alice at the same block');
  const sales = (await (await A.api.at(hashA)).query.datasets.sales.entries()).length;
  assert(sales >= 1, 'the flow\'s sale is in the state');
  const dsA = await crowdlabelRpc(A.provider, 'dataset', 0, hashA.toHex());
  const dsD = await crowdlabelRpc(D.provider, 'dataset', 0, hashA.toHex());
  assertEq(dsD, dsA, 'crowdlabel_dataset answers the same on dave and alice');
  console.log(`dave caught up to #${target} (${hashA.toHex().slice(0, 12)}...), state identical (${sales} sale(s)); ZOMBIENET CHECK OK`);
} finally {
  await A.api.disconnect();
  await D.api.disconnect();
}
