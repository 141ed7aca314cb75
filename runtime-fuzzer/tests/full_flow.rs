//! The whole CrowdLabel flow on the real runtime, deterministic: the three pallets together,
//! every call a signed extrinsic through the runtime's transaction extensions (fees, nonces),
//! every block opened and closed by `Executive`, and after every block all invariants
//! (`checks::check_state`: each pallet's `try_state`, holds, issuance, treasury).
//!
//! A curator creates a single-class domain with gold; four labelers register and qualify; a
//! data owner registers the job's items with consent; a requester posts a job (R = 3); the
//! labelers take packages, commit and reveal; one labels badly, is slashed to the treasury and
//! replaced; the job settles and the labelers claim; the requester publishes the dataset, a
//! buyer buys it and the owner, the labelers and the requester are paid their shares.

use crowdlabel_labels::{gold_commitment, label_commitment, LabelKind, Salt};
use crowdlabel_runtime::{
	AccountId, Balance, BlockNumber, Runtime, RuntimeCall, RuntimeEvent, CROL,
};
use crowdlabel_runtime_fuzzer::{
	chain::{self, Account, Chain},
	checks,
	model::{self, L as Label},
};
use frame_support::{traits::fungible::Inspect, BoundedVec};
use pallet_labelers::types::{DomainParams, Qualification, QualificationBar};
use sp_core::H256;
use sp_runtime::{FixedU128, Perbill};

type Balances = pallet_balances::Pallet<Runtime>;

const CLASSES: u16 = 4;
const ROUND: u32 = 10;
const SALT: Salt = [7u8; 32];

/// One call's outcome in a block: the call (signer and call) and its error, if it failed.
type Outcome = (String, Result<(), String>);

/// The chain, its accounts by role, and the next block number.
struct Flow {
	chain: Chain,
	accounts: Vec<Account>,
	number: BlockNumber,
	treasury: Balance,
}

impl Flow {
	fn new() -> Self {
		let accounts = chain::accounts();
		let chain = Chain::new(chain::genesis_storage(&accounts), 7);
		let mut flow = Self { chain, accounts, number: 0, treasury: 0 };
		flow.treasury = flow.chain.execute_with(checks::treasury_balance);
		flow
	}

	fn who(&self, name: &str) -> usize {
		self.accounts.iter().position(|a| a.name == name).expect("a fuzzing account")
	}

	fn id(&self, name: &str) -> AccountId {
		self.accounts[self.who(name)].id.clone()
	}

	/// Reads the chain's state.
	fn read<R>(&mut self, f: impl FnOnce() -> R) -> R {
		self.chain.execute_with(f)
	}

	/// One block `skip` numbers after the last with `calls` (signer name, call), each of which
	/// must succeed (a `sudo` call too); then every invariant is checked. Returns the events.
	fn block(&mut self, skip: BlockNumber, calls: Vec<(&str, RuntimeCall)>) -> Vec<RuntimeEvent> {
		let (events, outcomes) = self.block_outcomes(skip, calls);
		for (name, outcome) in outcomes {
			if let Err(e) = outcome {
				panic!("block {}: {name} failed: {e}", self.number);
			}
		}
		events
	}

