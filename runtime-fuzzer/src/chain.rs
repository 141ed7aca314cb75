//! The chain under test: genesis from the runtime's `development` preset plus fuzzing accounts,
//! block production as a block author does it (Aura pre-digest, timestamp inherent,
//! `Executive::initialize_block` / `apply_extrinsic` / `finalize_block`), and properly signed
//! extrinsics, so every signed call passes the runtime's transaction extensions (nonce, weight,
//! fee) like a real one.

use codec::Encode;
use crowdlabel_runtime::{
	AccountId, Balance, BlockNumber, Executive, Hash, Header, Nonce, Runtime, RuntimeCall,
	RuntimeEvent, RuntimeGenesisConfig, SignedPayload, TxExtension, UncheckedExtrinsic, CROL,
	SLOT_DURATION,
};
use frame_system::EventRecord;
use sp_consensus_aura::{Slot, AURA_ENGINE_ID};
use sp_core::{sr25519, Pair};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
	generic::Era,
	traits::{Header as HeaderT, IdentifyAccount},
	ApplyExtrinsicResult, BuildStorage, Digest, DigestItem, MultiAddress, MultiSignature,
	MultiSigner, Storage,
};

/// An account the fuzzer signs for.
pub struct Account {
	/// Short name for reports.
	pub name: String,
	/// Signing key.
	pub pair: sr25519::Pair,
	/// Account id.
	pub id: AccountId,
	/// How often (percent) the account's labels match the truth.
	pub skill: u64,
}

/// Balance of derived account `i` at genesis (`0` = not endowed).
fn derived_endowment(i: usize) -> Balance {
	match i {
		0..=9 => 100_000 * CROL,
		10..=15 => 200 * CROL,
		16..=19 => 30 * CROL,
		_ => 0,
	}
}

/// Number of derived accounts (beyond the well-known dev accounts).
const DERIVED: usize = 22;

/// The fuzzing accounts: Alice (sudo, index 0) and the other well-known dev accounts endowed by
/// the `development` preset, `One` and `Two` (not endowed), and derived accounts with large,
/// small, tiny and no balances.
pub fn accounts() -> Vec<Account> {
	use Sr25519Keyring::*;
	let dev = [
		Alice,
		Bob,
		Charlie,
		Dave,
		Eve,
		Ferdie,
		AliceStash,
		BobStash,
		CharlieStash,
		DaveStash,
		EveStash,
		FerdieStash,
		One,
		Two,
	];
	let mut out: Vec<Account> = dev
		.iter()
		.enumerate()
		.map(|(i, k)| Account {
			name: format!("{k:?}"),
			pair: k.pair(),
			id: k.to_account_id(),
			skill: 70 + (i as u64 * 7) % 30,
		})
		.collect();
	for i in 0..DERIVED {
		let seed = sp_io::hashing::blake2_256(format!("crowdlabel-fuzz/{i}").as_bytes());
		let pair = sr25519::Pair::from_seed(&seed);
		let id = MultiSigner::from(pair.public()).into_account();
		out.push(Account { name: format!("fuzz{i}"), pair, id, skill: 60 + (i as u64 * 11) % 40 });
	}
	out
}

/// Merges JSON `patch` into `base` (objects key by key, everything else replaced), as the node
/// does with a genesis preset.
fn json_merge(base: &mut serde_json::Value, patch: serde_json::Value) {
	match (base, patch) {
		(serde_json::Value::Object(b), serde_json::Value::Object(p)) => {
			for (k, v) in p {
				json_merge(b.entry(k).or_insert(serde_json::Value::Null), v);
			}
		},
		(b, p) => *b = p,
	}
}

/// Genesis storage: the runtime's `development` preset (Alice sudo and validator, dev accounts
/// endowed) plus the derived fuzzing accounts.
pub fn genesis_storage(accounts: &[Account]) -> Storage {
	let patch = crowdlabel_runtime::genesis_config_presets::development_config_genesis();
	let mut full =
		serde_json::to_value(RuntimeGenesisConfig::default()).expect("default genesis to JSON");
	json_merge(&mut full, patch);
	let mut config: RuntimeGenesisConfig =
		serde_json::from_value(full).expect("the development preset is a valid genesis config");
	let endowed: Vec<AccountId> = config.balances.balances.iter().map(|(a, _)| a.clone()).collect();
	let derived = accounts.iter().filter(|a| a.name.starts_with("fuzz"));
	for (i, a) in derived.enumerate() {
		let amount = derived_endowment(i);
		if amount > 0 && !endowed.contains(&a.id) {
			config.balances.balances.push((a.id.clone(), amount));
		}
	}
	config.build_storage().expect("genesis builds")
}

