//! Unit tests: the whole job lifecycle, every error (bad input changes nothing), a malicious
//! labeler losing the deposit, honest ones paid, exact conservation, invariants after each test.
//! Attacks on the mechanism, one test each, are in [`attacks`].

mod appeals;
mod attacks;
mod review;
mod take;
mod treasury;
mod voting;
mod workload;

use crate::{
	mock::*,
	pallet::{
		ChallengesOf, HoldReason, JobDetails, JobSpecOf, NextJobId, OpenPackages, PackageLabelsOf,
		Packages, Results, UnclaimedRewards, Workload,
	},
	types::{JobId, JobSpec, JobStatus, PackageIndex, SlashReason},
	Error, Event,
};
use crowdlabel_labels::{challenge_commitment, label_commitment, LabelKind};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
	BoundedVec,
};
use sp_runtime::DispatchError;

/// The label kind of most tests: bounding boxes of one class.
pub(crate) const BOX: LabelKind = LabelKind::BoundingBoxes { classes: 1 };

/// A bounded vector of `v` (cut to the bound).
pub(crate) fn bv<T: Clone, S: frame_support::traits::Get<u32>>(v: &[T]) -> BoundedVec<T, S> {
	BoundedVec::truncate_from(v.to_vec())
}

/// A job of [`REQUESTER`]'s, built with named setters:
/// `JobBuilder::new(domain).items(2).challenges(&answers).create()`.
///
/// Defaults: 4 items (`item(0)`, `item(1)`, ...), R = 3, packages of 2, a budget of 2_500 per
/// item (10_000 for 4 items: reserve 1_000, pay 9_000, so each labeling of a package is worth
/// 9_000 * 2 / 12 = 1_500 and the deposit is 2_250), duration 100, commit and reveal windows
/// 10, no challenge items.
pub(crate) struct JobBuilder {
	domain: u32,
	items: u32,
	redundancy: u32,
	package_size: u32,
	/// `None`: 2_500 per item.
	budget: Option<u64>,
	duration: u64,
	challenges: Option<sp_core::H256>,
	workload: Option<crate::DeclaredWorkload<u64>>,
}

impl JobBuilder {
	/// A job in `domain` with the defaults above.
	pub(crate) fn new(domain: u32) -> Self {
		Self {
			domain,
			items: 4,
			redundancy: 3,
			package_size: 2,
			budget: None,
			duration: 100,
			challenges: None,
			workload: None,
		}
	}

	/// Declares a workload of `minutes` per item at `price` per minute (Briko eq. 2-3).
	pub(crate) fn workload(mut self, minutes: u32, price: u64) -> Self {
		self.workload =
			Some(crate::DeclaredWorkload { minutes_per_item: minutes, price_per_minute: price });
		self
	}

	/// Items `item(0)` to `item(n - 1)`.
	pub(crate) fn items(mut self, n: u32) -> Self {
		self.items = n;
		self
	}

	/// Labels per item, R.
	pub(crate) fn redundancy(mut self, r: u32) -> Self {
		self.redundancy = r;
		self
	}

	/// Items per package.
	pub(crate) fn package_size(mut self, size: u32) -> Self {
		self.package_size = size;
		self
	}

	/// The whole budget (instead of 2_500 per item).
	pub(crate) fn budget(mut self, budget: u64) -> Self {
		self.budget = Some(budget);
		self
	}

	/// Blocks from creation to the deadline.
	pub(crate) fn duration(mut self, blocks: u64) -> Self {
		self.duration = blocks;
		self
	}

	/// Hidden challenge items with these `(index, answer)`s: the requester's commitment to
	/// them with [`SALT`].
	pub(crate) fn challenges(mut self, answers: &ChallengesOf<Test>) -> Self {
		self.challenges = Some(challenge_commitment(&REQUESTER, answers, &SALT));
		self
	}

	/// The job's `JobSpec`, for `Jobs::create_job` (e.g. to test a refusal).
	pub(crate) fn spec(self) -> JobSpecOf<Test> {
		let items: Vec<_> = (0..self.items).map(item).collect();
		JobSpec {
			domain: self.domain,
			items: bv(&items),
			redundancy: self.redundancy,
			package_size: self.package_size,
			budget: self.budget.unwrap_or(2_500 * self.items as u64),
			duration: self.duration,
			commit_window: 10,
			reveal_window: 10,
			challenges: self.challenges,
			workload: self.workload,
		}
	}

	/// [`REQUESTER`] creates the job; returns its id.
	pub(crate) fn create(self) -> JobId {
		assert_ok!(Jobs::create_job(RuntimeOrigin::signed(REQUESTER), self.spec()));
		NextJobId::<Test>::get() - 1
	}
}

/// One box, (0, 0) to (100, 100).
pub(crate) fn good() -> Label {
	boxes(&[(0, 0, 100, 100)])
}
/// [`good`] shifted by 2 px (IoU 0.924 with it).
pub(crate) fn near() -> Label {
	boxes(&[(2, 2, 102, 102)])
}
/// Far from [`good`] (IoU 0).
pub(crate) fn bad() -> Label {
	boxes(&[(500, 500, 600, 600)])
}

