//! Truth inference with CrowdLabel's consensus — the chain's own code.
//!
//! Answers are parsed into the chain's [`Label`] type, every question's consensus is
//! `crowdlabel_labels::item_consensus` (the function the jobs pallet calls for each item), gold
//! answers are graded with `crowdlabel_labels::grade` (as qualification rounds and challenges
//! are), and each label's error is `crowdlabel_labels::reputation_error` recorded into the
//! chain's `ErrorStats`, whatever the number of answers per question.
//!
//! 1. **Qualification on gold** (optional): each worker's mean agreement with the gold answers
//!    (exact match for classes, `1 - |s - t| / (max - min)` for scores, set IoU for boxes); a worker below
//!    the threshold is excluded, as the chain excludes labelers who fail their qualification
//!    round. Gold answers also count towards the worker's error `x`.
//! 2. **Reputation-weighted consensus**, iterated: consensus per question with weights `a`
//!    (`a = 0.8 + 0.4 exp(-x^2 / (2 s^2))`, neutral 1.0 at first), then every worker's error `x`
//!    against the consensus, `s` from the median error (so the median worker gets `a = 1.0`).

use crowdlabel_consensus::{
	limits::MAX_BOXES, reputation::sigma_for_typical_error, BoundingBox, ErrorStats, FixedU128,
	One, Perbill, Zero,
};
use crowdlabel_labels::{
	grade, grade_against_consensus, item_consensus, package_consensus, record_package,
	reputation_error, revise_job, revised_at_settlement, truth_of, ItemVotes, LabelKind,
	Reliability,
};
use frame_support::{traits::ConstU32, BoundedVec};
use std::collections::BTreeMap;

/// The box bound of labels read by the tools: the math crate's limit.
pub type MaxBoxes = ConstU32<{ MAX_BOXES as u32 }>;
/// A label (the chain's type).
pub type Label = crowdlabel_labels::Label<MaxBoxes>;
/// A consensus label (the chain's type).
pub type ConsensusLabel = crowdlabel_labels::ConsensusLabel<MaxBoxes>;

/// Reads `--kind`: `class`, `stars` (= `score:1:5`), `score:MIN:MAX` (integer scores, e.g.
/// `score:0:100` for a 0-100 rating, `score:1:7` for Likert) or `boxes`. The class count of
/// `class` and `boxes` is set from the data once it is read ([`Dataset::from_rows`]).
pub fn parse_kind(s: &str) -> Result<LabelKind, String> {
	let usage = "use class, stars, score:MIN:MAX (integers 0..=65535, MIN < MAX) or boxes";
	match s {
		"class" => Ok(LabelKind::SingleClass { classes: 0 }),
		"stars" => Ok(LabelKind::STARS),
		"boxes" => Ok(LabelKind::BoundingBoxes { classes: 0 }),
		_ => {
			let range = s.strip_prefix("score:").and_then(|r| r.split_once(':'));
			let bound = |b: &str| b.trim().parse::<u16>().ok();
			match range.map(|(lo, hi)| (bound(lo), bound(hi))) {
				Some((Some(min), Some(max))) if min < max => Ok(LabelKind::Score { min, max }),
				_ => Err(format!("unknown kind {s:?}: {usage}")),
			}
		},
	}
}

/// Parses a box set `x0 y0 x1 y1 c; ...` (empty = no boxes).
pub fn parse_boxes(s: &str) -> Result<Vec<BoundingBox>, String> {
	s.split(';')
		.map(str::trim)
		.filter(|p| !p.is_empty())
		.map(|p| {
			let v: Vec<u32> = p
				.split_whitespace()
				.map(|t| {
					t.parse::<u32>().map_err(|e| format!("bad number {t:?} in box {p:?}: {e}"))
				})
				.collect::<Result<_, _>>()?;
			if v.len() != 5 || v[4] > u16::MAX as u32 {
				return Err(format!("a box is `x0 y0 x1 y1 class`, got {p:?}"));
			}
			BoundingBox::new(v[0], v[1], v[2], v[3], v[4] as u16)
				.map_err(|e| format!("invalid box {p:?}: {e:?}"))
		})
		.collect()
}

