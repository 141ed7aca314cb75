// The whole CrowdLabel flow through the app in a real browser (headless Chromium driven by
// puppeteer-core), every user in their own browser context, against the dev node and a content
// node. Every chain action is a click in the app; this script only reads the chain to check.
//   1. Alice, the curator, creates a box domain and adds 4 gold images, drawing each answer box
//      with the mouse (salts kept in her browser).
//   2. Charlie, Dave, Eve and Ferdie register and qualify: each draws the box on the gold image
//      the chain hands out; Alice reveals the gold answers.
//   3. Bob, a data owner, adds 4 photos (CIDs computed in the browser) and registers them.
//   4. AliceStash, a requester, creates a job of the same files with a hidden challenge placed at
//      random (her answer drawn and committed in her browser).
//   5. Charlie, Dave and Ferdie take every package and label by drawing boxes; Ferdie draws junk.
//      Reveals happen automatically; Ferdie is slashed; Eve fills the freed slots.
//   6. The requester exports the challenge answers, the curator imports them and reveals them;
//      the requester settles, publishes the dataset, downloads COCO and CSV: they match the
//      chain's consensus.
//   7. BobStash, a buyer, purchases the dataset and verifies an inclusion proof in the browser.
//   8. Bob claims his share of the sale; Charlie claims his job rewards.
// Env: CROWDLABEL_WS, CHROMIUM_BIN; CROWDLABEL_APP_SHOTS=dir saves the steps' screenshots.
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, assert, assertEq, crowdlabelRpc, CROL } from './lib.mjs';
import { startContentNode } from '../tools/content-node/content-node.mjs';
import { serveApp, launch, openAs, clickTx, drawBox, png, shot, shutdown } from './app-lib.mjs';

const WS = process.env.CROWDLABEL_WS ?? 'ws://127.0.0.1:9944';
const SHOT_DIR = process.env.CROWDLABEL_SHOT_DIR || '/tmp';
const W = 200;
const H = 150;
const step = (msg) => console.log(`- ${msg}`);

const dir = mkdtempSync(join(tmpdir(), 'crowdlabel-app-flow-'));
const downloads = (who) => {
  const d = join(dir, `downloads-${who}`);
  return d;
};
const app = await serveApp();
const content = await startContentNode({ port: 0, dir: join(dir, 'blocks') });
const { api, provider, dev, keyring } = await connect(WS);
const rpc = (method, ...params) => crowdlabelRpc(provider, method, ...params);
const tag = Date.now().toString(36);
let browser;
const pages = {};

