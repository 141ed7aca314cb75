//! The probability that a candidate who **guesses** passes a qualification round.
//!
//! A qualification round hands a candidate `K` gold items and compares the candidate's mean
//! agreement (or mean score error) with the domain's bar. A candidate who knows nothing can still
//! guess; with cheap, throw-away accounts, a bar that guessing clears with a few percent
//! probability is a bar that can be brute-forced (issue 11, item 4: 2 classes, `K = 10`,
//! 80 % bar: `56 / 1024 = 5.47 %` per round). The labelers pallet refuses domain parameters whose
//! guessing pass probability exceeds a runtime bound and states the probability in its
//! `DomainCreated` / `DomainUpdated` events.
//!
//! ## The guesser
//! A **uniform random guesser**: every answer drawn uniformly and independently from the answer
//! space of the label kind.
//!
//! - **Single class, `c` classes.** A uniform guess is right with probability exactly `1/c`
//!   *whatever the gold answers are* (it does not matter how the curator's gold is distributed
//!   over the classes), so the number of right answers is `Bin(K, 1/c)` and
//!
//!   `P(pass) = P(Bin(K, 1/c) >= m) = sum_{j=m}^{K} C(K, j) (c - 1)^(K - j) / c^K`
//!
//!   where `m` is the least number of right answers that clears the bar: the smallest `j` with
//!   `mean_perbill(j ones, K - j zeros) >= bar`. The function evaluates the round's own mean
//!   (shared code), so the figure is exact for the pallet's comparison; since that mean rounds
//!   down, `m = ceil(bar * K)`.
//! - **Scores `min..=max` (1-5 stars, Likert 1-7, a 0-100 rating), bar "mean error <= e"
//!   (in widths `w = max - min` of the range).** A round passes when the summed error in points
//!   `S = sum |g_i - t_i|` is at most `L = floor(e w K)` ([`score_round_passes`], the pallet's
//!   own rule). The guess `g` is uniform over the `w + 1` scores. Gold answers at the **middle**
//!   of the range favour the guesser most: for every `d`, the number of guesses within `d` of
//!   `t`, `min(t - min, d) + min(max - t, d) + 1`, is largest at `t = min + floor(w / 2)`, so
//!   the error of one item is stochastically smallest there, and (the items being independent)
//!   so is the sum; the all-middle round is the worst case over *any* gold. The distribution of
//!   `S` is computed by dynamic programming over the items, keeping only sums up to `L` (a sum
//!   never decreases). When that costs at most [`SCORE_DP_BUDGET`] multiply-adds it is exact
//!   (every case with a few hundred passing points: stars, Likert, a 0-100 rating at a tight
//!   bar); otherwise the errors are cut into `B` buckets `b = floor(d B / w)` with the largest
//!   `B` the budget allows ([`score_buckets`]), and since `S <= L` implies
//!   `sum b <= floor(L B / w)`, counting the bucket sums is an **upper bound** (a guesser is
//!   credited with slightly more than he has). Probabilities are fixed point at scale `2^60`,
//!   rounded **up** at every step, then rounded up to the next part per billion: the figure is
//!   never below the truth and, when exact, at most one part per billion above it.
//! - **Bounding boxes: no figure (`None`).** The answer space is any set of up to 32 boxes with
//!   corners anywhere in a 2^20 x 2^20 grid; a uniformly random box set overlaps a real object
//!   with a probability that is essentially zero, so the uniform model says nothing. What a
//!   cheater really does is guess from the *data* (a box over the centre of the image, or no box
//!   at all), and how well that works depends on the gold images, which the chain never sees
//!   (it holds only commitments). The curator must choose box gold that such priors do not pass
//!   (objects off-centre, few empty images); the chain cannot check it.
//!
//! A guesser who knows how the gold is distributed (e.g. mostly class 0, mostly 3 stars) can do
//! better than a uniform one; the figure assumes the curator's gold is balanced over the answers.
//!
//! ## Exactness and rounding
//! All counts are exact integers (small fixed-width big unsigned integers: `c^K` reaches
//! `65535^64 < 2^1024`), and the class figure is the exact ratio rounded **up** to the next part
//! per billion, so the bound the pallet compares it with is conservative; the score figure is
//! an upper bound (see above). `K` is at most
//! [`MAX_ROUND_SIZE`]. No floating point, no panics: every operation is checked and an
//! impossible overflow is reported as [`MathError::Overflow`].
//!
//! Cost: single class `O(K)` big-number multiplications (about 1 µs natively for `K = 20`);
//! scores at most [`SCORE_DP_BUDGET`] 128-bit multiply-adds plus one pass over the `w + 1`
//! guesses.
//! `create_domain` / `update_domain` are benchmarked with that worst case.

