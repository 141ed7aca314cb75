//! Unit tests: every call, every error (bad input changes nothing), events and invariants.
//! Attacks (issue 11) are in [`attacks`].

mod attacks;

use crate::{
	mock::*,
	pallet::{
		Domains, Gold, GoldStock, HoldReason, NextDomainId, Qualifications, Registrations,
		Reputation, Rounds, Sponsors,
	},
	types::{DomainId, ItemHash, LabelKind, Qualification},
	Error, Event,
};
use crowdlabel_consensus::{FixedU128, Perbill};
use crowdlabel_traits::LabelerRegistry;
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
	BoundedVec,
};
use sp_runtime::{
	traits::{One, Zero},
	DispatchError,
};

/// A bounded vector of `v` (cut to the bound).
fn bv<T: Clone, S: frame_support::traits::Get<u32>>(v: &[T]) -> BoundedVec<T, S> {
	BoundedVec::truncate_from(v.to_vec())
}

/// A domain name (any will do: names are not checked beyond being non-empty).
fn name() -> BoundedVec<u8, frame_support::traits::ConstU32<32>> {
	bv(b"traffic signs")
}

/// The label kind of [`box_domain`]: bounding boxes of 3 classes.
const BOX_KIND: LabelKind = LabelKind::BoundingBoxes { classes: 3 };

/// Gold answer A of [`box_domain`] (odd items).
fn gold_a() -> Label {
	boxes(&[(0, 0, 100, 100, 0)])
}

/// Gold answer B of [`box_domain`] (even items).
fn gold_b() -> Label {
	boxes(&[(200, 200, 300, 300, 1)])
}

/// The gold for round `r` (counting from 0) of [`box_domain`]: item `2r + 1` answers
/// [`gold_a`], item `2r + 2` [`gold_b`].
fn gold_round(r: u8) -> [(ItemHash, crate::Commitment); 2] {
	[(item(2 * r + 1), commit(&gold_a())), (item(2 * r + 2), commit(&gold_b()))]
}

/// Creates box domain 0 ([`BOX_KIND`], K = 2, bar 70 %) and stocks `rounds` rounds' worth of
/// gold in one batch ([`gold_round`] 0 to `rounds - 1`).
fn box_domain(rounds: u8) {
	assert_ok!(Labelers::create_domain(RuntimeOrigin::root(), name(), BOX_KIND, box_params(2)));
	let stock: Vec<_> = (0..rounds).flat_map(gold_round).collect();
	assert_ok!(Labelers::add_gold(RuntimeOrigin::root(), 0, bv(&stock)));
}

/// Stocks domain 0 with a second round of gold (items 3 and 4, same answers as 1 and 2).
fn stock_second_round() {
	assert_ok!(Labelers::add_gold(RuntimeOrigin::root(), 0, bv(&gold_round(1))));
}

/// The right answers to a round of [`box_domain`]: A, then B.
fn right_answers() -> BoundedVec<Label, frame_support::traits::ConstU32<10>> {
	bv(&[gold_a(), gold_b()])
}

/// The curator's reveal of a round of [`box_domain`]: A and B with [`CURATOR_SALT`].
fn reveal_both() -> BoundedVec<(Label, crate::Salt), frame_support::traits::ConstU32<10>> {
	bv(&[(gold_a(), CURATOR_SALT), (gold_b(), CURATOR_SALT)])
}

/// Registers `who` with `domains` declared.
fn register(who: u64, domains: &[DomainId]) {
	assert_ok!(Labelers::register(RuntimeOrigin::signed(who), bv(domains)));
}

/// What `who` has on hold for `reason`.
fn held(who: u64, reason: HoldReason) -> u64 {
	Balances::balance_on_hold(&reason.into(), &who)
}

// ---- registration ----

#[test]
fn register_holds_deposit_and_emits_events() {
	ExtBuilder::default().build_and_execute(|| {
		box_domain(1);
		register(1, &[0]);
		assert_eq!(held(1, HoldReason::Registration), 100);
		assert_eq!(Registrations::<Test>::get(1).unwrap().domains.to_vec(), vec![0]);
		assert_eq!(Registrations::<Test>::count(), 1);
		let ev = events();
		assert!(ev.contains(&Event::Registered { labeler: 1, deposit: 100 }));
		assert!(ev.contains(&Event::DomainsDeclared { labeler: 1, domains: bv(&[0]) }));
	});
}

#[test]
fn register_errors_change_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		box_domain(1);
		assert_noop!(
			Labelers::register(RuntimeOrigin::signed(1), bv(&[7])),
			Error::<Test>::UnknownDomain
		);
		assert_noop!(
			Labelers::register(RuntimeOrigin::signed(1), bv(&[0, 0])),
			Error::<Test>::DuplicateDomain
		);
		// account 7 has no funds
		assert_noop!(
			Labelers::register(RuntimeOrigin::signed(7), bv(&[0])),
			Error::<Test>::InsufficientBalance
		);
		register(1, &[]);
		assert_noop!(
			Labelers::register(RuntimeOrigin::signed(1), bv(&[0])),
			Error::<Test>::AlreadyRegistered
		);
		assert_noop!(Labelers::register(RuntimeOrigin::none(), bv(&[0])), DispatchError::BadOrigin);
	});
}

#[test]
fn unregister_releases_everything() {
	ExtBuilder::default().build_and_execute(|| {
		box_domain(1);
		register(1, &[0]);
		let free = Balances::balance(&1);
		assert_ok!(Labelers::unregister(RuntimeOrigin::signed(1)));
		assert_eq!(Balances::balance(&1), free + 100);
		assert_eq!(held(1, HoldReason::Registration), 0);
		assert!(Registrations::<Test>::get(1).is_none());
		System::assert_has_event(Event::Unregistered { labeler: 1, refunded: 100 }.into());
		assert_noop!(Labelers::unregister(RuntimeOrigin::signed(1)), Error::<Test>::NotRegistered);
	});
}

#[test]
fn unregister_blocked_while_work_pending() {
	ExtBuilder::default().build_and_execute(|| {
		box_domain(1);
		register(1, &[0]);
		assert_ok!(Labelers::request_qualification(RuntimeOrigin::signed(1), 0));
		assert_noop!(Labelers::unregister(RuntimeOrigin::signed(1)), Error::<Test>::WorkPending);
		// packages reported by another pallet count too
		register(2, &[0]);
		FakeWork::set(2, true);
		assert_noop!(Labelers::unregister(RuntimeOrigin::signed(2)), Error::<Test>::WorkPending);
		FakeWork::set(2, false);
		assert_ok!(Labelers::unregister(RuntimeOrigin::signed(2)));
		// the round's end frees the first labeler (here: it expires unanswered)
		run_to(12);
		assert_ok!(Labelers::expire_round(RuntimeOrigin::signed(3), 0));
		assert_ok!(Labelers::unregister(RuntimeOrigin::signed(1)));
	});
}

#[test]
fn declare_domains_replaces_list() {
	ExtBuilder::default().build_and_execute(|| {
		box_domain(1);
		assert_ok!(Labelers::create_domain(
			RuntimeOrigin::root(),
			name(),
			LabelKind::STARS,
			star_params(5)
		));
		assert_noop!(
			Labelers::declare_domains(RuntimeOrigin::signed(1), bv(&[0])),
			Error::<Test>::NotRegistered
		);
		register(1, &[0]);
		assert_ok!(Labelers::declare_domains(RuntimeOrigin::signed(1), bv(&[1, 0])));
		assert_eq!(Registrations::<Test>::get(1).unwrap().domains.to_vec(), vec![1, 0]);
		assert_noop!(
			Labelers::declare_domains(RuntimeOrigin::signed(1), bv(&[2])),
			Error::<Test>::UnknownDomain
		);
		assert_noop!(
			Labelers::declare_domains(RuntimeOrigin::signed(1), bv(&[1, 1])),
			Error::<Test>::DuplicateDomain
		);
	});
}

