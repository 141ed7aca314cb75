//! Genesis presets. The node builds its `dev` and `local` chain specs from these (no JSON files
//! in the node).
//!
//! - `development`: one validator (Alice), the well-known dev accounts endowed, Alice is sudo
//!   (the only preset with a sudo key).
//! - Both presets are test networks: the faucet (`pallet_faucet`) is switched on and holds
//!   [`FAUCET_FUNDS`]. A production preset would leave it off and unfunded.
//! - `local_testnet`: four validators (Alice, Bob, Charlie, Dave) for the zombienet network, the
//!   same endowed accounts, **no sudo key**: curation and Root go through the council. Four, because GRANDPA finalizes with more than 2/3 of
//!   the voters: with three, one validator down stops finality; with four it continues.
//! - Both presets: the council is Alice, Bob and Charlie ([`council`]); 2/3 of it (two members)
//!   curates and spends from the treasury, 3/4 (all three) acts as Root.

use crate::{
	AccountId, Balance, BalancesConfig, CouncilMembershipConfig, FaucetConfig,
	RuntimeGenesisConfig, SudoConfig, CROL,
};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// Balance given to every endowed dev account: one million CROL.
pub const ENDOWMENT: Balance = 1_000_000 * CROL;
/// What the faucet of the test presets can pay out: 100,000 CROL (5,000 drips).
pub const FAUCET_FUNDS: Balance = 100_000 * CROL;

/// The council of the test presets: Alice, Bob and Charlie.
pub fn council() -> Vec<AccountId> {
	[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie]
		.iter()
		.map(|k| k.to_account_id())
		.collect()
}

fn testnet_genesis(
	initial_authorities: Vec<(AuraId, GrandpaId)>,
	endowed_accounts: Vec<AccountId>,
	root: Option<AccountId>,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed_accounts
				.iter()
				.cloned()
				.map(|k| (k, ENDOWMENT))
				.chain(core::iter::once((crate::configs::TreasuryAccount::get(), CROL)))
				.chain(core::iter::once((crate::Faucet::account_id(), FAUCET_FUNDS)))
				.collect::<Vec<_>>(),
		},
		faucet: FaucetConfig { enabled: true, ..Default::default() },
		aura: pallet_aura::GenesisConfig {
			authorities: initial_authorities.iter().map(|x| x.0.clone()).collect::<Vec<_>>(),
		},
		grandpa: pallet_grandpa::GenesisConfig {
			authorities: initial_authorities.iter().map(|x| (x.1.clone(), 1)).collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: root },
		council_membership: CouncilMembershipConfig {
			members: frame_support::BoundedVec::truncate_from(council()),
			..Default::default()
		},
	})
}

/// The well-known dev accounts (Alice .. Ferdie and their stashes).
fn dev_accounts() -> Vec<AccountId> {
	Sr25519Keyring::iter()
		.filter(|k| k != &Sr25519Keyring::One && k != &Sr25519Keyring::Two)
		.map(|k| k.to_account_id())
		.collect()
}

fn authority(key: Sr25519Keyring, ed: Ed25519Keyring) -> (AuraId, GrandpaId) {
	(key.public().into(), ed.public().into())
}

/// Genesis of the single-validator `dev` chain.
pub fn development_config_genesis() -> Value {
	testnet_genesis(
		vec![authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		dev_accounts(),
		Some(Sr25519Keyring::Alice.to_account_id()),
	)
}

/// Genesis of the four-validator `local` chain (Alice, Bob, Charlie, Dave).
pub fn local_config_genesis() -> Value {
	testnet_genesis(
		vec![
			authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			authority(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			authority(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
			authority(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
		],
		dev_accounts(),
		None,
	)
}

/// The JSON patch of a named preset.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		_ => return None,
	};
	serde_json::to_string(&patch).ok().map(|s| s.into_bytes())
}

/// The names of all presets.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]
}
