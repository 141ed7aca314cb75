//! # CrowdLabel runtime fuzzer
//!
//! A stateful fuzzer over the **real runtime** (`crowdlabel-runtime`, native), in the spirit of
//! the public substrate-runtime-fuzzer: random, mostly plausible sequences of signed extrinsics
//! of the labelers, jobs, datasets and balances pallets by a few dozen accounts, with block
//! boundaries, starting from the runtime's `development` genesis preset.
//!
//! Every extrinsic is signed (sr25519) and applied with `Executive::apply_extrinsic`, so it goes
//! through the runtime's transaction extensions like a real one: nonce, `CheckWeight`, and the
//! transaction fee. Curator calls go through `sudo` (Alice). Blocks are opened with an Aura
//! pre-digest and the timestamp inherent and closed with `Executive::finalize_block`; block
//! numbers mostly advance by one, sometimes jump (deadlines, retention periods).
//!
//! Checked after every extrinsic: no panic; the total issuance moved only by the fees paid
//! (burned), dust and announced mints/burns; every signed call except the sudo key's paid a fee.
//! After every block ([`checks::check_state`]): total issuance equals the sum of all accounts'
//! free and reserved balances (holds make up the reserved balance); every hold matches a pallet
//! record and every record's deposit is held (both directions, per account and reason); the
//! jobs pallet reports work in progress exactly for the holders of open packages, and no open
//! round or package belongs to an unregistered account; the pallet accounts stay
//! alive and the treasury never loses funds; `do_try_state` of labelers, jobs and datasets;
//! block weight within the limits. And ([`checks::check_storage_deposits`]): the bytes a job, a
//! dataset, a sale or a data item stores are covered by its storage deposit, and a pruned job
//! leaves no storage behind.
//!
//! The histogram also shows, per call, the longest application, the ratio of measured time to
//! charged weight (native, in-memory state: well below 1 is normal; near 1 means a weight is too
//! low) and the largest declared weight as a share of a block's normal-class capacity.
//!
//! A run is reproducible from its seed: the PRNG is seeded, and the block hashes the runtime
//! draws its randomness from are derived from the seed.

pub mod chain;
pub mod checks;
pub mod gen;
pub mod model;
pub mod rng;

use chain::{Account, Chain};
use crowdlabel_runtime::{
	configs::RuntimeBlockWeights, Balance, BlockNumber, Runtime, RuntimeCall, RuntimeError,
	RuntimeEvent,
};
use frame_support::{
	dispatch::{DispatchClass, GetDispatchInfo},
	traits::GetCallMetadata,
};
use sp_runtime::{DispatchError, Storage};
use std::{
	collections::BTreeMap,
	fmt,
	panic::{catch_unwind, AssertUnwindSafe},
	time::{Duration, Instant},
};

/// Parameters of one episode (one chain from genesis).
#[derive(Clone, Debug)]
pub struct Options {
	/// Seed of the episode.
	pub seed: u64,
	/// Blocks to build.
	pub blocks: u32,
	/// Most signed extrinsics per block.
	pub max_extrinsics: u32,
	/// Print every extrinsic.
	pub verbose: bool,
	/// Check that stored bytes are covered by storage deposits (see
	/// [`checks::check_storage_deposits`]); can be turned off to look for other violations
	/// while a known one is open.
	pub storage_deposits: bool,
}

impl Default for Options {
	fn default() -> Self {
		Self { seed: 0, blocks: 300, max_extrinsics: 24, verbose: false, storage_deposits: true }
	}
}

/// Outcomes of one call.
#[derive(Clone, Debug, Default)]
pub struct CallStats {
	/// Applied and dispatched successfully.
	pub ok: u64,
	/// Failures by error name.
	pub errors: BTreeMap<String, u64>,
	/// Longest time one application took (signature check included).
	pub max_time: Duration,
	/// Total time of the applications that were dispatched, in picoseconds.
	pub time_ps: u128,
	/// Total weight (ref time, base extrinsic weight included) charged for them, in
	/// picoseconds. `time_ps / weight_ps` well below 1 is expected: weights include database
	/// costs the in-memory state does not have; near or above 1 means the weight is too low.
	pub weight_ps: u128,
	/// Largest weight (ref time) a call declared before dispatch.
	pub max_declared: u64,
}