// ---- sponsored registration (issue 15, item 3) ----

/// Account 7 holds nothing: a newcomer without CROL.
const NEWCOMER: u64 = 7;

fn sponsor(sponsor: u64, labeler: u64, domains: &[DomainId]) {
	assert_ok!(Labelers::sponsor_registration(
		RuntimeOrigin::signed(sponsor),
		labeler,
		bv(domains)
	));
}

#[test]
fn sponsor_registers_a_newcomer_without_funds() {
	ExtBuilder::default().build_and_execute(|| {
		box_domain(1);
		assert_eq!(Balances::total_balance(&NEWCOMER), 0);
		let free = Balances::balance(&1);
		sponsor(1, NEWCOMER, &[0]);
		// The deposit is held on the sponsor, under its own reason; the newcomer holds nothing.
		assert_eq!(held(1, HoldReason::SponsoredRegistration), 100);
		assert_eq!(held(1, HoldReason::Registration), 0);
		assert_eq!(Balances::balance(&1), free - 100);
		assert_eq!(Balances::total_balance(&NEWCOMER), 0);
		assert_eq!(Registrations::<Test>::get(NEWCOMER).unwrap().domains.to_vec(), vec![0]);
		assert_eq!(Sponsors::<Test>::get(NEWCOMER), Some(1));
		assert!(<Labelers as LabelerRegistry<u64>>::is_registered(&NEWCOMER));
		let ev = events();
		assert!(ev.contains(&Event::Registered { labeler: NEWCOMER, deposit: 100 }));
		assert!(ev.contains(&Event::RegistrationSponsored {
			labeler: NEWCOMER,
			sponsor: 1,
			deposit: 100
		}));
		assert!(ev.contains(&Event::DomainsDeclared { labeler: NEWCOMER, domains: bv(&[0]) }));
		// The sponsor can sponsor several newcomers and still register itself.
		sponsor(1, 8, &[]);
		register(1, &[0]);
		assert_eq!(held(1, HoldReason::SponsoredRegistration), 200);
		assert_eq!(held(1, HoldReason::Registration), 100);
		// A sponsored labeler still pays its own rounds: a newcomer without CROL cannot start
		// one until it is sent some (the sponsor would batch a transfer with the sponsorship).
		assert_noop!(
			Labelers::request_qualification(RuntimeOrigin::signed(NEWCOMER), 0),
			Error::<Test>::InsufficientBalance
		);
		assert_ok!(Balances::transfer_allow_death(RuntimeOrigin::signed(2), NEWCOMER, 1_000));
		assert_ok!(Labelers::request_qualification(RuntimeOrigin::signed(NEWCOMER), 0));
	});
}

#[test]
fn sponsor_registration_errors_change_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		box_domain(1);
		let sponsor_of = |who: u64, labeler: u64, d: &[DomainId]| {
			Labelers::sponsor_registration(RuntimeOrigin::signed(who), labeler, bv(d))
		};
		assert_noop!(sponsor_of(1, 1, &[0]), Error::<Test>::SelfSponsorship);
		assert_noop!(sponsor_of(1, NEWCOMER, &[7]), Error::<Test>::UnknownDomain);
		assert_noop!(sponsor_of(1, NEWCOMER, &[0, 0]), Error::<Test>::DuplicateDomain);
		// account 8 holds nothing, so it cannot sponsor
		assert_noop!(sponsor_of(8, NEWCOMER, &[0]), Error::<Test>::InsufficientBalance);
		// already registered: by itself, or by another sponsor
		register(2, &[]);
		assert_noop!(sponsor_of(1, 2, &[0]), Error::<Test>::AlreadyRegistered);
		sponsor(3, NEWCOMER, &[]);
		assert_noop!(sponsor_of(1, NEWCOMER, &[0]), Error::<Test>::AlreadyRegistered);
		assert_noop!(
			Labelers::sponsor_registration(RuntimeOrigin::none(), 9, bv(&[0])),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn leaving_returns_a_sponsored_deposit_to_the_sponsor() {
	ExtBuilder::default().build_and_execute(|| {
		box_domain(1);
		sponsor(1, NEWCOMER, &[0]);
		let sponsor_free = Balances::balance(&1);
		assert_ok!(Labelers::unregister(RuntimeOrigin::signed(NEWCOMER)));
		assert_eq!(Balances::balance(&1), sponsor_free + 100);
		assert_eq!(held(1, HoldReason::SponsoredRegistration), 0);
		assert_eq!(Balances::total_balance(&NEWCOMER), 0);
		assert!(Registrations::<Test>::get(NEWCOMER).is_none());
		assert!(Sponsors::<Test>::get(NEWCOMER).is_none());
		let ev = events();
		assert!(ev.contains(&Event::SponsorshipEnded {
			labeler: NEWCOMER,
			sponsor: 1,
			refunded: 100
		}));
		assert!(ev.contains(&Event::Unregistered { labeler: NEWCOMER, refunded: 100 }));
	});
}

#[test]
fn sponsor_ends_a_sponsorship_of_an_idle_labeler() {
	ExtBuilder::default().build_and_execute(|| {
		box_domain(1);
		sponsor(1, NEWCOMER, &[0]);
		register(2, &[]);
		let end =
			|who: u64, labeler: u64| Labelers::end_sponsorship(RuntimeOrigin::signed(who), labeler);
		assert_noop!(end(1, 9), Error::<Test>::NotRegistered);
		assert_noop!(end(3, NEWCOMER), Error::<Test>::NotSponsor);
		// a self-registered labeler has no sponsor to end it
		assert_noop!(end(1, 2), Error::<Test>::NotSponsor);
		assert_noop!(end(2, 2), Error::<Test>::NotSponsor);
		// not while the labeler works
		FakeWork::set(NEWCOMER, true);
		assert_noop!(end(1, NEWCOMER), Error::<Test>::WorkPending);
		FakeWork::set(NEWCOMER, false);
		Reputation::<Test>::mutate(NEWCOMER, 0, |r| r.stats.samples = 3);
		let sponsor_free = Balances::balance(&1);
		assert_ok!(end(1, NEWCOMER));
		assert_eq!(Balances::balance(&1), sponsor_free + 100);
		assert!(Registrations::<Test>::get(NEWCOMER).is_none());
		// The labeler's history is kept; it may register again with its own deposit.
		assert_eq!(Reputation::<Test>::get(NEWCOMER, 0).stats.samples, 3);
		assert_ok!(Balances::transfer_allow_death(RuntimeOrigin::signed(2), NEWCOMER, 1_000));
		register(NEWCOMER, &[0]);
		assert_eq!(held(NEWCOMER, HoldReason::Registration), 100);
		assert_noop!(end(1, NEWCOMER), Error::<Test>::NotSponsor);
	});
}

// ---- domains and gold ----

#[test]
fn create_domain_validates_everything() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Labelers::create_domain(RuntimeOrigin::signed(1), name(), BOX_KIND, box_params(2)),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Labelers::create_domain(RuntimeOrigin::root(), bv(b""), BOX_KIND, box_params(2)),
			Error::<Test>::EmptyName
		);
		assert_noop!(
			Labelers::create_domain(
				RuntimeOrigin::root(),
				name(),
				LabelKind::SingleClass { classes: 0 },
				box_params(2)
			),
			Error::<Test>::NoClasses
		);
		assert_noop!(
			Labelers::create_domain(RuntimeOrigin::root(), name(), BOX_KIND, star_params(2)),
			Error::<Test>::BarDoesNotFitKind
		);
		assert_noop!(
			Labelers::create_domain(RuntimeOrigin::root(), name(), LabelKind::STARS, box_params(2)),
			Error::<Test>::BarDoesNotFitKind
		);
		assert_noop!(
			Labelers::create_domain(RuntimeOrigin::root(), name(), BOX_KIND, box_params(0)),
			Error::<Test>::BadRoundSize
		);
		assert_noop!(
			Labelers::create_domain(RuntimeOrigin::root(), name(), BOX_KIND, box_params(11)),
			Error::<Test>::BadRoundSize
		);
		let mut p = box_params(2);
		p.answer_window = 0;
		assert_noop!(
			Labelers::create_domain(RuntimeOrigin::root(), name(), BOX_KIND, p),
			Error::<Test>::ZeroWindow
		);
		let mut p = box_params(2);
		p.sigma = FixedU128::zero();
		assert_noop!(
			Labelers::create_domain(RuntimeOrigin::root(), name(), BOX_KIND, p),
			Error::<Test>::ZeroSigma
		);
		assert_ok!(Labelers::create_domain(RuntimeOrigin::root(), name(), BOX_KIND, box_params(2)));
		assert_eq!(NextDomainId::<Test>::get(), 1);
		System::assert_has_event(
			Event::DomainCreated { domain: 0, kind: BOX_KIND, guess_pass: None }.into(),
		);
	});
}

