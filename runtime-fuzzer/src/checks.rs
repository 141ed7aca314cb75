//! Invariants checked after every extrinsic (issuance) and after every block (everything).

use crowdlabel_runtime::{
	configs::{RuntimeBlockWeights, TreasuryAccount},
	AccountId, Balance, Runtime, RuntimeEvent, RuntimeHoldReason, EXISTENTIAL_DEPOSIT,
};
use crowdlabel_traits::WorkInProgress;
use frame_support::dispatch::DispatchClass;
use pallet_jobs::{AssignmentState, JobStatus};
use std::collections::{BTreeMap, BTreeSet};

type Jobs = pallet_jobs::Pallet<Runtime>;
type Datasets = pallet_datasets::Pallet<Runtime>;

/// How the total issuance may move: only by burned transaction fees, dust of reaped accounts
/// and explicit mints and burns, each announced by an event.
#[derive(Clone, Copy, Debug, Default)]
pub struct IssuanceMoves {
	/// Transaction fees paid (burned: the runtime's fee handler drops them).
	pub fees: Balance,
	/// Dust lost when accounts were reaped.
	pub dust: Balance,
	/// Minted (`Minted`) minus nothing.
	pub minted: Balance,
	/// Burned (`Burned`).
	pub burned: Balance,
}

impl IssuanceMoves {
	/// Collects the issuance moves announced by `events`.
	pub fn of(events: &[RuntimeEvent]) -> Self {
		let mut m = Self::default();
		for e in events {
			match e {
				RuntimeEvent::TransactionPayment(
					pallet_transaction_payment::Event::TransactionFeePaid { actual_fee, .. },
				) => m.fees += actual_fee,
				RuntimeEvent::Balances(pallet_balances::Event::DustLost { amount, .. }) => {
					m.dust += amount
				},
				RuntimeEvent::Balances(pallet_balances::Event::Minted { amount, .. }) => {
					m.minted += amount
				},
				RuntimeEvent::Balances(pallet_balances::Event::Burned { amount, .. }) => {
					m.burned += amount
				},
				_ => {},
			}
		}
		m
	}

	/// The issuance expected after these moves from `before`.
	pub fn apply(&self, before: Balance) -> Balance {
		before
			.saturating_add(self.minted)
			.saturating_sub(self.fees)
			.saturating_sub(self.dust)
			.saturating_sub(self.burned)
	}
}

/// The total issuance now.
pub fn issuance() -> Balance {
	pallet_balances::TotalIssuance::<Runtime>::get()
}

/// Balance of the treasury (free + held), which only ever receives.
pub fn treasury_balance() -> Balance {
	let data = frame_system::Account::<Runtime>::get(TreasuryAccount::get()).data;
	data.free + data.reserved
}

fn reason_name(r: &RuntimeHoldReason) -> String {
	format!("{r:?}")
}

/// Holds the pallets' records require: `(account, reason) -> amount`, for the hold reasons this
/// fuzzer knows (see [`known_reason`]).
fn expected_holds() -> BTreeMap<(AccountId, String), Balance> {
	use RuntimeHoldReason as R;
	let mut out: BTreeMap<(AccountId, String), Balance> = BTreeMap::new();
	let mut add = |who: &AccountId, reason: RuntimeHoldReason, amount: Balance| {
		if amount > 0 {
			*out.entry((who.clone(), reason_name(&reason))).or_default() += amount;
		}
	};
	for (who, l) in pallet_labelers::Registrations::<Runtime>::iter() {
		match pallet_labelers::Sponsors::<Runtime>::get(&who) {
			Some(sponsor) => add(
				&sponsor,
				R::Labelers(pallet_labelers::HoldReason::SponsoredRegistration),
				l.deposit,
			),
			None => add(&who, R::Labelers(pallet_labelers::HoldReason::Registration), l.deposit),
		}
	}
	for (_, r) in pallet_labelers::Rounds::<Runtime>::iter() {
		add(&r.labeler, R::Labelers(pallet_labelers::HoldReason::QualificationRound), r.deposit);
	}
	for (_, j) in pallet_jobs::JobDetails::<Runtime>::iter() {
		if j.status != JobStatus::Settled {
			add(&j.requester, R::Jobs(pallet_jobs::HoldReason::JobEscrow), j.budget);
		}
		add(&j.requester, R::Jobs(pallet_jobs::HoldReason::JobStorage), j.storage_deposit);
	}
	for ((_, _, who), a) in pallet_jobs::Assignments::<Runtime>::iter() {
		if !matches!(a.state, AssignmentState::Accepted(_)) {
			add(&who, R::Jobs(pallet_jobs::HoldReason::PackageDeposit), a.deposit);
		}
	}
	// Accepted deposits kept on hold as idle stakes while their labelers hold more of the job.
	for (_, who, w) in pallet_jobs::Workload::<Runtime>::iter() {
		add(&who, R::Jobs(pallet_jobs::HoldReason::PackageDeposit), w.idle);
	}
	let rewards: Balance = pallet_jobs::UnclaimedRewards::<Runtime>::iter_values().sum();
	add(&Jobs::account_id(), R::Jobs(pallet_jobs::HoldReason::UnclaimedReward), rewards);
	for (_, d) in pallet_datasets::DataItems::<Runtime>::iter() {
		add(&d.owner, R::Datasets(pallet_datasets::HoldReason::ItemDeposit), d.deposit);
	}
	for (_, ds) in pallet_datasets::DatasetDetails::<Runtime>::iter() {
		add(&ds.publisher, R::Datasets(pallet_datasets::HoldReason::DatasetStorage), ds.deposit);
	}
	for (_, sale) in pallet_datasets::Sales::<Runtime>::iter() {
		add(&sale.buyer, R::Datasets(pallet_datasets::HoldReason::SaleStorage), sale.deposit);
	}
	let payouts: Balance = pallet_datasets::Unclaimed::<Runtime>::iter_values().sum();
	add(
		&Datasets::account_id(),
		R::Datasets(pallet_datasets::HoldReason::UnclaimedPayout),
		payouts,
	);
	out
}

