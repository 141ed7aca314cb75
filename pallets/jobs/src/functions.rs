//! The logic behind the calls, and the invariants checked by `try_state`.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use codec::Encode;
use crowdlabel_consensus::{
	consensus_boxes, consensus_class, consensus_stars, mean_error, mean_perbill, mul_div_floor,
	quality::star_slash_limit, reward_shares, split_proportional, BoundingBox, FixedU128, Perbill,
	Stars,
};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{InspectHold, MutateHold},
		tokens::{Fortitude, Precision, Restriction},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_labelers::{
	commitment_of, grade, label_fits,
	types::{Commitment, DomainId, ItemHash, Label, LabelKind, Salt},
	LabelerRegistry,
};
use sp_runtime::traits::{CheckedSub, Saturating, UniqueSaturatedFrom, UniqueSaturatedInto, Zero};

/// Consensus label of an item, each labeler's agreement and (stars) star error.
type ItemOutcome<T> =
	(ConsensusLabel<<T as Config>::MaxBoxes>, Vec<Perbill>, Vec<Option<FixedU128>>);

/// `amount * num / den`, rounded down, in the balance type.
fn mul_div<B: UniqueSaturatedInto<u128> + UniqueSaturatedFrom<u128>>(
	amount: B,
	num: u32,
	den: u32,
) -> Option<B> {
	mul_div_floor(amount.unique_saturated_into(), num as u128, den as u128)
		.map(B::unique_saturated_from)
}

impl<T: Config> Pallet<T> {
	/// First item index and number of items of a package.
	pub(crate) fn package_bounds(job: &JobOf<T>, p: PackageIndex) -> Option<(u32, u32)> {
		if p >= job.packages {
			return None;
		}
		let first = p.checked_mul(job.package_size)?;
		let len = job.package_size.min(job.items.checked_sub(first)?);
		Some((first, len))
	}

	/// Reward value of one labeling of a package of `len` items: `pay * len / (items * R)`.
	pub(crate) fn package_value(job: &JobOf<T>, len: u32) -> Option<BalanceOf<T>> {
		mul_div(job.pay, len, job.items.checked_mul(job.redundancy)?)
	}

	/// Deposit for a package: 1.5 x its reward value.
	pub(crate) fn package_deposit(job: &JobOf<T>, len: u32) -> Option<BalanceOf<T>> {
		let v = Self::package_value(job, len)?;
		Some(v.saturating_add(mul_div(v, 1, 2)?))
	}

