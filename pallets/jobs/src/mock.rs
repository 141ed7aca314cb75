//! Test runtime: System + Balances + Jobs. The labeler registry is a thread-local fake
//! ([`FakeLabelers`]) implementing `crowdlabel_traits::LabelerRegistry`, so these tests exercise
//! this pallet alone. Every test runs through [`ExtBuilder::build_and_execute`], which checks
//! `try_state` afterwards.

use crate as pallet_jobs;
use codec::Encode;
use core::cell::RefCell;
use crowdlabel_consensus::{
	calibrated_sigma, voting_weight, BoundingBox, ErrorStats, FixedU128, Perbill, Zero,
};
use crowdlabel_labels::{DomainId, ItemHash, Label as GenericLabel, LabelKind, Reliability, Salt};
use crowdlabel_traits::{DomainInfo, LabelerRegistry, WorkInProgress};
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64},
	BoundedVec,
};
use frame_system::EnsureRoot;
use sp_runtime::BuildStorage;
use std::collections::{BTreeMap, BTreeSet};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Jobs: pallet_jobs,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
	// Non-zero database weights (those of the `()` weight functions), so the tests of the
	// calls' refunds see the reads and writes each call adds or refunds on its own.
	type DbWeight = frame_support::weights::constants::RocksDbWeight;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type ExistentialDeposit = ExistentialDeposit;
	type RuntimeHoldReason = RuntimeHoldReason;
}

pub const TREASURY: u64 = 999;
pub const REQUESTER: u64 = 100;
/// The account that pays newcomer bonuses.
pub const NEWCOMER_POT: u64 = 998;
/// The account whose signature stands in for the council's treasury origin.
pub const COUNCIL: u64 = 77;
/// The gold fee of a qualification round in every fake domain.
pub const QUALIFICATION_FEE: u64 = 60;
/// A labeler's first 3 accepted packages earn the newcomer bonus.
pub const NEWCOMER_PACKAGES: u32 = 3;
pub const SALT: Salt = [9u8; 32];
/// Blocks to appeal a slash in.
pub const APPEAL_PERIOD: u64 = 20;
pub const APPEAL_BOND: u64 = 30;
pub const PANEL_FEE: u64 = 10;
/// Scored labels a panelist needs in the domain.
pub const PANEL_MIN_RECORD: u32 = 3;

parameter_types! {
	pub const Treasury: u64 = TREASURY;
	pub const Reserve: Perbill = Perbill::from_percent(10);
	pub const DefaultSlashFloor: Perbill = Perbill::from_percent(50);
	pub const NewcomerPot: u64 = NEWCOMER_POT;
	pub PanelMinWeight: FixedU128 = FixedU128::from_rational(11, 10);
}

frame_support::ord_parameter_types! {
	pub const Council: u64 = COUNCIL;
}

/// The fake registry's state: domains, registered and qualified labelers, reputation (the
/// real `ErrorStats` arithmetic with `s = 0.2`) and every reported outcome.
#[derive(Default)]
pub struct Registry {
	pub domains: BTreeMap<DomainId, DomainInfo>,
	pub registered: BTreeSet<u64>,
	pub qualified: BTreeSet<(u64, DomainId)>,
	pub reputation: BTreeMap<(u64, DomainId), ErrorStats>,
	/// Reliability models, as the labelers pallet's `Reliabilities`.
	pub reliabilities: BTreeMap<(u64, DomainId), Reliability>,
	/// `(labeler, domain, correct)` of every challenge answer and missed reveal reported.
	pub challenges: Vec<(u64, DomainId, bool)>,
}

thread_local! {
	static REGISTRY: RefCell<Registry> = RefCell::new(Registry::default());
}

/// Thread-local stand-in for the labelers pallet.
pub struct FakeLabelers;

