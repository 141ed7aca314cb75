//! The native token CROL (`pallet_balances`) and transaction fees.

use frame_support::{
	parameter_types,
	traits::{ConstU128, ConstU32, ConstU8, VariantCountOf},
	weights::ConstantMultiplier,
};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_runtime::traits::One;

use crate::{
	Balance, Balances, Runtime, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason, System,
	EXISTENTIAL_DEPOSIT, MICRO_CROL,
};

impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ();
	type ReserveIdentifier = [u8; 8];
	type Balance = Balance;
	type RuntimeEvent = RuntimeEvent;
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	// Measured on the machine the CrowdLabel pallets were (see `crate::weights`).
	type WeightInfo = crate::weights::pallet_balances::WeightInfo<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	// Deposits and escrows of the CrowdLabel pallets are holds with a composite reason.
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

/// Fee per picosecond of execution time (ref time): 10 plancks. A full block's normal share of
/// weight (75% of 1.5 s) costs `1.125e12 ps x 10 = 11.25 CROL`.
pub const FEE_PER_PICOSECOND: Balance = 10;
/// Fee per byte of transaction: 1 micro-CROL. A full block's normal share of length (75% of
/// 5 MiB) costs `3,932,160 x 1e6 plancks = 3.93 CROL`; a gigabyte of transactions 1,000 CROL.
pub const FEE_PER_BYTE: Balance = MICRO_CROL;

parameter_types! {
	/// The fee multiplier is constant (1): fees do not rise with congestion; the price of a full
	/// block is fixed by the two constants above (see `docs/economics.md`).
	pub FeeMultiplier: Multiplier = Multiplier::one();
	pub const WeightFee: Balance = FEE_PER_PICOSECOND;
	pub const LengthFee: Balance = FEE_PER_BYTE;
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	// Fees are burned (no treasury yet).
	type OnChargeTransaction = FungibleAdapter<Balances, ()>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightToFee = ConstantMultiplier<Balance, WeightFee>;
	type LengthToFee = ConstantMultiplier<Balance, LengthFee>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}

#[cfg(test)]
mod tests {
	use super::*;
	use frame_support::{
		dispatch::DispatchClass,
		weights::{Weight, WeightToFee},
	};

	/// The figures `docs/economics.md` states for a full block.
	#[test]
	fn a_full_block_costs_what_the_economics_doc_states() {
		let weights = crate::configs::RuntimeBlockWeights::get();
		let normal = weights.get(DispatchClass::Normal).max_total.expect("normal limit");
		let weight_fee =
			<Runtime as pallet_transaction_payment::Config>::WeightToFee::weight_to_fee(&normal);
		// 75% of 1.5 s of ref time at 10 plancks per picosecond: 11.25 CROL.
		assert_eq!(normal.ref_time(), 1_125_000_000_000);
		assert_eq!(weight_fee, 11_250_000_000_000);
		let length = *crate::configs::RuntimeBlockLength::get().max.get(DispatchClass::Normal);
		let length_fee =
			<Runtime as pallet_transaction_payment::Config>::LengthToFee::weight_to_fee(
				&Weight::from_parts(length as u64, 0),
			);
		// 75% of 5 MiB at 1 micro-CROL per byte: 3.93 CROL.
		assert_eq!(length, 3_932_160);
		assert_eq!(length_fee, 3_932_160 * MICRO_CROL);
	}
}