	pub(crate) fn do_create_job(
		who: T::AccountId,
		domain: DomainId,
		items: BoundedVec<ItemHash, T::MaxItems>,
		redundancy: u32,
		package_size: u32,
		budget: BalanceOf<T>,
		duration: BlockNumberFor<T>,
		commit_window: BlockNumberFor<T>,
		reveal_window: BlockNumberFor<T>,
		challenges: Option<Commitment>,
	) -> DispatchResult {
		let (kind, _) = T::Labelers::domain(domain).ok_or(Error::<T>::UnknownDomain)?;
		ensure!(!items.is_empty(), Error::<T>::NoItems);
		let max_r = T::MaxRedundancy::get().min(crowdlabel_consensus::limits::MAX_LABELS as u32);
		ensure!(redundancy >= 1 && redundancy <= max_r, Error::<T>::BadRedundancy);
		ensure!(
			package_size >= 1 && package_size <= T::MaxPackageSize::get(),
			Error::<T>::BadPackageSize
		);
		ensure!(
			!duration.is_zero() && !commit_window.is_zero() && !reveal_window.is_zero(),
			Error::<T>::ZeroWindow
		);
		let n = items.len() as u32;
		let packages = n.div_ceil(package_size);
		let reserve = T::PlatformReserve::get().mul_floor(budget);
		let pay = budget.saturating_sub(reserve);
		let now = frame_system::Pallet::<T>::block_number();
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
			status: JobStatus::Open,
		};
		// The smallest package (the last one) must be worth something, or deposits are 0.
		let last = n.saturating_sub(package_size.saturating_mul(packages.saturating_sub(1)));
		let smallest = Self::package_value(&job, last).ok_or(Error::<T>::Overflow)?;
		ensure!(!smallest.is_zero(), Error::<T>::BudgetTooSmall);
		let id = NextJobId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::IdOverflow)?;
		T::Currency::hold(&HoldReason::JobEscrow.into(), &who, budget)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		Jobs::<T>::insert(id, job);
		JobItems::<T>::insert(id, items);
		NextJobId::<T>::put(next);
		Self::deposit_event(Event::JobCreated {
			job: id,
			requester: who,
			domain,
			items: n,
			packages,
			budget,
		});
		Ok(())
	}

	pub(crate) fn do_cancel_job(who: T::AccountId, id: JobId) -> DispatchResult {
		let mut job = Jobs::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		ensure!(job.requester == who, Error::<T>::NotRequester);
		ensure!(job.status == JobStatus::Open, Error::<T>::JobNotOpen);
		job.status = JobStatus::Cancelled;
		Jobs::<T>::insert(id, job);
		Self::deposit_event(Event::JobCancelled { job: id });
		Ok(())
	}

	pub(crate) fn do_take_package(who: T::AccountId, id: JobId, p: PackageIndex) -> DispatchResult {
		let mut job = Jobs::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(job.status == JobStatus::Open && now <= job.deadline, Error::<T>::JobNotOpen);
		let (_, len) = Self::package_bounds(&job, p).ok_or(Error::<T>::UnknownPackage)?;
		let mut pkg = Packages::<T>::get(id, p);
		ensure!(!pkg.complete, Error::<T>::PackageComplete);
		ensure!(pkg.takers < job.redundancy, Error::<T>::PackageFull);
		ensure!(T::Labelers::is_qualified(&who, job.domain), Error::<T>::NotQualified);
		ensure!(!Assignments::<T>::contains_key((id, p, &who)), Error::<T>::AlreadyTaken);
		let new_labeler = !Workload::<T>::contains_key(id, &who);
		ensure!(
			!new_labeler || job.labelers < T::MaxLabelersPerJob::get(),
			Error::<T>::TooManyLabelers
		);
		let deposit = Self::package_deposit(&job, len).ok_or(Error::<T>::Overflow)?;
		T::Currency::hold(&HoldReason::PackageDeposit.into(), &who, deposit)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		T::Labelers::note_work_started(&who)?;
		if new_labeler {
			Workload::<T>::insert(id, &who, 0);
			job.labelers = job.labelers.saturating_add(1);
			Jobs::<T>::insert(id, &job);
		}
		Assignments::<T>::insert(
			(id, p, &who),
			Assignment {
				deposit,
				commit_deadline: now.saturating_add(job.commit_window),
				state: AssignmentState::Taken,
			},
		);
		pkg.takers = pkg.takers.saturating_add(1);
		Packages::<T>::insert(id, p, pkg);
		Self::deposit_event(Event::PackageTaken { job: id, package: p, labeler: who, deposit });
		Ok(())
	}

	pub(crate) fn do_commit_labels(
		who: T::AccountId,
		id: JobId,
		p: PackageIndex,
		commitment: Commitment,
	) -> DispatchResult {
		let mut a = Assignments::<T>::get((id, p, &who)).ok_or(Error::<T>::NotAssigned)?;
		ensure!(matches!(a.state, AssignmentState::Taken), Error::<T>::AlreadyCommitted);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now <= a.commit_deadline, Error::<T>::CommitWindowClosed);
		let job = Jobs::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		let mut pkg = Packages::<T>::get(id, p);
		pkg.committed = pkg.committed.saturating_add(1);
		if pkg.committed == job.redundancy {
			// Every taker has committed: nobody can copy any more, reveals open.
			pkg.reveal_deadline = Some(now.saturating_add(job.reveal_window));
		}
		a.state = AssignmentState::Committed(commitment);
		Assignments::<T>::insert((id, p, &who), a);
		Packages::<T>::insert(id, p, pkg);
		Self::deposit_event(Event::LabelsCommitted { job: id, package: p, labeler: who });
		Ok(())
	}

	pub(crate) fn do_reveal_labels(
		who: T::AccountId,
		id: JobId,
		p: PackageIndex,
		labels: PackageLabelsOf<T>,
		salt: Salt,
	) -> DispatchResult {
		let mut a = Assignments::<T>::get((id, p, &who)).ok_or(Error::<T>::NotAssigned)?;
		let AssignmentState::Committed(commitment) = a.state else {
			return Err(Error::<T>::NotCommitted.into());
		};
		let mut pkg = Packages::<T>::get(id, p);
		let deadline = pkg.reveal_deadline.ok_or(Error::<T>::RevealNotOpen)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now <= deadline, Error::<T>::RevealWindowClosed);
		let job = Jobs::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		let (first, len) = Self::package_bounds(&job, p).ok_or(Error::<T>::UnknownPackage)?;
		ensure!(labels.len() as u32 == len, Error::<T>::WrongLabelCount);
		ensure!(labels.iter().all(|l| label_fits(&job.kind, l)), Error::<T>::InvalidLabel);
		ensure!(commitment_of(&labels, &salt) == commitment, Error::<T>::CommitmentMismatch);
		a.state = AssignmentState::Revealed(labels);
		Assignments::<T>::insert((id, p, &who), a);
		pkg.revealed = pkg.revealed.saturating_add(1);
		Packages::<T>::insert(id, p, pkg);
		for i in 0..len {
			Self::deposit_event(Event::LabelRevealed {
				job: id,
				item: first.saturating_add(i),
				labeler: who.clone(),
			});
		}
		Ok(())
	}

	/// Consensus of item `i` of a package over `(labels, weight)`; returns the consensus label,
	/// each labeler's agreement and (stars) star error.
	fn item_consensus(
		kind: &LabelKind,
		votes: &[(&PackageLabelsOf<T>, FixedU128)],
		i: usize,
	) -> Result<ItemOutcome<T>, DispatchError> {
		let bad = || DispatchError::from(Error::<T>::InvalidLabel);
		match kind {
			LabelKind::BoundingBoxes { .. } => {
				let sets: Vec<(&[BoundingBox], FixedU128)> = votes
					.iter()
					.map(|(ls, w)| match ls.get(i) {
						Some(Label::Boxes(b)) => Ok((b.as_slice(), *w)),
						_ => Err(bad()),
					})
					.collect::<Result<_, _>>()?;
				let c = consensus_boxes(&sets).map_err(|_| bad())?;
				let winner = sets.get(c.winner).ok_or_else(bad)?.0;
				let label = ConsensusLabel::Boxes(BoundedVec::truncate_from(winner.to_vec()));
				let n = c.agreement.len();
				Ok((label, c.agreement, alloc::vec![None; n]))
			},
			LabelKind::SingleClass { .. } => {
				let v: Vec<(u16, FixedU128)> = votes
					.iter()
					.map(|(ls, w)| match ls.get(i) {
						Some(Label::Class(c)) => Ok((*c, *w)),
						_ => Err(bad()),
					})
					.collect::<Result<_, _>>()?;
				let c = consensus_class(&v).map_err(|_| bad())?;
				let n = c.agreement.len();
				Ok((ConsensusLabel::Class(c.class), c.agreement, alloc::vec![None; n]))
			},
			LabelKind::StarReview => {
				let v: Vec<(Stars, FixedU128)> = votes
					.iter()
					.map(|(ls, w)| match ls.get(i) {
						Some(Label::Stars(s)) => Stars::new(*s).map(|s| (s, *w)).map_err(|_| bad()),
						_ => Err(bad()),
					})
					.collect::<Result<_, _>>()?;
				let c = consensus_stars(&v).map_err(|_| bad())?;
				let errors = c.errors.iter().map(|e| Some(*e)).collect();
				Ok((ConsensusLabel::Stars(c.score), c.agreement, errors))
			},
		}
	}

	pub(crate) fn do_finalize_package(id: JobId, p: PackageIndex) -> DispatchResult {
		let mut job = Jobs::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		let (first, len) = Self::package_bounds(&job, p).ok_or(Error::<T>::UnknownPackage)?;
		let mut pkg = Packages::<T>::get(id, p);
		ensure!(!pkg.complete, Error::<T>::PackageComplete);
		ensure!(
			pkg.revealed == job.redundancy && pkg.takers == job.redundancy,
			Error::<T>::NotReady
		);
		let (_, params) = T::Labelers::domain(job.domain).ok_or(Error::<T>::UnknownDomain)?;
		// Labelers in account order, each with their labels and current weight.
		let mut takers: Vec<(T::AccountId, AssignmentOf<T>)> =
			Assignments::<T>::iter_prefix((id, p)).collect();
		takers.sort_by_key(|a| a.0.encode());
		let revealed: Vec<(T::AccountId, BalanceOf<T>, PackageLabelsOf<T>)> = takers
			.into_iter()
			.filter_map(|(who, a)| match a.state {
				AssignmentState::Revealed(l) => Some((who, a.deposit, l)),
				_ => None,
			})
			.collect();
		ensure!(revealed.len() as u32 == job.redundancy, Error::<T>::NotReady);
		let weights: Vec<FixedU128> =
			revealed.iter().map(|(w, _, _)| T::Labelers::weight_of(w, job.domain)).collect();
		let votes: Vec<(&PackageLabelsOf<T>, FixedU128)> =
			revealed.iter().zip(weights.iter()).map(|((_, _, l), w)| (l, *w)).collect();

		// Consensus of every item, and each labeler's agreements and star errors.
		let r = revealed.len();
		let mut results = Vec::with_capacity(len as usize);
		let mut agreements: Vec<Vec<Perbill>> = alloc::vec![Vec::new(); r];
		let mut star_errors: Vec<Vec<Option<FixedU128>>> = alloc::vec![Vec::new(); r];
		for i in 0..len as usize {
			let (label, agree, errs) = Self::item_consensus(&job.kind, &votes, i)?;
			let mean = mean_perbill(&agree).unwrap_or_default();
			for (n, (a, e)) in agree.into_iter().zip(errs).enumerate() {
				if let (Some(av), Some(ev)) = (agreements.get_mut(n), star_errors.get_mut(n)) {
					av.push(a);
					ev.push(e);
				}
			}
			results.push(ItemResult { label, agreement: mean });
		}

		// Judge each labeler. A label's error enters the reputation once: when its labeler is
		// slashed, or when the package completes (labels that pass but wait for a replacement
		// are scored against the final consensus).
		let mut all_pass = true;
		let mut verdicts = Vec::with_capacity(r);
		for (agree, errs) in agreements.iter().zip(star_errors.iter()) {
			let mean_agreement = mean_perbill(agree).unwrap_or_default();
			let pass = match job.kind {
				LabelKind::StarReview => {
					let e: Vec<FixedU128> = errs.iter().filter_map(|e| *e).collect();
					mean_error(&e).unwrap_or_default() <= star_slash_limit()
				},
				_ => mean_agreement >= params.slash_floor,
			};
			all_pass &= pass;
			verdicts.push((pass, mean_agreement));
		}

		let record = |who: &T::AccountId, agree: &[Perbill], errs: &[Option<FixedU128>]| {
			for (a, e) in agree.iter().zip(errs.iter()) {
				T::Labelers::record_outcome(
					who,
					job.domain,
					pallet_labelers::reputation_error(*a, *e),
				);
			}
		};
		for (((who, _, _), (pass, _)), (agree, errs)) in revealed
			.iter()
			.zip(verdicts.iter())
			.zip(agreements.iter().zip(star_errors.iter()))
		{
			if all_pass || !pass {
				record(who, agree, errs);
			}
		}

		let pkg_reason = HoldReason::PackageDeposit.into();
		if all_pass {
			for ((who, deposit, labels), (_, agreement)) in revealed.into_iter().zip(verdicts) {
				T::Currency::release(&pkg_reason, &who, deposit, Precision::BestEffort)?;
				Workload::<T>::mutate(id, &who, |w| *w = w.saturating_add(len));
				Assignments::<T>::insert(
					(id, p, &who),
					Assignment {
						deposit: Zero::zero(),
						commit_deadline: Zero::zero(),
						state: AssignmentState::Accepted(labels),
					},
				);
				T::Labelers::note_work_finished(&who);
				Self::deposit_event(Event::PackageAccepted {
					job: id,
					package: p,
					labeler: who,
					agreement,
				});
			}
			for (i, res) in results.into_iter().enumerate() {
				let item = first.saturating_add(i as u32);
				Self::deposit_event(Event::ConsensusReached {
					job: id,
					item,
					agreement: res.agreement,
				});
				Results::<T>::insert(id, item, res);
			}
			pkg.complete = true;
			job.completed = job.completed.saturating_add(1);
			Self::deposit_event(Event::PackageCompleted { job: id, package: p });
		} else {
			// Slash the failing labelers; the others wait, revealed, for replacements.
			for ((who, deposit, _), (pass, _)) in revealed.into_iter().zip(verdicts) {
				if pass {
					continue;
				}
				Self::slash(id, &mut job, p, &who, deposit)?;
				Assignments::<T>::remove((id, p, &who));
				pkg.takers = pkg.takers.saturating_sub(1);
				pkg.committed = pkg.committed.saturating_sub(1);
				pkg.revealed = pkg.revealed.saturating_sub(1);
			}
			pkg.reveal_deadline = None;
		}
		Packages::<T>::insert(id, p, pkg);
		Jobs::<T>::insert(id, job);
		Ok(())
	}

	/// Forfeits a package deposit to the treasury.
	fn slash(
		id: JobId,
		job: &mut JobOf<T>,
		p: PackageIndex,
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		T::Currency::transfer_on_hold(
			&HoldReason::PackageDeposit.into(),
			who,
			&T::Treasury::get(),
			amount,
			Precision::BestEffort,
			Restriction::Free,
			Fortitude::Force,
		)?;
		job.fines = job.fines.saturating_add(amount);
		T::Labelers::note_work_finished(who);
		Self::deposit_event(Event::DepositSlashed {
			job: id,
			package: p,
			labeler: who.clone(),
			amount,
		});
		Ok(())
	}
}

