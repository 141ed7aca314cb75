//! `crowdlabel_*` JSON-RPC methods: the [`CrowdLabelApi`] runtime API as JSON.
//!
//! Amounts are strings of plancks (1 CROL = 10^12), fixed-point values (weights, errors, star
//! scores) and ratios (`Perbill`) are decimal strings, hashes are `0x` hex, accounts SS58. Every
//! method takes an optional block hash as its last parameter (default: the best block), except
//! `crowdlabel_ownerSales`, whose paging cursor `from` came later and follows `at` so that
//! existing callers keep working.

use std::sync::Arc;

use crowdlabel_runtime::{opaque::Block, AccountId, Balance, BlockNumber, ConsensusLabel};
use crowdlabel_runtime_api::{CrowdLabelApi, MAX_PAGE, MAX_PROOF_LEN};
use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{error::ErrorObject, ErrorObjectOwned},
};
use serde_json::{json, Value};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::{Bytes, H256};
use sp_runtime::{
	codec::MaxEncodedLen, traits::Block as BlockT, FixedPointNumber, FixedU128, PerThing, Perbill,
};

/// The `crowdlabel_*` methods.
#[rpc(server)]
pub trait CrowdLabelRpc<BlockHash> {
	/// A labeler's deposit, declared domains, and per domain: qualified, weight `a`, error `x`.
	#[method(name = "crowdlabel_labeler")]
	fn labeler(&self, who: AccountId, at: Option<BlockHash>) -> RpcResult<Option<Value>>;

	/// A job's status and per-package progress.
	#[method(name = "crowdlabel_jobProgress")]
	fn job_progress(&self, job: u32, at: Option<BlockHash>) -> RpcResult<Option<Value>>;

