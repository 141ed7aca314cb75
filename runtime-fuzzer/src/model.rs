//! What the fuzzer knows off chain: the true label of every data item (so honest labelers and
//! the curator agree most of the time), noisy labels of labelers of varying skill, and the
//! secrets behind commitments (gold answers, package labels, challenge answers) needed to open
//! them later.

use crate::rng::Rng;
use codec::Encode;
use crowdlabel_consensus::BoundingBox;
use crowdlabel_runtime::{AccountId, Runtime};
use frame_support::BoundedVec;
use pallet_jobs::{JobId, PackageIndex};
use pallet_labelers::types::{ItemHash, Label, LabelKind, Salt};
use sp_core::H256;
use std::collections::BTreeMap;

/// A label with the runtime's box bound.
pub type L = pallet_labelers::LabelOf<Runtime>;

/// Most boxes in a label (the runtime's bound).
const MAX_BOXES: usize = 32;

/// Size of the data item pool shared by jobs and the data registry.
pub const ITEM_POOL: u32 = 48;

/// Item `i` of the shared pool (a SHA2-256-sized content hash).
pub fn pool_item(i: u32) -> ItemHash {
	H256(sp_io::hashing::blake2_256(&(b"crowdlabel-fuzz/item", i).encode()))
}

/// The binary CIDv1 (raw, sha2-256) of an item hash.
pub fn cid_of(item: &ItemHash) -> [u8; 36] {
	let mut cid = [0u8; 36];
	cid[..4].copy_from_slice(&crowdlabel_content::cid::RAW_SHA256_PREFIX);
	cid[4..].copy_from_slice(item.as_bytes());
	cid
}

fn boxes(list: Vec<BoundingBox>) -> L {
	Label::Boxes(BoundedVec::truncate_from(list))
}

/// The true label of `item` in a domain of `kind`.
pub fn truth(kind: &LabelKind, item: &ItemHash) -> L {
	let h = item.as_bytes();
	match kind {
		LabelKind::SingleClass { classes } => Label::Class(h[0] as u16 % (*classes).max(1)),
		LabelKind::Score { min, max } => {
			let width = max.saturating_sub(*min) as u32 + 1;
			Label::Score(
				min.saturating_add((u16::from_le_bytes([h[0], h[1]]) as u32 % width) as u16),
			)
		},
		LabelKind::BoundingBoxes { classes } => {
			// Mostly 0 to 2 boxes; one item in ten is crowded (the most boxes a label may have),
			// the worst case of box matching and of a result's storage.
			let n = if h[1].is_multiple_of(10) { MAX_BOXES } else { (h[1] % 3) as usize };
			boxes(
				(0..n)
					.map(|i| {
						let b = |k: usize| h[(k + 3 * i) % 32];
						let x = b(2) as u32 * 4 + i as u32 * 2000;
						let y = b(5) as u32 * 4;
						BoundingBox {
							x_min: x,
							y_min: y,
							x_max: x + 30 + (b(8) % 64) as u32,
							y_max: y + 30 + (b(11) % 64) as u32,
							class: b(14) as u16 % (*classes).max(1),
						}
					})
					.collect(),
			)
		},
	}
}

/// A valid label of `kind`, uniformly random.
pub fn random_label(rng: &mut Rng, kind: &LabelKind) -> L {
	match kind {
		LabelKind::SingleClass { classes } => Label::Class(rng.below(*classes as u64) as u16),
		LabelKind::Score { min, max } => Label::Score(rng.range(*min as u64, *max as u64) as u16),
		LabelKind::BoundingBoxes { classes } => {
			let n = if rng.chance(5) { MAX_BOXES } else { rng.below(4) as usize };
			boxes(
				(0..n)
					.map(|i| {
						let x = rng.range32(0, 1500) + i as u32 * 2000;
						let y = rng.range32(0, 1500);
						BoundingBox {
							x_min: x,
							y_min: y,
							x_max: x + rng.range32(1, 400),
							y_max: y + rng.range32(1, 400),
							class: rng.below(*classes as u64) as u16,
						}
					})
					.collect(),
			)
		},
	}
}

/// A label that does not fit `kind`: wrong variant, class out of range, a score outside the range,
/// an empty or out-of-range box, or the same box twice.
pub fn invalid_label(rng: &mut Rng, kind: &LabelKind) -> L {
	match (kind, rng.below(3)) {
		(_, 0) => match kind {
			LabelKind::Score { .. } => Label::Class(0),
			_ => Label::Score(3),
		},
		(LabelKind::SingleClass { classes }, _) => Label::Class(*classes + rng.below(3) as u16),
		(LabelKind::Score { min, max }, _) => {
			Label::Score(if (rng.chance(50) && *min > 0) || *max == u16::MAX {
				min.saturating_sub(1)
			} else {
				max.saturating_add(1)
			})
		},
		(LabelKind::BoundingBoxes { classes }, 1) => {
			let b = BoundingBox { x_min: 10, y_min: 10, x_max: 60, y_max: 70, class: 0 };
			if rng.chance(50) {
				// The same box twice.
				boxes(vec![b, b])
			} else {
				boxes(vec![BoundingBox { class: *classes, ..b }])
			}
		},
		(LabelKind::BoundingBoxes { .. }, _) => {
			let bad = if rng.chance(50) {
				BoundingBox { x_min: 50, y_min: 10, x_max: 50, y_max: 20, class: 0 }
			} else {
				let max = crowdlabel_consensus::limits::MAX_COORDINATE;
				BoundingBox { x_min: 0, y_min: 0, x_max: max + 1, y_max: 20, class: 0 }
			};
			boxes(vec![bad])
		},
	}
}

/// The label a labeler of `skill` percent gives `item`: the truth (boxes jittered by a few
/// pixels) `skill` percent of the time, otherwise a random label.
pub fn noisy_label(rng: &mut Rng, kind: &LabelKind, item: &ItemHash, skill: u64) -> L {
	if !rng.chance(skill) {
		return random_label(rng, kind);
	}
	match truth(kind, item) {
		Label::Boxes(list) => boxes(
			list.into_iter()
				.map(|b| {
					let j = |v: u32, rng: &mut Rng| v + rng.below(3) as u32;
					let x_min = j(b.x_min, rng);
					let y_min = j(b.y_min, rng);
					BoundingBox {
						x_min,
						y_min,
						x_max: j(b.x_max, rng).max(x_min + 1),
						y_max: j(b.y_max, rng).max(y_min + 1),
						class: b.class,
					}
				})
				.collect(),
		),
		other => other,
	}
}

/// Secrets behind commitments, and data remembered between a call and its events.
#[derive(Default)]
pub struct Secrets {
	/// Gold answers and salts by gold item hash (known to the curator).
	pub gold: BTreeMap<ItemHash, (L, Salt)>,
	/// Package labels and salts by `(job, package, labeler)`.
	pub labels: BTreeMap<(JobId, PackageIndex, AccountId), (Vec<L>, Salt)>,
	/// Challenge answers and salts by job.
	pub challenges: BTreeMap<JobId, (Vec<(u32, L)>, Salt)>,
}
