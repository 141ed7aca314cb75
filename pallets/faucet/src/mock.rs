//! Test runtime: System + Balances + Faucet, with the runtime's `AuthorizeCall` transaction
//! extension so that drips can be applied as real general transactions. Every test runs through
//! [`build_and_execute`], which checks the pallet's `try_state` invariants afterwards.

use crate as pallet_faucet;
use frame_support::{derive_impl, parameter_types, traits::ConstU32, PalletId};
use frame_system::EnsureRoot;
use sp_runtime::{testing::UintAuthorityId, traits::BlakeTwo256, BuildStorage};

/// The transaction extensions of the mock: the authorization of general transactions.
pub type TxExtension = (frame_system::AuthorizeCall<Test>,);
pub type UncheckedExtrinsic =
	sp_runtime::generic::UncheckedExtrinsic<u64, RuntimeCall, UintAuthorityId, TxExtension>;
type Block =
	sp_runtime::generic::Block<sp_runtime::generic::Header<u64, BlakeTwo256>, UncheckedExtrinsic>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Faucet: pallet_faucet,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type ExistentialDeposit = frame_support::traits::ConstU64<5>;
}

/// Paid per drip.
pub const DRIP: u64 = 100;
/// Blocks per period.
pub const PERIOD: u64 = 10;
/// Cool-down per account.
pub const COOLDOWN: u64 = 50;
/// Drips per period.
pub const CAP: u32 = 3;
/// Leading zero bits (small, so the tests find nonces fast).
pub const DIFFICULTY: u32 = 6;

parameter_types! {
	pub const FaucetPalletId: PalletId = PalletId(*b"crl/fcet");
}

impl pallet_faucet::Config for Test {
	type Currency = Balances;
	type PalletId = FaucetPalletId;
	type DripAmount = frame_support::traits::ConstU64<DRIP>;
	type Cooldown = frame_support::traits::ConstU64<COOLDOWN>;
	type Period = frame_support::traits::ConstU64<PERIOD>;
	type MaxDripsPerPeriod = ConstU32<CAP>;
	type Difficulty = ConstU32<DIFFICULTY>;
	type AdminOrigin = EnsureRoot<u64>;
	type WeightInfo = ();
}

/// Genesis: the faucet holds `funds` and is `enabled`; accounts 1 and 2 hold 1,000; account 3
/// holds 50 (less than a drip).
pub fn build(enabled: bool, funds: u64) -> sp_io::TestExternalities {
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(Faucet::account_id(), funds), (1, 1_000), (2, 1_000), (3, 50)],
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	pallet_faucet::GenesisConfig::<Test> { enabled, _config: Default::default() }
		.assimilate_storage(&mut t)
		.unwrap();
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// The default genesis (an enabled faucet holding 10,000); used by the benchmark test suite.
#[cfg_attr(not(feature = "runtime-benchmarks"), allow(dead_code))]
pub fn new_test_ext() -> sp_io::TestExternalities {
	build(true, 10_000)
}

/// Runs `test` on the default genesis, then the invariants.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Faucet::do_try_state().expect("try_state invariants hold");
	});
}

/// The first nonce whose proof of work for `dest` meets the difficulty.
pub fn solve(dest: u64) -> u64 {
	(0u64..)
		.find(|n| crate::leading_zero_bits(&Faucet::work_hash(&dest, *n)) >= DIFFICULTY)
		.expect("a nonce exists")
}

/// The faucet pallet's events so far, oldest first.
pub fn events() -> Vec<pallet_faucet::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Faucet(e) = r.event { Some(e) } else { None })
		.collect()
}
