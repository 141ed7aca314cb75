#!/usr/bin/env bash
# Spawns the 4-validator network of zombienet.toml with the native provider and runs a zombienet
# test (default: zombienet/flow.zndsl — the full flow across nodes with a validator restarted
# mid-run). Usage: scripts/zombienet.sh [test.zndsl]
# zombienet/upgrade.zndsl (the live runtime upgrade) starts the network from the previous
# release's runtime, runtime/releases/crowdlabel-runtime-100.compact.compressed.wasm, and upgrades
# it to the runtime just built.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ensure_node_js
[ -x "$NODE_BIN" ] || build_node

TEST="${1:-$ROOT/zombienet/flow.zndsl}"
log "npm ci (zombienet cli, e2e client)"
(cd "$ROOT/zombienet" && npm ci --no-audit --no-fund --loglevel=error)
(cd "$ROOT/e2e" && npm ci --no-audit --no-fund --loglevel=error)

if [ "$(basename "$TEST")" = upgrade.zndsl ]; then
	# The `local` preset's chain spec with the previous release's code: zombienet builds the
	# genesis state by running that code (build-spec --raw), as the old network did.
	OLD_WASM="$ROOT/runtime/releases/crowdlabel-runtime-100.compact.compressed.wasm"
	SPEC_DIR=/tmp/crowdlabel-upgrade
	mkdir -p "$SPEC_DIR"
	"$NODE_BIN" build-spec --chain local --disable-default-bootnode 2>/dev/null >"$SPEC_DIR/plain.json"
	python3 - "$SPEC_DIR/plain.json" "$OLD_WASM" "$SPEC_DIR/local-spec100.json" <<'PY'
import json, sys
spec = json.load(open(sys.argv[1]))
spec["genesis"]["runtimeGenesis"]["code"] = "0x" + open(sys.argv[2], "rb").read().hex()
json.dump(spec, open(sys.argv[3], "w"))
PY
	export CROWDLABEL_NEW_WASM="$CARGO_TARGET_DIR/release/wbuild/crowdlabel-runtime/crowdlabel_runtime.compact.compressed.wasm"
	[ -s "$CROWDLABEL_NEW_WASM" ] || { echo "no new runtime at $CROWDLABEL_NEW_WASM" >&2; exit 1; }
fi

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
for f in flow.log check.log upgrade.log watch.log; do
	if [ -s "$CROWDLABEL_ZN_LOGS/$f" ]; then
		echo "---- $f"
		if [ "$f" = watch.log ]; then tail -5 "$CROWDLABEL_ZN_LOGS/$f"; else cat "$CROWDLABEL_ZN_LOGS/$f"; fi
	fi
done
pkill -f "zn-watch.mjs" 2>/dev/null || true
exit "$status"
