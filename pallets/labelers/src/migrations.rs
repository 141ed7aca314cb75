//! Storage migrations of the labelers pallet.
//!
//! - [`v1::MigrateV0ToV1`]: storage version 0 → 1. Registrations lose `pending`, the counter of
//!   open rounds and of packages the jobs pallet reported. Whether a labeler has work under way
//!   is now read from the state that records the work (an [`OpenRound`] entry, the jobs pallet's
//!   package-deposit hold through [`Config::WorkInProgress`]), so taking and finishing a package
//!   no longer writes the registration. Every other field keeps its value. One read and one
//!   write per registration, in the block that enacts the upgrade.
//! - [`v2::MigrateV1ToV2`]: storage version 1 → 2. A score labeler's reliability model
//!   ([`Reliabilities`], `Reliability::Score`) gains the truth sums of its calibration line
//!   (`ScoreStats::sum_truth`, `sum_sq_truth`, `sum_truth_residual`, spec 106). The stored residual
//!   moments keep their values; the new sums are those of the same answers over truths spread like
//!   a uniform truth and uncorrelated with the residuals (`ScoreStats::from_residuals`), so each
//!   migrated line has slope 1 and the bias and noise the labeler had. Class and box models keep
//!   their bytes. One read and one write per model, in the block that enacts the upgrade.
//! - [`v3::MigrateV2ToV3`]: storage version 2 → 3. Each reliability model ([`Reliabilities`],
//!   removed) moves into its labeler's [`Reputation`] entry, which becomes a [`LabelerRecord`]
//!   (the error statistics it held, and the model or `None`), so a judgement reads and writes
//!   each labeler once (spec 108). One read and one write per reputation entry and two of each
//!   per model, in the block that enacts the upgrade.

use crate::{pallet::*, types::*};
#[cfg(any(test, feature = "try-runtime"))]
use alloc::vec::Vec;
use frame_support::{
	migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
};
use frame_system::pallet_prelude::BlockNumberFor;

/// The reliability models as stored at versions 1 and 2, before version 3 moved each into the
/// labeler's [`Reputation`] entry ([`LabelerRecord::model`]).
#[frame_support::storage_alias]
pub type Reliabilities<T: Config> = StorageDoubleMap<
	Pallet<T>,
	Blake2_128Concat,
	<T as frame_system::Config>::AccountId,
	Twox64Concat,
	DomainId,
	crowdlabel_labels::Reliability,
>;

/// Storage version 0 → 1: `Labeler::pending` removed.
pub mod v1 {
	use super::*;

	/// A registration as stored before version 1 (field for field, with `pending`).
	#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
	pub struct LabelerV0<Balance, BlockNumber, Domains> {
		pub deposit: Balance,
		pub domains: Domains,
		pub registered_at: BlockNumber,
		pub pending: u32,
	}

	/// A version-0 registration of the runtime's types.
	pub type LabelerV0Of<T> =
		LabelerV0<BalanceOf<T>, BlockNumberFor<T>, BoundedVec<DomainId, <T as Config>::MaxDomains>>;

	impl<Balance, BlockNumber, MaxDomains>
		LabelerV0<Balance, BlockNumber, BoundedVec<DomainId, MaxDomains>>
	where
		Balance: Clone + PartialEq + Eq + core::fmt::Debug,
		BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
		MaxDomains: Get<u32>,
	{
		/// The same registration at version 1: without the counter.
		pub fn upgrade(self) -> Labeler<Balance, BlockNumber, MaxDomains> {
			Labeler {
				deposit: self.deposit,
				domains: self.domains,
				registered_at: self.registered_at,
			}
		}
	}

	/// The translation itself; use [`MigrateV0ToV1`], which checks and bumps the storage
	/// version.
	pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut n = 0u64;
			Registrations::<T>::translate::<LabelerV0Of<T>, _>(|_, old| {
				n = n.saturating_add(1);
				Some(old.upgrade())
			});
			log::info!(target: "runtime::labelers", "migrated {n} registrations to storage version 1");
			T::DbWeight::get().reads_writes(n, n)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
			Self::snapshot()
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::verify(state)
		}
	}

	#[cfg(any(test, feature = "try-runtime"))]
	impl<T: Config> InnerMigrateV0ToV1<T> {
		/// `pre_upgrade`: every registration as stored at version 0, read raw (decoded as
		/// version 1 a record would silently drop its trailing counter, so a record that is not
		/// at version 0 would go unnoticed).
		pub fn snapshot() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
			use sp_runtime::TryRuntimeError as E;
			let mut all: Vec<(T::AccountId, LabelerV0Of<T>)> = Vec::new();
			for who in Registrations::<T>::iter_keys() {
				let key = Registrations::<T>::hashed_key_for(&who);
				let raw = frame_support::storage::unhashed::get_raw(&key)
					.ok_or(E::Other("registration key without value"))?;
				let old = LabelerV0Of::<T>::decode(&mut &raw[..])
					.map_err(|_| E::Other("a registration is not at version 0"))?;
				all.push((who, old));
			}
			Ok(all.encode())
		}

		/// `post_upgrade`: every registration is still there with the same deposit, domains
		/// and registration block, and the on-chain storage version is 1.
		pub fn verify(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			use sp_runtime::TryRuntimeError as E;
			let before: Vec<(T::AccountId, LabelerV0Of<T>)> =
				Decode::decode(&mut &state[..]).map_err(|_| E::Other("snapshot"))?;
			ensure!(
				Registrations::<T>::iter_keys().count() == before.len(),
				E::Other("registration count changed")
			);
			for (who, old) in before {
				let now = Registrations::<T>::get(&who).ok_or(E::Other("a labeler disappeared"))?;
				ensure!(now == old.upgrade(), E::Other("a registration changed"));
			}
			ensure!(
				Pallet::<T>::on_chain_storage_version() == StorageVersion::new(1),
				E::Other("storage version not bumped")
			);
			Ok(())
		}
	}

	/// Storage version 0 → 1 of the labelers pallet (a no-op at any other on-chain version).
	pub type MigrateV0ToV1<T> = VersionedMigration<
		0,
		1,
		InnerMigrateV0ToV1<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}

