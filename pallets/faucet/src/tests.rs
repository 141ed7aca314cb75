//! Unit tests: drips applied as real general transactions (authorize, then dispatch), every rule
//! refused at the pool with its code and at dispatch with its error (bad input changes nothing),
//! and one test per attack. Each test ends with the `try_state` invariants.

use crate::{mock::*, Enabled, Error, Event, LastDrip, PeriodDrips, Served};
use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	dispatch::{DispatchResultWithPostInfo, GetDispatchInfo},
	pallet_prelude::{InvalidTransaction, TransactionSource, TransactionValidityError},
	traits::{fungible::Inspect, Hooks},
};
use sp_runtime::{
	traits::{Applyable, Checkable},
	transaction_validity::ValidTransaction,
	DispatchError,
};

/// Builds, validates (as the pool does) and applies (as block import does) a general
/// transaction `drip { dest, nonce }`; the pool's verdict first, then the dispatch result.
fn submit(
	dest: u64,
	nonce: u64,
) -> Result<(ValidTransaction, DispatchResultWithPostInfo), TransactionValidityError> {
	submit_call(RuntimeCall::Faucet(crate::Call::drip { dest, nonce }))
}

/// [`submit`] for any call.
fn submit_call(
	call: RuntimeCall,
) -> Result<(ValidTransaction, DispatchResultWithPostInfo), TransactionValidityError> {
	let tx =
		UncheckedExtrinsic::new_transaction(call, (frame_system::AuthorizeCall::<Test>::new(),));
	let info = tx.get_dispatch_info();
	let len = tx.using_encoded(|e| e.len());
	let checked = Checkable::check(tx, &frame_system::ChainContext::<Test>::default())
		.expect("a general transaction carries no signature to check");
	let validity = checked.validate::<Test>(TransactionSource::External, &info, len)?;
	let result = checked.apply::<Test>(&info, len)?;
	Ok((validity, result))
}

/// The pool's `Custom` code for a refused drip.
fn refused(
	code: u8,
) -> Result<(ValidTransaction, DispatchResultWithPostInfo), TransactionValidityError> {
	Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(code)))
}

/// The faucet's dispatch of `drip` with the authorized origin (what a general transaction that
/// passed the pool gets), to check the dispatch-time re-checks.
fn dispatch(dest: u64, nonce: u64) -> frame_support::dispatch::DispatchResult {
	crate::Pallet::<Test>::drip(frame_system::RawOrigin::Authorized.into(), dest, nonce)
}

fn balance(who: u64) -> u64 {
	Balances::total_balance(&who)
}

#[test]
fn a_general_transaction_pays_an_empty_wallet_without_signature_or_fee() {
	build_and_execute(|| {
		let dest = 42;
		let faucet = balance(Faucet::account_id());
		let (validity, result) = submit(dest, solve(dest)).expect("valid at the pool");
		assert_ok!(result);
		assert_eq!(balance(dest), DRIP);
		assert_eq!(balance(Faucet::account_id()), faucet - DRIP);
		assert_eq!(LastDrip::<Test>::get(dest), Some(1));
		assert_eq!(PeriodDrips::<Test>::get(), (0, 1));
		assert_eq!(events(), vec![Event::Dripped { dest, amount: DRIP }]);
		// The lowest priority, one pool entry per destination.
		assert_eq!(validity.priority, 0);
		assert_eq!(validity.provides, vec![("crowdlabel-faucet", dest).encode()]);
		assert!(validity.propagate);
	});
}

#[test]
fn every_rule_is_refused_at_the_pool_with_its_code_and_changes_nothing() {
	// 0: disabled
	build(false, 10_000).execute_with(|| {
		assert_eq!(submit(42, solve(42)), refused(0));
		assert_noop!(dispatch(42, solve(42)), Error::<Test>::Disabled);
		Faucet::do_try_state().unwrap();
	});
	build_and_execute(|| {
		// 1: not enough work (the first nonce that fails for this destination)
		let weak = (0u64..)
			.find(|n| crate::leading_zero_bits(&Faucet::work_hash(&42, *n)) < DIFFICULTY)
			.unwrap();
		assert_eq!(submit(42, weak), refused(1));
		assert_noop!(dispatch(42, weak), Error::<Test>::InsufficientWork);
		// 2: not an empty wallet (account 1 holds 1,000; account 3 holds 50 < DRIP and is served)
		assert_eq!(submit(1, solve(1)), refused(2));
		assert_noop!(dispatch(1, solve(1)), Error::<Test>::NotEmpty);
		assert_ok!(submit(3, solve(3)).unwrap().1);
		assert_eq!(balance(3), 50 + DRIP);
		// 3: cooling down: account 3 spends the drip and asks again
		assert_ok!(Balances::transfer_allow_death(RuntimeOrigin::signed(3), 1, 50 + DRIP));
		assert_eq!(submit(3, solve(3)), refused(3));
		assert_noop!(dispatch(3, solve(3)), Error::<Test>::CoolingDown);
		System::set_block_number(1 + COOLDOWN);
		assert_ok!(submit(3, solve(3)).unwrap().1);
		assert_eq!(balance(3), DRIP);
		// a signed origin cannot call it directly
		assert_noop!(
			crate::Pallet::<Test>::drip(RuntimeOrigin::signed(1), 7, solve(7)),
			DispatchError::BadOrigin
		);
	});
	// 5: the faucet cannot pay (it keeps its existential deposit)
	build(true, DRIP + 50).execute_with(|| {
		assert_ok!(submit(42, solve(42)).unwrap().1);
		assert_eq!(submit(43, solve(43)), refused(5));
		assert_noop!(dispatch(43, solve(43)), Error::<Test>::FaucetEmpty);
		Faucet::do_try_state().unwrap();
	});
}