impl<T: Config> Pallet<T> {
	pub(crate) fn do_expire_assignment(
		id: JobId,
		p: PackageIndex,
		who: T::AccountId,
	) -> DispatchResult {
		let a = Assignments::<T>::get((id, p, &who)).ok_or(Error::<T>::NotAssigned)?;
		let mut job = Jobs::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		let mut pkg = Packages::<T>::get(id, p);
		let now = frame_system::Pallet::<T>::block_number();
		let missed_commit = matches!(a.state, AssignmentState::Taken) && now > a.commit_deadline;
		let missed_reveal = matches!(a.state, AssignmentState::Committed(_))
			&& pkg.reveal_deadline.is_some_and(|d| now > d);
		let stalled = !matches!(a.state, AssignmentState::Accepted(_))
			&& (job.status != JobStatus::Open || now > job.deadline);
		if missed_commit || missed_reveal {
			Self::slash(id, &mut job, p, &who, a.deposit)?;
		} else if stalled {
			T::Currency::release(
				&HoldReason::PackageDeposit.into(),
				&who,
				a.deposit,
				Precision::BestEffort,
			)?;
			T::Labelers::note_work_finished(&who);
			Self::deposit_event(Event::DepositReleased {
				job: id,
				package: p,
				labeler: who.clone(),
				amount: a.deposit,
			});
		} else {
			return Err(Error::<T>::NotExpired.into());
		}
		match a.state {
			AssignmentState::Taken => {},
			AssignmentState::Committed(_) => pkg.committed = pkg.committed.saturating_sub(1),
			_ => {
				pkg.committed = pkg.committed.saturating_sub(1);
				pkg.revealed = pkg.revealed.saturating_sub(1);
			},
		}
		pkg.takers = pkg.takers.saturating_sub(1);
		if pkg.committed < job.redundancy {
			pkg.reveal_deadline = None;
		}
		Assignments::<T>::remove((id, p, &who));
		Packages::<T>::insert(id, p, pkg);
		Jobs::<T>::insert(id, job);
		Ok(())
	}