use crate::{quality::mean_of_parts, MathError};
use alloc::{vec, vec::Vec};
use core::cmp::Ordering;
use sp_arithmetic::{PerThing, Perbill};

/// Largest round size `K` the probabilities are computed for.
pub const MAX_ROUND_SIZE: u32 = 64;

/// Words of the big integers for classes: 18 x 64 = 1152 bits, enough for `65535^64 * 10^9`
/// (`< 2^1054`).
const CLASS_WORDS: usize = 18;
/// Scale of the fixed-point probabilities of the score dynamic programming: `2^60`.
const SCORE_ONE_SHIFT: u32 = 60;

/// Parts per billion of a `Perbill`.
const BILLION: u64 = Perbill::ACCURACY as u64;

/// A fixed-width unsigned integer of `N` little-endian words. Only what the probabilities need.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Big<const N: usize>([u64; N]);

impl<const N: usize> Big<N> {
	const ZERO: Self = Big([0; N]);

	fn from_u64(v: u64) -> Self {
		let mut words = [0u64; N];
		if let Some(w) = words.first_mut() {
			*w = v;
		}
		Big(words)
	}

	fn is_zero(&self) -> bool {
		self.0.iter().all(|w| *w == 0)
	}

	/// `self * m`, `None` on overflow.
	fn mul_small(&self, m: u64) -> Option<Self> {
		let mut out = [0u64; N];
		let mut carry = 0u128;
		for (o, w) in out.iter_mut().zip(self.0.iter()) {
			// (2^64 - 1)^2 + (2^64 - 1) < 2^128: no overflow.
			let t = (*w as u128) * (m as u128) + carry;
			*o = t as u64;
			carry = t >> 64;
		}
		(carry == 0).then_some(Big(out))
	}

	/// `self + other`, `None` on overflow.
	fn add(&self, other: &Self) -> Option<Self> {
		let mut out = [0u64; N];
		let mut carry = 0u128;
		for ((o, a), b) in out.iter_mut().zip(self.0.iter()).zip(other.0.iter()) {
			let t = *a as u128 + *b as u128 + carry;
			*o = t as u64;
			carry = t >> 64;
		}
		(carry == 0).then_some(Big(out))
	}

	/// `base^exp`, `None` on overflow.
	fn pow(base: u64, exp: u32) -> Option<Self> {
		(0..exp).try_fold(Self::from_u64(1), |acc, _| acc.mul_small(base))
	}
}

impl<const N: usize> PartialOrd for Big<N> {
	fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
		Some(self.cmp(other))
	}
}

impl<const N: usize> Ord for Big<N> {
	fn cmp(&self, other: &Self) -> Ordering {
		// Most significant word first.
		self.0.iter().rev().cmp(other.0.iter().rev())
	}
}

/// `num / den` rounded up to the next part per billion (`num <= den`, `den > 0`).
fn ratio_rounded_up<const N: usize>(num: &Big<N>, den: &Big<N>) -> Result<Perbill, MathError> {
	if den.is_zero() {
		return Err(MathError::ZeroTotal);
	}
	if num > den {
		return Err(MathError::Overflow);
	}
	let target = num.mul_small(BILLION).ok_or(MathError::Overflow)?;
	// The smallest r in [0, 10^9] with r * den >= num * 10^9, i.e. ceil(10^9 * num / den).
	let (mut lo, mut hi) = (0u64, BILLION);
	while lo < hi {
		let mid = lo + (hi - lo) / 2;
		if den.mul_small(mid).ok_or(MathError::Overflow)? >= target {
			hi = mid;
		} else {
			lo = mid + 1;
		}
	}
	Ok(Perbill::from_parts(lo as u32))
}

fn check_round(k: u32) -> Result<(), MathError> {
	if k == 0 {
		return Err(MathError::NoLabels);
	}
	if k > MAX_ROUND_SIZE {
		return Err(MathError::RoundTooLarge);
	}
	Ok(())
}

/// The least number of right answers out of `k` whose mean agreement (as a qualification round
/// computes it) reaches `bar`.
pub fn min_right_answers(bar: Perbill, k: u32) -> u32 {
	(0..=k)
		.find(|&j| mean_of_parts((j as u64).saturating_mul(BILLION), k as u64) >= bar)
		.unwrap_or(k)
}

