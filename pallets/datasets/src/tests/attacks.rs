//! Attacks on the dataset market (issue 11), one test each: what the attacker does, what
//! happened on the old code, and what happens now. Every test runs through
//! `ExtBuilder::build_and_execute`, which checks the pallet's `try_state` invariants afterwards.
//! The registration, scenario and balance helpers are the unit tests' (`super`).

use super::{held, scenario, w, Registration, OWNER_A, OWNER_B};
use crate::{
	functions::HASHED_BYTES,
	mock::*,
	pallet::{DatasetDetails, HoldReason, OwnerSales, SaleExclusions, Sales, Unclaimed},
	weights::WeightInfo,
	Error, MAX_PAGE, MAX_PROOF_LEN,
};
use codec::{Encode, MaxEncodedLen};
use crowdlabel_labels::ConsensusLabel;
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungible::{Inspect, Mutate},
		tokens::{Fortitude, Precision, Preservation},
		ConstU32,
	},
};
use sp_core::H256;
use sp_runtime::{Perbill, TokenError};

/// The attacker of these tests (holds 1_000 like every account 1..=9).
const MALLORY: u64 = 8;

/// Burns all of `who`'s free balance but `left`.
fn leave_only(who: u64, left: u64) {
	let free = Balances::balance(&who);
	assert_ok!(Balances::burn_from(
		&who,
		free - left,
		Preservation::Expendable,
		Precision::Exact,
		Fortitude::Polite,
	));
}

/// Owner B's item 22 is leaf 3 of dataset 0 (published at 1_000 for 5 leaves). B deregisters
/// it (and gets the deposit back); Mallory registers the same CID in her own name, with
/// consent, and waits for the next sale.
///
/// Old code: a sale looked the leaf's item up by hash only, so Mallory was credited the owner
/// share of leaf 3 (400 / 5 = 80 of a 1_000 sale) for data she never owned and that was
/// published before she registered it.
///
/// Now: every registration has a serial number and the dataset remembers how many existed at
/// publication; a leaf whose registration is younger than the dataset is left out like a
/// withdrawn consent (price 800 for 4 leaves, leaf 3 in `SaleExclusions`), Mallory gets
/// nothing. It all happens in the block of the publication, so comparing registration and
/// publication blocks would not be enough; the serial is exact.
#[test]
fn attack_hijack_owner_share_after_deregistration() {
	ExtBuilder::default().build_and_execute(|| {
		let job = scenario();
		assert_ok!(Datasets::publish_dataset(RuntimeOrigin::signed(REQUESTER), job, 1_000));
		assert_ok!(Datasets::deregister_item(RuntimeOrigin::signed(OWNER_B), item(22)));
		Registration::of(MALLORY).domain(0).items(&[22]).opt_in().submit();
		assert_eq!(System::block_number(), DatasetDetails::<Test>::get(0).unwrap().published);

		let quote = Datasets::quote(0).unwrap();
		assert_eq!((quote.price, quote.sold, quote.excluded.clone()), (800, 4, vec![3]));
		assert_eq!(quote.owners, vec![(OWNER_A, 3), (OWNER_B, 1)]);
		assert_ok!(Datasets::purchase_dataset(RuntimeOrigin::signed(BUYER), 0, 1_000));

		// 800: owners 320 (A 3 leaves -> 240, B 1 -> 80), Mallory nothing.
		let sale = Sales::<Test>::get(0).unwrap();
		assert_eq!((sale.price, sale.items, sale.owners), (800, 4, 320));
		assert_eq!(SaleExclusions::<Test>::get(0).map(|e| e.to_vec()), Some(vec![3]));
		assert_eq!(Unclaimed::<Test>::get(OWNER_A), Some(240));
		assert_eq!(Unclaimed::<Test>::get(OWNER_B), Some(80));
		assert_eq!(Unclaimed::<Test>::get(MALLORY), None);
		assert_eq!(OwnerSales::<Test>::get(MALLORY, 0), None);

		// Later blocks change nothing: the registration stays younger than the dataset.
		System::set_block_number(10);
		assert_eq!(Datasets::quote(0).map(|q| (q.price, q.excluded)).ok(), Some((800, vec![3])));
	});
}

