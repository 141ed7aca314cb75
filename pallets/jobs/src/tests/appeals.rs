//! Appeals: a slashed labeler gets the package re-judged by a panel of reliable labelers or by
//! the council. The attack they answer — a colluding majority slashing the honest minority —
//! and one test per way to abuse the appeal itself.

use super::*;
use crate::pallet::{AppealCounts, AppealStakes, Appeals, SlashRecords};
use crate::types::{AppealCount, AppealDecider};
use crowdlabel_consensus::{FixedU128, Zero};
use frame_support::traits::fungible::Mutate;

/// The package deposit of the default 2-item job (see [`JobBuilder`]).
const DEPOSIT: u64 = 2_250;

/// Gives `who` a track record of `PANEL_MIN_RECORD` perfect labels in `domain` (weight 1.2): a
/// panelist.
fn experienced(who: u64, domain: u32) {
	FakeLabelers::qualify(who, domain);
	FakeLabelers::with(|r| {
		let stats = r.reputation.entry((who, domain)).or_default();
		for _ in 0..PANEL_MIN_RECORD {
			stats.record(FixedU128::zero());
		}
	});
}

fn held(reason: HoldReason, who: u64) -> u64 {
	Balances::balance_on_hold(&reason.into(), &who)
}

/// A 4-item job whose package 0 is labeled by the honest labeler 1 (`[good, near]`) and the
/// colluders 2 and 3 (`[bad, bad]`): the consensus is the colluders', 1 is slashed. Panelists
/// 5, 6, 7 are experienced in the domain. Returns `(domain, job)`.
fn colluders_slash_the_honest_labeler() -> (u32, JobId) {
	let d = domain_with_qualified(BOX, &[1, 2, 3, 4]);
	for p in [5, 6, 7] {
		experienced(p, d);
	}
	let job = JobBuilder::new(d).items(4).create();
	let honest = labels(&[good(), near()]);
	let colluding = labels(&[bad(), bad()]);
	package(job, 0).labeled_by(&[(1, &honest), (2, &colluding), (3, &colluding)]);
	System::assert_has_event(
		Event::DepositSlashed {
			job,
			package: 0,
			labeler: 1,
			amount: DEPOSIT,
			reason: SlashReason::BadLabels,
		}
		.into(),
	);
	(d, job)
}

fn vote(job: JobId, panelist: u64, appellant: u64, overturn: bool) -> DispatchResultWithInfo {
	Jobs::vote_appeal(RuntimeOrigin::signed(panelist), job, 0, appellant, overturn)
}

type DispatchResultWithInfo = frame_support::dispatch::DispatchResultWithPostInfo;

