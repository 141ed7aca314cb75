// The secrets store keeps, filters, exports and re-imports commit secrets, and refuses records
// whose commitment does not follow from their fields.
import { describe, expect, it } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import { challengeCommitment, goldCommitment, labelCommitment } from './commitment';
import type { Label } from './labels';
import {
  challengeKey,
  challengeSecret,
  goldSecret,
  labelKey,
  labelSecret,
  openSecrets,
  type ChallengeSecret,
  type GoldSecret,
  type LabelSecret,
} from './secrets';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const G1 = `0x${'11'.repeat(32)}`;
const G2 = `0x${'22'.repeat(32)}`;
const SALT = `0x${'07'.repeat(32)}`;
const SALT2 = `0x${'08'.repeat(32)}`;
const ITEM = `0x${'ab'.repeat(32)}`;
const boxes: Label = { Boxes: [{ xMin: 1, yMin: 2, xMax: 30, yMax: 40, class: 3 }] };

const fresh = () => openSecrets(new IDBFactory());

/** A label record built by hand, as the UI would. */
function aliceLabels(job = 4, pkg = 2, genesis = G1): LabelSecret {
  const labels: Label[] = [boxes, { Class: 1 }];
  return {
    kind: 'label', key: labelKey(genesis, ALICE, job, pkg), genesis, account: ALICE, job, package: pkg, labels,
    salt: SALT, commitment: labelCommitment(ALICE, job, pkg, labels, SALT), revealed: false, createdAt: 1000 + job,
  };
}

/** One record of each kind on G1, plus a label record on G2. */
function sample(): [LabelSecret, ChallengeSecret, GoldSecret, LabelSecret] {
  const challenge = { ...challengeSecret(G1, BOB, [[0, { Class: 2 }], [5, boxes]], SALT2), createdAt: 2000 };
  const gold = { ...goldSecret(G1, 7, ITEM, { Score: 4 }, SALT), createdAt: 3000 };
  return [aliceLabels(), challenge, gold, aliceLabels(4, 2, G2)];
}

async function stocked() {
  const store = await fresh();
  for (const r of sample()) await store.put(r);
  return store;
}

