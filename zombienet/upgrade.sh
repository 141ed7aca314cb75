#!/usr/bin/env bash
# Run by zombienet (custom_sh) for zombienet/upgrade.zndsl: e2e/zn-upgrade.mjs against alice
# (writes) and bob (reads), with the new runtime's wasm. Its output goes to
# $CROWDLABEL_ZN_LOGS/upgrade.log (scripts/zombienet.sh prints it).
set -euo pipefail
ROOT="${CROWDLABEL_ROOT:?set by scripts/zombienet.sh}"
LOGS="${CROWDLABEL_ZN_LOGS:?set by scripts/zombienet.sh}"
mkdir -p "$LOGS"
cd "$ROOT/e2e"
CROWDLABEL_WS=ws://127.0.0.1:9961 CROWDLABEL_READ_WS=ws://127.0.0.1:9962 \
	CROWDLABEL_NEW_WASM="${CROWDLABEL_NEW_WASM:?set by scripts/zombienet.sh}" \
	node zn-upgrade.mjs >"$LOGS/upgrade.log" 2>&1