#[test]
fn attack_a_colluding_majority_slashes_the_honest_labeler_and_loses_on_appeal() {
	ExtBuilder::default().build_and_execute(|| {
		let (d, job) = colluders_slash_the_honest_labeler();
		// The judgement is open to appeal: 1's slash is recorded, 2's and 3's deposits stay at
		// stake until the window closes.
		let until = System::block_number() + APPEAL_PERIOD;
		System::assert_has_event(
			Event::SlashAppealable { job, package: 0, labeler: 1, until }.into(),
		);
		assert_eq!(
			(held(HoldReason::AppealStake, 2), held(HoldReason::AppealStake, 3)),
			(DEPOSIT, DEPOSIT)
		);
		assert_eq!((held_deposit(2), held_deposit(3)), (0, 0));
		assert_eq!(AppealCounts::<Test>::get(job), AppealCount { stakes: 2, appeals: 0 });
		let record = SlashRecords::<Test>::get((job, 0, 1)).unwrap();
		let mut against = record.against.to_vec();
		against.sort();
		assert_eq!(against, vec![2, 3]);
		assert_eq!(record.labels, labels(&[good(), near()]));

		let (free1, treasury) = (Balances::balance(&1), Balances::balance(&TREASURY));
		let (weight2, weight3) = (weight(2, d), weight(3, d));
		assert_ok!(Jobs::appeal(RuntimeOrigin::signed(1), job, 0));
		assert_eq!(held(HoldReason::AppealBond, 1), APPEAL_BOND);
		System::assert_has_event(
			Event::AppealFiled { job, package: 0, labeler: 1, bond: APPEAL_BOND }.into(),
		);
		// Two of the three panelists re-judge the labels and overturn the slash.
		assert_ok!(vote(job, 5, 1, true));
		assert!(Appeals::<Test>::contains_key((job, 0, 1)), "one vote decides nothing");
		assert_ok!(vote(job, 6, 1, true));
		System::assert_has_event(
			Event::AppealDecided {
				job,
				package: 0,
				labeler: 1,
				overturned: true,
				by: AppealDecider::Panel,
			}
			.into(),
		);
		// The honest labeler has the deposit back and the bond released.
		assert_eq!(Balances::balance(&1), free1 + DEPOSIT);
		assert_eq!(held(HoldReason::AppealBond, 1), 0);
		// The colluders lost their stakes and every label counts as a failure.
		assert_eq!((held(HoldReason::AppealStake, 2), held(HoldReason::AppealStake, 3)), (0, 0));
		for who in [2, 3] {
			System::assert_has_event(
				Event::StakeForfeited { job, package: 0, labeler: who, amount: DEPOSIT }.into(),
			);
		}
		assert!(weight(2, d) < weight2 && weight(3, d) < weight3);
		// The panelists who decided were paid by the treasury, which keeps the rest:
		// +2 stakes - the refund - 2 fees.
		assert_eq!(Balances::balance(&5), 100_000 + PANEL_FEE);
		assert_eq!(Balances::balance(&6), 100_000 + PANEL_FEE);
		assert_eq!(Balances::balance(&TREASURY), treasury + 2 * DEPOSIT - DEPOSIT - 2 * PANEL_FEE);
		// Nothing is left to appeal, vote on or release.
		assert!(SlashRecords::<Test>::get((job, 0, 1)).is_none());
		assert!(AppealStakes::<Test>::iter().next().is_none());
		assert!(!AppealCounts::<Test>::contains_key(job));
		assert_noop!(vote(job, 7, 1, true), Error::<Test>::UnknownAppeal);
		assert_noop!(
			Jobs::appeal(RuntimeOrigin::signed(1), job, 0),
			Error::<Test>::NothingToAppeal
		);
	});
}

#[test]
fn a_lost_appeal_forfeits_the_bond_and_pays_the_panel_and_stakes_are_released_later() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		for p in [5, 6, 7] {
			experienced(p, d);
		}
		let job = JobBuilder::new(d).items(2).create();
		let honest = labels(&[good(), near()]);
		// 3 labeled badly and was rightly slashed; 1 and 2 keep their deposits at stake.
		package(job, 0).labeled_by(&[(1, &honest), (2, &honest), (3, &labels(&[bad(), bad()]))]);
		let until = System::block_number() + APPEAL_PERIOD;
		assert_ok!(Jobs::appeal(RuntimeOrigin::signed(3), job, 0));
		let (free3, treasury) = (Balances::balance(&3), Balances::balance(&TREASURY));
		assert_ok!(vote(job, 5, 3, false));
		assert_ok!(vote(job, 7, 3, true));
		assert_ok!(vote(job, 6, 3, false));
		System::assert_has_event(
			Event::AppealDecided {
				job,
				package: 0,
				labeler: 3,
				overturned: false,
				by: AppealDecider::Panel,
			}
			.into(),
		);
		// The bond is gone to the treasury, which pays the two panelists of the majority; the
		// dissenting panelist is not paid.
		assert_eq!(held(HoldReason::AppealBond, 3), 0);
		assert_eq!(Balances::balance(&3), free3);
		assert_eq!(Balances::balance(&TREASURY), treasury + APPEAL_BOND - 2 * PANEL_FEE);
		assert_eq!(
			(Balances::balance(&5), Balances::balance(&6), Balances::balance(&7)),
			(100_000 + PANEL_FEE, 100_000 + PANEL_FEE, 100_000)
		);
		// The stakes of 1 and 2 stay locked until the window is over, then anyone releases them.
		assert_noop!(
			Jobs::release_stake(RuntimeOrigin::signed(9), job, 0, 1),
			Error::<Test>::StakeLocked
		);
		run_to(until + 1);
		let free1 = Balances::balance(&1);
		assert_ok!(Jobs::release_stake(RuntimeOrigin::signed(9), job, 0, 1));
		assert_ok!(Jobs::release_stake(RuntimeOrigin::signed(9), job, 0, 2));
		assert_eq!(Balances::balance(&1), free1 + DEPOSIT);
		assert_eq!(held(HoldReason::AppealStake, 1), 0);
		System::assert_has_event(
			Event::StakeReleased { job, package: 0, labeler: 1, amount: DEPOSIT }.into(),
		);
		assert_noop!(
			Jobs::release_stake(RuntimeOrigin::signed(9), job, 0, 1),
			Error::<Test>::NoStake
		);
		assert!(!AppealCounts::<Test>::contains_key(job));
	});
}

