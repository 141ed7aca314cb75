//! `crowdlabel_*` JSON-RPC methods: the [`CrowdLabelApi`] runtime API as JSON.
//!
//! Each method is a thin wrapper: it calls one runtime API method and serialises the typed
//! answer through a view struct of this module ([`LabelerView`], [`JobProgressView`], …), whose
//! field names are the JSON keys (camelCase). Amounts are strings of plancks (1 CROL = 10^12),
//! fixed-point values (weights, errors, scores) and ratios (`Perbill`) are decimal strings,
//! hashes and bytes are `0x` hex, accounts SS58. Every page is capped: `crowdlabel_jobResults` at
//! [`MAX_RESULTS`] items, `crowdlabel_ownerSales` at [`MAX_PAGE`] sales, whatever `max` asks.
//!
//! Every method takes an optional block hash as its last parameter (default: the best block),
//! except `crowdlabel_ownerSales`, whose paging cursor `from` came later and follows `at` so that
//! existing callers keep working.

use std::sync::Arc;

use crowdlabel_runtime::{opaque::Block, AccountId, Balance, BlockNumber, ConsensusLabel};
use crowdlabel_runtime_api::{
	CrowdLabelApi, DatasetId, DatasetInfo, DomainStanding, InclusionProof, ItemConsensus, ItemHash,
	JobId, JobProgress, JobStatus, LabelerInfo, LeafIndex, OwnerReport, OwnerSaleInfo,
	PackageProgress, QualityCertificate, SaleId, MAX_PAGE, MAX_PROOF_LEN, MAX_RESULTS,
};
use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{error::ErrorObject, ErrorObjectOwned},
};
use serde::Serialize;
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::{Bytes, H256};
use sp_runtime::{
	codec::MaxEncodedLen, traits::Block as BlockT, FixedPointNumber, FixedU128, PerThing, Perbill,
};

/// The `crowdlabel_*` methods.
#[rpc(server)]
pub trait CrowdLabelRpc<BlockHash> {
	/// A labeler's deposit, declared domains, and per domain: qualified, weight `a`, voting
	/// power, error `x`.
	#[method(name = "crowdlabel_labeler")]
	fn labeler(&self, who: AccountId, at: Option<BlockHash>) -> RpcResult<Option<LabelerView>>;

	/// A job's status and per-package progress.
	#[method(name = "crowdlabel_jobProgress")]
	fn job_progress(&self, job: JobId, at: Option<BlockHash>)
		-> RpcResult<Option<JobProgressView>>;

	/// Consensus labels of a job's items `[from, from + max)` (defaults 0 and [`MAX_RESULTS`];
	/// `max` is capped at [`MAX_RESULTS`]).
	#[method(name = "crowdlabel_jobResults")]
	fn job_results(
		&self,
		job: JobId,
		from: Option<u32>,
		max: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<ItemResultView>>;

	/// A dataset with its quality certificate and the price a purchase costs now.
	#[method(name = "crowdlabel_dataset")]
	fn dataset(&self, dataset: DatasetId, at: Option<BlockHash>) -> RpcResult<Option<DatasetView>>;

	/// An owner's unclaimed payouts and one page of the sales of their data, newest first:
	/// at most `max` (default and cap [`MAX_PAGE`]) sales starting at sale `from` (default: the
	/// newest; pass the previous page's `next` for the next page).
	#[method(name = "crowdlabel_ownerSales")]
	fn owner_sales(
		&self,
		owner: AccountId,
		max: Option<u32>,
		at: Option<BlockHash>,
		from: Option<SaleId>,
	) -> RpcResult<OwnerSalesView>;

	/// The Merkle inclusion proof of a dataset leaf.
	#[method(name = "crowdlabel_inclusionProof")]
	fn inclusion_proof(
		&self,
		dataset: DatasetId,
		leaf: LeafIndex,
		at: Option<BlockHash>,
	) -> RpcResult<Option<InclusionProofView>>;

	/// Whether `(item, SCALE-encoded label)` is leaf `leaf` of the dataset, given the proof (at
	/// most [`MAX_PROOF_LEN`] hashes; a longer proof or a label longer than the largest consensus
	/// label is `false`).
	#[method(name = "crowdlabel_verifyInclusion")]
	fn verify_inclusion(
		&self,
		dataset: DatasetId,
		leaf: LeafIndex,
		item: ItemHash,
		label: Bytes,
		proof: Vec<H256>,
		at: Option<BlockHash>,
	) -> RpcResult<bool>;
}

/// A fixed-point number (`FixedU128`) as a decimal string with up to 18 decimals, trailing zeros
/// removed: `"1.2"`, `"4"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decimal(pub FixedU128);

impl Serialize for Decimal {
	fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
		let inner = self.0.into_inner();
		let int = inner / FixedU128::DIV;
		let frac = inner % FixedU128::DIV;
		if frac == 0 {
			return s.collect_str(&int);
		}
		let frac = format!("{frac:018}");
		s.collect_str(&format_args!("{int}.{}", frac.trim_end_matches('0')))
	}
}

