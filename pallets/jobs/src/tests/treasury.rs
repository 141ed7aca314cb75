//! Supplementary jobs funded by the treasury, and newcomer bonuses paid from the council-funded
//! newcomer pot: the flows, and one test per attack.

use super::*;
use crate::pallet::NewcomerProgress;

/// The treasury holds 100_000; the newcomer pot 1_000.
fn funded() -> ExtBuilder {
	ExtBuilder::default().balance(TREASURY, 100_000).balance(NEWCOMER_POT, 1_000)
}

/// The council (its stand-in account) funds a 4-item job from the treasury.
fn create_treasury_job(domain: u32) -> JobId {
	let spec = JobBuilder::new(domain).spec();
	assert_ok!(Jobs::create_treasury_job(RuntimeOrigin::signed(COUNCIL), spec));
	NextJobId::<Test>::get() - 1
}

/// The bonuses paid so far, as `(labeler, amount, nth)`.
fn bonuses() -> Vec<(u64, u64, u32)> {
	events()
		.into_iter()
		.filter_map(|e| match e {
			Event::NewcomerBonusPaid { labeler, amount, nth, .. } => Some((labeler, amount, nth)),
			_ => None,
		})
		.collect()
}

#[test]
fn a_treasury_job_is_held_on_the_treasury_and_its_rest_returns_there() {
	funded().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let before = Balances::balance(&TREASURY);
		let job = create_treasury_job(d);
		let j = JobDetails::<Test>::get(job).unwrap();
		assert_eq!(j.requester, TREASURY);
		assert_eq!(Balances::balance_on_hold(&HoldReason::JobEscrow.into(), &TREASURY), 10_000);
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::JobStorage.into(), &TREASURY),
			j.storage_deposit
		);
		System::assert_has_event(
			Event::JobCreated {
				job,
				requester: TREASURY,
				domain: d,
				items: 4,
				packages: 2,
				budget: 10_000,
				storage_deposit: j.storage_deposit,
			}
			.into(),
		);
		// half the work, then the council cancels and anyone settles
		package(job, 0).labeled_honestly_by(&[1, 2, 3]);
		assert_ok!(Jobs::cancel_job(RuntimeOrigin::signed(COUNCIL), job));
		assert_ok!(Jobs::settle_job(RuntimeOrigin::signed(9), job));
		System::assert_has_event(
			Event::JobSettled { job, paid: 4_500, reserve: 500, refunded: 5_000 }.into(),
		);
		let paid: u64 = [1, 2, 3].iter().map(|w| claim(*w)).sum();
		assert_eq!(paid, 4_500);
		// The treasury spent exactly what the labelers were paid (the reserve share and the
		// refund both return to it); the storage deposit stays held until pruning.
		assert_eq!(before - Balances::balance(&TREASURY), 4_500 + j.storage_deposit);
	});
}

#[test]
fn attack_only_the_treasury_origin_spends_the_treasury_or_cancels_its_jobs() {
	funded().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		// a requester (or anybody) cannot make the treasury pay for their job
		for who in [REQUESTER, 1, TREASURY] {
			assert_noop!(
				Jobs::create_treasury_job(RuntimeOrigin::signed(who), JobBuilder::new(d).spec()),
				DispatchError::BadOrigin
			);
		}
		let treasury_job = create_treasury_job(d);
		let own_job = JobBuilder::new(d).create();
		// nobody but the council cancels the treasury's job ...
		assert_noop!(
			Jobs::cancel_job(RuntimeOrigin::signed(REQUESTER), treasury_job),
			Error::<Test>::NotRequester
		);
		// ... and the council cannot cancel a requester's job
		assert_noop!(
			Jobs::cancel_job(RuntimeOrigin::signed(COUNCIL), own_job),
			Error::<Test>::NotRequester
		);
	});
}

#[test]
fn a_treasury_job_the_treasury_cannot_afford_changes_nothing() {
	ExtBuilder::default().balance(TREASURY, 5_000).build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		assert_noop!(
			Jobs::create_treasury_job(RuntimeOrigin::signed(COUNCIL), JobBuilder::new(d).spec()),
			Error::<Test>::InsufficientBalance
		);
	});
}

