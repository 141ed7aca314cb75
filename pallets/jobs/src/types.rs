//! Types of labeling jobs.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use crowdlabel_labels::{Commitment, DomainId, ItemHash, Label, LabelKind};
use frame_support::{
	traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use scale_info::TypeInfo;

pub use crowdlabel_labels::{ConsensusLabel, ItemResult, JobId, PackageIndex};
pub use crowdlabel_traits::{FinishedJobs, LabeledItem, SettledJob};

/// What a requester asks for: the argument of `create_job`.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
)]
#[scale_info(skip_type_params(MaxItems))]
pub struct JobSpec<Balance, BlockNumber, MaxItems: Get<u32>>
where
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
{
	/// Domain of the items (its label kind applies).
	pub domain: DomainId,
	/// Content hashes of the items, in labeling order.
	pub items: BoundedVec<ItemHash, MaxItems>,
	/// Labels per item, R (at least `MinRedundancy`).
	pub redundancy: u32,
	/// Items per package (the last package may be smaller).
	pub package_size: u32,
	/// Escrowed budget; the platform reserve is taken from it, the rest pays the labelers.
	pub budget: Balance,
	/// Blocks from creation to the deadline (at most `MaxJobDuration`).
	pub duration: BlockNumber,
	/// Blocks a taker has to commit (at most `MaxWindow`).
	pub commit_window: BlockNumber,
	/// Blocks a committer has to reveal once reveals open (at most `MaxWindow`).
	pub reveal_window: BlockNumber,
	/// Commitment to hidden challenge answers (`crowdlabel_labels::challenge_commitment`).
	pub challenges: Option<Commitment>,
	/// Declared workload (Briko eq. 2-3); when given, the budget must pay for it.
	pub workload: Option<DeclaredWorkload<Balance>>,
}

/// A job's declared workload (Briko eq. 2-3): `W_n`, the minutes one labeler needs for one
/// item, and the price of one minute of work. The chain computes the total workload
/// `items x R x W_n` (the hidden challenge items, about 5 % of them, are among the items, so
/// `W_CR` is included) and refuses a budget whose pay (after the platform reserve) is below
/// `total x price_per_minute`.
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
pub struct DeclaredWorkload<Balance> {
	/// `W_n`: minutes per item per labeler (at least 1).
	pub minutes_per_item: u32,
	/// Price of one minute of work (Briko: one BGE is one minute's pay).
	pub price_per_minute: Balance,
}

/// Lifecycle of a job.
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
pub enum JobStatus {
	/// Packages can be taken and labeled.
	Open,
	/// The requester cancelled: no new packages; completed work is still paid at settlement.
	Cancelled,
	/// Paid out; the items and consensus results stay for the dataset.
	Settled,
}

