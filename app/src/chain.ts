// The connection to a CrowdLabel node and the accounts that can sign: the polkadot{.js}
// extension's, and on development chains only, the well-known dev accounts.
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { web3Accounts, web3Enable, web3FromAddress } from '@polkadot/extension-dapp';
import type { Signer } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';

export interface Account {
  address: string;
  name: string;
  source: 'extension' | 'dev';
  /** Dev accounts sign in the page; extension accounts through the extension. */
  pair?: KeyringPair;
}

let provider: WsProvider | undefined;

export async function connect(url: string): Promise<ApiPromise> {
  provider = new WsProvider(url);
  return ApiPromise.create({ provider, noInitWarn: true });
}

/** Calls one of the node's `crowdlabel_*` JSON-RPC methods (docs/rpc.md). */
export async function rpc<T = any>(method: string, ...params: unknown[]): Promise<T> {
  if (!provider) throw new Error('not connected');
  return provider.send(`crowdlabel_${method}`, params) as Promise<T>;
}

/**
 * Submits an encoded extrinsic (hex) over the raw JSON-RPC and resolves with the block that
 * finalized it (a general transaction has no signer for `signAndSend`); rejects with the pool's
 * error, e.g. "1010: Invalid Transaction: Custom error: 3".
 */
export async function submitRaw(hex: string): Promise<string> {
  const p = provider;
  if (!p) throw new Error('not connected');
  return new Promise<string>((resolve, reject) => {
    let id: string | number | undefined;
    const done = (f: (v: any) => void, v: unknown) => {
      if (id !== undefined) p.unsubscribe('author_extrinsicUpdate', 'author_unwatchExtrinsic', id).catch(() => {});
      f(v);
    };
    p.subscribe('author_extrinsicUpdate', 'author_submitAndWatchExtrinsic', [hex], (error: Error | null, status: any) => {
      if (error) done(reject, error);
      else if (status?.finalized) done(resolve, status.finalized);
      else if (status === 'invalid' || status === 'dropped' || status?.usurped) done(reject, new Error(`the transaction was ${JSON.stringify(status)}`));
    })
      .then((sub) => {
        id = sub;
      })
      .catch((e) => done(reject, e));
  });
}

/** Whether the chain is a development chain (its dev accounts may be offered). */
export async function isDevChain(api: ApiPromise): Promise<boolean> {
  const type = await api.rpc.system.chainType();
  return type.isDevelopment || type.isLocal;
}

export async function accounts(api: ApiPromise): Promise<Account[]> {
  const out: Account[] = [];
  const extensions = await web3Enable('CrowdLabel');
  if (extensions.length > 0) {
    for (const a of await web3Accounts()) out.push({ address: a.address, name: a.meta.name ?? a.address, source: 'extension' });
  }
  if (await isDevChain(api)) {
    const keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 ?? 42 });
    // The accounts the dev genesis endows: Alice … Ferdie and their stashes.
    for (const stash of [false, true]) {
      for (const name of ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie']) {
        const label = stash ? `${name}Stash` : name;
        const pair = keyring.addFromUri(stash ? `//${name}//stash` : `//${name}`, { name: label });
        out.push({ address: pair.address, name: `${label} (dev)`, source: 'dev', pair });
      }
    }
  }
  return out;
}

/** What `signAndSend` needs for `account`. */
export async function signerOf(account: Account): Promise<KeyringPair | { address: string; signer: Signer }> {
  if (account.pair) return account.pair;
  const injector = await web3FromAddress(account.address);
  return { address: account.address, signer: injector.signer };
}