/// Formats a box set like [`parse_boxes`] reads it.
pub fn format_boxes(b: &[BoundingBox]) -> String {
	b.iter()
		.map(|b| format!("{} {} {} {} {}", b.x_min, b.y_min, b.x_max, b.y_max, b.class))
		.collect::<Vec<_>>()
		.join(";")
}

/// Input of an inference run.
pub struct Dataset {
	/// Kind of answers.
	pub kind: LabelKind,
	/// Question names, by index.
	pub questions: Vec<String>,
	/// Worker names, by index.
	pub workers: Vec<String>,
	/// Class names, by id (class kind only).
	pub classes: Vec<String>,
	/// `(question, worker, answer)`.
	pub answers: Vec<(usize, usize, Label)>,
	/// Known truths by question.
	pub gold: BTreeMap<usize, Label>,
}

impl Dataset {
	/// Builds a dataset from raw rows.
	pub fn from_rows(
		kind: LabelKind,
		rows: impl IntoIterator<Item = (String, String, String)>,
		gold_rows: impl IntoIterator<Item = (String, String)>,
	) -> Result<Self, String> {
		let mut ds = Dataset {
			kind,
			questions: vec![],
			workers: vec![],
			classes: vec![],
			answers: vec![],
			gold: BTreeMap::new(),
		};
		let mut qi: BTreeMap<String, usize> = BTreeMap::new();
		let mut wi: BTreeMap<String, usize> = BTreeMap::new();
		for (q, w, a) in rows {
			let q = intern(&mut qi, &mut ds.questions, q);
			let w = intern(&mut wi, &mut ds.workers, w);
			let a = ds.parse(&a)?;
			ds.answers.push((q, w, a));
		}
		for (q, t) in gold_rows {
			let q = intern(&mut qi, &mut ds.questions, q);
			let t = ds.parse(&t)?;
			ds.gold.insert(q, t);
		}
		ds.kind = match kind {
			LabelKind::SingleClass { .. } => LabelKind::SingleClass {
				classes: u16::try_from(ds.classes.len()).map_err(|_| "too many classes")?,
			},
			LabelKind::BoundingBoxes { .. } => {
				let top = ds
					.answers
					.iter()
					.map(|(_, _, a)| a)
					.chain(ds.gold.values())
					.filter_map(|a| match a {
						Label::Boxes(b) => b.iter().map(|b| b.class).max(),
						_ => None,
					})
					.max()
					.unwrap_or(0);
				LabelKind::BoundingBoxes { classes: top.saturating_add(1) }
			},
			k => k,
		};
		Ok(ds)
	}

	fn parse(&mut self, a: &str) -> Result<Label, String> {
		Ok(match self.kind {
			LabelKind::SingleClass { .. } => {
				let id = match self.classes.iter().position(|c| c == a) {
					Some(i) => i,
					None => {
						self.classes.push(a.to_string());
						self.classes.len() - 1
					},
				};
				Label::Class(u16::try_from(id).map_err(|_| "more than 65536 classes".to_string())?)
			},
			LabelKind::Score { min, max } => {
				let s: u16 = a.trim().parse().map_err(|e| format!("bad score {a:?}: {e}"))?;
				if !(min..=max).contains(&s) {
					return Err(format!("score {s} not in {min}..={max}"));
				}
				Label::Score(s)
			},
			LabelKind::BoundingBoxes { .. } => {
				let b = parse_boxes(a)?;
				let n = b.len();
				Label::Boxes(
					BoundedVec::try_from(b)
						.map_err(|_| format!("{n} boxes in one answer; at most {MAX_BOXES}"))?,
				)
			},
		})
	}
}

fn intern(map: &mut BTreeMap<String, usize>, list: &mut Vec<String>, s: String) -> usize {
	if let Some(i) = map.get(&s) {
		return *i;
	}
	list.push(s.clone());
	map.insert(s, list.len() - 1);
	list.len() - 1
}