#[test]
fn update_domain_works_and_validates() {
	ExtBuilder::default().build_and_execute(|| {
		box_domain(1);
		let mut p = box_params(1);
		p.cooldown = 99;
		assert_ok!(Labelers::update_domain(RuntimeOrigin::root(), 0, p));
		assert_eq!(Domains::<Test>::get(0).unwrap().params.cooldown, 99);
		System::assert_has_event(Event::DomainUpdated { domain: 0, guess_pass: None }.into());
		assert_noop!(
			Labelers::update_domain(RuntimeOrigin::root(), 5, p),
			Error::<Test>::UnknownDomain
		);
		assert_noop!(
			Labelers::update_domain(RuntimeOrigin::root(), 0, star_params(1)),
			Error::<Test>::BarDoesNotFitKind
		);
		assert_noop!(
			Labelers::update_domain(RuntimeOrigin::signed(1), 0, p),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn add_gold_stocks_commitments_only() {
	ExtBuilder::default().build_and_execute(|| {
		box_domain(1);
		assert_eq!(GoldStock::<Test>::get(0).to_vec(), vec![0, 1]);
		let g = Gold::<Test>::get(0).unwrap();
		assert_eq!((g.item, g.commitment, g.round), (item(1), commit(&gold_a()), None));
		System::assert_has_event(Event::GoldAdded { domain: 0, gold: 1, item: item(2) }.into());
		assert_noop!(
			Labelers::add_gold(RuntimeOrigin::root(), 9, bv(&[(item(3), commit(&gold_a()))])),
			Error::<Test>::UnknownDomain
		);
		assert_noop!(
			Labelers::add_gold(RuntimeOrigin::root(), 0, bv(&[])),
			Error::<Test>::EmptyGoldBatch
		);
		assert_noop!(
			Labelers::add_gold(RuntimeOrigin::signed(1), 0, bv(&[(item(3), commit(&gold_a()))])),
			DispatchError::BadOrigin
		);
		// stock limit 20: 2 in stock, 18 more fit, then full
		let batch: Vec<_> = (0..9).map(|i| (item(10 + i), commit(&gold_a()))).collect();
		assert_ok!(Labelers::add_gold(RuntimeOrigin::root(), 0, bv(&batch)));
		assert_ok!(Labelers::add_gold(RuntimeOrigin::root(), 0, bv(&batch)));
		assert_noop!(
			Labelers::add_gold(RuntimeOrigin::root(), 0, bv(&[(item(3), commit(&gold_a()))])),
			Error::<Test>::GoldStockFull
		);
	});
}

// ---- qualification rounds ----

#[test]
fn full_round_qualifies_good_candidate() {
	ExtBuilder::default().build_and_execute(|| {
		box_domain(1);
		register(1, &[0]);
		assert_ok!(Labelers::request_qualification(RuntimeOrigin::signed(1), 0));
		System::assert_has_event(
			Event::QualificationRequested {
				round: 0,
				labeler: 1,
				domain: 0,
				items: bv(&[item(1), item(2)]),
				answer_deadline: 6,
				fee: 4,
			}
			.into(),
		);
		assert_eq!(held(1, HoldReason::QualificationRound), 50);
		// the round fee (2 per gold item) went to the treasury
		assert_eq!(Balances::balance(&TREASURY), 1 + 4);
		assert!(GoldStock::<Test>::get(0).is_empty());
		// answers: A exact (IoU 1), B shifted by 10 px (IoU 90*90 / (2*100*100 - 8100) = 0.6694)
		let answers = vec![gold_a(), boxes(&[(210, 210, 310, 310, 1)])];
		assert_ok!(Labelers::submit_qualification(RuntimeOrigin::signed(1), 0, bv(&answers)));
		System::assert_has_event(Event::QualificationAnswered { round: 0, labeler: 1 }.into());
		assert_ok!(Labelers::reveal_gold(RuntimeOrigin::root(), 0, reveal_both()));
		let iou_b = Perbill::from_rational(8100u64, 11900);
		let mean = crowdlabel_consensus::mean_perbill(&[Perbill::one(), iou_b]).unwrap();
		System::assert_has_event(
			Event::Qualified {
				labeler: 1,
				domain: 0,
				round: 0,
				agreement: mean,
				score_error: None,
			}
			.into(),
		);
		System::assert_has_event(
			Event::GoldRevealed { gold: 0, domain: 0, answer: gold_a() }.into(),
		);
		assert!(<Labelers as LabelerRegistry<u64>>::is_qualified(&1, 0));
		assert_eq!(Domains::<Test>::get(0).unwrap().qualified, 1);
		// gold retired, round closed, deposit back in full (only the fee is gone)
		assert_eq!(Gold::<Test>::count(), 0);
		assert!(Rounds::<Test>::get(0).is_none());
		assert_eq!(held(1, HoldReason::QualificationRound), 0);
		assert_eq!(Balances::balance(&1), 10_000 - 100 - 4);
		// nothing pending any more: the round's index entry is gone
		assert!(crate::OpenRound::<Test>::iter_prefix(1).next().is_none());
		// reputation: errors 0 and 1 - iou_b
		let stats = Reputation::<Test>::get(1, 0).stats;
		assert_eq!(stats.samples, 2);
		assert_noop!(
			Labelers::request_qualification(RuntimeOrigin::signed(1), 0),
			Error::<Test>::AlreadyQualified
		);
	});
}

/// The gold answers of a round teach the candidate's reliability model with the gold weight:
/// a perfect candidate starts with more voting power than a newcomer, a wrong one with almost
/// none, and the labeler query reports it.
#[test]
fn gold_teaches_the_reliability_model() {
	ExtBuilder::default().build_and_execute(|| {
		box_domain(2);
		let newcomer = crowdlabel_labels::Reliability::new(&BOX_KIND).unwrap();
		let fresh = newcomer.voting_power(&BOX_KIND);
		for (who, answers) in [
			(1u64, right_answers().to_vec()),
			(2, vec![boxes(&[(500, 500, 600, 600, 0)]), boxes(&[])]),
		] {
			register(who, &[0]);
			assert_eq!(
				<Labelers as LabelerRegistry<u64>>::reliability(&who, 0),
				Some(newcomer.clone())
			);
			assert_ok!(Labelers::request_qualification(RuntimeOrigin::signed(who), 0));
			let round = crate::pallet::NextRoundId::<Test>::get() - 1;
			assert_ok!(Labelers::submit_qualification(
				RuntimeOrigin::signed(who),
				round,
				bv(&answers)
			));
			assert_ok!(Labelers::reveal_gold(RuntimeOrigin::root(), round, reveal_both()));
		}
		let power = |who: u64| {
			Reputation::<Test>::get(who, 0).model.expect("stored").voting_power(&BOX_KIND)
		};
		assert!(power(1) > fresh, "{:?} vs {fresh:?}", power(1));
		// Two gold answers with IoU 0, weight 2 each, against the prior's 2.8 agreeing and 1.2
		// disagreeing observations: mean agreement 2.8 / 8 = 0.35, just above the 1/3 baseline,
		// so a power of (0.35 − 1/3) / (2/3) = 2.5 % (a newcomer has 55 %); the next wrong
		// answers take it to 0.
		assert!(power(2) <= Perbill::from_parts(25_000_001), "{:?}", power(2));
		assert!(power(2).deconstruct() * 20 < fresh.deconstruct());
		let info = Labelers::api_labeler(&1).unwrap();
		assert_eq!(info.domains[0].voting_power, power(1));
		// Unknown domain: no model.
		assert_eq!(<Labelers as LabelerRegistry<u64>>::reliability(&1, 9), None);
		// A model of another kind is never stored.
		let stars = crowdlabel_labels::Reliability::new(&LabelKind::STARS).unwrap();
		<Labelers as LabelerRegistry<u64>>::set_reliability(&1, 0, stars);
		assert_eq!(power(1), info.domains[0].voting_power);
	});
}

/// A judged package's errors are one reputation update: every error counted, one event.
#[test]
fn package_errors_are_one_reputation_update() {
	ExtBuilder::default().build_and_execute(|| {
		box_domain(1);
		let errors = [FixedU128::zero(), FixedU128::from_rational(1, 2), FixedU128::one()];
		let before = events().len();
		let a = <Labelers as LabelerRegistry<u64>>::record_outcomes(&1, 0, &errors);
		let stats = Reputation::<Test>::get(1, 0).stats;
		assert_eq!(stats.samples, 3);
		assert_eq!(stats.sum_error, FixedU128::from_rational(3, 2));
		let updates: Vec<_> = events()[before..]
			.iter()
			.filter(|e| matches!(e, Event::ReputationUpdated { .. }))
			.cloned()
			.collect();
		assert_eq!(updates.len(), 1);
		assert_eq!(a, <Labelers as LabelerRegistry<u64>>::weight_of(&1, 0));
	});
}

/// A judged package updates the labeler's one record: the errors for the pay weight and the
/// model for the voting power together, with one event; a model of another kind is dropped while
/// the errors still count.
#[test]
fn a_judgement_updates_errors_and_model_in_one_record() {
	ExtBuilder::default().build_and_execute(|| {
		box_domain(1);
		let mut model = crowdlabel_labels::Reliability::new(&BOX_KIND).unwrap();
		let truth = crowdlabel_labels::truth_of(&boxes(&[(0, 0, 100, 100, 0)]));
		model.record(&boxes(&[(0, 0, 100, 100, 0)]), &truth, 1).unwrap();
		let errors = [FixedU128::zero(), FixedU128::from_rational(1, 4)];
		let before = events().len();
		let a = <Labelers as LabelerRegistry<u64>>::record_judgement(&1, 0, model.clone(), &errors);
		let record = Reputation::<Test>::get(1, 0);
		assert_eq!(record.stats.samples, 2);
		assert_eq!(record.stats.sum_error, FixedU128::from_rational(1, 4));
		assert_eq!(record.model.as_ref(), Some(&model));
		assert_eq!(<Labelers as LabelerRegistry<u64>>::reliability(&1, 0), Some(model.clone()));
		let updates = events()[before..]
			.iter()
			.filter(|e| matches!(e, Event::ReputationUpdated { .. }))
			.count();
		assert_eq!(updates, 1);
		assert_eq!(a, <Labelers as LabelerRegistry<u64>>::weight_of(&1, 0));
		// A star model in a box domain: the errors count, the stored model stays.
		let stars = crowdlabel_labels::Reliability::new(&LabelKind::STARS).unwrap();
		<Labelers as LabelerRegistry<u64>>::record_judgement(&1, 0, stars, &[FixedU128::one()]);
		let record = Reputation::<Test>::get(1, 0);
		assert_eq!(record.stats.samples, 3);
		assert_eq!(record.model, Some(model));
		// An unknown domain: nothing is stored.
		<Labelers as LabelerRegistry<u64>>::record_judgement(
			&1,
			9,
			crowdlabel_labels::Reliability::new(&BOX_KIND).unwrap(),
			&errors,
		);
		assert!(!Reputation::<Test>::contains_key(1, 9));
	});
}

/// Pay weights are calibrated over the labelers asked about: mean 1; a labeler without a
/// record gets 1; with most errors 0 the domain's `s` is used.
#[test]
fn pay_weights_are_calibrated_to_a_mean_of_one() {
	ExtBuilder::default().build_and_execute(|| {
		box_domain(1);
		for (who, x) in [(1u64, 10u128), (2, 20), (3, 40)] {
			<Labelers as LabelerRegistry<u64>>::record_outcome(
				&who,
				0,
				FixedU128::from_rational(x, 100),
			);
		}
		let a = <Labelers as LabelerRegistry<u64>>::pay_weights(0, &[1, 2, 3, 4]);
		assert_eq!(a[3], FixedU128::one(), "no record");
		let mean = (a[0] + a[1] + a[2]) / FixedU128::from_u32(3);
		let one = FixedU128::one().into_inner();
		assert!(mean.into_inner().abs_diff(one) < one / 1_000_000, "{a:?}");
		assert!(a[0] > a[1] && a[1] > a[2], "{a:?}");
		// Unknown domain: neutral.
		assert_eq!(
			<Labelers as LabelerRegistry<u64>>::pay_weights(9, &[1, 2]),
			vec![FixedU128::one(); 2]
		);
		// Two perfect labelers of three: the domain's own s.
		<Labelers as LabelerRegistry<u64>>::record_outcome(&5, 0, FixedU128::zero());
		<Labelers as LabelerRegistry<u64>>::record_outcome(&6, 0, FixedU128::zero());
		let a = <Labelers as LabelerRegistry<u64>>::pay_weights(0, &[5, 6, 3]);
		assert_eq!(a[2], <Labelers as LabelerRegistry<u64>>::weight_of(&3, 0));
	});
}

#[test]
fn poor_candidate_fails_then_retries_after_cooldown() {
	ExtBuilder::default().build_and_execute(|| {
		box_domain(1);
		register(1, &[0]);
		assert_ok!(Labelers::request_qualification(RuntimeOrigin::signed(1), 0));
		let wrong = vec![boxes(&[(500, 500, 600, 600, 0)]), boxes(&[])];
		assert_ok!(Labelers::submit_qualification(RuntimeOrigin::signed(1), 0, bv(&wrong)));
		assert_ok!(Labelers::reveal_gold(RuntimeOrigin::root(), 0, reveal_both()));
		System::assert_has_event(
			Event::QualificationFailed {
				labeler: 1,
				domain: 0,
				round: 0,
				agreement: Perbill::zero(),
				score_error: None,
				retry_at: 11,
				forfeited: 25,
			}
			.into(),
		);
		assert!(!<Labelers as LabelerRegistry<u64>>::is_qualified(&1, 0));
		// half the deposit forfeited, half released; the fee of 4 is gone too
		assert_eq!(held(1, HoldReason::QualificationRound), 0);
		assert_eq!(Balances::balance(&1), 10_000 - 100 - 4 - 25);
		assert_eq!(Balances::balance(&TREASURY), 1 + 4 + 25);
		// weight dropped below neutral after errors of 1.0
		assert!(<Labelers as LabelerRegistry<u64>>::weight_of(&1, 0) < FixedU128::one());
		stock_second_round();
		assert_noop!(
			Labelers::request_qualification(RuntimeOrigin::signed(1), 0),
			Error::<Test>::CoolingDown
		);
		run_to(11);
		assert_ok!(Labelers::request_qualification(RuntimeOrigin::signed(1), 0));
	});
}

#[test]
fn star_domain_grades_mean_score_error() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Labelers::create_domain(
			RuntimeOrigin::root(),
			name(),
			LabelKind::STARS,
			star_params(5)
		));
		// a guesser passes K = 5 at mean error <= 0.2 with 11 / 3125 = 3 520 000 ppb (the
		// fixed-point bound rounds up to one part more)
		System::assert_has_event(Event::DomainCreated {
			domain: 0,
			kind: LabelKind::STARS,
			guess_pass: Some(Perbill::from_parts(3_520_001))
		}.into());
		let gold = [4u16, 2, 5, 1, 3];
		let stock: Vec<_> = (0..10u8)
			.map(|i| (item(i + 1), commit(&Label::Score(gold[i as usize % 5]))))
			.collect();
		assert_ok!(Labelers::add_gold(RuntimeOrigin::root(), 0, bv(&stock)));
		register(1, &[0]);
		register(2, &[0]);
		assert_ok!(Labelers::request_qualification(RuntimeOrigin::signed(1), 0));
		assert_ok!(Labelers::request_qualification(RuntimeOrigin::signed(2), 0));
		// candidate 1: errors 0, 0, 0, 0, 1 -> mean 0.2 stars = 5 % (passes, bar is <= 5 %)
		let one: Vec<Label> = [4u16, 2, 5, 1, 2].iter().map(|s| Label::Score(*s)).collect();
		assert_ok!(Labelers::submit_qualification(RuntimeOrigin::signed(1), 0, bv(&one)));
		// candidate 2: errors 0, 0, 0, 1, 1 -> mean 0.4 stars = 10 % (fails)
		let two: Vec<Label> = [4u16, 2, 5, 2, 2].iter().map(|s| Label::Score(*s)).collect();
		assert_ok!(Labelers::submit_qualification(RuntimeOrigin::signed(2), 1, bv(&two)));
		let reveal: Vec<(Label, crate::Salt)> =
			gold.iter().map(|s| (Label::Score(*s), CURATOR_SALT)).collect();
		assert_ok!(Labelers::reveal_gold(RuntimeOrigin::root(), 0, bv(&reveal)));
		assert_ok!(Labelers::reveal_gold(RuntimeOrigin::root(), 1, bv(&reveal)));
		let ev = events();
		assert!(ev.iter().any(|e| matches!(e, Event::Qualified { labeler: 1, score_error: Some(x), .. } if *x == FixedU128::from_rational(1, 20))));
		assert!(ev.iter().any(|e| matches!(e, Event::QualificationFailed { labeler: 2, score_error: Some(x), forfeited: 25, .. } if *x == FixedU128::from_rational(1, 10))));
	});
}

