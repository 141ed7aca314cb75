// CIDs of files, computed in the browser exactly as `crowdlabel-cid` and `ipfs add` do:
// 256 KiB chunks, balanced tree of at most 174 links. `rawLeaves` is the layout of
// `ipfs add --cid-version 1 --raw-leaves` (bafkrei… for one chunk, else a bafybei… root), `plain`
// the layout of a plain `ipfs add` (CIDv0 Qm…, registered in its CIDv1 form). Helia's own
// defaults (1 MiB chunks, 1024 links) would give other CIDs for files over 256 KiB.
import { importer } from 'ipfs-unixfs-importer';
import { fixedSize } from 'ipfs-unixfs-importer/chunker';
import { balanced } from 'ipfs-unixfs-importer/layout';
import { MemoryBlockstore } from 'blockstore-core';
import { CID } from 'multiformats/cid';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { create as digestOf } from 'multiformats/hashes/digest';

export type Layout = 'rawLeaves' | 'plain';

export interface FileCid {
  /** The CID as IPFS prints it (CIDv0 `Qm…` in the plain layout). */
  text: string;
  /** The CIDv1 text (`bafkrei…` / `bafybei…`). */
  v1: string;
  /** The 36-byte CIDv1 to register (`datasets.registerItems`), hex. */
  binary: string;
  /** The item hash: the CID's sha2-256 digest, hex. */
  itemHash: string;
  codec: 'Raw' | 'DagPb';
}

const options = (layout: Layout) => ({
  chunker: fixedSize({ chunkSize: 262144 }),
  layout: balanced({ maxChildrenPerNode: 174 }),
  cidVersion: (layout === 'plain' ? 0 : 1) as 0 | 1,
  rawLeaves: layout !== 'plain',
});

/** Describes a CID (text, v0 or v1) the way the chain takes it. */
export function describeCid(cid: CID | string): FileCid {
  const c = typeof cid === 'string' ? CID.parse(cid) : cid;
  if (c.multihash.code !== 0x12 || c.multihash.digest.length !== 32) throw new Error(`${c}: only sha2-256 CIDs are data items`);
  if (c.code !== 0x55 && c.code !== 0x70) throw new Error(`${c}: codec 0x${c.code.toString(16)} is not a file`);
  const v1 = c.toV1();
  return {
    text: c.toString(),
    v1: v1.toString(),
    binary: u8aToHex(v1.bytes),
    itemHash: u8aToHex(c.multihash.digest),
    codec: c.code === 0x55 ? 'Raw' : 'DagPb',
  };
}

/**
 * The CID of `content` (bytes or a stream of chunks, e.g. `file.stream()`), and every block, to
 * store or upload. `onProgress(bytes)` as chunks are read.
 */
export async function fileCid(
  content: Uint8Array | AsyncIterable<Uint8Array>,
  layout: Layout = 'rawLeaves',
  onProgress?: (bytes: number) => void,
): Promise<FileCid> {
  const blockstore = new MemoryBlockstore();
  let read = 0;
  async function* counted(): AsyncGenerator<Uint8Array> {
    if (content instanceof Uint8Array) {
      read = content.length;
      onProgress?.(read);
      yield content;
      return;
    }
    for await (const chunk of content) {
      read += chunk.length;
      onProgress?.(read);
      yield chunk;
    }
  }
  let root: CID | undefined;
  for await (const entry of importer([{ content: counted() }], blockstore, options(layout))) root = entry.cid;
  if (!root) throw new Error('the importer produced no root');
  return describeCid(root);
}

/** The CID of an item from its hash (the sha2-256 digest) and its codec, as the chain keeps it. */
export function itemCid(itemHash: string, codec: 'Raw' | 'DagPb'): FileCid {
  const digest = hexToU8a(itemHash);
  if (digest.length !== 32) throw new Error(`an item hash is 32 bytes, not ${digest.length}`);
  return describeCid(CID.createV1(codec === 'Raw' ? 0x55 : 0x70, digestOf(0x12, digest)));
}