/// A ratio (`Perbill`) as a decimal string: `"0.911161731"`, `"0.5"`, `"1"`, `"0"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ratio(pub Perbill);

impl Serialize for Ratio {
	fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
		let parts = self.0.deconstruct();
		if parts == Perbill::ACCURACY {
			return s.serialize_str("1");
		}
		if parts == 0 {
			return s.serialize_str("0");
		}
		let digits = format!("{parts:09}");
		s.collect_str(&format_args!("0.{}", digits.trim_end_matches('0')))
	}
}

/// An amount in plancks as a decimal string (a `u128` does not fit a JavaScript number).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Amount(pub Balance);

impl Serialize for Amount {
	fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
		s.collect_str(&self.0)
	}
}

/// `crowdlabel_labeler`: see [`LabelerInfo`].
#[derive(Serialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct LabelerView {
	/// Registration deposit held.
	pub deposit: Amount,
	/// Declared domains.
	pub declared: Vec<u32>,
	/// Standing per domain.
	pub domains: Vec<DomainStandingView>,
}

/// One domain of [`LabelerView`]: see [`DomainStanding`].
#[derive(Serialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct DomainStandingView {
	pub domain: u32,
	pub qualified: bool,
	pub retry_at: Option<BlockNumber>,
	pub weight: Decimal,
	pub voting_power: Ratio,
	pub error: Option<Decimal>,
	pub samples: u32,
	pub challenges: u32,
	pub challenges_failed: u32,
}

impl From<LabelerInfo<Balance, BlockNumber>> for LabelerView {
	fn from(i: LabelerInfo<Balance, BlockNumber>) -> Self {
		Self {
			deposit: Amount(i.deposit),
			declared: i.declared,
			domains: i.domains.into_iter().map(Into::into).collect(),
		}
	}
}

impl From<DomainStanding<BlockNumber>> for DomainStandingView {
	fn from(d: DomainStanding<BlockNumber>) -> Self {
		Self {
			domain: d.domain,
			qualified: d.qualified,
			retry_at: d.retry_at,
			weight: Decimal(d.weight),
			voting_power: Ratio(d.voting_power),
			error: d.error.map(Decimal),
			samples: d.samples,
			challenges: d.challenges,
			challenges_failed: d.challenges_failed,
		}
	}
}

/// A job's status by name: `"Open"`, `"Cancelled"` or `"Settled"`.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub enum StatusView {
	Open,
	Cancelled,
	Settled,
}

impl From<JobStatus> for StatusView {
	fn from(s: JobStatus) -> Self {
		match s {
			JobStatus::Open => Self::Open,
			JobStatus::Cancelled => Self::Cancelled,
			JobStatus::Settled => Self::Settled,
		}
	}
}

