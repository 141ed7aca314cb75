// Throughput of a dev node: pre-signed transactions from many accounts, submitted at once.
// Measures, in the same run: the full labeling pipeline — package takes, label commits, label
// reveals (every third reveal completes its package and judges it) — as transactions per second
// and as **labeled items per second** (items that reached consensus / the three phases' time),
// and balance transfers per second; blocks filled (normal-class weight used), and the
// weight-theoretical limit (normal-class block weight / the transaction's weight, per 3 s block).
// Usage: node tps.mjs [labelers=300] [transfers=3000]   (scripts/bench-tps.sh runs it)
// The labelers are rounded down to a multiple of R = 3: jobs of 33 packages of
// CROWDLABEL_TPS_PACKAGE (default 20) items (99 of the 100 labelers a job may have), each labeler
// takes one package (the chain assigns it).
// Batches (CROWDLABEL_TPS_BATCH = k > 1): a labeler works in k jobs at once and sends each step
// as one `utility.batchAll` of k calls (k takes, then k commits, then k reveals); the labeler
// slots are rounded to groups of 99 labelers x k jobs (at least one group). The transfers then
// run twice: plain, and in batches of k (`utility.batchAll` of k `transferKeepAlive`).
// Several packages per take (CROWDLABEL_TPS_TAKE = m > 1, at most MaxOpenPerLabeler): each
// labeler takes m packages of each of its jobs with one `jobs.takePackages(job, m)` and commits
// and reveals them in its batches (k x m calls); jobs of P <= 33 packages with P x R divisible
// by m, P x R / m labelers each. The chain draws the packages, so a job's last takers may find
// fewer than m they do not already hold: 12 spare labelers then take the free slots one each
// (their calls are measured with the rest), so every package is complete.
// Veterans (CROWDLABEL_TPS_WARMUP = w > 0, not measured): before the measured pipeline every
// labeler completes w packages in w warm-up jobs (one `utility.batchAll` of w calls per step), so
// with w >= the runtime's NewcomerPackages (5) the measured judgements pay no newcomer bonus: the
// steady state of a chain whose labelers are past their first packages.
// Pipelined (CROWDLABEL_TPS_PIPELINE = 1): instead of three phases one after the other, every
// group of labelers (the PER_JOB labelers of a job, or of K jobs when batched) moves on as soon as
// its previous step is on chain: all groups' takes are submitted at once, and each group's commits
// are signed and submitted when its takes are in a block (its spares' takes first, when the draws
// left slots free), its reveals when its commits are in. Takes, commits and reveals of different
// groups then share blocks, as on a busy chain, and with enough labelers the blocks are full: the
// measured rate is the chain's, not the script's: a group's packages are read from the
// `PackageTaken` events of the blocks the script follows (no query to the busy node), and its
// reveals are signed while its commits wait for their block. Every group has its own 12 spares.
// The transfers are then submitted with at most 4,000 submitted and not yet in a block (the
// script starts the node with a wider pool: it keeps transactions until their block is
// finalized).
// Prints a Markdown table; writes JSON to CROWDLABEL_TPS_JSON if set.
import { writeFileSync } from 'node:fs';
import { blake2AsHex, randomAsU8a } from '@polkadot/util-crypto';
import { CROL, connect, assert, assertEq, findEvent, curate, goldCommitment, labelCommitment, errorName, revealCall } from './lib.mjs';

