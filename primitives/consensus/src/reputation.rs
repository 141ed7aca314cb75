//! Reputation: a labeler's error `x` per domain and the voting weight `a` derived from it.
//!
//! `a = 0.8 + 0.4 * exp(-x^2 / (2 s^2))`
//!
//! - `x = 0` gives `a = 1.2`, `x -> infinity` gives `a -> 0.8`;
//! - `a = 1.0` exactly where `exp(-x^2/(2 s^2)) = 1/2`, i.e. at `x = s * sqrt(2 ln 2) ~= 1.1774 s`.
//!   The runtime parameter `s` is therefore set to the community's typical error divided by
//!   1.1774 ([`sigma_for_typical_error`]).
//! - A labeler with no scored labels yet has the neutral weight `a = 1.0`.
//!
//! `x` is kept as running sums ([`ErrorStats`]): for scores (1-5 stars, 0-100 ratings) the
//! root-mean-square deviation of the labeler's scores from the final scores, in widths of the
//! range ([`ErrorMetric::Rms`], Briko's standard deviation),
//! for boxes and classes the mean of `1 - agreement` ([`ErrorMetric::Mean`], `1 - mean IoU`).
//!
//! ## The challenge term (heals with a good record)
//! Hidden challenge items (and missed reveals, which count as failed challenges) add a term to
//! `x` that depends on the labeler's challenge **failure rate**, not on the failure count:
//!
//! `x = base + R * max(0, (f + 1) / (n + H) - 1 / H)  =  base + R * max(0, H f - n) / (H (n + H))`
//!
//! with `n` challenges answered, `f` of them wrong, `H = 20` ([`CHALLENGE_PRIOR`]) and `R` the
//! range of one label's error: `1` for every kind (`1 - IoU`, `1 - accuracy`, and score errors,
//! which are in widths of the score range).
//! `(f + 1) / (n + H)` is the labeler's failure rate under a Beta prior of one failure in `H`
//! challenges; the term is how far that estimate lies above the prior's 5 %, in units of a fully
//! wrong label. So:
//!
//! - a fresh account (`n = 0`) and an established honest labeler (failure rate `<= 5 %`) both
//!   have a zero term: a fresh identity never starts above an honest veteran, and identity
//!   switching gains nothing;
//! - one slip is forgiven by right answers: the term is zero again once `n >= H f` (one slip in
//!   50 costs nothing; a single slip right after qualification costs `19 / 420 ~= 0.045`, close
//!   to the old flat 0.05);
//! - a labeler who fails every challenge approaches `R * (1 - 1/H) = 0.95 R`: 50 failures in 50
//!   give `R * 950 / 1400 ~= 0.679 R`, which puts a box labeler with `s = 0.2` at the weight floor
//!   even with perfect labels otherwise.
//!
//! The old rule (`+0.05` per failure, forever) made veterans drift to `a = 0.8` while a fresh
//! account started at up to 1.2. [`ErrorStats`] is unchanged in layout (the term is computed from
//! the `challenges` / `challenges_failed` counters it always had), so stored records keep working;
//! only the interpretation changed.
//!
//! ## The weight floor
//! [`at_weight_floor`] tells when `a` is within [`floor_band`] (1 % of the 0.4 range) of 0.8;
//! the labelers pallet revokes a qualification when a labeler's weight is at the floor after
//! enough failed challenges.
//!
//! `exp` is evaluated in fixed point ([`exp_neg`]): range reduction by `ln 2` and a Taylor series;
//! its absolute error is below `1e-15` on the whole range (tested against `f64` in
//! `tests/float_reference.rs`).

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_arithmetic::{
	traits::{CheckedDiv, One, Saturating, Zero},
	FixedPointNumber, FixedU128,
};

/// 10^18, the scale of [`FixedU128`].
const ONE: u128 = 1_000_000_000_000_000_000;
/// `ln 2` at scale 10^18.
const LN_2: u128 = 693_147_180_559_945_309;
/// `sqrt(2 ln 2)` at scale 10^18.
const SQRT_2_LN_2: u128 = 1_177_410_022_515_474_691;

/// `H`: the Beta prior of the challenge failure rate is one failure in `H` challenges (5 %).
pub const CHALLENGE_PRIOR: u32 = 20;

