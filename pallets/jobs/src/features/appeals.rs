//! Appeals: a labeler slashed by a colluding (or simply wrong) majority gets the package
//! re-judged by a panel of the domain's most reliable labelers or by the council.
//!
//! When a judgement slashes a labeler for bad labels **and accepts others**, the chain keeps,
//! for [`Config::AppealPeriod`] blocks, a [`SlashRecord`] (the slashed labels and the accepted
//! labelers) and the accepted labelers' deposits at stake ([`HoldReason::AppealStake`]) instead
//! of releasing them. Within that window the slashed labeler may [`appeal`](Pallet::appeal),
//! holding [`Config::AppealBond`]. Panelists (qualified in the domain, pay weight at least
//! [`Config::PanelMinWeight`] over at least [`Config::PanelMinRecord`] scored labels, no part
//! in the package) [`vote_appeal`](Pallet::vote_appeal); a majority of
//! [`Config::AppealPanelSize`] decides, or the council does at any time with
//! [`decide_appeal`](Pallet::decide_appeal).
//!
//! - **Overturned**: the bond is released, the forfeited deposit is refunded by the treasury,
//!   every stake of the labelers accepted in that judgement is forfeited to the treasury and
//!   each of their labels on the package is recorded as a full error; the appellant's labels
//!   are recorded as right.
//! - **Upheld**: the bond is forfeited to the treasury.
//!
//! Either way the treasury pays [`Config::PanelFee`] to each panelist who voted with the
//! decision (the bond, at least a full panel's fees, and the forfeited stakes flow in there).
//! Stakes are released by anyone ([`release_stake`](Pallet::release_stake)) after the window
//! when no appeal on the package filed within the last `AppealPeriod` is undecided; an appeal
//! nobody decided within `AppealPeriod` lapses ([`close_lapsed_appeal`](Pallet::close_lapsed_appeal):
//! bond back, slash stands).

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use crowdlabel_labels::{JobId, PackageIndex};
use crowdlabel_traits::LabelerRegistry;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{BalancedHold, Inspect, InspectHold, Mutate, MutateHold},
		tokens::{Fortitude, Precision, Preservation},
		OnUnbalanced,
	},
	BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{One, Saturating, Zero},
	FixedU128,
};

