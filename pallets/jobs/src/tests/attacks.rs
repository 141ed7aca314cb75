//! Attacks on the labeling mechanism, one test per attack, named after it. Each test performs
//! the attack and asserts the defence; the doc comment says what the old code allowed.
//! `try_state` runs after every test (see `mock::ExtBuilder::build_and_execute`).

use super::*;
use crate::{
	pallet::{Assignments, Config, SlashRecords},
	types::AssignmentState,
};

/// Labelers 1, 2 and 3 take `pkg` and commit to `l`; 1 and 2 reveal, 3 does not (yet), so
/// the package is not judged.
fn committed_by_three_revealed_by_two(pkg: Package, l: &PackageLabelsOf<Test>) {
	for w in [1u64, 2, 3] {
		pkg.take_commit(w, l);
	}
	pkg.reveal(1, l);
	pkg.reveal(2, l);
}

/// Labeler 2 copies labeler 1's commitment from `Assignments`, waits for 1's reveal and
/// reveals 1's labels and salt. Old code: the commitment was `blake2(SCALE(labels) ++ salt)`,
/// so the copy opened and 2 was paid for 1's work. Now the commitment binds the labeler, job and
/// package: the copy is refused outright, and an old-format commitment cannot be opened.
#[test]
fn attack_copy_commitment_of_co_labeler() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let job = JobBuilder::new(d).items(2).create();
		let l = labels(&[good(), near()]);
		package(job, 0).take_commit(1, &l);
		package(job, 0).take(2);
		let Some(AssignmentState::Committed(c1)) =
			Assignments::<Test>::get((job, 0, 1u64)).map(|a| a.state)
		else {
			panic!("1 committed")
		};
		assert_noop!(
			Jobs::commit_labels(RuntimeOrigin::signed(2), job, 0, c1),
			Error::<Test>::DuplicateCommitment
		);
		// The unbound format of the old code cannot be opened either.
		let old = crowdlabel_labels::commitment_of(&l, &SALT);
		assert_ok!(Jobs::commit_labels(RuntimeOrigin::signed(2), job, 0, old));
		package(job, 0).take_commit(3, &l);
		package(job, 0).reveal(1, &l);
		assert_noop!(
			Jobs::reveal_labels(RuntimeOrigin::signed(2), job, 0, l.clone(), SALT, witness(job)),
			Error::<Test>::CommitmentMismatch
		);
		// 1's commitment with 1's labels opens only for 1 (it did); 2 cannot open anything.
		assert_ne!(label_commitment(&2u64, job, 0, &l, &SALT), c1);
	});
}

/// The requester cancels the job after two of three reveals and hopes to keep the revealed
/// labels with the budget refunded. Old code: `cancel_job` at any time, then
/// `expire_assignment` released every assignment and `settle_job` refunded everything. Now the
/// last reveal still judges the package (inside the reveal), the labelers are accepted and the
/// settlement pays them; revealed labels are never released unjudged.
#[test]
fn attack_cancel_after_reveals_to_keep_labels_unpaid() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let job = JobBuilder::new(d).items(2).create();
		let l = labels(&[good(), near()]);
		committed_by_three_revealed_by_two(package(job, 0), &l);
		assert_ok!(Jobs::cancel_job(RuntimeOrigin::signed(REQUESTER), job));
		// Revealed labels cannot be released while the package is still being revealed.
		assert_noop!(
			Jobs::expire_assignment(RuntimeOrigin::signed(REQUESTER), job, 0, 1),
			Error::<Test>::NotExpired
		);
		package(job, 0).reveal(3, &l);
		assert!(Packages::<Test>::get(job, 0).complete, "judged inside the last reveal");
		assert_ok!(Jobs::settle_job(RuntimeOrigin::signed(REQUESTER), job));
		// All 2 x 3 labelings of the job were accepted: the labelers get the whole pay.
		System::assert_has_event(
			Event::JobSettled { job, paid: 4_500, reserve: 500, refunded: 0 }.into(),
		);
		assert_eq!(claim(1) + claim(2) + claim(3), 4_500);
	});
}

