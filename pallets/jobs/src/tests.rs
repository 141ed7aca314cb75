//! Unit tests: the whole job lifecycle, every error (bad input changes nothing), a malicious
//! labeler losing the deposit, honest ones paid, exact conservation, invariants after each test.

use crate::{
	mock::*,
	pallet::{
		ChallengesOf, HoldReason, Jobs as JobRecords, NextJobId, PackageLabelsOf, Packages,
		Results, Workload,
	},
	types::{JobId, JobStatus},
	Error, Event,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
	BoundedVec,
};
use pallet_labelers::types::LabelKind;
use sp_runtime::DispatchError;

const BOX: LabelKind = LabelKind::BoundingBoxes { classes: 1 };

fn bv<T: Clone, S: frame_support::traits::Get<u32>>(v: &[T]) -> BoundedVec<T, S> {
	BoundedVec::truncate_from(v.to_vec())
}

/// 4 items, R = 3, packages of 2, budget 10_000 (reserve 1_000, pay 9_000): each labeling of a
/// package is worth 9_000 * 2 / 12 = 1_500, the deposit is 2_250.
fn create(domain: u32, challenges: Option<sp_core::H256>) -> JobId {
	let items: Vec<_> = (0..4).map(item).collect();
	assert_ok!(Jobs::create_job(
		RuntimeOrigin::signed(REQUESTER),
		domain,
		bv(&items),
		3,
		2,
		10_000,
		100,
		10,
		10,
		challenges
	));
	NextJobId::<Test>::get() - 1
}

fn good() -> Label {
	boxes(&[(0, 0, 100, 100)])
}
fn near() -> Label {
	boxes(&[(2, 2, 102, 102)])
}
fn bad() -> Label {
	boxes(&[(500, 500, 600, 600)])
}

fn labels(l: &[Label]) -> PackageLabelsOf<Test> {
	bv(l)
}

fn take_commit(job: JobId, p: u32, who: u64, l: &PackageLabelsOf<Test>) {
	assert_ok!(Jobs::take_package(RuntimeOrigin::signed(who), job, p));
	let c = pallet_labelers::commitment_of(l, &SALT);
	assert_ok!(Jobs::commit_labels(RuntimeOrigin::signed(who), job, p, c));
}

fn reveal(job: JobId, p: u32, who: u64, l: &PackageLabelsOf<Test>) {
	assert_ok!(Jobs::reveal_labels(RuntimeOrigin::signed(who), job, p, l.clone(), SALT));
}

/// Labels package `p` with labelers `who` (all honest) and finalizes it.
fn complete(job: JobId, p: u32, who: &[u64]) {
	let l = labels(&[good(), near()]);
	for w in who {
		take_commit(job, p, *w, &l);
	}
	for w in who {
		reveal(job, p, *w, &l);
	}
	assert_ok!(Jobs::finalize_package(RuntimeOrigin::signed(9), job, p));
}

fn held_deposit(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::PackageDeposit.into(), &who)
}

#[test]
fn create_job_escrows_budget() {
	run(|| {
		let d = domain_with_qualified(BOX, &[]);
		let job = create(d, None);
		let j = JobRecords::<Test>::get(job).unwrap();
		assert_eq!((j.items, j.packages, j.redundancy, j.reserve, j.pay), (4, 2, 3, 1_000, 9_000));
		assert_eq!(Balances::balance_on_hold(&HoldReason::JobEscrow.into(), &REQUESTER), 10_000);
		assert!(events().contains(&Event::JobCreated {
			job,
			requester: REQUESTER,
			domain: d,
			items: 4,
			packages: 2,
			budget: 10_000
		}));
	});
}

