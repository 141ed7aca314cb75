//! Storage migrations of the jobs pallet.
//!
//! - [`v1::MigrateV0ToV1`]: storage version 0 → 1. Job records gain `workload` (the declared
//!   Briko workload, `None` for every job created before); every other field keeps its value.
//!   Runs in the block that enacts the runtime upgrade, translating each stored job once
//!   (one read and one write per job: jobs are pruned 30 days after settlement, so the live set
//!   is the open jobs plus the published ones).
//! - [`v2::MigrateV1ToV2`]: storage version 1 → 2. Each labeler's [`Workload`] entry gains
//!   `idle` (deposits of accepted packages kept on hold while the labeler holds others of the
//!   job), zero for every entry: until this version every accepted deposit was released at once.
//!   One read and one write per entry (labelers with work in a live job).
//! - [`v3::MigrateV2ToV3`]: storage version 2 → 3. Each [`Packages`] entry gains `reveal_by`
//!   (the reveal deadline, kept in the package instead of each committed assignment), `None`
//!   for every entry: the assignments committed before keep the reveal deadline they carry,
//!   which still applies to them (`Assignment::due`). One read and one write per package of a
//!   live job.

use crate::{pallet::*, types::*};
#[cfg(any(test, feature = "try-runtime"))]
use alloc::vec::Vec;
use frame_support::{
	migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
};
use frame_system::pallet_prelude::BlockNumberFor;

/// Storage version 0 → 1: `Job::workload`.
pub mod v1 {
	use super::*;
	use crowdlabel_labels::{Commitment, DomainId, LabelKind};

	/// A job record as stored before version 1 (field for field, without `workload`).
	#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
	pub struct JobV0<AccountId, Balance, BlockNumber> {
		pub requester: AccountId,
		pub domain: DomainId,
		pub kind: LabelKind,
		pub items: u32,
		pub package_size: u32,
		pub packages: u32,
		pub redundancy: u32,
		pub budget: Balance,
		pub reserve: Balance,
		pub pay: Balance,
		pub deadline: BlockNumber,
		pub commit_window: BlockNumber,
		pub reveal_window: BlockNumber,
		pub challenges: Option<Commitment>,
		pub challenges_revealed: bool,
		pub gold_checked: u32,
		pub gold_wrong: u32,
		pub completed: u32,
		pub labelers: u32,
		pub fines: Balance,
		pub accepted: u32,
		pub challenge_items: u32,
		pub storage_deposit: Balance,
		pub settled_at: Option<BlockNumber>,
		pub retained: bool,
		pub status: JobStatus,
	}

	impl<AccountId, Balance, BlockNumber> JobV0<AccountId, Balance, BlockNumber> {
		/// The same job at version 1: no declared workload.
		pub fn upgrade(self) -> Job<AccountId, Balance, BlockNumber> {
			Job {
				requester: self.requester,
				domain: self.domain,
				kind: self.kind,
				items: self.items,
				package_size: self.package_size,
				packages: self.packages,
				redundancy: self.redundancy,
				budget: self.budget,
				reserve: self.reserve,
				pay: self.pay,
				deadline: self.deadline,
				commit_window: self.commit_window,
				reveal_window: self.reveal_window,
				challenges: self.challenges,
				challenges_revealed: self.challenges_revealed,
				gold_checked: self.gold_checked,
				gold_wrong: self.gold_wrong,
				completed: self.completed,
				labelers: self.labelers,
				fines: self.fines,
				accepted: self.accepted,
				challenge_items: self.challenge_items,
				storage_deposit: self.storage_deposit,
				settled_at: self.settled_at,
				retained: self.retained,
				status: self.status,
				workload: None,
			}
		}
	}

	/// A version-0 job of the runtime's types.
	pub type JobV0Of<T> =
		JobV0<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

