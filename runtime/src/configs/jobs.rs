//! `pallet_jobs`: labeling jobs, packages, commit-reveal labels, consensus, slashing, rewards.

use frame_support::{
	parameter_types,
	traits::{ConstU32, Randomness},
	PalletId,
};
use sp_runtime::{
	traits::{AccountIdConversion, BlakeTwo256, Hash as HashT},
	FixedU128, Perbill,
};

use super::{MaxBoxes, MaxJobItems, MaxLabelersPerJob, TreasuryAccount};
use crate::{
	AccountId, Balance, Balances, BlockNumber, Hash, Labelers, Runtime, RuntimeHoldReason, CROL,
	DAYS, MICRO_CROL,
};

parameter_types! {
	/// Share of every job budget kept by the platform (sent to the treasury at settlement).
	pub const PlatformReserve: Perbill = Perbill::from_percent(10);
	/// Slash floor of a domain until the curator sets one (`jobs.set_slash_floor`): a package
	/// whose mean agreement with consensus is below 50 % forfeits its deposit.
	pub const DefaultSlashFloor: Perbill = Perbill::from_percent(50);
	/// Account holding credited rewards until labelers claim them.
	pub const JobsPalletId: PalletId = PalletId(*b"crl/jobs");
	/// Storage deposit per byte of user-created storage (10 micro-CROL: 10,000 CROL per GB).
	pub const StorageDepositPerByte: Balance = 10 * MICRO_CROL;
	/// A settled job's data is kept 30 days for publication, then may be pruned.
	pub const RetentionPeriod: BlockNumber = 30 * DAYS;
	/// Longest job: 90 days.
	pub const MaxJobDuration: BlockNumber = 90 * DAYS;
	/// Longest commit or reveal window: 7 days.
	pub const MaxWindow: BlockNumber = 7 * DAYS;
	/// The account that pays newcomer bonuses; the council funds it with treasury spends.
	pub const NewcomerPotId: PalletId = PalletId(*b"crl/newc");
	pub NewcomerPot: AccountId = NewcomerPotId::get().into_account_truncating();
	/// Most paid per accepted package of a newcomer (also capped at the domain's
	/// qualification fee / `NewcomerPackages`: 0.2 CROL for a 10-item round).
	pub const NewcomerBonus: Balance = CROL / 2;
	/// A labeler slashed by a judgement may appeal for a day; the labelers accepted in that
	/// judgement keep their deposits at stake meanwhile.
	pub const AppealPeriod: BlockNumber = DAYS;
	/// An appellant's bond (forfeited to the treasury when the appeal is lost).
	pub const AppealBond: Balance = 10 * CROL;
	/// Paid by the treasury to each panelist who votes with an appeal's decision.
	pub const PanelFee: Balance = 2 * CROL;
	/// Panelists: pay weight at least 1.1 (a newcomer has 1, the best 1.2)...
	pub PanelMinWeight: FixedU128 = FixedU128::from_rational(11, 10);
}

/// Randomness for package assignment and tie-breaks: `blake2_256(subject ++ parent hash)`.
///
/// Bias: the parent hash is fixed before the transaction is included; the only party that can
/// influence it is the author of the parent block (one of the permissioned Aura validators),
/// who can at most withhold a block and let the next author produce another hash. A labeler
/// can choose the block in which to take (a few draws per package), never the package.
pub struct ParentHashRandomness;

impl Randomness<Hash, BlockNumber> for ParentHashRandomness {
	fn random(subject: &[u8]) -> (Hash, BlockNumber) {
		let parent = frame_system::Pallet::<Runtime>::parent_hash();
		let block = frame_system::Pallet::<Runtime>::block_number();
		let mut data = subject.to_vec();
		data.extend_from_slice(parent.as_ref());
		(<BlakeTwo256 as HashT>::hash(&data), block.saturating_sub(1))
	}
}

impl pallet_jobs::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Labelers = Labelers;
	// Curation: two thirds of the council (or Root: sudo on the dev chain).
	type CuratorOrigin = super::CuratorOrigin;
	type Treasury = TreasuryAccount;
	type Slash = frame_support::traits::tokens::imbalance::ResolveTo<TreasuryAccount, Balances>;
	type Randomness = ParentHashRandomness;
	type PalletId = JobsPalletId;
	type PlatformReserve = PlatformReserve;
	type DefaultSlashFloor = DefaultSlashFloor;
	type StorageDepositPerByte = StorageDepositPerByte;
	type RetentionPeriod = RetentionPeriod;
	type MinRedundancy = ConstU32<3>;
	type MaxJobDuration = MaxJobDuration;
	type MaxWindow = MaxWindow;
	type MaxItems = MaxJobItems;
	type MaxPackageSize = ConstU32<20>;
	type MaxRedundancy = ConstU32<7>;
	// Same bound as the labelers pallet: labels are shared types.
	type MaxBoxes = MaxBoxes;
	// A labeler holds at most 4 unjudged packages of a job at once.
	type MaxOpenPerLabeler = ConstU32<4>;
	type MaxLabelersPerJob = MaxLabelersPerJob;
	type MaxChallenges = ConstU32<50>;
	// Supplementary jobs paid by the treasury: a council motion (or Root on the dev chain).
	type TreasuryOrigin = super::CuratorOrigin;
	type NewcomerPot = NewcomerPot;
	type NewcomerBonus = NewcomerBonus;
	// A labeler's first five accepted packages earn the bonus.
	type NewcomerPackages = ConstU32<5>;
	type AppealPeriod = AppealPeriod;
	type AppealBond = AppealBond;
	// Three panelists; two decide.
	type AppealPanelSize = ConstU32<3>;
	type PanelFee = PanelFee;
	type PanelMinWeight = PanelMinWeight;
	// ... over at least 20 scored labels or gold answers in the domain.
	type PanelMinRecord = ConstU32<20>;
	type WeightInfo = pallet_jobs::weights::SubstrateWeight<Runtime>;
}

#[cfg(test)]
mod tests {
	use crate::{Jobs, CROL};

	/// The example `docs/economics.md` gives for the job storage deposit.
	#[test]
	fn job_storage_deposit_matches_the_economics_doc() {
		assert_eq!(Jobs::storage_bytes(1000, 100, 3), 652_377);
		assert_eq!(Jobs::storage_deposit(1000, 100, 3), 652_377 * 10 * crate::MICRO_CROL);
		assert!(Jobs::storage_deposit(1000, 100, 3) > 6 * CROL);
	}
}
