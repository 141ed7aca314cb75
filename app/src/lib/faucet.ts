// The test faucet's proof of work (`pallet_faucet`): the first nonce whose
// blake2_256(b"crowdlabel-faucet" ++ genesis hash ++ account ++ nonce as u64 LE) starts with
// `difficulty` zero bits. Searched in slices so that the page stays responsive.
import { bnToU8a, stringToU8a, u8aConcat } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';

const DOMAIN = stringToU8a('crowdlabel-faucet');

/** Number of leading zero bits of `hash`. */
export function leadingZeroBits(hash: Uint8Array): number {
  let bits = 0;
  for (const byte of hash) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

/** The work hash of `nonce` for `account` (32 bytes) on the chain with `genesis` (32 bytes). */
export function workHash(genesis: Uint8Array, account: Uint8Array, nonce: number): Uint8Array {
  return blake2AsU8a(u8aConcat(DOMAIN, genesis, account, bnToU8a(nonce, { bitLength: 64, isLe: true })), 256);
}

/** The first nonce from `start` with enough work; `onProgress(tried)` after each slice. */
export async function solveWork(
  genesis: Uint8Array,
  account: Uint8Array,
  difficulty: number,
  onProgress?: (tried: number) => void,
  start = 0,
): Promise<number> {
  const SLICE = 4096;
  for (let n = start; ; ) {
    for (const end = n + SLICE; n < end; n++) {
      if (leadingZeroBits(workHash(genesis, account, n)) >= difficulty) return n;
    }
    onProgress?.(n - start);
    await new Promise((r) => setTimeout(r, 0));
  }
}
