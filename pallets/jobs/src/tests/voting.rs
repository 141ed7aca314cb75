//! Voting power: consensus voted by the labelers' reliability models, the models learned from
//! every judged label and every revealed challenge (once each), and pay weights calibrated to a
//! mean of 1.

use super::*;
use crate::{
	pallet::{Assignments, Contributions, Results},
	types::AssignmentState,
};
use crowdlabel_consensus::{ClassModel, FixedU128, Perbill};
use crowdlabel_labels::{Reliability, GOLD_WEIGHT};
use crowdlabel_traits::LabelerRegistry;

/// Three classes.
const CLASSES: LabelKind = LabelKind::SingleClass { classes: 3 };

fn class(c: u16) -> Label {
	Label::Class(c)
}

/// `who`'s model in `d`, as the registry holds it.
fn model(who: u64, d: u32) -> Reliability {
	<FakeLabelers as LabelerRegistry<u64>>::reliability(&who, d).expect("domain exists")
}

/// Answers recorded in a class model (weighted, so gold counts `GOLD_WEIGHT`).
fn answers_in(who: u64, d: u32) -> u32 {
	match model(who, d) {
		Reliability::Class(ClassModel::Confusion { counts, .. }) => counts.iter().sum(),
		other => panic!("not a confusion model: {other:?}"),
	}
}

/// `who`'s history: 45 answers `answer(k, truth)` against truths `k % 3`, recorded the way
/// the chain records a judged label.
fn history(who: u64, d: u32, answer: impl Fn(u16, u16) -> u16) {
	let mut m = model(who, d);
	for k in 0..45u16 {
		let t = k % 3;
		let a = answer(k, t);
		m.record(&class(a), &crowdlabel_labels::truth_of(&class(t)), 1).unwrap();
	}
	<FakeLabelers as LabelerRegistry<u64>>::set_reliability(&who, d, m);
}

/// Two colluders who agree on a wrong class outnumber an expert. With the pay weight as the
/// vote (a in [0.8, 1.2]) they won and the expert was slashed; now the labelers' reliability
/// decides: the colluders' record (answers unrelated to the truth) gives them no voting power.
#[test]
fn attack_colluders_outvote_an_expert() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(CLASSES, &[1, 2, 3]);
		history(1, d, |_, t| t);
		// Answers that do not depend on the truth.
		history(2, d, |k, _| k / 3 % 3);
		history(3, d, |k, _| (k / 3 + 1) % 3);
		let job = JobBuilder::new(d).create();
		let (truth, lie) = (labels(&[class(2), class(1)]), labels(&[class(0), class(0)]));
		package(job, 0).labeled_by(&[(1, &truth), (2, &lie), (3, &lie)]);
		assert!(Assignments::<Test>::contains_key((job, 0, 1)), "the expert is accepted");
		for w in [2u64, 3] {
			assert!(!Assignments::<Test>::contains_key((job, 0, w)), "colluder {w} slashed");
			assert!(events().iter().any(|e| matches!(
				e,
				Event::DepositSlashed { labeler, reason: SlashReason::BadLabels, .. } if *labeler == w
			)));
		}
		assert!(model(1, d).voting_power(&CLASSES) > Perbill::from_percent(60));
		assert!(model(2, d).voting_power(&CLASSES) < Perbill::from_percent(5));
	});
}