	/// Consensus labels of a job's items `[from, from + max)` (defaults 0 and 1000).
	#[method(name = "crowdlabel_jobResults")]
	fn job_results(
		&self,
		job: u32,
		from: Option<u32>,
		max: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<Value>>;

	/// A dataset with its quality certificate and the price a purchase costs now.
	#[method(name = "crowdlabel_dataset")]
	fn dataset(&self, dataset: u32, at: Option<BlockHash>) -> RpcResult<Option<Value>>;

	/// An owner's unclaimed payouts and one page of the sales of their data, newest first:
	/// at most `max` (default and cap 100) sales starting at sale `from` (default: the newest;
	/// pass the previous page's `next` for the next page).
	#[method(name = "crowdlabel_ownerSales")]
	fn owner_sales(
		&self,
		owner: AccountId,
		max: Option<u32>,
		at: Option<BlockHash>,
		from: Option<u32>,
	) -> RpcResult<Value>;

	/// The Merkle inclusion proof of a dataset leaf.
	#[method(name = "crowdlabel_inclusionProof")]
	fn inclusion_proof(
		&self,
		dataset: u32,
		leaf: u32,
		at: Option<BlockHash>,
	) -> RpcResult<Option<Value>>;

	/// Whether `(item, SCALE-encoded label)` is leaf `leaf` of the dataset, given the proof (at
	/// most 64 hashes; a longer proof or a label longer than the largest consensus label is
	/// `false`).
	#[method(name = "crowdlabel_verifyInclusion")]
	fn verify_inclusion(
		&self,
		dataset: u32,
		leaf: u32,
		item: H256,
		label: Bytes,
		proof: Vec<H256>,
		at: Option<BlockHash>,
	) -> RpcResult<bool>;
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

/// `FixedU128` as a decimal string with up to 18 decimals, trailing zeros removed.
pub fn fixed(v: FixedU128) -> String {
	let inner = v.into_inner();
	let int = inner / FixedU128::DIV;
	let frac = inner % FixedU128::DIV;
	if frac == 0 {
		return int.to_string();
	}
	let frac = format!("{frac:018}");
	format!("{int}.{}", frac.trim_end_matches('0'))
}

/// `Perbill` as a decimal string (`"0.911161731"`).
pub fn ratio(p: Perbill) -> String {
	let parts = p.deconstruct();
	if parts == Perbill::ACCURACY {
		return "1".into();
	}
	let s = format!("0.{parts:09}");
	let t = s.trim_end_matches('0');
	if t == "0." {
		"0".into()
	} else {
		t.into()
	}
}

fn balance(b: Balance) -> String {
	b.to_string()
}

/// A consensus label as JSON.
pub fn label_json(label: &ConsensusLabel) -> Value {
	match label {
		ConsensusLabel::Boxes(boxes) => json!({
			"boxes": boxes.iter().map(|b| json!({
				"xMin": b.x_min, "yMin": b.y_min, "xMax": b.x_max, "yMax": b.y_max, "class": b.class,
			})).collect::<Vec<_>>()
		}),
		ConsensusLabel::Class(c) => json!({ "class": c }),
		ConsensusLabel::Stars(s) => json!({ "stars": fixed(*s) }),
	}
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
	fn labeler(&self, who: AccountId, at: Option<H256>) -> RpcResult<Option<Value>> {
		let info = self.client.runtime_api().labeler(self.at(at), who).map_err(api_error)?;
		Ok(info.map(|i| {
			json!({
				"deposit": balance(i.deposit),
				"declared": i.declared,
				"domains": i.domains.iter().map(|d| json!({
					"domain": d.domain,
					"qualified": d.qualified,
					"retryAt": d.retry_at,
					"weight": fixed(d.weight),
					"error": d.error.map(fixed),
					"samples": d.samples,
					"challenges": d.challenges,
					"challengesFailed": d.challenges_failed,
				})).collect::<Vec<_>>(),
			})
		}))
	}

	fn job_progress(&self, job: u32, at: Option<H256>) -> RpcResult<Option<Value>> {
		let p = self.client.runtime_api().job_progress(self.at(at), job).map_err(api_error)?;
		Ok(p.map(|p| {
			json!({
				"requester": p.requester.to_string(),
				"domain": p.domain,
				"status": format!("{:?}", p.status),
				"items": p.items,
				"packages": p.packages,
				"redundancy": p.redundancy,
				"completedPackages": p.completed_packages,
				"labeledItems": p.labeled_items,
				"budget": balance(p.budget),
				"fines": balance(p.fines),
				"deadline": p.deadline,
				"dataset": p.dataset,
				"packageProgress": p.package_progress.iter().map(|k| json!({
					"package": k.package,
					"takers": k.takers,
					"committed": k.committed,
					"revealed": k.revealed,
					"accepted": k.accepted,
					"complete": k.complete,
				})).collect::<Vec<_>>(),
			})
		}))
	}

	fn job_results(
		&self,
		job: u32,
		from: Option<u32>,
		max: Option<u32>,
		at: Option<H256>,
	) -> RpcResult<Vec<Value>> {
		let r = self
			.client
			.runtime_api()
			.job_results(self.at(at), job, from.unwrap_or(0), max.unwrap_or(1000))
			.map_err(api_error)?;
		Ok(r.iter()
			.map(|c| {
				json!({
					"index": c.index,
					"item": format!("{:?}", c.item),
					"label": label_json(&c.label),
					"agreement": ratio(c.agreement),
				})
			})
			.collect())
	}

	fn dataset(&self, dataset: u32, at: Option<H256>) -> RpcResult<Option<Value>> {
		let d = self.client.runtime_api().dataset(self.at(at), dataset).map_err(api_error)?;
		Ok(d.map(|d| {
			json!({
				"job": d.job,
				"publisher": d.publisher.to_string(),
				"root": format!("{:?}", d.root),
				"items": d.items,
				"price": balance(d.price),
				"listed": d.listed,
				"sales": d.sales,
				"certificate": {
					"goldAccuracy": d.certificate.gold_accuracy.map(ratio),
					"goldChecked": d.certificate.gold_checked,
					"meanAgreement": ratio(d.certificate.mean_agreement),
					"labelers": d.certificate.labelers,
					"redundancy": d.certificate.redundancy,
					"challengeShare": ratio(d.certificate.challenge_share),
				},
				"quote": balance(d.quote),
				"sellable": d.sellable,
				"excluded": d.excluded,
				"purchaseDeposit": balance(d.purchase_deposit),
				"deposit": balance(d.deposit),
			})
		}))
	}

	fn owner_sales(
		&self,
		owner: AccountId,
		max: Option<u32>,
		at: Option<H256>,
		from: Option<u32>,
	) -> RpcResult<Value> {
		let r = self
			.client
			.runtime_api()
			.owner_sales(self.at(at), owner, from, max.unwrap_or(MAX_PAGE).min(MAX_PAGE))
			.map_err(api_error)?;
		Ok(json!({
			"unclaimed": balance(r.unclaimed),
			"next": r.next,
			"sales": r.sales.iter().map(|s| json!({
				"sale": s.sale,
				"dataset": s.dataset,
				"buyer": s.buyer.to_string(),
				"at": s.at,
				"items": s.items,
				"amount": balance(s.amount),
			})).collect::<Vec<_>>(),
		}))
	}

	fn inclusion_proof(
		&self,
		dataset: u32,
		leaf: u32,
		at: Option<H256>,
	) -> RpcResult<Option<Value>> {
		let p = self
			.client
			.runtime_api()
			.inclusion_proof(self.at(at), dataset, leaf)
			.map_err(api_error)?;
		Ok(p.map(|p| {
			json!({
				"root": format!("{:?}", p.root),
				"leaves": p.leaves,
				"leaf": p.leaf,
				"item": format!("{:?}", p.item),
				"jobIndex": p.job_index,
				"label": Bytes(p.label),
				"proof": p.proof.iter().map(|h| format!("{h:?}")).collect::<Vec<_>>(),
			})
		}))
	}

	fn verify_inclusion(
		&self,
		dataset: u32,
		leaf: u32,
		item: H256,
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

	#[test]
	fn decimal_formats() {
		assert_eq!(fixed(FixedU128::from_rational(12, 10)), "1.2");
		assert_eq!(fixed(FixedU128::from_u32(4)), "4");
		assert_eq!(fixed(FixedU128::from_inner(1)), "0.000000000000000001");
		assert_eq!(ratio(Perbill::from_parts(911_161_731)), "0.911161731");
		assert_eq!(ratio(Perbill::from_percent(50)), "0.5");
		assert_eq!(ratio(Perbill::one()), "1");
		assert_eq!(ratio(Perbill::zero()), "0");
	}

	#[test]
	fn labels_as_json() {
		assert_eq!(label_json(&ConsensusLabel::Class(3)), json!({ "class": 3 }));
		assert_eq!(
			label_json(&ConsensusLabel::Stars(FixedU128::from_rational(42, 10))),
			json!({ "stars": "4.2" })
		);
	}
}
