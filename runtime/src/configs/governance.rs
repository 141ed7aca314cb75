//! Governance: the council (`pallet_collective` + `pallet_membership`), the treasury
//! (`pallet_treasury`) and Root through the council (`pallet_root_dispatch`).
//!
//! | Act | Origin |
//! |---|---|
//! | Curation: domains, gold, challenge reveals, revocations, slash floors, faucet switch, treasury-funded jobs | Root **or** 2/3 of the council ([`CuratorOrigin`]) |
//! | Council membership (add, remove, swap, reset, prime) | Root or 2/3 of the council |
//! | Treasury spends (up to [`MaxCouncilSpend`] per motion), rejecting proposals | Root or 2/3 of the council |
//! | Root (runtime upgrade, storage repair, forced balance changes) | sudo (only the `dev` preset has a key) or 3/4 of the council ([`CouncilRootOrigin`]) |
//!
//! On a 3-member council, 2/3 is two members and 3/4 is all three.

use frame_support::{
	parameter_types,
	traits::{
		tokens::{PayFromAccount, UnityAssetBalanceConversion},
		ConstU32, EitherOf, EitherOfDiverse,
	},
	weights::Weight,
};
use frame_system::{EnsureRoot, EnsureRootWithSuccess, EnsureWithSuccess};
use sp_runtime::{traits::IdentityLookup, Permill};

use super::{RuntimeBlockWeights, TreasuryAccount, TreasuryPalletId};
use crate::{
	AccountId, Balance, Balances, BlockNumber, Council, Runtime, RuntimeCall, RuntimeEvent,
	RuntimeOrigin, System, CROL, DAYS,
};

/// The council's instance of `pallet_collective` / `pallet_membership`.
pub type CouncilInstance = pallet_collective::Instance1;

/// At least two thirds of the council (a motion that reached that threshold).
pub type CouncilTwoThirds =
	pallet_collective::EnsureProportionAtLeast<AccountId, CouncilInstance, 2, 3>;

/// At least three quarters of the council.
pub type CouncilThreeQuarters =
	pallet_collective::EnsureProportionAtLeast<AccountId, CouncilInstance, 3, 4>;

/// Curator acts: Root (sudo on the dev chain) or two thirds of the council.
pub type CuratorOrigin = EitherOfDiverse<EnsureRoot<AccountId>, CouncilTwoThirds>;

/// Who may act as Root through [`pallet_root_dispatch`]: three quarters of the council.
pub type CouncilRootOrigin = CouncilThreeQuarters;

parameter_types! {
	/// A motion not closed within 3 days can be closed as disapproved (absent members count as
	/// the prime member's vote).
	pub const CouncilMotionDuration: BlockNumber = 3 * DAYS;
	/// A motion may use at most half a block.
	pub MaxProposalWeight: Weight =
		RuntimeBlockWeights::get().max_block.saturating_mul(50) / 100;
	/// Most the council can spend from the treasury in one motion.
	pub const MaxCouncilSpend: Balance = 100_000 * CROL;
	/// Root may spend anything.
	pub const MaxRootSpend: Balance = Balance::MAX;
	/// How often approved `spend_local` proposals are paid (the council uses `spend` + `payout`,
	/// payable at once).
	pub const SpendPeriod: BlockNumber = DAYS;
	/// An approved spend must be paid out within 30 days.
	pub const PayoutPeriod: BlockNumber = 30 * DAYS;
	/// Nothing of the treasury is burnt.
	pub const Burn: Permill = Permill::zero();
}

/// At most 13 council members.
pub type CouncilMaxMembers = ConstU32<13>;

impl pallet_collective::Config<CouncilInstance> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = CouncilMotionDuration;
	type MaxProposals = ConstU32<32>;
	type MaxMembers = CouncilMaxMembers;
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = crate::weights::pallet_collective::WeightInfo<Runtime>;
	// Members are managed by `pallet_membership` (which calls `change_members`).
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = MaxProposalWeight;
	type DisapproveOrigin = EnsureRoot<AccountId>;
	type KillOrigin = EnsureRoot<AccountId>;
	// Only members propose and at most `MaxProposals` motions are open: no deposit needed.
	type Consideration = ();
}

