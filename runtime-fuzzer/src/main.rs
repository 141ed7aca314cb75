//! `crowdlabel-runtime-fuzz [--minutes N] [--seed S]`: fuzzes the CrowdLabel runtime for N
//! minutes, one episode (a fresh chain from genesis) after the other with seeds S, S+1, ...;
//! prints the Ok/Err histogram per call and exits non-zero on the first invariant violation,
//! printing the seed and the extrinsics of the failing block.

use clap::Parser;
use crowdlabel_runtime_fuzzer::{Fuzzer, Histogram, Options};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

#[derive(Parser, Debug)]
#[command(name = "crowdlabel-runtime-fuzz", about = "Stateful fuzzer over the CrowdLabel runtime")]
struct Args {
	/// How long to fuzz, in minutes.
	#[arg(long, default_value_t = 30.0)]
	minutes: f64,
	/// Seed of the first episode (default: from the clock). Episode k uses seed + k.
	#[arg(long)]
	seed: Option<u64>,
	/// Stop after this many episodes (e.g. 1 to replay a failure).
	#[arg(long)]
	episodes: Option<u64>,
	/// Blocks per episode.
	#[arg(long, default_value_t = 300)]
	blocks: u32,
	/// Most signed extrinsics per block.
	#[arg(long, default_value_t = 24)]
	max_extrinsics: u32,
	/// Print every extrinsic with its result.
	#[arg(long)]
	verbose: bool,
	/// Do not check that stored bytes are covered by storage deposits.
	#[arg(long)]
	no_storage_check: bool,
}

fn main() {
	let args = Args::parse();
	let seed = args.seed.unwrap_or_else(|| {
		SystemTime::now()
			.duration_since(UNIX_EPOCH)
			.map(|d| d.as_secs())
			.unwrap_or_default()
	});
	let budget = Duration::from_secs_f64(args.minutes.max(0.0) * 60.0);
	println!(
		"crowdlabel-runtime-fuzz: seed {seed}, {} min, {} blocks per episode",
		args.minutes, args.blocks
	);
	let fuzzer = Fuzzer::new();
	let mut hist = Histogram::default();
	let started = Instant::now();
	let mut episode = 0u64;
	while started.elapsed() < budget && args.episodes.is_none_or(|max| episode < max) {
		let opts = Options {
			seed: seed.wrapping_add(episode),
			blocks: args.blocks,
			max_extrinsics: args.max_extrinsics,
			verbose: args.verbose,
			storage_deposits: !args.no_storage_check,
		};
		let t = Instant::now();
		let before = hist.extrinsics;
		if let Err(failure) = fuzzer.run_episode(&opts, &mut hist) {
			println!("\n{hist}");
			eprintln!("\n{failure}");
			std::process::exit(1);
		}
		println!(
			"episode {episode} (seed {}): {} extrinsics in {:.1}s, total {:.0}s",
			opts.seed,
			hist.extrinsics - before,
			t.elapsed().as_secs_f64(),
			started.elapsed().as_secs_f64()
		);
		episode += 1;
	}
	println!("\n{hist}");
	println!("no invariant violation in {episode} episodes");
}
