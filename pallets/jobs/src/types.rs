//! Types of labeling jobs.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use crowdlabel_consensus::{BoundingBox, FixedU128, Perbill};
use frame_support::{
	traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use pallet_labelers::types::{Commitment, DomainId, ItemHash, LabelKind};
use scale_info::TypeInfo;

/// Identifier of a job.
pub type JobId = u32;
/// Index of a package within its job.
pub type PackageIndex = u32;

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
pub struct Package {
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
	Revealed(BoundedVec<pallet_labelers::types::Label<MaxBoxes>, MaxPackage>),
	/// Labels accepted by consensus (kept for the challenge check until settlement).
	Accepted(BoundedVec<pallet_labelers::types::Label<MaxBoxes>, MaxPackage>),
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
	/// `Taken`: commit by this block (inclusive). `Committed`: reveal by this block once the
	/// reveals opened (`None` before). Never moved once set.
	pub deadline: Option<BlockNumber>,
	/// Progress.
	pub state: AssignmentState<MaxBoxes, MaxPackage>,
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
	/// The weighted mean star score (18 decimals).
	Stars(FixedU128),
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
	/// Mean agreement of the accepted labels with it.
	pub agreement: Perbill,
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
pub struct LabelerWork {
	/// Items of accepted packages (the workload W of Briko eq. 4).
	pub accepted: u32,
	/// Packages held now (taken, committed or revealed, not yet judged).
	pub open: u32,
}

/// What a settled job hands to the dataset registry.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SettledJob<AccountId> {
	/// Who paid for the labels (may publish the dataset).
	pub requester: AccountId,
	/// Domain of the items.
	pub domain: DomainId,
	/// Label kind.
	pub kind: LabelKind,
	/// Items in the job (labeled or not).
	pub items: u32,
	/// Labels per item (R).
	pub redundancy: u32,
	/// Hidden challenge items revealed in the job.
	pub challenges: u32,
	/// Accepted labels checked against hidden challenge answers.
	pub gold_checked: u32,
	/// Of those, how many were wrong.
	pub gold_wrong: u32,
}

/// One labeled item of a settled job.
#[derive(CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound)]
pub struct LabeledItem<MaxBoxes: Get<u32>> {
	/// Index of the item in its job.
	pub index: u32,
	/// Content hash (SHA2-256 digest, see `crowdlabel_consensus::cid`).
	pub item: ItemHash,
	/// Package the item was labeled in.
	pub package: PackageIndex,
	/// Consensus label and mean agreement.
	pub result: ItemResult<MaxBoxes>,
}

/// Read access to settled jobs, for the dataset registry.
pub trait FinishedJobs<AccountId> {
	/// Bound on boxes in a consensus label.
	type MaxBoxes: Get<u32>;
	/// Bound on the labelers of one package (R).
	type MaxRedundancy: Get<u32>;

	/// The job, if it is settled.
	fn settled_job(job: JobId) -> Option<SettledJob<AccountId>>;
	/// The items with a consensus result, in item order.
	fn labeled_items(job: JobId) -> alloc::vec::Vec<LabeledItem<Self::MaxBoxes>>;
	/// The labelers whose labels of `package` were accepted, with their weight `a` at settlement.
	fn contributors(
		job: JobId,
		package: PackageIndex,
	) -> BoundedVec<(AccountId, FixedU128), Self::MaxRedundancy>;

	/// Keeps the job's items, results and contributions for good (a dataset was published from
	/// it): the job is never pruned and its storage deposit stays held.
	fn retain(job: JobId) -> frame_support::dispatch::DispatchResult;

	/// Creates a settled job of `items` labeled items, package size 1, each labeled by all
	/// `labelers` (benchmarks only).
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_settled_job(
		requester: AccountId,
		kind: LabelKind,
		items: alloc::vec::Vec<ItemHash>,
		labelers: alloc::vec::Vec<AccountId>,
	) -> JobId;
}

/// What a package judgement cost, for the weight charged: items, labels judged and the most
/// boxes in a label.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct JudgeCost {
	/// Items in the package.
	pub items: u32,
	/// Labels the consensus ran over.
	pub labels: u32,
	/// Most boxes in one label (0 for other kinds).
	pub boxes: u32,
}
