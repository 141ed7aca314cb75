//! `crowdlabel-infer`: truth inference over `question,worker,answer` CSV with CrowdLabel's
//! consensus (see `crowdlabel_tools::infer`).
//!
//! ```text
//! crowdlabel-infer --kind class|stars|score:MIN:MAX|boxes --answers answers.csv [--gold gold.csv] \
//!     [--out-items items.csv] [--out-workers workers.csv] [--iterations 5]
//!     [--mode batch|replay] [--package-size 20] [--passes 3] [--job-items 1000]
//!     [--settlement-passes 3]
//! ```
//! `--mode batch` (default) iterates the reputation-weighted consensus over all answers;
//! `--mode replay` replays the chain: packages in arrival order, each finalised with the
//! workers' reliability models at that moment, models updated as the pallet updates them, and
//! single-class jobs voted once more when they settle.
//! Without `--out-*` the results are printed to stdout.

use clap::Parser;
use crowdlabel_consensus::Perbill;
use crowdlabel_labels::LabelKind;
use crowdlabel_tools::infer::{self, Options};
use std::{io::Write, path::PathBuf};

/// Truth inference with CrowdLabel's consensus.
#[derive(Parser)]
#[command(version, about)]
struct Args {
	/// Answer kind: class, stars (= score:1:5), score:MIN:MAX (e.g. score:0:100) or boxes.
	#[arg(long, value_parser = infer::parse_kind)]
	kind: LabelKind,
	/// CSV with header `question,worker,answer`.
	#[arg(long)]
	answers: PathBuf,
	/// Optional CSV with header `question,truth` (gold questions).
	#[arg(long)]
	gold: Option<PathBuf>,
	/// Where to write `question,consensus` (default: stdout).
	#[arg(long)]
	out_items: Option<PathBuf>,
	/// Where to write `worker,weight,error,labels,gold_score,qualified` (default: stdout).
	#[arg(long)]
	out_workers: Option<PathBuf>,
	/// Reweighting rounds (batch mode).
	#[arg(long, default_value_t = 5)]
	iterations: u32,
	/// `batch`: iterated reputation-weighted consensus; `replay`: the chain's online
	/// reliability-weighted consensus, package by package.
	#[arg(long, default_value = "batch", value_parser = ["batch", "replay"])]
	mode: String,
	/// Questions per package (replay mode).
	#[arg(long, default_value_t = 20)]
	package_size: usize,
	/// Votes per package (replay mode): each vote after the first uses the models updated by
	/// the previous vote's consensus of the package; the models learn from the last vote.
	/// Default: the chain's for the kind (`passes_for`: 3 for scores and stars, 1 for classes and boxes).
	#[arg(long)]
	passes: Option<u32>,
	/// Questions per job (replay mode; the runtime's `MaxItems`): when a job's last package is
	/// finalised the job settles, and single-class jobs are voted once more with the models as
	/// they are then, each labeler read by the model its answers favour (the chain's settlement
	/// re-vote); its last vote is their consensus.
	#[arg(long, default_value_t = 1000)]
	job_items: usize,
	/// Votes of the settlement re-vote (replay mode): each after the first with the models
	/// corrected by the previous one. Default: the chain's (`SETTLEMENT_PASSES`).
	#[arg(long, default_value_t = crowdlabel_labels::SETTLEMENT_PASSES)]
	settlement_passes: u32,
	/// Minimum mean gold agreement (percent) to vote; default per kind (class 50, scores 75,
	/// boxes 50).
	#[arg(long)]
	gold_threshold: Option<u32>,
}

fn read_csv(path: &PathBuf, cols: usize) -> Result<Vec<Vec<String>>, String> {
	let mut rdr = csv::ReaderBuilder::new()
		.has_headers(true)
		.flexible(false)
		.from_path(path)
		.map_err(|e| format!("{}: {e}", path.display()))?;
	let mut out = vec![];
	for rec in rdr.records() {
		let rec = rec.map_err(|e| format!("{}: {e}", path.display()))?;
		if rec.len() != cols {
			return Err(format!("{}: expected {cols} columns, got {}", path.display(), rec.len()));
		}
		out.push(rec.iter().map(str::to_string).collect());
	}
	Ok(out)
}

