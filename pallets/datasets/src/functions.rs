//! The logic behind the calls, queries for clients, and the invariants checked by `try_state`.

use crate::{pallet::*, types::*};
use alloc::{collections::btree_map::BTreeMap, vec::Vec};
use codec::Encode;
use crowdlabel_consensus::{
	cid::digest_from_cid, mean_perbill, merkle, mul_div_floor, reward_shares, split_proportional,
	split_sale, FixedU128, Perbill,
};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, InspectHold, Mutate, MutateHold},
		tokens::{Fortitude, Precision, Preservation, Restriction},
	},
};
use frame_system::pallet_prelude::OriginFor;
use pallet_jobs::{FinishedJobs, JobId, PackageIndex};
use pallet_labelers::{
	types::{DomainId, ItemHash},
	LabelerRegistry,
};
use sp_core::H256;
use sp_runtime::traits::{
	AccountIdConversion, CheckedAdd, Saturating, UniqueSaturatedFrom, UniqueSaturatedInto, Zero,
};

/// The hash of the dataset Merkle tree: BLAKE2b-256.
pub fn hasher(data: &[u8]) -> merkle::Hash {
	sp_io::hashing::blake2_256(data)
}

/// The leaf of an item and its consensus label: `H(0x00 ++ SCALE((item, label)))`.
pub fn leaf_of<L: Encode>(item: &ItemHash, label: &L) -> merkle::Hash {
	merkle::leaf_hash(&hasher, &(item, label).encode())
}

fn to_u128<B: UniqueSaturatedInto<u128>>(b: B) -> u128 {
	b.unique_saturated_into()
}

fn from_u128<T: Config>(v: u128) -> BalanceOf<T> {
	BalanceOf::<T>::unique_saturated_from(v)
}

/// A labeler with their weight `a`.
type Labeler<T> = (<T as frame_system::Config>::AccountId, FixedU128);

/// What a buyer would pay now, and which leaves would be left out.
pub struct Quote<AccountId, Balance> {
	/// Price of the sold items.
	pub price: Balance,
	/// Items sold.
	pub sold: u32,
	/// Leaves left out (no consent or deregistered).
	pub excluded: Vec<u32>,
	/// Items per owner, in first-appearance order.
	pub owners: Vec<(AccountId, u32)>,
}

impl<T: Config> Pallet<T> {
	/// The account holding unclaimed payouts.
	pub fn account_id() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// Gives the pallet account the existential deposit if it has less (genesis, benchmarks).
	pub fn ensure_account_exists() {
		let account = Self::account_id();
		let ed = T::Currency::minimum_balance();
		let balance = T::Currency::balance(&account);
		if balance < ed {
			let _ = T::Currency::mint_into(&account, ed.saturating_sub(balance));
		}
	}

	/// `Some(who)` for a signed origin, `None` for the curator.
	pub(crate) fn publisher_or_curator(
		origin: OriginFor<T>,
	) -> Result<Option<T::AccountId>, DispatchError> {
		match T::CuratorOrigin::try_origin(origin) {
			Ok(_) => Ok(None),
			Err(origin) => Ok(Some(frame_system::ensure_signed(origin)?)),
		}
	}

	pub(crate) fn do_register_items(
		who: T::AccountId,
		domain: DomainId,
		licence: BoundedVec<u8, T::MaxLicenceLen>,
		opt_in: bool,
		cids: BoundedVec<Cid, T::MaxRegisterBatch>,
	) -> DispatchResult {
		ensure!(T::Labelers::domain(domain).is_some(), Error::<T>::UnknownDomain);
		let mut hashes: Vec<ItemHash> = Vec::with_capacity(cids.len());
		for cid in cids.iter() {
			let digest = digest_from_cid(cid).map_err(|_| Error::<T>::UnsupportedCid)?;
			hashes.push(H256(digest));
		}
		let mut sorted = hashes.clone();
		sorted.sort();
		ensure!(sorted.windows(2).all(|w| w[0] != w[1]), Error::<T>::DuplicateItem);
		ensure!(
			hashes.iter().all(|h| !DataItems::<T>::contains_key(h)),
			Error::<T>::AlreadyRegistered
		);
		let deposit = T::ItemDeposit::get();
		let total = deposit.saturating_mul(from_u128::<T>(hashes.len() as u128));
		if !total.is_zero() {
			T::Currency::hold(&HoldReason::ItemDeposit.into(), &who, total)?;
		}
		let now = frame_system::Pallet::<T>::block_number();
		for item in hashes {
			DataItems::<T>::insert(
				item,
				DataItem {
					owner: who.clone(),
					domain,
					licence: licence.clone(),
					opt_in,
					deposit,
					registered: now,
				},
			);
			Self::deposit_event(Event::ItemRegistered { item, owner: who.clone(), domain, opt_in });
		}
		Ok(())
	}