	/// Like [`Flow::block`], but calls may fail: returns the events and each call's outcome
	/// (a failed dispatch, or a `sudo` call whose inner call failed, as an error).
	fn block_outcomes(
		&mut self,
		skip: BlockNumber,
		calls: Vec<(&str, RuntimeCall)>,
	) -> (Vec<RuntimeEvent>, Vec<Outcome>) {
		self.number += skip.max(1);
		let number = self.number;
		let parent = self.chain.parent();
		let signed: Vec<(usize, RuntimeCall)> =
			calls.into_iter().map(|(n, c)| (self.who(n), c)).collect();
		let accounts = &self.accounts;
		let treasury = self.treasury;
		let (events, outcomes, treasury) = self.chain.ext.execute_with(|| {
			Chain::start_block(number, parent).expect("block opens");
			let mut events = Vec::new();
			let mut outcomes = Vec::new();
			for (signer, call) in signed {
				let name = format!("{} {:?}", accounts[signer].name, call);
				let first = chain::event_count();
				let xt = chain::signed_extrinsic(&accounts[signer], call, 0);
				let mut outcome = match Chain::apply(xt) {
					Ok(Ok(())) => Ok(()),
					other => Err(format!("{other:?}")),
				};
				let new: Vec<RuntimeEvent> =
					chain::events_since(first).into_iter().map(|r| r.event).collect();
				for e in &new {
					if let RuntimeEvent::Sudo(pallet_sudo::Event::Sudid { sudo_result: Err(e) }) = e
					{
						outcome = Err(format!("under sudo: {e:?}"));
					}
				}
				events.extend(new);
				outcomes.push((name, outcome));
			}
			Chain::finish_block();
			if let Err(e) = checks::check_state(treasury) {
				panic!("block {number}: invariant violated: {e}");
			}
			(events, outcomes, checks::treasury_balance())
		});
		self.treasury = treasury;
		self.chain.next_parent(number);
		(events, outcomes)
	}
}

fn sudo(call: RuntimeCall) -> RuntimeCall {
	RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(call) })
}

fn bv<T: Clone, S: frame_support::traits::Get<u32>>(v: &[T]) -> BoundedVec<T, S> {
	BoundedVec::truncate_from(v.to_vec())
}

/// The true class of an item (the fuzzer's model of the world).
fn truth(item: &H256) -> Label {
	model::truth(&LabelKind::SingleClass { classes: CLASSES }, item)
}

/// A wrong class for an item.
fn wrong(item: &H256) -> Label {
	match truth(item) {
		Label::Class(c) => Label::Class((c + 1) % CLASSES),
		other => other,
	}
}

/// A curator (sudo) creates the single-class domain 0 and stocks gold for four rounds; the
/// `labelers` (at most four) register, answer their rounds correctly and qualify.
fn qualify(flow: &mut Flow, labelers: &[&'static str]) {
	// ---- A curator (sudo) creates a domain and stocks gold for four rounds. ----
	let params = DomainParams::<BlockNumber> {
		bar: QualificationBar::MinMeanAgreement(Perbill::from_percent(80)),
		round_size: ROUND,
		cooldown: 10,
		answer_window: 5,
		reveal_window: 5,
		sigma: FixedU128::from_rational(2, 10),
	};
	let gold: Vec<H256> = (0..4 * ROUND).map(|i| H256::from_low_u64_be(1_000 + i as u64)).collect();
	let stock: Vec<_> = gold.iter().map(|g| (*g, gold_commitment(&truth(g), &SALT))).collect();
	flow.block(
		1,
		vec![
			(
				"Alice",
				sudo(RuntimeCall::Labelers(pallet_labelers::Call::create_domain {
					name: bv(b"animals"),
					kind: LabelKind::SingleClass { classes: CLASSES },
					params,
				})),
			),
			(
				"Alice",
				sudo(RuntimeCall::Labelers(pallet_labelers::Call::add_gold {
					domain: 0,
					items: bv(&stock),
				})),
			),
		],
	);

	// ---- Four labelers register and ask for a qualification round. ----
	let mut calls = Vec::new();
	for &l in labelers {
		calls.push((
			l,
			RuntimeCall::Labelers(pallet_labelers::Call::register { domains: bv(&[0]) }),
		));
		calls.push((
			l,
			RuntimeCall::Labelers(pallet_labelers::Call::request_qualification { domain: 0 }),
		));
	}
	flow.block(1, calls);

	// ---- They answer their rounds' gold correctly; the curator reveals; all qualify. ----
	let rounds: Vec<(u32, Vec<H256>, String)> = flow.read(|| {
		pallet_labelers::Rounds::<Runtime>::iter()
			.map(|(id, r)| {
				let items = r
					.gold
					.iter()
					.map(|g| pallet_labelers::Gold::<Runtime>::get(g).expect("gold").item)
					.collect();
				(id, items, r.labeler.to_string())
			})
			.collect()
	});
	assert_eq!(rounds.len(), labelers.len());
	let name_of = |flow: &Flow, id: &str| -> &'static str {
		labelers
			.iter()
			.copied()
			.find(|l| flow.id(l).to_string() == id)
			.expect("a labeler")
	};
	let calls = rounds
		.iter()
		.map(|(round, items, who)| {
			let answers: Vec<Label> = items.iter().map(truth).collect();
			(
				name_of(&*flow, who),
				RuntimeCall::Labelers(pallet_labelers::Call::submit_qualification {
					round: *round,
					answers: bv(&answers),
				}),
			)
		})
		.collect();
	flow.block(1, calls);
	let calls = rounds
		.iter()
		.map(|(round, items, _)| {
			let reveals: Vec<(Label, Salt)> = items.iter().map(|i| (truth(i), SALT)).collect();
			(
				"Alice",
				sudo(RuntimeCall::Labelers(pallet_labelers::Call::reveal_gold {
					round: *round,
					reveals: bv(&reveals),
				})),
			)
		})
		.collect();
	flow.block(1, calls);
	for &l in labelers {
		let id = flow.id(l);
		let q = flow.read(|| pallet_labelers::Qualifications::<Runtime>::get(&id, 0));
		assert!(matches!(q, Some(Qualification::Qualified { .. })), "{l} qualified: {q:?}");
	}
}