/// Exact probability (rounded up) that a uniform guesser among `classes` classes passes a round
/// of `k` items with mean accuracy at least `bar`: `P(Bin(k, 1/classes) >= m)`.
///
/// Errors: `NoLabels` for `k = 0`, `RoundTooLarge` above [`MAX_ROUND_SIZE`], `ZeroTotal` for
/// no classes.
pub fn class_guess_pass(classes: u16, bar: Perbill, k: u32) -> Result<Perbill, MathError> {
	check_round(k)?;
	if classes == 0 {
		return Err(MathError::ZeroTotal);
	}
	let c = classes as u64;
	let m = min_right_answers(bar, k);
	let den = Big::<CLASS_WORDS>::pow(c, k).ok_or(MathError::Overflow)?;
	// num = sum_{j=m}^{k} C(k, j) (c - 1)^(k - j), from j = k down.
	let mut num = Big::<CLASS_WORDS>::ZERO;
	let mut wrong_ways = Big::<CLASS_WORDS>::from_u64(1); // (c - 1)^(k - j)
	let mut binomial: u128 = 1; // C(k, j); C(64, 32) < 2^61
	let mut j = k;
	loop {
		let binomial_u64 = u64::try_from(binomial).map_err(|_| MathError::Overflow)?;
		let term = wrong_ways.mul_small(binomial_u64).ok_or(MathError::Overflow)?;
		num = num.add(&term).ok_or(MathError::Overflow)?;
		if j <= m {
			break;
		}
		// C(k, j - 1) = C(k, j) * j / (k - j + 1), exact.
		binomial = binomial
			.checked_mul(j as u128)
			.and_then(|x| x.checked_div((k - j + 1) as u128))
			.ok_or(MathError::Overflow)?;
		wrong_ways = wrong_ways.mul_small(c - 1).ok_or(MathError::Overflow)?;
		j -= 1;
	}
	ratio_rounded_up(&num, &den)
}

/// Whether a scored qualification round passes: its summed error in points `sum_points` over
/// `k` items is at most `floor(bar * width * k)`, i.e. the mean error is at most `bar` widths of
/// the range. Exact integer arithmetic, so the guessing figure can count the same rule.
pub fn score_round_passes(sum_points: u64, width: u16, k: u32, bar: Perbill) -> bool {
	sum_points <= bar.mul_floor((width as u64).saturating_mul(k as u64))
}

/// Multiply-adds the score dynamic program may spend: `k (L_b + 1) (min(B, L_b) + 1)` for `B`
/// buckets and bucket limit `L_b` (see [`score_buckets`]).
pub const SCORE_DP_BUDGET: u64 = 250_000;

/// The number of error buckets `B` of the score dynamic program: the whole width `w` (an
/// exact count) when that fits [`SCORE_DP_BUDGET`], else the largest `B` that does (an upper
/// bound). `limit` is the round's largest passing summed error in points.
pub fn score_buckets(w: u64, limit: u64, k: u64) -> u64 {
	let cost = |b: u64| {
		let lb = limit.saturating_mul(b) / w.max(1);
		k.saturating_mul(lb.saturating_add(1))
			.saturating_mul(b.min(lb).saturating_add(1))
	};
	if cost(w) <= SCORE_DP_BUDGET {
		return w;
	}
	// cost grows with b: the largest b in [1, w) within the budget (b = 1 always is).
	let (mut lo, mut hi) = (1u64, w);
	while lo + 1 < hi {
		let mid = lo + (hi - lo) / 2;
		if cost(mid) <= SCORE_DP_BUDGET {
			lo = mid;
		} else {
			hi = mid;
		}
	}
	lo
}