/// The redundancy witness a reveal in `job` passes: the job's redundancy R.
pub(crate) fn witness(job: JobId) -> u32 {
	JobDetails::<Test>::get(job).map_or(0, |j| j.redundancy)
}

/// The labels of a package, one per item.
pub(crate) fn labels(l: &[Label]) -> PackageLabelsOf<Test> {
	bv(l)
}

/// The package the last `PackageTaken` event gave `who`.
pub(crate) fn taken_package(who: u64) -> PackageIndex {
	events()
		.iter()
		.rev()
		.find_map(|e| match e {
			Event::PackageTaken { package, labeler, .. } if *labeler == who => Some(*package),
			_ => None,
		})
		.expect("a PackageTaken event")
}

/// `who` takes a package of `job` (the pallet picks it); returns its index.
pub(crate) fn take(job: JobId, who: u64) -> PackageIndex {
	assert_ok!(Jobs::take_package(RuntimeOrigin::signed(who), job));
	taken_package(who)
}

/// `who` takes a package of `job` (the pallet picks it) and commits to `l`; returns the package.
pub(crate) fn take_commit(job: JobId, who: u64, l: &PackageLabelsOf<Test>) -> PackageIndex {
	let p = take(job, who);
	package(job, p).commit(who, l);
	p
}

/// Package `index` of `job`, for the labelers' steps on it:
/// `package(job, 0).take_commit(1, &l)`, `package(job, 0).reveal(1, &l)`.
pub(crate) fn package(job: JobId, index: PackageIndex) -> Package {
	Package { job, index }
}

/// A package of a job; see [`package`]. Every step is checked with `assert_ok!`.
#[derive(Clone, Copy)]
pub(crate) struct Package {
	job: JobId,
	index: PackageIndex,
}

impl Package {
	/// `who` takes this package (the open list is narrowed to it for the draw, then restored).
	pub(crate) fn take(self, who: u64) {
		let Package { job, index: p } = self;
		let saved = OpenPackages::<Test>::get(job);
		assert!(saved.contains(&p), "package {p} is not open");
		OpenPackages::<Test>::insert(job, bv::<PackageIndex, _>(&[p]));
		assert_eq!(take(job, who), p);
		let j = JobDetails::<Test>::get(job).unwrap();
		let open: Vec<PackageIndex> = saved
			.into_iter()
			.filter(|q| {
				let pkg = Packages::<Test>::get(job, q);
				pkg.takers + pkg.accepted < j.redundancy
			})
			.collect();
		OpenPackages::<Test>::insert(job, bv(&open));
	}

	/// `who`, holding this package, commits to `l` (salt [`SALT`]).
	pub(crate) fn commit(self, who: u64, l: &PackageLabelsOf<Test>) {
		let c = label_commitment(&who, self.job, self.index, l, &SALT);
		assert_ok!(Jobs::commit_labels(RuntimeOrigin::signed(who), self.job, self.index, c));
	}

	/// `who` takes this package and commits to `l`.
	pub(crate) fn take_commit(self, who: u64, l: &PackageLabelsOf<Test>) {
		self.take(who);
		self.commit(who, l);
	}

	/// `who` reveals `l` (salt [`SALT`]).
	pub(crate) fn reveal(self, who: u64, l: &PackageLabelsOf<Test>) {
		assert_ok!(Jobs::reveal_labels(
			RuntimeOrigin::signed(who),
			self.job,
			self.index,
			l.clone(),
			SALT,
			witness(self.job)
		));
	}

	/// Each `(labeler, labels)` takes and commits, then each reveals in the same order; the
	/// last reveal judges the package.
	pub(crate) fn labeled_by(self, crew: &[(u64, &PackageLabelsOf<Test>)]) {
		for (who, l) in crew {
			self.take_commit(*who, l);
		}
		for (who, l) in crew {
			self.reveal(*who, l);
		}
	}

	/// The honest labelers `who` label it `[good, near]` ([`Package::labeled_by`]).
	pub(crate) fn labeled_honestly_by(self, who: &[u64]) {
		let l = labels(&[good(), near()]);
		let crew: Vec<(u64, &PackageLabelsOf<Test>)> = who.iter().map(|w| (*w, &l)).collect();
		self.labeled_by(&crew);
	}
}

/// Every package of `job` is labeled honestly by the labelers `who`.
pub(crate) fn complete_all(job: JobId, who: &[u64]) {
	let packages = JobDetails::<Test>::get(job).unwrap().packages;
	for p in 0..packages {
		package(job, p).labeled_honestly_by(who);
	}
}

/// What `who` has on hold as package deposits.
pub(crate) fn held_deposit(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::PackageDeposit.into(), &who)
}