/// `crowdlabel_jobProgress`: see [`JobProgress`]. After settlement the job keeps its record
/// (status `Settled`, `budget` the escrow that was paid out, `dataset` once published).
#[derive(Serialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct JobProgressView {
	pub requester: AccountId,
	pub domain: u32,
	pub status: StatusView,
	pub items: u32,
	pub packages: u32,
	pub redundancy: u32,
	pub completed_packages: u32,
	pub labeled_items: u32,
	pub budget: Amount,
	pub fines: Amount,
	pub deadline: BlockNumber,
	pub dataset: Option<DatasetId>,
	pub package_progress: Vec<PackageProgressView>,
}

/// One package of [`JobProgressView`]: see [`PackageProgress`].
#[derive(Serialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct PackageProgressView {
	pub package: u32,
	pub takers: u32,
	pub committed: u32,
	pub revealed: u32,
	pub accepted: u32,
	pub complete: bool,
}

impl From<JobProgress<AccountId, Balance, BlockNumber>> for JobProgressView {
	fn from(p: JobProgress<AccountId, Balance, BlockNumber>) -> Self {
		Self {
			requester: p.requester,
			domain: p.domain,
			status: p.status.into(),
			items: p.items,
			packages: p.packages,
			redundancy: p.redundancy,
			completed_packages: p.completed_packages,
			labeled_items: p.labeled_items,
			budget: Amount(p.budget),
			fines: Amount(p.fines),
			deadline: p.deadline,
			dataset: p.dataset,
			package_progress: p.package_progress.into_iter().map(Into::into).collect(),
		}
	}
}

impl From<PackageProgress> for PackageProgressView {
	fn from(k: PackageProgress) -> Self {
		Self {
			package: k.package,
			takers: k.takers,
			committed: k.committed,
			revealed: k.revealed,
			accepted: k.accepted,
			complete: k.complete,
		}
	}
}

/// One box of a consensus label, pixel corners half-open (`x_min <= x < x_max`).
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct BoxView {
	pub x_min: u32,
	pub y_min: u32,
	pub x_max: u32,
	pub y_max: u32,
	pub class: u16,
}

/// A consensus label: `{"boxes": [...]}`, `{"class": 3}` or `{"score": "4.2"}` (a score of the
/// domain's range: 1-5 stars, a 0-100 rating, ...).
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum LabelView {
	Boxes(Vec<BoxView>),
	Class(u16),
	Score(Decimal),
}

impl From<&ConsensusLabel> for LabelView {
	fn from(label: &ConsensusLabel) -> Self {
		match label {
			ConsensusLabel::Boxes(boxes) => Self::Boxes(
				boxes
					.iter()
					.map(|b| BoxView {
						x_min: b.x_min,
						y_min: b.y_min,
						x_max: b.x_max,
						y_max: b.y_max,
						class: b.class,
					})
					.collect(),
			),
			ConsensusLabel::Class(c) => Self::Class(*c),
			ConsensusLabel::Score(s) => Self::Score(Decimal(*s)),
		}
	}
}

/// One item of `crowdlabel_jobResults`: see [`ItemConsensus`].
#[derive(Serialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct ItemResultView {
	pub index: u32,
	pub item: ItemHash,
	pub label: LabelView,
	pub agreement: Ratio,
}

impl From<ItemConsensus<ConsensusLabel>> for ItemResultView {
	fn from(c: ItemConsensus<ConsensusLabel>) -> Self {
		Self {
			index: c.index,
			item: c.item,
			label: (&c.label).into(),
			agreement: Ratio(c.agreement),
		}
	}
}

/// `crowdlabel_dataset`: see [`DatasetInfo`].
#[derive(Serialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct DatasetView {
	pub job: JobId,
	pub publisher: AccountId,
	pub root: H256,
	pub items: u32,
	pub price: Amount,
	pub listed: bool,
	pub sales: u32,
	pub certificate: CertificateView,
	pub quote: Amount,
	pub sellable: u32,
	pub excluded: Vec<u32>,
	pub purchase_deposit: Amount,
	pub deposit: Amount,
}

