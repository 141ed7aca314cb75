//! # Faucet pallet
//!
//! A free faucet for **dev and test chains**: a newcomer whose wallet holds no CROL claims a
//! small amount without a signature and without paying a fee, so that they can register, qualify
//! and try the labeling flow.
//!
//! ## Overview
//!
//! [`drip`](Pallet::drip) is an *authorized general transaction* (`#[pallet::authorize]`, checked
//! by the runtime's `frame_system::AuthorizeCall` transaction extension): it carries no signature,
//! and nobody pays a fee for it. Since such a transaction is free for whoever submits it, every
//! rule that bounds abuse is checked **before** it enters the transaction pool (in the authorize
//! function) and checked again when it is dispatched:
//!
//! - **the faucet is on** ([`Enabled`], set in the genesis preset of dev/test chains and by
//!   [`Config::AdminOrigin`] through [`set_enabled`](Pallet::set_enabled)); a production chain's
//!   preset leaves it off;
//! - **the wallet is empty**: the destination holds less than [`Config::DripAmount`] in total
//!   (free plus held), so a funded account gains nothing from it;
//! - **once per cool-down per account** ([`Config::Cooldown`], recorded in [`LastDrip`]);
//! - **a global cap**: at most [`Config::MaxDripsPerPeriod`] drips in each period of
//!   [`Config::Period`] blocks ([`PeriodDrips`]), so the faucet pays out at most
//!   `MaxDripsPerPeriod x DripAmount` per period however many accounts an abuser creates;
//! - **a proof of work** per destination: `blake2_256(b"crowdlabel-faucet" ++ genesis hash ++
//!   destination ++ nonce as u64 little-endian)` must start with [`Config::Difficulty`] zero
//!   bits, so flooding the pool with fresh destinations costs CPU time while one claim costs a
//!   browser a fraction of a second; the genesis hash makes work done for one chain useless on
//!   another;
//! - **the lowest priority** (`0`) and one pool entry per destination (tag
//!   `("crowdlabel-faucet", destination)`), so drips never crowd out fee-paying transactions.
//!
//! Cool-down records do not accumulate: the accounts served in a period are queued
//! ([`Served`]), and at the first block of a later period, once every cool-down of that period
//! is over, `on_initialize` forgets them (at most [`Config::MaxDripsPerPeriod`] records per
//! period, benchmarked).
//!
//! The faucet pays from its own account ([`Pallet::account_id`], derived from
//! [`Config::PalletId`]), funded in the genesis preset; it never mints.
//!
//! ## Terminology
//! - **Drip**: one payment of [`Config::DripAmount`] from the faucet account to an empty wallet.
//! - **Period**: block numbers `[p x Period, (p + 1) x Period)`; the cap counts drips per period.
//!
//! ## Errors at the pool
//! A drip refused before dispatch is an invalid transaction whose `Custom` code is the index of
//! the matching [`Error`] variant: `0` [`Disabled`](Error::Disabled), `1`
//! [`InsufficientWork`](Error::InsufficientWork), `2` [`NotEmpty`](Error::NotEmpty), `3`
//! [`CoolingDown`](Error::CoolingDown), `4` [`PeriodCapReached`](Error::PeriodCapReached), `5`
//! [`FaucetEmpty`](Error::FaucetEmpty).

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(rustdoc::broken_intra_doc_links)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

pub use weights::WeightInfo;

/// The domain separator of the faucet's proof of work.
pub const POW_DOMAIN: [u8; 17] = *b"crowdlabel-faucet";

