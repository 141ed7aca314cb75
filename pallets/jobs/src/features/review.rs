//! Corpus-review jobs (Briko Phase 1, step 4 "Machine ranking and sorting"): a job over a score
//! domain that declares `k` ([`ReviewSpec::keep`]) is ranked when it settles — items sorted by
//! consensus score (then agreement, then index), the top `⌊k · P⌋` kept
//! ([`Rankings`](crate::pallet::Rankings)) — and the items within [`ReviewSpec::margin`] places
//! of the cut-off line become a **follow-up review job** of the same requester, domain,
//! redundancy and windows, paid from a budget held at creation
//! ([`HoldReason::FollowUpBudget`]).

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use crowdlabel_consensus::{rank_items, split_budget, ScoredItem};
use crowdlabel_labels::{ConsensusLabel, JobId, LabelKind};
use crowdlabel_traits::LabelerRegistry;
use frame_support::{
	ensure,
	pallet_prelude::*,
	storage::with_storage_layer,
	traits::{
		fungible::{Inspect, MutateHold},
		tokens::Precision,
	},
	BoundedVec,
};
use sp_runtime::{
	traits::{Saturating, UniqueSaturatedFrom, UniqueSaturatedInto, Zero},
	Perbill,
};

impl<T: Config> Pallet<T> {
	/// Bytes a corpus-review job stores on top of an ordinary job: its [`ReviewSpec`] and its
	/// [`Ranking`] (the kept list at its longest), added to its storage deposit.
	pub fn review_bytes() -> u64 {
		// 32-byte prefix + `Twox64Concat(u32)` key.
		const KEY1: u64 = 44;
		(KEY1 + ReviewSpecOf::<T>::max_encoded_len() as u64)
			.saturating_add(KEY1 + RankingOf::<T>::max_encoded_len() as u64)
	}

	pub(crate) fn do_create_review_job(
		who: T::AccountId,
		spec: JobSpecOf<T>,
		review: ReviewSpecOf<T>,
	) -> DispatchResult {
		let kind = T::Labelers::domain(spec.domain).ok_or(Error::<T>::UnknownDomain)?.kind;
		ensure!(matches!(kind, LabelKind::Score { .. }), Error::<T>::NotRankable);
		ensure!(!review.keep.is_zero() && review.keep < Perbill::one(), Error::<T>::BadKeep);
		let n = spec.items.len() as u32;
		if review.margin == 0 {
			ensure!(review.follow_up_budget.is_zero(), Error::<T>::BadFollowUp);
		} else {
			ensure!(review.margin <= n, Error::<T>::BadFollowUp);
			ensure!(
				!review.follow_up_duration.is_zero()
					&& review.follow_up_duration <= T::MaxJobDuration::get()
					&& spec.commit_window.saturating_add(spec.reveal_window)
						<= review.follow_up_duration,
				Error::<T>::BadFollowUp
			);
			// Every labeling of a follow-up item is worth at least the existential deposit,
			// however many items end up near the cut-off (at most 2 x margin).
			let (_, pay) = split_budget(
				review.follow_up_budget.unique_saturated_into(),
				T::PlatformReserve::get(),
			);
			let labelings = (review.margin.saturating_mul(2).min(n) as u128)
				.saturating_mul(spec.redundancy as u128)
				.max(1);
			let per_labeling = BalanceOf::<T>::unique_saturated_from(pay / labelings);
			ensure!(
				per_labeling >= T::Currency::minimum_balance(),
				Error::<T>::FollowUpBudgetTooSmall
			);
		}
		let id = Self::do_create_job(who.clone(), spec)?;
		let extra = T::StorageDepositPerByte::get()
			.saturating_mul(BalanceOf::<T>::unique_saturated_from(Self::review_bytes()));
		T::Currency::hold(&HoldReason::JobStorage.into(), &who, extra)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		if !review.follow_up_budget.is_zero() {
			T::Currency::hold(&HoldReason::FollowUpBudget.into(), &who, review.follow_up_budget)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
		}
		JobDetails::<T>::mutate(id, |j| {
			if let Some(j) = j {
				j.storage_deposit = j.storage_deposit.saturating_add(extra);
			}
		});
		Self::deposit_event(Event::ReviewDeclared {
			job: id,
			keep: review.keep,
			margin: review.margin,
			follow_up_budget: review.follow_up_budget,
		});
		ReviewSpecs::<T>::insert(id, review);
		Ok(())
	}

	/// Ranks a settling corpus-review job and creates its follow-up job. Never fails the
	/// settlement: a follow-up that cannot be created (for example the requester cannot pay its
	/// storage deposit any more) is skipped and its budget released. Returns
	/// `(items ranked, follow-up items)` for the weight.
	pub(crate) fn rank(id: JobId, job: &JobOf<T>) -> (u32, u32) {
		let Some(review) = ReviewSpecs::<T>::get(id) else { return (0, 0) };
		let mut scored: Vec<ScoredItem> = Vec::new();
		for p in 0..job.packages {
			let first = p.saturating_mul(job.package_size);
			for (i, res) in Results::<T>::get(id, p).unwrap_or_default().iter().enumerate() {
				if let ConsensusLabel::Score(score) = res.label {
					scored.push(ScoredItem {
						index: first.saturating_add(i as u32),
						score,
						agreement: res.agreement,
					});
				}
			}
		}
		let ranked = rank_items(&scored, job.items, review.keep, review.margin);
		let kept: BoundedVec<u32, T::MaxItems> = BoundedVec::truncate_from(
			ranked.order.iter().take(ranked.kept as usize).copied().collect(),
		);
		let cut_off = ranked
			.order
			.get(ranked.kept.saturating_sub(1) as usize)
			.and_then(|i| scored.iter().find(|s| s.index == *i))
			.map(|s| s.score);
		let items = JobItems::<T>::get(id);
		let near: Vec<_> = ranked
			.order
			.get(ranked.review.start as usize..ranked.review.end as usize)
			.unwrap_or_default()
			.iter()
			.filter_map(|i| items.get(*i as usize).copied())
			.collect();
		let mut follow_up = None;
		if !review.follow_up_budget.is_zero() {
			let _ = T::Currency::release(
				&HoldReason::FollowUpBudget.into(),
				&job.requester,
				review.follow_up_budget,
				Precision::BestEffort,
			);
		}
		let reviewed = near.len() as u32;
		if !near.is_empty() && !review.follow_up_budget.is_zero() {
			let spec = JobSpec {
				domain: job.domain,
				items: BoundedVec::truncate_from(near),
				redundancy: job.redundancy,
				package_size: job.package_size.min(reviewed),
				budget: review.follow_up_budget,
				duration: review.follow_up_duration,
				commit_window: job.commit_window,
				reveal_window: job.reveal_window,
				challenges: None,
				workload: None,
			};
			// All or nothing: a follow-up that fails leaves no trace but the event.
			match with_storage_layer(|| Self::do_create_job(job.requester.clone(), spec)) {
				Ok(new) => follow_up = Some(new),
				Err(error) => Self::deposit_event(Event::FollowUpFailed { job: id, error }),
			}
		}
		Self::deposit_event(Event::ItemsRanked {
			job: id,
			ranked: ranked.order.len() as u32,
			kept: ranked.kept,
			cut_off,
			follow_up,
		});
		Rankings::<T>::insert(id, Ranking { kept, ranked: ranked.order.len() as u32, follow_up });
		(ranked.order.len() as u32, if follow_up.is_some() { reviewed } else { 0 })
	}
}