/// Storage version 1 → 2: score models gain the truth sums of their calibration line.
pub mod v2 {
	use super::*;
	use crowdlabel_consensus::{BoxStats, ClassModel, ScoreStats};
	use crowdlabel_labels::Reliability;

	/// A score model's statistics as stored before version 2: residual moments only.
	#[derive(Encode, Decode, Clone, Copy, PartialEq, Eq, Debug)]
	pub struct ScoreStatsV1 {
		pub n: u32,
		pub sum_residual: i64,
		pub sum_sq_residual: u64,
	}

	/// A reliability model as stored before version 2 (variant for variant).
	#[allow(clippy::large_enum_variant)]
	#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
	pub enum ReliabilityV1 {
		Class(ClassModel),
		Score { min: u16, max: u16, stats: ScoreStatsV1 },
		Boxes(BoxStats),
	}

	impl ReliabilityV1 {
		/// The same model at version 2: a score model's line of slope 1 with its bias and noise.
		pub fn upgrade(self) -> Reliability {
			match self {
				Self::Class(m) => Reliability::Class(m),
				Self::Score { min, max, stats } => Reliability::Score {
					min,
					max,
					stats: ScoreStats::from_residuals(
						stats.n,
						stats.sum_residual,
						stats.sum_sq_residual,
					),
				},
				Self::Boxes(b) => Reliability::Boxes(b),
			}
		}
	}

	/// The translation itself; use [`MigrateV1ToV2`], which checks and bumps the storage
	/// version.
	pub struct InnerMigrateV1ToV2<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV1ToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut n = 0u64;
			Reliabilities::<T>::translate::<ReliabilityV1, _>(|_, _, old| {
				n = n.saturating_add(1);
				Some(old.upgrade())
			});
			log::info!(target: "runtime::labelers", "migrated {n} reliability models to storage version 2");
			T::DbWeight::get().reads_writes(n, n)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
			Self::snapshot()
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::verify(state)
		}
	}

	#[cfg(any(test, feature = "try-runtime"))]
	impl<T: Config> InnerMigrateV1ToV2<T> {
		/// `pre_upgrade`: every model as stored at version 1, read raw (decoded as version 2 a
		/// score model would fail or misread).
		pub fn snapshot() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
			use sp_runtime::TryRuntimeError as E;
			let mut all: Vec<(T::AccountId, DomainId, ReliabilityV1)> = Vec::new();
			for (who, domain) in Reliabilities::<T>::iter_keys() {
				let key = Reliabilities::<T>::hashed_key_for(&who, domain);
				let raw = frame_support::storage::unhashed::get_raw(&key)
					.ok_or(E::Other("model key without value"))?;
				let old = ReliabilityV1::decode(&mut &raw[..])
					.map_err(|_| E::Other("a model is not at version 1"))?;
				all.push((who, domain, old));
			}
			Ok(all.encode())
		}

		/// `post_upgrade`: every model is still there, upgraded, and the on-chain storage version
		/// is 2.
		pub fn verify(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			use sp_runtime::TryRuntimeError as E;
			let before: Vec<(T::AccountId, DomainId, ReliabilityV1)> =
				Decode::decode(&mut &state[..]).map_err(|_| E::Other("snapshot"))?;
			ensure!(
				Reliabilities::<T>::iter_keys().count() == before.len(),
				E::Other("model count changed")
			);
			for (who, domain, old) in before {
				let now =
					Reliabilities::<T>::get(&who, domain).ok_or(E::Other("a model disappeared"))?;
				ensure!(now == old.upgrade(), E::Other("a model changed"));
			}
			ensure!(
				Pallet::<T>::on_chain_storage_version() == StorageVersion::new(2),
				E::Other("storage version not bumped")
			);
			Ok(())
		}
	}

	/// Storage version 1 → 2 of the labelers pallet (a no-op at any other on-chain version).
	pub type MigrateV1ToV2<T> = VersionedMigration<
		1,
		2,
		InnerMigrateV1ToV2<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}