/// A requester publishes datasets: each writes a `Datasets` entry, `DatasetOfJob`, 36 bytes
/// per leaf in `DatasetItems` and the labelers in `DatasetContributors`, for good.
///
/// Old code: publication held nothing; these permanent records cost only the transaction fee.
///
/// Now: the publisher pays `StorageDepositPerByte` (1 in the test runtime) per worst-case
/// byte, held for good (`DatasetStorage`): 573 for the 5-leaf, 3-labeler scenario dataset and
/// 373 for a 1-leaf, 1-labeler one; a publisher who cannot hold the deposit cannot publish.
#[test]
fn attack_unpaid_dataset_storage() {
	ExtBuilder::default().build_and_execute(|| {
		let job = scenario();
		assert_ok!(Datasets::publish_dataset(RuntimeOrigin::signed(REQUESTER), job, 1_000));
		assert_eq!(Datasets::publication_bytes(5, 3), 573);
		assert_eq!(DatasetDetails::<Test>::get(0).unwrap().deposit, 573);
		let storage_held = || held(REQUESTER, HoldReason::DatasetStorage);
		assert_eq!(storage_held(), 573);

		// Dataset 1: one leaf (item 31 of owner A), one labeler: 163 + 48 + 85 + 77 = 373.
		Registration::of(OWNER_A).domain(0).items(&[31]).opt_in().submit();
		let small = SettledJobBuilder::new(0)
			.package(
				TestPackage::labeled_by(&[(5, w(1, 1))])
					.items([labeled(31).class(1).agreement(90)]),
			)
			.insert();
		assert_ok!(Datasets::publish_dataset(RuntimeOrigin::signed(REQUESTER), small, 10));
		assert_eq!(DatasetDetails::<Test>::get(1).unwrap().deposit, 373);
		assert_eq!(storage_held(), 573 + 373);

		// A publisher left with 300 cannot hold the 373 of another such dataset.
		Registration::of(OWNER_A).domain(0).items(&[32]).opt_in().submit();
		let third = SettledJobBuilder::new(0)
			.package(
				TestPackage::labeled_by(&[(5, w(1, 1))])
					.items([labeled(32).class(1).agreement(90)]),
			)
			.insert();
		leave_only(REQUESTER, 300);
		assert_noop!(
			Datasets::publish_dataset(RuntimeOrigin::signed(REQUESTER), third, 10),
			TokenError::FundsUnavailable
		);
	});
}

/// Mallory owns the only item of a dataset and is its only labeler; the publisher sets the
/// lowest price (10). She buys the dataset again and again: each sale writes a `Sales` entry
/// and an `OwnerSales` entry for good.
///
/// Old code: 80% of each price came back to her (owner 4 + labeler 4 of 10), so each re-buy
/// cost 2 and bloated storage by a sale's records.
///
/// Now: each purchase also holds a storage deposit for the sale's records from the buyer, for
/// good: `Sales` 140 + `OwnerSales` 89 + `LastOwnerSale` 60 = 289 bytes at 1 per byte. Five
/// re-buys cost her 5 x 2 in reserve plus 5 x 289 held.
#[test]
fn attack_rebuy_own_dataset_to_bloat_storage() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Balances::mint_into(&MALLORY, 9_000));
		let d = domain();
		Registration::of(MALLORY).domain(d).items(&[41]).opt_in().submit();
		let job = SettledJobBuilder::new(d)
			.package(
				TestPackage::labeled_by(&[(MALLORY, w(1, 1))])
					.items([labeled(41).class(1).agreement(100)]),
			)
			.insert();
		assert_ok!(Datasets::publish_dataset(RuntimeOrigin::signed(REQUESTER), job, MIN_PRICE));
		assert_eq!(Datasets::quote(0).map(|q| q.deposit).ok(), Some(289));
		let start = Balances::balance(&MALLORY);
		for _ in 0..5 {
			assert_ok!(Datasets::purchase_dataset(RuntimeOrigin::signed(MALLORY), 0, MIN_PRICE));
		}
		assert_ok!(Datasets::claim_payouts(RuntimeOrigin::signed(MALLORY)));
		assert_eq!(held(MALLORY, HoldReason::SaleStorage), 5 * 289);
		assert_eq!(Balances::balance(&MALLORY), start - 5 * 2 - 5 * 289);
		assert_eq!(Sales::<Test>::get(4).map(|s| s.deposit), Some(289));
		// She cannot buy once she cannot also hold the deposit (price 10 + deposit 289).
		leave_only(MALLORY, 299);
		assert_noop!(
			Datasets::purchase_dataset(RuntimeOrigin::signed(MALLORY), 0, MIN_PRICE),
			Error::<Test>::InsufficientBalance
		);
	});
}