/// Probability (an upper bound, see the module docs) that a uniform guesser over a score range
/// of `width = max - min` passes a round of `k` items at mean error at most `bar` widths.
///
/// Errors: `NoLabels` for `k = 0`, `RoundTooLarge` above [`MAX_ROUND_SIZE`], `InvalidParameter`
/// for a width of 0.
pub fn score_guess_pass(width: u16, bar: Perbill, k: u32) -> Result<Perbill, MathError> {
	check_round(k)?;
	if width == 0 {
		return Err(MathError::InvalidParameter);
	}
	let w = width as u64;
	let limit = bar.mul_floor(w * k as u64);
	if limit >= w * k as u64 {
		return Ok(Perbill::one());
	}
	let buckets = score_buckets(w, limit, k as u64);
	// Only bucket sums that can still pass are tracked: a sum never decreases.
	let bucket_limit = usize::try_from(limit * buckets / w).map_err(|_| MathError::Overflow)?;
	// Guesses per error bucket for the gold answer in the middle of the range (buckets beyond
	// the limit fail on their own and are dropped).
	let truth = w / 2;
	let mut counts = vec![0u64; bucket_limit + 1];
	for g in 0..=w {
		if let Some(slot) = counts.get_mut((g.abs_diff(truth) * buckets / w) as usize) {
			*slot += 1;
		}
	}
	let one = 1u128 << SCORE_ONE_SHIFT;
	let n = w as u128 + 1;
	// Probability of each bucket, rounded up.
	let p: Vec<(usize, u128)> = counts
		.iter()
		.enumerate()
		.filter(|(_, c)| **c > 0)
		.map(|(b, c)| (b, (*c as u128 * one).div_ceil(n)))
		.collect();
	// ways[s] = probability that the items so far have bucket sum s <= bucket_limit.
	let mut ways = vec![0u128; bucket_limit + 1];
	if let Some(w0) = ways.first_mut() {
		*w0 = one;
	}
	for _ in 0..k {
		let mut next = vec![0u128; bucket_limit + 1];
		for (s, x) in ways.iter().enumerate().filter(|(_, x)| **x > 0) {
			for (b, q) in p.iter() {
				let Some(slot) = next.get_mut(s + b) else { break };
				// x, q <= 2^61: the product stays below 2^122.
				let add = x.checked_mul(*q).ok_or(MathError::Overflow)?.div_ceil(one);
				*slot = slot.checked_add(add).ok_or(MathError::Overflow)?;
			}
		}
		ways = next;
	}
	let total = ways
		.iter()
		.try_fold(0u128, |a, x| a.checked_add(*x))
		.ok_or(MathError::Overflow)?;
	let parts = total
		.checked_mul(BILLION as u128)
		.ok_or(MathError::Overflow)?
		.div_ceil(one)
		.min(BILLION as u128);
	Ok(Perbill::from_parts(parts as u32))
}

/// What a qualification round asks, as far as guessing is concerned.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum GuessModel {
	/// One class out of `classes`, pass at mean accuracy `>= bar`.
	SingleClass { classes: u16, bar: Perbill },
	/// Integer scores over a range of `width = max - min`, pass at mean error `<= bar` widths.
	Score { width: u16, bar: Perbill },
	/// Bounding boxes: a guesser cannot be modelled (see the module docs).
	Boxes,
}

