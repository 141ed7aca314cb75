// The app's commitments agree with the Rust code (`crowdlabel_labels`) on the shared vectors.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { challengeCommitment, goldCommitment, labelCommitment } from './commitment';
import type { Label } from './labels';

const vectors = JSON.parse(readFileSync(new URL('../../../test-vectors/vectors.json', import.meta.url), 'utf8'));

describe('commitments = crowdlabel_labels on test-vectors/vectors.json', () => {
  it('label commitments', () => {
    expect(vectors.labelCommitments.length).toBeGreaterThan(1);
    for (const v of vectors.labelCommitments) {
      expect(labelCommitment(v.labeler, v.job, v.package, v.labels as Label[], v.salt)).toBe(v.commitment);
    }
  });
  it('gold commitments', () => {
    for (const v of vectors.goldCommitments) expect(goldCommitment(v.answer as Label, v.salt)).toBe(v.commitment);
  });
  it('challenge commitments', () => {
    for (const v of vectors.challengeCommitments) {
      expect(challengeCommitment(v.requester, v.answers as [number, Label][], v.salt)).toBe(v.commitment);
    }
  });
  it('binds the labeler, the job, the package and the salt', () => {
    const v = vectors.labelCommitments[1];
    const base = labelCommitment(v.labeler, v.job, v.package, v.labels, v.salt);
    expect(labelCommitment('5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y', v.job, v.package, v.labels, v.salt)).not.toBe(base);
    expect(labelCommitment(v.labeler, v.job + 1, v.package, v.labels, v.salt)).not.toBe(base);
    expect(labelCommitment(v.labeler, v.job, v.package + 1, v.labels, v.salt)).not.toBe(base);
    expect(labelCommitment(v.labeler, v.job, v.package, v.labels, `0x${'ac'.repeat(32)}`)).not.toBe(base);
    // Alice's SS58 address and her public key name the same account.
    expect(labelCommitment('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY', v.job, v.package, v.labels, v.salt)).toBe(base);
  });
  it('refuses salts and accounts of the wrong length', () => {
    expect(() => goldCommitment({ Class: 1 }, '0x0102')).toThrow(/32 bytes/);
    expect(() => labelCommitment('0x0102', 0, 0, [], `0x${'00'.repeat(32)}`)).toThrow(/32 bytes/);
  });
});
