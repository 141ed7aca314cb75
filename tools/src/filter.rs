//! Machine filtering of a parallel corpus (Briko workflow, step 2), before a star-review job.
//!
//! A sentence pair `(S, T)` is kept only if all of these hold (defaults in [`Rules::default`]):
//! - **tokens**: both sides have `min_tokens < N_token < max_tokens` whitespace tokens
//!   (2 < N < 80);
//! - **length ratio**: `min_ratio < N_token(S) / N_token(T) < max_ratio` (0.4 < S/T < 2.5);
//!   tokens rather than characters, so that scripts of different density (Latin vs CJK) compare;
//! - **special tokens**: the e-mail addresses, URLs and large numbers (≥ 3 digits, separators
//!   ignored) of S and T are the same sets — a translation keeps them;
//! - **edit distance**: the character Levenshtein distance divided by the longer side's length
//!   is above `min_edit` (0.1): near-copies (untranslated text) are useless for training;
//! - **language** (when expected languages are given): `whatlang` detects the expected language
//!   on each side.
//!
//! Kept pairs become job items: the item hash is the SHA2-256 of `S ++ "\t" ++ T` (UTF-8), the
//! bytes a data owner would register (see [`crate::cid`]).

use sha2::{Digest, Sha256};
use std::collections::BTreeSet;

/// Thresholds of the filter.
#[derive(Clone, Debug)]
pub struct Rules {
	/// Exclusive lower bound of `N_token(S) / N_token(T)`.
	pub min_ratio: f64,
	/// Exclusive upper bound of `N_token(S) / N_token(T)`.
	pub max_ratio: f64,
	/// Exclusive lower bound of tokens per side.
	pub min_tokens: usize,
	/// Exclusive upper bound of tokens per side.
	pub max_tokens: usize,
	/// Exclusive lower bound of the normalised edit distance.
	pub min_edit: f64,
	/// Expected language of S (`whatlang` code, e.g. `eng`), if checked.
	pub source_lang: Option<whatlang::Lang>,
	/// Expected language of T, if checked.
	pub target_lang: Option<whatlang::Lang>,
}

impl Default for Rules {
	fn default() -> Self {
		Self {
			min_ratio: 0.4,
			max_ratio: 2.5,
			min_tokens: 2,
			max_tokens: 80,
			min_edit: 0.1,
			source_lang: None,
			target_lang: None,
		}
	}
}

/// Why a pair was removed (the first failing rule, in the order of the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reject {
	/// Not `source<TAB>target`.
	Malformed,
	/// Token count out of range on either side.
	TokenCount,
	/// Length ratio out of range.
	LengthRatio,
	/// E-mails, URLs or large numbers differ between the sides.
	SpecialTokens,
	/// The sides are (nearly) the same text.
	EditDistance,
	/// A side is not in its expected language.
	Language,
}

impl Reject {
	/// Short name for reports.
	pub fn name(&self) -> &'static str {
		match self {
			Self::Malformed => "malformed",
			Self::TokenCount => "token-count",
			Self::LengthRatio => "length-ratio",
			Self::SpecialTokens => "special-tokens",
			Self::EditDistance => "edit-distance",
			Self::Language => "language",
		}
	}
}

fn trim_punct(t: &str) -> &str {
	t.trim_matches(|c: char| {
		matches!(c, ',' | ';' | ':' | '!' | '?' | '"' | '\'' | '(' | ')' | '[' | ']' | '<' | '>')
			|| c == '。'
			|| c == '，'
			|| c == '「'
			|| c == '」'
	})
	.trim_end_matches('.')
}

