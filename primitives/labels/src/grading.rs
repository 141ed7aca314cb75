//! Validation and grading of labels, and the pass rules built on them.
//!
//! - [`label_fits`]: a label of the right variant and range for a kind.
//! - [`grade`]: agreement of an answer with a reference (and the score error for scores).
//! - [`reputation_error`]: the per-label error that enters a labeler's reputation `x`.
//! - [`challenge_passed`]: whether an answer to a hidden challenge (or gold) item is right.
//! - [`package_verdict_of`]: whether a labeler's package is accepted or slashed.

use crate::types::{ConsensusLabel, Label, LabelKind};
use alloc::vec::Vec;
use crowdlabel_consensus::{
	consensus::ratio_perbill, label_set_iou, limits::MAX_BOXES, mean_error, mean_perbill,
	package_verdict, FixedPointNumber, FixedU128, One, PackageScore, PackageVerdict, Perbill,
	Saturating,
};
use frame_support::traits::Get;

/// A score answer to a challenge is right within this share of the range's width: 25 % (one
/// point on 1-5 stars, 25 points on a 0-100 rating).
pub const CHALLENGE_SCORE_TOLERANCE: Perbill = Perbill::from_percent(25);

/// How well an answer matches a reference.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Grade {
	/// IoU (boxes), 1 or 0 (classes), `1 - |s - t| / (max - min)` (scores).
	pub agreement: Perbill,
	/// Scores only: `|s - t| / (max - min)`, the error in widths of the range.
	pub score_error: Option<FixedU128>,
}

/// Whether a label fits a domain's kind: right variant, classes in range, scores in range, boxes
/// with a positive area inside the coordinate limit and **no two identical boxes** (same corners
/// and class).
///
/// Duplicate boxes carry no information, but they are the worst case of box matching: `B`
/// identical boxes cost the optimal matching about `B^3 / 2` steps instead of `B^2` (16.5 times
/// more for 32 boxes, see `crowdlabel_consensus::label_set_matching_steps`). The check costs at
/// most `B (B - 1) / 2 = 496` comparisons.
pub fn label_fits<S: Get<u32>>(kind: &LabelKind, label: &Label<S>) -> bool {
	match (kind, label) {
		(LabelKind::BoundingBoxes { classes }, Label::Boxes(boxes)) => {
			boxes.len() <= MAX_BOXES
				&& boxes.iter().all(|b| b.validate().is_ok() && b.class < *classes)
				&& boxes.iter().enumerate().all(|(i, b)| !boxes.iter().skip(i + 1).any(|o| o == b))
		},
		(LabelKind::SingleClass { classes }, Label::Class(c)) => c < classes,
		(LabelKind::Score { min, max }, Label::Score(s)) => min < max && (min..=max).contains(&s),
		_ => false,
	}
}

/// A score's error against a reference score, and the agreement `1 - error` (in widths of the
/// kind's range; nothing for a kind without one).
fn score_grade(kind: &LabelKind, s: u16, reference: FixedU128) -> Grade {
	let Some(range) = kind.score_range() else {
		return Grade { agreement: Perbill::zero(), score_error: None };
	};
	let e = range
		.relative_error(FixedU128::saturating_from_integer(s), reference)
		.unwrap_or_default();
	Grade {
		agreement: Perbill::one()
			.saturating_sub(ratio_perbill(e, FixedU128::saturating_from_integer(1))),
		score_error: Some(e),
	}
}

/// Agreement of `answer` with `truth` in a domain of `kind` (IoU, exact match or
/// `1 - |s - t| / (max - min)`) and, for scores, the score error. Labels of different variants
/// agree 0.
pub fn grade<S: Get<u32>>(kind: &LabelKind, answer: &Label<S>, truth: &Label<S>) -> Grade {
	match (answer, truth) {
		(Label::Boxes(a), Label::Boxes(t)) => {
			Grade { agreement: label_set_iou(a, t).unwrap_or_default(), score_error: None }
		},
		(Label::Class(a), Label::Class(t)) => Grade {
			agreement: if a == t { Perbill::one() } else { Perbill::zero() },
			score_error: None,
		},
		(Label::Score(a), Label::Score(t)) => {
			score_grade(kind, *a, FixedU128::saturating_from_integer(*t))
		},
		_ => Grade { agreement: Perbill::zero(), score_error: None },
	}
}

/// Agreement of a label with an item's consensus, exactly as [`crate::item_consensus`] reports
/// it for a vote: IoU with the medoid box set, 1 or 0 for classes, the score error
/// `|s - S| / (max - min)` against the consensus score `S` and `1 -` it. Lets off-chain tools
/// score answers that did not vote (e.g. of unqualified workers) by the chain's rule.
pub fn grade_against_consensus<S: Get<u32>>(
	kind: &LabelKind,
	label: &Label<S>,
	consensus: &ConsensusLabel<S>,
) -> Grade {
	match (label, consensus) {
		(Label::Boxes(a), ConsensusLabel::Boxes(c)) => {
			Grade { agreement: label_set_iou(a, c).unwrap_or_default(), score_error: None }
		},
		(Label::Class(a), ConsensusLabel::Class(c)) => Grade {
			agreement: if a == c { Perbill::one() } else { Perbill::zero() },
			score_error: None,
		},
		(Label::Score(s), ConsensusLabel::Score(score)) => score_grade(kind, *s, *score),
		_ => Grade { agreement: Perbill::zero(), score_error: None },
	}
}

