//! Identifiers, label kinds, labels and consensus results.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use crowdlabel_consensus::{BoundingBox, ErrorMetric, FixedU128, Perbill, ScoreRange};
use frame_support::{
	traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use scale_info::TypeInfo;
use sp_core::H256;

/// Identifier of a labeling domain (e.g. "traffic signs", "CT lung nodules", "en-de pairs").
pub type DomainId = u32;
/// Identifier of a labeling job.
pub type JobId = u32;
/// Index of a package within its job.
pub type PackageIndex = u32;
/// Content hash of a data item: the sha2-256 digest of the file, as in an IPFS CIDv1 raw leaf
/// (see `crowdlabel_content::cid`).
pub type ItemHash = H256;
/// A commitment (see [`crate::commitment`]).
pub type Commitment = H256;
/// Random salt of a commitment.
pub type Salt = [u8; 32];

/// What labelers produce in a domain.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum LabelKind {
	/// Bounding boxes, each with a class id below `classes`.
	BoundingBoxes { classes: u16 },
	/// One class id below `classes` per item.
	SingleClass { classes: u16 },
	/// An integer score in `min..=max` per item (`min < max`): a 1-5 star review of a sentence
	/// pair's translation ([`LabelKind::STARS`]), a Likert 1-7 answer, a 0-100 rating. Errors,
	/// bars, tolerances and slash thresholds are in widths `max - min` of the range.
	Score { min: u16, max: u16 },
}

impl LabelKind {
	/// 1-5 stars (the Briko corpus review), the named preset of [`LabelKind::Score`].
	pub const STARS: LabelKind = LabelKind::Score { min: 1, max: 5 };

	/// How per-label errors are aggregated into the reputation error `x`.
	pub fn error_metric(&self) -> ErrorMetric {
		match self {
			LabelKind::Score { .. } => ErrorMetric::Rms,
			_ => ErrorMetric::Mean,
		}
	}

	/// The score range of a score kind (`None` for other kinds and for `min >= max`).
	pub fn score_range(&self) -> Option<ScoreRange> {
		match self {
			LabelKind::Score { min, max } => ScoreRange::from_ints(*min, *max).ok(),
			_ => None,
		}
	}

	/// Whether the kind's parameters are usable: at least one class, or `min < max`.
	pub fn is_valid(&self) -> bool {
		match self {
			LabelKind::BoundingBoxes { classes } | LabelKind::SingleClass { classes } => {
				*classes > 0
			},
			LabelKind::Score { min, max } => min < max,
		}
	}
}

/// One label: the answer of a labeler for an item.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
)]
#[scale_info(skip_type_params(MaxBoxes))]
#[codec(mel_bound(MaxBoxes: Get<u32>))]
pub enum Label<MaxBoxes: Get<u32>> {
	/// Boxes (possibly none: "nothing to label here").
	Boxes(BoundedVec<BoundingBox, MaxBoxes>),
	/// A class id.
	Class(u16),
	/// A score within the kind's `min..=max`.
	Score(u16),
}

/// The consensus label of an item.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
)]
#[scale_info(skip_type_params(MaxBoxes))]
#[codec(mel_bound(MaxBoxes: Get<u32>))]
pub enum ConsensusLabel<MaxBoxes: Get<u32>> {
	/// The weighted-medoid box set.
	Boxes(BoundedVec<BoundingBox, MaxBoxes>),
	/// The winning class.
	Class(u16),
	/// The consensus score (18 decimals), within the kind's range.
	Score(FixedU128),
}

/// Consensus result of one item.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
)]
#[scale_info(skip_type_params(MaxBoxes))]
#[codec(mel_bound(MaxBoxes: Get<u32>))]
pub struct ItemResult<MaxBoxes: Get<u32>> {
	/// The consensus label.
	pub label: ConsensusLabel<MaxBoxes>,
	/// Unweighted mean agreement of the accepted labels with it.
	pub agreement: Perbill,
}
