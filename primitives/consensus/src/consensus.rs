//! Consensus of one item from R weighted labels.
//!
//! | kind | consensus | agreement of a label |
//! |---|---|---|
//! | boxes | weighted medoid: the label maximising `sum_j a_j IoU(L_i, L_j)` (self included, `IoU(L_i, L_i) = 1`) | `IoU(L_i, consensus)` |
//! | single class | weighted plurality vote | 1 if equal to the consensus, else 0 |
//! | scores (1-5 stars, 0-100, ...) | `S = sum a_n s_n / sum a_n` (Briko eq. 1), in `[min, max]` | `1 - |s_n - S| / (max - min)` |
//!
//! **Why a weighted medoid for boxes** (rather than weighted box fusion): the consensus is always
//! a label somebody actually drew, so it is valid by construction (no fused box can merge two
//! objects), it needs no clustering threshold, and a minority of colluders cannot pull it
//! halfway towards their boxes: they either win outright with more weighted agreement or do not
//! move it at all. Cost: `R (R - 1) / 2` label-set IoUs, each `O(B^3)`; with the crate limits
//! (R <= 16, B <= 32) at most 120 set IoUs.
//!
//! Ties are broken towards the lowest index (boxes) or the lowest class id (classes), so the
//! result is deterministic; pallets order labels by labeler account.

use crate::{
	boxes::{label_set_iou_unchecked, validate_label_set},
	BoundingBox, MathError, ScoreRange,
};
use alloc::vec::Vec;
use sp_arithmetic::{
	traits::{CheckedDiv, Saturating, Zero},
	FixedPointNumber, FixedU128, Perbill,
};

/// Consensus of a box-labeled item.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct BoxConsensus {
	/// Index (into the input) of the label chosen as consensus.
	pub winner: usize,
	/// IoU of each label against the consensus, in input order.
	pub agreement: Vec<Perbill>,
}

/// Consensus of a single-class item.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ClassConsensus {
	/// The winning class.
	pub class: u16,
	/// Share of the total weight that voted for it.
	pub support: Perbill,
	/// 1 for labels equal to the consensus, 0 otherwise, in input order.
	pub agreement: Vec<Perbill>,
}

/// Consensus of a scored item (1-5 stars, a 0-100 rating, ...).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ScoreConsensus {
	/// Weighted mean score `S`, within the range.
	pub score: FixedU128,
	/// `|s_n - S| / (max - min)` of each label: its error in range widths, in input order.
	pub errors: Vec<FixedU128>,
	/// `1 - |s_n - S| / (max - min)` of each label.
	pub agreement: Vec<Perbill>,
}

/// At least one label. The number of labels is the caller's bound: pallets keep it at most
/// [`crate::limits::MAX_LABELS`] (their `MaxRedundancy`, checked in `integrity_test`), off-chain
/// tools run the same functions over any number of answers.
fn check_count(n: usize) -> Result<(), MathError> {
	if n == 0 {
		Err(MathError::NoLabels)
	} else {
		Ok(())
	}
}

fn total_weight(weights: impl Iterator<Item = FixedU128>) -> Result<FixedU128, MathError> {
	let total = weights.fold(FixedU128::zero(), |acc, w| acc.saturating_add(w));
	if total.is_zero() {
		Err(MathError::ZeroTotal)
	} else {
		Ok(total)
	}
}

/// Weighted-medoid consensus of box labels (`(boxes, weight)` per labeler).
#[allow(clippy::needless_range_loop)] // i, j index both the labels and the IoU matrix
pub fn consensus_boxes(labels: &[(&[BoundingBox], FixedU128)]) -> Result<BoxConsensus, MathError> {
	check_count(labels.len())?;
	for (set, _) in labels {
		validate_label_set(set)?;
	}
	total_weight(labels.iter().map(|(_, w)| *w))?;
	let r = labels.len();
	// Symmetric pairwise IoU matrix, computed once per pair.
	let mut iou = alloc::vec![Perbill::one(); r * r];
	for i in 0..r {
		for j in (i + 1)..r {
			let v = label_set_iou_unchecked(labels[i].0, labels[j].0);
			iou[i * r + j] = v;
			iou[j * r + i] = v;
		}
	}
	let mut winner = 0usize;
	let mut best = FixedU128::zero();
	for i in 0..r {
		let score = (0..r).fold(FixedU128::zero(), |acc, j| {
			let w = labels[j].1;
			acc.saturating_add(w.saturating_mul(FixedU128::from_perbill(iou[i * r + j])))
		});
		if i == 0 || score > best {
			best = score;
			winner = i;
		}
	}
	let agreement = (0..r).map(|i| iou[i * r + winner]).collect();
	Ok(BoxConsensus { winner, agreement })
}

