//! Attacks on the labelers pallet from issue 11, one test per attack. Each test's doc comment
//! says what the attacker does, what happened on the old code and what happens now. Every test
//! runs through the mock's `ExtBuilder::build_and_execute`, which checks `try_state` afterwards.
//! The domain, gold and registration helpers are the unit tests' (`super`).

use super::{box_domain, bv, gold_b, held, name, register, reveal_both, right_answers, BOX_KIND};
use crate::{
	mock::*,
	pallet::{Domains, GoldStock, HoldReason, Qualifications, Reputation},
	types::{DomainId, LabelKind, Qualification, QualificationBar, RevocationReason},
	Error, Event,
};
use crowdlabel_consensus::{
	at_weight_floor, label_set_matching_steps, voting_weight, BoundingBox, ErrorMetric, FixedU128,
	Perbill,
};
use crowdlabel_traits::LabelerRegistry;
use frame_support::{assert_noop, assert_ok, traits::fungible::Inspect};
use sp_runtime::{
	traits::{One, Zero},
	DispatchError,
};

type R = Labelers;

/// Registers `who` and qualifies them in domain 0 with perfect answers (x = 0, a = 1.2).
fn qualify(who: u64) {
	register(who, &[0]);
	assert_ok!(Labelers::request_qualification(RuntimeOrigin::signed(who), 0));
	let round = crate::pallet::NextRoundId::<Test>::get() - 1;
	assert_ok!(Labelers::submit_qualification(RuntimeOrigin::signed(who), round, right_answers()));
	assert_ok!(Labelers::reveal_gold(RuntimeOrigin::root(), round, reveal_both()));
	assert!(<R as LabelerRegistry<u64>>::is_qualified(&who, 0));
}

/// Free plus held balance.
fn total(who: u64) -> u64 {
	Balances::total_balance(&who)
}

/// Every `QualificationRevoked` event so far, as `(labeler, domain, reason)`.
fn revocations() -> Vec<(u64, DomainId, RevocationReason)> {
	events()
		.into_iter()
		.filter_map(|e| match e {
			Event::QualificationRevoked { labeler, domain, reason } => {
				Some((labeler, domain, reason))
			},
			_ => None,
		})
		.collect()
}

// ---- item 4: sybil qualification cycling ----

/// **Attack:** a sybil cycles the same funds through fresh accounts (fresh accounts skip the
/// cool-down): register, request a round, guess (here: answer "no boxes"), fail, unregister,
/// repeat with the next account, burning the curator's gold for free.
///
/// **Old code:** the round deposit came back on failure and the registration deposit on
/// `unregister`, so three failed rounds cost the attacker nothing (total 30 000 before and
/// after) while consuming 6 gold items.
///
/// **Now:** every round pays the round fee `GoldItemFee x K = 2 x 2 = 4` and a failed round
/// forfeits 50 % of the 50 deposit: each cycle costs 29, three cycles 87, all to the treasury.
#[test]
fn attack_sybil_qualification_cycling() {
	ExtBuilder::default().build_and_execute(|| {
		box_domain(3);
		let sybils = [1u64, 2, 3];
		let before: u64 = sybils.iter().map(|s| total(*s)).sum();
		assert_eq!(before, 30_000);
		let treasury = Balances::balance(&TREASURY);
		for (round, who) in sybils.iter().enumerate() {
			register(*who, &[0]);
			assert_ok!(Labelers::request_qualification(RuntimeOrigin::signed(*who), 0));
			let guess = vec![boxes(&[]), boxes(&[])];
			assert_ok!(Labelers::submit_qualification(
				RuntimeOrigin::signed(*who),
				round as u32,
				bv(&guess)
			));
			assert_ok!(Labelers::reveal_gold(RuntimeOrigin::root(), round as u32, reveal_both()));
			System::assert_has_event(
				Event::QualificationFailed {
					labeler: *who,
					domain: 0,
					round: round as u32,
					agreement: Perbill::zero(),
					score_error: None,
					retry_at: 11,
					forfeited: 25,
				}
				.into(),
			);
			assert_ok!(Labelers::unregister(RuntimeOrigin::signed(*who)));
			assert_eq!(held(*who, HoldReason::Registration), 0);
			assert_eq!(total(*who), 10_000 - 29);
		}
		let after: u64 = sybils.iter().map(|s| total(*s)).sum();
		assert_eq!(before - after, 3 * (2 * GOLD_ITEM_FEE + 25));
		assert_eq!(Balances::balance(&TREASURY), treasury + 87);
		assert!(GoldStock::<Test>::get(0).is_empty());
	});
}

