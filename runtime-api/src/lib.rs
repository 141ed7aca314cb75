//! # CrowdLabel runtime API
//!
//! Queries that clients need and cannot answer cheaply from raw storage: they combine several
//! pallets' maps, compute a value (current dataset quote, Merkle proof) or would need many round
//! trips. The node exposes them as `crowdlabel_*` JSON-RPC methods; `@polkadot/api` can also call
//! them directly as `api.call.crowdLabelApi.<method>` (the types are in the metadata).
//!
//! Every method is read-only and bounded: by the runtime's `Max*` limits, by pages
//! ([`CrowdLabelApi::owner_sales`]: at most `pallet_datasets::MAX_PAGE` = 100 sales per call,
//! newest first, with a cursor for the next page) and by input caps
//! ([`CrowdLabelApi::verify_inclusion`]: proofs of at most `pallet_datasets::MAX_PROOF_LEN` = 64
//! hashes, labels no longer than the largest consensus label, else `false`).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::{Codec, Decode, Encode};
use crowdlabel_consensus::{FixedU128, Perbill};
pub use pallet_datasets::{QualityCertificate, MAX_PAGE, MAX_PROOF_LEN};
pub use pallet_jobs::JobStatus;
use scale_info::TypeInfo;
use sp_core::H256;

/// A labeler's standing in one domain.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct DomainStanding<BlockNumber> {
	/// The domain.
	pub domain: u32,
	/// Passed a qualification round.
	pub qualified: bool,
	/// After a failed round: the block from which a new round may be requested.
	pub retry_at: Option<BlockNumber>,
	/// Voting weight / reward multiplier `a` in `[0.8, 1.2]`.
	pub weight: FixedU128,
	/// Error `x` (RMS star error or `1 - mean agreement`, plus challenge penalties), if any labels
	/// were scored yet.
	pub error: Option<FixedU128>,
	/// Labels scored against a consensus or gold.
	pub samples: u32,
	/// Challenge items answered, and of those wrongly.
	pub challenges: (u32, u32),
}

/// A labeler's registration and standing per declared or qualified domain.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct LabelerInfo<Balance, BlockNumber> {
	/// Registration deposit held.
	pub deposit: Balance,
	/// Declared domains.
	pub declared: Vec<u32>,
	/// Standing in every declared domain and every domain with a qualification record.
	pub domains: Vec<DomainStanding<BlockNumber>>,
}

/// Progress of one package.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct PackageProgress {
	/// Package index.
	pub package: u32,
	/// Labelers holding it now.
	pub takers: u32,
	/// Of those, committed.
	pub committed: u32,
	/// Of those, revealed.
	pub revealed: u32,
	/// Labels already accepted (their labelers no longer hold the package).
	pub accepted: u32,
	/// All R labels accepted.
	pub complete: bool,
}

/// A job's progress.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct JobProgress<AccountId, Balance, BlockNumber> {
	/// Who pays.
	pub requester: AccountId,
	/// Domain.
	pub domain: u32,
	/// Lifecycle.
	pub status: JobStatus,
	/// Items, packages and redundancy R.
	pub items: u32,
	/// Number of packages.
	pub packages: u32,
	/// Labels per item.
	pub redundancy: u32,
	/// Packages with R accepted labels.
	pub completed_packages: u32,
	/// Items with a consensus result.
	pub labeled_items: u32,
	/// Escrowed budget.
	pub budget: Balance,
	/// Deposits forfeited by this job's labelers.
	pub fines: Balance,
	/// Packages can be taken until this block.
	pub deadline: BlockNumber,
	/// Per package progress (empty once settled).
	pub package_progress: Vec<PackageProgress>,
	/// The dataset published from the job, if any.
	pub dataset: Option<u32>,
}

/// The consensus of one item.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct ItemConsensus<Label> {
	/// Item index in the job.
	pub index: u32,
	/// Item hash (SHA2-256 of the content).
	pub item: H256,
	/// Consensus label.
	pub label: Label,
	/// Mean agreement of the accepted labels with it.
	pub agreement: Perbill,
}

