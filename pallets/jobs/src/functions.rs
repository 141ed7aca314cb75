//! Shared helpers (pallet account, package bounds and deposits, storage deposits) and the
//! invariants checked by `try_state`. The logic behind each group of calls is in
//! [`crate::features`].

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use codec::MaxEncodedLen;
use crowdlabel_consensus::mul_div_floor;
use crowdlabel_labels::{DomainId, ItemHash};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::fungible::{Inspect, InspectHold, Mutate},
};
use sp_runtime::traits::{
	AccountIdConversion, Saturating, UniqueSaturatedFrom, UniqueSaturatedInto, Zero,
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
	/// package (until settlement), one consensus result per item and the contributors of each
	/// package (until pruned). Keys are counted too: 32 bytes of prefix plus 12 per `Twox64Concat`
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
		let per_item = KEY2 + ItemResult::<T::MaxBoxes>::max_encoded_len() as u64;
		let contributor = T::AccountId::max_encoded_len() as u64 + 16;
		let per_package = (KEY2 + Package::max_encoded_len() as u64)
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

impl<T: Config> Pallet<T> {
	/// Invariants (run after every test and by `try-runtime`).
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use sp_runtime::TryRuntimeError as E;
		ensure!(
			JobDetails::<T>::count() as usize == JobDetails::<T>::iter().count(),
			E::Other("job count")
		);
		let escrow = HoldReason::JobEscrow.into();
		let deposit = HoldReason::PackageDeposit.into();
		let storage = HoldReason::JobStorage.into();
		// Escrow per requester equals the budgets of their unsettled jobs.
		let mut requesters: Vec<T::AccountId> = Vec::new();
		let mut labelers: Vec<T::AccountId> = Vec::new();
		for (id, job) in JobDetails::<T>::iter() {
			ensure!(id < NextJobId::<T>::get(), E::Other("job id beyond counter"));
			if !requesters.contains(&job.requester) {
				requesters.push(job.requester.clone());
			}
			ensure!(
				job.pay.saturating_add(job.reserve) == job.budget,
				E::Other("pay + reserve != budget")
			);
			ensure!(
				job.accepted <= job.items.saturating_mul(job.redundancy),
				E::Other("more accepted labelings than items x R")
			);
			if job.status == JobStatus::Settled {
				ensure!(
					Assignments::<T>::iter_prefix((id,)).next().is_none()
						&& Workload::<T>::iter_prefix(id).next().is_none(),
					E::Other("work records of a settled job")
				);
				continue;
			}
			let mut completed = 0u32;
			let mut accepted_items = 0u32;
			for p in 0..job.packages {
				let pkg = Packages::<T>::get(id, p);
				let (mut takers, mut committed, mut revealed, mut accepted) = (0u32, 0, 0, 0);
				for (who, a) in Assignments::<T>::iter_prefix((id, p)) {
					if !labelers.contains(&who) {
						labelers.push(who.clone());
					}
					match a.state {
						AssignmentState::Taken => takers += 1,
						AssignmentState::Committed(_) => {
							takers += 1;
							committed += 1;
						},
						AssignmentState::Revealed(_) => {
							takers += 1;
							committed += 1;
							revealed += 1;
						},
						AssignmentState::Accepted(_) => accepted += 1,
					}
				}
				ensure!(
					(takers, committed, revealed, accepted)
						== (pkg.takers, pkg.committed, pkg.revealed, pkg.accepted),
					E::Other("package counters != assignments")
				);
				ensure!(
					takers.saturating_add(accepted) <= job.redundancy,
					E::Other("more labels than R")
				);
				ensure!(
					Contributions::<T>::get(id, p).len() as u32 == accepted,
					E::Other("contributions != accepted labels")
				);
				let len = Self::package_bounds(&job, p).map(|b| b.1).unwrap_or_default();
				accepted_items = accepted_items.saturating_add(accepted.saturating_mul(len));
				if pkg.complete {
					completed += 1;
					ensure!(accepted == job.redundancy, E::Other("complete without R labels"));
				}
			}
			ensure!(completed == job.completed, E::Other("completed counter"));
			ensure!(accepted_items == job.accepted, E::Other("accepted counter"));
			ensure!(
				Workload::<T>::iter_prefix(id).count() as u32 == job.labelers
					&& job.labelers <= T::MaxLabelersPerJob::get(),
				E::Other("labeler counter != workload entries")
			);
			for (who, w) in Workload::<T>::iter_prefix(id) {
				let open = Assignments::<T>::iter()
					.filter(|((j, _, a), s)| {
						*j == id && *a == who && !matches!(s.state, AssignmentState::Accepted(_))
					})
					.count() as u32;
				ensure!(open == w.open, E::Other("open packages != workload"));
				ensure!(w.open > 0 || w.accepted > 0, E::Other("empty workload entry"));
			}
		}
		// The open list offers only packages with a free slot of open jobs, each once.
		for (id, open) in OpenPackages::<T>::iter() {
			let job = JobDetails::<T>::get(id).ok_or(E::Other("open list of unknown job"))?;
			ensure!(job.status == JobStatus::Open, E::Other("open list of a closed job"));
			for (i, p) in open.iter().enumerate() {
				ensure!(*p < job.packages, E::Other("open package beyond the job"));
				ensure!(!open.iter().take(i).any(|q| q == p), E::Other("package listed twice"));
				let pkg = Packages::<T>::get(id, p);
				ensure!(
					!pkg.complete && pkg.takers.saturating_add(pkg.accepted) < job.redundancy,
					E::Other("full package on the open list")
				);
			}
		}
		for who in requesters {
			let held: BalanceOf<T> = JobDetails::<T>::iter()
				.filter(|(_, j)| j.requester == who && j.status != JobStatus::Settled)
				.fold(Zero::zero(), |acc: BalanceOf<T>, (_, j)| acc.saturating_add(j.budget));
			ensure!(
				T::Currency::balance_on_hold(&escrow, &who) == held,
				E::Other("escrow != unsettled budgets")
			);
			let stored: BalanceOf<T> = JobDetails::<T>::iter()
				.filter(|(_, j)| j.requester == who)
				.fold(Zero::zero(), |acc: BalanceOf<T>, (_, j)| {
					acc.saturating_add(j.storage_deposit)
				});
			ensure!(
				T::Currency::balance_on_hold(&storage, &who) == stored,
				E::Other("storage hold != job storage deposits")
			);
		}
		for who in labelers {
			let held: BalanceOf<T> = Assignments::<T>::iter()
				.filter(|((_, _, w), a)| {
					*w == who && !matches!(a.state, AssignmentState::Accepted(_))
				})
				.fold(Zero::zero(), |acc: BalanceOf<T>, (_, a)| acc.saturating_add(a.deposit));
			ensure!(
				T::Currency::balance_on_hold(&deposit, &who) == held,
				E::Other("deposit hold != open assignments")
			);
		}
		let unclaimed: BalanceOf<T> = UnclaimedRewards::<T>::iter_values()
			.fold(Zero::zero(), |acc: BalanceOf<T>, v| acc.saturating_add(v));
		ensure!(
			T::Currency::balance_on_hold(&HoldReason::UnclaimedReward.into(), &Self::account_id())
				== unclaimed,
			E::Other("unclaimed rewards != reward hold")
		);
		Ok(())
	}
}
