#!/usr/bin/env bash
# Spawns the 4-validator network of zombienet.toml with the native provider and runs a zombienet
# test (default: zombienet/flow.zndsl — the full flow across nodes with a validator restarted
# mid-run). Usage: scripts/zombienet.sh [test.zndsl]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ensure_node_js
[ -x "$NODE_BIN" ] || build_node

TEST="${1:-$ROOT/zombienet/flow.zndsl}"
log "npm ci (zombienet cli, e2e client)"
(cd "$ROOT/zombienet" && npm ci --no-audit --no-fund --loglevel=error)
(cd "$ROOT/e2e" && npm ci --no-audit --no-fund --loglevel=error)

export PATH="$(dirname "$NODE_BIN"):$PATH"
export CROWDLABEL_ROOT="$ROOT"
CROWDLABEL_ZN_LOGS="$(mktemp -d /tmp/crowdlabel-zn.XXXXXX)"
export CROWDLABEL_ZN_LOGS
export CROWDLABEL_RUN="zn$(date +%s)"
log "zombienet test -p native $TEST (script logs in $CROWDLABEL_ZN_LOGS)"
cd "$ROOT/zombienet"
status=0
timeout 1500 ./node_modules/.bin/zombienet test -p native "$TEST" || status=$?
# The helper scripts' output (zombienet keeps it to itself).
for f in flow.log check.log watch.log; do
	if [ -s "$CROWDLABEL_ZN_LOGS/$f" ]; then
		echo "---- $f"
		if [ "$f" = watch.log ]; then tail -5 "$CROWDLABEL_ZN_LOGS/$f"; else cat "$CROWDLABEL_ZN_LOGS/$f"; fi
	fi
done
pkill -f "zn-watch.mjs" 2>/dev/null || true
exit "$status"