/// A dataset's quality certificate: see [`QualityCertificate`].
#[derive(Serialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct CertificateView {
	pub gold_accuracy: Option<Ratio>,
	pub gold_checked: u32,
	pub mean_agreement: Ratio,
	pub labelers: u32,
	pub redundancy: u32,
	pub challenge_share: Ratio,
}

impl From<QualityCertificate> for CertificateView {
	fn from(c: QualityCertificate) -> Self {
		Self {
			gold_accuracy: c.gold_accuracy.map(Ratio),
			gold_checked: c.gold_checked,
			mean_agreement: Ratio(c.mean_agreement),
			labelers: c.labelers,
			redundancy: c.redundancy,
			challenge_share: Ratio(c.challenge_share),
		}
	}
}

impl From<DatasetInfo<AccountId, Balance>> for DatasetView {
	fn from(d: DatasetInfo<AccountId, Balance>) -> Self {
		Self {
			job: d.job,
			publisher: d.publisher,
			root: d.root,
			items: d.items,
			price: Amount(d.price),
			listed: d.listed,
			sales: d.sales,
			certificate: d.certificate.into(),
			quote: Amount(d.quote),
			sellable: d.sellable,
			excluded: d.excluded,
			purchase_deposit: Amount(d.purchase_deposit),
			deposit: Amount(d.deposit),
		}
	}
}

/// `crowdlabel_ownerSales`: see [`OwnerReport`].
#[derive(Serialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct OwnerSalesView {
	pub unclaimed: Amount,
	/// The `from` of the next (older) page; `null` on the last page.
	pub next: Option<SaleId>,
	pub sales: Vec<SaleView>,
}

/// One sale of [`OwnerSalesView`]: see [`OwnerSaleInfo`].
#[derive(Serialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct SaleView {
	pub sale: SaleId,
	pub dataset: DatasetId,
	pub buyer: AccountId,
	pub at: BlockNumber,
	pub items: u32,
	pub amount: Amount,
}

impl From<OwnerReport<AccountId, Balance, BlockNumber>> for OwnerSalesView {
	fn from(r: OwnerReport<AccountId, Balance, BlockNumber>) -> Self {
		Self {
			unclaimed: Amount(r.unclaimed),
			next: r.next,
			sales: r.sales.into_iter().map(Into::into).collect(),
		}
	}
}

impl From<OwnerSaleInfo<AccountId, Balance, BlockNumber>> for SaleView {
	fn from(s: OwnerSaleInfo<AccountId, Balance, BlockNumber>) -> Self {
		Self {
			sale: s.sale,
			dataset: s.dataset,
			buyer: s.buyer,
			at: s.at,
			items: s.items,
			amount: Amount(s.amount),
		}
	}
}

/// `crowdlabel_inclusionProof`: see [`InclusionProof`].
#[derive(Serialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct InclusionProofView {
	pub root: H256,
	pub leaves: u32,
	pub leaf: LeafIndex,
	pub item: ItemHash,
	pub job_index: u32,
	/// The SCALE-encoded consensus label of the leaf.
	pub label: Bytes,
	pub proof: Vec<H256>,
}

impl From<InclusionProof> for InclusionProofView {
	fn from(p: InclusionProof) -> Self {
		Self {
			root: p.root,
			leaves: p.leaves,
			leaf: p.leaf,
			item: p.item,
			job_index: p.job_index,
			label: Bytes(p.label),
			proof: p.proof,
		}
	}
}

/// Implementation over a client with the runtime API.
pub struct CrowdLabel<C> {
	client: Arc<C>,
}

impl<C> CrowdLabel<C> {
	/// New handler.
	pub fn new(client: Arc<C>) -> Self {
		Self { client }
	}
}

fn api_error(e: impl std::fmt::Display) -> ErrorObjectOwned {
	ErrorObject::owned(9000, "runtime API call failed", Some(e.to_string()))
}

/// A requested page size, defaulting to and capped at `cap`.
fn page(max: Option<u32>, cap: u32) -> u32 {
	max.unwrap_or(cap).min(cap)
}

