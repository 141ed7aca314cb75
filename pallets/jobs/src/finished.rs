//! [`FinishedJobs`]: what the dataset registry reads from settled jobs.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
#[cfg(feature = "runtime-benchmarks")]
use crowdlabel_labels::{ItemHash, LabelKind};
use frame_support::pallet_prelude::*;
use sp_runtime::FixedU128;

impl<T: Config> FinishedJobs<T::AccountId> for Pallet<T> {
	type MaxBoxes = T::MaxBoxes;
	type MaxRedundancy = T::MaxRedundancy;

	fn settled_job(job: JobId) -> Option<SettledJob<T::AccountId>> {
		let j = JobDetails::<T>::get(job).filter(|j| j.status == JobStatus::Settled)?;
		Some(SettledJob {
			requester: j.requester,
			domain: j.domain,
			kind: j.kind,
			items: j.items,
			redundancy: j.redundancy,
			challenges: j.challenge_items,
			gold_checked: j.gold_checked,
			gold_wrong: j.gold_wrong,
		})
	}

	fn labeled_items(job: JobId) -> Vec<LabeledItem<T::MaxBoxes>> {
		let Some(j) = JobDetails::<T>::get(job) else { return Vec::new() };
		if j.package_size == 0 {
			return Vec::new();
		}
		let items = JobItems::<T>::get(job);
		let mut labeled = Vec::new();
		for package in 0..j.packages {
			let Some(results) = Results::<T>::get(job, package) else { continue };
			let first = package.saturating_mul(j.package_size);
			for (i, result) in results.into_iter().enumerate() {
				let index = first.saturating_add(i as u32);
				let Some(item) = items.get(index as usize) else { continue };
				labeled.push(LabeledItem { index, item: *item, package, result });
			}
		}
		labeled
	}

	fn result(job: JobId, index: u32) -> Option<ItemResult<T::MaxBoxes>> {
		Self::item_result(job, index)
	}

	fn contributors(
		job: JobId,
		package: PackageIndex,
	) -> BoundedVec<(T::AccountId, FixedU128), T::MaxRedundancy> {
		Contributions::<T>::get(job, package)
	}

	fn retain(job: JobId) -> DispatchResult {
		Self::do_retain(job)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_settled_job(
		requester: T::AccountId,
		kind: LabelKind,
		items: Vec<ItemHash>,
		labelers: Vec<T::AccountId>,
	) -> JobId {
		use crowdlabel_consensus::{BoundingBox, Perbill};
		let id = NextJobId::<T>::get();
		NextJobId::<T>::put(id.saturating_add(1));
		let n = items.len() as u32;
		// The largest consensus label of the kind (boxes: `MaxBoxes` boxes).
		let label = match kind {
			LabelKind::BoundingBoxes { .. } => {
				let b = BoundingBox { x_min: 0, y_min: 0, x_max: 1000, y_max: 1000, class: 1 };
				ConsensusLabel::Boxes(BoundedVec::truncate_from(
					(0..T::MaxBoxes::get()).map(|_| b).collect(),
				))
			},
			LabelKind::SingleClass { .. } => ConsensusLabel::Class(1),
			LabelKind::Score { max, .. } => ConsensusLabel::Score(FixedU128::from_u32(max as u32)),
		};
		for p in 0..n {
			let result = ItemResult { label: label.clone(), agreement: Perbill::from_percent(90) };
			Results::<T>::insert(id, p, BoundedVec::truncate_from(alloc::vec![result]));
			let r = (T::MaxRedundancy::get() as usize).min(labelers.len());
			let who: Vec<(T::AccountId, FixedU128)> = (0..r)
				.filter_map(|k| labelers.get((p as usize + k) % labelers.len()))
				.map(|w| (w.clone(), FixedU128::from_rational(11, 10)))
				.collect();
			Contributions::<T>::insert(id, p, BoundedVec::truncate_from(who));
		}
		JobItems::<T>::insert(id, BoundedVec::truncate_from(items));
		let job = Job {
			requester,
			domain: 0,
			kind,
			items: n,
			package_size: 1,
			packages: n,
			redundancy: T::MinRedundancy::get(),
			budget: Default::default(),
			reserve: Default::default(),
			pay: Default::default(),
			deadline: Default::default(),
			commit_window: Default::default(),
			reveal_window: Default::default(),
			challenges: None,
			challenges_revealed: false,
			gold_checked: 0,
			gold_wrong: 0,
			completed: n,
			labelers: 0,
			fines: Default::default(),
			accepted: 0,
			challenge_items: 0,
			storage_deposit: Default::default(),
			settled_at: Some(Default::default()),
			retained: false,
			status: JobStatus::Settled,
			workload: None,
		};
		JobDetails::<T>::insert(id, job);
		id
	}
}