/// Weighted plurality vote over class ids (`(class, weight)` per labeler).
pub fn consensus_class(labels: &[(u16, FixedU128)]) -> Result<ClassConsensus, MathError> {
	check_count(labels.len())?;
	let total = total_weight(labels.iter().map(|(_, w)| *w))?;
	// At most MAX_LABELS distinct classes: a small vector beats a map here.
	let mut tally: Vec<(u16, FixedU128)> = Vec::with_capacity(labels.len());
	for (class, w) in labels {
		match tally.iter_mut().find(|(c, _)| c == class) {
			Some((_, acc)) => *acc = acc.saturating_add(*w),
			None => tally.push((*class, *w)),
		}
	}
	let (class, support_weight) = tally
		.iter()
		.copied()
		.fold(None::<(u16, FixedU128)>, |best, (c, w)| match best {
			Some((bc, bw)) if bw > w || (bw == w && bc < c) => Some((bc, bw)),
			_ => Some((c, w)),
		})
		.ok_or(MathError::NoLabels)?;
	let support = ratio_perbill(support_weight, total);
	let agreement = labels
		.iter()
		.map(|(c, _)| if *c == class { Perbill::one() } else { Perbill::zero() })
		.collect();
	Ok(ClassConsensus { class, support, agreement })
}

/// Briko eq. 1, on any score range: the weighted mean score (`(score, weight)` per labeler).
///
/// Errors: `NoLabels`, `ZeroTotal` when every weight is 0, `InvalidParameter` for a score outside
/// `range`.
pub fn consensus_score(
	labels: &[(FixedU128, FixedU128)],
	range: &ScoreRange,
) -> Result<ScoreConsensus, MathError> {
	check_count(labels.len())?;
	if labels.iter().any(|(s, _)| !range.contains(*s)) {
		return Err(MathError::InvalidParameter);
	}
	let total = total_weight(labels.iter().map(|(_, w)| *w))?;
	let weighted = labels
		.iter()
		.fold(FixedU128::zero(), |acc, (s, w)| acc.saturating_add(w.saturating_mul(*s)));
	let score = weighted
		.checked_div(&total)
		.ok_or(MathError::Overflow)?
		.max(range.min)
		.min(range.max);
	let errors: Vec<FixedU128> = labels
		.iter()
		.map(|(s, _)| range.relative_error(*s, score))
		.collect::<Result<_, _>>()?;
	let agreement = errors
		.iter()
		.map(|e| {
			Perbill::one().saturating_sub(ratio_perbill(*e, FixedU128::saturating_from_integer(1)))
		})
		.collect();
	Ok(ScoreConsensus { score, errors, agreement })
}

/// `|a - b|`.
pub fn abs_diff(a: FixedU128, b: FixedU128) -> FixedU128 {
	if a >= b {
		a.saturating_sub(b)
	} else {
		b.saturating_sub(a)
	}
}

