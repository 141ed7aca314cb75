//! Implementation of [`crowdlabel_runtime_api::CrowdLabelApi`]: read-only views across the
//! CrowdLabel pallets.

use alloc::vec::Vec;
use codec::Encode;
use crowdlabel_runtime_api as api;
use pallet_labelers::{types::Qualification, LabelerRegistry};
use sp_core::H256;

use crate::{AccountId, Balance, BlockNumber, Runtime};

/// The consensus label type of this runtime.
pub type ConsensusLabel = pallet_jobs::ConsensusLabel<<Runtime as pallet_jobs::Config>::MaxBoxes>;

/// Most results one `job_results` call returns.
const MAX_RESULTS: u32 = 1000;

pub fn labeler(who: AccountId) -> Option<api::LabelerInfo<Balance, BlockNumber>> {
	let reg = pallet_labelers::Labelers::<Runtime>::get(&who);
	let quals: Vec<(u32, Qualification<BlockNumber>)> =
		pallet_labelers::Qualifications::<Runtime>::iter_prefix(&who).collect();
	if reg.is_none() && quals.is_empty() {
		return None;
	}
	let declared: Vec<u32> = reg.as_ref().map(|r| r.domains.to_vec()).unwrap_or_default();
	let mut domains = declared.clone();
	for (d, _) in quals.iter() {
		if !domains.contains(d) {
			domains.push(*d);
		}
	}
	domains.sort();
	let standing = domains
		.into_iter()
		.map(|domain| {
			let q = quals.iter().find(|(d, _)| *d == domain).map(|(_, q)| *q);
			let stats = pallet_labelers::Reputation::<Runtime>::get(&who, domain);
			let error = pallet_labelers::Domains::<Runtime>::get(domain)
				.and_then(|d| stats.error(d.kind.error_metric()));
			api::DomainStanding {
				domain,
				qualified: matches!(q, Some(Qualification::Qualified { .. })),
				retry_at: match q {
					Some(Qualification::Failed { retry_at }) => Some(retry_at),
					_ => None,
				},
				weight: <pallet_labelers::Pallet<Runtime> as LabelerRegistry<_, _>>::weight_of(
					&who, domain,
				),
				error,
				samples: stats.samples,
				challenges: (stats.challenges, stats.challenges_failed),
			}
		})
		.collect();
	Some(api::LabelerInfo {
		deposit: reg.map(|r| r.deposit).unwrap_or_default(),
		declared,
		domains: standing,
	})
}

pub fn job_progress(job: u32) -> Option<api::JobProgress<AccountId, Balance, BlockNumber>> {
	let j = pallet_jobs::Jobs::<Runtime>::get(job)?;
	let package_progress = if j.status == pallet_jobs::JobStatus::Settled {
		Vec::new()
	} else {
		(0..j.packages)
			.map(|p| {
				let pkg = pallet_jobs::Packages::<Runtime>::get(job, p);
				api::PackageProgress {
					package: p,
					takers: pkg.takers,
					committed: pkg.committed,
					revealed: pkg.revealed,
					accepted: pkg.accepted,
					complete: pkg.complete,
				}
			})
			.collect()
	};
	Some(api::JobProgress {
		requester: j.requester,
		domain: j.domain,
		status: j.status,
		items: j.items,
		packages: j.packages,
		redundancy: j.redundancy,
		completed_packages: j.completed,
		labeled_items: pallet_jobs::Results::<Runtime>::iter_prefix(job).count() as u32,
		budget: j.budget,
		fines: j.fines,
		deadline: j.deadline,
		package_progress,
		dataset: pallet_datasets::DatasetOfJob::<Runtime>::get(job),
	})
}

pub fn job_results(job: u32, from: u32, max: u32) -> Vec<api::ItemConsensus<ConsensusLabel>> {
	let items = pallet_jobs::JobItems::<Runtime>::get(job);
	let end = from.saturating_add(max.min(MAX_RESULTS)).min(items.len() as u32);
	(from..end)
		.filter_map(|index| {
			let r = pallet_jobs::Results::<Runtime>::get(job, index)?;
			let item = *items.get(index as usize)?;
			Some(api::ItemConsensus { index, item, label: r.label, agreement: r.agreement })
		})
		.collect()
}

pub fn dataset(id: u32) -> Option<api::DatasetInfo<AccountId, Balance>> {
	let ds = pallet_datasets::Datasets::<Runtime>::get(id)?;
	let quote = pallet_datasets::Pallet::<Runtime>::quote(id).ok()?;
	Some(api::DatasetInfo {
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

/// One page (at most `pallet_datasets::MAX_PAGE`) of an owner's sales, newest first.
pub fn owner_sales(
	owner: AccountId,
	from: Option<u32>,
	max: u32,
) -> api::OwnerReport<AccountId, Balance, BlockNumber> {
	let page = pallet_datasets::Pallet::<Runtime>::api_owner_sales(&owner, from, max);
	api::OwnerReport {
		unclaimed: page.unclaimed,
		sales: page
			.sales
			.into_iter()
			.map(|(sale, s, record)| api::OwnerSaleInfo {
				sale,
				dataset: s.dataset,
				buyer: record.buyer,
				at: record.at,
				items: s.items,
				amount: s.amount,
			})
			.collect(),
		next: page.next,
	}
}

pub fn inclusion_proof(dataset: u32, leaf: u32) -> Option<api::InclusionProof> {
	let ds = pallet_datasets::Datasets::<Runtime>::get(dataset)?;
	let (job_index, item) =
		*pallet_datasets::DatasetItems::<Runtime>::get(dataset).get(leaf as usize)?;
	let label = pallet_jobs::Results::<Runtime>::get(ds.job, job_index)?.label.encode();
	let proof = pallet_datasets::Pallet::<Runtime>::inclusion_proof(dataset, leaf)?;
	Some(api::InclusionProof {
		root: ds.root,
		leaves: ds.items,
		leaf,
		item,
		job_index,
		label,
		proof,
	})
}

/// Bounded in the pallet: proofs of at most `MAX_PROOF_LEN` hashes and labels of at most the
/// largest consensus label are checked, anything longer is `false` before any hashing.
pub fn verify_inclusion(
	dataset: u32,
	leaf: u32,
	item: H256,
	label: Vec<u8>,
	proof: Vec<H256>,
) -> bool {
	pallet_datasets::Pallet::<Runtime>::verify_inclusion(dataset, leaf, item, &label, &proof)
}