/// `who` claims their rewards; returns the amount received.
pub(crate) fn claim(who: u64) -> u64 {
	let before = Balances::balance(&who);
	assert_ok!(Jobs::claim_rewards(RuntimeOrigin::signed(who)));
	Balances::balance(&who) - before
}

/// `who`'s voting weight in `domain`, from the (fake) registry.
pub(crate) fn weight(who: u64, domain: u32) -> crowdlabel_consensus::FixedU128 {
	<FakeLabelers as crowdlabel_traits::LabelerRegistry<u64>>::weight_of(&who, domain)
}

#[test]
fn create_job_escrows_budget_and_storage_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[]);
		let job = JobBuilder::new(d).create();
		let j = JobDetails::<Test>::get(job).unwrap();
		assert_eq!((j.items, j.packages, j.redundancy, j.reserve, j.pay), (4, 2, 3, 1_000, 9_000));
		assert_eq!(Balances::balance_on_hold(&HoldReason::JobEscrow.into(), &REQUESTER), 10_000);
		let storage = Jobs::storage_deposit(4, 2, 3);
		assert!(storage > 0);
		assert_eq!(j.storage_deposit, storage);
		assert_eq!(Balances::balance_on_hold(&HoldReason::JobStorage.into(), &REQUESTER), storage);
		System::assert_has_event(
			Event::JobCreated {
				job,
				requester: REQUESTER,
				domain: d,
				items: 4,
				packages: 2,
				budget: 10_000,
				storage_deposit: storage,
			}
			.into(),
		);
	});
}

#[test]
fn create_job_errors_change_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[]);
		let o = || RuntimeOrigin::signed(REQUESTER);
		// A valid job (R = 3, packages of 2, duration 100, windows 10); each case below changes
		// one field.
		let spec = || JobBuilder::new(d).items(2).budget(10_000).spec();
		assert_noop!(
			Jobs::create_job(o(), JobSpec { domain: 9, ..spec() }),
			Error::<Test>::UnknownDomain
		);
		assert_noop!(
			Jobs::create_job(o(), JobSpec { items: bv(&[]), ..spec() }),
			Error::<Test>::NoItems
		);
		assert_noop!(
			Jobs::create_job(o(), JobSpec { redundancy: 2, ..spec() }),
			Error::<Test>::BadRedundancy
		);
		assert_noop!(
			Jobs::create_job(o(), JobSpec { redundancy: 6, ..spec() }),
			Error::<Test>::BadRedundancy
		);
		assert_noop!(
			Jobs::create_job(o(), JobSpec { package_size: 0, ..spec() }),
			Error::<Test>::BadPackageSize
		);
		assert_noop!(
			Jobs::create_job(o(), JobSpec { package_size: 11, ..spec() }),
			Error::<Test>::BadPackageSize
		);
		assert_noop!(
			Jobs::create_job(o(), JobSpec { duration: 0, ..spec() }),
			Error::<Test>::ZeroWindow
		);
		assert_noop!(
			Jobs::create_job(o(), JobSpec { duration: 1001, ..spec() }),
			Error::<Test>::WindowTooLong
		);
		assert_noop!(
			Jobs::create_job(o(), JobSpec { commit_window: 101, ..spec() }),
			Error::<Test>::WindowTooLong
		);
		assert_noop!(
			Jobs::create_job(o(), JobSpec { duration: 15, ..spec() }),
			Error::<Test>::WindowsExceedDuration
		);
		assert_noop!(
			Jobs::create_job(o(), JobSpec { budget: 2, ..spec() }),
			Error::<Test>::BudgetTooSmall
		);
		assert_noop!(
			Jobs::create_job(RuntimeOrigin::signed(1), JobSpec { budget: 10_000_000, ..spec() }),
			Error::<Test>::InsufficientBalance
		);
		NextJobId::<Test>::put(u32::MAX);
		assert_noop!(Jobs::create_job(o(), spec()), Error::<Test>::IdOverflow);
	});
}

#[test]
fn honest_job_completes_and_pays_exactly() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let job = JobBuilder::new(d).create();
		let l = labels(&[good(), near()]);
		package(job, 0).take_commit(1, &l);
		assert_eq!(held_deposit(1), 2_250);
		complete_rest(job, &l);
		assert!(Packages::<Test>::get(job, 0).complete && Packages::<Test>::get(job, 1).complete);
		let before: Vec<u64> = [REQUESTER, TREASURY].iter().map(Balances::balance).collect();
		assert_ok!(Jobs::settle_job(RuntimeOrigin::signed(9), job));
		let after: Vec<u64> = [REQUESTER, TREASURY].iter().map(Balances::balance).collect();
		// Rewards are credited, then claimed: every labeler did the same work with the same
		// weight: 9_000 / 3 each.
		let paid: Vec<u64> = [1, 2, 3].iter().map(|w| claim(*w)).collect();
		assert_eq!(paid, vec![3_000, 3_000, 3_000]);
		assert_eq!(after[1] - before[1], 1_000, "reserve to the treasury");
		assert_eq!(after[0], before[0], "nothing refunded: the whole job was done");
		assert_eq!(Balances::balance_on_hold(&HoldReason::JobEscrow.into(), &REQUESTER), 0);
		System::assert_has_event(
			Event::JobSettled { job, paid: 9_000, reserve: 1_000, refunded: 0 }.into(),
		);
		let results: Vec<_> = Results::<Test>::iter_prefix_values(job).collect();
		assert_eq!(
			results.iter().map(|r| r.len()).sum::<usize>(),
			4,
			"4 items, one entry per package"
		);
		assert_eq!(JobDetails::<Test>::get(job).unwrap().status, JobStatus::Settled);
		assert_noop!(Jobs::claim_rewards(RuntimeOrigin::signed(1)), Error::<Test>::NothingToClaim);
	});
}

