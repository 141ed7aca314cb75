// The browser's store of the secrets a user keeps from commit until reveal: a labeler's labels
// and salt per package, a requester's hidden challenge answers, a curator's gold answers. Losing
// a label salt forfeits the deposit, so every record is checked against its commitment when it
// is stored or imported, and the store exports to / imports from a JSON backup.
//   IndexedDB database `crowdlabel`, object store `secrets`, keyPath `key`:
//     label:${genesis}:${account}:${job}:${package}   challenge:${genesis}:${commitment}
//     gold:${genesis}:${domain}:${item}
// `genesis` (the chain's genesis hash) keeps the secrets of two chains apart.
import { challengeCommitment, goldCommitment, labelCommitment, saltHex, type Bytes32 } from './commitment';
import type { BoundingBox, Label } from './labels';

interface Common {
  key: string;
  /** The chain's genesis hash, 0x hex. */
  genesis: string;
  /** 0x hex, 32 bytes. */
  salt: string;
  /** 0x hex, as committed on chain. */
  commitment: string;
  revealed: boolean;
  /** ms since the epoch. */
  createdAt: number;
}

/** A labeler's labels of one package. */
export interface LabelSecret extends Common {
  kind: 'label';
  /** SS58. */
  account: string;
  job: number;
  package: number;
  labels: Label[];
}

/** A requester's hidden challenge answers; `job` is filled once the job exists. */
export interface ChallengeSecret extends Common {
  kind: 'challenge';
  requester: string;
  answers: [number, Label][];
  job?: number;
}

/** A curator's answer to one gold item. */
export interface GoldSecret extends Common {
  kind: 'gold';
  domain: number;
  /** The item's digest, 0x hex 32 bytes. */
  item: string;
  answer: Label;
}

export type SecretRecord = LabelSecret | ChallengeSecret | GoldSecret;

export interface SecretFilter {
  kind?: SecretRecord['kind'];
  genesis?: string;
  /** A label record's `account` or a challenge record's `requester` (gold records never match). */
  account?: string;
  /** A label or challenge record's `job`. */
  job?: number;
  /** A gold record's `domain`. */
  domain?: number;
}

export interface ImportResult {
  added: number;
  /** Records whose key was already stored: the stored record stays (revealed if either is). */
  kept: number;
  rejected: { key: string; reason: string }[];
  /** Keys among `kept` whose stored record differs from the imported one beyond `revealed`. */
  conflicts: string[];
}

export interface SecretStore {
  /** Stores (or replaces) a record after checking it; throws with the reason if it is invalid. */
  put(record: SecretRecord): Promise<void>;
  get(key: string): Promise<SecretRecord | undefined>;
  /** The matching records, oldest first. */
  list(filter?: SecretFilter): Promise<SecretRecord[]>;
  /** False if there is no such record. */
  markRevealed(key: string): Promise<boolean>;
  /** Records the job id of a challenge; false if there is no such record. */
  setChallengeJob(genesis: string, commitment: string, job: number): Promise<boolean>;
  remove(key: string): Promise<void>;
  /** A backup of all records (or of one chain's). */
  exportJson(genesis?: string): Promise<string>;
  /** Adds the valid records of a backup; throws if `text` is not a secrets file at all. */
  importJson(text: string): Promise<ImportResult>;
  close(): void;
}

export const FORMAT = 'crowdlabel-secrets';
export const VERSION = 1;
const DB_NAME = 'crowdlabel';
const STORE = 'secrets';

export const labelKey = (genesis: string, account: string, job: number, pkg: number) =>
  `label:${genesis}:${account}:${job}:${pkg}`;
export const challengeKey = (genesis: string, commitment: string) => `challenge:${genesis}:${commitment}`;
export const goldKey = (genesis: string, domain: number, item: string) => `gold:${genesis}:${domain}:${item}`;

const hexOf = (salt: Bytes32 | string) => (typeof salt === 'string' ? salt : saltHex(salt));