/// **Attack:** the curator (or a careless one) creates a domain whose bar a guesser clears
/// often, then sybils brute-force it: 2 classes, K = 10, pass at 80 %.
///
/// **Old code:** accepted; a uniform guesser passes with `P(Bin(10, 1/2) >= 8) = 56/1024 =
/// 5.47 %`, one qualified sybil per ~18 rounds.
///
/// **Now:** `create_domain` / `update_domain` compute that probability exactly and refuse it
/// above the 1 % bound (`GuessableBar`); an accepted domain states it in its event (all 10 right:
/// `1/1024`, rounded up to 976 563 ppb). Stars: K = 2 with mean error <= 0.5 stars (12.5 % of
/// the range) is guessed with 20 % and refused as well.
#[test]
fn attack_brute_force_guessable_bar() {
	ExtBuilder::default().build_and_execute(|| {
		let two = LabelKind::SingleClass { classes: 2 };
		let mut p = box_params(10);
		p.bar = QualificationBar::MinMeanAgreement(Perbill::from_percent(80));
		assert_eq!(
			crate::functions::guess_pass_of(&two, &p.bar, 10),
			Ok(Some(Perbill::from_parts(54_687_500)))
		);
		assert_noop!(
			Labelers::create_domain(RuntimeOrigin::root(), name(), two, p),
			Error::<Test>::GuessableBar
		);
		// all ten right: 1/1024 < 1 %
		p.bar = QualificationBar::MinMeanAgreement(Perbill::one());
		assert_ok!(Labelers::create_domain(RuntimeOrigin::root(), name(), two, p));
		System::assert_has_event(
			Event::DomainCreated {
				domain: 0,
				kind: two,
				guess_pass: Some(Perbill::from_parts(976_563)),
			}
			.into(),
		);
		// lowering the bar later is refused too: K = 5, 80 % -> P(Bin(5, 1/2) >= 4) = 6/32
		let mut lower = p;
		lower.round_size = 5;
		lower.bar = QualificationBar::MinMeanAgreement(Perbill::from_percent(80));
		assert_eq!(
			crate::functions::guess_pass_of(&two, &lower.bar, 5),
			Ok(Some(Perbill::from_parts(187_500_000)))
		);
		assert_noop!(
			Labelers::update_domain(RuntimeOrigin::root(), 0, lower),
			Error::<Test>::GuessableBar
		);
		// 4 classes, K = 5, all right: (1/4)^5 = 1/1024 is fine
		let mut four = lower;
		four.bar = QualificationBar::MinMeanAgreement(Perbill::one());
		assert_noop!(
			Labelers::update_domain(RuntimeOrigin::root(), 0, four),
			Error::<Test>::GuessableBar
		); // (still 2 classes in domain 0: 1/32 = 3.1 %)
		assert_ok!(Labelers::create_domain(
			RuntimeOrigin::root(),
			name(),
			LabelKind::SingleClass { classes: 4 },
			four
		));
		System::assert_has_event(
			Event::DomainCreated {
				domain: 1,
				kind: LabelKind::SingleClass { classes: 4 },
				guess_pass: Some(Perbill::from_parts(976_563)),
			}
			.into(),
		);
		// stars: K = 2, mean error <= 0.5 -> 5/25 = 20 % by guessing
		let mut stars = star_params(2);
		stars.bar = QualificationBar::MaxMeanScoreError(Perbill::from_rational(1u32, 8));
		assert_noop!(
			Labelers::create_domain(RuntimeOrigin::root(), name(), LabelKind::STARS, stars),
			Error::<Test>::GuessableBar
		);
		// boxes cannot be modelled: no figure, never refused for guessing
		assert_ok!(Labelers::create_domain(
			RuntimeOrigin::root(),
			name(),
			LabelKind::BoundingBoxes { classes: 1 },
			box_params(1)
		));
		System::assert_has_event(
			Event::DomainCreated {
				domain: 2,
				kind: LabelKind::BoundingBoxes { classes: 1 },
				guess_pass: None,
			}
			.into(),
		);
	});
}

// ---- item 5: qualification is forever ----