/// Honest labelers and two spammers label job after job, with no gold at all: the chain learns
/// from consensus alone, and the spammers' voting power falls to about 0 (not to two thirds of
/// an expert's, as the pay weight would leave it) while the honest labelers' grows.
#[test]
fn spammers_lose_their_voting_power_from_consensus_alone() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(CLASSES, &[1, 2, 3, 4, 5]);
		let fresh = model(4, d).voting_power(&CLASSES);
		for round in 0..12u16 {
			let job = JobBuilder::new(d).items(2).redundancy(5).create();
			let t = [round % 3, (round + 1) % 3];
			let honest = labels(&[class(t[0]), class(t[1])]);
			// Spammers: answers that do not depend on the truth (one always says 0).
			let s4 = labels(&[class(0), class(0)]);
			let s5 = labels(&[class(round / 3 % 3), class((round / 4 + 1) % 3)]);
			package(job, 0).labeled_by(&[
				(1, &honest),
				(2, &honest),
				(3, &honest),
				(4, &s4),
				(5, &s5),
			]);
			if round < 11 {
				// Whoever was slashed leaves a slot; the job is simply cancelled.
				assert_ok!(Jobs::cancel_job(RuntimeOrigin::signed(REQUESTER), job));
			}
		}
		for w in [4u64, 5] {
			let power = model(w, d).voting_power(&CLASSES);
			assert!(power < Perbill::from_percent(12), "spammer {w}: {power:?} (fresh {fresh:?})");
		}
		for w in [1u64, 2, 3] {
			assert!(model(w, d).voting_power(&CLASSES) > Perbill::from_percent(60));
		}
	});
}

/// A package is judged again when a slashed labeler's replacement reveals: the labels accepted
/// at the first judgement vote again but teach their labelers' models only once.
#[test]
fn accepted_labels_teach_the_model_once() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(CLASSES, &[1, 2, 3, 4]);
		let job = JobBuilder::new(d).create();
		let (right, wrong) = (labels(&[class(1), class(2)]), labels(&[class(0), class(0)]));
		package(job, 0).labeled_by(&[(1, &right), (2, &right), (3, &wrong)]);
		assert!(!Assignments::<Test>::contains_key((job, 0, 3)), "3 was slashed");
		// Every judged label was recorded once: 2 items each.
		for w in [1u64, 2, 3] {
			assert_eq!(answers_in(w, d), 2, "labeler {w}");
		}
		package(job, 0).labeled_by(&[(4, &right)]);
		assert_eq!(Packages::<Test>::get(job, 0).accepted, 3);
		for w in [1u64, 2, 3, 4] {
			assert_eq!(answers_in(w, d), 2, "labeler {w}");
		}
	});
}

/// A revealed challenge item teaches every accepted label's model with the gold weight.
#[test]
fn challenges_teach_the_models_with_the_gold_weight() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(CLASSES, &[1, 2, 3]);
		let answers: ChallengesOf<Test> = bv(&[(1u32, class(2))]);
		let job = JobBuilder::new(d).challenges(&answers).create();
		let l = labels(&[class(1), class(2)]);
		let other = labels(&[class(0), class(1)]);
		package(job, 0).labeled_by(&[(1, &l), (2, &l), (3, &l)]);
		package(job, 1).labeled_by(&[(1, &other), (2, &other), (3, &other)]);
		let before: Vec<Reliability> = (1..=3).map(|w| model(w, d)).collect();
		assert!((1..=3).all(|w| answers_in(w, d) == 4));
		assert_ok!(Jobs::reveal_challenges(RuntimeOrigin::root(), job, answers, SALT));
		for w in 1..=3u64 {
			assert_eq!(answers_in(w, d), 4 + GOLD_WEIGHT, "labeler {w}");
			assert_ne!(model(w, d), before[w as usize - 1]);
		}
	});
}

