//! Test runtime: System + RootDispatch, where account 1 is the dispatch origin (a stand-in for
//! the council's super-majority, which the runtime's tests exercise for real).

use crate as pallet_root_dispatch;
use frame_support::{derive_impl, ord_parameter_types};
use frame_system::EnsureSignedBy;
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		RootDispatch: pallet_root_dispatch,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

ord_parameter_types! {
	pub const Council: u64 = 1;
}

impl pallet_root_dispatch::Config for Test {
	type RuntimeCall = RuntimeCall;
	type DispatchOrigin = EnsureSignedBy<Council, u64>;
	type WeightInfo = ();
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	let t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test`, then the pallet's invariants.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		RootDispatch::do_try_state().expect("try_state invariants hold");
	});
}