impl<C> CrowdLabel<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: CrowdLabelApi<Block, AccountId, Balance, BlockNumber, ConsensusLabel>,
{
	fn at(&self, at: Option<<Block as BlockT>::Hash>) -> <Block as BlockT>::Hash {
		at.unwrap_or_else(|| self.client.info().best_hash)
	}
}

impl<C> CrowdLabelRpcServer<<Block as BlockT>::Hash> for CrowdLabel<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: CrowdLabelApi<Block, AccountId, Balance, BlockNumber, ConsensusLabel>,
{
	fn labeler(&self, who: AccountId, at: Option<H256>) -> RpcResult<Option<LabelerView>> {
		let info = self.client.runtime_api().labeler(self.at(at), who).map_err(api_error)?;
		Ok(info.map(Into::into))
	}

	fn job_progress(&self, job: JobId, at: Option<H256>) -> RpcResult<Option<JobProgressView>> {
		let p = self.client.runtime_api().job_progress(self.at(at), job).map_err(api_error)?;
		Ok(p.map(Into::into))
	}

	fn job_results(
		&self,
		job: JobId,
		from: Option<u32>,
		max: Option<u32>,
		at: Option<H256>,
	) -> RpcResult<Vec<ItemResultView>> {
		let results = self
			.client
			.runtime_api()
			.job_results(self.at(at), job, from.unwrap_or(0), page(max, MAX_RESULTS))
			.map_err(api_error)?;
		Ok(results.into_iter().map(Into::into).collect())
	}

	fn dataset(&self, dataset: DatasetId, at: Option<H256>) -> RpcResult<Option<DatasetView>> {
		let d = self.client.runtime_api().dataset(self.at(at), dataset).map_err(api_error)?;
		Ok(d.map(Into::into))
	}

	fn owner_sales(
		&self,
		owner: AccountId,
		max: Option<u32>,
		at: Option<H256>,
		from: Option<SaleId>,
	) -> RpcResult<OwnerSalesView> {
		let report = self
			.client
			.runtime_api()
			.owner_sales(self.at(at), owner, from, page(max, MAX_PAGE))
			.map_err(api_error)?;
		Ok(report.into())
	}

	fn inclusion_proof(
		&self,
		dataset: DatasetId,
		leaf: LeafIndex,
		at: Option<H256>,
	) -> RpcResult<Option<InclusionProofView>> {
		let p = self
			.client
			.runtime_api()
			.inclusion_proof(self.at(at), dataset, leaf)
			.map_err(api_error)?;
		Ok(p.map(Into::into))
	}