/** A new (unrevealed) label record, its commitment computed. */
export function labelSecret(
  genesis: string,
  account: string,
  job: number,
  pkg: number,
  labels: Label[],
  salt: Bytes32 | string,
): LabelSecret {
  const s = hexOf(salt);
  return checkSecret({
    kind: 'label', key: labelKey(genesis, account, job, pkg), genesis, account, job, package: pkg, labels,
    salt: s, commitment: labelCommitment(account, job, pkg, labels, s), revealed: false, createdAt: Date.now(),
  }) as LabelSecret;
}

/** A new (unrevealed) challenge record, its commitment computed. */
export function challengeSecret(genesis: string, requester: string, answers: [number, Label][], salt: Bytes32 | string): ChallengeSecret {
  const s = hexOf(salt);
  const commitment = challengeCommitment(requester, answers, s);
  return checkSecret({
    kind: 'challenge', key: challengeKey(genesis, commitment), genesis, requester, answers, salt: s, commitment,
    revealed: false, createdAt: Date.now(),
  }) as ChallengeSecret;
}

/** A new (unrevealed) gold record, its commitment computed. */
export function goldSecret(genesis: string, domain: number, item: string, answer: Label, salt: Bytes32 | string): GoldSecret {
  const s = hexOf(salt);
  return checkSecret({
    kind: 'gold', key: goldKey(genesis, domain, item), genesis, domain, item, answer, salt: s,
    commitment: goldCommitment(answer, s), revealed: false, createdAt: Date.now(),
  }) as GoldSecret;
}

// ---- validation ----

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const HEX32 = /^0x[0-9a-f]{64}$/;
const HEX = /^0x([0-9a-f]{2})*$/;

function fail(reason: string): never {
  throw new Error(reason);
}

function uint(x: unknown, max: number, what: string): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > max) fail(`${what} is not an integer 0..${max}`);
  return x;
}
const u32 = (x: unknown, what: string) => uint(x, 0xffffffff, what);
const u16 = (x: unknown, what: string) => uint(x, 0xffff, what);

function str(x: unknown, what: string, re?: RegExp, shape?: string): string {
  if (typeof x !== 'string' || x === '') fail(`${what} is not a string`);
  if (re && !re.test(x)) fail(`${what} is not ${shape}`);
  return x;
}
const hex32 = (x: unknown, what: string) => str(x, what, HEX32, '32 bytes of lowercase 0x hex');

function checkLabel(x: unknown, what: string): Label {
  if (!isObj(x) || Object.keys(x).length !== 1) fail(`${what} is not one of {Boxes}, {Class}, {Score}`);
  if ('Class' in x) return { Class: u16(x.Class, `${what}.Class`) };
  if ('Score' in x) return { Score: u16(x.Score, `${what}.Score`) };
  if (!('Boxes' in x)) fail(`${what} is not one of {Boxes}, {Class}, {Score}`);
  if (!Array.isArray(x.Boxes)) fail(`${what}.Boxes is not an array`);
  return {
    Boxes: x.Boxes.map((b: unknown, i): BoundingBox => {
      const w = `${what}.Boxes[${i}]`;
      if (!isObj(b)) fail(`${w} is not a box`);
      return {
        xMin: u32(b.xMin, `${w}.xMin`), yMin: u32(b.yMin, `${w}.yMin`), xMax: u32(b.xMax, `${w}.xMax`),
        yMax: u32(b.yMax, `${w}.yMax`), class: u16(b.class, `${w}.class`),
      };
    }),
  };
}

function recomputed(commitment: () => string): string {
  try {
    return commitment();
  } catch (e) {
    return fail(`commitment cannot be computed: ${(e as Error).message}`);
  }
}

/**
 * Checks a stored or imported record: its shape, its key, its 32-byte salt, and its commitment
 * recomputed from its fields. Returns a clean copy (unknown fields dropped); throws the reason.
 */