	/// The translation itself; use [`MigrateV0ToV1`], which checks and bumps the storage
	/// version.
	pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut jobs = 0u64;
			JobDetails::<T>::translate::<JobV0Of<T>, _>(|_, old| {
				jobs = jobs.saturating_add(1);
				Some(old.upgrade())
			});
			log::info!(target: "runtime::jobs", "migrated {jobs} jobs to storage version 1");
			T::DbWeight::get().reads_writes(jobs, jobs)
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
		/// `pre_upgrade`: a snapshot of every job as stored at version 0, read raw (the
		/// version-1 type cannot decode them).
		pub fn snapshot() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
			let mut jobs: Vec<(JobId, JobV0Of<T>)> = Vec::new();
			for id in JobDetails::<T>::iter_keys() {
				let key = JobDetails::<T>::hashed_key_for(id);
				let raw = frame_support::storage::unhashed::get_raw(&key)
					.ok_or(sp_runtime::TryRuntimeError::Other("job key without value"))?;
				let old = JobV0Of::<T>::decode(&mut &raw[..])
					.map_err(|_| sp_runtime::TryRuntimeError::Other("a job is not at version 0"))?;
				jobs.push((id, old));
			}
			Ok(jobs.encode())
		}

		/// `post_upgrade`: every job is still there with the same fields and no workload, the
		/// counter agrees, and the on-chain storage version is 1.
		pub fn verify(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			use sp_runtime::TryRuntimeError as E;
			let before: Vec<(JobId, JobV0Of<T>)> =
				Decode::decode(&mut &state[..]).map_err(|_| E::Other("snapshot"))?;
			ensure!(
				JobDetails::<T>::count() as usize == before.len(),
				E::Other("job count changed")
			);
			for (id, old) in before {
				let now = JobDetails::<T>::get(id).ok_or(E::Other("a job disappeared"))?;
				ensure!(now == old.upgrade(), E::Other("a job changed"));
			}
			ensure!(
				Pallet::<T>::on_chain_storage_version() == StorageVersion::new(1),
				E::Other("storage version not bumped")
			);
			Ok(())
		}
	}

	/// Storage version 0 → 1 of the jobs pallet (a no-op at any other on-chain version).
	pub type MigrateV0ToV1<T> = VersionedMigration<
		0,
		1,
		InnerMigrateV0ToV1<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}

/// Storage version 1 → 2: `LabelerWork::idle`.
pub mod v2 {
	use super::*;

	/// A workload entry as stored before version 2.
	#[derive(Encode, Decode, Clone, Copy, PartialEq, Eq, Debug)]
	pub struct LabelerWorkV1 {
		pub accepted: u32,
		pub open: u32,
	}

	impl LabelerWorkV1 {
		/// The same entry at version 2: nothing idle (every accepted deposit was released).
		pub fn upgrade<Balance: Default>(self) -> LabelerWork<Balance> {
			LabelerWork { accepted: self.accepted, open: self.open, idle: Balance::default() }
		}
	}

	/// The translation itself; use [`MigrateV1ToV2`], which checks and bumps the storage
	/// version.
	pub struct InnerMigrateV1ToV2<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV1ToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut entries = 0u64;
			Workload::<T>::translate::<LabelerWorkV1, _>(|_, _, old| {
				entries = entries.saturating_add(1);
				Some(old.upgrade())
			});
			log::info!(target: "runtime::jobs", "migrated {entries} workload entries to storage version 2");
			T::DbWeight::get().reads_writes(entries, entries)
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
		/// `pre_upgrade`: every workload entry as stored at version 1, read raw.
		pub fn snapshot() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
			let mut entries: Vec<(JobId, T::AccountId, LabelerWorkV1)> = Vec::new();
			for (id, who) in Workload::<T>::iter_keys() {
				let key = Workload::<T>::hashed_key_for(id, &who);
				let raw = frame_support::storage::unhashed::get_raw(&key)
					.ok_or(sp_runtime::TryRuntimeError::Other("workload key without value"))?;
				let old = LabelerWorkV1::decode(&mut &raw[..]).map_err(|_| {
					sp_runtime::TryRuntimeError::Other("a workload entry is not at version 1")
				})?;
				entries.push((id, who, old));
			}
			Ok(entries.encode())
		}

		/// `post_upgrade`: every entry is still there with its counts and nothing idle, and the
		/// on-chain storage version is 2.
		pub fn verify(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			use sp_runtime::TryRuntimeError as E;
			let before: Vec<(JobId, T::AccountId, LabelerWorkV1)> =
				Decode::decode(&mut &state[..]).map_err(|_| E::Other("snapshot"))?;
			ensure!(
				Workload::<T>::iter_keys().count() == before.len(),
				E::Other("workload entries changed in number")
			);
			for (id, who, old) in before {
				let now = Workload::<T>::get(id, &who).ok_or(E::Other("an entry disappeared"))?;
				ensure!(now == old.upgrade(), E::Other("an entry changed"));
			}
			ensure!(
				Pallet::<T>::on_chain_storage_version() == StorageVersion::new(2),
				E::Other("storage version not bumped")
			);
			Ok(())
		}
	}

	/// Storage version 1 → 2 of the jobs pallet (a no-op at any other on-chain version).
	pub type MigrateV1ToV2<T> = VersionedMigration<
		1,
		2,
		InnerMigrateV1ToV2<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}

