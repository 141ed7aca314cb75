//! Reliability-weighted consensus: the labels of an item voted with each labeler's
//! [`Reliability`] model, and the models learned from every finalised item.
//!
//! This is the step the chain runs per item and the off-chain replay
//! (`crowdlabel-infer --mode replay`) repeats exactly: [`reliable_consensus`] finalises an item
//! from its `R` labels and the labelers' models *as they are at that moment*, then
//! [`Reliability::record`] updates each model with the item's consensus (or, for a gold or
//! challenge item, with the known answer and [`Reliability::gold_weight`]). The models and their maths are in
//! `crowdlabel_consensus::reliability`:
//!
//! - single class: a Dawid–Skene confusion matrix per labeler ([`ClassModel`]), consensus
//!   `argmax_t Σ ln p_l(a_l | t)`;
//! - scores (1–5 stars, 0–100 ratings, ...): per-labeler calibration line and noise
//!   ([`ScoreStats`], in widths of the domain's range), consensus the precision-weighted mean of
//!   the truths the answers point to;
//! - boxes: agreement statistics ([`BoxStats`]), the weighted medoid with log-odds weights.
//!
//! Voting power is separate from the pay weight `a`: a spammer's goes to about 0.

use crate::{
	grading::grade_against_consensus,
	types::{ConsensusLabel, Label, LabelKind},
	InvalidLabel, ItemOutcome,
};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
pub use crowdlabel_consensus::reliability::{GOLD_WEIGHT, SCORE_GOLD_WEIGHT};
use crowdlabel_consensus::{
	box_weights, consensus_boxes, infer_class, infer_class_tables, infer_score,
	reliability::{DEFAULT_BOX_BASELINE, DEFAULT_CAP, MAX_CONFUSION_CLASSES},
	BoundingBox, BoxPrior, BoxStats, ClassLogTable, ClassModel, ClassPrior, FixedPointNumber,
	FixedU128, Perbill, ScorePrior, ScoreRange, ScoreStats,
};
use frame_support::{traits::Get, BoundedVec};
use scale_info::TypeInfo;

/// A labeler's reliability model in one domain, of the domain's label kind.
// One value per storage entry (at most 259 bytes encoded); boxing the class model buys nothing.
#[allow(clippy::large_enum_variant)]
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum Reliability {
	/// Single class: confusion counts (one-coin beyond 8 classes).
	Class(ClassModel),
	/// Scores: calibration-line moments, in widths of the range `min..=max` they were learned on.
	Score { min: u16, max: u16, stats: ScoreStats },
	/// Boxes: agreement moments.
	Boxes(BoxStats),
}

/// The class prior of a kind (`None` for other kinds, or an invalid class count).
fn class_prior(kind: &LabelKind) -> Option<ClassPrior> {
	match kind {
		LabelKind::SingleClass { classes } => ClassPrior::default_for(*classes).ok(),
		_ => None,
	}
}

impl Reliability {
	/// A newcomer's model for `kind` (the default priors). Fails for a class count below 2 or a
	/// score range with `min >= max`.
	pub fn new(kind: &LabelKind) -> Result<Self, InvalidLabel> {
		match kind {
			LabelKind::SingleClass { classes } => {
				ClassModel::new(*classes).map(Self::Class).map_err(|_| InvalidLabel)
			},
			LabelKind::Score { min, max } if min < max => {
				Ok(Self::Score { min: *min, max: *max, stats: ScoreStats::default() })
			},
			LabelKind::Score { .. } => Err(InvalidLabel),
			LabelKind::BoundingBoxes { .. } => Ok(Self::Boxes(BoxStats::default())),
		}
	}

	/// Whether the model is of `kind`'s family (a model of another kind is replaced by a new
	/// one before use).
	pub fn fits(&self, kind: &LabelKind) -> bool {
		match (self, kind) {
			(Self::Class(m), LabelKind::SingleClass { classes }) => m.classes() == *classes,
			(Self::Score { min, max, .. }, LabelKind::Score { min: lo, max: hi }) => {
				min == lo && max == hi
			},
			(Self::Boxes(_), LabelKind::BoundingBoxes { .. }) => true,
			_ => false,
		}
	}

	/// The labeler's voting power in `[0, 1]` (reporting; see the math crate for each kind's
	/// definition). 0 for a model that does not fit `kind`.
	pub fn voting_power(&self, kind: &LabelKind) -> Perbill {
		match (self, kind) {
			(Self::Class(m), LabelKind::SingleClass { .. }) => {
				class_prior(kind).and_then(|p| m.voting_power(&p).ok()).unwrap_or_default()
			},
			(Self::Score { stats, .. }, LabelKind::Score { .. }) if self.fits(kind) => {
				stats.voting_power(&ScorePrior::default())
			},
			(Self::Boxes(b), LabelKind::BoundingBoxes { .. }) => {
				b.voting_power(&BoxPrior::default(), DEFAULT_BOX_BASELINE).unwrap_or_default()
			},
			_ => Perbill::zero(),
		}
	}

	/// The update weight of a known gold / challenge answer in this model: [`SCORE_GOLD_WEIGHT`]
	/// for scores (gold alone fixes the origin of the biases), [`GOLD_WEIGHT`] for classes and
	/// boxes.
	pub fn gold_weight(&self) -> u32 {
		match self {
			Self::Score { .. } => SCORE_GOLD_WEIGHT,
			Self::Class(_) | Self::Boxes(_) => GOLD_WEIGHT,
		}
	}