#[test]
fn newcomers_earn_a_bonus_on_their_first_accepted_packages_only() {
	funded().build_and_execute(|| {
		NewcomerBonus::set(10);
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		// bonus min(10, fee 60 / 3 packages) = 10
		assert_eq!(Jobs::newcomer_bonus(d), 10);
		let before: Vec<u64> = [1, 2, 3].iter().map(Balances::balance).collect();
		let job = JobBuilder::new(d).create();
		complete_all(job, &[1, 2, 3]);
		// two packages each: the first two bonuses
		assert_eq!(bonuses().len(), 6);
		assert!(bonuses().iter().all(|(_, amount, nth)| *amount == 10 && *nth <= 2));
		let job2 = JobBuilder::new(d).create();
		complete_all(job2, &[1, 2, 3]);
		// the third package is the last with a bonus; the fourth earns none
		assert_eq!(bonuses().len(), 9);
		assert_eq!(bonuses().iter().filter(|(_, _, nth)| *nth == 3).count(), 3);
		for (i, who) in [1u64, 2, 3].iter().enumerate() {
			assert_eq!(NewcomerProgress::<Test>::get(who), NEWCOMER_PACKAGES);
			// free balance: deposits all released, rewards not yet claimed
			assert_eq!(Balances::balance(who) - before[i], 30, "three bonuses of 10");
		}
		assert_eq!(Balances::balance(&NEWCOMER_POT), 1_000 - 90);
	});
}

#[test]
fn attack_sybils_farming_bonuses_get_back_at_most_their_qualification_fee() {
	funded().build_and_execute(|| {
		// a generous bonus: capped at fee / NewcomerPackages = 20 per package
		NewcomerBonus::set(1_000);
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		assert_eq!(Jobs::newcomer_bonus(d), QUALIFICATION_FEE / NEWCOMER_PACKAGES as u64);
		// three colluding accounts label their own requester's jobs, agreeing with each other
		for _ in 0..3 {
			let job = JobBuilder::new(d).create();
			complete_all(job, &[1, 2, 3]);
		}
		for who in [1u64, 2, 3] {
			let total: u64 =
				bonuses().iter().filter(|(w, _, _)| *w == who).map(|(_, a, _)| a).sum();
			assert_eq!(total, QUALIFICATION_FEE, "never more than the fee paid to qualify");
		}
	});
}

#[test]
fn slashed_packages_earn_no_bonus_and_do_not_count() {
	funded().build_and_execute(|| {
		NewcomerBonus::set(10);
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let job = JobBuilder::new(d).items(2).create();
		let honest = labels(&[good(), near()]);
		let malicious = labels(&[bad(), bad()]);
		package(job, 0).labeled_by(&[(1, &honest), (2, &honest), (3, &malicious)]);
		assert_eq!(NewcomerProgress::<Test>::get(3), 0);
		assert!(bonuses().iter().all(|(w, _, _)| *w != 3));
		assert_eq!(bonuses().len(), 2);
	});
}

#[test]
fn an_empty_pot_pays_nothing_but_the_package_still_counts() {
	ExtBuilder::default().balance(NEWCOMER_POT, 15).build_and_execute(|| {
		NewcomerBonus::set(10);
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let job = JobBuilder::new(d).items(2).create();
		package(job, 0).labeled_honestly_by(&[1, 2, 3]);
		// 15 pays one bonus of 10 and keeps the existential deposit; the others are unpaid
		assert_eq!(bonuses().len(), 1);
		assert_eq!(Balances::balance(&NEWCOMER_POT), 5);
		for who in [1u64, 2, 3] {
			assert_eq!(NewcomerProgress::<Test>::get(who), 1);
		}
	});
}

#[test]
fn attack_requalifying_does_not_make_an_account_new_again() {
	funded().build_and_execute(|| {
		NewcomerBonus::set(10);
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		for _ in 0..2 {
			let job = JobBuilder::new(d).create();
			complete_all(job, &[1, 2, 3]);
		}
		assert_eq!(bonuses().len(), 9);
		// revoked, then qualified again (as after leaving and registering again)
		FakeLabelers::revoke(1, d);
		FakeLabelers::qualify(1, d);
		let job = JobBuilder::new(d).create();
		complete_all(job, &[1, 2, 3]);
		assert_eq!(bonuses().len(), 9, "no bonus after the first three packages, ever");
	});
}

#[test]
fn no_bonus_when_none_is_configured_and_no_record_is_kept() {
	funded().build_and_execute(|| {
		NewcomerBonus::set(0);
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let job = JobBuilder::new(d).create();
		complete_all(job, &[1, 2, 3]);
		assert!(bonuses().is_empty());
		assert_eq!(NewcomerProgress::<Test>::iter().count(), 0);
	});
}