impl pallet_membership::Config<pallet_membership::Instance1> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AddOrigin = CuratorOrigin;
	type RemoveOrigin = CuratorOrigin;
	type SwapOrigin = CuratorOrigin;
	type ResetOrigin = CuratorOrigin;
	type PrimeOrigin = CuratorOrigin;
	type MembershipInitialized = Council;
	type MembershipChanged = Council;
	type MaxMembers = CouncilMaxMembers;
	type WeightInfo = crate::weights::pallet_membership::WeightInfo<Runtime>;
}

impl pallet_treasury::Config for Runtime {
	type Currency = Balances;
	type RejectOrigin = CuratorOrigin;
	type RuntimeEvent = RuntimeEvent;
	type SpendPeriod = SpendPeriod;
	type Burn = Burn;
	// The account every CrowdLabel pallet already pays reserve, fees and fines into.
	type PalletId = TreasuryPalletId;
	type BurnDestination = ();
	type WeightInfo = crate::weights::pallet_treasury::WeightInfo<Runtime>;
	type SpendFunds = ();
	type MaxApprovals = ConstU32<32>;
	type SpendOrigin = EitherOf<
		EnsureRootWithSuccess<AccountId, MaxRootSpend>,
		EnsureWithSuccess<CouncilTwoThirds, AccountId, MaxCouncilSpend>,
	>;
	type AssetKind = ();
	type Beneficiary = AccountId;
	type BeneficiaryLookup = IdentityLookup<AccountId>;
	type Paymaster = PayFromAccount<Balances, TreasuryAccount>;
	type BalanceConverter = UnityAssetBalanceConversion;
	type PayoutPeriod = PayoutPeriod;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TreasuryBenchmarkHelper;
	type BlockNumberProvider = System;
}

/// Treasury benchmark arguments: beneficiaries that already exist, so that the benchmarks' small
/// payouts (below the existential deposit) can land.
#[cfg(feature = "runtime-benchmarks")]
pub struct TreasuryBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_treasury::ArgumentsFactory<(), AccountId> for TreasuryBenchmarkHelper {
	fn create_asset_kind(_seed: u32) {}
	fn create_beneficiary(seed: [u8; 32]) -> AccountId {
		let who = AccountId::from(seed);
		let _ = <Balances as frame_support::traits::fungible::Mutate<AccountId>>::mint_into(
			&who,
			crate::EXISTENTIAL_DEPOSIT,
		);
		who
	}
}

impl pallet_root_dispatch::Config for Runtime {
	type RuntimeCall = RuntimeCall;
	type DispatchOrigin = CouncilRootOrigin;
	type WeightInfo = pallet_root_dispatch::weights::SubstrateWeight<Runtime>;
}

#[cfg(test)]
mod tests {
	//! The council, treasury and Root-through-the-council on the `local_testnet` preset (no sudo
	//! key): motions pass with the right majorities and fail without them.
	use crate::{
		genesis_config_presets::{council, local_config_genesis},
		AccountId, Balances, Council, CouncilMembership, Faucet, Runtime, RuntimeCall,
		RuntimeEvent, RuntimeGenesisConfig, RuntimeOrigin, Sudo, System, Treasury, CROL,
	};
	use codec::Encode;
	use frame_support::{
		assert_noop, assert_ok, dispatch::GetDispatchInfo, traits::fungible::Inspect,
	};
	use sp_keyring::Sr25519Keyring;
	use sp_runtime::{
		traits::{BlakeTwo256, Hash},
		BuildStorage, DispatchError, DispatchResult,
	};