/// `num / den` as a [`Perbill`] (saturating at 1, 0 when `den` is 0).
pub fn ratio_perbill(num: FixedU128, den: FixedU128) -> Perbill {
	if den.is_zero() {
		return Perbill::zero();
	}
	Perbill::from_rational(num.into_inner().min(den.into_inner()), den.into_inner())
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_arithmetic::traits::One;

	fn one() -> FixedU128 {
		FixedU128::one()
	}
	fn bx(x0: u32, x1: u32) -> BoundingBox {
		BoundingBox::new(x0, 0, x1, 10, 0).unwrap()
	}

	fn int(n: u32) -> FixedU128 {
		FixedU128::from_u32(n)
	}

	#[test]
	fn stars_weighted_mean_by_hand() {
		// (1.2*5 + 0.8*3 + 1.0*4) / 3.0 = 12.4 / 3 = 4.1333...
		let labels = [
			(int(5), FixedU128::from_rational(12, 10)),
			(int(3), FixedU128::from_rational(8, 10)),
			(int(4), one()),
		];
		let c = consensus_score(&labels, &ScoreRange::stars()).unwrap();
		assert_eq!(c.score, FixedU128::from_rational(124, 30));
		// errors in range widths: |3 - 4.133| / 4 = 0.2833
		let e = (FixedU128::from_rational(124, 30) - int(3)) / int(4);
		assert!(c.errors[1].into_inner().abs_diff(e.into_inner()) <= 1);
		assert!(c.agreement[2] > c.agreement[0] && c.agreement[0] > c.agreement[1]);
	}

	/// A 0-100 rating: the same mean, errors in hundredths of the range.
	#[test]
	fn wide_range_errors_are_relative() {
		let range = ScoreRange::from_ints(0, 100).unwrap();
		let c = consensus_score(&[(int(70), one()), (int(90), one())], &range).unwrap();
		assert_eq!(c.score, int(80));
		assert_eq!(c.errors, alloc::vec![FixedU128::from_rational(1, 10); 2]);
		assert_eq!(c.agreement, alloc::vec![Perbill::from_percent(90); 2]);
	}

	#[test]
	fn score_bounds_and_errors() {
		let stars = ScoreRange::stars();
		assert_eq!(consensus_score(&[(int(0), one())], &stars), Err(MathError::InvalidParameter));
		assert_eq!(consensus_score(&[(int(6), one())], &stars), Err(MathError::InvalidParameter));
		assert_eq!(consensus_score(&[], &stars), Err(MathError::NoLabels));
		assert_eq!(
			consensus_score(&[(int(3), FixedU128::zero())], &stars),
			Err(MathError::ZeroTotal)
		);
	}

	#[test]
	fn class_vote_weighted_and_tie_break() {
		// 2 x 0.8 for class 7 = 1.6 beats 1.2 for class 3.
		let w08 = FixedU128::from_rational(8, 10);
		let c =
			consensus_class(&[(7, w08), (3, FixedU128::from_rational(12, 10)), (7, w08)]).unwrap();
		assert_eq!(c.class, 7);
		assert_eq!(c.support, Perbill::from_rational(16u32, 28));
		assert_eq!(c.agreement, alloc::vec![Perbill::one(), Perbill::zero(), Perbill::one()]);
		// tie: lowest class id wins regardless of order
		assert_eq!(consensus_class(&[(9, one()), (4, one())]).unwrap().class, 4);
		assert_eq!(consensus_class(&[(4, one()), (9, one())]).unwrap().class, 4);
	}

	#[test]
	fn box_medoid_picks_the_label_most_agree_with() {
		let a = [bx(0, 10)];
		let b = [bx(1, 11)];
		let c = [bx(50, 60)];
		let labels: [(&[BoundingBox], FixedU128); 3] = [(&c, one()), (&a, one()), (&b, one())];
		let r = consensus_boxes(&labels).unwrap();
		assert!(r.winner == 1 || r.winner == 2);
		assert_eq!(r.agreement[0], Perbill::zero());
		assert_eq!(r.agreement[r.winner], Perbill::one());
	}

	#[test]
	fn box_medoid_weight_decides_between_two() {
		let a = [bx(0, 10)];
		let b = [bx(5, 15)];
		let heavy = FixedU128::from_rational(12, 10);
		let light = FixedU128::from_rational(8, 10);
		let r = consensus_boxes(&[(&a, light), (&b, heavy)]).unwrap();
		assert_eq!(r.winner, 1);
		let r = consensus_boxes(&[(&a, heavy), (&b, light)]).unwrap();
		assert_eq!(r.winner, 0);
	}

	#[test]
	fn any_number_of_labels_is_counted() {
		// 20 votes for class 1 and 21 for class 2: beyond `MAX_LABELS`, same rule.
		let mut labels = alloc::vec![(1u16, one()); 20];
		labels.extend(alloc::vec![(2u16, one()); 21]);
		let c = consensus_class(&labels).unwrap();
		assert_eq!(c.class, 2);
		assert_eq!(c.agreement.iter().filter(|a| **a == Perbill::one()).count(), 21);
	}
}
