#!/usr/bin/env bash
# Starts the built node with `--dev --tmp` on free ports, runs an e2e script from e2e/ with
# @polkadot/api against it, stops the node. Usage: scripts/e2e.sh [script.mjs ...]
# (default: every e2e test listed in E2E_TESTS). Fails if any step fails.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ensure_node_js
ensure_ipfs_cid
[ -x "$NODE_BIN" ] || build_node

# cid.mjs needs no node: crowdlabel-cid against Helia and Debian's ipfs_cid. app-owner.mjs drives
# the app in headless Chromium.
E2E_TESTS=("cid.mjs" "smoke.mjs" "qualification.mjs" "onboarding.mjs" "faucet.mjs" "job.mjs" "dataset.mjs" "full-flow.mjs" "appeal.mjs"
	"app-owner.mjs" "app-flow.mjs" "council.mjs")
if [ "$#" -gt 0 ]; then E2E_TESTS=("$@"); fi
if printf '%s\n' "${E2E_TESTS[@]}" | grep -q '^app-'; then
	ensure_chromium
	build_app
fi

log "npm ci (e2e)"
(cd "$ROOT/e2e" && npm ci --no-audit --no-fund --loglevel=error)

RPC_PORT="$(free_port)"
P2P_PORT="$(free_port)"
LOG="$(mktemp /tmp/crowdlabel-e2e-node.XXXXXX.log)"
log "starting node: rpc $RPC_PORT, p2p $P2P_PORT, log $LOG"
# CROWDLABEL_NODE_ARGS: extra node flags (scripts/bench-tps.sh widens the transaction pool).
# shellcheck disable=SC2086
"$NODE_BIN" --dev --tmp --rpc-port "$RPC_PORT" --port "$P2P_PORT" --no-prometheus \
	--no-telemetry --no-mdns ${CROWDLABEL_NODE_ARGS:-} >"$LOG" 2>&1 &
NODE_PID=$!
cleanup() {
	kill "$NODE_PID" 2>/dev/null || true
	wait "$NODE_PID" 2>/dev/null || true
}
trap cleanup EXIT

for _ in $(seq 1 120); do
	if curl -sf -H 'Content-Type: application/json' \
		-d '{"jsonrpc":"2.0","id":1,"method":"system_health","params":[]}' \
		"http://127.0.0.1:$RPC_PORT" >/dev/null 2>&1; then
		break
	fi
	if ! kill -0 "$NODE_PID" 2>/dev/null; then
		tail -50 "$LOG"
		echo "node exited before its RPC came up" >&2
		exit 1
	fi
	sleep 0.5
done

status=0
for t in "${E2E_TESTS[@]}"; do
	log "e2e: $t"
	if ! (cd "$ROOT/e2e" && CROWDLABEL_WS="ws://127.0.0.1:$RPC_PORT" \
		CROWDLABEL_CID_BIN="$CARGO_TARGET_DIR/release/crowdlabel-cid" timeout "${CROWDLABEL_E2E_TIMEOUT:-900}" node "$t"); then
		status=1
		echo "e2e test $t FAILED; last node log lines:" >&2
		tail -40 "$LOG" >&2
		break
	fi
done
if grep -q "panicked" "$LOG"; then
	echo "node log contains 'panicked'" >&2
	status=1
fi
exit "$status"