/// Per-worker result.
#[derive(Clone, Debug)]
pub struct WorkerResult {
	/// Voting weight `a`.
	pub weight: FixedU128,
	/// Error `x` (0 when unknown).
	pub error: FixedU128,
	/// Answers given.
	pub labels: u32,
	/// Mean agreement with gold, if the worker answered gold.
	pub gold_score: Option<Perbill>,
	/// Allowed to vote.
	pub qualified: bool,
}

/// Inference options.
pub struct Options {
	/// Reweighting rounds.
	pub iterations: u32,
	/// Minimum mean gold agreement to vote.
	pub gold_threshold: Perbill,
	/// Use gold (qualification + gold errors).
	pub use_gold: bool,
}

/// Default gold threshold per kind: classes 50% correct, scores mean error <= 25 % of the range
/// (one point on 1-5 stars), boxes IoU 0.5.
///
/// The class bar sits between chance (25% with four classes; colluders score 0 on gold) and
/// honest accuracy: with only 4-6 gold answers per worker, a 70% bar excluded a quarter of the
/// honest workers in the simulation (`docs/consensus-accuracy.md`).
pub fn default_threshold(kind: LabelKind) -> Perbill {
	match kind {
		LabelKind::SingleClass { .. } => Perbill::from_percent(50),
		LabelKind::Score { .. } => Perbill::from_percent(75),
		LabelKind::BoundingBoxes { .. } => Perbill::from_percent(50),
	}
}

/// Runs the inference. Returns the consensus per question (gold questions included, where any
/// worker answered) and the per-worker results.
#[allow(clippy::needless_range_loop)] // per-worker arrays indexed together
pub fn run(ds: &Dataset, opts: &Options) -> (BTreeMap<usize, ConsensusLabel>, Vec<WorkerResult>) {
	let nw = ds.workers.len();
	let mut by_question: BTreeMap<usize, Vec<(usize, &Label)>> = BTreeMap::new();
	for (q, w, a) in &ds.answers {
		by_question.entry(*q).or_default().push((*w, a));
	}
	let mut labels = vec![0u32; nw];
	for (_, w, _) in &ds.answers {
		labels[*w] += 1;
	}

	// Gold: qualification and the gold part of every worker's error.
	let mut gold_stats = vec![ErrorStats::default(); nw];
	let mut gold_agree: Vec<Vec<Perbill>> = vec![vec![]; nw];
	if opts.use_gold {
		for (q, w, a) in &ds.answers {
			if let Some(t) = ds.gold.get(q) {
				let g = grade(&ds.kind, a, t);
				gold_stats[*w].record(reputation_error(g.agreement, g.score_error));
				gold_agree[*w].push(g.agreement);
			}
		}
	}
	let gold_score: Vec<Option<Perbill>> =
		gold_agree.iter().map(|v| crowdlabel_consensus::mean_perbill(v).ok()).collect();
	let qualified: Vec<bool> =
		gold_score.iter().map(|g| g.is_none_or(|s| s >= opts.gold_threshold)).collect();

	let m = ds.kind.error_metric();
	let mut weights = vec![FixedU128::one(); nw];
	let mut errors = vec![FixedU128::zero(); nw];
	let mut consensus: BTreeMap<usize, ConsensusLabel> = BTreeMap::new();
	for _ in 0..opts.iterations.max(1) {
		consensus.clear();
		// Errors against the new consensus (plus gold), then weights.
		let mut stats = gold_stats.clone();
		for (q, answers) in &by_question {
			if opts.use_gold {
				if let Some(t) = ds.gold.get(q) {
					consensus.insert(*q, truth_of(t));
					continue; // the gold part is already in gold_stats
				}
			}
			let mut voters: Vec<(usize, &Label, FixedU128)> = answers
				.iter()
				.filter(|(w, _)| qualified[*w])
				.map(|(w, a)| (*w, *a, weights[*w]))
				.collect();
			if voters.is_empty() {
				// Nobody qualified answered: fall back to everyone, unweighted.
				voters = answers.iter().map(|(w, a)| (*w, *a, FixedU128::one())).collect();
			}
			let votes: Vec<(&[Label], FixedU128)> =
				voters.iter().map(|(_, a, w)| (core::slice::from_ref(*a), *w)).collect();
			let Ok(outcome) = item_consensus(&ds.kind, &votes, 0) else { continue };
			// Every answer of the question is scored against the consensus, voter or not.
			for (w, a) in answers {
				let g = grade_against_consensus(&ds.kind, a, &outcome.label);
				stats[*w].record(reputation_error(g.agreement, g.score_error));
			}
			consensus.insert(*q, outcome.label);
		}
		let mut xs: Vec<FixedU128> = stats.iter().filter_map(|s| s.error(m)).collect();
		xs.sort();
		let median = xs.get(xs.len() / 2).copied().unwrap_or_default();
		let s = sigma_for_typical_error(median);
		for w in 0..nw {
			errors[w] = stats[w].error(m).unwrap_or_default();
			weights[w] = stats[w].weight(m, s);
		}
	}
	let workers = (0..nw)
		.map(|w| WorkerResult {
			weight: weights[w],
			error: errors[w],
			labels: labels[w],
			gold_score: gold_score[w],
			qualified: qualified[w],
		})
		.collect();
	(consensus, workers)
}

