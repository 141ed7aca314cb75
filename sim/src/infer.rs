//! Truth inference with CrowdLabel's consensus.
//!
//! 1. **Qualification on gold** (optional): each worker's mean agreement with the gold answers
//!    (exact match for classes, `1 - |s - t| / 4` for stars, set IoU for boxes); a worker below
//!    the threshold is excluded, as the chain excludes labelers who fail their qualification
//!    round. Gold answers also count towards the worker's error `x`.
//! 2. **Reputation-weighted consensus**, iterated: consensus per question with weights `a`
//!    (`a = 0.8 + 0.4 exp(-x^2 / (2 s^2))`, neutral 1.0 at first), then every worker's error `x`
//!    against the consensus, `s` from the median error (so the median worker gets `a = 1.0`).

use crowdlabel_consensus::{
	consensus::abs_diff, consensus_boxes, consensus_class, consensus_stars, label_set_iou,
	reputation::sigma_for_typical_error, BoundingBox, CheckedDiv, ErrorMetric, ErrorStats,
	FixedU128, One, Perbill, Saturating, Stars, Zero,
};
use std::collections::BTreeMap;

/// The kind of answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
	/// Categorical answers (any string).
	Class,
	/// Integer star scores 1..=5.
	Stars,
	/// Box sets: `x0 y0 x1 y1 class` separated by `;`.
	Boxes,
}

/// One parsed answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
	/// Class id (index into the label table).
	Class(u16),
	/// Star score.
	Stars(Stars),
	/// Box set.
	Boxes(Vec<BoundingBox>),
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
	pub kind: Kind,
	/// Question names, by index.
	pub questions: Vec<String>,
	/// Worker names, by index.
	pub workers: Vec<String>,
	/// Class names, by id (class kind only).
	pub classes: Vec<String>,
	/// `(question, worker, answer)`.
	pub answers: Vec<(usize, usize, Answer)>,
	/// Known truths by question.
	pub gold: BTreeMap<usize, Answer>,
}

impl Dataset {
	/// Builds a dataset from raw rows.
	pub fn from_rows(
		kind: Kind,
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
		Ok(ds)
	}

