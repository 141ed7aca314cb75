//! Unit tests: registry, publication, purchase split, consent, claims, proofs, every error.

use crate::{
	mock::*,
	pallet::{
		DataItems, DatasetContributors, DatasetDetails, DatasetItems, DatasetOfJob, HoldReason,
		OwnerSales, PublisherShares, SaleExclusions, SalePublisherParts, Sales, Unclaimed,
	},
	types::*,
	Error, Event,
};
use codec::Encode;
use crowdlabel_consensus::{FixedU128, Perbill};
use crowdlabel_content::merkle;
use crowdlabel_labels::ConsensusLabel;
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
	BoundedVec,
};
use sp_core::H256;
use sp_runtime::{traits::AccountIdConversion, DispatchResult, TokenError};

mod attacks;

const OWNER_A: u64 = 1;
const OWNER_B: u64 = 2;

/// The weight `n / d`.
fn w(n: u128, d: u128) -> FixedU128 {
	FixedU128::from_rational(n, d)
}

/// The licence of every registration.
fn licence() -> BoundedVec<u8, frame_support::traits::ConstU32<16>> {
	BoundedVec::truncate_from(b"CC-BY-4.0".to_vec())
}

/// An owner's `register_items` call, built with named setters:
/// `Registration::of(OWNER_A).domain(d).items(&[11, 12]).opt_in().submit()`.
///
/// Defaults: domain 0, no items, licence "CC-BY-4.0", no consent to sales.
struct Registration {
	owner: u64,
	domain: u32,
	cids: Vec<[u8; 36]>,
	opt_in: bool,
}

impl Registration {
	/// A registration by `owner` with the defaults above.
	fn of(owner: u64) -> Self {
		Self { owner, domain: 0, cids: Vec::new(), opt_in: false }
	}

	/// The items' domain.
	fn domain(mut self, domain: u32) -> Self {
		self.domain = domain;
		self
	}

	/// Test items `n` (by their CIDs, `cid(n)`), in order.
	fn items(mut self, items: &[u8]) -> Self {
		self.cids.extend(items.iter().map(|i| cid(*i)));
		self
	}

	/// These CIDs (well-formed or not), in order.
	fn cids(mut self, cids: &[[u8; 36]]) -> Self {
		self.cids.extend_from_slice(cids);
		self
	}

	/// With the owner's consent to sales.
	fn opt_in(mut self) -> Self {
		self.opt_in = true;
		self
	}

	/// The call's result (for refusals).
	fn dispatch(self) -> DispatchResult {
		Datasets::register_items(
			RuntimeOrigin::signed(self.owner),
			self.domain,
			licence(),
			self.opt_in,
			BoundedVec::truncate_from(self.cids),
		)
	}

	/// Registers the items (checked with `assert_ok!`).
	fn submit(self) {
		assert_ok!(self.dispatch());
	}
}

/// Owner A registers items 11, 12, 13; owner B 21, 22 (all with consent); item 99 is labeled
/// but never registered. Two packages of three items:
/// P0 = [11 (class 1, 90%), 12 (2, 80%), 21 (0, 100%)] labeled by 5 (a = 1.2) and 6 (1.0);
/// P1 = [22 (3, 70%), 13 (1, 60%), 99 (2, 50%)] labeled by 6 (1.0) and 7 (0.8).
/// Gold: 2 challenge items, 4 labels checked, 1 wrong.
fn scenario() -> u32 {
	let d = domain();
	Registration::of(OWNER_A).domain(d).items(&[11, 12, 13]).opt_in().submit();
	Registration::of(OWNER_B).domain(d).items(&[21, 22]).opt_in().submit();
	SettledJobBuilder::new(d)
		.package(TestPackage::labeled_by(&[(5, w(12, 10)), (6, w(1, 1))]).items([
			labeled(11).class(1).agreement(90),
			labeled(12).class(2).agreement(80),
			labeled(21).class(0).agreement(100),
		]))
		.package(TestPackage::labeled_by(&[(6, w(1, 1)), (7, w(8, 10))]).items([
			labeled(22).class(3).agreement(70),
			labeled(13).class(1).agreement(60),
			labeled(99).class(2).agreement(50),
		]))
		.challenges(2)
		.gold_checked(4)
		.gold_wrong(1)
		.insert()
}