/// A 0-100 rating domain: the bar is a share of the range (5 % = a summed error of at most
/// `floor(0.05 * 100 * 5) = 25` points over 5 gold items), checked exactly in points; the
/// guessing bound is exact for the range; a range without width is refused.
#[test]
fn rating_domain_grades_relative_to_its_range() {
	ExtBuilder::default().build_and_execute(|| {
		let rating = LabelKind::Score { min: 0, max: 100 };
		let mut p = star_params(5);
		assert_noop!(
			Labelers::create_domain(
				RuntimeOrigin::root(),
				name(),
				LabelKind::Score { min: 7, max: 7 },
				p
			),
			Error::<Test>::EmptyScoreRange
		);
		// 11 % (55 points over 5 items) is guessed with 1.34 %: refused; the figure is exact here
		// (the dynamic program fits its budget), 10 % would pass with 0.84 %.
		p.bar = crate::QualificationBar::MaxMeanScoreError(Perbill::from_percent(11));
		assert_noop!(
			Labelers::create_domain(RuntimeOrigin::root(), name(), rating, p),
			Error::<Test>::GuessableBar
		);
		p.bar = crate::QualificationBar::MaxMeanScoreError(Perbill::from_percent(5));
		assert_ok!(Labelers::create_domain(RuntimeOrigin::root(), name(), rating, p));
		// 0.0276725 % for gold at 50 (brute force in the consensus crate's tests), rounded up
		let stated = events()
			.into_iter()
			.find_map(|e| match e {
				Event::DomainCreated { guess_pass, .. } => guess_pass,
				_ => None,
			})
			.expect("a figure for scores");
		assert!(stated.deconstruct() == 276_726 || stated.deconstruct() == 276_727, "{stated:?}");
		let gold = [80u16, 20, 50, 0, 100];
		let stock: Vec<_> = (0..10u8)
			.map(|i| (item(i + 1), commit(&Label::Score(gold[i as usize % 5]))))
			.collect();
		assert_ok!(Labelers::add_gold(RuntimeOrigin::root(), 0, bv(&stock)));
		register(1, &[0]);
		register(2, &[0]);
		assert_ok!(Labelers::request_qualification(RuntimeOrigin::signed(1), 0));
		assert_ok!(Labelers::request_qualification(RuntimeOrigin::signed(2), 0));
		// a score beyond the range is refused
		let beyond: Vec<Label> = [101u16, 0, 0, 0, 0].iter().map(|s| Label::Score(*s)).collect();
		assert_noop!(
			Labelers::submit_qualification(RuntimeOrigin::signed(1), 0, bv(&beyond)),
			Error::<Test>::InvalidLabel
		);
		// candidate 1: errors 5 + 5 + 5 + 5 + 5 = 25 points (passes at the bar)
		let one: Vec<Label> = [85u16, 15, 55, 5, 95].iter().map(|s| Label::Score(*s)).collect();
		assert_ok!(Labelers::submit_qualification(RuntimeOrigin::signed(1), 0, bv(&one)));
		// candidate 2: 26 points (fails by one point)
		let two: Vec<Label> = [86u16, 15, 55, 5, 95].iter().map(|s| Label::Score(*s)).collect();
		assert_ok!(Labelers::submit_qualification(RuntimeOrigin::signed(2), 1, bv(&two)));
		let reveal: Vec<(Label, crate::Salt)> =
			gold.iter().map(|s| (Label::Score(*s), CURATOR_SALT)).collect();
		assert_ok!(Labelers::reveal_gold(RuntimeOrigin::root(), 0, bv(&reveal)));
		assert_ok!(Labelers::reveal_gold(RuntimeOrigin::root(), 1, bv(&reveal)));
		let ev = events();
		assert!(ev.iter().any(|e| matches!(e, Event::Qualified { labeler: 1, score_error: Some(x), .. } if *x == FixedU128::from_rational(25, 500))));
		assert!(ev.iter().any(|e| matches!(e, Event::QualificationFailed { labeler: 2, score_error: Some(x), .. } if *x == FixedU128::from_rational(26, 500))));
	});
}