	pub(crate) fn do_set_consent(
		who: T::AccountId,
		item: ItemHash,
		opt_in: bool,
	) -> DispatchResult {
		DataItems::<T>::try_mutate(item, |entry| {
			let data = entry.as_mut().ok_or(Error::<T>::UnknownItem)?;
			ensure!(data.owner == who, Error::<T>::NotOwner);
			data.opt_in = opt_in;
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::ConsentChanged { item, opt_in });
		Ok(())
	}

	pub(crate) fn do_deregister_item(who: T::AccountId, item: ItemHash) -> DispatchResult {
		let data = DataItems::<T>::get(item).ok_or(Error::<T>::UnknownItem)?;
		ensure!(data.owner == who, Error::<T>::NotOwner);
		if !data.deposit.is_zero() {
			T::Currency::release(
				&HoldReason::ItemDeposit.into(),
				&who,
				data.deposit,
				Precision::BestEffort,
			)?;
		}
		DataItems::<T>::remove(item);
		Self::deposit_event(Event::ItemDeregistered { item, owner: who });
		Ok(())
	}

	fn min_price(items: u32) -> BalanceOf<T> {
		T::MinPricePerItem::get().saturating_mul(from_u128::<T>(items as u128))
	}

	/// Publishes job `job`; returns the number of items (for the weight).
	pub(crate) fn do_publish_dataset(
		who: T::AccountId,
		job: JobId,
		price: BalanceOf<T>,
	) -> Result<u32, DispatchError> {
		let settled = T::Jobs::settled_job(job).ok_or(Error::<T>::JobNotSettled)?;
		ensure!(settled.requester == who, Error::<T>::NotRequester);
		ensure!(!DatasetOfJob::<T>::contains_key(job), Error::<T>::AlreadyPublished);

		// Leaves: labeled items whose owner registered them and consents to sales.
		let labeled: Vec<_> = T::Jobs::labeled_items(job)
			.into_iter()
			.filter(|li| DataItems::<T>::get(li.item).is_some_and(|d| d.opt_in))
			.collect();
		ensure!(!labeled.is_empty(), Error::<T>::NoSellableItems);
		let count = u32::try_from(labeled.len()).map_err(|_| Error::<T>::Overflow)?;
		ensure!(price >= Self::min_price(count), Error::<T>::PriceTooLow);
		let items: DatasetItemsOf<T> = labeled
			.iter()
			.map(|li| (li.index, li.item))
			.collect::<Vec<_>>()
			.try_into()
			.map_err(|_| Error::<T>::Overflow)?;

		let leaves: Vec<merkle::Hash> =
			labeled.iter().map(|li| leaf_of(&li.item, &li.result.label)).collect();
		let root = merkle::root(&hasher, &leaves).ok_or(Error::<T>::NoSellableItems)?;
		let agreements: Vec<Perbill> = labeled.iter().map(|li| li.result.agreement).collect();
		let mean_agreement = mean_perbill(&agreements).map_err(|_| Error::<T>::Overflow)?;

		// Workload W per labeler over this dataset's items; weight a from the job's settlement.
		let mut work: BTreeMap<T::AccountId, (FixedU128, u32)> = BTreeMap::new();
		let mut cached: Option<(PackageIndex, Vec<Labeler<T>>)> = None;
		for li in labeled.iter() {
			if cached.as_ref().map(|(p, _)| *p) != Some(li.package) {
				cached = Some((li.package, T::Jobs::contributors(job, li.package).into_inner()));
			}
			for (who, a) in cached.iter().flat_map(|(_, c)| c.iter()) {
				let entry = work.entry(who.clone()).or_insert((*a, 0));
				entry.1 = entry.1.saturating_add(1);
			}
		}
		let contributors: ContributorsOf<T> = work
			.into_iter()
			.map(|(labeler, (weight, work))| Contributor { labeler, weight, work })
			.collect::<Vec<_>>()
			.try_into()
			.map_err(|_| Error::<T>::TooManyContributors)?;

		let gold_accuracy = (settled.gold_checked > 0).then(|| {
			Perbill::from_rational(
				settled.gold_checked.saturating_sub(settled.gold_wrong),
				settled.gold_checked,
			)
		});
		let certificate = QualityCertificate {
			gold_accuracy,
			gold_checked: settled.gold_checked,
			mean_agreement,
			labelers: contributors.len() as u32,
		};

		let id = NextDatasetId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::IdOverflow)?;
		let root = H256(root);
		Datasets::<T>::insert(
			id,
			Dataset {
				job,
				publisher: who.clone(),
				domain: settled.domain,
				kind: settled.kind,
				root,
				items: count,
				price,
				certificate,
				listed: true,
				sales: 0,
				published: frame_system::Pallet::<T>::block_number(),
			},
		);
		NextDatasetId::<T>::put(next);
		DatasetOfJob::<T>::insert(job, id);
		DatasetItems::<T>::insert(id, items);
		DatasetContributors::<T>::insert(id, contributors);
		Self::deposit_event(Event::DatasetPublished {
			dataset: id,
			job,
			publisher: who,
			items: count,
			root,
			price,
		});
		Ok(count)
	}

