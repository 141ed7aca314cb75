//! Settling a job (Briko eq. 4), claiming rewards, pruning and retaining job data.

use crate::{functions::*, pallet::*, types::*};
use alloc::{collections::btree_map::BTreeMap, vec::Vec};
use crowdlabel_consensus::{mean_perbill, reward_shares, split_proportional, FixedU128};
use crowdlabel_labels::{
	revise_job, revised_at_settlement, ConsensusLabel, ItemVotes, Reliability, SETTLEMENT_PASSES,
};
use crowdlabel_traits::LabelerRegistry;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, Mutate, MutateHold},
		tokens::{Fortitude, Precision, Preservation, Restriction},
	},
};
use sp_runtime::traits::{Saturating, UniqueSaturatedFrom, UniqueSaturatedInto, Zero};

impl<T: Config> Pallet<T> {
	/// Returns `(labelers paid, packages, items ranked, follow-up items, revised)` for the weight
	/// (`revised`: the job's consensus was voted again, [`Self::revise_results`]).
	pub(crate) fn do_settle_job(id: JobId) -> Result<(u32, u32, u32, u32, bool), DispatchError> {
		let mut job = JobDetails::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		ensure!(job.status != JobStatus::Settled, Error::<T>::NotSettleable);
		let now = frame_system::Pallet::<T>::block_number();
		let all_done = job.completed == job.packages;
		let over = job.status == JobStatus::Cancelled || now > job.deadline;
		ensure!(all_done || over, Error::<T>::NotSettleable);
		ensure!(
			job.challenges.is_none() || job.challenges_revealed || over,
			Error::<T>::ChallengesPending
		);
		// Every taken package was judged or released: nothing is open.
		let workers: Vec<(T::AccountId, LabelerWorkOf<T>)> =
			Workload::<T>::iter_prefix(id).collect();
		ensure!(workers.iter().all(|(_, w)| w.open == 0), Error::<T>::AssignmentsOpen);

		// The budget earned by the accepted labelings: each is worth `pay / (items * R)` per item.
		let labelings = job.items.saturating_mul(job.redundancy);
		let pay = mul_div(job.pay, job.accepted, labelings).ok_or(Error::<T>::Overflow)?;
		let reserve = mul_div(job.reserve, job.accepted, labelings).ok_or(Error::<T>::Overflow)?;
		let refund = job
			.budget
			.checked_sub(&pay)
			.and_then(|b| b.checked_sub(&reserve))
			.ok_or(Error::<T>::Overflow)?;

		// Briko eq. 4 over the accepted workload, with each labeler's weight now, the mapping
		// calibrated so that the mean weight of the job's paid labelers is 1.
		let paid: Vec<T::AccountId> = workers
			.iter()
			.filter(|(_, w)| w.accepted > 0)
			.map(|(who, _)| who.clone())
			.collect();
		let weights: BTreeMap<T::AccountId, FixedU128> =
			paid.iter().cloned().zip(T::Labelers::pay_weights(job.domain, &paid)).collect();
		let paid_workers: Vec<(&T::AccountId, u32)> = workers
			.iter()
			.filter(|(_, w)| w.accepted > 0)
			.map(|(a, w)| (a, w.accepted))
			.collect();
		let entries: Vec<(FixedU128, u32)> = paid_workers
			.iter()
			.map(|(who, w)| (weights.get(*who).copied().unwrap_or_default(), *w))
			.collect();
		let parts: Vec<u128> = if pay.is_zero() || entries.is_empty() {
			alloc::vec![0; paid_workers.len()]
		} else {
			split_proportional(pay.unique_saturated_into(), &reward_shares(&entries))
				.map_err(|_| Error::<T>::Overflow)?
		};
		let credited: BalanceOf<T> = parts.iter().fold(Zero::zero(), |acc: BalanceOf<T>, v| {
			acc.saturating_add(BalanceOf::<T>::unique_saturated_from(*v))
		});
		// Conservation: every unit of the budget goes somewhere.
		ensure!(
			credited.saturating_add(reserve).saturating_add(refund) == job.budget,
			Error::<T>::ConservationViolated
		);

		let escrow = HoldReason::JobEscrow.into();
		if !credited.is_zero() {
			// Rewards move to the pallet account and wait there, held, until each labeler claims:
			// one reaped or unusual account can never block a settlement.
			T::Currency::transfer_on_hold(
				&escrow,
				&job.requester,
				&Self::account_id(),
				credited,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Force,
			)?;
			T::Currency::hold(&HoldReason::UnclaimedReward.into(), &Self::account_id(), credited)?;
		}
		for ((who, _), amount) in paid_workers.iter().zip(parts) {
			let amount = BalanceOf::<T>::unique_saturated_from(amount);
			if amount.is_zero() {
				continue;
			}
			UnclaimedRewards::<T>::mutate(*who, |v| *v = v.saturating_add(amount));
			Self::deposit_event(Event::RewardCredited { job: id, labeler: (*who).clone(), amount });
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

		// The weight `a` of each contributor at settlement: the dataset pays them again when it
		// is sold.
		for p in 0..job.packages {
			Contributions::<T>::mutate_exists(id, p, |c| {
				if let Some(c) = c {
					for (who, a) in c.iter_mut() {
						*a = weights.get(who).copied().unwrap_or_else(FixedU128::zero);
					}
				}
			});
		}

		// The job's published consensus voted again with what the models know now (the accepted
		// labels are still here); payouts and slashes stay as judged. It cannot fail for labels
		// the reveals checked against the job's kind; if it ever did, the results stay as judged
		// rather than the budget staying locked behind a settlement that always fails.
		let revised = revised_at_settlement(&job.kind);
		if Self::revise_results(id, &job).is_err() {
			frame_support::defensive!("the settlement re-vote failed; results kept as judged");
		}

		// Clean up the work records; items, results and contributions stay until pruned.
		let _ = Assignments::<T>::clear_prefix((id,), u32::MAX, None);
		let _ = Packages::<T>::clear_prefix(id, u32::MAX, None);
		let _ = Workload::<T>::clear_prefix(id, u32::MAX, None);
		OpenPackages::<T>::remove(id);
		job.status = JobStatus::Settled;
		job.settled_at = Some(now);
		let packages = job.packages;
		// A corpus-review job: rank its items, send the items near the cut-off to review.
		let (ranked, follow_up) = Self::rank(id, &job);
		JobDetails::<T>::insert(id, job);
		Self::deposit_event(Event::JobSettled {
			job: id,
			paid: credited,
			reserve,
			refunded: refund,
		});
		Ok((workers.len() as u32, packages, ranked, follow_up, revised))
	}

	/// The settlement re-vote of a single-class job ([`crowdlabel_labels::revise_job`]): every
	/// item of every completed package voted once more, by the labels accepted in it, with the
	/// labelers' reliability models as they are now — after learning from this job's later
	/// packages, which the online judgement of its first packages could not use — and then
	/// [`SETTLEMENT_PASSES`]` − 1` times more with copies of the models corrected by the
	/// previous vote (each label of a changed item moved from the judged consensus to the new
	/// one). The results of the items whose consensus changed are rewritten (label and mean
	/// agreement); nothing else changes: deposits, slashes, reputations, models and payouts stay
	/// as judged, so the re-vote gives nobody a reason to label differently. Other kinds:
	/// nothing (see [`revised_at_settlement`]). Returns the number of items whose consensus
	/// changed; emits [`Event::ConsensusRevised`] when it is not zero.
	///
	/// Cost: one read per assignment, per labeler (the model) and per completed package, a
	/// write per package with a changed item; per vote one log table per labeler and a lookup
	/// per label, and between votes a move per label of a changed item.
	pub(crate) fn revise_results(id: JobId, job: &JobOf<T>) -> Result<u32, DispatchError> {
		if !revised_at_settlement(&job.kind) {
			return Ok(0);
		}
		// The accepted labels of each package, their labelers numbered in order of appearance.
		let mut labelers: Vec<T::AccountId> = Vec::new();
		let mut index: BTreeMap<T::AccountId, usize> = BTreeMap::new();
		let mut accepted: BTreeMap<PackageIndex, Vec<(usize, PackageLabelsOf<T>)>> =
			BTreeMap::new();
		for ((p, who), a) in Assignments::<T>::iter_prefix((id,)) {
			let AssignmentState::Accepted(labels) = a.state else { continue };
			let k = match index.get(&who) {
				Some(k) => *k,
				None => {
					index.insert(who.clone(), labelers.len());
					labelers.push(who);
					labelers.len().saturating_sub(1)
				},
			};
			accepted.entry(p).or_default().push((k, labels));
		}
		let models: Vec<Reliability> = labelers
			.iter()
			.map(|w| T::Labelers::reliability(w, job.domain))
			.collect::<Option<_>>()
			.ok_or(Error::<T>::UnknownDomain)?;
		// Completed packages (those with results), their items in order.
		let packages: Vec<(PackageIndex, ResultsOf<T>)> = accepted
			.keys()
			.filter_map(|p| Results::<T>::get(id, p).map(|r| (*p, r)))
			.collect();
		let mut items: Vec<ItemVotes<T::MaxBoxes>> = Vec::new();
		let mut judged: Vec<ConsensusLabel<T::MaxBoxes>> = Vec::new();
		for (p, results) in &packages {
			let votes = accepted.get(p).ok_or(Error::<T>::UnknownPackage)?;
			judged.extend(results.iter().map(|r| r.label.clone()));
			for i in 0..results.len() {
				let votes: Vec<(usize, &LabelOf<T>)> = votes
					.iter()
					.map(|(k, labels)| labels.get(i).map(|l| (*k, l)))
					.collect::<Option<_>>()
					.ok_or(Error::<T>::InvalidLabel)?;
				items.push(ItemVotes { votes, known: None });
			}
		}
		let outcomes = revise_job(&job.kind, &items, &judged, &models, SETTLEMENT_PASSES)
			.map_err(|_| Error::<T>::InvalidLabel)?;
		ensure!(outcomes.len() == items.len(), Error::<T>::InvalidLabel);
		let mut outcomes = outcomes.into_iter();
		let mut changed = 0u32;
		for (p, mut results) in packages {
			let mut rewrite = false;
			for (result, outcome) in results.iter_mut().zip(outcomes.by_ref()) {
				if result.label != outcome.label {
					result.label = outcome.label;
					result.agreement = mean_perbill(&outcome.agreement).unwrap_or_default();
					changed = changed.saturating_add(1);
					rewrite = true;
				}
			}
			if rewrite {
				Results::<T>::insert(id, p, results);
			}
		}
		if changed > 0 {
			Self::deposit_event(Event::ConsensusRevised { job: id, items: changed });
		}
		Ok(changed)
	}

	pub(crate) fn do_claim_rewards(who: T::AccountId) -> DispatchResult {
		let amount = UnclaimedRewards::<T>::get(&who);
		ensure!(!amount.is_zero(), Error::<T>::NothingToClaim);
		let account = Self::account_id();
		ensure!(
			T::Currency::balance(&who).saturating_add(amount) >= T::Currency::minimum_balance(),
			Error::<T>::BelowExistentialDeposit
		);
		T::Currency::release(
			&HoldReason::UnclaimedReward.into(),
			&account,
			amount,
			Precision::Exact,
		)?;
		T::Currency::transfer(&account, &who, amount, Preservation::Preserve)?;
		UnclaimedRewards::<T>::remove(&who);
		Self::deposit_event(Event::RewardsClaimed { labeler: who, amount });
		Ok(())
	}

	/// Returns the number of items removed (for the weight).
	pub(crate) fn do_prune_job(id: JobId) -> Result<u32, DispatchError> {
		let job = JobDetails::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		let settled_at = job.settled_at.ok_or(Error::<T>::NotSettled)?;
		ensure!(!job.retained, Error::<T>::Retained);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(
			now > settled_at.saturating_add(T::RetentionPeriod::get()),
			Error::<T>::RetentionRunning
		);
		ensure!(AppealCounts::<T>::get(id) == AppealCount::default(), Error::<T>::AppealsPending);
		if !job.storage_deposit.is_zero() {
			T::Currency::release(
				&HoldReason::JobStorage.into(),
				&job.requester,
				job.storage_deposit,
				Precision::BestEffort,
			)?;
		}
		JobItems::<T>::remove(id);
		let _ = Results::<T>::clear_prefix(id, u32::MAX, None);
		let _ = Contributions::<T>::clear_prefix(id, u32::MAX, None);
		// Slash records whose window passed unappealed: their removal was charged when they were
		// written (`contest_judgement`).
		let _ = SlashRecords::<T>::clear_prefix((id,), u32::MAX, None);
		ReviewSpecs::<T>::remove(id);
		Rankings::<T>::remove(id);
		JobDetails::<T>::remove(id);
		Self::deposit_event(Event::JobPruned { job: id, refunded: job.storage_deposit });
		Ok(job.items)
	}

	/// Pins a settled job's data for a dataset.
	pub(crate) fn do_retain(id: JobId) -> DispatchResult {
		JobDetails::<T>::try_mutate(id, |j| {
			let j = j.as_mut().ok_or(Error::<T>::UnknownJob)?;
			ensure!(j.status == JobStatus::Settled, Error::<T>::NotSettled);
			j.retained = true;
			Ok(())
		})
	}
}
