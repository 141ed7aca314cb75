// Tests of the content node and of the verified fetcher, against the real thing: files of
// 0 bytes to several MiB are added over HTTP, their CIDs compared with `crowdlabel-cid` (both
// layouts) and Debian's `ipfs_cid`, fetched back through the trustless gateway and verified
// block by block; gateways that lie (a flipped byte, a substituted block, a truncated file) are
// caught; the CAR answer holds exactly the file's blocks; the size limit holds.
// Env: CROWDLABEL_CID_BIN (the built crowdlabel-cid), IPFS_CID_BIN (default ipfs_cid).
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CarReader } from '@ipld/car';
import { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';
import { startContentNode } from './content-node.mjs';
import { fetchVerified, VerificationError } from './verified-get.mjs';

const CID_BIN = process.env.CROWDLABEL_CID_BIN;
const IPFS_CID = process.env.IPFS_CID_BIN || 'ipfs_cid';
if (!CID_BIN) throw new Error('set CROWDLABEL_CID_BIN to the built crowdlabel-cid');

let checks = 0;
function assert(cond, msg) {
  if (!cond) throw new Error(`assertion failed: ${msg}`);
  checks++;
}
const eq = (a, b, msg) => assert(a === b, `${msg}: ${a} !== ${b}`);
async function rejects(promise, type, msg) {
  try {
    await promise;
  } catch (e) {
    assert(e instanceof type, `${msg}: threw ${e.constructor.name} ${e.message}`);
    return e;
  }
  assert(false, `${msg}: did not throw`);
}

function bytesOf(size, seed) {
  const out = new Uint8Array(size);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

// A gateway in front of `upstream` that rewrites raw-block answers with `tamper(cid, bytes)`.
async function lyingGateway(upstream, tamper) {
  const server = http.createServer(async (req, res) => {
    const r = await fetch(`${upstream}${req.url}`, { headers: { Accept: req.headers.accept ?? '' } });
    let body = new Uint8Array(await r.arrayBuffer());
    const cid = decodeURIComponent(new URL(req.url, 'http://x').pathname.split('/')[2]);
    if (r.ok) body = (await tamper(cid, body)) ?? body;
    res.writeHead(r.status, { 'Content-Type': r.headers.get('content-type') ?? 'application/octet-stream' });
    res.end(body);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}

const dir = mkdtempSync(join(tmpdir(), 'crowdlabel-content-'));
const node = await startContentNode({ port: 0, dir: join(dir, 'blocks'), maxBytes: 8 << 20 });
try {
  const sizes = [0, 5, 262144, 262145, 3_000_000, 6 * 1024 * 1024 + 3];
  const files = sizes.map((size, i) => {
    const path = join(dir, `f${i}.bin`);
    const bytes = bytesOf(size, 100 + i);
    writeFileSync(path, bytes);
    return { path, size, bytes };
  });
  const ours = (flag) => execFileSync(CID_BIN, [...flag, ...files.map((f) => f.path)]).toString().trim().split('\n').map((l) => l.split(/\s+/));
  const rawCids = ours([]);
  const plainCids = ours(['--plain']);
  const add = async (bytes, layout) => {
    const r = await fetch(`${node.url}/add?layout=${layout}`, { method: 'POST', body: bytes });
    return { status: r.status, body: await r.json() };
  };

  for (const [i, f] of files.entries()) {
    const a = await add(f.bytes, 'raw-leaves');
    eq(a.status, 200, `add ${f.size} bytes`);
    eq(a.body.cid, rawCids[i][0], `content node CID of ${f.size} bytes = crowdlabel-cid's`);
    eq(a.body.size, f.size, 'reported size');
    const p = await add(f.bytes, 'plain');
    eq(p.body.cid, plainCids[i][0], `plain-layout CID of ${f.size} bytes = crowdlabel-cid --plain`);
    const theirs = JSON.parse(execFileSync(IPFS_CID, [f.path], { stdio: ['ignore', 'pipe', 'ignore'] }).toString());
    eq(p.body.cid, theirs.CIDv0, `plain-layout CID of ${f.size} bytes = ipfs_cid's CIDv0`);
    for (const cid of [a.body.cid, p.body.cid, theirs.CIDv1]) {
      let progress = 0;
      const got = await fetchVerified(node.url, cid, { onProgress: (n) => { progress = n; } });
      assert(Buffer.compare(Buffer.from(got), Buffer.from(f.bytes)) === 0, `${cid}: verified bytes = the file`);
      eq(progress, f.size, `${cid}: progress reaches the size`);
    }
  }
  console.log(`${files.length} files (0 to ${sizes.at(-1)} bytes), both layouts: CIDs = crowdlabel-cid = ipfs_cid; fetched and verified back`);

  // The CAR answer: roots = [cid], every block hashes to its CID, and they rebuild the file.
  const big = files[4];
  const bigCid = rawCids[4][0];
  const car = await CarReader.fromBytes(new Uint8Array(await (await fetch(`${node.url}/ipfs/${bigCid}?format=car`)).arrayBuffer()));
  eq((await car.getRoots()).map(String).join(), bigCid, 'CAR root');
  let carBlocks = 0;
  let leafBytes = 0;
  for await (const { cid, bytes } of car.blocks()) {
    const d = await sha256.digest(bytes);
    assert(Buffer.compare(Buffer.from(d.digest), Buffer.from(cid.multihash.digest)) === 0, `CAR block ${cid} matches its CID`);
    carBlocks++;
    if (cid.code === 0x55) leafBytes += bytes.length;
  }
  eq(carBlocks, Math.ceil(big.size / 262144) + 1, 'CAR: every chunk and the root');
  eq(leafBytes, big.size, 'CAR leaves hold the whole file');

  // Lying gateways are caught.
  const flip = await lyingGateway(node.url, (cid, b) => {
    if (CID.parse(cid).code !== 0x55 || b.length === 0) return null;
    const c = new Uint8Array(b);
    c[c.length >> 1] ^= 1;
    return c;
  });
  const e1 = await rejects(fetchVerified(flip.url, bigCid), VerificationError, 'a flipped byte in a chunk');
  assert(e1.message.includes('does not match its CID'), 'the error names the mismatch');
  const other = files[1].bytes;
  const swap = await lyingGateway(node.url, (cid) => (CID.parse(cid).code === 0x55 ? other : null));
  await rejects(fetchVerified(swap.url, bigCid), VerificationError, 'a substituted chunk');
  // A gateway that drops the last link: the root no longer matches.
  const cut = await lyingGateway(node.url, (cid, b) => (cid === bigCid ? b.slice(0, b.length - 40) : null));
  await rejects(fetchVerified(cut.url, bigCid), VerificationError, 'a truncated root');
  await Promise.all([flip.close(), swap.close(), cut.close()]);
  console.log('gateways that flip a byte, substitute a chunk or truncate the root are refused (VerificationError)');

  // Unknown blocks, bad CIDs, bad layouts, the size limit.
  const unknown = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy';
  eq((await fetch(`${node.url}/ipfs/${unknown}?format=raw`)).status, 404, 'unknown block');
  await rejects(fetchVerified(node.url, unknown), Error, 'fetching an unknown CID');
  eq((await fetch(`${node.url}/ipfs/not-a-cid?format=raw`)).status, 400, 'not a CID');
  eq((await add(new Uint8Array(1), 'flat')).status, 400, 'unknown layout');
  eq((await add(new Uint8Array((8 << 20) + 1), 'raw-leaves')).status, 413, 'over the size limit');
  const cors = await fetch(`${node.url}/ipfs/${bigCid}?format=raw`, { method: 'HEAD' });
  eq(cors.headers.get('access-control-allow-origin'), '*', 'CORS open for the app');
  eq(cors.headers.get('content-type'), 'application/vnd.ipld.raw', 'raw block content type');
  console.log(`CONTENT NODE OK (${checks} checks)`);
} finally {
  await node.close();
  rmSync(dir, { recursive: true, force: true });
}
