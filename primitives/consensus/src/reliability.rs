//! Reliability models: per-labeler voting power learned online.
//!
//! The reputation weight `a ∈ [0.8, 1.2]` of [`crate::reputation`] is a *pay* multiplier. Used as
//! a vote it leaves a uniform spammer with 2/3 of an expert's say. The models here describe *how*
//! each labeler answers, per domain, so that a vote counts for what it tells about the truth:
//! about nothing for a spammer, a lot for an expert, and a consistently confused labeler's answer
//! is even translated back into what it means. One model per label kind:
//!
//! | kind | state per labeler | item consensus | voting power (reporting, `[0, 1]`) |
//! |---|---|---|---|
//! | single class | [`ClassModel`]: confusion counts `n[t][a]` | [`infer_class`]: `argmax_t Σ_l ln p_l(a_l ∣ t)` (Dawid–Skene) | mutual information `I(T; A) / ln C` |
//! | scores (stars, ratings) | [`ScoreStats`]: calibration line moments | [`infer_score`]: `Σ w_l y_l / Σ w_l`, `y_l = (x_l − c_l) / β_l`, `w_l = β_l² / v_l` | `max(0, 1 − 12 v / β²)` |
//! | boxes | [`BoxStats`]: IoU agreement moments | [`crate::consensus_boxes`] with [`box_weights`] | `max(0, (m − β) / (1 − β))` |
//!
//! All models are learned **online**: when an item is finalised, each of its R labelers gets one
//! `record` call (O(1) each, so O(R) per item) with the item's consensus as the truth, or with the
//! known answer of a gold / challenge item and a larger weight ([`GOLD_WEIGHT`]). Gold also
//! anchors what consensus alone cannot identify: a crowd that is biased as a whole, or a majority
//! that is consistently confused, looks "right" to a model fitted to consensus only.
//!
//! **Bounded and adaptive.** Each statistic has a cap ([`DEFAULT_CAP`] observations): when an
//! update takes it above the cap, its counts are halved (integer division; event counts `n`
//! round up so sums never exceed what `n` allows). The estimates barely move at a halving, but
//! older evidence then weighs half as much as newer, so a labeler who changes behaviour is
//! re-learned within about `cap` answers, and no counter can overflow. `cap = 0` disables it
//! (counters then saturate).
//!
//! **Priors.** Every estimate is a posterior mean under a conjugate prior whose pseudo-counts are
//! given in millionths of an observation ([`PRIOR_UNIT`]), so a newcomer starts "mildly better
//! than random" and the data take over after a few answers. Default priors (strength 3–4
//! observations): class accuracy 70 % ([`ClassPrior::default_for`]), score noise variance 5 % of
//! the range width squared ([`ScorePrior`]'s `Default`), box agreement 70 % ([`BoxPrior`]'s
//! `Default`).
//!
//! ## Logarithm and softmax in fixed point
//! [`ln_ratio`] computes `ln(num / den)` for integers as `ln num − ln den`, each as
//! `ln n = k ln 2 + ln m` with `n = 2^k m`, `m ∈ [1, 2)` (normalised by the leading zeros) and
//! `ln m = 2 atanh((m − 1) / (m + 1)) = 2 Σ z^(2i+1) / (2i + 1)`, `z ≤ 1/3`, summed at scale
//! `10^18` until the terms vanish (about 19). The result is rounded to a [`FixedI64`] (scale
//! `10^9`); its absolute error is at most `0.5e-9 + 1e-15` (the test `ln_ratio_matches_f64`
//! measures it against `f64`). Posterior probabilities use the crate's [`exp_neg`] on the
//! non-negative differences `s_max − s_t` of log scores, so nothing can overflow.
//!
//! ## Classes: Dawid–Skene, online
//! A labeler with `C ≤` [`MAX_CONFUSION_CLASSES`] classes has a full confusion matrix of counts
//! `n[t][a]` (true class `t`, answer `a`), stored flattened row-major in a fixed `[u32; 64]`
//! ([`ClassModel::Confusion`]). With a Dirichlet prior of `d` pseudo-counts on the diagonal and
//! `o` off it ([`ClassPrior`]):
//!
//! `p(t | t) = α_t = (n[t][t] + S α) / (n_t + S)`, `S = d + (C − 1) o`, `n_t = Σ_a n[t][a]`: each
//! row's accuracy has the prior's strength `S` but is centred on the labeler's **own accuracy**
//! over all rows (its one-coin estimate, under the prior): `α = (Σ_t n[t][t] + d) / (N + S)`. A
//! row with few answers (a class the labeler rarely saw) then follows how the labeler answers
//! the other classes instead of a fixed 70 %: a good labeler is trusted on a rare class, a
//! spammer (`α ≈ 1/C`) is not. In the simulation this lifted the online replay's class accuracy
//! at 40 % bad workers from 0.794 to 0.862 (no gold) and from 0.789 to 0.850 (5 % gold).
//!
//! The row's errors are shared out by their own **error shape** with a prior of `E` pseudo-errors
//! spread evenly ([`ClassPrior::errors`], default 8): `p(a | t) = (1 − α_t) (n[t][a] + E / (C − 1))
//! / (e_t + E)` for `a ≠ t`, `e_t = n_t − n[t][t]`. Before spec 105 the errors shared the row's
//! prior, `(n[t][a] + S (1 − α) / (C − 1)) / (n_t + S)`, whose pseudo-errors (`S (1 − α)`, 0.6 for
//! an 85 %-accurate labeler) made one observed error six times likelier than any other
//! confusion, and the learned matrices voted worse than equal weights at 0 % bad workers. A
//! labeler who consistently swaps two classes still shows it after a few swaps (its errors all
//! land in one cell). `docs/consensus.md` gives the simulation's figures.
//!
//! With more classes the matrix would not fit, and its `C²` cells could not be learned from a
//! realistic number of answers either, so the model falls back to **one coin**
//! ([`ClassModel::OneCoin`]): counts of right and wrong answers, errors spread uniformly over the
//! `C − 1` wrong classes: `p(t | t) = (right + d) / (N + d + (C − 1) o)`,
//! `p(a ≠ t | t) = (wrong + (C − 1) o) / ((C − 1)(N + d + (C − 1) o))`.
//!
//! **Consensus** of an item with votes `(a_l, model_l)` ([`infer_class`]): the score of class `t`
//! is `s_t = ln π(t) + Σ_l ln p_l(a_l | t)` with `π` uniform, or, given counts `c_t` of past
//! consensus classes in the domain, `π(t) = (c_t + 1) / (Σ c + C)` (Laplace). The winner is
//! `argmax_t s_t`, ties broken towards the **lowest class id** (never by account), and its
//! confidence is its posterior probability `1 / Σ_t exp(s_t − s_max)`. A spammer's likelihood is
//! (about) the same for every `t`, so it adds (about) a constant to every score: it has no vote.
//! A labeler who always swaps two classes votes for the class they *mean*. Cost: `R · C` logarithms for the
//! confusion model; for the one-coin model the classes nobody voted for share one score, so the
//! cost is `O(R log R)` (`O(C)` when class counts are given).
//!
//! **Voting power** ([`ClassModel::voting_power`]): the mutual information between the true
//! class (uniform) and the answer, divided by its maximum `ln C`:
//! `I = (1/C) Σ_t Σ_a p(a|t) ln(p(a|t) / q(a))`, `q(a) = (1/C) Σ_t p(a|t)`. It is the expected
//! evidence one answer carries, in units of a perfect answer: 0 for any labeler whose answer
//! does not depend on the truth (uniform or constant spammers), 1 for a perfect one, and also
//! high for a consistent swapper (whose answers are informative once translated). A fresh labeler
//! under the default prior has `0.32` at `C = 4` (a 90 %-accurate one `0.69`). Estimated from `N`
//! answers, the information of a spammer is biased upwards by about `(C − 1)² / (2 N)` nats
//! (sampling noise looks like signal): a power of about `0.016` after 200 answers at `C = 4`.
//!
//! **Update** ([`ClassModel::record`]): `n[truth][answer] += weight`, then the row `truth` is
//! halved while its total exceeds the cap (the one-coin model halves its two counters).
//!
//! **Which model votes at settlement** ([`ClassModel::confusion_evidence`],
//! [`ClassModel::selected_log_table`]). A confusion matrix learned from a few dozen answers
//! reads sampling noise as confusions: an honest labeler whose errors fall anywhere gets rows
//! that disagree with each other by chance, and DawidSkene, which fits such matrices, trails the
//! one-accuracy methods (GLAD, MMSR) on crowds of such labelers. The matrix is still needed for
//! labelers whose errors have a shape (a swapper, a labeler who always gives the same answer).
//! So each labeler's counts are asked which model explains them: the log **Bayes factor**
//! `ln p(n | matrix) − ln p(n | one coin)`, each a Dirichlet–multinomial evidence under the
//! prior's pseudo-counts (`ln Γ` by Stirling's series in fixed point), picks
//! the matrix when it is `≥ 0` and the one-coin model of the same counts otherwise. The jobs
//! pallet's settlement re-vote votes with the picked model; package judgements and the stored
//! models are unchanged. In the simulation it lifted the class replay at 10 % bad workers from
//! 0.964 to 0.975 and no fraction fell (`docs/consensus.md`).
//!
//! ## Scores: a calibration line per labeler
//! A score `x` (1–5 stars, a 0–100 rating, ...) is mapped to `[0, 1]` by its [`ScoreRange`], so
//! all statistics are in units of the range width. Each labeler answers along a **calibration
//! line** `x = c + β t + ε`, `ε` of variance `v`, `t` the true score: an honest rater has `β ≈ 1`
//! and `c ≈ 0`, a rater one point high `c ≈ +1 point`, one who squeezes the scale towards its
//! middle `β < 1`, and one who always gives the same answer (a "lazy" rater) `β ≈ 0`. [`ScoreStats`]
//! keeps, per labeler, the weighted count `n` and the weighted sums of `t`, `t²`, of the
//! residuals `r = x − t`, of `r²` and of `t r` (scale `10^9`). [`ScoreStats::line`] fits the line
//! by least squares of `r` on `t` over the answers and `k0` pseudo-answers of the prior
//! ([`ScorePrior`]): residual 0 at truths `1/2 ± 1/√12` (half of them each: a perfect rater over
//! truths spread like a uniform truth), so a newcomer has `β = 1`, `c = 0`, and
//!
//! - slope `β = 1 + C(t, r) / C(t, t)` (clamped to `[−1, 3]`), intercept
//!   `c = mean(r) − (β − 1) mean(t)`, the `C` centred sums over answers and pseudo-answers;
//! - noise variance `v = (Σ (r − c − (β − 1) t)² + k0 v0) / (n + k0)`, at least
//!   [`MIN_SCORE_VARIANCE`] (`1e-4`, i.e. 1 % of the range);
//! - the vote: the truth the answer points to, `y = (x − c) / β`, with variance `v / β²` and
//!   weight `w = β² / v` (inverse variance, the optimal linear weight for independent noise; at
//!   most `9 · 10^4`). A labeler with `β` below [`MIN_SCORE_SLOPE`] (1/20: answers flat or
//!   moving against the truth) has no vote. Reading a negative slope backwards would change no
//!   figure of the simulation (stars at 40 % bad workers: 0.759 either way) but would let a
//!   labeler train a reversed line and then have honest-looking answers read backwards.
//!
//! **Consensus** ([`infer_score`]): the precision-weighted mean `m = Σ w_l y_l / Σ w_l`, clamped
//! to the range (every vote alike if nobody has a vote). With `refine`, one Huber step follows
//! (the one-step Huber M-estimate from the mean): every vote whose `y_l` lies more than `K σ_l`
//! (`K = 1.345`, [`HUBER_K_PER_MILLE`]; `σ_l = sqrt(v_l) / |β_l|`) from `m` has its weight scaled
//! by `K σ_l / |y_l − m|`, and the mean is taken again: a labeler's one-off gross error (or a
//! newcomer spammer not yet detected) then pulls the consensus no harder than a vote at distance
//! `K σ_l` would. `K = 1.345` is Huber's textbook constant (95 % of the mean's efficiency when the
//! noise is normal); with `K = 2` (before spec 105) votes between 1.345 and 2 `σ_l` away, such as
//! a colluder's far end of the range when its `σ_l` is still large, kept their full weight.
//!
//! Before spec 106 the model was the line with `β = 1` fixed (a bias and a noise variance): a
//! rater who always answered the most common score then had the variance of the truth itself,
//! about the weight of an honest rater of that noise, and pulled every consensus towards its
//! answer; a colluder who always answered the far end of the range, once "bias-corrected", voted
//! for the middle. The slope gives the first no vote and reads the second for what it tells
//! (which side of the range the truth is on). In the simulation stars at 40 % bad workers went
//! from 0.669 to 0.759 accuracy (`docs/consensus.md`). Without gold, the lines are only known
//! relative to the (weighted) crowd's: gold answers fix the origin and the scale.
//!
//! **Voting power** ([`ScoreStats::voting_power`]): `max(0, 1 − 12 v / β²)`, the share of the
//! variance of a uniformly random answer (`1/12` of the width squared) that the labeler's answer
//! removes about the truth: 0 for a random or constant answerer, 1 for a perfect one.
//!
//! ## Boxes: agreement with consensus
//! [`BoxStats`] keeps the weighted count and the sum of the labeler's IoU with each item's
//! consensus (or gold). With a Beta prior of `α` agreeing and `β'` disagreeing pseudo-counts
//! ([`BoxPrior`]) the expected agreement is `m = (Σ IoU + α) / (n + α + β')`. The vote weight in
//! the weighted medoid is the log-odds of that agreement above a baseline `β` (default 1/3, the
//! IoU of two equal boxes each covering half of the other, [`DEFAULT_BOX_BASELINE`]):
//!
//! `w = max(0, logit(m) − logit(β)) = max(0, ln((Σ IoU + α)(1 − β) / ((n − Σ IoU + β') β)))`
//!
//! the weight a binary "hit or miss" vote of accuracy `m` deserves (Nitzan–Paroush), measured
//! against a labeler who hits as often as the baseline. `m` is a mean IoU, not a hit rate: a
//! labeler whose boxes all sit on the objects but loosely (IoU 0.5 with the consensus) still
//! locates them, and gets `w = ln 2 = 0.69` (with the 50 % baseline before spec 105 it got 0, and
//! labelers at `m = 0.6` and `0.9` weighed 0.4 and 2.2, 5.4× apart; now 1.1 and 2.9).
//! A spammer (IoU ≈ 0) has `m → 0` and weight exactly 0, a 90 %-agreement labeler `w = 2.9`, a
//! fresh one (70 %) `1.54`. If every labeler of an item has weight 0, [`box_weights`] falls back
//! to equal weights (the unweighted medoid), because [`crate::consensus_boxes`] needs a positive
//! total.
//! **Voting power**: `max(0, (m − β) / (1 − β))`.

use crate::{reputation::exp_neg, MathError};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_arithmetic::{
	helpers_128bit::multiply_by_rational_with_rounding, traits::One, FixedI64, FixedPointNumber,
	FixedU128, Perbill, Rounding,
};

/// 10^18: internal scale of logarithms and probabilities (and of [`FixedU128`]).
const ONE: u128 = 1_000_000_000_000_000_000;
/// 10^9: scale of [`FixedI64`], of relative scores and of [`Perbill`].
const NANO: i128 = 1_000_000_000;
/// `ln 2` at scale 10^18.
const LN_2: u128 = 693_147_180_559_945_309;
/// `1.0` for the mantissa of `ln_e18` (a 63-bit number in `[2^62, 2^63)`).
const MANTISSA_ONE: u128 = 1 << 62;

/// Most classes for which a full confusion matrix is kept; above, the one-coin model.
pub const MAX_CONFUSION_CLASSES: u16 = 8;
/// Cells of the stored confusion matrix: `MAX_CONFUSION_CLASSES²`.
pub const CONFUSION_CELLS: usize = 64;
/// Prior pseudo-counts are in millionths of an observation.
pub const PRIOR_UNIT: u32 = 1_000_000;
/// Default cap of a statistic (observations) before it is halved (see the module docs).
pub const DEFAULT_CAP: u32 = 1_000;
/// Update weight of a gold / challenge answer in a class or box model (a consensus answer
/// counts 1). Gold is certain where consensus is not, but a labeler who recognises gold items (a
/// gold-aware colluder) answers them honestly and lies elsewhere: the heavier gold counts, the
/// more trust a handful of gold answers buys. Consensus already tells how a labeler confuses
/// classes, so gold adds little a colluder could not exploit: at 4 the simulation's class replay
/// with 5 % gold fell *below* the replay without gold at 30-40 % bad workers (0.892 vs 0.905,
/// 0.850 vs 0.862); at 2 it is level (0.904, 0.862; `docs/consensus-accuracy.md`).
pub const GOLD_WEIGHT: u32 = 2;
/// Update weight of a gold / challenge answer in a score model. Consensus cannot tell a crowd
/// that is biased as a whole from the truth (every bias shifted by `δ` and every consensus by
/// `−δ` fit the answers as well): only gold fixes the origin of the biases, so it counts more
/// than in a class model (at 2 instead of 4 the simulation's star replay with gold fell from 0.706
/// to 0.683 at 40 % bad workers, and biased raters' estimated bias from about 15 to 12 points).
pub const SCORE_GOLD_WEIGHT: u32 = 4;
/// Lowest noise variance of a score labeler, in squared range widths: `1e-4`.
pub const MIN_SCORE_VARIANCE: Perbill = Perbill::from_parts(100_000);
/// Flattest calibration slope `β` whose answers still count as a vote: 1/20 (a labeler whose
/// answers move less than a twentieth of a point per point of truth, or against it, has no vote).
pub const MIN_SCORE_SLOPE: Perbill = Perbill::from_percent(5);
/// Huber threshold of the refinement pass, in thousandths of the labeler's noise standard
/// deviation: `K = 1.345`.
pub const HUBER_K_PER_MILLE: u32 = 1_345;
/// Default baseline agreement of the box weight: IoU 1/3 (two equal boxes, each covering half of
/// the other).
pub const DEFAULT_BOX_BASELINE: Perbill = Perbill::from_parts(333_333_333);

// ---------------------------------------------------------------------------------------------
// Logarithm
// ---------------------------------------------------------------------------------------------

/// `ln(n) * 10^18` for `n >= 1` (0 for `n = 0`, which callers exclude).
fn ln_e18(n: u128) -> u128 {
	if n == 0 {
		return 0;
	}
	// n = 2^k m with m in [1, 2), m represented by a 63-bit mantissa at scale 2^62.
	let k = 127 - n.leading_zeros();
	let m = if k >= 62 { n >> (k - 62) } else { n << (62 - k) };
	// z = (m - 1) / (m + 1) in [0, 1/3); (m - 1) < 2^62, so (m - 1) * 10^18 < 2^122.
	let z = (m - MANTISSA_ONE) * ONE / (m + MANTISSA_ONE);
	let z2 = z * z / ONE;
	// ln m = 2 (z + z^3/3 + z^5/5 + ...); z^2 < 1/9, so 40 terms are far more than enough.
	let mut term = z;
	let mut sum = z;
	for i in 1..40u128 {
		term = term * z2 / ONE;
		if term == 0 {
			break;
		}
		sum += term / (2 * i + 1);
	}
	k as u128 * LN_2 + 2 * sum
}

