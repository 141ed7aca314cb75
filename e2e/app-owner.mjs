// The app in a real browser (headless Chromium, driven by puppeteer-core) against the dev node
// and a content node: a data owner opens the app, adds two files (one over 256 KiB, so a
// chunked dag-pb root), the app computes their CIDs in the browser, stores them on the content
// node, reads them back verified, and registers them with `datasets.registerItems`; the test
// checks the CIDs against `crowdlabel-cid` and the items on chain. Then a newcomer whose wallet
// is empty (DaveStash, emptied first) claims test CROL from the faucet in the labeler view: the
// page finds the proof of work and sends a general transaction, no signature. A screenshot is
// saved on failure. Env: CROWDLABEL_WS, CROWDLABEL_CID_BIN, CHROMIUM_BIN (default /usr/bin/chromium).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, assert, assertEq, curate, findEvent, sendAndFinalize, freeOf } from './lib.mjs';
import { startContentNode } from '../tools/content-node/content-node.mjs';
import { serveApp, launch, shot, shutdown } from './app-lib.mjs';

const SHOT = process.env.CROWDLABEL_SHOT || '/tmp/crowdlabel-app-failure.png';
const app = await serveApp();
const appUrl = app.url;

const dir = mkdtempSync(join(tmpdir(), 'crowdlabel-app-'));
const content = await startContentNode({ port: 0, dir: join(dir, 'blocks') });
const { api, dev, keyring } = await connect();
let browser;
let page;
try {
  // The curator's domain (the curator view is not built yet: sudo from here).
  const params = { bar: { MinMeanAgreement: 500_000_000 }, roundSize: 1, cooldown: 10, answerWindow: 100, revealWindow: 100, sigma: '200000000000000000' };
  const r = await curate(api, api.tx.labelers.createDomain('app photos', { BoundingBoxes: { classes: 2 } }, params), dev.alice);
  const domain = findEvent(r.events, 'labelers', 'DomainCreated').data.domain.toNumber();

  // Two files: 5,000 bytes (one raw block) and 700,000 bytes (three chunks under a dag-pb root).
  const files = [5_000, 700_000].map((size, i) => {
    const path = join(dir, `photo${i}.bin`);
    writeFileSync(path, Uint8Array.from({ length: size }, (_, k) => (k * 31 + i * 7) % 256));
    return path;
  });
  const expected = execFileSync(process.env.CROWDLABEL_CID_BIN, files).toString().trim().split('\n').map((l) => l.split(/\s+/));

  browser = await launch();
  page = await browser.newPage();
  const logs = [];
  page.on('console', (m) => logs.push(m.text()));
  page.on('pageerror', (e) => logs.push(`page error: ${e.message}`));
  await page.goto(`${appUrl}/?rpc=${encodeURIComponent(process.env.CROWDLABEL_WS)}&gateway=${encodeURIComponent(content.url)}&role=owner`);
  await page.waitForFunction(() => /block #\d+/.test(document.querySelector('[data-testid=connection]')?.textContent ?? ''), { timeout: 60_000 });
  await page.waitForFunction((name) => document.querySelector('[data-testid=domains]')?.textContent?.includes(name), { timeout: 30_000 }, 'app photos');
  const accounts = await page.$$eval('[data-testid=account] option', (o) => o.map((x) => x.textContent));
  assert(accounts[0].startsWith('Alice (dev)'), `dev accounts offered on a dev chain: ${accounts.join(', ')}`);
  console.log(`app connected: ${await page.$eval('[data-testid=connection]', (e) => e.textContent)}`);

  // The owner adds the files: CIDs computed in the browser, stored, read back verified.
  const input = await page.$('[data-testid=owner-files]');
  await input.uploadFile(...files);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=owner-table] tr').length === 2 &&
    [...document.querySelectorAll('[data-testid=owner-table] tr')].every((r) => r.textContent.includes('verified')), { timeout: 60_000 });
  const rows = await page.$$eval('[data-testid=owner-table] tr', (rs) => rs.map((r) => [...r.querySelectorAll('td')].map((d) => d.textContent)));
  rows.forEach((row, i) => {
    assertEq(row[1], expected[i][0], `the browser's CID of ${row[0]} = crowdlabel-cid's`);
    assertEq(row[2], 'stored', 'the content node stored the same CID');
  });
  assert(expected[1][0].startsWith('bafybei'), 'the 700,000-byte file is a chunked dag-pb root');
  await shot(page, 'owner-files-added');
  console.log(`browser CIDs = crowdlabel-cid: ${rows.map((r) => r[1]).join(', ')}; both read back verified`);

  // Register them.
  await page.select('[data-testid=owner-domain]', String(domain));
  await page.click('[data-testid=owner-register]');
  await page.waitForFunction(() => /finalized|failed/.test(document.querySelector('[data-testid=tx-status]')?.textContent ?? ''), { timeout: 120_000 });
  const status = await page.$eval('[data-testid=tx-status]', (e) => e.textContent);
  assert(status.startsWith('finalized'), `registerItems: ${status}`);
  await shot(page, 'owner-registered');
  for (const [i, [, , hash]] of expected.entries()) {
    const item = (await api.query.datasets.dataItems(hash)).unwrap();
    assertEq(item.owner.toString(), dev.alice.address, `item ${i} owned by Alice`);
    assertEq(item.domain.toNumber(), domain, `item ${i} in the app's domain`);
    assertEq(item.codec.toString(), i === 0 ? 'Raw' : 'DagPb', `item ${i} codec`);
  }
  // Errors reach the user in the metadata's words: registering the same files again.
  await page.click('[data-testid=owner-register]');
  await page.waitForFunction(() => (document.querySelector('[data-testid=tx-status]')?.textContent ?? '').startsWith('failed'), { timeout: 60_000 });
  const again = await page.$eval('[data-testid=tx-status]', (e) => e.textContent);
  await shot(page, 'owner-error');
  assert(again.includes('datasets.AlreadyRegistered'), `a second registration fails with the pallet's error: ${again}`);
  console.log(`registered through the browser (finalized), on chain with codecs Raw and DagPb; again: "${again.slice(0, 90)}…"`);

  // A newcomer with an empty wallet claims from the faucet in the browser.
  const newcomer = keyring.addFromUri('//Dave//stash');
  await sendAndFinalize(api, api.tx.balances.transferAll(dev.alice.address, false), newcomer);
  assertEq(await freeOf(api, newcomer), 0n, 'DaveStash emptied');
  await page.goto(`${appUrl}/?rpc=${encodeURIComponent(process.env.CROWDLABEL_WS)}&gateway=${encodeURIComponent(content.url)}&role=labeler&as=DaveStash`);
  await page.waitForSelector('[data-testid=faucet-claim]', { timeout: 60_000 });
  await page.click('[data-testid=faucet-claim]');
  await page.waitForFunction(() => /finalized|failed/.test(document.querySelector('[data-testid=faucet-status]')?.textContent ?? ''), { timeout: 120_000 });
  const claimed = await page.$eval('[data-testid=faucet-status]', (e) => e.textContent);
  await shot(page, 'labeler-faucet');
  assert(claimed.startsWith('finalized'), `faucet claim: ${claimed}`);
  const drip = api.consts.faucet.dripAmount.toBigInt();
  assertEq(await freeOf(api, newcomer), drip, 'the empty wallet received one drip, nothing signed, no fee');
  console.log(`faucet claimed in the browser: ${drip} plancks to DaveStash (${claimed.slice(0, 30)}…)`);
  console.log('APP OWNER OK');
} catch (e) {
  if (page) await page.screenshot({ path: SHOT, fullPage: true }).catch(() => {});
  console.error(`screenshot: ${SHOT}`);
  throw e;
} finally {
  await shutdown({ browser, content, app, api, dir });
}
