//! Test runtime: System + Balances + Labelers + Jobs + Datasets. Settled jobs are written straight
//! into the jobs pallet's storage (the labeling flow itself is tested in `pallet-jobs` and
//! end to end). Every test runs through [`run`], which checks the `try_state` invariants of all
//! three pallets afterwards; the benchmark tests check the datasets pallet's after every
//! benchmark (in the benchmarks' verification).

use crate as pallet_datasets;
use crowdlabel_consensus::{FixedU128, Perbill};
use frame_support::{derive_impl, parameter_types, traits::ConstU32, BoundedVec, PalletId};
use frame_system::EnsureRoot;
use pallet_jobs::{ConsensusLabel, ItemResult, Job, JobId, JobStatus};
use pallet_labelers::types::{DomainParams, ItemHash, LabelKind, QualificationBar};
use sp_core::H256;
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Labelers: pallet_labelers,
		Jobs: pallet_jobs,
		Datasets: pallet_datasets,
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
pub const REQUESTER: u64 = 100;
pub const BUYER: u64 = 200;
/// Item deposit: at least the 134 bytes of an item at 1 per byte (`integrity_test`).
pub const DEPOSIT: u64 = 150;
pub const MIN_PRICE: u64 = 10;

parameter_types! {
	pub const Treasury: u64 = TREASURY;
	pub const Reserve: Perbill = Perbill::from_percent(10);
	pub const DatasetsPalletId: PalletId = PalletId(*b"crl/data");
	pub const OwnerShare: Perbill = Perbill::from_percent(40);
	pub const LabelerShare: Perbill = Perbill::from_percent(40);
	/// The datasets pallet's storage deposit per byte; settable per test.
	pub static StorageDepositPerByte: u64 = 1;
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

/// Test randomness for the jobs pallet: a hash of the subject and the block number.
pub struct TestRandomness;
impl frame_support::traits::Randomness<sp_core::H256, u64> for TestRandomness {
	fn random(subject: &[u8]) -> (sp_core::H256, u64) {
		use codec::Encode;
		let n = System::block_number();
		(sp_core::H256(sp_io::hashing::blake2_256(&(subject, n).encode())), n)
	}
}

parameter_types! {
	pub const JobsPalletId: frame_support::PalletId = frame_support::PalletId(*b"crl/jobs");
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
	type StorageDepositPerByte = frame_support::traits::ConstU64<0>;
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

impl pallet_datasets::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Labelers = Labelers;
	type Jobs = Jobs;
	type CuratorOrigin = EnsureRoot<u64>;
	type Treasury = Treasury;
	type PalletId = DatasetsPalletId;
	type ItemDeposit = frame_support::traits::ConstU64<DEPOSIT>;
	type StorageDepositPerByte = StorageDepositPerByte;
	type MinPricePerItem = frame_support::traits::ConstU64<MIN_PRICE>;
	type OwnerShare = OwnerShare;
	type LabelerShare = LabelerShare;
	type MaxLicenceLen = ConstU32<16>;
	type MaxRegisterBatch = ConstU32<10>;
	type MaxDatasetItems = ConstU32<40>;
	type MaxContributors = ConstU32<8>;
	type WeightInfo = ();
}

/// Accounts 1..=9 (owners and labelers) hold 1_000; the requester and the buyer 1_000_000; the
/// treasury exists; the datasets pallet account gets its existential deposit at genesis.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut balances: Vec<(u64, u64)> = (1..=9).map(|a| (a, 1_000)).collect();
	balances.push((REQUESTER, 1_000_000));
	balances.push((BUYER, 1_000_000));
	balances.push((TREASURY, 1));
	pallet_balances::GenesisConfig::<Test> { balances, ..Default::default() }
		.assimilate_storage(&mut t)
		.unwrap();
	pallet_datasets::GenesisConfig::<Test>::default()
		.assimilate_storage(&mut t)
		.unwrap();
	pallet_jobs::GenesisConfig::<Test>::default()
		.assimilate_storage(&mut t)
		.unwrap();
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs a test and then checks the invariants of the pallets.
pub fn run(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		try_state();
	});
}