#[test]
fn the_period_cap_bounds_the_outflow_and_resets_each_period() {
	build_and_execute(|| {
		for dest in 100..100 + CAP as u64 {
			assert_ok!(submit(dest, solve(dest)).unwrap().1);
		}
		// 4: the cap is reached for this period
		assert_eq!(submit(200, solve(200)), refused(4));
		assert_noop!(dispatch(200, solve(200)), Error::<Test>::PeriodCapReached);
		System::set_block_number(PERIOD);
		assert_ok!(submit(200, solve(200)).unwrap().1);
		assert_eq!(PeriodDrips::<Test>::get(), (1, 1));
	});
}

#[test]
fn only_the_admin_switches_it() {
	build_and_execute(|| {
		assert_noop!(
			Faucet::set_enabled(RuntimeOrigin::signed(1), false),
			DispatchError::BadOrigin
		);
		assert_ok!(Faucet::set_enabled(RuntimeOrigin::root(), false));
		assert!(!Enabled::<Test>::get());
		assert_eq!(events(), vec![Event::EnabledSet { enabled: false }]);
		assert_eq!(submit(42, solve(42)), refused(0));
	});
}

// ---- attacks ----

/// **Attack:** a sybil creates fresh accounts without end and claims a drip for each, draining
/// the faucet (the claims are free: no signature, no fee).
///
/// **Defence:** the global cap: however many accounts and proofs of work, at most
/// `MaxDripsPerPeriod` drips are paid per period; the rest are refused before the pool.
#[test]
fn sybils_cannot_drain_more_than_the_cap() {
	build_and_execute(|| {
		let before = balance(Faucet::account_id());
		let paid = (1_000u64..1_050)
			.filter(|d| matches!(submit(*d, solve(*d)), Ok((_, Ok(_)))))
			.count();
		assert_eq!(paid, CAP as usize);
		assert_eq!(before - balance(Faucet::account_id()), CAP as u64 * DRIP);
	});
}

/// **Attack:** reuse one proof of work for many destinations, or on another chain.
///
/// **Defence:** the work hash binds the destination and the genesis hash: a nonce found for one
/// destination does not serve another, and a different genesis changes every hash.
#[test]
fn work_is_bound_to_the_destination_and_the_chain() {
	build_and_execute(|| {
		let nonce = solve(42);
		// a destination this nonce does not serve (found deterministically)
		let other = (43u64..)
			.find(|d| crate::leading_zero_bits(&Faucet::work_hash(d, nonce)) < DIFFICULTY)
			.unwrap();
		assert_eq!(submit(other, nonce), refused(1));
		let here = Faucet::work_hash(&42, nonce);
		frame_system::BlockHash::<Test>::insert(0, hash_of_byte(7));
		assert_ne!(Faucet::work_hash(&42, nonce), here);
	});
}

/// **Attack:** send other calls as general transactions (no signature, no fee) to store data
/// or fill blocks for free, riding on the extension that lets drips through.
///
/// **Defence:** `AuthorizeCall` only authorizes calls with an authorize function; any other
/// general transaction ends its extensions without an origin and is refused before the pool
/// (`UnknownOrigin`), so it is never included.
#[test]
fn other_calls_cannot_ride_as_general_transactions() {
	build_and_execute(|| {
		let remark = RuntimeCall::System(frame_system::Call::remark { remark: vec![7; 1_000] });
		let transfer = RuntimeCall::Balances(pallet_balances::Call::transfer_allow_death {
			dest: 2,
			value: 10,
		});
		let admin = RuntimeCall::Faucet(crate::Call::set_enabled { enabled: false });
		for call in [remark, transfer, admin] {
			assert_eq!(
				submit_call(call),
				Err(TransactionValidityError::Invalid(InvalidTransaction::UnknownOrigin))
			);
		}
		assert!(Enabled::<Test>::get());
	});
}

