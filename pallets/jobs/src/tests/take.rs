//! Taking several packages in one call (`take_packages`): distinct packages, one hold of their
//! summed deposits, all or nothing, and no way around the per-labeler limits.

use super::*;
use crate::pallet::Assignments;
use crate::weights::WeightInfo;
use frame_support::dispatch::GetDispatchInfo;

/// The packages of every `PackageTaken` event for `who`, in order.
fn taken_by(who: u64) -> Vec<PackageIndex> {
	events()
		.iter()
		.filter_map(|e| match e {
			Event::PackageTaken { package, labeler, .. } if *labeler == who => Some(*package),
			_ => None,
		})
		.collect()
}

#[test]
fn several_packages_are_taken_at_once_with_one_hold() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		// 8 items in 4 packages of 2; each labeling is worth 1_500, the deposit 2_250.
		let job = JobBuilder::new(d).items(8).create();
		let free = Balances::balance(&1);
		assert_ok!(Jobs::take_packages(RuntimeOrigin::signed(1), job, 4));
		let mut mine = taken_by(1);
		mine.sort();
		assert_eq!(mine, vec![0, 1, 2, 3], "four different packages");
		for p in &mine {
			let a = Assignments::<Test>::get((job, *p, 1u64)).expect("assigned");
			assert_eq!(a.deposit, 2_250);
			assert_eq!(Packages::<Test>::get(job, p).takers, 1);
		}
		// One hold of the four deposits, as four single takes would hold.
		assert_eq!(held_deposit(1), 4 * 2_250);
		assert_eq!(Balances::balance(&1), free - 4 * 2_250);
		assert_eq!(Workload::<Test>::get(job, 1).map(|w| w.open), Some(4));
		assert_eq!(JobDetails::<Test>::get(job).unwrap().labelers, 1);
		// The limit counts them: a fifth package needs one of them judged first.
		assert_noop!(
			Jobs::take_package(RuntimeOrigin::signed(1), job),
			Error::<Test>::TooManyOpenPackages
		);
		// Labeled as if taken one by one: every package completes and every deposit comes back.
		for w in [2u64, 3] {
			assert_ok!(Jobs::take_packages(RuntimeOrigin::signed(w), job, 4));
		}
		assert!(OpenPackages::<Test>::get(job).is_empty());
		let l = labels(&[good(), near()]);
		for w in [1u64, 2, 3] {
			for p in 0..4 {
				package(job, p).commit(w, &l);
			}
		}
		for w in [1u64, 2, 3] {
			for p in 0..4 {
				package(job, p).reveal(w, &l);
			}
		}
		let j = JobDetails::<Test>::get(job).unwrap();
		assert_eq!((j.completed, j.accepted), (4, 8 * 3));
		for w in [1u64, 2, 3] {
			assert_eq!(held_deposit(w), 0, "labeler {w}");
			assert_eq!(Workload::<Test>::get(job, w).map(|x| (x.open, x.accepted)), Some((0, 8)));
		}
	});
}

#[test]
fn a_take_of_several_packages_takes_what_is_free() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3, 4]);
		// Two packages: asking for four gives both, never the same one twice.
		let job = JobBuilder::new(d).create();
		assert_ok!(Jobs::take_packages(RuntimeOrigin::signed(1), job, 4));
		let mut mine = taken_by(1);
		mine.sort();
		assert_eq!(mine, vec![0, 1]);
		assert_eq!(held_deposit(1), 2 * 2_250);
		assert_eq!(Workload::<Test>::get(job, 1).map(|w| w.open), Some(2));
		assert_noop!(
			Jobs::take_packages(RuntimeOrigin::signed(1), job, 1),
			Error::<Test>::NoFreePackage
		);
		// The takes that fill the packages empty the open list.
		assert_ok!(Jobs::take_packages(RuntimeOrigin::signed(2), job, 2));
		assert_eq!(OpenPackages::<Test>::get(job).len(), 2);
		assert_ok!(Jobs::take_packages(RuntimeOrigin::signed(3), job, 3));
		assert!(OpenPackages::<Test>::get(job).is_empty());
		assert_noop!(
			Jobs::take_packages(RuntimeOrigin::signed(4), job, 1),
			Error::<Test>::NoFreePackage
		);
	});
}

