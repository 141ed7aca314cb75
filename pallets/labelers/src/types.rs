//! Types stored and passed by the pallet.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use crowdlabel_consensus::{FixedU128, Perbill};
use frame_support::{
	traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use scale_info::TypeInfo;

pub use crowdlabel_labels::{Commitment, DomainId, ItemHash, Label, LabelKind, Salt};

/// Identifier of a gold item.
pub type GoldId = u32;
/// Identifier of a qualification round.
pub type RoundId = u32;

/// The bar a qualification round must clear.
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
pub enum QualificationBar {
	/// Boxes and classes: mean IoU / accuracy over the round's gold items at least this.
	MinMeanAgreement(Perbill),
	/// Scores: mean absolute error over the round's gold items at most this share of the
	/// range's width (25 % = one point on 1-5 stars, 25 points on a 0-100 rating). Checked
	/// exactly in points: the summed error may be at most `floor(bar * (max - min) * K)`.
	MaxMeanScoreError(Perbill),
}

/// Parameters of a domain set by the curator.
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
pub struct DomainParams<BlockNumber> {
	/// Pass mark of a qualification round.
	pub bar: QualificationBar,
	/// K: gold items per qualification round.
	pub round_size: u32,
	/// Blocks a failed candidate waits before the next round.
	pub cooldown: BlockNumber,
	/// Blocks a candidate has to answer a round.
	pub answer_window: BlockNumber,
	/// Blocks the curator has, after the answer window, to reveal the round's gold.
	pub reveal_window: BlockNumber,
	/// `s` of the weight curve `a = 0.8 + 0.4 exp(-x^2 / (2 s^2))` (fixed point, 18 decimals).
	pub sigma: FixedU128,
}

/// A labeling domain.
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
#[scale_info(skip_type_params(MaxName))]
#[codec(mel_bound(MaxName: Get<u32>, BlockNumber: MaxEncodedLen))]
pub struct Domain<BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug, MaxName: Get<u32>> {
	/// Human-readable name.
	pub name: BoundedVec<u8, MaxName>,
	/// Label kind of every item in the domain.
	pub kind: LabelKind,
	/// Curator-set parameters.
	pub params: DomainParams<BlockNumber>,
	/// Labelers currently qualified.
	pub qualified: u32,
}

/// A gold item: a data item whose answer the curator knows and has committed to.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct GoldItem {
	/// Domain the item belongs to.
	pub domain: DomainId,
	/// Content hash of the data item shown to the candidate.
	pub item: ItemHash,
	/// `blake2_256(SCALE(answer) ++ salt)`.
	pub commitment: Commitment,
	/// The round it was handed out in (`None` while in stock).
	pub round: Option<RoundId>,
}

/// What the chain has learned about a labeler in a domain, in one storage entry so that a
/// judgement reads and writes each labeler once: the error statistics behind the pay weight `a`
/// (Briko eq. 4, with the challenge record) and the reliability model behind the voting power.
#[derive(
	Clone,
	PartialEq,
	Eq,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct LabelerRecord {
	/// Errors of the labels scored so far and challenge answers: the pay weight `a`.
	pub stats: crowdlabel_consensus::ErrorStats,
	/// Reliability model (voting power in consensus); `None`: nothing learned yet, a newcomer's
	/// model is used.
	pub model: Option<crowdlabel_labels::Reliability>,
}

/// A registered labeler.
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
#[scale_info(skip_type_params(MaxDomains))]
#[codec(mel_bound(MaxDomains: Get<u32>, Balance: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
// `mel_bound` repeats the generic bounds as a where clause; both are needed by the derives.
#[allow(clippy::multiple_bound_locations)]
pub struct Labeler<
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxDomains: Get<u32>,
> {
	/// Registration deposit held.
	pub deposit: Balance,
	/// Declared domains.
	pub domains: BoundedVec<DomainId, MaxDomains>,
	/// Block of registration.
	pub registered_at: BlockNumber,
}

/// Why a qualification was revoked.
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
pub enum RevocationReason {
	/// The curator revoked it (`revoke_qualification`).
	Curator,
	/// The labeler's weight was at the floor after at least `RevokeAfterFailures` failed
	/// challenges or missed reveals.
	ChallengeFailures,
}

/// Standing of a labeler in a domain.
///
/// A revoked qualification becomes `Failed { retry_at }` with the domain's cool-down (the
/// `QualificationRevoked` event tells the reason): a revoked labeler is treated like a failed
/// candidate and may qualify again through a new round.
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
pub enum Qualification<BlockNumber> {
	/// Passed a round at this block.
	Qualified { since: BlockNumber },
	/// Failed; may request a new round from this block on.
	Failed { retry_at: BlockNumber },
}

/// Phase of a qualification round.
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
pub enum RoundPhase {
	/// Waiting for the candidate's answers.
	Answering,
	/// Answered; waiting for the curator to reveal the gold.
	Answered,
}

/// A qualification round.
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
#[scale_info(skip_type_params(MaxK, MaxBoxes))]
#[codec(mel_bound(
	MaxK: Get<u32>,
	MaxBoxes: Get<u32>,
	AccountId: MaxEncodedLen,
	Balance: MaxEncodedLen,
	BlockNumber: MaxEncodedLen
))]
#[allow(clippy::multiple_bound_locations)]
pub struct Round<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxK: Get<u32>,
	MaxBoxes: Get<u32>,
> {
	/// The candidate.
	pub labeler: AccountId,
	/// Domain being qualified for.
	pub domain: DomainId,
	/// Gold items handed out (never handed out again).
	pub gold: BoundedVec<GoldId, MaxK>,
	/// The candidate's answers, in the order of `gold`.
	pub answers: BoundedVec<Label<MaxBoxes>, MaxK>,
	/// Phase.
	pub phase: RoundPhase,
	/// Answers are accepted until this block (inclusive).
	pub answer_deadline: BlockNumber,
	/// The curator reveals until this block (inclusive); after it anyone may expire the round.
	pub reveal_deadline: BlockNumber,
	/// Deposit held for the round (forfeited if the candidate never answers).
	pub deposit: Balance,
}