/// The datasets pallet's account.
fn pallet_account() -> u64 {
	DatasetsPalletId::get().into_account_truncating()
}

/// What `who` has on hold for `reason`.
fn held(who: u64, reason: HoldReason) -> u64 {
	Balances::balance_on_hold(&reason.into(), &who)
}

/// The payouts held for claims (on the pallet account).
fn held_payouts() -> u64 {
	held(pallet_account(), HoldReason::UnclaimedPayout)
}

#[test]
fn register_items_holds_deposits_and_records_items() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain();
		Registration::of(OWNER_A).domain(d).items(&[11, 12, 13]).submit();
		assert_eq!(held(OWNER_A, HoldReason::ItemDeposit), 3 * DEPOSIT);
		let data = DataItems::<Test>::get(item(12)).unwrap();
		assert_eq!(data.owner, OWNER_A);
		assert_eq!(data.domain, d);
		assert_eq!(data.licence.to_vec(), b"CC-BY-4.0".to_vec());
		assert!(!data.opt_in);
		assert_eq!(DataItems::<Test>::count(), 3);
		assert_eq!(
			events(),
			[11, 12, 13]
				.iter()
				.map(|i| Event::ItemRegistered {
					item: item(*i),
					owner: OWNER_A,
					domain: d,
					opt_in: false
				})
				.collect::<Vec<_>>()
		);
	});
}

#[test]
fn register_items_rejects_bad_input_without_changes() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain();
		let consenting = |owner: u64| Registration::of(owner).opt_in();
		assert_noop!(
			consenting(OWNER_A).domain(7).items(&[1]).dispatch(),
			Error::<Test>::UnknownDomain
		);
		// A dag-cbor CIDv1 (codec 0x71) and a sha2-512 multihash are refused.
		let mut dag_cbor = cid(1);
		dag_cbor[1] = 0x71;
		assert_noop!(
			consenting(OWNER_A).domain(d).cids(&[cid(2), dag_cbor]).dispatch(),
			Error::<Test>::UnsupportedCid
		);
		let mut sha512 = cid(1);
		sha512[2] = 0x13;
		assert_noop!(
			consenting(OWNER_A).domain(d).cids(&[sha512]).dispatch(),
			Error::<Test>::UnsupportedCid
		);
		assert_noop!(
			consenting(OWNER_A).domain(d).items(&[1, 2, 1]).dispatch(),
			Error::<Test>::DuplicateItem
		);
		consenting(OWNER_A).domain(d).items(&[1]).submit();
		assert_noop!(
			consenting(OWNER_B).domain(d).items(&[3, 1]).dispatch(),
			Error::<Test>::AlreadyRegistered
		);
		// Account 300 has no funds for the deposit.
		assert_noop!(
			consenting(300).domain(d).items(&[4]).dispatch(),
			TokenError::FundsUnavailable
		);
		assert_eq!(DataItems::<Test>::count(), 1);
	});
}

/// A chunked file (dag-pb root) is registered under its root digest, with its codec kept so the
/// CID can be rebuilt; the same digest cannot be registered again under the other codec (one
/// item per digest, whoever registers it first).
#[test]
fn dag_pb_roots_are_registered_with_their_codec() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain();
		let mut root = cid(21);
		root[1] = 0x70;
		Registration::of(OWNER_A).domain(d).cids(&[root, cid(22)]).submit();
		assert_eq!(DataItems::<Test>::get(item(21)).map(|i| i.codec), Some(ItemCodec::DagPb));
		assert_eq!(DataItems::<Test>::get(item(22)).map(|i| i.codec), Some(ItemCodec::Raw));
		assert_eq!(
			crowdlabel_content::cid::cid_of(crowdlabel_content::cid::Codec::DagPb, &item(21).0),
			root
		);
		assert_noop!(
			Registration::of(OWNER_B).domain(d).cids(&[cid(21)]).dispatch(),
			Error::<Test>::AlreadyRegistered
		);
		let mut other = cid(22);
		other[1] = 0x70;
		assert_noop!(
			Registration::of(OWNER_B).domain(d).cids(&[other]).dispatch(),
			Error::<Test>::AlreadyRegistered
		);
		assert_eq!(held(OWNER_A, HoldReason::ItemDeposit), 2 * DEPOSIT);
	});
}