/// E-mails, URLs and numbers of at least 3 digits (digits only) in a text.
pub fn special_tokens(text: &str) -> BTreeSet<String> {
	let mut out = BTreeSet::new();
	for raw in text.split_whitespace() {
		let t = trim_punct(raw);
		let lower = t.to_lowercase();
		if lower.starts_with("http://")
			|| lower.starts_with("https://")
			|| lower.starts_with("www.")
		{
			out.insert(format!("url:{}", lower.trim_end_matches('/')));
		} else if let Some((user, domain)) = t.split_once('@') {
			if !user.is_empty() && domain.contains('.') && !domain.starts_with('.') {
				out.insert(format!("email:{lower}"));
			}
		} else {
			// Numbers: digits with optional separators ("1,000,000", "3.14159", "2026").
			let digits: String = t.chars().filter(|c| c.is_ascii_digit()).collect();
			let only_number =
				t.chars().all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '\''));
			if only_number && digits.len() >= 3 {
				out.insert(format!("num:{digits}"));
			}
		}
	}
	out
}

/// Character Levenshtein distance.
pub fn levenshtein(a: &str, b: &str) -> usize {
	let a: Vec<char> = a.chars().collect();
	let b: Vec<char> = b.chars().collect();
	let mut prev: Vec<usize> = (0..=b.len()).collect();
	let mut cur = vec![0; b.len() + 1];
	for (i, ca) in a.iter().enumerate() {
		cur[0] = i + 1;
		for (j, cb) in b.iter().enumerate() {
			let subst = prev[j] + usize::from(ca != cb);
			cur[j + 1] = subst.min(prev[j + 1] + 1).min(cur[j] + 1);
		}
		std::mem::swap(&mut prev, &mut cur);
	}
	prev[b.len()]
}

/// Tokens of a side: whitespace-separated words, or characters for scripts written without
/// spaces (CJK, Thai): a sentence with a single "word" of many such characters counts each.
pub fn token_count(text: &str) -> usize {
	let words = text.split_whitespace().count();
	let unspaced = text.chars().filter(|c| is_unspaced_script(*c)).count();
	if unspaced > words {
		unspaced + text.split_whitespace().filter(|w| !w.chars().any(is_unspaced_script)).count()
	} else {
		words
	}
}

fn is_unspaced_script(c: char) -> bool {
	matches!(c as u32,
		0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x0E00..=0x0E7F)
}

/// Checks one pair.
pub fn check(source: &str, target: &str, rules: &Rules) -> Result<(), Reject> {
	let (s, t) = (source.trim(), target.trim());
	if s.is_empty() || t.is_empty() {
		return Err(Reject::Malformed);
	}
	let (ns, nt) = (token_count(s), token_count(t));
	for n in [ns, nt] {
		if n <= rules.min_tokens || n >= rules.max_tokens {
			return Err(Reject::TokenCount);
		}
	}
	let ratio = ns as f64 / nt as f64;
	if ratio <= rules.min_ratio || ratio >= rules.max_ratio {
		return Err(Reject::LengthRatio);
	}
	if special_tokens(s) != special_tokens(t) {
		return Err(Reject::SpecialTokens);
	}
	let longest = s.chars().count().max(t.chars().count()) as f64;
	let edit = levenshtein(s, t) as f64 / longest;
	if edit <= rules.min_edit {
		return Err(Reject::EditDistance);
	}
	for (text, lang) in [(s, rules.source_lang), (t, rules.target_lang)] {
		if let Some(expected) = lang {
			if whatlang::detect_lang(text) != Some(expected) {
				return Err(Reject::Language);
			}
		}
	}
	Ok(())
}

/// Checks a TSV line `source<TAB>target[<TAB>...]`.
pub fn check_line(line: &str, rules: &Rules) -> Result<(), Reject> {
	let mut parts = line.split('\t');
	match (parts.next(), parts.next()) {
		(Some(s), Some(t)) => check(s, t, rules),
		_ => Err(Reject::Malformed),
	}
}

/// The item hash of a kept pair: SHA2-256 of `source\ttarget` (trimmed sides), in hex.
pub fn item_hash(source: &str, target: &str) -> String {
	let bytes = format!("{}\t{}", source.trim(), target.trim());
	let digest = Sha256::digest(bytes.as_bytes());
	let mut s = String::from("0x");
	for b in digest {
		s.push_str(&format!("{b:02x}"));
	}
	s
}

#[cfg(test)]
mod tests {
	use super::*;