/// Number of leading zero bits of `hash`.
pub fn leading_zero_bits(hash: &[u8; 32]) -> u32 {
	let mut bits = 0u32;
	for byte in hash {
		if *byte == 0 {
			bits = bits.saturating_add(8);
		} else {
			return bits.saturating_add(byte.leading_zeros());
		}
	}
	bits
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use codec::Encode;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, Mutate},
			tokens::Preservation,
		},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{
		traits::{AccountIdConversion, CheckedDiv, CheckedSub, One, Saturating, Zero},
		SaturatedConversion,
	};

	/// Balance type of the currency.
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency the faucet pays in.
		type Currency: Mutate<Self::AccountId>;

		/// Derives the faucet's account.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// Paid per drip; also the balance below which a wallet counts as empty.
		#[pallet::constant]
		type DripAmount: Get<BalanceOf<Self>>;

		/// Blocks before the same account can be served again.
		#[pallet::constant]
		type Cooldown: Get<BlockNumberFor<Self>>;

		/// Length of a period of the global cap, in blocks (at least 1).
		#[pallet::constant]
		type Period: Get<BlockNumberFor<Self>>;

		/// Most drips in one period.
		#[pallet::constant]
		type MaxDripsPerPeriod: Get<u32>;

		/// Leading zero bits the proof of work must have (at most 256).
		#[pallet::constant]
		type Difficulty: Get<u32>;

		/// Switches the faucet on and off.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Weight information for the calls.
		type WeightInfo: WeightInfo;
	}

	/// Whether the faucet serves drips.
	#[pallet::storage]
	pub type Enabled<T> = StorageValue<_, bool, ValueQuery>;

	/// The block at which an account was last served.
	#[pallet::storage]
	pub type LastDrip<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, BlockNumberFor<T>, OptionQuery>;

	/// The current period's index and the drips served in it.
	#[pallet::storage]
	pub type PeriodDrips<T: Config> = StorageValue<_, (BlockNumberFor<T>, u32), ValueQuery>;

	/// The accounts served in a period (by period index): the queue that prunes [`LastDrip`]
	/// once their cool-downs are over, so the faucet's state stays bounded by the drips of the
	/// last `Cooldown / Period + 2` periods.
	#[pallet::storage]
	pub type Served<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<T::AccountId, T::MaxDripsPerPeriod>,
		ValueQuery,
	>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Whether the faucet starts switched on (dev and test presets only).
		pub enabled: bool,
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Enabled::<T>::put(self.enabled);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The faucet paid `amount` to the empty wallet `dest`.
		Dripped { dest: T::AccountId, amount: BalanceOf<T> },
		/// The faucet was switched on or off.
		EnabledSet { enabled: bool },
	}

	/// The order of the first six variants is the `Custom` code of a refused drip at the pool.
	#[pallet::error]
	pub enum Error<T> {
		/// The faucet is off on this chain; ask a sponsor (`labelers.sponsorRegistration`) or
		/// get CROL from another account.
		Disabled,
		/// The nonce's proof of work has fewer than `Difficulty` leading zero bits; keep
		/// searching nonces.
		InsufficientWork,
		/// The account already holds at least `DripAmount`; the faucet serves empty wallets only.
		NotEmpty,
		/// The account was served less than `Cooldown` blocks ago; wait (see `LastDrip`).
		CoolingDown,
		/// The faucet served `MaxDripsPerPeriod` wallets this period; retry in the next period.
		PeriodCapReached,
		/// The faucet account cannot pay a drip; the chain operator must refill it.
		FaucetEmpty,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(!T::Period::get().is_zero(), "Period must be at least one block");
			assert!(T::Difficulty::get() <= 256, "Difficulty above 256 bits");
			assert!(
				T::DripAmount::get() >= T::Currency::minimum_balance(),
				"DripAmount below the existential deposit cannot create an account"
			);
		}

		/// At the first block of each period, forgets the accounts served in the period whose
		/// cool-downs are all over (at most `MaxDripsPerPeriod` records).
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			match Self::expired_period(now) {
				Some(period) => Self::prune(period, now),
				None => Weight::zero(),
			}
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Pay [`Config::DripAmount`] to the empty wallet `dest`.
		///
		/// ## Dispatch Origin
		/// None: an authorized general transaction (no signature, no fee), accepted by the
		/// authorize function below when every rule of the crate docs holds.
		///
		/// ## Details
		/// `nonce` is the proof of work: search nonces from 0 until
		/// `blake2_256(b"crowdlabel-faucet" ++ genesis hash ++ dest ++ nonce_le)` has
		/// [`Config::Difficulty`] leading zero bits.
		///
		/// ## Errors
		/// [`Disabled`](Error::Disabled), [`InsufficientWork`](Error::InsufficientWork),
		/// [`NotEmpty`](Error::NotEmpty), [`CoolingDown`](Error::CoolingDown),
		/// [`PeriodCapReached`](Error::PeriodCapReached), [`FaucetEmpty`](Error::FaucetEmpty);
		/// at the pool as `Custom` codes 0-5.
		///
		/// ## Events
		/// [`Dripped`](Event::Dripped).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::drip())]
		#[pallet::authorize(Pallet::<T>::authorize_drip)]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_drip())]
		pub fn drip(origin: OriginFor<T>, dest: T::AccountId, nonce: u64) -> DispatchResult {
			frame_system::ensure_authorized(origin)?;
			Self::do_drip(dest, nonce)
		}

		/// Switch the faucet on or off.
		///
		/// ## Dispatch Origin
		/// [`Config::AdminOrigin`].
		///
		/// ## Events
		/// [`EnabledSet`](Event::EnabledSet).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_enabled())]
		pub fn set_enabled(origin: OriginFor<T>, enabled: bool) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Enabled::<T>::put(enabled);
			Self::deposit_event(Event::EnabledSet { enabled });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The faucet's account.
		pub fn account_id() -> T::AccountId {
			T::PalletId::get().into_account_truncating()
		}

		/// The index of the period `now` falls in.
		fn period_of(now: BlockNumberFor<T>) -> BlockNumberFor<T> {
			let len = T::Period::get();
			if len.is_zero() {
				now
			} else {
				now / len
			}
		}

		/// Drips served in the current period.
		pub fn drips_this_period() -> u32 {
			let (period, count) = PeriodDrips::<T>::get();
			if period == Self::period_of(frame_system::Pallet::<T>::block_number()) {
				count
			} else {
				0
			}
		}

		/// The proof-of-work hash of a claim for `dest` with `nonce` on this chain.
		pub fn work_hash(dest: &T::AccountId, nonce: u64) -> [u8; 32] {
			let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
			(POW_DOMAIN, genesis, dest, nonce).using_encoded(sp_io::hashing::blake2_256)
		}

		/// Every rule of a drip, in the order of the `Custom` codes; changes nothing.
		pub fn check_drip(dest: &T::AccountId, nonce: u64) -> Result<(), Error<T>> {
			ensure!(Enabled::<T>::get(), Error::<T>::Disabled);
			ensure!(
				leading_zero_bits(&Self::work_hash(dest, nonce)) >= T::Difficulty::get(),
				Error::<T>::InsufficientWork
			);
			let amount = T::DripAmount::get();
			ensure!(T::Currency::total_balance(dest) < amount, Error::<T>::NotEmpty);
			let now = frame_system::Pallet::<T>::block_number();
			if let Some(last) = LastDrip::<T>::get(dest) {
				ensure!(now >= last.saturating_add(T::Cooldown::get()), Error::<T>::CoolingDown);
			}
			ensure!(
				Self::drips_this_period() < T::MaxDripsPerPeriod::get(),
				Error::<T>::PeriodCapReached
			);
			ensure!(
				T::Currency::reducible_balance(
					&Self::account_id(),
					Preservation::Preserve,
					frame_support::traits::tokens::Fortitude::Polite,
				) >= amount,
				Error::<T>::FaucetEmpty
			);
			Ok(())
		}

		/// The authorize function of [`Pallet::drip`]: the pool's check of every rule, the
		/// lowest priority and one pool entry per destination.
		pub fn authorize_drip(
			_source: TransactionSource,
			dest: &T::AccountId,
			nonce: &u64,
		) -> TransactionValidityWithRefund {
			if let Err(e) = Self::check_drip(dest, *nonce) {
				let code = match e {
					Error::<T>::Disabled => 0,
					Error::<T>::InsufficientWork => 1,
					Error::<T>::NotEmpty => 2,
					Error::<T>::CoolingDown => 3,
					Error::<T>::PeriodCapReached => 4,
					_ => 5,
				};
				return Err(InvalidTransaction::Custom(code).into());
			}
			let validity = ValidTransaction::with_tag_prefix("crowdlabel-faucet")
				.priority(0)
				.and_provides(dest)
				.longevity(T::Period::get().saturated_into::<u64>().max(1))
				.propagate(true)
				.build()?;
			Ok((validity, Weight::zero()))
		}

		pub(crate) fn do_drip(dest: T::AccountId, nonce: u64) -> DispatchResult {
			Self::check_drip(&dest, nonce)?;
			let amount = T::DripAmount::get();
			T::Currency::transfer(&Self::account_id(), &dest, amount, Preservation::Preserve)
				.map_err(|_| Error::<T>::FaucetEmpty)?;
			let now = frame_system::Pallet::<T>::block_number();
			// `check_drip` found the period below its cap, so the queue has room.
			Served::<T>::try_mutate(Self::period_of(now), |served| served.try_push(dest.clone()))
				.map_err(|_| Error::<T>::PeriodCapReached)?;
			LastDrip::<T>::insert(&dest, now);
			PeriodDrips::<T>::put((
				Self::period_of(now),
				Self::drips_this_period().saturating_add(1),
			));
			Self::deposit_event(Event::Dripped { dest, amount });
			Ok(())
		}

		/// The period whose served accounts expire at block `now`: at the first block of period
		/// `q`, period `q - (ceil(Cooldown / Period) + 1)`, every drip of which is at least
		/// `Cooldown` blocks old. `None` inside a period or before any period expired.
		pub fn expired_period(now: BlockNumberFor<T>) -> Option<BlockNumberFor<T>> {
			let len = T::Period::get();
			if len.is_zero() || !(now % len).is_zero() {
				return None;
			}
			let cooldown = T::Cooldown::get();
			let lag = cooldown
				.saturating_add(len.saturating_sub(One::one()))
				.checked_div(&len)?
				.saturating_add(One::one());
			(now / len).checked_sub(&lag)
		}

		/// Removes the cool-down records of the accounts served in `period` that are over at
		/// `now` (an account served again since keeps its newer record), and the queue entry.
		pub(crate) fn prune(period: BlockNumberFor<T>, now: BlockNumberFor<T>) -> Weight {
			let served = Served::<T>::take(period);
			let count = served.len() as u32;
			for who in served {
				if LastDrip::<T>::get(&who)
					.is_some_and(|at| at.saturating_add(T::Cooldown::get()) <= now)
				{
					LastDrip::<T>::remove(&who);
				}
			}
			T::WeightInfo::on_initialize_prune(count)
		}

		/// Invariants: the period counter never exceeds the cap, no account was served in the
		/// future, and every cool-down record is queued for pruning (in its period's
		/// [`Served`] list, which never holds more than the cap).
		#[cfg(any(test, feature = "try-runtime", feature = "fuzzing"))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			let (period, count) = PeriodDrips::<T>::get();
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(count <= T::MaxDripsPerPeriod::get(), "period count above the cap");
			ensure!(period <= Self::period_of(now), "period counter in the future");
			for (who, at) in LastDrip::<T>::iter() {
				ensure!(at <= now, "drip recorded in the future");
				ensure!(
					Served::<T>::get(Self::period_of(at)).contains(&who),
					"cool-down record not queued for pruning"
				);
			}
			// The current period is never pruned (the lag is at least one period).
			if period == Self::period_of(now) {
				ensure!(
					Served::<T>::get(period).len() as u32 >= count,
					"fewer queued accounts than drips this period"
				);
			}
			Ok(())
		}
	}
}
