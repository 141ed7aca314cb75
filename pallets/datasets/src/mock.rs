//! Test runtime: System + Balances + Datasets. Settled jobs and domains come from thread-local
//! fakes of the cross-pallet traits ([`FakeJobs`], [`FakeLabelers`]), so these tests exercise
//! this pallet alone (the labeling flow is tested in `pallet-jobs`, and all pallets together
//! in the runtime's tests and end to end). Every test runs through
//! [`ExtBuilder::build_and_execute`], which checks the pallet's `try_state` afterwards; the
//! benchmark tests check it after every benchmark (in the benchmarks' verification). Settled
//! jobs are built with [`SettledJobBuilder`].

use crate as pallet_datasets;
use codec::Encode;
use core::cell::RefCell;
use crowdlabel_consensus::{FixedU128, Perbill};
use crowdlabel_labels::{ConsensusLabel, DomainId, ItemHash, ItemResult, JobId, LabelKind};
use crowdlabel_traits::{DomainInfo, FinishedJobs, LabeledItem, LabelerRegistry, SettledJob};
use frame_support::{derive_impl, parameter_types, traits::ConstU32, BoundedVec, PalletId};
use frame_system::EnsureRoot;
use sp_core::H256;
use sp_runtime::BuildStorage;
use std::collections::BTreeMap;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
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
	pub const MaxPublisherShare: Perbill = Perbill::from_percent(10);
	/// The datasets pallet's storage deposit per byte; settable per test.
	pub static StorageDepositPerByte: u64 = 1;
}

/// A settled job as the fake jobs pallet holds it.
pub struct FakeJob {
	pub settled: bool,
	pub job: SettledJob<u64>,
	pub items: Vec<LabeledItem<ConstU32<8>>>,
	pub contributors: BTreeMap<u32, Vec<(u64, FixedU128)>>,
}

thread_local! {
	static JOBS: RefCell<BTreeMap<JobId, FakeJob>> = const { RefCell::new(BTreeMap::new()) };
	static DOMAINS: RefCell<Vec<LabelKind>> = const { RefCell::new(Vec::new()) };
}

/// Thread-local stand-in for the jobs pallet. `retain` is recorded in (test) storage, so a call
/// that fails after retaining is rolled back like the real pallet's write.
pub struct FakeJobs;

impl FakeJobs {
	pub fn with<R>(f: impl FnOnce(&mut BTreeMap<JobId, FakeJob>) -> R) -> R {
		JOBS.with(|j| f(&mut j.borrow_mut()))
	}
	fn retained_key(job: JobId) -> Vec<u8> {
		(b"fake-jobs/retained", job).encode()
	}
	/// Whether a dataset pinned the job.
	pub fn retained(job: JobId) -> bool {
		frame_support::storage::unhashed::exists(&Self::retained_key(job))
	}
	/// Marks the job settled or not (it stays known).
	pub fn set_settled(job: JobId, settled: bool) {
		Self::with(|j| j.get_mut(&job).map(|f| f.settled = settled));
	}
	/// Items of the job (labeled or not).
	pub fn items(job: JobId) -> Option<u32> {
		Self::with(|j| j.get(&job).map(|f| f.job.items))
	}
}

impl FinishedJobs<u64> for FakeJobs {
	type MaxBoxes = ConstU32<8>;
	type MaxRedundancy = ConstU32<5>;

