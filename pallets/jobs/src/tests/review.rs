//! Corpus-review jobs (Briko Phase 1, step 4): ranking by consensus score at settlement, the
//! kept set, and the follow-up review job of the items near the cut-off.

use super::*;
use crate::{
	pallet::{Rankings, ReviewSpecs},
	types::ReviewSpec,
};
use crowdlabel_consensus::FixedU128;
use frame_support::traits::fungible::Mutate;
use sp_runtime::Perbill;

const RATING: LabelKind = LabelKind::Score { min: 0, max: 100 };
/// The consensus score of item `i` in the tests below.
const SCORES: [u16; 8] = [30, 90, 10, 70, 50, 80, 20, 60];
const FOLLOW_UP_BUDGET: u64 = 6_000;

fn review(keep: u32, margin: u32, budget: u64) -> ReviewSpec<u64, u64> {
	ReviewSpec {
		keep: Perbill::from_percent(keep),
		margin,
		follow_up_budget: budget,
		follow_up_duration: 50,
	}
}

/// An 8-item rating job (packages of 2, R = 3) that keeps the top half and reviews one item on
/// each side of the cut-off.
fn review_job(d: u32) -> JobId {
	let spec = JobBuilder::new(d).items(8).spec();
	assert_ok!(Jobs::create_review_job(
		RuntimeOrigin::signed(REQUESTER),
		spec,
		review(50, 1, FOLLOW_UP_BUDGET)
	));
	NextJobId::<Test>::get() - 1
}

/// Labelers 1, 2 and 3 rate every item of the first `packages` packages with [`SCORES`].
fn rate(job: JobId, packages: u32) {
	for p in 0..packages {
		let i = (2 * p) as usize;
		let l = labels(&[Label::Score(SCORES[i]), Label::Score(SCORES[i + 1])]);
		package(job, p).labeled_by(&[(1, &l), (2, &l), (3, &l)]);
	}
}

fn follow_up_held() -> u64 {
	Balances::balance_on_hold(&HoldReason::FollowUpBudget.into(), &REQUESTER)
}

#[test]
fn a_review_job_keeps_the_top_k_items_and_sends_the_cut_off_to_a_follow_up_job() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(RATING, &[1, 2, 3]);
		let plain = Jobs::storage_deposit(8, 4, 3);
		let job = review_job(d);
		System::assert_has_event(
			Event::ReviewDeclared {
				job,
				keep: Perbill::from_percent(50),
				margin: 1,
				follow_up_budget: FOLLOW_UP_BUDGET,
			}
			.into(),
		);
		assert_eq!(follow_up_held(), FOLLOW_UP_BUDGET);
		// The storage deposit also pays for the rule and the ranking.
		let j = JobDetails::<Test>::get(job).unwrap();
		assert_eq!(j.storage_deposit, plain + Jobs::review_bytes());
		rate(job, 4);
		assert_ok!(Jobs::settle_job(RuntimeOrigin::signed(9), job));
		// Scores 90 (item 1), 80 (5), 70 (3), 60 (7) | 50 (4), 30 (0), 20 (6), 10 (2).
		let ranking = Rankings::<Test>::get(job).unwrap();
		assert_eq!(ranking.kept.to_vec(), vec![1, 5, 3, 7]);
		assert_eq!(ranking.ranked, 8);
		let follow_up = job + 1;
		assert_eq!(ranking.follow_up, Some(follow_up));
		System::assert_has_event(
			Event::ItemsRanked {
				job,
				ranked: 8,
				kept: 4,
				cut_off: Some(FixedU128::from_u32(60)),
				follow_up: Some(follow_up),
			}
			.into(),
		);
		// The follow-up reviews items 7 and 4 (the last kept, the first dropped), same domain,
		// R and windows, paid by the budget held since the creation.
		let f = JobDetails::<Test>::get(follow_up).unwrap();
		assert_eq!((f.requester, f.domain, f.items, f.redundancy), (REQUESTER, d, 2, 3));
		assert_eq!(f.budget, FOLLOW_UP_BUDGET);
		assert_eq!(
			crate::pallet::JobItems::<Test>::get(follow_up).to_vec(),
			vec![item(7), item(4)]
		);
		assert_eq!(follow_up_held(), 0);
		// It is an ordinary job: labeled and settled as any other, with no ranking of its own.
		rate_follow_up(follow_up);
		assert_ok!(Jobs::settle_job(RuntimeOrigin::signed(9), follow_up));
		assert!(Rankings::<Test>::get(follow_up).is_none());
		// Pruning removes the rule and the ranking with the job.
		run_to(System::block_number() + 60);
		assert_ok!(Jobs::prune_job(RuntimeOrigin::signed(9), job));
		assert!(ReviewSpecs::<Test>::get(job).is_none() && Rankings::<Test>::get(job).is_none());
	});
}

