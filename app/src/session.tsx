// What every view shares: the node connection, the signing account, the best block, the
// chain's domains and sudo key, the secrets store, and helpers to read items by CID and to show
// a transaction's progress.
import { createContext, useContext, useEffect, useRef, useState } from 'react';
import type { ApiPromise } from '@polkadot/api';
import type { Account } from './chain';
import { GATEWAY_URL } from './config';
import { fetchVerified } from './content';
import { itemCid } from './lib/cid';
import type { Label } from './lib/labels';
import type { openSecrets } from './lib/secrets';
import { send, type Sent, type TxStatus } from './tx';

export const CROL = 10n ** 12n;

/** The chain's block time (twice `timestamp.minimumPeriod`), set on connection. */
export let MILLIS_PER_BLOCK = 3000;
export function setBlockTime(api: ApiPromise) {
  MILLIS_PER_BLOCK = Number((api.consts.timestamp.minimumPeriod as any).toString()) * 2;
}

export type Kind =
  | { kind: 'boxes'; classes: number }
  | { kind: 'class'; classes: number }
  | { kind: 'score'; min: number; max: number };

export interface Domain {
  id: number;
  name: string;
  kind: Kind;
  /** `labelers.Domains` entry as JSON (params, qualified count). */
  raw: any;
}

export type Secrets = Awaited<ReturnType<typeof openSecrets>>;

export interface Session {
  api: ApiPromise;
  genesis: string;
  who: Account;
  best: number;
  sudoKey?: string;
  domains: Domain[];
  reloadDomains: () => Promise<void>;
  secrets: Secrets;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside the session');
  return s;
}

export function kindOf(k: any): Kind {
  if (k.isBoundingBoxes) return { kind: 'boxes', classes: k.asBoundingBoxes.classes.toNumber() };
  if (k.isSingleClass) return { kind: 'class', classes: k.asSingleClass.classes.toNumber() };
  return { kind: 'score', min: k.asScore.min.toNumber(), max: k.asScore.max.toNumber() };
}

export function kindText(k: Kind): string {
  if (k.kind === 'boxes') return `bounding boxes, ${k.classes} classes`;
  if (k.kind === 'class') return `single class of ${k.classes}`;
  return `score ${k.min}–${k.max}`;
}

export function classNames(k: Kind): string[] {
  return k.kind === 'score' ? [] : Array.from({ length: k.classes }, (_, i) => `class ${i}`);
}

export async function loadDomains(api: ApiPromise): Promise<Domain[]> {
  const entries = await api.query.labelers.domains.entries();
  return entries
    .map(([key, value]) => {
      const d = (value as any).unwrap();
      return { id: (key.args[0] as any).toNumber(), name: d.name.toUtf8(), kind: kindOf(d.kind), raw: d.toJSON() };
    })
    .sort((a, b) => a.id - b.id);
}

/** CROL with up to 4 decimals, from plancks. */
export function crol(plancks: bigint | string | number): string {
  const p = BigInt(plancks);
  const whole = p / CROL;
  const frac = ((p % CROL) * 10_000n) / CROL;
  return frac === 0n ? `${whole} CROL` : `${whole}.${frac.toString().padStart(4, '0').replace(/0+$/, '')} CROL`;
}

/** CROL (decimal text) to plancks. */
export function plancks(text: string): bigint {
  const [w, f = ''] = text.trim().split('.');
  if (!/^\d+$/.test(w) || !/^\d*$/.test(f) || f.length > 12) throw new Error(`"${text}" is not an amount of CROL`);
  return BigInt(w) * CROL + BigInt((f + '0'.repeat(12)).slice(0, 12));
}