/// Rounds a value at scale 10^18 to scale 10^9 (half away from zero).
fn round_to_nano(x: i128) -> i64 {
	let half = NANO / 2;
	let r = if x >= 0 { (x + half) / NANO } else { (x - half) / NANO };
	r.clamp(i64::MIN as i128, i64::MAX as i128) as i64
}

/// `ln(num / den)` in fixed point (scale 10^9, absolute error below `0.5e-9 + 1e-15`), from
/// integers only (see the module docs). `Err(LogOfZero)` if either is 0.
///
/// Exactly antisymmetric: `ln_ratio(a, b) == -ln_ratio(b, a)`.
pub fn ln_ratio(num: u128, den: u128) -> Result<FixedI64, MathError> {
	if num == 0 || den == 0 {
		return Err(MathError::LogOfZero);
	}
	// Both logarithms are below 128 ln 2 < 89 at scale 10^18: far inside i128.
	let diff = ln_e18(num) as i128 - ln_e18(den) as i128;
	Ok(FixedI64::from_inner(round_to_nano(diff)))
}

/// `½ ln(2π)` at scale 10^18.
const HALF_LN_TWO_PI: i128 = 918_938_533_204_672_742;

/// `ln(PRIOR_UNIT)` at scale 10^18, as [`ln_e18`] computes it (a test checks it).
const LN_PRIOR_UNIT: i128 = 13_815_510_557_964_274_073;

/// Below this argument (in [`PRIOR_UNIT`]s) [`ln_gamma_e18`] shifts it up before Stirling's
/// series, whose error at `z ≥ 16` is below `1 / (1680 z⁷) < 3e-12`.
const STIRLING_FROM: u128 = 16 * PRIOR_UNIT as u128;

/// `ln Γ(x)` at scale 10^18 for `x = num / PRIOR_UNIT > 0` (`num ≥ 1`; 0 for `num = 0`, which
/// callers exclude). Below `x = 16` the argument is shifted up, `ln Γ(x) = ln Γ(x + k) −
/// ln(x (x + 1) ⋯ (x + k − 1))` (the product kept as a 64-bit mantissa and a power of two, one
/// logarithm), then Stirling's series `ln Γ(z) = (z − ½) ln z − z + ½ ln 2π + 1/(12 z) −
/// 1/(360 z³) + 1/(1260 z⁵)`: two or three logarithms whatever `x`. Absolute error below
/// `1e-10` (`ln_gamma_matches_f64` measures it); every product stays inside `i128` for any
/// `num` below `2^64`, which covers the sum of 64 `u32` counts times [`PRIOR_UNIT`] plus a
/// pseudo-count.
fn ln_gamma_e18(num: u128) -> i128 {
	if num == 0 {
		return 0;
	}
	let unit = PRIOR_UNIT as u128;
	// ln(x (x + 1) ⋯ (x + k − 1)): the product of the numerators as mantissa · 2^shift.
	let (mut z, mut mantissa, mut shift, mut k) = (num, 1u128, 0u32, 0i128);
	while z < STIRLING_FROM {
		// mantissa < 2^64 and z < 2^24: the product is below 2^88.
		mantissa *= z;
		let excess = (128 - mantissa.leading_zeros()).saturating_sub(64);
		mantissa >>= excess;
		shift += excess;
		z += unit;
		k += 1;
	}
	let ln_shift = if k == 0 {
		0
	} else {
		ln_e18(mantissa) as i128 + shift as i128 * LN_2 as i128 - k * LN_PRIOR_UNIT
	};
	let z_i = z.min(u64::MAX as u128) as i128;
	let ln_z = ln_e18(z) as i128 - LN_PRIOR_UNIT;
	// (z − ½) ln z: z < 2^64 in prior units and ln z < 45 · 10^18, so the product is < 2^116.
	let main = (2 * z_i - unit as i128) * ln_z / (2 * unit as i128);
	let one = ONE as i128;
	let inv = one * unit as i128 / z_i; // 1/z at 10^18, at most 1/16
	let inv3 = inv * inv / one * inv / one;
	let inv5 = inv3 * inv / one * inv / one;
	let series = inv / 12 - inv3 / 360 + inv5 / 1260;
	main - z_i * (one / unit as i128) + HALF_LN_TWO_PI + series - ln_shift
}

/// The log of a Dirichlet–multinomial evidence term with pseudo-count `x = pseudo /
/// PRIOR_UNIT > 0` (a prior's) and `n` observations: `ln(x (x + 1) ⋯ (x + n − 1)) =
/// ln Γ(x + n) − ln Γ(x)`, at scale 10^18, given `ln Γ(x)` (`ln_gamma_x`, computed once per
/// prior). Exactly 0 for `n = 0`.
fn ln_rising_e18(pseudo: u128, ln_gamma_x: i128, n: u64) -> i128 {
	if n == 0 {
		return 0;
	}
	ln_gamma_e18(pseudo.max(1) + n as u128 * PRIOR_UNIT as u128) - ln_gamma_x
}

/// Winner (highest score, lowest class id on ties) and its posterior probability among
/// candidates `(class, log score at scale 10^9, multiplicity)`.
fn softmax_winner(candidates: &[(u16, i64, u32)]) -> Result<(u16, Perbill), MathError> {
	let mut best: Option<(u16, i64)> = None;
	for &(t, s, mult) in candidates {
		if mult == 0 {
			continue;
		}
		match best {
			Some((bt, bs)) if bs > s || (bs == s && bt < t) => {},
			_ => best = Some((t, s)),
		}
	}
	let (class, top) = best.ok_or(MathError::NoLabels)?;
	let mut total: u128 = 0;
	for &(_, s, mult) in candidates {
		let gap = (top as i128).saturating_sub(s as i128).max(0) as u128;
		let e = exp_neg(FixedU128::from_inner(gap.saturating_mul(NANO as u128))).into_inner();
		total = total.saturating_add(e.saturating_mul(mult as u128));
	}
	// The winner contributes exp(0) = 1 exactly, so total >= ONE.
	Ok((class, Perbill::from_rational(ONE, total.max(ONE))))
}

/// Halves every cell (rounding down) while the cells add up to more than `cap` (`cap = 0`:
/// never).
fn halve_cells(cells: &mut [u32], cap: u32) {
	if cap == 0 {
		return;
	}
	// After 32 halvings every u32 is 0, so the loop always ends below the cap.
	for _ in 0..33 {
		let total: u64 = cells.iter().map(|&c| c as u64).sum();
		if total <= cap as u64 {
			return;
		}
		cells.iter_mut().for_each(|c| *c /= 2);
	}
}

// ---------------------------------------------------------------------------------------------
// Classes
// ---------------------------------------------------------------------------------------------

/// Dirichlet prior of a confusion row: pseudo-counts (in [`PRIOR_UNIT`]s, millionths of an
/// observation) on the diagonal (right answers) and on each off-diagonal cell.
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
pub struct ClassPrior {
	/// Pseudo-count of `n[t][t]`.
	pub diagonal: u32,
	/// Pseudo-count of each `n[t][a]`, `a ≠ t`.
	pub off_diagonal: u32,
	/// Pseudo-errors of each row's error shape, spread evenly over the `C − 1` wrong answers:
	/// how many of its own errors a row needs before they outweigh the even spread.
	pub errors: u32,
}

impl ClassPrior {
	/// Prior accuracy of a newcomer: 70 %.
	pub const DEFAULT_ACCURACY: Perbill = Perbill::from_percent(70);
	/// Prior strength: 4 observations per row.
	pub const DEFAULT_STRENGTH: u32 = 4;
	/// Prior strength of a row's error shape: 8 pseudo-errors.
	pub const DEFAULT_ERRORS: u32 = 8;

	/// A prior of `strength` observations per row with expected accuracy `accuracy`, the rest
	/// spread evenly over the `classes - 1` wrong answers (each pseudo-count at least 1 unit);
	/// the error shape has [`Self::DEFAULT_ERRORS`] pseudo-errors.
	pub fn from_accuracy(
		classes: u16,
		accuracy: Perbill,
		strength: u32,
	) -> Result<Self, MathError> {
		if classes < 2 {
			return Err(MathError::InvalidClass);
		}
		let total = (strength as u64).saturating_mul(PRIOR_UNIT as u64);
		let diagonal = accuracy.mul_floor(total);
		let off_diagonal = total.saturating_sub(diagonal) / (classes as u64 - 1);
		let clamp = |x: u64| x.clamp(1, u32::MAX as u64) as u32;
		Ok(Self {
			diagonal: clamp(diagonal),
			off_diagonal: clamp(off_diagonal),
			errors: Self::DEFAULT_ERRORS.saturating_mul(PRIOR_UNIT),
		})
	}

	/// The default prior for `classes` classes: 70 % accuracy, 4 observations per row.
	pub fn default_for(classes: u16) -> Result<Self, MathError> {
		Self::from_accuracy(classes, Self::DEFAULT_ACCURACY, Self::DEFAULT_STRENGTH)
	}

	/// Every pseudo-count must be positive (no probability may be 0).
	fn check(&self) -> Result<(), MathError> {
		if self.diagonal == 0 || self.off_diagonal == 0 || self.errors == 0 {
			Err(MathError::InvalidParameter)
		} else {
			Ok(())
		}
	}
}

/// A labeler's answer model for one single-class domain (see the module docs).
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
// The one-coin variant is small, but the value lives in storage and is passed by reference; its
// encoded size (`MaxEncodedLen` 258 bytes) is what counts, and boxing would lose `Copy`.
#[allow(clippy::large_enum_variant)]
pub enum ClassModel {
	/// Full confusion matrix for 2..=[`MAX_CONFUSION_CLASSES`] classes: `counts[t * classes + a]`
	/// is the (weighted, halved) number of answers `a` to items of class `t`; the cells beyond
	/// `classes²` are unused.
	Confusion {
		/// Number of classes `C`.
		classes: u8,
		/// Row-major counts.
		counts: [u32; CONFUSION_CELLS],
	},
	/// One-coin model for more than [`MAX_CONFUSION_CLASSES`] classes: right and wrong answers,
	/// errors spread uniformly over the wrong classes.
	OneCoin {
		/// Number of classes `C`.
		classes: u16,
		/// Right answers.
		correct: u32,
		/// Wrong answers.
		wrong: u32,
	},
}

impl ClassModel {
	/// A fresh model (no answers yet) for `classes >= 2` classes: a confusion matrix up to
	/// [`MAX_CONFUSION_CLASSES`], the one-coin model beyond.
	pub fn new(classes: u16) -> Result<Self, MathError> {
		if classes < 2 {
			Err(MathError::InvalidClass)
		} else if classes <= MAX_CONFUSION_CLASSES {
			Ok(Self::Confusion { classes: classes as u8, counts: [0; CONFUSION_CELLS] })
		} else {
			Ok(Self::OneCoin { classes, correct: 0, wrong: 0 })
		}
	}

	/// The number of classes `C`.
	pub fn classes(&self) -> u16 {
		match self {
			Self::Confusion { classes, .. } => *classes as u16,
			Self::OneCoin { classes, .. } => *classes,
		}
	}

	/// `C`, if the model is well formed (a decoded value might not be).
	fn checked_classes(&self) -> Result<u16, MathError> {
		let ok = match self {
			Self::Confusion { classes, .. } => {
				(2..=MAX_CONFUSION_CLASSES).contains(&(*classes as u16))
			},
			Self::OneCoin { classes, .. } => *classes > MAX_CONFUSION_CLASSES,
		};
		if ok {
			Ok(self.classes())
		} else {
			Err(MathError::InvalidClass)
		}
	}

	/// `p(answer | truth)` as `(numerator, denominator)`, both positive for a valid prior.
	fn probability(
		&self,
		truth: u16,
		answer: u16,
		prior: &ClassPrior,
	) -> Result<(u128, u128), MathError> {
		prior.check()?;
		let c = self.checked_classes()?;
		if truth >= c || answer >= c {
			return Err(MathError::InvalidClass);
		}
		let unit = PRIOR_UNIT as u128;
		let (d, o) = (prior.diagonal as u128, prior.off_diagonal as u128);
		let wrong_classes = c as u128 - 1;
		let prior_row = d + wrong_classes * o;
		match self {
			Self::Confusion { counts, .. } => {
				let row = confusion_row(counts, c, truth)?;
				let cell = *row.get(answer as usize).ok_or(MathError::InvalidClass)?;
				let f = ConfusionFractions::new(counts, c, prior);
				let r = f.row(row, truth)?;
				Ok((r.numerator(cell, truth == answer), r.denominator()))
			},
			Self::OneCoin { correct, wrong, .. } => {
				let n = (*correct as u128 + *wrong as u128) * unit + prior_row;
				if truth == answer {
					Ok((*correct as u128 * unit + d, n))
				} else {
					Ok((*wrong as u128 * unit + wrong_classes * o, wrong_classes * n))
				}
			},
		}
	}

	/// `ln p(answer | truth)` (see the module docs).
	pub fn log_likelihood(
		&self,
		truth: u16,
		answer: u16,
		prior: &ClassPrior,
	) -> Result<FixedI64, MathError> {
		let (num, den) = self.probability(truth, answer, prior)?;
		ln_ratio(num, den)
	}

	/// `ln p(a | t)` for every true class `t` and every answer `a` in `answers` (bit `a` set),
	/// for a confusion model: the table a package's vote looks up instead of computing two
	/// logarithms and the one-coin estimate `α` per vote, class and item. The one-coin
	/// estimate, each row's `ln` denominator and each needed cell's `ln` numerator are computed
	/// once; every entry equals [`ClassModel::log_likelihood`] exactly (same integers, same
	/// rounding). `Err(InvalidClass)` for a one-coin model (whose votes are cheap already) or a
	/// malformed one, `Err(InvalidParameter)` for a prior with a zero pseudo-count.
	pub fn log_table(&self, prior: &ClassPrior, answers: u8) -> Result<ClassLogTable, MathError> {
		prior.check()?;
		let c = self.checked_classes()?;
		let Self::Confusion { counts, .. } = self else { return Err(MathError::InvalidClass) };
		let n = c as usize;
		let f = ConfusionFractions::new(counts, c, prior);
		let mut cells = [0i64; CONFUSION_CELLS];
		for t in 0..n {
			let row = confusion_row(counts, c, t as u16)?;
			let r = f.row(row, t as u16)?;
			let ln_den = ln_e18(r.denominator()) as i128;
			for (a, &x) in row.iter().enumerate() {
				if answers & (1u8 << a) == 0 {
					continue;
				}
				if let Some(slot) = cells.get_mut(t * n + a) {
					*slot = round_to_nano(ln_e18(r.numerator(x, t == a)) as i128 - ln_den);
				}
			}
		}
		Ok(ClassLogTable { classes: c, answers, cells })
	}

	/// The log **Bayes factor** of the labeler's confusion matrix over its one-coin model, at
	/// scale 10^9: `ln p(n | confusion) − ln p(n | one coin)` for the recorded counts `n[t][a]`
	/// (see the module docs, "Which model votes at settlement"). Each model's evidence is the
	/// Dirichlet–multinomial marginal likelihood under the prior's pseudo-counts: for the matrix,
	/// every row `t` independently with `d` on its diagonal and `o` on each other cell,
	/// `Σ_t [Σ_a ln (d_ta)^(n[t][a]) − ln S^(n_t)]` (`x^(n)` the rising factorial `x (x + 1) ⋯
	/// (x + n − 1)`, `S = d + (C − 1) o`); for one coin, right answers `R = Σ_t n[t][t]` with
	/// `d` pseudo-counts, wrong ones `W` with `(C − 1) o`, each wrong answer one of the `C − 1`
	/// wrong classes alike: `ln d^(R) + ln ((C − 1) o)^(W) − ln S^(N) − W ln(C − 1)`. Positive
	/// when the answers show confusions that one accuracy cannot explain (a labeler who swaps two
	/// classes, or always gives the same answer), negative when one accuracy explains them with
	/// fewer parameters (a labeler whose errors fall anywhere, a uniform spammer); 0 for a fresh
	/// model. `O(C²)` logarithms (cells without answers cost nothing).
	///
	/// `Err(InvalidClass)` for a one-coin model (it has no matrix) or a malformed one,
	/// `Err(InvalidParameter)` for a prior with a zero pseudo-count.
	pub fn confusion_evidence(&self, prior: &ClassPrior) -> Result<FixedI64, MathError> {
		prior.check()?;
		let c = self.checked_classes()?;
		let Self::Confusion { counts, .. } = self else { return Err(MathError::InvalidClass) };
		let (d, o) = (prior.diagonal as u128, prior.off_diagonal as u128);
		let wrong_classes = c as u128 - 1;
		// The four pseudo-counts, with their ln Γ computed once.
		let with_ln_gamma = |x: u128| (x.max(1), ln_gamma_e18(x.max(1)));
		let (right_prior, cell_prior) = (with_ln_gamma(d), with_ln_gamma(o));
		let wrong_prior = with_ln_gamma(wrong_classes * o);
		let row_prior = with_ln_gamma(d + wrong_classes * o);
		let rising = |(x, ln_gamma_x): (u128, i128), n: u64| ln_rising_e18(x, ln_gamma_x, n);
		let (mut right, mut all, mut matrix) = (0u64, 0u64, 0i128);
		for t in 0..c {
			let row = confusion_row(counts, c, t)?;
			let mut n_t = 0u64;
			for (a, &x) in row.iter().enumerate() {
				let pseudo = if a == t as usize { right_prior } else { cell_prior };
				matrix += rising(pseudo, x as u64);
				n_t += x as u64;
			}
			matrix -= rising(row_prior, n_t);
			right += *row.get(t as usize).ok_or(MathError::InvalidClass)? as u64;
			all += n_t;
		}
		let wrong = all - right;
		let ln_wrong_classes = ln_e18(wrong_classes) as i128;
		let one_coin = rising(right_prior, right) + rising(wrong_prior, wrong)
			- rising(row_prior, all)
			- wrong as i128 * ln_wrong_classes;
		Ok(FixedI64::from_inner(round_to_nano(matrix - one_coin)))
	}

