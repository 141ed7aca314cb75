// A requester's job set-up: items from a CSV of CIDs, and where the hidden challenges go.
import { describeCid, type FileCid } from './cid';

/** CIDs from CSV text: a column named `cid`, else the first column; blank lines and `#` comments skipped. */
export function cidsFromCsv(text: string): FileCid[] {
  const rows = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  if (!rows.length) return [];
  const head = rows[0].split(',').map((c) => c.trim().replace(/^"|"$/g, '').toLowerCase());
  const col = head.indexOf('cid');
  const body = col >= 0 ? rows.slice(1) : rows;
  return body.map((r, i) => {
    const cell = r.split(',')[Math.max(col, 0)].trim().replace(/^"|"$/g, '');
    try {
      return describeCid(cell);
    } catch (e: any) {
      throw new Error(`line ${i + (col >= 0 ? 2 : 1)}: ${e.message}`);
    }
  });
}

/** `count` distinct indices of `[0, n)`, drawn with the browser's cryptographic randomness. */
export function randomIndices(n: number, count: number): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  const r = new Uint32Array(1);
  for (let i = n - 1; i > 0; i--) {
    // Rejection sampling: no modulo bias towards low indices.
    const limit = 2 ** 32 - (2 ** 32 % (i + 1));
    do crypto.getRandomValues(r);
    while (r[0] >= limit);
    const j = r[0] % (i + 1);
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, count).sort((a, b) => a - b);
}