#[test]
fn create_job_errors_change_nothing() {
	run(|| {
		let d = domain_with_qualified(BOX, &[]);
		let items: BoundedVec<_, _> = bv(&[item(0), item(1)]);
		let o = || RuntimeOrigin::signed(REQUESTER);
		assert_noop!(
			Jobs::create_job(o(), 9, items.clone(), 3, 2, 10_000, 100, 10, 10, None),
			Error::<Test>::UnknownDomain
		);
		assert_noop!(
			Jobs::create_job(o(), d, bv(&[]), 3, 2, 10_000, 100, 10, 10, None),
			Error::<Test>::NoItems
		);
		assert_noop!(
			Jobs::create_job(o(), d, items.clone(), 0, 2, 10_000, 100, 10, 10, None),
			Error::<Test>::BadRedundancy
		);
		assert_noop!(
			Jobs::create_job(o(), d, items.clone(), 6, 2, 10_000, 100, 10, 10, None),
			Error::<Test>::BadRedundancy
		);
		assert_noop!(
			Jobs::create_job(o(), d, items.clone(), 3, 0, 10_000, 100, 10, 10, None),
			Error::<Test>::BadPackageSize
		);
		assert_noop!(
			Jobs::create_job(o(), d, items.clone(), 3, 11, 10_000, 100, 10, 10, None),
			Error::<Test>::BadPackageSize
		);
		assert_noop!(
			Jobs::create_job(o(), d, items.clone(), 3, 2, 10_000, 0, 10, 10, None),
			Error::<Test>::ZeroWindow
		);
		assert_noop!(
			Jobs::create_job(o(), d, items.clone(), 3, 2, 2, 100, 10, 10, None),
			Error::<Test>::BudgetTooSmall
		);
		assert_noop!(
			Jobs::create_job(
				RuntimeOrigin::signed(1),
				d,
				items.clone(),
				3,
				2,
				10_000_000,
				100,
				10,
				10,
				None
			),
			Error::<Test>::InsufficientBalance
		);
		NextJobId::<Test>::put(u32::MAX);
		assert_noop!(
			Jobs::create_job(o(), d, items, 3, 2, 10_000, 100, 10, 10, None),
			Error::<Test>::IdOverflow
		);
	});
}

#[test]
fn honest_job_completes_and_pays_exactly() {
	run(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let job = create(d, None);
		take_commit(job, 0, 1, &labels(&[good(), near()]));
		assert_eq!(held_deposit(1), 2_250);
		complete_rest(job);
		let before: Vec<u64> =
			[1, 2, 3, REQUESTER, TREASURY].iter().map(Balances::balance).collect();
		assert_ok!(Jobs::settle_job(RuntimeOrigin::signed(9), job));
		let after: Vec<u64> =
			[1, 2, 3, REQUESTER, TREASURY].iter().map(Balances::balance).collect();
		let paid: u64 = (0..3).map(|i| after[i] - before[i]).sum();
		// every labeler did the same work with the same weight: 9_000 / 3 each
		assert_eq!(paid, 9_000);
		assert_eq!(after[4] - before[4], 1_000, "reserve to the treasury");
		assert_eq!(after[3], before[3], "nothing refunded: the whole job was done");
		assert_eq!(Balances::balance_on_hold(&HoldReason::JobEscrow.into(), &REQUESTER), 0);
		assert!(events().contains(&Event::JobSettled {
			job,
			paid: 9_000,
			reserve: 1_000,
			refunded: 0
		}));
		assert_eq!(Results::<Test>::iter_prefix(job).count(), 4);
		assert_eq!(JobRecords::<Test>::get(job).unwrap().status, JobStatus::Settled);
	});
}

/// Labeler 1 already took and committed package 0.
fn complete_rest(job: JobId) {
	let l = labels(&[good(), near()]);
	take_commit(job, 0, 2, &l);
	take_commit(job, 0, 3, &l);
	for w in [1, 2, 3] {
		reveal(job, 0, w, &l);
	}
	assert_ok!(Jobs::finalize_package(RuntimeOrigin::signed(9), job, 0));
	complete(job, 1, &[1, 2, 3]);
}