	/// The log table ([`ClassModel::log_table`]) of the model the labeler's own answers favour
	/// ([`ClassModel::confusion_evidence`]): the confusion matrix if its log Bayes factor is
	/// `≥ 0` (so a fresh labeler keeps its usual table), otherwise the **one-coin** model of
	/// the same counts, `p(t | t) = (R + d) / (N + S)`, `p(a | t) = (W + (C − 1) o) / ((C − 1)
	/// (N + S))` for `a ≠ t` (`R`, `W` the right and wrong answers, `N = R + W`). The vote at a
	/// job's settlement uses it: a confusion matrix learned from a few dozen answers reads
	/// sampling noise as confusions, which the one-coin model of an honest labeler does not.
	/// Errors as [`ClassModel::log_table`].
	pub fn selected_log_table(
		&self,
		prior: &ClassPrior,
		answers: u8,
	) -> Result<ClassLogTable, MathError> {
		if self.confusion_evidence(prior)?.into_inner() >= 0 {
			return self.log_table(prior, answers);
		}
		let c = self.checked_classes()?;
		let Self::Confusion { counts, .. } = self else { return Err(MathError::InvalidClass) };
		let n = c as usize;
		let (right, all) = right_and_all(counts, c);
		let unit = PRIOR_UNIT as u128;
		let (d, o) = (prior.diagonal as u128, prior.off_diagonal as u128);
		let wrong_classes = n as u128 - 1;
		let total = all * unit + d + wrong_classes * o;
		let ln_total = ln_e18(total) as i128;
		let ln_right = round_to_nano(ln_e18(right * unit + d) as i128 - ln_total);
		let ln_wrong = round_to_nano(
			ln_e18((all - right) * unit + wrong_classes * o) as i128
				- ln_e18(wrong_classes * total) as i128,
		);
		let mut cells = [0i64; CONFUSION_CELLS];
		for (i, cell) in cells.iter_mut().enumerate().take(n * n) {
			if answers & (1u8 << (i % n)) != 0 {
				*cell = if i / n == i % n { ln_right } else { ln_wrong };
			}
		}
		Ok(ClassLogTable { classes: c, answers, cells })
	}

	/// Records one answer to an item whose class is taken to be `truth`:
	/// `n[truth][answer] += weight`, then halves that row while its total exceeds `cap`
	/// (`cap = 0`: never). Use `weight = 1` for a consensus truth, more ([`GOLD_WEIGHT`]) for gold.
	pub fn record(
		&mut self,
		truth: u16,
		answer: u16,
		weight: u32,
		cap: u32,
	) -> Result<(), MathError> {
		let c = self.checked_classes()?;
		if truth >= c || answer >= c {
			return Err(MathError::InvalidClass);
		}
		match self {
			Self::Confusion { counts, .. } => {
				let start = truth as usize * c as usize;
				let row =
					counts.get_mut(start..start + c as usize).ok_or(MathError::InvalidClass)?;
				let cell = row.get_mut(answer as usize).ok_or(MathError::InvalidClass)?;
				*cell = cell.saturating_add(weight);
				halve_cells(row, cap);
			},
			Self::OneCoin { correct, wrong, .. } => {
				if truth == answer {
					*correct = correct.saturating_add(weight);
				} else {
					*wrong = wrong.saturating_add(weight);
				}
				let mut cells = [*correct, *wrong];
				halve_cells(&mut cells, cap);
				[*correct, *wrong] = cells;
			},
		}
		Ok(())
	}

	/// Moves one answer `answer` recorded (weight 1) against class `from` to class `to`:
	/// `n[from][answer] −= 1` (not below 0), `n[to][answer] += 1`, no halving. It corrects a
	/// model for an item whose consensus was revised; after a row was halved by the cap the
	/// answer may have counted for only half, so the correction is then approximate (the
	/// settlement re-vote moves answers in copies of the models only).
	pub fn move_answer(&mut self, from: u16, to: u16, answer: u16) -> Result<(), MathError> {
		let c = self.checked_classes()?;
		if from >= c || to >= c || answer >= c {
			return Err(MathError::InvalidClass);
		}
		match self {
			Self::Confusion { counts, .. } => {
				let (n, a) = (c as usize, answer as usize);
				let old = counts.get_mut(from as usize * n + a).ok_or(MathError::InvalidClass)?;
				*old = old.saturating_sub(1);
				let new = counts.get_mut(to as usize * n + a).ok_or(MathError::InvalidClass)?;
				*new = new.saturating_add(1);
			},
			Self::OneCoin { correct, wrong, .. } => {
				match (from == answer, to == answer) {
					(true, false) => {
						*correct = correct.saturating_sub(1);
						*wrong = wrong.saturating_add(1);
					},
					(false, true) => {
						*wrong = wrong.saturating_sub(1);
						*correct = correct.saturating_add(1);
					},
					// Wrong before and after, or `from == to`: the one-coin counts stay.
					_ => {},
				}
			},
		}
		Ok(())
	}

	/// Voting power for reporting: `I(T; A) / ln C` under a uniform class prior (see the module
	/// docs): 0 for a labeler whose answers ignore the truth, 1 for a perfect one.
	pub fn voting_power(&self, prior: &ClassPrior) -> Result<Perbill, MathError> {
		prior.check()?;
		let c = self.checked_classes()?;
		let ln_c = ln_ratio(c as u128, 1)?.into_inner() as i128;
		// Σ p (scale 10^18) · ln (scale 10^9): the information at scale 10^27.
		let mut info: i128 = 0;
		match self {
			Self::Confusion { .. } => {
				let n = c as usize;
				let mut p = [0u128; CONFUSION_CELLS];
				let mut column = [0u128; MAX_CONFUSION_CLASSES as usize];
				for (i, cell) in p.iter_mut().enumerate().take(n * n) {
					let (t, a) = ((i / n) as u16, i % n);
					let (num, den) = self.probability(t, a as u16, prior)?;
					*cell = num.saturating_mul(ONE) / den;
					if let Some(col) = column.get_mut(a) {
						*col = col.saturating_add(*cell);
					}
				}
				for (i, &pta) in p.iter().enumerate().take(n * n) {
					let col = column.get(i % n).copied().unwrap_or_default();
					if pta == 0 || col == 0 {
						continue;
					}
					// p(a|t) / q(a) = C p(a|t) / Σ_t' p(a|t').
					let l = ln_ratio(pta.saturating_mul(c as u128), col)?.into_inner() as i128;
					info = info.saturating_add(pta as i128 * l);
				}
				// The true class is uniform: average the rows.
				info /= c as i128;
			},
			Self::OneCoin { .. } => {
				// Uniform answer marginal: I = p ln(C p) + (1 - p) ln(C (1 - p) / (C - 1)).
				let (right, n) = self.probability(0, 0, prior)?;
				let wrong = n.saturating_sub(right);
				let c = c as u128;
				let l_right = ln_ratio(right.saturating_mul(c), n)?.into_inner() as i128;
				info = info.saturating_add((right.saturating_mul(ONE) / n) as i128 * l_right);
				if wrong > 0 {
					let l_wrong = ln_ratio(wrong.saturating_mul(c), n.saturating_mul(c - 1))?
						.into_inner() as i128;
					info = info.saturating_add((wrong.saturating_mul(ONE) / n) as i128 * l_wrong);
				}
			},
		}
		let info = (info / ONE as i128).clamp(0, ln_c);
		Ok(Perbill::from_rational(info as u128, ln_c.max(1) as u128))
	}
}

/// `p(a | t)` of a confusion model as an integer fraction (see [`ClassModel::probability`] and
/// the module docs). Each row `t` has an accuracy and an error shape:
///
/// - accuracy `α_t = (n[t][t] + S α) / (n_t + S)`, the row's strength `S = d + (C − 1) o` centred
///   on the labeler's own accuracy over all rows, `α = (Σ_t n[t][t] + d) / (N + S)` (the one-coin
///   estimate), so a row with few answers follows how the labeler answers elsewhere;
/// - error shape `q_t(a) = (n[t][a] + E / (C − 1)) / (e_t + E)` over the wrong answers `a ≠ t`,
///   `e_t = n_t − n[t][t]` the row's errors and `E` the prior's pseudo-errors, so one or two
///   errors do not make a particular confusion look several times likelier than the others;
///
/// and `p(t | t) = α_t`, `p(a | t) = (1 − α_t) q_t(a)`, all over the row's one denominator
/// `n_t + S`. `α` is rounded to parts per billion, `(1 − α_t) q_t(a)` down to an integer at that
/// scale. Counts are `u32` and pseudo-counts in [`PRIOR_UNIT`]s: every product below stays inside
/// `u128` for any counts (the shape's product is taken in 256 bits).
struct ConfusionFractions {
	unit: u128,
	wrong_classes: u128,
	/// `S`, in prior units.
	prior_row: u128,
	/// `E`, in prior units.
	errors: u128,
	/// `α`, parts per billion.
	alpha: u128,
}

/// One row's shared terms ([`ConfusionFractions::row`]).
struct RowFractions<'a> {
	f: &'a ConfusionFractions,
	/// `n_t U + S`: the row's denominator, in prior units.
	total: u128,
	/// `n[t][t] U`.
	right: u128,
	/// `e_t U`.
	errors: u128,
}

/// Parts per billion as `u128`.
const BILLION: u128 = NANO as u128;

impl ConfusionFractions {
	/// The shared terms of a model's `C²` fractions (`O(C²)`, once per model).
	fn new(counts: &[u32; CONFUSION_CELLS], c: u16, prior: &ClassPrior) -> Self {
		let unit = PRIOR_UNIT as u128;
		let (d, o) = (prior.diagonal as u128, prior.off_diagonal as u128);
		let wrong_classes = (c as u128).saturating_sub(1).max(1);
		let prior_row = d + wrong_classes * o;
		let (right, all) = right_and_all(counts, c);
		let alpha = (right * unit + d).saturating_mul(BILLION) / (all * unit + prior_row).max(1);
		Self {
			unit,
			wrong_classes,
			prior_row,
			errors: prior.errors as u128,
			alpha: alpha.min(BILLION),
		}
	}

	/// The terms of row `t` (`row`: its `C` counts).
	fn row<'a>(&'a self, row: &[u32], t: u16) -> Result<RowFractions<'a>, MathError> {
		let n_t: u128 = row.iter().map(|&x| x as u128).sum();
		let n_tt = *row.get(t as usize).ok_or(MathError::InvalidClass)? as u128;
		Ok(RowFractions {
			f: self,
			total: n_t * self.unit + self.prior_row,
			right: n_tt * self.unit,
			errors: (n_t - n_tt) * self.unit,
		})
	}
}

impl RowFractions<'_> {
	/// Numerator of `p(a | t)` for the cell count `n[t][a]` (`diagonal`: `a = t`), over the row's
	/// one [`Self::denominator`]; at least 1.
	fn numerator(&self, cell: u32, diagonal: bool) -> u128 {
		let f = self.f;
		let num = if diagonal {
			// α_t (n_t + S) at scale 10^9: n[t][t] + S α
			self.right.saturating_mul(BILLION).saturating_add(f.prior_row * f.alpha)
		} else {
			// (1 − α_t) (n_t + S) at scale 10^9, times the error shape q_t(a) (at most 1):
			// a 256-bit product and division, so nothing saturates for any `u32` counts.
			let wrong = self
				.errors
				.saturating_mul(BILLION)
				.saturating_add(f.prior_row * (BILLION - f.alpha));
			let shape = (cell as u128 * f.unit).saturating_mul(f.wrong_classes) + f.errors;
			let shape_den = self.errors.saturating_add(f.errors).saturating_mul(f.wrong_classes);
			multiply_by_rational_with_rounding(wrong, shape, shape_den.max(1), Rounding::Down)
				.unwrap_or(wrong)
		};
		num.max(1)
	}

	/// Denominator of every `p(a | t)` of the row: `(n_t + S)` at scale 10^9.
	fn denominator(&self) -> u128 {
		self.total.saturating_mul(BILLION).max(1)
	}
}

/// The right answers `Σ_t n[t][t]` and all answers `Σ n[t][a]` of a confusion matrix with `c`
/// classes (the one-coin counts of the matrix).
fn right_and_all(counts: &[u32; CONFUSION_CELLS], c: u16) -> (u128, u128) {
	let n = c as usize;
	let (mut right, mut all) = (0u128, 0u128);
	for (i, &x) in counts.iter().enumerate().take(n * n) {
		all += x as u128;
		if i / n == i % n {
			right += x as u128;
		}
	}
	(right, all)
}

/// Row `t` of a flattened confusion matrix with `c` classes.
fn confusion_row(counts: &[u32; CONFUSION_CELLS], c: u16, t: u16) -> Result<&[u32], MathError> {
	let start = t as usize * c as usize;
	counts.get(start..start + c as usize).ok_or(MathError::InvalidClass)
}

/// A confusion model's `ln p(a | t)` for the answers a labeler gave in a package, at scale
/// 10^9 ([`ClassModel::log_table`]).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ClassLogTable {
	classes: u16,
	/// Bit `a` set: column `a` is filled.
	answers: u8,
	cells: [i64; CONFUSION_CELLS],
}

impl ClassLogTable {
	/// The number of classes `C`.
	pub fn classes(&self) -> u16 {
		self.classes
	}

	/// `ln p(answer | truth)`; `Err(InvalidClass)` for a class out of range or an answer whose
	/// column was not computed.
	pub fn get(&self, truth: u16, answer: u16) -> Result<i64, MathError> {
		if truth >= self.classes || answer >= self.classes || self.answers & (1u8 << answer) == 0 {
			return Err(MathError::InvalidClass);
		}
		self.cells
			.get(truth as usize * self.classes as usize + answer as usize)
			.copied()
			.ok_or(MathError::InvalidClass)
	}
}

/// Consensus of a single-class item from the labelers' models.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ClassInference {
	/// The most probable class (lowest id on ties).
	pub class: u16,
	/// Its posterior probability.
	pub confidence: Perbill,
	/// 1 for votes equal to the consensus, 0 otherwise, in input order.
	pub agreement: Vec<Perbill>,
}

/// `ln π(t)`: 0 (uniform, a constant dropped from every score) or Laplace-smoothed class counts
/// `(c_t + 1) / (Σ c + C)`; `total` is `Σ c + C`, computed once per item.
fn log_class_prior(class_counts: Option<&[u32]>, total: u128, t: u16) -> Result<i64, MathError> {
	let Some(counts) = class_counts else { return Ok(0) };
	let ct = *counts.get(t as usize).ok_or(MathError::LengthMismatch)? as u128;
	Ok(ln_ratio(ct + 1, total)?.into_inner())
}

/// The winning class of `candidates` (softmax over their log scores) and each vote's agreement
/// with it (1 for the winning class, 0 otherwise).
fn class_inference<V>(
	candidates: &[(u16, i64, u32)],
	votes: &[(u16, V)],
) -> Result<ClassInference, MathError> {
	let (class, confidence) = softmax_winner(candidates)?;
	let agreement = votes
		.iter()
		.map(|(a, _)| if *a == class { Perbill::one() } else { Perbill::zero() })
		.collect();
	Ok(ClassInference { class, confidence, agreement })
}

/// The denominator of the class prior `(n_t + 1) / (Σ n + C)` (1 without counts), after checking
/// that the counts, if any, give one figure per class.
fn class_prior_total(class_counts: Option<&[u32]>, c: u16) -> Result<u128, MathError> {
	match class_counts {
		Some(counts) if counts.len() != c as usize => Err(MathError::LengthMismatch),
		Some(counts) => Ok(counts.iter().map(|&n| n as u128).sum::<u128>() + c as u128),
		None => Ok(1),
	}
}

/// Dawid–Skene consensus of one item: `votes` are `(answer, model)` per labeler, all models of
/// the same number of classes; `class_counts`, if given, holds one count of past consensus
/// classes per class (the class prior, see the module docs).
///
/// Errors: `NoLabels` for no votes, `InvalidClass` for an answer out of range or models of
/// different class counts, `LengthMismatch` for class counts of the wrong length,
/// `InvalidParameter` for a prior with a zero pseudo-count.
pub fn infer_class(
	votes: &[(u16, &ClassModel)],
	prior: &ClassPrior,
	class_counts: Option<&[u32]>,
) -> Result<ClassInference, MathError> {
	let (_, first) = votes.first().ok_or(MathError::NoLabels)?;
	let c = first.checked_classes()?;
	prior.check()?;
	for (a, m) in votes {
		if m.checked_classes()? != c || *a >= c {
			return Err(MathError::InvalidClass);
		}
	}
	let prior_total = class_prior_total(class_counts, c)?;
	// (class, log score at scale 10^9, how many classes share that score)
	let mut candidates: Vec<(u16, i64, u32)> = Vec::new();
	if c <= MAX_CONFUSION_CLASSES {
		let tables: Vec<ClassLogTable> = votes
			.iter()
			.map(|(a, m)| m.log_table(prior, 1u8 << a))
			.collect::<Result<_, _>>()?;
		let votes: Vec<(u16, &ClassLogTable)> =
			votes.iter().zip(&tables).map(|((a, _), t)| (*a, t)).collect();
		return infer_class_tables(&votes, class_counts);
	} else {
		// One coin: s_t = Σ_l ln p_l(wrong) + Σ_{l: a_l = t} (ln p_l(right) - ln p_l(wrong)).
		let mut base: i64 = 0;
		let mut bonus: Vec<(u16, i64)> = Vec::new(); // sorted by class
		for (a, m) in votes {
			let right = m.log_likelihood(*a, *a, prior)?.into_inner();
			let other = if *a == 0 { 1 } else { 0 };
			let wrong = m.log_likelihood(other, *a, prior)?.into_inner();
			base = base.saturating_add(wrong);
			let gain = right.saturating_sub(wrong);
			match bonus.binary_search_by_key(a, |(k, _)| *k) {
				Ok(i) => {
					if let Some((_, g)) = bonus.get_mut(i) {
						*g = g.saturating_add(gain);
					}
				},
				Err(i) => bonus.insert(i, (*a, gain)),
			}
		}
		let bonus_of = |t: u16| match bonus.binary_search_by_key(&t, |(k, _)| *k) {
			Ok(i) => bonus.get(i).map(|(_, g)| *g).unwrap_or_default(),
			Err(_) => 0,
		};
		if class_counts.is_some() {
			for t in 0..c {
				let s = base.saturating_add(bonus_of(t));
				candidates.push((
					t,
					s.saturating_add(log_class_prior(class_counts, prior_total, t)?),
					1,
				));
			}
		} else {
			for (t, g) in &bonus {
				candidates.push((*t, base.saturating_add(*g), 1));
			}
			// Every class nobody voted for scores `base`; the lowest such id represents them.
			let unvoted = (c as usize).saturating_sub(bonus.len()) as u32;
			if unvoted > 0 {
				let mut lowest = 0u16;
				for (t, _) in &bonus {
					if *t == lowest {
						lowest = lowest.saturating_add(1);
					}
				}
				candidates.push((lowest, base, unvoted));
			}
		}
	}
	class_inference(&candidates, votes)
}