/// Whether this fuzzer derives the expected amount of holds of this reason from pallet records
/// (a reason added later is reported in the histogram as not cross-checked).
#[allow(unreachable_patterns)]
fn known_reason(r: &RuntimeHoldReason) -> bool {
	use RuntimeHoldReason as R;
	matches!(
		r,
		R::Labelers(pallet_labelers::HoldReason::Registration)
			| R::Labelers(pallet_labelers::HoldReason::QualificationRound)
			| R::Labelers(pallet_labelers::HoldReason::SponsoredRegistration)
			| R::Jobs(pallet_jobs::HoldReason::JobEscrow)
			| R::Jobs(pallet_jobs::HoldReason::JobStorage)
			| R::Jobs(pallet_jobs::HoldReason::PackageDeposit)
			| R::Jobs(pallet_jobs::HoldReason::UnclaimedReward)
			| R::Datasets(pallet_datasets::HoldReason::ItemDeposit)
			| R::Datasets(pallet_datasets::HoldReason::DatasetStorage)
			| R::Datasets(pallet_datasets::HoldReason::SaleStorage)
			| R::Datasets(pallet_datasets::HoldReason::UnclaimedPayout)
	)
}

/// Every invariant of the chain's state, checked after a block; the first violation found.
pub fn check_state(treasury_before: Balance) -> Result<(), String> {
	// Balances: issuance is the sum of all accounts, holds make up the reserved balance, no
	// account is kept by consumers alone.
	let mut total: Balance = 0;
	for (who, info) in frame_system::Account::<Runtime>::iter() {
		total = total.saturating_add(info.data.free).saturating_add(info.data.reserved);
		let held: Balance =
			pallet_balances::Holds::<Runtime>::get(&who).iter().map(|h| h.amount).sum();
		if held != info.data.reserved {
			return Err(format!(
				"account {who}: holds sum to {held} but reserved is {}",
				info.data.reserved
			));
		}
		if info.consumers > 0 && info.providers == 0 {
			return Err(format!("account {who}: {} consumers and no provider", info.consumers));
		}
		if info.data.frozen != 0 {
			return Err(format!("account {who}: frozen {} without locks", info.data.frozen));
		}
	}
	let issuance = issuance();
	if total != issuance {
		return Err(format!(
			"total issuance {issuance} != sum of free + reserved over all accounts {total}"
		));
	}

	// Every hold matches a pallet record, and every record's deposit is held.
	let expected = expected_holds();
	let mut actual: BTreeMap<(AccountId, String), Balance> = BTreeMap::new();
	for (who, holds) in pallet_balances::Holds::<Runtime>::iter() {
		for h in holds.iter().filter(|h| known_reason(&h.id)) {
			*actual.entry((who.clone(), reason_name(&h.id))).or_default() += h.amount;
		}
	}
	for (key, amount) in actual.iter() {
		let want = expected.get(key).copied().unwrap_or_default();
		if want != *amount {
			return Err(format!(
				"hold {} of {} is {amount}, pallet records require {want}",
				key.1, key.0
			));
		}
	}
	for (key, want) in expected.iter() {
		if !actual.contains_key(key) {
			return Err(format!(
				"pallet records require hold {} of {} = {want}, none held",
				key.1, key.0
			));
		}
	}

	// Pending work: open rounds plus packages held in jobs. The labelers pallet asks the jobs
	// pallet's `WorkInProgress` before a registration ends: it must answer "working" exactly
	// for the accounts with an open package, and no open work may belong to an account that
	// left (the leave was refused while it had any).
	let mut open_work: BTreeMap<AccountId, u32> = BTreeMap::new();
	let mut packages: BTreeSet<AccountId> = BTreeSet::new();
	for (who, _, _) in pallet_labelers::OpenRound::<Runtime>::iter() {
		*open_work.entry(who).or_default() += 1;
	}
	for ((_, _, who), a) in pallet_jobs::Assignments::<Runtime>::iter() {
		if !matches!(a.state, AssignmentState::Accepted(_)) {
			*open_work.entry(who.clone()).or_default() += 1;
			packages.insert(who);
		}
	}
	for (who, _) in pallet_balances::Holds::<Runtime>::iter() {
		let working = <Jobs as WorkInProgress<AccountId>>::has_work(&who);
		if working != packages.contains(&who) {
			return Err(format!(
				"account {who}: WorkInProgress says {working}, open packages: {}",
				packages.contains(&who)
			));
		}
	}
	for who in pallet_labelers::Registrations::<Runtime>::iter_keys() {
		open_work.remove(&who);
	}
	if let Some((who, n)) = open_work.into_iter().next() {
		return Err(format!("unregistered account {who} has {n} open rounds/packages"));
	}

	// Pallet accounts stay alive; the treasury never loses funds.
	for (name, who) in [("jobs", Jobs::account_id()), ("datasets", Datasets::account_id())] {
		let free = pallet_balances::Pallet::<Runtime>::free_balance(&who);
		if free < EXISTENTIAL_DEPOSIT {
			return Err(format!("{name} pallet account free balance {free} below the ED"));
		}
	}
	let treasury = treasury_balance();
	if treasury < treasury_before {
		return Err(format!("treasury balance fell from {treasury_before} to {treasury}"));
	}

	// The pallets' own invariants.
	pallet_labelers::Pallet::<Runtime>::do_try_state()
		.map_err(|e| format!("labelers try_state: {e:?}"))?;
	pallet_jobs::Pallet::<Runtime>::do_try_state().map_err(|e| format!("jobs try_state: {e:?}"))?;
	pallet_datasets::Pallet::<Runtime>::do_try_state()
		.map_err(|e| format!("datasets try_state: {e:?}"))?;
	pallet_faucet::Pallet::<Runtime>::do_try_state()
		.map_err(|e| format!("faucet try_state: {e:?}"))?;

	// Block weight within the limits.
	let weights = RuntimeBlockWeights::get();
	let used = frame_system::Pallet::<Runtime>::block_weight();
	if !used.total().all_lte(weights.max_block) {
		return Err(format!(
			"block weight {:?} above the maximum {:?}",
			used.total(),
			weights.max_block
		));
	}
	let normal = weights.get(DispatchClass::Normal);
	if let Some(max) = normal.max_total {
		if !used.get(DispatchClass::Normal).all_lte(max) {
			return Err(format!(
				"normal-class weight {:?} above its maximum {max:?}",
				used.get(DispatchClass::Normal)
			));
		}
	}
	Ok(())
}

