//! Bounding boxes and IoU.
//!
//! ## Matching of label sets
//! The IoU of two label sets (one labeler's boxes against another's) pairs boxes **one to one**
//! with an optimal assignment (Hungarian algorithm, maximising the summed IoU) and divides the
//! summed IoU of the pairs by the size of the larger set, so every unmatched box counts as 0:
//!
//! `IoU(A, B) = max over matchings M of  sum_{(a,b) in M} IoU(a, b) / max(|A|, |B|)`
//!
//! Why optimal rather than greedy: the optimum is unique in value, so the result is symmetric
//! (`IoU(A, B) == IoU(B, A)`) and independent of the order boxes were drawn in, which greedy
//! matching with ties is not. Boxes of different classes never match (their IoU is 0). Two empty
//! sets agree perfectly (1); an empty set against a non-empty one scores 0.
//!
//! Cost: `O(B^3)` for `B = max(|A|, |B|) <= 32` boxes, about 33k steps in the worst case.

use crate::{limits, MathError};
use alloc::{vec, vec::Vec};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_arithmetic::{PerThing, Perbill};

/// An axis-aligned box in integer pixel coordinates, `[x_min, x_max) x [y_min, y_max)`, with a
/// class id.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct BoundingBox {
	/// Left edge (inclusive).
	pub x_min: u32,
	/// Top edge (inclusive).
	pub y_min: u32,
	/// Right edge (exclusive).
	pub x_max: u32,
	/// Bottom edge (exclusive).
	pub y_max: u32,
	/// Object class.
	pub class: u16,
}

impl BoundingBox {
	/// A checked box.
	pub fn new(
		x_min: u32,
		y_min: u32,
		x_max: u32,
		y_max: u32,
		class: u16,
	) -> Result<Self, MathError> {
		let b = Self { x_min, y_min, x_max, y_max, class };
		b.validate()?;
		Ok(b)
	}

	/// `Ok` if the box has a positive area and lies within [`limits::MAX_COORDINATE`].
	pub fn validate(&self) -> Result<(), MathError> {
		if self.x_max > limits::MAX_COORDINATE || self.y_max > limits::MAX_COORDINATE {
			return Err(MathError::CoordinateOutOfRange);
		}
		if self.x_min >= self.x_max || self.y_min >= self.y_max {
			return Err(MathError::EmptyBox);
		}
		Ok(())
	}

	/// Area in square pixels (0 for an invalid box).
	pub fn area(&self) -> u64 {
		let w = self.x_max.saturating_sub(self.x_min) as u64;
		let h = self.y_max.saturating_sub(self.y_min) as u64;
		w.saturating_mul(h)
	}
}

/// Checks every box of a label and the label's size.
pub fn validate_label_set(set: &[BoundingBox]) -> Result<(), MathError> {
	if set.len() > limits::MAX_BOXES {
		return Err(MathError::TooManyBoxes);
	}
	set.iter().try_for_each(BoundingBox::validate)
}

/// Intersection over union of two boxes; 0 when the classes differ or a box is invalid.
pub fn box_iou(a: &BoundingBox, b: &BoundingBox) -> Perbill {
	if a.class != b.class || a.validate().is_err() || b.validate().is_err() {
		return Perbill::zero();
	}
	let ix = a.x_max.min(b.x_max).saturating_sub(a.x_min.max(b.x_min)) as u64;
	let iy = a.y_max.min(b.y_max).saturating_sub(a.y_min.max(b.y_min)) as u64;
	let inter = ix.saturating_mul(iy);
	let union = a.area().saturating_add(b.area()).saturating_sub(inter);
	if union == 0 {
		return Perbill::zero();
	}
	Perbill::from_rational(inter, union)
}

/// IoU of two label sets with optimal one-to-one matching (see the module docs).
pub fn label_set_iou(a: &[BoundingBox], b: &[BoundingBox]) -> Result<Perbill, MathError> {
	validate_label_set(a)?;
	validate_label_set(b)?;
	Ok(label_set_iou_unchecked(a, b))
}

/// [`label_set_iou`] for sets already validated.
pub(crate) fn label_set_iou_unchecked(a: &[BoundingBox], b: &[BoundingBox]) -> Perbill {
	let larger = a.len().max(b.len());
	if larger == 0 {
		return Perbill::one();
	}
	if a.is_empty() || b.is_empty() {
		return Perbill::zero();
	}
	// Rows = smaller set, columns = larger set.
	let (rows, cols) = if a.len() <= b.len() { (a, b) } else { (b, a) };
	let weights: Vec<Vec<i64>> = rows
		.iter()
		.map(|r| cols.iter().map(|c| box_iou(r, c).deconstruct() as i64).collect())
		.collect();
	let (total, _) = max_weight_assignment(&weights);
	let denom = (larger as u64).saturating_mul(Perbill::ACCURACY as u64);
	Perbill::from_rational(total.max(0) as u64, denom)
}

