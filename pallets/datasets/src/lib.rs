//! # Datasets pallet
//!
//! Data ownership and the dataset market of CrowdLabel: data owners register their items, a
//! finished labeling job becomes a dataset with a Merkle root and a quality certificate, buyers
//! purchase datasets, and every sale pays the data owners (per item), the labelers (by `a * W`)
//! and the platform reserve, exactly.
//!
//! ## Overview
//!
//! **Registry.** A data owner [`register_items`](Pallet::register_items) by content identifier:
//! an IPFS **CIDv1 with a sha2-256 digest**, 36 bytes: the raw codec
//! (`0x01 0x55 0x12 0x20 ++ digest`, the `bafkrei…` that `ipfs add --cid-version 1 --raw-leaves`
//! prints for a file of at most 256 KiB) or dag-pb (`0x01 0x70 0x12 0x20 ++ digest`, the
//! `bafybei…` root of a larger file, or the CIDv1 form of a plain `ipfs add`'s `Qm…`); see
//! `crowdlabel_content::cid` and the `crowdlabel-cid` tool. The item is stored under the CID's
//! digest — the same 32 bytes a requester lists as the item of a job — with its codec, the
//! owner, domain, licence and an opt-in flag, for a storage deposit per item. The owner can
//! [`set_consent`](Pallet::set_consent) (withdrawing it stops *future* sales of the item) and
//! [`deregister_item`](Pallet::deregister_item) to get the deposit back. Every registration gets
//! a serial number; a dataset remembers how many registrations existed when it was published.
//!
//! **Datasets.** Once a job is settled, its requester [`publish_dataset`](Pallet::publish_dataset)s
//! it: the labeled items whose owner registered them and opted in become the dataset's leaves,
//! `leaf = H(0x00 ++ SCALE((item hash, consensus label)))` with BLAKE2b-256, and the Merkle root
//! (`crowdlabel_content::merkle`) is stored with a [`QualityCertificate`] (gold accuracy from
//! the job's challenge items, mean agreement, labeler count, redundancy R, challenge share) and
//! the labelers' weights and workloads in this dataset. The price must be at least
//! `MinPricePerItem` per item; the publisher or the curator can [`set_price`](Pallet::set_price)
//! and [`set_listing`](Pallet::set_listing). Publication pins the job's data in the jobs pallet
//! (`FinishedJobs::retain`) and holds a storage deposit from the publisher,
//! `StorageDepositPerByte` times the worst-case bytes of the dataset's records
//! ([`Pallet::publication_bytes`]); datasets are permanent, so the deposit stays held.
//!
//! **Sales.** A buyer [`purchase_dataset`](Pallet::purchase_dataset)s with a price limit. Items
//! whose owner has withdrawn consent (or deregistered) since publication are left out of the
//! sale and the price is reduced pro rata: `quote = price * sold / items`. An item registered
//! again after publication (by anyone, even its former owner) is left out the same way: only
//! the registration the dataset was published with earns its owner share, so nobody can take
//! over the share of a deregistered item by registering its CID. The quote is split
//! ([`crowdlabel_consensus::split_sale`]): `OwnerShare` to the data owners, equal per sold item;
//! `LabelerShare` to the labelers by Briko eq. 4, `a * W`; the rest (and every rounding unit) to
//! the treasury. The owners' and labelers' parts are moved to this pallet's account and held as
//! *unclaimed payouts*; each beneficiary [`claim_payouts`](Pallet::claim_payouts) in one
//! transfer whenever they like, so a sale never loops over transfers and dust never blocks it.
//! The sale is recorded with the dataset's root and the list of excluded leaves, and indexed
//! per owner (`OwnerSales`, a list newest first from `LastOwnerSale`) so an owner pages through
//! every sale that used their data. The buyer pays, on top of the price, a storage deposit for
//! these permanent records ([`Pallet::sale_bytes`] bytes at `StorageDepositPerByte`), held for
//! good.
//!
//! **Verification.** A buyer who downloaded an item and its label checks that they belong to the
//! dataset with [`Pallet::verify_inclusion`] (also available off chain in
//! `crowdlabel_content::merkle::verify`), given the leaf index and the proof from
//! [`Pallet::inclusion_proof`]. The query functions behind the runtime API are bounded:
//! pages of at most [`MAX_PAGE`] entries, proofs of at most [`MAX_PROOF_LEN`] hashes, labels of
//! at most the largest consensus label's encoded length.
//!
//! ## Terminology
//! - **item hash**: the SHA2-256 digest inside the item's CID: of the file's bytes (raw) or of
//!   its UnixFS root block (dag-pb).
//! - **leaf**: one `(item hash, consensus label)` pair of a dataset.
//! - **unclaimed payout**: sale proceeds credited to an owner or labeler, held on the pallet
//!   account until claimed.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(rustdoc::broken_intra_doc_links)]

