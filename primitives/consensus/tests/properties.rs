//! Property tests: symmetry, bounds, conservation and monotonicity.

use crowdlabel_consensus::{
	box_iou, consensus_boxes, consensus_class, consensus_score, label_set_iou, limits,
	reputation::{max_weight, min_weight, voting_weight},
	split_proportional, split_sale, BoundingBox, FixedU128, Perbill, ScoreRange,
};
use proptest::prelude::*;

fn arb_box() -> impl Strategy<Value = BoundingBox> {
	(0u32..1000, 0u32..1000, 1u32..500, 1u32..500, 0u16..3).prop_map(|(x, y, w, h, c)| {
		BoundingBox { x_min: x, y_min: y, x_max: x + w, y_max: y + h, class: c }
	})
}

fn arb_set() -> impl Strategy<Value = Vec<BoundingBox>> {
	prop::collection::vec(arb_box(), 0..8)
}

fn arb_weight() -> impl Strategy<Value = FixedU128> {
	(800u128..=1200).prop_map(|m| FixedU128::from_rational(m, 1000))
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(256))]

	#[test]
	fn box_iou_symmetric_and_bounded(a in arb_box(), b in arb_box()) {
		let ab = box_iou(&a, &b);
		prop_assert_eq!(ab, box_iou(&b, &a));
		prop_assert!(ab <= Perbill::one());
		prop_assert_eq!(box_iou(&a, &a), Perbill::one());
	}

	#[test]
	fn set_iou_symmetric_order_free_and_bounded(a in arb_set(), b in arb_set()) {
		let ab = label_set_iou(&a, &b).unwrap();
		prop_assert_eq!(ab, label_set_iou(&b, &a).unwrap());
		let mut rev = a.clone();
		rev.reverse();
		prop_assert_eq!(ab, label_set_iou(&rev, &b).unwrap());
		prop_assert!(ab <= Perbill::one());
		prop_assert_eq!(label_set_iou(&a, &a).unwrap(), Perbill::one());
	}

	#[test]
	fn set_iou_at_least_best_single_pair_share(a in arb_set(), b in arb_set()) {
		// The optimal matching is at least as good as matching just the best pair.
		let best_pair = a.iter().flat_map(|x| b.iter().map(move |y| box_iou(x, y)))
			.max().unwrap_or(Perbill::zero());
		let larger = a.len().max(b.len()).max(1) as u64;
		let lower = Perbill::from_rational(best_pair.deconstruct() as u64, larger * 1_000_000_000);
		prop_assert!(label_set_iou(&a, &b).unwrap() >= lower);
	}

	#[test]
	fn star_consensus_in_range(labels in prop::collection::vec((1u8..=5, arb_weight()), 1..=limits::MAX_LABELS)) {
		let lo = labels.iter().map(|l| l.0).min().unwrap();
		let hi = labels.iter().map(|l| l.0).max().unwrap();
		let labels: Vec<_> = labels.into_iter().map(|(s, w)| (FixedU128::from_u32(s as u32), w)).collect();
		let c = consensus_score(&labels, &ScoreRange::stars()).unwrap();
		prop_assert!(c.score >= FixedU128::from_u32(lo as u32));
		prop_assert!(c.score <= FixedU128::from_u32(hi as u32));
		prop_assert!(c.errors.iter().all(|e| *e <= FixedU128::from_u32(1)));
	}

	#[test]
	fn star_consensus_monotone_in_one_score(
		labels in prop::collection::vec((1u8..=4, arb_weight()), 1..=8), idx in 0usize..8,
	) {
		let idx = idx % labels.len();
		let stars = ScoreRange::stars();
		let base: Vec<_> = labels.iter().map(|(s, w)| (FixedU128::from_u32(*s as u32), *w)).collect();
		let mut raised = base.clone();
		raised[idx].0 = FixedU128::from_u32(labels[idx].0 as u32 + 1);
		prop_assert!(
			consensus_score(&raised, &stars).unwrap().score >= consensus_score(&base, &stars).unwrap().score
		);
	}

	#[test]
	fn class_consensus_is_a_voted_class(labels in prop::collection::vec((0u16..4, arb_weight()), 1..=limits::MAX_LABELS)) {
		let c = consensus_class(&labels).unwrap();
		prop_assert!(labels.iter().any(|(cl, _)| *cl == c.class));
		prop_assert!(c.support > Perbill::zero());
	}

	#[test]
	fn box_consensus_winner_agrees_fully(sets in prop::collection::vec((arb_set(), arb_weight()), 1..=6)) {
		let labels: Vec<(&[BoundingBox], FixedU128)> = sets.iter().map(|(s, w)| (s.as_slice(), *w)).collect();
		let c = consensus_boxes(&labels).unwrap();
		prop_assert!(c.winner < labels.len());
		prop_assert_eq!(c.agreement[c.winner], Perbill::one());
		prop_assert_eq!(c.agreement.len(), labels.len());
	}

	#[test]
	fn weight_bounded_and_monotone(x1 in 0u128..5_000, x2 in 0u128..5_000, s in 1u128..3_000) {
		let s = FixedU128::from_rational(s, 1000);
		let (lo, hi) = if x1 <= x2 { (x1, x2) } else { (x2, x1) };
		let a_lo = voting_weight(FixedU128::from_rational(lo, 1000), s);
		let a_hi = voting_weight(FixedU128::from_rational(hi, 1000), s);
		prop_assert!(a_lo >= min_weight() && a_lo <= max_weight());
		prop_assert!(a_hi >= min_weight() && a_hi <= max_weight());
		// more error never means more weight
		prop_assert!(a_hi <= a_lo);
	}

	#[test]
	fn proportional_split_conserves(total in any::<u128>(), shares in prop::collection::vec(0u128..(1u128 << 100), 1..40)) {
		prop_assume!(shares.iter().any(|s| *s > 0));
		let parts = split_proportional(total, &shares).unwrap();
		let sum = parts.iter().try_fold(0u128, |a, p| a.checked_add(*p));
		prop_assert_eq!(sum, Some(total));
		// zero share, zero part; each part within one unit of its exact quota
		for (p, s) in parts.iter().zip(shares.iter()) {
			if *s == 0 { prop_assert_eq!(*p, 0); }
		}
	}

	#[test]
	fn proportional_split_monotone_in_share(total in 0u128..1_000_000_000_000, a in 1u128..1_000_000, b in 1u128..1_000_000) {
		let parts = split_proportional(total, &[a, b]).unwrap();
		if a > b { prop_assert!(parts[0] >= parts[1]); }
		if a < b { prop_assert!(parts[0] <= parts[1]); }
	}

	#[test]
	fn sale_split_conserves(price in any::<u128>(), o in 0u32..=1_000_000_000, l in 0u32..=1_000_000_000, p in 0u32..=300_000_000) {
		let (o, l, p) = (Perbill::from_parts(o), Perbill::from_parts(l), Perbill::from_parts(p));
		match split_sale(price, o, l, p) {
			Ok(s) => {
				prop_assert_eq!(s.owners.checked_add(s.labelers).and_then(|x| x.checked_add(s.publisher)).and_then(|x| x.checked_add(s.reserve)), Some(price));
				// The publisher's part never changes the owners' and labelers' parts.
				let without = split_sale(price, o, l, Perbill::zero()).unwrap();
				prop_assert_eq!((without.owners, without.labelers), (s.owners, s.labelers));
				prop_assert_eq!(without.reserve, s.reserve + s.publisher);
			},
			Err(_) => prop_assert!(o.deconstruct() as u64 + l.deconstruct() as u64 + p.deconstruct() as u64 > 1_000_000_000),
		}
	}
}
