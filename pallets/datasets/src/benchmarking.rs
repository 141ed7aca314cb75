//! Benchmarks (v2) at their worst cases: largest batches and datasets, one owner per item, the
//! most labelers, labels with the most boxes. `publish_dataset` is measured by the job's items
//! (all read), every item registered and labeled in its own package by `MaxRedundancy` of
//! `MaxContributors` rotating labelers. Every benchmark's verification ends with the pallet's
//! `try_state` checks, so the benchmark tests check the invariants after every benchmark.

use super::*;
use crate::functions::Quote;
use alloc::vec::Vec;
use crowdlabel_consensus::{FixedU128, One};
use crowdlabel_content::cid::cid_from_digest;
use crowdlabel_labels::{ItemHash, JobId, LabelKind};
use crowdlabel_traits::{FinishedJobs, LabelerRegistry};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungible::{Inspect, Mutate},
		Get,
	},
	BoundedVec,
};
use frame_system::RawOrigin;
use sp_core::H256;
use sp_runtime::traits::{Bounded, Saturating, Zero};

fn funded<T: Config>(name: &'static str, i: u32) -> T::AccountId {
	let who: T::AccountId = account(name, i, 0);
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 1024u32.into());
	who
}

fn digest(i: u32) -> [u8; 32] {
	let mut d = [0u8; 32];
	d[..4].copy_from_slice(&i.to_le_bytes());
	d[31] = 0xCD;
	d
}

fn licence<T: Config>() -> BoundedVec<u8, T::MaxLicenceLen> {
	BoundedVec::truncate_from(alloc::vec![b'L'; T::MaxLicenceLen::get() as usize])
}

/// `n` items, each registered by its own owner with consent, in a settled job whose packages
/// are labeled by `labelers` rotating labelers; returns the job and its requester.
fn settled_job<T: Config>(n: u32, labelers: u32) -> (JobId, T::AccountId) {
	let domain = T::Labelers::benchmark_domain(LabelKind::BoundingBoxes { classes: 1 });
	let requester = funded::<T>("requester", 0);
	let mut items: Vec<ItemHash> = Vec::new();
	for i in 0..n {
		let owner = funded::<T>("owner", i);
		let cid = cid_from_digest(&digest(i));
		Pallet::<T>::do_register_items(
			owner,
			domain,
			licence::<T>(),
			true,
			BoundedVec::truncate_from(alloc::vec![cid]),
		)
		.expect("registers");
		items.push(H256(digest(i)));
	}
	let workers: Vec<T::AccountId> = (0..labelers).map(|i| account("labeler", i, 0)).collect();
	let job = T::Jobs::benchmark_settled_job(
		requester.clone(),
		LabelKind::BoundingBoxes { classes: 1 },
		items,
		workers,
	);
	(job, requester)
}

fn price<T: Config>(n: u32) -> BalanceOf<T> {
	T::MinPricePerItem::get()
		.saturating_mul(n.into())
		.saturating_mul(1000u32.into())
}

/// The pallet's invariants (verification of every benchmark when the benchmarks run as tests).
#[cfg_attr(not(test), allow(clippy::extra_unused_type_parameters))]
fn check<T: Config>() {
	#[cfg(test)]
	if let Err(e) = Pallet::<T>::do_try_state() {
		panic!("try_state after the benchmark: {e:?}");
	}
}