#[test]
fn a_judgement_without_a_slash_keeps_nothing_at_stake() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let job = JobBuilder::new(d).items(2).create();
		package(job, 0).labeled_honestly_by(&[1, 2, 3]);
		assert!(AppealStakes::<Test>::iter().next().is_none());
		assert!(SlashRecords::<Test>::iter().next().is_none());
		assert_eq!(held(HoldReason::AppealStake, 1), 0);
	});
}

#[test]
fn appeal_errors_change_nothing() {
	ExtBuilder::default().balance(8, 10).build_and_execute(|| {
		let (d, job) = colluders_slash_the_honest_labeler();
		// Accepted labelers and strangers have nothing to appeal.
		assert_noop!(
			Jobs::appeal(RuntimeOrigin::signed(2), job, 0),
			Error::<Test>::NothingToAppeal
		);
		assert_noop!(
			Jobs::appeal(RuntimeOrigin::signed(1), job, 1),
			Error::<Test>::NothingToAppeal
		);
		assert_noop!(
			Jobs::appeal(RuntimeOrigin::signed(1), job + 1, 0),
			Error::<Test>::NothingToAppeal
		);
		// Once only.
		assert_ok!(Jobs::appeal(RuntimeOrigin::signed(1), job, 0));
		assert_noop!(
			Jobs::appeal(RuntimeOrigin::signed(1), job, 0),
			Error::<Test>::AlreadyAppealed
		);

		// A labeler who cannot pay the bond, and one who is too late.
		let job2 = JobBuilder::new(d).items(2).create();
		FakeLabelers::qualify(8, d);
		Balances::set_balance(&8, 10 + DEPOSIT);
		let honest = labels(&[good(), near()]);
		package(job2, 0).labeled_by(&[(8, &labels(&[bad(), bad()])), (2, &honest), (3, &honest)]);
		assert!(SlashRecords::<Test>::contains_key((job2, 0, 8)));
		assert_noop!(Jobs::appeal(RuntimeOrigin::signed(8), job2, 0), Error::<Test>::CannotPayBond);
		Balances::set_balance(&8, 1_000);
		let until = SlashRecords::<Test>::get((job2, 0, 8)).unwrap().until;
		run_to(until + 1);
		assert_noop!(
			Jobs::appeal(RuntimeOrigin::signed(8), job2, 0),
			Error::<Test>::AppealWindowClosed
		);
		// A slash for a missed commit is not a judgement: nothing to appeal.
		let job3 = JobBuilder::new(d).items(2).create();
		package(job3, 0).take(4);
		run_to(until + 20);
		assert_ok!(Jobs::expire_assignment(RuntimeOrigin::signed(9), job3, 0, 4));
		assert_noop!(
			Jobs::appeal(RuntimeOrigin::signed(4), job3, 0),
			Error::<Test>::NothingToAppeal
		);
	});
}