#[test]
fn gold_is_never_handed_out_twice() {
	ExtBuilder::default().build_and_execute(|| {
		box_domain(1);
		stock_second_round();
		register(1, &[0]);
		register(2, &[0]);
		assert_ok!(Labelers::request_qualification(RuntimeOrigin::signed(1), 0));
		assert_ok!(Labelers::request_qualification(RuntimeOrigin::signed(2), 0));
		let r0 = Rounds::<Test>::get(0).unwrap().gold.to_vec();
		let r1 = Rounds::<Test>::get(1).unwrap().gold.to_vec();
		assert!(r0.iter().all(|g| !r1.contains(g)));
		register(3, &[0]);
		assert_noop!(
			Labelers::request_qualification(RuntimeOrigin::signed(3), 0),
			Error::<Test>::NotEnoughGold
		);
	});
}

#[test]
fn request_errors_change_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		box_domain(1);
		assert_noop!(
			Labelers::request_qualification(RuntimeOrigin::signed(1), 0),
			Error::<Test>::NotRegistered
		);
		register(1, &[]);
		assert_noop!(
			Labelers::request_qualification(RuntimeOrigin::signed(1), 3),
			Error::<Test>::UnknownDomain
		);
		assert_noop!(
			Labelers::request_qualification(RuntimeOrigin::signed(1), 0),
			Error::<Test>::DomainNotDeclared
		);
		// account 6 can pay registration (100) but not the round deposit (50) on top
		register(6, &[0]);
		assert_noop!(
			Labelers::request_qualification(RuntimeOrigin::signed(6), 0),
			Error::<Test>::InsufficientBalance
		);
		register(2, &[0]);
		assert_ok!(Labelers::request_qualification(RuntimeOrigin::signed(2), 0));
		assert_noop!(
			Labelers::request_qualification(RuntimeOrigin::signed(2), 0),
			Error::<Test>::RoundAlreadyOpen
		);
	});
}

