//! The probability that a candidate who **guesses** passes a qualification round.
//!
//! A qualification round hands a candidate `K` gold items and compares the candidate's mean
//! agreement (or mean star error) with the domain's bar. A candidate who knows nothing can still
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
//! - **Stars 1..=5, bar "mean absolute error <= e".** The guess `g` is uniform over 1..=5; the
//!   error of one item is `|g - t|` for the gold answer `t`. The distribution of the summed error
//!   `S` over the `K` items is computed exactly by dynamic programming (counts of the `5^K` guess
//!   sequences), and `P(pass) = #{S : S / K <= e} / 5^K` (again with the pallet's own mean).
//!   The guesser's chance depends on the gold answers, so the **worst case** over them is taken:
//!   the maximum over gold answers `t = 1, 2, 3` for all items (`4` and `5` mirror `2` and `1`).
//!   This maximum is also the worst case over *mixed* gold: the per-item error for `t = 3`
//!   (`0, 1, 1, 2, 2`) is stochastically smaller than for `t = 2` (`0, 1, 1, 2, 3`) and for
//!   `t = 1` (`0, 1, 2, 3, 4`), so replacing any item's gold by a 3 can only raise the chance of
//!   passing; the all-3 round is the guesser's best case.
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
//! `65535^64 < 2^1024`, `5^K` stays below `2^149`), and the result is the exact ratio rounded **up** to the next part per
//! billion, so the bound the pallet compares it with is conservative. `K` is at most
//! [`MAX_ROUND_SIZE`]. No floating point, no panics: every operation is checked and an
//! impossible overflow is reported as [`MathError::Overflow`].
//!
//! Cost: single class `O(K)` big-number multiplications (about 1 µs natively for `K = 20`);
//! stars `O(3 * K * 4K * 5)` three-word multiply-adds (about 25 µs natively for `K = 20`,
//! 0.2 ms for `K = 64`). `create_domain` / `update_domain` are benchmarked with stars at
//! `K = MaxRoundSize`, the worst case.

use crate::{
	quality::{mean_of_parts, mean_of_sum},
	MathError,
};
use alloc::vec;
use core::cmp::Ordering;
use sp_arithmetic::{FixedPointNumber, FixedU128, PerThing, Perbill};

/// Largest round size `K` the probabilities are computed for.
pub const MAX_ROUND_SIZE: u32 = 64;

/// Words of the big integers for classes: 18 x 64 = 1152 bits, enough for `65535^64 * 10^9`
/// (`< 2^1054`).
const CLASS_WORDS: usize = 18;
/// Words of the big integers for stars: 3 x 64 = 192 bits, enough for `5^64 * 10^9` (`< 2^179`).
const STAR_WORDS: usize = 3;

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

/// How many of the guesses 1..=5 miss the gold answer `truth` by `e` stars, for `e = 0..=4`.
fn star_error_counts(truth: u8) -> [u64; 5] {
	let mut counts = [0u64; 5];
	for g in 1..=5u8 {
		if let Some(n) = counts.get_mut(g.abs_diff(truth) as usize) {
			*n += 1;
		}
	}
	counts
}

/// Exact probability (rounded up) that a uniform guesser over 1..=5 stars passes a round of `k`
/// items with mean absolute star error at most `max_mean_error`, for the gold answers that favour
/// the guesser most (see the module docs).
///
/// Errors: `NoLabels` for `k = 0`, `RoundTooLarge` above [`MAX_ROUND_SIZE`].
pub fn star_guess_pass(max_mean_error: FixedU128, k: u32) -> Result<Perbill, MathError> {
	check_round(k)?;
	let max_sum = 4 * k as usize;
	// The largest summed error that still passes (0 always passes: its mean is 0).
	let pass_sum = (0..=max_sum)
		.rev()
		.find(|&s| {
			mean_of_sum(FixedU128::saturating_from_integer(s as u64), k as u64)
				.is_some_and(|mean| mean <= max_mean_error)
		})
		.unwrap_or(0);
	let den = Big::<STAR_WORDS>::pow(5, k).ok_or(MathError::Overflow)?;
	let mut worst = Perbill::zero();
	for truth in 1..=3u8 {
		let counts = star_error_counts(truth);
		// ways[s] = number of guess sequences over the items so far with summed error s.
		let mut ways = vec![Big::<STAR_WORDS>::ZERO; max_sum + 1];
		if let Some(w) = ways.first_mut() {
			*w = Big::from_u64(1);
		}
		for _ in 0..k {
			let mut next = vec![Big::<STAR_WORDS>::ZERO; max_sum + 1];
			for (s, w) in ways.iter().enumerate().filter(|(_, w)| !w.is_zero()) {
				for (e, n) in counts.iter().enumerate().filter(|(_, n)| **n > 0) {
					let add = w.mul_small(*n).ok_or(MathError::Overflow)?;
					let slot = next.get_mut(s + e).ok_or(MathError::Overflow)?;
					*slot = slot.add(&add).ok_or(MathError::Overflow)?;
				}
			}
			ways = next;
		}
		let num = ways
			.iter()
			.take(pass_sum + 1)
			.try_fold(Big::ZERO, |acc, w| acc.add(w))
			.ok_or(MathError::Overflow)?;
		worst = worst.max(ratio_rounded_up(&num, &den)?);
	}
	Ok(worst)
}

