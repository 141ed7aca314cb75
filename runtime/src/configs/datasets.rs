//! `pallet_datasets`: data ownership registry, datasets and their sales.

use frame_support::{parameter_types, traits::ConstU32, PalletId};
use sp_runtime::Perbill;

use super::{jobs::StorageDepositPerByte, MaxJobItems, MaxLabelersPerJob, TreasuryAccount};
use crate::{Balance, Balances, Jobs, Labelers, Runtime, RuntimeHoldReason, CROL};

parameter_types! {
	/// Account holding sale proceeds until owners and labelers claim them.
	pub const DatasetsPalletId: PalletId = PalletId(*b"crl/data");
	/// Storage deposit per registered data item (returned on deregistration); covers an item's
	/// 210 bytes at `StorageDepositPerByte` (2.1 milli-CROL) with a wide margin (checked by the
	/// pallet's `integrity_test`).
	pub const ItemDeposit: Balance = CROL / 10;
	/// Lowest dataset price per item.
	pub const MinPricePerItem: Balance = CROL / 100;
	/// Share of every sale for the data owners (equal per sold item).
	pub const OwnerShare: Perbill = Perbill::from_percent(40);
	/// Share of every sale for the labelers (by `a * W`); the remaining 20% is platform reserve.
	pub const LabelerShare: Perbill = Perbill::from_percent(40);
	/// The most a publisher (the requester who paid for the labels) may take of each later
	/// sale, out of the platform's 20 %: the treasury keeps at least 10 %.
	pub const MaxPublisherShare: Perbill = Perbill::from_percent(10);
}

impl pallet_datasets::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Labelers = Labelers;
	type Jobs = Jobs;
	// Curation: two thirds of the council (or Root: sudo on the dev chain).
	type CuratorOrigin = super::CuratorOrigin;
	type Treasury = TreasuryAccount;
	type PalletId = DatasetsPalletId;
	type ItemDeposit = ItemDeposit;
	// One price per byte for all user-created storage (10 micro-CROL, the jobs pallet's): a
	// dataset's and a sale's records are paid by deposits held for good.
	type StorageDepositPerByte = StorageDepositPerByte;
	type MinPricePerItem = MinPricePerItem;
	type OwnerShare = OwnerShare;
	type LabelerShare = LabelerShare;
	type MaxPublisherShare = MaxPublisherShare;
	type MaxLicenceLen = ConstU32<64>;
	type MaxRegisterBatch = ConstU32<100>;
	// A dataset holds at most one job's items and labelers.
	type MaxDatasetItems = MaxJobItems;
	type MaxContributors = MaxLabelersPerJob;
	type WeightInfo = pallet_datasets::weights::SubstrateWeight<Runtime>;
}
