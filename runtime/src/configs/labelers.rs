//! `pallet_labelers`: registration, domains, gold data, qualification, reputation.

use frame_support::{parameter_types, traits::ConstU32};
use sp_runtime::Perbill;

use super::{MaxBoxes, TreasuryAccount};

use crate::{Balance, Balances, Runtime, RuntimeHoldReason, CROL};

parameter_types! {
	/// Anti-spam deposit held while registered as a labeler.
	pub const RegistrationDeposit: Balance = 10 * CROL;
	/// Held during a qualification round; refunded on a pass, half forfeited on a fail, all
	/// forfeited if the candidate never answers.
	pub const RoundDeposit: Balance = 5 * CROL;
	/// Share of the round deposit a failed candidate forfeits to the treasury: 2.5 CROL.
	pub const FailedRoundForfeit: Perbill = Perbill::from_percent(50);
	/// Round fee per gold item (0.1 CROL): a round of K items pays K / 10 CROL to the treasury
	/// whatever its outcome, for the gold it consumes.
	pub const GoldItemFee: Balance = CROL / 10;
	/// A domain whose qualification round a uniform guesser passes with more than 1 % is
	/// refused.
	pub const MaxGuessPassProbability: Perbill = Perbill::from_percent(1);
}

impl pallet_labelers::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	// Curation: two thirds of the council (or Root: sudo on the dev chain).
	type CuratorOrigin = super::CuratorOrigin;
	type RegistrationDeposit = RegistrationDeposit;
	type RoundDeposit = RoundDeposit;
	type Treasury = TreasuryAccount;
	type Slash = frame_support::traits::tokens::imbalance::ResolveTo<TreasuryAccount, Balances>;
	type FailedRoundForfeit = FailedRoundForfeit;
	type GoldItemFee = GoldItemFee;
	type MaxGuessPassProbability = MaxGuessPassProbability;
	// A labeler at the weight floor after 3 failed challenges / missed reveals is revoked.
	type RevokeAfterFailures = ConstU32<3>;
	type MaxDomains = ConstU32<16>;
	type MaxNameLen = ConstU32<64>;
	type MaxGoldStock = ConstU32<1000>;
	type MaxGoldBatch = ConstU32<100>;
	type MaxRoundSize = ConstU32<20>;
	type MaxBoxes = MaxBoxes;
	// A labeler holding a package deposit has work under way (see `pallet_jobs`'s
	// `WorkInProgress`): it cannot unregister until the package is judged or expires.
	type WorkInProgress = crate::Jobs;
	type WeightInfo = pallet_labelers::weights::SubstrateWeight<Runtime>;
}