#[test]
fn submit_errors_change_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		box_domain(1);
		register(1, &[0]);
		register(2, &[0]);
		assert_ok!(Labelers::request_qualification(RuntimeOrigin::signed(1), 0));
		let ok = vec![gold_a(), gold_b()];
		assert_noop!(
			Labelers::submit_qualification(RuntimeOrigin::signed(1), 5, bv(&ok)),
			Error::<Test>::UnknownRound
		);
		assert_noop!(
			Labelers::submit_qualification(RuntimeOrigin::signed(2), 0, bv(&ok)),
			Error::<Test>::NotCandidate
		);
		assert_noop!(
			Labelers::submit_qualification(RuntimeOrigin::signed(1), 0, bv(&ok[..1])),
			Error::<Test>::WrongAnswerCount
		);
		for bad in [
			Label::Class(0),                    // wrong variant
			boxes(&[(0, 0, 10, 10, 3)]),        // class out of range (3 classes)
			boxes(&[(10, 0, 10, 10, 0)]),       // empty box
			boxes(&[(0, 0, 2_000_000, 10, 0)]), // beyond the coordinate limit
		] {
			assert_noop!(
				Labelers::submit_qualification(RuntimeOrigin::signed(1), 0, bv(&[bad, gold_b()])),
				Error::<Test>::InvalidLabel
			);
		}
		run_to(7);
		assert_noop!(
			Labelers::submit_qualification(RuntimeOrigin::signed(1), 0, bv(&ok)),
			Error::<Test>::AnswerWindowClosed
		);
		run_to(6);
		assert_ok!(Labelers::submit_qualification(RuntimeOrigin::signed(1), 0, bv(&ok)));
		assert_noop!(
			Labelers::submit_qualification(RuntimeOrigin::signed(1), 0, bv(&ok)),
			Error::<Test>::NotAnswering
		);
	});
}

#[test]
fn reveal_errors_change_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		box_domain(1);
		register(1, &[0]);
		assert_ok!(Labelers::request_qualification(RuntimeOrigin::signed(1), 0));
		let good = reveal_both();
		assert_noop!(
			Labelers::reveal_gold(RuntimeOrigin::root(), 0, good.clone()),
			Error::<Test>::RoundNotReady
		);
		assert_ok!(Labelers::submit_qualification(RuntimeOrigin::signed(1), 0, right_answers()));
		assert_noop!(
			Labelers::reveal_gold(RuntimeOrigin::signed(1), 0, good.clone()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Labelers::reveal_gold(RuntimeOrigin::root(), 4, good.clone()),
			Error::<Test>::UnknownRound
		);
		assert_noop!(
			Labelers::reveal_gold(RuntimeOrigin::root(), 0, bv(&[(gold_a(), CURATOR_SALT)])),
			Error::<Test>::WrongRevealCount
		);
		// a different answer, or the right answer with another salt, does not open the commitment
		assert_noop!(
			Labelers::reveal_gold(
				RuntimeOrigin::root(),
				0,
				bv(&[(gold_b(), CURATOR_SALT), (gold_b(), CURATOR_SALT)])
			),
			Error::<Test>::CommitmentMismatch
		);
		assert_noop!(
			Labelers::reveal_gold(
				RuntimeOrigin::root(),
				0,
				bv(&[(gold_a(), [0u8; 32]), (gold_b(), CURATOR_SALT)])
			),
			Error::<Test>::CommitmentMismatch
		);
		assert_ok!(Labelers::reveal_gold(RuntimeOrigin::root(), 0, good));
	});
}

#[test]
fn silent_candidate_fails_and_forfeits_on_reveal() {
	ExtBuilder::default().build_and_execute(|| {
		box_domain(1);
		register(1, &[0]);
		assert_ok!(Labelers::request_qualification(RuntimeOrigin::signed(1), 0));
		run_to(7);
		let before = Balances::balance(&TREASURY);
		assert_ok!(Labelers::reveal_gold(RuntimeOrigin::root(), 0, reveal_both()));
		assert_eq!(Balances::balance(&TREASURY), before + 50);
		assert!(matches!(
			Qualifications::<Test>::get(1, 0),
			Some(Qualification::Failed { retry_at: 17 })
		));
	});
}

#[test]
fn expire_round_handles_both_sides() {
	ExtBuilder::default().build_and_execute(|| {
		box_domain(1);
		stock_second_round();
		register(1, &[0]);
		register(2, &[0]);
		assert_ok!(Labelers::request_qualification(RuntimeOrigin::signed(1), 0));
		assert_ok!(Labelers::request_qualification(RuntimeOrigin::signed(2), 0));
		assert_ok!(Labelers::submit_qualification(RuntimeOrigin::signed(2), 1, right_answers()));
		assert_noop!(
			Labelers::expire_round(RuntimeOrigin::signed(3), 0),
			Error::<Test>::RoundNotExpired
		);
		run_to(12);
		assert_noop!(
			Labelers::expire_round(RuntimeOrigin::signed(3), 9),
			Error::<Test>::UnknownRound
		);
		let before = Balances::balance(&TREASURY);
		// silent candidate 1: forfeits, fails
		assert_ok!(Labelers::expire_round(RuntimeOrigin::signed(3), 0));
		assert_eq!(Balances::balance(&TREASURY), before + 50);
		System::assert_has_event(
			Event::RoundExpired { round: 0, labeler: 1, forfeited: 50 }.into(),
		);
		// candidate 2 answered, curator never revealed: refund, no cool-down
		let free = Balances::balance(&2);
		assert_ok!(Labelers::expire_round(RuntimeOrigin::signed(3), 1));
		assert_eq!(Balances::balance(&2), free + 50);
		System::assert_has_event(Event::RoundExpired { round: 1, labeler: 2, forfeited: 0 }.into());
		assert!(Qualifications::<Test>::get(2, 0).is_none());
		assert_eq!(Gold::<Test>::count(), 0);
	});
}

// ---- reputation trait ----