/// A requester publishes a job of 20 items of which only one is registered by its owner.
/// `publish_dataset` reads every item of the job, its result and its registration.
///
/// Old code: the weight was refunded down to the dataset's leaves, `publish_dataset(1)`,
/// although 20 items were read: big jobs with few registered items were published at a
/// fraction of their cost.
///
/// Now: the actual weight is `publish_dataset(20)`, by the items read; a job with more items
/// than `MaxDatasetItems` (the weight charged up front) is refused with `TooManyItems`.
#[test]
fn attack_publish_refund_ignores_items_read() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain();
		Registration::of(OWNER_A).domain(d).items(&[50]).opt_in().submit();
		let job = SettledJobBuilder::new(d)
			.packages((0..2).map(|p| {
				TestPackage::labeled_by(&[(5, w(1, 1)), (6, w(1, 1))])
					.items((0..10).map(|k| labeled(50 + p * 10 + k).class(1).agreement(90)))
			}))
			.insert();
		let info =
			Datasets::publish_dataset(RuntimeOrigin::signed(REQUESTER), job, MIN_PRICE).unwrap();
		assert_eq!(DatasetDetails::<Test>::get(0).unwrap().items, 1);
		assert_eq!(info.actual_weight, Some(<() as WeightInfo>::publish_dataset(20)));
		assert!(
			<() as WeightInfo>::publish_dataset(20).ref_time()
				> <() as WeightInfo>::publish_dataset(1).ref_time()
		);

		// A job claiming 41 items (MaxDatasetItems is 40) is refused before anything is read.
		let big = SettledJobBuilder::new(d)
			.packages((0..5).map(|p| {
				TestPackage::labeled_by(&[(5, w(1, 1))])
					.items((0..9).map(|k| labeled(100 + p * 9 + k).class(1).agreement(90)))
			}))
			.insert();
		assert_eq!(FakeJobs::items(big), Some(45));
		assert_noop!(
			Datasets::publish_dataset(RuntimeOrigin::signed(REQUESTER), big, 1_000),
			Error::<Test>::TooManyItems
		);
	});
}