extern crate alloc;

pub use pallet::*;

pub mod api;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod functions;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
#[cfg(any(test, feature = "try-runtime", feature = "fuzzing"))]
mod try_state;
pub mod types;
pub mod weights;

pub use types::*;
pub use weights::WeightInfo;

/// Most entries one page of a runtime-API query returns.
pub const MAX_PAGE: u32 = 100;
/// Longest inclusion proof accepted (a tree of at most `u32::MAX` leaves is 32 levels deep).
pub const MAX_PROOF_LEN: u32 = 64;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use crowdlabel_labels::{DomainId, ItemHash, JobId};
	use crowdlabel_traits::{FinishedJobs, LabelerRegistry};
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Inspect, Mutate, MutateHold},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::Perbill;

	/// Balance type of the currency.
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	/// A data item with this runtime's types.
	pub type DataItemOf<T> = DataItem<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		BlockNumberFor<T>,
		<T as Config>::MaxLicenceLen,
	>;
	/// A dataset with this runtime's types.
	pub type DatasetOf<T> =
		Dataset<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
	/// A sale with this runtime's types.
	pub type SaleOf<T> =
		Sale<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
	/// The leaves of a dataset: `(index of the item in its job, item hash)`.
	pub type DatasetItemsOf<T> = BoundedVec<(u32, ItemHash), <T as Config>::MaxDatasetItems>;
	/// The labelers of a dataset.
	pub type ContributorsOf<T> = BoundedVec<
		Contributor<<T as frame_system::Config>::AccountId>,
		<T as Config>::MaxContributors,
	>;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Reasons for which this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Storage deposit of a registered data item (held from its owner).
		#[codec(index = 0)]
		ItemDeposit,
		/// Sale proceeds not yet claimed (held on the pallet account).
		#[codec(index = 1)]
		UnclaimedPayout,
		/// Storage deposit of a published dataset (held from its publisher for good).
		#[codec(index = 2)]
		DatasetStorage,
		/// Storage deposit of a sale's records (held from the buyer for good).
		#[codec(index = 3)]
		SaleStorage,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency of deposits and payments.
		type Currency: Inspect<Self::AccountId>
			+ Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;
		/// Domains (items are registered in an existing domain).
		type Labelers: LabelerRegistry<Self::AccountId>;
		/// Settled jobs: items, consensus labels, contributors.
		type Jobs: FinishedJobs<Self::AccountId>;
		/// May change any dataset's price and listing.
		type CuratorOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Receives the platform's part of every sale.
		#[pallet::constant]
		type Treasury: Get<Self::AccountId>;
		/// Account that holds unclaimed payouts.
		#[pallet::constant]
		type PalletId: Get<PalletId>;
		/// Storage deposit per registered item (at least `StorageDepositPerByte` times the
		/// item's worst-case bytes, checked by `integrity_test`).
		#[pallet::constant]
		type ItemDeposit: Get<BalanceOf<Self>>;
		/// Storage deposit per byte of a dataset's and a sale's records.
		#[pallet::constant]
		type StorageDepositPerByte: Get<BalanceOf<Self>>;
		/// Lowest dataset price per item.
		#[pallet::constant]
		type MinPricePerItem: Get<BalanceOf<Self>>;
		/// Share of a sale credited to the data owners.
		#[pallet::constant]
		type OwnerShare: Get<Perbill>;
		/// Share of a sale credited to the labelers (the rest goes to the treasury).
		#[pallet::constant]
		type LabelerShare: Get<Perbill>;
		/// Most a publisher (the requester who paid for the labels) may take of each later
		/// sale, out of the platform's part: `OwnerShare + LabelerShare + MaxPublisherShare`
		/// is at most the whole (checked by `integrity_test`), so the owners' and labelers'
		/// parts never shrink.
		#[pallet::constant]
		type MaxPublisherShare: Get<Perbill>;
		/// Longest licence string.
		#[pallet::constant]
		type MaxLicenceLen: Get<u32>;
		/// Most items in one `register_items` call.
		#[pallet::constant]
		type MaxRegisterBatch: Get<u32>;
		/// Most items in a dataset (at least the jobs pallet's `MaxItems`).
		#[pallet::constant]
		type MaxDatasetItems: Get<u32>;
		/// Most labelers in a dataset (at least the jobs pallet's `MaxLabelersPerJob`).
		#[pallet::constant]
		type MaxContributors: Get<u32>;
		/// Weight information for the calls.
		type WeightInfo: WeightInfo;
	}

	/// Registered data items by item hash (SHA2-256 digest).
	#[pallet::storage]
	pub type DataItems<T: Config> = CountedStorageMap<_, Blake2_128Concat, ItemHash, DataItemOf<T>>;

	/// The serial number the next item registration gets.
	#[pallet::storage]
	pub type NextRegistration<T> = StorageValue<_, u64, ValueQuery>;

	/// Datasets by id.
	#[pallet::storage]
	pub type DatasetDetails<T: Config> =
		CountedStorageMap<_, Twox64Concat, DatasetId, DatasetOf<T>>;

	/// The id the next dataset gets.
	#[pallet::storage]
	pub type NextDatasetId<T> = StorageValue<_, DatasetId, ValueQuery>;

	/// The dataset made from a job (one per job).
	#[pallet::storage]
	pub type DatasetOfJob<T: Config> = StorageMap<_, Twox64Concat, JobId, DatasetId>;

	/// Leaves of each dataset, in Merkle order.
	#[pallet::storage]
	pub type DatasetItems<T: Config> =
		StorageMap<_, Twox64Concat, DatasetId, DatasetItemsOf<T>, ValueQuery>;

	/// Labelers of each dataset with weight and workload.
	#[pallet::storage]
	pub type DatasetContributors<T: Config> =
		StorageMap<_, Twox64Concat, DatasetId, ContributorsOf<T>, ValueQuery>;

	/// Sales by id.
	#[pallet::storage]
	pub type Sales<T: Config> = CountedStorageMap<_, Twox64Concat, SaleId, SaleOf<T>>;

	/// The id the next sale gets.
	#[pallet::storage]
	pub type NextSaleId<T> = StorageValue<_, SaleId, ValueQuery>;

	/// Leaves left out of a sale (consent withdrawn or item deregistered); absent if none.
	#[pallet::storage]
	pub type SaleExclusions<T: Config> =
		StorageMap<_, Twox64Concat, SaleId, BoundedVec<u32, T::MaxDatasetItems>>;

	/// Per owner, every sale that used their data (each entry links to the owner's previous
	/// sale).
	#[pallet::storage]
	pub type OwnerSales<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		SaleId,
		OwnerSale<BalanceOf<T>>,
	>;

	/// Per owner, their newest sale (the head of their `OwnerSales` list).
	#[pallet::storage]
	pub type LastOwnerSale<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, SaleId>;

	/// The share of each later sale a dataset's publisher set for itself
	/// ([`set_publisher_share`](Pallet::set_publisher_share)); absent: none.
	#[pallet::storage]
	pub type PublisherShares<T: Config> = StorageMap<_, Twox64Concat, DatasetId, Perbill>;

	/// The publisher's part of a sale, when it had one (the sale's record predates the share).
	#[pallet::storage]
	pub type SalePublisherParts<T: Config> = StorageMap<_, Twox64Concat, SaleId, BalanceOf<T>>;

	/// Sale proceeds credited and not yet claimed, per owner or labeler.
	#[pallet::storage]
	pub type Unclaimed<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, BalanceOf<T>>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			// The pallet account must exist before it can hold payouts.
			Pallet::<T>::ensure_account_exists();
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A data item was registered.
		ItemRegistered { item: ItemHash, owner: T::AccountId, domain: DomainId, opt_in: bool },
		/// An owner gave or withdrew consent to sell an item.
		ConsentChanged { item: ItemHash, opt_in: bool },
		/// An item was removed from the registry and its deposit returned.
		ItemDeregistered { item: ItemHash, owner: T::AccountId },
		/// A settled job was published as a dataset.
		DatasetPublished {
			dataset: DatasetId,
			job: JobId,
			publisher: T::AccountId,
			items: u32,
			root: sp_core::H256,
			price: BalanceOf<T>,
			/// Storage deposit held from the publisher.
			deposit: BalanceOf<T>,
		},
		/// A dataset's price changed.
		PriceSet { dataset: DatasetId, price: BalanceOf<T> },
		/// A dataset was listed or delisted.
		ListingChanged { dataset: DatasetId, listed: bool },
		/// A dataset was bought.
		DatasetPurchased {
			sale: SaleId,
			dataset: DatasetId,
			buyer: T::AccountId,
			price: BalanceOf<T>,
			items: u32,
			reserve: BalanceOf<T>,
			/// Storage deposit held from the buyer (on top of the price).
			deposit: BalanceOf<T>,
		},
		/// A data owner was credited for their items in a sale.
		OwnerCredited { sale: SaleId, owner: T::AccountId, items: u32, amount: BalanceOf<T> },
		/// A publisher set its share of later sales.
		PublisherShareSet { dataset: DatasetId, share: Perbill },
		/// A dataset's publisher was credited its share of a sale.
		PublisherCredited { sale: SaleId, publisher: T::AccountId, amount: BalanceOf<T> },
		/// A labeler was credited for their work in a sale.
		LabelerCredited { sale: SaleId, labeler: T::AccountId, amount: BalanceOf<T> },
		/// Unclaimed payouts were transferred to their beneficiary.
		PayoutClaimed { who: T::AccountId, amount: BalanceOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The domain does not exist: register items in a domain listed by the labelers pallet.
		UnknownDomain,
		/// Only a 36-byte CIDv1 with a sha2-256 multihash and the raw or dag-pb codec is accepted
		/// (starting `0x01 0x55 0x12 0x20` or `0x01 0x70 0x12 0x20`): add the file with
		/// `ipfs add --cid-version 1 --raw-leaves`, or give a plain `ipfs add`'s `Qm…` in its
		/// CIDv1 form (`bafybei…`); `crowdlabel-cid` prints both.
		UnsupportedCid,
		/// The same item appears twice in the batch: list each item once.
		DuplicateItem,
		/// The item is already registered (by you or someone else).
		AlreadyRegistered,
		/// No item is registered under this hash.
		UnknownItem,
		/// Only the item's owner may do this.
		NotOwner,
		/// The job does not exist or is not settled yet: settle it first (`jobs.settleJob`).
		JobNotSettled,
		/// The job has more items than a dataset may hold (`MaxDatasetItems`; a runtime
		/// misconfiguration, the jobs pallet's `MaxItems` must not exceed it).
		TooManyItems,
		/// Only the job's requester may publish its dataset.
		NotRequester,
		/// This job's dataset was already published.
		AlreadyPublished,
		/// None of the job's labeled items is registered with consent to sell: owners must
		/// register (and opt in) their items before the dataset is published.
		NoSellableItems,
		/// The price is below `MinPricePerItem` times the number of items.
		PriceTooLow,
		/// No dataset with this id.
		UnknownDataset,
		/// Only the publisher or the curator may do this.
		NotPublisher,
		/// The publisher's share is above `MaxPublisherShare` (what the platform's part of a
		/// sale leaves); choose a smaller share.
		ShareAboveLimit,
		/// The dataset is delisted and cannot be bought.
		NotListed,
		/// Every item of the dataset has lost its owner's consent: nothing can be sold.
		NothingToSell,
		/// The price (after exclusions) is above the limit you set: check the quote and retry.
		PriceAboveLimit,
		/// You cannot pay the price and the sale's storage deposit and keep your account alive:
		/// the dataset query shows both.
		InsufficientBalance,
		/// More labelers than `MaxContributors` (a runtime misconfiguration).
		TooManyContributors,
		/// There is nothing to claim.
		NothingToClaim,
		/// An id counter is exhausted.
		IdOverflow,
		/// An amount overflowed (values far beyond any realistic size).
		Overflow,
		/// The parts of a sale do not add up to its price (a defect: nothing was changed).
		ConservationViolated,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(
				T::ItemDeposit::get() >= Pallet::<T>::storage_deposit(Pallet::<T>::item_bytes()),
				"ItemDeposit must pay for an item's bytes at StorageDepositPerByte"
			);
			assert!(
				T::OwnerShare::get().deconstruct() as u64
					+ T::LabelerShare::get().deconstruct() as u64
					+ T::MaxPublisherShare::get().deconstruct() as u64
					<= Perbill::one().deconstruct() as u64,
				"owners, labelers and the publisher cannot share more than the whole"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers data items by CID, with their domain, licence and consent to be sold.
		///
		/// ## Dispatch Origin
		/// Signed: the owner. `ItemDeposit` per item is held until the item is deregistered.
		///
		/// ## Errors
		/// [`UnknownDomain`](Error::UnknownDomain), [`UnsupportedCid`](Error::UnsupportedCid),
		/// [`DuplicateItem`](Error::DuplicateItem),
		/// [`AlreadyRegistered`](Error::AlreadyRegistered); a funds error if the deposit cannot be
		/// held.
		///
		/// ## Events
		/// [`ItemRegistered`](Event::ItemRegistered) per item.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_items(cids.len() as u32))]
		pub fn register_items(
			origin: OriginFor<T>,
			domain: DomainId,
			licence: BoundedVec<u8, T::MaxLicenceLen>,
			opt_in: bool,
			cids: BoundedVec<Cid, T::MaxRegisterBatch>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register_items(who, domain, licence, opt_in, cids)
		}

		/// Gives (`true`) or withdraws (`false`) consent to sell the item in datasets. Sales
		/// already made are not affected.
		///
		/// ## Dispatch Origin
		/// Signed: the item's owner.
		///
		/// ## Errors
		/// [`UnknownItem`](Error::UnknownItem), [`NotOwner`](Error::NotOwner).
		///
		/// ## Events
		/// [`ConsentChanged`](Event::ConsentChanged).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_consent())]
		pub fn set_consent(origin: OriginFor<T>, item: ItemHash, opt_in: bool) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_consent(who, item, opt_in)
		}

		/// Removes an item from the registry and returns its deposit. Datasets that contain it
		/// stop selling it; past sales stay recorded.
		///
		/// ## Dispatch Origin
		/// Signed: the item's owner.
		///
		/// ## Errors
		/// [`UnknownItem`](Error::UnknownItem), [`NotOwner`](Error::NotOwner).
		///
		/// ## Events
		/// [`ItemDeregistered`](Event::ItemDeregistered).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::deregister_item())]
		pub fn deregister_item(origin: OriginFor<T>, item: ItemHash) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_deregister_item(who, item)
		}

		/// Publishes a settled job as a dataset at `price`, pins the job's data in the jobs
		/// pallet and holds the dataset's storage deposit from the publisher for good.
		///
		/// ## Dispatch Origin
		/// Signed: the job's requester.
		///
		/// ## Weight
		/// Charged for `MaxDatasetItems` items; refunded down to the job's item count (every
		/// item of the job is read, registered or not).
		///
		/// ## Errors
		/// [`JobNotSettled`](Error::JobNotSettled), [`NotRequester`](Error::NotRequester),
		/// [`AlreadyPublished`](Error::AlreadyPublished), [`TooManyItems`](Error::TooManyItems),
		/// [`NoSellableItems`](Error::NoSellableItems), [`PriceTooLow`](Error::PriceTooLow),
		/// [`TooManyContributors`](Error::TooManyContributors); a funds error if the storage
		/// deposit cannot be held.
		///
		/// ## Events
		/// [`DatasetPublished`](Event::DatasetPublished).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::publish_dataset(T::MaxDatasetItems::get()))]
		pub fn publish_dataset(
			origin: OriginFor<T>,
			job: JobId,
			price: BalanceOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let read = Self::do_publish_dataset(who, job, price)?;
			Ok(Some(T::WeightInfo::publish_dataset(read)).into())
		}

		/// Sets a dataset's price.
		///
		/// ## Dispatch Origin
		/// Signed by the publisher, or the curator origin.
		///
		/// ## Errors
		/// [`UnknownDataset`](Error::UnknownDataset), [`NotPublisher`](Error::NotPublisher),
		/// [`PriceTooLow`](Error::PriceTooLow).
		///
		/// ## Events
		/// [`PriceSet`](Event::PriceSet).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::set_price())]
		pub fn set_price(
			origin: OriginFor<T>,
			dataset: DatasetId,
			price: BalanceOf<T>,
		) -> DispatchResult {
			let who = Self::publisher_or_curator(origin)?;
			Self::do_set_price(who, dataset, price)
		}

		/// Lists or delists a dataset.
		///
		/// ## Dispatch Origin
		/// Signed by the publisher, or the curator origin.
		///
		/// ## Errors
		/// [`UnknownDataset`](Error::UnknownDataset), [`NotPublisher`](Error::NotPublisher).
		///
		/// ## Events
		/// [`ListingChanged`](Event::ListingChanged).
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::set_listing())]
		pub fn set_listing(
			origin: OriginFor<T>,
			dataset: DatasetId,
			listed: bool,
		) -> DispatchResult {
			let who = Self::publisher_or_curator(origin)?;
			Self::do_set_listing(who, dataset, listed)
		}

		/// Buys a dataset for at most `max_price`. The quote is `price * sold / items` where
		/// `sold` counts the items whose owner still consents (with the registration the dataset
		/// was published with); the payment is split between the owners, the labelers and the
		/// treasury, and the owners' and labelers' parts are held for them to claim.
		///
		/// ## Dispatch Origin
		/// Signed: the buyer. On top of the price, a storage deposit for the sale's permanent
		/// records (`StorageDepositPerByte` per byte, see the quote) is held from the buyer for
		/// good.
		///
		/// ## Errors
		/// [`UnknownDataset`](Error::UnknownDataset), [`NotListed`](Error::NotListed),
		/// [`NothingToSell`](Error::NothingToSell), [`PriceAboveLimit`](Error::PriceAboveLimit),
		/// [`InsufficientBalance`](Error::InsufficientBalance).
		///
		/// ## Events
		/// [`OwnerCredited`](Event::OwnerCredited) per owner,
		/// [`LabelerCredited`](Event::LabelerCredited) per labeler,
		/// [`DatasetPurchased`](Event::DatasetPurchased).
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::purchase_dataset(
			T::MaxDatasetItems::get(),
			T::MaxContributors::get()
		))]
		pub fn purchase_dataset(
			origin: OriginFor<T>,
			dataset: DatasetId,
			max_price: BalanceOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let (items, labelers) = Self::do_purchase_dataset(who, dataset, max_price)?;
			Ok(Some(T::WeightInfo::purchase_dataset(items, labelers)).into())
		}

		/// Transfers all of the caller's unclaimed sale proceeds to them.
		///
		/// ## Dispatch Origin
		/// Signed: an owner or labeler with unclaimed payouts.
		///
		/// ## Errors
		/// [`NothingToClaim`](Error::NothingToClaim); a funds error if the amount is below the
		/// existential deposit of a new account (claim again after more sales).
		///
		/// ## Events
		/// [`PayoutClaimed`](Event::PayoutClaimed).
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::claim_payouts())]
		pub fn claim_payouts(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim_payouts(who)
		}

		/// Sets the share of every later sale of the dataset credited to its publisher (the
		/// requester who paid for the labels), at most [`Config::MaxPublisherShare`]. It comes
		/// out of the platform's part: the owners' and labelers' parts do not change. Sales made
		/// before are not affected.
		///
		/// ## Dispatch Origin
		/// Signed by the publisher.
		///
		/// ## Errors
		/// [`UnknownDataset`](Error::UnknownDataset), [`NotPublisher`](Error::NotPublisher),
		/// [`ShareAboveLimit`](Error::ShareAboveLimit).
		///
		/// ## Events
		/// [`PublisherShareSet`](Event::PublisherShareSet).
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::set_publisher_share())]
		pub fn set_publisher_share(
			origin: OriginFor<T>,
			dataset: DatasetId,
			share: Perbill,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_publisher_share(who, dataset, share)
		}
	}
}
