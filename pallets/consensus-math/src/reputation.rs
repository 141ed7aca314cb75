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
//! `x` is kept as running sums ([`ErrorStats`]): for stars the root-mean-square deviation of the
//! labeler's scores from the final scores ([`ErrorMetric::Rms`], Briko's standard deviation),
//! for boxes and classes the mean of `1 - agreement` ([`ErrorMetric::Mean`], `1 - mean IoU`).
//! Every wrong challenge answer adds 0.05 to `x`; a correct one leaves it unchanged.
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

/// Added to `x` for each wrong challenge answer: 0.05.
pub fn challenge_penalty() -> FixedU128 {
	FixedU128::from_rational(5, 100)
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
	/// Root mean square error: star reviews (star points).
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

	/// Records a challenge (hidden gold) answer: a wrong one adds 0.05 to `x`.
	pub fn record_challenge(&mut self, correct: bool) {
		self.challenges = self.challenges.saturating_add(1);
		if !correct {
			self.challenges_failed = self.challenges_failed.saturating_add(1);
		}
	}

	/// The error `x` (`None` before the first scored label or failed challenge).
	pub fn error(&self, metric: ErrorMetric) -> Option<FixedU128> {
		let penalty = challenge_penalty()
			.saturating_mul(FixedU128::saturating_from_integer(self.challenges_failed));
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
		// a wrong challenge adds exactly 0.05; a right one changes nothing
		st.record_challenge(true);
		assert_eq!(st.error(ErrorMetric::Mean), Some(FixedU128::from_rational(35, 10)));
		st.record_challenge(false);
		assert_eq!(st.error(ErrorMetric::Mean), Some(FixedU128::from_rational(355, 100)));
		assert_eq!((st.challenges, st.challenges_failed), (2, 1));
	}
}