#[test]
fn full_flow_with_real_pallets() {
	let mut flow = Flow::new();
	let labelers = ["fuzz1", "fuzz2", "fuzz3", "fuzz4"];
	let (requester, owner, buyer) = ("fuzz5", "fuzz6", "fuzz7");

	qualify(&mut flow, &labelers);

	// ---- The owner registers four items with consent; the requester posts a job on them. ----
	let items: Vec<H256> = (0..4).map(model::pool_item).collect();
	let cids: Vec<[u8; 36]> = items.iter().map(model::cid_of).collect();
	let budget = 100 * CROL;
	let spec = pallet_jobs::types::JobSpec {
		domain: 0,
		items: bv(&items),
		redundancy: 3,
		package_size: 2,
		budget,
		duration: 200,
		commit_window: 20,
		reveal_window: 20,
		challenges: None,
		workload: None,
	};
	let events = flow.block(
		1,
		vec![
			(
				owner,
				RuntimeCall::Datasets(pallet_datasets::Call::register_items {
					domain: 0,
					licence: bv(b"CC-BY-4.0"),
					opt_in: true,
					cids: bv(&cids),
				}),
			),
			(requester, RuntimeCall::Jobs(pallet_jobs::Call::create_job { spec })),
		],
	);
	let job = events
		.iter()
		.find_map(|e| match e {
			RuntimeEvent::Jobs(pallet_jobs::Event::JobCreated { job, .. }) => Some(*job),
			_ => None,
		})
		.expect("JobCreated");

	// ---- Labelers take packages (the pallet assigns them): fuzz4 first, then honest labelers
	// until every slot is taken, each choosing only while an open package is not yet theirs. ----
	let take = |flow: &mut Flow, l: &'static str| -> u32 {
		let events =
			flow.block(1, vec![(l, RuntimeCall::Jobs(pallet_jobs::Call::take_package { job }))]);
		events
			.iter()
			.find_map(|e| match e {
				RuntimeEvent::Jobs(pallet_jobs::Event::PackageTaken { package, .. }) => {
					Some(*package)
				},
				_ => None,
			})
			.expect("PackageTaken")
	};
	let mut held: Vec<(&str, u32)> = vec![("fuzz4", take(&mut flow, "fuzz4"))];
	loop {
		let open = flow.read(|| pallet_jobs::OpenPackages::<Runtime>::get(job));
		if open.is_empty() {
			break;
		}
		let l = ["fuzz1", "fuzz2", "fuzz3"]
			.into_iter()
			.find(|l| open.iter().any(|p| !held.contains(&(*l, *p))))
			.expect("an honest labeler can take an open package");
		let p = take(&mut flow, l);
		held.push((l, p));
	}
	assert_eq!(held.len(), 6, "2 packages x R = 3 slots: {held:?}");
	println!("assignments (labeler, package): {held:?}");

	let labels_for = |l: &str, package: u32| -> Vec<Label> {
		let p = &items[(2 * package) as usize..(2 * package + 2) as usize];
		if l == "fuzz4" {
			p.iter().map(wrong).collect()
		} else {
			p.iter().map(truth).collect()
		}
	};
	let commit = |flow: &Flow, l: &str, package: u32| {
		let labels: BoundedVec<Label, _> = bv(&labels_for(l, package));
		let c = label_commitment(&flow.id(l), job, package, &labels, &SALT);
		(
			RuntimeCall::Jobs(pallet_jobs::Call::commit_labels { job, package, commitment: c }),
			RuntimeCall::Jobs(pallet_jobs::Call::reveal_labels {
				job,
				package,
				labels,
				salt: SALT,
				redundancy: 3,
			}),
		)
	};
	let pairs: Vec<_> = held.iter().map(|(l, p)| (*l, commit(&flow, l, *p))).collect();
	flow.block(1, pairs.iter().map(|(l, (c, _))| (*l, c.clone())).collect());
	let treasury_before = flow.treasury;
	let bad = flow.id("fuzz4");
	let bad_before = flow.read(|| Balances::total_balance(&bad));
	let events = flow.block(1, pairs.iter().map(|(l, (_, r))| (*l, r.clone())).collect());

	// fuzz4's wrong labels are slashed to the treasury; the honest labels are accepted.
	let slashed: Vec<_> = events
		.iter()
		.filter_map(|e| match e {
			RuntimeEvent::Jobs(pallet_jobs::Event::DepositSlashed { labeler, amount, .. }) => {
				Some((labeler.clone(), *amount))
			},
			_ => None,
		})
		.collect();
	assert_eq!(slashed.len(), 1, "one slash: {slashed:?}");
	assert_eq!(slashed[0].0, bad);
	let fine = slashed[0].1;
	assert!(fine > 0);
	assert_eq!(flow.treasury, treasury_before + fine, "the fine went to the treasury");
	println!("fuzz4 slashed {fine} plancks to the treasury");
	assert!(flow.read(|| Balances::total_balance(&bad)) < bad_before);

	// ---- fuzz3 replaces fuzz4 in the package fuzz4 held; it completes. ----
	let freed = held.iter().find(|(l, _)| *l == "fuzz4").expect("fuzz4 held one").1;
	let replacement = ["fuzz3", "fuzz1", "fuzz2"]
		.into_iter()
		.find(|l| !held.iter().any(|(h, p)| h == l && *p == freed))
		.expect("a labeler not yet in the freed package");
	let events = flow
		.block(1, vec![(replacement, RuntimeCall::Jobs(pallet_jobs::Call::take_package { job }))]);
	assert!(events.iter().any(|e| matches!(
		e,
		RuntimeEvent::Jobs(pallet_jobs::Event::PackageTaken { package, .. }) if *package == freed
	)));
	let (c, r) = commit(&flow, replacement, freed);
	flow.block(1, vec![(replacement, c)]);
	flow.block(1, vec![(replacement, r)]);
	let complete = flow.read(|| pallet_jobs::JobDetails::<Runtime>::get(job).expect("job"));
	assert_eq!(complete.completed, 2);

	// ---- Settlement; the three honest labelers claim their rewards. ----
	flow.block(1, vec![(requester, RuntimeCall::Jobs(pallet_jobs::Call::settle_job { job }))]);
	let results = flow.read(|| pallet_jobs::Pallet::<Runtime>::api_job_results(job, 0, 10));
	assert_eq!(results.len(), 4);
	for r in &results {
		let expected = match truth(&r.item) {
			crowdlabel_labels::Label::Class(c) => crowdlabel_labels::ConsensusLabel::Class(c),
			_ => unreachable!("a class domain"),
		};
		assert_eq!(r.label, expected, "consensus of item {}", r.index);
	}
	let mut claims = Vec::new();
	for l in ["fuzz1", "fuzz2", "fuzz3"] {
		let id = flow.id(l);
		let owed = flow.read(|| pallet_jobs::UnclaimedRewards::<Runtime>::get(&id));
		assert!(owed > 0, "{l} earned a reward");
		println!("{l} earned {owed} plancks");
		claims.push((l, RuntimeCall::Jobs(pallet_jobs::Call::claim_rewards {})));
	}
	flow.block(1, claims);

	// ---- Publication and a sale; the owner claims the owners' share. ----
	let price = 10 * CROL;
	let events = flow.block(
		1,
		vec![(
			requester,
			RuntimeCall::Datasets(pallet_datasets::Call::publish_dataset { job, price }),
		)],
	);
	let dataset = events
		.iter()
		.find_map(|e| match e {
			RuntimeEvent::Datasets(pallet_datasets::Event::DatasetPublished {
				dataset, ..
			}) => Some(*dataset),
			_ => None,
		})
		.expect("DatasetPublished");
	let owner_id = flow.id(owner);
	let events = flow.block(
		1,
		vec![(
			buyer,
			RuntimeCall::Datasets(pallet_datasets::Call::purchase_dataset {
				dataset,
				max_price: price,
			}),
		)],
	);
	assert!(events.iter().any(|e| matches!(
		e,
		RuntimeEvent::Datasets(pallet_datasets::Event::DatasetPurchased { .. })
	)));
	let owed = flow
		.read(|| pallet_datasets::Unclaimed::<Runtime>::get(&owner_id))
		.unwrap_or_default();
	// Every item is the owner's, so the owners' share (40 %) of the price is theirs.
	assert_eq!(owed, Perbill::from_percent(40) * price);
	println!("sale at {price} plancks: the owner is owed {owed}");
	let before = flow.read(|| Balances::balance(&owner_id));
	flow.block(1, vec![(owner, RuntimeCall::Datasets(pallet_datasets::Call::claim_payouts {}))]);
	let after = flow.read(|| Balances::balance(&owner_id));
	assert!(after > before && after - before <= owed, "the owner received the share less the fee");
}

