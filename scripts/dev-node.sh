#!/usr/bin/env bash
# Builds crowdlabel-node (release) and runs the development chain: one validator (Alice),
# dev accounts endowed, JSON-RPC/WebSocket on ws://127.0.0.1:9944. Extra arguments go to the node,
# e.g. `scripts/dev-node.sh --rpc-port 9955`. State is temporary (`--dev` implies `--tmp`).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ensure_deps
build_node
log "starting $NODE_BIN --dev (ws://127.0.0.1:9944)"
exec "$NODE_BIN" --dev --rpc-external --rpc-cors all "$@"
