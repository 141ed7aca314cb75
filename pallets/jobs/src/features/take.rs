//! Taking packages: random assignment, the open-package limit and the labeler cap.

use crate::{functions::*, pallet::*, types::*};
use codec::Encode;
use crowdlabel_traits::LabelerRegistry;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{fungible::MutateHold, Randomness},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
	/// Whether new labelers may still take packages of `job`.
	pub(crate) fn takes_open(job: &JobOf<T>, now: BlockNumberFor<T>) -> bool {
		job.status == JobStatus::Open
			&& now.saturating_add(job.commit_window).saturating_add(job.reveal_window)
				<= job.deadline
	}

	/// Picks the package for `who`: a random entry of the open list, then the next ones, skipping
	/// packages `who` already holds. Returns the package index and the packages probed (at most
	/// [`MAX_TAKE_PROBES`], one read each).
	pub(crate) fn pick_package(
		who: &T::AccountId,
		id: JobId,
		open: &[PackageIndex],
	) -> Result<(PackageIndex, u32), DispatchError> {
		let len = open.len() as u32;
		ensure!(len > 0, Error::<T>::NoFreePackage);
		let subject = (b"crowdlabel/take", id, who).encode();
		let (random, _) = T::Randomness::random(&subject);
		let r = u32::from_le_bytes(
			random.as_ref().get(..4).and_then(|b| b.try_into().ok()).unwrap_or([0u8; 4]),
		);
		let start = r % len;
		for k in 0..len.min(MAX_TAKE_PROBES) {
			let i = (start.saturating_add(k) % len) as usize;
			let Some(p) = open.get(i) else { continue };
			// Not a package the caller holds, nor one it was slashed on and may still appeal
			// (it would see the accepted labels and copy them).
			if !Assignments::<T>::contains_key((id, *p, who))
				&& !SlashRecords::<T>::contains_key((id, *p, who))
			{
				return Ok((*p, k.saturating_add(1)));
			}
		}
		Err(Error::<T>::NoFreePackage.into())
	}

	/// Returns the package index taken, the packages probed to find it and how many of the
	/// take's worst-case writes it did not make (the job record when the caller already works
	/// in the job, the open list when the package still has a free slot): the call is refunded
	/// for them.
	pub(crate) fn do_take_package(
		who: T::AccountId,
		id: JobId,
	) -> Result<(PackageIndex, u32, u32), DispatchError> {
		let mut job = JobDetails::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(job.status == JobStatus::Open && now <= job.deadline, Error::<T>::JobNotOpen);
		ensure!(Self::takes_open(&job, now), Error::<T>::TooLateToTake);
		ensure!(T::Labelers::is_qualified(&who, job.domain), Error::<T>::NotQualified);
		let mut work = Workload::<T>::get(id, &who);
		ensure!(
			work.is_none_or(|w| w.open < T::MaxOpenPerLabeler::get()),
			Error::<T>::TooManyOpenPackages
		);
		let mut open = OpenPackages::<T>::get(id);
		let (p, probes) = Self::pick_package(&who, id, &open)?;
		let (_, len) = Self::package_bounds(&job, p).ok_or(Error::<T>::UnknownPackage)?;
		let mut pkg = Packages::<T>::get(id, p);
		ensure!(!pkg.complete, Error::<T>::PackageComplete);
		ensure!(pkg.takers.saturating_add(pkg.accepted) < job.redundancy, Error::<T>::PackageFull);
		let new_labeler = work.is_none();
		ensure!(
			!new_labeler || job.labelers < T::MaxLabelersPerJob::get(),
			Error::<T>::TooManyLabelers
		);
		let deposit = Self::package_deposit(&job, len).ok_or(Error::<T>::Overflow)?;
		T::Currency::hold(&HoldReason::PackageDeposit.into(), &who, deposit)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		let w = work.get_or_insert_with(LabelerWork::default);
		w.open = w.open.saturating_add(1);
		Workload::<T>::insert(id, &who, *w);
		if new_labeler {
			job.labelers = job.labelers.saturating_add(1);
			JobDetails::<T>::insert(id, &job);
		}
		Assignments::<T>::insert(
			(id, p, &who),
			Assignment {
				deposit,
				deadline: Some(now.saturating_add(job.commit_window)),
				state: AssignmentState::Taken,
			},
		);
		pkg.takers = pkg.takers.saturating_add(1);
		let mut unwritten = if new_labeler { 0 } else { 1 };
		if pkg.takers.saturating_add(pkg.accepted) >= job.redundancy {
			open.retain(|q| *q != p);
			OpenPackages::<T>::insert(id, open);
		} else {
			unwritten += 1;
		}
		Packages::<T>::insert(id, p, pkg);
		Self::deposit_event(Event::PackageTaken { job: id, package: p, labeler: who, deposit });
		Ok((p, probes, unwritten))
	}
}