/// A labeling job: items of one domain, each labeled by `redundancy` qualified labelers.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct Job<AccountId, Balance, BlockNumber> {
	/// Who pays; the budget is held from this account.
	pub requester: AccountId,
	/// Domain (label kind, qualification, slash floor) of the items.
	pub domain: DomainId,
	/// Label kind, copied from the domain.
	pub kind: LabelKind,
	/// Number of items.
	pub items: u32,
	/// Items per package (the last package may be smaller).
	pub package_size: u32,
	/// Number of packages.
	pub packages: u32,
	/// R: labels per item.
	pub redundancy: u32,
	/// Escrowed budget.
	pub budget: Balance,
	/// Platform reserve: `floor(budget * PlatformReserve)`.
	pub reserve: Balance,
	/// `budget - reserve`, paid to labelers by `a * W`.
	pub pay: Balance,
	/// Packages can be taken until this block; afterwards the job can be settled.
	pub deadline: BlockNumber,
	/// Blocks a labeler has, after taking a package, to commit.
	pub commit_window: BlockNumber,
	/// Blocks the takers have to reveal once every taker of a package has committed.
	pub reveal_window: BlockNumber,
	/// `blake2_256(SCALE(Vec<(item index, answer)>) ++ salt)` of the hidden challenge items
	/// mixed into the items, if any.
	pub challenges: Option<Commitment>,
	/// Whether the challenge answers were revealed.
	pub challenges_revealed: bool,
	/// Accepted labels checked against challenge answers.
	pub gold_checked: u32,
	/// Of those, how many were wrong.
	pub gold_wrong: u32,
	/// Packages whose R labels were accepted.
	pub completed: u32,
	/// Distinct labelers holding a package or with accepted work (bounded by
	/// `MaxLabelersPerJob`; a labeler who leaves with nothing accepted frees the slot).
	pub labelers: u32,
	/// Deposits forfeited by this job's labelers (sent to the treasury).
	pub fines: Balance,
	/// Item-labelings accepted so far (an accepted package of `len` items counts `len`); the
	/// job pays `pay * accepted / (items * R)` at settlement.
	pub accepted: u32,
	/// Hidden challenge items checked at the reveal (0 until then).
	pub challenge_items: u32,
	/// Storage deposit held from the requester for the job's stored data (refunded when the
	/// data is pruned).
	pub storage_deposit: Balance,
	/// Block of settlement (starts the retention period).
	pub settled_at: Option<BlockNumber>,
	/// A dataset was published from the job: its data is never pruned.
	pub retained: bool,
	/// Lifecycle.
	pub status: JobStatus,
	/// Declared workload (`None` for jobs created without one, and for every job created
	/// before storage version 1).
	pub workload: Option<DeclaredWorkload<Balance>>,
}

/// Progress of one package.
#[derive(
	Clone,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	Default,
)]
pub struct Package<BlockNumber> {
	/// Labelers holding the package now (taken, committed or revealed, not yet judged).
	pub takers: u32,
	/// Of the takers, how many committed (or revealed).
	pub committed: u32,
	/// Of the takers, how many revealed.
	pub revealed: u32,
	/// Labels already accepted (their labelers were paid their deposit back). `takers +
	/// accepted` slots of R are used.
	pub accepted: u32,
	/// Random seed drawn when the reveals opened: orders labelers for tie-breaks without
	/// favouring any account id.
	pub seed: [u8; 32],
	/// The R labels were accepted; consensus is in `Results`.
	pub complete: bool,
	/// While reveals are open: the last block the committed labelers may reveal in (the reveal
	/// deadline of every `Committed` assignment without one of its own), set by the commit that
	/// opens the reveals and cleared when no committed label is left to reveal. Kept here, not in
	/// each assignment, so opening the reveals writes one entry (storage version 3).
	pub reveal_by: Option<BlockNumber>,
}

/// Where a labeler is with a package.
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
#[scale_info(skip_type_params(MaxBoxes, MaxPackage))]
#[codec(mel_bound(MaxBoxes: Get<u32>, MaxPackage: Get<u32>))]
pub enum AssignmentState<MaxBoxes: Get<u32>, MaxPackage: Get<u32>> {
	/// Taken, nothing committed yet.
	Taken,
	/// Committed to `blake2_256(SCALE((labeler, job, package, labels, salt)))`.
	Committed(Commitment),
	/// Labels revealed, waiting for consensus.
	Revealed(BoundedVec<crowdlabel_labels::Label<MaxBoxes>, MaxPackage>),
	/// Labels accepted by consensus (kept for the challenge check until settlement).
	Accepted(BoundedVec<crowdlabel_labels::Label<MaxBoxes>, MaxPackage>),
}

/// A labeler's hold on a package.
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
#[scale_info(skip_type_params(MaxBoxes, MaxPackage))]
#[codec(mel_bound(MaxBoxes: Get<u32>, MaxPackage: Get<u32>, Balance: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
#[allow(clippy::multiple_bound_locations)]
pub struct Assignment<
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxBoxes: Get<u32>,
	MaxPackage: Get<u32>,
> {
	/// Deposit held: 1.5 x the package's reward value.
	pub deposit: Balance,
	/// `Taken`: commit by this block (inclusive). `Committed`: `None`, the package's
	/// [`Package::reveal_by`] applies (an assignment stored before storage version 3 may carry
	/// its own reveal deadline, which then applies). Never moved once set.
	pub deadline: Option<BlockNumber>,
	/// Progress.
	pub state: AssignmentState<MaxBoxes, MaxPackage>,
}