const R = 3; // labels per item (the runtime's minimum)
const M = Math.max(1, Number(process.env.CROWDLABEL_TPS_TAKE ?? 1)); // packages per take call
// Packages per job: 33 (99 labelers of one package each, below MaxLabelersPerJob = 100), or the
// most below it whose slots divide among labelers of M packages each.
const P = Array.from({ length: 33 }, (_, i) => 33 - i).find((p) => (p * 3) % M === 0);
const PER_JOB = (P * 3) / M; // labelers per job
const PIPELINED = process.env.CROWDLABEL_TPS_PIPELINE === '1';
const SPARES_PER_GROUP = M > 1 ? 12 : 0; // fill the slots the chain's draws leave free (see above)
const S = Number(process.env.CROWDLABEL_TPS_PACKAGE ?? 20); // items per package (MaxPackageSize 20)
const K = Math.max(1, Number(process.env.CROWDLABEL_TPS_BATCH ?? 1)); // jobs per labeler (calls per batch)
const SLOTS = Math.floor(Number(process.argv[2] ?? process.env.CROWDLABEL_TPS_LABELERS ?? 300) / R) * R;
// Labelers: one package each (K = 1, M = 1), or groups of PER_JOB labelers working in K jobs
// each, M packages per job.
const GROUPED = K > 1 || M > 1;
const GROUPS = Math.max(1, Math.floor(SLOTS / (PER_JOB * K * M)));
const L = GROUPED ? GROUPS * PER_JOB : SLOTS;
// One set of spares, or (pipelined) one per group.
const SPARES = PIPELINED ? SPARES_PER_GROUP * (GROUPED ? GROUPS : Math.ceil(L / PER_JOB)) : SPARES_PER_GROUP;
const T = Number(process.argv[3] ?? process.env.CROWDLABEL_TPS_TRANSFERS ?? 3000); // transfers
const W = Math.max(0, Number(process.env.CROWDLABEL_TPS_WARMUP ?? 0)); // warm-up packages per labeler
const SENDERS = 300; // transfer senders
// Funding: a labeler needs its registration (10 CROL), a round deposit (5) and the gold fee, fees,
// and a deposit for every package it holds at once (1.5 x its share of the budget, 5 CROL per
// item: 50 CROL for 20 items at R = 3): K x M packages in the measured run, W in the warm-up;
// it gets 100 CROL more than that. A sender needs 10 x 0.01 CROL plus fees and gets far more.
const LABELER_FUNDS = BigInt(100 + Math.ceil((15 * S) / (2 * R)) * Math.max(K * M, W, 1)) * CROL;
const SENDER_FUNDS = 200n * CROL;
const { api, keyring, dev } = await connect();
const { alice } = dev;
const run = Date.now().toString(36);
const labelers = Array.from({ length: L }, (_, i) => keyring.addFromUri(`//tps/${run}/labeler/${i}`));
const spares = Array.from({ length: SPARES }, (_, i) => keyring.addFromUri(`//tps/${run}/spare/${i}`));
// Everyone set up and warmed up: the measured labelers and the spares.
const workers = [...labelers, ...spares];
const senders = Array.from({ length: SENDERS }, (_, i) => keyring.addFromUri(`//tps/${run}/sender/${i}`));
const log = (m) => console.error(`[tps] ${m}`);

// The packages taken in the blocks recorded so far (`jobs.PackageTaken` events):
// `${job}/${address}` -> package indices (see `packagesOf`).
const takenSeen = new Map();