#[test]
fn malicious_labeler_is_slashed_and_replaced() {
	run(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3, 4]);
		let job = create(d, None);
		let honest = labels(&[good(), near()]);
		let malicious = labels(&[bad(), bad()]);
		take_commit(job, 0, 1, &honest);
		take_commit(job, 0, 2, &honest);
		take_commit(job, 0, 3, &malicious);
		for (w, l) in [(1, &honest), (2, &honest), (3, &malicious)] {
			reveal(job, 0, w, l);
		}
		let treasury = Balances::balance(&TREASURY);
		let weight_before =
			<Labelers as pallet_labelers::LabelerRegistry<u64, u64>>::weight_of(&3, d);
		assert_ok!(Jobs::finalize_package(RuntimeOrigin::signed(9), job, 0));
		// 3 lost the 2_250 deposit to the treasury; its reputation fell
		assert_eq!(Balances::balance(&TREASURY) - treasury, 2_250);
		assert_eq!(held_deposit(3), 0);
		assert!(events().contains(&Event::DepositSlashed {
			job,
			package: 0,
			labeler: 3,
			amount: 2_250
		}));
		assert!(
			<Labelers as pallet_labelers::LabelerRegistry<u64, u64>>::weight_of(&3, d)
				< weight_before
		);
		assert!(!Packages::<Test>::get(job, 0).complete);
		// 1 passed but waits: scored once, at completion (its gold answer is its only sample)
		assert_eq!(pallet_labelers::Reputation::<Test>::get(1, d).samples, 1);
		assert_eq!(pallet_labelers::Reputation::<Test>::get(3, d).samples, 3);
		// the slot is free again: labeler 4 takes over and the package completes
		take_commit(job, 0, 4, &honest);
		reveal(job, 0, 4, &honest);
		assert_ok!(Jobs::finalize_package(RuntimeOrigin::signed(9), job, 0));
		assert!(Packages::<Test>::get(job, 0).complete);
		assert_eq!(JobRecords::<Test>::get(job).unwrap().fines, 2_250);
		assert_eq!(pallet_labelers::Reputation::<Test>::get(1, d).samples, 3);
		assert_eq!(Workload::<Test>::get(job, 3), 0);
		assert_eq!(Workload::<Test>::get(job, 4), 2);
	});
}

#[test]
fn star_package_with_error_above_one_and_a_half_is_slashed() {
	run(|| {
		let d = domain_with_qualified(LabelKind::StarReview, &[1, 2, 3]);
		let job = create(d, None);
		let h = labels(&[Label::Stars(4), Label::Stars(4)]);
		let off = labels(&[Label::Stars(1), Label::Stars(1)]);
		take_commit(job, 0, 1, &h);
		take_commit(job, 0, 2, &h);
		take_commit(job, 0, 3, &off);
		reveal(job, 0, 1, &h);
		reveal(job, 0, 2, &h);
		reveal(job, 0, 3, &off);
		assert_ok!(Jobs::finalize_package(RuntimeOrigin::signed(9), job, 0));
		// S = 3 (equal weights): 1 and 2 err by 1.0 (kept), 3 by 2.0 (> 1.5, slashed)
		assert!(events().iter().any(|e| matches!(e, Event::DepositSlashed { labeler: 3, .. })));
		assert!(!events().iter().any(|e| matches!(e, Event::DepositSlashed { labeler: 1, .. })));
	});
}

#[test]
fn copying_is_impossible_before_everyone_committed() {
	run(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let job = create(d, None);
		let l = labels(&[good(), near()]);
		take_commit(job, 0, 1, &l);
		take_commit(job, 0, 2, &l);
		// 1 cannot reveal while 3 has not even taken the package
		assert_noop!(
			Jobs::reveal_labels(RuntimeOrigin::signed(1), job, 0, l.clone(), SALT),
			Error::<Test>::RevealNotOpen
		);
		assert_ok!(Jobs::take_package(RuntimeOrigin::signed(3), job, 0));
		assert_noop!(
			Jobs::reveal_labels(RuntimeOrigin::signed(1), job, 0, l.clone(), SALT),
			Error::<Test>::RevealNotOpen
		);
		assert_ok!(Jobs::commit_labels(
			RuntimeOrigin::signed(3),
			job,
			0,
			pallet_labelers::commitment_of(&l, &SALT)
		));
		reveal(job, 0, 1, &l);
	});
}