#[test]
fn consent_and_deregistration_belong_to_the_owner() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain();
		Registration::of(OWNER_A).domain(d).items(&[11]).opt_in().submit();
		assert_noop!(
			Datasets::set_consent(RuntimeOrigin::signed(OWNER_B), item(11), false),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Datasets::set_consent(RuntimeOrigin::signed(OWNER_A), item(12), false),
			Error::<Test>::UnknownItem
		);
		assert_ok!(Datasets::set_consent(RuntimeOrigin::signed(OWNER_A), item(11), false));
		assert!(!DataItems::<Test>::get(item(11)).unwrap().opt_in);
		assert_noop!(
			Datasets::deregister_item(RuntimeOrigin::signed(OWNER_B), item(11)),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Datasets::deregister_item(RuntimeOrigin::signed(OWNER_A), item(12)),
			Error::<Test>::UnknownItem
		);
		let free = Balances::balance(&OWNER_A);
		assert_ok!(Datasets::deregister_item(RuntimeOrigin::signed(OWNER_A), item(11)));
		assert_eq!(Balances::balance(&OWNER_A), free + DEPOSIT);
		assert_eq!(held(OWNER_A, HoldReason::ItemDeposit), 0);
		assert!(DataItems::<Test>::get(item(11)).is_none());
		assert_eq!(
			events().last(),
			Some(&Event::ItemDeregistered { item: item(11), owner: OWNER_A })
		);
	});
}

#[test]
fn publish_builds_root_certificate_and_workloads() {
	ExtBuilder::default().build_and_execute(|| {
		let job = scenario();
		assert_ok!(Datasets::publish_dataset(RuntimeOrigin::signed(REQUESTER), job, 1_000));
		let ds = DatasetDetails::<Test>::get(0).unwrap();
		// Item 99 has no owner: it is not in the dataset.
		assert_eq!(ds.items, 5);
		assert_eq!(
			DatasetItems::<Test>::get(0).to_vec(),
			vec![(0, item(11)), (1, item(12)), (2, item(21)), (3, item(22)), (4, item(13))]
		);
		// The root over (item, consensus label) leaves, built here from the inputs.
		let leaves: Vec<merkle::Hash> = [(11u8, 1u16), (12, 2), (21, 0), (22, 3), (13, 1)]
			.iter()
			.map(|(i, c)| {
				let data =
					(item(*i), ConsensusLabel::<frame_support::traits::ConstU32<8>>::Class(*c))
						.encode();
				merkle::leaf_hash(&sp_io::hashing::blake2_256, &data)
			})
			.collect();
		let root = merkle::root(&sp_io::hashing::blake2_256, &leaves).unwrap();
		assert_eq!(ds.root, H256(root));
		// 3 of 4 challenge labels right; agreement (90 + 80 + 100 + 70 + 60) / 5 = 80%; R = 2;
		// 2 challenge items among the job's 6.
		assert_eq!(
			ds.certificate,
			QualityCertificate {
				gold_accuracy: Some(Perbill::from_percent(75)),
				gold_checked: 4,
				mean_agreement: Perbill::from_percent(80),
				labelers: 3,
				redundancy: 2,
				challenge_share: Perbill::from_parts(333_333_333),
			}
		);
		// Storage deposit at 1 per byte: Datasets 163 + DatasetOfJob 48 + DatasetItems
		// (49 + 5 x 36) 229 + DatasetContributors (49 + 3 x 28) 133 = 573 bytes.
		assert_eq!(ds.deposit, 573);
		assert_eq!(held(REQUESTER, HoldReason::DatasetStorage), 573);
		// The job's data is pinned in the jobs pallet.
		assert!(FakeJobs::retained(job));
		// W over the dataset's items: 5 labeled P0 (3 items), 6 both (3 + 2), 7 P1 without 99 (2).
		assert_eq!(
			DatasetContributors::<Test>::get(0).to_vec(),
			vec![
				Contributor { labeler: 5, weight: w(12, 10), work: 3 },
				Contributor { labeler: 6, weight: w(1, 1), work: 5 },
				Contributor { labeler: 7, weight: w(8, 10), work: 2 },
			]
		);
		assert_eq!(DatasetOfJob::<Test>::get(job), Some(0));
		assert!(ds.listed);
		assert_eq!(
			events().last(),
			Some(&Event::DatasetPublished {
				dataset: 0,
				job,
				publisher: REQUESTER,
				items: 5,
				root: H256(root),
				price: 1_000,
				deposit: 573,
			})
		);
	});
}

