//! Validation and grading of labels, and the pass rules built on them.
//!
//! - [`label_fits`]: a label of the right variant and range for a kind.
//! - [`grade`]: agreement of an answer with a reference (and the star error for stars).
//! - [`reputation_error`]: the per-label error that enters a labeler's reputation `x`.
//! - [`challenge_passed`]: whether an answer to a hidden challenge (or gold) item is right.
//! - [`package_verdict_of`]: whether a labeler's package is accepted or slashed.

use crate::types::{ConsensusLabel, Label, LabelKind};
use alloc::vec::Vec;
use crowdlabel_consensus::{
	consensus::{abs_diff, ratio_perbill},
	label_set_iou,
	limits::MAX_BOXES,
	mean_error, mean_perbill, package_verdict, FixedU128, One, PackageScore, PackageVerdict,
	Perbill, Saturating,
};
use frame_support::traits::Get;

/// A star answer to a challenge is right within this many points (1 point).
pub const CHALLENGE_STAR_TOLERANCE: u32 = 1;

/// How well an answer matches a reference.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Grade {
	/// IoU (boxes), 1 or 0 (classes), `1 - |s - t| / 4` (stars).
	pub agreement: Perbill,
	/// Stars only: `|s - t|` in star points.
	pub star_error: Option<FixedU128>,
}

/// Whether a label fits a domain's kind: right variant, classes in range, stars 1..=5, boxes
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
		(LabelKind::StarReview, Label::Stars(s)) => (1..=5).contains(s),
		_ => false,
	}
}

/// Agreement of `answer` with `truth` (IoU, exact match or `1 - |s - t| / 4`) and, for stars,
/// the star error. Labels of different variants agree 0.
pub fn grade<S: Get<u32>>(answer: &Label<S>, truth: &Label<S>) -> Grade {
	match (answer, truth) {
		(Label::Boxes(a), Label::Boxes(t)) => {
			Grade { agreement: label_set_iou(a, t).unwrap_or_default(), star_error: None }
		},
		(Label::Class(a), Label::Class(t)) => Grade {
			agreement: if a == t { Perbill::one() } else { Perbill::zero() },
			star_error: None,
		},
		(Label::Stars(a), Label::Stars(t)) => Grade {
			agreement: Perbill::from_rational(4u32.saturating_sub(a.abs_diff(*t) as u32), 4),
			star_error: Some(abs_diff(
				FixedU128::from_u32(*a as u32),
				FixedU128::from_u32(*t as u32),
			)),
		},
		_ => Grade { agreement: Perbill::zero(), star_error: None },
	}
}

/// Agreement of a label with an item's consensus, exactly as [`crate::item_consensus`] reports
/// it for a vote: IoU with the medoid box set, 1 or 0 for classes, `1 - |s - S| / 4` and the
/// star error `|s - S|` against the weighted mean `S`. Lets off-chain tools score answers that
/// did not vote (e.g. of unqualified workers) by the chain's rule.
pub fn grade_against_consensus<S: Get<u32>>(
	label: &Label<S>,
	consensus: &ConsensusLabel<S>,
) -> Grade {
	match (label, consensus) {
		(Label::Boxes(a), ConsensusLabel::Boxes(c)) => {
			Grade { agreement: label_set_iou(a, c).unwrap_or_default(), star_error: None }
		},
		(Label::Class(a), ConsensusLabel::Class(c)) => Grade {
			agreement: if a == c { Perbill::one() } else { Perbill::zero() },
			star_error: None,
		},
		(Label::Stars(s), ConsensusLabel::Stars(score)) => {
			let e = abs_diff(FixedU128::from_u32(*s as u32), *score);
			Grade {
				agreement: Perbill::one().saturating_sub(ratio_perbill(e, FixedU128::from_u32(4))),
				star_error: Some(e),
			}
		},
		_ => Grade { agreement: Perbill::zero(), star_error: None },
	}
}

/// The per-label error that enters the reputation: star error for stars, `1 - agreement`
/// otherwise.
pub fn reputation_error(agreement: Perbill, star_error: Option<FixedU128>) -> FixedU128 {
	star_error
		.unwrap_or_else(|| FixedU128::one().saturating_sub(FixedU128::from_perbill(agreement)))
}

