#!/usr/bin/env bash
# Throughput measurement: starts a `--dev` node and runs e2e/tps.mjs against it (pre-signed label
# commits + reveals from many labelers, and balance transfers from many accounts, in one run).
# Usage: scripts/bench-tps.sh [labelers (default 300)] [transfers (default 3000)]
# Environment: CROWDLABEL_TPS_BATCH=k (each step as utility.batchAll of k calls),
# CROWDLABEL_TPS_WARMUP=w (every labeler first completes w packages, unmeasured: w >= 5 makes the
# measured labelers veterans, past their newcomer bonuses), CROWDLABEL_TPS_PIPELINE=1 (groups of
# labelers move through take, commit and reveal independently, so the steps of different groups
# share blocks; with enough labelers every block is full: the measured rate is the chain's).
# Prints a Markdown table (the one in docs/performance.md); the JSON goes to /tmp/crowdlabel-tps.json.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
export CROWDLABEL_TPS_LABELERS="${1:-300}"
export CROWDLABEL_TPS_TRANSFERS="${2:-3000}"
# The transaction pool keeps a transaction until its block is finalized: a pool of 8,192 (the
# default) overflows when thousands of transfers are in flight and two blocks await finality.
export CROWDLABEL_NODE_ARGS="${CROWDLABEL_NODE_ARGS:---pool-limit 65536 --pool-kbytes 204800}"
# Large pipelined runs set up thousands of labelers: the run may take longer than an e2e test.
export CROWDLABEL_E2E_TIMEOUT="${CROWDLABEL_E2E_TIMEOUT:-3600}"
export CROWDLABEL_TPS_JSON="${CROWDLABEL_TPS_JSON:-/tmp/crowdlabel-tps.json}"
exec "$ROOT/scripts/e2e.sh" tps.mjs
