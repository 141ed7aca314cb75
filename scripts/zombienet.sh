#!/usr/bin/env bash
# Spawns the 3-validator network of zombienet.toml with the native provider and runs a zombienet
# test (default: zombienet/smoke.zndsl). Usage: scripts/zombienet.sh [test.zndsl]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ensure_node_js
[ -x "$NODE_BIN" ] || build_node

TEST="${1:-$ROOT/zombienet/smoke.zndsl}"
log "npm ci (zombienet cli)"
(cd "$ROOT/zombienet" && npm ci --no-audit --no-fund --loglevel=error)

export PATH="$(dirname "$NODE_BIN"):$PATH"
log "zombienet test -p native $TEST"
cd "$ROOT/zombienet"
timeout 900 ./node_modules/.bin/zombienet test -p native "$TEST"
