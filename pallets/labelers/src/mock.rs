//! Test runtime: System + Balances + Labelers. Every test runs through
//! [`ExtBuilder::build_and_execute`], which checks the pallet's `try_state` invariants afterwards.

use crate as pallet_labelers;
use crate::{types::*, Commitment, Salt};
use crowdlabel_consensus::{BoundingBox, FixedU128, Perbill};
use frame_support::{derive_impl, parameter_types, traits::ConstU32, BoundedVec};
use frame_system::EnsureRoot;
use sp_runtime::BuildStorage;
#[allow(unused_imports)]
use sp_runtime::PerThing;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Labelers: pallet_labelers,
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
	type RuntimeHoldReason = RuntimeHoldReason;
}

pub const TREASURY: u64 = 999;
pub const CURATOR_SALT: Salt = [7u8; 32];

/// Round fee per gold item: a K = 2 round pays 4.
pub const GOLD_ITEM_FEE: u64 = 2;

parameter_types! {
	pub const Treasury: u64 = TREASURY;
	/// As in the runtime: a failed candidate forfeits half the round deposit (25 of 50).
	pub const FailedRoundForfeit: Perbill = Perbill::from_percent(50);
	/// As in the runtime: at most a 1 % chance for a guesser.
	pub const MaxGuessPassProbability: Perbill = Perbill::from_percent(1);
}

impl pallet_labelers::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type CuratorOrigin = EnsureRoot<u64>;
	type RegistrationDeposit = frame_support::traits::ConstU64<100>;
	type RoundDeposit = frame_support::traits::ConstU64<50>;
	type Treasury = Treasury;
	type Slash = frame_support::traits::tokens::imbalance::ResolveTo<Treasury, Balances>;
	type FailedRoundForfeit = FailedRoundForfeit;
	type GoldItemFee = frame_support::traits::ConstU64<GOLD_ITEM_FEE>;
	type MaxGuessPassProbability = MaxGuessPassProbability;
	type RevokeAfterFailures = ConstU32<3>;
	type MaxDomains = ConstU32<4>;
	type MaxNameLen = ConstU32<32>;
	type MaxGoldStock = ConstU32<20>;
	type MaxGoldBatch = ConstU32<10>;
	type MaxRoundSize = ConstU32<10>;
	type MaxBoxes = ConstU32<8>;
	type WorkInProgress = FakeWork;
	type WeightInfo = ();
}

std::thread_local! {
	static WORKING: core::cell::RefCell<std::collections::BTreeSet<u64>> = Default::default();
}

/// Work another pallet (the jobs pallet) reports under way, set by the tests.
pub struct FakeWork;

impl FakeWork {
	/// `who` takes (`true`) or finishes (`false`) a package elsewhere.
	pub fn set(who: u64, working: bool) {
		WORKING.with(|w| {
			if working {
				w.borrow_mut().insert(who);
			} else {
				w.borrow_mut().remove(&who);
			}
		});
	}
}

impl crowdlabel_traits::WorkInProgress<u64> for FakeWork {
	fn has_work(who: &u64) -> bool {
		WORKING.with(|w| w.borrow().contains(who))
	}
}

pub type Label = crate::LabelOf<Test>;

/// The default genesis (see [`ExtBuilder`]); used by the benchmark test suite.
#[cfg_attr(not(feature = "runtime-benchmarks"), allow(dead_code))]
pub fn new_test_ext() -> sp_io::TestExternalities {
	ExtBuilder::default().build()
}

/// Test externalities (model: `pallet-referenda`'s mock): [`ExtBuilder::build_and_execute`]
/// runs a test and then checks the invariants, so no test can skip them.
pub struct ExtBuilder {
	/// Genesis balances.
	balances: Vec<(u64, u64)>,
}

impl Default for ExtBuilder {
	/// Accounts 1-5 hold 10_000, account 6 holds 120 (too little to register), the treasury exists.
	fn default() -> Self {
		Self {
			balances: vec![
				(1, 10_000),
				(2, 10_000),
				(3, 10_000),
				(4, 10_000),
				(5, 10_000),
				(6, 120),
				(TREASURY, 1),
			],
		}
	}
}

impl ExtBuilder {
	/// Test externalities at block 1 with the genesis balances.
	pub fn build(self) -> sp_io::TestExternalities {
		let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_balances::GenesisConfig::<Test> { balances: self.balances, ..Default::default() }
			.assimilate_storage(&mut t)
			.unwrap();
		let mut ext = sp_io::TestExternalities::new(t);
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	/// Runs `test`, then the invariants (`try_state` and the mock's own checks).
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			Labelers::do_try_state().expect("try_state invariants hold");
		});
	}
}

/// Moves to block `n` (no hooks run).
pub fn run_to(n: u64) {
	System::set_block_number(n);
}

/// A box label; each tuple is `(x_min, y_min, x_max, y_max, class)`.
pub fn boxes(v: &[(u32, u32, u32, u32, u16)]) -> Label {
	Label::Boxes(BoundedVec::truncate_from(
		v.iter()
			.map(|(a, b, c, d, k)| BoundingBox {
				x_min: *a,
				y_min: *b,
				x_max: *c,
				y_max: *d,
				class: *k,
			})
			.collect(),
	))
}

/// The curator's gold commitment to `label` (salt [`CURATOR_SALT`]).
pub fn commit(label: &Label) -> Commitment {
	crowdlabel_labels::gold_commitment(label, &CURATOR_SALT)
}

/// The item hash of test item `n` (`n` repeated).
pub fn item(n: u8) -> ItemHash {
	ItemHash::repeat_byte(n)
}

/// Boxes: rounds of `k` items, pass at mean agreement >= 70 %; cool-down 10, answer and
/// reveal windows 5, sigma 0.2.
pub fn box_params(k: u32) -> DomainParams<u64> {
	DomainParams {
		bar: QualificationBar::MinMeanAgreement(Perbill::from_percent(70)),
		round_size: k,
		cooldown: 10,
		answer_window: 5,
		reveal_window: 5,
		sigma: FixedU128::from_rational(2, 10),
	}
}

/// Stars: pass at mean error <= 0.2 stars, 5 % of the width (with K = 5 a guesser passes with
/// 11/3125 = 0.352 %).
pub fn star_params(k: u32) -> DomainParams<u64> {
	DomainParams {
		bar: QualificationBar::MaxMeanScoreError(Perbill::from_percent(5)),
		..box_params(k)
	}
}

/// The labelers pallet's events so far, oldest first.
pub fn events() -> Vec<pallet_labelers::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Labelers(e) = r.event { Some(e) } else { None })
		.collect()
}