/// After the deadline, anyone expires the revealed labelers of a package whose last labeler
/// has not revealed yet, hoping to get them released unjudged. Old code: released. Now a
/// committer past the reveal window is slashed (missed reveal, counted as a failure) and the
/// revealed labels wait for judgement; at the job's end they are judged and paid.
#[test]
fn attack_expire_revealed_labels_after_deadline() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let job = JobBuilder::new(d).items(2).create();
		let l = labels(&[good(), near()]);
		committed_by_three_revealed_by_two(package(job, 0), &l);
		let w3 = weight(3, d);
		run_to(102);
		assert_noop!(
			Jobs::expire_assignment(RuntimeOrigin::signed(9), job, 0, 1),
			Error::<Test>::NotExpired
		);
		assert_ok!(Jobs::expire_assignment(RuntimeOrigin::signed(9), job, 0, 3));
		assert!(events().iter().any(|e| matches!(
			e,
			Event::DepositSlashed { labeler: 3, reason: SlashReason::MissedReveal, .. }
		)));
		assert!(weight(3, d) < w3, "a missed reveal counts as a failure");
		// Two revealed labels remain and no replacement can come: judged (too few to slash),
		// accepted and paid.
		assert_ok!(Jobs::expire_assignment(RuntimeOrigin::signed(9), job, 0, 1));
		assert_eq!(Packages::<Test>::get(job, 0).accepted, 2);
		assert_ok!(Jobs::settle_job(RuntimeOrigin::signed(9), job));
		assert_eq!(claim(1) + claim(2), 3_000);
	});
}

/// A spammer creates jobs with the most items to make every node store them forever for a
/// fraction of a CROL in fees. Old code: no storage deposit, `Jobs`/`JobItems` never deleted.
/// Now every job holds `StorageDepositPerByte x worst-case bytes`, returned only when the data
/// is pruned after the retention period; and each labeling must be worth the existential
/// deposit.
#[test]
fn attack_fill_storage_with_jobs_for_free() {
	ExtBuilder::default().build_and_execute(|| {
		StorageDepositPerByte::set(3);
		let d = domain_with_qualified(BOX, &[]);
		let largest = || JobBuilder::new(d).items(40).package_size(1);
		let free = Balances::balance(&REQUESTER);
		let job = largest().budget(500_000).create();
		let bytes = Jobs::storage_bytes(40, 40, 3);
		assert!(bytes > 40 * 32, "{bytes}");
		let deposit = 3 * bytes;
		assert_eq!(JobDetails::<Test>::get(job).unwrap().storage_deposit, deposit);
		assert_eq!(free - Balances::balance(&REQUESTER), 500_000 + deposit);
		assert_eq!(Balances::balance_on_hold(&HoldReason::JobStorage.into(), &REQUESTER), deposit);
		// A budget giving a labeling less than the existential deposit is refused.
		assert_noop!(
			Jobs::create_job(RuntimeOrigin::signed(REQUESTER), largest().budget(100).spec()),
			Error::<Test>::BudgetTooSmall
		);
		StorageDepositPerByte::set(1);
	});
}

/// R colluding accounts want to fill one package in one block and own its consensus. Old code:
/// `take_package(job, index)` let them pick it. Now the pallet draws the package; over many
/// jobs of 8 packages, three colluders rarely land together (1/64 by chance).
#[test]
fn attack_colluders_pick_the_same_package() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let mut together = 0;
		for round in 0..20u64 {
			run_to(2 + round);
			let job = JobBuilder::new(d).items(16).create();
			let p: Vec<PackageIndex> = [1u64, 2, 3].iter().map(|w| take(job, *w)).collect();
			if p[0] == p[1] && p[1] == p[2] {
				together += 1;
			}
		}
		assert!(together <= 3, "colluders landed together {together} times out of 20");
	});
}

/// Colluders batch their takes (`take_packages`) hoping that runs of consecutive packages from
/// one draw land them together more often than single draws. Two runs of n in a job of P
/// packages share n² / P packages on average, as n single draws each would; all three colluders
/// sit in one package n³ / P² times per job.
#[test]
fn attack_colluders_gather_with_batched_takes() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let (n, packages, rounds) = (4u32, 20u32, 40u64);
		let (mut pairs, mut triples) = (0u32, 0u32);
		for round in 0..rounds {
			run_to(2 + round);
			let job = JobBuilder::new(d).items(2 * packages).budget(4_000).create();
			for w in [1u64, 2, 3] {
				assert_ok!(Jobs::take_packages(RuntimeOrigin::signed(w), job, n));
			}
			for p in 0..packages {
				let held = [1u64, 2, 3]
					.iter()
					.filter(|w| crate::pallet::Assignments::<Test>::contains_key((job, p, **w)))
					.count();
				pairs += u32::from(held >= 2);
				triples += u32::from(held == 3);
			}
		}
		// Expected: at least two of three in 3 x 16 / 20 - 2 x 64 / 400 = 2.08 packages per job,
		// all three in 0.16. Allow twice that (the draws are few).
		let per_job = |x: u32| f64::from(x) / rounds as f64;
		println!(
			"packages shared per job: two colluders {:.3}, three {:.3}",
			per_job(pairs),
			per_job(triples)
		);
		assert!(
			per_job(pairs) <= 2.0 * 2.08,
			"two colluders shared {} packages per job",
			per_job(pairs)
		);
		assert!(
			per_job(triples) <= 2.0 * 0.16,
			"three colluders shared {} packages per job",
			per_job(triples)
		);
		assert!(pairs > 0, "the runs do overlap sometimes: the check measures something");
	});
}