/// Labeler 1 already took and committed package 0.
fn complete_rest(job: JobId, l: &PackageLabelsOf<Test>) {
	package(job, 0).take_commit(2, l);
	package(job, 0).take_commit(3, l);
	for w in [1, 2, 3] {
		package(job, 0).reveal(w, l);
	}
	package(job, 1).labeled_by(&[(1, l), (2, l), (3, l)]);
}

#[test]
fn malicious_labeler_is_slashed_and_replaced_while_honest_ones_are_accepted_at_once() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3, 4]);
		let job = JobBuilder::new(d).items(2).create();
		let honest = labels(&[good(), near()]);
		let malicious = labels(&[bad(), bad()]);
		let treasury = Balances::balance(&TREASURY);
		let weight_before = weight(3, d);
		// The third reveal judges the package: no separate call.
		package(job, 0).labeled_by(&[(1, &honest), (2, &honest), (3, &malicious)]);
		// 3 lost the 2_250 deposit (value 4_500 * 2 / 6 = 1_500, x 1.5)
		let lost = Balances::balance(&TREASURY) - treasury;
		assert_eq!(lost, 2_250);
		assert_eq!(held_deposit(3), 0);
		System::assert_has_event(
			Event::DepositSlashed {
				job,
				package: 0,
				labeler: 3,
				amount: 2_250,
				reason: SlashReason::BadLabels,
			}
			.into(),
		);
		assert!(weight(3, d) < weight_before);
		// 1 and 2 passed: accepted and released at once, with an event each.
		assert_eq!((held_deposit(1), held_deposit(2)), (0, 0));
		assert!(events()
			.iter()
			.any(|e| matches!(e, Event::PackageAccepted { labeler: 1, package: 0, .. })));
		let pkg = Packages::<Test>::get(job, 0);
		assert!(!pkg.complete);
		assert_eq!((pkg.accepted, pkg.takers), (2, 0));
		// the slot is free again: labeler 4 takes over; the package is judged again with all
		// three labels and completes
		let p = take_commit(job, 4, &honest);
		assert_eq!(p, 0);
		package(job, 0).reveal(4, &honest);
		assert!(Packages::<Test>::get(job, 0).complete);
		assert_eq!(JobDetails::<Test>::get(job).unwrap().fines, 2_250);
		assert!(Workload::<Test>::get(job, 3).is_none(), "the slasher left the job");
		assert_eq!(Workload::<Test>::get(job, 4).unwrap().accepted, 2);
	});
}

#[test]
fn star_package_with_error_above_one_and_a_half_is_slashed() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(LabelKind::STARS, &[1, 2, 3]);
		let job = JobBuilder::new(d).items(2).create();
		let h = labels(&[Label::Score(4), Label::Score(4)]);
		let off = labels(&[Label::Score(1), Label::Score(1)]);
		package(job, 0).labeled_by(&[(1, &h), (2, &h), (3, &off)]);
		// S = 3 (equal weights): 1 and 2 err by 1.0 (kept), 3 by 2.0 (> 1.5, slashed)
		assert!(events().iter().any(|e| matches!(e, Event::DepositSlashed { labeler: 3, .. })));
		assert!(!events().iter().any(|e| matches!(e, Event::DepositSlashed { labeler: 1, .. })));
	});
}