#[test]
fn publish_rejects_bad_input_without_changes() {
	ExtBuilder::default().build_and_execute(|| {
		let job = scenario();
		let signed = RuntimeOrigin::signed;
		assert_noop!(
			Datasets::publish_dataset(signed(REQUESTER), job + 1, 1_000),
			Error::<Test>::JobNotSettled
		);
		FakeJobs::set_settled(job, false);
		assert_noop!(
			Datasets::publish_dataset(signed(REQUESTER), job, 1_000),
			Error::<Test>::JobNotSettled
		);
		FakeJobs::set_settled(job, true);
		assert_noop!(
			Datasets::publish_dataset(signed(BUYER), job, 1_000),
			Error::<Test>::NotRequester
		);
		// 5 items at 10 per item: 49 is too little.
		assert_noop!(
			Datasets::publish_dataset(signed(REQUESTER), job, 5 * MIN_PRICE - 1),
			Error::<Test>::PriceTooLow
		);
		assert_ok!(Datasets::publish_dataset(signed(REQUESTER), job, 5 * MIN_PRICE));
		assert_noop!(
			Datasets::publish_dataset(signed(REQUESTER), job, 1_000),
			Error::<Test>::AlreadyPublished
		);
		// A job none of whose items is registered with consent.
		let other = SettledJobBuilder::new(0)
			.package(
				TestPackage::labeled_by(&[(5, w(1, 1))])
					.items([labeled(98).class(1).agreement(90)]),
			)
			.insert();
		assert_noop!(
			Datasets::publish_dataset(signed(REQUESTER), other, 1_000),
			Error::<Test>::NoSellableItems
		);
		assert_eq!(DatasetDetails::<Test>::count(), 1);
	});
}