/// An owner whose data was sold 105 times asks for their sales with `max = u32::MAX`.
///
/// Old code: the runtime API collected every `OwnerSales` entry of the owner, sorted them and
/// only then took `max` (uncapped): the whole history in one call, memory and time growing
/// without bound with the owner's sales.
///
/// Now: `api_owner_sales` follows the owner's list from the newest sale, reads two entries per
/// sale returned and stops at `MAX_PAGE` (100); the page's `next` cursor gives the remaining 5.
#[test]
fn attack_owner_sales_unbounded_page() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain();
		Registration::of(OWNER_A).domain(d).items(&[61]).opt_in().submit();
		let job = SettledJobBuilder::new(d)
			.package(
				TestPackage::labeled_by(&[(5, w(1, 1))])
					.items([labeled(61).class(1).agreement(100)]),
			)
			.insert();
		assert_ok!(Datasets::publish_dataset(RuntimeOrigin::signed(REQUESTER), job, MIN_PRICE));
		for _ in 0..105 {
			assert_ok!(Datasets::purchase_dataset(RuntimeOrigin::signed(BUYER), 0, MIN_PRICE));
		}
		let first = Datasets::api_owner_sales(&OWNER_A, None, u32::MAX);
		assert_eq!(first.sales.len() as u32, MAX_PAGE);
		let ids: Vec<u32> = first.sales.iter().map(|s| s.sale).collect();
		assert_eq!(ids, (5..105).rev().collect::<Vec<_>>());
		assert_eq!(first.next, Some(4));
		// 105 sales of 10: the owner share is 4 each.
		assert_eq!(first.unclaimed, 105 * 4);
		assert!(first.sales.iter().all(|s| s.amount == 4 && s.buyer == BUYER));

		let second = Datasets::api_owner_sales(&OWNER_A, first.next, u32::MAX);
		let ids: Vec<u32> = second.sales.iter().map(|s| s.sale).collect();
		assert_eq!(ids, vec![4, 3, 2, 1, 0]);
		assert_eq!(second.next, None);

		// Small pages, a cursor that is not one of the owner's sales, an owner without sales.
		let page = Datasets::api_owner_sales(&OWNER_A, None, 2);
		assert_eq!(page.sales.iter().map(|s| s.sale).collect::<Vec<_>>(), vec![104, 103]);
		assert_eq!(page.next, Some(102));
		assert!(Datasets::api_owner_sales(&OWNER_A, Some(1_000), 10).sales.is_empty());
		let none = Datasets::api_owner_sales(&OWNER_B, None, 10);
		assert!(none.sales.is_empty() && none.next.is_none() && none.unclaimed == 0);
	});
}

/// A client calls `verify_inclusion` with a huge label or a huge proof (the runtime API
/// accepted any length).
///
/// Old code: the whole label was hashed and the whole proof copied before the Merkle walk
/// rejected it: a 1 MB label made the runtime hash 1_000_032 bytes, a 100_000-hash proof was
/// copied (3.2 MB) and the leaf and path hashed; work and memory grew with whatever the caller
/// sent.
///
/// Now: a proof longer than `MAX_PROOF_LEN` (64) hashes or a label longer than the largest
/// consensus label (`max_label_len`: 8 boxes of 18 bytes, 146 bytes) is refused before any
/// hashing (0 bytes hashed), while a correct proof still verifies.
#[test]
fn attack_verify_inclusion_oversized_input() {
	ExtBuilder::default().build_and_execute(|| {
		let job = scenario();
		assert_ok!(Datasets::publish_dataset(RuntimeOrigin::signed(REQUESTER), job, 1_000));
		let hashed = || HASHED_BYTES.with(|h| h.get());
		let label = ConsensusLabel::<ConstU32<8>>::Class(1).encode();
		let proof = Datasets::inclusion_proof(0, 0).unwrap();
		let before = hashed();
		assert!(Datasets::verify_inclusion(0, 0, item(11), &label, &proof));
		// The leaf (0x00 ++ 32-byte item ++ 3-byte label) and three nodes (0x01 ++ 2 x 32).
		assert_eq!(hashed() - before, 36 + 3 * 65);

		assert_eq!(
			Datasets::max_label_len() as usize,
			ConsensusLabel::<ConstU32<8>>::max_encoded_len()
		);
		assert_eq!(Datasets::max_label_len(), 146);
		let mut long_label = label.clone();
		long_label.resize(1_000_000, 0);
		let mut long_proof = proof.clone();
		long_proof.resize(MAX_PROOF_LEN as usize + 1, H256::zero());
		let huge_proof = vec![H256::zero(); 100_000];
		let before = hashed();
		assert!(!Datasets::verify_inclusion(0, 0, item(11), &long_label, &proof));
		assert!(!Datasets::verify_inclusion(0, 0, item(11), &label, &long_proof));
		assert!(!Datasets::verify_inclusion(0, 0, item(11), &label, &huge_proof));
		assert_eq!(hashed(), before);
		// At the bounds the input is still checked.
		let mut padded = label.clone();
		padded.resize(146, 0);
		assert!(!Datasets::verify_inclusion(0, 0, item(11), &padded, &proof));
		assert_eq!(hashed() - before, 1 + 32 + 146 + 3 * 65);
		// Leaves beyond the dataset have no proof.
		assert_eq!(Datasets::inclusion_proof(0, 5), None);
		assert_eq!(Datasets::inclusion_proof(0, u32::MAX), None);
	});
}

