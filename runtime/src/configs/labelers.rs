//! `pallet_labelers`: registration, domains, gold data, qualification, reputation.

use frame_support::{parameter_types, traits::ConstU32, PalletId};
use frame_system::EnsureRoot;
use sp_runtime::traits::AccountIdConversion;

use crate::{AccountId, Balance, Balances, Runtime, RuntimeEvent, RuntimeHoldReason, CROL};

parameter_types! {
	/// Anti-spam deposit held while registered as a labeler.
	pub const RegistrationDeposit: Balance = 10 * CROL;
	/// Held during a qualification round; forfeited if the candidate never answers.
	pub const RoundDeposit: Balance = 5 * CROL;
	/// The platform treasury/reserve account (receives forfeited deposits and platform fees).
	pub const TreasuryPalletId: PalletId = PalletId(*b"crl/trsy");
	pub TreasuryAccount: AccountId = TreasuryPalletId::get().into_account_truncating();
}

impl pallet_labelers::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	// Domain curation is an operator task: sudo on dev/test networks (a council later).
	type CuratorOrigin = EnsureRoot<AccountId>;
	type RegistrationDeposit = RegistrationDeposit;
	type RoundDeposit = RoundDeposit;
	type Treasury = TreasuryAccount;
	type MaxDomains = ConstU32<16>;
	type MaxNameLen = ConstU32<64>;
	type MaxGoldStock = ConstU32<1000>;
	type MaxGoldBatch = ConstU32<100>;
	type MaxRoundSize = ConstU32<20>;
	type MaxBoxes = ConstU32<32>;
	type WeightInfo = pallet_labelers::weights::SubstrateWeight<Runtime>;
}