/// The transaction extensions of a signed extrinsic, as a wallet builds them.
pub fn tx_extension(nonce: Nonce, tip: Balance) -> TxExtension {
	(
		frame_system::AuthorizeCall::<Runtime>::new(),
		frame_system::CheckNonZeroSender::<Runtime>::new(),
		frame_system::CheckSpecVersion::<Runtime>::new(),
		frame_system::CheckTxVersion::<Runtime>::new(),
		frame_system::CheckGenesis::<Runtime>::new(),
		frame_system::CheckEra::<Runtime>::from(Era::Immortal),
		frame_system::CheckNonce::<Runtime>::from(nonce),
		frame_system::CheckWeight::<Runtime>::new(),
		pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(tip),
		frame_metadata_hash_extension::CheckMetadataHash::<Runtime>::new(false),
		frame_system::WeightReclaim::<Runtime>::new(),
	)
}

/// A signed extrinsic of `call` by `signer` with the account's current nonce (must run inside
/// the externalities: the implicit data reads the genesis hash).
pub fn signed_extrinsic(signer: &Account, call: RuntimeCall, tip: Balance) -> UncheckedExtrinsic {
	let nonce = frame_system::Pallet::<Runtime>::account_nonce(&signer.id);
	let extension = tx_extension(nonce, tip);
	let payload =
		SignedPayload::new(call.clone(), extension.clone()).expect("implicit data is available");
	let signature = payload.using_encoded(|p| signer.pair.sign(p));
	UncheckedExtrinsic::new_signed(
		call,
		MultiAddress::Id(signer.id.clone()),
		MultiSignature::Sr25519(signature),
		extension,
	)
}

/// The chain's state and the parent hash of the next block.
pub struct Chain {
	/// The state.
	pub ext: sp_io::TestExternalities,
	parent: Hash,
	seed: u64,
}

impl Chain {
	/// A chain at genesis. `seed` makes block hashes (the runtime's randomness) reproducible.
	pub fn new(storage: Storage, seed: u64) -> Self {
		let mut ext = sp_io::TestExternalities::new(storage);
		let parent = ext.execute_with(|| frame_system::Pallet::<Runtime>::block_hash(0));
		Self { ext, parent, seed }
	}

	/// Runs `f` in the chain's state.
	pub fn execute_with<R>(&mut self, f: impl FnOnce() -> R) -> R {
		self.ext.execute_with(f)
	}

	/// Parent hash of the next block.
	pub fn parent(&self) -> Hash {
		self.parent
	}

	/// After block `number`: the next block's parent hash. Derived from the seed and the
	/// number, not from the header: signatures are randomized, and the runtime's randomness
	/// (the parent hash) must replay exactly.
	pub fn next_parent(&mut self, number: BlockNumber) {
		self.parent = Hash::from(sp_io::hashing::blake2_256(
			&(b"crowdlabel-fuzz/parent", self.seed, number).encode(),
		));
	}

	/// Opens block `number` as an Aura author does: pre-digest with the slot, `on_initialize`,
	/// the timestamp inherent. Runs inside the externalities. A jump over several block numbers
	/// skips the empty blocks between (none of the runtime's pallets acts in an empty block
	/// other than by the clock, which the jump advances).
	pub fn start_block(number: BlockNumber, parent: Hash) -> Result<(), String> {
		frame_system::Pallet::<Runtime>::set_block_number(number.saturating_sub(1));
		let digest = Digest {
			logs: vec![DigestItem::PreRuntime(AURA_ENGINE_ID, Slot::from(number as u64).encode())],
		};
		let header = Header::new(number, Default::default(), Default::default(), parent, digest);
		Executive::initialize_block(&header);
		let now = number as u64 * SLOT_DURATION;
		let inherent =
			UncheckedExtrinsic::new_bare(RuntimeCall::Timestamp(pallet_timestamp::Call::set {
				now,
			}));
		match Executive::apply_extrinsic(inherent) {
			Ok(Ok(())) => Ok(()),
			other => Err(format!("timestamp inherent failed: {other:?}")),
		}
	}

	/// Closes the current block: `on_idle`, `on_finalize`, state root. Runs inside the
	/// externalities.
	pub fn finish_block() -> Header {
		Executive::finalize_block()
	}

	/// Applies an extrinsic (inside the externalities).
	pub fn apply(xt: UncheckedExtrinsic) -> ApplyExtrinsicResult {
		Executive::apply_extrinsic(xt)
	}
}

/// Events of the current block from index `from` on.
pub fn events_since(from: usize) -> Vec<EventRecord<RuntimeEvent, Hash>> {
	frame_system::Pallet::<Runtime>::read_events_no_consensus()
		.skip(from)
		.map(|e| *e)
		.collect()
}

/// Number of events deposited in the current block so far.
pub fn event_count() -> usize {
	frame_system::Pallet::<Runtime>::event_count() as usize
}
