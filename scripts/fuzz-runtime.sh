#!/usr/bin/env bash
# Fuzzes the real CrowdLabel runtime for [minutes] (default 30): random signed extrinsics of the
# labelers, jobs, datasets and balances pallets by a few dozen accounts, block after block, with
# the chain's invariants checked after every block (see runtime-fuzzer/src/lib.rs). Prints an
# Ok/Err histogram per call; exits non-zero on the first invariant violation, printing the seed
# and the extrinsics of the failing block.
#
#   scripts/fuzz-runtime.sh            # 30 minutes, seed from the clock
#   scripts/fuzz-runtime.sh 5          # 5 minutes
#   FUZZ_SEED=42 scripts/fuzz-runtime.sh 10
#   scripts/fuzz-runtime.sh 1 --seed 42 --episodes 1 --verbose   # replay one episode
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

MINUTES="${1:-30}"
shift || true
ensure_deps

log "cargo build --release -p crowdlabel-runtime-fuzzer (target dir $CARGO_TARGET_DIR)"
(cd "$ROOT" && cargo build --release -p crowdlabel-runtime-fuzzer)

ARGS=(--minutes "$MINUTES")
if [ -n "${FUZZ_SEED:-}" ]; then ARGS+=(--seed "$FUZZ_SEED"); fi
log "fuzzing the runtime for $MINUTES minutes"
exec "$CARGO_TARGET_DIR/release/crowdlabel-runtime-fuzz" "${ARGS[@]}" "$@"
