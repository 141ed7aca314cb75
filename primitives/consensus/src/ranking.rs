//! Machine ranking of a corpus-review job (Briko Phase 1, step 4): items sorted by their
//! consensus score, the top `k · P` kept, and the items close to the cut-off line picked for a
//! follow-up review.

use crate::{FixedU128, Perbill};
use alloc::vec::Vec;

/// One scored item: its index in the job, its consensus score and the agreement behind it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ScoredItem {
	/// Index of the item in the job.
	pub index: u32,
	/// Consensus score.
	pub score: FixedU128,
	/// Mean agreement of the item's labels with the consensus.
	pub agreement: Perbill,
}

/// The outcome of a ranking.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Ranked {
	/// Item indices, best first: higher score, then higher agreement, then lower index (so the
	/// order is total and nobody's choice).
	pub order: Vec<u32>,
	/// How many of `order` are kept: `⌊k · P⌋`, at most the items ranked.
	pub kept: u32,
	/// Positions in `order` of the items within `margin` places of the cut-off line, on either
	/// side: `[kept − margin, kept + margin)` clipped to the ranked items.
	pub review: core::ops::Range<u32>,
}

/// Ranks `items` (the scored items of a job of `total` items, P) and keeps the top
/// `keep · total`, with the `margin` items on each side of the cut-off for review.
pub fn rank_items(items: &[ScoredItem], total: u32, keep: Perbill, margin: u32) -> Ranked {
	let mut sorted: Vec<ScoredItem> = items.to_vec();
	sorted.sort_by(|a, b| {
		b.score
			.cmp(&a.score)
			.then(b.agreement.cmp(&a.agreement))
			.then(a.index.cmp(&b.index))
	});
	let ranked = sorted.len() as u32;
	let kept = keep.mul_floor(total).min(ranked);
	let review = if margin == 0 {
		0..0
	} else {
		kept.saturating_sub(margin)..kept.saturating_add(margin).min(ranked)
	};
	Ranked { order: sorted.into_iter().map(|i| i.index).collect(), kept, review }
}

#[cfg(test)]
mod tests {
	use super::*;

	fn item(index: u32, score: u32, agreement: u32) -> ScoredItem {
		ScoredItem {
			index,
			score: FixedU128::from_u32(score),
			agreement: Perbill::from_percent(agreement),
		}
	}

	#[test]
	fn keeps_the_top_k_and_reviews_around_the_cut_off() {
		let items: Vec<ScoredItem> = [3, 5, 1, 4, 2, 5, 3, 4]
			.iter()
			.enumerate()
			.map(|(i, s)| item(i as u32, *s, 90))
			.collect();
		let r = rank_items(&items, 8, Perbill::from_percent(50), 1);
		// Scores 5, 5, 4, 4 | 3, 3, 2, 1; ties by index.
		assert_eq!(r.order, vec![1, 5, 3, 7, 0, 6, 4, 2]);
		assert_eq!(r.kept, 4);
		assert_eq!(r.review, 3..5);
		let none = rank_items(&items, 8, Perbill::from_percent(50), 0);
		assert_eq!(none.review, 0..0);
	}

	#[test]
	fn ties_go_to_the_better_agreed_item_then_the_lower_index() {
		let items = [item(0, 4, 70), item(1, 4, 90), item(2, 4, 90)];
		assert_eq!(rank_items(&items, 3, Perbill::from_percent(34), 0).order, vec![1, 2, 0]);
	}

	#[test]
	fn unscored_items_count_in_p_but_are_never_kept() {
		// P = 10 items, only 3 have a score: k = 50 % would keep 5, at most the 3 ranked.
		let items = [item(4, 2, 90), item(7, 5, 90), item(9, 3, 90)];
		let r = rank_items(&items, 10, Perbill::from_percent(50), 2);
		assert_eq!((r.kept, r.review.clone()), (3, 1..3));
		// The margin never reaches before the first or past the last ranked item.
		let r = rank_items(&items, 10, Perbill::from_percent(10), 5);
		assert_eq!((r.kept, r.review), (1, 0..3));
	}

	#[test]
	fn the_ranking_is_a_permutation_whatever_the_input_order() {
		let items: Vec<ScoredItem> =
			(0..50u32).map(|i| item(i, (i * 37) % 11, (i * 13) % 100)).collect();
		let mut reversed = items.clone();
		reversed.reverse();
		let a = rank_items(&items, 50, Perbill::from_percent(30), 3);
		let b = rank_items(&reversed, 50, Perbill::from_percent(30), 3);
		assert_eq!(a, b);
		let mut seen = a.order.clone();
		seen.sort();
		assert_eq!(seen, (0..50).collect::<Vec<_>>());
		assert_eq!(a.kept, 15);
	}
}
