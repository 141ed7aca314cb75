// What the browser tests share: the built app served over HTTP, headless Chromium
// (puppeteer-core), pages opened as a given account and role, screenshots, PNG test images, and
// mouse drawing on the app's box editor.
import http from 'node:http';
import { deflateSync } from 'node:zlib';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, extname } from 'node:path';
import puppeteer from 'puppeteer-core';
import { assert } from './lib.mjs';

const DIST = new URL('../app/dist/', import.meta.url).pathname;
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
// With CROWDLABEL_APP_SHOTS=dir, the steps are also saved as screenshots (docs/guide-app.md).
const SHOTS = process.env.CROWDLABEL_APP_SHOTS;
export const shot = async (page, name) => {
  if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
};

/** Serves app/dist on a free port; returns `{ url, close }`. */
export async function serveApp() {
  assert(existsSync(join(DIST, 'index.html')), 'the app is built (npm run build in app/)');
  const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm' };
  const server = http.createServer((req, res) => {
    const path = new URL(req.url, 'http://app').pathname;
    const file = join(DIST, path === '/' ? 'index.html' : path);
    if (!file.startsWith(DIST) || !existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

export function launch() {
  return puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/**
 * A page of the app as dev account `as` in view `role`, in its own browser context (its own
 * IndexedDB: secrets do not leak between users), connected; downloads go to `downloads`.
 */
export async function openAs(browser, appUrl, { ws, gateway, as, role, downloads }) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width: 1200, height: 900 });
  page.logs = [];
  page.on('console', (m) => page.logs.push(m.text()));
  page.on('pageerror', (e) => page.logs.push(`page error: ${e.message}`));
  if (downloads) {
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads, browserContextId: context.id });
  }
  const q = new URLSearchParams({ rpc: ws, gateway, as, role });
  await page.goto(`${appUrl}/?${q}`);
  await page.waitForFunction(() => /block #\d+/.test(document.querySelector('[data-testid=connection]')?.textContent ?? ''), { timeout: 60_000 });
  const account = await page.$eval('[data-testid=account]', (s) => s.selectedOptions[0]?.textContent ?? '');
  assert(account.startsWith(`${as} (dev)`), `the page signs as ${as}: ${account}`);
  page.who = as;
  return page;
}

/** Clicks `selector` and waits for the transaction status `testId` under `scope` to be final. */
export async function clickTx(page, selector, testId = 'tx-status', scope = '', { inBlock = false } = {}) {
  const sel = `${scope} [data-testid="${testId}"]`.trim();
  await page.waitForSelector(`${selector}:not([disabled])`, { timeout: 60_000 });
  // The status of an earlier transaction of the same button may still show: wait for a new one.
  const before = await page.$eval(sel, (e) => e.textContent).catch(() => null);
  // A DOM click: the page may move between finding a button and a mouse click on it (packages
  // are judged and leave the list as blocks arrive).
  await page.$eval(selector, (b) => b.click());
  // With `inBlock`, inclusion is enough: the view may move on (a committed package leaves the
  // list once judged) before the commit is finalized.
  const done = inBlock ? '^(in block|finalized|failed)' : '^(finalized|failed)';
  await page.waitForFunction((s, b, d) => {
    const t = document.querySelector(s)?.textContent;
    return t != null && t !== b && new RegExp(d).test(t);
  }, { timeout: 120_000 }, sel, before, done);
  const text = await page.$eval(sel, (e) => e.textContent);
  assert(!text.startsWith('failed'), `${page.who}: ${testId}: ${text}`);
  return text;
}

/**
 * Draws `box` ({ xMin, yMin, xMax, yMax } image pixels) on the box editor `testId` with real mouse
 * events, after choosing class `cls` with the editor's picker; checks the editor lists it.
 */
export async function drawBox(page, testId, box, cls = 0) {
  const svg = `svg[data-testid="${testId}"]`;
  await page.waitForFunction((s) => document.querySelector(s)?.dataset.state === 'image', { timeout: 60_000 }, svg);
  await page.$eval(svg, (e) => e.scrollIntoView({ block: 'center' }));
  await page.$eval(`[data-testid="${testId}-wrapper"] [data-testid="box-class-${cls}"]`, (b) => b.click());
  const pt = (x, y) => page.$eval(svg, (e, x, y) => {
    const r = e.getBoundingClientRect();
    return { x: r.left + (x * r.width) / Number(e.dataset.width), y: r.top + (y * r.height) / Number(e.dataset.height) };
  }, x, y);
  const list = `[data-testid="${testId}-list"]`;
  const want = `${box.xMin},${box.yMin}–${box.xMax},${box.yMax} class ${cls}`;
  const items = () => page.$$eval(`${list} li`, (l) => l.map((x) => x.textContent)).catch(() => []);
  const before = (await items()).length;
  // Where a drag lands can differ from the aim by a pixel (sub-pixel layout, rounding of the
  // delivered coordinates, the page moving as blocks arrive): a drag that missed is deleted
  // with the editor's own delete button and drawn again, aimed off by the error just measured.
  const aim = { x0: box.xMin + 0.1, y0: box.yMin + 0.1, x1: box.xMax + 0.1, y1: box.yMax + 0.1 };
  for (let attempt = 1; ; attempt++) {
    await page.$eval(svg, (e) => e.scrollIntoView({ block: 'center' }));
    const a = await pt(aim.x0, aim.y0);
    const b = await pt(aim.x1, aim.y1);
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 4 });
    await page.mouse.move(b.x, b.y, { steps: 4 });
    await page.mouse.up();
    const ok = await page.waitForFunction((s, w) => document.querySelector(s)?.textContent.includes(w), { timeout: 3_000 }, list, want).then(() => true, () => false);
    if (ok) return;
    const now = await items();
    if (attempt === 4) throw new Error(`${page.who}: the box ${want} did not land on ${testId}: ${now.join(' | ')}`);
    const got = now.length > before && now[now.length - 1].match(/^(\d+),(\d+)–(\d+),(\d+)/);
    if (got) {
      aim.x0 += box.xMin - Number(got[1]);
      aim.y0 += box.yMin - Number(got[2]);
      aim.x1 += box.xMax - Number(got[3]);
      aim.y1 += box.yMax - Number(got[4]);
    }
    for (let n = now.length; n > before; n--) await page.$eval(`[data-testid="${testId}-delete-${n - 1}"]`, (b) => b.click());
  }
}

/**
 * A `width`×`height` RGB PNG, light grey with a dark rectangle `rect` (half-open pixels); `note`
 * goes into a tEXt chunk (distinct notes make distinct files, hence distinct CIDs).
 */
export function png(width, height, rect, seed = 0, note = '') {
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const inside = x >= rect.xMin && x < rect.xMax && y >= rect.yMin && y < rect.yMax;
      const v = inside ? 40 + ((x + y + seed) % 20) : 220 - ((x * 7 + y * 3 + seed) % 16);
      row.fill(v, 1 + x * 3, 4 + x * 3);
      if (inside) row[1 + x * 3] = 160;
    }
    rows.push(row);
  }
  const crc = (buf) => {
    let c = ~0;
    for (const b of buf) {
      c ^= b;
      for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
    }
    return ~c >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('tEXt', Buffer.from(`Comment\0${note}`, 'latin1')),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Closes what a browser test opened (each may be missing) and removes its scratch directory. */
export async function shutdown({ browser, content, app, api, dir }) {
  await browser?.close();
  await content?.close();
  app?.close();
  await api?.disconnect();
  if (dir) rmSync(dir, { recursive: true, force: true });
}