#[test]
fn purchase_splits_exactly_and_owners_claim() {
	ExtBuilder::default().build_and_execute(|| {
		let job = scenario();
		assert_ok!(Datasets::publish_dataset(RuntimeOrigin::signed(REQUESTER), job, 1_000));
		let treasury = Balances::balance(&TREASURY);
		let buyer = Balances::balance(&BUYER);
		assert_ok!(Datasets::purchase_dataset(RuntimeOrigin::signed(BUYER), 0, 1_000));
		// 40% owners = 400: A has 3 of 5 items -> 240, B 2 -> 160.
		// 40% labelers = 400 by a * W = 3.6 : 5.0 : 1.6 -> 141.18, 196.08, 62.75 -> 141, 196, 63.
		// The rest, 200, to the treasury. The buyer also leaves a storage deposit of 438 for the
		// sale's records: Sales 140 + 2 owners x (OwnerSales 89 + LastOwnerSale 60).
		assert_eq!(Balances::balance(&BUYER), buyer - 1_000 - 438);
		assert_eq!(held(BUYER, HoldReason::SaleStorage), 438);
		assert_eq!(Balances::balance(&TREASURY), treasury + 200);
		assert_eq!(Unclaimed::<Test>::get(OWNER_A), Some(240));
		assert_eq!(Unclaimed::<Test>::get(OWNER_B), Some(160));
		assert_eq!(Unclaimed::<Test>::get(5), Some(141));
		assert_eq!(Unclaimed::<Test>::get(6), Some(196));
		assert_eq!(Unclaimed::<Test>::get(7), Some(63));
		assert_eq!(held_payouts(), 800);
		let sale = Sales::<Test>::get(0).unwrap();
		assert_eq!(
			(sale.price, sale.items, sale.owners, sale.labelers, sale.reserve),
			(1_000, 5, 400, 400, 200)
		);
		assert_eq!(sale.root, DatasetDetails::<Test>::get(0).unwrap().root);
		assert_eq!(SaleExclusions::<Test>::get(0), None);
		assert_eq!(
			OwnerSales::<Test>::get(OWNER_A, 0),
			Some(OwnerSale { dataset: 0, items: 3, amount: 240, previous: None })
		);
		assert_eq!(
			OwnerSales::<Test>::get(OWNER_B, 0),
			Some(OwnerSale { dataset: 0, items: 2, amount: 160, previous: None })
		);
		let ev = events();
		assert!(ev.contains(&Event::OwnerCredited {
			sale: 0,
			owner: OWNER_A,
			items: 3,
			amount: 240
		}));
		assert!(ev.contains(&Event::LabelerCredited { sale: 0, labeler: 7, amount: 63 }));
		assert_eq!(
			ev.last(),
			Some(&Event::DatasetPurchased {
				sale: 0,
				dataset: 0,
				buyer: BUYER,
				price: 1_000,
				items: 5,
				reserve: 200,
				deposit: 438,
			})
		);

		// Claims move the held payouts to their owners.
		let a = Balances::balance(&OWNER_A);
		assert_ok!(Datasets::claim_payouts(RuntimeOrigin::signed(OWNER_A)));
		assert_eq!(Balances::balance(&OWNER_A), a + 240);
		assert_eq!(held_payouts(), 560);
		assert_noop!(
			Datasets::claim_payouts(RuntimeOrigin::signed(OWNER_A)),
			Error::<Test>::NothingToClaim
		);
		assert_ok!(Datasets::claim_payouts(RuntimeOrigin::signed(7)));
		assert_eq!(events().last(), Some(&Event::PayoutClaimed { who: 7, amount: 63 }));
		assert_eq!(held_payouts(), 497);
	});
}

#[test]
fn withdrawn_consent_excludes_items_and_lowers_the_price() {
	ExtBuilder::default().build_and_execute(|| {
		let job = scenario();
		assert_ok!(Datasets::publish_dataset(RuntimeOrigin::signed(REQUESTER), job, 1_000));
		assert_ok!(Datasets::purchase_dataset(RuntimeOrigin::signed(BUYER), 0, 1_000));
		// B withdraws item 22 (leaf 3) for future sales.
		assert_ok!(Datasets::set_consent(RuntimeOrigin::signed(OWNER_B), item(22), false));
		assert_eq!(
			Datasets::quote(0).map(|q| (q.price, q.sold, q.excluded)).ok(),
			Some((800, 4, vec![3]))
		);
		assert_noop!(
			Datasets::purchase_dataset(RuntimeOrigin::signed(BUYER), 0, 799),
			Error::<Test>::PriceAboveLimit
		);
		assert_ok!(Datasets::purchase_dataset(RuntimeOrigin::signed(BUYER), 0, 1_000));
		// 800: owners 320 (A 3 items -> 240, B 1 -> 80), labelers 320 -> 113, 157, 50, reserve 160.
		let sale = Sales::<Test>::get(1).unwrap();
		assert_eq!(
			(sale.price, sale.items, sale.owners, sale.labelers, sale.reserve),
			(800, 4, 320, 320, 160)
		);
		assert_eq!(SaleExclusions::<Test>::get(1).map(|e| e.to_vec()), Some(vec![3]));
		assert_eq!(
			OwnerSales::<Test>::get(OWNER_B, 1),
			Some(OwnerSale { dataset: 0, items: 1, amount: 80, previous: Some(0) })
		);
		// With one leaf left out the sale's records take 438 + SaleExclusions (49 + 4) bytes.
		assert_eq!(sale.deposit, 491);
		assert_eq!(Unclaimed::<Test>::get(OWNER_A), Some(240 + 240));
		assert_eq!(Unclaimed::<Test>::get(OWNER_B), Some(160 + 80));
		assert_eq!(Unclaimed::<Test>::get(5), Some(141 + 113));
		assert_eq!(Unclaimed::<Test>::get(6), Some(196 + 157));
		assert_eq!(Unclaimed::<Test>::get(7), Some(63 + 50));
		// Each owner lists every sale that used their data.
		let b_sales: Vec<_> = OwnerSales::<Test>::iter_prefix(OWNER_B).map(|(s, _)| s).collect();
		assert_eq!(b_sales.len(), 2);
		assert_eq!(DatasetDetails::<Test>::get(0).unwrap().sales, 2);
		// Deregistered items are excluded too; with nothing left there is nothing to sell.
		assert_ok!(Datasets::deregister_item(RuntimeOrigin::signed(OWNER_B), item(21)));
		for i in [11, 12, 13] {
			assert_ok!(Datasets::set_consent(RuntimeOrigin::signed(OWNER_A), item(i), false));
		}
		assert_noop!(
			Datasets::purchase_dataset(RuntimeOrigin::signed(BUYER), 0, 1_000),
			Error::<Test>::NothingToSell
		);
	});
}

