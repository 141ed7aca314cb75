//! The pallet's invariants, [`Pallet::do_try_state`]: compiled for unit and benchmark tests,
//! `try-runtime` and the runtime fuzzer (feature `fuzzing`), never into the production runtime.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use frame_support::{ensure, pallet_prelude::*, traits::fungible::InspectHold};
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// Invariants of the pallet's storage: run after every unit and benchmark test, by
	/// `try-runtime`, and by the runtime fuzzer (feature `fuzzing`); not compiled otherwise.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use sp_runtime::TryRuntimeError as E;
		ensure!(
			JobDetails::<T>::count() as usize == JobDetails::<T>::iter().count(),
			E::Other("job count")
		);
		let escrow = HoldReason::JobEscrow.into();
		let deposit = HoldReason::PackageDeposit.into();
		let storage = HoldReason::JobStorage.into();
		// Escrow per requester equals the budgets of their unsettled jobs.
		let mut requesters: Vec<T::AccountId> = Vec::new();
		let mut labelers: Vec<T::AccountId> = Vec::new();
		for (id, job) in JobDetails::<T>::iter() {
			ensure!(id < NextJobId::<T>::get(), E::Other("job id beyond counter"));
			if !requesters.contains(&job.requester) {
				requesters.push(job.requester.clone());
			}
			ensure!(
				job.pay.saturating_add(job.reserve) == job.budget,
				E::Other("pay + reserve != budget")
			);
			ensure!(
				job.accepted <= job.items.saturating_mul(job.redundancy),
				E::Other("more accepted labelings than items x R")
			);
			if job.status == JobStatus::Settled {
				ensure!(
					Assignments::<T>::iter_prefix((id,)).next().is_none()
						&& Workload::<T>::iter_prefix(id).next().is_none(),
					E::Other("work records of a settled job")
				);
				continue;
			}
			let mut completed = 0u32;
			let mut accepted_items = 0u32;
			for p in 0..job.packages {
				let pkg = Packages::<T>::get(id, p);
				let (mut takers, mut committed, mut revealed, mut accepted) = (0u32, 0, 0, 0);
				for (who, a) in Assignments::<T>::iter_prefix((id, p)) {
					if !labelers.contains(&who) {
						labelers.push(who.clone());
					}
					match a.state {
						AssignmentState::Taken => takers += 1,
						AssignmentState::Committed(_) => {
							takers += 1;
							committed += 1;
						},
						AssignmentState::Revealed(_) => {
							takers += 1;
							committed += 1;
							revealed += 1;
						},
						AssignmentState::Accepted(_) => accepted += 1,
					}
				}
				ensure!(
					(takers, committed, revealed, accepted)
						== (pkg.takers, pkg.committed, pkg.revealed, pkg.accepted),
					E::Other("package counters != assignments")
				);
				ensure!(
					takers.saturating_add(accepted) <= job.redundancy,
					E::Other("more labels than R")
				);
				// A package-wide reveal deadline only while reveals are open: every taker
				// committed and someone has still to reveal.
				ensure!(
					pkg.reveal_by.is_none() || (committed == takers && revealed < committed),
					E::Other("reveal deadline of a package whose reveals are not open")
				);
				ensure!(
					Contributions::<T>::get(id, p).len() as u32 == accepted,
					E::Other("contributions != accepted labels")
				);
				let len = Self::package_bounds(&job, p).map(|b| b.1).unwrap_or_default();
				accepted_items = accepted_items.saturating_add(accepted.saturating_mul(len));
				if pkg.complete {
					completed += 1;
					ensure!(accepted == job.redundancy, E::Other("complete without R labels"));
				}
				// A package's results are stored once, when it completes, one per item.
				ensure!(
					Results::<T>::get(id, p).map(|r| r.len() as u32) == pkg.complete.then_some(len),
					E::Other("results of a package != its items, or of an incomplete package")
				);
			}
			ensure!(completed == job.completed, E::Other("completed counter"));
			ensure!(accepted_items == job.accepted, E::Other("accepted counter"));
			ensure!(
				Workload::<T>::iter_prefix(id).count() as u32 == job.labelers
					&& job.labelers <= T::MaxLabelersPerJob::get(),
				E::Other("labeler counter != workload entries")
			);
			for (who, w) in Workload::<T>::iter_prefix(id) {
				let open = Assignments::<T>::iter()
					.filter(|((j, _, a), s)| {
						*j == id && *a == who && !matches!(s.state, AssignmentState::Accepted(_))
					})
					.count() as u32;
				ensure!(open == w.open, E::Other("open packages != workload"));
				ensure!(w.open > 0 || w.accepted > 0, E::Other("empty workload entry"));
				ensure!(w.open > 0 || w.idle.is_zero(), E::Other("idle stake without open work"));
			}
		}
		// The open list offers only packages with a free slot of open jobs, each once.
		for (id, open) in OpenPackages::<T>::iter() {
			let job = JobDetails::<T>::get(id).ok_or(E::Other("open list of unknown job"))?;
			ensure!(job.status == JobStatus::Open, E::Other("open list of a closed job"));
			for (i, p) in open.iter().enumerate() {
				ensure!(*p < job.packages, E::Other("open package beyond the job"));
				ensure!(!open.iter().take(i).any(|q| q == p), E::Other("package listed twice"));
				let pkg = Packages::<T>::get(id, p);
				ensure!(
					!pkg.complete && pkg.takers.saturating_add(pkg.accepted) < job.redundancy,
					E::Other("full package on the open list")
				);
			}
		}
		for who in requesters {
			let held: BalanceOf<T> = JobDetails::<T>::iter()
				.filter(|(_, j)| j.requester == who && j.status != JobStatus::Settled)
				.fold(Zero::zero(), |acc: BalanceOf<T>, (_, j)| acc.saturating_add(j.budget));
			ensure!(
				T::Currency::balance_on_hold(&escrow, &who) == held,
				E::Other("escrow != unsettled budgets")
			);
			let stored: BalanceOf<T> = JobDetails::<T>::iter()
				.filter(|(_, j)| j.requester == who)
				.fold(Zero::zero(), |acc: BalanceOf<T>, (_, j)| {
					acc.saturating_add(j.storage_deposit)
				});
			ensure!(
				T::Currency::balance_on_hold(&storage, &who) == stored,
				E::Other("storage hold != job storage deposits")
			);
		}
		for who in labelers {
			let open: BalanceOf<T> = Assignments::<T>::iter()
				.filter(|((_, _, w), a)| {
					*w == who && !matches!(a.state, AssignmentState::Accepted(_))
				})
				.fold(Zero::zero(), |acc: BalanceOf<T>, (_, a)| acc.saturating_add(a.deposit));
			let idle: BalanceOf<T> = Workload::<T>::iter()
				.filter(|(_, w, _)| *w == who)
				.fold(Zero::zero(), |acc: BalanceOf<T>, (_, _, x)| acc.saturating_add(x.idle));
			ensure!(
				T::Currency::balance_on_hold(&deposit, &who) == open.saturating_add(idle),
				E::Other("deposit hold != open assignments + idle stakes")
			);
		}
		let unclaimed: BalanceOf<T> = UnclaimedRewards::<T>::iter_values()
			.fold(Zero::zero(), |acc: BalanceOf<T>, v| acc.saturating_add(v));
		ensure!(
			T::Currency::balance_on_hold(&HoldReason::UnclaimedReward.into(), &Self::account_id())
				== unclaimed,
			E::Other("unclaimed rewards != reward hold")
		);
		// Newcomer progress counts 1..=NewcomerPackages packages (an entry is written only when
		// a package is counted).
		for (_, n) in NewcomerProgress::<T>::iter() {
			ensure!(
				n >= 1 && n <= T::NewcomerPackages::get(),
				E::Other("newcomer progress out of range")
			);
		}
		Self::try_state_appeals()?;
		Self::try_state_reviews()
	}

	/// Corpus-review jobs: rules and rankings of existing jobs, rankings only once settled,
	/// kept lists within the job, follow-up budgets held exactly until the ranking.
	fn try_state_reviews() -> Result<(), sp_runtime::TryRuntimeError> {
		use sp_runtime::TryRuntimeError as E;
		let mut requesters: Vec<T::AccountId> = Vec::new();
		for (id, _) in ReviewSpecs::<T>::iter() {
			let job = JobDetails::<T>::get(id).ok_or(E::Other("review rule of unknown job"))?;
			if !requesters.contains(&job.requester) {
				requesters.push(job.requester);
			}
		}
		for (id, ranking) in Rankings::<T>::iter() {
			let job = JobDetails::<T>::get(id).ok_or(E::Other("ranking of unknown job"))?;
			ensure!(job.status == JobStatus::Settled, E::Other("ranking of an unsettled job"));
			ensure!(ReviewSpecs::<T>::contains_key(id), E::Other("ranking without a rule"));
			ensure!(
				ranking.kept.len() as u32 <= ranking.ranked && ranking.ranked <= job.items,
				E::Other("ranking longer than the job")
			);
			ensure!(ranking.kept.iter().all(|i| *i < job.items), E::Other("kept item beyond job"));
		}
		for who in requesters {
			let held: BalanceOf<T> = ReviewSpecs::<T>::iter()
				.filter_map(|(id, r)| JobDetails::<T>::get(id).map(|j| (j, r)))
				.filter(|(j, _)| j.requester == who && j.status != JobStatus::Settled)
				.fold(Zero::zero(), |acc: BalanceOf<T>, (_, r)| {
					acc.saturating_add(r.follow_up_budget)
				});
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::FollowUpBudget.into(), &who) == held,
				E::Other("follow-up hold != unranked follow-up budgets")
			);
		}
		Ok(())
	}

	/// Appeals: every stake and bond is held exactly, every appeal has its slash record, and
	/// the per-job counts match the entries.
	fn try_state_appeals() -> Result<(), sp_runtime::TryRuntimeError> {
		use sp_runtime::TryRuntimeError as E;
		let mut holders: Vec<T::AccountId> = Vec::new();
		for ((id, _, who), stake) in AppealStakes::<T>::iter() {
			ensure!(JobDetails::<T>::contains_key(id), E::Other("stake of an unknown job"));
			ensure!(!stake.amount.is_zero(), E::Other("empty stake"));
			if !holders.contains(&who) {
				holders.push(who);
			}
		}
		for ((_, _, who), _) in Appeals::<T>::iter() {
			if !holders.contains(&who) {
				holders.push(who);
			}
		}
		for who in holders {
			let staked = AppealStakes::<T>::iter()
				.filter(|((_, _, w), _)| *w == who)
				.fold(BalanceOf::<T>::zero(), |a, (_, s)| a.saturating_add(s.amount));
			ensure!(
				Self::held(HoldReason::AppealStake, &who) == staked,
				E::Other("stake hold != stakes")
			);
			let bonds = Appeals::<T>::iter()
				.filter(|((_, _, w), _)| *w == who)
				.fold(BalanceOf::<T>::zero(), |a, (_, x)| a.saturating_add(x.bond));
			ensure!(
				Self::held(HoldReason::AppealBond, &who) == bonds,
				E::Other("bond hold != bonds")
			);
		}
		for ((id, p, who), appeal) in Appeals::<T>::iter() {
			ensure!(
				SlashRecords::<T>::contains_key((id, p, &who)),
				E::Other("appeal without a slash record")
			);
			ensure!(
				(appeal.votes.len() as u32) < T::AppealPanelSize::get(),
				E::Other("a full panel left undecided")
			);
		}
		for (id, count) in AppealCounts::<T>::iter() {
			ensure!(count != AppealCount::default(), E::Other("empty appeal count stored"));
			let stakes = AppealStakes::<T>::iter_prefix((id,)).count() as u32;
			let appeals = Appeals::<T>::iter_prefix((id,)).count() as u32;
			ensure!(
				count.stakes == stakes && count.appeals == appeals,
				E::Other("appeal count != entries")
			);
		}
		for ((id, _, _), _) in AppealStakes::<T>::iter() {
			ensure!(AppealCounts::<T>::contains_key(id), E::Other("stake not counted"));
		}
		for ((id, _, _), _) in Appeals::<T>::iter() {
			ensure!(AppealCounts::<T>::contains_key(id), E::Other("appeal not counted"));
		}
		Ok(())
	}
}
