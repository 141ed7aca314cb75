//! Read-only queries for clients, served by the runtime API `CrowdLabelApi` (and the node's
//! `crowdlabel_dataset`, `crowdlabel_ownerSales`, `crowdlabel_inclusionProof` and
//! `crowdlabel_verifyInclusion` JSON-RPC methods): the data and its shape live here, with the
//! storage they read.

use crate::{pallet::*, types::*, MAX_PAGE};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use crowdlabel_labels::{ItemHash, JobId};
use crowdlabel_traits::FinishedJobs;
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_core::H256;

/// A dataset with its certificate and current quote.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct DatasetInfo<AccountId, Balance> {
	/// Source job.
	pub job: JobId,
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
	pub sale: SaleId,
	/// Dataset sold.
	pub dataset: DatasetId,
	/// Buyer.
	pub buyer: AccountId,
	/// Block of the sale.
	pub at: BlockNumber,
	/// The owner's items in the sale.
	pub items: u32,
	/// What the owner was credited.
	pub amount: Balance,
}

/// An owner's (or labeler's) earnings report: one page of sales.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct OwnerReport<AccountId, Balance, BlockNumber> {
	/// Credited and not yet claimed (owner and labeler parts together).
	pub unclaimed: Balance,
	/// Sales that used the owner's data, newest first (one page).
	pub sales: Vec<OwnerSaleInfo<AccountId, Balance, BlockNumber>>,
	/// The next (older) sale, if the owner has more: pass it as `from` for the next page.
	pub next: Option<SaleId>,
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
	pub item: ItemHash,
	/// Index of the item in its job (`jobs.results(job, index)`).
	pub job_index: u32,
	/// SCALE encoding of the consensus label.
	pub label: Vec<u8>,
	/// Sibling hashes from the leaf up.
	pub proof: Vec<H256>,
}

impl<T: Config> Pallet<T> {
	/// A dataset with its certificate and what a purchase costs now (`None` for an unknown
	/// dataset).
	pub fn api_dataset(id: DatasetId) -> Option<DatasetInfo<T::AccountId, BalanceOf<T>>> {
		let ds = DatasetDetails::<T>::get(id)?;
		let quote = Self::quote(id).ok()?;
		Some(DatasetInfo {
			job: ds.job,
			publisher: ds.publisher,
			root: ds.root,
			items: ds.items,
			price: ds.price,
			listed: ds.listed,
			sales: ds.sales,
			certificate: ds.certificate,
			quote: quote.price,
			sellable: quote.sold,
			excluded: quote.excluded,
			purchase_deposit: quote.deposit,
			deposit: ds.deposit,
		})
	}

	/// The dataset published from `job`, if any.
	pub fn api_dataset_of_job(job: JobId) -> Option<DatasetId> {
		DatasetOfJob::<T>::get(job)
	}

	/// One page of `owner`'s sales, newest first: at most `min(max, MAX_PAGE)` sales, starting
	/// at sale `from` (the `next` of the previous page; `None`: the newest). A `from` that is not
	/// one of the owner's sales gives an empty page. Reads two entries per sale returned: the
	/// owner's sales are a linked list, so nothing is collected beyond the page.
	pub fn api_owner_sales(
		owner: &T::AccountId,
		from: Option<SaleId>,
		max: u32,
	) -> OwnerReport<T::AccountId, BalanceOf<T>, BlockNumberFor<T>> {
		let mut next = match from {
			Some(id) => Some(id),
			None => LastOwnerSale::<T>::get(owner),
		};
		let mut sales = Vec::new();
		while let Some(id) = next {
			if sales.len() >= max.min(MAX_PAGE) as usize {
				break;
			}
			let Some(entry) = OwnerSales::<T>::get(owner, id) else {
				next = None;
				break;
			};
			next = entry.previous;
			if let Some(sale) = Sales::<T>::get(id) {
				sales.push(OwnerSaleInfo {
					sale: id,
					dataset: entry.dataset,
					buyer: sale.buyer,
					at: sale.at,
					items: entry.items,
					amount: entry.amount,
				});
			}
		}
		OwnerReport { unclaimed: Unclaimed::<T>::get(owner).unwrap_or_default(), sales, next }
	}

	/// The inclusion proof of leaf `leaf` of a dataset, with the leaf's item and encoded
	/// consensus label (`None` for an unknown dataset or leaf).
	pub fn api_inclusion_proof(dataset: DatasetId, leaf: u32) -> Option<InclusionProof> {
		let ds = DatasetDetails::<T>::get(dataset)?;
		let (job_index, item) = *DatasetItems::<T>::get(dataset).get(leaf as usize)?;
		let label = T::Jobs::result(ds.job, job_index)?.label.encode();
		let proof = Self::inclusion_proof(dataset, leaf)?;
		Some(InclusionProof {
			root: ds.root,
			leaves: ds.items,
			leaf,
			item,
			job_index,
			label,
			proof,
		})
	}
}