/// A colluder takes a slot in every package of a job, so that with R - 1 accomplices doing the
/// same the group sits in every package. Random assignment alone does not stop this; an
/// account may hold at most `MaxOpenPerLabeler` (4) unjudged packages of a job.
#[test]
fn attack_colluder_takes_a_slot_in_every_package() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1]);
		let job = JobBuilder::new(d).items(16).create();
		for _ in 0..4 {
			take(job, 1);
		}
		assert_noop!(
			Jobs::take_package(RuntimeOrigin::signed(1), job),
			Error::<Test>::TooManyOpenPackages
		);
		assert_eq!(Workload::<Test>::get(job, 1).unwrap().open, 4);
	});
}

/// Sybil accounts take packages until `MaxLabelersPerJob` is reached and never commit, locking
/// honest labelers out. Old code: `job.labelers` grew at the first take and never shrank. Now
/// each sybil is slashed after the commit window and its slot in the labeler count is freed.
#[test]
fn attack_sybil_takes_exhaust_job_labeler_slots() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3, 4, 5, 6, 7, 8, 9]);
		let job = JobBuilder::new(d).items(16).create();
		for w in 1..=8u64 {
			take(job, w);
		}
		assert_noop!(
			Jobs::take_package(RuntimeOrigin::signed(9), job),
			Error::<Test>::TooManyLabelers
		);
		run_to(12);
		for w in 1..=8u64 {
			let p = taken_package(w);
			assert_ok!(Jobs::expire_assignment(RuntimeOrigin::signed(9), job, p, w));
		}
		assert_eq!(JobDetails::<Test>::get(job).unwrap().labelers, 0);
		take(job, 9);
	});
}

/// A taker who never commits waits for the job's deadline and expires themself to get the
/// deposit back. Old code: after the deadline every unjudged assignment was released. Now the
/// commit window always ends before the deadline and a missed commit always forfeits.
#[test]
fn attack_take_without_committing_then_self_expire() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let job = JobBuilder::new(d).items(2).create();
		take(job, 1);
		run_to(101);
		let treasury = Balances::balance(&TREASURY);
		assert_ok!(Jobs::expire_assignment(RuntimeOrigin::signed(1), job, 0, 1));
		assert_eq!(Balances::balance(&TREASURY) - treasury, 2_250);
		assert!(events().iter().any(|e| matches!(
			e,
			Event::DepositSlashed { labeler: 1, reason: SlashReason::MissedCommit, .. }
		)));
	});
}

/// A take near the deadline gets windows that end after it, so the labeler cannot be judged
/// before settlement; durations had no maximum. Now such takes are refused and durations and
/// windows are capped.
#[test]
fn attack_take_with_windows_past_the_deadline() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let job = JobBuilder::new(d).items(2).create();
		run_to(1 + 100 - 19);
		assert_noop!(
			Jobs::take_package(RuntimeOrigin::signed(1), job),
			Error::<Test>::TooLateToTake
		);
		run_to(1 + 100 - 20);
		take(job, 1);
		assert_noop!(
			Jobs::create_job(
				RuntimeOrigin::signed(REQUESTER),
				JobBuilder::new(d)
					.items(1)
					.package_size(1)
					.budget(10_000)
					.duration(u64::MAX)
					.spec()
			),
			Error::<Test>::WindowTooLong
		);
	});
}

/// Expiring one non-revealer used to clear the package's running reveal deadline, so the other
/// committers could no longer reveal and were slashed in turn. Now every committer keeps the
/// reveal window it was given; the revealed labels wait for a replacement and are judged with
/// it.
#[test]
fn attack_expire_non_revealer_to_reset_the_reveal_window() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3, 4, 5]);
		let job = JobBuilder::new(d).items(2).create();
		let l = labels(&[good(), near()]);
		committed_by_three_revealed_by_two(package(job, 0), &l);
		run_to(12);
		assert_ok!(Jobs::expire_assignment(RuntimeOrigin::signed(9), job, 0, 3));
		// 1 and 2 stay revealed, deposits held, until two... one replacement completes the
		// package; the replacement gets a fresh window of its own.
		package(job, 0).take_commit(4, &l);
		package(job, 0).reveal(4, &l);
		assert!(Packages::<Test>::get(job, 0).complete);
		assert_eq!((held_deposit(1), held_deposit(2), held_deposit(4)), (0, 0, 0));
	});
}