	fn verify_inclusion(
		&self,
		dataset: DatasetId,
		leaf: LeafIndex,
		item: ItemHash,
		label: Bytes,
		proof: Vec<H256>,
		at: Option<H256>,
	) -> RpcResult<bool> {
		// The runtime refuses the same; checked here so oversized input never reaches it.
		if proof.len() > MAX_PROOF_LEN as usize || label.0.len() > ConsensusLabel::max_encoded_len()
		{
			return Ok(false);
		}
		self.client
			.runtime_api()
			.verify_inclusion(self.at(at), dataset, leaf, item, label.0, proof)
			.map_err(api_error)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crowdlabel_consensus::BoundingBox;
	use serde_json::{json, to_value};
	use sp_core::crypto::Ss58Codec;

	fn alice() -> AccountId {
		sp_keyring::Sr25519Keyring::Alice.to_account_id()
	}

	#[test]
	fn decimal_formats() {
		let d = |v| to_value(Decimal(v)).unwrap();
		assert_eq!(d(FixedU128::from_rational(12, 10)), json!("1.2"));
		assert_eq!(d(FixedU128::from_u32(4)), json!("4"));
		assert_eq!(d(FixedU128::from_inner(1)), json!("0.000000000000000001"));
		let r = |v| to_value(Ratio(v)).unwrap();
		assert_eq!(r(Perbill::from_parts(911_161_731)), json!("0.911161731"));
		assert_eq!(r(Perbill::from_percent(50)), json!("0.5"));
		assert_eq!(r(Perbill::one()), json!("1"));
		assert_eq!(r(Perbill::zero()), json!("0"));
		assert_eq!(to_value(Amount(u128::MAX)).unwrap(), json!(u128::MAX.to_string()));
	}

	#[test]
	fn labels_as_json() {
		let l = |c: &ConsensusLabel| to_value(LabelView::from(c)).unwrap();
		assert_eq!(l(&ConsensusLabel::Class(3)), json!({ "class": 3 }));
		assert_eq!(
			l(&ConsensusLabel::Score(FixedU128::from_rational(42, 10))),
			json!({ "score": "4.2" })
		);
		let b = BoundingBox { x_min: 1, y_min: 2, x_max: 30, y_max: 40, class: 1 };
		assert_eq!(
			l(&ConsensusLabel::Boxes(vec![b].try_into().unwrap())),
			json!({ "boxes": [{ "xMin": 1, "yMin": 2, "xMax": 30, "yMax": 40, "class": 1 }] })
		);
	}

	/// The JSON keys are the ones the RPC documented before it was typed (clients depend on
	/// them): camelCase, amounts as strings, accounts SS58, status by name.
	#[test]
	fn views_keep_the_documented_json() {
		let progress = JobProgress::<AccountId, Balance, BlockNumber> {
			requester: alice(),
			domain: 2,
			status: JobStatus::Settled,
			items: 4,
			packages: 2,
			redundancy: 3,
			completed_packages: 2,
			labeled_items: 4,
			budget: 10_000_000_000_000_000_000_000,
			fines: 0,
			deadline: 900,
			package_progress: vec![PackageProgress {
				package: 0,
				takers: 0,
				committed: 0,
				revealed: 0,
				accepted: 3,
				complete: true,
			}],
			dataset: Some(7),
		};
		assert_eq!(
			to_value(JobProgressView::from(progress)).unwrap(),
			json!({
				"requester": alice().to_ss58check(),
				"domain": 2,
				"status": "Settled",
				"items": 4,
				"packages": 2,
				"redundancy": 3,
				"completedPackages": 2,
				"labeledItems": 4,
				"budget": "10000000000000000000000",
				"fines": "0",
				"deadline": 900,
				"dataset": 7,
				"packageProgress": [{
					"package": 0, "takers": 0, "committed": 0, "revealed": 0, "accepted": 3,
					"complete": true,
				}],
			})
		);
		let report = OwnerReport::<AccountId, Balance, BlockNumber> {
			unclaimed: 5,
			sales: vec![OwnerSaleInfo {
				sale: 3,
				dataset: 1,
				buyer: alice(),
				at: 44,
				items: 2,
				amount: 5,
			}],
			next: None,
		};
		assert_eq!(
			to_value(OwnerSalesView::from(report)).unwrap(),
			json!({
				"unclaimed": "5",
				"next": null,
				"sales": [{
					"sale": 3, "dataset": 1, "buyer": alice().to_ss58check(), "at": 44,
					"items": 2, "amount": "5",
				}],
			})
		);
		let proof = InclusionProof {
			root: H256::repeat_byte(1),
			leaves: 2,
			leaf: 1,
			item: H256::repeat_byte(2),
			job_index: 5,
			label: vec![1, 3],
			proof: vec![H256::repeat_byte(3)],
		};
		let v = to_value(InclusionProofView::from(proof)).unwrap();
		assert_eq!(v["root"], json!(format!("0x{}", "01".repeat(32))));
		assert_eq!(v["jobIndex"], json!(5));
		assert_eq!(v["label"], json!("0x0103"));
		assert_eq!(v["proof"], json!([format!("0x{}", "03".repeat(32))]));
	}

	#[test]
	fn pages_are_capped() {
		assert_eq!(page(None, MAX_RESULTS), MAX_RESULTS);
		assert_eq!(page(Some(u32::MAX), MAX_RESULTS), MAX_RESULTS);
		assert_eq!(page(Some(5), MAX_PAGE), 5);
		assert_eq!(page(Some(1_000), MAX_PAGE), MAX_PAGE);
	}
}