	fn settled_job(job: JobId) -> Option<SettledJob<u64>> {
		Self::with(|j| j.get(&job).filter(|f| f.settled).map(|f| f.job.clone()))
	}
	fn labeled_items(job: JobId) -> Vec<LabeledItem<ConstU32<8>>> {
		Self::with(|j| j.get(&job).map(|f| f.items.clone()).unwrap_or_default())
	}
	fn result(job: JobId, index: u32) -> Option<ItemResult<ConstU32<8>>> {
		Self::with(|j| {
			let f = j.get(&job)?;
			f.items.iter().find(|li| li.index == index).map(|li| li.result.clone())
		})
	}
	fn contributors(job: JobId, package: u32) -> BoundedVec<(u64, FixedU128), ConstU32<5>> {
		Self::with(|j| {
			let c = j.get(&job).and_then(|f| f.contributors.get(&package).cloned());
			BoundedVec::truncate_from(c.unwrap_or_default())
		})
	}
	fn retain(job: JobId) -> frame_support::dispatch::DispatchResult {
		frame_support::ensure!(
			Self::with(|j| j.contains_key(&job)),
			sp_runtime::DispatchError::Other("unknown job")
		);
		frame_support::storage::unhashed::put(&Self::retained_key(job), &true);
		Ok(())
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_settled_job(
		requester: u64,
		kind: LabelKind,
		items: Vec<ItemHash>,
		labelers: Vec<u64>,
	) -> JobId {
		let id = Self::with(|j| j.len() as JobId);
		let n = items.len() as u32;
		let label = match kind {
			LabelKind::BoundingBoxes { .. } => {
				let b = crowdlabel_consensus::BoundingBox {
					x_min: 0,
					y_min: 0,
					x_max: 1000,
					y_max: 1000,
					class: 1,
				};
				ConsensusLabel::Boxes(BoundedVec::truncate_from(vec![b; 8]))
			},
			LabelKind::SingleClass { .. } => ConsensusLabel::Class(1),
			LabelKind::Score { max, .. } => ConsensusLabel::Score(FixedU128::from_u32(max as u32)),
		};
		let labeled = items
			.iter()
			.enumerate()
			.map(|(i, item)| LabeledItem {
				index: i as u32,
				item: *item,
				package: i as u32,
				result: ItemResult { label: label.clone(), agreement: Perbill::from_percent(90) },
			})
			.collect();
		let r = labelers.len().min(5);
		let contributors = (0..n)
			.map(|p| {
				let who = (0..r)
					.map(|k| {
						(
							labelers[(p as usize + k) % labelers.len()],
							FixedU128::from_rational(11, 10),
						)
					})
					.collect();
				(p, who)
			})
			.collect();
		let job = SettledJob {
			requester,
			domain: 0,
			kind,
			items: n,
			redundancy: 3,
			challenges: 0,
			gold_checked: 0,
			gold_wrong: 0,
		};
		Self::with(|j| j.insert(id, FakeJob { settled: true, job, items: labeled, contributors }));
		id
	}
}

/// Thread-local stand-in for the labelers pallet: only domains (the datasets pallet asks
/// whether one exists).
pub struct FakeLabelers;

impl LabelerRegistry<u64> for FakeLabelers {
	fn is_registered(_: &u64) -> bool {
		false
	}
	fn is_qualified(_: &u64, _: DomainId) -> bool {
		false
	}
	fn domain(domain: DomainId) -> Option<DomainInfo> {
		DOMAINS
			.with(|d| d.borrow().get(domain as usize).copied())
			.map(|kind| DomainInfo { kind, qualification_fee: 0 })
	}
	fn weight_of(_: &u64, _: DomainId) -> FixedU128 {
		FixedU128::from_u32(1)
	}
	fn track_record(_: &u64, _: DomainId) -> u32 {
		0
	}
	fn pay_weights(_: DomainId, labelers: &[u64]) -> Vec<FixedU128> {
		labelers.iter().map(|_| FixedU128::from_u32(1)).collect()
	}
	fn reliability(_: &u64, domain: DomainId) -> Option<crowdlabel_labels::Reliability> {
		Self::domain(domain).and_then(|d| crowdlabel_labels::Reliability::new(&d.kind).ok())
	}
	fn set_reliability(_: &u64, _: DomainId, _: crowdlabel_labels::Reliability) {}
	fn record_outcomes(_: &u64, _: DomainId, _: &[FixedU128]) -> FixedU128 {
		FixedU128::from_u32(1)
	}
	fn record_challenge(_: &u64, _: DomainId, _: bool) -> FixedU128 {
		FixedU128::from_u32(1)
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_domain(kind: LabelKind) -> DomainId {
		DOMAINS.with(|d| {
			let mut d = d.borrow_mut();
			d.push(kind);
			(d.len() - 1) as DomainId
		})
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_qualify(_: &u64, _: DomainId) {}
}

impl pallet_datasets::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Labelers = FakeLabelers;
	type Jobs = FakeJobs;
	type CuratorOrigin = EnsureRoot<u64>;
	type Treasury = Treasury;
	type PalletId = DatasetsPalletId;
	type ItemDeposit = frame_support::traits::ConstU64<DEPOSIT>;
	type StorageDepositPerByte = StorageDepositPerByte;
	type MinPricePerItem = frame_support::traits::ConstU64<MIN_PRICE>;
	type OwnerShare = OwnerShare;
	type LabelerShare = LabelerShare;
	type MaxPublisherShare = MaxPublisherShare;
	type MaxLicenceLen = ConstU32<16>;
	type MaxRegisterBatch = ConstU32<10>;
	type MaxDatasetItems = ConstU32<40>;
	type MaxContributors = ConstU32<8>;
	type WeightInfo = ();
}

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
	/// Owners and labelers 1-9 hold 1_000, the requester and the buyer 1_000_000, the treasury exists.
	fn default() -> Self {
		Self {
			balances: {
				let mut balances: Vec<(u64, u64)> = (1..=9).map(|a| (a, 1_000)).collect();
				balances.push((REQUESTER, 1_000_000));
				balances.push((BUYER, 1_000_000));
				balances.push((TREASURY, 1));
				balances
			},
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
		pallet_datasets::GenesisConfig::<Test>::default()
			.assimilate_storage(&mut t)
			.unwrap();
		FakeJobs::with(|j| j.clear());
		DOMAINS.with(|d| d.borrow_mut().clear());
		let mut ext = sp_io::TestExternalities::new(t);
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	/// Runs `test`, then the invariants (`try_state` and the mock's own checks).
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			try_state();
		});
	}
}

/// The pallet's invariants.
pub fn try_state() {
	Datasets::do_try_state().expect("datasets try_state");
}

/// The SHA2-256 digest standing for test item `n`.
pub fn item(n: u8) -> ItemHash {
	H256([n; 32])
}