	fn merge(base: &mut serde_json::Value, patch: serde_json::Value) {
		match (base, patch) {
			(serde_json::Value::Object(b), serde_json::Value::Object(p)) => {
				for (k, v) in p {
					merge(b.entry(k).or_insert(serde_json::Value::Null), v);
				}
			},
			(b, p) => *b = p,
		}
	}

	/// The state of a fresh `local_testnet` chain at block 1.
	fn local_chain() -> sp_io::TestExternalities {
		let mut full = serde_json::to_value(RuntimeGenesisConfig::default()).expect("to JSON");
		merge(&mut full, local_config_genesis());
		let config: RuntimeGenesisConfig = serde_json::from_value(full).expect("valid preset");
		let mut ext: sp_io::TestExternalities = config.build_storage().expect("builds").into();
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	fn signed(k: Sr25519Keyring) -> RuntimeOrigin {
		RuntimeOrigin::signed(k.to_account_id())
	}

	/// `ayes` propose `call` with a threshold of `ayes.len()`, vote for it, and the first closes
	/// it; returns the executed motion's result (`Err` if it was not executed).
	fn motion(call: RuntimeCall, ayes: &[Sr25519Keyring]) -> DispatchResult {
		let len = call.encoded_size() as u32;
		let weight = call.get_dispatch_info().call_weight;
		let hash = BlakeTwo256::hash_of(&call);
		let index = pallet_collective::ProposalCount::<Runtime, super::CouncilInstance>::get();
		Council::propose(signed(ayes[0]), ayes.len() as u32, Box::new(call), len)
			.map_err(|e| e.error)?;
		for who in ayes {
			Council::vote(signed(*who), hash, index, true).map_err(|e| e.error)?;
		}
		Council::close(signed(ayes[0]), hash, index, weight, len).map_err(|e| e.error)?;
		System::events()
			.into_iter()
			.rev()
			.find_map(|r| match r.event {
				RuntimeEvent::Council(pallet_collective::Event::Executed { result, .. }) => {
					Some(result)
				},
				_ => None,
			})
			.unwrap_or(Err(DispatchError::Other("the motion was not executed")))
	}

	fn disable_faucet() -> RuntimeCall {
		RuntimeCall::Faucet(pallet_faucet::Call::set_enabled { enabled: false })
	}

	#[test]
	fn the_local_preset_has_a_council_and_no_sudo_key() {
		local_chain().execute_with(|| {
			assert_eq!(pallet_sudo::Key::<Runtime>::get(), None);
			// both pallets keep the members sorted
			let mut expected = council();
			expected.sort();
			let members: Vec<AccountId> =
				pallet_collective::Members::<Runtime, super::CouncilInstance>::get();
			assert_eq!(members, expected);
			assert_eq!(
				pallet_membership::Members::<Runtime, pallet_membership::Instance1>::get()
					.into_inner(),
				expected
			);
			// nobody can use sudo
			assert!(Sudo::sudo(signed(Sr25519Keyring::Alice), Box::new(disable_faucet())).is_err());
		});
	}

	#[test]
	fn two_thirds_of_the_council_curate_one_member_cannot() {
		local_chain().execute_with(|| {
			use Sr25519Keyring::*;
			assert!(pallet_faucet::Enabled::<Runtime>::get());
			// one member alone (threshold 1 executes at once, as a 1/3 "majority")
			let call = disable_faucet();
			let len = call.encoded_size() as u32;
			assert_ok!(Council::propose(signed(Alice), 1, Box::new(call), len));
			assert!(pallet_faucet::Enabled::<Runtime>::get(), "1/3 is not a curator");
			// a signed account, member or not, is not a curator either
			assert_noop!(Faucet::set_enabled(signed(Alice), false), DispatchError::BadOrigin);
			// two of three
			assert_ok!(motion(disable_faucet(), &[Alice, Bob]));
			assert!(!pallet_faucet::Enabled::<Runtime>::get());
			// the same majority sets a domain's slash floor through the jobs pallet
			let floor = RuntimeCall::Jobs(pallet_jobs::Call::set_slash_floor {
				domain: 0,
				floor: sp_runtime::Perbill::from_percent(60),
			});
			// (no domain 0 on a fresh chain: the motion executes, the call fails cleanly)
			assert_eq!(
				motion(floor, &[Bob, Charlie]),
				Err(pallet_jobs::Error::<Runtime>::UnknownDomain.into())
			);
		});
	}

	#[test]
	fn root_needs_three_quarters_of_the_council() {
		local_chain().execute_with(|| {
			use Sr25519Keyring::*;
			let ferdie = Ferdie.to_account_id();
			let set_balance = || {
				RuntimeCall::RootDispatch(pallet_root_dispatch::Call::dispatch_as_root {
					call: Box::new(RuntimeCall::Balances(
						pallet_balances::Call::force_set_balance {
							who: ferdie.clone().into(),
							new_free: 7 * CROL,
						},
					)),
				})
			};
			// two of three are not enough to act as Root
			assert_eq!(motion(set_balance(), &[Alice, Bob]), Err(DispatchError::BadOrigin));
			assert_ne!(Balances::balance(&ferdie), 7 * CROL);
			// all three are
			assert_ok!(motion(set_balance(), &[Alice, Bob, Charlie]));
			assert_eq!(Balances::balance(&ferdie), 7 * CROL);
			System::assert_has_event(
				pallet_root_dispatch::Event::<Runtime>::Dispatched { result: Ok(()) }.into(),
			);
		});
	}

	#[test]
	fn the_council_changes_its_own_members() {
		local_chain().execute_with(|| {
			use Sr25519Keyring::*;
			let add = RuntimeCall::CouncilMembership(pallet_membership::Call::add_member {
				who: Dave.to_account_id().into(),
			});
			assert_noop!(
				CouncilMembership::add_member(signed(Alice), Dave.to_account_id().into()),
				DispatchError::BadOrigin
			);
			assert_ok!(motion(add, &[Alice, Charlie]));
			let members = pallet_collective::Members::<Runtime, super::CouncilInstance>::get();
			assert!(members.contains(&Dave.to_account_id()));
			assert_eq!(members.len(), 4);
		});
	}

	#[test]
	fn the_council_spends_from_the_treasury_that_fines_and_fees_fill() {
		local_chain().execute_with(|| {
			use Sr25519Keyring::*;
			let treasury = Treasury::account_id();
			assert_eq!(treasury, super::TreasuryAccount::get(), "one treasury account");
			// fines and fees arrive (as a slash would resolve to it)
			assert_ok!(<Balances as frame_support::traits::fungible::Mutate<_>>::mint_into(
				&treasury,
				1_000 * CROL
			));
			let pot = <Runtime as pallet_jobs::Config>::NewcomerPot::get();
			let spend = RuntimeCall::Treasury(pallet_treasury::Call::spend {
				asset_kind: Box::new(()),
				amount: 200 * CROL,
				beneficiary: Box::new(pot.clone()),
				valid_from: None,
			});
			// a single member cannot spend
			assert_noop!(
				Treasury::spend(
					signed(Alice),
					Box::new(()),
					200 * CROL,
					Box::new(pot.clone()),
					None
				),
				DispatchError::BadOrigin
			);
			assert_ok!(motion(spend, &[Alice, Bob]));
			// anyone triggers the payout of the approved spend
			assert_ok!(Treasury::payout(signed(Eve), 0));
			assert_eq!(Balances::balance(&pot), 200 * CROL);
			// more than the council's cap per motion is refused
			let too_much = RuntimeCall::Treasury(pallet_treasury::Call::spend {
				asset_kind: Box::new(()),
				amount: super::MaxCouncilSpend::get() + 1,
				beneficiary: Box::new(pot.clone()),
				valid_from: None,
			});
			assert_eq!(
				motion(too_much, &[Alice, Bob]),
				Err(pallet_treasury::Error::<Runtime>::InsufficientPermission.into())
			);
		});
	}
}