#[test]
fn attack_the_accused_and_unproven_accounts_cannot_sit_on_the_panel() {
	ExtBuilder::default().build_and_execute(|| {
		let (d, job) = colluders_slash_the_honest_labeler();
		assert_ok!(Jobs::appeal(RuntimeOrigin::signed(1), job, 0));
		// The appellant and the colluders whose labels caused the slash.
		for who in [1, 2, 3] {
			assert_noop!(vote(job, who, 1, who == 1), Error::<Test>::ConflictOfInterest);
		}
		// A labeler who took the reopened slot of the package.
		package(job, 0).take(4);
		experienced(4, d);
		assert_noop!(vote(job, 4, 1, false), Error::<Test>::ConflictOfInterest);
		// A fresh account that passed one qualification round perfectly (weight 1.2, one
		// sample): sybils cannot buy a seat.
		FakeLabelers::qualify(8, d);
		assert!(weight(8, d) >= FixedU128::from_rational(11, 10));
		assert_noop!(vote(job, 8, 1, false), Error::<Test>::NotReliableEnough);
		// An experienced labeler with a poor record, and one not qualified in the domain.
		FakeLabelers::qualify(9, d);
		FakeLabelers::with(|r| {
			let s = r.reputation.entry((9, d)).or_default();
			for _ in 0..10 {
				s.record(FixedU128::from_rational(6, 10));
			}
		});
		assert!(weight(9, d) < FixedU128::from_rational(11, 10));
		assert_noop!(vote(job, 9, 1, false), Error::<Test>::NotReliableEnough);
		FakeLabelers::revoke(5, d);
		assert_noop!(vote(job, 5, 1, false), Error::<Test>::NotReliableEnough);
		// One vote each.
		assert_ok!(vote(job, 6, 1, false));
		assert_noop!(vote(job, 6, 1, true), Error::<Test>::AlreadyVoted);
		assert_eq!(Appeals::<Test>::get((job, 0, 1)).unwrap().votes.to_vec(), vec![(6, false)]);
	});
}

#[test]
fn the_council_decides_an_appeal_the_panel_did_not() {
	ExtBuilder::default().build_and_execute(|| {
		let (_, job) = colluders_slash_the_honest_labeler();
		assert_ok!(Jobs::appeal(RuntimeOrigin::signed(1), job, 0));
		assert_ok!(vote(job, 5, 1, false));
		assert_noop!(
			Jobs::decide_appeal(RuntimeOrigin::signed(5), job, 0, 1, true),
			DispatchError::BadOrigin
		);
		let free1 = Balances::balance(&1);
		assert_ok!(Jobs::decide_appeal(RuntimeOrigin::root(), job, 0, 1, true));
		System::assert_has_event(
			Event::AppealDecided {
				job,
				package: 0,
				labeler: 1,
				overturned: true,
				by: AppealDecider::Council,
			}
			.into(),
		);
		assert_eq!(Balances::balance(&1), free1 + DEPOSIT + APPEAL_BOND);
		// The panelist who voted against the decision is not paid.
		assert_eq!(Balances::balance(&5), 100_000);
		assert_noop!(
			Jobs::decide_appeal(RuntimeOrigin::root(), job, 0, 1, true),
			Error::<Test>::UnknownAppeal
		);
	});
}

/// The colluders' stakes are released after the first window; a second honest labeler slashed
/// by their (earlier accepted) labels appeals: they have nothing at stake any more, so the
/// treasury alone refunds, and an empty treasury makes the decision wait.
#[test]
fn a_refund_the_treasury_cannot_pay_changes_nothing_until_it_can() {
	ExtBuilder::default().build_and_execute(|| {
		let (d, job) = colluders_slash_the_honest_labeler();
		let until = SlashRecords::<Test>::get((job, 0, 1)).unwrap().until;
		run_to(until + 1);
		assert_ok!(Jobs::release_stake(RuntimeOrigin::signed(9), job, 0, 2));
		assert_ok!(Jobs::release_stake(RuntimeOrigin::signed(9), job, 0, 3));
		// The honest labeler 4 takes the reopened slot and is slashed by the same consensus.
		let honest = labels(&[good(), near()]);
		package(job, 0).take_commit(4, &honest);
		package(job, 0).reveal(4, &honest);
		let record = SlashRecords::<Test>::get((job, 0, 4)).unwrap();
		assert_eq!(record.against.len(), 2, "the colluders accepted earlier voted again");
		assert!(AppealStakes::<Test>::iter().next().is_none());
		assert_ok!(Jobs::appeal(RuntimeOrigin::signed(4), job, 0));
		Balances::set_balance(&TREASURY, 1);
		assert_noop!(
			Jobs::decide_appeal(RuntimeOrigin::root(), job, 0, 4, true),
			Error::<Test>::TreasuryCannotPay
		);
		// Funded again, the refund goes through; the colluders pay with their reputation.
		Balances::set_balance(&TREASURY, 100_000);
		let (free4, weight2) = (Balances::balance(&4), weight(2, d));
		assert_ok!(Jobs::decide_appeal(RuntimeOrigin::root(), job, 0, 4, true));
		assert_eq!(Balances::balance(&4), free4 + DEPOSIT + APPEAL_BOND);
		assert_eq!(Balances::balance(&TREASURY), 100_000 - DEPOSIT);
		assert!(weight(2, d) < weight2);
		assert!(!events().iter().any(|e| matches!(e, Event::StakeForfeited { .. })));
	});
}