/// Two committers of a package miss their reveals. With the reveal deadline kept in the package
/// (one write to open the reveals), expiring the first and offering the package again at once
/// would let a replacement's commit open a fresh window for the second straggler too: a second
/// chance to reveal, after the others' labels are public. Now the package waits until every
/// straggler of the window is expired and is offered again only then, with no window running.
#[test]
fn attack_straggler_gets_a_new_reveal_window_through_a_replacement() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3, 4, 5]);
		let job = JobBuilder::new(d).items(2).create();
		let l = labels(&[good(), near()]);
		for w in [1u64, 2, 3] {
			package(job, 0).take_commit(w, &l);
		}
		package(job, 0).reveal(1, &l);
		let window = Packages::<Test>::get(job, 0).reveal_by.expect("reveals open");
		run_to(window + 1);
		assert_ok!(Jobs::expire_assignment(RuntimeOrigin::signed(9), job, 0, 3));
		// 2's window is over and stays so; the package is not offered while 2 is pending.
		assert_eq!(Packages::<Test>::get(job, 0).reveal_by, Some(window));
		assert!(!OpenPackages::<Test>::get(job).contains(&0));
		assert_noop!(
			Jobs::reveal_labels(RuntimeOrigin::signed(2), job, 0, l.clone(), SALT, witness(job)),
			Error::<Test>::RevealWindowClosed
		);
		assert_ok!(Jobs::expire_assignment(RuntimeOrigin::signed(9), job, 0, 2));
		assert!(OpenPackages::<Test>::get(job).contains(&0));
		assert_eq!(Packages::<Test>::get(job, 0).reveal_by, None);
		package(job, 0).take_commit(4, &l);
		package(job, 0).take_commit(5, &l);
		let fresh = Packages::<Test>::get(job, 0).reveal_by.expect("the replacements' window");
		assert!(fresh > window);
		package(job, 0).reveal(4, &l);
		package(job, 0).reveal(5, &l);
		let pkg = Packages::<Test>::get(job, 0);
		assert!(pkg.complete);
		assert_eq!(pkg.reveal_by, None);
		assert_eq!((held_deposit(2), held_deposit(3)), (0, 0));
	});
}

/// A labeler reaps their account (reward below the existential deposit) so that
/// `settle_job`'s exact transfer fails and nobody is paid. Old code: rewards were transferred
/// in the settlement. Now they are credited and claimed one by one: the settlement always
/// succeeds; only the reaped account must top up before claiming.
#[test]
fn attack_reaped_labeler_blocks_settlement() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let job = JobBuilder::new(d).items(2).create();
		complete_all(job, &[1, 2, 3]);
		// Existential deposit raised above a labeler's reward (1_500): an exact transfer of the
		// reward to an empty account would fail. (Treasury and pallet account are funded above
		// it.)
		ExistentialDeposit::set(2_000);
		for to in [TREASURY, Jobs::account_id()] {
			assert_ok!(Balances::transfer_allow_death(RuntimeOrigin::signed(9), to, 10_000));
		}
		// 3 leaves the chain: unregisters and sends everything away.
		assert_ok!(FakeLabelers::unregister(3));
		let all = Balances::balance(&3);
		assert_ok!(Balances::transfer_allow_death(RuntimeOrigin::signed(3), 50, all));
		assert!(!frame_system::Account::<Test>::contains_key(3));
		assert_ok!(Jobs::settle_job(RuntimeOrigin::signed(9), job));
		assert_eq!(claim(1), 1_500);
		assert_eq!(claim(2), 1_500);
		assert_noop!(
			Jobs::claim_rewards(RuntimeOrigin::signed(3)),
			Error::<Test>::BelowExistentialDeposit
		);
		// Once funded, 3 claims too.
		assert_ok!(Balances::transfer_allow_death(RuntimeOrigin::signed(9), 3, 5_000));
		assert_eq!(claim(3), 1_500);
		ExistentialDeposit::set(1);
	});
}

/// A cheater in a package fails; the honest co-labelers used to stay `Revealed` with their
/// deposits held (and no event) until a replacement revealed. Now they are accepted and
/// released at once, with `PackageAccepted` events.
#[test]
fn attack_cheater_holds_honest_deposits_hostage() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let job = JobBuilder::new(d).items(2).create();
		let h = labels(&[good(), near()]);
		let b = labels(&[bad(), bad()]);
		package(job, 0).labeled_by(&[(1, &h), (2, &h), (3, &b)]);
		assert_eq!((held_deposit(1), held_deposit(2)), (0, 0));
		for w in [1u64, 2] {
			assert!(events()
				.iter()
				.any(|e| matches!(e, Event::PackageAccepted { labeler, .. } if *labeler == w)));
		}
		assert_eq!(Workload::<Test>::get(job, 1).unwrap().accepted, 2);
	});
}

/// The curator (or a requester who knows the answers) lists one challenge item 50 times to add
/// 50 penalties at once. Now duplicate indices are refused.
#[test]
fn attack_duplicate_challenge_indices() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let answers: ChallengesOf<Test> = bv(&[(0u32, bad()), (0u32, bad()), (0u32, bad())]);
		let job = JobBuilder::new(d).items(2).challenges(&answers).create();
		complete_all(job, &[1, 2, 3]);
		assert_noop!(
			Jobs::reveal_challenges(RuntimeOrigin::root(), job, answers, SALT),
			Error::<Test>::DuplicateChallenge
		);
	});
}