	pub(crate) fn do_reveal_challenges(
		id: JobId,
		answers: ChallengesOf<T>,
		salt: Salt,
	) -> DispatchResult {
		let mut job = Jobs::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		let commitment = job.challenges.ok_or(Error::<T>::NoChallenges)?;
		ensure!(!job.challenges_revealed, Error::<T>::NoChallenges);
		ensure!(commitment_of(&answers, &salt) == commitment, Error::<T>::CommitmentMismatch);
		let (_, params) = T::Labelers::domain(job.domain).ok_or(Error::<T>::UnknownDomain)?;
		for (idx, answer) in answers.iter() {
			ensure!(*idx < job.items, Error::<T>::BadChallenge);
			ensure!(label_fits(&job.kind, answer), Error::<T>::InvalidLabel);
			let p = idx / job.package_size;
			ensure!(Packages::<T>::get(id, p).complete, Error::<T>::BadChallenge);
		}
		let (mut checked, mut wrong) = (0u32, 0u32);
		for (idx, answer) in answers.iter() {
			let p = idx / job.package_size;
			let offset = (idx % job.package_size) as usize;
			for (who, a) in Assignments::<T>::iter_prefix((id, p)) {
				let AssignmentState::Accepted(labels) = a.state else { continue };
				let Some(label) = labels.get(offset) else { continue };
				let (agreement, star_error) = grade(label, answer);
				// Stars: within one point; boxes/classes: at least the domain's floor.
				let correct = match star_error {
					Some(e) => e <= FixedU128::from_u32(1),
					None => agreement >= params.slash_floor,
				};
				T::Labelers::record_challenge(&who, job.domain, correct);
				checked = checked.saturating_add(1);
				if !correct {
					wrong = wrong.saturating_add(1);
				}
			}
		}
		job.challenges_revealed = true;
		job.gold_checked = checked;
		job.gold_wrong = wrong;
		Jobs::<T>::insert(id, job);
		Self::deposit_event(Event::ChallengesRevealed { job: id, checked, wrong });
		Ok(())
	}

