//! # CrowdLabel runtime API
//!
//! Queries that clients need and cannot answer cheaply from raw storage: they combine several
//! maps, compute a value (current dataset quote, Merkle proof) or would need many round trips.
//! Each query and its result type live in the pallet that owns the data (`pallet_*::api`,
//! unit-tested in the pallet's mock); this crate only declares the API over them, and the
//! runtime's implementation calls one pallet function per method. The node exposes them as `crowdlabel_*` JSON-RPC methods; `@polkadot/api` can also call
//! them directly as `api.call.crowdLabelApi.<method>` (the types are in the metadata).
//!
//! Every method is read-only and bounded: by the runtime's `Max*` limits, by pages
//! ([`CrowdLabelApi::owner_sales`]: at most `pallet_datasets::MAX_PAGE` = 100 sales per call,
//! newest first, with a cursor for the next page) and by input caps
//! ([`CrowdLabelApi::verify_inclusion`]: proofs of at most `pallet_datasets::MAX_PROOF_LEN` = 64
//! hashes, labels no longer than the largest consensus label, else `false`).

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(rustdoc::broken_intra_doc_links)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;
pub use crowdlabel_labels::{ItemHash, JobId, PackageIndex, Salt};
pub use pallet_datasets::{
	api::{DatasetInfo, InclusionProof, OwnerReport, OwnerSaleInfo},
	DatasetId, QualityCertificate, SaleId, MAX_PAGE, MAX_PROOF_LEN,
};
pub use pallet_jobs::{
	api::{ItemConsensus, JobProgress, PackageProgress, MAX_RESULTS},
	JobStatus,
};
pub use pallet_labelers::api::{DomainStanding, LabelerInfo};

/// Index of a leaf in a dataset's Merkle tree.
pub type LeafIndex = u32;

sp_api::decl_runtime_apis! {
	/// CrowdLabel queries. Version 2 added `workload_budget`.
	#[api_version(2)]
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
		fn job_progress(job: JobId) -> Option<JobProgress<AccountId, Balance, BlockNumber>>;
		/// Consensus results of a job's items with index in `[from, from + max)`
		/// (`max` at most [`MAX_RESULTS`] = 1000).
		fn job_results(job: JobId, from: u32, max: u32) -> Vec<ItemConsensus<Label>>;
		/// A dataset, its quality certificate and its current price quote.
		fn dataset(dataset: DatasetId) -> Option<DatasetInfo<AccountId, Balance>>;
		/// An owner's unclaimed payouts and one page of the sales of their data, newest first:
		/// at most `min(max, 100)` sales starting at sale `from` (`None`: the newest; else the
		/// `next` of the previous page).
		fn owner_sales(owner: AccountId, from: Option<SaleId>, max: u32) -> OwnerReport<AccountId, Balance, BlockNumber>;
		/// The inclusion proof of leaf `leaf` of a dataset.
		fn inclusion_proof(dataset: DatasetId, leaf: LeafIndex) -> Option<InclusionProof>;
		/// Whether `(item, SCALE(label))` is leaf `leaf` of the dataset, given `proof` (at most
		/// 64 hashes; a longer proof or an over-long label is `false`).
		fn verify_inclusion(dataset: DatasetId, leaf: LeafIndex, item: ItemHash, label: Vec<u8>, proof: Vec<sp_core::H256>) -> bool;
		/// The least budget of a job of `items` items, redundancy `redundancy`, declaring
		/// `minutes_per_item` minutes per item and labeler at `price_per_minute` (Briko eq. 2-3:
		/// its pay after the platform reserve covers `items x R x minutes_per_item` minutes);
		/// `None` for 0 minutes or figures that overflow.
		#[api_version(2)]
		fn workload_budget(items: u32, redundancy: u32, minutes_per_item: u32, price_per_minute: Balance) -> Option<Balance>;
	}

	/// The chain's commitments, built from typed inputs, for clients that cannot hash SCALE
	/// themselves (polkadot.js apps: Developer → Runtime calls → `commitmentApi`). Each returns
	/// exactly what the pallets compare at reveal time (`crowdlabel_labels::commitment`).
	///
	/// **Caveat:** the node that answers sees the labels and the salt. Ask only a node you run
	/// yourself: whoever runs the node could copy the labels before the reveals open, or
	/// front-run a gold answer. The CrowdLabel app and `e2e/lib.mjs` compute commitments
	/// locally instead.
	pub trait CommitmentApi<AccountId, Label>
	where
		AccountId: Codec,
		Label: Codec,
	{
		/// `jobs.commitLabels`: `blake2_256(SCALE((labeler, job, package, labels, salt)))`.
		fn label_commitment(labeler: AccountId, job: JobId, package: PackageIndex, labels: Vec<Label>, salt: Salt) -> sp_core::H256;
		/// `jobs.createJob` challenges: `blake2_256(SCALE((requester, answers, salt)))`.
		fn challenge_commitment(requester: AccountId, answers: Vec<(u32, Label)>, salt: Salt) -> sp_core::H256;
		/// `labelers.addGold`: `blake2_256(SCALE((answer, salt)))`.
		fn gold_commitment(answer: Label, salt: Salt) -> sp_core::H256;
	}
}
