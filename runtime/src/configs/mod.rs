//! Pallet configurations, one module per pallet (or per tightly related group of pallets).

mod balances;
mod consensus;
mod datasets;
mod faucet;
mod governance;
mod jobs;
mod labelers;
mod sudo;
mod system;
mod utility;

pub use balances::*;
pub use consensus::*;
pub use datasets::*;
pub use faucet::*;
pub use governance::*;
pub use jobs::*;
pub use labelers::*;
pub use system::*;

use crate::AccountId;
use frame_support::{parameter_types, traits::ConstU32, PalletId};
use sp_runtime::traits::AccountIdConversion;

// Bounds and accounts several pallets share, defined once here. Where pallets must agree, the
// test below checks it (each pallet's own `integrity_test` checks its bounds against the math
// crate's limits).

/// Most boxes in one label: labels in qualification rounds (labelers), package labels and
/// consensus labels (jobs) and dataset leaves (datasets) share it.
pub type MaxBoxes = ConstU32<32>;
/// Most items in one job, hence in one dataset built from it.
pub type MaxJobItems = ConstU32<1000>;
/// Most labelers taking part in one job, hence contributing to one dataset.
pub type MaxLabelersPerJob = ConstU32<100>;

parameter_types! {
	/// The platform treasury/reserve account: receives forfeited deposits, round fees, the
	/// platform reserve of jobs and the reserve share of sales. Used by every CrowdLabel pallet.
	pub const TreasuryPalletId: PalletId = PalletId(*b"crl/trsy");
	pub TreasuryAccount: AccountId = TreasuryPalletId::get().into_account_truncating();
}

#[cfg(test)]
mod tests {
	use crate::Runtime;
	use frame_support::traits::Get;

	/// The pallets agree on the bounds they share: a package label fits a qualification label,
	/// a dataset takes every item and labeler of a job, and the box bound is the math crate's.
	#[test]
	fn shared_bounds_agree() {
		let labelers_boxes: u32 = <Runtime as pallet_labelers::Config>::MaxBoxes::get();
		let jobs_boxes: u32 = <Runtime as pallet_jobs::Config>::MaxBoxes::get();
		assert_eq!(labelers_boxes, jobs_boxes);
		assert!(jobs_boxes as usize <= crowdlabel_consensus::limits::MAX_BOXES);
		let job_items: u32 = <Runtime as pallet_jobs::Config>::MaxItems::get();
		let dataset_items: u32 = <Runtime as pallet_datasets::Config>::MaxDatasetItems::get();
		assert!(dataset_items >= job_items);
		let job_labelers: u32 = <Runtime as pallet_jobs::Config>::MaxLabelersPerJob::get();
		let contributors: u32 = <Runtime as pallet_datasets::Config>::MaxContributors::get();
		assert!(contributors >= job_labelers);
		assert_eq!(
			<Runtime as pallet_labelers::Config>::Treasury::get(),
			<Runtime as pallet_jobs::Config>::Treasury::get()
		);
		assert_eq!(
			<Runtime as pallet_jobs::Config>::Treasury::get(),
			<Runtime as pallet_datasets::Config>::Treasury::get()
		);
	}
}