#[test]
fn purchase_rejects_bad_input_without_changes() {
	ExtBuilder::default().build_and_execute(|| {
		let job = scenario();
		assert_noop!(
			Datasets::purchase_dataset(RuntimeOrigin::signed(BUYER), 0, 1_000),
			Error::<Test>::UnknownDataset
		);
		assert_ok!(Datasets::publish_dataset(RuntimeOrigin::signed(REQUESTER), job, 1_000));
		assert_noop!(
			Datasets::purchase_dataset(RuntimeOrigin::signed(BUYER), 0, 999),
			Error::<Test>::PriceAboveLimit
		);
		// Owner A holds 1_000 minus deposits: cannot pay 1_000 and stay alive.
		assert_noop!(
			Datasets::purchase_dataset(RuntimeOrigin::signed(OWNER_A), 0, 1_000),
			Error::<Test>::InsufficientBalance
		);
		assert_ok!(Datasets::set_listing(RuntimeOrigin::signed(REQUESTER), 0, false));
		assert_noop!(
			Datasets::purchase_dataset(RuntimeOrigin::signed(BUYER), 0, 1_000),
			Error::<Test>::NotListed
		);
		assert_eq!(Sales::<Test>::count(), 0);
		assert_eq!(held_payouts(), 0);
	});
}

#[test]
fn price_and_listing_by_publisher_or_curator() {
	ExtBuilder::default().build_and_execute(|| {
		let job = scenario();
		assert_ok!(Datasets::publish_dataset(RuntimeOrigin::signed(REQUESTER), job, 1_000));
		assert_noop!(
			Datasets::set_price(RuntimeOrigin::signed(BUYER), 0, 2_000),
			Error::<Test>::NotPublisher
		);
		assert_noop!(
			Datasets::set_listing(RuntimeOrigin::signed(BUYER), 0, false),
			Error::<Test>::NotPublisher
		);
		assert_noop!(
			Datasets::set_price(RuntimeOrigin::signed(REQUESTER), 1, 2_000),
			Error::<Test>::UnknownDataset
		);
		assert_noop!(
			Datasets::set_price(RuntimeOrigin::signed(REQUESTER), 0, 49),
			Error::<Test>::PriceTooLow
		);
		assert_ok!(Datasets::set_price(RuntimeOrigin::signed(REQUESTER), 0, 2_000));
		assert_eq!(DatasetDetails::<Test>::get(0).unwrap().price, 2_000);
		assert_ok!(Datasets::set_price(RuntimeOrigin::root(), 0, 500));
		assert_eq!(events().last(), Some(&Event::PriceSet { dataset: 0, price: 500 }));
		assert_ok!(Datasets::set_listing(RuntimeOrigin::root(), 0, false));
		assert!(!DatasetDetails::<Test>::get(0).unwrap().listed);
		assert_ok!(Datasets::set_listing(RuntimeOrigin::signed(REQUESTER), 0, true));
		assert_eq!(events().last(), Some(&Event::ListingChanged { dataset: 0, listed: true }));
	});
}