/** One item's verified bytes from the gateway, as an object URL (cached per CID). */
const urls = new Map<string, Promise<{ url: string; cid: string; bytes: number }>>();
export function itemUrl(itemHash: string, codec?: 'Raw' | 'DagPb'): Promise<{ url: string; cid: string; bytes: number }> {
  const key = `${itemHash}:${codec ?? '?'}`;
  let p = urls.get(key);
  if (!p) {
    p = (async () => {
      // Gold items are bare hashes: try the raw layout, then dag-pb.
      const codecs: ('Raw' | 'DagPb')[] = codec ? [codec] : ['Raw', 'DagPb'];
      let last: unknown;
      for (const c of codecs) {
        const cid = itemCid(itemHash, c).v1;
        try {
          const bytes = await fetchVerified(GATEWAY_URL, cid);
          return { url: URL.createObjectURL(new Blob([bytes as BlobPart])), cid, bytes: bytes.length };
        } catch (e) {
          last = e;
        }
      }
      throw last;
    })();
    p.catch(() => urls.delete(key));
    urls.set(key, p);
  }
  return p;
}

/** The item's image (verified), or why it could not be read. */
export function useItem(itemHash: string | undefined, codec?: 'Raw' | 'DagPb') {
  const [state, setState] = useState<{ url?: string; cid?: string; error?: string }>({});
  useEffect(() => {
    if (!itemHash) return;
    let live = true;
    itemUrl(itemHash, codec).then(
      (r) => live && setState({ url: r.url, cid: r.cid }),
      (e) => live && setState({ error: String(e.message ?? e) }),
    );
    return () => {
      live = false;
    };
  }, [itemHash, codec]);
  return state;
}

export function Status({ s, testId = 'tx-status' }: { s?: TxStatus; testId?: string }) {
  if (!s) return null;
  const text =
    s.state === 'failed'
      ? `failed — ${s.error}`
      : s.state === 'pending'
        ? 'pending…'
        : `${s.state === 'inBlock' ? 'in block' : 'finalized'} ${s.block.slice(0, 10)}…`;
  return (
    <span data-testid={testId} className={`tx ${s.state}`}>
      {text}
    </span>
  );
}

/** A transaction button's state: `run(tx)` sends it and keeps its status for `<Status>`. */
export function useTx() {
  const { api, who } = useSession();
  const [status, setStatus] = useState<TxStatus>();
  const busy = status?.state === 'pending' || status?.state === 'inBlock';
  async function run(tx: any): Promise<Sent | undefined> {
    try {
      return await send(api, tx, who, setStatus);
    } catch {
      return undefined;
    }
  }
  return { status, busy, run, setStatus };
}

/** Re-runs `load` at every new best block (and when `deps` change); its latest result. */
export function usePerBlock<T>(load: () => Promise<T>, deps: unknown[]): T | undefined {
  const { best } = useSession();
  const [value, setValue] = useState<T>();
  const running = useRef(false);
  useEffect(() => {
    if (running.current) return;
    running.current = true;
    load()
      .then(setValue, (e) => console.error(e))
      .finally(() => {
        running.current = false;
      });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [best, ...deps]);
  return value;
}

/** A label's text for lists. */
export function labelText(l: Label): string {
  if ('Boxes' in l) return l.Boxes.map((b) => `${b.xMin},${b.yMin}–${b.xMax},${b.yMax} class ${b.class}`).join('; ') || 'no boxes';
  if ('Class' in l) return `class ${l.Class}`;
  return `score ${l.Score}`;
}

/** Saves `text` as a download named `name`. */
export function download(name: string, text: string, type = 'application/json') {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** Imports a secrets backup file into `secrets`; a one-line report for the page. */
export async function importSecretsFile(secrets: Secrets, file: File | undefined): Promise<string | undefined> {
  if (!file) return undefined;
  try {
    const r = await secrets.importJson(await file.text());
    return `imported ${r.added}, kept ${r.kept}, rejected ${r.rejected.length}${r.rejected.map((x) => ` (${x.key}: ${x.reason})`).join('')}`;
  } catch (e: any) {
    return `not imported: ${e.message}`;
  }
}