	/// Records one label against the item's truth: its consensus (`weight` 1) or a known
	/// gold / challenge answer (`weight` [`Reliability::gold_weight`]). O(1). A label or truth of another
	/// kind than the model changes nothing and fails.
	pub fn record<S: Get<u32>>(
		&mut self,
		label: &Label<S>,
		truth: &ConsensusLabel<S>,
		weight: u32,
	) -> Result<(), InvalidLabel> {
		match (self, label, truth) {
			(Self::Class(m), Label::Class(a), ConsensusLabel::Class(t)) => {
				m.record(*t, *a, weight, DEFAULT_CAP).map_err(|_| InvalidLabel)
			},
			(Self::Score { min, max, stats }, Label::Score(x), ConsensusLabel::Score(t)) => {
				let range = ScoreRange::from_ints(*min, *max).map_err(|_| InvalidLabel)?;
				stats
					.record(FixedU128::saturating_from_integer(*x), *t, &range, weight, DEFAULT_CAP)
					.map_err(|_| InvalidLabel)
			},
			(Self::Boxes(b), Label::Boxes(_), ConsensusLabel::Boxes(_)) => {
				let boxes = LabelKind::BoundingBoxes { classes: u16::MAX };
				b.record(
					grade_against_consensus(&boxes, label, truth).agreement,
					weight,
					DEFAULT_CAP,
				);
				Ok(())
			},
			_ => Err(InvalidLabel),
		}
	}

	/// Moves a class label recorded (weight 1) against consensus `from` to consensus `to`
	/// ([`ClassModel::move_answer`]): the model as if the item's consensus had been `to`. Only
	/// class models learn from a revised consensus; any other pairing fails and changes nothing.
	pub fn move_label<S: Get<u32>>(
		&mut self,
		label: &Label<S>,
		from: &ConsensusLabel<S>,
		to: &ConsensusLabel<S>,
	) -> Result<(), InvalidLabel> {
		match (self, label, from, to) {
			(
				Self::Class(m),
				Label::Class(a),
				ConsensusLabel::Class(f),
				ConsensusLabel::Class(t),
			) => m.move_answer(*f, *t, *a).map_err(|_| InvalidLabel),
			_ => Err(InvalidLabel),
		}
	}
}

/// A known answer (gold, challenge) as the truth a model is recorded against.
pub fn truth_of<S: Get<u32>>(label: &Label<S>) -> ConsensusLabel<S> {
	match label {
		Label::Boxes(b) => ConsensusLabel::Boxes(b.clone()),
		Label::Class(c) => ConsensusLabel::Class(*c),
		Label::Score(s) => ConsensusLabel::Score(FixedU128::saturating_from_integer(*s)),
	}
}

/// Consensus of item `i` over `votes` (each: a labeler's labels of the package and the
/// labeler's model), voted by reliability; each vote's agreement (and, for scores, score error)
/// with it as [`crate::item_consensus`] reports them. Fails with [`InvalidLabel`] when a vote
/// has no label `i`, a label of another kind, or a model that does not fit `kind`.
pub fn reliable_consensus<S: Get<u32>>(
	kind: &LabelKind,
	votes: &[(&[Label<S>], &Reliability)],
	i: usize,
) -> Result<ItemOutcome<S>, InvalidLabel> {
	let label = match kind {
		LabelKind::SingleClass { .. } => {
			let prior = class_prior(kind).ok_or(InvalidLabel)?;
			let v: Vec<(u16, &ClassModel)> = votes
				.iter()
				.map(|(ls, r)| match (ls.get(i), r) {
					(Some(Label::Class(c)), Reliability::Class(m)) => Ok((*c, m)),
					_ => Err(InvalidLabel),
				})
				.collect::<Result<_, _>>()?;
			ConsensusLabel::Class(infer_class(&v, &prior, None).map_err(|_| InvalidLabel)?.class)
		},
		LabelKind::Score { .. } => {
			let range = kind.score_range().ok_or(InvalidLabel)?;
			let v: Vec<(FixedU128, &ScoreStats)> = votes
				.iter()
				.map(|(ls, r)| match (ls.get(i), r) {
					(Some(Label::Score(s)), Reliability::Score { stats, .. })
						if r.fits(kind)
							&& crate::grading::label_fits(kind, &Label::<S>::Score(*s)) =>
					{
						Ok((FixedU128::saturating_from_integer(*s), stats))
					},
					_ => Err(InvalidLabel),
				})
				.collect::<Result<_, _>>()?;
			let c =
				infer_score(&v, &range, &ScorePrior::default(), true).map_err(|_| InvalidLabel)?;
			ConsensusLabel::Score(c.value)
		},
		LabelKind::BoundingBoxes { .. } => {
			let mut sets: Vec<&[BoundingBox]> = Vec::with_capacity(votes.len());
			let mut stats: Vec<&BoxStats> = Vec::with_capacity(votes.len());
			for (ls, r) in votes {
				match (ls.get(i), r) {
					(Some(Label::Boxes(b)), Reliability::Boxes(m)) => {
						sets.push(b.as_slice());
						stats.push(m);
					},
					_ => return Err(InvalidLabel),
				}
			}
			let w = box_weights(&stats, &BoxPrior::default(), DEFAULT_BOX_BASELINE)
				.map_err(|_| InvalidLabel)?;
			let weighted: Vec<(&[BoundingBox], FixedU128)> =
				sets.iter().copied().zip(w.iter().copied()).collect();
			let c = consensus_boxes(&weighted).map_err(|_| InvalidLabel)?;
			let winner = sets.get(c.winner).ok_or(InvalidLabel)?;
			ConsensusLabel::Boxes(BoundedVec::truncate_from(winner.to_vec()))
		},
	};
	let mut agreement = Vec::with_capacity(votes.len());
	let mut score_error = Vec::with_capacity(votes.len());
	for (ls, _) in votes {
		let g = grade_against_consensus(kind, ls.get(i).ok_or(InvalidLabel)?, &label);
		agreement.push(g.agreement);
		score_error.push(g.score_error);
	}
	Ok(ItemOutcome { label, agreement, score_error })
}

/// Votes of a score package judged with the reliability models: passes of
/// [`package_consensus`] (see [`passes_for`]).
pub const PACKAGE_PASSES: u32 = 3;

