//! The logic behind the calls and queries for clients; the invariants checked by `try_state` are
//! in `try_state.rs`.

use crate::{pallet::*, types::*, MAX_PROOF_LEN};
use alloc::{collections::btree_map::BTreeMap, vec::Vec};
use codec::{Encode, MaxEncodedLen};
use crowdlabel_consensus::{
	mean_perbill, mul_div_floor, reward_shares, split_proportional, split_sale, FixedU128, Perbill,
};
use crowdlabel_content::{cid::parse_cid, merkle};
use crowdlabel_labels::{ConsensusLabel, DomainId, ItemHash, JobId, PackageIndex};
use crowdlabel_traits::{FinishedJobs, LabelerRegistry};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, Mutate, MutateHold},
		tokens::{Fortitude, Precision, Preservation, Restriction},
	},
};
use frame_system::pallet_prelude::OriginFor;
use sp_core::H256;
use sp_runtime::traits::{
	AccountIdConversion, CheckedAdd, Saturating, UniqueSaturatedFrom, UniqueSaturatedInto, Zero,
};

#[cfg(test)]
std::thread_local! {
	/// Bytes hashed by [`hasher`] on this thread (tests measure the work a query does).
	pub static HASHED_BYTES: core::cell::Cell<u64> = const { core::cell::Cell::new(0) };
}