describe('secrets store', () => {
  it('keeps each kind of record', async () => {
    const store = await fresh();
    for (const r of sample()) {
      await store.put(r);
      expect(await store.get(r.key)).toEqual(r);
    }
    expect(await store.get('label:nothing')).toBeUndefined();
  });

  it('builds records whose commitments and keys are the chain commitments', () => {
    const l = labelSecret(G1, ALICE, 4, 2, [{ Class: 1 }], SALT);
    expect(l.commitment).toBe(labelCommitment(ALICE, 4, 2, [{ Class: 1 }], SALT));
    expect(l.key).toBe(`label:${G1}:${ALICE}:4:2`);
    const c = challengeSecret(G1, BOB, [[3, { Score: 9 }]], SALT);
    expect(c.commitment).toBe(challengeCommitment(BOB, [[3, { Score: 9 }]], SALT));
    expect(c.key).toBe(`challenge:${G1}:${c.commitment}`);
    const g = goldSecret(G1, 7, ITEM, boxes, SALT);
    expect(g.commitment).toBe(goldCommitment(boxes, SALT));
    expect(g.key).toBe(`gold:${G1}:7:${ITEM}`);
    expect(l.revealed || c.revealed || g.revealed).toBe(false);
  });

  it('refuses to store a record that does not match its commitment', async () => {
    const store = await fresh();
    const r = aliceLabels();
    await expect(store.put({ ...r, labels: [{ Class: 2 }] })).rejects.toThrow(/does not match/);
    await expect(store.put({ ...r, key: labelKey(G1, ALICE, 4, 3) })).rejects.toThrow(/key/);
    await expect(store.put({ ...r, salt: '0x07' })).rejects.toThrow(/salt is not 32 bytes/);
    expect(await store.list()).toEqual([]);
  });

  it('lists by kind, chain, account, job and domain', async () => {
    const store = await stocked();
    const [label, challenge, gold, other] = sample();
    const keys = async (f?: Parameters<typeof store.list>[0]) => (await store.list(f)).map((r) => r.key);
    expect(await keys()).toEqual([label.key, other.key, challenge.key, gold.key]); // oldest first
    expect(await keys({ kind: 'label' })).toEqual([label.key, other.key]);
    expect(await keys({ genesis: G1 })).toEqual([label.key, challenge.key, gold.key]);
    expect(await keys({ genesis: G2, kind: 'label' })).toEqual([other.key]);
    expect(await keys({ account: ALICE })).toEqual([label.key, other.key]);
    expect(await keys({ account: BOB })).toEqual([challenge.key]);
    expect(await keys({ job: 4, genesis: G1 })).toEqual([label.key]);
    expect(await keys({ domain: 7 })).toEqual([gold.key]);
    expect(await keys({ domain: 8 })).toEqual([]);
  });

  it('marks records revealed, fills in a challenge job, removes records', async () => {
    const store = await stocked();
    const [label, challenge] = sample();
    expect(await store.markRevealed(label.key)).toBe(true);
    expect(await store.get(label.key)).toEqual({ ...label, revealed: true });
    expect(await store.markRevealed('label:unknown')).toBe(false);

    expect(await store.setChallengeJob(G1, challenge.commitment, 9)).toBe(true);
    expect(await store.get(challengeKey(G1, challenge.commitment))).toEqual({ ...challenge, job: 9 });
    expect((await store.list({ job: 9 })).map((r) => r.key)).toEqual([challenge.key]);
    expect(await store.setChallengeJob(G2, challenge.commitment, 9)).toBe(false);

    await store.remove(label.key);
    expect(await store.get(label.key)).toBeUndefined();
    expect(await store.list()).toHaveLength(3);
  });

  it('reopens the same database', async () => {
    const factory = new IDBFactory();
    const a = await openSecrets(factory);
    await a.put(aliceLabels());
    a.close();
    const b = await openSecrets(factory);
    expect(await b.get(aliceLabels().key)).toEqual(aliceLabels());
  });

  it('adds its store to a crowdlabel database created without it', async () => {
    const factory = new IDBFactory();
    await new Promise<void>((resolve, reject) => {
      const r = factory.open('crowdlabel', 3);
      r.onupgradeneeded = () => r.result.createObjectStore('other');
      r.onsuccess = () => (r.result.close(), resolve());
      r.onerror = () => reject(r.error);
    });
    const store = await openSecrets(factory);
    await store.put(aliceLabels());
    expect(await store.list()).toEqual([aliceLabels()]);
  });
});