/// With R = 2 a 4-point star disagreement slashed both sides, and R = 1 disabled quality
/// control. Now R must be at least `MinRedundancy` (3).
#[test]
fn attack_small_redundancy_slashes_both_sides() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(LabelKind::STARS, &[1, 2]);
		for r in [1u32, 2] {
			assert_noop!(
				Jobs::create_job(
					RuntimeOrigin::signed(REQUESTER),
					JobBuilder::new(d).items(1).redundancy(r).package_size(1).budget(10_000).spec()
				),
				Error::<Test>::BadRedundancy
			);
		}
	});
}

/// Three labels that tie: the consensus went to the lowest account id, which an attacker can
/// grind for. Now the order is `blake2(seed ++ account)` with a seed drawn when the reveals
/// open, so the same accounts win and lose ties across packages.
#[test]
fn attack_grind_account_id_to_win_ties() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let mut winners = Vec::new();
		for round in 0..8u64 {
			run_to(2 + round * 3);
			// Newcomers' models, so the three labels tie exactly.
			for w in [1u64, 2, 3] {
				FakeLabelers::forget(w, d);
			}
			let job = JobBuilder::new(d).items(1).create();
			// Disjoint boxes: every label agrees only with itself; exactly one wins.
			let l: Vec<PackageLabelsOf<Test>> =
				(0..3).map(|k| labels(&[boxes(&[(k * 200, 0, k * 200 + 100, 100)])])).collect();
			package(job, 0).labeled_by(&[(1, &l[0]), (2, &l[1]), (3, &l[2])]);
			let winner = [1u64, 2, 3]
				.into_iter()
				.find(|w| Assignments::<Test>::contains_key((job, 0, *w)))
				.expect("one label won");
			winners.push(winner);
		}
		assert!(winners.iter().any(|w| *w != 1), "ties always went to account 1: {winners:?}");
	});
}

/// A requester's job is filled with labels of the most boxes, so its consensus results take the
/// most room; the runtime fuzzer found (seed 5016) that the storage deposit, computed without
/// the package records and with too short keys, paid for fewer bytes than the job then stored.
/// Now every stored entry and key is counted: the measured bytes stay within the deposit.
#[test]
fn attack_job_stores_more_than_its_deposit_pays_for() {
	use codec::Encode;
	use frame_support::storage::generator::StorageMap as _;
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let job = JobBuilder::new(d).items(2).create();
		let full: Vec<(u32, u32, u32, u32)> =
			(0..8).map(|i| (i * 10, i * 7, i * 10 + 50, i * 7 + 40)).collect();
		let l = labels(&[boxes(&full), boxes(&full)]);
		package(job, 0).labeled_by(&[(1, &l), (2, &l), (3, &l)]);
		let mut bytes = 0usize;
		let j = JobDetails::<Test>::get(job).unwrap();
		bytes += JobDetails::<Test>::hashed_key_for(job).len() + j.encoded_size();
		let items = crate::pallet::JobItems::<Test>::get(job);
		bytes += crate::pallet::JobItems::<Test>::storage_map_final_key(job).len()
			+ items.encoded_size();
		bytes += OpenPackages::<Test>::storage_map_final_key(job).len()
			+ OpenPackages::<Test>::get(job).encoded_size();
		for (p, r) in Results::<Test>::iter_prefix(job) {
			bytes += Results::<Test>::hashed_key_for(job, p).len() + r.encoded_size();
		}
		for p in 0..j.packages {
			bytes += Packages::<Test>::hashed_key_for(job, p).len()
				+ Packages::<Test>::get(job, p).encoded_size();
			let c = crate::pallet::Contributions::<Test>::get(job, p);
			bytes += crate::pallet::Contributions::<Test>::hashed_key_for(job, p).len()
				+ c.encoded_size();
		}
		let paid = Jobs::storage_bytes(j.items, j.packages, j.redundancy) as usize;
		assert!(bytes <= paid, "stored {bytes} bytes, paid for {paid}");
		assert_eq!(j.storage_deposit, paid as u64);
	});
}

