//! Read-only queries for clients, served by the runtime API `CrowdLabelApi` (and the node's
//! `crowdlabel_jobProgress` / `crowdlabel_jobResults` JSON-RPC methods): the data and its
//! shape live here, with the storage they read.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use crowdlabel_labels::{DomainId, ItemHash};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_runtime::Perbill;

/// Most results one [`Pallet::api_job_results`] call returns.
pub const MAX_RESULTS: u32 = 1000;

/// Progress of one package.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct PackageProgress {
	/// Package index.
	pub package: PackageIndex,
	/// Labelers holding it now (taken, committed or revealed, not yet judged).
	pub takers: u32,
	/// Of those, committed.
	pub committed: u32,
	/// Of those, revealed.
	pub revealed: u32,
	/// Labels already accepted (their labelers no longer hold the package).
	pub accepted: u32,
	/// All R labels accepted: the package's consensus is stored.
	pub complete: bool,
}

/// A job's progress.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct JobProgress<AccountId, Balance, BlockNumber> {
	/// Who pays.
	pub requester: AccountId,
	/// Domain.
	pub domain: DomainId,
	/// Lifecycle.
	pub status: JobStatus,
	/// Items.
	pub items: u32,
	/// Number of packages.
	pub packages: u32,
	/// Labels per item (R).
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
	/// Per package progress (empty once settled: the packages' records are gone, the
	/// results stay until the job is pruned).
	pub package_progress: Vec<PackageProgress>,
	/// The dataset published from the job, if any (filled in by the runtime from the
	/// datasets pallet; `None` here).
	pub dataset: Option<u32>,
}

/// The consensus of one item.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct ItemConsensus<Label> {
	/// Item index in the job.
	pub index: u32,
	/// Item hash (SHA2-256 of the content).
	pub item: ItemHash,
	/// Consensus label.
	pub label: Label,
	/// Unweighted mean agreement of the accepted labels with it.
	pub agreement: Perbill,
}

impl<T: Config> Pallet<T> {
	/// A job's status and per-package progress (`None` for an unknown or pruned job). Reads
	/// one record per package and counts the job's results.
	pub fn api_job_progress(
		job: JobId,
	) -> Option<JobProgress<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>> {
		let j = JobDetails::<T>::get(job)?;
		let package_progress = if j.status == JobStatus::Settled {
			Vec::new()
		} else {
			(0..j.packages)
				.map(|p| {
					let pkg = Packages::<T>::get(job, p);
					PackageProgress {
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
		Some(JobProgress {
			requester: j.requester,
			domain: j.domain,
			status: j.status,
			items: j.items,
			packages: j.packages,
			redundancy: j.redundancy,
			completed_packages: j.completed,
			labeled_items: Results::<T>::iter_prefix_values(job)
				.map(|r| r.len() as u32)
				.fold(0, u32::saturating_add),
			budget: j.budget,
			fines: j.fines,
			deadline: j.deadline,
			package_progress,
			dataset: None,
		})
	}

	/// Consensus results of the job's items with index in `[from, from + min(max, 1000))`,
	/// in item order (items without a result are skipped).
	pub fn api_job_results(
		job: JobId,
		from: u32,
		max: u32,
	) -> Vec<ItemConsensus<ConsensusLabel<T::MaxBoxes>>> {
		let items = JobItems::<T>::get(job);
		let end = from.saturating_add(max.min(MAX_RESULTS)).min(items.len() as u32);
		(from..end)
			.filter_map(|index| {
				let r = Self::item_result(job, index)?;
				let item = *items.get(index as usize)?;
				Some(ItemConsensus { index, item, label: r.label, agreement: r.agreement })
			})
			.collect()
	}
}