/// A 0-100 rating job: slashing and challenges in shares of the range. Two raters say about
/// 90, the third 0 (about 60 points from the consensus: slashed above the 37.5 % limit, while
/// the others stay within it); a hidden challenge answered 92 is passed within 25 points and
/// failed beyond. A score beyond the range is refused.
#[test]
fn rating_job_judges_relative_to_the_range() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(LabelKind::Score { min: 0, max: 100 }, &[1, 2, 3, 4]);
		let answers: ChallengesOf<Test> = bv(&[(1u32, Label::Score(92))]);
		let job = JobBuilder::new(d).items(2).challenges(&answers).create();
		let a = labels(&[Label::Score(90), Label::Score(94)]);
		let b = labels(&[Label::Score(91), Label::Score(93)]);
		let off = labels(&[Label::Score(0), Label::Score(0)]);
		package(job, 0).labeled_by(&[(1, &a), (2, &b), (3, &off)]);
		let slashed = |who: u64| {
			events()
				.iter()
				.any(|e| matches!(e, Event::DepositSlashed { labeler, .. } if *labeler == who))
		};
		assert!(slashed(3) && !slashed(1) && !slashed(2));
		// the replacement rates the challenge item 60: 32 points off the hidden answer
		package(job, 0).labeled_by(&[(4, &labels(&[Label::Score(88), Label::Score(60)]))]);
		let result = Jobs::item_result(job, 0).expect("judged");
		let crowdlabel_labels::ConsensusLabel::Score(s) = result.label else { panic!("a score") };
		// (the first judgement, with the 0s, taught raters 1 and 2 a little upward bias: their
		// 90 and 91 count somewhat lower)
		let int = crowdlabel_consensus::FixedU128::from_u32;
		assert!(s >= int(80) && s <= int(92), "{s:?}");
		assert_ok!(Jobs::reveal_challenges(RuntimeOrigin::root(), job, answers, SALT));
		System::assert_has_event(Event::ChallengesRevealed { job, checked: 3, wrong: 1 }.into());

		let job = JobBuilder::new(d).items(2).create();
		run_to(System::block_number() + 1);
		let beyond = labels(&[Label::Score(60), Label::Score(101)]);
		take_commit(job, 1, &beyond);
		take_commit(job, 2, &a);
		take_commit(job, 3, &b);
		assert_noop!(
			Jobs::reveal_labels(RuntimeOrigin::signed(1), job, 0, beyond, SALT, witness(job)),
			Error::<Test>::InvalidLabel
		);
	});
}

#[test]
fn copying_is_impossible_before_everyone_committed() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let job = JobBuilder::new(d).items(2).create();
		let l = labels(&[good(), near()]);
		take_commit(job, 1, &l);
		take_commit(job, 2, &l);
		// 1 cannot reveal while 3 has not even taken the package
		assert_noop!(
			Jobs::reveal_labels(RuntimeOrigin::signed(1), job, 0, l.clone(), SALT, witness(job)),
			Error::<Test>::RevealNotOpen
		);
		take(job, 3);
		assert_noop!(
			Jobs::reveal_labels(RuntimeOrigin::signed(1), job, 0, l.clone(), SALT, witness(job)),
			Error::<Test>::RevealNotOpen
		);
		package(job, 0).commit(3, &l);
		package(job, 0).reveal(1, &l);
	});
}

#[test]
fn take_and_commit_errors_change_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3, 4]);
		let job = JobBuilder::new(d).items(2).create();
		let s = RuntimeOrigin::signed;
		assert_noop!(Jobs::take_package(s(1), 7), Error::<Test>::UnknownJob);
		assert_noop!(Jobs::take_package(s(5), job), Error::<Test>::NotQualified);
		take(job, 1);
		// one slot per account per package: the only package is held by 1 already
		assert_noop!(Jobs::take_package(s(1), job), Error::<Test>::NoFreePackage);
		take(job, 2);
		take(job, 3);
		assert_noop!(Jobs::take_package(s(4), job), Error::<Test>::NoFreePackage);
		let c = label_commitment(&1u64, job, 0, &labels(&[good(), good()]), &SALT);
		assert_noop!(Jobs::commit_labels(s(4), job, 0, c), Error::<Test>::NotAssigned);
		assert_ok!(Jobs::commit_labels(s(1), job, 0, c));
		assert_noop!(Jobs::commit_labels(s(1), job, 0, c), Error::<Test>::AlreadyCommitted);
		run_to(12);
		let c2 = label_commitment(&2u64, job, 0, &labels(&[good(), good()]), &SALT);
		assert_noop!(Jobs::commit_labels(s(2), job, 0, c2), Error::<Test>::CommitWindowClosed);
		// a poor labeler cannot pay the deposit
		let job2 = JobBuilder::new(d).items(2).create();
		assert_ok!(Balances::transfer_allow_death(s(4), 5, 99_000));
		assert_noop!(Jobs::take_package(s(4), job2), Error::<Test>::InsufficientBalance);
		// cancelled jobs take no new packages
		assert_ok!(Jobs::cancel_job(RuntimeOrigin::signed(REQUESTER), job2));
		assert_noop!(Jobs::take_package(s(2), job2), Error::<Test>::JobNotOpen);
		// too late: the windows would pass the deadline
		let job3 = JobBuilder::new(d).items(2).create();
		run_to(12 + 100 - 19);
		assert_noop!(Jobs::take_package(s(2), job3), Error::<Test>::TooLateToTake);
	});
}

