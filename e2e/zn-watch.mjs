// zombienet/flow.zndsl helper: every second for up to 10 minutes, records alice's finalized
// height and whether dave answers RPC, to CROWDLABEL_WATCH_FILE (JSON), so zn-check.mjs can show
// that finality went on while dave was down. Plain HTTP JSON-RPC (the node serves HTTP and
// WebSocket on one port), so a dead node costs only a refused connection.
import { writeFileSync } from 'node:fs';

const FILE = process.env.CROWDLABEL_WATCH_FILE ?? '/tmp/crowdlabel-watch.json';
const ALICE = process.env.CROWDLABEL_ALICE_HTTP ?? 'http://127.0.0.1:9961';
const DAVE = process.env.CROWDLABEL_DAVE_HTTP ?? 'http://127.0.0.1:9964';

async function call(url, method, params = []) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(1500),
  });
  const body = await res.json();
  if (body.error) throw new Error(JSON.stringify(body.error));
  return body.result;
}

async function finalized(url) {
  const hash = await call(url, 'chain_getFinalizedHead');
  const header = await call(url, 'chain_getHeader', [hash]);
  return parseInt(header.number, 16);
}

const samples = [];
const start = Date.now();
while (Date.now() - start < 600_000) {
  const t = Date.now();
  let alice = null;
  let dave = null;
  try { alice = await finalized(ALICE); } catch (_) { /* alice unreachable */ }
  try { dave = await finalized(DAVE); } catch (_) { /* dave down */ }
  samples.push({ t, alice, dave });
  writeFileSync(FILE, JSON.stringify(samples));
  await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - t))));
}