// One new block of a measured run: which of its extrinsics are ours (`ours(hash)`), their actual
// weights and failures (from `ExtrinsicSuccess` / `ExtrinsicFailed`) appended to `weights` and
// `failures`, and the block's statistics appended to `blocks` — skipped while none of ours has
// been seen yet (`started` false). Returns our extrinsics' hashes in the block.
async function recordBlock(header, ours, started, { blocks, weights, failures }) {
  const hash = header.hash;
  const block = await api.rpc.chain.getBlock(hash);
  const mine = block.block.extrinsics.map((x, i) => [i, x.hash.toHex()]).filter(([, h]) => ours(h));
  if (mine.length === 0 && !started) return [];
  const at = await api.at(hash);
  const index = new Set(mine.map(([i]) => i));
  for (const { phase, event } of await at.query.system.events()) {
    if (event.section === 'jobs' && event.method === 'PackageTaken') {
      const k = `${event.data.job}/${event.data.labeler}`;
      takenSeen.set(k, [...(takenSeen.get(k) ?? []), event.data.package.toNumber()]);
    }
    if (phase.isApplyExtrinsic && index.has(phase.asApplyExtrinsic.toNumber()) && event.section === 'system') {
      if (event.method === 'ExtrinsicSuccess') weights.push(event.data.dispatchInfo.weight.refTime.toBigInt());
      if (event.method === 'ExtrinsicFailed') failures.push(errorName(api, event.data.dispatchError));
    }
  }
  const weight = await at.query.system.blockWeight();
  const now = (await at.query.timestamp.now()).toNumber();
  blocks.push({ number: header.number.toNumber(), ours: mine.length, all: block.block.extrinsics.length, normal: weight.normal.refTime.toBigInt(), now });
  return mine.map(([, h]) => h);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// `[tx, pair, nonce]` items signed offline (immortal), in order.
async function signAll(items) {
  const signed = [];
  for (const [tx, pair, nonce] of items) signed.push(await tx.signAsync(pair, { nonce, era: 0 }));
  return signed;
}

// Calls `onBlock(header)` for every new best block, one at a time, in order of number, each
// number once. The new-heads subscription skips blocks when the client lags behind (a run once
// never saw a full block of its transfers and waited for them until it timed out), so the
// numbers it skipped are fetched. Errors go to `onError`. Returns the unsubscribe function.
function followBlocks(onBlock, onError) {
  let next = null; // the next block number to hand over
  let queue = Promise.resolve();
  return api.rpc.chain.subscribeNewHeads((header) => {
    const top = header.number.toNumber();
    queue = queue.then(async () => {
      if (next === null) next = top;
      for (; next <= top; next += 1) {
        await onBlock(next === top ? header : await api.rpc.chain.getHeader(await api.rpc.chain.getBlockHash(next)));
      }
    }).catch(onError);
  });
}

// Signs `txs` ([tx, pair, nonce]) offline (immortal), then submits them all (with at most `limit`
// submitted and not yet in a block); resolves when every one is in a best block, with per-block
// statistics.
async function blast(name, items, limit = Infinity) {
  const signed = await signAll(items);
  const hashes = new Set(signed.map((s) => s.hash.toHex()));
  const blocks = [];
  const weights = [];
  const failures = [];
  let seen = 0;
  let resolveDone;
  let rejectDone;
  const done = new Promise((res, rej) => { resolveDone = res; rejectDone = rej; });
  const unsub = await followBlocks(async (header) => {
    seen += (await recordBlock(header, (h) => hashes.has(h), seen > 0, { blocks, weights, failures })).length;
    if (seen >= hashes.size) resolveDone();
  }, rejectDone);
  const t0 = Date.now();
  // Submit with bounded concurrency over the one WebSocket.
  const queue = [...signed];
  let sent = 0;
  // One sender's transactions go one by one, in nonce order: submitted concurrently, some arrive
  // ahead of their predecessors and wait in the pool's future queue, which can overflow.
  const signers = new Set(items.map(([, pair]) => pair.address));
  await Promise.all(Array.from({ length: signers.size === 1 ? 1 : 64 }, async () => {
    for (;;) {
      while (sent - seen >= limit) await sleep(100);
      const x = queue.shift();
      if (x === undefined) break;
      sent += 1;
      await api.rpc.author.submitExtrinsic(x);
    }
  }));
  const submitted = Date.now() - t0;
  let timer;
  try {
    await Promise.race([done, new Promise((_, rej) => { timer = setTimeout(() => rej(new Error(`${name}: not all included in 300 s (${seen}/${hashes.size})`)), 300_000); })]);
  } finally {
    // A pending timer would keep the process alive for up to 300 s after the run.
    clearTimeout(timer);
  }
  unsub();
  // Every transaction must have done its work, not only been included.
  assert(failures.length === 0, `${name}: ${failures.length} failed, e.g. ${failures.slice(0, 3).join(', ')}`);
  const avgWeight = weights.reduce((a, b) => a + b, 0n) / BigInt(Math.max(1, weights.length));
  return { name, count: hashes.size, submitMs: submitted, blocks, avgWeight };
}

// The pipelined run (CROWDLABEL_TPS_PIPELINE = 1): every group goes through `steps` (each returns
// its [tx, pair, nonce] list, possibly empty) — takes, spare takes, commits, reveals — starting
// the next as soon as all transactions of the previous one are in a best block (the reveals are
// signed beforehand). All groups start at once. Resolves, like `blast`, with per-block
// statistics of every transaction of the run.
async function pipelined(name, groups, steps) {
  const order = [steps.take, steps.spareTakes, steps.commits, steps.reveals];
  const waiting = new Map(); // tx hash -> called when it is in a block
  const blocks = [];
  const weights = [];
  const failures = [];
  let count = 0;
  let seen = 0;
  let finished = 0;
  let resolveDone;
  let rejectDone;
  const done = new Promise((res, rej) => { resolveDone = res; rejectDone = rej; });
  // A group's reveals need nothing from the chain that its commits did not: they are signed
  // while the commits wait for their block and submitted the moment the commits are in.
  const REVEALS = order.length - 1;
  const STEP_NAMES = ['takes', 'spare takes', 'commits', 'reveals'];
  const t0 = Date.now();
  const presigned = new Map(); // group -> its signed reveals (a promise)
  // Step `k` of group `g`: sign, register, submit; an empty step moves straight on.
  async function advance(g, k) {
    if (k === order.length) {
      finished += 1;
      if (finished === groups.length) resolveDone();
      return;
    }
    const t = Date.now();
    const signed = k === REVEALS && presigned.has(g) ? await presigned.get(g) : await signAll(await order[k](g));
    if (signed.length === 0) return advance(g, k + 1);
    log(`${((Date.now() - t0) / 1000).toFixed(1)} s: group ${groups.indexOf(g)} ${STEP_NAMES[k]}: ${signed.length} transactions (ready after ${Date.now() - t} ms)`);
    let left = signed.length;
    const next = () => {
      left -= 1;
      if (left === 0) advance(g, k + 1).catch(rejectDone);
    };
    for (const x of signed) waiting.set(x.hash.toHex(), next);
    count += signed.length;
    await Promise.all(signed.map((x) => api.rpc.author.submitExtrinsic(x)));
    if (k === REVEALS - 1) {
      const reveals = Promise.resolve(order[REVEALS](g)).then(signAll);
      reveals.catch(() => {}); // rethrown where it is awaited
      presigned.set(g, reveals);
    }
  }
  const unsub = await followBlocks(async (header) => {
    const mine = await recordBlock(header, (h) => waiting.has(h), seen > 0, { blocks, weights, failures });
    // A failed step would leave the group's next step to fail in its turn: stop at once.
    if (failures.length > 0) throw new Error(`${name}: ${failures.length} failed in block ${header.number}, e.g. ${failures.slice(0, 3).join(', ')}`);
    if (seen + mine.length > 0) log(`${((Date.now() - t0) / 1000).toFixed(1)} s: block ${header.number}: ${mine.length} of ours, ${waiting.size - mine.length} waiting`);
    seen += mine.length;
    for (const h of mine) {
      const next = waiting.get(h);
      waiting.delete(h);
      next();
    }
  }, rejectDone);
  for (const g of groups) advance(g, 0).catch(rejectDone);
  let timer;
  try {
    await Promise.race([done, new Promise((_, rej) => { timer = setTimeout(() => rej(new Error(`${name}: not done in 600 s (${finished}/${groups.length} groups)`)), 600_000); })]);
  } finally {
    clearTimeout(timer);
    unsub();
  }
  assert(failures.length === 0, `${name}: ${failures.length} failed, e.g. ${failures.slice(0, 3).join(', ')}`);
  const avgWeight = weights.reduce((a, b) => a + b, 0n) / BigInt(Math.max(1, weights.length));
  return { name, count, submitMs: 0, blocks, avgWeight };
}

async function nonceOf(pair) {
  return (await api.rpc.system.accountNextIndex(pair.address)).toNumber();
}

function summarize(r, maxNormal, perTx) {
  const used = r.blocks.filter((b) => b.ours > 0);
  // Time: from the block before the first inclusion to the last inclusion (block timestamps).
  const span = (used[used.length - 1].now - used[0].now) / 1000 + 3;
  const fill = used.map((b) => Number((b.normal * 1000n) / maxNormal) / 10);
  return {
    workload: r.name,
    transactions: r.count,
    blocks: used.length,
    perBlock: used.map((b) => b.ours),
    maxPerBlock: Math.max(...used.map((b) => b.ours)),
    seconds: span,
    tps: r.count / span,
    fillPercent: fill,
    weightPerTx: perTx,
    limitPerBlock: Number(maxNormal / perTx),
    limitTps: Number(maxNormal / perTx) / 3,
  };
}

try {
  const bw = api.consts.system.blockWeights;
  const maxNormal = bw.perClass.normal.maxTotal.unwrap().refTime.toBigInt();
  log(`normal-class block weight limit: ${maxNormal} ps`);

  // ---- setup (not measured): fund accounts, qualify labelers, one package per labeler.
  // Alice pays for everything (funding, job budgets); large runs need more than her 1M CROL: the
  // other dev accounts send her theirs.
  const budgets = 5n * BigInt(Math.ceil(SLOTS / R) * S) * CROL + BigInt(Math.ceil(workers.length / R) * S * W) * CROL;
  const needed = BigInt(workers.length) * LABELER_FUNDS + BigInt(SENDERS) * SENDER_FUNDS + budgets + 10_000n * CROL;
  const have = (await api.query.system.account(alice.address)).data.free.toBigInt();
  if (needed > have) {
    const donors = [dev.bob, dev.charlie, dev.dave, dev.eve, dev.ferdie];
    const gift = 990_000n * CROL;
    const count = Number((needed - have) / gift) + 1;
    assert(count <= donors.length, `this run needs ${needed / CROL} CROL, more than the dev accounts hold`);
    await blast('top up', await Promise.all(donors.slice(0, count).map(async (d) => [api.tx.balances.transferKeepAlive(alice.address, gift), d, await nonceOf(d)])));
    log(`${count} dev accounts sent Alice ${(gift * BigInt(count)) / CROL} CROL`);
  }
  let nonce = await nonceOf(alice);
  const fund = [
    ...workers.map((p) => [api.tx.balances.transferKeepAlive(p.address, LABELER_FUNDS), alice, nonce++]),
    ...senders.map((p) => [api.tx.balances.transferKeepAlive(p.address, SENDER_FUNDS), alice, nonce++]),
  ];
  await blast('fund', fund);
  log(`funded ${fund.length} accounts`);

  // One class of 200, K = 1, 100% bar: a guesser passes with 1/200 = 0.5%, below the runtime's
  // 1% bound (labelers.GuessableBar); each round pays one gold item's fee.
  const params = {
    bar: { MinMeanAgreement: 1_000_000_000 }, roundSize: 1, cooldown: 10,
    answerWindow: 1000, revealWindow: 1000, sigma: '200000000000000000',
  };
  const r = await curate(api, api.tx.labelers.createDomain('tps', { SingleClass: { classes: 200 } }, params), alice);
  const domain = findEvent(r.events, 'labelers', 'DomainCreated').data.domain.toNumber();
  const gold = { Class: 1 };
  const salt = randomAsU8a(32);
  const c = goldCommitment(api, gold, salt);
  // Qualification in chunks: a domain holds at most MaxGoldStock unrevealed gold items, and each
  // round uses (and retires) one.
  const chunk = Math.min(900, api.consts.labelers.maxGoldStock.toNumber());
  for (let from = 0; from < workers.length; from += chunk) {
    const cohort = workers.slice(from, from + chunk);
    for (let i = 0; i < cohort.length; i += 100) {
      const batch = cohort.slice(i, i + 100).map((_, k) => [blake2AsHex(`${run}-gold-${from + i + k}`, 256), c]);
      await curate(api, api.tx.labelers.addGold(domain, batch), alice);
    }
    await blast('register', cohort.map((p) => [api.tx.labelers.register([domain]), p, 0]));
    await blast('request', cohort.map((p) => [api.tx.labelers.requestQualification(domain), p, 1]));
    const rounds = new Map();
    for (const [key, round] of await api.query.labelers.rounds.entries()) {
      const rd = round.unwrap();
      rounds.set(rd.labeler.toString(), key.args[0].toNumber());
    }
    await blast('answer', cohort.map((p) => [api.tx.labelers.submitQualification(rounds.get(p.address), [gold]), p, 2]));
    nonce = await nonceOf(alice);
    await blast('grade', cohort.map((p) => [api.tx.sudo.sudo(api.tx.labelers.revealGold(rounds.get(p.address), [[gold, salt]])), alice, nonce++]));
  }
  for (const p of labelers.slice(0, 3)) {
    assert((await api.query.labelers.qualifications(p.address, domain)).unwrap().isQualified, 'labeler qualified');
  }
  log(`${workers.length} labelers qualified`);
  // Jobs of up to P packages of S items, R = 3; labeler i works in job floor(i / 99) (K = 1,
  // M = 1), or in the K jobs of its group of PER_JOB.
  const jobs = [];
  const jobSizes = [];
  if (!GROUPED) {
    for (let i = 0; i < L; i += PER_JOB) jobSizes.push((Math.min(PER_JOB, L - i) / R) * S);
  } else {
    for (let j = 0; j < GROUPS * K; j++) jobSizes.push(P * S);
  }
  // Created in one go (one sender: included in nonce order, so the ids are consecutive).
  const firstJob = (await api.query.jobs.nextJobId()).toNumber();
  nonce = await nonceOf(alice);
  await blast('jobs', jobSizes.map((n, j) => {
    const items = Array.from({ length: n }, (_, k) => blake2AsHex(`${run}-item-${j}-${k}`, 256));
    return [api.tx.jobs.createJob({ domain, items, redundancy: R, packageSize: S, budget: 5n * BigInt(n) * CROL, duration: 2000, commitWindow: 500, revealWindow: 500, challenges: null }), alice, nonce++];
  }));
  jobs.push(...jobSizes.map((_, j) => firstJob + j));
  assertEq((await api.query.jobs.nextJobId()).toNumber(), firstJob + jobSizes.length, 'every job created');
  for (const [j, n] of jobSizes.entries()) {
    assertEq((await api.query.jobs.jobDetails(jobs[j])).unwrap().packages.toNumber(), n / S, `job ${jobs[j]} has its packages`);
  }
  // The jobs labeler i works in.
  const jobsOf = (i) => (!GROUPED ? [jobs[Math.floor(i / PER_JOB)]] : jobs.slice(Math.floor(i / PER_JOB) * K, Math.floor(i / PER_JOB) * K + K));
  // One call, or a batch of K calls.
  const step = (calls) => (calls.length === 1 ? calls[0] : api.tx.utility.batchAll(calls));
  const labels = Array.from({ length: S }, () => ({ Class: 2 }));
  const lsalt = randomAsU8a(32);
  // The chain chose the packages: read them back (job, labeler) -> [package].
  // Each labeler's packages in `jobList` (`${job}/${address}` -> indices), from the
  // `PackageTaken` events of the blocks recorded so far (complete for a step's jobs once every
  // take of the step is in a recorded block): no query to the node, which is busy building blocks.
  const packagesOf = (jobList) => new Map([...takenSeen].filter(([key]) => jobList.includes(Number(key.split('/')[0]))));
  // Every (job, package) of `pair` in `jobList`.
  const heldBy = (pkgOf, pair, jobList) => jobList.flatMap((job) => (pkgOf.get(`${job}/${pair.address}`) ?? []).map((pkg) => [job, pkg]));
  // Nonce of a labeler's first measured transaction (after register, request, answer and the
  // three warm-up steps, if any).
  let first = 3;

  // ---- warm-up (not measured): w packages per labeler, in w jobs per group of 99 labelers.
  if (W > 0) {
    const groups = Math.ceil(workers.length / 99);
    const start = (await api.query.jobs.nextJobId()).toNumber();
    nonce = await nonceOf(alice);
    const creations = [];
    for (let g = 0; g < groups; g++) {
      const n = (Math.min(99, workers.length - g * 99) / R) * S;
      for (let w = 0; w < W; w++) {
        const items = Array.from({ length: n }, (_, k) => blake2AsHex(`${run}-warm-${g}-${w}-${k}`, 256));
        creations.push([api.tx.jobs.createJob({ domain, items, redundancy: R, packageSize: S, budget: BigInt(n) * CROL, duration: 2000, commitWindow: 500, revealWindow: 500, challenges: null }), alice, nonce++]);
      }
    }
    await blast('warm-up jobs', creations);
    const warm = Array.from({ length: groups * W }, (_, k) => start + k);
    const warmOf = (i) => warm.slice(Math.floor(i / 99) * W, Math.floor(i / 99) * W + W);
    await blast('warm-up takes', workers.map((p, i) => [step(warmOf(i).map((job) => api.tx.jobs.takePackage(job))), p, 3]));
    const wpkg = packagesOf(warm);
    assertEq(wpkg.size, workers.length * W, 'every labeler holds one warm-up package per warm-up job');
    await blast('warm-up commits', workers.map((p, i) => [step(warmOf(i).map((job) => {
      const [pkg] = wpkg.get(`${job}/${p.address}`);
      return api.tx.jobs.commitLabels(job, pkg, labelCommitment(api, p, job, pkg, labels, lsalt));
    })), p, 4]));
    await blast('warm-up reveals', workers.map((p, i) => [step(warmOf(i).map((job) => revealCall(api, job, wpkg.get(`${job}/${p.address}`)[0], labels, lsalt, R))), p, 5]));
    for (const job of warm) {
      const j = (await api.query.jobs.jobDetails(job)).unwrap();
      assertEq(j.completed.toNumber(), j.packages.toNumber(), `warm-up job ${job}: every package complete`);
    }
    // Every labeler's first min(w, NewcomerPackages) accepted packages earned the bonus: with
    // w >= NewcomerPackages none of the measured judgements pays one.
    const want = Math.min(W, api.consts.jobs.newcomerPackages.toNumber());
    const progress = (await api.query.jobs.newcomerProgress.multi(workers.map((p) => p.address))).map((x) => x.toNumber());
    assertEq(progress.filter((x) => x === want).length, workers.length, `every labeler's newcomer progress is ${want} after the warm-up`);
    log(`warm-up: ${workers.length * W} packages accepted; every labeler's newcomer progress is ${want}`);
    first = 6;
  }

  // ---- measured: package takes, label commits, then reveals (a package's reveals open when its
  // R slots are committed; commits name the package the chain assigned, so each of a labeler's
  // steps waits for its previous one): in three phases, or pipelined (see the header).
  const tag = `${K > 1 ? ` (batches of ${K})` : ''}${M > 1 ? ` (${M} packages per take)` : ''}`;
  const takeOf = (job) => (M === 1 ? api.tx.jobs.takePackage(job) : api.tx.jobs.takePackages(job, M));
  const slots = jobSizes.reduce((a, n) => a + (n / S) * R, 0);
  const sizeOf = new Map(jobs.map((job, j) => [job, jobSizes[j]]));
  // Free slots of each job in `jobList` once `takers` have taken theirs.
  const freeSlots = (pkgOf, jobList, takers) => new Map(jobList.map((job) => [job, (sizeOf.get(job) / S) * R - takers.reduce((a, p) => a + (pkgOf.get(`${job}/${p.address}`) ?? []).length, 0)]));
  // Spare s takes one package in every job with more than s free slots: [spare, its jobs].
  const spareWork = (free, jobList, spareList) => spareList.map((p, s) => [p, jobList.filter((job) => free.get(job) > s)]).filter(([, js]) => js.length > 0);
  let pipelineRuns;
  let packagesTaken;
  if (PIPELINED) {
    const nGroups = GROUPED ? GROUPS : Math.ceil(L / PER_JOB);
    const groups = Array.from({ length: nGroups }, (_, g) => ({
      labelers: labelers.slice(g * PER_JOB, (g + 1) * PER_JOB),
      spares: spares.slice(g * SPARES_PER_GROUP, (g + 1) * SPARES_PER_GROUP),
      jobs: jobsOf(g * PER_JOB),
    }));
    const piped = await pipelined(`pipeline: takes, commits, reveals of ${nGroups} groups${tag}`, groups, {
      take: (g) => g.labelers.map((p) => [step(g.jobs.map(takeOf)), p, first]),
      spareTakes: async (g) => {
        const pkgOf = packagesOf(g.jobs);
        const free = freeSlots(pkgOf, g.jobs, g.labelers);
        const most = Math.max(0, ...free.values());
        assert(most <= g.spares.length, `${most} free slots in a job, only ${g.spares.length} spare labelers`);
        g.working = spareWork(free, g.jobs, g.spares);
        return g.working.map(([p, js]) => [step(js.map((job) => api.tx.jobs.takePackage(job))), p, first]);
      },
      commits: async (g) => {
        const pkgOf = packagesOf(g.jobs);
        const held = g.labelers.concat(g.working.map(([p]) => p));
        const free = freeSlots(pkgOf, g.jobs, held);
        assert([...free.values()].every((n) => n === 0), 'every slot of the group\'s jobs is taken');
        g.crew = [
          ...g.labelers.map((p) => [p, heldBy(pkgOf, p, g.jobs)]),
          ...g.working.map(([p, js]) => [p, heldBy(pkgOf, p, js)]),
        ];
        return g.crew.map(([p, h]) => [step(h.map(([job, pkg]) => api.tx.jobs.commitLabels(job, pkg, labelCommitment(api, p, job, pkg, labels, lsalt)))), p, first + 1]);
      },
      reveals: (g) => g.crew.map(([p, h]) => [step(h.map(([job, pkg]) => revealCall(api, job, pkg, labels, lsalt, R))), p, first + 2]),
    });
    pipelineRuns = [piped];
    packagesTaken = slots;
    log(`${slots} package slots taken, committed and revealed by ${L} labelers and ${groups.reduce((a, g) => a + g.working.length, 0)} spares in ${nGroups} groups`);
  } else {
    const takeRun = await blast(`package takes${tag}`, labelers.map((p, i) => [step(jobsOf(i).map(takeOf)), p, first]));
    let pkgOf = packagesOf(jobs);
    // Slots the draws left free: spare s takes one package in every job with more than s free.
    const free = freeSlots(pkgOf, jobs, labelers);
    const most = Math.max(0, ...free.values());
    assert(most <= SPARES, `${most} free slots in a job, only ${SPARES} spare labelers`);
    const working = spareWork(free, jobs, spares);
    let fillRun = null;
    if (working.length > 0) {
      fillRun = await blast('spare takes (free slots)', working.map(([p, js]) => [step(js.map((job) => api.tx.jobs.takePackage(job))), p, first]));
      pkgOf = packagesOf(jobs);
    }
    packagesTaken = [...pkgOf.values()].reduce((a, x) => a + x.length, 0);
    assertEq(packagesTaken, slots, 'every slot of every package is taken');
    log(`${packagesTaken} package slots taken by ${L} labelers${fillRun ? ` and ${working.length} spares (${fillRun.count} transactions)` : ''}`);
    // Each worker's (job, package) pairs; spares only where they took one.
    const crew = [
      ...labelers.map((p, i) => [p, heldBy(pkgOf, p, jobsOf(i))]),
      ...working.map(([p, js]) => [p, heldBy(pkgOf, p, js)]),
    ];
    const commitRun = await blast(`label commits${tag}`, crew.map(([p, held]) => [step(held.map(([job, pkg]) => api.tx.jobs.commitLabels(job, pkg, labelCommitment(api, p, job, pkg, labels, lsalt)))), p, first + 1]));
    const revealRun = await blast(`label reveals${tag} (every 3rd judges its package)`, crew.map(([p, held]) => [step(held.map(([job, pkg]) => revealCall(api, job, pkg, labels, lsalt, R))), p, first + 2]));
    pipelineRuns = [takeRun, ...(fillRun ? [fillRun] : []), commitRun, revealRun];
  }
  for (const job of jobs) {
    const j = (await api.query.jobs.jobDetails(job)).unwrap();
    assertEq(j.completed.toNumber(), j.packages.toNumber(), `job ${job}: every package judged and complete`);
  }
  const per = Math.ceil(T / SENDERS);
  const transferTxs = [];
  // Nonce k of every sender, then k + 1: a sender's transactions are submitted 300 apart, so
  // they reach the pool in nonce order (not parked in its small future queue).
  for (let k = 0; k < per; k++) {
    senders.forEach((p, i) => {
      if (transferTxs.length < T) transferTxs.push([api.tx.balances.transferKeepAlive(senders[(i + 1) % SENDERS].address, CROL / 100n), p, k]);
    });
  }
  const transferRun = await blast('balance transfers', transferTxs, PIPELINED ? 4000 : Infinity);
  // Next nonce of each sender after the plain transfers.
  const sentBy = new Map(senders.map((p) => [p.address, 0]));
  for (const [, p] of transferTxs) sentBy.set(p.address, sentBy.get(p.address) + 1);
  // The same transfers in batches of K, for comparison with the batched pipeline.
  let batchedTransferRun = null;
  if (K > 1) {
    const batched = [];
    for (let k = 0; k < Math.ceil(per / K); k++) {
      senders.forEach((p, i) => {
        if (batched.length * K >= T) return;
        const calls = Array.from({ length: K }, () => api.tx.balances.transferKeepAlive(senders[(i + 2) % SENDERS].address, CROL / 100n));
        batched.push([api.tx.utility.batchAll(calls), p, sentBy.get(p.address) + k]);
      });
    }
    batchedTransferRun = await blast(`balance transfers (batches of ${K})`, batched, PIPELINED ? 4000 / K : Infinity);
    batchedTransferRun.calls = batched.length * K;
  }

  // Weight per transaction: the actual weight reported in ExtrinsicSuccess (it includes the
  // per-extrinsic base weight: the block's normal-class weight / its transactions gives the same).
  const runs = [...pipelineRuns, transferRun, ...(batchedTransferRun ? [batchedTransferRun] : [])];
  const rows = runs.map((x) => summarize(x, maxNormal, x.avgWeight));
  assert(rows.every((x) => x.transactions > 0), 'measured something');
  // Labeled items: every package complete (checked above), S items each.
  const items = (packagesTaken / R) * S;
  const pipeline = rows.slice(0, pipelineRuns.length);
  const seconds = pipeline.reduce((a, x) => a + x.seconds, 0);
  // Weight of one labeled item: the pipeline's whole weight (every take, commit, reveal and
  // the judgement inside each package's last reveal) / the items labeled.
  const weightPerItem = pipelineRuns.reduce((a, x) => a + x.avgWeight * BigInt(x.count), 0n) / BigInt(items);
  const transfers = rows[pipelineRuns.length];
  // Batched transfers: transfers (calls) per second and per weight.
  const batchedTransfers = batchedTransferRun && {
    perSecond: batchedTransferRun.calls / rows[pipelineRuns.length + 1].seconds,
    limitPerSecond: Number(maxNormal / (batchedTransferRun.avgWeight / BigInt(K))) / 3,
  };
  const summary = {
    packageSize: S,
    redundancy: R,
    batch: K,
    perTake: M,
    warmup: W,
    labelers: L,
    items,
    seconds,
    itemsPerSecond: items / seconds,
    itemLimitPerSecond: Number(maxNormal / weightPerItem) / 3,
    weightPerItem,
    transfersPerSecond: transfers.tps,
    transferLimitPerSecond: transfers.limitTps,
    batchedTransfers,
  };

  console.log('| workload | txs | blocks | txs per block | max per block | seconds | tx/s | normal weight used per block | weight per tx (ref time) | weight limit per block | weight limit tx/s |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const x of rows) {
    console.log(`| ${x.workload} | ${x.transactions} | ${x.blocks} | ${x.perBlock.join(', ')} | ${x.maxPerBlock} | ${x.seconds.toFixed(0)} | ${x.tps.toFixed(1)} | ${x.fillPercent.map((f) => f + '%').join(', ')} | ${(Number(x.weightPerTx) / 1e6).toFixed(1)} µs | ${x.limitPerBlock} | ${x.limitTps.toFixed(0)} |`);
  }
  console.log('');
  console.log('| pipeline | items labeled | seconds | items/s | weight per item (ref time) | weight limit items/s | transfers/s | weight limit transfers/s | items/s ÷ transfers/s (measured, limit) |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  const s = summary;
  console.log(`| take + commit + reveal (judged), packages of ${S}, R = ${R}${K > 1 ? `, batches of ${K}` : ''}${M > 1 ? `, ${M} packages per take` : ''}${W > 0 ? `, veterans (${W} packages each before)` : ''} | ${s.items} | ${s.seconds.toFixed(0)} | ${s.itemsPerSecond.toFixed(1)} | ${(Number(s.weightPerItem) / 1e6).toFixed(1)} µs | ${s.itemLimitPerSecond.toFixed(0)} | ${s.transfersPerSecond.toFixed(1)} | ${s.transferLimitPerSecond.toFixed(0)} | ${(s.itemsPerSecond / s.transfersPerSecond).toFixed(2)}, ${(s.itemLimitPerSecond / s.transferLimitPerSecond).toFixed(2)} |`);
  if (batchedTransfers) {
    const b = batchedTransfers;
    console.log('');
    console.log(`Transfers in batches of ${K}: ${b.perSecond.toFixed(1)} transfers/s measured, ${b.limitPerSecond.toFixed(0)} at the weight limit; labeled items/s ÷ batched transfers/s: ${(s.itemsPerSecond / b.perSecond).toFixed(2)} measured, ${(s.itemLimitPerSecond / b.limitPerSecond).toFixed(2)} at the limit.`);
  }
  if (process.env.CROWDLABEL_TPS_JSON) {
    writeFileSync(process.env.CROWDLABEL_TPS_JSON, JSON.stringify({ rows, summary }, (_, v) => (typeof v === 'bigint' ? v.toString() : v), 2));
  }
} finally {
  await api.disconnect();
}