/// **Attack:** a qualified labeler turns bad (or is found colluding); they keep working because
/// nothing ever removes `Qualified`.
///
/// **Old code:** no path removed a qualification.
///
/// **Now:** the curator calls `revoke_qualification`: standing `Failed { retry_at: now + 10 }`,
/// the domain's `qualified` counter drops from 1 to 0, event `QualificationRevoked` with reason
/// `Curator`; the labeler may only come back through a new (paid) round after the cool-down.
#[test]
fn attack_qualification_is_forever() {
	ExtBuilder::default().build_and_execute(|| {
		box_domain(2);
		qualify(1);
		assert_eq!(Domains::<Test>::get(0).unwrap().qualified, 1);
		run_to(5);
		assert_noop!(
			Labelers::revoke_qualification(RuntimeOrigin::signed(2), 1, 0),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Labelers::revoke_qualification(RuntimeOrigin::root(), 1, 7),
			Error::<Test>::UnknownDomain
		);
		assert_noop!(
			Labelers::revoke_qualification(RuntimeOrigin::root(), 2, 0),
			Error::<Test>::NotQualified
		);
		assert_ok!(Labelers::revoke_qualification(RuntimeOrigin::root(), 1, 0));
		assert_eq!(revocations(), vec![(1, 0, RevocationReason::Curator)]);
		assert_eq!(Qualifications::<Test>::get(1, 0), Some(Qualification::Failed { retry_at: 15 }));
		assert_eq!(Domains::<Test>::get(0).unwrap().qualified, 0);
		assert!(!<R as LabelerRegistry<u64>>::is_qualified(&1, 0));
		assert_noop!(
			Labelers::revoke_qualification(RuntimeOrigin::root(), 1, 0),
			Error::<Test>::NotQualified
		);
		// back only through a new round after the cool-down
		assert_noop!(
			Labelers::request_qualification(RuntimeOrigin::signed(1), 0),
			Error::<Test>::CoolingDown
		);
		run_to(15);
		assert_ok!(Labelers::request_qualification(RuntimeOrigin::signed(1), 0));
	});
}

/// **Attack:** a qualified labeler stops doing real work: their labels disagree with consensus
/// and they fail the hidden challenge items, but they stay qualified and keep taking packages
/// at the floor weight 0.8.
///
/// **Old code:** qualification was never revoked, whatever the record.
///
/// **Now:** after 8 labels with error 1.0 (x = 0.8, a = 0.8 + 0.4 e^-8 = 0.80013, at the floor)
/// the labeler survives two failures (below `RevokeAfterFailures = 3`); the third failure, here
/// a missed reveal, revokes the qualification with reason `ChallengeFailures`.
#[test]
fn attack_stay_qualified_despite_failed_challenges() {
	ExtBuilder::default().build_and_execute(|| {
		box_domain(1);
		qualify(1);
		for _ in 0..8 {
			<R as LabelerRegistry<u64>>::record_outcome(&1, 0, FixedU128::one());
		}
		let a = <R as LabelerRegistry<u64>>::weight_of(&1, 0);
		assert_eq!(
			Reputation::<Test>::get(1, 0).stats.error(ErrorMetric::Mean),
			Some(FixedU128::from_rational(8, 10))
		);
		assert!(at_weight_floor(a), "{a:?}");
		assert!(a.into_inner().abs_diff(800_134_185_051_161_005) < 1_000_000_000, "{a:?}");
		// two failures: still qualified (the floor alone is not enough)
		<R as LabelerRegistry<u64>>::record_challenge(&1, 0, false);
		<R as LabelerRegistry<u64>>::record_challenge(&1, 0, false);
		assert!(<R as LabelerRegistry<u64>>::is_qualified(&1, 0));
		assert!(revocations().is_empty());
		// third failure: a missed reveal
		<R as LabelerRegistry<u64>>::record_missed_reveal(&1, 0);
		assert_eq!(Reputation::<Test>::get(1, 0).stats.challenges_failed, 3);
		assert_eq!(revocations(), vec![(1, 0, RevocationReason::ChallengeFailures)]);
		assert!(!<R as LabelerRegistry<u64>>::is_qualified(&1, 0));
		assert_eq!(Qualifications::<Test>::get(1, 0), Some(Qualification::Failed { retry_at: 11 }));
		assert_eq!(Domains::<Test>::get(0).unwrap().qualified, 0);
		// further failures do not revoke twice
		<R as LabelerRegistry<u64>>::record_challenge(&1, 0, false);
		assert_eq!(revocations().len(), 1);
	});
}

