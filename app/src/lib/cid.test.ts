// The app's CIDs agree with `crowdlabel-cid` (Rust) on the shared vectors: files of 0 bytes to
// a two-level tree, both layouts.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { describeCid, fileCid } from './cid';

const vectors = JSON.parse(readFileSync(new URL('../../../test-vectors/vectors.json', import.meta.url), 'utf8'));
const pattern = (n: number) => Uint8Array.from({ length: n }, (_, i) => i % 251);

describe('CIDs = crowdlabel-cid on test-vectors/vectors.json', () => {
  for (const v of vectors.cids) {
    it(`${v.size} bytes`, async () => {
      const bytes = pattern(v.size);
      const raw = await fileCid(bytes, 'rawLeaves');
      expect(raw.text).toBe(v.rawLeaves);
      expect(raw.binary).toBe(v.rawLeavesBinary);
      expect(raw.itemHash).toBe(v.itemHash);
      expect(raw.codec).toBe(v.size <= 262144 ? 'Raw' : 'DagPb');
      const plain = await fileCid(bytes, 'plain');
      expect(plain.text).toBe(v.plainV0);
      expect(plain.v1).toBe(v.plainV1);
      expect(plain.binary).toBe(v.plainBinary);
    }, 60_000);
  }
  it('streams give the same CID as bytes', async () => {
    const bytes = pattern(700_000);
    async function* pieces() {
      for (let i = 0; i < bytes.length; i += 65_536) yield bytes.slice(i, i + 65_536);
    }
    let progress = 0;
    const streamed = await fileCid(pieces(), 'rawLeaves', (n) => { progress = n; });
    expect(streamed).toEqual(await fileCid(bytes, 'rawLeaves'));
    expect(progress).toBe(bytes.length);
  });
  it('a CIDv0 is registered in its CIDv1 form; other codecs are refused', () => {
    const v = vectors.cids[0];
    expect(describeCid(v.plainV0).binary).toBe(v.plainBinary);
    expect(describeCid(v.plainV1).text).toBe(v.plainV1);
    expect(() => describeCid('bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy')).toThrow(/not a file/);
  });
});
