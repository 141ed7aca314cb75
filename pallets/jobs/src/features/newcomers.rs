//! Newcomer bonus: a labeler's first [`Config::NewcomerPackages`] judged, accepted packages each
//! earn a bonus from the newcomer pot ([`Config::NewcomerPot`]), which the council funds with
//! treasury spends (Briko: the reserve pays newcomer rewards).
//!
//! The bonus per package is `min(NewcomerBonus, qualification fee of the job's domain /
//! NewcomerPackages)`, so the bonuses an account can ever receive add up to at most the
//! qualification fee it paid to the treasury to label in that domain: creating accounts to
//! farm bonuses (even on one's own job, with one's own colluding accounts agreeing with each
//! other) returns at most what those accounts paid in.

use crate::pallet::*;
use crowdlabel_labels::{DomainId, JobId};
use crowdlabel_traits::LabelerRegistry;
use frame_support::traits::{fungible::Mutate, tokens::Preservation, Get};
use sp_runtime::traits::{UniqueSaturatedInto, Zero};

impl<T: Config> Pallet<T> {
	/// The bonus a newcomer earns per accepted package in `domain` (zero: none).
	pub fn newcomer_bonus(domain: DomainId) -> BalanceOf<T> {
		let packages = T::NewcomerPackages::get();
		let Some(info) = T::Labelers::domain(domain) else { return Zero::zero() };
		if packages == 0 {
			return Zero::zero();
		}
		let fee: BalanceOf<T> = info.qualification_fee.unique_saturated_into();
		let cap = fee / BalanceOf::<T>::from(packages);
		T::NewcomerBonus::get().min(cap)
	}

	/// Counts a judged, accepted package of `who` towards their first `NewcomerPackages` and
	/// pays the bonus from the pot. A package accepted while the pot cannot pay (keeping its
	/// existential deposit) still counts: the bonus is for the first packages, not for later
	/// ones when the pot is refilled. Returns whether the package was counted (the costly
	/// path: a write and a transfer); otherwise only the domain and the progress were read.
	pub(crate) fn reward_newcomer(job: JobId, domain: DomainId, who: &T::AccountId) -> bool {
		let amount = Self::newcomer_bonus(domain);
		if amount.is_zero() {
			return false;
		}
		let done = NewcomerProgress::<T>::get(who);
		if done >= T::NewcomerPackages::get() {
			return false;
		}
		let nth = done.saturating_add(1);
		NewcomerProgress::<T>::insert(who, nth);
		let pot = T::NewcomerPot::get();
		if T::Currency::transfer(&pot, who, amount, Preservation::Preserve).is_ok() {
			Self::deposit_event(Event::NewcomerBonusPaid {
				job,
				labeler: who.clone(),
				amount,
				nth,
			});
		}
		true
	}
}
