//! `crowdlabel-filter`: machine filtering of a parallel corpus before a star-review job (Briko
//! step 2; rules in `crowdlabel_tools::filter`).
//!
//! ```text
//! crowdlabel-filter --input corpus.tsv --kept kept.tsv --items items.txt \
//!     [--rejected rejected.tsv] [--source-lang eng --target-lang deu] \
//!     [--min-ratio 0.4 --max-ratio 2.5 --min-tokens 2 --max-tokens 80 --min-edit 0.1]
//! ```
//! `corpus.tsv`: `source<TAB>target` per line. `kept.tsv`: the pairs that pass; `items.txt`: their
//! item hashes (SHA2-256 of `source\ttarget`), one per line — the `items` of `jobs.createJob`;
//! `rejected.tsv`: `reason<TAB>line`. A summary per rule goes to stderr.

use clap::Parser;
use crowdlabel_tools::filter::{check_line, item_hash, Reject, Rules};
use std::{
	collections::BTreeMap,
	fs::File,
	io::{BufRead, BufReader, BufWriter, Write},
	path::PathBuf,
};

/// Machine filtering of a parallel corpus.
#[derive(Parser)]
#[command(version, about)]
struct Args {
	/// TSV with `source<TAB>target` per line.
	#[arg(long)]
	input: PathBuf,
	/// Where to write the kept pairs.
	#[arg(long)]
	kept: PathBuf,
	/// Where to write the item hashes of the kept pairs.
	#[arg(long)]
	items: PathBuf,
	/// Where to write rejected lines with their reason.
	#[arg(long)]
	rejected: Option<PathBuf>,
	/// Expected source language (ISO 639-3, e.g. `eng`).
	#[arg(long)]
	source_lang: Option<String>,
	/// Expected target language (ISO 639-3, e.g. `deu`).
	#[arg(long)]
	target_lang: Option<String>,
	/// Exclusive lower bound of the token ratio S/T.
	#[arg(long, default_value_t = 0.4)]
	min_ratio: f64,
	/// Exclusive upper bound of the token ratio S/T.
	#[arg(long, default_value_t = 2.5)]
	max_ratio: f64,
	/// Exclusive lower bound of tokens per side.
	#[arg(long, default_value_t = 2)]
	min_tokens: usize,
	/// Exclusive upper bound of tokens per side.
	#[arg(long, default_value_t = 80)]
	max_tokens: usize,
	/// Exclusive lower bound of the normalised edit distance between the sides.
	#[arg(long, default_value_t = 0.1)]
	min_edit: f64,
}

fn lang(code: &Option<String>) -> Result<Option<whatlang::Lang>, String> {
	code.as_ref()
		.map(|c| {
			whatlang::Lang::from_code(c)
				.ok_or(format!("unknown language code `{c}` (use ISO 639-3, e.g. eng)"))
		})
		.transpose()
}

fn run(args: Args) -> Result<(), String> {
	let rules = Rules {
		min_ratio: args.min_ratio,
		max_ratio: args.max_ratio,
		min_tokens: args.min_tokens,
		max_tokens: args.max_tokens,
		min_edit: args.min_edit,
		source_lang: lang(&args.source_lang)?,
		target_lang: lang(&args.target_lang)?,
	};
	let input = File::open(&args.input).map_err(|e| format!("{}: {e}", args.input.display()))?;
	let create = |p: &PathBuf| {
		File::create(p).map(BufWriter::new).map_err(|e| format!("{}: {e}", p.display()))
	};
	let mut kept = create(&args.kept)?;
	let mut items = create(&args.items)?;
	let mut rejected = args.rejected.as_ref().map(create).transpose()?;
	let mut counts: BTreeMap<Reject, usize> = BTreeMap::new();
	let (mut total, mut passed) = (0usize, 0usize);
	for line in BufReader::new(input).lines() {
		let line = line.map_err(|e| e.to_string())?;
		if line.trim().is_empty() {
			continue;
		}
		total += 1;
		match check_line(&line, &rules) {
			Ok(()) => {
				passed += 1;
				let mut parts = line.split('\t');
				let (s, t) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
				writeln!(kept, "{}\t{}", s.trim(), t.trim()).map_err(|e| e.to_string())?;
				writeln!(items, "{}", item_hash(s, t)).map_err(|e| e.to_string())?;
			},
			Err(reason) => {
				*counts.entry(reason).or_default() += 1;
				if let Some(r) = rejected.as_mut() {
					writeln!(r, "{}\t{line}", reason.name()).map_err(|e| e.to_string())?;
				}
			},
		}
	}
	eprintln!("{total} pairs: {passed} kept, {} removed", total - passed);
	for (reason, n) in counts {
		eprintln!("  {:<15} {n}", reason.name());
	}
	Ok(())
}

fn main() -> std::process::ExitCode {
	match run(Args::parse()) {
		Ok(()) => std::process::ExitCode::SUCCESS,
		Err(e) => {
			eprintln!("error: {e}");
			std::process::ExitCode::FAILURE
		},
	}
}
