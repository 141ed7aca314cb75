// Fetches a file by CID from any IPFS trustless gateway and verifies every block against its
// CID before using it: a gateway can refuse to answer, but it cannot pass off other bytes.
// Works in browsers and in Node (global `fetch`); the CrowdLabel app uses the same logic.
//
//   const bytes = await fetchVerified('http://127.0.0.1:8090', 'bafybei…', { onProgress });
//
// Accepts raw and dag-pb (UnixFS file) CIDs, v1 (`bafk…`, `bafy…`) and v0 (`Qm…`), sha2-256.
import { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';
import * as raw from 'multiformats/codecs/raw';
import * as dagPb from '@ipld/dag-pb';
import { UnixFS } from 'ipfs-unixfs';

/** A block did not match its CID, or the DAG is not a UnixFS file. */
export class VerificationError extends Error {}

function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** One block, checked against `cid` (trustless gateway: `?format=raw`). */
export async function fetchBlock(gateway, cid, { signal } = {}) {
  if (cid.multihash.code !== sha256.code) throw new VerificationError(`${cid}: only sha2-256 CIDs are verified`);
  const res = await fetch(`${gateway.replace(/\/$/, '')}/ipfs/${cid}?format=raw`, {
    headers: { Accept: 'application/vnd.ipld.raw' },
    signal,
  });
  if (!res.ok) throw new Error(`${gateway} answered ${res.status} for block ${cid}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const digest = await sha256.digest(bytes);
  if (!equalBytes(digest.digest, cid.multihash.digest)) {
    throw new VerificationError(`block ${cid} from ${gateway} does not match its CID`);
  }
  return bytes;
}

/**
 * The verified bytes of the file `cid` (text or CID). `onProgress(received, total)` after every
 * data block; `maxBytes` refuses larger files before fetching their data.
 */
export async function fetchVerified(gateway, cid, { signal, onProgress, maxBytes = Infinity } = {}) {
  const root = typeof cid === 'string' ? CID.parse(cid) : cid;
  let total = null;
  let received = 0;
  // Returns the chunks under `c`, in file order; children are fetched concurrently.
  async function walk(c, expectedSize) {
    const bytes = await fetchBlock(gateway, c, { signal });
    if (c.code === raw.code) {
      if (expectedSize != null && BigInt(bytes.length) !== expectedSize) {
        throw new VerificationError(`raw block ${c} holds ${bytes.length} bytes, its parent says ${expectedSize}`);
      }
      received += bytes.length;
      onProgress?.(received, total ?? received);
      return [bytes];
    }
    if (c.code !== dagPb.code) throw new VerificationError(`${c}: codec 0x${c.code.toString(16)} is not a file`);
    const node = dagPb.decode(bytes);
    if (!node.Data) throw new VerificationError(`${c} has no UnixFS data`);
    const fs = UnixFS.unmarshal(node.Data);
    if (fs.type !== 'file' && fs.type !== 'raw') throw new VerificationError(`${c} is a UnixFS ${fs.type}, not a file`);
    const size = fs.fileSize();
    if (total == null) {
      total = Number(size);
      if (total > maxBytes) throw new VerificationError(`${root} is ${total} bytes, more than ${maxBytes}`);
    }
    if (expectedSize != null && size !== expectedSize) {
      throw new VerificationError(`${c} holds ${size} bytes, its parent says ${expectedSize}`);
    }
    if (node.Links.length !== fs.blockSizes.length) {
      throw new VerificationError(`${c}: ${node.Links.length} links but ${fs.blockSizes.length} block sizes`);
    }
    const own = fs.data && fs.data.length > 0 ? [fs.data] : [];
    if (own.length) {
      received += fs.data.length;
      onProgress?.(received, total);
    }
    const children = await Promise.all(node.Links.map((l, i) => walk(l.Hash, fs.blockSizes[i])));
    return own.concat(children.flat());
  }
  const chunks = await walk(root, null);
  const length = chunks.reduce((n, c) => n + c.length, 0);
  if (total != null && length !== total) throw new VerificationError(`${root}: ${length} bytes received, ${total} declared`);
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