/// The probability that a uniform guesser passes a round of `k` items (rounded up to the next
/// part per billion), or `None` for bounding boxes.
pub fn guess_pass_probability(model: GuessModel, k: u32) -> Result<Option<Perbill>, MathError> {
	match model {
		GuessModel::SingleClass { classes, bar } => class_guess_pass(classes, bar, k).map(Some),
		GuessModel::Score { width, bar } => score_guess_pass(width, bar, k).map(Some),
		GuessModel::Boxes => Ok(None),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn pct(n: u32) -> Perbill {
		Perbill::from_percent(n)
	}

	/// The exact ratio `num / den` rounded up, for the hand-computed figures.
	fn up(num: u128, den: u128) -> Perbill {
		let parts = (num * BILLION as u128).div_ceil(den);
		Perbill::from_parts(parts as u32)
	}

	#[test]
	fn issue_example_two_classes_ten_items_eighty_percent() {
		// P(Bin(10, 1/2) >= 8) = (C(10,8) + C(10,9) + C(10,10)) / 2^10 = (45 + 10 + 1) / 1024
		let p = class_guess_pass(2, pct(80), 10).unwrap();
		assert_eq!(p, up(56, 1024));
		assert_eq!(p, Perbill::from_parts(54_687_500)); // 5.46875 %, exact
	}

	#[test]
	fn class_figures_by_hand() {
		// all ten right: 1 / 1024 = 976_562.5 ppb, rounded up
		assert_eq!(class_guess_pass(2, pct(100), 10), Ok(Perbill::from_parts(976_563)));
		// 4 classes, one item, bar 50 %: one right answer needed, 1/4
		assert_eq!(class_guess_pass(4, pct(50), 1), Ok(pct(25)));
		// 4 classes, K = 5, all right: 1 / 1024 again
		assert_eq!(class_guess_pass(4, pct(100), 5), Ok(Perbill::from_parts(976_563)));
		// 4 classes, K = 10, bar 80 %: (C(10,8) 9 + C(10,9) 3 + 1) / 4^10 = 436 / 1048576
		assert_eq!(class_guess_pass(4, pct(80), 10), Ok(up(436, 1_048_576)));
		// bar 0 (or one class): everybody passes
		assert_eq!(class_guess_pass(7, Perbill::zero(), 3), Ok(Perbill::one()));
		assert_eq!(class_guess_pass(1, pct(100), 20), Ok(Perbill::one()));
	}

	#[test]
	fn pass_mark_is_ceil_of_bar_times_k() {
		// the round's mean of 2 right out of 3 is 666_666_666 ppb (rounded down), so a bar of
		// 666_666_666 is met by 2 right answers: P = (C(3,2) 2 + 1) / 27 = 7 / 27
		let bar = Perbill::from_parts(666_666_666);
		assert_eq!(min_right_answers(bar, 3), 2);
		assert_eq!(class_guess_pass(3, bar, 3), Ok(up(7, 27)));
		assert_eq!(class_guess_pass(3, bar, 3), Ok(Perbill::from_parts(259_259_260)));
		// one part more needs all three (ceil(0.666666667 * 3) = 3): 1/27
		let above = Perbill::from_parts(666_666_667);
		assert_eq!(min_right_answers(above, 3), 3);
		assert_eq!(class_guess_pass(3, above, 3), Ok(up(1, 27)));
		// ceil(p K) for the issue's example: 80 % of 10 = 8
		assert_eq!(min_right_answers(pct(80), 10), 8);
		assert_eq!(min_right_answers(pct(81), 10), 9);
	}

	#[test]
	fn tiny_probabilities_round_up_to_one_part() {
		// 65535^-64 is far below a part per billion but not zero: conservative 1 ppb
		assert_eq!(class_guess_pass(u16::MAX, pct(100), 64), Ok(Perbill::from_parts(1)));
		assert_eq!(score_guess_pass(4, Perbill::zero(), 64), Ok(Perbill::from_parts(1)));
		assert_eq!(score_guess_pass(u16::MAX, Perbill::zero(), 64), Ok(Perbill::from_parts(1)));
	}

	#[test]
	fn bad_inputs_are_errors() {
		assert_eq!(class_guess_pass(2, pct(80), 0), Err(MathError::NoLabels));
		assert_eq!(class_guess_pass(2, pct(80), 65), Err(MathError::RoundTooLarge));
		assert_eq!(class_guess_pass(0, pct(80), 5), Err(MathError::ZeroTotal));
		assert_eq!(score_guess_pass(4, pct(25), 0), Err(MathError::NoLabels));
		assert_eq!(score_guess_pass(4, pct(25), 65), Err(MathError::RoundTooLarge));
		assert_eq!(score_guess_pass(0, pct(25), 5), Err(MathError::InvalidParameter));
		assert_eq!(guess_pass_probability(GuessModel::Boxes, 1), Ok(None));
	}

	/// The exact figure rounded up, or one part more (the fixed-point rounding is upwards).
	fn near(got: Result<Perbill, MathError>, exact: Perbill) {
		let got = got.unwrap().deconstruct();
		assert!(got == exact.deconstruct() || got == exact.deconstruct() + 1, "{got} vs {exact:?}");
	}

	#[test]
	fn star_figures_by_hand() {
		// stars: width 4, bars in widths (1 star = 25 %)
		// K = 1, exact answer needed: gold 3, guess 3: 1/5
		near(score_guess_pass(4, Perbill::zero(), 1), pct(20));
		// K = 1, within one star: gold 3, guesses 2, 3, 4: 3/5
		near(score_guess_pass(4, pct(25), 1), pct(60));
		// K = 1, within two stars: gold 3, every guess
		assert_eq!(score_guess_pass(4, pct(50), 1), Ok(Perbill::one()));
		// K = 2, mean <= 0.5 stars (sum <= 1): gold 3: (1 + 2 * 2) / 25 = 20 %
		near(score_guess_pass(4, Perbill::from_rational(1u32, 8), 2), pct(20));
		// K = 5, mean <= 0.2 stars (sum <= 1): (1 + 5 * 2) / 3125
		near(score_guess_pass(4, pct(5), 5), up(11, 3125));
		// K = 5, mean <= 0.4 stars (sum <= 2): sum 2 = one item off by 2 (5 * 2) or two off by 1
		// (C(5,2) * 2 * 2): (1 + 10 + 10 + 40) / 3125 = 61 / 3125
		near(score_guess_pass(4, pct(10), 5), up(61, 3125));
		// a bar of the whole range lets everyone pass
		assert_eq!(score_guess_pass(4, pct(100), 3), Ok(Perbill::one()));
		// Likert 1-7 (width 6), K = 1, within one point: gold 4, guesses 3, 4, 5: 3/7
		// (1/6 rounded up: rounded down, the bar would be 0.999999996 points)
		near(score_guess_pass(6, Perbill::from_parts(166_666_667), 1), up(3, 7));
		near(score_guess_pass(6, Perbill::from_parts(166_666_666), 1), up(1, 7));
	}

	/// Brute force over all guesses and every gold assignment for small ranges and K = 3: the
	/// maximum over gold is the figure returned (exact below 17 points of width).
	#[test]
	fn middle_gold_is_the_guessers_best_case() {
		let k = 3u32;
		for width in [1u16, 2, 4, 6] {
			let n = width as u32 + 1;
			let total = n.pow(k);
			for bar_pct in [0u32, 5, 10, 17, 25, 34, 50, 67, 99] {
				let bar = pct(bar_pct);
				let mut best = Perbill::zero();
				for t in 0..total {
					let truth = [t % n, t / n % n, t / n / n];
					let mut pass = 0u128;
					for g in 0..total {
						let guess = [g % n, g / n % n, g / n / n];
						let sum: u32 =
							guess.iter().zip(truth.iter()).map(|(a, b)| a.abs_diff(*b)).sum();
						if score_round_passes(sum as u64, width, k, bar) {
							pass += 1;
						}
					}
					best = best.max(up(pass, total as u128));
				}
				near(score_guess_pass(width, bar, k), best);
			}
		}
	}

	/// A 0-100 range within the budget is exact: K = 2, bar 10 % (summed error <= 20 points),
	/// against the brute force for gold 50. The widest range at a loose bar is bucketed: an
	/// upper bound.
	#[test]
	fn wide_ranges_are_exact_or_bounded_from_above() {
		let (width, k, bar) = (100u16, 2u32, pct(10));
		let mut pass = 0u128;
		for a in 0..=100u32 {
			for b in 0..=100u32 {
				if score_round_passes((a.abs_diff(50) + b.abs_diff(50)) as u64, width, k, bar) {
					pass += 1;
				}
			}
		}
		near(score_guess_pass(width, bar, k), up(pass, 101 * 101));
		assert_eq!(score_buckets(100, 20, 2), 100);
		// 0-65535, K = 20, bar 5 %: far beyond the budget, bucketed; the bound stays above the
		// exact figure with fewer buckets still (coarser is looser)
		let limit = pct(5).mul_floor(65_535u64 * 20);
		let b = score_buckets(65_535, limit, 20);
		assert!(b > 16 && b < 65_535, "{b}");
		let fine = score_guess_pass(u16::MAX, pct(5), 20).unwrap();
		assert!(fine < Perbill::from_parts(1_000), "{fine:?}");
		// the worst cases (64 items, the bar just under the whole range) stay computable
		assert!(score_guess_pass(u16::MAX, Perbill::from_parts(999_999_999), 64).is_ok());
		assert!(score_guess_pass(100, Perbill::from_parts(999_999_999), 64).is_ok());
	}

	#[test]
	fn round_rule_is_exact_in_points() {
		// 1-5 stars, K = 4, bar 25 %: at most floor(0.25 * 4 * 4) = 4 points summed
		assert!(score_round_passes(4, 4, 4, pct(25)));
		assert!(!score_round_passes(5, 4, 4, pct(25)));
		// 0-100, K = 3, bar 10 %: 30 points
		assert!(score_round_passes(30, 100, 3, pct(10)));
		assert!(!score_round_passes(31, 100, 3, pct(10)));
	}

	#[test]
	fn class_matches_brute_force() {
		for classes in 1..=4u16 {
			for k in 1..=4u32 {
				for bar_pct in [0u32, 25, 34, 50, 67, 75, 100] {
					let bar = pct(bar_pct);
					let total = (classes as u128).pow(k);
					// enumerate guesses against gold all-0 (any gold gives the same count)
					let mut pass = 0u128;
					for g in 0..total {
						let mut x = g;
						let mut right = 0u64;
						for _ in 0..k {
							if x % classes as u128 == 0 {
								right += 1;
							}
							x /= classes as u128;
						}
						if mean_of_parts(right * BILLION, k as u64) >= bar {
							pass += 1;
						}
					}
					assert_eq!(class_guess_pass(classes, bar, k), Ok(up(pass, total)));
				}
			}
		}
	}
}