/// The hash of the dataset Merkle tree: BLAKE2b-256.
pub fn hasher(data: &[u8]) -> merkle::Hash {
	#[cfg(test)]
	HASHED_BYTES.with(|h| h.set(h.get().saturating_add(data.len() as u64)));
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

/// Key bytes every storage entry has: the pallet and storage prefixes (`twox128` each).
const PREFIX: u64 = 32;
/// A `Twox64Concat` key of a `u32` id: 8 hash bytes and the id.
const ID_KEY: u64 = 8 + 4;
/// The longest SCALE compact length prefix of a vector (worst case).
const LEN_PREFIX: u64 = 5;

/// What a buyer would pay now, and which leaves would be left out.
pub struct Quote<AccountId, Balance> {
	/// Price of the sold items.
	pub price: Balance,
	/// Items sold.
	pub sold: u32,
	/// Leaves left out (no consent, deregistered, or registered again after publication).
	pub excluded: Vec<u32>,
	/// Items per owner, in first-appearance order.
	pub owners: Vec<(AccountId, u32)>,
	/// Storage deposit held from the buyer on top of the price:
	/// `StorageDepositPerByte * sale_bytes(owners, excluded)`.
	pub deposit: Balance,
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

	/// `StorageDepositPerByte * bytes`.
	pub fn storage_deposit(bytes: u64) -> BalanceOf<T> {
		T::StorageDepositPerByte::get().saturating_mul(from_u128::<T>(bytes as u128))
	}

	/// A `Blake2_128Concat` key of an account: 16 hash bytes and the account.
	fn account_key() -> u64 {
		16u64.saturating_add(T::AccountId::max_encoded_len() as u64)
	}

	/// Worst-case bytes of one registered item: its `DataItems` entry (key: prefixes,
	/// `blake2_128` and the 32-byte item hash; value: the largest `DataItem`).
	pub fn item_bytes() -> u64 {
		PREFIX + 16 + 32 + DataItemOf::<T>::max_encoded_len() as u64
	}

	/// Worst-case bytes `publish_dataset` stores for a dataset of `items` leaves and
	/// `contributors` labelers: the `Datasets` entry (largest `Dataset`), `DatasetOfJob`
	/// (a `u32`), `DatasetItems` (length prefix + 36 bytes per leaf) and `DatasetContributors`
	/// (length prefix + the largest `Contributor` per labeler), each with its key.
	pub fn publication_bytes(items: u32, contributors: u32) -> u64 {
		let dataset = PREFIX + ID_KEY + DatasetOf::<T>::max_encoded_len() as u64;
		let of_job = PREFIX + ID_KEY + 4;
		let leaves = PREFIX + ID_KEY + LEN_PREFIX + (items as u64).saturating_mul(4 + 32);
		let labelers = PREFIX
			+ ID_KEY + LEN_PREFIX
			+ (contributors as u64)
				.saturating_mul(Contributor::<T::AccountId>::max_encoded_len() as u64);
		dataset.saturating_add(of_job).saturating_add(leaves).saturating_add(labelers)
	}

	/// Worst-case bytes a sale to `owners` owners with `excluded` leaves left out stores for
	/// good: the `Sales` entry (largest `Sale`), per owner an `OwnerSales` entry and a
	/// `LastOwnerSale` entry, and `SaleExclusions` (length prefix + 4 bytes per leaf) if any
	/// leaf is left out. `Unclaimed` entries are not counted: there is at most one per owner or
	/// labeler (each with their own deposit) and claiming removes it.
	pub fn sale_bytes(owners: u32, excluded: u32) -> u64 {
		let sale = PREFIX + ID_KEY + SaleOf::<T>::max_encoded_len() as u64;
		let per_owner = (PREFIX + Self::account_key() + ID_KEY)
			.saturating_add(OwnerSale::<BalanceOf<T>>::max_encoded_len() as u64)
			.saturating_add(PREFIX + Self::account_key() + 4);
		let exclusions = if excluded == 0 {
			0
		} else {
			(PREFIX + ID_KEY + LEN_PREFIX).saturating_add((excluded as u64).saturating_mul(4))
		};
		sale.saturating_add((owners as u64).saturating_mul(per_owner))
			.saturating_add(exclusions)
	}

	/// Bytes of a sale's `SalePublisherParts` entry, stored when the dataset's publisher set a
	/// share (added to the sale's storage deposit then).
	pub fn publisher_part_bytes() -> u64 {
		PREFIX + ID_KEY + BalanceOf::<T>::max_encoded_len() as u64
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
		let mut codecs: Vec<ItemCodec> = Vec::with_capacity(cids.len());
		for cid in cids.iter() {
			let (codec, digest) = parse_cid(cid).map_err(|_| Error::<T>::UnsupportedCid)?;
			hashes.push(H256(digest));
			codecs.push(codec.into());
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
		let first = NextRegistration::<T>::get();
		let next = first.checked_add(hashes.len() as u64).ok_or(Error::<T>::IdOverflow)?;
		if !total.is_zero() {
			T::Currency::hold(&HoldReason::ItemDeposit.into(), &who, total)?;
		}
		let now = frame_system::Pallet::<T>::block_number();
		for ((serial, item), codec) in (first..next).zip(hashes).zip(codecs) {
			DataItems::<T>::insert(
				item,
				DataItem {
					owner: who.clone(),
					domain,
					licence: licence.clone(),
					opt_in,
					deposit,
					registered: now,
					serial,
					codec,
				},
			);
			Self::deposit_event(Event::ItemRegistered { item, owner: who.clone(), domain, opt_in });
		}
		NextRegistration::<T>::put(next);
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

	/// Publishes job `job`; returns the number of job items read (for the weight).
	pub(crate) fn do_publish_dataset(
		who: T::AccountId,
		job: JobId,
		price: BalanceOf<T>,
	) -> Result<u32, DispatchError> {
		let settled = T::Jobs::settled_job(job).ok_or(Error::<T>::JobNotSettled)?;
		ensure!(settled.requester == who, Error::<T>::NotRequester);
		ensure!(!DatasetOfJob::<T>::contains_key(job), Error::<T>::AlreadyPublished);
		// The weight charged covers `MaxDatasetItems` items read.
		ensure!(settled.items <= T::MaxDatasetItems::get(), Error::<T>::TooManyItems);

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
			.map_err(|_| Error::<T>::TooManyItems)?;

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
		let labelers = contributors.len() as u32;

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
			labelers,
			redundancy: settled.redundancy,
			challenge_share: Perbill::from_rational(settled.challenges, settled.items.max(1)),
		};

		let id = NextDatasetId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::IdOverflow)?;
		let deposit = Self::storage_deposit(Self::publication_bytes(count, labelers));
		if !deposit.is_zero() {
			T::Currency::hold(&HoldReason::DatasetStorage.into(), &who, deposit)?;
		}
		// The dataset's leaves and proofs are rebuilt from the job's results: keep them.
		T::Jobs::retain(job)?;
		let root = H256(root);
		DatasetDetails::<T>::insert(
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
				registrations: NextRegistration::<T>::get(),
				deposit,
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
			deposit,
		});
		Ok(settled.items)
	}

	fn ensure_may_manage(who: &Option<T::AccountId>, ds: &DatasetOf<T>) -> DispatchResult {
		if let Some(w) = who {
			ensure!(*w == ds.publisher, Error::<T>::NotPublisher);
		}
		Ok(())
	}

	pub(crate) fn do_set_publisher_share(
		who: T::AccountId,
		dataset: DatasetId,
		share: Perbill,
	) -> DispatchResult {
		let ds = DatasetDetails::<T>::get(dataset).ok_or(Error::<T>::UnknownDataset)?;
		ensure!(ds.publisher == who, Error::<T>::NotPublisher);
		ensure!(share <= T::MaxPublisherShare::get(), Error::<T>::ShareAboveLimit);
		if share.is_zero() {
			PublisherShares::<T>::remove(dataset);
		} else {
			PublisherShares::<T>::insert(dataset, share);
		}
		Self::deposit_event(Event::PublisherShareSet { dataset, share });
		Ok(())
	}

	pub(crate) fn do_set_price(
		who: Option<T::AccountId>,
		dataset: DatasetId,
		price: BalanceOf<T>,
	) -> DispatchResult {
		DatasetDetails::<T>::try_mutate(dataset, |entry| {
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
		DatasetDetails::<T>::try_mutate(dataset, |entry| {
			let ds = entry.as_mut().ok_or(Error::<T>::UnknownDataset)?;
			Self::ensure_may_manage(&who, ds)?;
			ds.listed = listed;
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::ListingChanged { dataset, listed });
		Ok(())
	}

	/// The price a buyer pays now for `dataset` and what the sale would contain.
	///
	/// A leaf is sold, and its owner paid, only if its item is still registered with the
	/// registration the dataset was published with (`serial < registrations`) and its owner
	/// consents. An item deregistered and registered again after publication, by anyone, is
	/// left out like a withdrawn consent: the new registrant never consented to this dataset,
	/// and the owner at publication gave the item up.
	pub fn quote(dataset: DatasetId) -> Result<Quote<T::AccountId, BalanceOf<T>>, DispatchError> {
		let ds = DatasetDetails::<T>::get(dataset).ok_or(Error::<T>::UnknownDataset)?;
		let mut excluded = Vec::new();
		let mut owners: Vec<(T::AccountId, u32)> = Vec::new();
		let mut position: BTreeMap<T::AccountId, usize> = BTreeMap::new();
		for (leaf, (_, item)) in DatasetItems::<T>::get(dataset).iter().enumerate() {
			match DataItems::<T>::get(item) {
				Some(d) if d.opt_in && d.serial < ds.registrations => {
					match position.get(&d.owner) {
						Some(i) => {
							if let Some(o) = owners.get_mut(*i) {
								o.1 = o.1.saturating_add(1);
							}
						},
						None => {
							position.insert(d.owner.clone(), owners.len());
							owners.push((d.owner, 1));
						},
					}
				},
				_ => excluded.push(leaf as u32),
			}
		}
		let sold = ds.items.saturating_sub(excluded.len() as u32);
		let price = mul_div_floor(to_u128(ds.price), sold as u128, (ds.items as u128).max(1))
			.ok_or(Error::<T>::Overflow)?;
		let deposit = Self::storage_deposit(
			Self::sale_bytes(owners.len() as u32, excluded.len() as u32).saturating_add(
				if PublisherShares::<T>::contains_key(dataset) {
					Self::publisher_part_bytes()
				} else {
					0
				},
			),
		);
		Ok(Quote { price: from_u128::<T>(price), sold, excluded, owners, deposit })
	}

	/// Buys `dataset`; returns `(items, labelers)` for the weight.
	pub(crate) fn do_purchase_dataset(
		buyer: T::AccountId,
		dataset: DatasetId,
		max_price: BalanceOf<T>,
	) -> Result<(u32, u32), DispatchError> {
		let mut ds = DatasetDetails::<T>::get(dataset).ok_or(Error::<T>::UnknownDataset)?;
		ensure!(ds.listed, Error::<T>::NotListed);
		let quote = Self::quote(dataset)?;
		ensure!(quote.sold > 0, Error::<T>::NothingToSell);
		ensure!(quote.price <= max_price, Error::<T>::PriceAboveLimit);
		let cost = quote.price.checked_add(&quote.deposit).ok_or(Error::<T>::Overflow)?;
		ensure!(
			T::Currency::reducible_balance(&buyer, Preservation::Preserve, Fortitude::Polite)
				>= cost,
			Error::<T>::InsufficientBalance
		);
		let sale_id = NextSaleId::<T>::get();
		let next_sale = sale_id.checked_add(1).ok_or(Error::<T>::IdOverflow)?;

		// The split: owners per item, labelers by a * W, the treasury the rest.
		let price = to_u128(quote.price);
		let publisher_share = PublisherShares::<T>::get(dataset).unwrap_or_default();
		let split =
			split_sale(price, T::OwnerShare::get(), T::LabelerShare::get(), publisher_share)
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
		let credited = owners_total
			.checked_add(labelers_total)
			.and_then(|c| c.checked_add(split.publisher))
			.ok_or(Error::<T>::Overflow)?;
		// Conservation, to the last unit.
		ensure!(credited.checked_add(reserve) == Some(price), Error::<T>::ConservationViolated);

		// The storage deposit for the sale's records, then the payments.
		if !quote.deposit.is_zero() {
			T::Currency::hold(&HoldReason::SaleStorage.into(), &buyer, quote.deposit)?;
		}
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
			let previous = LastOwnerSale::<T>::get(owner);
			OwnerSales::<T>::insert(
				owner,
				sale_id,
				OwnerSale { dataset, items: *items, amount, previous },
			);
			LastOwnerSale::<T>::insert(owner, sale_id);
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
		if split.publisher > 0 {
			let amount = from_u128::<T>(split.publisher);
			Self::credit(&ds.publisher, amount)?;
			SalePublisherParts::<T>::insert(sale_id, amount);
			Self::deposit_event(Event::PublisherCredited {
				sale: sale_id,
				publisher: ds.publisher.clone(),
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
				deposit: quote.deposit,
			},
		);
		NextSaleId::<T>::put(next_sale);
		ds.sales = ds.sales.saturating_add(1);
		let items = ds.items;
		DatasetDetails::<T>::insert(dataset, ds);
		Self::deposit_event(Event::DatasetPurchased {
			sale: sale_id,
			dataset,
			buyer,
			price: quote.price,
			items: quote.sold,
			reserve: from_u128::<T>(reserve),
			deposit: quote.deposit,
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
		let ds = DatasetDetails::<T>::get(dataset)?;
		let labels: BTreeMap<u32, _> = T::Jobs::labeled_items(ds.job)
			.into_iter()
			.map(|li| (li.index, li.result.label))
			.collect();
		DatasetItems::<T>::get(dataset)
			.iter()
			.map(|(index, item)| labels.get(index).map(|label| leaf_of(item, label)))
			.collect()
	}

	/// The inclusion proof of leaf `leaf` of `dataset` (`None` for an unknown dataset or leaf).
	pub fn inclusion_proof(dataset: DatasetId, leaf: u32) -> Option<Vec<H256>> {
		let ds = DatasetDetails::<T>::get(dataset)?;
		if leaf >= ds.items {
			return None;
		}
		let leaves = Self::leaves(dataset)?;
		merkle::proof(&hasher, &leaves, leaf as usize).map(|p| p.into_iter().map(H256).collect())
	}

	/// The longest SCALE-encoded consensus label of this runtime.
	pub fn max_label_len() -> u32 {
		ConsensusLabel::<<T::Jobs as FinishedJobs<T::AccountId>>::MaxBoxes>::max_encoded_len()
			as u32
	}

	/// Whether `(item, SCALE-encoded consensus label)` is leaf `leaf` of `dataset`.
	///
	/// Bounded input: a proof longer than [`MAX_PROOF_LEN`] hashes or a label longer than
	/// [`Pallet::max_label_len`] bytes is rejected (`false`) before any hashing.
	pub fn verify_inclusion(
		dataset: DatasetId,
		leaf: u32,
		item: ItemHash,
		encoded_label: &[u8],
		proof: &[H256],
	) -> bool {
		if proof.len() > MAX_PROOF_LEN as usize
			|| encoded_label.len() > Self::max_label_len() as usize
		{
			return false;
		}
		let Some(ds) = DatasetDetails::<T>::get(dataset) else { return false };
		let mut data = item.encode();
		data.extend_from_slice(encoded_label);
		let leaf_hash = merkle::leaf_hash(&hasher, &data);
		let proof: Vec<merkle::Hash> = proof.iter().map(|h| h.0).collect();
		merkle::verify(&hasher, &ds.root.0, &leaf_hash, leaf as u64, ds.items as u64, &proof)
	}
}