#[test]
fn take_packages_errors_change_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3, 4]);
		let job = JobBuilder::new(d).items(16).create();
		let s = RuntimeOrigin::signed;
		assert_noop!(Jobs::take_packages(s(1), 7, 2), Error::<Test>::UnknownJob);
		assert_noop!(Jobs::take_packages(s(5), job, 2), Error::<Test>::NotQualified);
		assert_noop!(Jobs::take_packages(s(1), job, 0), Error::<Test>::NoPackagesRequested);
		// MaxOpenPerLabeler is 4: asking for 5, or for 3 while holding 2, is refused whole.
		assert_noop!(Jobs::take_packages(s(1), job, 5), Error::<Test>::TooManyOpenPackages);
		assert_noop!(Jobs::take_packages(s(1), job, u32::MAX), Error::<Test>::TooManyOpenPackages);
		assert_ok!(Jobs::take_packages(s(1), job, 2));
		assert_noop!(Jobs::take_packages(s(1), job, 3), Error::<Test>::TooManyOpenPackages);
		// Enough for one deposit (2_250) but not for three: nothing is taken.
		assert_ok!(Balances::transfer_allow_death(s(4), 5, 100_000 - 5_000));
		assert_noop!(Jobs::take_packages(s(4), job, 3), Error::<Test>::InsufficientBalance);
		assert_ok!(Jobs::take_packages(s(4), job, 1));
		assert_eq!(held_deposit(4), 2_250);
		// Closed jobs and late takes, as for one package.
		assert_ok!(Jobs::cancel_job(RuntimeOrigin::signed(REQUESTER), job));
		assert_noop!(Jobs::take_packages(s(2), job, 2), Error::<Test>::JobNotOpen);
		// Created at block 1, deadline 101: a take at 82 would close its windows at 102.
		let late = JobBuilder::new(d).items(8).create();
		run_to(82);
		assert_noop!(Jobs::take_packages(s(2), late, 2), Error::<Test>::TooLateToTake);
	});
}

#[test]
fn several_packages_cannot_pass_the_labeler_cap() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3, 4, 5, 6, 7, 8, 9]);
		// 16 items in 8 packages, MaxLabelersPerJob 8: the ninth labeler is refused even for a
		// batch, and a batch counts its labeler once.
		let job = JobBuilder::new(d).items(16).create();
		for w in 1..=8u64 {
			assert_ok!(Jobs::take_packages(RuntimeOrigin::signed(w), job, 2));
			assert_eq!(JobDetails::<Test>::get(job).unwrap().labelers, w as u32);
		}
		assert_noop!(
			Jobs::take_packages(RuntimeOrigin::signed(9), job, 1),
			Error::<Test>::TooManyLabelers
		);
	});
}

#[test]
fn a_batch_is_charged_by_its_size_and_refunded_to_what_it_took() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2]);
		let job = JobBuilder::new(d).create();
		let call = |k: u32| {
			crate::Call::<Test>::take_packages { job, count: k }
				.get_dispatch_info()
				.call_weight
		};
		// Charged up front by the count asked (capped at MaxOpenPerLabeler).
		assert!(call(1).ref_time() < call(4).ref_time());
		assert_eq!(call(4), call(u32::MAX));
		// Two packages free: refunded to two takes and the probes made.
		let info = Jobs::take_packages(RuntimeOrigin::signed(1), job, 4).expect("takes two");
		let actual = info.actual_weight.expect("refunded");
		assert!(actual.ref_time() < call(4).ref_time());
		// Two takes, one probe each (two reads), and the open list not written (no package
		// filled); the labeler is new, so the job record was written.
		let db = <Test as frame_system::Config>::DbWeight::get();
		assert_eq!(
			actual,
			<Test as crate::Config>::WeightInfo::take_packages(2)
				.saturating_add(db.reads(4))
				.saturating_sub(db.writes(1))
		);
		assert_eq!(taken_by(1).len(), 2);
		// A take of one package by a labeler already in the job: refunded more than a newcomer's.
		let single = Jobs::take_packages(RuntimeOrigin::signed(2), job, 1)
			.expect("takes one")
			.actual_weight
			.expect("refunded");
		assert!(single.ref_time() < actual.ref_time());
	});
}