/// The per-label error that enters the reputation: the score error (in widths) for scores,
/// `1 - agreement` otherwise.
pub fn reputation_error(agreement: Perbill, score_error: Option<FixedU128>) -> FixedU128 {
	score_error
		.unwrap_or_else(|| FixedU128::one().saturating_sub(FixedU128::from_perbill(agreement)))
}

/// Whether an answer graded `grade` against a hidden challenge answer is right: scores within
/// [`CHALLENGE_SCORE_TOLERANCE`] of the range, boxes and classes at least the domain's `floor`.
pub fn challenge_passed(grade: Grade, floor: Perbill) -> bool {
	match grade.score_error {
		Some(e) => e <= FixedU128::from_perbill(CHALLENGE_SCORE_TOLERANCE),
		None => grade.agreement >= floor,
	}
}

/// A labeler's package, judged against the items' consensus.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct PackageJudgement {
	/// Mean of the labeler's per-item agreement with consensus.
	pub mean_agreement: Perbill,
	/// Release or slash the package deposit.
	pub verdict: PackageVerdict,
}

/// Judges one labeler's package from the per-item agreements (and, for scores, score errors)
/// with consensus: scores are slashed above a mean error of 37.5 % of the range (1.5 points on
/// 1-5 stars), boxes and classes below
/// the domain's `floor` of mean agreement (`crowdlabel_consensus::package_verdict`).
pub fn package_verdict_of(
	kind: &LabelKind,
	agreements: &[Perbill],
	score_errors: &[Option<FixedU128>],
	floor: Perbill,
) -> PackageJudgement {
	let mean_agreement = mean_perbill(agreements).unwrap_or_default();
	let score = match kind {
		LabelKind::Score { .. } => {
			let e: Vec<FixedU128> = score_errors.iter().filter_map(|e| *e).collect();
			PackageScore::ScoreError(mean_error(&e).unwrap_or_default())
		},
		_ => PackageScore::Agreement { mean: mean_agreement, floor },
	};
	PackageJudgement { mean_agreement, verdict: package_verdict(score) }
}

#[cfg(test)]
mod tests {
	use super::*;
	use crowdlabel_consensus::BoundingBox;
	use frame_support::{traits::ConstU32, BoundedVec};

	type L = Label<ConstU32<4>>;

	fn boxes(b: &[(u32, u32, u32, u32)]) -> L {
		L::Boxes(BoundedVec::truncate_from(
			b.iter()
				.map(|&(x_min, y_min, x_max, y_max)| BoundingBox {
					x_min,
					y_min,
					x_max,
					y_max,
					class: 0,
				})
				.collect(),
		))
	}

	#[test]
	fn fits_checks_variant_range_and_duplicates() {
		let classes = LabelKind::SingleClass { classes: 3 };
		assert!(label_fits(&classes, &L::Class(2)));
		assert!(!label_fits(&classes, &L::Class(3)));
		assert!(!label_fits(&classes, &L::Score(3)));
		assert!(label_fits(&LabelKind::STARS, &L::Score(5)));
		assert!(!label_fits(&LabelKind::STARS, &L::Score(0)));
		assert!(!label_fits(&LabelKind::STARS, &L::Score(6)));
		let rating = LabelKind::Score { min: 0, max: 100 };
		assert!(label_fits(&rating, &L::Score(0)) && label_fits(&rating, &L::Score(100)));
		assert!(!label_fits(&rating, &L::Score(101)));
		// a kind without a range fits nothing
		assert!(!label_fits(&LabelKind::Score { min: 3, max: 3 }, &L::Score(3)));
		let b = LabelKind::BoundingBoxes { classes: 1 };
		assert!(label_fits(&b, &boxes(&[(0, 0, 10, 10), (5, 5, 20, 20)])));
		assert!(!label_fits(&b, &boxes(&[(0, 0, 10, 10), (0, 0, 10, 10)])));
		assert!(!label_fits(&b, &boxes(&[(10, 0, 10, 10)])));
	}