/// What a qualification round asks, as far as guessing is concerned.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum GuessModel {
	/// One class out of `classes`, pass at mean accuracy `>= bar`.
	SingleClass { classes: u16, bar: Perbill },
	/// 1..=5 stars, pass at mean absolute error `<= max_mean_error` (star points).
	Stars { max_mean_error: FixedU128 },
	/// Bounding boxes: a guesser cannot be modelled (see the module docs).
	Boxes,
}

/// The probability that a uniform guesser passes a round of `k` items (rounded up to the next
/// part per billion), or `None` for bounding boxes.
pub fn guess_pass_probability(model: GuessModel, k: u32) -> Result<Option<Perbill>, MathError> {
	match model {
		GuessModel::SingleClass { classes, bar } => class_guess_pass(classes, bar, k).map(Some),
		GuessModel::Stars { max_mean_error } => star_guess_pass(max_mean_error, k).map(Some),
		GuessModel::Boxes => Ok(None),
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_arithmetic::traits::{One, Zero};

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
		assert_eq!(star_guess_pass(FixedU128::zero(), 64), Ok(Perbill::from_parts(1)));
	}

	#[test]
	fn bad_inputs_are_errors() {
		assert_eq!(class_guess_pass(2, pct(80), 0), Err(MathError::NoLabels));
		assert_eq!(class_guess_pass(2, pct(80), 65), Err(MathError::RoundTooLarge));
		assert_eq!(class_guess_pass(0, pct(80), 5), Err(MathError::ZeroTotal));
		assert_eq!(star_guess_pass(FixedU128::one(), 0), Err(MathError::NoLabels));
		assert_eq!(star_guess_pass(FixedU128::one(), 65), Err(MathError::RoundTooLarge));
		assert_eq!(guess_pass_probability(GuessModel::Boxes, 1), Ok(None));
	}

	#[test]
	fn star_figures_by_hand() {
		let e = |n: u128, d: u128| FixedU128::from_rational(n, d);
		// K = 1, exact answer needed: gold 3, guess 3: 1/5
		assert_eq!(star_guess_pass(FixedU128::zero(), 1), Ok(pct(20)));
		// K = 1, within one star: gold 3, guesses 2, 3, 4: 3/5
		assert_eq!(star_guess_pass(FixedU128::one(), 1), Ok(pct(60)));
		// K = 1, within two stars: gold 3, every guess
		assert_eq!(star_guess_pass(e(2, 1), 1), Ok(Perbill::one()));
		// K = 2, mean <= 0.5 (sum <= 1): gold 3: (1 + 2 * 2) / 25 = 20 %
		assert_eq!(star_guess_pass(e(1, 2), 2), Ok(pct(20)));
		// K = 5, mean <= 0.2 (sum <= 1): (1 + 5 * 2) / 3125
		assert_eq!(star_guess_pass(e(1, 5), 5), Ok(up(11, 3125)));
		assert_eq!(star_guess_pass(e(1, 5), 5), Ok(Perbill::from_parts(3_520_000)));
		// K = 5, mean <= 0.4 (sum <= 2): sum 2 = one item off by 2 (5 * 2) or two off by 1
		// (C(5,2) * 2 * 2): (1 + 10 + 10 + 40) / 3125 = 61 / 3125
		assert_eq!(star_guess_pass(e(2, 5), 5), Ok(up(61, 3125)));
		// a bar at or above 4 stars lets everyone pass
		assert_eq!(star_guess_pass(e(4, 1), 3), Ok(Perbill::one()));
	}

	#[test]
	fn gold_three_is_the_guessers_best_case() {
		// Brute force over all guesses and every mixed gold assignment for K = 3: the maximum is
		// the all-3 figure the function returns.
		let k = 3u32;
		for bar_tenths in 0..=20u32 {
			let bar = FixedU128::from_rational(bar_tenths as u128, 10);
			let got = star_guess_pass(bar, k).unwrap();
			let mut best = Perbill::zero();
			for t in 0..125u32 {
				let truth = [t % 5 + 1, t / 5 % 5 + 1, t / 25 + 1];
				let mut pass = 0u128;
				for g in 0..125u32 {
					let guess = [g % 5 + 1, g / 5 % 5 + 1, g / 25 + 1];
					let sum: u32 =
						guess.iter().zip(truth.iter()).map(|(a, b)| a.abs_diff(*b)).sum();
					let mean = mean_of_sum(FixedU128::from_u32(sum), k as u64).unwrap();
					if mean <= bar {
						pass += 1;
					}
				}
				best = best.max(up(pass, 125));
			}
			assert_eq!(got, best, "bar {bar_tenths}/10");
		}
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