	fn ok(s: &str, t: &str) -> Result<(), Reject> {
		check(s, t, &Rules::default())
	}

	#[test]
	fn keeps_a_normal_translation() {
		assert_eq!(
			ok("The cat sleeps on the warm sofa.", "Die Katze schläft auf dem warmen Sofa."),
			Ok(())
		);
	}

	#[test]
	fn token_bounds_are_exclusive() {
		// 2 tokens: out (2 < N); 3 tokens: in.
		assert_eq!(ok("Good morning", "Guten Morgen"), Err(Reject::TokenCount));
		assert_eq!(ok("Good morning everyone", "Guten Morgen allerseits"), Ok(()));
		let long = vec!["word"; 80].join(" ");
		assert_eq!(ok(&long, &long.replace("word", "Wort")), Err(Reject::TokenCount));
		let just = vec!["word"; 79].join(" ");
		assert_eq!(ok(&just, &just.replace("word", "Wort")), Ok(()));
	}

	#[test]
	fn length_ratio_bounds() {
		// 10 tokens vs 4: ratio 2.5 is out (exclusive); 9 vs 4 = 2.25 is in.
		let ten = "one two three four five six seven eight nine ten";
		assert_eq!(ok(ten, "eins zwei drei vier"), Err(Reject::LengthRatio));
		assert_eq!(ok("eins zwei drei vier", ten), Err(Reject::LengthRatio));
		assert_eq!(
			ok("one two three four five six seven eight nine", "eins zwei drei vier"),
			Ok(())
		);
	}

	#[test]
	fn special_tokens_must_match() {
		assert_eq!(
			ok(
				"Write to info@example.com before 2026.",
				"Schreiben Sie vor 2026 an info@example.com."
			),
			Ok(())
		);
		assert_eq!(
			ok(
				"Write to info@example.com before 2026.",
				"Schreiben Sie vor 2025 an info@example.com."
			),
			Err(Reject::SpecialTokens)
		);
		assert_eq!(
			ok("See https://example.org/docs for details.", "Details finden Sie in der Anleitung."),
			Err(Reject::SpecialTokens)
		);
		// Separators do not matter: 1,000,000 == 1.000.000.
		assert_eq!(
			ok(
				"The prize is 1,000,000 dollars today.",
				"Der Preis beträgt heute 1.000.000 Dollar."
			),
			Ok(())
		);
		// Small numbers are not special.
		assert_eq!(ok("I have 2 red apples.", "Ich habe zwei rote Äpfel."), Ok(()));
	}

	#[test]
	fn near_copies_are_removed() {
		assert_eq!(
			ok("This sentence was not translated.", "This sentence was not translated!"),
			Err(Reject::EditDistance)
		);
		assert_eq!(levenshtein("kitten", "sitting"), 3);
		assert_eq!(levenshtein("", "abc"), 3);
	}

	#[test]
	fn language_check() {
		let rules = Rules {
			source_lang: Some(whatlang::Lang::Eng),
			target_lang: Some(whatlang::Lang::Deu),
			..Rules::default()
		};
		assert_eq!(
			check(
				"The weather is very nice today and we are going to the park.",
				"Das Wetter ist heute sehr schön und wir gehen in den Park.",
				&rules
			),
			Ok(())
		);
		// Target in French, not German.
		assert_eq!(
			check(
				"The weather is very nice today and we are going to the park.",
				"Il fait très beau aujourd'hui et nous allons au parc avec les enfants.",
				&rules
			),
			Err(Reject::Language)
		);
	}

	#[test]
	fn cjk_counts_characters_and_lines_parse() {
		assert_eq!(token_count("我们今天去公园"), 7);
		assert_eq!(check_line("no tab here", &Rules::default()), Err(Reject::Malformed));
		assert_eq!(
			check_line("We go to the park today.\t我们今天去公园。", &Rules::default()),
			Ok(())
		);
		assert_eq!(item_hash(" a\tb ", "x"), item_hash("a\tb", "x"));
		assert_eq!(item_hash("a", "b").len(), 66);
	}
}