/// Pay weights are calibrated over the job's paid labelers so that their mean is 1 (the
/// better labeler above 1, the worse below), and the dataset registry is handed those weights.
#[test]
fn pay_weights_have_a_mean_of_one() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		// Error records unlike the fake's perfect qualification: 0.05, 0.1 and 0.3.
		for (w, x) in [(1u64, 5u128), (2, 10), (3, 30)] {
			FakeLabelers::forget(w, d);
			<FakeLabelers as LabelerRegistry<u64>>::record_outcome(
				&w,
				d,
				FixedU128::from_rational(x, 100),
			);
		}
		let job = JobBuilder::new(d).create();
		complete_all(job, &[1, 2, 3]);
		assert_ok!(Jobs::settle_job(RuntimeOrigin::signed(9), job));
		let c = Contributions::<Test>::get(job, 0);
		let a: Vec<FixedU128> = (1..=3u64)
			.map(|w| c.iter().find(|(who, _)| *who == w).expect("contributor").1)
			.collect();
		let mean = (a[0] + a[1] + a[2]) / FixedU128::from_u32(3);
		let one = FixedU128::from_u32(1).into_inner();
		assert!(mean.into_inner().abs_diff(one) < one / 1_000_000, "{a:?}");
		assert!(a[0] > a[1] && a[1] > a[2] && a[2] < FixedU128::from_u32(1), "{a:?}");
		let got: Vec<u64> = (1..=3).map(claim).collect();
		assert!(got[0] > got[1] && got[1] > got[2], "{got:?}");
	});
}

/// A lazy rater always gives the most common score (50 on 0–100) and hopes to pull every item
/// towards it, costing nothing and (with a bias-and-noise model) keeping a vote worth about an
/// honest rater's. Its calibration line is flat (slope below `MIN_SCORE_SLOPE`): no vote. The
/// two honest raters decide the package alone, where the plain mean would move each item by a
/// third of the distance to 50, and nobody's deposit is at stake for the lazy one's sake.
#[test]
fn attack_lazy_rater_pulls_scores_to_the_middle() {
	ExtBuilder::default().build_and_execute(|| {
		let kind = LabelKind::Score { min: 0, max: 100 };
		let d = domain_with_qualified(kind, &[1, 2, 3]);
		// 40 judged answers each against truths spread over the range.
		for (who, answer) in [
			(1u64, (|t: u16| t + 1) as fn(u16) -> u16),
			(2, |t: u16| t.saturating_sub(1)),
			(3, |_: u16| 50),
		] {
			let mut m = model(who, d);
			for k in 0..40u16 {
				let t = (k * 37) % 101;
				let truth = crowdlabel_labels::truth_of(&Label::Score(t));
				m.record(&Label::Score(answer(t).min(100)), &truth, 1).unwrap();
			}
			<FakeLabelers as LabelerRegistry<u64>>::set_reliability(&who, d, m);
		}
		assert_eq!(model(3, d).voting_power(&kind), Perbill::zero(), "the lazy rater has no vote");
		assert!(model(1, d).voting_power(&kind) > Perbill::from_percent(50));
		let job = JobBuilder::new(d).items(2).create();
		let (a, b) = (
			labels(&[Label::Score(31), Label::Score(71)]),
			labels(&[Label::Score(29), Label::Score(69)]),
		);
		let lazy = labels(&[Label::Score(50), Label::Score(50)]);
		package(job, 0).labeled_by(&[(1, &a), (2, &b), (3, &lazy)]);
		let score = |item: u32| match Jobs::item_result(job, item).expect("judged").label {
			crowdlabel_labels::ConsensusLabel::Score(s) => s,
			other => panic!("not a score: {other:?}"),
		};
		let int = FixedU128::from_u32;
		// Truths 30 and 70 (the lazy rater's 20 points off pass the 37.5 % slash threshold, so it
		// stays in the package and votes); the plain mean would give 36.7 and 63.3.
		for (item, truth) in [(0u32, 30u32), (1, 70)] {
			let s = score(item);
			println!("item {item}: consensus {s:?}, truth {truth}");
			assert!(s >= int(truth - 2) && s <= int(truth + 2), "item {item}: {s:?}");
		}
		assert!(
			Assignments::<Test>::contains_key((job, 0, 3)),
			"the lazy rater's labels were accepted: its vote, not a slash, is what is tested"
		);
	});
}