#[test]
fn take_and_commit_errors_change_nothing() {
	run(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3, 4]);
		let job = create(d, None);
		let s = RuntimeOrigin::signed;
		assert_noop!(Jobs::take_package(s(1), 7, 0), Error::<Test>::UnknownJob);
		assert_noop!(Jobs::take_package(s(1), job, 2), Error::<Test>::UnknownPackage);
		assert_noop!(Jobs::take_package(s(5), job, 0), Error::<Test>::NotQualified);
		assert_ok!(Jobs::take_package(s(1), job, 0));
		assert_noop!(Jobs::take_package(s(1), job, 0), Error::<Test>::AlreadyTaken);
		assert_ok!(Jobs::take_package(s(2), job, 0));
		assert_ok!(Jobs::take_package(s(3), job, 0));
		assert_noop!(Jobs::take_package(s(4), job, 0), Error::<Test>::PackageFull);
		let c = pallet_labelers::commitment_of(&labels(&[good(), good()]), &SALT);
		assert_noop!(Jobs::commit_labels(s(4), job, 0, c), Error::<Test>::NotAssigned);
		assert_ok!(Jobs::commit_labels(s(1), job, 0, c));
		assert_noop!(Jobs::commit_labels(s(1), job, 0, c), Error::<Test>::AlreadyCommitted);
		run_to(12);
		assert_noop!(Jobs::commit_labels(s(2), job, 0, c), Error::<Test>::CommitWindowClosed);
		// a poor labeler cannot pay the deposit
		assert_ok!(Balances::transfer_allow_death(s(4), 5, 99_000));
		assert_noop!(Jobs::take_package(s(4), job, 1), Error::<Test>::InsufficientBalance);
		// cancelled jobs take no new packages
		assert_ok!(Jobs::cancel_job(RuntimeOrigin::signed(REQUESTER), job));
		assert_noop!(Jobs::take_package(s(2), job, 1), Error::<Test>::JobNotOpen);
	});
}

#[test]
fn reveal_errors_change_nothing() {
	run(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let job = create(d, None);
		let l = labels(&[good(), near()]);
		let s = RuntimeOrigin::signed;
		assert_ok!(Jobs::take_package(s(1), job, 0));
		assert_noop!(
			Jobs::reveal_labels(s(1), job, 0, l.clone(), SALT),
			Error::<Test>::NotCommitted
		);
		assert_noop!(
			Jobs::reveal_labels(s(4), job, 0, l.clone(), SALT),
			Error::<Test>::NotAssigned
		);
		assert_ok!(Jobs::commit_labels(s(1), job, 0, pallet_labelers::commitment_of(&l, &SALT)));
		take_commit(job, 0, 2, &l);
		take_commit(job, 0, 3, &l);
		assert_noop!(
			Jobs::reveal_labels(s(1), job, 0, labels(&[good()]), SALT),
			Error::<Test>::WrongLabelCount
		);
		assert_noop!(
			Jobs::reveal_labels(s(1), job, 0, labels(&[good(), Label::Class(0)]), SALT),
			Error::<Test>::InvalidLabel
		);
		assert_noop!(
			Jobs::reveal_labels(s(1), job, 0, labels(&[good(), good()]), SALT),
			Error::<Test>::CommitmentMismatch
		);
		assert_noop!(
			Jobs::reveal_labels(s(1), job, 0, l.clone(), [0u8; 32]),
			Error::<Test>::CommitmentMismatch
		);
		assert_noop!(Jobs::finalize_package(s(9), job, 0), Error::<Test>::NotReady);
		run_to(30);
		assert_noop!(
			Jobs::reveal_labels(s(1), job, 0, l.clone(), SALT),
			Error::<Test>::RevealWindowClosed
		);
	});
}