	pub(crate) fn do_settle_job(id: JobId) -> DispatchResult {
		let mut job = Jobs::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		ensure!(job.status != JobStatus::Settled, Error::<T>::NotSettleable);
		let now = frame_system::Pallet::<T>::block_number();
		let all_done = job.completed == job.packages;
		let over = job.status == JobStatus::Cancelled || now > job.deadline;
		ensure!(all_done || over, Error::<T>::NotSettleable);
		ensure!(
			job.challenges.is_none() || job.challenges_revealed || over,
			Error::<T>::ChallengesPending
		);
		ensure!(
			Assignments::<T>::iter_prefix((id,))
				.all(|(_, a)| matches!(a.state, AssignmentState::Accepted(_))),
			Error::<T>::AssignmentsOpen
		);

		// Share of the budget earned by the completed packages.
		let done_items: u32 = (0..job.packages)
			.filter(|p| Packages::<T>::get(id, p).complete)
			.filter_map(|p| Self::package_bounds(&job, p).map(|(_, len)| len))
			.sum();
		let pay = mul_div(job.pay, done_items, job.items).ok_or(Error::<T>::Overflow)?;
		let reserve = mul_div(job.reserve, done_items, job.items).ok_or(Error::<T>::Overflow)?;
		let refund = job
			.budget
			.checked_sub(&pay)
			.and_then(|b| b.checked_sub(&reserve))
			.ok_or(Error::<T>::Overflow)?;

		// Briko eq. 4 over the accepted workload.
		let workers: Vec<(T::AccountId, u32)> =
			Workload::<T>::iter_prefix(id).filter(|(_, w)| *w > 0).collect();
		let entries: Vec<(FixedU128, u32)> = workers
			.iter()
			.map(|(who, w)| (T::Labelers::weight_of(who, job.domain), *w))
			.collect();
		let parts: Vec<u128> = if pay.is_zero() {
			alloc::vec![0; workers.len()]
		} else {
			split_proportional(pay.unique_saturated_into(), &reward_shares(&entries))
				.map_err(|_| Error::<T>::Overflow)?
		};

		let escrow = HoldReason::JobEscrow.into();
		let mut paid: BalanceOf<T> = Zero::zero();
		for ((who, _), amount) in workers.iter().zip(parts) {
			let amount = BalanceOf::<T>::unique_saturated_from(amount);
			if amount.is_zero() {
				continue;
			}
			T::Currency::transfer_on_hold(
				&escrow,
				&job.requester,
				who,
				amount,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Force,
			)?;
			paid = paid.saturating_add(amount);
			Self::deposit_event(Event::RewardPaid { job: id, labeler: who.clone(), amount });
		}
		if !reserve.is_zero() {
			T::Currency::transfer_on_hold(
				&escrow,
				&job.requester,
				&T::Treasury::get(),
				reserve,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Force,
			)?;
		}
		if !refund.is_zero() {
			T::Currency::release(&escrow, &job.requester, refund, Precision::Exact)?;
		}
		// Conservation: every unit of the budget went somewhere.
		ensure!(
			paid.saturating_add(reserve).saturating_add(refund) == job.budget,
			Error::<T>::Overflow
		);

		// Who labeled each completed package, with their weight now: the dataset pays them
		// again when it is sold.
		for p in 0..job.packages {
			let accepted: Vec<(T::AccountId, FixedU128)> = Assignments::<T>::iter_prefix((id, p))
				.filter(|(_, a)| matches!(a.state, AssignmentState::Accepted(_)))
				.map(|(who, _)| {
					let a = T::Labelers::weight_of(&who, job.domain);
					(who, a)
				})
				.collect();
			if !accepted.is_empty() {
				let bounded = BoundedVec::<_, T::MaxRedundancy>::try_from(accepted)
					.map_err(|_| Error::<T>::Overflow)?;
				Contributions::<T>::insert(id, p, bounded);
			}
		}

		// Clean up the work records; items, results and contributions stay for the dataset.
		let _ = Assignments::<T>::clear_prefix((id,), u32::MAX, None);
		let _ = Packages::<T>::clear_prefix(id, u32::MAX, None);
		let _ = Workload::<T>::clear_prefix(id, u32::MAX, None);
		job.status = JobStatus::Settled;
		Jobs::<T>::insert(id, job);
		Self::deposit_event(Event::JobSettled { job: id, paid, reserve, refunded: refund });
		Ok(())
	}

