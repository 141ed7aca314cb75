//! # CrowdLabel labels
//!
//! The vocabulary every CrowdLabel crate shares, in one place: identifiers, label kinds and
//! labels, the commitments that hide them, and the pure rules applied to them. The pallets call
//! these functions on chain and the off-chain tools (`crowdlabel-infer`, the e2e clients'
//! reference values) call the very same functions, so "the chain's own code" is literal.
//!
//! ## Overview
//! - [`types`]: ids ([`DomainId`], [`JobId`], [`PackageIndex`]), [`ItemHash`], [`LabelKind`],
//!   [`Label`] (a labeler's answer) and [`ConsensusLabel`] / [`ItemResult`] (the chain's answer).
//! - [`commitment`]: the commit-reveal formats — gold answers, a labeler's package labels bound
//!   to account, job and package, a requester's hidden challenge list.
//! - [`grading`]: whether a label fits a kind, its agreement with a reference, the reputation
//!   error, and the pass rules of challenges and packages.
//! - [`consensus`]: the per-item consensus over the `R` weighted labels of a package.
//! - [`reliability`]: the same consensus voted by each labeler's learned [`Reliability`]
//!   (confusion matrix, score bias and noise, box agreement), and the models' online update.
//!
//! The arithmetic underneath (IoU, weighted medoid/vote/mean, reputation weights) lives in
//! `crowdlabel-consensus`; this crate applies it to labels.
//!
//! ## Terminology
//! - **Agreement** of a label with a reference: IoU of the optimal one-to-one box matching for
//!   boxes, 1 or 0 for classes, `1 - |s - t| / (max - min)` for scores. An item's agreement is the
//!   *unweighted* mean of its `R` labels' agreement with the item's consensus.
//! - **Box pixels**: corners are half-open, `[x_min, x_max) x [y_min, y_max)`; a box of
//!   `x_min = 0, x_max = 10` covers pixels 0..=9.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(rustdoc::broken_intra_doc_links)]

extern crate alloc;

pub mod commitment;
pub mod consensus;
pub mod grading;
pub mod reliability;
pub mod types;

pub use commitment::{challenge_commitment, commitment_of, gold_commitment, label_commitment};
pub use consensus::{item_consensus, ItemOutcome};
pub use grading::{
	challenge_passed, grade, grade_against_consensus, label_fits, package_verdict_of,
	reputation_error, Grade, PackageJudgement, CHALLENGE_SCORE_TOLERANCE,
};
pub use reliability::{
	package_consensus, passes_for, record_package, reliable_consensus, revise_job,
	revised_at_settlement, truth_of, ItemVotes, Reliability, GOLD_WEIGHT, PACKAGE_PASSES,
	SCORE_GOLD_WEIGHT, SETTLEMENT_PASSES,
};
pub use types::*;

/// The tests' pseudo-random numbers: xorshift64 from `seed`, each call a number below `n`.
#[cfg(test)]
pub(crate) fn xorshift(mut seed: u64) -> impl FnMut(u64) -> u64 {
	move |n| {
		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		seed % n
	}
}

/// A label that does not fit the kind it is judged under (wrong variant, class out of range,
/// scores outside the range, bad or duplicate boxes), or labels of different lengths.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct InvalidLabel;