#[test]
fn missed_deadlines_forfeit_and_stalled_work_is_released() {
	run(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let job = create(d, None);
		let l = labels(&[good(), near()]);
		assert_ok!(Jobs::take_package(RuntimeOrigin::signed(1), job, 0));
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
		assert!(events().contains(&Event::DepositSlashed {
			job,
			package: 0,
			labeler: 1,
			amount: 2_250
		}));
		// 2 committed on package 1, then the job is cancelled: released, not slashed
		take_commit(job, 1, 2, &l);
		assert_ok!(Jobs::cancel_job(RuntimeOrigin::signed(REQUESTER), job));
		assert_noop!(
			Jobs::cancel_job(RuntimeOrigin::signed(REQUESTER), job),
			Error::<Test>::JobNotOpen
		);
		assert_noop!(
			Jobs::settle_job(RuntimeOrigin::signed(9), job),
			Error::<Test>::AssignmentsOpen
		);
		assert_ok!(Jobs::expire_assignment(RuntimeOrigin::signed(9), job, 1, 2));
		assert!(events().contains(&Event::DepositReleased {
			job,
			package: 1,
			labeler: 2,
			amount: 2_250
		}));
		assert_eq!(held_deposit(2), 0);
		// nothing was completed: the whole budget comes back
		let before = Balances::balance(&REQUESTER);
		assert_ok!(Jobs::settle_job(RuntimeOrigin::signed(9), job));
		assert_eq!(Balances::balance(&REQUESTER) - before, 10_000);
	});
}

#[test]
fn cancel_pays_completed_work_and_refunds_the_rest() {
	run(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let job = create(d, None);
		assert_noop!(Jobs::cancel_job(RuntimeOrigin::signed(1), job), Error::<Test>::NotRequester);
		assert_noop!(Jobs::settle_job(RuntimeOrigin::signed(9), job), Error::<Test>::NotSettleable);
		complete(job, 0, &[1, 2, 3]);
		assert_ok!(Jobs::cancel_job(RuntimeOrigin::signed(REQUESTER), job));
		let before = Balances::balance(&REQUESTER);
		assert_ok!(Jobs::settle_job(RuntimeOrigin::signed(9), job));
		// half of the items done: pay 4_500, reserve 500, refund 5_000
		assert!(events().contains(&Event::JobSettled {
			job,
			paid: 4_500,
			reserve: 500,
			refunded: 5_000
		}));
		assert_eq!(Balances::balance(&REQUESTER) - before, 5_000);
		assert_noop!(Jobs::settle_job(RuntimeOrigin::signed(9), job), Error::<Test>::NotSettleable);
	});
}

#[test]
fn challenges_are_checked_after_reveal() {
	run(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		// item 1 is a hidden challenge whose answer is `near()`
		let answers: ChallengesOf<Test> = bv(&[(1u32, near())]);
		let c = pallet_labelers::commitment_of(&answers, &SALT);
		let job = create(d, Some(c));
		complete(job, 0, &[1, 2, 3]);
		complete(job, 1, &[1, 2, 3]);
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
		assert!(events().contains(&Event::ChallengesRevealed { job, checked: 3, wrong: 0 }));
		assert_noop!(
			Jobs::reveal_challenges(RuntimeOrigin::root(), job, answers, SALT),
			Error::<Test>::NoChallenges
		);
		assert_ok!(Jobs::settle_job(RuntimeOrigin::signed(9), job));
	});
}

#[test]
fn reputation_weights_the_payout() {
	run(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let job = create(d, None);
		// 3 labels slightly worse (still above the floor): lower weight, smaller reward
		let l_good = labels(&[good(), good()]);
		let l_off = labels(&[boxes(&[(10, 10, 110, 110)]), boxes(&[(10, 10, 110, 110)])]);
		for p in 0..2 {
			take_commit(job, p, 1, &l_good);
			take_commit(job, p, 2, &l_good);
			take_commit(job, p, 3, &l_off);
			reveal(job, p, 1, &l_good);
			reveal(job, p, 2, &l_good);
			reveal(job, p, 3, &l_off);
			assert_ok!(Jobs::finalize_package(RuntimeOrigin::signed(9), job, p));
		}
		let before: Vec<u64> = (1..=3).map(|a| Balances::balance(&a)).collect();
		assert_ok!(Jobs::settle_job(RuntimeOrigin::signed(9), job));
		let got: Vec<u64> =
			(1..=3).map(|a| Balances::balance(&a) - before[a as usize - 1]).collect();
		assert!(got[0] > got[2] && got[1] > got[2], "{got:?}");
		assert_eq!(got.iter().sum::<u64>(), 9_000);
	});
}