/// A labeler pays for the work each call did, no less and no more. Old code: a commit was
/// charged as if it opened the reveals (R assignments written) whether it did or not, and
/// before that it was never refunded at all; a labeler who sent the last commit paid no more
/// than the others for rewriting every taker's assignment. Now the commits that only wait pay
/// the waiting commit's benchmark, the one that opens the reveals pays for the writes it makes;
/// a take pays the open-list entries it probed; a reveal pays its own boxes, and the judgement of
/// its label family when it completes the package.
#[test]
fn refunds_charge_the_work_each_call_did() {
	use crate::weights::WeightInfo as _;
	type W = ();
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		// One package of two items: every take probes the single open entry.
		let job = JobBuilder::new(d).items(2).create();
		let db: frame_support::weights::RuntimeDbWeight =
			<Test as frame_system::Config>::DbWeight::get();
		let l = labels(&[good(), near()]);
		// Each take probes one entry (two reads: its assignment and a slash record). Every
		// taker is new to the job (the job record is written); the first two leave a free slot
		// (the open list is not written: one write refunded), the third fills the package.
		for w in [1u64, 2, 3] {
			let info = Jobs::take_package(RuntimeOrigin::signed(w), job).expect("free slot");
			let unwritten = if w == 3 { 0 } else { 1 };
			assert_eq!(
				info.actual_weight,
				Some(
					W::take_packages(1)
						.saturating_add(db.reads(2))
						.saturating_sub(db.writes(unwritten))
				)
			);
		}
		// A labeler already in the job taking a package that keeps a free slot skips both
		// writes.
		let second = JobBuilder::new(d).items(4).package_size(1).create();
		assert_ok!(Jobs::take_package(RuntimeOrigin::signed(1), second));
		let info = Jobs::take_package(RuntimeOrigin::signed(1), second).expect("free slot");
		// One or two probes (the draw may land on the package 1 already holds first).
		let with = |probes: u64| {
			Some(
				W::take_packages(1)
					.saturating_add(db.reads(2 * probes))
					.saturating_sub(db.writes(2)),
			)
		};
		assert!(info.actual_weight == with(1) || info.actual_weight == with(2));
		let commit = |w: u64| {
			let c = label_commitment(&w, job, 0, &l, &SALT);
			Jobs::commit_labels(RuntimeOrigin::signed(w), job, 0, c).expect("in window")
		};
		// The first two commits wait for the third.
		for w in [1u64, 2] {
			assert_eq!(commit(w).actual_weight, Some(W::commit_labels_waiting(3)));
			assert!(Assignments::<Test>::get((job, 0, w)).is_some_and(|a| a.deadline.is_none()));
		}
		// The third opens the reveals (the package's deadline: no assignment is written) and
		// pays for opening them.
		assert_eq!(commit(3).actual_weight, Some(W::commit_labels(3)));
		assert!(W::commit_labels(3).ref_time() > W::commit_labels_waiting(3).ref_time());
		let pkg = Packages::<Test>::get(job, 0);
		assert!(pkg.reveal_by.is_some());
		for w in [1u64, 2, 3] {
			let a = Assignments::<Test>::get((job, 0, w)).expect("committed");
			assert_eq!((a.deadline, a.due(&pkg)), (None, pkg.reveal_by));
		}
		// Reveals: one box per label; the third judges the (box) package of 2 items, 3 labels.
		for w in [1u64, 2] {
			let info = Jobs::reveal_labels(
				RuntimeOrigin::signed(w),
				job,
				0,
				l.clone(),
				SALT,
				witness(job),
			)
			.expect("open");
			assert_eq!(info.actual_weight, Some(W::reveal_labels(2, 1)));
		}
		let info =
			Jobs::reveal_labels(RuntimeOrigin::signed(3), job, 0, l.clone(), SALT, witness(job))
				.expect("open");
		assert_eq!(
			info.actual_weight,
			Some(
				W::reveal_labels(2, 1)
					// nobody slashed: the agreed benchmark, not the slashing one
					.saturating_add(W::judge_agreed(3, 1))
					// 2 items x 3 pairs of labels, one box each: 6 matchings at 1/MaxBoxes² of
					// the worst case's price
					.saturating_add(crate::pallet::box_matching_weight::<Test>(2, 3, 1))
					.saturating_add(db.writes(1))
					// the three labelers' first accepted package: three newcomer bonuses counted
					// (the mock's pot is empty: counted, not paid)
					.saturating_add(W::reward_newcomer().saturating_mul(3))
			)
		);
		assert!(Packages::<Test>::get(job, 0).complete);

		// A judgement that slashes one labeler and accepts two: the slashing benchmark, the
		// bonus checks of the one labeler not counted as a newcomer (4 has no accepted package
		// yet, 1 and 2 are counted again), and every judged label contested (two stakes kept,
		// one slash recorded for an appeal).
		let d = domain_with_qualified(BOX, &[4, 5, 6]);
		let job = JobBuilder::new(d).items(2).create();
		for w in [4u64, 5] {
			take_commit(job, w, &l);
		}
		let spam = labels(&[bad(), bad()]);
		take_commit(job, 6, &spam);
		for w in [4u64, 5] {
			Jobs::reveal_labels(RuntimeOrigin::signed(w), job, 0, l.clone(), SALT, witness(job))
				.expect("open");
		}
		let info = Jobs::reveal_labels(RuntimeOrigin::signed(6), job, 0, spam, SALT, witness(job))
			.expect("open");
		let slashing = W::reveal_labels(2, 1)
			.saturating_add(W::judge(3, 1))
			.saturating_add(crate::pallet::box_matching_weight::<Test>(2, 3, 1))
			.saturating_add(db.writes(1))
			.saturating_add(W::reward_newcomer().saturating_mul(2))
			.saturating_add(db.reads(2))
			.saturating_add(W::contest_judgement().saturating_add(db.writes(1)).saturating_mul(3));
		assert_eq!(info.actual_weight, Some(slashing));
		assert!(!Packages::<Test>::get(job, 0).complete);
		assert!(SlashRecords::<Test>::contains_key((job, 0, 6)));
	});
}

