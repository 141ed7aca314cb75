#!/usr/bin/env node
// CrowdLabel content node, for development chains: stores the files added to it in a
// file-system blockstore (Helia's `blockstore-fs`, chunked with `@helia/unixfs`) and serves
// them over the IPFS trustless gateway protocol, so that the app fetches every item by CID and
// verifies it in the browser (`@helia/verified-fetch`). In production, point the app at your own
// IPFS node or any trustless gateway instead; nothing here is trusted by the chain or the app.
//
// HTTP API (CORS open, for the app on another port):
//   POST /add[?layout=raw-leaves|plain]  body: the file's bytes (any size, streamed)
//        -> 200 {"cid": "bafy…|bafk…|Qm…", "size": n}   (raw-leaves: the CID of
//           `ipfs add --cid-version 1 --raw-leaves`; plain: of a plain `ipfs add`)
//   GET|HEAD /ipfs/{cid}?format=raw  or  Accept: application/vnd.ipld.raw  -> the block's bytes
//   GET|HEAD /ipfs/{cid}?format=car  or  Accept: application/vnd.ipld.car  -> a CAR v1 of the
//        file's whole DAG, root first (trustless gateway spec)
//   GET /ipfs/{cid}  -> the file's content (convenience for people; not verified)
//   GET /health -> {"blocks": n}
//
// Usage: node content-node.mjs [--port 8090] [--host 127.0.0.1] [--dir ./blocks]
//        [--max-bytes 1073741824]
import http from 'node:http';
import { mkdirSync } from 'node:fs';
import { FsBlockstore } from 'blockstore-fs';
import { unixfs } from '@helia/unixfs';
import { fixedSize } from 'ipfs-unixfs-importer/chunker';
import { balanced } from 'ipfs-unixfs-importer/layout';
import { CarWriter } from '@ipld/car/writer';
import * as dagPb from '@ipld/dag-pb';
import { CID } from 'multiformats/cid';

// IPFS's (kubo's) chunking, so that CIDs equal those of `ipfs add` and `crowdlabel-cid`
// (Helia's own defaults, 1 MiB chunks and 1024 links, give other CIDs for files over 256 KiB).
const KUBO = { chunker: fixedSize({ chunkSize: 262144 }), layout: balanced({ maxChildrenPerNode: 174 }) };
export const LAYOUTS = {
  'raw-leaves': { ...KUBO, cidVersion: 1, rawLeaves: true },
  plain: { ...KUBO, cidVersion: 0, rawLeaves: false },
};

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Accept, Content-Type',
  'Access-Control-Expose-Headers': 'Content-Length, Content-Type, X-Ipfs-Roots',
};

function reply(res, status, body, headers = {}) {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { ...CORS, 'Content-Length': bytes.length, ...headers });
  res.end(bytes);
}

const json = (res, status, value) => reply(res, status, JSON.stringify(value), { 'Content-Type': 'application/json' });

// A block's bytes (`blockstore-fs` streams them).
async function getBlock(store, cid) {
  const parts = [];
  for await (const p of store.get(cid)) parts.push(p);
  return Buffer.concat(parts);
}

// Every block of the DAG under `root`, root first (depth-first, link order).
async function* dagBlocks(store, root) {
  const stack = [root];
  while (stack.length > 0) {
    const cid = stack.pop();
    const bytes = await getBlock(store, cid);
    yield { cid, bytes };
    if (cid.code === dagPb.code) {
      const links = dagPb.decode(bytes).Links;
      for (let i = links.length - 1; i >= 0; i--) stack.push(links[i].Hash);
    }
  }
}

// Reads the request body into the importer, refusing more than `max` bytes.
async function* limited(req, max) {
  let total = 0;
  for await (const chunk of req) {
    total += chunk.length;
    if (total > max) throw Object.assign(new Error(`a file is at most ${max} bytes here`), { status: 413 });
    yield chunk;
  }
}