/// Storage version 2 → 3: `Package::reveal_by`.
pub mod v3 {
	use super::*;

	/// A package as stored before version 3 (field for field, without `reveal_by`).
	#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
	pub struct PackageV2 {
		pub takers: u32,
		pub committed: u32,
		pub revealed: u32,
		pub accepted: u32,
		pub seed: [u8; 32],
		pub complete: bool,
	}

	impl PackageV2 {
		/// The same package at version 3: no package-wide reveal deadline (the assignments
		/// whose reveals opened carry theirs).
		pub fn upgrade<BlockNumber>(self) -> Package<BlockNumber> {
			Package {
				takers: self.takers,
				committed: self.committed,
				revealed: self.revealed,
				accepted: self.accepted,
				seed: self.seed,
				complete: self.complete,
				reveal_by: None,
			}
		}
	}

	/// The translation itself; use [`MigrateV2ToV3`], which checks and bumps the storage
	/// version.
	pub struct InnerMigrateV2ToV3<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV2ToV3<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut packages = 0u64;
			Packages::<T>::translate::<PackageV2, _>(|_, _, old| {
				packages = packages.saturating_add(1);
				Some(old.upgrade())
			});
			log::info!(target: "runtime::jobs", "migrated {packages} packages to storage version 3");
			T::DbWeight::get().reads_writes(packages, packages)
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
	impl<T: Config> InnerMigrateV2ToV3<T> {
		/// `pre_upgrade`: every package as stored at version 2, read raw.
		pub fn snapshot() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
			use sp_runtime::TryRuntimeError as E;
			let mut all: Vec<(JobId, PackageIndex, PackageV2)> = Vec::new();
			for (id, p) in Packages::<T>::iter_keys() {
				let key = Packages::<T>::hashed_key_for(id, p);
				let raw = frame_support::storage::unhashed::get_raw(&key)
					.ok_or(E::Other("package key without value"))?;
				let old = PackageV2::decode(&mut &raw[..])
					.map_err(|_| E::Other("a package is not at version 2"))?;
				all.push((id, p, old));
			}
			Ok(all.encode())
		}

		/// `post_upgrade`: every package is still there with its counters, seed and state and
		/// no package-wide reveal deadline, and the on-chain storage version is 3.
		pub fn verify(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			use sp_runtime::TryRuntimeError as E;
			let before: Vec<(JobId, PackageIndex, PackageV2)> =
				Decode::decode(&mut &state[..]).map_err(|_| E::Other("snapshot"))?;
			ensure!(
				Packages::<T>::iter_keys().count() == before.len(),
				E::Other("packages changed in number")
			);
			for (id, p, old) in before {
				ensure!(Packages::<T>::contains_key(id, p), E::Other("a package disappeared"));
				ensure!(
					Packages::<T>::get(id, p) == old.upgrade::<BlockNumberFor<T>>(),
					E::Other("a package changed")
				);
			}
			ensure!(
				Pallet::<T>::on_chain_storage_version() == StorageVersion::new(3),
				E::Other("storage version not bumped")
			);
			Ok(())
		}
	}

	/// Storage version 2 → 3 of the jobs pallet (a no-op at any other on-chain version).
	pub type MigrateV2ToV3<T> = VersionedMigration<
		2,
		3,
		InnerMigrateV2ToV3<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
