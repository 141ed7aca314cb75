# Shared set-up for the scripts in this folder. Source it; do not run it.
# - puts cargo's target dir on a persistent path outside the clone (CI caches it there),
# - installs what a fresh Debian machine lacks: protoc, the Rust targets/components of
#   rust-toolchain.toml, Node.js/npm for the e2e tests.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/crowdlabel-target}"
# The wasm builder looks for Cargo.lock above the target dir; point it at the workspace.
export WASM_BUILD_WORKSPACE_HINT="$ROOT"
NODE_BIN="$CARGO_TARGET_DIR/release/crowdlabel-node"
export NODE_BIN ROOT

log() { printf '\n==> %s\n' "$*" >&2; }

apt_install() {
	local sudo=""
	if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
	$sudo apt-get update -qq || true
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@"
}

ensure_deps() {
	if ! command -v protoc >/dev/null 2>&1; then
		log "installing protobuf-compiler"
		apt_install protobuf-compiler
	fi
	if ! command -v cargo >/dev/null 2>&1; then
		log "installing rustup"
		curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --default-toolchain none
		# shellcheck disable=SC1091
		. "$HOME/.cargo/env"
	fi
	# rust-toolchain.toml pins the toolchain, the wasm32v1-none target and rust-src.
	(cd "$ROOT" && rustup show active-toolchain >/dev/null 2>&1 || rustup toolchain install)
	(cd "$ROOT" && rustup target add wasm32v1-none >/dev/null && rustup component add rust-src clippy rustfmt >/dev/null)
}

ensure_node_js() {
	if ! command -v npm >/dev/null 2>&1; then
		log "installing nodejs and npm"
		apt_install nodejs npm
	fi
}

# Debian's `ipfs_cid` (package ipfs-cid): an independent CID implementation for e2e/cid.mjs.
ensure_ipfs_cid() {
	if ! command -v ipfs_cid >/dev/null 2>&1; then
		log "installing ipfs-cid"
		apt_install ipfs-cid
	fi
}

# Debian's Chromium: the real browser of the app's end-to-end test (e2e/app-owner.mjs).
ensure_chromium() {
	if ! command -v chromium >/dev/null 2>&1; then
		log "installing chromium"
		apt_install chromium
	fi
}

# Installs the content node's and the app's packages and builds the app (app/dist); the app
# imports the verified fetcher from tools/content-node.
build_app() {
	log "npm ci (tools/content-node), npm ci and build (app)"
	(cd "$ROOT/tools/content-node" && npm ci --no-audit --no-fund --loglevel=error)
	(cd "$ROOT/app" && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)
}

# Builds the node together with every other target of the workspace. Building all targets in
# one invocation resolves features exactly as `cargo test --workspace` does (dev-dependencies
# included), so the node, the tests and CI share one set of artifacts instead of compiling the
# dependency tree twice.
build_node() {
	log "cargo build --workspace --release --all-targets (target dir $CARGO_TARGET_DIR)"
	(cd "$ROOT" && cargo build --workspace --release --all-targets)
}

# Prints a free TCP port on 127.0.0.1.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
