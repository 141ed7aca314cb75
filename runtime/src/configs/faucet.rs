//! `pallet_faucet`: free drips for empty wallets on dev and test chains (switched on by their
//! genesis presets only).

use frame_support::{parameter_types, traits::ConstU32, PalletId};

use crate::{Balance, Balances, BlockNumber, Runtime, CROL, HOURS, MINUTES};

parameter_types! {
	/// The faucet's account is derived from it.
	pub const FaucetPalletId: PalletId = PalletId(*b"crl/fcet");
	/// One drip: the registration deposit (10 CROL), a round deposit (5 CROL), a round fee
	/// (at most 2 CROL) and fees, with room to spare.
	pub const DripAmount: Balance = 20 * CROL;
	/// An account is served at most once a day.
	pub const FaucetCooldown: BlockNumber = 24 * HOURS;
	/// The cap counts drips per 10 minutes.
	pub const FaucetPeriod: BlockNumber = 10 * MINUTES;
}

impl pallet_faucet::Config for Runtime {
	type Currency = Balances;
	type PalletId = FaucetPalletId;
	type DripAmount = DripAmount;
	type Cooldown = FaucetCooldown;
	type Period = FaucetPeriod;
	// At most 30 drips (600 CROL) per 10 minutes, however many accounts ask.
	type MaxDripsPerPeriod = ConstU32<30>;
	// 2^16 hashes on average: a fraction of a second in a browser, per destination.
	type Difficulty = ConstU32<16>;
	// The faucet exists for operators of dev/test networks: sudo there (a council later).
	type AdminOrigin = super::CuratorOrigin;
	type WeightInfo = pallet_faucet::weights::SubstrateWeight<Runtime>;
}
