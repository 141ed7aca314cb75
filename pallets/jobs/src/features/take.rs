//! Taking packages (one or several per call): random assignment, the open-package limit and
//! the labeler cap.

use crate::{functions::*, pallet::*, types::*};
use alloc::vec::Vec;
use codec::Encode;
use crowdlabel_traits::LabelerRegistry;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{fungible::MutateHold, Randomness},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{CheckedAdd, Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// Whether new labelers may still take packages of `job`.
	pub(crate) fn takes_open(job: &JobOf<T>, now: BlockNumberFor<T>) -> bool {
		job.status == JobStatus::Open
			&& now.saturating_add(job.commit_window).saturating_add(job.reveal_window)
				<= job.deadline
	}

	/// Picks a package for `who` among `open`, scanning from `start`: skips the packages in
	/// `taken` (picked earlier in the same call, no read) and those `who` already holds or was
	/// slashed on and may still appeal (it would see the accepted labels and copy them). Returns
	/// the package index and the packages probed (at most [`MAX_TAKE_PROBES`], two reads each),
	/// or `None` with the probes spent when no package qualifies.
	pub(crate) fn pick_package(
		who: &T::AccountId,
		id: JobId,
		open: &[PackageIndex],
		start: u32,
		taken: &[PackageIndex],
	) -> (Option<PackageIndex>, u32) {
		let len = open.len() as u32;
		if len == 0 {
			return (None, 0);
		}
		let mut probes = 0u32;
		for k in 0..len {
			if probes >= MAX_TAKE_PROBES {
				break;
			}
			let i = (start.saturating_add(k) % len) as usize;
			let Some(p) = open.get(i) else { continue };
			if taken.contains(p) {
				continue;
			}
			probes = probes.saturating_add(1);
			if !Assignments::<T>::contains_key((id, *p, who))
				&& !SlashRecords::<T>::contains_key((id, *p, who))
			{
				return (Some(*p), probes);
			}
		}
		(None, probes)
	}

	/// The random starting point of `who`'s draw in an open list of `len` packages.
	pub(crate) fn draw_start(who: &T::AccountId, id: JobId, len: u32) -> u32 {
		let subject = (b"crowdlabel/take", id, who).encode();
		let (random, _) = T::Randomness::random(&subject);
		let r = u32::from_le_bytes(
			random.as_ref().get(..4).and_then(|b| b.try_into().ok()).unwrap_or([0u8; 4]),
		);
		r.checked_rem(len).unwrap_or(0)
	}

	/// One take ([`Self::do_take_packages`] of a single package): the package index, the
	/// packages probed and the worst-case writes not made.
	pub(crate) fn do_take_package(
		who: T::AccountId,
		id: JobId,
	) -> Result<(PackageIndex, u32, u32), DispatchError> {
		let (taken, probes, unwritten) = Self::do_take_packages(who, id, 1)?;
		let p = taken.first().copied().ok_or(Error::<T>::NoFreePackage)?;
		Ok((p, probes, unwritten))
	}

	/// Takes up to `count` packages of `id` for `who`, drawn from one random point of the open
	/// list onwards, all-or-nothing: every check and the one hold of their summed deposits come
	/// before any write. Fewer than `count` are taken when fewer free packages are found within
	/// [`MAX_TAKE_PROBES`] probes each (at least one, else [`Error::NoFreePackage`]).
	///
	/// The deposits are held once, less the caller's idle stake in the job (deposits of its
	/// accepted packages kept on hold while it held others): that pays first.
	///
	/// Returns the packages taken, the packages probed and how many of the take's worst-case
	/// writes it did not make (the job record when the caller already works in the job, the
	/// open list when every package taken keeps a free slot, the hold and the account when the
	/// idle stake paid every deposit): the call is refunded for them.
	pub(crate) fn do_take_packages(
		who: T::AccountId,
		id: JobId,
		count: u32,
	) -> Result<(Vec<PackageIndex>, u32, u32), DispatchError> {
		let mut job = JobDetails::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(job.status == JobStatus::Open && now <= job.deadline, Error::<T>::JobNotOpen);
		ensure!(Self::takes_open(&job, now), Error::<T>::TooLateToTake);
		ensure!(count > 0, Error::<T>::NoPackagesRequested);
		ensure!(T::Labelers::is_qualified(&who, job.domain), Error::<T>::NotQualified);
		let mut work = Workload::<T>::get(id, &who);
		let held = work.map_or(0, |w| w.open);
		ensure!(
			held.saturating_add(count) <= T::MaxOpenPerLabeler::get(),
			Error::<T>::TooManyOpenPackages
		);
		let new_labeler = work.is_none();
		ensure!(
			!new_labeler || job.labelers < T::MaxLabelersPerJob::get(),
			Error::<T>::TooManyLabelers
		);
		let mut open = OpenPackages::<T>::get(id);
		let start = Self::draw_start(&who, id, open.len() as u32);
		// Every pick and check in memory first: a failure leaves no trace.
		let mut picks: Vec<(PackageIndex, PackageOf<T>, BalanceOf<T>)> = Vec::new();
		let mut taken: Vec<PackageIndex> = Vec::new();
		let mut probes = 0u32;
		let mut filled = false;
		let mut total = BalanceOf::<T>::zero();
		while (taken.len() as u32) < count {
			let (found, spent) = Self::pick_package(&who, id, &open, start, &taken);
			probes = probes.saturating_add(spent);
			let Some(p) = found else { break };
			let (_, len) = Self::package_bounds(&job, p).ok_or(Error::<T>::UnknownPackage)?;
			let mut pkg = Packages::<T>::get(id, p);
			ensure!(!pkg.complete, Error::<T>::PackageComplete);
			ensure!(
				pkg.takers.saturating_add(pkg.accepted) < job.redundancy,
				Error::<T>::PackageFull
			);
			let deposit = Self::package_deposit(&job, len).ok_or(Error::<T>::Overflow)?;
			total = total.checked_add(&deposit).ok_or(Error::<T>::Overflow)?;
			pkg.takers = pkg.takers.saturating_add(1);
			if pkg.takers.saturating_add(pkg.accepted) >= job.redundancy {
				open.retain(|q| *q != p);
				filled = true;
			}
			taken.push(p);
			picks.push((p, pkg, deposit));
		}
		ensure!(!picks.is_empty(), Error::<T>::NoFreePackage);
		// Deposits of this job's accepted packages still on hold (idle) pay first.
		let reused = work.map_or(Zero::zero(), |w| w.idle).min(total);
		let fresh = total.saturating_sub(reused);
		if !fresh.is_zero() {
			T::Currency::hold(&HoldReason::PackageDeposit.into(), &who, fresh)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
		}
		let w = work.get_or_insert_with(LabelerWork::default);
		w.idle = w.idle.saturating_sub(reused);
		w.open = w.open.saturating_add(picks.len() as u32);
		Workload::<T>::insert(id, &who, *w);
		if new_labeler {
			job.labelers = job.labelers.saturating_add(1);
			JobDetails::<T>::insert(id, &job);
		}
		if filled {
			OpenPackages::<T>::insert(id, open);
		}
		let deadline = Some(now.saturating_add(job.commit_window));
		for (p, pkg, deposit) in picks {
			Assignments::<T>::insert(
				(id, p, &who),
				Assignment { deposit, deadline, state: AssignmentState::Taken },
			);
			Packages::<T>::insert(id, p, pkg);
			Self::deposit_event(Event::PackageTaken {
				job: id,
				package: p,
				labeler: who.clone(),
				deposit,
			});
		}
		// The hold writes the hold and the account.
		let unwritten =
			u32::from(!new_labeler) + u32::from(!filled) + 2 * u32::from(fresh.is_zero());
		Ok((taken, probes, unwritten))
	}
}
