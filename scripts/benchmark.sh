#!/usr/bin/env bash
# Regenerates the weights of the CrowdLabel pallets by running their benchmarks in the runtime
# (wasm, compiled execution) with the node's benchmarking CLI.
# Usage: scripts/benchmark.sh [pallet_name ...]   (default: all CrowdLabel pallets)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ensure_deps
build_node
PALLETS=("$@")
if [ "${#PALLETS[@]}" -eq 0 ]; then PALLETS=(pallet_labelers pallet_jobs pallet_datasets); fi
for p in "${PALLETS[@]}"; do
	dir="$ROOT/pallets/${p#pallet_}"
	log "benchmarking $p -> $dir/src/weights.rs"
	"$NODE_BIN" benchmark pallet \
		--chain dev \
		--pallet "$p" \
		--extrinsic '*' \
		--steps "${STEPS:-20}" \
		--repeat "${REPEAT:-10}" \
		--wasm-execution compiled \
		--heap-pages 4096 \
		--template "$ROOT/scripts/templates/weight-template.hbs" \
		--output "$dir/src/weights.rs"
	# The header records the command; keep it free of this machine's paths.
	sed -i -e "s#$NODE_BIN#crowdlabel-node#g" -e "s#$ROOT/##g" "$dir/src/weights.rs"
done
