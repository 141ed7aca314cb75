//! The pallet's invariants, [`Pallet::do_try_state`]: compiled for unit and benchmark tests,
//! `try-runtime` and the runtime fuzzer (feature `fuzzing`), never into the production runtime.

use crate::pallet::*;
use alloc::collections::btree_map::BTreeMap;
use frame_support::{
	ensure,
	traits::{fungible::InspectHold, Get},
};
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// Invariants of the pallet's storage: run after every unit and benchmark test, by
	/// `try-runtime`, and by the runtime fuzzer (feature `fuzzing`); not compiled otherwise.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use sp_runtime::TryRuntimeError as E;
		ensure!(
			DataItems::<T>::count() as usize == DataItems::<T>::iter().count(),
			E::Other("item count")
		);
		ensure!(
			DatasetDetails::<T>::count() as usize == DatasetDetails::<T>::iter().count(),
			E::Other("dataset count")
		);
		ensure!(Sales::<T>::count() as usize == Sales::<T>::iter().count(), E::Other("sale count"));
		// Unclaimed payouts are exactly what the pallet account holds.
		let unclaimed = Unclaimed::<T>::iter_values()
			.fold(BalanceOf::<T>::zero(), |acc, v| acc.saturating_add(v));
		ensure!(
			T::Currency::balance_on_hold(&HoldReason::UnclaimedPayout.into(), &Self::account_id())
				== unclaimed,
			E::Other("unclaimed payouts != pallet account hold")
		);
		ensure!(Unclaimed::<T>::iter_values().all(|v| !v.is_zero()), E::Other("zero unclaimed"));
		// Item deposits per owner equal the held deposits; registration serials are unique and
		// below the counter.
		let mut deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut serials = alloc::collections::btree_set::BTreeSet::new();
		for (_, d) in DataItems::<T>::iter() {
			ensure!(d.serial < NextRegistration::<T>::get(), E::Other("serial beyond counter"));
			ensure!(serials.insert(d.serial), E::Other("duplicate registration serial"));
			let e = deposits.entry(d.owner).or_insert_with(Zero::zero);
			*e = e.saturating_add(d.deposit);
		}
		for (owner, total) in deposits {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::ItemDeposit.into(), &owner) == total,
				E::Other("item deposits != held")
			);
		}
		// Dataset deposits per publisher and sale deposits per buyer equal the held deposits.
		let mut publishers: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (_, ds) in DatasetDetails::<T>::iter() {
			let e = publishers.entry(ds.publisher).or_insert_with(Zero::zero);
			*e = e.saturating_add(ds.deposit);
		}
		for (publisher, total) in publishers {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::DatasetStorage.into(), &publisher)
					== total,
				E::Other("dataset deposits != held")
			);
		}
		let mut buyers: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (_, sale) in Sales::<T>::iter() {
			let e = buyers.entry(sale.buyer).or_insert_with(Zero::zero);
			*e = e.saturating_add(sale.deposit);
		}
		for (buyer, total) in buyers {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::SaleStorage.into(), &buyer) == total,
				E::Other("sale deposits != held")
			);
		}
		// Each owner's sales form one list from `LastOwnerSale`, newest first, covering every
		// `OwnerSales` entry of the owner.
		for (owner, head) in LastOwnerSale::<T>::iter() {
			let mut visited = 0usize;
			let mut cursor = Some(head);
			while let Some(id) = cursor {
				let entry = OwnerSales::<T>::get(&owner, id).ok_or(E::Other("broken sale list"))?;
				ensure!(entry.previous.is_none_or(|p| p < id), E::Other("sale list order"));
				visited = visited.saturating_add(1);
				cursor = entry.previous;
			}
			ensure!(
				OwnerSales::<T>::iter_prefix(&owner).count() == visited,
				E::Other("sales outside the owner's list")
			);
		}
		ensure!(
			OwnerSales::<T>::iter_keys().all(|(o, _)| LastOwnerSale::<T>::contains_key(o)),
			E::Other("owner sales without a list head")
		);
		// Datasets: leaves match the item count, one per job, ids below the counter.
		for (id, ds) in DatasetDetails::<T>::iter() {
			ensure!(id < NextDatasetId::<T>::get(), E::Other("dataset id beyond counter"));
			ensure!(
				ds.registrations <= NextRegistration::<T>::get(),
				E::Other("dataset registrations beyond counter")
			);
			ensure!(
				DatasetItems::<T>::get(id).len() as u32 == ds.items && ds.items > 0,
				E::Other("dataset leaves != items")
			);
			ensure!(DatasetOfJob::<T>::get(ds.job) == Some(id), E::Other("job -> dataset"));
			ensure!(
				DatasetContributors::<T>::get(id).len() as u32 == ds.certificate.labelers,
				E::Other("labeler count")
			);
		}
		// Sales conserve value and point at existing datasets.
		for (id, s) in Sales::<T>::iter() {
			ensure!(id < NextSaleId::<T>::get(), E::Other("sale id beyond counter"));
			ensure!(
				DatasetDetails::<T>::contains_key(s.dataset),
				E::Other("sale of unknown dataset")
			);
			let publisher = SalePublisherParts::<T>::get(id).unwrap_or_default();
			ensure!(
				s.owners
					.saturating_add(s.labelers)
					.saturating_add(publisher)
					.saturating_add(s.reserve)
					== s.price,
				E::Other("sale split != price")
			);
		}
		for (id, _) in SalePublisherParts::<T>::iter() {
			ensure!(Sales::<T>::contains_key(id), E::Other("publisher part of unknown sale"));
		}
		for (id, share) in PublisherShares::<T>::iter() {
			ensure!(DatasetDetails::<T>::contains_key(id), E::Other("share of unknown dataset"));
			ensure!(
				!share.is_zero() && share <= T::MaxPublisherShare::get(),
				E::Other("publisher share out of range")
			);
		}
		Ok(())
	}
}
