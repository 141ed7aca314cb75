//! The node's JSON-RPC extensions on top of the standard Substrate methods: account nonces
//! (`system_accountNextIndex`), fee queries (`payment_queryInfo`, `payment_queryFeeDetails`) and
//! the CrowdLabel queries (`crowdlabel_*`, see [`crate::crowdlabel_rpc`]).

use std::sync::Arc;

use crowdlabel_runtime::{opaque::Block, AccountId, Balance, BlockNumber, ConsensusLabel, Nonce};
use jsonrpsee::RpcModule;
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};

/// What the RPC extensions need from the node.
pub struct FullDeps<C, P> {
	/// The client instance to use.
	pub client: Arc<C>,
	/// Transaction pool instance.
	pub pool: Arc<P>,
}

/// Builds the RPC module with all extensions.
pub fn create_full<C, P>(
	deps: FullDeps<C, P>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>,
	C: HeaderBackend<Block> + HeaderMetadata<Block, Error = BlockChainError> + 'static,
	C: Send + Sync + 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>,
	C::Api: pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>,
	C::Api: BlockBuilder<Block>,
	C::Api: crowdlabel_runtime_api::CrowdLabelApi<
		Block,
		AccountId,
		Balance,
		BlockNumber,
		ConsensusLabel,
	>,
	P: TransactionPool + 'static,
{
	use crate::crowdlabel_rpc::{CrowdLabel, CrowdLabelRpcServer};
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let mut module = RpcModule::new(());
	let FullDeps { client, pool } = deps;

	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	module.merge(CrowdLabel::new(client).into_rpc())?;

	Ok(module)
}