impl<T: Config> Pallet<T> {
	/// Keeps an accepted labeler's package deposit at stake until `until` (the judgement
	/// slashed someone who may appeal): the `PackageDeposit` hold becomes an `AppealStake` hold.
	pub(crate) fn keep_at_stake(
		id: JobId,
		p: PackageIndex,
		who: &T::AccountId,
		amount: BalanceOf<T>,
		until: BlockNumberFor<T>,
	) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::release(&HoldReason::PackageDeposit.into(), who, amount, Precision::Exact)?;
		T::Currency::hold(&HoldReason::AppealStake.into(), who, amount)?;
		let amount = match AppealStakes::<T>::get((id, p, who)) {
			// Accepted twice on one package cannot happen; add up rather than lose a hold.
			Some(s) => s.amount.saturating_add(amount),
			None => {
				Self::count_appeals(id, |c| c.stakes = c.stakes.saturating_add(1));
				amount
			},
		};
		AppealStakes::<T>::insert((id, p, who), AppealStake { amount, until });
		Ok(())
	}

	/// Updates a job's [`AppealCount`], removing it when nothing is left.
	fn count_appeals(id: JobId, f: impl FnOnce(&mut AppealCount)) {
		let mut count = AppealCounts::<T>::get(id);
		f(&mut count);
		if count == AppealCount::default() {
			AppealCounts::<T>::remove(id);
		} else {
			AppealCounts::<T>::insert(id, count);
		}
	}

	/// Records an appealable slash of `who` (see [`SlashRecord`]).
	pub(crate) fn record_slash(
		id: JobId,
		p: PackageIndex,
		who: &T::AccountId,
		record: SlashRecordOf<T>,
	) {
		let until = record.until;
		SlashRecords::<T>::insert((id, p, who), record);
		Self::deposit_event(Event::SlashAppealable {
			job: id,
			package: p,
			labeler: who.clone(),
			until,
		});
	}

	pub(crate) fn do_appeal(id: JobId, p: PackageIndex, who: T::AccountId) -> DispatchResult {
		let record = SlashRecords::<T>::get((id, p, &who)).ok_or(Error::<T>::NothingToAppeal)?;
		ensure!(!Appeals::<T>::contains_key((id, p, &who)), Error::<T>::AlreadyAppealed);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now <= record.until, Error::<T>::AppealWindowClosed);
		let bond = T::AppealBond::get();
		ensure!(
			T::Currency::can_hold(&HoldReason::AppealBond.into(), &who, bond),
			Error::<T>::CannotPayBond
		);
		T::Currency::hold(&HoldReason::AppealBond.into(), &who, bond)
			.map_err(|_| Error::<T>::CannotPayBond)?;
		Appeals::<T>::insert((id, p, &who), Appeal { bond, filed: now, votes: BoundedVec::new() });
		Self::count_appeals(id, |c| c.appeals = c.appeals.saturating_add(1));
		Self::deposit_event(Event::AppealFiled { job: id, package: p, labeler: who, bond });
		Ok(())
	}

	/// Whether `who` may sit on the panel of the appeal of `appellant` (see
	/// [`vote_appeal`](Pallet::vote_appeal)).
	pub(crate) fn ensure_panelist(
		id: JobId,
		p: PackageIndex,
		appellant: &T::AccountId,
		record: &SlashRecordOf<T>,
		who: &T::AccountId,
	) -> DispatchResult {
		let job = JobDetails::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		ensure!(
			who != appellant
				&& !record.against.contains(who)
				&& !Assignments::<T>::contains_key((id, p, who))
				&& !SlashRecords::<T>::contains_key((id, p, who))
				&& !AppealStakes::<T>::contains_key((id, p, who)),
			Error::<T>::ConflictOfInterest
		);
		ensure!(
			T::Labelers::is_qualified(who, job.domain)
				&& T::Labelers::weight_of(who, job.domain) >= T::PanelMinWeight::get()
				&& T::Labelers::track_record(who, job.domain) >= T::PanelMinRecord::get(),
			Error::<T>::NotReliableEnough
		);
		Ok(())
	}

	/// Returns `Some((stakes, panelists))` for the weight when this vote decided the appeal.
	pub(crate) fn do_vote_appeal(
		id: JobId,
		p: PackageIndex,
		appellant: T::AccountId,
		who: T::AccountId,
		overturn: bool,
	) -> Result<Option<(u32, u32)>, DispatchError> {
		let mut appeal = Appeals::<T>::get((id, p, &appellant)).ok_or(Error::<T>::UnknownAppeal)?;
		let record =
			SlashRecords::<T>::get((id, p, &appellant)).ok_or(Error::<T>::UnknownAppeal)?;
		ensure!(appeal.votes.iter().all(|(v, _)| *v != who), Error::<T>::AlreadyVoted);
		Self::ensure_panelist(id, p, &appellant, &record, &who)?;
		appeal
			.votes
			.try_push((who.clone(), overturn))
			.map_err(|_| Error::<T>::PanelFull)?;
		let majority = T::AppealPanelSize::get() / 2 + 1;
		let for_side = appeal.votes.iter().filter(|(_, o)| *o == overturn).count() as u32;
		Self::deposit_event(Event::AppealVoted {
			job: id,
			package: p,
			labeler: appellant.clone(),
			panelist: who,
			overturn,
		});
		Appeals::<T>::insert((id, p, &appellant), appeal);
		if for_side >= majority {
			let cost = Self::do_decide_appeal(id, p, &appellant, overturn, AppealDecider::Panel)?;
			return Ok(Some(cost));
		}
		Ok(None)
	}

	/// Decides an appeal; returns `(stakes of the accepted labelers, panelists)` for the weight.
	pub(crate) fn do_decide_appeal(
		id: JobId,
		p: PackageIndex,
		appellant: &T::AccountId,
		overturn: bool,
		by: AppealDecider,
	) -> Result<(u32, u32), DispatchError> {
		let appeal = Appeals::<T>::get((id, p, appellant)).ok_or(Error::<T>::UnknownAppeal)?;
		let record = SlashRecords::<T>::get((id, p, appellant)).ok_or(Error::<T>::UnknownAppeal)?;
		let job = JobDetails::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		let winners: Vec<T::AccountId> = appeal
			.votes
			.iter()
			.filter(|(_, o)| *o == overturn)
			.map(|(who, _)| who.clone())
			.collect();
		let stakes: Vec<(T::AccountId, BalanceOf<T>)> = if overturn {
			record
				.against
				.iter()
				.filter_map(|who| {
					AppealStakes::<T>::get((id, p, who)).map(|s| (who.clone(), s.amount))
				})
				.collect()
		} else {
			Vec::new()
		};
		// What the treasury receives (forfeited stakes or bond) and pays (fees, the refund):
		// checked before anything is written.
		let fees = T::PanelFee::get().saturating_mul((winners.len() as u32).into());
		let incoming = if overturn {
			stakes.iter().fold(BalanceOf::<T>::zero(), |a, (_, s)| a.saturating_add(*s))
		} else {
			appeal.bond
		};
		let outgoing = if overturn { fees.saturating_add(record.deposit) } else { fees };
		let treasury = T::Treasury::get();
		let available =
			T::Currency::reducible_balance(&treasury, Preservation::Preserve, Fortitude::Polite)
				.saturating_add(incoming);
		ensure!(available >= outgoing, Error::<T>::TreasuryCannotPay);

		let bond_reason = HoldReason::AppealBond.into();
		let items = record.labels.len();
		if overturn {
			T::Currency::release(&bond_reason, appellant, appeal.bond, Precision::BestEffort)?;
			for (who, amount) in stakes.iter() {
				let (credit, _) = T::Currency::slash(&HoldReason::AppealStake.into(), who, *amount);
				T::Slash::on_unbalanced(credit);
				AppealStakes::<T>::remove((id, p, who));
				Self::count_appeals(id, |c| c.stakes = c.stakes.saturating_sub(1));
				Self::deposit_event(Event::StakeForfeited {
					job: id,
					package: p,
					labeler: who.clone(),
					amount: *amount,
				});
			}
			// Every label of the accepted labelers on the package counts as a full error; the
			// appellant's as right.
			let wrong: Vec<FixedU128> = alloc::vec![FixedU128::one(); items];
			for who in record.against.iter() {
				T::Labelers::record_outcomes(who, job.domain, &wrong);
			}
			let right: Vec<FixedU128> = alloc::vec![FixedU128::zero(); items];
			T::Labelers::record_outcomes(appellant, job.domain, &right);
			if !record.deposit.is_zero() {
				T::Currency::transfer(&treasury, appellant, record.deposit, Preservation::Preserve)
					.map_err(|_| Error::<T>::TreasuryCannotPay)?;
			}
		} else {
			let (credit, _) = T::Currency::slash(&bond_reason, appellant, appeal.bond);
			T::Slash::on_unbalanced(credit);
		}
		let fee = T::PanelFee::get();
		if !fee.is_zero() {
			for who in winners.iter() {
				T::Currency::transfer(&treasury, who, fee, Preservation::Preserve)
					.map_err(|_| Error::<T>::TreasuryCannotPay)?;
				Self::deposit_event(Event::PanelistPaid {
					job: id,
					package: p,
					panelist: who.clone(),
					amount: fee,
				});
			}
		}
		Appeals::<T>::remove((id, p, appellant));
		SlashRecords::<T>::remove((id, p, appellant));
		Self::count_appeals(id, |c| c.appeals = c.appeals.saturating_sub(1));
		Self::deposit_event(Event::AppealDecided {
			job: id,
			package: p,
			labeler: appellant.clone(),
			overturned: overturn,
			by,
		});
		Ok((stakes.len() as u32, winners.len() as u32))
	}

	pub(crate) fn do_release_stake(
		id: JobId,
		p: PackageIndex,
		who: T::AccountId,
	) -> DispatchResult {
		let stake = AppealStakes::<T>::get((id, p, &who)).ok_or(Error::<T>::NoStake)?;
		let now = frame_system::Pallet::<T>::block_number();
		// Locked for the window, and while an appeal on the package is undecided — at most
		// `AppealPeriod` after its filing, so an appeal nobody decides cannot lock stakes for
		// good.
		let period = T::AppealPeriod::get();
		ensure!(
			now > stake.until
				&& Appeals::<T>::iter_prefix_values((id, p))
					.all(|a| now > a.filed.saturating_add(period)),
			Error::<T>::StakeLocked
		);
		T::Currency::release(
			&HoldReason::AppealStake.into(),
			&who,
			stake.amount,
			Precision::BestEffort,
		)?;
		AppealStakes::<T>::remove((id, p, &who));
		Self::count_appeals(id, |c| c.stakes = c.stakes.saturating_sub(1));
		Self::deposit_event(Event::StakeReleased {
			job: id,
			package: p,
			labeler: who,
			amount: stake.amount,
		});
		Ok(())
	}

	/// Closes an appeal nobody decided within `AppealPeriod` of its filing: the bond returns
	/// to the appellant (no fault was found either way) and the slash stands.
	pub(crate) fn do_close_lapsed_appeal(
		id: JobId,
		p: PackageIndex,
		appellant: T::AccountId,
	) -> DispatchResult {
		let appeal = Appeals::<T>::get((id, p, &appellant)).ok_or(Error::<T>::UnknownAppeal)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(
			now > appeal.filed.saturating_add(T::AppealPeriod::get()),
			Error::<T>::AppealNotLapsed
		);
		T::Currency::release(
			&HoldReason::AppealBond.into(),
			&appellant,
			appeal.bond,
			Precision::BestEffort,
		)?;
		Appeals::<T>::remove((id, p, &appellant));
		SlashRecords::<T>::remove((id, p, &appellant));
		Self::count_appeals(id, |c| c.appeals = c.appeals.saturating_sub(1));
		Self::deposit_event(Event::AppealLapsed { job: id, package: p, labeler: appellant });
		Ok(())
	}

	/// Benchmarks: `who` holds `amount` at stake on package 0 of `id` (as a judgement leaves it).
	#[cfg(feature = "runtime-benchmarks")]
	pub(crate) fn keep_stake_for_benchmark(
		id: JobId,
		who: &T::AccountId,
		amount: BalanceOf<T>,
		until: BlockNumberFor<T>,
	) {
		let _ = T::Currency::hold(&HoldReason::PackageDeposit.into(), who, amount);
		let _ = Self::keep_at_stake(id, 0, who, amount, until);
	}

	/// Benchmarks: recounts a job's stakes and appeals from the entries.
	#[cfg(feature = "runtime-benchmarks")]
	pub(crate) fn count_appeals_for_benchmark(id: JobId) {
		let stakes = AppealStakes::<T>::iter_prefix((id,)).count() as u32;
		let appeals = Appeals::<T>::iter_prefix((id,)).count() as u32;
		Self::count_appeals(id, |c| *c = AppealCount { stakes, appeals });
	}

	/// Total held under `reason` by `who` (try-state and tests).
	#[cfg(any(test, feature = "try-runtime", feature = "fuzzing"))]
	pub(crate) fn held(reason: HoldReason, who: &T::AccountId) -> BalanceOf<T> {
		T::Currency::balance_on_hold(&reason.into(), who)
	}
}
