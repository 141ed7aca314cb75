//! # CrowdLabel cross-pallet traits
//!
//! The pallets never depend on each other's crates; they meet through these traits, which the
//! runtime wires together (model: ORML `traits/`, Acala `modules/support`):
//!
//! - [`LabelerRegistry`] — implemented by the labelers pallet, used by jobs (qualification,
//!   reliability models and pay weights, reputation updates) and datasets (domains exist).
//! - [`WorkInProgress`] — implemented by the jobs pallet, asked by labelers (a labeler with work
//!   under way cannot unregister).
//! - [`FinishedJobs`] — implemented by the jobs pallet, used by datasets (settled jobs, their
//!   consensus results and contributors, and pinning a published job's data).
//!
//! Pallet mocks implement them with thread-local fakes, so each pallet is tested alone.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(rustdoc::broken_intra_doc_links)]

extern crate alloc;

use alloc::vec::Vec;
use crowdlabel_consensus::FixedU128;
use crowdlabel_labels::{
	DomainId, ItemHash, ItemResult, JobId, LabelKind, PackageIndex, Reliability,
};
use frame_support::{dispatch::DispatchResult, traits::Get, BoundedVec};
use frame_support::{CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound};

/// What other pallets need to know about a domain (the labelers pallet's own parameters, such
/// as the qualification bar, stay there; the jobs pallet keeps its own per-domain slash floor).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct DomainInfo {
	/// Label kind of every item in the domain.
	pub kind: LabelKind,
	/// What a qualification round in the domain costs a candidate whatever its outcome (the
	/// gold fee), in the currency's smallest unit: caps the newcomer bonus of the jobs pallet.
	pub qualification_fee: u128,
}

/// Read and update labelers' standing.
pub trait LabelerRegistry<AccountId> {
	/// Registered right now.
	fn is_registered(who: &AccountId) -> bool;
	/// Passed a qualification round in `domain` (and not revoked since).
	fn is_qualified(who: &AccountId, domain: DomainId) -> bool;
	/// The domain's label kind (`None`: no such domain).
	fn domain(domain: DomainId) -> Option<DomainInfo>;
	/// Pay weight `a` of `who` in `domain` under the domain's own `s` (1.0 while unknown), for
	/// reporting; payouts use [`LabelerRegistry::pay_weights`].
	fn weight_of(who: &AccountId, domain: DomainId) -> FixedU128;
	/// Labels and gold answers of `who` in `domain` scored so far (the length of the track
	/// record behind [`LabelerRegistry::weight_of`]).
	fn track_record(who: &AccountId, domain: DomainId) -> u32;
	/// Pay weights `a` (Briko eq. 4) of `labelers` in `domain`, in order, with the mapping
	/// calibrated over them so that their mean is 1 (see
	/// `crowdlabel_consensus::reputation::calibrated_sigma`); labelers without a record get 1.
	fn pay_weights(domain: DomainId, labelers: &[AccountId]) -> Vec<FixedU128>;
	/// The reliability model (voting power in consensus) of `who` in `domain`: the stored one,
	/// or a newcomer's when none is stored. `None`: no such domain.
	fn reliability(who: &AccountId, domain: DomainId) -> Option<Reliability>;
	/// Stores `who`'s updated reliability model in `domain` (ignored when it does not fit the
	/// domain's label kind).
	fn set_reliability(who: &AccountId, domain: DomainId, model: Reliability);
	/// Records the error of one label of `who` against its item's consensus (in widths of the
	/// range for scores, `1 - agreement` otherwise) and returns the new weight.
	fn record_outcome(who: &AccountId, domain: DomainId, error: FixedU128) -> FixedU128 {
		Self::record_outcomes(who, domain, &[error])
	}
	/// Records the errors of several labels of `who` (a judged package) in one update, with one
	/// reputation event; returns the new weight.
	fn record_outcomes(who: &AccountId, domain: DomainId, errors: &[FixedU128]) -> FixedU128;
	/// A judged package of `who`: stores its updated reliability `model` (ignored when it does not
	/// fit the domain's label kind) and records the `errors` of its labels, like
	/// [`LabelerRegistry::set_reliability`] then [`LabelerRegistry::record_outcomes`], which is
	/// what this default does; a registry keeping both in one record updates it once.
	fn record_judgement(
		who: &AccountId,
		domain: DomainId,
		model: Reliability,
		errors: &[FixedU128],
	) -> FixedU128 {
		Self::set_reliability(who, domain, model);
		Self::record_outcomes(who, domain, errors)
	}
	/// Records a challenge answer; the error grows with the labeler's challenge failure rate
	/// (see `crowdlabel_consensus::reputation::challenge_term`). Returns the new weight. May
	/// revoke the qualification.
	fn record_challenge(who: &AccountId, domain: DomainId, correct: bool) -> FixedU128;
	/// A labeler committed and never revealed: recorded exactly like a wrong challenge answer
	/// (so withholding a reveal never protects a reputation). May revoke the qualification.
	fn record_missed_reveal(who: &AccountId, domain: DomainId) {
		let _ = Self::record_challenge(who, domain, false);
	}
	/// Benchmarks: a domain of `kind` whose packages slash below 50% agreement.
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_domain(kind: LabelKind) -> DomainId;
	/// Benchmarks: registers (the account must be funded) and qualifies `who` in `domain`.
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_qualify(who: &AccountId, domain: DomainId);
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
	/// Content hash (SHA2-256 digest, see `crowdlabel_content::cid`).
	pub item: ItemHash,
	/// Package the item was labeled in.
	pub package: PackageIndex,
	/// Consensus label and mean agreement.
	pub result: ItemResult<MaxBoxes>,
}

/// Whether an account has work under way in another pallet (for the jobs pallet: a package
/// taken and not yet judged, whose deposit is held). The labelers pallet asks it before a
/// registration ends, so a labeler cannot leave between taking a package and its judgement. The
/// answer is read from state the other pallet keeps anyway (the jobs pallet: its package-deposit
/// hold), so nothing is written when work starts or ends.
pub trait WorkInProgress<AccountId> {
	/// `true` while `who` has work under way.
	fn has_work(who: &AccountId) -> bool;
}

/// No other pallet reports work.
impl<AccountId> WorkInProgress<AccountId> for () {
	fn has_work(_: &AccountId) -> bool {
		false
	}
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
	fn labeled_items(job: JobId) -> Vec<LabeledItem<Self::MaxBoxes>>;
	/// The consensus result of item `index` of a settled (or settling) job, if any.
	fn result(job: JobId, index: u32) -> Option<ItemResult<Self::MaxBoxes>>;
	/// The labelers whose labels of `package` were accepted, with their weight `a` at settlement.
	fn contributors(
		job: JobId,
		package: PackageIndex,
	) -> BoundedVec<(AccountId, FixedU128), Self::MaxRedundancy>;
	/// Keeps the job's items, results and contributions for good (a dataset was published from
	/// it): the job is never pruned and its storage deposit stays held.
	fn retain(job: JobId) -> DispatchResult;
	/// Creates a settled job of `items` labeled items, package size 1, each labeled by all
	/// `labelers` (benchmarks only).
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_settled_job(
		requester: AccountId,
		kind: LabelKind,
		items: Vec<ItemHash>,
		labelers: Vec<AccountId>,
	) -> JobId;
}