/// A dataset with its certificate and current quote.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct DatasetInfo<AccountId, Balance> {
	/// Source job.
	pub job: u32,
	/// Publisher.
	pub publisher: AccountId,
	/// Merkle root over `(item hash, consensus label)`.
	pub root: H256,
	/// Leaves.
	pub items: u32,
	/// List price for all leaves.
	pub price: Balance,
	/// Can be bought.
	pub listed: bool,
	/// Sales so far.
	pub sales: u32,
	/// Quality figures.
	pub certificate: QualityCertificate,
	/// What a purchase costs now (`price * sellable / items`).
	pub quote: Balance,
	/// Leaves whose owner still consents.
	pub sellable: u32,
	/// Leaves a purchase now would leave out.
	pub excluded: Vec<u32>,
	/// Storage deposit a purchase now holds from the buyer on top of `quote` (for good).
	pub purchase_deposit: Balance,
	/// Storage deposit held from the publisher for the dataset's records.
	pub deposit: Balance,
}

/// One sale that used an owner's data.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct OwnerSaleInfo<AccountId, Balance, BlockNumber> {
	/// Sale id.
	pub sale: u32,
	/// Dataset sold.
	pub dataset: u32,
	/// Buyer.
	pub buyer: AccountId,
	/// Block of the sale.
	pub at: BlockNumber,
	/// The owner's items in the sale.
	pub items: u32,
	/// What the owner was credited.
	pub amount: Balance,
}

/// An owner's (or labeler's) earnings report.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct OwnerReport<AccountId, Balance, BlockNumber> {
	/// Credited and not yet claimed (owner and labeler parts together).
	pub unclaimed: Balance,
	/// Sales that used the owner's data, newest first (one page).
	pub sales: Vec<OwnerSaleInfo<AccountId, Balance, BlockNumber>>,
	/// The next (older) sale, if the owner has more: pass it as `from` for the next page.
	pub next: Option<u32>,
}

/// Everything a buyer needs to check one leaf against the dataset root.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct InclusionProof {
	/// Dataset root.
	pub root: H256,
	/// Number of leaves.
	pub leaves: u32,
	/// Leaf index.
	pub leaf: u32,
	/// Item hash of the leaf.
	pub item: H256,
	/// Index of the item in its job (`jobs.results(job, index)`).
	pub job_index: u32,
	/// SCALE encoding of the consensus label.
	pub label: Vec<u8>,
	/// Sibling hashes from the leaf up.
	pub proof: Vec<H256>,
}

sp_api::decl_runtime_apis! {
	/// CrowdLabel queries.
	pub trait CrowdLabelApi<AccountId, Balance, BlockNumber, Label>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
		Label: Codec,
	{
		/// A labeler's deposit, declared domains, qualification and weight per domain.
		fn labeler(who: AccountId) -> Option<LabelerInfo<Balance, BlockNumber>>;
		/// A job's progress, per package.
		fn job_progress(job: u32) -> Option<JobProgress<AccountId, Balance, BlockNumber>>;
		/// Consensus results of a job's items with index in `[from, from + max)`
		/// (`max` at most 1000).
		fn job_results(job: u32, from: u32, max: u32) -> Vec<ItemConsensus<Label>>;
		/// A dataset, its quality certificate and its current price quote.
		fn dataset(dataset: u32) -> Option<DatasetInfo<AccountId, Balance>>;
		/// An owner's unclaimed payouts and one page of the sales of their data, newest first:
		/// at most `min(max, 100)` sales starting at sale `from` (`None`: the newest; else the
		/// `next` of the previous page).
		fn owner_sales(owner: AccountId, from: Option<u32>, max: u32) -> OwnerReport<AccountId, Balance, BlockNumber>;
		/// The inclusion proof of leaf `leaf` of a dataset.
		fn inclusion_proof(dataset: u32, leaf: u32) -> Option<InclusionProof>;
		/// Whether `(item, SCALE(label))` is leaf `leaf` of the dataset, given `proof` (at most
		/// 64 hashes; a longer proof or an over-long label is `false`).
		fn verify_inclusion(dataset: u32, leaf: u32, item: H256, label: Vec<u8>, proof: Vec<H256>) -> bool;
	}
}