/// A 32-byte hash of repeated `b`.
fn hash_of_byte(b: u8) -> <Test as frame_system::Config>::Hash {
	<Test as frame_system::Config>::Hash::repeat_byte(b)
}

/// **Attack:** a funded account, or one that just moved its drip away, claims again and again.
///
/// **Defence:** only wallets holding less than a drip are served, and each at most once per
/// cool-down, whatever it did with the coins.
#[test]
fn wallets_cannot_refill_themselves() {
	build_and_execute(|| {
		assert_eq!(submit(2, solve(2)), refused(2));
		assert_ok!(submit(50, solve(50)).unwrap().1);
		assert_ok!(Balances::transfer_allow_death(RuntimeOrigin::signed(50), 1, DRIP));
		for at in [2, COOLDOWN / 2, COOLDOWN] {
			System::set_block_number(at);
			assert_eq!(submit(50, solve(50)), refused(3));
		}
		assert_eq!(balance(50), 0);
	});
}

/// **Attack:** flood the pool with many copies of a claim for one destination (with different
/// nonces) to fill blocks for free.
///
/// **Defence:** every claim for a destination provides the same pool tag, so the pool keeps one;
/// and once one is applied, the others are invalid (the wallet is no longer empty).
#[test]
fn one_pool_entry_per_destination() {
	build_and_execute(|| {
		let nonces: Vec<u64> = (0u64..)
			.filter(|n| crate::leading_zero_bits(&Faucet::work_hash(&60, *n)) >= DIFFICULTY)
			.take(2)
			.collect();
		let tag = |n: u64| {
			Faucet::authorize_drip(TransactionSource::External, &60, &n).unwrap().0.provides
		};
		assert_eq!(tag(nonces[0]), tag(nonces[1]));
		assert_ok!(submit(60, nonces[0]).unwrap().1);
		assert_eq!(submit(60, nonces[1]), refused(2));
	});
}

/// The work hash layout, on a fixed vector shared with the app's `lib/faucet.test.ts` (computed
/// independently with Python's `hashlib.blake2b(digest_size=32)`): genesis hash `[1; 32]`, a
/// 32-byte account `[2; 32]`, nonce `0x01020304`.
#[test]
fn work_hash_vector() {
	let hash = (crate::POW_DOMAIN, [1u8; 32], [2u8; 32], 0x0102_0304u64)
		.using_encoded(sp_io::hashing::blake2_256);
	let expected = "f77b02e07b40372ef53ed15c6322a69cc8ac306ce069150136d6eff659f8ac9d";
	let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
	assert_eq!(hex, expected);
	assert_eq!(crate::leading_zero_bits(&[0x01; 32]), 7);
	assert_eq!(crate::leading_zero_bits(&[0u8; 32]), 256);
}

/// **Attack (on the operator):** claim from fresh accounts period after period so that the
/// chain keeps a cool-down record per account forever.
///
/// **Defence:** the accounts of a period are queued and forgotten at the first block of the
/// period in which all their cool-downs are over (mock: period 10, cool-down 50, so the drips of
/// period 0 go at block 60): at most `MaxDripsPerPeriod` records per live period remain.
#[test]
fn cooldown_records_are_pruned_when_they_expire() {
	build_and_execute(|| {
		for dest in [70u64, 71] {
			assert_ok!(submit(dest, solve(dest)).unwrap().1);
		}
		assert_eq!(Served::<Test>::get(0).to_vec(), vec![70, 71]);
		// 71 is served again later (after spending its drip and waiting out its cool-down)
		assert_ok!(Balances::transfer_allow_death(RuntimeOrigin::signed(71), 1, DRIP));
		System::set_block_number(55);
		assert_ok!(submit(71, solve(71)).unwrap().1);
		assert_eq!(Served::<Test>::get(5).to_vec(), vec![71]);
		// nothing happens inside a period or before period 0 expires
		for n in [50u64, 55, 59] {
			assert_eq!(Faucet::expired_period(n), None);
		}
		assert_eq!(Faucet::expired_period(60), Some(0));
		System::set_block_number(60);
		Faucet::on_initialize(60);
		assert!(!Served::<Test>::contains_key(0));
		assert_eq!(LastDrip::<Test>::get(70), None);
		// 71's newer record stays until its own period expires (period 5, at block 110)
		assert_eq!(LastDrip::<Test>::get(71), Some(55));
		assert_eq!(Faucet::expired_period(110), Some(5));
		System::set_block_number(110);
		Faucet::on_initialize(110);
		assert_eq!(LastDrip::<Test>::iter().count(), 0);
		assert_eq!(Served::<Test>::iter().count(), 0);
	});
}
