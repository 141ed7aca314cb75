import { describe, expect, it } from 'vitest';
import { u8aToHex } from '@polkadot/util';
import { leafOf, proofOf, rootOf, verifyProof } from './merkle';
import vectors from '../../../test-vectors/vectors.json';

const item = (i: number) => '0x' + i.toString(16).padStart(64, '0');

describe('dataset Merkle tree', () => {
  it('verifies every leaf of trees of 1 to 9 leaves, and refuses wrong index, leaf, root or proof', () => {
    for (let n = 1; n <= 9; n++) {
      const leaves = Array.from({ length: n }, (_, i) => leafOf(item(i), new Uint8Array([1, i])));
      const root = rootOf(leaves)!;
      for (let i = 0; i < n; i++) {
        const proof = proofOf(leaves, i);
        expect(verifyProof(root, leaves[i], i, n, proof)).toBe(true);
        if (n > 1) {
          expect(verifyProof(root, leaves[i], (i + 1) % n, n, proof)).toBe(false);
          expect(verifyProof(root, leaves[(i + 1) % n], i, n, proof)).toBe(false);
          expect(verifyProof(root, leaves[i], i, n, [...proof, proof[0]])).toBe(false);
          expect(verifyProof(root, leaves[i], i, n, proof.slice(1))).toBe(false);
        }
        expect(verifyProof(u8aToHex(leaves[0].map((b) => b ^ 1)), leaves[i], i, n, proof)).toBe(false);
        expect(verifyProof(root, leaves[i], n, n, proof)).toBe(false);
      }
    }
  });

  it('matches the chain tree on the shared vectors', () => {
    const v = (vectors as any).merkle;
    const leaves = v.leaves.map((l: any) => leafOf(l.item, l.label));
    expect(leaves.map((l: Uint8Array) => u8aToHex(l))).toEqual(v.leaves.map((l: any) => l.leaf));
    expect(rootOf(leaves)).toBe(v.root);
    v.proofs.forEach((p: string[], i: number) => {
      expect(proofOf(leaves, i)).toEqual(p);
      expect(verifyProof(v.root, leaves[i], i, leaves.length, p)).toBe(true);
    });
  });
});