fn published<T: Config>(n: u32) -> (DatasetId, T::AccountId) {
	let (job, requester) = settled_job::<T>(n, 1);
	let id = NextDatasetId::<T>::get();
	Pallet::<T>::do_publish_dataset(requester.clone(), job, price::<T>(n)).expect("publishes");
	(id, requester)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_items(n: Linear<1, { T::MaxRegisterBatch::get() }>) {
		let domain = T::Labelers::benchmark_domain(LabelKind::BoundingBoxes { classes: 1 });
		let owner = funded::<T>("owner", 0);
		let cids: Vec<Cid> = (0..n).map(|i| cid_from_digest(&digest(i))).collect();
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), domain, licence::<T>(), true, BoundedVec::truncate_from(cids));
		assert_eq!(DataItems::<T>::count(), n);
		check::<T>();
	}

	#[benchmark]
	fn set_consent() {
		let (_, _) = settled_job::<T>(1, 1);
		let owner: T::AccountId = account("owner", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), H256(digest(0)), false);
		assert_eq!(DataItems::<T>::get(H256(digest(0))).map(|d| d.opt_in), Some(false));
		check::<T>();
	}

	#[benchmark]
	fn deregister_item() {
		let (_, _) = settled_job::<T>(1, 1);
		let owner: T::AccountId = account("owner", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), H256(digest(0)));
		assert_eq!(DataItems::<T>::count(), 0);
		check::<T>();
	}

	/// `n`: items of the job (every one is read); worst case: all registered with consent
	/// (all become leaves), one package per item (a contributors read per item), the most
	/// labelers, labels with the most boxes.
	#[benchmark]
	fn publish_dataset(n: Linear<1, { T::MaxDatasetItems::get() }>) {
		let (job, requester) = settled_job::<T>(n, T::MaxContributors::get());
		#[extrinsic_call]
		_(RawOrigin::Signed(requester), job, price::<T>(n));
		assert_eq!(DatasetDetails::<T>::get(0).map(|d| d.items), Some(n));
		assert!(!DatasetDetails::<T>::get(0).map(|d| d.deposit).unwrap_or_default().is_zero());
		check::<T>();
	}

	#[benchmark]
	fn set_price() {
		let (id, publisher) = published::<T>(1);
		let new = price::<T>(2);
		#[extrinsic_call]
		_(RawOrigin::Signed(publisher), id, new);
		assert_eq!(DatasetDetails::<T>::get(id).map(|d| d.price), Some(new));
		check::<T>();
	}

	#[benchmark]
	fn set_publisher_share() {
		let (id, publisher) = published::<T>(1);
		let share = T::MaxPublisherShare::get();
		#[extrinsic_call]
		_(RawOrigin::Signed(publisher), id, share);
		assert_eq!(PublisherShares::<T>::get(id), (!share.is_zero()).then_some(share));
		check::<T>();
	}

	#[benchmark]
	fn set_listing() {
		let (id, publisher) = published::<T>(1);
		#[extrinsic_call]
		_(RawOrigin::Signed(publisher), id, false);
		assert_eq!(DatasetDetails::<T>::get(id).map(|d| d.listed), Some(false));
		check::<T>();
	}

	#[benchmark]
	fn purchase_dataset(
		n: Linear<1, { T::MaxDatasetItems::get() }>,
		l: Linear<1, { T::MaxContributors::get() }>,
	) {
		let (id, _) = published::<T>(n);
		// `l` labelers with distinct weights and workloads.
		let contributors: Vec<Contributor<T::AccountId>> = (0..l)
			.map(|i| Contributor {
				labeler: account("labeler", i, 0),
				weight: FixedU128::one().saturating_add(FixedU128::from_rational(i as u128, 1000)),
				work: i + 1,
			})
			.collect();
		DatasetContributors::<T>::insert(id, BoundedVec::truncate_from(contributors));
		DatasetDetails::<T>::mutate(id, |d| {
			if let Some(d) = d {
				d.certificate.labelers = l;
			}
		});
		Pallet::<T>::ensure_account_exists();
		// The publisher takes its largest share: one more credit.
		PublisherShares::<T>::insert(id, T::MaxPublisherShare::get());
		let treasury = T::Treasury::get();
		T::Currency::set_balance(&treasury, T::Currency::minimum_balance());
		let buyer = funded::<T>("buyer", 0);
		let Ok(Quote { price: quote, .. }) = Pallet::<T>::quote(id) else {
			panic!("quote of a published dataset");
		};
		#[extrinsic_call]
		_(RawOrigin::Signed(buyer), id, quote);
		assert_eq!(Sales::<T>::count(), 1);
		check::<T>();
	}

	#[benchmark]
	fn claim_payouts() {
		let (id, _) = published::<T>(1);
		Pallet::<T>::ensure_account_exists();
		let treasury = T::Treasury::get();
		T::Currency::set_balance(&treasury, T::Currency::minimum_balance());
		let buyer = funded::<T>("buyer", 0);
		Pallet::<T>::do_purchase_dataset(buyer, id, BalanceOf::<T>::max_value()).expect("buys");
		let owner: T::AccountId = account("owner", 0, 0);
		assert!(Unclaimed::<T>::contains_key(&owner));
		#[extrinsic_call]
		_(RawOrigin::Signed(owner.clone()));
		assert!(!Unclaimed::<T>::contains_key(&owner));
		check::<T>();
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
