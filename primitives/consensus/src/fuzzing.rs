//! The body of the fuzz target (`fuzz/`) and of the no-panic test over random bytes: decode
//! labels from untrusted bytes exactly as a pallet would, then run every computation on them and
//! check their invariants. The function itself never panics: a violated invariant is returned as
//! `Err`, and the callers (fuzz target, tests) turn that into a failure. Any panic is a bug.

use crate::{
	consensus_boxes, consensus_class, consensus_score, label_set_iou, split_proportional,
	split_sale, voting_weight, BoundingBox, FixedU128, Perbill, ScoreRange,
};
use alloc::vec::Vec;
use codec::Decode;

/// Decodes `(Vec<(Vec<BoundingBox>, u128)>, Vec<(u16, u8)>, u128, Vec<u128>)` and runs the
/// consensus, reputation and split functions on it. `Ok(decoded)` tells whether the bytes
/// decoded; `Err` names the invariant that failed.
pub fn decode_and_run(mut data: &[u8]) -> Result<bool, &'static str> {
	fn check(ok: bool, what: &'static str) -> Result<(), &'static str> {
		if ok {
			Ok(())
		} else {
			Err(what)
		}
	}
	type Input = (Vec<(Vec<BoundingBox>, u128)>, Vec<(u16, u8)>, u128, Vec<u128>, u32, u32);
	let Ok((sets, votes, total, shares, p1, p2)) = Input::decode(&mut data) else {
		return Ok(false);
	};
	let labels: Vec<(&[BoundingBox], FixedU128)> =
		sets.iter().map(|(s, w)| (s.as_slice(), FixedU128::from_inner(*w))).collect();
	if let Ok(c) = consensus_boxes(&labels) {
		check(c.winner < labels.len(), "box consensus winner out of range")?;
		check(c.agreement.iter().all(|a| *a <= Perbill::one()), "agreement above one")?;
	}
	if let (Some(a), Some(b)) = (sets.first(), sets.last()) {
		if let Ok(v) = label_set_iou(&a.0, &b.0) {
			check(Ok(v) == label_set_iou(&b.0, &a.0), "set IoU not symmetric")?;
		}
	}
	let classes: Vec<(u16, FixedU128)> = votes
		.iter()
		.map(|(c, w)| (*c, FixedU128::from_inner(*w as u128 * 1_000_000_000_000_000)))
		.collect();
	let _ = consensus_class(&classes);
	let stars: Vec<(FixedU128, FixedU128)> = votes
		.iter()
		.filter(|(_, s)| (1..=5).contains(s))
		.map(|(c, s)| (FixedU128::from_u32(*s as u32), FixedU128::from_inner(*c as u128)))
		.collect();
	if let Ok(c) = consensus_score(&stars, &ScoreRange::stars()) {
		check(
			c.score >= FixedU128::from_u32(1) && c.score <= FixedU128::from_u32(5),
			"star consensus outside [1, 5]",
		)?;
	}
	let a = voting_weight(FixedU128::from_inner(total), FixedU128::from_inner(p1 as u128));
	check(
		a >= FixedU128::from_rational(8, 10) && a <= FixedU128::from_rational(12, 10),
		"weight outside [0.8, 1.2]",
	)?;
	if let Ok(parts) = split_proportional(total, &shares) {
		let sum = parts.iter().try_fold(0u128, |x, p| x.checked_add(*p));
		check(sum == Some(total), "proportional split does not conserve")?;
	}
	let publisher = Perbill::from_parts(p1 ^ p2);
	if let Ok(s) = split_sale(total, Perbill::from_parts(p1), Perbill::from_parts(p2), publisher) {
		let sum = s
			.owners
			.checked_add(s.labelers)
			.and_then(|x| x.checked_add(s.publisher))
			.and_then(|x| x.checked_add(s.reserve));
		check(sum == Some(total), "sale split does not conserve")?;
	}
	Ok(true)
}
