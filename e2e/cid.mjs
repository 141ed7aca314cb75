// Cross-checks `crowdlabel-cid` (the chain's content addressing, in Rust) against two
// independent implementations, on files from 0 bytes to a file that needs a two-level UnixFS
// tree (more than 174 chunks):
//   - the raw-leaves layout (`ipfs add --cid-version 1 --raw-leaves`) against Helia's importer
//     (`@helia/unixfs` addBytes with kubo's chunking: 256 KiB chunks, 174 links per node;
//     Helia's own defaults are Filecoin's 1 MiB / 1024 and give other CIDs for large files);
//   - the plain layout (`ipfs add`, CIDv0 and its CIDv1) against Debian's `ipfs_cid`
//     (package `ipfs-cid`), which prints both forms.
// Needs no node. Env: CROWDLABEL_CID_BIN (the built `crowdlabel-cid`), IPFS_CID_BIN (default
// `ipfs_cid`).
import { unixfs } from '@helia/unixfs';
import { MemoryBlockstore } from 'blockstore-core';
import { fixedSize } from 'ipfs-unixfs-importer/chunker';
import { balanced } from 'ipfs-unixfs-importer/layout';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assert, assertEq } from './lib.mjs';

const CID_BIN = process.env.CROWDLABEL_CID_BIN;
const IPFS_CID = process.env.IPFS_CID_BIN || 'ipfs_cid';
assert(CID_BIN, 'CROWDLABEL_CID_BIN names the built crowdlabel-cid');

const CHUNK = 262144;
// Sizes around every boundary: empty, tiny, one chunk exactly, one byte over, several MiB,
// exactly 174 chunks (one full node), and 174 chunks + 1 byte (two levels).
const SIZES = [0, 1, 5, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 3_000_000, 6 * 1024 * 1024 + 7, 174 * CHUNK, 174 * CHUNK + 1];

// Deterministic, incompressible-looking bytes (xorshift32), different per file.
function bytesOf(size, seed) {
  const out = new Uint8Array(size);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'crowdlabel-cid-'));
try {
  const files = SIZES.map((size, i) => {
    const path = join(dir, `f${i}-${size}.bin`);
    const bytes = bytesOf(size, i + 1);
    writeFileSync(path, bytes);
    return { path, size, bytes };
  });
  const ours = (args) => execFileSync(CID_BIN, [...args, ...files.map((f) => f.path)], { maxBuffer: 1 << 24 })
    .toString().trim().split('\n').map((l) => l.split(/\s+/));

  // Raw leaves: crowdlabel-cid against Helia.
  const fs = unixfs({ blockstore: new MemoryBlockstore() });
  const raw = ours([]);
  for (const [i, f] of files.entries()) {
    const helia = await fs.addBytes(f.bytes, {
      cidVersion: 1, rawLeaves: true,
      chunker: fixedSize({ chunkSize: CHUNK }), layout: balanced({ maxChildrenPerNode: 174 }),
    });
    const [text, binary, hash, path] = raw[i];
    assertEq(path, f.path, 'one line per file, in order');
    assertEq(text, helia.toString(), `raw-leaves CID of ${f.size} bytes = Helia's`);
    assertEq(binary, `0x${Buffer.from(helia.bytes).toString('hex')}`, `binary CID of ${f.size} bytes = Helia's CID bytes`);
    assertEq(hash, `0x${Buffer.from(helia.multihash.digest).toString('hex')}`, 'item hash = the CID digest');
    assertEq(text.startsWith('bafkrei'), f.size <= CHUNK, `${f.size} bytes: raw block iff one chunk`);
  }
  console.log(`raw-leaves layout: ${files.length} files (0 to ${SIZES.at(-1)} bytes) match Helia's importer`);

  // Plain `ipfs add`: crowdlabel-cid --plain against Debian's ipfs_cid.
  const plain = ours(['--plain']);
  for (const [i, f] of files.entries()) {
    const theirs = JSON.parse(execFileSync(IPFS_CID, [f.path], { stdio: ['ignore', 'pipe', 'ignore'] }).toString());
    const [v0, v1, binary] = plain[i];
    assertEq(v0, theirs.CIDv0, `CIDv0 of ${f.size} bytes = ipfs_cid's`);
    assertEq(v1, theirs.CIDv1, `CIDv1 of ${f.size} bytes = ipfs_cid's`);
    assert(binary.startsWith('0x01701220'), 'the plain layout is registered as a dag-pb CIDv1');
  }
  console.log(`plain layout: ${files.length} files match Debian's ipfs_cid (CIDv0 and CIDv1); the 3,000,000-byte file: ${plain[SIZES.indexOf(3_000_000)][1]}`);
  console.log('CID CROSS-CHECK OK');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