	/// Invariants (run after every test and by `try-runtime`).
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use sp_runtime::TryRuntimeError as E;
		ensure!(Jobs::<T>::count() as usize == Jobs::<T>::iter().count(), E::Other("job count"));
		let escrow = HoldReason::JobEscrow.into();
		let deposit = HoldReason::PackageDeposit.into();
		// Escrow per requester equals the budgets of their unsettled jobs.
		let mut requesters: Vec<T::AccountId> = Vec::new();
		let mut labelers: Vec<T::AccountId> = Vec::new();
		for (id, job) in Jobs::<T>::iter() {
			ensure!(id < NextJobId::<T>::get(), E::Other("job id beyond counter"));
			if !requesters.contains(&job.requester) {
				requesters.push(job.requester.clone());
			}
			ensure!(
				job.pay.saturating_add(job.reserve) == job.budget,
				E::Other("pay + reserve != budget")
			);
			let mut completed = 0u32;
			for p in 0..job.packages {
				let pkg = Packages::<T>::get(id, p);
				let (mut takers, mut committed, mut revealed) = (0u32, 0u32, 0u32);
				for (who, a) in Assignments::<T>::iter_prefix((id, p)) {
					if !labelers.contains(&who) {
						labelers.push(who.clone());
					}
					takers += 1;
					match a.state {
						AssignmentState::Taken => {},
						AssignmentState::Committed(_) => committed += 1,
						AssignmentState::Revealed(_) | AssignmentState::Accepted(_) => {
							committed += 1;
							revealed += 1;
						},
					}
				}
				if job.status != JobStatus::Settled {
					ensure!(
						(takers, committed, revealed) == (pkg.takers, pkg.committed, pkg.revealed),
						E::Other("package counters != assignments")
					);
					ensure!(takers <= job.redundancy, E::Other("more takers than R"));
				}
				if pkg.complete {
					completed += 1;
				}
			}
			if job.status != JobStatus::Settled {
				ensure!(completed == job.completed, E::Other("completed counter"));
				ensure!(
					Workload::<T>::iter_prefix(id).count() as u32 == job.labelers,
					E::Other("labeler counter != workload entries")
				);
			}
		}
		for who in requesters {
			let held: BalanceOf<T> = Jobs::<T>::iter()
				.filter(|(_, j)| j.requester == who && j.status != JobStatus::Settled)
				.fold(Zero::zero(), |acc: BalanceOf<T>, (_, j)| acc.saturating_add(j.budget));
			ensure!(
				T::Currency::balance_on_hold(&escrow, &who) == held,
				E::Other("escrow != unsettled budgets")
			);
		}
		for who in labelers {
			let held: BalanceOf<T> = Assignments::<T>::iter()
				.filter(|((_, _, w), a)| {
					*w == who && !matches!(a.state, AssignmentState::Accepted(_))
				})
				.fold(Zero::zero(), |acc: BalanceOf<T>, (_, a)| acc.saturating_add(a.deposit));
			ensure!(
				T::Currency::balance_on_hold(&deposit, &who) == held,
				E::Other("deposit hold != open assignments")
			);
		}
		Ok(())
	}
}