/// The weights the judgements are charged: a judgement that slashes nobody costs less than one
/// that slashes, for every label family, and the weight charged up front for a family's reveal
/// covers every judgement it can trigger (slashes, bonuses, contested labels); a class or score
/// reveal is charged less up front than a box reveal.
#[test]
fn agreed_judgements_cost_less_than_slashing_ones_and_the_charge_covers_both() {
	use crate::{
		pallet::{judge_weight, judge_worst_case},
		types::{JudgeCost, JudgedKind},
		weights::WeightInfo,
	};
	use frame_support::traits::Get;
	type W = <Test as Config>::WeightInfo;
	let (n, r, b) = (20, 3, 32);
	for (agreed, slashing) in [
		(W::judge_classes_agreed(r), W::judge_classes(n, r)),
		(W::judge_scores_agreed(r), W::judge_scores(n, r)),
	] {
		assert!(agreed.ref_time() < slashing.ref_time(), "{agreed:?} vs {slashing:?}");
	}
	// Box judgements are dominated by the matchings, whose measurement varies by a few percent
	// between runs (spec 108's set: agreed 21.16 ms, slashing 20.74 ms of execution at 20 items,
	// R 3, 32 boxes; spec 109's: 11.67 and 11.64 ms): within 5 % of each other; the up-front
	// charge takes the larger (below).
	let (agreed, slashing) = (W::judge_agreed(r, b), W::judge(r, b));
	assert!(
		agreed.ref_time() < slashing.ref_time().saturating_mul(105) / 100,
		"{agreed:?} vs {slashing:?}"
	);
	let min_r = <Test as Config>::MinRedundancy::get();
	let max_r = <Test as Config>::MaxRedundancy::get();
	let max_b = <Test as Config>::MaxBoxes::get();
	let upfront = judge_worst_case::<Test>(n, None, max_r);
	for kind in [JudgedKind::Boxes, JudgedKind::Classes, JudgedKind::Scores] {
		// A reveal of this family is charged its family's worst case, below the worst of all.
		assert!(judge_worst_case::<Test>(n, Some(kind), max_r).all_lte(upfront));
		// ... at the redundancy its witness names (at least the job's R, checked at dispatch):
		// every judgement of at most R labels is covered, a smaller R is charged less, and a
		// witness above `MaxRedundancy` is charged as `MaxRedundancy`.
		for r in min_r..=max_r {
			let family = judge_worst_case::<Test>(n, Some(kind), r);
			if r > min_r {
				let below = judge_worst_case::<Test>(n, Some(kind), r - 1);
				assert!(below.ref_time() < family.ref_time(), "{kind:?} R {r}");
			}
			for labels in min_r..=r {
				for slashed in [0, 1, labels - 1] {
					for (bonuses, contested) in [(0, 0), (labels, 0), (0, labels), (labels, labels)]
					{
						// Idle stakes released beside slashes or kept stakes (one per label at
						// worst).
						for idle_released in [0, labels] {
							let cost = JudgeCost {
								kind,
								items: n,
								labels,
								boxes: max_b,
								bonuses,
								contested,
								slashed,
								kept: 0,
								idle_released,
							};
							let charged = judge_weight::<Test>(Some(cost));
							assert!(
								charged.all_lte(family),
								"{cost:?}: {charged:?} above {family:?}"
							);
						}
					}
				}
			}
		}
		assert_eq!(
			judge_worst_case::<Test>(n, Some(kind), u32::MAX),
			judge_worst_case::<Test>(n, Some(kind), max_r)
		);
	}
	let boxes = judge_worst_case::<Test>(n, Some(JudgedKind::Boxes), max_r);
	for kind in [JudgedKind::Classes, JudgedKind::Scores] {
		assert!(judge_worst_case::<Test>(n, Some(kind), max_r).ref_time() < boxes.ref_time());
	}
}

