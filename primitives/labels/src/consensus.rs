//! The consensus of one item over the weighted labels of a package.
//!
//! Boxes: the weighted medoid label set (highest weighted IoU to the others); classes: the
//! weighted plurality; scores: the weighted mean score. Each label's agreement with the result is
//! returned too (and, for scores, its error in widths of the range), for judging and reputation.

use crate::{
	types::{ConsensusLabel, Label, LabelKind},
	InvalidLabel,
};
use alloc::vec::Vec;
use crowdlabel_consensus::{
	consensus_boxes, consensus_class, consensus_score, BoundingBox, FixedPointNumber, FixedU128,
	Perbill,
};
use frame_support::{
	traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};

/// Consensus of one item and how each vote agrees with it (votes in input order).
#[derive(CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound)]
pub struct ItemOutcome<MaxBoxes: Get<u32>> {
	/// The consensus label.
	pub label: ConsensusLabel<MaxBoxes>,
	/// Agreement of each vote's label with the consensus.
	pub agreement: Vec<Perbill>,
	/// Scores only: each vote's `|s_n - S| / (max - min)` (`None` for other kinds).
	pub score_error: Vec<Option<FixedU128>>,
}

/// Consensus of item `i` over `votes` (each vote: a labeler's labels of the package and the
/// labeler's voting weight). Fails with [`InvalidLabel`] when a vote has no label `i` or a
/// label of another kind.
pub fn item_consensus<MaxBoxes: Get<u32>>(
	kind: &LabelKind,
	votes: &[(&[Label<MaxBoxes>], FixedU128)],
	i: usize,
) -> Result<ItemOutcome<MaxBoxes>, InvalidLabel> {
	match kind {
		LabelKind::BoundingBoxes { .. } => {
			let sets: Vec<(&[BoundingBox], FixedU128)> = votes
				.iter()
				.map(|(ls, w)| match ls.get(i) {
					Some(Label::Boxes(b)) => Ok((b.as_slice(), *w)),
					_ => Err(InvalidLabel),
				})
				.collect::<Result<_, _>>()?;
			let c = consensus_boxes(&sets).map_err(|_| InvalidLabel)?;
			let winner = sets.get(c.winner).ok_or(InvalidLabel)?.0;
			let n = c.agreement.len();
			Ok(ItemOutcome {
				label: ConsensusLabel::Boxes(BoundedVec::truncate_from(winner.to_vec())),
				agreement: c.agreement,
				score_error: alloc::vec![None; n],
			})
		},
		LabelKind::SingleClass { .. } => {
			let v: Vec<(u16, FixedU128)> = votes
				.iter()
				.map(|(ls, w)| match ls.get(i) {
					Some(Label::Class(c)) => Ok((*c, *w)),
					_ => Err(InvalidLabel),
				})
				.collect::<Result<_, _>>()?;
			let c = consensus_class(&v).map_err(|_| InvalidLabel)?;
			let n = c.agreement.len();
			Ok(ItemOutcome {
				label: ConsensusLabel::Class(c.class),
				agreement: c.agreement,
				score_error: alloc::vec![None; n],
			})
		},
		LabelKind::Score { .. } => {
			let range = kind.score_range().ok_or(InvalidLabel)?;
			let v: Vec<(FixedU128, FixedU128)> = votes
				.iter()
				.map(|(ls, w)| match ls.get(i) {
					Some(Label::Score(s)) => Ok((FixedU128::saturating_from_integer(*s), *w)),
					_ => Err(InvalidLabel),
				})
				.collect::<Result<_, _>>()?;
			let c = consensus_score(&v, &range).map_err(|_| InvalidLabel)?;
			Ok(ItemOutcome {
				label: ConsensusLabel::Score(c.score),
				agreement: c.agreement,
				score_error: c.errors.iter().map(|e| Some(*e)).collect(),
			})
		},
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use frame_support::traits::ConstU32;

	type L = Label<ConstU32<4>>;

	#[test]
	fn weighted_plurality_of_classes() {
		let (a, b, c) = ([L::Class(1)], [L::Class(1)], [L::Class(2)]);
		let one = FixedU128::from_u32(1);
		let votes: [(&[L], FixedU128); 3] = [(&a, one), (&b, one), (&c, FixedU128::from_u32(3))];
		let o = item_consensus(&LabelKind::SingleClass { classes: 3 }, &votes, 0).unwrap();
		assert_eq!(o.label, ConsensusLabel::Class(2));
		assert_eq!(o.agreement, alloc::vec![Perbill::zero(), Perbill::zero(), Perbill::one()]);
	}

	#[test]
	fn scores_report_errors_and_missing_labels_fail() {
		let (a, b) = ([L::Score(2)], [L::Score(4)]);
		let one = FixedU128::from_u32(1);
		let votes: [(&[L], FixedU128); 2] = [(&a, one), (&b, one)];
		let o = item_consensus(&LabelKind::STARS, &votes, 0).unwrap();
		assert_eq!(o.label, ConsensusLabel::Score(FixedU128::from_u32(3)));
		// one star of a width of 4
		let quarter = Some(FixedU128::from_rational(1, 4));
		assert_eq!(o.score_error, alloc::vec![quarter, quarter]);
		assert_eq!(item_consensus(&LabelKind::STARS, &votes, 1), Err(InvalidLabel));
		// 2 and 4 lie outside a 5-9 range; a range without width has no consensus
		let late = LabelKind::Score { min: 5, max: 9 };
		assert_eq!(item_consensus(&late, &votes, 0), Err(InvalidLabel));
		assert_eq!(
			item_consensus(&LabelKind::Score { min: 4, max: 4 }, &votes, 0),
			Err(InvalidLabel)
		);
		assert_eq!(
			item_consensus(&LabelKind::SingleClass { classes: 2 }, &votes, 0),
			Err(InvalidLabel)
		);
	}
}
