#!/usr/bin/env bash
# Builds crowdlabel-node (release) and runs the development chain: one validator (Alice),
# dev accounts endowed, JSON-RPC/WebSocket on ws://127.0.0.1:9944. Extra arguments go to the node,
# e.g. `scripts/dev-node.sh --rpc-port 9955`. State is temporary (`--dev` implies `--tmp`).
# The RPC listens on localhost only. To expose it to other machines (a browser elsewhere, a
# LAN), say so explicitly: `CROWDLABEL_RPC_EXTERNAL=1 scripts/dev-node.sh` adds
# `--rpc-external --rpc-cors all` (anyone who can reach the port can then submit calls).
# Next to the chain it starts the development content node (tools/content-node: files added to
# it are stored in a Helia file-system blockstore under $CROWDLABEL_CONTENT_DIR, default
# /var/tmp/crowdlabel-content, and served over the IPFS trustless gateway protocol on
# http://127.0.0.1:${CROWDLABEL_CONTENT_PORT:-8090}); CROWDLABEL_CONTENT=0 skips it. It also builds
# the web app (app/) and serves it on http://127.0.0.1:${CROWDLABEL_APP_PORT:-5173}/.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ensure_deps
ensure_node_js
build_node
EXPOSE=()
if [ "${CROWDLABEL_RPC_EXTERNAL:-0}" = "1" ]; then
	EXPOSE=(--rpc-external --rpc-cors all)
	log "CROWDLABEL_RPC_EXTERNAL=1: the RPC is reachable from the network"
fi
# Dependencies first (the app imports the verified fetcher from tools/content-node), then the
# processes: reinstalling a package under a running content node would break it.
if [ "${CROWDLABEL_APP:-1}" = "1" ]; then
	build_app
elif [ "${CROWDLABEL_CONTENT:-1}" = "1" ]; then
	(cd "$ROOT/tools/content-node" && npm ci --no-audit --no-fund --loglevel=error)
fi
CONTENT_PID=""
if [ "${CROWDLABEL_CONTENT:-1}" = "1" ]; then
	CONTENT_PORT="${CROWDLABEL_CONTENT_PORT:-8090}"
	node "$ROOT/tools/content-node/content-node.mjs" --port "$CONTENT_PORT" \
		--dir "${CROWDLABEL_CONTENT_DIR:-/var/tmp/crowdlabel-content}" &
	CONTENT_PID=$!
	log "content node: http://127.0.0.1:$CONTENT_PORT (add: POST /add; trustless gateway: /ipfs/{cid})"
fi
# The web app (app/), built and served next to them; CROWDLABEL_APP=0 skips it.
APP_PID=""
if [ "${CROWDLABEL_APP:-1}" = "1" ]; then
	APP_PORT="${CROWDLABEL_APP_PORT:-5173}"
	(cd "$ROOT/app" && exec npx vite preview --host 127.0.0.1 --port "$APP_PORT" --strictPort) \
		>/dev/null 2>&1 &
	APP_PID=$!
	log "app: http://127.0.0.1:$APP_PORT/ (connects to ws://127.0.0.1:9944 and the content node;" \
		"?rpc=ws://…&gateway=http://… to change)"
fi
cleanup() {
	if [ -n "$CONTENT_PID" ]; then kill "$CONTENT_PID" 2>/dev/null || true; fi
	if [ -n "$APP_PID" ]; then kill "$APP_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT INT TERM
log "starting $NODE_BIN --dev (ws://127.0.0.1:9944)"
"$NODE_BIN" --dev "${EXPOSE[@]}" "$@"
