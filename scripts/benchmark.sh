#!/usr/bin/env bash
# Regenerates the weights of the CrowdLabel pallets by running their benchmarks in the runtime
# (wasm, compiled execution) with the node's benchmarking CLI.
# Usage: scripts/benchmark.sh [pallet_name ...]   (default: the CrowdLabel pallets, pallet_balances,
# pallet_utility, the governance pallets (collective, membership, treasury), the transaction
# extensions (frame_system_extensions) and the block / extrinsic base weights
# (`benchmark overhead`), so that all of them are measured on one machine)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ensure_deps
build_node
PALLETS=("$@")
# All weights that compete for block space come from one machine: the CrowdLabel pallets and the
# polkadot-sdk pallets whose calls labelers and users send (transfers, batches).
if [ "${#PALLETS[@]}" -eq 0 ]; then
	PALLETS=(pallet_labelers pallet_jobs pallet_datasets pallet_faucet pallet_root_dispatch
		pallet_balances pallet_utility pallet_collective pallet_membership pallet_treasury
		frame_system_extensions overhead)
fi
for p in "${PALLETS[@]}"; do
	if [ "$p" = overhead ]; then
		# Per-block and per-extrinsic base weights: blocks of `system.remark` extrinsics.
		log "benchmarking overhead -> runtime/src/weights/{block,extrinsic}_weights.rs"
		"$NODE_BIN" benchmark overhead --chain dev --weight-path "$ROOT/runtime/src/weights" \
			--warmup 5 --repeat "${OVERHEAD_REPEAT:-50}" --max-ext-per-block 1000
		for f in block_weights extrinsic_weights; do
			# The runtime has no direct sp-weights dependency; keep the header free of paths.
			sed -i -e 's#sp_weights::#frame_support::weights::#g' -e "s#$NODE_BIN#crowdlabel-node#g" \
				-e "s#$ROOT/##g" "$ROOT/runtime/src/weights/$f.rs"
		done
		continue
	fi
	case "$p" in
	pallet_labelers | pallet_jobs | pallet_datasets | pallet_faucet | pallet_root_dispatch)
		dir="${p#pallet_}"
		out="$ROOT/pallets/${dir//_/-}/src/weights.rs"
		template=(--template "$ROOT/scripts/templates/weight-template.hbs")
		;;
	*)
		# A polkadot-sdk pallet: the CLI's default template (a `WeightInfo<T>` for the runtime).
		out="$ROOT/runtime/src/weights/$p.rs"
		template=()
		;;
	esac
	log "benchmarking $p -> $out"
	"$NODE_BIN" benchmark pallet \
		--chain dev \
		--pallet "$p" \
		--extrinsic '*' \
		--steps "${STEPS:-20}" \
		--repeat "${REPEAT:-10}" \
		--wasm-execution compiled \
		--heap-pages 4096 \
		"${template[@]}" \
		--output "$out"
	# The header records the command; keep it free of this machine's paths.
	sed -i -e "s#$NODE_BIN#crowdlabel-node#g" -e "s#$ROOT/##g" "$out"
done