export async function startContentNode({ port = 8090, host = '127.0.0.1', dir = './blocks', maxBytes = 1 << 30 } = {}) {
  mkdirSync(dir, { recursive: true });
  const store = new FsBlockstore(dir);
  await store.open();
  const fs = unixfs({ blockstore: store });
  // Blocks written since start (a block added twice counts twice).
  let blocks = 0;
  const put = store.put.bind(store);
  store.put = async (...args) => { blocks++; return put(...args); };

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://content-node');
      if (req.method === 'OPTIONS') return reply(res, 204, '');
      if (url.pathname === '/health') return json(res, 200, { ok: true, blocks });
      if (url.pathname === '/add' && req.method === 'POST') {
        const layout = url.searchParams.get('layout') ?? 'raw-leaves';
        if (!LAYOUTS[layout]) return json(res, 400, { error: `layout is raw-leaves or plain, not ${layout}` });
        const entry = await fs.addByteStream(limited(req, maxBytes), LAYOUTS[layout]);
        const stat = await fs.stat(entry);
        return json(res, 200, { cid: entry.toString(), size: Number(stat.fileSize ?? stat.size ?? 0) });
      }
      const m = url.pathname.match(/^\/ipfs\/([^/]+)$/);
      if (!m || (req.method !== 'GET' && req.method !== 'HEAD')) return json(res, 404, { error: 'no such route' });
      let cid;
      try {
        cid = CID.parse(m[1]);
      } catch {
        return json(res, 400, { error: `not a CID: ${m[1]}` });
      }
      const accept = req.headers.accept ?? '';
      const format = url.searchParams.get('format') ??
        (accept.includes('application/vnd.ipld.raw') ? 'raw' : accept.includes('application/vnd.ipld.car') ? 'car' : null);
      if (!(await store.has(cid))) return json(res, 404, { error: `block ${cid} is not stored here` });
      const common = { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'public, max-age=29030400, immutable', 'X-Ipfs-Roots': cid.toString() };
      if (format === 'raw') {
        const bytes = await getBlock(store, cid);
        return reply(res, 200, req.method === 'HEAD' ? Buffer.alloc(0) : bytes, {
          ...common, 'Content-Type': 'application/vnd.ipld.raw', 'Content-Length': bytes.length,
        });
      }
      if (format === 'car') {
        const { writer, out } = CarWriter.create([cid]);
        const parts = [];
        const collect = (async () => { for await (const p of out) parts.push(p); })();
        for await (const block of dagBlocks(store, cid)) await writer.put(block);
        await writer.close();
        await collect;
        const car = Buffer.concat(parts);
        return reply(res, 200, req.method === 'HEAD' ? Buffer.alloc(0) : car, {
          ...common, 'Content-Type': 'application/vnd.ipld.car; version=1', 'Content-Length': car.length,
        });
      }
      if (format) return json(res, 406, { error: `format ${format} is not served (raw, car)` });
      const parts = [];
      for await (const p of fs.cat(cid)) parts.push(p);
      const body = Buffer.concat(parts);
      return reply(res, 200, req.method === 'HEAD' ? Buffer.alloc(0) : body, {
        ...common, 'Content-Type': 'application/octet-stream', 'Content-Length': body.length,
      });
    } catch (e) {
      if (!res.headersSent) json(res, e.status ?? 500, { error: e.message });
      else res.destroy(e);
    }
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  const address = server.address();
  return {
    url: `http://${host}:${address.port}`,
    close: async () => { await new Promise((r) => server.close(r)); await store.close(); },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const node = await startContentNode({
    port: Number(arg('port', '8090')),
    host: arg('host', '127.0.0.1'),
    dir: arg('dir', './blocks'),
    maxBytes: Number(arg('max-bytes', String(1 << 30))),
  });
  console.log(`content node: ${node.url} (trustless gateway at ${node.url}/ipfs/{cid}, add with POST ${node.url}/add)`);
  const stop = async () => { await node.close(); process.exit(0); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