/// **Attack:** a labeler skips the work on hidden challenge items (answers anything) but labels
/// well otherwise, hoping the challenges only nibble at the weight.
///
/// **Old code:** each wrong answer added 0.05 to x; the labeler stayed qualified forever.
///
/// **Now:** failing every challenge drives the failure-rate term to the floor: after 35 failures
/// in 35 `x = 665/1100 = 0.6045`, `a = 0.80415` (not yet the floor), the 36th gives
/// `x = 684/1120 = 0.6107`, `a = 0.80378 <= 0.804`: revoked. After 50, `a = 0.80127`.
#[test]
fn attack_fail_every_challenge() {
	ExtBuilder::default().build_and_execute(|| {
		box_domain(1);
		qualify(1);
		let mut revoked_at = None;
		for f in 1..=50u32 {
			<R as LabelerRegistry<u64>>::record_challenge(&1, 0, false);
			if revoked_at.is_none() && !<R as LabelerRegistry<u64>>::is_qualified(&1, 0) {
				revoked_at = Some(f);
			}
		}
		assert_eq!(revoked_at, Some(36));
		assert_eq!(revocations(), vec![(1, 0, RevocationReason::ChallengeFailures)]);
		let a = <R as LabelerRegistry<u64>>::weight_of(&1, 0);
		assert!(a.into_inner().abs_diff(801_265_825_845_153_756) < 1_000_000_000, "{a:?}");
	});
}

/// **Attack:** a labeler who fears a wrong challenge answer commits and then never reveals, so
/// the challenge is never graded against them.
///
/// **Old code:** the registry had no way to record it: the weight stayed untouched.
///
/// **Now:** `record_missed_reveal` records exactly what a wrong challenge answer records: the
/// two labelers (one answered wrongly, one withheld) end with the same record and the same
/// weight, `x = 19/420`, below the untouched 1.2.
#[test]
fn attack_withhold_reveal_to_protect_reputation() {
	ExtBuilder::default().build_and_execute(|| {
		box_domain(2);
		qualify(1);
		qualify(2);
		let before = <R as LabelerRegistry<u64>>::weight_of(&2, 0);
		assert_eq!(before, FixedU128::from_rational(12, 10));
		let wrong = <R as LabelerRegistry<u64>>::record_challenge(&1, 0, false);
		<R as LabelerRegistry<u64>>::record_missed_reveal(&2, 0);
		let withheld = <R as LabelerRegistry<u64>>::weight_of(&2, 0);
		assert_eq!(withheld, wrong);
		assert!(withheld < before);
		assert_eq!(Reputation::<Test>::get(2, 0), Reputation::<Test>::get(1, 0));
		assert_eq!(
			Reputation::<Test>::get(2, 0).stats.error(ErrorMetric::Mean),
			Some(FixedU128::from_rational(19, 420))
		);
	});
}

// ---- item 11: challenge penalty that never heals ----

/// **Attack:** identity switching. A veteran with a long honest record slips once; instead of
/// living with the penalty they register a fresh account, which starts clean.
///
/// **Old code:** every wrong answer added 0.05 to x forever: the veteran (50 perfect labels,
/// 49 of 50 challenges right) had `a = 0.8 + 0.4 e^(-0.03125) = 1.18769` while a fresh account
/// with one perfect label had 1.2, so switching paid.
///
/// **Now:** the challenge term is the failure rate's excess over a 5 % prior; one slip in 50 is
/// 0, so the veteran's weight is 1.2, equal to the fresh account's: a fresh identity never
/// starts above an established honest one. A slip right after qualification costs
/// `19/420` and heals with 19 more right answers.
#[test]
fn attack_identity_switching_after_one_slip() {
	ExtBuilder::default().build_and_execute(|| {
		box_domain(1);
		let s = FixedU128::from_rational(2, 10);
		register(1, &[0]);
		register(2, &[0]);
		for _ in 0..50 {
			<R as LabelerRegistry<u64>>::record_outcome(&1, 0, FixedU128::zero());
		}
		for i in 0..50 {
			<R as LabelerRegistry<u64>>::record_challenge(&1, 0, i != 0);
		}
		let fresh = <R as LabelerRegistry<u64>>::record_outcome(&2, 0, FixedU128::zero());
		let veteran = <R as LabelerRegistry<u64>>::weight_of(&1, 0);
		assert_eq!(fresh, FixedU128::from_rational(12, 10));
		assert_eq!(veteran, FixedU128::from_rational(12, 10));
		assert!(veteran >= fresh);
		// the old rule's figure for the same record
		let old = voting_weight(FixedU128::from_rational(5, 100), s);
		assert!(old.into_inner().abs_diff(1_187_693_293_790_537_633) < 1_000_000_000, "{old:?}");
		assert!(old < fresh);
		// healing: a slip right after qualification, then right answers
		register(3, &[0]);
		<R as LabelerRegistry<u64>>::record_outcome(&3, 0, FixedU128::zero());
		<R as LabelerRegistry<u64>>::record_challenge(&3, 0, false);
		assert_eq!(
			Reputation::<Test>::get(3, 0).stats.error(ErrorMetric::Mean),
			Some(FixedU128::from_rational(19, 420))
		);
		for _ in 0..19 {
			<R as LabelerRegistry<u64>>::record_challenge(&3, 0, true);
		}
		assert_eq!(<R as LabelerRegistry<u64>>::weight_of(&3, 0), FixedU128::from_rational(12, 10));
	});
}

