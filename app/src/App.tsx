// The CrowdLabel app: one page for the five roles, on one node connection and one account.
// `?role=labeler|requester|owner|buyer|curator` and `?as=<account name>` choose the view and
// the account on load (links and browser tests use them).
import { useEffect, useState } from 'react';
import type { ApiPromise } from '@polkadot/api';
import { accounts as loadAccounts, connect, type Account } from './chain';
import { GATEWAY_URL, RPC_URL } from './config';
import { openSecrets } from './lib/secrets';
import { kindText, loadDomains, SessionContext, setBlockTime, type Domain, type Secrets, type Session } from './session';
import { Buyer } from './views/Buyer';
import { Curator } from './views/Curator';
import { Labeler } from './views/Labeler';
import { Owner } from './views/Owner';
import { Requester } from './views/Requester';

const ROLES = { labeler: 'Labeler', requester: 'Requester', owner: 'Data owner', buyer: 'Buyer', curator: 'Curator' } as const;
type Role = keyof typeof ROLES;
const params = new URLSearchParams(location.search);

export function App() {
  const [api, setApi] = useState<ApiPromise>();
  const [error, setError] = useState<string>();
  const [chain, setChain] = useState<string>();
  const [genesis, setGenesis] = useState<string>();
  const [best, setBest] = useState<number>(0);
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [who, setWho] = useState<Account>();
  const [sudoKey, setSudoKey] = useState<string>();
  const [domains, setDomains] = useState<Domain[]>([]);
  const [secrets, setSecrets] = useState<Secrets>();
  const [role, setRole] = useState<Role>((params.get('role') as Role) in ROLES ? (params.get('role') as Role) : 'labeler');

  useEffect(() => {
    let unsub: (() => void) | undefined;
    connect(RPC_URL)
      .then(async (a) => {
        setBlockTime(a);
        setChain((await a.rpc.system.chain()).toString());
        setGenesis(a.genesisHash.toHex());
        const key = (await a.query.sudo.key()) as any;
        setSudoKey(key.isSome ? key.unwrap().toString() : undefined);
        setDomains(await loadDomains(a));
        setSecrets(await openSecrets());
        const list = await loadAccounts(a);
        setAccounts(list);
        const wanted = params.get('as');
        setWho(list.find((x) => wanted && (x.name === `${wanted} (dev)` || x.name === wanted || x.address === wanted)) ?? list[0]);
        unsub = await a.rpc.chain.subscribeNewHeads((h) => setBest(h.number.toNumber()));
        setApi(a);
      })
      .catch((e) => setError(`cannot reach ${RPC_URL}: ${e.message}`));
    return () => unsub?.();
  }, []);

  // New domains appear without a reload.
  useEffect(() => {
    if (api && best % 5 === 0) loadDomains(api).then(setDomains);
  }, [api, best]);

  const session: Session | null =
    api && who && genesis && secrets
      ? { api, genesis, who, best, sudoKey, domains, secrets, reloadDomains: async () => setDomains(await loadDomains(api)) }
      : null;

  return (
    <main>
      <style>{CSS}</style>
      <header>
        <h1>CrowdLabel</h1>
        <p data-testid="connection">
          {error ?? (api ? `${chain} at ${RPC_URL}, block #${best}` : `connecting to ${RPC_URL}…`)} · content from {GATEWAY_URL}
        </p>
        <label>
          Account{' '}
          <select data-testid="account" value={who?.address ?? ''} onChange={(e) => setWho(accounts.find((a) => a.address === e.target.value))}>
            {accounts.map((a) => (
              <option key={a.address} value={a.address}>{a.name} — {a.address.slice(0, 8)}…</option>
            ))}
          </select>
        </label>
        <nav>
          {(Object.keys(ROLES) as Role[]).map((r) => (
            <button key={r} data-testid={`role-${r}`} aria-pressed={role === r} onClick={() => setRole(r)}>{ROLES[r]}</button>
          ))}
        </nav>
      </header>
      <section>
        <h2>Domains</h2>
        <ul data-testid="domains">
          {domains.map((d) => (
            <li key={d.id} data-domain={d.id}>#{d.id} {d.name} — {kindText(d.kind)}</li>
          ))}
        </ul>
      </section>
      {session && (
        <SessionContext.Provider value={session}>
          {/* Keyed by account: a switch starts the view afresh. */}
          <div key={`${session.who.address}-${role}`}>
            {role === 'labeler' && <Labeler />}
            {role === 'requester' && <Requester />}
            {role === 'owner' && <Owner />}
            {role === 'buyer' && <Buyer />}
            {role === 'curator' && <Curator />}
          </div>
        </SessionContext.Provider>
      )}
    </main>
  );
}

const CSS = `
body { font-family: system-ui, sans-serif; margin: 1rem 2rem; color: #222; }
nav button[aria-pressed=true], button[aria-pressed=true] { background: #2563eb; color: white; }
fieldset { margin: 0.8rem 0; border: 1px solid #ccc; border-radius: 6px; }
.tx.failed, .error { color: #b91c1c; } .tx.finalized { color: #15803d; } .warning { color: #b45309; }
table { border-collapse: collapse; } td, th { padding: 2px 8px; border-bottom: 1px solid #eee; text-align: left; }
.item { margin: 0.5rem 0; } .package, .job, .dataset { border-top: 1px solid #ddd; margin-top: 0.5rem; }
code { font-size: 0.85em; }
`;