#[test]
fn reputation_trait_updates_weight() {
	ExtBuilder::default().build_and_execute(|| {
		box_domain(1);
		register(1, &[0]);
		type R = Labelers;
		assert_eq!(<R as LabelerRegistry<u64>>::weight_of(&1, 0), FixedU128::one());
		// perfect labels: x = 0 -> a = 1.2
		let w = <R as LabelerRegistry<u64>>::record_outcome(&1, 0, FixedU128::zero());
		assert_eq!(w, FixedU128::from_rational(12, 10));
		// a right challenge changes nothing; one wrong in two raises x by the excess failure
		// rate: (20 * 1 - 2) / (20 * (2 + 20)) = 9 / 220
		assert_eq!(<R as LabelerRegistry<u64>>::record_challenge(&1, 0, true), w);
		let w2 = <R as LabelerRegistry<u64>>::record_challenge(&1, 0, false);
		assert!(w2 < w);
		assert_eq!(
			Reputation::<Test>::get(1, 0)
				.stats
				.error(crowdlabel_consensus::ErrorMetric::Mean),
			Some(FixedU128::from_rational(9, 220))
		);
		// a missed reveal counts as one more wrong answer: (40 - 3) / (20 * 23) = 37 / 460
		<R as LabelerRegistry<u64>>::record_missed_reveal(&1, 0);
		let stats = Reputation::<Test>::get(1, 0).stats;
		assert_eq!((stats.challenges, stats.challenges_failed), (3, 2));
		assert_eq!(
			stats.error(crowdlabel_consensus::ErrorMetric::Mean),
			Some(FixedU128::from_rational(37, 460))
		);
		assert!(events()
			.iter()
			.any(|e| matches!(e, Event::ReputationUpdated { labeler: 1, domain: 0, .. })));
		assert!(<R as LabelerRegistry<u64>>::domain(0).is_some());
		assert!(<R as LabelerRegistry<u64>>::is_registered(&1));
		assert!(!<R as LabelerRegistry<u64>>::is_registered(&42));
	});
}

#[test]
fn id_counters_never_wrap() {
	ExtBuilder::default().build_and_execute(|| {
		NextDomainId::<Test>::put(DomainId::MAX);
		assert_noop!(
			Labelers::create_domain(RuntimeOrigin::root(), name(), BOX_KIND, box_params(2)),
			Error::<Test>::IdOverflow
		);
		NextDomainId::<Test>::put(0);
		assert_ok!(Labelers::create_domain(RuntimeOrigin::root(), name(), BOX_KIND, box_params(2)));
		crate::pallet::NextGoldId::<Test>::put(u32::MAX);
		assert_noop!(
			Labelers::add_gold(RuntimeOrigin::root(), 0, bv(&[(item(1), commit(&gold_a()))])),
			Error::<Test>::IdOverflow
		);
	});
}

#[test]
fn reveal_rejects_a_committed_answer_that_does_not_fit_the_domain() {
	ExtBuilder::default().build_and_execute(|| {
		// The curator committed a class label as gold of a box domain by mistake.
		assert_ok!(Labelers::create_domain(RuntimeOrigin::root(), name(), BOX_KIND, box_params(1)));
		let wrong_kind = Label::Class(1);
		assert_ok!(Labelers::add_gold(
			RuntimeOrigin::root(),
			0,
			bv(&[(item(1), commit(&wrong_kind))])
		));
		register(1, &[0]);
		assert_ok!(Labelers::request_qualification(RuntimeOrigin::signed(1), 0));
		assert_ok!(Labelers::submit_qualification(RuntimeOrigin::signed(1), 0, bv(&[gold_a()])));
		assert_noop!(
			Labelers::reveal_gold(RuntimeOrigin::root(), 0, bv(&[(wrong_kind, CURATOR_SALT)])),
			Error::<Test>::InvalidLabel
		);
	});
}

/// `api_labeler` reports the deposit, declared domains and per-domain standing from storage:
/// a failed round gives `retry_at` and a lowered weight, a passed one `qualified`; accounts
/// that never registered get `None`.
#[test]
fn api_labeler_reports_standing_per_domain() {
	ExtBuilder::default().build_and_execute(|| {
		box_domain(1);
		assert_eq!(Labelers::api_labeler(&1), None);
		register(1, &[0]);
		let info = Labelers::api_labeler(&1).unwrap();
		assert_eq!((info.deposit, info.declared.clone()), (100, vec![0]));
		assert_eq!(info.domains.len(), 1);
		let fresh = &info.domains[0];
		assert!(!fresh.qualified && fresh.retry_at.is_none() && fresh.error.is_none());
		assert_eq!((fresh.weight, fresh.samples), (FixedU128::one(), 0));

		assert_ok!(Labelers::request_qualification(RuntimeOrigin::signed(1), 0));
		let wrong = vec![boxes(&[(500, 500, 600, 600, 0)]), boxes(&[])];
		assert_ok!(Labelers::submit_qualification(RuntimeOrigin::signed(1), 0, bv(&wrong)));
		assert_ok!(Labelers::reveal_gold(RuntimeOrigin::root(), 0, reveal_both()));
		let failed = Labelers::api_labeler(&1).unwrap().domains[0].clone();
		assert!(!failed.qualified);
		assert_eq!(failed.retry_at, Some(11));
		assert_eq!((failed.samples, failed.error), (2, Some(FixedU128::one())));
		assert!(failed.weight < FixedU128::one());

		<Labelers as LabelerRegistry<u64>>::record_challenge(&1, 0, false);
		let after = Labelers::api_labeler(&1).unwrap().domains[0].clone();
		assert_eq!((after.challenges, after.challenges_failed), (1, 1));

		stock_second_round();
		run_to(11);
		assert_ok!(Labelers::request_qualification(RuntimeOrigin::signed(1), 0));
		assert_ok!(Labelers::submit_qualification(RuntimeOrigin::signed(1), 1, right_answers()));
		assert_ok!(Labelers::reveal_gold(RuntimeOrigin::root(), 1, reveal_both()));
		let passed = Labelers::api_labeler(&1).unwrap().domains[0].clone();
		assert!(passed.qualified && passed.retry_at.is_none());
		assert_eq!(passed.samples, 4);
	});
}

// ---- storage migration ----

/// Version 0 → 1: registrations lose the `pending` counter and keep everything else; the work
/// it counted is read from open rounds and the jobs pallet's holds instead.
#[test]
fn the_v1_migration_drops_the_pending_counter_and_keeps_every_registration() {
	use crate::migrations::v1::{InnerMigrateV0ToV1, LabelerV0, MigrateV0ToV1};
	use codec::Encode;
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	ExtBuilder::default().build_and_execute(|| {
		box_domain(1);
		register(1, &[0]);
		register(2, &[]);
		assert_ok!(Labelers::request_qualification(RuntimeOrigin::signed(1), 0));
		let before: Vec<(u64, _)> =
			[1u64, 2].iter().map(|w| (*w, Registrations::<Test>::get(w).unwrap())).collect();
		// As a version-0 chain stored them: 1 with its open round and a package counted.
		for (who, l) in &before {
			let old = LabelerV0 {
				deposit: l.deposit,
				domains: l.domains.clone(),
				registered_at: l.registered_at,
				pending: if *who == 1 { 2 } else { 0 },
			};
			let key = Registrations::<Test>::hashed_key_for(who);
			frame_support::storage::unhashed::put_raw(&key, &old.encode());
		}
		StorageVersion::new(0).put::<Labelers>();
		// A version-0 record still reads as version 1 (decoding ignores the trailing counter),
		// but it carries 4 stale bytes the migration drops.
		let raw_len = |who: u64| {
			let key = Registrations::<Test>::hashed_key_for(who);
			frame_support::storage::unhashed::get_raw(&key)
				.map(|v| v.len())
				.unwrap_or_default()
		};
		let stale = [raw_len(1), raw_len(2)];

		let snapshot = InnerMigrateV0ToV1::<Test>::snapshot().expect("pre_upgrade");
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		InnerMigrateV0ToV1::<Test>::verify(snapshot).expect("post_upgrade");
		assert_eq!(Labelers::on_chain_storage_version(), StorageVersion::new(1));
		for (who, l) in &before {
			assert_eq!(Registrations::<Test>::get(who).as_ref(), Some(l));
		}
		assert_eq!([raw_len(1), raw_len(2)], [stale[0] - 4, stale[1] - 4]);
		// The open round still keeps 1 in; 2 leaves; a second run changes nothing.
		assert_noop!(Labelers::unregister(RuntimeOrigin::signed(1)), Error::<Test>::WorkPending);
		assert_ok!(Labelers::unregister(RuntimeOrigin::signed(2)));
		let stored = Registrations::<Test>::get(1);
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(Registrations::<Test>::get(1), stored);
	});
}