fn rate_follow_up(job: JobId) {
	let l = labels(&[Label::Score(65), Label::Score(45)]);
	package(job, 0).labeled_by(&[(1, &l), (2, &l), (3, &l)]);
}

#[test]
fn items_without_consensus_are_ranked_last_and_never_kept() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(RATING, &[1, 2, 3]);
		let job = review_job(d);
		// Only the first two packages are labeled; the job is cancelled and settled.
		rate(job, 2);
		assert_ok!(Jobs::cancel_job(RuntimeOrigin::signed(REQUESTER), job));
		assert_ok!(Jobs::settle_job(RuntimeOrigin::signed(9), job));
		// P = 8, k = 50 %: 4 would be kept, and exactly the 4 scored items are (90, 70, 30, 10).
		let ranking = Rankings::<Test>::get(job).unwrap();
		assert_eq!((ranking.ranked, ranking.kept.to_vec()), (4, vec![1, 3, 0, 2]));
		// The margin beyond the last ranked item is clipped: only item 2 (rank 4) is reviewed.
		let f = ranking.follow_up.unwrap();
		assert_eq!(crate::pallet::JobItems::<Test>::get(f).to_vec(), vec![item(2)]);
	});
}

#[test]
fn a_follow_up_that_cannot_be_created_returns_its_budget_and_the_settlement_goes_through() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(RATING, &[1, 2, 3]);
		let job = review_job(d);
		rate(job, 4);
		// The requester spent everything it had free: the follow-up's storage deposit cannot be
		// paid when the job settles.
		Balances::set_balance(&REQUESTER, 1);
		let next = NextJobId::<Test>::get();
		assert_ok!(Jobs::settle_job(RuntimeOrigin::signed(9), job));
		assert!(events()
			.iter()
			.any(|e| matches!(e, Event::FollowUpFailed { job: j, .. } if *j == job)));
		assert_eq!(NextJobId::<Test>::get(), next, "no follow-up job, no trace of one");
		assert_eq!(follow_up_held(), 0);
		assert_eq!(Balances::balance(&REQUESTER), 1 + FOLLOW_UP_BUDGET);
		assert_eq!(Rankings::<Test>::get(job).unwrap().follow_up, None);
		assert_eq!(Rankings::<Test>::get(job).unwrap().kept.len(), 4);
	});
}

#[test]
fn review_job_errors_change_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(RATING, &[1, 2, 3]);
		let boxes = domain_with_qualified(BOX, &[1, 2, 3]);
		let spec = || JobBuilder::new(d).items(8).spec();
		let create = |spec, r| Jobs::create_review_job(RuntimeOrigin::signed(REQUESTER), spec, r);
		// Boxes have no score to rank by.
		assert_noop!(
			create(JobBuilder::new(boxes).items(8).spec(), review(50, 0, 0)),
			Error::<Test>::NotRankable
		);
		// k strictly between 0 and 1.
		assert_noop!(create(spec(), review(0, 0, 0)), Error::<Test>::BadKeep);
		assert_noop!(create(spec(), review(100, 0, 0)), Error::<Test>::BadKeep);
		// A budget without a margin, a margin beyond the items, a duration shorter than the
		// windows.
		assert_noop!(create(spec(), review(50, 0, 100)), Error::<Test>::BadFollowUp);
		assert_noop!(create(spec(), review(50, 9, 6_000)), Error::<Test>::BadFollowUp);
		let mut short = review(50, 1, 6_000);
		short.follow_up_duration = 5;
		assert_noop!(create(spec(), short), Error::<Test>::BadFollowUp);
		// A follow-up budget that cannot pay 2 x 1 items x R = 6 labelings the existential
		// deposit (1) each: 5 (the 10 % reserve of 5 rounds to 0).
		assert_noop!(create(spec(), review(50, 1, 5)), Error::<Test>::FollowUpBudgetTooSmall);
		assert_ok!(create(spec(), review(50, 1, 6)));
		// A requester who cannot hold the follow-up budget on top of the job.
		assert_noop!(create(spec(), review(50, 1, 10_000_000)), Error::<Test>::InsufficientBalance);
		// Without a margin, no follow-up: the ranking alone.
		assert_ok!(create(spec(), review(25, 0, 0)));
		assert_eq!(follow_up_held(), 6);
	});
}