impl FakeLabelers {
	pub fn with<R>(f: impl FnOnce(&mut Registry) -> R) -> R {
		REGISTRY.with(|r| f(&mut r.borrow_mut()))
	}
	pub fn reset() {
		Self::with(|r| *r = Registry::default());
	}
	/// Adds a domain of `kind` (slash floor 50 %) and returns its id.
	pub fn add_domain(kind: LabelKind) -> DomainId {
		Self::with(|r| {
			let id = r.domains.len() as DomainId;
			r.domains
				.insert(id, DomainInfo { kind, qualification_fee: QUALIFICATION_FEE.into() });
			id
		})
	}
	/// Registers `who` and qualifies them in `domain` with one perfect gold answer on record,
	/// as a passed qualification round leaves it.
	pub fn qualify(who: u64, domain: DomainId) {
		Self::with(|r| {
			r.registered.insert(who);
			r.qualified.insert((who, domain));
			r.reputation.entry((who, domain)).or_default().record(FixedU128::zero());
		});
	}
	pub fn revoke(who: u64, domain: DomainId) {
		Self::with(|r| r.qualified.remove(&(who, domain)));
	}
	/// Leaves the registry, as `unregister` would: only without work under way in the jobs
	/// pallet (the runtime's labelers pallet asks the same [`WorkInProgress`]).
	pub fn unregister(who: u64) -> Result<(), &'static str> {
		if <crate::Pallet<Test> as WorkInProgress<u64>>::has_work(&who) {
			return Err("pending work");
		}
		Self::with(|r| {
			r.registered.remove(&who);
			r.qualified.retain(|(w, _)| *w != who);
			Ok(())
		})
	}
	/// Forgets a labeler's reputation and reliability model (weight back to 1, a newcomer's
	/// voting power).
	pub fn forget(who: u64, domain: DomainId) {
		Self::with(|r| {
			r.reputation.remove(&(who, domain));
			r.reliabilities.remove(&(who, domain));
		});
	}
	fn update(who: &u64, domain: DomainId, f: impl FnOnce(&mut ErrorStats)) -> FixedU128 {
		let stats = Self::with(|r| {
			let s = r.reputation.entry((*who, domain)).or_default();
			f(s);
			*s
		});
		Self::weight_from(domain, stats)
	}
	fn weight_from(domain: DomainId, stats: ErrorStats) -> FixedU128 {
		let metric = Self::with(|r| r.domains.get(&domain).map(|d| d.kind.error_metric()));
		match metric {
			Some(m) => stats.weight(m, FixedU128::from_rational(2, 10)),
			None => FixedU128::from_u32(1),
		}
	}
}

impl LabelerRegistry<u64> for FakeLabelers {
	fn is_registered(who: &u64) -> bool {
		Self::with(|r| r.registered.contains(who))
	}
	fn is_qualified(who: &u64, domain: DomainId) -> bool {
		Self::with(|r| r.registered.contains(who) && r.qualified.contains(&(*who, domain)))
	}
	fn domain(domain: DomainId) -> Option<DomainInfo> {
		Self::with(|r| r.domains.get(&domain).copied())
	}
	fn weight_of(who: &u64, domain: DomainId) -> FixedU128 {
		let stats = Self::with(|r| r.reputation.get(&(*who, domain)).copied().unwrap_or_default());
		Self::weight_from(domain, stats)
	}
	fn track_record(who: &u64, domain: DomainId) -> u32 {
		Self::with(|r| r.reputation.get(&(*who, domain)).map(|s| s.samples).unwrap_or(0))
	}
	/// As the labelers pallet: `s` calibrated over the labelers with a record (0.2 if it
	/// cannot be).
	fn pay_weights(domain: DomainId, labelers: &[u64]) -> Vec<FixedU128> {
		let Some(metric) = Self::with(|r| r.domains.get(&domain).map(|d| d.kind.error_metric()))
		else {
			return labelers.iter().map(|_| FixedU128::from_u32(1)).collect();
		};
		let errors: Vec<Option<FixedU128>> = labelers
			.iter()
			.map(|w| Self::with(|r| r.reputation.get(&(*w, domain)).and_then(|s| s.error(metric))))
			.collect();
		let known: Vec<FixedU128> = errors.iter().flatten().copied().collect();
		let s = calibrated_sigma(&known).unwrap_or(FixedU128::from_rational(2, 10));
		errors
			.into_iter()
			.map(|x| x.map(|x| voting_weight(x, s)).unwrap_or(FixedU128::from_u32(1)))
			.collect()
	}
	fn reliability(who: &u64, domain: DomainId) -> Option<Reliability> {
		let kind = Self::with(|r| r.domains.get(&domain).map(|d| d.kind))?;
		match Self::with(|r| r.reliabilities.get(&(*who, domain)).cloned()) {
			Some(m) if m.fits(&kind) => Some(m),
			_ => Reliability::new(&kind).ok(),
		}
	}
	fn set_reliability(who: &u64, domain: DomainId, model: Reliability) {
		Self::with(|r| {
			if r.domains.get(&domain).is_some_and(|d| model.fits(&d.kind)) {
				r.reliabilities.insert((*who, domain), model);
			}
		});
	}
	fn record_outcomes(who: &u64, domain: DomainId, errors: &[FixedU128]) -> FixedU128 {
		Self::update(who, domain, |s| errors.iter().for_each(|e| s.record(*e)))
	}
	fn record_challenge(who: &u64, domain: DomainId, correct: bool) -> FixedU128 {
		Self::with(|r| r.challenges.push((*who, domain, correct)));
		Self::update(who, domain, |s| s.record_challenge(correct))
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_domain(kind: LabelKind) -> DomainId {
		Self::add_domain(kind)
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_qualify(who: &u64, domain: DomainId) {
		Self::qualify(*who, domain)
	}
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
	/// Settable per test (paid only where a test funds the pot).
	pub static NewcomerBonus: u64 = 10;
}

impl pallet_jobs::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Labelers = FakeLabelers;
	type CuratorOrigin = EnsureRoot<u64>;
	type Treasury = Treasury;
	type Slash = frame_support::traits::tokens::imbalance::ResolveTo<Treasury, Balances>;
	type Randomness = TestRandomness;
	type PalletId = JobsPalletId;
	type StorageDepositPerByte = StorageDepositPerByte;
	type RetentionPeriod = frame_support::traits::ConstU64<50>;
	type MinRedundancy = ConstU32<3>;
	type MaxJobDuration = frame_support::traits::ConstU64<1000>;
	type MaxWindow = frame_support::traits::ConstU64<100>;
	type PlatformReserve = Reserve;
	type DefaultSlashFloor = DefaultSlashFloor;
	type MaxItems = ConstU32<40>;
	type MaxPackageSize = ConstU32<10>;
	type MaxRedundancy = ConstU32<5>;
	type MaxBoxes = ConstU32<8>;
	type MaxOpenPerLabeler = ConstU32<4>;
	type MaxLabelersPerJob = ConstU32<8>;
	type MaxChallenges = ConstU32<4>;
	type TreasuryOrigin = frame_system::EnsureSignedBy<Council, u64>;
	type NewcomerPot = NewcomerPot;
	type NewcomerBonus = NewcomerBonus;
	type NewcomerPackages = ConstU32<NEWCOMER_PACKAGES>;
	type AppealPeriod = frame_support::traits::ConstU64<APPEAL_PERIOD>;
	type AppealBond = ConstU64<APPEAL_BOND>;
	type AppealPanelSize = ConstU32<3>;
	type PanelFee = ConstU64<PANEL_FEE>;
	type PanelMinWeight = PanelMinWeight;
	type PanelMinRecord = ConstU32<PANEL_MIN_RECORD>;
	type WeightInfo = ();
}

pub type Label = GenericLabel<ConstU32<8>>;

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
	/// Labelers 1-9 hold 100_000, the requester 1_000_000, the treasury exists.
	fn default() -> Self {
		Self {
			balances: {
				let mut balances: Vec<(u64, u64)> = (1..=9).map(|a| (a, 100_000)).collect();
				balances.push((REQUESTER, 1_000_000));
				balances.push((TREASURY, 1));
				balances
			},
		}
	}
}

