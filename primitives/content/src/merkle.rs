//! Binary Merkle tree over dataset entries, with inclusion proofs.
//!
//! The hash function is a parameter (the runtime passes `sp_io::hashing::blake2_256`, off-chain
//! tools a native BLAKE2b-256), so this crate stays free of hashing dependencies.
//!
//! - leaf: `H(0x00 ++ data)`; inner node: `H(0x01 ++ left ++ right)` — the prefixes keep a leaf
//!   from ever passing for an inner node (second-preimage protection);
//! - a level with an odd number of nodes promotes its last node unchanged to the next level (no
//!   duplication, so two different leaf lists never share a root by repeating the last leaf);
//! - a proof is the list of sibling hashes from the leaf up; verification also needs the leaf's
//!   index and the number of leaves, which fix where the promotions happen.

use alloc::vec::Vec;

/// A 32-byte hash.
pub type Hash = [u8; 32];

const LEAF: u8 = 0;
const NODE: u8 = 1;

/// The leaf hash of `data`: `H(0x00 ++ data)`.
pub fn leaf_hash<H: Fn(&[u8]) -> Hash>(hasher: &H, data: &[u8]) -> Hash {
	let mut buf = Vec::with_capacity(data.len().saturating_add(1));
	buf.push(LEAF);
	buf.extend_from_slice(data);
	hasher(&buf)
}

fn node_hash<H: Fn(&[u8]) -> Hash>(hasher: &H, left: &Hash, right: &Hash) -> Hash {
	let mut buf = [0u8; 65];
	buf[0] = NODE;
	buf[1..33].copy_from_slice(left);
	buf[33..].copy_from_slice(right);
	hasher(&buf)
}

fn next_level<H: Fn(&[u8]) -> Hash>(hasher: &H, level: &[Hash]) -> Vec<Hash> {
	level
		.chunks(2)
		.map(|pair| match pair {
			[l, r] => node_hash(hasher, l, r),
			// The odd node out is promoted (`chunks(2)` never yields an empty slice).
			_ => pair.first().copied().unwrap_or_default(),
		})
		.collect()
}

/// The root over leaf hashes (see [`leaf_hash`]); `None` for no leaves.
pub fn root<H: Fn(&[u8]) -> Hash>(hasher: &H, leaves: &[Hash]) -> Option<Hash> {
	if leaves.is_empty() {
		return None;
	}
	let mut level = leaves.to_vec();
	while level.len() > 1 {
		level = next_level(hasher, &level);
	}
	level.first().copied()
}

/// The inclusion proof of leaf `index`; `None` if `index` is out of range.
pub fn proof<H: Fn(&[u8]) -> Hash>(hasher: &H, leaves: &[Hash], index: usize) -> Option<Vec<Hash>> {
	if index >= leaves.len() {
		return None;
	}
	let mut path = Vec::new();
	let mut level = leaves.to_vec();
	let mut idx = index;
	while level.len() > 1 {
		if let Some(sibling) = level.get(idx ^ 1) {
			path.push(*sibling);
		}
		level = next_level(hasher, &level);
		idx /= 2;
	}
	Some(path)
}

/// Whether `leaf` (a leaf hash) is leaf `index` of a tree of `count` leaves with this `root`.
pub fn verify<H: Fn(&[u8]) -> Hash>(
	hasher: &H,
	root: &Hash,
	leaf: &Hash,
	index: u64,
	count: u64,
	proof: &[Hash],
) -> bool {
	if index >= count {
		return false;
	}
	let (mut idx, mut len, mut cur) = (index, count, *leaf);
	let mut siblings = proof.iter();
	while len > 1 {
		let has_sibling = idx % 2 == 1 || idx.saturating_add(1) < len;
		if has_sibling {
			let Some(sibling) = siblings.next() else { return false };
			cur = if idx % 2 == 1 {
				node_hash(hasher, sibling, &cur)
			} else {
				node_hash(hasher, &cur, sibling)
			};
		}
		idx /= 2;
		len = len.div_ceil(2);
	}
	siblings.next().is_none() && &cur == root
}