/// Width of the band above 0.8 that counts as "at the floor": 0.004 (1 % of the 0.4 range).
pub fn floor_band() -> FixedU128 {
	FixedU128::from_rational(4, 1000)
}

/// Whether a weight is at the floor: `a <= 0.8 + 0.004` (see the module docs).
pub fn at_weight_floor(a: FixedU128) -> bool {
	a <= min_weight().saturating_add(floor_band())
}

/// The range `R` of one label's error under a metric: 1 for `1 - agreement` and for score
/// errors (in widths of the score range, so a whole range apart is 1).
pub fn error_range(metric: ErrorMetric) -> u32 {
	match metric {
		ErrorMetric::Mean | ErrorMetric::Rms => 1,
	}
}

/// The challenge term of `x` for `failed` wrong answers out of `challenges`:
/// `R * max(0, H f - n) / (H (n + H))` (see the module docs).
pub fn challenge_term(metric: ErrorMetric, challenges: u32, failed: u32) -> FixedU128 {
	let h = CHALLENGE_PRIOR as u128;
	let n = challenges as u128;
	let excess = (h * failed as u128).saturating_sub(n);
	if excess == 0 {
		return FixedU128::zero();
	}
	FixedU128::from_rational(excess * error_range(metric) as u128, h * (n + h))
}

/// Lowest weight, `0.8`.
pub fn min_weight() -> FixedU128 {
	FixedU128::from_rational(8, 10)
}

/// Highest weight, `1.2`.
pub fn max_weight() -> FixedU128 {
	FixedU128::from_rational(12, 10)
}

/// `e^(-y)` for `y >= 0` in fixed point (absolute error < 1e-15).
pub fn exp_neg(y: FixedU128) -> FixedU128 {
	let y = y.into_inner();
	// e^-42 < 1e-18: below the resolution of FixedU128.
	if y >= 42 * ONE {
		return FixedU128::zero();
	}
	// y = k ln2 + r, 0 <= r < ln2, so e^-y = e^-r / 2^k with k <= 60.
	let k = y / LN_2;
	let r = y - k * LN_2;
	// e^r by its Taylor series: all terms positive, r < 0.7, 30 terms leave < 1e-40.
	let mut term = ONE;
	let mut sum = ONE;
	for n in 1..30u128 {
		term = term * r / ONE / n;
		if term == 0 {
			break;
		}
		sum += term;
	}
	// e^-r = 1 / e^r; sum is in [1e18, 2e18], so ONE * ONE / sum cannot overflow.
	let inv = ONE * ONE / sum;
	FixedU128::from_inner(inv >> k)
}

/// The voting weight `a = 0.8 + 0.4 exp(-x^2 / (2 s^2))`, always in `[0.8, 1.2]`.
///
/// With `s = 0` the curve degenerates to a step: `1.2` at `x = 0`, `0.8` otherwise.
pub fn voting_weight(x: FixedU128, s: FixedU128) -> FixedU128 {
	if s.is_zero() {
		return if x.is_zero() { max_weight() } else { min_weight() };
	}
	// y = (x / s)^2 / 2; once x/s > 10 the exponential is below 2e-22.
	let ratio = match x.checked_div(&s) {
		Some(r) if r <= FixedU128::saturating_from_integer(10u32) => r,
		_ => return min_weight(),
	};
	let y = ratio.saturating_mul(ratio) / FixedU128::saturating_from_integer(2u32);
	let a = min_weight().saturating_add(FixedU128::from_rational(4, 10).saturating_mul(exp_neg(y)));
	a.max(min_weight()).min(max_weight())
}

/// The `s` for which `a = 1.0` at the typical error `x_typ`: `s = x_typ / sqrt(2 ln 2)`.
pub fn sigma_for_typical_error(x_typ: FixedU128) -> FixedU128 {
	x_typ.checked_div(&FixedU128::from_inner(SQRT_2_LN_2)).unwrap_or_default()
}

/// Bisection steps of [`calibrated_sigma`]: `s` to `max x / 2^32`.
pub const CALIBRATION_STEPS: u32 = 32;