/// The work [`label_set_iou`] does on two sets, in column scans of the Hungarian algorithm
/// (each is one pass over the larger set). A deterministic cost measure for tests and for
/// choosing benchmark inputs: `B` boxes against `B` distinct, well-separated boxes take `B^2`
/// scans' worth of work, while `B` identical boxes (which `label_fits` in the labelers pallet
/// rejects) need an augmenting search over every earlier row, about `B^3 / 2` (16.5 times more
/// for `B = 32`).
pub fn label_set_matching_steps(a: &[BoundingBox], b: &[BoundingBox]) -> Result<u64, MathError> {
	validate_label_set(a)?;
	validate_label_set(b)?;
	if a.is_empty() || b.is_empty() {
		return Ok(0);
	}
	let (rows, cols) = if a.len() <= b.len() { (a, b) } else { (b, a) };
	let weights: Vec<Vec<i64>> = rows
		.iter()
		.map(|r| cols.iter().map(|c| box_iou(r, c).deconstruct() as i64).collect())
		.collect();
	Ok(max_weight_assignment(&weights).1)
}

/// Maximum total weight of an assignment of every row to a distinct column (`rows <= cols`),
/// by the Hungarian algorithm (shortest augmenting paths with potentials), `O(rows^2 * cols)`.
/// Weights are IoUs in parts per billion, so sums stay far below `i64::MAX`. Also returns the
/// number of column-scan steps taken (see [`label_set_matching_steps`]).
// Index loops read clearer than iterator chains over the five parallel arrays of the algorithm.
#[allow(clippy::needless_range_loop)]
fn max_weight_assignment(w: &[Vec<i64>]) -> (i64, u64) {
	let n = w.len();
	let m = w.first().map(|r| r.len()).unwrap_or(0);
	if n == 0 || m < n {
		return (0, 0);
	}
	let mut steps = 0u64;
	const INF: i64 = i64::MAX / 4;
	let cost =
		|i: usize, j: usize| -> i64 { -w.get(i).and_then(|r| r.get(j)).copied().unwrap_or(0) };
	// 1-based potentials and matching, index 0 is the virtual start column.
	let mut u = vec![0i64; n + 1];
	let mut v = vec![0i64; m + 1];
	let mut p = vec![0usize; m + 1];
	let mut way = vec![0usize; m + 1];
	for i in 1..=n {
		p[0] = i;
		let mut j0 = 0usize;
		let mut minv = vec![INF; m + 1];
		let mut used = vec![false; m + 1];
		loop {
			used[j0] = true;
			let i0 = p[j0];
			let mut delta = INF;
			let mut j1 = 0usize;
			steps = steps.saturating_add(m as u64);
			for j in 1..=m {
				if !used[j] {
					let cur = cost(i0 - 1, j - 1) - u[i0] - v[j];
					if cur < minv[j] {
						minv[j] = cur;
						way[j] = j0;
					}
					if minv[j] < delta {
						delta = minv[j];
						j1 = j;
					}
				}
			}
			for j in 0..=m {
				if used[j] {
					u[p[j]] += delta;
					v[j] -= delta;
				} else {
					minv[j] -= delta;
				}
			}
			j0 = j1;
			if p[j0] == 0 {
				break;
			}
		}
		loop {
			let j1 = way[j0];
			p[j0] = p[j1];
			j0 = j1;
			if j0 == 0 {
				break;
			}
		}
	}
	let total = (1..=m).filter(|&j| p[j] != 0).map(|j| -cost(p[j] - 1, j - 1)).sum();
	(total, steps)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn b(x0: u32, y0: u32, x1: u32, y1: u32) -> BoundingBox {
		BoundingBox::new(x0, y0, x1, y1, 0).unwrap()
	}

	#[test]
	fn iou_by_hand() {
		// identical
		assert_eq!(box_iou(&b(0, 0, 10, 10), &b(0, 0, 10, 10)), Perbill::one());
		// disjoint
		assert_eq!(box_iou(&b(0, 0, 10, 10), &b(10, 10, 20, 20)), Perbill::zero());
		// half overlap: inter 50, union 150 -> 1/3
		assert_eq!(box_iou(&b(0, 0, 10, 10), &b(5, 0, 15, 10)), Perbill::from_rational(1u32, 3));
		// contained: 25 / 100
		assert_eq!(box_iou(&b(0, 0, 10, 10), &b(0, 0, 5, 5)), Perbill::from_percent(25));
		// other class never matches
		let c = BoundingBox::new(0, 0, 10, 10, 1).unwrap();
		assert_eq!(box_iou(&b(0, 0, 10, 10), &c), Perbill::zero());
	}

	#[test]
	fn invalid_boxes_are_rejected() {
		assert_eq!(BoundingBox::new(5, 0, 5, 10, 0), Err(MathError::EmptyBox));
		assert_eq!(BoundingBox::new(6, 0, 5, 10, 0), Err(MathError::EmptyBox));
		assert_eq!(
			BoundingBox::new(0, 0, limits::MAX_COORDINATE + 1, 10, 0),
			Err(MathError::CoordinateOutOfRange)
		);
		let too_many = vec![b(0, 0, 1, 1); limits::MAX_BOXES + 1];
		assert_eq!(label_set_iou(&too_many, &[]), Err(MathError::TooManyBoxes));
	}

	#[test]
	fn set_iou_unmatched_boxes_count_zero() {
		let a = [b(0, 0, 10, 10), b(20, 20, 30, 30)];
		let one = [b(0, 0, 10, 10)];
		// one perfect match, one unmatched: (1 + 0) / 2
		assert_eq!(label_set_iou(&a, &one).unwrap(), Perbill::from_percent(50));
		assert_eq!(label_set_iou(&one, &a).unwrap(), Perbill::from_percent(50));
		assert_eq!(label_set_iou(&[], &[]).unwrap(), Perbill::one());
		assert_eq!(label_set_iou(&a, &[]).unwrap(), Perbill::zero());
	}

	#[test]
	fn set_iou_takes_the_best_pairing() {
		// Two boxes each: the result is the better of the two possible one-to-one pairings.
		let a = [b(0, 0, 100, 100), b(60, 0, 160, 100)];
		let bb = [b(10, 0, 110, 100), b(0, 0, 90, 100)];
		let iou_a0b0 = box_iou(&a[0], &bb[0]).deconstruct() as u64;
		let iou_a1b1 = box_iou(&a[1], &bb[1]).deconstruct() as u64;
		let iou_a0b1 = box_iou(&a[0], &bb[1]).deconstruct() as u64;
		let iou_a1b0 = box_iou(&a[1], &bb[0]).deconstruct() as u64;
		let best = (iou_a0b0 + iou_a1b1).max(iou_a0b1 + iou_a1b0);
		assert_ne!(iou_a0b0 + iou_a1b1, iou_a0b1 + iou_a1b0);
		assert_eq!(
			label_set_iou(&a, &bb).unwrap(),
			Perbill::from_rational(best, 2 * Perbill::ACCURACY as u64)
		);
	}

	#[test]
	fn matching_steps_worst_cases() {
		let n = limits::MAX_BOXES as u32;
		// 32 well-separated boxes against the same, shifted 5 px: one scan per row, 32 * 32
		let band: Vec<_> = (0..n).map(|i| b(i * 50, i * 20, i * 50 + 80, i * 20 + 60)).collect();
		let band5: Vec<_> =
			(0..n).map(|i| b(i * 50 + 5, i * 20, i * 50 + 85, i * 20 + 60)).collect();
		assert_eq!(label_set_matching_steps(&band, &band5), Ok(1024));
		// 32 identical boxes: row i searches through all i earlier rows, 32 * (1 + ... + 32)
		let dup = vec![b(0, 0, 100, 100); n as usize];
		assert_eq!(label_set_matching_steps(&dup, &dup), Ok(16_896));
		// 16.5 times the work, as reported in issue 11
		assert_eq!(16_896 * 2, 1024 * 33);
		// distinct boxes can still reach the maximum: 1 px apart, all overlapping
		let staircase: Vec<_> = (0..n).map(|i| b(i, 0, i + 100, 100)).collect();
		let shifted: Vec<_> = (0..n).map(|i| b(i + 5, 0, i + 105, 100)).collect();
		assert_eq!(label_set_matching_steps(&staircase, &shifted), Ok(16_896));
		assert_eq!(label_set_matching_steps(&[], &dup), Ok(0));
	}
}
