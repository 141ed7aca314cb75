//! # Root dispatch pallet
//!
//! Lets a configured origin — in CrowdLabel, a super-majority of the council — dispatch a call
//! with the **Root** origin. A chain whose genesis has no sudo key (every preset but `dev`) still
//! needs Root for a few rare acts: a runtime upgrade (`system.authorize_upgrade` /
//! `system.set_code`), a storage repair, a forced balance change. With this pallet those acts
//! go through a council motion instead of a single key.
//!
//! ## Overview
//!
//! The council proposes `rootDispatch.dispatchAsRoot(call)` as a motion; once
//! [`Config::DispatchOrigin`] is satisfied (the motion reached its threshold and was closed), the
//! pallet dispatches `call` as Root and reports its result in a
//! [`Dispatched`](Event::Dispatched) event. The pallet stores nothing.
//!
//! Everyday curation (domains, gold, challenge reveals, revocations, parameters) does **not**
//! need this pallet: those calls accept the council's (smaller) curator majority directly.
//!
//! ## Terminology
//! - **Dispatch origin**: the origin allowed to act as Root; choose it stricter than any other
//!   origin of the runtime, since it can do everything they can.
//!
//! ## Security
//! - The inner call is charged up front at its declared weight plus this pallet's benchmarked
//!   overhead, and the actual weight is refunded: a motion cannot smuggle an unmetered call.
//! - A failing inner call does not fail the outer one (the motion executed; the inner error is
//!   in the event), like `sudo`, so the council sees why the inner call failed.

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

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::boxed::Box;
	use frame_support::{
		dispatch::{GetDispatchInfo, PostDispatchInfo},
		pallet_prelude::*,
		traits::UnfilteredDispatchable,
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::Dispatchable;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The runtime's call type.
		type RuntimeCall: Parameter
			+ Dispatchable<RuntimeOrigin = Self::RuntimeOrigin, PostInfo = PostDispatchInfo>
			+ UnfilteredDispatchable<RuntimeOrigin = Self::RuntimeOrigin>
			+ GetDispatchInfo;

		/// Who may act as Root (a council super-majority).
		type DispatchOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Weights of this pallet's own work.
		type WeightInfo: WeightInfo;
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A call was dispatched as Root; `result` is the inner call's outcome.
		Dispatched { result: DispatchResult },
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Dispatch `call` with the Root origin.
		///
		/// ## Dispatch Origin
		/// [`Config::DispatchOrigin`] (in CrowdLabel: three quarters of the council, through a
		/// motion).
		///
		/// ## Errors
		/// `BadOrigin` if the origin is not the dispatch origin. The inner call's error does not
		/// fail this call; it is reported in the event.
		///
		/// ## Events
		/// [`Dispatched`](Event::Dispatched).
		#[pallet::call_index(0)]
		#[pallet::weight({
			let info = call.get_dispatch_info();
			(T::WeightInfo::dispatch_as_root().saturating_add(info.call_weight), info.class)
		})]
		pub fn dispatch_as_root(
			origin: OriginFor<T>,
			call: Box<<T as Config>::RuntimeCall>,
		) -> DispatchResultWithPostInfo {
			T::DispatchOrigin::ensure_origin(origin)?;
			let info = call.get_dispatch_info();
			let res = call.dispatch_bypass_filter(frame_system::RawOrigin::Root.into());
			let inner = frame_support::dispatch::extract_actual_weight(&res, &info);
			Self::deposit_event(Event::Dispatched { result: res.map(|_| ()).map_err(|e| e.error) });
			Ok(Some(T::WeightInfo::dispatch_as_root().saturating_add(inner)).into())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The pallet stores nothing, so it has no invariant to break; present so that every
		/// CrowdLabel pallet exposes the same check.
		#[cfg(any(test, feature = "try-runtime"))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			Ok(())
		}
	}
}