#[test]
fn inclusion_proofs_verify_each_leaf_and_reject_tampering() {
	ExtBuilder::default().build_and_execute(|| {
		let job = scenario();
		assert_ok!(Datasets::publish_dataset(RuntimeOrigin::signed(REQUESTER), job, 1_000));
		let classes = [(11u8, 1u16), (12, 2), (21, 0), (22, 3), (13, 1)];
		for (leaf, (i, c)) in classes.iter().enumerate() {
			let proof = Datasets::inclusion_proof(0, leaf as u32).unwrap();
			let label = ConsensusLabel::<frame_support::traits::ConstU32<8>>::Class(*c).encode();
			assert!(Datasets::verify_inclusion(0, leaf as u32, item(*i), &label, &proof));
			// Another label, another item or another position fails.
			let wrong = ConsensusLabel::<frame_support::traits::ConstU32<8>>::Class(c + 1).encode();
			assert!(!Datasets::verify_inclusion(0, leaf as u32, item(*i), &wrong, &proof));
			assert!(!Datasets::verify_inclusion(0, leaf as u32, item(99), &label, &proof));
			assert!(!Datasets::verify_inclusion(
				0,
				(leaf as u32 + 1) % 5,
				item(*i),
				&label,
				&proof
			));
		}
		assert_eq!(Datasets::inclusion_proof(0, 5), None);
		assert_eq!(Datasets::inclusion_proof(1, 0), None);
	});
}

#[test]
fn claim_needs_something_to_claim() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Datasets::claim_payouts(RuntimeOrigin::signed(OWNER_A)),
			Error::<Test>::NothingToClaim
		);
		// The pallet account exists from genesis with the existential deposit only.
		assert_eq!(Balances::balance(&pallet_account()), 1);
		assert_eq!(held_payouts(), 0);
	});
}

/// The client queries: `api_dataset` (record, certificate and current quote),
/// `api_dataset_of_job` and `api_inclusion_proof` (leaf item, job index, encoded label and a
/// proof that verifies).
#[test]
fn api_reports_dataset_quote_and_proofs() {
	ExtBuilder::default().build_and_execute(|| {
		let job = scenario();
		assert_eq!(Datasets::api_dataset(0), None);
		assert_eq!(Datasets::api_dataset_of_job(job), None);
		assert_ok!(Datasets::publish_dataset(RuntimeOrigin::signed(REQUESTER), job, 1_000));
		let info = Datasets::api_dataset(0).unwrap();
		let stored = DatasetDetails::<Test>::get(0).unwrap();
		assert_eq!((info.job, info.publisher, info.root), (job, REQUESTER, stored.root));
		assert_eq!((info.items, info.price, info.listed, info.sales), (5, 1_000, true, 0));
		assert_eq!((info.quote, info.sellable), (1_000, 5));
		assert!(info.excluded.is_empty());
		assert_eq!(info.certificate, stored.certificate);
		assert_eq!(info.deposit, stored.deposit);
		assert_eq!(Datasets::api_dataset_of_job(job), Some(0));

		let p = Datasets::api_inclusion_proof(0, 2).unwrap();
		assert_eq!(
			(p.root, p.leaves, p.leaf, p.item, p.job_index),
			(stored.root, 5, 2, item(21), 2)
		);
		assert_eq!(
			p.label,
			ConsensusLabel::<frame_support::traits::ConstU32<8>>::Class(0).encode()
		);
		assert_eq!(Some(p.proof.clone()), Datasets::inclusion_proof(0, 2));
		assert!(Datasets::verify_inclusion(0, 2, p.item, &p.label, &p.proof));
		assert_eq!(Datasets::api_inclusion_proof(0, 5), None);
		assert_eq!(Datasets::api_inclusion_proof(1, 0), None);
	});
}