/// [`infer_class`] for confusion models whose log tables are computed already (a package's
/// vote builds one table per labeler, [`ClassModel::log_table`], and looks every item up in
/// it): `votes` are `(answer, table)` per labeler. The same scores, winner and confidence as
/// [`infer_class`] on the models themselves.
///
/// Errors: `NoLabels` for no votes, `InvalidClass` for tables of different class counts or an
/// answer whose column the table lacks, `LengthMismatch` for class counts of the wrong length.
pub fn infer_class_tables(
	votes: &[(u16, &ClassLogTable)],
	class_counts: Option<&[u32]>,
) -> Result<ClassInference, MathError> {
	let (_, first) = votes.first().ok_or(MathError::NoLabels)?;
	let c = first.classes;
	if votes.iter().any(|(_, t)| t.classes != c) {
		return Err(MathError::InvalidClass);
	}
	let prior_total = class_prior_total(class_counts, c)?;
	let mut candidates: Vec<(u16, i64, u32)> = Vec::with_capacity(c as usize);
	for t in 0..c {
		let mut s = log_class_prior(class_counts, prior_total, t)?;
		for (a, table) in votes {
			s = s.saturating_add(table.get(t, *a)?);
		}
		candidates.push((t, s, 1));
	}
	class_inference(&candidates, votes)
}

// ---------------------------------------------------------------------------------------------
// Scores
// ---------------------------------------------------------------------------------------------

/// The range of a numeric answer (`min < max`), e.g. 1–5 stars or a 0–100 rating.
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
pub struct ScoreRange {
	/// Lowest score.
	pub min: FixedU128,
	/// Highest score.
	pub max: FixedU128,
}

impl ScoreRange {
	/// A checked range: `Err(InvalidParameter)` unless `min < max`.
	pub fn new(min: FixedU128, max: FixedU128) -> Result<Self, MathError> {
		let r = Self { min, max };
		r.width()?;
		Ok(r)
	}

	/// An integer range `min..=max`: `Err(InvalidParameter)` unless `min < max`.
	pub fn from_ints(min: u16, max: u16) -> Result<Self, MathError> {
		Self::new(FixedU128::saturating_from_integer(min), FixedU128::saturating_from_integer(max))
	}

	/// 1–5 stars.
	pub fn stars() -> Self {
		Self {
			min: FixedU128::saturating_from_integer(1),
			max: FixedU128::saturating_from_integer(5),
		}
	}

	/// Whether `x` lies within the range.
	pub fn contains(&self, x: FixedU128) -> bool {
		x >= self.min && x <= self.max
	}

	/// `|a - b| / (max - min)`: a distance in widths of the range (1 at most for scores within
	/// it). `Err(InvalidParameter)` for a range with `min >= max`.
	pub fn relative_error(&self, a: FixedU128, b: FixedU128) -> Result<FixedU128, MathError> {
		let w = self.width()?;
		let d = a.into_inner().abs_diff(b.into_inner());
		FixedU128::checked_from_rational(d, w).ok_or(MathError::Overflow)
	}

	fn width(&self) -> Result<u128, MathError> {
		match self.max.into_inner().checked_sub(self.min.into_inner()) {
			Some(w) if w > 0 => Ok(w),
			_ => Err(MathError::InvalidParameter),
		}
	}

	/// `(x - min) / (max - min)`; `Err(InvalidParameter)` outside the range.
	pub fn to_relative(&self, x: FixedU128) -> Result<Perbill, MathError> {
		let w = self.width()?;
		if x < self.min || x > self.max {
			return Err(MathError::InvalidParameter);
		}
		Ok(Perbill::from_rational(x.into_inner().saturating_sub(self.min.into_inner()), w))
	}

	/// `min + r (max - min)`.
	pub fn from_relative(&self, r: Perbill) -> FixedU128 {
		let w = self.width().unwrap_or_default();
		FixedU128::from_inner(self.min.into_inner().saturating_add(r.mul_floor(w)))
	}
}

/// Prior of a score labeler's noise: `strength` (`k0`, in [`PRIOR_UNIT`]s) pseudo-observations
/// with bias 0 and variance `variance` (`v0`, in squared range widths).
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
pub struct ScorePrior {
	/// `k0`: pseudo-observations.
	pub strength: u32,
	/// `v0`: prior noise variance relative to the squared range width.
	pub variance: Perbill,
}

impl Default for ScorePrior {
	/// `k0 = 3` observations, `v0 = 0.05` (a standard deviation of 22 % of the range, 0.9 stars):
	/// a newcomer's voting power is `1 - 12 · 0.05 = 0.4`.
	fn default() -> Self {
		Self { strength: 3 * PRIOR_UNIT, variance: Perbill::from_percent(5) }
	}
}

/// Running statistics of one labeler in one score domain (see the module docs): weighted sums of
/// the truths `t` and residuals `r = x − t` and of their squares and product, all relative to the
/// range width at scale 10^9, from which [`ScoreStats::line`] fits the labeler's calibration line
/// `x = c + β t`.
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
pub struct ScoreStats {
	/// Weighted number of scored answers.
	pub n: u32,
	/// `Σ w r`, `r = (x - truth) / width` at scale 10^9.
	pub sum_residual: i64,
	/// `Σ w r²` at scale 10^9.
	pub sum_sq_residual: u64,
	/// `Σ w t`, `t = (truth - min) / width` at scale 10^9.
	pub sum_truth: u64,
	/// `Σ w t²` at scale 10^9.
	pub sum_sq_truth: u64,
	/// `Σ w t r` at scale 10^9.
	pub sum_truth_residual: i64,
}

/// A labeler's calibration line `x = c + β t` and noise variance `v` ([`ScoreStats::line`]), all
/// relative to the range width at scale 10^9.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ScoreLine {
	/// `c`: the residual expected at truth 0 (the bottom of the range).
	pub intercept: i64,
	/// `β`: how far the labeler's answers move per unit of truth, in `[−1, 3]`.
	pub slope: i64,
	/// `v`: variance of the answers around the line, in `[MIN_SCORE_VARIANCE, 1]`.
	pub variance: i64,
}

impl ScoreLine {
	/// The variance of the truth the labeler's answer tells, `v / β²` (scale 10^9), or `None` when
	/// `β` is below [`MIN_SCORE_SLOPE`]: answers that do not follow the truth, or move against
	/// it, are not read (a labeler cannot train a reversed line and have its later answers read
	/// backwards).
	fn truth_variance(&self) -> Option<i128> {
		let beta = self.slope as i128;
		if beta < MIN_SCORE_SLOPE.deconstruct() as i128 {
			return None;
		}
		// v ≤ 10^9 and β² ≥ (5·10^7)²: at most 4·10^11; at least 1.
		Some((self.variance as i128 * NANO * NANO / (beta * beta)).max(1))
	}

	/// The truth this labeler's answer `x` (relative, scale 10^9) points to, `(x − c) / β`,
	/// kept within one range width of the range, with its variance `v / β²`; `None` when the
	/// slope is too flat to say anything.
	fn truth_of(&self, x: i128) -> Option<(i128, i128)> {
		let variance = self.truth_variance()?;
		let y = (x - self.intercept as i128) * NANO / self.slope as i128;
		Some((y.clamp(-NANO, 2 * NANO), variance))
	}
}

impl ScoreStats {
	/// The statistics of a labeler known only by residual moments (storage before the
	/// calibration line, spec 106): the same count, residual sum and sum of squares, over truths
	/// spread like a uniform truth (mean 1/2, variance 1/12) and uncorrelated with the residuals,
	/// so the fitted line has slope 1 and keeps the old bias and variance.
	pub fn from_residuals(n: u32, sum_residual: i64, sum_sq_residual: u64) -> Self {
		let half = (NANO / 2) as u64;
		let third = (NANO / 3) as u64;
		Self {
			n,
			sum_residual,
			sum_sq_residual,
			sum_truth: (n as u64).saturating_mul(half),
			sum_sq_truth: (n as u64).saturating_mul(third),
			sum_truth_residual: sum_residual / 2,
		}
	}

	/// Records one answer `score` to an item whose true score is taken to be `truth`, with the
	/// given weight; then halves the statistics while `n > cap` (`cap = 0`: never).
	pub fn record(
		&mut self,
		score: FixedU128,
		truth: FixedU128,
		range: &ScoreRange,
		weight: u32,
		cap: u32,
	) -> Result<(), MathError> {
		let t = range.to_relative(truth)?.deconstruct() as i64;
		let r = range.to_relative(score)?.deconstruct() as i64 - t;
		// Each term at most 10^9 in absolute value.
		let sq = (r as i128 * r as i128 / NANO) as u64;
		let t_sq = (t as i128 * t as i128 / NANO) as u64;
		let t_r = (t as i128 * r as i128 / NANO) as i64;
		let (w, wu) = (weight as i64, weight as u64);
		self.n = self.n.saturating_add(weight);
		self.sum_residual = self.sum_residual.saturating_add(w.saturating_mul(r));
		self.sum_sq_residual = self.sum_sq_residual.saturating_add(wu.saturating_mul(sq));
		self.sum_truth = self.sum_truth.saturating_add(wu.saturating_mul(t as u64));
		self.sum_sq_truth = self.sum_sq_truth.saturating_add(wu.saturating_mul(t_sq));
		self.sum_truth_residual = self.sum_truth_residual.saturating_add(w.saturating_mul(t_r));
		if cap > 0 {
			for _ in 0..33 {
				if self.n <= cap {
					break;
				}
				self.n = self.n.div_ceil(2);
				self.sum_residual /= 2;
				self.sum_sq_residual /= 2;
				self.sum_truth /= 2;
				self.sum_sq_truth /= 2;
				self.sum_truth_residual /= 2;
			}
		}
		Ok(())
	}

	/// The labeler's calibration line under `prior` (see the module docs): the least-squares
	/// line of the residuals on the truth over the answers and the prior's `k0` pseudo-answers
	/// (residual 0 at truths `1/2 ± 1/√12`), and the noise variance around it. Any stored values
	/// (even inconsistent decoded ones) give a line within the documented bounds.
	pub fn line(&self, prior: &ScorePrior) -> ScoreLine {
		let unit = PRIOR_UNIT as i128;
		let k0 = prior.strength as i128;
		let v0 = prior.variance.deconstruct() as i128;
		let floor = MIN_SCORE_VARIANCE.deconstruct() as i128;
		let n_eff = self.n as i128 * unit + k0;
		if n_eff <= 0 {
			return ScoreLine {
				intercept: 0,
				slope: NANO as i64,
				variance: v0.clamp(floor, NANO) as i64,
			};
		}
		// Weighted sums over answers and pseudo-answers, in prior units times 10^9: each at most
		// 2^64 · 10^6 (< 2^85), so every product below with a mean (clamped to its range, as
		// recorded answers keep it; decoded values might not) or with γ (≤ 2 · 10^9) fits in i128.
		let t = self.sum_truth as i128 * unit + k0 * NANO / 2;
		let tt = self.sum_sq_truth as i128 * unit + k0 * NANO / 3;
		let r = self.sum_residual as i128 * unit;
		let rr = self.sum_sq_residual as i128 * unit;
		let tr = self.sum_truth_residual as i128 * unit;
		let (mean_t, mean_r) = ((t / n_eff).clamp(0, NANO), (r / n_eff).clamp(-NANO, NANO));
		let ctt = tt.saturating_sub(mean_t * t / NANO);
		let ctr = tr.saturating_sub(mean_t * r / NANO);
		let crr = rr.saturating_sub(mean_r * r / NANO);
		// γ = β − 1, the slope of the residuals on the truth.
		let gamma =
			if ctt > 0 { (ctr.saturating_mul(NANO) / ctt).clamp(-2 * NANO, 2 * NANO) } else { 0 };
		let intercept = (mean_r - gamma * mean_t / NANO).clamp(-3 * NANO, 3 * NANO);
		let sse = crr.saturating_sub(gamma.saturating_mul(ctr) / NANO).max(0);
		let variance = (sse.saturating_add(k0 * v0) / n_eff).clamp(floor, NANO);
		ScoreLine {
			intercept: intercept as i64,
			slope: (NANO + gamma) as i64,
			variance: variance as i64,
		}
	}

	/// Estimated bias at the middle of the range, `c + (β − 1) / 2`, in range widths (shrunk
	/// towards 0 by the prior).
	pub fn bias(&self, prior: &ScorePrior) -> FixedI64 {
		let l = self.line(prior);
		FixedI64::from_inner(l.intercept.saturating_add((l.slope - NANO as i64) / 2))
	}

	/// Estimated slope `β` of the labeler's answers on the truth (1: follows the truth point for
	/// point; 0: ignores it).
	pub fn slope(&self, prior: &ScorePrior) -> FixedI64 {
		FixedI64::from_inner(self.line(prior).slope)
	}

	/// Estimated noise variance `v` around the line, in squared range widths, at least
	/// [`MIN_SCORE_VARIANCE`].
	pub fn variance(&self, prior: &ScorePrior) -> Perbill {
		Perbill::from_parts(self.line(prior).variance as u32)
	}

	/// Vote weight `β² / v` (0 for a slope below [`MIN_SCORE_SLOPE`]).
	pub fn weight(&self, prior: &ScorePrior) -> FixedU128 {
		match self.line(prior).truth_variance() {
			Some(v) => FixedU128::from_rational(NANO as u128, v as u128),
			None => FixedU128::from_inner(0),
		}
	}

	/// Voting power for reporting: `max(0, 1 − 12 v / β²)` (see the module docs).
	pub fn voting_power(&self, prior: &ScorePrior) -> Perbill {
		match self.line(prior).truth_variance() {
			Some(v) => Perbill::from_parts((NANO - 12 * v).clamp(0, NANO) as u32),
			None => Perbill::zero(),
		}
	}
}

/// Consensus of a scored item.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ScoreInference {
	/// The consensus score, within the range.
	pub value: FixedU128,
	/// The same, relative to the range.
	pub relative: Perbill,
}

/// `Σ w y / Σ w` over `(y, w)`.
fn weighted_mean(items: impl Iterator<Item = (i128, u128)>) -> Result<i128, MathError> {
	let (mut num, mut den) = (0i128, 0u128);
	for (y, w) in items {
		let w_signed = i128::try_from(w).map_err(|_| MathError::Overflow)?;
		let term = y.checked_mul(w_signed).ok_or(MathError::Overflow)?;
		num = num.checked_add(term).ok_or(MathError::Overflow)?;
		den = den.checked_add(w).ok_or(MathError::Overflow)?;
	}
	if den == 0 {
		return Err(MathError::ZeroTotal);
	}
	Ok(num / i128::try_from(den).map_err(|_| MathError::Overflow)?)
}

/// Precision-weighted, calibrated consensus of one scored item: `votes` are `(score, stats)` per
/// labeler; each vote counts for the truth its labeler's line maps it back to, `(x − c) / β`,
/// with weight `β² / v`; votes of labelers whose answers do not follow the truth (`β` below
/// [`MIN_SCORE_SLOPE`]) count for nothing, unless nobody's do (then every vote alike); `refine`
/// adds the Huber pass (see the module docs).
///
/// Errors: `NoLabels` for no votes, `InvalidParameter` for a bad range or a score outside it,
/// `Overflow` only for millions of votes.
pub fn infer_score(
	votes: &[(FixedU128, &ScoreStats)],
	range: &ScoreRange,
	prior: &ScorePrior,
	refine: bool,
) -> Result<ScoreInference, MathError> {
	if votes.is_empty() {
		return Err(MathError::NoLabels);
	}
	// (the truth the vote points to y, weight 1/var(y) at scale 10^18, var(y)), all relative.
	let mut items: Vec<(i128, u128, i128)> = Vec::with_capacity(votes.len());
	let mut plain: Vec<(i128, u128)> = Vec::with_capacity(votes.len());
	for (x, stats) in votes {
		let rel = range.to_relative(*x)?.deconstruct() as i128;
		plain.push((rel, 1));
		if let Some((y, v)) = stats.line(prior).truth_of(rel) {
			// v >= 1
			let w = ONE.saturating_mul(NANO as u128) / v.max(1) as u128;
			items.push((y, w, v));
		}
	}
	if items.is_empty() {
		// Nobody's answers follow the truth (as far as the models know): every vote alike.
		let m = weighted_mean(plain.into_iter())?;
		let relative = Perbill::from_parts(m.clamp(0, NANO) as u32);
		return Ok(ScoreInference { value: range.from_relative(relative), relative });
	}
	let mut m = weighted_mean(items.iter().map(|(y, w, _)| (*y, *w)))?;
	if refine {
		let first = m;
		m = weighted_mean(items.iter().map(|(y, w, v)| {
			let sigma = (*v as u128).saturating_mul(NANO as u128).isqrt();
			let threshold = (HUBER_K_PER_MILLE as u128).saturating_mul(sigma) / 1_000;
			let gap = y.abs_diff(first);
			let w = if gap > threshold { w.saturating_mul(threshold) / gap } else { *w };
			(*y, w)
		}))?;
	}
	let relative = Perbill::from_parts(m.clamp(0, NANO) as u32);
	Ok(ScoreInference { value: range.from_relative(relative), relative })
}

// ---------------------------------------------------------------------------------------------
// Boxes
// ---------------------------------------------------------------------------------------------

/// Beta prior of a box labeler's agreement: pseudo-counts (in [`PRIOR_UNIT`]s) of full
/// agreement and of full disagreement.
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
pub struct BoxPrior {
	/// `α`: pseudo-observations of IoU 1.
	pub agree: u32,
	/// `β'`: pseudo-observations of IoU 0.
	pub disagree: u32,
}

impl Default for BoxPrior {
	/// 4 observations with mean agreement 70 %: a newcomer's weight is `logit(0.7) = 0.85`.
	fn default() -> Self {
		Self { agree: 2_800_000, disagree: 1_200_000 }
	}
}

/// Running agreement statistics of one labeler in one box domain (see the module docs).
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
pub struct BoxStats {
	/// Weighted number of scored labels.
	pub n: u32,
	/// `Σ w IoU` in parts per billion.
	pub sum_agreement: u64,
}

impl BoxStats {
	/// Records the agreement (set IoU) of one label with its item's consensus or gold, with the
	/// given weight; then halves while `n > cap` (`cap = 0`: never).
	pub fn record(&mut self, agreement: Perbill, weight: u32, cap: u32) {
		self.n = self.n.saturating_add(weight);
		let add = (weight as u64).saturating_mul(agreement.deconstruct() as u64);
		self.sum_agreement = self.sum_agreement.saturating_add(add);
		if cap > 0 {
			for _ in 0..33 {
				if self.n <= cap {
					break;
				}
				// n rounds up, the sum down: the sum never exceeds n parts per billion.
				self.n = self.n.div_ceil(2);
				self.sum_agreement /= 2;
			}
		}
	}

