#!/usr/bin/env bash
# Builds crowdlabel-node (release) and runs the development chain: one validator (Alice),
# dev accounts endowed, JSON-RPC/WebSocket on ws://127.0.0.1:9944. Extra arguments go to the node,
# e.g. `scripts/dev-node.sh --rpc-port 9955`. State is temporary (`--dev` implies `--tmp`).
# The RPC listens on localhost only. To expose it to other machines (a browser elsewhere, a
# LAN), say so explicitly: `CROWDLABEL_RPC_EXTERNAL=1 scripts/dev-node.sh` adds
# `--rpc-external --rpc-cors all` (anyone who can reach the port can then submit calls).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ensure_deps
build_node
EXPOSE=()
if [ "${CROWDLABEL_RPC_EXTERNAL:-0}" = "1" ]; then
	EXPOSE=(--rpc-external --rpc-cors all)
	log "CROWDLABEL_RPC_EXTERNAL=1: the RPC is reachable from the network"
fi
log "starting $NODE_BIN --dev (ws://127.0.0.1:9944)"
exec "$NODE_BIN" --dev "${EXPOSE[@]}" "$@"