/// The settlement re-vote: a package judged while nothing was known about its labelers went
/// with two colluders against an expert on one item; by the time the job settles the models have
/// learned who is who (here: histories recorded after the judgement, as other packages would
/// teach them), and the settlement votes the job once more: the item's published consensus
/// becomes the expert's, while deposits, payouts and the models stay as judged.
#[test]
fn settlement_revotes_the_job_with_what_the_models_learned_since() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(CLASSES, &[1, 2, 3]);
		let job = JobBuilder::new(d).items(5).package_size(5).create();
		// Agreement on four items; on the last the colluders (2, 3) agree on a wrong class.
		let truth = labels(&[class(0), class(1), class(2), class(0), class(1)]);
		let lie = labels(&[class(0), class(1), class(2), class(0), class(2)]);
		package(job, 0).labeled_by(&[(1, &truth), (2, &lie), (3, &lie)]);
		for w in [1u64, 2, 3] {
			assert!(
				matches!(
					Assignments::<Test>::get((job, 0, w)).map(|a| a.state),
					Some(AssignmentState::Accepted(_))
				),
				"labeler {w} accepted"
			);
		}
		let judged = Results::<Test>::get(job, 0).unwrap();
		assert_eq!(judged[4].label, crowdlabel_labels::truth_of(&class(2)), "the colluders won");
		// What later packages would teach: 1 an expert, 2 and 3 answering regardless of truth.
		history(1, d, |_, t| t);
		history(2, d, |k, _| k / 3 % 3);
		history(3, d, |k, _| (k / 3 + 1) % 3);
		let models: Vec<Reliability> = (1..=3).map(|w| model(w, d)).collect();
		let deposits: Vec<u64> = (1..=3).map(held_deposit).collect();
		assert_ok!(Jobs::settle_job(RuntimeOrigin::signed(9), job));
		let revised = Results::<Test>::get(job, 0).unwrap();
		assert_eq!(revised[4].label, crowdlabel_labels::truth_of(&class(1)), "the expert's class");
		assert_eq!(revised[4].agreement, Perbill::from_rational(1u32, 3), "one label of three");
		assert_eq!(&revised[..4], &judged[..4], "the agreed items are unchanged");
		assert!(events().contains(&Event::ConsensusRevised { job, items: 1 }));
		// Nothing else moves: the models, the deposits (released at the judgement) and the
		// contributors (paid for the package as judged).
		assert_eq!((1..=3).map(|w| model(w, d)).collect::<Vec<_>>(), models);
		assert_eq!((1..=3).map(held_deposit).collect::<Vec<_>>(), deposits);
		assert_eq!(Contributions::<Test>::get(job, 0).len(), 3);
		assert!((1..=3).all(|w| claim(w) > 0), "all three paid");
	});
}

/// A job whose settlement re-vote changes nothing emits no `ConsensusRevised`; a box job is not
/// voted again (the matchings would cost too much over a whole job).
#[test]
fn settlement_revote_is_quiet_when_nothing_changes_and_skips_boxes() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(CLASSES, &[1, 2, 3]);
		let job = JobBuilder::new(d).items(2).package_size(2).create();
		let l = labels(&[class(0), class(2)]);
		package(job, 0).labeled_by(&[(1, &l), (2, &l), (3, &l)]);
		let judged = Results::<Test>::get(job, 0).unwrap();
		assert_ok!(Jobs::settle_job(RuntimeOrigin::signed(9), job));
		assert_eq!(Results::<Test>::get(job, 0).unwrap(), judged);
		assert!(!events().iter().any(|e| matches!(e, Event::ConsensusRevised { .. })));

		let b = domain_with_qualified(BOX, &[4, 5, 6]);
		let job = JobBuilder::new(b).create();
		complete_all(job, &[4, 5, 6]);
		let before: Vec<_> = (0..2).map(|p| Results::<Test>::get(job, p)).collect();
		assert_ok!(Jobs::settle_job(RuntimeOrigin::signed(9), job));
		assert_eq!((0..2).map(|p| Results::<Test>::get(job, p)).collect::<Vec<_>>(), before);
		assert!(!events().iter().any(|e| matches!(e, Event::ConsensusRevised { .. })));
	});
}