#[test]
fn reveal_errors_change_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let job = JobBuilder::new(d).items(2).create();
		let l = labels(&[good(), near()]);
		let s = RuntimeOrigin::signed;
		take(job, 1);
		assert_noop!(
			Jobs::reveal_labels(s(1), job, 0, l.clone(), SALT, witness(job)),
			Error::<Test>::NotCommitted
		);
		assert_noop!(
			Jobs::reveal_labels(s(4), job, 0, l.clone(), SALT, witness(job)),
			Error::<Test>::NotAssigned
		);
		package(job, 0).commit(1, &l);
		take_commit(job, 2, &l);
		take_commit(job, 3, &l);
		assert_noop!(
			Jobs::reveal_labels(s(1), job, 0, labels(&[good()]), SALT, witness(job)),
			Error::<Test>::WrongLabelCount
		);
		assert_noop!(
			Jobs::reveal_labels(
				s(1),
				job,
				0,
				labels(&[good(), Label::Class(0)]),
				SALT,
				witness(job)
			),
			Error::<Test>::InvalidLabel
		);
		assert_noop!(
			Jobs::reveal_labels(s(1), job, 0, labels(&[good(), good()]), SALT, witness(job)),
			Error::<Test>::CommitmentMismatch
		);
		assert_noop!(
			Jobs::reveal_labels(s(1), job, 0, l.clone(), [0u8; 32], witness(job)),
			Error::<Test>::CommitmentMismatch
		);
		run_to(30);
		assert_noop!(
			Jobs::reveal_labels(s(1), job, 0, l.clone(), SALT, witness(job)),
			Error::<Test>::RevealWindowClosed
		);
	});
}

#[test]
fn missed_deadlines_forfeit_and_unfillable_work_is_released() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let job = JobBuilder::new(d).items(2).create();
		let l = labels(&[good(), near()]);
		take(job, 1);
		assert_noop!(
			Jobs::expire_assignment(RuntimeOrigin::signed(9), job, 0, 1),
			Error::<Test>::NotExpired
		);
		assert_noop!(
			Jobs::expire_assignment(RuntimeOrigin::signed(9), job, 0, 2),
			Error::<Test>::NotAssigned
		);
		run_to(12);
		// 1 never committed: forfeits
		assert_ok!(Jobs::expire_assignment(RuntimeOrigin::signed(9), job, 0, 1));
		System::assert_has_event(
			Event::DepositSlashed {
				job,
				package: 0,
				labeler: 1,
				amount: 2_250,
				reason: SlashReason::MissedCommit,
			}
			.into(),
		);
		// 2 commits, then the job is cancelled: the package can never fill; 2's labels were
		// never revealed, so the deposit is released
		take_commit(job, 2, &l);
		assert_ok!(Jobs::cancel_job(RuntimeOrigin::signed(REQUESTER), job));
		assert_noop!(
			Jobs::cancel_job(RuntimeOrigin::signed(REQUESTER), job),
			Error::<Test>::JobNotOpen
		);
		assert_noop!(
			Jobs::settle_job(RuntimeOrigin::signed(9), job),
			Error::<Test>::AssignmentsOpen
		);
		assert_ok!(Jobs::expire_assignment(RuntimeOrigin::signed(9), job, 0, 2));
		System::assert_has_event(
			Event::DepositReleased { job, package: 0, labeler: 2, amount: 2_250 }.into(),
		);
		assert_eq!(held_deposit(2), 0);
		// nothing was accepted: the whole budget comes back
		let before = Balances::balance(&REQUESTER);
		assert_ok!(Jobs::settle_job(RuntimeOrigin::signed(9), job));
		assert_eq!(Balances::balance(&REQUESTER) - before, 5_000);
	});
}

#[test]
fn cancel_pays_completed_work_and_refunds_the_rest() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let job = JobBuilder::new(d).create();
		assert_noop!(Jobs::cancel_job(RuntimeOrigin::signed(1), job), Error::<Test>::NotRequester);
		assert_noop!(Jobs::settle_job(RuntimeOrigin::signed(9), job), Error::<Test>::NotSettleable);
		package(job, 0).labeled_honestly_by(&[1, 2, 3]);
		assert!(Packages::<Test>::get(job, 0).complete);
		// 1 and 2 committed on package 1 when the requester cancels: it can never fill, their
		// labels were never revealed, their deposits come back
		let l = labels(&[good(), near()]);
		package(job, 1).take_commit(1, &l);
		package(job, 1).take_commit(2, &l);
		assert_ok!(Jobs::cancel_job(RuntimeOrigin::signed(REQUESTER), job));
		for who in [1u64, 2] {
			assert_ok!(Jobs::expire_assignment(RuntimeOrigin::signed(9), job, 1, who));
		}
		let before = Balances::balance(&REQUESTER);
		assert_ok!(Jobs::settle_job(RuntimeOrigin::signed(9), job));
		// half of the labelings accepted: pay 4_500, reserve 500, refund 5_000
		System::assert_has_event(
			Event::JobSettled { job, paid: 4_500, reserve: 500, refunded: 5_000 }.into(),
		);
		assert_eq!(Balances::balance(&REQUESTER) - before, 5_000);
		assert_noop!(Jobs::settle_job(RuntimeOrigin::signed(9), job), Error::<Test>::NotSettleable);
	});
}

