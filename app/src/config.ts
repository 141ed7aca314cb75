// Where the app connects: `?rpc=ws://…&gateway=http://…` in the URL, else the dev defaults
// (the node and the content node `scripts/dev-node.sh` starts).
const params = new URLSearchParams(typeof location === 'undefined' ? '' : location.search);
export const RPC_URL = params.get('rpc') ?? 'ws://127.0.0.1:9944';
export const GATEWAY_URL = params.get('gateway') ?? 'http://127.0.0.1:8090';