impl<
		Balance: Clone + PartialEq + Eq + core::fmt::Debug,
		BlockNumber: Copy + PartialEq + Eq + core::fmt::Debug,
		MaxBoxes: Get<u32>,
		MaxPackage: Get<u32>,
	> Assignment<Balance, BlockNumber, MaxBoxes, MaxPackage>
{
	/// The last block the labeler may act in on `package`: commit (`Taken`) or reveal
	/// (`Committed`, once the package's reveals opened); `None` when nothing is due (reveals
	/// not open yet, labels revealed or accepted).
	pub fn due(&self, package: &Package<BlockNumber>) -> Option<BlockNumber> {
		match self.state {
			AssignmentState::Taken => self.deadline,
			AssignmentState::Committed(_) => self.deadline.or(package.reveal_by),
			AssignmentState::Revealed(_) | AssignmentState::Accepted(_) => None,
		}
	}
}

/// Why a deposit was forfeited.
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
pub enum SlashReason {
	/// The labels disagreed with the consensus beyond the domain's limit.
	BadLabels,
	/// The taker did not commit within the commit window.
	MissedCommit,
	/// The committer did not reveal within the reveal window.
	MissedReveal,
}

/// A labeler's standing in one job.
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
	Default,
)]
pub struct LabelerWork<Balance> {
	/// Items of accepted packages (the workload W of Briko eq. 4).
	pub accepted: u32,
	/// Packages held now (taken, committed or revealed, not yet judged).
	pub open: u32,
	/// Deposits of this labeler's packages of the job that were accepted while it still held
	/// others there: kept on hold (one release instead of one per package) and used first by
	/// its next take in the job; released when it holds no package of the job (so zero
	/// whenever `open` is).
	pub idle: Balance,
}

/// The label families whose judgement is benchmarked separately (`judge`, `judge_classes`,
/// `judge_scores`, each also in an `*_agreed` variant that slashes nobody).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum JudgedKind {
	/// Bounding boxes (cost grows with the boxes per label).
	#[default]
	Boxes,
	/// Single class (confusion matrices of up to 8 classes; one coin beyond).
	Classes,
	/// Scores (1-5 stars, 0-100 ratings, ...: the cost does not depend on the range).
	Scores,
}

impl From<&LabelKind> for JudgedKind {
	fn from(kind: &LabelKind) -> Self {
		match kind {
			LabelKind::BoundingBoxes { .. } => Self::Boxes,
			LabelKind::SingleClass { .. } => Self::Classes,
			LabelKind::Score { .. } => Self::Scores,
		}
	}
}

/// The family of a label (a job's labels are all of the job's kind, checked at every reveal).
impl<S: Get<u32>> From<&Label<S>> for JudgedKind {
	fn from(label: &Label<S>) -> Self {
		match label {
			Label::Boxes(_) => Self::Boxes,
			Label::Class(_) => Self::Classes,
			Label::Score(_) => Self::Scores,
		}
	}
}

/// What a package judgement cost, for the weight charged: the label family, items, labels
/// judged and the most boxes in a label.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct JudgeCost {
	/// Label family (which benchmark prices it).
	pub kind: JudgedKind,
	/// Items in the package.
	pub items: u32,
	/// Labels the consensus ran over.
	pub labels: u32,
	/// Most boxes in one label (0 for other kinds).
	pub boxes: u32,
	/// Newcomer bonuses counted (priced by the `reward_newcomer` benchmark); the other judged
	/// labels cost the bonus check only (the domain and the labeler's progress: two reads).
	pub bonuses: u32,
	/// Labels of a judgement that slashed someone: each accepted deposit kept at stake or
	/// slash recorded for an appeal (priced by the `contest_judgement` benchmark).
	pub contested: u32,
	/// Labelers slashed by the judgement. A judgement that slashes nobody (the common case) is
	/// priced by its family's `*_agreed` benchmark; one that slashes by the slashing benchmark.
	pub slashed: u32,
	/// Accepted deposits kept on hold as idle stake (the labeler still holds packages of the
	/// job): the release the `*_agreed` benchmarks make for each label was not made.
	pub kept: u32,
	/// Idle stakes released by a slash or a contested acceptance (the labeler's last open
	/// package of the job left): a release no judgement benchmark makes.
	pub idle_released: u32,
}