#[test]
fn challenges_are_checked_after_reveal() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		// item 1 is a hidden challenge whose answer is `near()`
		let answers: ChallengesOf<Test> = bv(&[(1u32, near())]);
		let job = JobBuilder::new(d).items(2).challenges(&answers).create();
		complete_all(job, &[1, 2, 3]);
		assert_noop!(
			Jobs::settle_job(RuntimeOrigin::signed(9), job),
			Error::<Test>::ChallengesPending
		);
		assert_noop!(
			Jobs::reveal_challenges(RuntimeOrigin::signed(1), job, answers.clone(), SALT),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Jobs::reveal_challenges(RuntimeOrigin::root(), job, bv(&[(1u32, good())]), SALT),
			Error::<Test>::CommitmentMismatch
		);
		assert_ok!(Jobs::reveal_challenges(RuntimeOrigin::root(), job, answers.clone(), SALT));
		System::assert_has_event(Event::ChallengesRevealed { job, checked: 3, wrong: 0 }.into());
		assert_noop!(
			Jobs::reveal_challenges(RuntimeOrigin::root(), job, answers, SALT),
			Error::<Test>::NoChallenges
		);
		assert_ok!(Jobs::settle_job(RuntimeOrigin::signed(9), job));
		assert_eq!(JobDetails::<Test>::get(job).unwrap().challenge_items, 1);
	});
}

#[test]
fn reputation_weights_the_payout() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let job = JobBuilder::new(d).create();
		// 3 labels slightly worse (still above the floor): lower weight, smaller reward
		let l_good = labels(&[good(), good()]);
		let l_off = labels(&[boxes(&[(10, 10, 110, 110)]), boxes(&[(10, 10, 110, 110)])]);
		for p in 0..2 {
			package(job, p).labeled_by(&[(1, &l_good), (2, &l_good), (3, &l_off)]);
		}
		assert_ok!(Jobs::settle_job(RuntimeOrigin::signed(9), job));
		let got: Vec<u64> = (1..=3).map(claim).collect();
		assert!(got[0] > got[2] && got[1] > got[2], "{got:?}");
		assert_eq!(got.iter().sum::<u64>(), 9_000);
	});
}

#[test]
fn labeler_cap_counts_holders_and_accepted_labelers() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3, 4, 5, 6, 7, 8, 9]);
		// 16 items in 8 packages: 9 labelers exceed MaxLabelersPerJob (8).
		let job = JobBuilder::new(d).items(16).create();
		for w in 1..=8u64 {
			take(job, w);
		}
		assert_noop!(
			Jobs::take_package(RuntimeOrigin::signed(9), job),
			Error::<Test>::TooManyLabelers
		);
		// a labeler already in the job can take more
		take(job, 1);
	});
}

#[test]
fn completed_packages_and_bad_challenges_are_rejected() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3, 4]);
		let answers: ChallengesOf<Test> = bv(&[(3u32, good())]);
		let job = JobBuilder::new(d).challenges(&answers).create();
		package(job, 0).labeled_honestly_by(&[1, 2, 3]);
		assert!(Packages::<Test>::get(job, 0).complete);
		assert!(!OpenPackages::<Test>::get(job).contains(&0), "a complete package is not offered");
		// item 3 is in package 1, which is not complete yet
		assert_noop!(
			Jobs::reveal_challenges(RuntimeOrigin::root(), job, answers, SALT),
			Error::<Test>::BadChallenge
		);
		let beyond: ChallengesOf<Test> = bv(&[(9u32, good())]);
		let job2 = JobBuilder::new(d).challenges(&beyond).create();
		assert_noop!(
			Jobs::reveal_challenges(RuntimeOrigin::root(), job2, beyond, SALT),
			Error::<Test>::BadChallenge
		);
	});
}

#[test]
fn rewards_are_claimed_and_unclaimed_sum_matches_the_hold() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let job = JobBuilder::new(d).items(2).create();
		complete_all(job, &[1, 2, 3]);
		assert_ok!(Jobs::settle_job(RuntimeOrigin::signed(9), job));
		assert_eq!(UnclaimedRewards::<Test>::get(1), 1_500);
		assert_eq!(claim(1), 1_500);
		assert_eq!(UnclaimedRewards::<Test>::get(1), 0);
	});
}

#[test]
fn settled_jobs_are_pruned_after_retention_and_refund_storage() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let job = JobBuilder::new(d).items(2).create();
		complete_all(job, &[1, 2, 3]);
		assert_noop!(Jobs::prune_job(RuntimeOrigin::signed(9), job), Error::<Test>::NotSettled);
		assert_ok!(Jobs::settle_job(RuntimeOrigin::signed(9), job));
		assert_noop!(
			Jobs::prune_job(RuntimeOrigin::signed(9), job),
			Error::<Test>::RetentionRunning
		);
		let deposit = JobDetails::<Test>::get(job).unwrap().storage_deposit;
		let before = Balances::balance(&REQUESTER);
		run_to(System::block_number() + 51);
		assert_ok!(Jobs::prune_job(RuntimeOrigin::signed(9), job));
		assert_eq!(Balances::balance(&REQUESTER) - before, deposit);
		assert!(JobDetails::<Test>::get(job).is_none());
		assert_eq!(Results::<Test>::iter_prefix(job).count(), 0);
		assert_eq!(crate::pallet::JobItems::<Test>::get(job).len(), 0);
	});
}