describe('secrets backup', () => {
  it('export then import into a fresh database gives the same records', async () => {
    const store = await stocked();
    await store.markRevealed(sample()[2].key);
    await store.setChallengeJob(G1, sample()[1].commitment, 3);
    const text = await store.exportJson();
    const file = JSON.parse(text);
    expect(file).toMatchObject({ format: 'crowdlabel-secrets', version: 1 });
    expect(new Date(file.exported).toISOString()).toBe(file.exported);
    expect(file.records).toHaveLength(4);

    const copy = await fresh();
    expect(await copy.importJson(text)).toEqual({ added: 4, kept: 0, rejected: [], conflicts: [] });
    expect(await copy.list()).toEqual(await store.list());
  });

  it('exports one chain', async () => {
    const store = await stocked();
    const file = JSON.parse(await store.exportJson(G2));
    expect(file.records).toEqual([aliceLabels(4, 2, G2)]);
  });

  it('counts records already stored as kept, merging revealed', async () => {
    const store = await stocked();
    const text = await store.exportJson();
    expect(await store.importJson(text)).toEqual({ added: 0, kept: 4, rejected: [], conflicts: [] });
    expect(await store.list()).toHaveLength(4);

    // The backup knows a reveal (and a challenge's job) that this browser does not, and vice versa.
    const [label, challenge, gold] = sample();
    const other = await fresh();
    await other.put(label);
    await other.put({ ...gold, revealed: true });
    await other.put(challenge);
    const file = JSON.parse(text);
    file.records = file.records.map((r: LabelSecret | ChallengeSecret) =>
      r.key === label.key ? { ...r, revealed: true } : r.key === challenge.key ? { ...r, job: 5 } : r,
    );
    expect(await other.importJson(JSON.stringify(file))).toEqual({ added: 1, kept: 3, rejected: [], conflicts: [] });
    expect((await other.get(label.key))?.revealed).toBe(true);
    expect((await other.get(gold.key))?.revealed).toBe(true);
    expect(await other.get(challenge.key)).toEqual({ ...challenge, job: 5 });
  });

  it('keeps the stored record when the backup has a different one under its key', async () => {
    const store = await fresh();
    const mine = aliceLabels();
    await store.put(mine);
    const labels: Label[] = [{ Class: 0 }];
    const theirs = { ...mine, labels, salt: SALT2, commitment: labelCommitment(ALICE, 4, 2, labels, SALT2), revealed: true };
    const text = JSON.stringify({ format: 'crowdlabel-secrets', version: 1, exported: new Date().toISOString(), records: [theirs] });
    expect(await store.importJson(text)).toEqual({ added: 0, kept: 1, rejected: [], conflicts: [mine.key] });
    expect(await store.get(mine.key)).toEqual(mine);
  });

  it('rejects tampered records with a reason and adds the rest', async () => {
    const store = await stocked();
    const file = JSON.parse(await store.exportJson(G1));
    const [label, challenge, gold] = file.records as [LabelSecret, ChallengeSecret, GoldSecret];
    const tampered = [
      { ...label, labels: [{ Class: 2 }, { Class: 1 }] },
      { ...challenge, salt: SALT },
      { ...gold, commitment: `0x${'00'.repeat(32)}`, key: `gold:${G1}:7:${ITEM}` },
      { ...gold, salt: '0x0707' },
      { ...gold, answer: { Stars: 3 } },
      { ...label, job: -1 },
      { ...gold, kind: 'secret' },
      'not a record',
      { ...gold, domain: 8 }, // key still names domain 7
      aliceLabels(6, 1),
    ];
    file.records = tampered;
    const result = await (await fresh()).importJson(JSON.stringify(file));
    expect(result.added).toBe(1);
    expect(result.kept).toBe(0);
    expect(result.rejected.map((r) => r.key)).toEqual([
      label.key, challenge.key, gold.key, gold.key, gold.key, label.key, gold.key, 'records[7]', gold.key,
    ]);
    const reasons = result.rejected.map((r) => r.reason);
    expect(reasons[0]).toMatch(/commitment .* does not match/);
    expect(reasons[1]).toMatch(/commitment .* does not match/);
    expect(reasons[2]).toMatch(/commitment .* does not match/);
    expect(reasons[3]).toMatch(/salt is not 32 bytes/);
    expect(reasons[4]).toMatch(/answer is not one of/);
    expect(reasons[5]).toMatch(/job is not an integer/);
    expect(reasons[6]).toMatch(/kind "secret"/);
    expect(reasons[7]).toMatch(/not an object/);
    expect(reasons[8]).toMatch(/key .* is not/);
  });

  it('throws on files that are not secrets files', async () => {
    const store = await fresh();
    await expect(store.importJson('{"format": "crowdlabel-secrets", ')).rejects.toThrow(/invalid JSON/);
    await expect(store.importJson('[]')).rejects.toThrow(/not a CrowdLabel secrets file: format is missing/);
    await expect(store.importJson('{"format": "polkadot-js", "records": []}')).rejects.toThrow(/format is "polkadot-js"/);
    await expect(store.importJson('{"format": "crowdlabel-secrets", "version": 2, "records": []}')).rejects.toThrow(/version 2/);
    await expect(store.importJson('{"format": "crowdlabel-secrets", "version": 1}')).rejects.toThrow(/records is not an array/);
    expect(await store.list()).toEqual([]);
  });
});