/// The Ok/Err histogram per call and run totals.
#[derive(Clone, Debug, Default)]
pub struct Histogram {
	/// Per call (`Pallet.call`, `Sudo.sudo(Pallet.call)`).
	pub calls: BTreeMap<String, CallStats>,
	/// Episodes run.
	pub episodes: u64,
	/// Blocks built.
	pub blocks: u64,
	/// Signed extrinsics applied.
	pub extrinsics: u64,
	/// Transaction fees paid (burned).
	pub fees: Balance,
	/// Dust lost by reaped accounts.
	pub dust: Balance,
	/// Hold reasons seen that the fuzzer does not cross-check with pallet records.
	pub unchecked_hold_reasons: Vec<String>,
}

impl Histogram {
	fn record(
		&mut self,
		call: &str,
		result: Result<(), String>,
		time: Duration,
		charged: Option<u64>,
		declared: u64,
	) {
		let stats = self.calls.entry(call.to_string()).or_default();
		match result {
			Ok(()) => stats.ok += 1,
			Err(e) => *stats.errors.entry(e).or_default() += 1,
		}
		stats.max_time = stats.max_time.max(time);
		if let Some(weight) = charged {
			stats.time_ps += time.as_nanos() * 1000;
			stats.weight_ps += weight as u128;
		}
		stats.max_declared = stats.max_declared.max(declared);
	}

	/// Number of successful applications of `call`.
	pub fn ok(&self, call: &str) -> u64 {
		self.calls.get(call).map(|s| s.ok).unwrap_or_default()
	}
}

impl fmt::Display for Histogram {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		writeln!(
			f,
			"{} episodes, {} blocks, {} signed extrinsics, fees burned {} planck, dust {} planck",
			self.episodes, self.blocks, self.extrinsics, self.fees, self.dust
		)?;
		let block = RuntimeBlockWeights::get()
			.get(DispatchClass::Normal)
			.max_total
			.unwrap_or(RuntimeBlockWeights::get().max_block)
			.ref_time()
			.max(1);
		writeln!(
			f,
			"{:<44} {:>6} {:>6} {:>9} {:>8} {:>10} {:>7}",
			"call / error", "ok", "err", "max time", "time/wt", "max weight", "% block"
		)?;
		for (call, s) in &self.calls {
			let err: u64 = s.errors.values().sum();
			writeln!(
				f,
				"{:<44} {:>6} {:>6} {:>7.2}ms {:>8.3} {:>8.2}ms {:>6.1}%",
				call,
				s.ok,
				err,
				s.max_time.as_secs_f64() * 1000.0,
				s.time_ps as f64 / s.weight_ps.max(1) as f64,
				s.max_declared as f64 / 1e9,
				s.max_declared as f64 * 100.0 / block as f64,
			)?;
			let mut errors: Vec<_> = s.errors.iter().collect();
			errors.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
			for (e, n) in errors {
				writeln!(f, "  {:<42} {:>6} {:>6}", e, "", n)?;
			}
		}
		if !self.unchecked_hold_reasons.is_empty() {
			writeln!(
				f,
				"hold reasons not cross-checked with records: {}",
				self.unchecked_hold_reasons.join(", ")
			)?;
		}
		Ok(())
	}
}

/// An invariant violation.
#[derive(Clone, Debug)]
pub struct Failure {
	/// Seed of the failing episode (replay with `--seed <seed> --episodes 1`).
	pub seed: u64,
	/// Block in which it happened.
	pub block: BlockNumber,
	/// What was violated.
	pub reason: String,
	/// The extrinsics of the failing block, in order, with their results.
	pub calls: Vec<String>,
}

impl fmt::Display for Failure {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		writeln!(
			f,
			"INVARIANT VIOLATION (seed {}, block {}): {}",
			self.seed, self.block, self.reason
		)?;
		writeln!(f, "extrinsics of block {}:", self.block)?;
		for c in &self.calls {
			writeln!(f, "  {c}")?;
		}
		write!(f, "replay: crowdlabel-runtime-fuzz --seed {} --episodes 1", self.seed)
	}
}