	#[test]
	fn grades_each_kind() {
		let classes = LabelKind::SingleClass { classes: 3 };
		assert_eq!(grade(&classes, &L::Class(1), &L::Class(1)).agreement, Perbill::one());
		assert_eq!(grade(&classes, &L::Class(1), &L::Score(1)).agreement, Perbill::zero());
		let g = grade(&LabelKind::STARS, &L::Score(2), &L::Score(5));
		assert_eq!(g.agreement, Perbill::from_rational(1u32, 4));
		assert_eq!(g.score_error, Some(FixedU128::from_rational(3, 4)));
		// a 0-100 rating: 30 points off is 30 % of the range
		let g = grade(&LabelKind::Score { min: 0, max: 100 }, &L::Score(40), &L::Score(70));
		assert_eq!(g.agreement, Perbill::from_percent(70));
		assert_eq!(g.score_error, Some(FixedU128::from_rational(3, 10)));
		// Half-open corners: [0,10) and [5,10) overlap in 5 of 10 columns.
		let b = LabelKind::BoundingBoxes { classes: 1 };
		let g = grade(&b, &boxes(&[(0, 0, 10, 10)]), &boxes(&[(5, 0, 10, 10)]));
		assert_eq!(g.agreement, Perbill::from_percent(50));
	}

	/// `grade_against_consensus` reproduces, for every vote, the agreement and score error that
	/// `item_consensus` reports (pseudo-random packages of every kind).
	#[test]
	fn grading_against_consensus_matches_the_consensus_report() {
		let mut below = crate::xorshift(0x2545_f491_4f6c_dd1du64);
		let mut next = |m: u32| below(m as u64) as u32;
		for round in 0..300 {
			let r = 1 + next(7) as usize;
			let kind = match round % 4 {
				0 => LabelKind::SingleClass { classes: 3 },
				1 => LabelKind::STARS,
				2 => LabelKind::Score { min: 10, max: 110 },
				_ => LabelKind::BoundingBoxes { classes: 1 },
			};
			let labels: Vec<L> = (0..r)
				.map(|_| match kind {
					LabelKind::SingleClass { .. } => L::Class(next(3) as u16),
					LabelKind::Score { min, max } => {
						L::Score(min + next((max - min) as u32 + 1) as u16)
					},
					LabelKind::BoundingBoxes { .. } => {
						let (x, y) = (next(40), next(40));
						boxes(&[(x, y, x + 1 + next(30), y + 1 + next(30))])
					},
				})
				.collect();
			let votes: Vec<(&[L], FixedU128)> = labels
				.iter()
				.map(|l| {
					(core::slice::from_ref(l), FixedU128::from_rational(8 + next(5) as u128, 10))
				})
				.collect();
			let o = crate::item_consensus(&kind, &votes, 0).unwrap();
			for (n, l) in labels.iter().enumerate() {
				let g = grade_against_consensus(&kind, l, &o.label);
				assert_eq!((g.agreement, g.score_error), (o.agreement[n], o.score_error[n]));
			}
		}
	}

	#[test]
	fn challenge_rule_is_a_quarter_of_the_range_or_the_floor() {
		let floor = Perbill::from_percent(50);
		let stars = LabelKind::STARS;
		assert!(challenge_passed(grade(&stars, &L::Score(4), &L::Score(5)), floor));
		assert!(!challenge_passed(grade(&stars, &L::Score(3), &L::Score(5)), floor));
		let rating = LabelKind::Score { min: 0, max: 100 };
		assert!(challenge_passed(grade(&rating, &L::Score(75), &L::Score(50)), floor));
		assert!(!challenge_passed(grade(&rating, &L::Score(76), &L::Score(50)), floor));
		let classes = LabelKind::SingleClass { classes: 2 };
		assert!(challenge_passed(grade(&classes, &L::Class(1), &L::Class(1)), floor));
		assert!(!challenge_passed(grade(&classes, &L::Class(0), &L::Class(1)), floor));
	}

	#[test]
	fn package_verdicts() {
		let floor = Perbill::from_percent(50);
		let j = package_verdict_of(
			&LabelKind::SingleClass { classes: 2 },
			&[Perbill::one(), Perbill::zero(), Perbill::zero()],
			&[None, None, None],
			floor,
		);
		assert_eq!(j.verdict, PackageVerdict::Slash);
		assert_eq!(j.mean_agreement, Perbill::from_rational(1u32, 3));
		// errors in widths: one and two stars of a width of 4
		let two = Some(FixedU128::from_rational(2, 4));
		let one = Some(FixedU128::from_rational(1, 4));
		let scores = |e: &[Option<FixedU128>]| {
			package_verdict_of(&LabelKind::STARS, &[Perbill::zero(); 2], e, floor).verdict
		};
		assert_eq!(scores(&[one, two]), PackageVerdict::Release);
		assert_eq!(scores(&[two, two]), PackageVerdict::Slash);
	}

	#[test]
	fn reputation_error_is_score_error_or_disagreement() {
		assert_eq!(
			reputation_error(Perbill::from_percent(75), None),
			FixedU128::from_rational(1, 4)
		);
		let e = Some(FixedU128::from_u32(2));
		assert_eq!(reputation_error(Perbill::zero(), e), FixedU128::from_u32(2));
	}
}
