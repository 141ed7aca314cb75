//! Shared helpers (pallet account, package bounds and deposits, storage deposits); the
//! invariants checked by `try_state` are in `try_state.rs`. The logic behind each group of calls is in
//! [`crate::features`].

use crate::{pallet::*, types::*};
use codec::MaxEncodedLen;
use crowdlabel_consensus::mul_div_floor;
use crowdlabel_labels::{DomainId, ItemHash};
use frame_support::{
	pallet_prelude::*,
	traits::fungible::{Inspect, Mutate},
};
use sp_runtime::traits::{
	AccountIdConversion, Saturating, UniqueSaturatedFrom, UniqueSaturatedInto,
};
use sp_runtime::Perbill;

/// Most packages `take_package` looks at, from its random starting point, for one the caller
/// does not already hold.
pub const MAX_TAKE_PROBES: u32 = 16;

/// `amount * num / den`, rounded down, in the balance type.
pub(crate) fn mul_div<B: UniqueSaturatedInto<u128> + UniqueSaturatedFrom<u128>>(
	amount: B,
	num: u32,
	den: u32,
) -> Option<B> {
	mul_div_floor(amount.unique_saturated_into(), num as u128, den as u128)
		.map(B::unique_saturated_from)
}

impl<T: Config> Pallet<T> {
	/// The account holding credited, unclaimed rewards.
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

	/// The slash floor of `domain` (the curator's, else [`Config::DefaultSlashFloor`]).
	pub fn slash_floor(domain: DomainId) -> Perbill {
		SlashFloors::<T>::get(domain).unwrap_or_else(T::DefaultSlashFloor::get)
	}

	/// First item index and number of items of a package.
	pub(crate) fn package_bounds(job: &JobOf<T>, p: PackageIndex) -> Option<(u32, u32)> {
		if p >= job.packages {
			return None;
		}
		let first = p.checked_mul(job.package_size)?;
		let len = job.package_size.min(job.items.checked_sub(first)?);
		Some((first, len))
	}

	/// The consensus of item `index` of `job`, once its package is complete.
	pub fn item_result(job: JobId, index: u32) -> Option<ItemResult<T::MaxBoxes>> {
		let size = JobDetails::<T>::get(job)?.package_size;
		let package = index.checked_div(size)?;
		Results::<T>::get(job, package)?.get(index.checked_rem(size)? as usize).cloned()
	}

	/// Reward value of one labeling of a package of `len` items: `pay * len / (items * R)`.
	pub(crate) fn package_value(job: &JobOf<T>, len: u32) -> Option<BalanceOf<T>> {
		mul_div(job.pay, len, job.items.checked_mul(job.redundancy)?)
	}

	/// Deposit for a package: 1.5 x its reward value.
	pub(crate) fn package_deposit(job: &JobOf<T>, len: u32) -> Option<BalanceOf<T>> {
		let v = Self::package_value(job, len)?;
		Some(v.saturating_add(mul_div(v, 1, 2)?))
	}

	/// Worst-case bytes a job of `items` items in `packages` packages with redundancy `r`
	/// stores: the job record, its item list, its open-package list, one progress record per
	/// package (until settlement), the consensus results of each package (one entry per package,
	/// one result per item) and the contributors of each package (until pruned). Keys are counted too: 32 bytes of prefix plus 12 per `Twox64Concat`
	/// `u32` key.
	pub fn storage_bytes(items: u32, packages: u32, r: u32) -> u64 {
		// Map keys: 32-byte prefix + `Twox64Concat(u32)` (12), single and double maps.
		const KEY1: u64 = 44;
		const KEY2: u64 = 56;
		// Longest SCALE length prefix of a bounded vector.
		const LEN: u64 = 5;
		let (items, packages, r) = (items as u64, packages as u64, r as u64);
		let job = KEY1 + JobOf::<T>::max_encoded_len() as u64;
		let item_list = KEY1 + LEN + items.saturating_mul(ItemHash::max_encoded_len() as u64);
		let open_list = KEY1 + LEN + packages.saturating_mul(4);
		let per_item = ItemResult::<T::MaxBoxes>::max_encoded_len() as u64;
		let contributor = T::AccountId::max_encoded_len() as u64 + 16;
		let per_package = (KEY2 + PackageOf::<T>::max_encoded_len() as u64)
			.saturating_add(KEY2 + LEN)
			.saturating_add(KEY2 + LEN + r.saturating_mul(contributor));
		job.saturating_add(item_list)
			.saturating_add(open_list)
			.saturating_add(items.saturating_mul(per_item))
			.saturating_add(packages.saturating_mul(per_package))
	}

	/// The storage deposit of a job: `StorageDepositPerByte * storage_bytes`.
	pub fn storage_deposit(items: u32, packages: u32, r: u32) -> BalanceOf<T> {
		let bytes = BalanceOf::<T>::unique_saturated_from(Self::storage_bytes(items, packages, r));
		T::StorageDepositPerByte::get().saturating_mul(bytes)
	}
}

/// A labeler has work under way while any package deposit of theirs is held: from the take
/// until the package is judged (released, slashed or kept at stake for an appeal) or the
/// assignment expires. Every deposit is positive (a package is worth at least the existential
/// deposit, see `create_job`), so the hold is non-zero exactly while an assignment is open; the
/// labelers pallet asks before a registration ends, and nothing is written to tell it.
impl<T: Config> crowdlabel_traits::WorkInProgress<T::AccountId> for Pallet<T> {
	fn has_work(who: &T::AccountId) -> bool {
		use frame_support::traits::fungible::InspectHold;
		!T::Currency::balance_on_hold(&HoldReason::PackageDeposit.into(), who).is_zero()
	}
}