/// Labelers 1, 2 and 3 take packages 0 and 1 of a 4-package job and commit `l` to both.
fn two_packages_each(d: u32, l: &PackageLabelsOf<Test>) -> JobId {
	let job = JobBuilder::new(d).items(8).create();
	for p in [0, 1] {
		for w in [1u64, 2, 3] {
			package(job, p).take_commit(w, l);
		}
	}
	job
}

/// The idle stake of `who` in `job`.
fn idle(job: JobId, who: u64) -> u64 {
	Workload::<Test>::get(job, who).map_or(0, |w| w.idle)
}

#[test]
fn an_accepted_deposit_stays_on_hold_while_its_labeler_holds_more_of_the_job() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let l = labels(&[good(), near()]);
		let job = two_packages_each(d, &l);
		for w in [1u64, 2, 3] {
			assert_eq!(held_deposit(w), 2 * 2_250);
		}
		for w in [1u64, 2, 3] {
			package(job, 0).reveal(w, &l);
		}
		assert!(Packages::<Test>::get(job, 0).complete);
		// Accepted, paid in workload, but the deposit stays held: each still holds package 1.
		for w in [1u64, 2, 3] {
			assert_eq!(held_deposit(w), 2 * 2_250, "labeler {w}");
			assert_eq!(idle(job, w), 2_250);
			assert_eq!(Workload::<Test>::get(job, w).map(|x| (x.open, x.accepted)), Some((1, 2)));
		}
		// The last open package judged: everything comes back in one release.
		for w in [1u64, 2, 3] {
			package(job, 1).reveal(w, &l);
		}
		for w in [1u64, 2, 3] {
			assert_eq!(held_deposit(w), 0, "labeler {w}");
			assert_eq!(Balances::balance(&w), 100_000, "labeler {w} has every deposit back");
			assert_eq!(idle(job, w), 0);
		}
	});
}

#[test]
fn the_next_take_in_the_job_uses_the_idle_stake_first_and_is_refunded_the_hold() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let l = labels(&[good(), near()]);
		let job = two_packages_each(d, &l);
		for w in [1u64, 2, 3] {
			package(job, 0).reveal(w, &l);
		}
		assert_eq!(idle(job, 1), 2_250);
		// Package 2 costs the same deposit: paid from the idle stake, nothing new held.
		OpenPackages::<Test>::insert(job, bv::<PackageIndex, _>(&[2]));
		let info = Jobs::take_package(RuntimeOrigin::signed(1), job).expect("takes package 2");
		OpenPackages::<Test>::insert(job, bv::<PackageIndex, _>(&[2, 3]));
		assert_eq!(held_deposit(1), 2 * 2_250);
		assert_eq!(idle(job, 1), 0);
		assert_eq!(Workload::<Test>::get(job, 1).map(|x| x.open), Some(2));
		// Refunded: one probe; the job record (not new), the open list (package 2 keeps free
		// slots), the hold and the account not written.
		let db = <Test as frame_system::Config>::DbWeight::get();
		assert_eq!(
			info.actual_weight,
			Some(
				<Test as crate::Config>::WeightInfo::take_packages(1)
					.saturating_add(db.reads(2))
					.saturating_sub(db.writes(4))
			)
		);
		// An idle stake belongs to its job: a take in another job holds a fresh deposit.
		let other = JobBuilder::new(d).create();
		take(other, 2);
		assert_eq!(held_deposit(2), 2 * 2_250 + 2_250);
		assert_eq!(idle(job, 2), 2_250);
	});
}