/// A labeler slashed for bad labels in a judgement that accepted others: what an appeal needs.
/// Kept until the appeal is decided or the job is pruned (the labeler cannot take the package
/// again meanwhile).
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
#[scale_info(skip_type_params(MaxBoxes, MaxPackage, MaxRedundancy))]
pub struct SlashRecord<
	AccountId,
	Balance,
	BlockNumber,
	MaxBoxes: Get<u32>,
	MaxPackage: Get<u32>,
	MaxRedundancy: Get<u32>,
> where
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
{
	/// The deposit forfeited to the treasury (refunded by a won appeal).
	pub deposit: Balance,
	/// Last block to appeal in.
	pub until: BlockNumber,
	/// The slashed labels, one per item of the package (what the panel re-judges).
	pub labels: BoundedVec<crowdlabel_labels::Label<MaxBoxes>, MaxPackage>,
	/// The labelers accepted in the same judgement: their labels formed the consensus that
	/// caused the slash, and a won appeal penalises them.
	pub against: BoundedVec<AccountId, MaxRedundancy>,
}

/// A package deposit kept at stake after its labels were accepted, because the same judgement
/// slashed another labeler who may appeal.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct AppealStake<Balance, BlockNumber> {
	/// Held under `HoldReason::AppealStake`.
	pub amount: Balance,
	/// Releasable after this block, when no appeal on the package is undecided.
	pub until: BlockNumber,
}

/// An appeal under way.
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
#[scale_info(skip_type_params(MaxPanel))]
pub struct Appeal<AccountId, Balance, BlockNumber, MaxPanel: Get<u32>>
where
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
{
	/// The appellant's bond, held under `HoldReason::AppealBond`.
	pub bond: Balance,
	/// Block the appeal was filed in.
	pub filed: BlockNumber,
	/// Panel votes so far: `(panelist, overturn)`.
	pub votes: BoundedVec<(AccountId, bool), MaxPanel>,
}

/// Appeal bookkeeping of one job (a job with any of these cannot be pruned).
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct AppealCount {
	/// Deposits still at stake ([`AppealStake`] entries).
	pub stakes: u32,
	/// Appeals not yet decided.
	pub appeals: u32,
}

/// Who decided an appeal.
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
pub enum AppealDecider {
	/// A majority of the panel of reliable labelers.
	Panel,
	/// The curator origin (the council).
	Council,
}

/// A corpus-review job's ranking rule (Briko Phase 1, step 4): after consensus the items are
/// ranked by score and the top `keep · P` kept; the items within `margin` places of the cut-off
/// line go to a follow-up review job.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct ReviewSpec<Balance, BlockNumber> {
	/// `k`: the share of the job's items kept, strictly between 0 and 1.
	pub keep: sp_runtime::Perbill,
	/// Items on each side of the cut-off sent to the follow-up job (0: no follow-up).
	pub margin: u32,
	/// Budget of the follow-up job, held from the requester until the ranking (0 without a
	/// margin).
	pub follow_up_budget: Balance,
	/// Duration of the follow-up job, from the ranking (the job's windows apply).
	pub follow_up_duration: BlockNumber,
}

/// The ranking of a settled corpus-review job.
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
#[scale_info(skip_type_params(MaxItems))]
pub struct Ranking<MaxItems: Get<u32>> {
	/// The kept items (job item indices), best first.
	pub kept: BoundedVec<u32, MaxItems>,
	/// Items that had a consensus score (the others are never kept).
	pub ranked: u32,
	/// The follow-up review job of the items near the cut-off, when one was created.
	pub follow_up: Option<JobId>,
}