	/// `(Σ IoU + α, n - Σ IoU + β')` in parts per billion of an observation.
	fn odds(&self, prior: &BoxPrior) -> Result<(u128, u128), MathError> {
		if prior.agree == 0 || prior.disagree == 0 {
			return Err(MathError::InvalidParameter);
		}
		let per_unit = (NANO as u128) / PRIOR_UNIT as u128;
		let n = self.n as u128 * NANO as u128;
		let agree = (self.sum_agreement as u128).min(n);
		Ok((agree + prior.agree as u128 * per_unit, n - agree + prior.disagree as u128 * per_unit))
	}

	/// Expected agreement `m = (Σ IoU + α) / (n + α + β')`.
	pub fn mean_agreement(&self, prior: &BoxPrior) -> Result<Perbill, MathError> {
		let (a, d) = self.odds(prior)?;
		Ok(Perbill::from_rational(a, a + d))
	}

	/// Medoid vote weight `max(0, logit(m) - logit(baseline))` (see the module docs).
	pub fn weight(&self, prior: &BoxPrior, baseline: Perbill) -> Result<FixedU128, MathError> {
		let b = baseline.deconstruct() as u128;
		if b == 0 || b >= NANO as u128 {
			return Err(MathError::InvalidParameter);
		}
		let (a, d) = self.odds(prior)?;
		let l = ln_ratio(a.saturating_mul(NANO as u128 - b), d.saturating_mul(b))?.into_inner();
		Ok(FixedU128::from_inner((l.max(0) as u128).saturating_mul(NANO as u128)))
	}

	/// Voting power for reporting: `max(0, (m - baseline) / (1 - baseline))`.
	pub fn voting_power(&self, prior: &BoxPrior, baseline: Perbill) -> Result<Perbill, MathError> {
		if baseline.is_one() {
			return Err(MathError::InvalidParameter);
		}
		let m = self.mean_agreement(prior)?;
		Ok(Perbill::from_rational(
			m.deconstruct().saturating_sub(baseline.deconstruct()),
			Perbill::one().deconstruct() - baseline.deconstruct(),
		))
	}
}