/// A requester runs a job with R = 1 (no second opinion on any label) and no challenge items,
/// and publishes it next to well-checked datasets.
///
/// Old code: the quality certificate showed gold accuracy, mean agreement and the labeler count
/// but not R nor how many challenge items were mixed in: the R = 1 dataset showed a perfect
/// 100% agreement and looked as good as any.
///
/// Now: the certificate states `redundancy` (1 here, 2 for the scenario) and the
/// `challenge_share` (0 here, 2 of 6 items for the scenario).
#[test]
fn attack_certificate_hides_redundancy_and_challenges() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain();
		Registration::of(OWNER_A).domain(d).items(&[71]).opt_in().submit();
		let job = SettledJobBuilder::new(d)
			.package(
				TestPackage::labeled_by(&[(5, w(1, 1))])
					.items([labeled(71).class(1).agreement(100)]),
			)
			.insert();
		assert_ok!(Datasets::publish_dataset(RuntimeOrigin::signed(REQUESTER), job, MIN_PRICE));
		let c = DatasetDetails::<Test>::get(0).unwrap().certificate;
		assert_eq!(
			(c.redundancy, c.challenge_share, c.mean_agreement, c.gold_accuracy),
			(1, Perbill::zero(), Perbill::one(), None)
		);
		let checked = scenario();
		assert_ok!(Datasets::publish_dataset(RuntimeOrigin::signed(REQUESTER), checked, 1_000));
		let c = DatasetDetails::<Test>::get(1).unwrap().certificate;
		assert_eq!((c.redundancy, c.challenge_share), (2, Perbill::from_rational(2u32, 6)));
	});
}

/// Not an attack, the other side of the hijack defence: the owner deregisters an item of a
/// published dataset and registers it again. The old dataset no longer sells it (the owner
/// gave it up; re-registering does not re-enter datasets published before), a dataset
/// published afterwards does.
#[test]
fn reregistered_item_sells_only_in_datasets_published_after() {
	ExtBuilder::default().build_and_execute(|| {
		let job = scenario();
		assert_ok!(Datasets::publish_dataset(RuntimeOrigin::signed(REQUESTER), job, 1_000));
		assert_ok!(Datasets::deregister_item(RuntimeOrigin::signed(OWNER_A), item(11)));
		Registration::of(OWNER_A).domain(0).items(&[11]).opt_in().submit();
		assert_eq!(Datasets::quote(0).map(|q| (q.sold, q.excluded)).ok(), Some((4, vec![0])));
		let again = SettledJobBuilder::new(0)
			.package(
				TestPackage::labeled_by(&[(5, w(1, 1))])
					.items([labeled(11).class(2).agreement(90)]),
			)
			.insert();
		assert_ok!(Datasets::publish_dataset(RuntimeOrigin::signed(REQUESTER), again, MIN_PRICE));
		assert_eq!(
			Datasets::quote(1).map(|q| (q.sold, q.owners)).ok(),
			Some((1, vec![(OWNER_A, 1)]))
		);
		assert_noop!(
			Datasets::purchase_dataset(RuntimeOrigin::signed(BUYER), 1, MIN_PRICE - 1),
			Error::<Test>::PriceAboveLimit
		);
		assert_ok!(Datasets::purchase_dataset(RuntimeOrigin::signed(BUYER), 1, MIN_PRICE));
		assert_eq!(Unclaimed::<Test>::get(OWNER_A), Some(4));
	});
}