#[test]
fn retained_jobs_are_never_pruned() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let job = JobBuilder::new(d).items(2).create();
		complete_all(job, &[1, 2, 3]);
		assert_ok!(Jobs::settle_job(RuntimeOrigin::signed(9), job));
		assert_ok!(<Jobs as crate::types::FinishedJobs<u64>>::retain(job));
		run_to(System::block_number() + 51);
		assert_noop!(Jobs::prune_job(RuntimeOrigin::signed(9), job), Error::<Test>::Retained);
	});
}

/// `api_job_progress` follows the packages through take, commit, reveal and judgement, and
/// `api_job_results` pages the stored consensus (capped at `MAX_RESULTS`).
#[test]
fn api_reports_progress_and_pages_results() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(Jobs::api_job_progress(7), None);
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let job = JobBuilder::new(d).create();
		let l = labels(&[good(), near()]);
		package(job, 0).take_commit(1, &l);
		let p = Jobs::api_job_progress(job).unwrap();
		assert_eq!((p.requester, p.items, p.packages, p.redundancy), (REQUESTER, 4, 2, 3));
		assert_eq!((p.status, p.budget, p.labeled_items), (JobStatus::Open, 10_000, 0));
		let first = &p.package_progress[0];
		assert_eq!((first.takers, first.committed, first.revealed, first.accepted), (1, 1, 0, 0));
		assert!(
			p.package_progress[1]
				== crate::api::PackageProgress {
					package: 1,
					takers: 0,
					committed: 0,
					revealed: 0,
					accepted: 0,
					complete: false
				}
		);
		complete_rest(job, &l);
		let p = Jobs::api_job_progress(job).unwrap();
		assert_eq!((p.completed_packages, p.labeled_items), (2, 4));
		assert!(p.package_progress.iter().all(|pp| pp.complete && pp.accepted == 3));

		let all = Jobs::api_job_results(job, 0, u32::MAX);
		assert_eq!(all.iter().map(|r| r.index).collect::<Vec<_>>(), vec![0, 1, 2, 3]);
		assert_eq!(all[0].item, item(0));
		assert_eq!(all[0].agreement, Jobs::item_result(job, 0).unwrap().agreement);
		assert_eq!(
			all[3].label,
			Results::<Test>::get(job, 1).unwrap()[1].label,
			"item 3: package 1"
		);
		let page = Jobs::api_job_results(job, 1, 2);
		assert_eq!(page.iter().map(|r| r.index).collect::<Vec<_>>(), vec![1, 2]);
		assert!(Jobs::api_job_results(job, 4, 10).is_empty());

		assert_ok!(Jobs::settle_job(RuntimeOrigin::signed(9), job));
		let p = Jobs::api_job_progress(job).unwrap();
		assert_eq!(p.status, JobStatus::Settled);
		assert!(p.package_progress.is_empty());
		assert_eq!(Jobs::api_job_results(job, 0, 10).len(), 4);
	});
}

/// The curator sets a domain's slash floor in this pallet (its only reader); it applies to the
/// packages judged from then on. A labeler whose boxes are 2 px off (IoU 0.924 with the
/// consensus) passes at the default 50 % floor and is slashed at a 95 % floor.
#[test]
fn curator_sets_the_slash_floor_of_a_domain() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let strict = sp_runtime::Perbill::from_percent(95);
		assert_eq!(Jobs::slash_floor(d), sp_runtime::Perbill::from_percent(50));
		assert_noop!(
			Jobs::set_slash_floor(RuntimeOrigin::signed(1), d, strict),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Jobs::set_slash_floor(RuntimeOrigin::root(), 9, strict),
			Error::<Test>::UnknownDomain
		);
		let job = JobBuilder::new(d).items(4).create();
		let exact = labels(&[good(), good()]);
		let off = labels(&[near(), near()]);
		package(job, 0).labeled_by(&[(1, &exact), (2, &exact), (3, &off)]);
		let slashed = |p: PackageIndex| {
			events().iter().any(
				|e| matches!(e, Event::DepositSlashed { package, labeler: 3, .. } if *package == p),
			)
		};
		assert!(!slashed(0), "2 px off passes the default floor");

		assert_ok!(Jobs::set_slash_floor(RuntimeOrigin::root(), d, strict));
		System::assert_has_event(Event::SlashFloorSet { domain: d, floor: strict }.into());
		assert_eq!(Jobs::slash_floor(d), strict);
		package(job, 1).labeled_by(&[(1, &exact), (2, &exact), (3, &off)]);
		assert!(slashed(1), "2 px off is below a 95 % floor");
	});
}