/// Whether an answer graded `grade` against a hidden challenge answer is right: stars within
/// [`CHALLENGE_STAR_TOLERANCE`] points, boxes and classes at least the domain's `floor`.
pub fn challenge_passed(grade: Grade, floor: Perbill) -> bool {
	match grade.star_error {
		Some(e) => e <= FixedU128::from_u32(CHALLENGE_STAR_TOLERANCE),
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

/// Judges one labeler's package from the per-item agreements (and, for stars, star errors)
/// with consensus: stars are slashed above a mean error of 1.5 points, boxes and classes below
/// the domain's `floor` of mean agreement (`crowdlabel_consensus::package_verdict`).
pub fn package_verdict_of(
	kind: &LabelKind,
	agreements: &[Perbill],
	star_errors: &[Option<FixedU128>],
	floor: Perbill,
) -> PackageJudgement {
	let mean_agreement = mean_perbill(agreements).unwrap_or_default();
	let score = match kind {
		LabelKind::StarReview => {
			let e: Vec<FixedU128> = star_errors.iter().filter_map(|e| *e).collect();
			PackageScore::StarError(mean_error(&e).unwrap_or_default())
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
		assert!(!label_fits(&classes, &L::Stars(3)));
		assert!(label_fits(&LabelKind::StarReview, &L::Stars(5)));
		assert!(!label_fits(&LabelKind::StarReview, &L::Stars(0)));
		let b = LabelKind::BoundingBoxes { classes: 1 };
		assert!(label_fits(&b, &boxes(&[(0, 0, 10, 10), (5, 5, 20, 20)])));
		assert!(!label_fits(&b, &boxes(&[(0, 0, 10, 10), (0, 0, 10, 10)])));
		assert!(!label_fits(&b, &boxes(&[(10, 0, 10, 10)])));
	}

	#[test]
	fn grades_each_kind() {
		assert_eq!(grade(&L::Class(1), &L::Class(1)).agreement, Perbill::one());
		assert_eq!(grade(&L::Class(1), &L::Stars(1)).agreement, Perbill::zero());
		let g = grade(&L::Stars(2), &L::Stars(5));
		assert_eq!(g.agreement, Perbill::from_rational(1u32, 4));
		assert_eq!(g.star_error, Some(FixedU128::from_u32(3)));
		// Half-open corners: [0,10) and [5,10) overlap in 5 of 10 columns.
		let g = grade(&boxes(&[(0, 0, 10, 10)]), &boxes(&[(5, 0, 10, 10)]));
		assert_eq!(g.agreement, Perbill::from_percent(50));
	}

	/// `grade_against_consensus` reproduces, for every vote, the agreement and star error that
	/// `item_consensus` reports (pseudo-random packages of every kind).
	#[test]
	fn grading_against_consensus_matches_the_consensus_report() {
		let mut seed = 0x2545_f491_4f6c_dd1du64;
		let mut next = |m: u32| {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			(seed % m as u64) as u32
		};
		for round in 0..300 {
			let r = 1 + next(7) as usize;
			let kind = match round % 3 {
				0 => LabelKind::SingleClass { classes: 3 },
				1 => LabelKind::StarReview,
				_ => LabelKind::BoundingBoxes { classes: 1 },
			};
			let labels: Vec<L> = (0..r)
				.map(|_| match kind {
					LabelKind::SingleClass { .. } => L::Class(next(3) as u16),
					LabelKind::StarReview => L::Stars(1 + next(5) as u8),
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
				let g = grade_against_consensus(l, &o.label);
				assert_eq!((g.agreement, g.star_error), (o.agreement[n], o.star_error[n]));
			}
		}
	}

	#[test]
	fn challenge_rule_is_one_star_or_the_floor() {
		let floor = Perbill::from_percent(50);
		assert!(challenge_passed(grade(&L::Stars(4), &L::Stars(5)), floor));
		assert!(!challenge_passed(grade(&L::Stars(3), &L::Stars(5)), floor));
		assert!(challenge_passed(grade(&L::Class(1), &L::Class(1)), floor));
		assert!(!challenge_passed(grade(&L::Class(0), &L::Class(1)), floor));
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
		let two = Some(FixedU128::from_u32(2));
		let one = Some(FixedU128::from_u32(1));
		let stars = |e: &[Option<FixedU128>]| {
			package_verdict_of(&LabelKind::StarReview, &[Perbill::zero(); 2], e, floor).verdict
		};
		assert_eq!(stars(&[one, two]), PackageVerdict::Release);
		assert_eq!(stars(&[two, two]), PackageVerdict::Slash);
	}

	#[test]
	fn reputation_error_is_star_error_or_disagreement() {
		assert_eq!(
			reputation_error(Perbill::from_percent(75), None),
			FixedU128::from_rational(1, 4)
		);
		let e = Some(FixedU128::from_u32(2));
		assert_eq!(reputation_error(Perbill::zero(), e), FixedU128::from_u32(2));
	}
}