async function open(as, role) {
  const page = await openAs(browser, app.url, { ws: WS, gateway: content.url, as, role, downloads: downloads(as) });
  pages[as] = page;
  return page;
}
async function fill(page, selector, value) {
  await page.click(selector, { clickCount: 3 });
  await page.keyboard.press('Backspace');
  await page.type(selector, String(value));
}
async function waitFile(path, timeout = 30_000) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    if (existsSync(path)) {
      const text = readFileSync(path, 'utf8');
      if (text.length) return text;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no download ${path}`);
}
/** The rectangle drawn in file `name` (the test's images). */
const rectOfHash = new Map();
function image(name, rect, seed) {
  const path = join(dir, name);
  writeFileSync(path, png(W, H, rect, seed, `${name} ${tag}`));
  return path;
}

try {
  browser = await launch();
  // Image files: 4 gold images and 4 photos, each a dark rectangle on grey.
  const goldRects = [0, 1, 2, 3].map((i) => ({ xMin: 20 + 10 * i, yMin: 20 + 5 * i, xMax: 120 + 10 * i, yMax: 100 + 5 * i }));
  const photoRects = [0, 1, 2, 3].map((i) => ({ xMin: 60 - 10 * i, yMin: 30 + 4 * i, xMax: 170 - 10 * i, yMax: 130 - 4 * i }));
  // Each file names the run, so a rerun on the same chain registers new items.
  const run = 0;
  const goldFiles = goldRects.map((r, i) => image(`gold${i}-${tag}.png`, r, run + 100 + i));
  const photoFiles = photoRects.map((r, i) => image(`photo${i}-${tag}.png`, r, run + 200 + i));
  const { createHash } = await import('node:crypto');
  const digest = (path) => '0x' + createHash('sha256').update(readFileSync(path)).digest('hex');
  goldFiles.forEach((f, i) => rectOfHash.set(digest(f), goldRects[i]));
  photoFiles.forEach((f, i) => rectOfHash.set(digest(f), photoRects[i]));
  const rectOf = async (page, testId) => {
    const item = await page.$eval(`[data-testid="${testId}-label"]`, (e) => e.dataset.item);
    const rect = rectOfHash.get(item);
    assert(rect, `${testId} shows one of the test's images (${item})`);
    return { item, rect };
  };

  // 1. The curator's domain and gold.
  const curator = await open('Alice', 'curator');
  const domainName = `app boxes ${tag}`;
  await fill(curator, '[data-testid=domain-name]', domainName);
  await clickTx(curator, '[data-testid=create-domain]', 'create-domain-status');
  const domain = (await api.query.labelers.nextDomainId()).toNumber() - 1;
  const onChain = (await api.query.labelers.domains(domain)).unwrap();
  assertEq([onChain.name.toUtf8(), onChain.kind.toString()], [domainName, '{"boundingBoxes":{"classes":2}}'], 'the domain the curator created');
  await curator.waitForFunction((d) => document.querySelector(`[data-testid=gold-domain] option[value="${d}"]`), { timeout: 30_000 }, domain);
  await curator.select('[data-testid=gold-domain]', String(domain));
  await (await curator.$('[data-testid=gold-files]')).uploadFile(...goldFiles);
  for (let i = 0; i < 4; i++) {
    await curator.waitForSelector(`[data-testid="gold-${i}-label"]`, { timeout: 30_000 });
    const { rect } = await rectOf(curator, `gold-${i}`);
    await drawBox(curator, `gold-${i}`, rect, 0);
  }
  await shot(curator, 'curator-gold');
  await clickTx(curator, '[data-testid=add-gold]', 'add-gold-status');
  const stock = (await api.query.labelers.goldStock(domain)).length;
  assertEq(stock, 4, 'four gold items in stock');
  step(`curator: domain ${domain} "${domainName}" and 4 gold boxes drawn in the browser`);

  // 2. Four labelers register (or declare the domain) and qualify by drawing the gold box.
  const crewNames = ['Charlie', 'Dave', 'Eve', 'Ferdie'];
  const crew = await Promise.all(crewNames.map((n) => open(n, 'labeler')));
  await Promise.all(crew.map(async (page) => {
    await page.waitForSelector('[data-testid=registration]', { timeout: 30_000 });
    const fresh = await page.$(`[data-testid=register-domain-${domain}]`);
    if (fresh) {
      await fresh.click();
      await clickTx(page, '[data-testid=register]', 'tx-status', '[data-testid=registration]');
    } else {
      await clickTx(page, `[data-testid=declare-domain-${domain}]`, 'tx-status', '[data-testid=registration]');
    }
    const q = `[data-testid=qual-${domain}]`;
    await clickTx(page, `[data-testid=qual-${domain}-request]`, 'tx-status', q);
    await page.waitForSelector(`${q}[data-phase=answering]`, { timeout: 60_000 });
    const { rect } = await rectOf(page, `qual-${domain}-0`);
    await drawBox(page, `qual-${domain}-0`, rect, 0);
    if (page.who === 'Charlie') await shot(page, 'labeler-qualification');
    await clickTx(page, `[data-testid=qual-${domain}-submit]`, 'tx-status', q);
    await page.waitForSelector(`${q}[data-phase=answered]`, { timeout: 60_000 });
  }));
  step('Charlie, Dave, Eve and Ferdie answered their gold rounds by drawing boxes');
  await curator.waitForFunction((n) => document.querySelectorAll('[data-testid=answered-rounds] li button').length >= n, { timeout: 60_000 }, 4);
  await clickTx(curator, '[data-testid=reveal-all-gold]', 'reveal-gold-status');
  for (const page of crew) {
    await page.waitForSelector(`[data-testid=standing] tr[data-domain="${domain}"][data-qualified=true]`, { timeout: 60_000 });
    const standing = await rpc('labeler', dev[page.who.toLowerCase()].address, null);
    assert(standing.domains.find((d) => d.domain === domain)?.qualified, `${page.who} qualified on chain`);
  }
  step('the curator revealed the gold: all four qualified (chain and app agree)');

  // 3. The data owner registers the photos.
  const owner = await open('Bob', 'owner');
  await (await owner.$('[data-testid=owner-files]')).uploadFile(...photoFiles);
  await owner.waitForFunction(() => document.querySelectorAll('[data-testid=owner-table] tr').length === 4 &&
    [...document.querySelectorAll('[data-testid=owner-table] tr')].every((r) => r.textContent.includes('verified')), { timeout: 60_000 });
  await owner.select('[data-testid=owner-domain]', String(domain));
  await clickTx(owner, '[data-testid=owner-register]', 'tx-status', '[data-testid=owner]');
  for (const f of photoFiles) assertEq((await api.query.datasets.dataItems(digest(f))).unwrap().owner.toString(), dev.bob.address, 'photo owned by Bob');
  step('Bob registered the 4 photos');

  // 4. The requester's job with a hidden challenge.
  const requester = await open('AliceStash', 'requester');
  await requester.waitForFunction((d) => document.querySelector(`[data-testid=job-domain] option[value="${d}"]`), { timeout: 30_000 }, domain);
  await requester.select('[data-testid=job-domain]', String(domain));
  await (await requester.$('[data-testid=job-files]')).uploadFile(...photoFiles);
  await requester.waitForFunction(() => document.querySelectorAll('[data-testid=job-items] li').length === 4, { timeout: 60_000 });
  await requester.click('[data-testid=pick-challenges]');
  await requester.waitForSelector('[data-testid="challenge-0-label"]');
  assert(!(await requester.$('[data-testid="challenge-1-label"]')), 'one challenge among 4 items (~5 %, at least one)');
  const challenge = await rectOf(requester, 'challenge-0');
  const challengeIndex = Number(await requester.$eval('[data-testid=challenge-0]', (e) => e.dataset.index));
  await drawBox(requester, 'challenge-0', challenge.rect, 0);
  await shot(requester, 'requester-job');
  await clickTx(requester, '[data-testid=create-job-submit]', 'tx-status', '[data-testid=create-job]');
  const job = Number((await requester.$eval('[data-testid=job-created]', (e) => e.textContent)).match(/job (\d+)/)[1]);
  const details = (await api.query.jobs.jobDetails(job)).unwrap();
  assertEq([details.items.toNumber(), details.packages.toNumber(), details.redundancy.toNumber(), details.challenges.isSome], [4, 2, 3, true], 'the job on chain: 4 items, 2 packages, R = 3, challenges committed');
  step(`requester: job ${job} with a hidden challenge at item ${challengeIndex}`);

  // 5. Labeling. Charlie, Dave and Ferdie take both packages each; Ferdie draws junk.
  const byName = Object.fromEntries(crew.map((p) => [p.who, p]));
  // The crew takes both packages with one `takePackages(job, 2)` (the count field); Eve, later,
  // with two single takes.
  async function takeAndLabel(page, honest, batched = true) {
    if (batched) {
      const count = await page.$(`[data-testid=take-count-${job}]`);
      await count.click({ clickCount: 3 });
      await count.type('2');
      await clickTx(page, `[data-testid=take-${job}]`, 'take-status');
    } else {
      for (let k = 0; k < 2; k++) await clickTx(page, `[data-testid=take-${job}]`, 'take-status');
    }
    for (const p of [0, 1]) {
      const pkg = `[data-testid=pkg-${job}-${p}]`;
      await page.waitForSelector(`${pkg}[data-state=Taken]`, { timeout: 60_000 });
      for (const i of [0, 1]) {
        const testId = `pkg-${job}-${p}-${i}`;
        const { rect } = await rectOf(page, testId);
        const junk = { xMin: 0, yMin: 0, xMax: 12, yMax: 12 };
        await drawBox(page, testId, honest ? rect : junk, honest ? 0 : 1);
      }
      if (page.who === 'Charlie' && p === 0) await shot(page, 'labeler-package');
      await clickTx(page, `[data-testid=pkg-${job}-${p}-commit]`, 'tx-status', pkg, { inBlock: true });
    }
  }
  await Promise.all([takeAndLabel(byName.Charlie, true), takeAndLabel(byName.Dave, true), takeAndLabel(byName.Ferdie, false)]);
  step('Charlie, Dave and Ferdie drew and committed both packages');
  // The reveals open with the last commit; each page reveals on its own.
  for (const p of [0, 1]) {
    await byName.Ferdie.waitForSelector(`[data-testid=history-${job}-${p}][data-outcome=slashed]`, { timeout: 120_000 });
    for (const w of ['Charlie', 'Dave']) await byName[w].waitForSelector(`[data-testid=pkg-${job}-${p}][data-state=Accepted]`, { timeout: 60_000 });
    await waitFor(async () => (await api.query.jobs.packages(job, p)).accepted.toNumber() === 2, `package ${p}: Charlie and Dave accepted`);
    assert((await api.query.jobs.assignments(job, p, dev.ferdie.address)).isNone, `Ferdie's slot in package ${p} freed`);
  }
  await shot(byName.Ferdie, 'labeler-slashed');
  step('reveals happened automatically; Ferdie was slashed in both packages');
  await takeAndLabel(byName.Eve, true, false);
  await waitFor(async () => (await rpc('jobProgress', job, null)).completedPackages === 2, 'both packages complete');
  step('Eve filled the freed slots: both packages complete');

  // 6. Challenge reveal by the curator from the requester's export, settlement, dataset, results.
  await requester.waitForSelector(`[data-testid=job-${job}][data-complete="2"]`, { timeout: 60_000 });
  await requester.click(`[data-testid=job-${job}-reveal]`);
  const exported = join(downloads('AliceStash'), `crowdlabel-challenges-job-${job}.json`);
  await waitFile(exported);
  await (await curator.$('[data-testid=curator-import]')).uploadFile(exported);
  await curator.waitForFunction(() => (document.querySelector('[data-testid=curator-imported]')?.textContent ?? '').startsWith('imported 1'), { timeout: 30_000 });
  await clickTx(curator, `[data-testid=reveal-challenges-${job}]`, 'reveal-challenges-status');
  const afterReveal = (await api.query.jobs.jobDetails(job)).unwrap();
  assertEq([afterReveal.challengesRevealed.isTrue, afterReveal.goldChecked.toNumber(), afterReveal.goldWrong.toNumber()], [true, 3, 0], 'challenge revealed: 3 labels checked, none wrong');
  step('the curator imported the requester\'s challenge answers and revealed them: 3 checked, 0 wrong');
  await clickTx(requester, `[data-testid=job-${job}-settle]`, `job-${job}-settle-status`);
  assertEq((await api.query.jobs.jobDetails(job)).unwrap().status.toString(), 'Settled', 'job settled');
  await clickTx(requester, `[data-testid=job-${job}-publish]`, `job-${job}-publish-status`);
  const dataset = (await api.query.datasets.datasetOfJob(job)).unwrap().toNumber();
  await requester.click(`[data-testid=job-${job}-coco]`);
  const coco = JSON.parse(await waitFile(join(downloads('AliceStash'), `job-${job}.coco.json`)));
  await requester.click(`[data-testid=job-${job}-csv]`);
  const csv = await waitFile(join(downloads('AliceStash'), `job-${job}.csv`));
  await shot(requester, 'requester-results');
  const results = await rpc('jobResults', job, 0, 10, null);
  assertEq(coco.images.length, 4, 'COCO: 4 images');
  for (const r of results) {
    const img = coco.images.find((i) => i.crowdlabel_item === r.item);
    assert(img && img.width === W && img.height === H, `COCO image of item ${r.index} with its size`);
    const boxes = coco.annotations.filter((a) => a.image_id === img.id).map((a) => ({ xMin: a.bbox[0], yMin: a.bbox[1], xMax: a.bbox[0] + a.bbox[2], yMax: a.bbox[1] + a.bbox[3], class: a.category_id - 1 }));
    assertEq(boxes, r.label.boxes, `COCO boxes of item ${r.index} = the chain's consensus`);
    assertEq(r.label.boxes.map(({ class: _, ...b }) => b), [rectOfHash.get(r.item)], `consensus of item ${r.index} is the honest box`);
  }
  assertEq(csv.trim().split(/\r?\n/).length, 5, 'CSV: a header and 4 rows');
  step(`settled, dataset ${dataset} published; COCO (${coco.annotations.length} boxes) and CSV downloads match the chain's consensus`);

  // 7. The buyer purchases and checks an inclusion proof in the browser.
  const buyer = await open('BobStash', 'buyer');
  await buyer.waitForSelector(`[data-testid=dataset-${dataset}-buy]`, { timeout: 60_000 });
  const sales = (await api.query.datasets.nextSaleId()).toNumber();
  await clickTx(buyer, `[data-testid=dataset-${dataset}-buy]`, `dataset-${dataset}-buy-status`);
  const sale = (await api.query.datasets.sales(sales)).unwrap();
  assertEq([sale.dataset.toNumber(), sale.buyer.toString()], [dataset, keyring.addFromUri('//Bob//stash').address], 'the sale on chain');
  await fill(buyer, `[data-testid=dataset-${dataset}-leaf]`, 2);
  await buyer.click(`[data-testid=dataset-${dataset}-prove]`);
  await buyer.waitForSelector(`[data-testid=dataset-${dataset}-proof][data-ok=true]`, { timeout: 30_000 });
  await shot(buyer, 'buyer-purchase');
  step(`BobStash bought dataset ${dataset} (sale ${sales}); the inclusion proof of leaf 2 verified in the browser`);

  // 8. Claims.
  await owner.waitForFunction(() => (document.querySelector('[data-testid=owner-unclaimed]')?.textContent ?? '0 CROL') !== '0 CROL', { timeout: 60_000 });
  const unclaimed = (await api.query.datasets.unclaimed(dev.bob.address)).unwrap().toBigInt();
  assert(unclaimed >= 4n * 40n * CROL, `Bob's share of the sale is unclaimed: ${unclaimed}`);
  await clickTx(owner, '[data-testid=owner-claim]', 'owner-claim-status');
  assert((await api.query.datasets.unclaimed(dev.bob.address)).isNone, 'Bob claimed everything');
  await shot(owner, 'owner-claimed');
  const charlie = byName.Charlie;
  await charlie.waitForSelector('[data-testid=claim-rewards]:not([disabled])', { timeout: 60_000 });
  await clickTx(charlie, '[data-testid=claim-rewards]', 'claim-rewards-status');
  assertEq((await api.query.jobs.unclaimedRewards(dev.charlie.address)).toBigInt(), 0n, 'Charlie claimed his job rewards');
  step(`Bob claimed ${unclaimed / CROL} CROL from the sale; Charlie claimed his job rewards`);
  console.log('APP FLOW OK');
} catch (e) {
  console.error(`FAILED: ${e.message}\n${String(e.stack).split('\n').filter((l) => l.includes('/e2e/app-')).join('\n')}`);
  for (const [who, page] of Object.entries(pages)) {
    const path = join(SHOT_DIR, `crowdlabel-app-flow-${who}.png`);
    await page.screenshot({ path, fullPage: true }).catch(() => {});
    console.error(`screenshot: ${path}; last console lines of ${who}:\n  ${page.logs.filter((l) => !l.startsWith('web3Enable')).slice(-25).join('\n  ')}`);
  }
  throw e;
} finally {
  await shutdown({ browser, content, app, api, dir });
}

async function waitFor(check, what, timeout = 120_000) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`timed out: ${what}`);
}