/// **Attack:** a labeler understates the job's redundancy in its reveal's witness, so the
/// reveal that judges the package is charged up front (and admitted into a block) as a judgement
/// of fewer labels than it makes — a block then holds more work than its weight limit.
///
/// **Defence:** the reveal fails with `RedundancyWitnessTooLow` before anything is written; with
/// the job's R (or more) it is charged for a judgement of R labels and refunded to what it did.
/// A class reveal is charged its own labels' cost, not `MaxBoxes` boxes per label.
#[test]
fn attack_a_reveal_understating_the_redundancy_is_refused() {
	use crate::weights::WeightInfo;
	use frame_support::dispatch::GetDispatchInfo;
	type W = <Test as Config>::WeightInfo;
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let job = JobBuilder::new(d).items(2).create();
		assert_eq!(witness(job), 3);
		let l = labels(&[good(), near()]);
		for w in [1u64, 2, 3] {
			package(job, 0).take_commit(w, &l);
		}
		package(job, 0).reveal(1, &l);
		package(job, 0).reveal(2, &l);
		// The last reveal judges: a witness of 2 would be charged a judgement of 2 labels.
		for low in [0, 2] {
			assert_noop!(
				Jobs::reveal_labels(RuntimeOrigin::signed(3), job, 0, l.clone(), SALT, low),
				Error::<Test>::RedundancyWitnessTooLow
			);
		}
		let charged = |r: u32| {
			crate::Call::<Test>::reveal_labels {
				job,
				package: 0,
				labels: l.clone(),
				salt: SALT,
				redundancy: r,
			}
			.get_dispatch_info()
			.call_weight
		};
		assert!(charged(2).ref_time() < charged(3).ref_time());
		assert!(charged(3).ref_time() < charged(5).ref_time());
		assert_eq!(charged(5), charged(u32::MAX));
		// With the job's R it judges, charged at most what it was charged up front.
		let info = Jobs::reveal_labels(RuntimeOrigin::signed(3), job, 0, l.clone(), SALT, 3)
			.expect("judges");
		let actual = info.actual_weight.expect("refunded");
		assert!(actual.all_lte(charged(3)), "{actual:?} above {:?}", charged(3));
		assert!(Packages::<Test>::get(job, 0).complete);
	});
	// A class reveal's own part is priced without boxes.
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(LabelKind::SingleClass { classes: 2 }, &[1, 2, 3]);
		let job = JobBuilder::new(d).items(2).create();
		let l = labels(&[Label::Class(1), Label::Class(0)]);
		let call = crate::Call::<Test>::reveal_labels {
			job,
			package: 0,
			labels: l,
			salt: SALT,
			redundancy: 3,
		};
		let own = W::reveal_labels(2, 0);
		let judgement =
			crate::pallet::judge_worst_case::<Test>(2, Some(crate::types::JudgedKind::Classes), 3);
		assert_eq!(call.get_dispatch_info().call_weight, own.saturating_add(judgement));
	});
}

/// **Attack:** a labeler takes packages and leaves the chain before they are judged: its
/// registration deposit comes back while its labels (or its missing labels) are still to be
/// judged, and the judgement's reputation update lands on an account that is gone.
///
/// **Defence:** the labelers pallet asks [`WorkInProgress`](crowdlabel_traits::WorkInProgress)
/// before a registration ends; the jobs pallet answers from the package-deposit hold it keeps
/// anyway, which is non-zero from the take until the judgement or the expiry. Nothing is written
/// to the registration when work starts or ends.
#[test]
fn attack_a_labeler_cannot_leave_between_a_take_and_its_judgement() {
	use crowdlabel_traits::WorkInProgress;
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3, 4]);
		let job = JobBuilder::new(d).items(4).create();
		let l = labels(&[good(), near()]);
		let working = |w: u64| <Jobs as WorkInProgress<u64>>::has_work(&w);
		// Taken, committed, revealed: every step keeps the labeler in.
		package(job, 0).take(1);
		assert!(working(1));
		assert_eq!(FakeLabelers::unregister(1), Err("pending work"));
		package(job, 0).commit(1, &l);
		package(job, 0).take_commit(2, &l);
		package(job, 0).take_commit(3, &l);
		package(job, 0).reveal(1, &l);
		assert_eq!(FakeLabelers::unregister(1), Err("pending work"));
		package(job, 0).reveal(2, &l);
		package(job, 0).reveal(3, &l);
		// Judged and accepted: free to go.
		assert!(Packages::<Test>::get(job, 0).complete);
		assert!(!working(1));
		assert_ok!(FakeLabelers::unregister(1));
		// Taken and left to expire: in until the expiry forfeits the deposit.
		package(job, 1).take(4);
		assert_eq!(FakeLabelers::unregister(4), Err("pending work"));
		run_to(12);
		assert_ok!(Jobs::expire_assignment(RuntimeOrigin::signed(9), job, 1, 4));
		assert!(!working(4));
		assert_ok!(FakeLabelers::unregister(4));
	});
}