/// Name of a call for the histogram: `Pallet.call`, or `Sudo.sudo(Pallet.call)`.
pub fn call_name(call: &RuntimeCall) -> String {
	let m = call.get_call_metadata();
	match call {
		RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: inner }) => {
			format!("Sudo.sudo({})", call_name(inner))
		},
		_ => format!("{}.{}", m.pallet_name, m.function_name),
	}
}

/// Name of a dispatch error: the pallet error (`Jobs(NotAssigned)`) or the generic one.
pub fn error_name(e: DispatchError) -> String {
	match e {
		DispatchError::Module(_) => match RuntimeError::from_dispatch_error(e) {
			Some(r) => format!("{r:?}"),
			None => format!("{e:?}"),
		},
		other => format!("{other:?}"),
	}
}

/// The fuzzer: accounts and genesis, shared by all episodes.
pub struct Fuzzer {
	accounts: Vec<Account>,
	genesis: Storage,
}

impl Default for Fuzzer {
	fn default() -> Self {
		Self::new()
	}
}

/// Blocks to advance: mostly one, sometimes a few, rarely a long jump past the jobs' retention
/// period (pruning becomes possible).
fn advance(rng: &mut rng::Rng) -> BlockNumber {
	match rng.below(1000) {
		0..=849 => 1,
		850..=959 => rng.range32(2, 10),
		960..=994 => rng.range32(10, 60),
		_ => <Runtime as pallet_jobs::Config>::RetentionPeriod::get().saturating_add(1),
	}
}

impl Fuzzer {
	/// Builds the accounts and the genesis state.
	pub fn new() -> Self {
		let accounts = chain::accounts();
		let genesis = chain::genesis_storage(&accounts);
		Self { accounts, genesis }
	}

	/// The accounts the fuzzer signs for.
	pub fn accounts(&self) -> &[Account] {
		&self.accounts
	}