/// The `s` that makes the **mean** weight of labelers with errors `errors` equal to 1 (the
/// calibration of the weight mapping, see the module docs): `Σ voting_weight(x_i, s) = n`.
///
/// `Σ a_i` grows with `s` (from `0.8 n + 0.4 · #{x_i = 0}` as `s → 0` to `1.2 n` as `s → ∞`),
/// and at `s = max x` every `a_i >= 0.8 + 0.4 e^(-1/2) > 1`, so the root lies in `(0, max x]` and
/// is found by [`CALIBRATION_STEPS`] bisection steps (the `s` returned has a mean weight of at
/// least 1, within `max x / 2^32` of the root). `None` when no `s > 0` can do it: no errors, or
/// at least half of them 0 (the perfect labelers alone then hold a mean of 1 or more); callers
/// fall back to a fixed `s`. Cost: `CALIBRATION_STEPS · n` evaluations of `a`.
pub fn calibrated_sigma(errors: &[FixedU128]) -> Option<FixedU128> {
	let n = errors.len();
	let zeros = errors.iter().filter(|x| x.is_zero()).count();
	if n == 0 || zeros.saturating_mul(2) >= n {
		return None;
	}
	let target = FixedU128::saturating_from_integer(n as u64);
	let mean_reaches_one = |s: FixedU128| {
		let total = errors
			.iter()
			.fold(FixedU128::zero(), |acc, x| acc.saturating_add(voting_weight(*x, s)));
		total >= target
	};
	let (mut lo, mut hi) = (0u128, errors.iter().max().copied().unwrap_or_default().into_inner());
	for _ in 0..CALIBRATION_STEPS {
		let mid = lo + (hi - lo) / 2;
		if mean_reaches_one(FixedU128::from_inner(mid)) {
			hi = mid;
		} else {
			lo = mid;
		}
	}
	Some(FixedU128::from_inner(hi))
}

/// How per-label errors are aggregated into `x`.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum ErrorMetric {
	/// Mean error: boxes (`1 - IoU`) and single classes (`1 - correct`).
	Mean,
	/// Root mean square error: scores (in widths of the range).
	Rms,
}

/// Running error statistics of one labeler in one domain.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct ErrorStats {
	/// Labels scored against a consensus.
	pub samples: u32,
	/// Sum of the per-label errors.
	pub sum_error: FixedU128,
	/// Sum of the squared per-label errors.
	pub sum_sq_error: FixedU128,
	/// Challenge items answered.
	pub challenges: u32,
	/// Challenge items answered wrongly.
	pub challenges_failed: u32,
}

impl ErrorStats {
	/// Records the error of one label against its item's consensus.
	pub fn record(&mut self, error: FixedU128) {
		self.samples = self.samples.saturating_add(1);
		self.sum_error = self.sum_error.saturating_add(error);
		self.sum_sq_error = self.sum_sq_error.saturating_add(error.saturating_mul(error));
	}

	/// Records a challenge (hidden gold) answer, or a missed reveal as a wrong one (see the
	/// module docs for how the failure rate enters `x`).
	pub fn record_challenge(&mut self, correct: bool) {
		self.challenges = self.challenges.saturating_add(1);
		if !correct {
			self.challenges_failed = self.challenges_failed.saturating_add(1);
		}
	}

	/// The challenge term of `x` (see the module docs).
	pub fn challenge_term(&self, metric: ErrorMetric) -> FixedU128 {
		challenge_term(metric, self.challenges, self.challenges_failed)
	}

	/// The error `x` (`None` before the first scored label or failed challenge).
	pub fn error(&self, metric: ErrorMetric) -> Option<FixedU128> {
		let penalty = self.challenge_term(metric);
		if self.samples == 0 {
			return if self.challenges_failed == 0 { None } else { Some(penalty) };
		}
		let n = FixedU128::saturating_from_integer(self.samples);
		let base = match metric {
			ErrorMetric::Mean => self.sum_error.checked_div(&n).unwrap_or_default(),
			ErrorMetric::Rms => self
				.sum_sq_error
				.checked_div(&n)
				.and_then(|m| m.checked_sqrt())
				.unwrap_or_default(),
		};
		Some(base.saturating_add(penalty))
	}