#[cfg(test)]
mod tests {
	use super::*;

	// A toy hash for tests (not cryptographic): FNV-1a spread over 32 bytes. The tree logic does
	// not depend on the hash; the pallet tests and the e2e check the real BLAKE2b-256 root.
	fn toy(data: &[u8]) -> Hash {
		let mut out = [0u8; 32];
		for (lane, chunk) in out.chunks_mut(8).enumerate() {
			let mut h: u64 = 0xcbf29ce484222325 ^ (lane as u64);
			for b in data {
				h ^= *b as u64;
				h = h.wrapping_mul(0x100000001b3);
			}
			chunk.copy_from_slice(&h.to_le_bytes());
		}
		out
	}

	fn leaves(n: usize) -> Vec<Hash> {
		(0..n).map(|i| leaf_hash(&toy, &(i as u32).to_le_bytes())).collect()
	}

	#[test]
	fn every_leaf_of_every_size_verifies() {
		for n in 1..=40usize {
			let ls = leaves(n);
			let r = root(&toy, &ls).unwrap();
			for i in 0..n {
				let p = proof(&toy, &ls, i).unwrap();
				assert!(p.len() <= 6, "proof of {i}/{n} has {} hashes", p.len());
				assert!(verify(&toy, &r, &ls[i], i as u64, n as u64, &p), "leaf {i} of {n}");
			}
		}
	}

	#[test]
	fn wrong_leaf_index_count_or_proof_fails() {
		let ls = leaves(7);
		let r = root(&toy, &ls).unwrap();
		let p = proof(&toy, &ls, 2).unwrap();
		assert!(verify(&toy, &r, &ls[2], 2, 7, &p));
		assert!(!verify(&toy, &r, &ls[3], 2, 7, &p));
		assert!(!verify(&toy, &r, &ls[2], 3, 7, &p));
		// The count fixes where nodes are promoted: leaf 6 of 7 has no sibling at the bottom,
		// in a tree of 8 it would.
		let p6 = proof(&toy, &ls, 6).unwrap();
		assert!(verify(&toy, &r, &ls[6], 6, 7, &p6));
		assert!(!verify(&toy, &r, &ls[6], 6, 8, &p6));
		assert!(!verify(&toy, &r, &ls[2], 7, 7, &p));
		let mut bad = p.clone();
		bad[0][0] ^= 1;
		assert!(!verify(&toy, &r, &ls[2], 2, 7, &bad));
		assert!(!verify(&toy, &r, &ls[2], 2, 7, &p[..p.len() - 1]));
		let mut long = p.clone();
		long.push([0u8; 32]);
		assert!(!verify(&toy, &r, &ls[2], 2, 7, &long));
	}

	#[test]
	fn root_shape() {
		assert_eq!(root(&toy, &[]), None);
		let ls = leaves(3);
		assert_eq!(root(&toy, &ls[..1]), Some(ls[0]));
		// Three leaves: (l0, l1) paired, l2 promoted.
		let expected = node_hash(&toy, &node_hash(&toy, &ls[0], &ls[1]), &ls[2]);
		assert_eq!(root(&toy, &ls), Some(expected));
		// No duplication of the last leaf: [a, b, c] and [a, b, c, c] differ.
		let mut four = ls.clone();
		four.push(ls[2]);
		assert_ne!(root(&toy, &ls), root(&toy, &four));
		// A leaf hash never equals an inner node built from the same bytes.
		let mut raw = Vec::new();
		raw.extend_from_slice(&ls[0]);
		raw.extend_from_slice(&ls[1]);
		assert_ne!(leaf_hash(&toy, &raw), node_hash(&toy, &ls[0], &ls[1]));
	}
}