// ---- item 9: duplicate boxes ----

/// **Attack:** a labeler submits labels made of copies of one box. Copies carry no information
/// but are the worst case of the optimal box matching: 32 identical boxes against 32 take
/// 16 896 column scans, against 1 024 for 32 separated boxes (16.5 times the work the old
/// benchmark measured on banded boxes), paid at the benchmarked weight.
///
/// **Old code:** accepted (`label_fits` checked only each box on its own).
///
/// **Now:** `label_fits` rejects a label with two identical boxes and `submit_qualification`
/// fails with `InvalidLabel`; the same boxes with different classes, or 1 px apart, are fine
/// (and the benchmarks now use such distinct overlapping boxes, which reach the maximum of
/// 16 896 scans, so the weight covers every accepted label).
#[test]
fn attack_duplicate_boxes_inflate_matching() {
	ExtBuilder::default().build_and_execute(|| {
		let b = |x: u32, class: u16| BoundingBox {
			x_min: x,
			y_min: 0,
			x_max: x + 100,
			y_max: 100,
			class,
		};
		let dup = vec![b(0, 0); 32];
		let separated: Vec<_> = (0..32).map(|i| b(i * 200, 0)).collect();
		assert_eq!(label_set_matching_steps(&dup, &dup), Ok(16_896));
		assert_eq!(label_set_matching_steps(&separated, &separated), Ok(1_024));
		let staircase: Vec<_> = (0..32).map(|i| b(i, 0)).collect();
		let shifted: Vec<_> = (0..32).map(|i| b(i + 5, 0)).collect();
		assert_eq!(label_set_matching_steps(&staircase, &shifted), Ok(16_896));

		box_domain(1);
		let kind = BOX_KIND;
		let two_copies = boxes(&[(0, 0, 100, 100, 0), (0, 0, 100, 100, 0)]);
		assert!(!crowdlabel_labels::label_fits(&kind, &two_copies));
		assert!(crowdlabel_labels::label_fits(
			&kind,
			&boxes(&[(0, 0, 100, 100, 0), (0, 0, 100, 100, 1)])
		));
		assert!(crowdlabel_labels::label_fits(
			&kind,
			&boxes(&[(0, 0, 100, 100, 0), (1, 0, 101, 100, 0)])
		));
		let eight_copies = boxes(&[(0, 0, 100, 100, 0); 8]);
		assert!(!crowdlabel_labels::label_fits(&kind, &eight_copies));
		register(1, &[0]);
		assert_ok!(Labelers::request_qualification(RuntimeOrigin::signed(1), 0));
		assert_noop!(
			Labelers::submit_qualification(
				RuntimeOrigin::signed(1),
				0,
				bv(&[eight_copies, gold_b()])
			),
			Error::<Test>::InvalidLabel
		);
		assert_noop!(
			Labelers::submit_qualification(
				RuntimeOrigin::signed(1),
				0,
				bv(&[two_copies, gold_b()])
			),
			Error::<Test>::InvalidLabel
		);
	});
}

// ---- issue 15, item 3: sponsored registration ----