export function checkSecret(x: unknown): SecretRecord {
  if (!isObj(x)) fail('not an object');
  const genesis = hex32(x.genesis, 'genesis');
  const salt = hex32(x.salt, 'salt');
  const commitment = hex32(x.commitment, 'commitment');
  if (typeof x.revealed !== 'boolean') fail('revealed is not a boolean');
  const revealed = x.revealed;
  if (typeof x.createdAt !== 'number' || !Number.isFinite(x.createdAt) || x.createdAt < 0) fail('createdAt is not a time');
  const createdAt = x.createdAt;
  let r: SecretRecord;
  let expected: string;
  switch (x.kind) {
    case 'label': {
      const account = str(x.account, 'account');
      const job = u32(x.job, 'job');
      const pkg = u32(x.package, 'package');
      if (!Array.isArray(x.labels)) fail('labels is not an array');
      const labels = x.labels.map((l, i) => checkLabel(l, `labels[${i}]`));
      r = { kind: 'label', key: labelKey(genesis, account, job, pkg), genesis, account, job, package: pkg, labels, salt, commitment, revealed, createdAt };
      expected = recomputed(() => labelCommitment(account, job, pkg, labels, salt));
      break;
    }
    case 'challenge': {
      const requester = str(x.requester, 'requester');
      if (!Array.isArray(x.answers)) fail('answers is not an array');
      const answers = x.answers.map((a, i): [number, Label] => {
        if (!Array.isArray(a) || a.length !== 2) fail(`answers[${i}] is not a pair [item, label]`);
        return [u32(a[0], `answers[${i}][0]`), checkLabel(a[1], `answers[${i}][1]`)];
      });
      r = { kind: 'challenge', key: challengeKey(genesis, commitment), genesis, requester, answers, salt, commitment, revealed, createdAt };
      if (x.job !== undefined) r.job = u32(x.job, 'job');
      expected = recomputed(() => challengeCommitment(requester, answers, salt));
      break;
    }
    case 'gold': {
      const domain = u32(x.domain, 'domain');
      const item = hex32(x.item, 'item');
      const answer = checkLabel(x.answer, 'answer');
      r = { kind: 'gold', key: goldKey(genesis, domain, item), genesis, domain, item, answer, salt, commitment, revealed, createdAt };
      expected = recomputed(() => goldCommitment(answer, salt));
      break;
    }
    default:
      return fail(`kind ${JSON.stringify(x.kind)} is not label, challenge or gold`);
  }
  if (x.key !== r.key) fail(`key ${JSON.stringify(x.key)} is not ${JSON.stringify(r.key)}`);
  if (expected !== commitment) fail(`commitment ${commitment} does not match the record's fields and salt (${expected})`);
  return r;
}

function matches(r: SecretRecord, f: SecretFilter): boolean {
  if (f.kind !== undefined && r.kind !== f.kind) return false;
  if (f.genesis !== undefined && r.genesis !== f.genesis) return false;
  if (f.account !== undefined) {
    const who = r.kind === 'label' ? r.account : r.kind === 'challenge' ? r.requester : undefined;
    if (who !== f.account) return false;
  }
  if (f.job !== undefined && (r.kind === 'gold' || r.job !== f.job)) return false;
  if (f.domain !== undefined && (r.kind !== 'gold' || r.domain !== f.domain)) return false;
  return true;
}

const byAge = (a: SecretRecord, b: SecretRecord) => a.createdAt - b.createdAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** The record's content, everything but `revealed` and `createdAt`, as JSON with sorted keys. */
function content(r: SecretRecord): string {
  const { revealed: _r, createdAt: _c, ...rest } = r;
  const sorted = (x: unknown): unknown =>
    Array.isArray(x) ? x.map(sorted) : isObj(x) ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, sorted(x[k])])) : x;
  return JSON.stringify(sorted(rest));
}

// ---- IndexedDB ----

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function openDb(factory: IDBFactory, version?: number): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const r = version === undefined ? factory.open(DB_NAME) : factory.open(DB_NAME, version);
    r.onupgradeneeded = () => {
      if (!r.result.objectStoreNames.contains(STORE)) r.result.createObjectStore(STORE, { keyPath: 'key' });
    };
    r.onsuccess = () => {
      const db = r.result;
      if (db.objectStoreNames.contains(STORE)) {
        db.onversionchange = () => db.close(); // let another tab upgrade the database
        resolve(db);
      } else {
        // The database exists without our store (created by another part of the app): upgrade.
        const next = db.version + 1;
        db.close();
        openDb(factory, next).then(resolve, reject);
      }
    };
    r.onerror = () => reject(r.error);
  });
}

