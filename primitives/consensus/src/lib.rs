//! # CrowdLabel consensus math
//!
//! The arithmetic of CrowdLabel in one `no_std` crate, shared by the pallets (on chain) and the
//! off-chain tools (truth-inference CLI, simulation), usually through `crowdlabel-labels`,
//! which applies it to labels. No floating point: ratios are [`Perbill`]
//! (parts per 10^9), weights, scores and errors are [`FixedU128`] (scale 10^18), balances
//! are `u128`. All functions are deterministic, return a [`MathError`] instead of panicking, and
//! have a bounded cost (see [`limits`]).
//!
//! ## Terminology
//! - **label**: one labeler's answer for one item: a set of [`BoundingBox`]es, a single class id,
//!   or an integer score in a domain's range (1-5 stars, a 0-100 rating: [`ScoreRange`]).
//! - **agreement**: how well a label matches the consensus, a [`Perbill`] in `[0, 1]`
//!   (IoU for boxes, 0/1 for classes, `1 - |s - S| / (max - min)` for scores).
//! - **error `x`**: a labeler's deviation from consensus in a domain: root-mean-square score error
//!   (in widths of the score range), or `1 - mean IoU` for boxes / `1 - accuracy` for classes, plus a challenge
//!   term that grows with the labeler's challenge *failure rate* above 5 % and heals with right
//!   answers ([`reputation::challenge_term`]).
//! - **weight `a`**: voting power and reward multiplier, `a = 0.8 + 0.4 exp(-x^2 / (2 s^2))`.
//!
//! ## Modules
//! - [`boxes`]: IoU of two boxes and of two label sets (optimal one-to-one matching).
//! - [`consensus`]: item consensus from R weighted labels for each label kind.
//! - [`reputation`]: error statistics, `exp` in fixed point, the weight mapping.
//! - [`reliability`]: per-labeler reliability models learned online, which give *voting power*
//!   (distinct from the pay weight `a`): a Dawid–Skene confusion matrix (one-coin beyond
//!   [`reliability::MAX_CONFUSION_CLASSES`] classes) for classes, bias and noise variance for
//!   scores, agreement log-odds for boxes; the item consensus under each model; and the
//!   fixed-point logarithm [`ln_ratio`] they use. A spammer's voting power goes to about 0.
//! - [`quality`]: means of agreements and errors, and the package slash decision.
//! - [`guessing`]: the probability (exact, or a tight upper bound for wide score ranges) that a
//!   uniform guesser passes a qualification round.
//! - [`payout`]: exact proportional splits (Briko eq. 4) and the dataset-sale split.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(rustdoc::broken_intra_doc_links)]

extern crate alloc;

pub mod boxes;
pub mod consensus;
pub mod fuzzing;
pub mod guessing;
pub mod payout;
pub mod quality;
pub mod ranking;
pub mod reliability;
pub mod reputation;

pub use boxes::{box_iou, label_set_iou, label_set_matching_steps, BoundingBox};
pub use consensus::{
	consensus_boxes, consensus_class, consensus_score, BoxConsensus, ClassConsensus, ScoreConsensus,
};
pub use guessing::{guess_pass_probability, score_round_passes, GuessModel};
pub use payout::{
	budget_for_pay, mul_div_floor, reward_shares, split_budget, split_proportional, split_sale,
	total_workload, SaleSplit,
};
pub use quality::{mean_error, mean_perbill, package_verdict, PackageScore, PackageVerdict};
pub use ranking::{rank_items, Ranked, ScoredItem};
pub use reliability::{
	box_weights, infer_class, infer_class_tables, infer_score, ln_ratio, BoxPrior, BoxStats,
	ClassInference, ClassLogTable, ClassModel, ClassPrior, ScoreInference, ScorePrior, ScoreRange,
	ScoreStats,
};
pub use reputation::{
	at_weight_floor, calibrated_sigma, exp_neg, voting_weight, ErrorMetric, ErrorStats,
};
pub use sp_arithmetic::{
	self,
	traits::{CheckedDiv, One, Saturating, Zero},
	FixedI64, FixedPointNumber, FixedU128, PerThing, Perbill,
};

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// Hard limits that bound the cost of every function in this crate. Pallets use bounds at or
/// below these (their `Max*` config constants).
pub mod limits {
	/// Largest coordinate of a box corner (pixels). Keeps areas below 2^40.
	pub const MAX_COORDINATE: u32 = 1 << 20;
	/// Most boxes in one label.
	pub const MAX_BOXES: usize = 32;
	/// Most labels (redundancy R) one consensus is computed over on chain. The functions accept
	/// any number (their cost is linear for classes and stars, quadratic for boxes); pallets
	/// bound it with their `MaxRedundancy`, at most this (`integrity_test`).
	pub const MAX_LABELS: usize = 16;
}

/// What can be wrong with the input of a computation.
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
pub enum MathError {
	/// A box has `min >= max` on some axis: boxes must have a positive area.
	EmptyBox,
	/// A box corner is beyond [`limits::MAX_COORDINATE`].
	CoordinateOutOfRange,
	/// A label holds more than [`limits::MAX_BOXES`] boxes.
	TooManyBoxes,
	/// No labels were given: consensus needs at least one.
	NoLabels,
	/// Every weight or share is zero: there is nothing to divide by.
	ZeroTotal,
	/// Two inputs that must have the same length do not.
	LengthMismatch,
	/// Shares of a split add up to more than 100%.
	SharesExceedWhole,
	/// An intermediate value overflowed (inputs far beyond any realistic size).
	Overflow,
	/// A qualification round larger than [`guessing::MAX_ROUND_SIZE`] items.
	RoundTooLarge,
	/// A class id outside a model's classes, a model with fewer than 2 classes, or models with
	/// different numbers of classes in one vote ([`reliability`]).
	InvalidClass,
	/// A model parameter outside its domain: a prior pseudo-count of 0, a score range with
	/// `min >= max` or a score outside its range, a baseline of 0 or 1 ([`reliability`]).
	InvalidParameter,
	/// The logarithm of 0 was asked for ([`ln_ratio`]).
	LogOfZero,
}