/// The passes the chain runs for `kind`: [`PACKAGE_PASSES`] for scores, where each vote moves
/// the bias estimates the next one corrects with (stars at 40 % bad workers: 0.557 → 0.646 in the
/// simulation); one for classes, whose confusion counts barely move within one package (1, 3 and
/// 6 votes agree within 0.001 in the simulation at every bad-worker fraction and on the real
/// adult-content set, `docs/consensus-accuracy.md`), and one for boxes, whose vote (a weighted
/// medoid, `R(R − 1)/2` label-set matchings of up to 32 boxes per item) costs far more than a
/// class or score vote and gains little from a second one.
pub fn passes_for(kind: &LabelKind) -> u32 {
	match kind {
		LabelKind::Score { .. } => PACKAGE_PASSES,
		LabelKind::SingleClass { .. } | LabelKind::BoundingBoxes { .. } => 1,
	}
}

/// The votes on one item of a package: `(model index, label)` per vote, and the item's known
/// answer if it is a revealed gold / challenge item (it then stands as the consensus and is
/// recorded with [`Reliability::gold_weight`]).
pub struct ItemVotes<'a, S: Get<u32>> {
	/// `(index into the models, label)` of every vote.
	pub votes: Vec<(usize, &'a Label<S>)>,
	/// A known answer (gold), if any.
	pub known: Option<ConsensusLabel<S>>,
}

/// One item's outcome against a known answer: each vote graded against it.
fn known_outcome<S: Get<u32>>(
	kind: &LabelKind,
	votes: &[(usize, &Label<S>)],
	truth: &ConsensusLabel<S>,
) -> ItemOutcome<S> {
	let graded: Vec<_> =
		votes.iter().map(|(_, l)| grade_against_consensus(kind, l, truth)).collect();
	ItemOutcome {
		label: truth.clone(),
		agreement: graded.iter().map(|g| g.agreement).collect(),
		score_error: graded.iter().map(|g| g.score_error).collect(),
	}
}

/// A class package voted with one log table per labeler ([`ClassModel::log_table`]) instead of
/// two logarithms per vote, class and item: the same outcomes as [`reliable_consensus`] item by
/// item. `None` (the caller votes item by item) unless the kind has at most
/// [`MAX_CONFUSION_CLASSES`] classes and every voting model is a confusion model of that many
/// classes with answers in range, so every error is reported as the item-by-item vote reports it.
fn vote_classes_by_table<S: Get<u32>>(
	kind: &LabelKind,
	items: &[ItemVotes<S>],
	models: &[Reliability],
	table: ClassTable,
) -> Option<Result<Vec<ItemOutcome<S>>, InvalidLabel>> {
	let LabelKind::SingleClass { classes } = kind else { return None };
	if *classes > MAX_CONFUSION_CLASSES {
		return None;
	}
	let prior = class_prior(kind)?;
	let mut answers = alloc::vec![0u8; models.len()];
	for item in items.iter().filter(|i| i.known.is_none()) {
		for (m, label) in &item.votes {
			match (label, models.get(*m), answers.get_mut(*m)) {
				(Label::Class(a), Some(Reliability::Class(model)), Some(mask))
					if *a < *classes && model.classes() == *classes =>
				{
					*mask |= 1u8 << a
				},
				_ => return None,
			}
		}
	}
	let mut tables: Vec<Option<ClassLogTable>> = Vec::with_capacity(models.len());
	for (model, mask) in models.iter().zip(&answers) {
		tables.push(match (model, *mask) {
			(_, 0) => None,
			(Reliability::Class(m), mask) => Some(
				match table {
					ClassTable::Learned => m.log_table(&prior, mask),
					ClassTable::Selected => m.selected_log_table(&prior, mask),
				}
				.ok()?,
			),
			_ => return None,
		});
	}
	let outcomes = items
		.iter()
		.map(|item| {
			let truth = match &item.known {
				Some(t) => t.clone(),
				None => {
					let votes: Vec<(u16, &ClassLogTable)> = item
						.votes
						.iter()
						.map(|(m, label)| match (label, tables.get(*m)) {
							(Label::Class(a), Some(Some(table))) => Ok((*a, table)),
							_ => Err(InvalidLabel),
						})
						.collect::<Result<_, _>>()?;
					let inferred = infer_class_tables(&votes, None).map_err(|_| InvalidLabel)?;
					ConsensusLabel::Class(inferred.class)
				},
			};
			Ok(known_outcome(kind, &item.votes, &truth))
		})
		.collect();
	Some(outcomes)
}

/// Which model of each labeler a class vote reads.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum ClassTable {
	/// The learned confusion matrix ([`ClassModel::log_table`]): every package judgement.
	Learned,
	/// The matrix or its one-coin model, whichever the labeler's answers favour
	/// ([`ClassModel::selected_log_table`]): the settlement re-vote.
	Selected,
}

/// One vote over every item with `models` as they are (class models read as `table` says).
fn vote_package<S: Get<u32>>(
	kind: &LabelKind,
	items: &[ItemVotes<S>],
	models: &[Reliability],
	table: ClassTable,
) -> Result<Vec<ItemOutcome<S>>, InvalidLabel> {
	match vote_classes_by_table(kind, items, models, table) {
		Some(outcomes) => outcomes,
		None => vote_items(kind, items, models),
	}
}

/// One vote over every item with `models` as they are, item by item.
fn vote_items<S: Get<u32>>(
	kind: &LabelKind,
	items: &[ItemVotes<S>],
	models: &[Reliability],
) -> Result<Vec<ItemOutcome<S>>, InvalidLabel> {
	items
		.iter()
		.map(|item| match &item.known {
			Some(t) => Ok(known_outcome(kind, &item.votes, t)),
			None => {
				let votes: Vec<(&[Label<S>], &Reliability)> = item
					.votes
					.iter()
					.map(|(m, l)| {
						Ok((core::slice::from_ref(*l), models.get(*m).ok_or(InvalidLabel)?))
					})
					.collect::<Result<_, InvalidLabel>>()?;
				reliable_consensus(kind, &votes, 0)
			},
		})
		.collect()
}

