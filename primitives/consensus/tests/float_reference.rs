//! Checks the fixed-point `exp` and weight mapping against `f64` (floats appear only in this
//! test, never in the crate).

use crowdlabel_consensus::{exp_neg, voting_weight, FixedU128};

fn to_f64(x: FixedU128) -> f64 {
	x.into_inner() as f64 / 1e18
}

#[test]
fn exp_neg_matches_f64() {
	let mut worst = 0f64;
	for i in 0..=45_000u128 {
		let y = FixedU128::from_rational(i, 1000);
		let got = to_f64(exp_neg(y));
		let want = (-(i as f64) / 1000.0).exp();
		worst = worst.max((got - want).abs());
	}
	assert!(worst < 1e-15, "worst absolute error {worst:e}");
}

#[test]
fn weight_matches_f64() {
	let mut worst = 0f64;
	for s_milli in [50u128, 250, 500, 1000, 2000] {
		for x_milli in (0..=6000u128).step_by(7) {
			let x = FixedU128::from_rational(x_milli, 1000);
			let s = FixedU128::from_rational(s_milli, 1000);
			let got = to_f64(voting_weight(x, s));
			let (xf, sf) = (x_milli as f64 / 1000.0, s_milli as f64 / 1000.0);
			let want = 0.8 + 0.4 * (-(xf * xf) / (2.0 * sf * sf)).exp();
			worst = worst.max((got - want).abs());
		}
	}
	assert!(worst < 1e-12, "worst absolute error {worst:e}");
}
