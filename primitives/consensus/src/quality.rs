//! Means of agreements and errors, and the per-package slash decision. (Grading a label against
//! gold, and applying the decision to a labeler's package, is done on labels in
//! `crowdlabel-labels::grading`.)
//!
//! - A finished package's **error** is, for scores, the mean `|s_n - S| / (max - min)` over its
//!   items (in widths of the score range) and, for boxes/classes, the mean agreement with
//!   consensus. Scores: the deposit is forfeited when the error is **above 37.5 % of the range**
//!   (1.5 points on 1-5 stars, the mission's rule); boxes/classes: when the mean agreement is
//!   **below the domain's floor**.

use crate::MathError;
use sp_arithmetic::{
	traits::{CheckedDiv, Saturating, Zero},
	FixedPointNumber, FixedU128, PerThing, Perbill,
};

/// The mean score error above which a package's deposit is forfeited: 37.5 % of the range's
/// width (1.5 points on 1-5 stars, 37.5 points on a 0-100 rating).
pub fn score_slash_limit() -> FixedU128 {
	FixedU128::from_rational(3, 8)
}

/// Mean of ratios (`Err(NoLabels)` for an empty input).
pub fn mean_perbill(values: &[Perbill]) -> Result<Perbill, MathError> {
	if values.is_empty() {
		return Err(MathError::NoLabels);
	}
	let sum: u64 = values.iter().map(|v| v.deconstruct() as u64).sum();
	Ok(mean_of_parts(sum, values.len() as u64))
}

/// The mean of `n` ratios whose parts (per billion) add up to `sum`, rounded as
/// [`mean_perbill`] rounds it. Shared with [`crate::guessing`], so the guessing bound uses the
/// very comparison a qualification round uses.
pub(crate) fn mean_of_parts(sum: u64, n: u64) -> Perbill {
	Perbill::from_rational(sum, n.saturating_mul(Perbill::ACCURACY as u64))
}

/// The mean of `n` errors that add up to `sum`, computed as [`mean_error`] computes it
/// (`None` for `n = 0`).
pub(crate) fn mean_of_sum(sum: FixedU128, n: u64) -> Option<FixedU128> {
	sum.checked_div(&FixedU128::saturating_from_integer(n))
}

/// Mean of fixed-point errors (`Err(NoLabels)` for an empty input).
pub fn mean_error(values: &[FixedU128]) -> Result<FixedU128, MathError> {
	if values.is_empty() {
		return Err(MathError::NoLabels);
	}
	let sum = values.iter().fold(FixedU128::zero(), |a, v| a.saturating_add(*v));
	mean_of_sum(sum, values.len() as u64).ok_or(MathError::Overflow)
}

/// Outcome of a finished package.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PackageVerdict {
	/// Quality acceptable: release the deposit.
	Release,
	/// Quality below the bar: forfeit the deposit, hand the items to other labelers.
	Slash,
}

/// How a package is judged.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PackageScore {
	/// Mean score error of the package, in widths of the range.
	ScoreError(FixedU128),
	/// Mean agreement (IoU / accuracy) of the package and the domain's floor.
	Agreement { mean: Perbill, floor: Perbill },
}

/// Slash or release.
pub fn package_verdict(score: PackageScore) -> PackageVerdict {
	let slash = match score {
		PackageScore::ScoreError(e) => e > score_slash_limit(),
		PackageScore::Agreement { mean, floor } => mean < floor,
	};
	if slash {
		PackageVerdict::Slash
	} else {
		PackageVerdict::Release
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn score_limit_is_strictly_above_one_and_a_half_stars() {
		// 1.5 stars of a width of 4
		let at = PackageScore::ScoreError(FixedU128::from_rational(15, 40));
		assert_eq!(package_verdict(at), PackageVerdict::Release);
		let above =
			PackageScore::ScoreError(FixedU128::from_rational(1_500_000_001, 4_000_000_000));
		assert_eq!(package_verdict(above), PackageVerdict::Slash);
	}

	#[test]
	fn agreement_below_floor_slashes() {
		let floor = Perbill::from_percent(50);
		let s = |m| package_verdict(PackageScore::Agreement { mean: m, floor });
		assert_eq!(s(Perbill::from_percent(49)), PackageVerdict::Slash);
		assert_eq!(s(Perbill::from_percent(50)), PackageVerdict::Release);
	}

	#[test]
	fn means() {
		assert_eq!(
			mean_perbill(&[Perbill::from_percent(20), Perbill::from_percent(60)]),
			Ok(Perbill::from_percent(40))
		);
		assert_eq!(mean_perbill(&[]), Err(MathError::NoLabels));
		assert_eq!(
			mean_error(&[FixedU128::from_u32(1), FixedU128::from_u32(2)]),
			Ok(FixedU128::from_rational(3, 2))
		);
	}
}