/// Medoid weights for the labelers of one box item ([`BoxStats::weight`] each), ready for
/// [`crate::consensus_boxes`]; all ones if every weight is 0 (the unweighted medoid).
pub fn box_weights(
	stats: &[&BoxStats],
	prior: &BoxPrior,
	baseline: Perbill,
) -> Result<Vec<FixedU128>, MathError> {
	let weights = stats.iter().map(|s| s.weight(prior, baseline)).collect::<Result<Vec<_>, _>>()?;
	if weights.iter().all(|w| w.into_inner() == 0) {
		return Ok(alloc::vec![FixedU128::one(); weights.len()]);
	}
	Ok(weights)
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{box_iou, consensus_boxes, consensus_class, BoundingBox};
	use alloc::{vec, vec::Vec};
	use proptest::prelude::*;
	use sp_arithmetic::traits::{Saturating, Zero};

	/// xorshift64*: a small deterministic generator (no `rand` in this crate).
	struct Rng(u64);

	impl Rng {
		fn new(seed: u64) -> Self {
			Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
		}
		fn next(&mut self) -> u64 {
			let mut x = self.0;
			x ^= x >> 12;
			x ^= x << 25;
			x ^= x >> 27;
			self.0 = x;
			x.wrapping_mul(0x2545_F491_4F6C_DD1D)
		}
		fn below(&mut self, n: u64) -> u64 {
			self.next() % n
		}
		fn unit(&mut self) -> f64 {
			(self.next() >> 11) as f64 / (1u64 << 53) as f64
		}
		fn normal(&mut self) -> f64 {
			let u1 = self.unit().max(1e-300);
			let u2 = self.unit();
			(-2.0 * u1.ln()).sqrt() * (2.0 * core::f64::consts::PI * u2).cos()
		}
		/// `k` distinct indices below `n`.
		fn distinct(&mut self, n: usize, k: usize) -> Vec<usize> {
			let mut out = Vec::with_capacity(k);
			while out.len() < k {
				let i = self.below(n as u64) as usize;
				if !out.contains(&i) {
					out.push(i);
				}
			}
			out
		}
	}

	fn f_nano(x: FixedI64) -> f64 {
		x.into_inner() as f64 / 1e9
	}
	fn f_per(p: Perbill) -> f64 {
		p.deconstruct() as f64 / 1e9
	}
	fn f_fix(x: FixedU128) -> f64 {
		x.into_inner() as f64 / 1e18
	}
	fn int(x: u32) -> FixedU128 {
		FixedU128::saturating_from_integer(x)
	}

	// ----- logarithm -----

	#[test]
	fn ln_ratio_matches_f64() {
		let mut values: Vec<u128> = (1..=3000).collect();
		for k in 1..=100u32 {
			let p = 1u128 << k;
			values.extend([p - 1, p, p + 1, p + p / 3]);
		}
		let mut rng = Rng::new(7);
		for _ in 0..3000 {
			let shift = rng.below(64) as u32;
			values.push((rng.next() >> shift) as u128 + 1);
		}
		values.extend([u32::MAX as u128, u64::MAX as u128, u128::MAX]);
		let (mut worst, mut worst_rel, mut pairs) = (0f64, 0f64, 0usize);
		let len = values.len();
		for (i, &num) in values.iter().enumerate() {
			let partners = [
				1u128,
				3,
				1000,
				num.saturating_add(1),
				values[(i * 7919) % len],
				values[(i * 104_729 + 13) % len],
			];
			for den in partners {
				let got = f_nano(ln_ratio(num, den).unwrap());
				let want = (num as f64).ln() - (den as f64).ln();
				let err = (got - want).abs();
				worst = worst.max(err);
				if want.abs() > 1e-3 {
					worst_rel = worst_rel.max(err / want.abs());
				}
				pairs += 1;
			}
		}
		println!(
			"ln_ratio over {pairs} pairs: max abs error {worst:.3e}, max rel error (|ln| > 1e-3) \
			 {worst_rel:.3e}"
		);
		// Rounding to 1e-9 costs 0.5e-9; the f64 reference itself is off by up to ~1e-14.
		assert!(worst < 0.5e-9 + 1e-12, "max abs error {worst:e}");
		assert!(worst_rel < 1e-6, "max rel error {worst_rel:e}");
	}

	#[test]
	fn ln_ratio_known_values_and_errors() {
		assert_eq!(ln_ratio(1, 1), Ok(FixedI64::from_inner(0)));
		assert_eq!(ln_ratio(7, 7), Ok(FixedI64::from_inner(0)));
		// ln 2 = 0.693147180559945...
		assert_eq!(ln_ratio(2, 1), Ok(FixedI64::from_inner(693_147_181)));
		assert_eq!(ln_ratio(1, 2), Ok(FixedI64::from_inner(-693_147_181)));
		// ln 10 = 2.302585092994046
		assert_eq!(ln_ratio(10, 1), Ok(FixedI64::from_inner(2_302_585_093)));
		// ln(u128::MAX) = 128 ln 2 - tiny = 88.722839111672999
		assert_eq!(ln_ratio(u128::MAX, 1), Ok(FixedI64::from_inner(88_722_839_112)));
		// e ~= 271828182845904523536 / 10^20
		let e = ln_ratio(271_828_182_845_904_523_536, 100_000_000_000_000_000_000).unwrap();
		assert_eq!(e, FixedI64::from_inner(1_000_000_000));
		assert_eq!(ln_ratio(0, 5), Err(MathError::LogOfZero));
		assert_eq!(ln_ratio(5, 0), Err(MathError::LogOfZero));
	}

	// ----- classes: unit tests -----

	#[test]
	fn class_prior_figures() {
		let p4 = ClassPrior::default_for(4).unwrap();
		assert_eq!(
			p4,
			ClassPrior { diagonal: 2_800_000, off_diagonal: 400_000, errors: 8_000_000 }
		);
		let p2 = ClassPrior::default_for(2).unwrap();
		assert_eq!(
			p2,
			ClassPrior { diagonal: 2_800_000, off_diagonal: 1_200_000, errors: 8_000_000 }
		);
		// many classes: the off-diagonal pseudo-count stays positive
		let big = ClassPrior::default_for(u16::MAX).unwrap();
		assert_eq!(big, ClassPrior { diagonal: 2_800_000, off_diagonal: 18, errors: 8_000_000 });
		let tiny = ClassPrior::from_accuracy(u16::MAX, Perbill::one(), 0).unwrap();
		assert_eq!(tiny, ClassPrior { diagonal: 1, off_diagonal: 1, errors: 8_000_000 });
		assert_eq!(ClassPrior::default_for(1), Err(MathError::InvalidClass));
		// a fresh labeler's p(t | t) is the prior accuracy
		let m = ClassModel::new(4).unwrap();
		let l = f_nano(m.log_likelihood(2, 2, &p4).unwrap());
		assert!((l - 0.7f64.ln()).abs() < 1e-9, "{l}");
		let l = f_nano(m.log_likelihood(2, 0, &p4).unwrap());
		assert!((l - 0.1f64.ln()).abs() < 1e-9, "{l}");
	}

	#[test]
	fn record_and_halving() {
		let mut m = ClassModel::new(3).unwrap();
		for _ in 0..10 {
			m.record(1, 2, 1, 10).unwrap();
		}
		m.record(1, 0, 1, 10).unwrap();
		// row 1 = [1, 0, 10] totals 11 > 10: halved (rounding down) to [0, 0, 5]
		let ClassModel::Confusion { classes, counts } = m else { panic!("confusion") };
		assert_eq!(classes, 3);
		assert_eq!(&counts[3..6], &[0, 0, 5]);
		// a gold answer with the gold weight and an answer heavier than the cap
		m.record(0, 0, GOLD_WEIGHT, 10).unwrap();
		m.record(2, 2, 100, 10).unwrap(); // 100 -> 50 -> 25 -> 12 -> 6
		let ClassModel::Confusion { counts, .. } = m else { panic!("confusion") };
		assert_eq!(&counts[0..9], &[GOLD_WEIGHT, 0, 0, 0, 0, 5, 0, 0, 6]);
		assert!(counts[9..].iter().all(|&c| c == 0));
		// cap 0: no halving, counts saturate
		m.record(2, 1, u32::MAX, 0).unwrap();
		m.record(2, 1, 5, 0).unwrap();
		let ClassModel::Confusion { counts, .. } = m else { panic!("confusion") };
		assert_eq!(counts[7], u32::MAX);
		// out of range
		assert_eq!(m.record(3, 0, 1, 10), Err(MathError::InvalidClass));
		assert_eq!(m.record(0, 3, 1, 10), Err(MathError::InvalidClass));

		// one coin: the two counters are halved together
		let mut m = ClassModel::new(9).unwrap();
		assert!(matches!(m, ClassModel::OneCoin { classes: 9, correct: 0, wrong: 0 }));
		for i in 0..11u16 {
			m.record(i % 9, if i < 8 { i % 9 } else { 0 }, 1, 10).unwrap();
		}
		// 8 right (i = 0..7), then i = 8, 9 (truth 8, 0 -> answer 0: one wrong, one right),
		// i = 10 wrong: 9 right + 2 wrong = 11 > 10 -> halved to 4 + 1
		assert_eq!(m, ClassModel::OneCoin { classes: 9, correct: 4, wrong: 1 });
	}

	/// `ln Γ` in fixed point against reference values (Python's `math.lgamma`, below `1e-14`
	/// off), against its recurrence `ln Γ(x + 1) = ln Γ(x) + ln x` across the shift to
	/// Stirling's series at 16 and far beyond it, and against `ln (n − 1)!`.
	#[test]
	fn ln_gamma_matches_f64() {
		let at = |x: f64| ln_gamma_e18((x * PRIOR_UNIT as f64).round() as u128) as f64 / 1e18;
		let reference = [
			(1e-6, 13.81550998074943),
			(0.4, 0.7966778177017839),
			(0.5, 0.5723649429247004),
			(1.0, 0.0),
			(1.2, -0.08537409000331608),
			(2.8, 0.5167027919877465),
			(4.0, 1.7917594692280554),
			(7.5, 7.534364236758734),
			(15.999999, 27.899268642827597),
			(16.0, 27.89927138384089),
			(16.5, 29.27775451504082),
			(100.25, 360.2845596377643),
		];
		let mut worst = 0f64;
		for (x, want) in reference {
			worst = worst.max((at(x) - want).abs());
		}
		assert!(worst < 1e-10, "worst {worst:e}");
		// ln Γ(x + 1) − ln Γ(x) = ln x, for x from 10^-6 to 4.5 · 10^9: within 10^-11 plus
		// 10^-15 of ln Γ(x) (the logarithms' last digits, times z, in (z − ½) ln z).
		let mut rng = Rng::new(5);
		let mut worst = 0f64;
		for _ in 0..2_000 {
			let num = 1 + (rng.next() >> rng.below(64)) as u128 % (1u128 << 52);
			let (before, after) = (ln_gamma_e18(num), ln_gamma_e18(num + PRIOR_UNIT as u128));
			let ln_x = ln_e18(num) as i128 - LN_PRIOR_UNIT;
			let allowed = 1e7 + 1e-15 * before.abs().max(after.abs()) as f64;
			worst = worst.max(((after - before) - ln_x).abs() as f64 / allowed);
		}
		assert!(worst < 1.0, "worst recurrence error {worst} of the allowed");
		// ln Γ(n) = ln (n − 1)! for n up to 200.
		let mut ln_factorial = 0f64;
		for n in 1..=200u128 {
			let got = ln_gamma_e18(n * PRIOR_UNIT as u128) as f64 / 1e18;
			assert!((got - ln_factorial).abs() < 1e-10 + 1e-13 * ln_factorial, "n = {n}");
			ln_factorial += (n as f64).ln();
		}
		assert_eq!(ln_gamma_e18(0), 0);
		assert_eq!(ln_rising_e18(400_000, 7, 0), 0);
		assert_eq!(ln_e18(PRIOR_UNIT as u128) as i128, LN_PRIOR_UNIT);
	}

	/// `f64` reference of the log Bayes factor: rising factorials as sums of logarithms.
	fn f64_confusion_evidence(counts: &[u32], c: usize, prior: &ClassPrior) -> f64 {
		let unit = PRIOR_UNIT as f64;
		let rising = |x: f64, n: u64| (0..n).map(|i| (x + i as f64).ln()).sum::<f64>();
		let (d, o) = (prior.diagonal as f64 / unit, prior.off_diagonal as f64 / unit);
		let s = d + (c - 1) as f64 * o;
		let (mut matrix, mut right, mut all) = (0f64, 0u64, 0u64);
		for t in 0..c {
			let row = &counts[t * c..(t + 1) * c];
			for (a, &x) in row.iter().enumerate() {
				matrix += rising(if a == t { d } else { o }, x as u64);
			}
			let n_t: u64 = row.iter().map(|&x| x as u64).sum();
			matrix -= rising(s, n_t);
			right += row[t] as u64;
			all += n_t;
		}
		let wrong = all - right;
		let one_coin = rising(d, right) + rising((c - 1) as f64 * o, wrong)
			- rising(s, all)
			- wrong as f64 * ((c - 1) as f64).ln();
		matrix - one_coin
	}

	/// The log Bayes factor equals its `f64` definition over random counts (2 to 8 classes, up
	/// to a few hundred answers per cell), is 0 for a fresh model, and picks the model that
	/// explains the answers: one coin for labelers whose errors fall anywhere (honest ones of any
	/// accuracy, uniform spammers), the matrix for a swapper and for a labeler who always gives
	/// the same answer. A one-coin model has no matrix to compare.
	#[test]
	fn bayes_factor_picks_the_model_that_explains_the_answers() {
		let prior = ClassPrior::default_for(4).unwrap();
		let mut rng = Rng::new(17);
		let mut worst = 0f64;
		for _ in 0..300 {
			let c = 2 + rng.below(7) as u16;
			let prior = ClassPrior::default_for(c).unwrap();
			let mut m = ClassModel::new(c).unwrap();
			let n = c as usize;
			for _ in 0..rng.below(400) {
				let t = rng.below(n as u64) as u16;
				let a = if rng.below(3) == 0 { rng.below(n as u64) as u16 } else { t };
				m.record(t, a, 1 + rng.below(2) as u32, 0).unwrap();
			}
			let ClassModel::Confusion { counts, .. } = m else { panic!("confusion") };
			let want = f64_confusion_evidence(&counts[..n * n], n, &prior);
			let got = f_nano(m.confusion_evidence(&prior).unwrap());
			worst = worst.max((got - want).abs() / want.abs().max(1.0));
		}
		assert!(worst < 1e-8, "worst relative error {worst:e}");
		assert_eq!(
			ClassModel::new(4).unwrap().confusion_evidence(&prior).unwrap(),
			FixedI64::zero()
		);
		// Labelers of 4 classes, 60 answers each (15 per class), their errors as stated.
		let labeler = |answer: &dyn Fn(u16, u32) -> u16| {
			let mut m = ClassModel::new(4).unwrap();
			for k in 0..60u32 {
				let t = (k % 4) as u16;
				m.record(t, answer(t, k / 4), 1, 0).unwrap();
			}
			f_nano(m.confusion_evidence(&prior).unwrap())
		};
		// Honest, 80 % right, each error another wrong class.
		let honest = labeler(&|t, i| if i % 5 == 4 { (t + 1 + (i / 5) as u16 % 3) % 4 } else { t });
		// Uniform spammer: every class alike for every truth.
		let spammer = labeler(&|t, i| ((t as u32 + i) % 4) as u16);
		// Swaps classes 0 and 1, honest otherwise.
		let swapper = labeler(&|t, _| match t {
			0 => 1,
			1 => 0,
			t => t,
		});
		// Always answers class 0.
		let lazy = labeler(&|_, _| 0);
		// Attack: right on classes 0–2, never admits class 3 (its items get the other classes in
		// turn). One accuracy (75 %) would give its lies the weight of its right answers; the
		// matrix, which it keeps, reads an answer of 0, 1 or 2 as "maybe 3".
		let liar = labeler(&|t, i| if t == 3 { (i % 3) as u16 } else { t });
		assert!(honest < -5.0, "honest {honest}");
		assert!(spammer < -5.0, "spammer {spammer}");
		assert!(swapper > 5.0, "swapper {swapper}");
		assert!(lazy > 5.0, "lazy {lazy}");
		assert!(liar > 5.0, "liar {liar}");
		assert_eq!(
			ClassModel::new(9)
				.unwrap()
				.confusion_evidence(&ClassPrior::default_for(9).unwrap()),
			Err(MathError::InvalidClass)
		);
		let zero = ClassPrior { diagonal: 0, ..prior };
		assert_eq!(
			ClassModel::new(4).unwrap().confusion_evidence(&zero),
			Err(MathError::InvalidParameter)
		);
	}

	/// The selected table is the learned one when the matrix is favoured (exactly) and the
	/// one-coin model of the same counts otherwise (against its `f64` formula), filled only in
	/// the requested columns.
	#[test]
	fn selected_table_is_the_favoured_model() {
		let prior = ClassPrior::default_for(4).unwrap();
		// 40 answers, 35 right, the errors spread over the wrong classes: one coin.
		let mut honest = ClassModel::new(4).unwrap();
		for k in 0..40u16 {
			let t = k % 4;
			let a = if k % 7 == 6 { (t + 1 + k % 3) % 4 } else { t };
			honest.record(t, a, 1, 0).unwrap();
		}
		assert!(honest.confusion_evidence(&prior).unwrap() < FixedI64::zero());
		let table = honest.selected_log_table(&prior, 0b0101).unwrap();
		let ClassModel::Confusion { counts, .. } = honest else { panic!("confusion") };
		let right: u32 = (0..4).map(|t| counts[t * 4 + t]).sum();
		let all: u32 = counts[..16].iter().sum();
		let unit = PRIOR_UNIT as f64;
		let s = (prior.diagonal as f64 + 3.0 * prior.off_diagonal as f64) / unit;
		let p_right = (right as f64 + prior.diagonal as f64 / unit) / (all as f64 + s);
		let p_wrong = (1.0 - p_right) / 3.0;
		for t in 0..4u16 {
			for a in [0u16, 2] {
				let want = if t == a { p_right.ln() } else { p_wrong.ln() };
				let got = table.get(t, a).unwrap() as f64 / 1e9;
				assert!((got - want).abs() < 2e-9, "({t}, {a}): {got} vs {want}");
			}
			assert_eq!(table.get(t, 1), Err(MathError::InvalidClass));
		}
		assert_ne!(table, honest.log_table(&prior, 0b0101).unwrap());
		// A swapper keeps its matrix: the very table every package judgement uses.
		let mut swapper = ClassModel::new(4).unwrap();
		for k in 0..40u16 {
			let t = k % 4;
			swapper.record(t, [1, 0, 2, 3][t as usize], 1, 0).unwrap();
		}
		assert_eq!(
			swapper.selected_log_table(&prior, 0b1111).unwrap(),
			swapper.log_table(&prior, 0b1111).unwrap()
		);
		// So does a fresh labeler (log Bayes factor 0).
		let fresh = ClassModel::new(4).unwrap();
		assert_eq!(
			fresh.selected_log_table(&prior, 0b0011).unwrap(),
			fresh.log_table(&prior, 0b0011).unwrap()
		);
	}

	/// Moving an answer to another truth gives the model it would have had if the answer had
	/// been recorded against that truth (below the cap); a count never goes below 0, and a class
	/// out of range fails and changes nothing.
	#[test]
	fn moving_an_answer_equals_recording_it_against_the_new_truth() {
		let mut rng = Rng::new(11);
		for classes in [2u16, 4, 8, 9, 12] {
			for _ in 0..50 {
				let (mut moved, mut direct) =
					(ClassModel::new(classes).unwrap(), ClassModel::new(classes).unwrap());
				for _ in 0..rng.below(40) {
					let (t, a) =
						(rng.below(classes as u64) as u16, rng.below(classes as u64) as u16);
					moved.record(t, a, 1, 0).unwrap();
					direct.record(t, a, 1, 0).unwrap();
				}
				let from = rng.below(classes as u64) as u16;
				let to = rng.below(classes as u64) as u16;
				let a = rng.below(classes as u64) as u16;
				moved.record(from, a, 1, 0).unwrap();
				moved.move_answer(from, to, a).unwrap();
				direct.record(to, a, 1, 0).unwrap();
				assert_eq!(moved, direct, "{classes} classes: {from} -> {to}, answer {a}");
			}
		}
		// Nothing to take away: the old cell stays at 0, the new one still counts the answer.
		let mut m = ClassModel::new(3).unwrap();
		m.move_answer(0, 1, 2).unwrap();
		let ClassModel::Confusion { counts, .. } = m else { panic!("confusion") };
		assert_eq!(&counts[0..9], &[0, 0, 0, 0, 0, 1, 0, 0, 0]);
		let before = m;
		for (from, to, a) in [(3, 0, 0), (0, 3, 0), (0, 0, 3)] {
			assert_eq!(m.move_answer(from, to, a), Err(MathError::InvalidClass));
		}
		assert_eq!(m, before);
		let mut coin = ClassModel::new(9).unwrap();
		coin.move_answer(0, 1, 1).unwrap();
		assert_eq!(coin, ClassModel::OneCoin { classes: 9, correct: 1, wrong: 0 });
		coin.move_answer(1, 2, 1).unwrap();
		assert_eq!(coin, ClassModel::OneCoin { classes: 9, correct: 0, wrong: 1 });
		coin.move_answer(2, 3, 1).unwrap();
		assert_eq!(coin, ClassModel::OneCoin { classes: 9, correct: 0, wrong: 1 });
	}

	#[test]
	fn encoded_sizes_for_storage() {
		use codec::{Encode, MaxEncodedLen};
		assert_eq!(ClassModel::max_encoded_len(), 258);
		assert_eq!(ClassModel::new(4).unwrap().encode().len(), 258);
		assert_eq!(ClassModel::new(12).unwrap().encode().len(), 11);
		assert_eq!(ScoreStats::max_encoded_len(), 44);
		assert_eq!(BoxStats::max_encoded_len(), 12);
		assert_eq!(ClassPrior::max_encoded_len(), 12);
		let m = ClassModel::new(3).unwrap();
		assert_eq!(ClassModel::decode(&mut &m.encode()[..]), Ok(m));
	}

	#[test]
	fn class_model_fallback_and_bounds() {
		assert!(matches!(ClassModel::new(2), Ok(ClassModel::Confusion { classes: 2, .. })));
		assert!(matches!(ClassModel::new(8), Ok(ClassModel::Confusion { classes: 8, .. })));
		assert!(matches!(ClassModel::new(9), Ok(ClassModel::OneCoin { classes: 9, .. })));
		assert!(matches!(
			ClassModel::new(u16::MAX),
			Ok(ClassModel::OneCoin { classes: u16::MAX, .. })
		));
		assert_eq!(ClassModel::new(1), Err(MathError::InvalidClass));
		assert_eq!(ClassModel::new(0), Err(MathError::InvalidClass));
		// a malformed decoded value is refused, not indexed out of bounds
		let bad = ClassModel::Confusion { classes: 9, counts: [0; CONFUSION_CELLS] };
		let p = ClassPrior::default_for(9).unwrap();
		assert_eq!(bad.log_likelihood(0, 0, &p), Err(MathError::InvalidClass));
		assert_eq!(bad.voting_power(&p), Err(MathError::InvalidClass));
		let bad = ClassModel::OneCoin { classes: 5, correct: 0, wrong: 0 };
		assert_eq!(bad.voting_power(&p), Err(MathError::InvalidClass));
		// zero pseudo-counts are refused
		let m = ClassModel::new(4).unwrap();
		let zero = ClassPrior { diagonal: 0, off_diagonal: 1, errors: 1 };
		assert_eq!(m.log_likelihood(0, 0, &zero), Err(MathError::InvalidParameter));
		assert_eq!(infer_class(&[(0, &m)], &zero, None), Err(MathError::InvalidParameter));

		// u32::MAX everywhere: no overflow
		let p8 = ClassPrior::default_for(8).unwrap();
		let mut full = ClassModel::Confusion { classes: 8, counts: [u32::MAX; CONFUSION_CELLS] };
		let l = f_nano(full.log_likelihood(7, 3, &p8).unwrap());
		assert!((l - (1.0f64 / 8.0).ln()).abs() < 1e-6, "{l}");
		assert!(full.voting_power(&p8).unwrap() < Perbill::from_parts(1_000));
		let votes: Vec<(u16, &ClassModel)> = (0..16).map(|i| (i % 8, &full)).collect();
		let r = infer_class(&votes, &p8, Some(&[u32::MAX; 8])).unwrap();
		assert_eq!(r.class, 0);
		full.record(7, 7, u32::MAX, 0).unwrap();
		full.record(7, 7, u32::MAX, DEFAULT_CAP).unwrap();
		let ClassModel::Confusion { counts, .. } = full else { panic!("confusion") };
		assert!(counts[56..64].iter().map(|&c| c as u64).sum::<u64>() <= DEFAULT_CAP as u64);
		let p = ClassPrior::default_for(u16::MAX).unwrap();
		let coin = ClassModel::OneCoin { classes: u16::MAX, correct: u32::MAX, wrong: u32::MAX };
		assert!(coin.voting_power(&p).is_ok());
		assert!(coin.log_likelihood(0, u16::MAX - 1, &p).is_ok());
		let votes = [(3u16, &coin), (u16::MAX - 1, &coin)];
		assert_eq!(infer_class(&votes, &p, None).unwrap().class, 3);
		// the O(C) path with class counts over 65,535 classes
		let counts = vec![u32::MAX; u16::MAX as usize];
		assert_eq!(infer_class(&votes, &p, Some(&counts)).unwrap().class, 3);
	}

	#[test]
	fn infer_class_errors_ties_and_prior() {
		let p = ClassPrior::default_for(4).unwrap();
		let fresh = ClassModel::new(4).unwrap();
		let five = ClassModel::new(5).unwrap();
		assert_eq!(infer_class(&[], &p, None), Err(MathError::NoLabels));
		assert_eq!(infer_class(&[(4, &fresh)], &p, None), Err(MathError::InvalidClass));
		assert_eq!(infer_class(&[(0, &fresh), (0, &five)], &p, None), Err(MathError::InvalidClass));
		assert_eq!(
			infer_class(&[(0, &fresh)], &p, Some(&[1, 2, 3])),
			Err(MathError::LengthMismatch)
		);
		// a tie goes to the lowest class id, whatever the order of the votes
		let r = infer_class(&[(2, &fresh), (1, &fresh)], &p, None).unwrap();
		assert_eq!(r.class, 1);
		assert_eq!(r.agreement, vec![Perbill::zero(), Perbill::one()]);
		assert_eq!(infer_class(&[(1, &fresh), (2, &fresh)], &p, None).unwrap().class, 1);
		// two classes at 0.7 * 0.1 = 0.07 each, two at 0.01: confidence 7 / 16
		assert!((f_per(r.confidence) - 7.0 / 16.0).abs() < 1e-8, "{:?}", r.confidence);
		// three fresh labelers agree: 0.7^3 against 3 * 0.1^3 -> 343 / 346
		let r = infer_class(&[(3, &fresh), (3, &fresh), (3, &fresh)], &p, None).unwrap();
		assert_eq!(r.class, 3);
		assert!((f_per(r.confidence) - 343.0 / 346.0).abs() < 1e-8);
		// the class prior breaks the tie
		let counts = [10, 10, 500, 10];
		let r = infer_class(&[(2, &fresh), (1, &fresh)], &p, Some(&counts)).unwrap();
		assert_eq!(r.class, 2);
	}

	#[test]
	fn log_table_is_for_confusion_models() {
		let coin = ClassModel::new(20).unwrap();
		let p20 = ClassPrior::default_for(20).unwrap();
		assert_eq!(coin.log_table(&p20, 1), Err(MathError::InvalidClass));
		let fresh = ClassModel::new(4).unwrap();
		let p = ClassPrior::default_for(4).unwrap();
		let bad = ClassPrior { diagonal: 0, off_diagonal: 1, errors: 1 };
		assert_eq!(fresh.log_table(&bad, 1), Err(MathError::InvalidParameter));
		// A fresh model: ln 0.7 on the diagonal, ln 0.1 off it.
		let table = fresh.log_table(&p, 0b1010).unwrap();
		assert!(
			(f_nano(FixedI64::from_inner(table.get(1, 1).unwrap())) - 0.7f64.ln()).abs() < 1e-8
		);
		assert!(
			(f_nano(FixedI64::from_inner(table.get(0, 3).unwrap())) - 0.1f64.ln()).abs() < 1e-8
		);
		assert_eq!(table.get(0, 0), Err(MathError::InvalidClass));
		// The same consensus from tables as from the models.
		let other = ClassModel::new(5).unwrap().log_table(&ClassPrior::default_for(5).unwrap(), 2);
		let mixed = [(1u16, &table), (1u16, other.as_ref().unwrap())];
		assert_eq!(infer_class_tables(&mixed, None), Err(MathError::InvalidClass));
		assert_eq!(infer_class_tables(&[], None), Err(MathError::NoLabels));
		let votes = [(1u16, &table), (3u16, &table), (3u16, &table)];
		let from_models = infer_class(&[(1, &fresh), (3, &fresh), (3, &fresh)], &p, None).unwrap();
		assert_eq!(infer_class_tables(&votes, None).unwrap(), from_models);
		assert_eq!(from_models.class, 3);
	}

	#[test]
	fn one_coin_consensus() {
		let c = 20u16;
		let p = ClassPrior::default_for(c).unwrap();
		let fresh = ClassModel::new(c).unwrap();
		let r = infer_class(&[(5, &fresh), (7, &fresh), (5, &fresh)], &p, None).unwrap();
		assert_eq!(r.class, 5);
		assert_eq!(infer_class(&[(7, &fresh), (5, &fresh)], &p, None).unwrap().class, 5);
		// uniform class counts force the O(C) path: same winner, same confidence
		let votes = [(5, &fresh), (7, &fresh), (5, &fresh), (0, &fresh)];
		let fast = infer_class(&votes, &p, None).unwrap();
		let slow = infer_class(&votes, &p, Some(&[3; 20])).unwrap();
		assert_eq!(fast, slow);
		// an always-wrong labeler's vote rules its class out: an unvoted class wins, the lowest
		let liar = ClassModel::OneCoin { classes: c, correct: 0, wrong: 1000 };
		let r = infer_class(&[(0, &liar), (1, &liar)], &p, None).unwrap();
		assert_eq!(r.class, 2);
		assert!(r.confidence < Perbill::from_percent(10));
	}

	#[test]
	fn class_voting_power_figures() {
		let p = ClassPrior::default_for(4).unwrap();
		let with = |cells: [u32; 16]| {
			let mut counts = [0; CONFUSION_CELLS];
			counts[..16].copy_from_slice(&cells);
			ClassModel::Confusion { classes: 4, counts }
		};
		let vp = |m: &ClassModel| f_per(m.voting_power(&p).unwrap());
		let fresh = vp(&ClassModel::new(4).unwrap());
		let d = 1000;
		let perfect = vp(&with([d, 0, 0, 0, 0, d, 0, 0, 0, 0, d, 0, 0, 0, 0, d]));
		let swapper = vp(&with([0, d, 0, 0, d, 0, 0, 0, 0, 0, d, 0, 0, 0, 0, d]));
		let spammer = vp(&with([250; 16]));
		let constant = vp(&with([0, 0, d, 0, 0, 0, d, 0, 0, 0, d, 0, 0, 0, d, 0]));
		let (g, o) = (900, 33);
		let good = vp(&with([g, o, o, o, o, g, o, o, o, o, g, o, o, o, o, g]));
		println!(
			"class voting power: fresh {fresh:.3}, 90 % accurate {good:.3}, perfect {perfect:.3}, \
			 0<->1 swapper {swapper:.3}, uniform spammer {spammer:.4}, constant {constant:.4}"
		);
		assert!((fresh - 0.3219).abs() < 1e-3);
		assert!((good - 0.686).abs() < 0.01);
		assert!(perfect > 0.97 && swapper > 0.97);
		assert!(spammer < 0.001 && constant < 0.001);
		// one coin: a 1/C-accurate labeler is a spammer
		let c = 20;
		let p = ClassPrior::default_for(c).unwrap();
		let coin = |correct, wrong| {
			f_per(ClassModel::OneCoin { classes: c, correct, wrong }.voting_power(&p).unwrap())
		};
		assert!(coin(50, 950) < 0.001);
		assert!(coin(10_000, 0) > 0.99);
		let want = {
			let acc = 0.8f64;
			let cf = c as f64;
			(cf.ln() + acc * acc.ln() + (1.0 - acc) * ((1.0 - acc) / (cf - 1.0)).ln()) / cf.ln()
		};
		assert!((coin(800_000, 200_000) - want).abs() < 1e-4, "{want}");
	}

	#[test]
	fn error_shape_needs_repeated_errors() {
		// 4 classes; a labeler right 17 times in 20 on every class but class 0, where it
		// answered 8 times right and once "2".
		let p = ClassPrior::default_for(4).unwrap();
		let mut counts = [0u32; CONFUSION_CELLS];
		for t in 1..4 {
			counts[t * 4 + t] = 17;
			counts[t * 4 + (t + 1) % 4] = 3;
		}
		counts[0] = 8;
		counts[2] = 1;
		let m = ClassModel::Confusion { classes: 4, counts };
		let prob = |t: u16, a: u16| f_nano(m.log_likelihood(t, a, &p).unwrap()).exp();
		// The one "2" makes that confusion likelier than "1" or "3", but not several times:
		// (1 + 8/3) / (8/3) = 1.375 (spec 104's row prior: (1 + 0.20) / 0.20 = 5.9, with the
		// labeler's accuracy α = 61.8 / 73 and 4 (1 − α) / 3 = 0.20 pseudo-errors per cell).
		let ratio = prob(0, 2) / prob(0, 1);
		assert!((ratio - 1.375).abs() < 1e-6, "{ratio}");
		assert!((prob(0, 1) - prob(0, 3)).abs() < 1e-9);
		// The row sums to 1.
		let row: f64 = (0..4).map(|a| prob(0, a)).sum();
		assert!((row - 1.0).abs() < 1e-6, "{row}");
		// A labeler who answered "1" to each of 10 class-0 items is a swapper: its errors all
		// land in one cell, which now dominates its row: it answers "1" to a class-0 item more
		// than five times as often as the first labeler is expected to.
		let mut swap = counts;
		swap[0] = 0;
		swap[1] = 10;
		swap[2] = 0;
		let s = ClassModel::Confusion { classes: 4, counts: swap };
		let sp = |t: u16, a: u16| f_nano(s.log_likelihood(t, a, &p).unwrap()).exp();
		// q(1) = (10 + 8/3) / 18, q(2) = (8/3) / 18: 4.75 times likelier.
		assert!(sp(0, 1) > 0.5, "{}", sp(0, 1));
		assert!((sp(0, 1) / sp(0, 2) - 4.75).abs() < 1e-6, "{} {}", sp(0, 1), sp(0, 2));
		assert!(sp(0, 1) > 5.0 * prob(0, 1), "{} {}", sp(0, 1), prob(0, 1));
	}

	#[test]
	fn voting_power_matches_f64_mutual_information() {
		let p = ClassPrior::default_for(5).unwrap();
		let mut rng = Rng::new(99);
		for _ in 0..50 {
			let mut counts = [0u32; CONFUSION_CELLS];
			for c in counts.iter_mut().take(25) {
				*c = rng.below(300) as u32;
			}
			let m = ClassModel::Confusion { classes: 5, counts };
			let got = f_per(m.voting_power(&p).unwrap());
			// Each row's accuracy under a prior of strength 4 centred on the labeler's own
			// accuracy over all rows (itself under the default prior, 2.8 right of 4); its errors
			// shared out by their own counts under 8 pseudo-errors spread evenly (2 per class).
			let all: f64 = counts.iter().take(25).map(|&c| c as f64).sum();
			let right: f64 = (0..5).map(|t| counts[t * 6] as f64).sum();
			let alpha = (right + 2.8) / (all + 4.0);
			let prob = |t: usize, a: usize| {
				let row: f64 = counts[t * 5..t * 5 + 5].iter().map(|&c| c as f64).sum();
				let diag = counts[t * 6] as f64;
				let alpha_t = (diag + 4.0 * alpha) / (row + 4.0);
				if t == a {
					alpha_t
				} else {
					(1.0 - alpha_t) * (counts[t * 5 + a] as f64 + 2.0) / (row - diag + 8.0)
				}
			};
			let mut mi = 0.0;
			for a in 0..5 {
				let q: f64 = (0..5).map(|t| prob(t, a)).sum::<f64>() / 5.0;
				for t in 0..5 {
					mi += prob(t, a) * (prob(t, a) / q).ln() / 5.0;
				}
			}
			let want = mi / 5f64.ln();
			assert!((got - want).abs() < 1e-6, "{got} vs {want}");
		}
	}

	// ----- classes: a simulated crowd -----

	struct CrowdResult {
		online: f64,
		majority: f64,
		power: Vec<(u8, f64)>,
	}

	/// Workers: kind 0 good (90 % right, errors uniform), 1 uniform spammer, 2 confused (swaps
	/// classes 0 and 1, otherwise like a good worker).
	fn class_crowd(classes: u16, kinds: &[u8], items: usize, seed: u64) -> CrowdResult {
		let mut rng = Rng::new(seed);
		let prior = ClassPrior::default_for(classes).unwrap();
		let mut models = vec![ClassModel::new(classes).unwrap(); kinds.len()];
		let c = classes as u64;
		let (mut online, mut majority) = (0usize, 0usize);
		for _ in 0..items {
			let truth = rng.below(c) as u16;
			let workers = rng.distinct(kinds.len(), 5);
			let answers: Vec<u16> = workers
				.iter()
				.map(|&w| {
					let meant = match (kinds[w], truth) {
						(1, _) => return rng.below(c) as u16,
						(2, 0) => 1,
						(2, 1) => 0,
						_ => truth,
					};
					if rng.unit() < 0.9 {
						meant
					} else {
						// a uniformly random other class
						let k = rng.below(c - 1) as u16;
						if k >= meant {
							k + 1
						} else {
							k
						}
					}
				})
				.collect();
			let mv: Vec<(u16, FixedU128)> =
				answers.iter().map(|&a| (a, FixedU128::one())).collect();
			if consensus_class(&mv).unwrap().class == truth {
				majority += 1;
			}
			let votes: Vec<(u16, &ClassModel)> =
				answers.iter().zip(&workers).map(|(&a, &w)| (a, &models[w])).collect();
			let r = infer_class(&votes, &prior, None).unwrap();
			if r.class == truth {
				online += 1;
			}
			for (&a, &w) in answers.iter().zip(&workers) {
				models[w].record(r.class, a, 1, DEFAULT_CAP).unwrap();
			}
		}
		let power = kinds
			.iter()
			.zip(&models)
			.map(|(&k, m)| (k, f_per(m.voting_power(&prior).unwrap())))
			.collect();
		CrowdResult {
			online: online as f64 / items as f64,
			majority: majority as f64 / items as f64,
			power,
		}
	}

	fn summary(power: &[(u8, f64)], kind: u8) -> (f64, f64, f64) {
		let v: Vec<f64> = power.iter().filter(|(k, _)| *k == kind).map(|(_, p)| *p).collect();
		let min = v.iter().copied().fold(f64::MAX, f64::min);
		let max = v.iter().copied().fold(f64::MIN, f64::max);
		(min, v.iter().sum::<f64>() / v.len() as f64, max)
	}

	#[test]
	fn class_crowd_spammers_lose_their_vote() {
		// 50 workers: 60 % good, 20 % uniform spammers, 20 % confused; 2,000 items, R = 5.
		let kinds: Vec<u8> = (0..50)
			.map(|i| {
				if i < 30 {
					0
				} else if i < 40 {
					1
				} else {
					2
				}
			})
			.collect();
		for seed in [2024, 1, 2] {
			let r = class_crowd(4, &kinds, 2_000, seed);
			let (g, s, c) = (summary(&r.power, 0), summary(&r.power, 1), summary(&r.power, 2));
			println!(
				"classes (C = 4, 2000 items, R = 5, seed {seed}): online Dawid-Skene accuracy \
				 {:.4}, majority vote {:.4}",
				r.online, r.majority
			);
			println!(
				"  voting power min/mean/max: good {g:.3?}, spammers {s:.4?}, confused {c:.3?}"
			);
			assert!(s.2 < 0.05, "spammer voting power {s:?}");
			assert!(g.0 > 0.5, "good voting power {g:?}");
			assert!(c.1 > 0.5, "confused workers are informative once translated: {c:?}");
			assert!(r.online > r.majority + 0.03, "{} vs {}", r.online, r.majority);
		}
	}

	#[test]
	fn one_coin_crowd() {
		// 12 classes (one-coin model): 30 good, 10 spammers; 1,000 items, R = 5.
		let kinds: Vec<u8> = (0..40).map(|i| if i < 30 { 0 } else { 1 }).collect();
		let r = class_crowd(12, &kinds, 1_000, 77);
		let (g, s) = (summary(&r.power, 0), summary(&r.power, 1));
		println!(
			"classes (C = 12, one coin, 1000 items): online accuracy {:.4}, majority vote {:.4}; \
			 power good {g:.3?}, spammers {s:.4?}",
			r.online, r.majority
		);
		assert!(s.2 < 0.05 && g.0 > 0.5);
		assert!(r.online >= r.majority);
	}

	// ----- scores -----

	/// The calibration line of `(t, x, w)` answers (relative units) under `prior`, in `f64`: the
	/// reference [`ScoreStats::line`] must match.
	fn line_f64(data: &[(f64, f64, f64)], prior: &ScorePrior) -> (f64, f64, f64) {
		let k0 = prior.strength as f64 / PRIOR_UNIT as f64;
		let v0 = f_per(prior.variance);
		let s = 1.0 / 12f64.sqrt();
		let mut pts: Vec<(f64, f64, f64)> = data.iter().map(|&(t, x, w)| (t, x - t, w)).collect();
		pts.push((0.5 - s, 0.0, k0 / 2.0));
		pts.push((0.5 + s, 0.0, k0 / 2.0));
		let n: f64 = pts.iter().map(|p| p.2).sum();
		let mt = pts.iter().map(|p| p.0 * p.2).sum::<f64>() / n;
		let mr = pts.iter().map(|p| p.1 * p.2).sum::<f64>() / n;
		let ctt: f64 = pts.iter().map(|p| p.2 * (p.0 - mt).powi(2)).sum();
		let ctr: f64 = pts.iter().map(|p| p.2 * (p.0 - mt) * (p.1 - mr)).sum();
		let gamma = (ctr / ctt).clamp(-2.0, 2.0);
		let c = mr - gamma * mt;
		let sse: f64 = pts.iter().map(|p| p.2 * (p.1 - c - gamma * p.0).powi(2)).sum();
		let n_data: f64 = data.iter().map(|p| p.2).sum();
		let v = ((sse + k0 * v0) / (n_data + k0)).clamp(1e-4, 1.0);
		(c, 1.0 + gamma, v)
	}

	fn line_figures(s: &ScoreStats, prior: &ScorePrior) -> (f64, f64, f64) {
		let l = s.line(prior);
		(l.intercept as f64 / 1e9, l.slope as f64 / 1e9, l.variance as f64 / 1e9)
	}

	#[test]
	fn score_line_matches_f64_least_squares() {
		let range = ScoreRange::new(int(0), int(100)).unwrap();
		let prior = ScorePrior::default();
		let mut rng = Rng::new(17);
		for case in 0..40 {
			let (c, beta, sd) =
				(-30.0 + 60.0 * rng.unit(), -0.5 + 2.0 * rng.unit(), 1.0 + 20.0 * rng.unit());
			let mut stats = ScoreStats::default();
			let mut data = Vec::new();
			for _ in 0..(1 + rng.below(120)) {
				let t = rng.below(101) as f64;
				let x = (c + beta * t + sd * rng.normal()).round().clamp(0.0, 100.0);
				let w = if rng.below(10) == 0 { SCORE_GOLD_WEIGHT } else { 1 };
				stats.record(int(x as u32), int(t as u32), &range, w, 0).unwrap();
				data.push((t / 100.0, x / 100.0, w as f64));
			}
			let (c0, b0, v0) = line_f64(&data, &prior);
			let (c1, b1, v1) = line_figures(&stats, &prior);
			assert!(
				(c0 - c1).abs() < 1e-6 && (b0 - b1).abs() < 1e-6 && (v0 - v1).abs() < 1e-6,
				"case {case}: f64 ({c0}, {b0}, {v0}) vs ({c1}, {b1}, {v1})"
			);
		}
	}

	#[test]
	fn score_stats_line_weight_and_power() {
		let stars = ScoreRange::stars();
		let prior = ScorePrior::default();
		let fresh = ScoreStats::default();
		assert_eq!(fresh.bias(&prior), FixedI64::from_inner(0));
		assert_eq!(fresh.slope(&prior), FixedI64::from_inner(1_000_000_000));
		assert_eq!(fresh.variance(&prior), Perbill::from_percent(5));
		assert_eq!(fresh.voting_power(&prior), Perbill::from_percent(40));
		// always one star high (truth 1..4)
		let mut high = ScoreStats::default();
		let mut data = Vec::new();
		for i in 0..200u32 {
			let t = 1 + i % 4;
			high.record(int(t + 1), int(t), &stars, 1, DEFAULT_CAP).unwrap();
			data.push(((t - 1) as f64 / 4.0, t as f64 / 4.0, 1.0));
		}
		let (c, beta, _) = line_f64(&data, &prior);
		let b = f_nano(high.bias(&prior));
		assert!((b - (c + (beta - 1.0) / 2.0)).abs() < 1e-6, "bias {b}");
		assert!((b - 0.25).abs() < 0.01 && (beta - 1.0).abs() < 0.01, "bias {b}, slope {beta}");
		assert!(high.voting_power(&prior) > Perbill::from_percent(98));
		// corrected, its lone vote of 5 stars means 4
		let r = infer_score(&[(int(5), &high)], &stars, &prior, false).unwrap();
		let expected = 1.0 + 4.0 * (1.0 - c) / beta;
		assert!((f_fix(r.value) - expected).abs() < 1e-6, "{:?} vs {expected}", r.value);
		assert!((f_fix(r.value) - 4.0).abs() < 0.05);
		// uniform random answers against a uniform truth: no slope, no vote
		let mut rng = Rng::new(3);
		let mut random = ScoreStats::default();
		for _ in 0..400 {
			let (x, t) = (1 + rng.below(5) as u32, 1 + rng.below(5) as u32);
			random.record(int(x), int(t), &stars, 1, DEFAULT_CAP).unwrap();
		}
		let v = f_per(random.variance(&prior));
		println!(
			"stars: +1 labeler bias {b:.4} widths, weight {:.0}; random labeler variance {v:.4}, \
			 slope {:.3}, weight {:.2}, power {:?}",
			f_fix(high.weight(&prior)),
			f_nano(random.slope(&prior)),
			f_fix(random.weight(&prior)),
			random.voting_power(&prior)
		);
		assert!((v - 0.125).abs() < 0.02, "{v}");
		assert_eq!(random.voting_power(&prior), Perbill::zero());
		assert!(high.weight(&prior) > random.weight(&prior).saturating_mul(int(100)));
	}

	#[test]
	fn constant_rater_has_no_vote_and_a_squeezed_scale_is_stretched() {
		let range = ScoreRange::new(int(0), int(100)).unwrap();
		let prior = ScorePrior::default();
		let mut rng = Rng::new(5);
		let (mut lazy, mut squeezed, mut honest) =
			(ScoreStats::default(), ScoreStats::default(), ScoreStats::default());
		for _ in 0..300 {
			let t = 10 + rng.below(81) as u32;
			// always 60, the centre of the truths: under the old bias-and-noise model its
			// variance was the truth's (about 0.05), an honest rater's weight of 4.5 points noise
			lazy.record(int(60), int(t), &range, 1, DEFAULT_CAP).unwrap();
			// half the scale around 50, 2 points of noise
			let x = (50.0 + (t as f64 - 50.0) / 2.0 + 2.0 * rng.normal()).round() as u32;
			squeezed.record(int(x), int(t), &range, 1, DEFAULT_CAP).unwrap();
			let x = (t as f64 + 4.0 * rng.normal()).round().clamp(0.0, 100.0) as u32;
			honest.record(int(x), int(t), &range, 1, DEFAULT_CAP).unwrap();
		}
		let slope = |s: &ScoreStats| f_nano(s.slope(&prior));
		println!(
			"slopes: lazy {:.3}, squeezed {:.3}, honest {:.3}",
			slope(&lazy),
			slope(&squeezed),
			slope(&honest)
		);
		assert!(slope(&lazy).abs() < 0.05 && lazy.weight(&prior) == FixedU128::zero());
		assert_eq!(lazy.voting_power(&prior), Perbill::zero());
		assert!((slope(&squeezed) - 0.5).abs() < 0.05 && (slope(&honest) - 1.0).abs() < 0.05);
		// The squeezed rater's 70 means 90; the lazy 60 counts for nothing.
		let r =
			infer_score(&[(int(70), &squeezed), (int(60), &lazy)], &range, &prior, true).unwrap();
		assert!((f_fix(r.value) - 90.0).abs() < 2.0, "{:?}", r.value);
		// With an honest 30: the squeezed 40 (meaning 30) agrees, the lazy 60 is ignored.
		let r = infer_score(
			&[(int(30), &honest), (int(40), &squeezed), (int(60), &lazy)],
			&range,
			&prior,
			true,
		)
		.unwrap();
		assert!((f_fix(r.value) - 30.0).abs() < 2.0, "{:?}", r.value);
		// A reversed rater (100 − t) is not read backwards: no vote at all.
		let mut reversed = ScoreStats::default();
		for _ in 0..300 {
			let t = 10 + rng.below(81) as u32;
			reversed.record(int(100 - t), int(t), &range, 1, DEFAULT_CAP).unwrap();
		}
		assert!(f_nano(reversed.slope(&prior)) < -0.9);
		assert_eq!(reversed.weight(&prior), FixedU128::from_inner(0));
		assert_eq!(reversed.voting_power(&prior), Perbill::zero());
		// Its 70 (meaning 30 if read backwards) changes nothing next to an honest 30.
		let alone = infer_score(&[(int(30), &honest)], &range, &prior, true).unwrap();
		let r =
			infer_score(&[(int(30), &honest), (int(70), &reversed)], &range, &prior, true).unwrap();
		assert_eq!(r, alone);
		// Nobody with a vote: every answer alike.
		let r = infer_score(&[(int(60), &lazy), (int(20), &lazy)], &range, &prior, true).unwrap();
		assert_eq!(r.value, int(40));
	}

	#[test]
	fn statistics_from_residuals_keep_the_old_model() {
		// The model stored before spec 106 (bias b = Σr / (n + k0), variance of the residuals
		// around b) becomes a line of slope 1 with the same bias and, up to the prior's k0 b² / N
		// term, the same variance.
		let prior = ScorePrior::default();
		let k0 = 3.0;
		for (n, sum_r, sum_sq) in [
			(0u32, 0i64, 0u64),
			(10, 2_500_000_000, 700_000_000),
			(400, -60_000_000_000, 9_000_000_000),
		] {
			let s = ScoreStats::from_residuals(n, sum_r, sum_sq);
			let (c, beta, v) = line_figures(&s, &prior);
			let nn = n as f64;
			let b = sum_r as f64 / 1e9 / (nn + k0);
			let ss = sum_sq as f64 / 1e9 - 2.0 * b * sum_r as f64 / 1e9 + nn * b * b;
			let old_v = ((ss + k0 * 0.05) / (nn + k0)).clamp(1e-4, 1.0);
			assert!((beta - 1.0).abs() < 1e-8, "slope {beta}");
			assert!((c - b).abs() < 1e-8, "bias {c} vs {b}");
			assert!((v - old_v - k0 * b * b / (nn + k0)).abs() < 1e-8, "variance {v} vs {old_v}");
		}
	}

	#[test]
	fn huber_step_caps_votes_beyond_1_345_sigma() {
		// 0–100 ratings; three labelers of noise variance 0.01 (σ = 10 points, no bias).
		let range = ScoreRange::new(int(0), int(100)).unwrap();
		let prior = ScorePrior { strength: PRIOR_UNIT, variance: Perbill::from_percent(1) };
		let s = ScoreStats::default();
		let vote = |xs: [u32; 3]| {
			let votes: Vec<(FixedU128, &ScoreStats)> = xs.iter().map(|&x| (int(x), &s)).collect();
			f_fix(infer_score(&votes, &range, &prior, true).unwrap().value)
		};
		// 40, 50, 60: the mean 50; every vote within 1.345 σ: kept as it is.
		assert!((vote([40, 50, 60]) - 50.0).abs() < 1e-6);
		// 50, 50, 80: mean 60; the 80 is 20 points (2 σ) away, its weight scaled by
		// 13.45 / 20 (with K = 2 it would have kept its full weight and the consensus 60).
		let w = 13.45 / 20.0;
		let expected = (50.0 + 50.0 + 80.0 * w) / (2.0 + w);
		let got = vote([50, 50, 80]);
		assert!((got - expected).abs() < 1e-4, "{got} vs {expected}");
		assert!(got < 59.0);
	}

	#[test]
	fn score_errors_bounds_and_halving() {
		let stars = ScoreRange::stars();
		let prior = ScorePrior::default();
		let s = ScoreStats::default();
		assert_eq!(infer_score(&[], &stars, &prior, true), Err(MathError::NoLabels));
		assert_eq!(
			infer_score(&[(int(6), &s)], &stars, &prior, false),
			Err(MathError::InvalidParameter)
		);
		assert_eq!(ScoreRange::new(int(5), int(1)), Err(MathError::InvalidParameter));
		assert_eq!(ScoreRange::new(int(5), int(5)), Err(MathError::InvalidParameter));
		let mut t = ScoreStats::default();
		assert_eq!(t.record(int(0), int(3), &stars, 1, 10), Err(MathError::InvalidParameter));
		// halving: n rounds up, sums round down
		for _ in 0..11 {
			t.record(int(5), int(1), &stars, 1, 10).unwrap();
		}
		// (truth 1 is 0 relative: the truth sums stay 0)
		assert_eq!(
			t,
			ScoreStats {
				n: 6,
				sum_residual: 5_500_000_000,
				sum_sq_residual: 5_500_000_000,
				..Default::default()
			}
		);
		// extreme (e.g. decoded, inconsistent) values: clamped, no panic
		for wild in [
			ScoreStats {
				n: u32::MAX,
				sum_residual: i64::MIN,
				sum_sq_residual: u64::MAX,
				sum_truth: u64::MAX,
				sum_sq_truth: 0,
				sum_truth_residual: i64::MAX,
			},
			ScoreStats {
				n: 1,
				sum_residual: i64::MAX,
				sum_sq_residual: 0,
				sum_truth: 0,
				sum_sq_truth: u64::MAX,
				sum_truth_residual: i64::MIN,
			},
		] {
			let l = wild.line(&prior);
			assert!((-1_000_000_000..=3_000_000_000).contains(&l.slope), "{l:?}");
			assert!((-3_000_000_000..=3_000_000_000).contains(&l.intercept), "{l:?}");
			assert!(wild.variance(&prior) <= Perbill::one());
			assert!(wild.variance(&prior) >= MIN_SCORE_VARIANCE);
			let r = infer_score(&[(int(1), &wild), (int(5), &s)], &stars, &prior, true).unwrap();
			assert!(r.value >= int(1) && r.value <= int(5));
		}
		let wild = ScoreStats {
			n: u32::MAX,
			sum_residual: i64::MIN,
			sum_sq_residual: u64::MAX,
			..Default::default()
		};
		let zero = ScorePrior { strength: 0, variance: Perbill::zero() };
		assert_eq!(s.variance(&zero), MIN_SCORE_VARIANCE);
		let r = infer_score(&[(int(1), &wild), (int(5), &s)], &stars, &zero, true).unwrap();
		assert!(r.value >= int(1) && r.value <= int(5));
		let mut w = wild;
		w.record(int(5), int(1), &stars, u32::MAX, 0).unwrap();
		w.record(int(1), int(5), &stars, u32::MAX, DEFAULT_CAP).unwrap();
		assert!(w.n <= DEFAULT_CAP);
	}

	struct ScoreCrowd {
		online: f64,
		mean: f64,
		median: f64,
		power: Vec<(u8, f64)>,
		bias: Vec<(u8, f64)>,
	}

	/// 0-100 ratings, truth uniform in `[10, 90]`. Workers: kind 0 good (noise sd 4), 1 biased
	/// (+15, sd 4), 2 noisy (sd 20), 3 uniform spammers. Every 20th item is gold (updates with the
	/// truth, weight 4, not scored).
	fn score_crowd(refine: bool, items: usize, seed: u64) -> ScoreCrowd {
		let kinds: Vec<u8> = (0..50u8).map(|i| [0, 0, 1, 2, 3][(i % 5) as usize]).collect();
		let range = ScoreRange::new(int(0), int(100)).unwrap();
		let prior = ScorePrior::default();
		let mut stats = vec![ScoreStats::default(); kinds.len()];
		let mut rng = Rng::new(seed);
		let (mut se_online, mut se_mean, mut se_median, mut scored) = (0f64, 0f64, 0f64, 0usize);
		for item in 0..items {
			let truth = 10.0 + 80.0 * rng.unit();
			let workers = rng.distinct(kinds.len(), 5);
			let answers: Vec<u32> = workers
				.iter()
				.map(|&w| {
					let x = match kinds[w] {
						0 => truth + 4.0 * rng.normal(),
						1 => truth + 15.0 + 4.0 * rng.normal(),
						2 => truth + 20.0 * rng.normal(),
						_ => rng.below(101) as f64,
					};
					x.round().clamp(0.0, 100.0) as u32
				})
				.collect();
			if item % 20 == 0 {
				let t = FixedU128::from_rational((truth * 1e6) as u128, 1_000_000);
				for (&a, &w) in answers.iter().zip(&workers) {
					stats[w].record(int(a), t, &range, SCORE_GOLD_WEIGHT, DEFAULT_CAP).unwrap();
				}
				continue;
			}
			let votes: Vec<(FixedU128, &ScoreStats)> =
				answers.iter().zip(&workers).map(|(&a, &w)| (int(a), &stats[w])).collect();
			let r = infer_score(&votes, &range, &prior, refine).unwrap();
			let mean = answers.iter().map(|&a| a as f64).sum::<f64>() / 5.0;
			let mut sorted = answers.clone();
			sorted.sort();
			se_online += (f_fix(r.value) - truth).powi(2);
			se_mean += (mean - truth).powi(2);
			se_median += (sorted[2] as f64 - truth).powi(2);
			scored += 1;
			for (&a, &w) in answers.iter().zip(&workers) {
				stats[w].record(int(a), r.value, &range, 1, DEFAULT_CAP).unwrap();
			}
		}
		let n = scored as f64;
		ScoreCrowd {
			online: (se_online / n).sqrt(),
			mean: (se_mean / n).sqrt(),
			median: (se_median / n).sqrt(),
			power: kinds
				.iter()
				.zip(&stats)
				.map(|(&k, s)| (k, f_per(s.voting_power(&prior))))
				.collect(),
			bias: kinds
				.iter()
				.zip(&stats)
				.map(|(&k, s)| (k, 100.0 * f_nano(s.bias(&prior))))
				.collect(),
		}
	}

	#[test]
	fn score_crowd_beats_mean_and_median() {
		for (refine, seed) in [(false, 11), (true, 11), (false, 12), (true, 12), (true, 13)] {
			let r = score_crowd(refine, 2_000, seed);
			let (g, b, n, s) = (
				summary(&r.power, 0),
				summary(&r.power, 1),
				summary(&r.power, 2),
				summary(&r.power, 3),
			);
			println!(
				"scores 0-100 (2000 items, 5 % gold, refine = {refine}, seed {seed}): RMSE online \
				 {:.3}, mean {:.3}, median {:.3}",
				r.online, r.mean, r.median
			);
			println!(
				"  voting power min/mean/max: good {g:.3?}, biased {b:.3?}, noisy {n:.3?}, \
				 spammers {s:.3?}; bias (points): good {:.2?}, biased {:.2?}",
				summary(&r.bias, 0),
				summary(&r.bias, 1)
			);
			assert!(
				r.online < r.mean && r.online < r.median,
				"{} {} {}",
				r.online,
				r.mean,
				r.median
			);
			assert!(s.2 < 0.05, "spammers {s:?}");
			assert!(g.0 > 0.5 && b.0 > 0.5, "good {g:?} biased {b:?}");
			assert!(n.2 < g.0, "noisy {n:?} good {g:?}");
			// Biases are learned against the crowd's consensus (5 % gold fixes the origin only
			// weakly): the identifiable figure is the biased workers' bias over the good ones'.
			let (bias, good_bias) = (summary(&r.bias, 1), summary(&r.bias, 0));
			assert!(bias.1 > 10.0, "biased workers' bias {bias:?}");
			assert!(
				(bias.1 - good_bias.1 - 15.0).abs() < 1.5,
				"biased workers' bias {bias:?} over the good ones' {good_bias:?}"
			);
		}
	}

	// ----- boxes -----

	#[test]
	fn box_weight_figures_and_errors() {
		let prior = BoxPrior::default();
		let half = DEFAULT_BOX_BASELINE;
		// logit(1/3) = −ln 2: a labeler's weight is ln 2 above its agreement's log-odds.
		let ln2 = 2f64.ln();
		let fresh = BoxStats::default();
		let w = f_fix(fresh.weight(&prior, half).unwrap());
		assert!((w - (0.7f64 / 0.3).ln() - ln2).abs() < 1e-8, "{w}");
		// (0.7 − 1/3) / (1 − 1/3) = 0.55
		assert_eq!(fresh.voting_power(&prior, half).unwrap(), Perbill::from_parts(550_000_000));
		// A loose labeler (mean IoU 0.5) keeps a weight of ln 2.
		let mut loose = BoxStats::default();
		for _ in 0..1_000 {
			loose.record(Perbill::from_percent(50), 1, 0);
		}
		let w = f_fix(loose.weight(&prior, half).unwrap());
		assert!((w - ((500.0 + 2.8f64) / (500.0 + 1.2)).ln() - ln2).abs() < 1e-8, "{w}");
		let (mut good, mut spam) = (BoxStats::default(), BoxStats::default());
		for _ in 0..100 {
			good.record(Perbill::from_percent(90), 1, DEFAULT_CAP);
			spam.record(Perbill::from_percent(2), 1, DEFAULT_CAP);
		}
		let m: f64 = (90.0 + 2.8) / 104.0;
		let w = f_fix(good.weight(&prior, half).unwrap());
		assert!((w - (m / (1.0 - m)).ln() - ln2).abs() < 1e-8, "{w}");
		assert_eq!(spam.weight(&prior, half).unwrap(), FixedU128::zero());
		assert_eq!(spam.voting_power(&prior, half).unwrap(), Perbill::zero());
		// all zero: equal weights (the unweighted medoid)
		assert_eq!(box_weights(&[&spam, &spam], &prior, half).unwrap(), vec![FixedU128::one(); 2]);
		let ws = box_weights(&[&spam, &good], &prior, half).unwrap();
		assert_eq!(ws[0], FixedU128::zero());
		assert!(ws[1] > FixedU128::one());
		// parameters
		assert_eq!(fresh.weight(&prior, Perbill::zero()), Err(MathError::InvalidParameter));
		assert_eq!(fresh.weight(&prior, Perbill::one()), Err(MathError::InvalidParameter));
		assert_eq!(fresh.voting_power(&prior, Perbill::one()), Err(MathError::InvalidParameter));
		let zero = BoxPrior { agree: 0, disagree: 1 };
		assert_eq!(fresh.mean_agreement(&zero), Err(MathError::InvalidParameter));
		// halving keeps the sum within n, also for odd n; saturation is harmless
		let mut h = BoxStats::default();
		for _ in 0..11 {
			h.record(Perbill::one(), 1, 10);
		}
		assert_eq!(h, BoxStats { n: 6, sum_agreement: 5_500_000_000 });
		assert!(h.sum_agreement <= h.n as u64 * 1_000_000_000);
		let mut x = BoxStats { n: u32::MAX, sum_agreement: u64::MAX };
		assert!(x.weight(&prior, half).is_ok());
		x.record(Perbill::one(), u32::MAX, 0);
		x.record(Perbill::one(), u32::MAX, DEFAULT_CAP);
		assert!(x.n <= DEFAULT_CAP);
	}

	#[test]
	fn box_crowd_spammer_weight_goes_to_zero() {
		// 30 workers: 18 good (corner jitter sd 4 px), 6 sloppy (sd 25 px), 6 spammers (random
		// boxes); 1,000 items of one box, R = 5; weights learned online from the medoid.
		let kinds: Vec<u8> = (0..30u8).map(|i| [0, 0, 0, 1, 2][(i % 5) as usize]).collect();
		for seed in [5, 6, 7] {
			let prior = BoxPrior::default();
			let base = DEFAULT_BOX_BASELINE;
			let mut stats = vec![BoxStats::default(); kinds.len()];
			let mut rng = Rng::new(seed);
			let (mut iou_weighted, mut iou_plain) = (0f64, 0f64);
			let items = 1_000;
			let jitter = |rng: &mut Rng, v: u32, sd: f64| {
				(v as f64 + sd * rng.normal()).round().clamp(0.0, 999.0) as u32
			};
			for _ in 0..items {
				let (x, y) = (rng.below(700) as u32, rng.below(700) as u32);
				let (w, h) = (100 + rng.below(200) as u32, 100 + rng.below(200) as u32);
				let truth = BoundingBox::new(x, y, x + w, y + h, 0).unwrap();
				let workers = rng.distinct(kinds.len(), 5);
				let labels: Vec<Vec<BoundingBox>> = workers
					.iter()
					.map(|&k| {
						let b = if kinds[k] == 2 {
							let (x, y) = (rng.below(900) as u32, rng.below(900) as u32);
							let (w, h) = (20 + rng.below(100) as u32, 20 + rng.below(100) as u32);
							(x, y, x + w, y + h)
						} else {
							let sd = if kinds[k] == 0 { 4.0 } else { 25.0 };
							let (x0, y0) = (jitter(&mut rng, x, sd), jitter(&mut rng, y, sd));
							let (x1, y1) =
								(jitter(&mut rng, x + w, sd), jitter(&mut rng, y + h, sd));
							(x0, y0, x1.max(x0 + 1), y1.max(y0 + 1))
						};
						vec![BoundingBox::new(b.0, b.1, b.2, b.3, 0).unwrap()]
					})
					.collect();
				let refs: Vec<&BoxStats> = workers.iter().map(|&k| &stats[k]).collect();
				let weights = box_weights(&refs, &prior, base).unwrap();
				let weighted: Vec<(&[BoundingBox], FixedU128)> =
					labels.iter().zip(&weights).map(|(l, w)| (l.as_slice(), *w)).collect();
				let plain: Vec<(&[BoundingBox], FixedU128)> =
					labels.iter().map(|l| (l.as_slice(), FixedU128::one())).collect();
				let r = consensus_boxes(&weighted).unwrap();
				let u = consensus_boxes(&plain).unwrap();
				iou_weighted += f_per(box_iou(&labels[r.winner][0], &truth));
				iou_plain += f_per(box_iou(&labels[u.winner][0], &truth));
				for (&k, a) in workers.iter().zip(&r.agreement) {
					stats[k].record(*a, 1, DEFAULT_CAP);
				}
			}
			let power: Vec<(u8, f64)> = kinds
				.iter()
				.zip(&stats)
				.map(|(&k, s)| (k, f_per(s.voting_power(&prior, base).unwrap())))
				.collect();
			let weight: Vec<(u8, f64)> = kinds
				.iter()
				.zip(&stats)
				.map(|(&k, s)| (k, f_fix(s.weight(&prior, base).unwrap())))
				.collect();
			let n = items as f64;
			println!(
				"boxes (1000 items, R = 5, seed {seed}): mean IoU with truth: weighted medoid \
				 {:.4}, unweighted {:.4}",
				iou_weighted / n,
				iou_plain / n
			);
			println!(
				"  medoid weight min/mean/max: good {:.3?}, sloppy {:.3?}, spammers {:.3?}; power: \
				 good {:.3?}, sloppy {:.3?}, spammers {:.3?}",
				summary(&weight, 0),
				summary(&weight, 1),
				summary(&weight, 2),
				summary(&power, 0),
				summary(&power, 1),
				summary(&power, 2)
			);
			assert_eq!(summary(&weight, 2).2, 0.0);
			assert!(summary(&power, 2).2 < 0.05);
			assert!(summary(&power, 0).0 > 0.5);
			assert!(summary(&weight, 1).1 < summary(&weight, 0).1);
			assert!(iou_weighted >= iou_plain);
		}
	}

	// ----- properties -----

	proptest! {
		#![proptest_config(ProptestConfig::with_cases(256))]

		#[test]
		fn ln_ratio_antisymmetric_and_monotone(a in 1u128..u128::MAX, b in 1u128..u128::MAX) {
			let ab = ln_ratio(a, b).unwrap();
			prop_assert_eq!(ab.into_inner(), -ln_ratio(b, a).unwrap().into_inner());
			prop_assert!(ln_ratio(a.saturating_add(a / 1000 + 1), b).unwrap() >= ab);
		}

		#[test]
		fn infer_class_is_total(
			classes in 2u16..30,
			cells in prop::collection::vec(any::<u32>(), 64),
			answers in prop::collection::vec(any::<u16>(), 1..16),
			counts in prop::option::of(prop::collection::vec(any::<u32>(), 30)),
		) {
			let mut m = ClassModel::new(classes).unwrap();
			match &mut m {
				ClassModel::Confusion { counts, .. } => counts.copy_from_slice(&cells),
				ClassModel::OneCoin { correct, wrong, .. } => {
					*correct = cells[0];
					*wrong = cells[1];
				},
			}
			let prior = ClassPrior::default_for(classes).unwrap();
			let votes: Vec<(u16, &ClassModel)> =
				answers.iter().map(|a| (a % classes, &m)).collect();
			let counts = counts.map(|c| c[..classes as usize].to_vec());
			let r = infer_class(&votes, &prior, counts.as_deref()).unwrap();
			prop_assert!(r.class < classes);
			prop_assert!(r.confidence >= Perbill::from_rational(1u32, classes as u32 + 1));
			let power = m.voting_power(&prior).unwrap();
			prop_assert!(power <= Perbill::one());
			let answered: Vec<u16> = votes.iter().map(|(a, _)| *a).collect();
			for a in answered {
				m.record(r.class, a, 5, DEFAULT_CAP).unwrap();
			}
		}

		/// A package's log table holds exactly what `log_likelihood` computes, cell by cell, and
		/// only the columns asked for.
		#[test]
		fn log_table_equals_log_likelihood(
			classes in 2u16..=MAX_CONFUSION_CLASSES,
			cells in prop::collection::vec(any::<u32>(), 64),
			answers in any::<u8>(),
			strength in 1u32..50,
			accuracy in 0u32..=1_000_000_000,
		) {
			let mut m = ClassModel::new(classes).unwrap();
			if let ClassModel::Confusion { counts, .. } = &mut m {
				counts.copy_from_slice(&cells);
			}
			let prior =
				ClassPrior::from_accuracy(classes, Perbill::from_parts(accuracy), strength).unwrap();
			let table = m.log_table(&prior, answers).unwrap();
			for t in 0..classes {
				for a in 0..classes {
					if answers & (1 << a) != 0 {
						prop_assert_eq!(
							table.get(t, a).unwrap(),
							m.log_likelihood(t, a, &prior).unwrap().into_inner()
						);
					} else {
						prop_assert_eq!(table.get(t, a), Err(MathError::InvalidClass));
					}
				}
			}
			prop_assert_eq!(table.get(classes, 0), Err(MathError::InvalidClass));
		}

		#[test]
		fn infer_score_stays_in_range(
			scores in prop::collection::vec(
				(1u32..=5, any::<u32>(), any::<i64>(), any::<u64>(), any::<(u64, u64, i64)>()),
				1..16,
			),
			refine in any::<bool>(),
		) {
			let stats: Vec<ScoreStats> = scores
				.iter()
				.map(|&(_, n, s, q, (t, tt, tr))| ScoreStats {
					n,
					sum_residual: s,
					sum_sq_residual: q,
					sum_truth: t,
					sum_sq_truth: tt,
					sum_truth_residual: tr,
				})
				.collect();
			let votes: Vec<(FixedU128, &ScoreStats)> =
				scores.iter().zip(&stats).map(|(&(x, ..), s)| (int(x), s)).collect();
			let r = infer_score(&votes, &ScoreRange::stars(), &ScorePrior::default(), refine)
				.unwrap();
			prop_assert!(r.value >= int(1) && r.value <= int(5));
		}
	}
}
