//! `pallet_jobs`: labeling jobs, packages, commit-reveal labels, consensus, slashing, rewards.

use frame_support::{parameter_types, traits::ConstU32};
use frame_system::EnsureRoot;
use sp_runtime::Perbill;

use super::TreasuryAccount;
use crate::{AccountId, Balances, Labelers, Runtime, RuntimeEvent, RuntimeHoldReason};

parameter_types! {
	/// Share of every job budget kept by the platform (sent to the treasury at settlement).
	pub const PlatformReserve: Perbill = Perbill::from_percent(10);
}

impl pallet_jobs::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Labelers = Labelers;
	// The curator reveals the hidden challenge answers (sudo on dev/test networks).
	type CuratorOrigin = EnsureRoot<AccountId>;
	type Treasury = TreasuryAccount;
	type PlatformReserve = PlatformReserve;
	type MaxItems = ConstU32<1000>;
	type MaxPackageSize = ConstU32<20>;
	type MaxRedundancy = ConstU32<7>;
	// Same bound as the labelers pallet: labels are shared types.
	type MaxBoxes = ConstU32<32>;
	type MaxLabelersPerJob = ConstU32<100>;
	type MaxChallenges = ConstU32<50>;
	type WeightInfo = pallet_jobs::weights::SubstrateWeight<Runtime>;
}