/// Per-worker result of a [`replay`].
#[derive(Clone, Debug)]
pub struct ReplayWorker {
	/// The worker's reliability model after the last package.
	pub model: Reliability,
	/// Its voting power in `[0, 1]`.
	pub power: Perbill,
	/// Pay weight `a` from the worker's errors against the consensus (and gold).
	pub weight: FixedU128,
	/// Answers given.
	pub labels: u32,
}

/// Replays the chain: questions in order of first appearance are grouped into packages of
/// `package_size`, and each package is finalised in turn with the jobs pallet's own functions:
/// [`package_consensus`] votes every item with each worker's model **as it is at that moment**
/// (with `passes` > 1, again with the models updated by the previous vote of the same package,
/// EM within the package; the chain uses [`crowdlabel_labels::passes_for`] the kind), then
/// [`record_package`] records every answer into its worker's model against the consensus. With
/// `use_gold`, a gold question is a hidden challenge item: its truth is revealed when its
/// package is finalised, stands as its consensus, and is recorded with
/// [`crowdlabel_labels::Reliability::gold_weight`] (challenges are revealed per job on chain; a replay of one
/// long job reveals them package by package). The questions form jobs of `job_items` (the
/// runtime's `MaxItems` is 1,000) in the same order; when a job's last package is finalised the
/// job settles, and for single-class answers the settlement votes every item of the job once
/// more with the models as they are then ([`revise_job`] with `settlement_passes` votes, as the
/// jobs pallet's settlement does with [`crowdlabel_labels::SETTLEMENT_PASSES`]): that vote is the
/// job's consensus. Pay weights come from the package judgements.
/// Cost: O(answers · classes · passes).
#[allow(clippy::needless_range_loop)] // per-worker arrays indexed together
pub fn replay(
	ds: &Dataset,
	package_size: usize,
	passes: u32,
	use_gold: bool,
	job_items: usize,
	settlement_passes: u32,
) -> Result<(BTreeMap<usize, ConsensusLabel>, Vec<ReplayWorker>), String> {
	let nw = ds.workers.len();
	let fresh = Reliability::new(&ds.kind).map_err(|_| "the kind needs at least 2 classes")?;
	let mut models = vec![fresh; nw];
	let mut stats = vec![ErrorStats::default(); nw];
	let mut labels = vec![0u32; nw];
	let mut by_question: Vec<Vec<(usize, &Label)>> = vec![vec![]; ds.questions.len()];
	for (q, w, a) in &ds.answers {
		by_question[*q].push((*w, a));
		labels[*w] += 1;
	}
	let mut consensus: BTreeMap<usize, ConsensusLabel> = BTreeMap::new();
	let questions: Vec<usize> = (0..ds.questions.len()).collect();
	// The votes on `asked` questions (gold ones known with `use_gold`).
	let votes_on = |asked: &[usize]| -> Vec<ItemVotes<MaxBoxes>> {
		asked
			.iter()
			.map(|q| ItemVotes {
				votes: by_question[*q].iter().map(|(w, a)| (*w, *a)).collect(),
				known: ds.gold.get(q).filter(|_| use_gold).map(truth_of),
			})
			.collect()
	};
	let fail = |q: Option<&usize>| match q {
		Some(q) => format!("package of question {}: answers do not fit", ds.questions[*q]),
		None => "answers do not fit".to_string(),
	};
	let size = package_size.max(1);
	for job in questions.chunks(job_items.max(size)) {
		let mut settled: Vec<usize> = Vec::new();
		for package in job.chunks(size) {
			// The pallet's own two steps: vote (with EM passes within the package), then learn.
			let asked: Vec<usize> =
				package.iter().copied().filter(|q| !by_question[*q].is_empty()).collect();
			let items = votes_on(&asked);
			let outcomes = package_consensus(&ds.kind, &items, &models, passes)
				.map_err(|_| fail(asked.first()))?;
			record_package(&items, &outcomes, &mut models, |_| true)
				.map_err(|_| fail(asked.first()))?;
			for (q, outcome) in asked.iter().zip(outcomes) {
				for (w, a) in &by_question[*q] {
					let g = grade_against_consensus(&ds.kind, *a, &outcome.label);
					stats[*w].record(reputation_error(g.agreement, g.score_error));
				}
				consensus.insert(*q, outcome.label);
			}
			settled.extend(asked);
		}
		// The job settles: single-class items voted once more with the models as they are now.
		if revised_at_settlement(&ds.kind) && !settled.is_empty() {
			// Each item's consensus as its package was judged: what its labels were recorded
			// against.
			let judged: Vec<ConsensusLabel> = settled
				.iter()
				.map(|q| consensus.get(q).cloned().ok_or_else(|| fail(Some(q))))
				.collect::<Result<_, _>>()?;
			let items = votes_on(&settled);
			let outcomes = revise_job(&ds.kind, &items, &judged, &models, settlement_passes)
				.map_err(|_| fail(settled.first()))?;
			for (q, outcome) in settled.iter().zip(outcomes) {
				consensus.insert(*q, outcome.label);
			}
		}
	}
	let m = ds.kind.error_metric();
	let mut xs: Vec<FixedU128> = stats.iter().filter_map(|s| s.error(m)).collect();
	xs.sort();
	let s = sigma_for_typical_error(xs.get(xs.len() / 2).copied().unwrap_or_default());
	let workers = (0..nw)
		.map(|w| ReplayWorker {
			power: models[w].voting_power(&ds.kind),
			model: models[w].clone(),
			weight: stats[w].weight(m, s),
			labels: labels[w],
		})
		.collect();
	Ok((consensus, workers))
}