#[test]
fn a_slash_of_the_last_open_package_releases_the_idle_stake_and_takes_only_its_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let l = labels(&[good(), near()]);
		let job = JobBuilder::new(d).items(8).create();
		for w in [1u64, 2, 3] {
			package(job, 0).take_commit(w, &l);
		}
		let b = labels(&[bad(), bad()]);
		for (w, x) in [(1u64, &l), (2, &l), (3, &b)] {
			package(job, 1).take_commit(w, x);
		}
		for w in [1u64, 2, 3] {
			package(job, 0).reveal(w, &l);
		}
		assert_eq!(idle(job, 3), 2_250);
		for (w, x) in [(1u64, &l), (2, &l), (3, &b)] {
			package(job, 1).reveal(w, x);
		}
		// Labeler 3 loses the deposit of package 1 only; the idle one (package 0) comes back.
		assert_eq!(held_deposit(3), 0);
		assert_eq!(Balances::balance(&3), 100_000 - 2_250);
		assert_eq!(idle(job, 3), 0);
		// The others' deposits of package 1 are at stake for the appeal window; package 0's
		// came back.
		for w in [1u64, 2] {
			assert_eq!(held_deposit(w), 0, "labeler {w}");
			assert_eq!(
				Balances::balance_on_hold(&HoldReason::AppealStake.into(), &w),
				2_250,
				"labeler {w}"
			);
		}
	});
}

#[test]
fn a_judgement_that_keeps_deposits_is_refunded_their_releases() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let l = labels(&[good(), near()]);
		let job = two_packages_each(d, &l);
		let last_reveal = |p: PackageIndex| {
			for w in [1u64, 2] {
				package(job, p).reveal(w, &l);
			}
			Jobs::reveal_labels(RuntimeOrigin::signed(3), job, p, l.clone(), SALT, witness(job))
				.expect("judges")
				.actual_weight
				.expect("refunded")
		};
		// Package 0: three deposits kept (idle); package 1: three released.
		let kept = last_reveal(0);
		let released = last_reveal(1);
		let db = <Test as frame_system::Config>::DbWeight::get();
		assert_eq!(released.saturating_sub(kept), db.writes(6));
	});
}

/// A cheater commits in the other package of an honest labeler and never reveals, hoping to keep
/// the honest labeler's accepted deposit (idle while it holds the other package) locked until a
/// replacement comes or the job ends. The honest labeler releases its idle stake when it likes;
/// only the deposit of the package still open stays held, as without idle stakes.
#[test]
fn attack_a_cheater_keeps_an_idle_stake_locked() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3, 4]);
		let l = labels(&[good(), near()]);
		let job = JobBuilder::new(d).items(8).create();
		for w in [1u64, 2, 3] {
			package(job, 0).take_commit(w, &l);
		}
		for w in [1u64, 2, 4] {
			package(job, 1).take_commit(w, &l);
		}
		for w in [1u64, 2, 3] {
			package(job, 0).reveal(w, &l);
		}
		// 4 (the cheater) never reveals package 1: 1's package-0 deposit is idle.
		for w in [1u64, 2] {
			package(job, 1).reveal(w, &l);
		}
		assert_eq!(idle(job, 1), 2_250);
		assert_eq!(held_deposit(1), 2 * 2_250);
		assert_noop!(
			Jobs::release_idle_stake(RuntimeOrigin::signed(3), job),
			Error::<Test>::NoIdleStake
		);
		assert_noop!(
			Jobs::release_idle_stake(RuntimeOrigin::signed(4), job),
			Error::<Test>::NoIdleStake
		);
		assert_ok!(Jobs::release_idle_stake(RuntimeOrigin::signed(1), job));
		System::assert_last_event(
			Event::IdleStakeReleased { job, labeler: 1, amount: 2_250 }.into(),
		);
		assert_eq!(held_deposit(1), 2_250, "only the open package's deposit stays held");
		assert_eq!(idle(job, 1), 0);
		assert_noop!(
			Jobs::release_idle_stake(RuntimeOrigin::signed(1), job),
			Error::<Test>::NoIdleStake
		);
		// The cheater is expired after the window; the package waits for a replacement, whose
		// reveal judges it: 1's last deposit comes back then.
		run_to(System::block_number() + 11);
		assert_ok!(Jobs::expire_assignment(RuntimeOrigin::signed(1), job, 1, 4));
		assert_eq!(held_deposit(4), 0);
		package(job, 1).labeled_by(&[(3, &l)]);
		assert!(Packages::<Test>::get(job, 1).complete);
		assert_eq!(held_deposit(1), 0);
		assert_eq!(Balances::balance(&1), 100_000);
	});
}
