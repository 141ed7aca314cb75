import { describe, expect, it } from 'vitest';
import { u8aToHex } from '@polkadot/util';
import { leadingZeroBits, solveWork, workHash } from './faucet';

describe('leadingZeroBits', () => {
  it('counts whole and partial zero bytes', () => {
    expect(leadingZeroBits(new Uint8Array([0x80, 0]))).toBe(0);
    expect(leadingZeroBits(new Uint8Array([0x01, 0xff]))).toBe(7);
    expect(leadingZeroBits(new Uint8Array([0, 0, 0x10]))).toBe(19);
    expect(leadingZeroBits(new Uint8Array(32))).toBe(256);
  });
});

describe('faucet proof of work', () => {
  const genesis = new Uint8Array(32).fill(1);
  const account = new Uint8Array(32).fill(2);
  it('hashes domain ++ genesis ++ account ++ nonce (u64 LE) as the pallet does', () => {
    // The same vector is checked by `pallet_faucet::tests::work_hash_vector` (Rust) and was
    // computed independently with Python's hashlib.blake2b(digest_size=32).
    expect(u8aToHex(workHash(genesis, account, 0x0102_0304))).toBe(
      '0xf77b02e07b40372ef53ed15c6322a69cc8ac306ce069150136d6eff659f8ac9d',
    );
  });
  it('finds the first nonce with enough work, and only that one', async () => {
    const nonce = await solveWork(genesis, account, 10);
    expect(leadingZeroBits(workHash(genesis, account, nonce))).toBeGreaterThanOrEqual(10);
    for (let n = 0; n < nonce; n++) expect(leadingZeroBits(workHash(genesis, account, n))).toBeLessThan(10);
    // bound to the account and the chain
    expect(await solveWork(genesis, new Uint8Array(32).fill(3), 10)).not.toBe(-1);
    expect(workHash(new Uint8Array(32).fill(9), account, nonce)).not.toEqual(workHash(genesis, account, nonce));
  });
});
