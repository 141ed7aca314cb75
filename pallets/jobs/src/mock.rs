//! Test runtime: System + Balances + Labelers + Jobs. Every test runs through [`run`], which
//! checks both pallets' `try_state` invariants afterwards.

use crate as pallet_jobs;
use codec::Encode;
use crowdlabel_consensus::{BoundingBox, FixedU128, Perbill};
use frame_support::{derive_impl, parameter_types, traits::ConstU32, BoundedVec};
use frame_system::EnsureRoot;
use pallet_labelers::types::{
	DomainParams, ItemHash, Label as GenericLabel, LabelKind, QualificationBar, Salt,
};
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Labelers: pallet_labelers,
		Jobs: pallet_jobs,
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
	type ExistentialDeposit = ExistentialDeposit;
	type RuntimeHoldReason = RuntimeHoldReason;
}

pub const TREASURY: u64 = 999;
pub const REQUESTER: u64 = 100;
pub const SALT: Salt = [9u8; 32];

parameter_types! {
	pub const Treasury: u64 = TREASURY;
	pub const Reserve: Perbill = Perbill::from_percent(10);
}

// Issue 11 labelers items, part of the `pallet_labelers::Config` block below.
frame_support::parameter_types! {
	pub const LabelersFailedRoundForfeit: Perbill = Perbill::from_percent(50);
	pub const LabelersMaxGuessPassProbability: Perbill = Perbill::one();
}

impl pallet_labelers::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type CuratorOrigin = EnsureRoot<u64>;
	type RegistrationDeposit = frame_support::traits::ConstU64<10>;
	type RoundDeposit = frame_support::traits::ConstU64<5>;
	type Treasury = Treasury;
	// Issue 11 items; values that keep this mock's tiny test domains (K = 1) valid and its
	// balances unchanged: no round fee, no guessing bound.
	type FailedRoundForfeit = LabelersFailedRoundForfeit;
	type GoldItemFee = frame_support::traits::ConstU64<0>;
	type MaxGuessPassProbability = LabelersMaxGuessPassProbability;
	type RevokeAfterFailures = ConstU32<3>;
	type MaxDomains = ConstU32<4>;
	type MaxNameLen = ConstU32<32>;
	type MaxGoldStock = ConstU32<100>;
	type MaxGoldBatch = ConstU32<100>;
	type MaxRoundSize = ConstU32<5>;
	type MaxBoxes = ConstU32<8>;
	type WeightInfo = ();
}

/// Test randomness: a hash of the subject and the block number (no parent hash in tests).
pub struct TestRandomness;
impl frame_support::traits::Randomness<sp_core::H256, u64> for TestRandomness {
	fn random(subject: &[u8]) -> (sp_core::H256, u64) {
		let n = System::block_number();
		(sp_core::H256(sp_io::hashing::blake2_256(&(subject, n).encode())), n)
	}
}

parameter_types! {
	pub const JobsPalletId: frame_support::PalletId = frame_support::PalletId(*b"crl/jobs");
	/// Settable per test (`StorageDepositPerByte::set(..)`).
	pub static StorageDepositPerByte: u64 = 1;
	/// Settable per test.
	pub static ExistentialDeposit: u64 = 1;
}

impl pallet_jobs::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Labelers = Labelers;
	type CuratorOrigin = EnsureRoot<u64>;
	type Treasury = Treasury;
	type Randomness = TestRandomness;
	type PalletId = JobsPalletId;
	type StorageDepositPerByte = StorageDepositPerByte;
	type RetentionPeriod = frame_support::traits::ConstU64<50>;
	type MinRedundancy = ConstU32<3>;
	type MaxJobDuration = frame_support::traits::ConstU64<1000>;
	type MaxWindow = frame_support::traits::ConstU64<100>;
	type PlatformReserve = Reserve;
	type MaxItems = ConstU32<40>;
	type MaxPackageSize = ConstU32<10>;
	type MaxRedundancy = ConstU32<5>;
	type MaxBoxes = ConstU32<8>;
	type MaxOpenPerLabeler = ConstU32<4>;
	type MaxLabelersPerJob = ConstU32<8>;
	type MaxChallenges = ConstU32<4>;
	type WeightInfo = ();
}