	/// The voting weight `a` for this record; neutral `1.0` while `x` is unknown.
	pub fn weight(&self, metric: ErrorMetric, s: FixedU128) -> FixedU128 {
		match self.error(metric) {
			Some(x) => voting_weight(x, s),
			None => FixedU128::one(),
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	/// The calibrated mapping gives the labelers a mean weight of 1 (to 1e-6), whatever their
	/// errors, and keeps their order.
	#[test]
	fn calibrated_mean_weight_is_one() {
		let f = |v: &[u32]| -> Vec<FixedU128> {
			v.iter().map(|m| FixedU128::from_rational(*m as u128, 1000)).collect()
		};
		for errors in [
			f(&[100, 200, 300]),
			f(&[50, 60, 70, 900, 2500]),
			f(&[0, 10, 400]),
			f(&[1, 1, 1, 1]),
			f(&[3000, 3100]),
		] {
			let s = calibrated_sigma(&errors).unwrap();
			let a: Vec<FixedU128> = errors.iter().map(|x| voting_weight(*x, s)).collect();
			let mean = a.iter().fold(FixedU128::zero(), |t, x| t + *x)
				/ FixedU128::saturating_from_integer(a.len() as u32);
			let one = FixedU128::one().into_inner();
			assert!(mean.into_inner().abs_diff(one) < one / 1_000_000, "{errors:?}: {mean:?}");
			// Errors listed from small to large: weights from large to small.
			assert!(a.windows(2).all(|w| w[0] >= w[1]), "{a:?}");
		}
		// Equal errors: every labeler gets exactly the neutral weight (to 1e-6).
		let s = calibrated_sigma(&f(&[250, 250])).unwrap();
		let a = voting_weight(FixedU128::from_rational(1, 4), s).into_inner();
		assert!(a.abs_diff(FixedU128::one().into_inner()) < 1_000_000_000_000);
		// Nothing to calibrate on.
		assert_eq!(calibrated_sigma(&[]), None);
		assert_eq!(calibrated_sigma(&f(&[0, 0, 300])), None);
		assert_eq!(calibrated_sigma(&f(&[0, 300])), None);
	}

	#[test]
	fn exp_known_values() {
		assert_eq!(exp_neg(FixedU128::zero()), FixedU128::one());
		// e^-1 = 0.367879441171442321...
		let e1 = exp_neg(FixedU128::one()).into_inner();
		assert!(e1.abs_diff(367_879_441_171_442_321) < 1_000, "{e1}");
		// e^-ln2 = 0.5
		let half = exp_neg(FixedU128::from_inner(LN_2)).into_inner();
		assert!(half.abs_diff(ONE / 2) < 1_000, "{half}");
		assert_eq!(exp_neg(FixedU128::saturating_from_integer(50u32)), FixedU128::zero());
	}

	#[test]
	fn weight_endpoints() {
		let s = FixedU128::from_rational(5, 10);
		assert_eq!(voting_weight(FixedU128::zero(), s), max_weight());
		assert_eq!(voting_weight(FixedU128::saturating_from_integer(100u32), s), min_weight());
		// a = 1.0 at x = s * sqrt(2 ln 2)
		let x = s.saturating_mul(FixedU128::from_inner(SQRT_2_LN_2));
		let a = voting_weight(x, s).into_inner();
		assert!(a.abs_diff(ONE) < 1_000_000, "{a}");
		// s = 0 degenerates to a step
		assert_eq!(voting_weight(FixedU128::zero(), FixedU128::zero()), max_weight());
		assert_eq!(voting_weight(FixedU128::one(), FixedU128::zero()), min_weight());
	}

	#[test]
	fn typical_error_maps_to_weight_one() {
		let x_typ = FixedU128::from_rational(7, 10);
		let s = sigma_for_typical_error(x_typ);
		let a = voting_weight(x_typ, s).into_inner();
		assert!(a.abs_diff(ONE) < 1_000_000, "{a}");
	}

	#[test]
	fn stats_mean_rms_and_challenges() {
		let mut st = ErrorStats::default();
		assert_eq!(st.error(ErrorMetric::Rms), None);
		assert_eq!(st.weight(ErrorMetric::Rms, FixedU128::one()), FixedU128::one());
		st.record(FixedU128::saturating_from_integer(3u32));
		st.record(FixedU128::saturating_from_integer(4u32));
		// mean 3.5; rms sqrt(12.5) = 3.5355...
		assert_eq!(st.error(ErrorMetric::Mean), Some(FixedU128::from_rational(35, 10)));
		let rms = st.error(ErrorMetric::Rms).unwrap().into_inner();
		assert!(rms.abs_diff(3_535_533_905_932_737_622) < 1_000_000_000, "{rms}");
		// a right challenge changes nothing; one wrong in two: R (20 - 2) / (20 * 22) = 9/220
		st.record_challenge(true);
		assert_eq!(st.error(ErrorMetric::Mean), Some(FixedU128::from_rational(35, 10)));
		st.record_challenge(false);
		let term = FixedU128::from_rational(9, 220);
		assert_eq!(st.error(ErrorMetric::Mean), Some(FixedU128::from_rational(35, 10) + term));
		// scores: R = 1 as well (errors in widths of the range)
		let stars_term = FixedU128::from_rational(9, 220);
		assert_eq!(st.challenge_term(ErrorMetric::Rms), stars_term);
		assert_eq!((st.challenges, st.challenges_failed), (2, 1));
	}

	#[test]
	fn challenge_term_figures() {
		let t = |n, f| challenge_term(ErrorMetric::Mean, n, f);
		// fresh: nothing; honest: nothing
		assert_eq!(t(0, 0), FixedU128::zero());
		assert_eq!(t(500, 0), FixedU128::zero());
		// one slip right away: 19 / 420 (the old rule added 0.05)
		assert_eq!(t(1, 1), FixedU128::from_rational(19, 420));
		// the slip heals: 10 answers -> 10 / 600, 20 answers -> 0, 1 in 50 -> 0
		assert_eq!(t(10, 1), FixedU128::from_rational(10, 600));
		assert_eq!(t(20, 1), FixedU128::zero());
		assert_eq!(t(50, 1), FixedU128::zero());
		// three failures in three: 57 / 460; fifty in fifty: 950 / 1400
		assert_eq!(t(3, 3), FixedU128::from_rational(57, 460));
		assert_eq!(t(50, 50), FixedU128::from_rational(950, 1400));
		// scores count in widths of the range (R = 1)
		assert_eq!(challenge_term(ErrorMetric::Rms, 50, 50), FixedU128::from_rational(950, 1400));
		// never above 0.95 R, even with absurd counts
		assert!(t(u32::MAX, u32::MAX) <= FixedU128::from_rational(95, 100));
	}

	#[test]
	fn fresh_account_never_above_honest_veteran() {
		let s = FixedU128::from_rational(2, 10);
		// same label quality (all perfect): veteran with 1 slip in 50 vs a fresh account
		let mut veteran = ErrorStats::default();
		let mut fresh = ErrorStats::default();
		for _ in 0..50 {
			veteran.record(FixedU128::zero());
		}
		for i in 0..50 {
			veteran.record_challenge(i != 7);
		}
		fresh.record(FixedU128::zero());
		assert_eq!(veteran.weight(ErrorMetric::Mean, s), max_weight());
		assert!(veteran.weight(ErrorMetric::Mean, s) >= fresh.weight(ErrorMetric::Mean, s));
		// under the old rule the veteran had x = 0.05: a = 0.8 + 0.4 e^(-0.03125) < 1.2
		let old = voting_weight(FixedU128::from_rational(5, 100), s);
		assert!(old < fresh.weight(ErrorMetric::Mean, s));
	}

	#[test]
	fn fifty_failures_reach_the_floor() {
		let s = FixedU128::from_rational(2, 10);
		let mut st = ErrorStats::default();
		st.record(FixedU128::zero());
		for _ in 0..50 {
			st.record_challenge(false);
		}
		// x = 950/1400 = 0.678571..., x/s = 3.392857, a = 0.8 + 0.4 e^(-5.7557) = 0.8012658...
		let a = st.weight(ErrorMetric::Mean, s);
		assert!(at_weight_floor(a), "{a:?}");
		assert!(a.into_inner().abs_diff(801_265_825_845_153_756) < 1_000_000_000, "{a:?}");
		// three failures in three are not the floor for a perfect labeler (a ~= 1.13)
		let mut three = ErrorStats::default();
		three.record(FixedU128::zero());
		for _ in 0..3 {
			three.record_challenge(false);
		}
		assert!(!at_weight_floor(three.weight(ErrorMetric::Mean, s)));
		assert!(at_weight_floor(min_weight()));
		assert!(at_weight_floor(FixedU128::from_rational(804, 1000)));
		assert!(!at_weight_floor(FixedU128::from_rational(805, 1000)));
	}
}
