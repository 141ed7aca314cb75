//! `pallet_utility`: several calls in one transaction (`batch`, `batch_all`, `force_batch`).
//!
//! A labeler who works through packages sends one transaction per step instead of one per call,
//! e.g. `batch_all([reveal_labels(previous), commit_labels(current), take_package(job)])`: the
//! calls run in order with the signer's origin, each charged its own (refunded) weight, and the
//! per-transaction overhead (signature check, nonce, fee payment) is paid once.
//! `docs/performance.md` measures the labeling pipeline with and without batches.

use crate::{OriginCaller, Runtime, RuntimeCall, RuntimeEvent};

impl pallet_utility::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = OriginCaller;
	type WeightInfo = crate::weights::pallet_utility::WeightInfo<Runtime>;
}