fn sink(path: &Option<PathBuf>) -> Result<Box<dyn Write>, String> {
	Ok(match path {
		Some(p) => Box::new(std::fs::File::create(p).map_err(|e| format!("{}: {e}", p.display()))?),
		None => Box::new(std::io::stdout()),
	})
}

fn main_inner() -> Result<(), String> {
	let args = Args::parse();
	let rows = read_csv(&args.answers, 3)?
		.into_iter()
		.map(|r| (r[0].clone(), r[1].clone(), r[2].clone()));
	let gold = match &args.gold {
		Some(g) => read_csv(g, 2)?.into_iter().map(|r| (r[0].clone(), r[1].clone())).collect(),
		None => vec![],
	};
	let ds = infer::Dataset::from_rows(args.kind, rows, gold)?;
	if args.mode == "replay" {
		let (consensus, workers) = infer::replay(
			&ds,
			args.package_size,
			args.passes.unwrap_or_else(|| crowdlabel_labels::passes_for(&ds.kind)),
			args.gold.is_some(),
			args.job_items,
			args.settlement_passes,
		)?;
		write_items(&ds, &consensus, &args.out_items)?;
		let mut wr = csv::Writer::from_writer(sink(&args.out_workers)?);
		wr.write_record(["worker", "power", "weight", "labels"])
			.map_err(|e| e.to_string())?;
		for (i, w) in workers.iter().enumerate() {
			wr.write_record([
				ds.workers[i].clone(),
				ratio_str(w.power),
				infer::fixed_str(w.weight),
				w.labels.to_string(),
			])
			.map_err(|e| e.to_string())?;
		}
		return wr.flush().map_err(|e| e.to_string());
	}
	let opts = Options {
		iterations: args.iterations,
		gold_threshold: args
			.gold_threshold
			.map(|p| Perbill::from_percent(p.min(100)))
			.unwrap_or_else(|| infer::default_threshold(args.kind)),
		use_gold: args.gold.is_some(),
	};
	let (consensus, workers) = infer::run(&ds, &opts);
	write_items(&ds, &consensus, &args.out_items)?;

	let mut wr = csv::Writer::from_writer(sink(&args.out_workers)?);
	wr.write_record(["worker", "weight", "error", "labels", "gold_score", "qualified"])
		.map_err(|e| e.to_string())?;
	for (i, w) in workers.iter().enumerate() {
		wr.write_record([
			ds.workers[i].clone(),
			infer::fixed_str(w.weight),
			infer::fixed_str(w.error),
			w.labels.to_string(),
			w.gold_score.map(ratio_str).unwrap_or_default(),
			w.qualified.to_string(),
		])
		.map_err(|e| e.to_string())?;
	}
	wr.flush().map_err(|e| e.to_string())?;
	Ok(())
}

/// A ratio with 6 decimals.
fn ratio_str(g: Perbill) -> String {
	format!("{}.{:06}", g.deconstruct() / 1_000_000_000, (g.deconstruct() / 1000) % 1_000_000)
}

/// Writes `question,consensus`.
fn write_items(
	ds: &infer::Dataset,
	consensus: &std::collections::BTreeMap<usize, infer::ConsensusLabel>,
	out: &Option<PathBuf>,
) -> Result<(), String> {
	let mut items = csv::Writer::from_writer(sink(out)?);
	items.write_record(["question", "consensus"]).map_err(|e| e.to_string())?;
	for (q, c) in consensus {
		items
			.write_record([ds.questions[*q].as_str(), infer::consensus_str(ds, c).as_str()])
			.map_err(|e| e.to_string())?;
	}
	items.flush().map_err(|e| e.to_string())
}

fn main() {
	if let Err(e) = main_inner() {
		eprintln!("crowdlabel-infer: {e}");
		std::process::exit(2);
	}
}