/// The binary CIDv1 (raw, sha2-256) of test item `n`.
pub fn cid(n: u8) -> [u8; 36] {
	crowdlabel_content::cid::cid_from_digest(&[n; 32])
}

/// Creates a single-class domain (id 0 in a fresh test).
pub fn domain() -> u32 {
	DOMAINS.with(|d| {
		let mut d = d.borrow_mut();
		d.push(LabelKind::SingleClass { classes: 4 });
		(d.len() - 1) as u32
	})
}

/// Test item `n` as a package of a settled job holds it: consensus class 0 at 100 % agreement
/// unless set with [`TestItem::class`] and [`TestItem::agreement`].
pub fn labeled(n: u8) -> TestItem {
	TestItem { item: item(n), class: 0, agreement: 100 }
}

/// One labeled item of a [`TestPackage`]; see [`labeled`].
pub struct TestItem {
	item: ItemHash,
	class: u16,
	/// Percent.
	agreement: u32,
}

impl TestItem {
	/// The consensus class.
	pub fn class(mut self, class: u16) -> Self {
		self.class = class;
		self
	}

	/// The consensus agreement, in percent.
	pub fn agreement(mut self, percent: u32) -> Self {
		self.agreement = percent;
		self
	}
}

/// One package of a settled job: its accepted labelers with their weights and its items.
pub struct TestPackage {
	items: Vec<TestItem>,
	labelers: Vec<(u64, FixedU128)>,
}

impl TestPackage {
	/// A package accepted from `labelers` (`(account, weight)`), with no items yet.
	pub fn labeled_by(labelers: &[(u64, FixedU128)]) -> Self {
		Self { items: Vec::new(), labelers: labelers.to_vec() }
	}

	/// Adds `items` to the package, in order.
	pub fn items(mut self, items: impl IntoIterator<Item = TestItem>) -> Self {
		self.items.extend(items);
		self
	}
}

/// A settled single-class job for the fake jobs pallet, as `settle_job` leaves it:
/// `SettledJobBuilder::new(d).package(..).package(..).challenges(2).gold_checked(4).insert()`.
///
/// Packages are all of one size (the last may be smaller), items are numbered across them in
/// order; R is the number of labelers of the first package. Defaults: no packages, no gold (no
/// challenge items, no labels checked against them, none wrong); the requester is
/// [`REQUESTER`].
pub struct SettledJobBuilder {
	domain: u32,
	packages: Vec<TestPackage>,
	challenges: u32,
	gold_checked: u32,
	gold_wrong: u32,
}

impl SettledJobBuilder {
	/// A job in `domain` with the defaults above.
	pub fn new(domain: u32) -> Self {
		Self { domain, packages: Vec::new(), challenges: 0, gold_checked: 0, gold_wrong: 0 }
	}

	/// Adds a package.
	pub fn package(mut self, package: TestPackage) -> Self {
		self.packages.push(package);
		self
	}

	/// Adds packages, in order.
	pub fn packages(mut self, packages: impl IntoIterator<Item = TestPackage>) -> Self {
		self.packages.extend(packages);
		self
	}

	/// Hidden challenge (gold) items in the job.
	pub fn challenges(mut self, items: u32) -> Self {
		self.challenges = items;
		self
	}

	/// Labels checked against the gold.
	pub fn gold_checked(mut self, labels: u32) -> Self {
		self.gold_checked = labels;
		self
	}

	/// Of the labels checked, those wrong.
	pub fn gold_wrong(mut self, labels: u32) -> Self {
		self.gold_wrong = labels;
		self
	}

	/// Adds the job, settled, to the fake jobs pallet; returns its id.
	pub fn insert(self) -> JobId {
		let packages = self.packages;
		let size = packages.first().map(|p| p.items.len() as u32).unwrap_or(1);
		let mut items = Vec::new();
		let mut contributors = BTreeMap::new();
		for (p, pkg) in packages.iter().enumerate() {
			for (k, i) in pkg.items.iter().enumerate() {
				items.push(LabeledItem {
					index: p as u32 * size + k as u32,
					item: i.item,
					package: p as u32,
					result: ItemResult {
						label: ConsensusLabel::Class(i.class),
						agreement: Perbill::from_percent(i.agreement),
					},
				});
			}
			contributors.insert(p as u32, pkg.labelers.clone());
		}
		let job = SettledJob {
			requester: REQUESTER,
			domain: self.domain,
			kind: LabelKind::SingleClass { classes: 4 },
			items: items.len() as u32,
			redundancy: packages.first().map(|p| p.labelers.len() as u32).unwrap_or(1),
			challenges: self.challenges,
			gold_checked: self.gold_checked,
			gold_wrong: self.gold_wrong,
		};
		FakeJobs::with(|j| {
			let id = j.len() as JobId;
			j.insert(id, FakeJob { settled: true, job, items, contributors });
			id
		})
	}
}

/// The datasets pallet's events so far, oldest first.
pub fn events() -> Vec<pallet_datasets::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Datasets(e) = r.event { Some(e) } else { None })
		.collect()
}