/// Finalises a package the way the jobs pallet does and the off-chain replay repeats: every
/// item's consensus voted with the labelers' `models` as they are, then, `passes - 1` times,
/// voted again with copies of the models updated by the previous vote of this package (EM
/// within the package; the stored models are not changed here, see [`record_package`]).
/// Cost: `passes · items · R` model evaluations (`· C` for classes).
pub fn package_consensus<S: Get<u32>>(
	kind: &LabelKind,
	items: &[ItemVotes<S>],
	models: &[Reliability],
	passes: u32,
) -> Result<Vec<ItemOutcome<S>>, InvalidLabel> {
	let mut outcomes = vote_package(kind, items, models, ClassTable::Learned)?;
	for _ in 1..passes.max(1) {
		let mut trial = models.to_vec();
		record_package(items, &outcomes, &mut trial, |_| true)?;
		outcomes = vote_package(kind, items, &trial, ClassTable::Learned)?;
	}
	Ok(outcomes)
}

/// Whether the jobs pallet votes a job of `kind` once more when it settles ([`revise_job`]):
/// single class only. A class vote is a table lookup per label once each labeler's log table is
/// built (one table per labeler for the whole job); a box vote is `R(R − 1)/2` matchings per item,
/// too costly to repeat over a whole job in one call; scores are not re-voted (not measured).
pub fn revised_at_settlement(kind: &LabelKind) -> bool {
	matches!(kind, LabelKind::SingleClass { .. })
}

/// Votes of the settlement re-vote ([`revise_job`]): the first with the models as they are,
/// each further one with copies of them corrected by the previous vote. Measured in the
/// simulation (`docs/consensus.md`).
pub const SETTLEMENT_PASSES: u32 = 3;

/// The settlement re-vote: every item of a job (`items`, over all its packages; `judged`, each
/// item's consensus as its package was judged) voted once more with the labelers' `models` as
/// they are when the job settles — models that have learned from the job's own packages since
/// its first packages were judged, which an online vote cannot use. Then, `passes − 1` times,
/// voted again with copies of the models in which every label of an item whose consensus the
/// previous vote changed is moved from the judged consensus (which it was recorded against) to
/// the new one ([`Reliability::move_label`]; EM over the job, each pass starting from `models`).
/// In every vote a labeler's class model is read as the model its own answers favour
/// ([`ClassModel::selected_log_table`]: its confusion matrix, or one accuracy when the log Bayes
/// factor says the matrix only fits noise); package judgements read the matrix.
/// The stored models do not change. The outcome replaces the job's published consensus; the
/// payouts and slashes of its packages stay as judged. Items with a known answer keep it.
/// Cost: `passes` votes, `items · R` table lookups and one Bayes factor (`O(C²)` `ln Γ`) and
/// one log table per labeler each, and up to `(passes − 1) · items · R` moves.
pub fn revise_job<S: Get<u32>>(
	kind: &LabelKind,
	items: &[ItemVotes<S>],
	judged: &[ConsensusLabel<S>],
	models: &[Reliability],
	passes: u32,
) -> Result<Vec<ItemOutcome<S>>, InvalidLabel> {
	if judged.len() != items.len() {
		return Err(InvalidLabel);
	}
	let mut outcomes = vote_package(kind, items, models, ClassTable::Selected)?;
	for _ in 1..passes.max(1) {
		let mut trial = models.to_vec();
		for ((item, outcome), before) in items.iter().zip(&outcomes).zip(judged) {
			if item.known.is_some() || outcome.label == *before {
				continue;
			}
			for (m, label) in &item.votes {
				trial
					.get_mut(*m)
					.ok_or(InvalidLabel)?
					.move_label(label, before, &outcome.label)?;
			}
		}
		outcomes = vote_package(kind, items, &trial, ClassTable::Selected)?;
	}
	Ok(outcomes)
}