/// Labelers send their steps as `utility.batch_all` on the real runtime: three labelers take a
/// package in each of two jobs with one transaction, commit both with one and reveal both with
/// one; both packages are judged and complete. A batch whose second call fails (a commitment for
/// a package the labeler does not hold) changes nothing, not even its valid first call, and the
/// labeler can still commit afterwards.
#[test]
fn labelers_batch_their_steps() {
	let mut flow = Flow::new();
	let labelers = ["fuzz1", "fuzz2", "fuzz3"];
	qualify(&mut flow, &labelers);
	let job_spec = |first: u64| pallet_jobs::types::JobSpec {
		domain: 0,
		items: bv(&[H256::from_low_u64_be(first), H256::from_low_u64_be(first + 1)]),
		redundancy: 3,
		package_size: 2,
		budget: 100 * CROL,
		duration: 200,
		commit_window: 20,
		reveal_window: 20,
		challenges: None,
		workload: None,
	};
	let events = flow.block(
		1,
		vec![
			("fuzz5", RuntimeCall::Jobs(pallet_jobs::Call::create_job { spec: job_spec(50) })),
			("fuzz5", RuntimeCall::Jobs(pallet_jobs::Call::create_job { spec: job_spec(60) })),
		],
	);
	let jobs: Vec<u32> = events
		.iter()
		.filter_map(|e| match e {
			RuntimeEvent::Jobs(pallet_jobs::Event::JobCreated { job, .. }) => Some(*job),
			_ => None,
		})
		.collect();
	assert_eq!(jobs.len(), 2);
	let batch =
		|calls: Vec<RuntimeCall>| RuntimeCall::Utility(pallet_utility::Call::batch_all { calls });
	let jobs_call = |f: &dyn Fn(u32) -> pallet_jobs::Call<Runtime>| -> RuntimeCall {
		batch(jobs.iter().map(|j| RuntimeCall::Jobs(f(*j))).collect())
	};

	// One transaction per labeler takes a package in both jobs (each job has one package).
	let takes = labelers
		.iter()
		.map(|l| (*l, jobs_call(&|job| pallet_jobs::Call::take_package { job })))
		.collect();
	let events = flow.block(1, takes);
	let taken = events
		.iter()
		.filter(|e| matches!(e, RuntimeEvent::Jobs(pallet_jobs::Event::PackageTaken { .. })))
		.count();
	assert_eq!(taken, 6, "3 labelers x 2 jobs");

	let item_labels = |job: u32| -> BoundedVec<Label, _> {
		let spec = job_spec(if job == jobs[0] { 50 } else { 60 });
		bv(&spec.items.iter().map(truth).collect::<Vec<_>>())
	};
	let commit_of = |flow: &Flow, l: &str, job: u32, package: u32| {
		let c = label_commitment(&flow.id(l), job, package, &item_labels(job), &SALT);
		pallet_jobs::Call::<Runtime>::commit_labels { job, package, commitment: c }
	};

	// A batch whose second commitment names a package fuzz1 does not hold fails as a whole.
	let valid = commit_of(&flow, "fuzz1", jobs[0], 0);
	let stray = commit_of(&flow, "fuzz1", jobs[1], 7);
	let (events, outcomes) = flow.block_outcomes(
		1,
		vec![("fuzz1", batch(vec![RuntimeCall::Jobs(valid), RuntimeCall::Jobs(stray)]))],
	);
	assert!(outcomes[0].1.is_err(), "the batch failed: {outcomes:?}");
	assert!(!events
		.iter()
		.any(|e| matches!(e, RuntimeEvent::Jobs(pallet_jobs::Event::LabelsCommitted { .. }))));
	let id = flow.id("fuzz1");
	let state = flow.read(|| pallet_jobs::Assignments::<Runtime>::get((jobs[0], 0, &id)));
	assert!(
		matches!(state.map(|a| a.state), Some(pallet_jobs::types::AssignmentState::Taken)),
		"the valid first commit was rolled back with the batch"
	);

	// One transaction per labeler commits both packages, one reveals both; both are judged.
	let commits = labelers
		.iter()
		.map(|l| {
			let calls =
				jobs.iter().map(|j| RuntimeCall::Jobs(commit_of(&flow, l, *j, 0))).collect();
			(*l, batch(calls))
		})
		.collect();
	flow.block(1, commits);
	let reveals = labelers
		.iter()
		.map(|l| {
			let reveal = |job: u32| pallet_jobs::Call::reveal_labels {
				job,
				package: 0,
				labels: item_labels(job),
				salt: SALT,
				redundancy: 3,
			};
			(*l, jobs_call(&reveal))
		})
		.collect();
	let events = flow.block(1, reveals);
	let completed: Vec<u32> = events
		.iter()
		.filter_map(|e| match e {
			RuntimeEvent::Jobs(pallet_jobs::Event::PackageCompleted { job, .. }) => Some(*job),
			_ => None,
		})
		.collect();
	assert_eq!(completed, jobs, "both packages judged and complete, in call order");
	for job in &jobs {
		let results = flow.read(|| pallet_jobs::Pallet::<Runtime>::api_job_results(*job, 0, 10));
		assert_eq!(results.len(), 2);
		for r in &results {
			assert_eq!(r.label, crowdlabel_labels::truth_of(&truth(&r.item)), "item {}", r.index);
		}
	}
}
