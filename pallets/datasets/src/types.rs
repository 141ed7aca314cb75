//! Types of the data registry and the dataset market.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use crowdlabel_consensus::{FixedU128, Perbill};
use crowdlabel_labels::{DomainId, JobId, LabelKind};
use frame_support::{traits::Get, BoundedVec};
use scale_info::TypeInfo;
use sp_core::H256;

/// Identifier of a dataset.
pub type DatasetId = u32;
/// Identifier of a sale.
pub type SaleId = u32;
/// A binary IPFS CIDv1 with a sha2-256 digest: `0x01 0x55 0x12 0x20 ++ digest` (raw: a file of at
/// most 256 KiB) or `0x01 0x70 0x12 0x20 ++ digest` (dag-pb: the root of a chunked UnixFS file,
/// or any file of a plain `ipfs add`, whose CIDv0 `Qm…` names the same root).
pub type Cid = [u8; 36];

/// The codec of a registered item's CID, so that the CID can be rebuilt from the item hash.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	Default,
)]
pub enum ItemCodec {
	/// `raw`: the item hash is the file's SHA2-256.
	#[default]
	Raw,
	/// `dag-pb`: the item hash is the SHA2-256 of the UnixFS root block.
	DagPb,
}

impl From<crowdlabel_content::cid::Codec> for ItemCodec {
	fn from(c: crowdlabel_content::cid::Codec) -> Self {
		match c {
			crowdlabel_content::cid::Codec::Raw => ItemCodec::Raw,
			crowdlabel_content::cid::Codec::DagPb => ItemCodec::DagPb,
		}
	}
}

/// A registered data item (an image, a scan, a sentence pair), keyed by its SHA2-256 digest.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	frame_support::CloneNoBound,
	frame_support::PartialEqNoBound,
	frame_support::EqNoBound,
	frame_support::DebugNoBound,
)]
#[scale_info(skip_type_params(MaxLicenceLen))]
#[codec(mel_bound(AccountId: MaxEncodedLen, Balance: MaxEncodedLen, BlockNumber: MaxEncodedLen, MaxLicenceLen: Get<u32>))]
#[allow(clippy::multiple_bound_locations)]
pub struct DataItem<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxLicenceLen: Get<u32>,
> {
	/// Who owns the data and is paid when it is sold.
	pub owner: AccountId,
	/// Domain the item belongs to.
	pub domain: DomainId,
	/// Licence text or identifier (e.g. `CC-BY-4.0`, or a URL / CID of the licence document).
	pub licence: BoundedVec<u8, MaxLicenceLen>,
	/// The owner agrees to the item being sold in datasets (checked at every sale).
	pub opt_in: bool,
	/// Storage deposit held from the owner while the item is registered.
	pub deposit: Balance,
	/// Block of registration.
	pub registered: BlockNumber,
	/// Registration number: the `NextRegistration` counter when the item was registered. A
	/// re-registration (by anyone, after a deregistration) gets a new, higher number, so a
	/// dataset recognises the registrations it was published with (see
	/// [`Dataset::registrations`]).
	pub serial: u64,
	/// The codec of the CID the item was registered with: the CID is `cid_of(codec, item)`.
	pub codec: ItemCodec,
}

/// How good a dataset is, fixed when it is published.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct QualityCertificate {
	/// Share of the checked labels that matched the hidden challenge (gold) answers; `None` if
	/// the job had no revealed challenges.
	pub gold_accuracy: Option<Perbill>,
	/// How many accepted labels were checked against challenge answers.
	pub gold_checked: u32,
	/// Mean agreement of the accepted labels with the consensus, over the dataset's items.
	pub mean_agreement: Perbill,
	/// Distinct labelers whose labels are in the dataset.
	pub labelers: u32,
	/// Labels per item (R) of the source job.
	pub redundancy: u32,
	/// Hidden challenge (gold) items among the job's items: `challenges / job items`.
	pub challenge_share: Perbill,
}

/// A dataset: the labeled, consenting items of a settled job.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct Dataset<AccountId, Balance, BlockNumber> {
	/// The job the labels come from.
	pub job: JobId,
	/// Who published it (the job's requester); may change the price and the listing.
	pub publisher: AccountId,
	/// Domain of the items.
	pub domain: DomainId,
	/// Label kind.
	pub kind: LabelKind,
	/// Merkle root over `(item hash, consensus label)` leaves, in `DatasetItems` order.
	pub root: H256,
	/// Number of items (leaves).
	pub items: u32,
	/// Price of the whole dataset; a sale charges `price * sold / items` (items whose owner
	/// withdrew consent are not sold).
	pub price: Balance,
	/// Quality figures.
	pub certificate: QualityCertificate,
	/// Whether it can be bought.
	pub listed: bool,
	/// Number of sales so far.
	pub sales: u32,
	/// Block of publication.
	pub published: BlockNumber,
	/// Item registrations made before publication (`NextRegistration` then): a leaf's owner is
	/// paid, and the leaf sold, only while its item's registration has a `serial` below this,
	/// i.e. is the registration the dataset was published with.
	pub registrations: u64,
	/// Storage deposit held from the publisher for the dataset's records (kept for good:
	/// datasets are permanent).
	pub deposit: Balance,
}

/// A labeler's part in a dataset: weight `a` (at the job's settlement) and workload `W` (items
/// of this dataset they labeled). Their share of a sale is `a * W / sum(a * W)`.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct Contributor<AccountId> {
	/// The labeler.
	pub labeler: AccountId,
	/// Weight `a`.
	pub weight: FixedU128,
	/// Workload `W`.
	pub work: u32,
}

/// A purchase.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct Sale<AccountId, Balance, BlockNumber> {
	/// What was bought.
	pub dataset: DatasetId,
	/// The dataset's Merkle root (all leaves; see `SaleExclusions` for unsold ones).
	pub root: H256,
	/// Who bought it.
	pub buyer: AccountId,
	/// What the buyer paid.
	pub price: Balance,
	/// Items sold (leaves minus exclusions).
	pub items: u32,
	/// Credited to data owners.
	pub owners: Balance,
	/// Credited to labelers.
	pub labelers: Balance,
	/// Sent to the platform treasury (includes every rounding unit).
	pub reserve: Balance,
	/// Block of the sale.
	pub at: BlockNumber,
	/// Storage deposit held from the buyer for the sale's records (kept for good: sales are
	/// permanent).
	pub deposit: Balance,
}

/// An owner's view of a sale that used their data.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct OwnerSale<Balance> {
	/// The dataset sold.
	pub dataset: DatasetId,
	/// How many of the owner's items were in the sale.
	pub items: u32,
	/// What the owner was credited.
	pub amount: Balance,
	/// The owner's previous sale (sales of an owner form a list, newest first, starting at
	/// `LastOwnerSale`).
	pub previous: Option<SaleId>,
}