/// Records every vote of a finalised package into its model (`learns(model index)` selects
/// which models learn: on chain, only labels judged now, not labels accepted at an earlier
/// judgement of the package), against its item's consensus (weight 1) or known answer
/// ([`Reliability::gold_weight`]). O(R) per item; a box vote's agreement is taken from `outcomes` (each
/// outcome's `agreement[k]` belongs to its item's `votes[k]`), not computed again. All or nothing: on an error (a vote without a model, a
/// label or model of another kind) no model changes.
pub fn record_package<S: Get<u32>>(
	items: &[ItemVotes<S>],
	outcomes: &[ItemOutcome<S>],
	models: &mut [Reliability],
	learns: impl Fn(usize) -> bool,
) -> Result<(), InvalidLabel> {
	if items.len() != outcomes.len() {
		return Err(InvalidLabel);
	}
	let mut updated = models.to_vec();
	for (item, outcome) in items.iter().zip(outcomes) {
		for (k, (m, label)) in item.votes.iter().enumerate() {
			let model = updated.get_mut(*m).ok_or(InvalidLabel)?;
			if !learns(*m) {
				continue;
			}
			let weight = if item.known.is_some() { model.gold_weight() } else { 1 };
			match (model, label, outcome.agreement.get(k)) {
				// The vote's IoU with the consensus is in the outcome already: no second matching.
				(Reliability::Boxes(b), Label::Boxes(_), Some(agreement)) => {
					b.record(*agreement, weight, DEFAULT_CAP)
				},
				(model, _, _) => model.record(label, &outcome.label, weight)?,
			}
		}
	}
	models.clone_from_slice(&updated);
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;
	use frame_support::traits::ConstU32;

	type L = Label<ConstU32<4>>;
	type C = ConsensusLabel<ConstU32<4>>;
	const CLASSES: LabelKind = LabelKind::SingleClass { classes: 3 };

	/// A labeler who was right 40 times weighs more than two who always answered at random:
	/// reliability, not head count, decides.
	#[test]
	fn reliable_labeler_outvotes_two_spammers() {
		let mut expert = Reliability::new(&CLASSES).unwrap();
		let mut spammers =
			[Reliability::new(&CLASSES).unwrap(), Reliability::new(&CLASSES).unwrap()];
		for k in 0..60u16 {
			let t = k % 3;
			expert.record(&L::Class(t), &C::Class(t), 1).unwrap();
			for (j, s) in spammers.iter_mut().enumerate() {
				// Answers that do not depend on the truth.
				s.record(&L::Class((k / 3 + j as u16) % 3), &C::Class(t), 1).unwrap();
			}
		}
		let (e, s1, s2) = ([L::Class(2)], [L::Class(0)], [L::Class(0)]);
		let votes: [(&[L], &Reliability); 3] =
			[(&e, &expert), (&s1, &spammers[0]), (&s2, &spammers[1])];
		let o = reliable_consensus(&CLASSES, &votes, 0).unwrap();
		assert_eq!(o.label, C::Class(2));
		assert_eq!(o.agreement, alloc::vec![Perbill::one(), Perbill::zero(), Perbill::zero()]);
		assert!(expert.voting_power(&CLASSES) > Perbill::from_percent(50));
		for s in &spammers {
			assert!(s.voting_power(&CLASSES) < Perbill::from_percent(15));
		}
		// Plain plurality (the pay-weight vote) would have picked the spammers' class.
		let one = FixedU128::from_u32(1);
		let plain: [(&[L], FixedU128); 3] = [(&e, one), (&s1, one), (&s2, one)];
		assert_eq!(crate::item_consensus(&CLASSES, &plain, 0).unwrap().label, C::Class(0));
	}

	/// A labeler always one star high is corrected, not ignored.
	#[test]
	fn stars_are_bias_corrected() {
		let kind = LabelKind::STARS;
		let mut high = Reliability::new(&kind).unwrap();
		let mut exact = Reliability::new(&kind).unwrap();
		for k in 0..40u16 {
			let t = 1 + k % 4;
			high.record(&L::Score(t + 1), &truth_of(&L::Score(t)), 1).unwrap();
			exact.record(&L::Score(t), &truth_of(&L::Score(t)), 1).unwrap();
		}
		let (h, x) = ([L::Score(4)], [L::Score(3)]);
		let votes: [(&[L], &Reliability); 2] = [(&h, &high), (&x, &exact)];
		let o = reliable_consensus(&kind, &votes, 0).unwrap();
		let ConsensusLabel::Score(s) = o.label else { panic!("score") };
		// Both say 3 once the bias is removed (the shrunk bias leaves a few hundredths).
		assert!(s > FixedU128::from_rational(295, 100) && s < FixedU128::from_rational(310, 100));
		assert!(high.voting_power(&kind) > Perbill::from_percent(80));
	}

	/// A 0-100 rating: a rater 20 points high is corrected, a rater who answers at random loses
	/// his vote, and a model learned on another range does not fit.
	#[test]
	fn ratings_learn_bias_and_noise_in_range_widths() {
		let kind = LabelKind::Score { min: 0, max: 100 };
		let mut high = Reliability::new(&kind).unwrap();
		let mut random = Reliability::new(&kind).unwrap();
		for k in 0..60u16 {
			let t = 10 + (k * 7) % 70;
			high.record(&L::Score(t + 20), &truth_of(&L::Score(t)), 1).unwrap();
			random
				.record(&L::Score((k * 37 + 11) % 101), &truth_of(&L::Score(t)), 1)
				.unwrap();
		}
		assert!(high.voting_power(&kind) > Perbill::from_percent(80));
		assert!(random.voting_power(&kind) < Perbill::from_percent(10));
		// The biased rater says 70 (truth 50), the random one 5: the consensus is near 50.
		let (h, r) = ([L::Score(70)], [L::Score(5)]);
		let votes: [(&[L], &Reliability); 2] = [(&h, &high), (&r, &random)];
		let ConsensusLabel::Score(s) = reliable_consensus(&kind, &votes, 0).unwrap().label else {
			panic!("score")
		};
		assert!(s > FixedU128::from_u32(48) && s < FixedU128::from_u32(53), "{s:?}");
		// a score beyond the range is refused, and the model does not fit 1-5 stars
		assert_eq!(high.record(&L::Score(101), &truth_of(&L::Score(50)), 1), Err(InvalidLabel));
		assert!(!high.fits(&LabelKind::STARS));
		assert_eq!(high.voting_power(&LabelKind::STARS), Perbill::zero());
		assert_eq!(Reliability::new(&LabelKind::Score { min: 9, max: 9 }), Err(InvalidLabel));
	}

	#[test]
	fn boxes_spammer_has_no_weight() {
		let kind = LabelKind::BoundingBoxes { classes: 1 };
		let b = |x: u32| {
			L::Boxes(BoundedVec::truncate_from(alloc::vec![BoundingBox::new(
				x,
				x,
				x + 100,
				x + 100,
				0
			)
			.unwrap()]))
		};
		let mut good = Reliability::new(&kind).unwrap();
		let mut spam = Reliability::new(&kind).unwrap();
		for _ in 0..30 {
			good.record(&b(0), &truth_of(&b(2)), 1).unwrap();
			spam.record(&b(500), &truth_of(&b(2)), 1).unwrap();
		}
		assert_eq!(spam.voting_power(&kind), Perbill::zero());
		// One good labeler against two spammers who agree with each other.
		let (g, s1, s2) = ([b(0)], [b(600)], [b(601)]);
		let votes: [(&[L], &Reliability); 3] = [(&g, &good), (&s1, &spam), (&s2, &spam)];
		assert_eq!(reliable_consensus(&kind, &votes, 0).unwrap().label, truth_of(&b(0)));
	}

	/// Packages of 12 items, 5 labelers: one who is always right, two who slip on every 4th /
	/// 5th item, and two spammers whose answers do not depend on the truth (40 % bad workers). The
	/// models learn from each package (a gold item in each anchors them): the spammers' voting
	/// power falls to about 0, the others' grows, and later packages are all right.
	#[test]
	fn packages_learn_from_gold_and_consensus() {
		let truth: Vec<u16> = (0..12u16).map(|i| (i * 5 + 1) % 3).collect();
		let labels = |round: u16| -> Vec<Vec<L>> {
			let slip = |every: u16| -> Vec<L> {
				(0..12u16)
					.map(|i| {
						let t = truth[i as usize];
						L::Class(if (i + round).is_multiple_of(every) { (t + 1) % 3 } else { t })
					})
					.collect()
			};
			alloc::vec![
				truth.iter().map(|t| L::Class(*t)).collect(),
				slip(4),
				slip(5),
				(0..12u16).map(|i| L::Class((i + round) % 3)).collect(),
				(0..12u16).map(|i| L::Class((i / 3 + round) % 3)).collect(),
			]
		};
		fn items<'a>(
			l: &'a [Vec<L>],
			truth: &[u16],
			known: Option<usize>,
		) -> Vec<ItemVotes<'a, ConstU32<4>>> {
			(0..truth.len())
				.map(|i| ItemVotes {
					votes: l.iter().enumerate().map(|(k, v)| (k, &v[i])).collect(),
					known: (known == Some(i)).then(|| C::Class(truth[i])),
				})
				.collect()
		}
		let mut models = alloc::vec![Reliability::new(&CLASSES).unwrap(); 5];
		let mut right = alloc::vec![];
		for round in 0..8u16 {
			let l = labels(round);
			let it = items(&l, &truth, Some(round as usize % 12));
			let o = package_consensus(&CLASSES, &it, &models, PACKAGE_PASSES).unwrap();
			let ok = o.iter().zip(&truth).filter(|(o, t)| o.label == C::Class(**t)).count();
			right.push(ok);
			record_package(&it, &o, &mut models, |_| true).unwrap();
		}
		assert!(right[4..].iter().all(|r| *r == 12), "{right:?}");
		for spammer in &models[3..] {
			assert!(spammer.voting_power(&CLASSES) < Perbill::from_percent(10));
		}
		// A 75 %-accurate labeler's answer carries a third of a perfect one's information.
		assert!(models[0].voting_power(&CLASSES) > Perbill::from_percent(60));
		for good in &models[1..3] {
			assert!(good.voting_power(&CLASSES) > Perbill::from_percent(20));
		}
		// Only selected models learn.
		let l = labels(9);
		let it = items(&l, &truth, None);
		let o = package_consensus(&CLASSES, &it, &models, PACKAGE_PASSES).unwrap();
		let before = models.clone();
		record_package(&it, &o, &mut models, |m| m == 0).unwrap();
		assert_ne!(models[0], before[0]);
		assert_eq!(models[1..], before[1..]);
	}

	/// The table vote of a class package gives exactly the item-by-item vote's outcomes, over
	/// random packages and models (2 to 8 classes, 1 to 7 votes per item, gold items mixed in),
	/// and leaves every case it does not cover (more classes, a model of another class count, an
	/// answer out of range) to the item-by-item vote.
	#[test]
	fn table_vote_equals_item_by_item_vote() {
		let mut next = crate::xorshift(0x2545_f491_4f6c_dd1du64);
		for round in 0..200 {
			let classes = 2 + next(7) as u16;
			let kind = LabelKind::SingleClass { classes };
			let labelers = 1 + next(12) as usize;
			let mut models = alloc::vec![Reliability::new(&kind).unwrap(); labelers];
			for m in models.iter_mut() {
				for _ in 0..next(80) {
					let t = next(classes as u64) as u16;
					let a = if next(3) == 0 { next(classes as u64) as u16 } else { t };
					m.record(&L::Class(a), &C::Class(t), 1 + next(4) as u32).unwrap();
				}
			}
			let labels: Vec<Vec<L>> = (0..20)
				.map(|_| (0..labelers).map(|_| L::Class(next(classes as u64) as u16)).collect())
				.collect();
			let items: Vec<ItemVotes<ConstU32<4>>> = labels
				.iter()
				.map(|row| {
					let r = 1 + next(labelers.min(7) as u64) as usize;
					ItemVotes {
						votes: row.iter().enumerate().take(r).collect(),
						known: (next(10) == 0).then(|| C::Class(next(classes as u64) as u16)),
					}
				})
				.collect();
			let by_table = vote_classes_by_table(&kind, &items, &models, ClassTable::Learned)
				.expect("covered");
			assert_eq!(by_table, vote_items(&kind, &items, &models), "round {round}");
		}
		// Not covered: nine classes, a model of another class count, an answer out of range.
		let nine = LabelKind::SingleClass { classes: 9 };
		let (a, b) = (L::Class(1), L::Class(7));
		fn one(l: &L) -> ItemVotes<'_, ConstU32<4>> {
			ItemVotes { votes: alloc::vec![(0, l)], known: None }
		}
		let m9 = [Reliability::new(&nine).unwrap()];
		let m4 = [Reliability::new(&LabelKind::SingleClass { classes: 4 }).unwrap()];
		let m3 = [Reliability::new(&CLASSES).unwrap()];
		for table in [ClassTable::Learned, ClassTable::Selected] {
			assert!(vote_classes_by_table(&nine, &[one(&a)], &m9, table).is_none());
			assert!(vote_classes_by_table(&CLASSES, &[one(&a)], &m4, table).is_none());
			assert!(vote_classes_by_table(&CLASSES, &[one(&b)], &m3, table).is_none());
			assert_eq!(vote_package(&CLASSES, &[one(&b)], &m3, table), Err(InvalidLabel));
		}
	}

	/// Each settlement pass after the first votes with the models as if every label had been
	/// recorded against the previous pass's consensus instead of the judged one: over random
	/// crowds (2 to 9 classes, models learned from the judged consensus and nothing else, below
	/// the count cap), two passes give exactly the vote with models learned from scratch against
	/// the first pass, and three passes the vote with models learned against the second. One pass
	/// is the plain re-vote; `judged` of another length fails.
	#[test]
	fn settlement_passes_relearn_from_the_previous_vote() {
		let mut next = crate::xorshift(0x9e37_79b9_7f4a_7c15u64);
		let learned = |kind: &LabelKind,
		               labels: &[Vec<(usize, L)>],
		               truths: &[C],
		               labelers: usize|
		 -> Vec<Reliability> {
			let mut models = alloc::vec![Reliability::new(kind).unwrap(); labelers];
			for (votes, t) in labels.iter().zip(truths) {
				for (m, a) in votes {
					models[*m].record(a, t, 1).unwrap();
				}
			}
			models
		};
		let mut revised = 0;
		for round in 0..150 {
			let classes = 2 + next(8) as u16;
			let kind = LabelKind::SingleClass { classes };
			let labelers = 3 + next(8) as usize;
			// Each labeler right with its own probability, wrong at random otherwise.
			let skill: Vec<u64> = (0..labelers).map(|_| next(10)).collect();
			let truths: Vec<u16> = (0..60).map(|_| next(classes as u64) as u16).collect();
			let labels: Vec<Vec<(usize, L)>> = truths
				.iter()
				.map(|t| {
					let r = 2 + next(labelers as u64 - 1) as usize;
					let mut who: Vec<usize> = (0..labelers).collect();
					for k in 0..r {
						let j = k + next((labelers - k) as u64) as usize;
						who.swap(k, j);
					}
					who[..r]
						.iter()
						.map(|m| {
							let right = next(10) < skill[*m];
							(*m, L::Class(if right { *t } else { next(classes as u64) as u16 }))
						})
						.collect()
				})
				.collect();
			// The judged consensus: the truth for some items, a random class for the rest.
			let judged: Vec<C> = truths
				.iter()
				.map(|t| C::Class(if next(3) == 0 { next(classes as u64) as u16 } else { *t }))
				.collect();
			let items: Vec<ItemVotes<ConstU32<4>>> = labels
				.iter()
				.map(|v| ItemVotes { votes: v.iter().map(|(m, l)| (*m, l)).collect(), known: None })
				.collect();
			let models = learned(&kind, &labels, &judged, labelers);
			let first = revise_job(&kind, &items, &judged, &models, 1).unwrap();
			let settle = |models: &[Reliability]| {
				vote_package(&kind, &items, models, ClassTable::Selected).unwrap()
			};
			assert_eq!(first, settle(&models));
			let first_labels: Vec<C> = first.iter().map(|o| o.label.clone()).collect();
			revised += first_labels.iter().zip(&judged).filter(|(a, b)| a != b).count();
			let second = revise_job(&kind, &items, &judged, &models, 2).unwrap();
			let relearned = learned(&kind, &labels, &first_labels, labelers);
			assert_eq!(second, settle(&relearned), "round {round}");
			let second_labels: Vec<C> = second.iter().map(|o| o.label.clone()).collect();
			let third = revise_job(&kind, &items, &judged, &models, 3).unwrap();
			let relearned = learned(&kind, &labels, &second_labels, labelers);
			assert_eq!(third, settle(&relearned), "round {round}");
			assert_eq!(revise_job(&kind, &items, &judged[1..], &models, 3), Err(InvalidLabel));
		}
		// The passes had something to correct.
		assert!(revised > 1_000, "{revised}");
		// Moving a label needs a class model and class labels.
		let mut m = Reliability::new(&CLASSES).unwrap();
		let before = m.clone();
		assert_eq!(m.move_label(&L::Score(1), &C::Class(0), &C::Class(1)), Err(InvalidLabel));
		assert_eq!(m.move_label(&L::Class(3), &C::Class(0), &C::Class(1)), Err(InvalidLabel));
		assert_eq!(m, before);
		m.move_label(&L::Class(2), &C::Class(0), &C::Class(1)).unwrap();
		let mut direct = before;
		direct.record(&L::Class(2), &C::Class(1), 1).unwrap();
		assert_eq!(m, direct);
	}

	/// The settlement vote reads each labeler by the model its answers favour: over random crowds
	/// of honest labelers whose errors fall on any wrong class (4 classes, 5 labels per item,
	/// models learned from 60 items each), it gets more items right than the same vote with the
	/// learned matrices, which mistake sampling noise for confusions (2,294 against 2,275 of
	/// 2,400 items with this seed). One labeler of each crowd swaps two classes (its matrix is
	/// kept, `crowdlabel_consensus`'s `bayes_factor_picks_the_model_that_explains_the_answers`).
	#[test]
	fn settlement_vote_reads_labelers_by_their_favoured_model() {
		let mut next = crate::xorshift(0x5851_f42d_4c95_7f2du64);
		let kind = LabelKind::SingleClass { classes: 4 };
		let (mut learned_right, mut selected_right, mut items_voted) = (0, 0, 0);
		for _ in 0..60 {
			let labelers = 12usize;
			// Accuracy 55–95 % each; the last labeler also swaps classes 0 and 1.
			let skill: Vec<u64> = (0..labelers).map(|_| 55 + next(41)).collect();
			let answer = |m: usize, t: u16, next: &mut dyn FnMut(u64) -> u64| -> u16 {
				let a = if next(100) < skill[m] { t } else { (t + 1 + next(3) as u16) % 4 };
				if m + 1 == labelers && a < 2 {
					1 - a
				} else {
					a
				}
			};
			let mut models = alloc::vec![Reliability::new(&kind).unwrap(); labelers];
			for (m, model) in models.iter_mut().enumerate() {
				for _ in 0..60 {
					let t = next(4) as u16;
					let a = answer(m, t, &mut next);
					model.record(&L::Class(a), &C::Class(t), 1).unwrap();
				}
			}
			let truths: Vec<u16> = (0..40).map(|_| next(4) as u16).collect();
			let labels: Vec<Vec<(usize, L)>> = truths
				.iter()
				.map(|t| {
					let mut who: Vec<usize> = (0..labelers).collect();
					for k in 0..5 {
						let j = k + next((labelers - k) as u64) as usize;
						who.swap(k, j);
					}
					who[..5].iter().map(|m| (*m, L::Class(answer(*m, *t, &mut next)))).collect()
				})
				.collect();
			let items: Vec<ItemVotes<ConstU32<4>>> = labels
				.iter()
				.map(|v| ItemVotes { votes: v.iter().map(|(m, l)| (*m, l)).collect(), known: None })
				.collect();
			let learned = package_consensus(&kind, &items, &models, 1).unwrap();
			let judged: Vec<C> = learned.iter().map(|o| o.label.clone()).collect();
			let selected = revise_job(&kind, &items, &judged, &models, 1).unwrap();
			for ((t, l), s) in truths.iter().zip(&learned).zip(&selected) {
				learned_right += (l.label == C::Class(*t)) as u32;
				selected_right += (s.label == C::Class(*t)) as u32;
			}
			items_voted += truths.len() as u32;
		}
		assert_eq!(items_voted, 2_400);
		assert!(
			selected_right > learned_right + 10,
			"selected {selected_right}, learned {learned_right} of {items_voted}"
		);
	}

	/// Attack: two colluders who share a wrong class won a job's first 10 packages' items online
	/// (judged before anyone knew them) and hope the settlement's extra votes, which re-learn
	/// from the previous vote, amplify their wins. Their own history (gold answered wrong)
	/// and the three honest labelers' (gold answered right) are in the models, plus every label
	/// of the job recorded against the judged consensus. Every vote of the re-vote gives every
	/// item its truth back: the passes hand the colluders nothing, and moving the job's labels
	/// to the corrected consensus only weakens them further.
	#[test]
	fn attack_colluders_cannot_ride_the_settlement_passes() {
		let truths: Vec<u16> = (0..40u16).map(|i| i % 3).collect();
		// A wrong class that does not follow from the truth (1 or 2 classes up, by item).
		let shared = |i: usize, t: u16| (t + 1 + (i as u16 / 3) % 2) % 3;
		let labels: Vec<Vec<(usize, L)>> = truths
			.iter()
			.enumerate()
			.map(|(i, t)| {
				let mut v: Vec<(usize, L)> = (0..3).map(|m| (m, L::Class(*t))).collect();
				v.extend((3..5).map(|m| (m, L::Class(shared(i, *t)))));
				v
			})
			.collect();
		let judged: Vec<C> = truths
			.iter()
			.enumerate()
			.map(|(i, t)| C::Class(if i < 10 { shared(i, *t) } else { *t }))
			.collect();
		let mut models = alloc::vec![Reliability::new(&CLASSES).unwrap(); 5];
		for k in 0..10u16 {
			let t = k % 3;
			for (m, model) in models.iter_mut().enumerate() {
				let answer = if m < 3 { t } else { shared(k as usize, t) };
				model.record(&L::Class(answer), &C::Class(t), GOLD_WEIGHT).unwrap();
			}
		}
		for (votes, t) in labels.iter().zip(&judged) {
			for (m, a) in votes {
				models[*m].record(a, t, 1).unwrap();
			}
		}
		let items: Vec<ItemVotes<ConstU32<4>>> = labels
			.iter()
			.map(|v| ItemVotes { votes: v.iter().map(|(m, l)| (*m, l)).collect(), known: None })
			.collect();
		let truth: Vec<C> = truths.iter().map(|t| C::Class(*t)).collect();
		for passes in 1..=SETTLEMENT_PASSES {
			let revised = revise_job(&CLASSES, &items, &judged, &models, passes).unwrap();
			let labels: Vec<C> = revised.into_iter().map(|o| o.label).collect();
			assert_eq!(labels, truth, "{passes} votes");
		}
		// The corrected copies give the colluders a lower chance of answering the truth than the
		// stored models do, the honest labelers a higher one.
		let mut corrected = models.clone();
		for ((votes, before), t) in labels.iter().zip(&judged).zip(&truth) {
			for (m, a) in votes {
				corrected[*m].move_label(a, before, t).unwrap();
			}
		}
		let prior = class_prior(&CLASSES).unwrap();
		let right = |r: &Reliability| match r {
			Reliability::Class(m) => m.log_likelihood(0, 0, &prior).unwrap(),
			_ => panic!("class model"),
		};
		for (m, (c, s)) in corrected.iter().zip(&models).enumerate() {
			let (after, before) = (right(c), right(s));
			if m < 3 {
				assert!(after > before, "honest {m}: {after:?} vs {before:?}");
			} else {
				assert!(after < before, "colluder {m}: {after:?} vs {before:?}");
			}
		}
	}

	#[test]
	fn mismatched_kinds_fail_and_change_nothing() {
		let mut m = Reliability::new(&CLASSES).unwrap();
		let before = m.clone();
		assert_eq!(m.record(&L::Score(3), &C::Class(1), 1), Err(InvalidLabel));
		assert_eq!(m.record(&L::Class(5), &C::Class(1), 1), Err(InvalidLabel));
		assert_eq!(m, before);
		assert!(!m.fits(&LabelKind::STARS));
		assert!(!m.fits(&LabelKind::SingleClass { classes: 4 }));
		assert_eq!(Reliability::new(&LabelKind::SingleClass { classes: 1 }), Err(InvalidLabel));
		let x = [L::Score(3)];
		let votes: [(&[L], &Reliability); 1] = [(&x, &m)];
		assert_eq!(reliable_consensus(&LabelKind::STARS, &votes, 0), Err(InvalidLabel));
		assert_eq!(reliable_consensus(&CLASSES, &votes, 0), Err(InvalidLabel));
		let (a, b) = (L::Class(0), L::Class(1));
		let items = [ItemVotes { votes: alloc::vec![(0, &a), (1, &b)], known: None }];
		let outcome = ItemOutcome {
			label: C::Class(0),
			agreement: alloc::vec![Perbill::one(); 2],
			score_error: alloc::vec![None; 2],
		};
		// Two votes, one model: it fails and the model that exists is not changed either.
		let mut models = [m.clone()];
		assert_eq!(record_package(&items, &[outcome], &mut models, |_| true), Err(InvalidLabel));
		assert_eq!(models[0], m);
	}
}