/// Hold reasons found on chain that the fuzzer does not derive from pallet records.
pub fn unknown_hold_reasons() -> Vec<String> {
	let mut out: Vec<String> = pallet_balances::Holds::<Runtime>::iter()
		.flat_map(|(_, holds)| {
			holds.into_iter().filter(|h| !known_reason(&h.id)).map(|h| reason_name(&h.id))
		})
		.collect();
	out.sort();
	out.dedup();
	out
}

/// Keys and bytes (key + value) of all storage entries under `prefix`.
fn bytes_under(prefix: &[u8]) -> (u32, u64) {
	let (mut entries, mut bytes) = (0u32, 0u64);
	let mut key = prefix.to_vec();
	if let Some(v) = sp_io::storage::get(prefix) {
		entries += 1;
		bytes += (prefix.len() + v.len()) as u64;
	}
	while let Some(next) = sp_io::storage::next_key(&key) {
		if !next.starts_with(prefix) {
			break;
		}
		let len = sp_io::storage::get(&next).map(|v| v.len()).unwrap_or_default();
		entries += 1;
		bytes += (next.len() + len) as u64;
		key = next;
	}
	(entries, bytes)
}

/// Entries and bytes of `pallet::item` whose first key is the `Twox64Concat` id `id`.
fn bytes_of(pallet: &str, item: &str, id: u32) -> (u32, u64) {
	use codec::Encode;
	use frame_support::{StorageHasher, Twox64Concat};
	let mut prefix =
		frame_support::storage::storage_prefix(pallet.as_bytes(), item.as_bytes()).to_vec();
	prefix.extend(Twox64Concat::hash(&id.encode()));
	bytes_under(&prefix)
}

