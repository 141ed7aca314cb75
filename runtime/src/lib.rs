//! # CrowdLabel runtime
//!
//! The runtime of the CrowdLabel solochain: Aura block production, GRANDPA finality, the native
//! token **CROL** (12 decimals) and, as the CrowdLabel pallets land, labeler registration,
//! qualification on gold data, labeling jobs with commit-reveal, consensus, deposits and the
//! dataset marketplace. See `docs/architecture.md` for the whole picture.
//!
//! Layout (as in the polkadot-sdk solochain template):
//! - [`configs`]: one module per pallet configuration,
//! - [`apis`]: the runtime APIs the node and clients call,
//! - [`genesis_config_presets`]: the `development` and `local_testnet` genesis presets that the
//!   node's `dev` and `local` chain specs are built from.

#![cfg_attr(not(feature = "std"), no_std)]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

pub mod apis;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarks;
pub mod configs;
pub mod genesis_config_presets;
pub mod weights;

extern crate alloc;

use alloc::vec::Vec;

use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::RuntimeVersion;

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;

/// Opaque types: what the node needs to know about blocks without knowing the runtime's calls.
pub mod opaque {
	use super::*;
	use sp_runtime::traits::Hash as HashT;

	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block identifier type.
	pub type BlockId = generic::BlockId<Block>;
	/// Opaque block hash type.
	pub type Hash = <BlakeTwo256 as HashT>::Output;
}

impl_opaque_keys! {
	/// The session keys of a validator: one Aura key, one GRANDPA key.
	pub struct SessionKeys {
		pub aura: Aura,
		pub grandpa: Grandpa,
	}
}

/// The runtime version. Bump `spec_version` on every change of runtime logic.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("crowdlabel"),
	impl_name: alloc::borrow::Cow::Borrowed("crowdlabel-node"),
	authoring_version: 1,
	spec_version: 113,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 1,
	system_version: 1,
};

/// Block time. Three seconds keeps labeling rounds (commit, reveal) short on the dev chain.
pub const MILLI_SECS_PER_BLOCK: u64 = 3000;
/// Aura slot duration; one block per slot.
pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;

/// Blocks per minute, hour and day.
pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
pub const HOURS: BlockNumber = MINUTES * 60;
pub const DAYS: BlockNumber = HOURS * 24;

/// How many recent block hashes are kept (mortal transactions refer to one of them).
pub const BLOCK_HASH_COUNT: BlockNumber = 2400;

/// Token symbol and decimals, also written into the chain-spec properties by the node.
pub const TOKEN_SYMBOL: &str = "CROL";
/// Decimals of [`TOKEN_SYMBOL`].
pub const TOKEN_DECIMALS: u8 = 12;
/// SS58 address prefix (the generic Substrate prefix, so polkadot.js shows the dev accounts as
/// usual).
pub const SS58_PREFIX: u16 = 42;

/// One CROL in plancks.
pub const CROL: Balance = 1_000_000_000_000;
/// 10^-3 CROL.
pub const MILLI_CROL: Balance = 1_000_000_000;
/// 10^-6 CROL.
pub const MICRO_CROL: Balance = 1_000_000;

/// An account below this balance is reaped.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_CROL;

/// Signature type of transactions.
pub type Signature = MultiSignature;
/// Account identifier: a 32-byte public key.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Balance of an account, in plancks of CROL.
pub type Balance = u128;
/// Transaction index of an account.
pub type Nonce = u32;
/// Block hash type.
pub type Hash = sp_core::H256;
/// Block number type.
pub type BlockNumber = u32;
/// The consensus label type of this runtime (boxes bounded by `configs::MaxBoxes`).
pub type ConsensusLabel = crowdlabel_labels::ConsensusLabel<configs::MaxBoxes>;
/// A label as labelers reveal it and curators commit gold answers (any kind).
pub type Label = crowdlabel_labels::Label<configs::MaxBoxes>;
/// Address format of transactions.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header type.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block type.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// A block with its justifications.
pub type SignedBlock = generic::SignedBlock<Block>;
/// Block identifier.
pub type BlockId = generic::BlockId<Block>;

/// The transaction extensions checked for every transaction. `AuthorizeCall` comes first: it
/// lets general (unsigned) transactions of calls with an authorize function, such as
/// `faucet.drip`, through with the `Authorized` origin; every other call is left to the signed
/// checks that follow.
pub type TxExtension = (
	frame_system::AuthorizeCall<Runtime>,
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// Unchecked extrinsic type as expected by this runtime.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Storage migrations to run on the next runtime upgrade.
/// Migrations run by `Executive` when a new runtime is enacted (each is versioned: a no-op once
/// the pallet's on-chain storage version has moved on). Spec 101: jobs storage v0 → v1
/// (`Job::workload`). Spec 103: labelers storage v0 → v1 (`Labeler::pending` removed; pending
/// work is read from open rounds and the jobs pallet's package-deposit holds). Spec 106: labelers
/// storage v1 → v2 (score reliability models gain the truth sums of their calibration line).
/// Spec 107: jobs storage v1 → v2 (workload entries gain the idle stake). Spec 108: labelers
/// storage v2 → v3 (each reliability model moves into its labeler's reputation entry) and jobs
/// storage v2 → v3 (the reveal deadline in the package entry).
type Migrations = (
	pallet_jobs::migrations::v1::MigrateV0ToV1<Runtime>,
	pallet_jobs::migrations::v2::MigrateV1ToV2<Runtime>,
	pallet_jobs::migrations::v3::MigrateV2ToV3<Runtime>,
	pallet_labelers::migrations::v1::MigrateV0ToV1<Runtime>,
	pallet_labelers::migrations::v2::MigrateV1ToV2<Runtime>,
	pallet_labelers::migrations::v3::MigrateV2ToV3<Runtime>,
);

/// Executive: dispatches incoming extrinsics to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;

	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;

	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;

	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;

	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo;

	#[runtime::pallet_index(7)]
	pub type Utility = pallet_utility;

	// CrowdLabel pallets.
	#[runtime::pallet_index(10)]
	pub type Labelers = pallet_labelers;

	#[runtime::pallet_index(11)]
	pub type Jobs = pallet_jobs;

	#[runtime::pallet_index(12)]
	pub type Datasets = pallet_datasets;

	#[runtime::pallet_index(13)]
	pub type Faucet = pallet_faucet;

	#[runtime::pallet_index(14)]
	pub type Council = pallet_collective<Instance1>;

	#[runtime::pallet_index(15)]
	pub type CouncilMembership = pallet_membership<Instance1>;

	#[runtime::pallet_index(16)]
	pub type Treasury = pallet_treasury;

	#[runtime::pallet_index(17)]
	pub type RootDispatch = pallet_root_dispatch;
}
