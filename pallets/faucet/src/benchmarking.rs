//! Benchmarks (v2) at the worst case: an account that was served before (its cool-down record
//! is read and rewritten), a period counter to carry over, and the proof-of-work check at the
//! runtime's difficulty. Each benchmark ends with the `try_state` invariants.

use super::*;
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::{
	pallet_prelude::TransactionSource,
	traits::{
		fungible::{Inspect, Mutate},
		Authorize, EnsureOrigin, Get,
	},
};
use frame_support::{traits::Hooks, BoundedVec};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::traits::{Saturating, Zero};

/// A funded, enabled faucet and an empty destination served once before, one cool-down ago,
/// with its proof of work.
fn set_up<T: Config>() -> (T::AccountId, u64) {
	let faucet = Pallet::<T>::account_id();
	let _ = T::Currency::set_balance(&faucet, T::DripAmount::get().saturating_mul(1_000u32.into()));
	Enabled::<T>::put(true);
	let dest: T::AccountId = account("newcomer", 0, 0);
	let now = T::Cooldown::get().saturating_add(T::Period::get());
	frame_system::Pallet::<T>::set_block_number(now);
	LastDrip::<T>::insert(&dest, BlockNumberFor::<T>::zero());
	Served::<T>::insert(BlockNumberFor::<T>::zero(), BoundedVec::truncate_from(vec![dest.clone()]));
	// a counter of an earlier period, carried over
	PeriodDrips::<T>::put((BlockNumberFor::<T>::zero(), 1u32));
	let nonce = (0u64..)
		.find(|n| leading_zero_bits(&Pallet::<T>::work_hash(&dest, *n)) >= T::Difficulty::get())
		.unwrap_or_default();
	(dest, nonce)
}

/// `Ok` if the pallet's invariants hold (checked when the benchmarks run as tests).
#[cfg_attr(not(test), allow(clippy::extra_unused_type_parameters))]
fn check<T: Config>() -> Result<(), BenchmarkError> {
	#[cfg(test)]
	Pallet::<T>::do_try_state().map_err(|_| BenchmarkError::Stop("try_state failed"))?;
	Ok(())
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn authorize_drip() -> Result<(), BenchmarkError> {
		let (dest, nonce) = set_up::<T>();
		let call = Call::<T>::drip { dest, nonce };
		#[block]
		{
			call.authorize(TransactionSource::External)
				.ok_or(BenchmarkError::Stop("drip is authorized"))?
				.map_err(|_| BenchmarkError::Stop("valid drip"))?;
		}
		check::<T>()
	}

	#[benchmark]
	fn drip() -> Result<(), BenchmarkError> {
		let (dest, nonce) = set_up::<T>();
		#[extrinsic_call]
		_(RawOrigin::Authorized, dest.clone(), nonce);
		assert_eq!(T::Currency::total_balance(&dest), T::DripAmount::get());
		check::<T>()
	}

	/// The first block of a period whose expired period served `n` accounts, all of whose
	/// records are removed.
	#[benchmark]
	fn on_initialize_prune(
		n: Linear<0, { T::MaxDripsPerPeriod::get() }>,
	) -> Result<(), BenchmarkError> {
		let zero = BlockNumberFor::<T>::zero();
		let accounts: Vec<T::AccountId> = (0..n).map(|i| account("served", i, 0)).collect();
		for who in accounts.iter() {
			LastDrip::<T>::insert(who, zero);
		}
		Served::<T>::insert(zero, BoundedVec::truncate_from(accounts));
		// the first block whose expired period is period 0
		let period = T::Period::get();
		let mut now = period;
		while Pallet::<T>::expired_period(now) != Some(zero) {
			now = now.saturating_add(period);
		}
		frame_system::Pallet::<T>::set_block_number(now);
		#[block]
		{
			Pallet::<T>::on_initialize(now);
		}
		assert_eq!(LastDrip::<T>::iter().count(), 0);
		assert!(!Served::<T>::contains_key(zero));
		check::<T>()
	}

	#[benchmark]
	fn set_enabled() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, false);
		assert!(!Enabled::<T>::get());
		check::<T>()
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
