//! Weights of the polkadot-sdk pallets whose calls compete with CrowdLabel's for block space,
//! measured on the same machine as the CrowdLabel pallets' own weights (`pallets/*/src/weights.rs`)
//! instead of polkadot-sdk's reference-hardware figures, so that a transfer and a labeling call
//! are priced on one scale. The same holds for what every transaction pays whatever its call:
//! the per-extrinsic and per-block base weights (`benchmark overhead`: `extrinsic_weights`,
//! `block_weights`) and the transaction extensions' weights (nonce, mortality, weight checks:
//! `frame_system_extensions`), which polkadot-sdk would otherwise take from its reference
//! hardware or leave at zero. `scripts/benchmark.sh` regenerates all of them together
//! (`docs/performance.md`); the generated files allow their own missing docs.

pub mod block_weights;
pub mod extrinsic_weights;
pub mod frame_system_extensions;
pub mod pallet_balances;
pub mod pallet_collective;
pub mod pallet_membership;
pub mod pallet_treasury;
pub mod pallet_utility;

pub use block_weights::BlockExecutionWeight;
pub use extrinsic_weights::ExtrinsicBaseWeight;
