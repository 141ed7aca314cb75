#!/usr/bin/env bash
# Runs every test: formatting, clippy (-D warnings), rustdoc links, the workspace's unit,
# property and benchmark tests (release profile, sharing the node build's artifacts), the
# end-to-end tests with @polkadot/api against a real dev node, and the 4-validator zombienet
# flow test (about 4 min; RUN_ZOMBIENET=0 skips it).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ensure_deps
ensure_node_js
cd "$ROOT"

log "cargo fmt --check"
cargo fmt --all -- --check

log "cargo clippy -D warnings"
cargo clippy --workspace --release --all-targets -- -D warnings

log "cargo doc (the crates deny broken intra-doc links)"
cargo doc --release --no-deps -p crowdlabel-consensus -p crowdlabel-content -p crowdlabel-labels \
	-p crowdlabel-traits -p pallet-labelers -p pallet-jobs -p pallet-datasets -p pallet-faucet \
	-p pallet-root-dispatch \
	-p crowdlabel-runtime-api

build_node

log "cargo test --workspace --release"
cargo test --workspace --release

log "end-to-end tests against a dev node"
"$ROOT/scripts/e2e.sh"

log "content node and verified fetching (tools/content-node)"
ensure_ipfs_cid
(cd "$ROOT/tools/content-node" && CROWDLABEL_CID_BIN="$CARGO_TARGET_DIR/release/crowdlabel-cid" \
	node test.mjs)

log "app: unit tests (commitments and CIDs against the shared Rust vectors)"
# e2e.sh installed the app's packages and built it (build_app) for its browser test.
(cd "$ROOT/app" && npm test --silent)

if [ "${RUN_ZOMBIENET:-1}" = "1" ]; then
	log "zombienet"
	"$ROOT/scripts/zombienet.sh"
	log "zombienet: live runtime upgrade through the council"
	"$ROOT/scripts/zombienet.sh" "$ROOT/zombienet/upgrade.zndsl"
fi
log "all tests passed"