/// **Attack:** a sponsored newcomer pockets the deposit its sponsor paid: it leaves at once,
/// hoping the released deposit lands on its own account.
///
/// **Defence:** the deposit is held on the sponsor's account under its own reason
/// (`SponsoredRegistration`); leaving releases it there. The newcomer gains nothing.
#[test]
fn sponsored_labeler_cannot_pocket_the_sponsors_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Labelers::sponsor_registration(RuntimeOrigin::signed(1), 7, bv(&[])));
		let (sponsor_total, labeler_total) = (total(1), total(7));
		assert_ok!(Labelers::unregister(RuntimeOrigin::signed(7)));
		assert_eq!(total(7), labeler_total);
		assert_eq!(total(7), 0);
		assert_eq!(total(1), sponsor_total);
		assert_eq!(held(1, HoldReason::SponsoredRegistration), 0);
	});
}

/// **Attack:** a griefer "sponsors" a stranger who wanted to register on their own, so that
/// the stranger's `register` fails and the griefer controls the stranger's registration.
///
/// **Defence:** a sponsored registration binds the labeler to nothing: it leaves for free (the
/// deposit goes back to the griefer) and registers with its own deposit; from then on the
/// griefer has no say (`NotSponsor`) and holds nothing for it.
#[test]
fn unwanted_sponsorship_is_shed_for_free() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Labelers::sponsor_registration(RuntimeOrigin::signed(1), 2, bv(&[])));
		assert_noop!(
			Labelers::register(RuntimeOrigin::signed(2), bv(&[])),
			Error::<Test>::AlreadyRegistered
		);
		let before = total(2);
		assert_ok!(Labelers::unregister(RuntimeOrigin::signed(2)));
		assert_eq!(total(2), before);
		register(2, &[]);
		assert_eq!(held(2, HoldReason::Registration), 100);
		assert_eq!(held(1, HoldReason::SponsoredRegistration), 0);
		assert_noop!(
			Labelers::end_sponsorship(RuntimeOrigin::signed(1), 2),
			Error::<Test>::NotSponsor
		);
	});
}

/// **Attack:** a sponsor pulls its deposit back while the labeler is in the middle of a round
/// or a package, stranding the work (and the labeler's package deposits).
///
/// **Defence:** `end_sponsorship` is refused with `WorkPending` while anything is pending, just
/// as `unregister` is.
#[test]
fn sponsor_cannot_pull_the_deposit_mid_work() {
	ExtBuilder::default().build_and_execute(|| {
		box_domain(1);
		assert_ok!(Labelers::sponsor_registration(RuntimeOrigin::signed(1), 7, bv(&[0])));
		assert_ok!(Balances::transfer_allow_death(RuntimeOrigin::signed(2), 7, 1_000));
		assert_ok!(Labelers::request_qualification(RuntimeOrigin::signed(7), 0));
		assert_noop!(
			Labelers::end_sponsorship(RuntimeOrigin::signed(1), 7),
			Error::<Test>::WorkPending
		);
		assert_eq!(held(1, HoldReason::SponsoredRegistration), 100);
		// a package under way in the jobs pallet blocks it just the same
		run_to(12);
		assert_ok!(Labelers::expire_round(RuntimeOrigin::signed(3), 0));
		FakeWork::set(7, true);
		assert_noop!(
			Labelers::end_sponsorship(RuntimeOrigin::signed(1), 7),
			Error::<Test>::WorkPending
		);
		FakeWork::set(7, false);
		assert_ok!(Labelers::end_sponsorship(RuntimeOrigin::signed(1), 7));
	});
}

/// **Attack:** a spammer makes the chain store labeler records for free by sponsoring many
/// fresh accounts (none of which holds anything).
///
/// **Defence:** every sponsored record holds a full registration deposit on the sponsor: the
/// storage is paid exactly as for self-registration, and a sponsor that cannot pay is refused
/// before anything is written.
#[test]
fn sponsored_records_are_never_free() {
	ExtBuilder::default().build_and_execute(|| {
		// Account 6 holds 120: one deposit of 100, then nothing more.
		assert_ok!(Labelers::sponsor_registration(RuntimeOrigin::signed(6), 100, bv(&[])));
		for fresh in 101u64..110 {
			assert_noop!(
				Labelers::sponsor_registration(RuntimeOrigin::signed(6), fresh, bv(&[])),
				Error::<Test>::InsufficientBalance
			);
		}
		assert_eq!(held(6, HoldReason::SponsoredRegistration), 100);
		assert_eq!(crate::pallet::Registrations::<Test>::count(), 1);
	});
}