/// The invariants of the three pallets.
pub fn try_state() {
	Datasets::do_try_state().expect("datasets try_state");
	Jobs::do_try_state().expect("jobs try_state");
	Labelers::do_try_state().expect("labelers try_state");
}

/// The SHA2-256 digest standing for test item `n`.
pub fn item(n: u8) -> ItemHash {
	H256([n; 32])
}

/// The binary CIDv1 (raw, sha2-256) of test item `n`.
pub fn cid(n: u8) -> [u8; 36] {
	crowdlabel_consensus::cid::cid_from_digest(&[n; 32])
}

/// Creates a single-class domain (id 0 in a fresh test).
pub fn domain() -> u32 {
	let d = pallet_labelers::NextDomainId::<Test>::get();
	let params = DomainParams {
		bar: QualificationBar::MinMeanAgreement(Perbill::from_percent(50)),
		slash_floor: Perbill::from_percent(50),
		round_size: 1,
		cooldown: 5,
		answer_window: 100,
		reveal_window: 100,
		sigma: FixedU128::from_rational(2, 10),
	};
	frame_support::assert_ok!(Labelers::create_domain(
		RuntimeOrigin::root(),
		BoundedVec::truncate_from(b"cats".to_vec()),
		LabelKind::SingleClass { classes: 4 },
		params
	));
	d
}

/// One package of a settled job: its items as `(item, class, agreement %)` and its accepted
/// labelers with their weights.
pub struct TestPackage {
	pub items: Vec<(ItemHash, u16, u32)>,
	pub labelers: Vec<(u64, FixedU128)>,
}

/// Gold figures of a settled job: hidden challenge items, labels checked against them, and of
/// those wrong.
pub type Gold = (u32, u32, u32);

/// Writes a settled single-class job with these packages (all of one size, the last may be
/// smaller) into the jobs pallet's storage, as `settle_job` leaves it; R is the number of
/// labelers of the first package.
pub fn settled_job(domain: u32, packages: Vec<TestPackage>, gold: Gold) -> JobId {
	let id = pallet_jobs::NextJobId::<Test>::get();
	pallet_jobs::NextJobId::<Test>::put(id + 1);
	let size = packages.first().map(|p| p.items.len() as u32).unwrap_or(1);
	let mut all = Vec::new();
	for (p, pkg) in packages.iter().enumerate() {
		for (k, (hash, class, agreement)) in pkg.items.iter().enumerate() {
			let index = p as u32 * size + k as u32;
			pallet_jobs::Results::<Test>::insert(
				id,
				index,
				ItemResult {
					label: ConsensusLabel::Class(*class),
					agreement: Perbill::from_percent(*agreement),
				},
			);
			all.push(*hash);
		}
		pallet_jobs::Contributions::<Test>::insert(
			id,
			p as u32,
			BoundedVec::truncate_from(pkg.labelers.clone()),
		);
	}
	let n = all.len() as u32;
	let r = packages.first().map(|p| p.labelers.len() as u32).unwrap_or(1);
	pallet_jobs::JobItems::<Test>::insert(id, BoundedVec::truncate_from(all));
	pallet_jobs::Jobs::<Test>::insert(
		id,
		Job {
			requester: REQUESTER,
			domain,
			kind: LabelKind::SingleClass { classes: 4 },
			items: n,
			package_size: size,
			packages: packages.len() as u32,
			redundancy: r,
			budget: 1_000,
			reserve: 100,
			pay: 900,
			deadline: 100,
			commit_window: 10,
			reveal_window: 10,
			challenges: None,
			challenges_revealed: gold.0 > 0,
			gold_checked: gold.1,
			gold_wrong: gold.2,
			completed: packages.len() as u32,
			labelers: 0,
			fines: 0,
			accepted: n * r,
			challenge_items: gold.0,
			storage_deposit: 0,
			settled_at: Some(1),
			retained: false,
			status: JobStatus::Settled,
		},
	);
	id
}

pub fn events() -> Vec<pallet_datasets::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Datasets(e) = r.event { Some(e) } else { None })
		.collect()
}
