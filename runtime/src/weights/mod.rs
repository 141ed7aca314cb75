//! Weights of the polkadot-sdk pallets whose calls compete with CrowdLabel's for block space,
//! measured on the same machine as the CrowdLabel pallets' own weights (`pallets/*/src/weights.rs`)
//! instead of polkadot-sdk's reference-hardware figures, so that a transfer and a labeling call
//! are priced on one scale. `scripts/benchmark.sh` regenerates all of them together
//! (`docs/performance.md`); the generated files allow their own missing docs.

pub mod pallet_balances;
pub mod pallet_utility;