/** Opens (creating if need be) the secrets store. */
export async function openSecrets(idbFactory: IDBFactory = globalThis.indexedDB): Promise<SecretStore> {
  if (!idbFactory) throw new Error('IndexedDB is not available: the secrets cannot be kept');
  const db = await openDb(idbFactory);

  /** Runs `body` in one transaction and resolves once the transaction has committed. */
  async function run<T>(mode: IDBTransactionMode, body: (s: IDBObjectStore) => Promise<T>): Promise<T> {
    const t = db.transaction(STORE, mode);
    const done = new Promise<void>((resolve, reject) => {
      t.oncomplete = () => resolve();
      t.onabort = () => reject(t.error ?? new Error('the secrets transaction was aborted'));
    });
    done.catch(() => {}); // awaited below; not an unhandled rejection meanwhile
    let result: T;
    try {
      result = await body(t.objectStore(STORE));
    } catch (e) {
      try {
        t.abort();
      } catch {
        // already finished
      }
      throw e;
    }
    await done;
    return result;
  }

  const get = (key: string) =>
    run('readonly', (s) => request(s.get(key) as IDBRequest<SecretRecord | undefined>));

  const list = (filter: SecretFilter = {}) =>
    run('readonly', async (s) => ((await request(s.getAll())) as SecretRecord[]).filter((r) => matches(r, filter)).sort(byAge));

  return {
    async put(record) {
      const r = checkSecret(record);
      await run('readwrite', (s) => request(s.put(r)));
    },
    get,
    list,
    markRevealed: (key) =>
      run('readwrite', async (s) => {
        const r = (await request(s.get(key))) as SecretRecord | undefined;
        if (!r) return false;
        if (!r.revealed) await request(s.put({ ...r, revealed: true }));
        return true;
      }),
    setChallengeJob: (genesis, commitment, job) =>
      run('readwrite', async (s) => {
        u32(job, 'job');
        const r = (await request(s.get(challengeKey(genesis, commitment)))) as SecretRecord | undefined;
        if (!r) return false;
        await request(s.put({ ...r, job }));
        return true;
      }),
    remove: (key) => run('readwrite', (s) => request(s.delete(key))),
    async exportJson(genesis) {
      const records = await list(genesis === undefined ? {} : { genesis });
      return JSON.stringify({ format: FORMAT, version: VERSION, exported: new Date().toISOString(), records }, null, 2);
    },
    async importJson(text) {
      let file: unknown;
      try {
        file = JSON.parse(text);
      } catch (e) {
        throw new Error(`not a secrets file: invalid JSON (${(e as Error).message})`);
      }
      if (!isObj(file) || file.format !== FORMAT) {
        const format = isObj(file) ? JSON.stringify(file.format) : 'missing';
        throw new Error(`not a CrowdLabel secrets file: format is ${format}, not "${FORMAT}"`);
      }
      if (file.version !== VERSION) throw new Error(`unsupported secrets file version ${JSON.stringify(file.version)} (expected ${VERSION})`);
      if (!Array.isArray(file.records)) throw new Error('not a secrets file: records is not an array');

      const result: ImportResult = { added: 0, kept: 0, rejected: [], conflicts: [] };
      const valid: SecretRecord[] = [];
      file.records.forEach((x: unknown, i) => {
        try {
          valid.push(checkSecret(x));
        } catch (e) {
          const key = isObj(x) && typeof x.key === 'string' ? x.key : `records[${i}]`;
          result.rejected.push({ key, reason: (e as Error).message });
        }
      });
      await run('readwrite', async (s) => {
        for (const r of valid) {
          const old = (await request(s.get(r.key))) as SecretRecord | undefined;
          if (!old) {
            await request(s.put(r));
            result.added++;
            continue;
          }
          result.kept++;
          // A challenge's job, known to the backup but not yet here, is filled in.
          const merged: SecretRecord =
            old.kind === 'challenge' && r.kind === 'challenge' && old.job === undefined && r.job !== undefined
              ? { ...old, job: r.job }
              : old;
          if (content(merged) !== content(r)) {
            result.conflicts.push(r.key);
          } else if (merged !== old || (r.revealed && !old.revealed)) {
            await request(s.put({ ...merged, revealed: old.revealed || r.revealed }));
          }
        }
      });
      return result;
    },
    close: () => db.close(),
  };
}
