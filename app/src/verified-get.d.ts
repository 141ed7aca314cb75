// Types of tools/content-node/verified-get.mjs (plain JavaScript, shared with the content node).
declare module '*/verified-get.mjs' {
  export class VerificationError extends Error {}
  export function fetchVerified(
    gateway: string,
    cid: string,
    options?: { signal?: AbortSignal; onProgress?: (received: number, total: number) => void; maxBytes?: number },
  ): Promise<Uint8Array>;
}