	fn parse(&mut self, a: &str) -> Result<Answer, String> {
		Ok(match self.kind {
			Kind::Class => {
				let id = match self.classes.iter().position(|c| c == a) {
					Some(i) => i,
					None => {
						self.classes.push(a.to_string());
						self.classes.len() - 1
					},
				};
				Answer::Class(u16::try_from(id).map_err(|_| "more than 65536 classes".to_string())?)
			},
			Kind::Stars => {
				let s: u8 = a.trim().parse().map_err(|e| format!("bad star score {a:?}: {e}"))?;
				Answer::Stars(Stars::new(s).map_err(|_| format!("star score {s} not in 1..=5"))?)
			},
			Kind::Boxes => Answer::Boxes(parse_boxes(a)?),
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

/// Consensus of one question.
#[derive(Clone, Debug, PartialEq)]
pub enum Consensus {
	/// Winning class id.
	Class(u16),
	/// Weighted mean score.
	Stars(FixedU128),
	/// Medoid box set.
	Boxes(Vec<BoundingBox>),
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

/// Default gold threshold per kind: classes 50% correct, stars mean error <= 1 point, boxes IoU
/// 0.5.
///
/// The class bar sits between chance (25% with four classes; colluders score 0 on gold) and
/// honest accuracy: with only 4-6 gold answers per worker, a 70% bar excluded a quarter of the
/// honest workers in the simulation (`docs/consensus-accuracy.md`).
pub fn default_threshold(kind: Kind) -> Perbill {
	match kind {
		Kind::Class => Perbill::from_percent(50),
		Kind::Stars => Perbill::from_percent(75),
		Kind::Boxes => Perbill::from_percent(50),
	}
}

fn metric(kind: Kind) -> ErrorMetric {
	match kind {
		Kind::Stars => ErrorMetric::Rms,
		_ => ErrorMetric::Mean,
	}
}

/// Error of an answer against a reference consensus, and its agreement.
fn error_against(a: &Answer, c: &Consensus) -> (FixedU128, Perbill) {
	match (a, c) {
		(Answer::Class(x), Consensus::Class(y)) => {
			if x == y {
				(FixedU128::zero(), Perbill::one())
			} else {
				(FixedU128::one(), Perbill::zero())
			}
		},
		(Answer::Stars(s), Consensus::Stars(t)) => {
			let e = abs_diff(s.to_fixed(), *t);
			let agree = Perbill::one().saturating_sub(
				crowdlabel_consensus::consensus::ratio_perbill(e, FixedU128::from_u32(4)),
			);
			(e, agree)
		},
		(Answer::Boxes(x), Consensus::Boxes(y)) => {
			let iou = label_set_iou(x, y).unwrap_or_default();
			(FixedU128::one().saturating_sub(FixedU128::from_perbill(iou)), iou)
		},
		_ => (FixedU128::one(), Perbill::zero()),
	}
}

fn as_consensus(a: &Answer) -> Consensus {
	match a {
		Answer::Class(c) => Consensus::Class(*c),
		Answer::Stars(s) => Consensus::Stars(s.to_fixed()),
		Answer::Boxes(b) => Consensus::Boxes(b.clone()),
	}
}

/// Consensus of one question from `(answer, weight)` pairs (at most 16 are used per call:
/// larger groups are reduced in chunks by taking all answers, the crate limit is per call).
fn consensus_of(kind: Kind, votes: &[(&Answer, FixedU128)]) -> Option<Consensus> {
	match kind {
		Kind::Class => {
			// Weighted vote has no size limit in principle: tally directly for big groups.
			let mut tally: BTreeMap<u16, FixedU128> = BTreeMap::new();
			for (a, w) in votes {
				if let Answer::Class(c) = a {
					let e = tally.entry(*c).or_default();
					*e = e.saturating_add(*w);
				}
			}
			if votes.len() <= crowdlabel_consensus::limits::MAX_LABELS {
				let v: Vec<(u16, FixedU128)> = votes
					.iter()
					.filter_map(
						|(a, w)| if let Answer::Class(c) = a { Some((*c, *w)) } else { None },
					)
					.collect();
				return consensus_class(&v).ok().map(|c| Consensus::Class(c.class));
			}
			tally
				.into_iter()
				.fold(None::<(u16, FixedU128)>, |b, (c, w)| match b {
					Some((bc, bw)) if bw >= w => Some((bc, bw)),
					_ => Some((c, w)),
				})
				.map(|(c, _)| Consensus::Class(c))
		},
		Kind::Stars => {
			let v: Vec<(Stars, FixedU128)> = votes
				.iter()
				.filter_map(|(a, w)| if let Answer::Stars(s) = a { Some((*s, *w)) } else { None })
				.collect();
			if v.len() <= crowdlabel_consensus::limits::MAX_LABELS {
				return consensus_stars(&v).ok().map(|c| Consensus::Stars(c.score));
			}
			let total = v.iter().fold(FixedU128::zero(), |a, (_, w)| a.saturating_add(*w));
			let sum = v.iter().fold(FixedU128::zero(), |a, (s, w)| {
				a.saturating_add(w.saturating_mul(s.to_fixed()))
			});
			sum.checked_div(&total).map(Consensus::Stars)
		},
		Kind::Boxes => {
			let v: Vec<(&[BoundingBox], FixedU128)> = votes
				.iter()
				.filter_map(
					|(a, w)| if let Answer::Boxes(b) = a { Some((b.as_slice(), *w)) } else { None },
				)
				.take(crowdlabel_consensus::limits::MAX_LABELS)
				.collect();
			consensus_boxes(&v)
				.ok()
				.and_then(|c| v.get(c.winner).map(|(b, _)| Consensus::Boxes(b.to_vec())))
		},
	}
}

/// Runs the inference. Returns the consensus per question (gold questions included, where any
/// worker answered) and the per-worker results.
#[allow(clippy::needless_range_loop)] // per-worker arrays indexed together
pub fn run(ds: &Dataset, opts: &Options) -> (BTreeMap<usize, Consensus>, Vec<WorkerResult>) {
	let nw = ds.workers.len();
	let mut by_question: BTreeMap<usize, Vec<(usize, &Answer)>> = BTreeMap::new();
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
				let (e, agree) = error_against(a, &as_consensus(t));
				gold_stats[*w].record(e);
				gold_agree[*w].push(agree);
			}
		}
	}
	let gold_score: Vec<Option<Perbill>> =
		gold_agree.iter().map(|v| crowdlabel_consensus::mean_perbill(v).ok()).collect();
	let qualified: Vec<bool> =
		gold_score.iter().map(|g| g.is_none_or(|s| s >= opts.gold_threshold)).collect();

	let m = metric(ds.kind);
	let mut weights = vec![FixedU128::one(); nw];
	let mut errors = vec![FixedU128::zero(); nw];
	let mut consensus: BTreeMap<usize, Consensus> = BTreeMap::new();
	for _ in 0..opts.iterations.max(1) {
		consensus.clear();
		for (q, answers) in &by_question {
			if opts.use_gold {
				if let Some(t) = ds.gold.get(q) {
					consensus.insert(*q, as_consensus(t));
					continue;
				}
			}
			let mut votes: Vec<(&Answer, FixedU128)> = answers
				.iter()
				.filter(|(w, _)| qualified[*w])
				.map(|(w, a)| (*a, weights[*w]))
				.collect();
			if votes.is_empty() {
				// Nobody qualified answered: fall back to everyone, unweighted.
				votes = answers.iter().map(|(_, a)| (*a, FixedU128::one())).collect();
			}
			if let Some(c) = consensus_of(ds.kind, &votes) {
				consensus.insert(*q, c);
			}
		}
		// Errors against the new consensus (plus gold), then weights.
		let mut stats = gold_stats.clone();
		for (q, w, a) in &ds.answers {
			if opts.use_gold && ds.gold.contains_key(q) {
				continue; // already in gold_stats
			}
			if let Some(c) = consensus.get(q) {
				stats[*w].record(error_against(a, c).0);
			}
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

/// Decimal rendering of a fixed-point value with 6 decimals.
pub fn fixed_str(x: FixedU128) -> String {
	let micro = x.into_inner() / 1_000_000_000_000;
	format!("{}.{:06}", micro / 1_000_000, micro % 1_000_000)
}

/// Renders a consensus like the input answers.
pub fn consensus_str(ds: &Dataset, c: &Consensus) -> String {
	match c {
		Consensus::Class(id) => ds.classes.get(*id as usize).cloned().unwrap_or_default(),
		Consensus::Stars(s) => fixed_str(*s),
		Consensus::Boxes(b) => format_boxes(b),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

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
		let ds = Dataset::from_rows(Kind::Class, rows(&r), vec![("g".into(), "a".into())]).unwrap();
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
		let ds = Dataset::from_rows(Kind::Stars, r, vec![]).unwrap();
		let (_, w) =
			run(&ds, &Options { iterations: 3, gold_threshold: Perbill::zero(), use_gold: false });
		let n = ds.workers.iter().position(|x| x == "n").unwrap();
		let w1 = ds.workers.iter().position(|x| x == "w1").unwrap();
		assert!(w[w1].weight > w[n].weight);
		assert!(w[n].weight >= FixedU128::from_rational(8, 10));
	}
}