impl ExtBuilder {
	/// Gives `who` a genesis balance of `amount` (replacing a default one).
	pub fn balance(mut self, who: u64, amount: u64) -> Self {
		self.balances.retain(|(a, _)| *a != who);
		self.balances.push((who, amount));
		self
	}

	/// Test externalities at block 1 with the genesis balances.
	pub fn build(self) -> sp_io::TestExternalities {
		let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_balances::GenesisConfig::<Test> { balances: self.balances, ..Default::default() }
			.assimilate_storage(&mut t)
			.unwrap();
		FakeLabelers::reset();
		let mut ext = sp_io::TestExternalities::new(t);
		ext.execute_with(|| {
			System::set_block_number(1);
			Jobs::ensure_account_exists();
		});
		ext
	}

	/// Runs `test`, then the invariants (`try_state` and the mock's own checks).
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			Jobs::do_try_state().expect("jobs try_state");
			let mut open: BTreeMap<u64, u32> = BTreeMap::new();
			for ((_, _, who), a) in crate::Assignments::<Test>::iter() {
				if !matches!(a.state, crate::AssignmentState::Accepted(_)) {
					*open.entry(who).or_default() += 1;
				}
			}
			// The labelers pallet asks `WorkInProgress` before a labeler leaves: it must say
			// "working" for exactly the labelers with an open package.
			let working: BTreeSet<u64> = pallet_balances::Holds::<Test>::iter_keys()
				.filter(<Jobs as WorkInProgress<u64>>::has_work)
				.collect();
			let open: BTreeSet<u64> = open.into_keys().collect();
			assert_eq!(open, working, "work in progress = labelers with an open package");
		});
	}
}

/// Moves to block `n` (no hooks run).
pub fn run_to(n: u64) {
	System::set_block_number(n);
}

/// The item hash of test item `n` (`n + 1`, big-endian).
pub fn item(n: u32) -> ItemHash {
	ItemHash::from_low_u64_be(n as u64 + 1)
}

/// A box label of class 0; each tuple is `(x_min, y_min, x_max, y_max)`.
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

/// Creates a domain of `kind` in the fake registry and qualifies `labelers` in it; returns its
/// id.
pub fn domain_with_qualified(kind: LabelKind, labelers: &[u64]) -> u32 {
	let d = FakeLabelers::add_domain(kind);
	for who in labelers {
		FakeLabelers::qualify(*who, d);
	}
	d
}

/// The jobs pallet's events so far, oldest first.
pub fn events() -> Vec<pallet_jobs::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Jobs(e) = r.event { Some(e) } else { None })
		.collect()
}
