// A dataset's Merkle tree, checked in the browser (the same tree as
// `crowdlabel_content::merkle`): leaf `blake2_256(0x00 ++ SCALE((item, label)))`, inner node
// `blake2_256(0x01 ++ left ++ right)`, the odd node of a level promoted unchanged. A buyer checks
// an item's inclusion proof against the root read from the chain, trusting no node's answer.
import { hexToU8a, u8aConcat, u8aEq, u8aToHex } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';

const bytes = (h: string | Uint8Array) => (typeof h === 'string' ? hexToU8a(h) : h);

/** The leaf of `(item, label)`: `label` is the SCALE of the consensus label. */
export function leafOf(item: string | Uint8Array, label: string | Uint8Array): Uint8Array {
  const i = bytes(item);
  if (i.length !== 32) throw new Error(`an item hash is 32 bytes, not ${i.length}`);
  return blake2AsU8a(u8aConcat([0], i, bytes(label)), 256);
}

function node(left: Uint8Array, right: Uint8Array): Uint8Array {
  return blake2AsU8a(u8aConcat([1], left, right), 256);
}

/** The root over leaves (hashes from `leafOf`); undefined for none. */
export function rootOf(leaves: Uint8Array[]): string | undefined {
  if (!leaves.length) return undefined;
  let level = leaves;
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? node(level[i], level[i + 1]) : level[i]);
    level = next;
  }
  return u8aToHex(level[0]);
}

/** The proof of leaf `index`: sibling hashes from the leaf up (for tests and tools). */
export function proofOf(leaves: Uint8Array[], index: number): string[] {
  if (index < 0 || index >= leaves.length) throw new Error(`leaf ${index} of ${leaves.length}`);
  const out: string[] = [];
  let level = leaves;
  let idx = index;
  while (level.length > 1) {
    const sibling = level[idx ^ 1];
    if (sibling) out.push(u8aToHex(sibling));
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? node(level[i], level[i + 1]) : level[i]);
    level = next;
    idx = Math.floor(idx / 2);
  }
  return out;
}

/** Whether `leaf` is leaf `index` of a tree of `count` leaves with root `root`, given `proof`. */
export function verifyProof(root: string | Uint8Array, leaf: Uint8Array, index: number, count: number, proof: (string | Uint8Array)[]): boolean {
  if (!Number.isInteger(index) || index < 0 || index >= count) return false;
  let idx = index;
  let len = count;
  let cur = leaf;
  let k = 0;
  while (len > 1) {
    if (idx % 2 === 1 || idx + 1 < len) {
      if (k >= proof.length) return false;
      const sibling = bytes(proof[k++]);
      cur = idx % 2 === 1 ? node(sibling, cur) : node(cur, sibling);
    }
    idx = Math.floor(idx / 2);
    len = Math.ceil(len / 2);
  }
  return k === proof.length && u8aEq(cur, bytes(root));
}
