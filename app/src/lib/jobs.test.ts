import { describe, expect, it } from 'vitest';
import { cidsFromCsv, randomIndices } from './jobs';

const RAW = 'bafkreiarae6q4f3unhtlhbmybjndjvnumt7rkkmuqhk3j7uisiqyaydcee';
const PB = 'bafybeiefpex5wl37rrqbsbaqe3dat6qrjrrktwrhwvuje7lbfkscesxefq';

describe('cidsFromCsv', () => {
  it('reads a cid column, or else the first column, skipping blanks and comments', () => {
    expect(cidsFromCsv(`name,cid\r\na.png,${RAW}\n\n# note\nb.png,"${PB}"\n`).map((c) => [c.v1, c.codec])).toEqual([[RAW, 'Raw'], [PB, 'DagPb']]);
    expect(cidsFromCsv(`${PB},x\n${RAW}`).map((c) => c.codec)).toEqual(['DagPb', 'Raw']);
    expect(cidsFromCsv('')).toEqual([]);
  });
  it('names the line of a bad CID', () => {
    expect(() => cidsFromCsv(`cid\n${RAW}\nnot-a-cid`)).toThrow(/^line 3: /);
  });
});

describe('randomIndices', () => {
  it('draws distinct sorted indices in range', () => {
    for (let n = 1; n < 40; n++) {
      const k = Math.max(1, Math.round(n * 0.05));
      const got = randomIndices(n, k);
      expect(got.length).toBe(k);
      expect(new Set(got).size).toBe(k);
      expect(got.every((i) => i >= 0 && i < n)).toBe(true);
      expect([...got].sort((a, b) => a - b)).toEqual(got);
    }
  });
  it('reaches every position (5,000 draws of one of 10: each seen 350–650 times)', () => {
    const seen = new Array(10).fill(0);
    for (let t = 0; t < 5000; t++) seen[randomIndices(10, 1)[0]]++;
    expect(Math.min(...seen)).toBeGreaterThan(350);
    expect(Math.max(...seen)).toBeLessThan(650);
  });
});