	fn ensure_may_manage(who: &Option<T::AccountId>, ds: &DatasetOf<T>) -> DispatchResult {
		if let Some(w) = who {
			ensure!(*w == ds.publisher, Error::<T>::NotPublisher);
		}
		Ok(())
	}

	pub(crate) fn do_set_price(
		who: Option<T::AccountId>,
		dataset: DatasetId,
		price: BalanceOf<T>,
	) -> DispatchResult {
		Datasets::<T>::try_mutate(dataset, |entry| {
			let ds = entry.as_mut().ok_or(Error::<T>::UnknownDataset)?;
			Self::ensure_may_manage(&who, ds)?;
			ensure!(price >= Self::min_price(ds.items), Error::<T>::PriceTooLow);
			ds.price = price;
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::PriceSet { dataset, price });
		Ok(())
	}

	pub(crate) fn do_set_listing(
		who: Option<T::AccountId>,
		dataset: DatasetId,
		listed: bool,
	) -> DispatchResult {
		Datasets::<T>::try_mutate(dataset, |entry| {
			let ds = entry.as_mut().ok_or(Error::<T>::UnknownDataset)?;
			Self::ensure_may_manage(&who, ds)?;
			ds.listed = listed;
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::ListingChanged { dataset, listed });
		Ok(())
	}

	/// The price a buyer pays now for `dataset` and what the sale would contain.
	pub fn quote(dataset: DatasetId) -> Result<Quote<T::AccountId, BalanceOf<T>>, DispatchError> {
		let ds = Datasets::<T>::get(dataset).ok_or(Error::<T>::UnknownDataset)?;
		let mut excluded = Vec::new();
		let mut owners: Vec<(T::AccountId, u32)> = Vec::new();
		let mut position: BTreeMap<T::AccountId, usize> = BTreeMap::new();
		for (leaf, (_, item)) in DatasetItems::<T>::get(dataset).iter().enumerate() {
			match DataItems::<T>::get(item) {
				Some(d) if d.opt_in => match position.get(&d.owner) {
					Some(i) => {
						if let Some(o) = owners.get_mut(*i) {
							o.1 = o.1.saturating_add(1);
						}
					},
					None => {
						position.insert(d.owner.clone(), owners.len());
						owners.push((d.owner, 1));
					},
				},
				_ => excluded.push(leaf as u32),
			}
		}
		let sold = ds.items.saturating_sub(excluded.len() as u32);
		let price = mul_div_floor(to_u128(ds.price), sold as u128, (ds.items as u128).max(1))
			.ok_or(Error::<T>::Overflow)?;
		Ok(Quote { price: from_u128::<T>(price), sold, excluded, owners })
	}

	/// Buys `dataset`; returns `(items, labelers)` for the weight.
	pub(crate) fn do_purchase_dataset(
		buyer: T::AccountId,
		dataset: DatasetId,
		max_price: BalanceOf<T>,
	) -> Result<(u32, u32), DispatchError> {
		let mut ds = Datasets::<T>::get(dataset).ok_or(Error::<T>::UnknownDataset)?;
		ensure!(ds.listed, Error::<T>::NotListed);
		let quote = Self::quote(dataset)?;
		ensure!(quote.sold > 0, Error::<T>::NothingToSell);
		ensure!(quote.price <= max_price, Error::<T>::PriceAboveLimit);
		ensure!(
			T::Currency::reducible_balance(&buyer, Preservation::Preserve, Fortitude::Polite)
				>= quote.price,
			Error::<T>::InsufficientFunds
		);
		let sale_id = NextSaleId::<T>::get();
		let next_sale = sale_id.checked_add(1).ok_or(Error::<T>::IdOverflow)?;

		// The split: owners per item, labelers by a * W, the treasury the rest.
		let price = to_u128(quote.price);
		let split = split_sale(price, T::OwnerShare::get(), T::LabelerShare::get())
			.map_err(|_| Error::<T>::Overflow)?;
		let counts: Vec<u128> = quote.owners.iter().map(|(_, n)| *n as u128).collect();
		let owner_parts =
			split_proportional(split.owners, &counts).map_err(|_| Error::<T>::Overflow)?;
		let contributors = DatasetContributors::<T>::get(dataset);
		let entries: Vec<(FixedU128, u32)> =
			contributors.iter().map(|c| (c.weight, c.work)).collect();
		let shares = reward_shares(&entries);
		let (labeler_parts, reserve) = if shares.iter().any(|s| *s > 0) {
			(
				split_proportional(split.labelers, &shares).map_err(|_| Error::<T>::Overflow)?,
				split.reserve,
			)
		} else {
			// Nobody to pay for the labels: their part goes to the platform.
			(alloc::vec![0; contributors.len()], split.reserve.saturating_add(split.labelers))
		};
		let owners_total: u128 = owner_parts.iter().sum();
		let labelers_total: u128 = labeler_parts.iter().sum();
		let credited = owners_total.checked_add(labelers_total).ok_or(Error::<T>::Overflow)?;
		// Conservation, to the last unit.
		ensure!(credited.checked_add(reserve) == Some(price), Error::<T>::Overflow);

		// Payments.
		if !reserve.is_zero() {
			T::Currency::transfer(
				&buyer,
				&T::Treasury::get(),
				from_u128::<T>(reserve),
				Preservation::Preserve,
			)?;
		}
		if credited > 0 {
			T::Currency::transfer_and_hold(
				&HoldReason::UnclaimedPayout.into(),
				&buyer,
				&Self::account_id(),
				from_u128::<T>(credited),
				Precision::Exact,
				Preservation::Preserve,
				Fortitude::Polite,
			)?;
		}
		for ((owner, items), part) in quote.owners.iter().zip(owner_parts) {
			let amount = from_u128::<T>(part);
			Self::credit(owner, amount)?;
			OwnerSales::<T>::insert(owner, sale_id, OwnerSale { dataset, items: *items, amount });
			Self::deposit_event(Event::OwnerCredited {
				sale: sale_id,
				owner: owner.clone(),
				items: *items,
				amount,
			});
		}
		for (c, part) in contributors.iter().zip(labeler_parts) {
			if part == 0 {
				continue;
			}
			let amount = from_u128::<T>(part);
			Self::credit(&c.labeler, amount)?;
			Self::deposit_event(Event::LabelerCredited {
				sale: sale_id,
				labeler: c.labeler.clone(),
				amount,
			});
		}
		if !quote.excluded.is_empty() {
			let excluded: BoundedVec<u32, T::MaxDatasetItems> =
				quote.excluded.try_into().map_err(|_| Error::<T>::Overflow)?;
			SaleExclusions::<T>::insert(sale_id, excluded);
		}
		Sales::<T>::insert(
			sale_id,
			Sale {
				dataset,
				root: ds.root,
				buyer: buyer.clone(),
				price: quote.price,
				items: quote.sold,
				owners: from_u128::<T>(owners_total),
				labelers: from_u128::<T>(labelers_total),
				reserve: from_u128::<T>(reserve),
				at: frame_system::Pallet::<T>::block_number(),
			},
		);
		NextSaleId::<T>::put(next_sale);
		ds.sales = ds.sales.saturating_add(1);
		let items = ds.items;
		Datasets::<T>::insert(dataset, ds);
		Self::deposit_event(Event::DatasetPurchased {
			sale: sale_id,
			dataset,
			buyer,
			price: quote.price,
			items: quote.sold,
			reserve: from_u128::<T>(reserve),
		});
		Ok((items, contributors.len() as u32))
	}

	fn credit(who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		Unclaimed::<T>::try_mutate(who, |u| {
			let now = u.unwrap_or_default().checked_add(&amount).ok_or(Error::<T>::Overflow)?;
			*u = Some(now);
			Ok(())
		})
	}

	pub(crate) fn do_claim_payouts(who: T::AccountId) -> DispatchResult {
		let amount = Unclaimed::<T>::get(&who).unwrap_or_default();
		ensure!(!amount.is_zero(), Error::<T>::NothingToClaim);
		T::Currency::transfer_on_hold(
			&HoldReason::UnclaimedPayout.into(),
			&Self::account_id(),
			&who,
			amount,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Polite,
		)?;
		Unclaimed::<T>::remove(&who);
		Self::deposit_event(Event::PayoutClaimed { who, amount });
		Ok(())
	}

	/// The leaves of a dataset (recomputed from the jobs pallet's stored consensus labels).
	pub fn leaves(dataset: DatasetId) -> Option<Vec<merkle::Hash>> {
		let ds = Datasets::<T>::get(dataset)?;
		let labels: BTreeMap<u32, _> = T::Jobs::labeled_items(ds.job)
			.into_iter()
			.map(|li| (li.index, li.result.label))
			.collect();
		DatasetItems::<T>::get(dataset)
			.iter()
			.map(|(index, item)| labels.get(index).map(|label| leaf_of(item, label)))
			.collect()
	}

	/// The inclusion proof of leaf `leaf` of `dataset`.
	pub fn inclusion_proof(dataset: DatasetId, leaf: u32) -> Option<Vec<H256>> {
		let leaves = Self::leaves(dataset)?;
		merkle::proof(&hasher, &leaves, leaf as usize).map(|p| p.into_iter().map(H256).collect())
	}

	/// Whether `(item, SCALE-encoded consensus label)` is leaf `leaf` of `dataset`.
	pub fn verify_inclusion(
		dataset: DatasetId,
		leaf: u32,
		item: ItemHash,
		encoded_label: &[u8],
		proof: &[H256],
	) -> bool {
		let Some(ds) = Datasets::<T>::get(dataset) else { return false };
		let mut data = item.encode();
		data.extend_from_slice(encoded_label);
		let leaf_hash = merkle::leaf_hash(&hasher, &data);
		let proof: Vec<merkle::Hash> = proof.iter().map(|h| h.0).collect();
		merkle::verify(&hasher, &ds.root.0, &leaf_hash, leaf as u64, ds.items as u64, &proof)
	}

	/// Invariants of the pallet's storage (run after every test and by `try-runtime`).
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use sp_runtime::TryRuntimeError as E;
		ensure!(
			DataItems::<T>::count() as usize == DataItems::<T>::iter().count(),
			E::Other("item count")
		);
		ensure!(
			Datasets::<T>::count() as usize == Datasets::<T>::iter().count(),
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
		// Item deposits per owner equal the held deposits.
		let mut deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (_, d) in DataItems::<T>::iter() {
			let e = deposits.entry(d.owner).or_insert_with(Zero::zero);
			*e = e.saturating_add(d.deposit);
		}
		for (owner, total) in deposits {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::ItemDeposit.into(), &owner) == total,
				E::Other("item deposits != held")
			);
		}
		// Datasets: leaves match the item count, one per job, ids below the counter.
		for (id, ds) in Datasets::<T>::iter() {
			ensure!(id < NextDatasetId::<T>::get(), E::Other("dataset id beyond counter"));
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
			ensure!(Datasets::<T>::contains_key(s.dataset), E::Other("sale of unknown dataset"));
			ensure!(
				s.owners.saturating_add(s.labelers).saturating_add(s.reserve) == s.price,
				E::Other("sale split != price")
			);
		}
		Ok(())
	}
}
