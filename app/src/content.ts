// Content on IPFS: adding files to the content node and fetching items verified by CID.
// One implementation for the app and the content node's tests (tools/content-node/test.mjs).
export { fetchVerified, VerificationError } from '../../tools/content-node/verified-get.mjs';

/** Adds `file` to a content node (`POST /add`, raw-leaves layout); returns the CID it stored. */
export async function addToContentNode(gateway: string, file: Blob): Promise<string> {
  const res = await fetch(`${gateway.replace(/\/$/, '')}/add?layout=raw-leaves`, { method: 'POST', body: file });
  const body = await res.json();
  if (!res.ok) throw new Error(`content node: ${body.error ?? res.status}`);
  return body.cid as string;
}
