//! The pallet's invariants, [`Pallet::do_try_state`]: compiled for unit and benchmark tests,
//! `try-runtime` and the runtime fuzzer (feature `fuzzing`), never into the production runtime.

use crate::{pallet::*, types::*};
use frame_support::{ensure, traits::fungible::InspectHold};
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// Invariants of the pallet's storage: run after every unit and benchmark test, by
	/// `try-runtime`, and by the runtime fuzzer (feature `fuzzing`); not compiled otherwise.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use sp_runtime::TryRuntimeError as E;
		// Counted maps match their contents.
		ensure!(
			Registrations::<T>::count() as usize == Registrations::<T>::iter().count(),
			E::Other("labeler count")
		);
		ensure!(
			Domains::<T>::count() as usize == Domains::<T>::iter().count(),
			E::Other("domain count")
		);
		ensure!(
			Rounds::<T>::count() as usize == Rounds::<T>::iter().count(),
			E::Other("round count")
		);
		ensure!(Gold::<T>::count() as usize == Gold::<T>::iter().count(), E::Other("gold count"));

		// Holds equal recorded deposits.
		let reg = HoldReason::Registration.into();
		let rnd = HoldReason::QualificationRound.into();
		let sponsored = HoldReason::SponsoredRegistration.into();
		// What each sponsor should hold: the deposits of the labelers it sponsors.
		let mut sponsoring: alloc::collections::BTreeMap<T::AccountId, BalanceOf<T>> =
			Default::default();
		for (who, l) in Registrations::<T>::iter() {
			// A sponsored labeler's deposit is held on the sponsor's account, not theirs.
			let own = match Sponsors::<T>::get(&who) {
				Some(sponsor) => {
					let due = sponsoring.entry(sponsor).or_insert_with(Zero::zero);
					*due = due.saturating_add(l.deposit);
					Zero::zero()
				},
				None => l.deposit,
			};
			ensure!(
				T::Currency::balance_on_hold(&reg, &who) == own,
				E::Other("registration hold != recorded deposit")
			);
			let held: BalanceOf<T> = OpenRound::<T>::iter_prefix(&who)
				.filter_map(|(_, r)| Rounds::<T>::get(r))
				.fold(Zero::zero(), |acc: BalanceOf<T>, r| acc.saturating_add(r.deposit));
			ensure!(
				T::Currency::balance_on_hold(&rnd, &who) == held,
				E::Other("round hold != open round deposits")
			);
		}

		// Sponsorships: only of registered labelers, never of oneself, and every sponsor holds
		// exactly the deposits of the labelers it sponsors.
		for (labeler, sponsor) in Sponsors::<T>::iter() {
			ensure!(
				Registrations::<T>::contains_key(&labeler),
				E::Other("sponsor of unregistered")
			);
			ensure!(labeler != sponsor, E::Other("self-sponsorship"));
		}
		for (sponsor, due) in sponsoring {
			ensure!(
				T::Currency::balance_on_hold(&sponsored, &sponsor) == due,
				E::Other("sponsor's hold != sponsored deposits")
			);
		}

		// Every reliability model is of its domain's label kind (a model of another kind could
		// never be used, only stored).
		for (_, domain, record) in Reputation::<T>::iter() {
			let Some(model) = record.model else { continue };
			let d = Domains::<T>::get(domain).ok_or(E::Other("reliability in unknown domain"))?;
			ensure!(model.fits(&d.kind), E::Other("reliability of another kind"));
		}

		// Rounds, their index and their gold.
		let mut gold_in_rounds = 0usize;
		for (id, r) in Rounds::<T>::iter() {
			ensure!(OpenRound::<T>::get(&r.labeler, r.domain) == Some(id), E::Other("round index"));
			ensure!(
				Registrations::<T>::contains_key(&r.labeler),
				E::Other("round of unregistered")
			);
			ensure!(id < NextRoundId::<T>::get(), E::Other("round id beyond counter"));
			let answers_ok = match r.phase {
				RoundPhase::Answering => r.answers.is_empty(),
				RoundPhase::Answered => r.answers.len() == r.gold.len(),
			};
			ensure!(answers_ok, E::Other("round answers vs phase"));
			for g in r.gold.iter() {
				let item = Gold::<T>::get(g).ok_or(E::Other("round gold missing"))?;
				ensure!(item.round == Some(id) && item.domain == r.domain, E::Other("round gold"));
			}
			gold_in_rounds = gold_in_rounds.saturating_add(r.gold.len());
		}
		ensure!(
			OpenRound::<T>::iter().count() == Rounds::<T>::count() as usize,
			E::Other("open-round index size")
		);

		// Gold in stock is unassigned and belongs to its domain.
		let mut in_stock = 0usize;
		for (domain, stock) in GoldStock::<T>::iter() {
			ensure!(Domains::<T>::contains_key(domain), E::Other("stock of unknown domain"));
			for g in stock.iter() {
				let item = Gold::<T>::get(g).ok_or(E::Other("stock gold missing"))?;
				ensure!(item.round.is_none() && item.domain == domain, E::Other("stock gold"));
			}
			in_stock = in_stock.saturating_add(stock.len());
		}
		ensure!(
			Gold::<T>::count() as usize == in_stock.saturating_add(gold_in_rounds),
			E::Other("gold neither in stock nor in a round")
		);

		// Domain qualified counters.
		for (id, d) in Domains::<T>::iter() {
			ensure!(id < NextDomainId::<T>::get(), E::Other("domain id beyond counter"));
			let qualified = Qualifications::<T>::iter()
				.filter(|(_, dom, q)| *dom == id && matches!(q, Qualification::Qualified { .. }))
				.count() as u32;
			ensure!(qualified == d.qualified, E::Other("qualified counter"));
		}
		Ok(())
	}
}