/// User-created storage is paid for: the bytes a job, a dataset, a sale or a registered item
/// stores are covered by its held storage deposit (at the runtime's price per byte), and a
/// pruned job leaves nothing behind.
pub fn check_storage_deposits() -> Result<(), String> {
	let per_byte: Balance = <Runtime as pallet_jobs::Config>::StorageDepositPerByte::get();
	for job in 0..pallet_jobs::NextJobId::<Runtime>::get() {
		let kept = ["Jobs", "JobItems", "OpenPackages", "Packages", "Results", "Contributions"];
		let work = ["Assignments", "Workload"];
		let mut stored = 0u64;
		let mut parts: Vec<String> = Vec::new();
		for item in kept {
			let (n, b) = bytes_of("Jobs", item, job);
			stored += b;
			if n > 0 {
				parts.push(format!("{item}: {n} entries, {b} bytes"));
			}
		}
		match pallet_jobs::JobDetails::<Runtime>::get(job) {
			Some(j) => {
				let needed = per_byte.saturating_mul(stored as Balance);
				if needed > j.storage_deposit {
					return Err(format!(
						"job {job} stores {stored} bytes ({}) worth {needed} at {per_byte} per \
						 byte, but its storage deposit is {}",
						parts.join("; "),
						j.storage_deposit
					));
				}
			},
			None => {
				for item in work {
					let (n, b) = bytes_of("Jobs", item, job);
					if n > 0 {
						parts.push(format!("{item}: {n} entries, {b} bytes"));
					}
				}
				if !parts.is_empty() {
					return Err(format!(
						"pruned job {job} left storage behind: {}",
						parts.join("; ")
					));
				}
			},
		}
	}

	let per_byte: Balance = <Runtime as pallet_datasets::Config>::StorageDepositPerByte::get();
	for (id, ds) in pallet_datasets::DatasetDetails::<Runtime>::iter() {
		let mut stored = 0u64;
		let mut parts: Vec<String> = Vec::new();
		for item in ["Datasets", "DatasetItems", "DatasetContributors"] {
			let (n, b) = bytes_of("Datasets", item, id);
			stored += b;
			parts.push(format!("{item}: {n} entries, {b} bytes"));
		}
		let (_, b) = bytes_of("Datasets", "DatasetOfJob", ds.job);
		stored += b;
		parts.push(format!("DatasetOfJob: {b} bytes"));
		let needed = per_byte.saturating_mul(stored as Balance);
		if needed > ds.deposit {
			return Err(format!(
				"dataset {id} stores {stored} bytes ({}) worth {needed}, but its deposit is {}",
				parts.join("; "),
				ds.deposit
			));
		}
	}
	let mut owner_sale_bytes: BTreeMap<u32, u64> = BTreeMap::new();
	for (_, sale, entry) in pallet_datasets::OwnerSales::<Runtime>::iter() {
		use codec::Encode;
		// Key: prefixes, blake2_128 ++ account, twox64 ++ sale id.
		*owner_sale_bytes.entry(sale).or_default() += (32 + 48 + 12 + entry.encode().len()) as u64;
	}
	for (id, sale) in pallet_datasets::Sales::<Runtime>::iter() {
		let (_, s) = bytes_of("Datasets", "Sales", id);
		let (_, x) = bytes_of("Datasets", "SaleExclusions", id);
		let o = owner_sale_bytes.get(&id).copied().unwrap_or_default();
		let stored = s + x + o;
		let needed = per_byte.saturating_mul(stored as Balance);
		if needed > sale.deposit {
			return Err(format!(
				"sale {id} stores {stored} bytes (Sales {s}, SaleExclusions {x}, OwnerSales {o}) \
				 worth {needed}, but its deposit is {}",
				sale.deposit
			));
		}
	}
	for (item, d) in pallet_datasets::DataItems::<Runtime>::iter() {
		use codec::Encode;
		let stored = (32 + 16 + 32 + d.encode().len()) as u64;
		let needed = per_byte.saturating_mul(stored as Balance);
		if needed > d.deposit {
			return Err(format!(
				"data item {item:?} stores {stored} bytes worth {needed}, but its deposit is {}",
				d.deposit
			));
		}
	}
	Ok(())
}