/// Decimal rendering of a fixed-point value with 6 decimals.
pub fn fixed_str(x: FixedU128) -> String {
	let micro = x.into_inner() / 1_000_000_000_000;
	format!("{}.{:06}", micro / 1_000_000, micro % 1_000_000)
}

/// Renders a consensus like the input answers.
pub fn consensus_str(ds: &Dataset, c: &ConsensusLabel) -> String {
	match c {
		ConsensusLabel::Class(id) => ds.classes.get(*id as usize).cloned().unwrap_or_default(),
		ConsensusLabel::Score(s) => fixed_str(*s),
		ConsensusLabel::Boxes(b) => format_boxes(b),
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crowdlabel_labels::SETTLEMENT_PASSES;

	fn rows(v: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
		v.iter()
			.map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
			.collect()
	}

	#[test]
	fn parse_and_format_boxes_round_trip() {
		let b = parse_boxes("0 0 10 10 1; 5 5 20 20 0").unwrap();
		assert_eq!(b.len(), 2);
		assert_eq!(parse_boxes(&format_boxes(&b)).unwrap(), b);
		assert!(parse_boxes("").unwrap().is_empty());
		assert!(parse_boxes("1 2 3").is_err());
		assert!(parse_boxes("5 0 5 10 0").is_err());
	}

	#[test]
	fn gold_excludes_colluders() {
		// w1..w3 honest, c1, c2 collude on "x"; gold question g shows who is who.
		let mut r = vec![];
		for q in ["q1", "q2", "q3"] {
			r.push((q, "w1", "a"));
			r.push((q, "w2", "a"));
			r.push((q, "c1", "x"));
			r.push((q, "c2", "x"));
			r.push((q, "c3", "x"));
		}
		for w in ["w1", "w2"] {
			r.push(("g", w, "a"));
		}
		for w in ["c1", "c2", "c3"] {
			r.push(("g", w, "x"));
		}
		let ds = Dataset::from_rows(
			parse_kind("class").unwrap(),
			rows(&r),
			vec![("g".into(), "a".into())],
		)
		.unwrap();
		let with = run(
			&ds,
			&Options { iterations: 3, gold_threshold: Perbill::from_percent(70), use_gold: true },
		);
		let without = run(
			&ds,
			&Options { iterations: 3, gold_threshold: Perbill::from_percent(70), use_gold: false },
		);
		let q1 = ds.questions.iter().position(|q| q == "q1").unwrap();
		assert_eq!(consensus_str(&ds, &with.0[&q1]), "a");
		assert_eq!(consensus_str(&ds, &without.0[&q1]), "x");
		let c1 = ds.workers.iter().position(|w| w == "c1").unwrap();
		assert!(!with.1[c1].qualified);
	}

	/// The replay learns who the spammers are: once the models are learned, three workers who
	/// answer at random no longer outvote two accurate ones when two of them happen to agree on
	/// a wrong class (which decides plain plurality).
	#[test]
	fn replay_learns_to_ignore_spammers() {
		let mut r = vec![];
		for i in 0..200u32 {
			let q = format!("q{i}");
			let truth = ["a", "b", "c"][(i % 3) as usize];
			r.push((q.clone(), "w1".to_string(), truth.to_string()));
			r.push((q.clone(), "w2".to_string(), truth.to_string()));
			// Spammers answer pseudo-randomly, whatever the truth.
			for (k, s) in ["s1", "s2", "s3"].iter().enumerate() {
				let h = splitmix64(i as u64 * 3 + k as u64);
				let a = ["a", "b", "c"][(h % 3) as usize];
				r.push((q.clone(), s.to_string(), a.to_string()));
			}
		}
		let ds = Dataset::from_rows(parse_kind("class").unwrap(), r, vec![]).unwrap();
		let truth = |i: usize| ["a", "b", "c"][i % 3];
		let last: Vec<usize> = (100..200).collect();
		// One vote per package, and three (EM within each package): both learn.
		let (three, _) = replay(&ds, 20, 3, false, 1000, SETTLEMENT_PASSES).unwrap();
		let right = last.iter().filter(|&&i| consensus_str(&ds, &three[&i]) == truth(i)).count();
		assert_eq!(right, 100, "three votes per package: the second half is all right");
		let (c, w) = replay(&ds, 20, 1, false, 1000, SETTLEMENT_PASSES).unwrap();
		let right = last.iter().filter(|&&i| consensus_str(&ds, &c[&i]) == truth(i)).count();
		assert_eq!(right, 100, "the second half is all right once the models are learned");
		let power = |name: &str| w[ds.workers.iter().position(|x| x == name).unwrap()].power;
		assert!(power("w1") > Perbill::from_percent(80), "{:?}", power("w1"));
		for s in ["s1", "s2", "s3"] {
			assert!(power(s) < Perbill::from_percent(10), "{s}: {:?}", power(s));
		}
	}

	/// The settlement re-vote, replayed: an expert and two colluders who share a wrong class
	/// label 80 questions. The first package is decided for the colluders (nothing is known about
	/// anyone yet); the other three are hidden challenges (`--gold`), whose revealed truths teach
	/// the models who is who. In one job of 80 questions the settlement votes the first package
	/// again with those models and gets it right; in jobs of 20 (the first package settled alone,
	/// before any challenge) it stays wrong.
	#[test]
	fn replay_revotes_each_job_at_settlement() {
		let classes = ["a", "b", "c"];
		let mut r = vec![];
		let mut gold = vec![];
		for i in 0..80u32 {
			let q = format!("q{i}");
			// The colluders' shared lie: one of the two wrong classes, drawn per question.
			let shift = 1 + (splitmix64(i as u64) % 2) as u32;
			let (truth, lie) = (classes[(i % 3) as usize], classes[((i + shift) % 3) as usize]);
			r.push((q.clone(), "expert".to_string(), truth.to_string()));
			for c in ["c1", "c2"] {
				r.push((q.clone(), c.to_string(), lie.to_string()));
			}
			if i >= 20 {
				gold.push((q, truth.to_string()));
			}
		}
		let ds = Dataset::from_rows(parse_kind("class").unwrap(), r, gold).unwrap();
		let right = |c: &BTreeMap<usize, ConsensusLabel>| {
			(0..20).filter(|&i| consensus_str(&ds, &c[&i]) == classes[i % 3]).count()
		};
		let (one_job, _) = replay(&ds, 20, 1, true, 80, SETTLEMENT_PASSES).unwrap();
		assert_eq!(right(&one_job), 20, "the first package re-voted at settlement");
		let (small_jobs, _) = replay(&ds, 20, 1, true, 20, SETTLEMENT_PASSES).unwrap();
		assert_eq!(right(&small_jobs), 0, "settled before the challenges taught the models");
	}

	/// SplitMix64: independent pseudo-random answers per (question, spammer).
	fn splitmix64(x: u64) -> u64 {
		let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
		z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
		z ^ (z >> 31)
	}

	#[test]
	fn score_kinds_parse_and_check_their_range() {
		assert_eq!(parse_kind("stars"), Ok(LabelKind::Score { min: 1, max: 5 }));
		assert_eq!(parse_kind("score:0:100"), Ok(LabelKind::Score { min: 0, max: 100 }));
		for bad in ["score:5:5", "score:7:1", "score:0", "score:-1:5", "score:0:70000", "rating"] {
			assert!(parse_kind(bad).is_err(), "{bad}");
		}
		let r = |a: &str| vec![("q".to_string(), "w".to_string(), a.to_string())];
		let kind = parse_kind("score:0:100").unwrap();
		assert!(Dataset::from_rows(kind, r("100"), vec![]).is_ok());
		assert!(Dataset::from_rows(kind, r("101"), vec![]).is_err());
		// a 0-100 consensus prints like the answers, with 6 decimals
		let mut rows = r("70");
		rows.push(("q".into(), "v".into(), "80".into()));
		let ds = Dataset::from_rows(kind, rows, vec![]).unwrap();
		let (c, _) =
			run(&ds, &Options { iterations: 1, gold_threshold: Perbill::zero(), use_gold: false });
		assert_eq!(consensus_str(&ds, &c[&0]), "75.000000");
	}

	#[test]
	fn weights_favour_accurate_workers() {
		let mut r = vec![];
		for i in 0..20 {
			let q = format!("q{i}");
			for w in ["w1", "w2", "w3"] {
				r.push((q.clone(), w.to_string(), "3".to_string()));
			}
			// a noisy worker
			r.push((q.clone(), "n".to_string(), if i % 2 == 0 { "1" } else { "5" }.to_string()));
		}
		let ds = Dataset::from_rows(parse_kind("stars").unwrap(), r, vec![]).unwrap();
		let (_, w) =
			run(&ds, &Options { iterations: 3, gold_threshold: Perbill::zero(), use_gold: false });
		let n = ds.workers.iter().position(|x| x == "n").unwrap();
		let w1 = ds.workers.iter().position(|x| x == "w1").unwrap();
		assert!(w[w1].weight > w[n].weight);
		assert!(w[n].weight >= FixedU128::from_rational(8, 10));
	}
}
