//! Creating and cancelling jobs.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use crowdlabel_consensus::{budget_for_pay, split_budget, total_workload};
use crowdlabel_traits::LabelerRegistry;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::fungible::{Inspect, MutateHold},
};
use sp_runtime::traits::{Saturating, UniqueSaturatedInto, Zero};

impl<T: Config> Pallet<T> {
	/// Returns the new job's id.
	pub(crate) fn do_create_job(
		who: T::AccountId,
		spec: JobSpecOf<T>,
	) -> Result<JobId, DispatchError> {
		let JobSpec {
			domain,
			items,
			redundancy,
			package_size,
			budget,
			duration,
			commit_window,
			reveal_window,
			challenges,
			workload,
		} = spec;
		let kind = T::Labelers::domain(domain).ok_or(Error::<T>::UnknownDomain)?.kind;
		ensure!(!items.is_empty(), Error::<T>::NoItems);
		let max_r = T::MaxRedundancy::get().min(crowdlabel_consensus::limits::MAX_LABELS as u32);
		ensure!(
			redundancy >= T::MinRedundancy::get() && redundancy <= max_r,
			Error::<T>::BadRedundancy
		);
		ensure!(
			package_size >= 1 && package_size <= T::MaxPackageSize::get(),
			Error::<T>::BadPackageSize
		);
		ensure!(
			!duration.is_zero() && !commit_window.is_zero() && !reveal_window.is_zero(),
			Error::<T>::ZeroWindow
		);
		ensure!(
			duration <= T::MaxJobDuration::get()
				&& commit_window <= T::MaxWindow::get()
				&& reveal_window <= T::MaxWindow::get(),
			Error::<T>::WindowTooLong
		);
		ensure!(
			commit_window.saturating_add(reveal_window) <= duration,
			Error::<T>::WindowsExceedDuration
		);
		let n = items.len() as u32;
		if let Some(w) = &workload {
			let least = Self::workload_budget(n, redundancy, w)?;
			ensure!(budget >= least, Error::<T>::BudgetBelowWorkload);
		}
		let packages = n.div_ceil(package_size);
		let (reserve, pay) =
			split_budget(budget.unique_saturated_into(), T::PlatformReserve::get());
		let (reserve, pay): (BalanceOf<T>, BalanceOf<T>) =
			(reserve.unique_saturated_into(), pay.unique_saturated_into());
		let now = frame_system::Pallet::<T>::block_number();
		let storage_deposit = Self::storage_deposit(n, packages, redundancy);
		let job = Job {
			requester: who.clone(),
			domain,
			kind,
			items: n,
			package_size,
			packages,
			redundancy,
			budget,
			reserve,
			pay,
			deadline: now.saturating_add(duration),
			commit_window,
			reveal_window,
			challenges,
			challenges_revealed: false,
			gold_checked: 0,
			gold_wrong: 0,
			completed: 0,
			labelers: 0,
			fines: Zero::zero(),
			accepted: 0,
			challenge_items: 0,
			storage_deposit,
			settled_at: None,
			retained: false,
			status: JobStatus::Open,
			workload,
		};
		// The smallest package (the last one) must be worth at least the existential deposit per
		// labeling, or rewards could not be paid out and deposits would be dust.
		let last = n.saturating_sub(package_size.saturating_mul(packages.saturating_sub(1)));
		let smallest = Self::package_value(&job, last).ok_or(Error::<T>::Overflow)?;
		ensure!(smallest >= T::Currency::minimum_balance(), Error::<T>::BudgetTooSmall);
		let id = NextJobId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::IdOverflow)?;
		T::Currency::hold(&HoldReason::JobEscrow.into(), &who, budget)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		if !storage_deposit.is_zero() {
			T::Currency::hold(&HoldReason::JobStorage.into(), &who, storage_deposit)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
		}
		let open: BoundedVec<PackageIndex, T::MaxItems> =
			BoundedVec::truncate_from((0..packages).collect::<Vec<_>>());
		JobDetails::<T>::insert(id, job);
		JobItems::<T>::insert(id, items);
		OpenPackages::<T>::insert(id, open);
		NextJobId::<T>::put(next);
		Self::deposit_event(Event::JobCreated {
			job: id,
			requester: who,
			domain,
			items: n,
			packages,
			budget,
			storage_deposit,
		});
		Ok(id)
	}

	/// The least budget of a job of `items` items and redundancy `redundancy` that declares
	/// `workload`: its pay (after the platform reserve) covers `items x R x W_n` minutes at the
	/// declared price (Briko eq. 2-3).
	///
	/// Errors: [`ZeroWorkload`](Error::ZeroWorkload) for `W_n = 0`,
	/// [`Overflow`](Error::Overflow) when the figures do not fit.
	pub fn workload_budget(
		items: u32,
		redundancy: u32,
		workload: &DeclaredWorkload<BalanceOf<T>>,
	) -> Result<BalanceOf<T>, Error<T>> {
		ensure!(workload.minutes_per_item > 0, Error::<T>::ZeroWorkload);
		let minutes = total_workload(items, redundancy, workload.minutes_per_item);
		let price: u128 = workload.price_per_minute.unique_saturated_into();
		let pay = minutes.checked_mul(price).ok_or(Error::<T>::Overflow)?;
		let budget = budget_for_pay(pay, T::PlatformReserve::get()).ok_or(Error::<T>::Overflow)?;
		let least: BalanceOf<T> = budget.unique_saturated_into();
		let back: u128 = least.unique_saturated_into();
		ensure!(back == budget, Error::<T>::Overflow);
		Ok(least)
	}

	pub(crate) fn do_cancel_job(who: T::AccountId, id: JobId) -> DispatchResult {
		let mut job = JobDetails::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		ensure!(job.requester == who, Error::<T>::NotRequester);
		ensure!(job.status == JobStatus::Open, Error::<T>::JobNotOpen);
		job.status = JobStatus::Cancelled;
		// Only the untaken slots close: taken packages are still labeled, judged and paid.
		OpenPackages::<T>::remove(id);
		JobDetails::<T>::insert(id, job);
		Self::deposit_event(Event::JobCancelled { job: id });
		Ok(())
	}
}
