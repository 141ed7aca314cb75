//! Committing and revealing labels; the reveal that completes a package judges it.

use crate::{pallet::*, types::*};
use codec::Encode;
use crowdlabel_labels::{label_commitment, label_fits, Commitment, Salt};
use frame_support::{ensure, pallet_prelude::*, traits::Randomness};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
	/// Returns the package's assignments, the figure its weight grows with (each is read for
	/// the copy check and, when this commit opens the reveals, to find the committers waiting
	/// for them), and whether this commit opened the reveals.
	pub(crate) fn do_commit_labels(
		who: T::AccountId,
		id: JobId,
		p: PackageIndex,
		commitment: Commitment,
	) -> Result<(u32, bool), DispatchError> {
		let mut a = Assignments::<T>::get((id, p, &who)).ok_or(Error::<T>::NotAssigned)?;
		ensure!(matches!(a.state, AssignmentState::Taken), Error::<T>::AlreadyCommitted);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(a.deadline.is_some_and(|d| now <= d), Error::<T>::CommitWindowClosed);
		let job = JobDetails::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		// A commitment already in the package is a copy (commitments bind the labeler, so a
		// copy could never be opened anyway): refuse it outright.
		let mut slots = 0u32;
		let mut copy = false;
		for o in Assignments::<T>::iter_prefix_values((id, p)) {
			slots = slots.saturating_add(1);
			copy |= matches!(o.state, AssignmentState::Committed(c) if c == commitment);
		}
		ensure!(!copy, Error::<T>::DuplicateCommitment);
		let mut pkg = Packages::<T>::get(id, p);
		pkg.committed = pkg.committed.saturating_add(1);
		a.state = AssignmentState::Committed(commitment);
		a.deadline = None;
		Assignments::<T>::insert((id, p, &who), a);
		Self::deposit_event(Event::LabelsCommitted { job: id, package: p, labeler: who });
		let opened = Self::maybe_open_reveals(id, &job, p, &mut pkg, now);
		Packages::<T>::insert(id, p, pkg);
		Ok((slots, opened))
	}

	/// Once every slot of the package is committed (or accepted), the reveals open for every
	/// committer whose reveal window has not started yet: the package's
	/// [`Package::reveal_by`] is set (no assignment is written). Running windows are never
	/// moved: the package is offered to new takers only once no committed label of an earlier
	/// opening is left to reveal (see `do_expire_assignment`), so every committer waiting here
	/// committed after the last opening. Returns whether the reveals opened.
	pub(crate) fn maybe_open_reveals(
		id: JobId,
		job: &JobOf<T>,
		p: PackageIndex,
		pkg: &mut PackageOf<T>,
		now: BlockNumberFor<T>,
	) -> bool {
		if pkg.committed != pkg.takers || pkg.takers.saturating_add(pkg.accepted) != job.redundancy
		{
			return false;
		}
		if pkg.reveal_by.is_some() {
			return false;
		}
		let waiting = Assignments::<T>::iter_prefix_values((id, p))
			.any(|a| matches!(a.state, AssignmentState::Committed(_)) && a.deadline.is_none());
		if !waiting {
			return false;
		}
		let reveal_by = now.saturating_add(job.reveal_window);
		pkg.reveal_by = Some(reveal_by);
		let (seed, _) = T::Randomness::random(&(b"crowdlabel/seed", id, p).encode());
		pkg.seed = sp_io::hashing::blake2_256(seed.as_ref());
		Self::deposit_event(Event::RevealsOpened { job: id, package: p, reveal_by });
		true
	}

	/// Returns the judgement's cost figures if the reveal completed the package's reveals.
	pub(crate) fn do_reveal_labels(
		who: T::AccountId,
		id: JobId,
		p: PackageIndex,
		labels: PackageLabelsOf<T>,
		salt: Salt,
		redundancy: u32,
	) -> Result<Option<JudgeCost>, DispatchError> {
		let mut a = Assignments::<T>::get((id, p, &who)).ok_or(Error::<T>::NotAssigned)?;
		let mut pkg = Packages::<T>::get(id, p);
		let deadline = a.due(&pkg);
		let AssignmentState::Committed(commitment) = a.state else {
			return Err(Error::<T>::NotCommitted.into());
		};
		let deadline = deadline.ok_or(Error::<T>::RevealNotOpen)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now <= deadline, Error::<T>::RevealWindowClosed);
		let mut job = JobDetails::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		// The call was charged up front for a judgement of `redundancy` labels.
		ensure!(redundancy >= job.redundancy, Error::<T>::RedundancyWitnessTooLow);
		let (first, len) = Self::package_bounds(&job, p).ok_or(Error::<T>::UnknownPackage)?;
		ensure!(labels.len() as u32 == len, Error::<T>::WrongLabelCount);
		ensure!(labels.iter().all(|l| label_fits(&job.kind, l)), Error::<T>::InvalidLabel);
		ensure!(
			label_commitment(&who, id, p, &labels, &salt) == commitment,
			Error::<T>::CommitmentMismatch
		);
		a.state = AssignmentState::Revealed(labels);
		a.deadline = None;
		Assignments::<T>::insert((id, p, &who), a);
		pkg.revealed = pkg.revealed.saturating_add(1);
		if pkg.revealed >= pkg.committed {
			// Nobody is left to reveal: the window is over.
			pkg.reveal_by = None;
		}
		for i in 0..len {
			Self::deposit_event(Event::LabelRevealed {
				job: id,
				item: first.saturating_add(i),
				labeler: who.clone(),
			});
		}
		// The last reveal judges the package: nobody can keep revealed labels unpaid.
		let cost = if pkg.revealed == pkg.takers
			&& pkg.takers.saturating_add(pkg.accepted) == job.redundancy
		{
			Some(Self::judge(id, &mut job, p, &mut pkg, false)?)
		} else {
			None
		};
		Packages::<T>::insert(id, p, pkg);
		// Only a judgement changes the job record (accepted labels, fines, completed packages).
		if cost.is_some() {
			JobDetails::<T>::insert(id, job);
		}
		Ok(cost)
	}
}