	/// Runs one episode from genesis, adding its outcomes to `hist`.
	pub fn run_episode(&self, opts: &Options, hist: &mut Histogram) -> Result<(), Failure> {
		let mut chain = Chain::new(self.genesis.clone(), opts.seed);
		let mut rng = rng::Rng::new(opts.seed);
		let mut secrets = model::Secrets::default();
		let base_extrinsic = RuntimeBlockWeights::get().get(DispatchClass::Normal).base_extrinsic;
		let (mut expected_issuance, mut treasury) =
			chain.execute_with(|| (checks::issuance(), checks::treasury_balance()));
		hist.episodes += 1;
		let mut number: BlockNumber = 0;
		for b in 0..opts.blocks {
			number = number.saturating_add(if b == 0 { 1 } else { advance(&mut rng) });
			let mut log: Vec<String> = Vec::new();
			let fail = |reason: String, log: &Vec<String>| Failure {
				seed: opts.seed,
				block: number,
				reason,
				calls: log.clone(),
			};
			let parent = chain.parent();
			let result = chain.ext.execute_with(|| -> Result<(), Failure> {
				catch_unwind(AssertUnwindSafe(|| Chain::start_block(number, parent)))
					.map_err(|p| {
						fail(format!("panic opening the block: {}", panic_text(&p)), &log)
					})?
					.map_err(|e| fail(e, &log))?;
				let opened = checks::issuance();
				if opened != expected_issuance {
					return Err(fail(
						format!("issuance changed between blocks: {expected_issuance} -> {opened}"),
						&log,
					));
				}
				let n = rng.range32(0, opts.max_extrinsics);
				for i in 0..n {
					let action = gen::Gen {
						rng: &mut rng,
						accounts: &self.accounts,
						secrets: &mut secrets,
						now: number,
					}
					.next_action();
					let signer = &self.accounts[action.signer];
					let name = call_name(&action.call);
					let tip = if rng.chance(5) { rng.range128(1, 1_000_000) } else { 0 };
					let declared = action.call.get_dispatch_info().call_weight.ref_time();
					let xt = chain::signed_extrinsic(signer, action.call.clone(), tip);
					let first_event = chain::event_count();
					let before = checks::issuance();
					let started = Instant::now();
					let applied =
						catch_unwind(AssertUnwindSafe(|| Chain::apply(xt))).map_err(|p| {
							let mut log = log.clone();
							log.push(format!("[{i}] {} {:?} -> PANIC", signer.name, action.call));
							fail(format!("panic in {name}: {}", panic_text(&p)), &log)
						})?;
					let time = started.elapsed();
					let events: Vec<RuntimeEvent> =
						chain::events_since(first_event).into_iter().map(|r| r.event).collect();
					let outcome: Result<(), String> = match &applied {
						Err(e) => Err(format!("{e:?}")),
						Ok(Err(e)) => Err(error_name(*e)),
						Ok(Ok(())) => events
							.iter()
							.find_map(|e| match e {
								RuntimeEvent::Sudo(pallet_sudo::Event::Sudid {
									sudo_result: Err(e),
								}) => Some(Err(error_name(*e))),
								_ => None,
							})
							.unwrap_or(Ok(())),
					};
					let weight = events
						.iter()
						.find_map(|e| match e {
							RuntimeEvent::System(frame_system::Event::ExtrinsicSuccess {
								dispatch_info,
							})
							| RuntimeEvent::System(frame_system::Event::ExtrinsicFailed {
								dispatch_info,
								..
							}) => Some(dispatch_info.weight),
							_ => None,
						})
						.unwrap_or_default()
						.saturating_add(base_extrinsic);
					let charged = applied.is_ok().then_some(weight.ref_time());
					hist.record(&name, outcome.clone(), time, charged, declared);
					hist.extrinsics += 1;
					let line = format!(
						"[{i}] {} {:?} -> {}",
						signer.name,
						action.call,
						match &outcome {
							Ok(()) => "Ok".to_string(),
							Err(e) => e.clone(),
						}
					);
					if opts.verbose {
						println!("#{number} {line}");
					}
					log.push(line);

					// Issuance moves only as the events announce.
					let moves = checks::IssuanceMoves::of(&events);
					let after = checks::issuance();
					if after != moves.apply(before) {
						return Err(fail(
							format!(
								"issuance {before} -> {after} in {name}, events announce {moves:?}"
							),
							&log,
						));
					}
					// Every signed call pays a fee (only the sudo key's successful calls are
					// free); a free failing call would be free spam.
					if applied.is_ok() && moves.fees == 0 && action.signer != gen::SUDO {
						return Err(fail(format!("{name} was applied without a fee"), &log));
					}
					hist.fees += moves.fees;
					hist.dust += moves.dust;

					if let gen::Post::JobCreated(Some(secret)) = action.post {
						if let Some(job) = gen::created_job(&events) {
							secrets.challenges.insert(job, secret);
						}
					}
				}
				let before_close = checks::issuance();
				let first_event = chain::event_count();
				catch_unwind(AssertUnwindSafe(Chain::finish_block)).map_err(|p| {
					fail(format!("panic closing the block: {}", panic_text(&p)), &log)
				})?;
				let events: Vec<RuntimeEvent> =
					chain::events_since(first_event).into_iter().map(|r| r.event).collect();
				let closed = checks::issuance();
				let moves = checks::IssuanceMoves::of(&events);
				if closed != moves.apply(before_close) {
					return Err(fail(
						format!("issuance {before_close} -> {closed} in on_idle/on_finalize"),
						&log,
					));
				}
				expected_issuance = closed;
				checks::check_state(treasury).map_err(|e| fail(e, &log))?;
				if opts.storage_deposits {
					checks::check_storage_deposits().map_err(|e| fail(e, &log))?;
				}
				treasury = checks::treasury_balance();
				for r in checks::unknown_hold_reasons() {
					if !hist.unchecked_hold_reasons.contains(&r) {
						hist.unchecked_hold_reasons.push(r);
					}
				}
				Ok(())
			});
			chain.next_parent(number);
			hist.blocks += 1;
			result?;
			if b % 25 == 24 {
				chain.ext.commit_all().expect("in-memory commit");
			}
		}
		Ok(())
	}
}

fn panic_text(p: &Box<dyn std::any::Any + Send>) -> String {
	if let Some(s) = p.downcast_ref::<&str>() {
		s.to_string()
	} else if let Some(s) = p.downcast_ref::<String>() {
		s.clone()
	} else {
		"(non-string panic)".to_string()
	}
}