/// Storage version 2 → 3: each reliability model moves into its labeler's reputation entry.
pub mod v3 {
	use super::*;
	use crowdlabel_consensus::ErrorStats;
	#[cfg(any(test, feature = "try-runtime"))]
	use crowdlabel_labels::Reliability;

	/// The translation itself; use [`MigrateV2ToV3`], which checks and bumps the storage
	/// version.
	pub struct InnerMigrateV2ToV3<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV2ToV3<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut records = 0u64;
			Reputation::<T>::translate::<ErrorStats, _>(|_, _, stats| {
				records = records.saturating_add(1);
				Some(LabelerRecord { stats, model: None })
			});
			let mut models = 0u64;
			for (who, domain, model) in Reliabilities::<T>::drain() {
				models = models.saturating_add(1);
				Reputation::<T>::mutate(&who, domain, |r| r.model = Some(model));
			}
			log::info!(
				target: "runtime::labelers",
				"migrated {records} reputation records and moved {models} reliability models into them (storage version 3)"
			);
			let n = records.saturating_add(models.saturating_mul(2));
			T::DbWeight::get().reads_writes(n, n)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
			Self::snapshot()
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::verify(state)
		}
	}

	/// Before version 3, per labeler and domain: the error statistics (read raw) and the model.
	#[cfg(any(test, feature = "try-runtime"))]
	type Snapshot<T> = Vec<(<T as frame_system::Config>::AccountId, DomainId, ErrorStats)>;
	#[cfg(any(test, feature = "try-runtime"))]
	type Models<T> = Vec<(<T as frame_system::Config>::AccountId, DomainId, Reliability)>;

	#[cfg(any(test, feature = "try-runtime"))]
	impl<T: Config> InnerMigrateV2ToV3<T> {
		/// `pre_upgrade`: every reputation entry as stored at version 2 (read raw: it does not
		/// decode as a version-3 record) and every model.
		pub fn snapshot() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
			use sp_runtime::TryRuntimeError as E;
			let mut stats: Snapshot<T> = Vec::new();
			for (who, domain) in Reputation::<T>::iter_keys() {
				let key = Reputation::<T>::hashed_key_for(&who, domain);
				let raw = frame_support::storage::unhashed::get_raw(&key)
					.ok_or(E::Other("reputation key without value"))?;
				let old = ErrorStats::decode(&mut &raw[..])
					.map_err(|_| E::Other("a reputation entry is not at version 2"))?;
				stats.push((who, domain, old));
			}
			let models: Models<T> = Reliabilities::<T>::iter().collect();
			Ok((stats, models).encode())
		}

		/// `post_upgrade`: every labeler with statistics or a model before has one record with
		/// the same statistics (default when it had none) and the same model (`None` when it had
		/// none), no other record exists, no model is left apart, and the on-chain storage
		/// version is 3.
		pub fn verify(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			use sp_runtime::TryRuntimeError as E;
			let (stats, models): (Snapshot<T>, Models<T>) =
				Decode::decode(&mut &state[..]).map_err(|_| E::Other("snapshot"))?;
			ensure!(
				Reliabilities::<T>::iter_keys().next().is_none(),
				E::Other("a model left apart")
			);
			let mut keys: Vec<(T::AccountId, DomainId)> =
				stats.iter().map(|(w, d, _)| (w.clone(), *d)).collect();
			for (who, domain, model) in models.iter() {
				if !keys.contains(&(who.clone(), *domain)) {
					keys.push((who.clone(), *domain));
				}
				let now = Reputation::<T>::get(who, *domain);
				ensure!(now.model.as_ref() == Some(model), E::Other("a model changed"));
			}
			ensure!(
				Reputation::<T>::iter_keys().count() == keys.len(),
				E::Other("record count is not the labelers with statistics or a model")
			);
			for (who, domain, old) in stats {
				ensure!(Reputation::<T>::get(&who, domain).stats == old, E::Other("stats changed"));
			}
			for (who, domain) in keys {
				let had_model = models.iter().any(|(w, d, _)| *w == who && *d == domain);
				ensure!(
					had_model || Reputation::<T>::get(&who, domain).model.is_none(),
					E::Other("a model appeared")
				);
			}
			ensure!(
				Pallet::<T>::on_chain_storage_version() == StorageVersion::new(3),
				E::Other("storage version not bumped")
			);
			Ok(())
		}
	}

	/// Storage version 2 → 3 of the labelers pallet (a no-op at any other on-chain version).
	pub type MigrateV2ToV3<T> = VersionedMigration<
		2,
		3,
		InnerMigrateV2ToV3<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
