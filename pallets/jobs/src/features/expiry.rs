//! Expiring assignments past their windows and reopening freed slots.

use crate::{pallet::*, types::*};
use crowdlabel_traits::LabelerRegistry;
use frame_support::{
	pallet_prelude::*,
	traits::{fungible::MutateHold, tokens::Precision},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Zero;

impl<T: Config> Pallet<T> {
	/// Whether the job can no longer take labelers (cancelled or past its deadline).
	pub(crate) fn closed(job: &JobOf<T>, now: BlockNumberFor<T>) -> bool {
		job.status != JobStatus::Open || now > job.deadline
	}

	/// Returns the judgement's cost figures if the expiry judged the package, and whether the
	/// labeler's idle stake in the job was released (its last open package there ended).
	pub(crate) fn do_expire_assignment(
		id: JobId,
		p: PackageIndex,
		who: T::AccountId,
	) -> Result<(Option<JudgeCost>, bool), DispatchError> {
		let a = Assignments::<T>::get((id, p, &who)).ok_or(Error::<T>::NotAssigned)?;
		let mut job = JobDetails::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		let mut pkg = Packages::<T>::get(id, p);
		let now = frame_system::Pallet::<T>::block_number();
		let closed = Self::closed(&job, now);
		let fillable = pkg.takers.saturating_add(pkg.accepted) >= job.redundancy;
		let due = a.due(&pkg);
		let past = due.is_some_and(|d| now > d);
		let mut cost = None;
		let mut released = false;
		let committed = matches!(a.state, AssignmentState::Committed(_));
		match a.state {
			AssignmentState::Taken if past => {
				released =
					Self::slash(id, &mut job, p, &who, a.deposit, SlashReason::MissedCommit)?;
				Self::remove_open(id, p, &who, &mut pkg, false);
				Self::reopen(id, &job, p, now)?;
			},
			AssignmentState::Committed(_) if past => {
				released =
					Self::slash(id, &mut job, p, &who, a.deposit, SlashReason::MissedReveal)?;
				T::Labelers::record_missed_reveal(&who, job.domain);
				Self::remove_open(id, p, &who, &mut pkg, true);
				// Other committers of the same opening that have not revealed either (their
				// window, the same one, is over too) are expired first: until then the package is
				// neither judged nor offered again, so a replacement's commit never opens a
				// window for them anew.
				if pkg.committed <= pkg.revealed {
					pkg.reveal_by = None;
					// The revealed labels left in the package are judged at once when enough
					// remain; otherwise they wait for a replacement (or the job's end).
					if pkg.revealed == pkg.takers
						&& pkg.revealed > 0
						&& pkg.revealed.saturating_add(pkg.accepted) >= T::MinRedundancy::get()
					{
						cost = Some(Self::judge(id, &mut job, p, &mut pkg, false)?);
					} else {
						Self::reopen(id, &job, p, now)?;
					}
				}
			},
			// The package can never fill (the requester cancelled, or the deadline passed, with
			// free slots) and this labeler's window still runs (taken) or the reveals never
			// opened (committed): no label was revealed, nothing was taken from anyone; the
			// deposit comes back.
			AssignmentState::Taken | AssignmentState::Committed(_)
				if closed && !fillable && (!committed || due.is_none()) =>
			{
				T::Currency::release(
					&HoldReason::PackageDeposit.into(),
					&who,
					a.deposit,
					Precision::BestEffort,
				)?;
				released = Self::note_left(id, &mut job, &who, None, Zero::zero())?;
				Self::remove_open(id, p, &who, &mut pkg, committed);
				Self::deposit_event(Event::DepositReleased {
					job: id,
					package: p,
					labeler: who.clone(),
					amount: a.deposit,
				});
			},
			// Revealed labels waiting for a replacement that can no longer come: judge them now.
			AssignmentState::Revealed(_) if closed && pkg.revealed == pkg.takers => {
				cost = Some(Self::judge(id, &mut job, p, &mut pkg, true)?);
			},
			_ => return Err(Error::<T>::NotExpired.into()),
		}
		Packages::<T>::insert(id, p, pkg);
		JobDetails::<T>::insert(id, job);
		Ok((cost, released))
	}

	/// Removes an open assignment and updates the package counters.
	pub(crate) fn remove_open(
		id: JobId,
		p: PackageIndex,
		who: &T::AccountId,
		pkg: &mut PackageOf<T>,
		committed: bool,
	) {
		Assignments::<T>::remove((id, p, who));
		pkg.takers = pkg.takers.saturating_sub(1);
		if committed {
			pkg.committed = pkg.committed.saturating_sub(1);
		}
	}

	/// Puts a package with a free slot back on the open list while takes are open.
	pub(crate) fn reopen(
		id: JobId,
		job: &JobOf<T>,
		p: PackageIndex,
		now: BlockNumberFor<T>,
	) -> DispatchResult {
		if !Self::takes_open(job, now) {
			return Ok(());
		}
		OpenPackages::<T>::try_mutate(id, |open| {
			if !open.contains(&p) {
				open.try_push(p)?;
			}
			Ok::<_, PackageIndex>(())
		})
		.map_err(|_| Error::<T>::Overflow)?;
		Ok(())
	}
}