/// Version 1 → 2: a score model gains the truth sums of its calibration line, as a line of slope 1
/// with the bias and noise it had; class and box models keep their bytes.
#[test]
fn the_v2_migration_gives_score_models_a_line_and_keeps_the_rest() {
	use crate::migrations::{
		v2::{InnerMigrateV1ToV2, MigrateV1ToV2, ReliabilityV1, ScoreStatsV1},
		Reliabilities,
	};
	use codec::Encode;
	use crowdlabel_consensus::{BoxStats, ClassModel, ScorePrior, ScoreStats};
	use crowdlabel_labels::Reliability;
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	ExtBuilder::default().build_and_execute(|| {
		// Domains 0 (stars), 1 (boxes) and 2 (8 classes).
		let kinds = [
			(LabelKind::STARS, star_params(5)),
			(BOX_KIND, box_params(2)),
			(LabelKind::SingleClass { classes: 8 }, box_params(5)),
		];
		for (kind, params) in kinds {
			assert_ok!(Labelers::create_domain(RuntimeOrigin::root(), name(), kind, params));
		}
		let old_score =
			ScoreStatsV1 { n: 10, sum_residual: 2_500_000_000, sum_sq_residual: 700_000_000 };
		let mut class = ClassModel::new(8).unwrap();
		class.record(1, 2, 1, 0).unwrap();
		let mut boxes = BoxStats::default();
		boxes.record(Perbill::from_percent(80), 2, 0);
		let old = [
			(1u64, 0u32, ReliabilityV1::Score { min: 1, max: 5, stats: old_score }),
			(2, 1, ReliabilityV1::Boxes(boxes)),
			(3, 2, ReliabilityV1::Class(class)),
		];
		for (who, domain, model) in &old {
			let key = Reliabilities::<Test>::hashed_key_for(who, domain);
			frame_support::storage::unhashed::put_raw(&key, &model.encode());
		}
		StorageVersion::new(1).put::<Labelers>();
		// A version-1 score model does not decode at version 2 (its truth sums are missing).
		assert!(Reliabilities::<Test>::get(1, 0).is_none());
		assert_eq!(Reliabilities::<Test>::get(2, 1), Some(Reliability::Boxes(boxes)));

		let snapshot = InnerMigrateV1ToV2::<Test>::snapshot().expect("pre_upgrade");
		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		InnerMigrateV1ToV2::<Test>::verify(snapshot).expect("post_upgrade");
		assert_eq!(Labelers::on_chain_storage_version(), StorageVersion::new(2));
		let stats = ScoreStats::from_residuals(10, 2_500_000_000, 700_000_000);
		assert_eq!(
			Reliabilities::<Test>::get(1, 0),
			Some(Reliability::Score { min: 1, max: 5, stats })
		);
		assert_eq!(Reliabilities::<Test>::get(2, 1), Some(Reliability::Boxes(boxes)));
		assert_eq!(Reliabilities::<Test>::get(3, 2), Some(Reliability::Class(class)));
		// The migrated line: slope 1, the old bias Σr / (n + k0) = 2.5 / 13.
		let prior = ScorePrior::default();
		assert_eq!(stats.slope(&prior).into_inner(), 1_000_000_000);
		assert!((stats.bias(&prior).into_inner() - 2_500_000_000 / 13).abs() <= 1);
		// A second run changes nothing.
		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(
			Reliabilities::<Test>::get(1, 0),
			Some(Reliability::Score { min: 1, max: 5, stats })
		);
	});
}

/// Version 2 → 3: every reliability model moves into its labeler's reputation entry, which keeps
/// its error statistics; a labeler with statistics and no model gets `None`, one with a model and
/// no statistics default statistics; no model stays apart.
#[test]
fn the_v3_migration_moves_each_model_into_its_reputation_record() {
	use crate::{
		migrations::{
			v3::{InnerMigrateV2ToV3, MigrateV2ToV3},
			Reliabilities,
		},
		types::LabelerRecord,
	};
	use codec::Encode;
	use crowdlabel_consensus::{BoxStats, ClassModel, ErrorStats};
	use crowdlabel_labels::Reliability;
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	ExtBuilder::default().build_and_execute(|| {
		box_domain(1);
		assert_ok!(Labelers::create_domain(
			RuntimeOrigin::root(),
			name(),
			LabelKind::SingleClass { classes: 8 },
			box_params(5)
		));
		let mut stats = ErrorStats::default();
		stats.record(FixedU128::from_rational(1, 3));
		stats.record_challenge(false);
		let mut class = ClassModel::new(8).unwrap();
		class.record(1, 2, 1, 0).unwrap();
		let mut boxes = BoxStats::default();
		boxes.record(Perbill::from_percent(80), 2, 0);
		// Labeler 1: statistics and a model in domain 0; 2: statistics only; 3: a model only.
		let old_stats = [(1u64, 0u32, stats), (2, 0, ErrorStats::default())];
		let old_models =
			[(1u64, 0u32, Reliability::Boxes(boxes)), (3, 1, Reliability::Class(class))];
		for (who, domain, s) in &old_stats {
			let key = Reputation::<Test>::hashed_key_for(who, domain);
			frame_support::storage::unhashed::put_raw(&key, &s.encode());
		}
		for (who, domain, m) in &old_models {
			Reliabilities::<Test>::insert(who, domain, m);
		}
		StorageVersion::new(2).put::<Labelers>();
		// A version-2 entry does not decode as a record (the model byte is missing).
		let raw = Reputation::<Test>::hashed_key_for(1, 0);
		assert!(frame_support::storage::unhashed::get::<LabelerRecord>(&raw).is_none());

		let snapshot = InnerMigrateV2ToV3::<Test>::snapshot().expect("pre_upgrade");
		MigrateV2ToV3::<Test>::on_runtime_upgrade();
		InnerMigrateV2ToV3::<Test>::verify(snapshot).expect("post_upgrade");
		assert_eq!(Labelers::on_chain_storage_version(), StorageVersion::new(3));
		assert_eq!(
			Reputation::<Test>::get(1, 0),
			LabelerRecord { stats, model: Some(Reliability::Boxes(boxes)) }
		);
		assert_eq!(Reputation::<Test>::get(2, 0), LabelerRecord::default());
		assert!(Reputation::<Test>::contains_key(2, 0));
		assert_eq!(
			Reputation::<Test>::get(3, 1),
			LabelerRecord { stats: ErrorStats::default(), model: Some(Reliability::Class(class)) }
		);
		assert_eq!(Reputation::<Test>::iter_keys().count(), 3);
		assert_eq!(Reliabilities::<Test>::iter_keys().count(), 0);
		// The models vote: labeler 1's box model is the one the registry hands out.
		assert_eq!(
			<Labelers as LabelerRegistry<u64>>::reliability(&1, 0),
			Some(Reliability::Boxes(boxes))
		);
		// A second run changes nothing.
		let all: Vec<_> = Reputation::<Test>::iter().collect();
		MigrateV2ToV3::<Test>::on_runtime_upgrade();
		let mut again: Vec<_> = Reputation::<Test>::iter().collect();
		let mut all = all;
		all.sort_by_key(|(w, d, _)| (*w, *d));
		again.sort_by_key(|(w, d, _)| (*w, *d));
		assert_eq!(again, all);
	});
}