#[test]
fn a_slashed_labeler_cannot_retake_the_package_it_may_appeal() {
	ExtBuilder::default().build_and_execute(|| {
		let (_, job) = colluders_slash_the_honest_labeler();
		// Package 1 is still open, package 0 has a free slot again: 1 is only offered package 1.
		assert_eq!(take(job, 1), 1);
		assert_noop!(
			Jobs::take_package(RuntimeOrigin::signed(1), job),
			Error::<Test>::NoFreePackage
		);
	});
}

#[test]
fn a_job_with_stakes_or_appeals_is_not_pruned() {
	ExtBuilder::default().build_and_execute(|| {
		let (_, job) = colluders_slash_the_honest_labeler();
		assert_ok!(Jobs::appeal(RuntimeOrigin::signed(1), job, 0));
		assert_ok!(Jobs::cancel_job(RuntimeOrigin::signed(REQUESTER), job));
		assert_ok!(Jobs::settle_job(RuntimeOrigin::signed(9), job));
		run_to(System::block_number() + 60);
		assert_noop!(Jobs::prune_job(RuntimeOrigin::signed(9), job), Error::<Test>::AppealsPending);
		assert_ok!(Jobs::decide_appeal(RuntimeOrigin::root(), job, 0, 1, false));
		// Upheld: the colluders' stakes are still held until released.
		assert_noop!(Jobs::prune_job(RuntimeOrigin::signed(9), job), Error::<Test>::AppealsPending);
		assert_ok!(Jobs::release_stake(RuntimeOrigin::signed(9), job, 0, 2));
		assert_ok!(Jobs::release_stake(RuntimeOrigin::signed(9), job, 0, 3));
		assert_ok!(Jobs::prune_job(RuntimeOrigin::signed(9), job));
		assert!(SlashRecords::<Test>::iter().next().is_none());
	});
}

/// A slashed labeler appeals and nobody decides: after `AppealPeriod` the honest stakes are
/// released anyway and anyone closes the appeal (bond back, slash stands), so a 30-unit bond
/// cannot lock other labelers' deposits or the requester's job data for good.
#[test]
fn attack_an_appeal_nobody_decides_cannot_lock_stakes_or_the_job_for_good() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let job = JobBuilder::new(d).items(2).create();
		let honest = labels(&[good(), near()]);
		package(job, 0).labeled_by(&[(1, &honest), (2, &honest), (3, &labels(&[bad(), bad()]))]);
		let until = SlashRecords::<Test>::get((job, 0, 3)).unwrap().until;
		// The spammer appeals at the last block of the window.
		run_to(until);
		assert_ok!(Jobs::appeal(RuntimeOrigin::signed(3), job, 0));
		let filed = until;
		run_to(filed + APPEAL_PERIOD);
		assert_noop!(
			Jobs::release_stake(RuntimeOrigin::signed(9), job, 0, 1),
			Error::<Test>::StakeLocked
		);
		assert_noop!(
			Jobs::close_lapsed_appeal(RuntimeOrigin::signed(9), job, 0, 3),
			Error::<Test>::AppealNotLapsed
		);
		run_to(filed + APPEAL_PERIOD + 1);
		assert_ok!(Jobs::release_stake(RuntimeOrigin::signed(9), job, 0, 1));
		let free3 = Balances::balance(&3);
		assert_ok!(Jobs::close_lapsed_appeal(RuntimeOrigin::signed(9), job, 0, 3));
		System::assert_has_event(Event::AppealLapsed { job, package: 0, labeler: 3 }.into());
		assert_eq!(Balances::balance(&3), free3 + APPEAL_BOND);
		assert!(SlashRecords::<Test>::get((job, 0, 3)).is_none());
		assert_noop!(
			Jobs::decide_appeal(RuntimeOrigin::root(), job, 0, 3, true),
			Error::<Test>::UnknownAppeal
		);
		assert_ok!(Jobs::release_stake(RuntimeOrigin::signed(9), job, 0, 2));
		assert!(!AppealCounts::<Test>::contains_key(job));
	});
}