#[test]
fn remaining_errors_change_nothing() {
	run(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3, 4, 5, 6, 7, 8, 9]);
		// 16 items in 8 packages: 9 labelers taking one package each exceed MaxLabelersPerJob (8).
		let items: Vec<_> = (0..16).map(item).collect();
		assert_ok!(Jobs::create_job(
			RuntimeOrigin::signed(REQUESTER),
			d,
			bv(&items),
			3,
			2,
			100_000,
			100,
			10,
			10,
			None
		));
		let job = NextJobId::<Test>::get() - 1;
		for w in 1..=8u64 {
			assert_ok!(Jobs::take_package(RuntimeOrigin::signed(w), job, (w - 1) as u32));
		}
		assert_noop!(
			Jobs::take_package(RuntimeOrigin::signed(9), job, 0),
			Error::<Test>::TooManyLabelers
		);
		// a labeler already in the job can take more
		assert_ok!(Jobs::take_package(RuntimeOrigin::signed(1), job, 1));
	});
}

#[test]
fn completed_packages_and_bad_challenges_are_rejected() {
	run(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3, 4]);
		let answers: ChallengesOf<Test> = bv(&[(3u32, good())]);
		let job = create(d, Some(pallet_labelers::commitment_of(&answers, &SALT)));
		complete(job, 0, &[1, 2, 3]);
		assert_noop!(
			Jobs::take_package(RuntimeOrigin::signed(4), job, 0),
			Error::<Test>::PackageComplete
		);
		assert_noop!(
			Jobs::finalize_package(RuntimeOrigin::signed(9), job, 0),
			Error::<Test>::PackageComplete
		);
		// item 3 is in package 1, which is not complete yet
		assert_noop!(
			Jobs::reveal_challenges(RuntimeOrigin::root(), job, answers, SALT),
			Error::<Test>::BadChallenge
		);
		let beyond: ChallengesOf<Test> = bv(&[(9u32, good())]);
		let job2 = create(d, Some(pallet_labelers::commitment_of(&beyond, &SALT)));
		assert_noop!(
			Jobs::reveal_challenges(RuntimeOrigin::root(), job2, beyond, SALT),
			Error::<Test>::BadChallenge
		);
	});
}

#[test]
fn colluders_can_win_a_package_but_challenges_expose_them() {
	run(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		// item 0 is a challenge whose true answer is `good()`; 2 and 3 collude on `bad()`.
		let answers: ChallengesOf<Test> = bv(&[(0u32, good())]);
		let job = create(d, Some(pallet_labelers::commitment_of(&answers, &SALT)));
		let honest = labels(&[good(), near()]);
		let colluding = labels(&[bad(), bad()]);
		take_commit(job, 0, 1, &honest);
		take_commit(job, 0, 2, &colluding);
		take_commit(job, 0, 3, &colluding);
		for (w, l) in [(1, &honest), (2, &colluding), (3, &colluding)] {
			reveal(job, 0, w, l);
		}
		assert_ok!(Jobs::finalize_package(RuntimeOrigin::signed(9), job, 0));
		// With equal weights the colluding majority forms the consensus: the honest labeler is
		// the one slashed. This is what per-package majority consensus can and cannot do.
		assert!(events().contains(&Event::DepositSlashed {
			job,
			package: 0,
			labeler: 1,
			amount: 2_250
		}));
		take_commit(job, 0, 1, &colluding);
		reveal(job, 0, 1, &colluding);
		assert_ok!(Jobs::finalize_package(RuntimeOrigin::signed(9), job, 0));
		complete(job, 1, &[1, 2, 3]);
		// The challenge answer exposes the colluders: their error x grows by 0.05 per miss.
		let w2 = <Labelers as pallet_labelers::LabelerRegistry<u64, u64>>::weight_of(&2, d);
		assert_ok!(Jobs::reveal_challenges(RuntimeOrigin::root(), job, answers, SALT));
		assert!(events().contains(&Event::ChallengesRevealed { job, checked: 3, wrong: 3 }));
		assert!(<Labelers as pallet_labelers::LabelerRegistry<u64, u64>>::weight_of(&2, d) < w2);
	});
}