#[test]
fn the_publisher_earns_its_share_of_later_sales_out_of_the_platform_part() {
	ExtBuilder::default().build_and_execute(|| {
		let job = scenario();
		assert_ok!(Datasets::publish_dataset(RuntimeOrigin::signed(REQUESTER), job, 1_000));
		// The requester who paid for the labels takes 10 % of every later sale.
		assert_ok!(Datasets::set_publisher_share(
			RuntimeOrigin::signed(REQUESTER),
			0,
			Perbill::from_percent(10)
		));
		assert_eq!(
			events().last(),
			Some(&Event::PublisherShareSet { dataset: 0, share: Perbill::from_percent(10) })
		);
		let treasury = Balances::balance(&TREASURY);
		let buyer = Balances::balance(&BUYER);
		assert_ok!(Datasets::purchase_dataset(RuntimeOrigin::signed(BUYER), 0, 1_000));
		// Owners and labelers get exactly what they get without the share (see
		// `purchase_splits_exactly_and_owners_claim`); the publisher 100, the treasury 100. The
		// sale's deposit grows by the publisher part's entry (storage prefix 32, key 8 + 4,
		// balance 8: 52 bytes).
		assert_eq!(Unclaimed::<Test>::get(OWNER_A), Some(240));
		assert_eq!(Unclaimed::<Test>::get(OWNER_B), Some(160));
		assert_eq!(
			(Unclaimed::<Test>::get(5), Unclaimed::<Test>::get(6), Unclaimed::<Test>::get(7)),
			(Some(141), Some(196), Some(63))
		);
		assert_eq!(Unclaimed::<Test>::get(REQUESTER), Some(100));
		assert_eq!(Balances::balance(&TREASURY), treasury + 100);
		assert_eq!(Datasets::publisher_part_bytes(), 32 + 12 + 8);
		assert_eq!(Balances::balance(&BUYER), buyer - 1_000 - 438 - 52);
		assert_eq!(SalePublisherParts::<Test>::get(0), Some(100));
		let sale = Sales::<Test>::get(0).unwrap();
		assert_eq!((sale.owners, sale.labelers, sale.reserve), (400, 400, 100));
		assert!(events().contains(&Event::PublisherCredited {
			sale: 0,
			publisher: REQUESTER,
			amount: 100
		}));
		assert_eq!(held_payouts(), 900);
		let r = Balances::balance(&REQUESTER);
		assert_ok!(Datasets::claim_payouts(RuntimeOrigin::signed(REQUESTER)));
		assert_eq!(Balances::balance(&REQUESTER), r + 100);
		// Back to no share: the next sale pays the publisher nothing and stores no part.
		assert_ok!(Datasets::set_publisher_share(
			RuntimeOrigin::signed(REQUESTER),
			0,
			Perbill::zero()
		));
		assert_ok!(Datasets::purchase_dataset(RuntimeOrigin::signed(BUYER), 0, 1_000));
		assert_eq!(SalePublisherParts::<Test>::get(1), None);
		assert_eq!(Unclaimed::<Test>::get(REQUESTER), None);
	});
}

#[test]
fn attack_only_the_publisher_sets_its_share_and_never_above_the_platform_part() {
	ExtBuilder::default().build_and_execute(|| {
		let job = scenario();
		assert_ok!(Datasets::publish_dataset(RuntimeOrigin::signed(REQUESTER), job, 1_000));
		// An owner, a labeler or the buyer cannot divert the platform part to themselves.
		for who in [OWNER_A, 5, BUYER] {
			assert_noop!(
				Datasets::set_publisher_share(
					RuntimeOrigin::signed(who),
					0,
					Perbill::from_percent(5)
				),
				Error::<Test>::NotPublisher
			);
		}
		// The publisher cannot eat into the owners' and labelers' parts.
		assert_noop!(
			Datasets::set_publisher_share(
				RuntimeOrigin::signed(REQUESTER),
				0,
				Perbill::from_parts(100_000_001)
			),
			Error::<Test>::ShareAboveLimit
		);
		assert_noop!(
			Datasets::set_publisher_share(RuntimeOrigin::signed(REQUESTER), 7, Perbill::zero()),
			Error::<Test>::UnknownDataset
		);
		assert_eq!(PublisherShares::<Test>::get(0), None);
	});
}