pub type Label = GenericLabel<ConstU32<8>>;

/// Labelers 1..=9 hold 100_000; the requester 1_000_000; the treasury exists.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut balances: Vec<(u64, u64)> = (1..=9).map(|a| (a, 100_000)).collect();
	balances.push((REQUESTER, 1_000_000));
	balances.push((TREASURY, 1));
	pallet_balances::GenesisConfig::<Test> { balances, ..Default::default() }
		.assimilate_storage(&mut t)
		.unwrap();
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| {
		System::set_block_number(1);
		Jobs::ensure_account_exists();
	});
	ext
}

/// Runs a test and then checks the invariants of both pallets.
pub fn run(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Jobs::do_try_state().expect("jobs try_state");
		Labelers::do_try_state().expect("labelers try_state");
	});
}

pub fn run_to(n: u64) {
	System::set_block_number(n);
}

pub fn item(n: u32) -> ItemHash {
	ItemHash::from_low_u64_be(n as u64 + 1)
}

pub fn boxes(v: &[(u32, u32, u32, u32)]) -> Label {
	Label::Boxes(BoundedVec::truncate_from(
		v.iter()
			.map(|(a, b, c, d)| BoundingBox {
				x_min: *a,
				y_min: *b,
				x_max: *c,
				y_max: *d,
				class: 0,
			})
			.collect(),
	))
}

/// Creates a domain (0: boxes, 1: stars) and qualifies `labelers` in it through a real round.
pub fn domain_with_qualified(kind: LabelKind, labelers: &[u64]) -> u32 {
	let (bar, gold) = match kind {
		LabelKind::StarReview => {
			(QualificationBar::MaxMeanStarError(FixedU128::from_u32(1)), Label::Stars(3))
		},
		_ => (
			QualificationBar::MinMeanAgreement(Perbill::from_percent(50)),
			boxes(&[(0, 0, 10, 10)]),
		),
	};
	let params = DomainParams {
		bar,
		slash_floor: Perbill::from_percent(50),
		round_size: 1,
		cooldown: 5,
		answer_window: 100,
		reveal_window: 100,
		sigma: FixedU128::from_rational(2, 10),
	};
	let d = pallet_labelers::NextDomainId::<Test>::get();
	frame_support::assert_ok!(Labelers::create_domain(
		RuntimeOrigin::root(),
		BoundedVec::truncate_from(b"d".to_vec()),
		kind,
		params
	));
	for who in labelers {
		let c = pallet_labelers::commitment_of(&gold, &SALT);
		frame_support::assert_ok!(Labelers::add_gold(
			RuntimeOrigin::root(),
			d,
			BoundedVec::truncate_from(vec![(item(1000 + *who as u32), c)])
		));
		if pallet_labelers::Labelers::<Test>::get(who).is_none() {
			frame_support::assert_ok!(Labelers::register(
				RuntimeOrigin::signed(*who),
				BoundedVec::truncate_from(vec![d])
			));
		} else {
			let mut ds = pallet_labelers::Labelers::<Test>::get(who).unwrap().domains.to_vec();
			ds.push(d);
			frame_support::assert_ok!(Labelers::declare_domains(
				RuntimeOrigin::signed(*who),
				BoundedVec::truncate_from(ds)
			));
		}
		frame_support::assert_ok!(Labelers::request_qualification(RuntimeOrigin::signed(*who), d));
		let round = pallet_labelers::NextRoundId::<Test>::get() - 1;
		frame_support::assert_ok!(Labelers::submit_qualification(
			RuntimeOrigin::signed(*who),
			round,
			BoundedVec::truncate_from(vec![gold.clone()])
		));
		frame_support::assert_ok!(Labelers::reveal_gold(
			RuntimeOrigin::root(),
			round,
			BoundedVec::truncate_from(vec![(gold.clone(), SALT)])
		));
	}
	d
}

pub fn events() -> Vec<pallet_jobs::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Jobs(e) = r.event { Some(e) } else { None })
		.collect()
}
