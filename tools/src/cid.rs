//! CIDs of data files, as `ipfs add --cid-version 1 --raw-leaves` computes them.
//!
//! A file of at most 256 KiB (the default chunk size) is stored by IPFS as a single raw block,
//! so its CID is `CIDv1(raw, sha2-256(file))` — the form the datasets pallet accepts. Larger files
//! become a dag-pb tree with a different CID; they are refused here (split them, or register a
//! smaller rendition).

use crowdlabel_content::cid::{cid_from_digest, cid_string, MAX_RAW_FILE};
use sha2::{Digest, Sha256};

/// The identifiers of one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileCid {
	/// `bafkrei...`, as `ipfs add --cid-version 1 --raw-leaves` prints it.
	pub text: String,
	/// The 36-byte binary CID in hex (`0x01551220...`): the `cids` argument of
	/// `datasets.registerItems`.
	pub binary_hex: String,
	/// The SHA2-256 digest in hex: the item hash used by jobs and datasets.
	pub item_hash_hex: String,
}

/// Why a file has no raw CID.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CidToolError {
	/// The file is larger than 256 KiB: IPFS would chunk it into a dag-pb tree.
	TooLarge(usize),
}

impl core::fmt::Display for CidToolError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Self::TooLarge(n) => write!(
				f,
				"{n} bytes is more than {MAX_RAW_FILE}: `ipfs add --raw-leaves` would build a dag-pb \
				 tree, whose CID is not the file's digest; register files of at most 256 KiB"
			),
		}
	}
}

fn hex(bytes: &[u8]) -> String {
	let mut s = String::with_capacity(2 + 2 * bytes.len());
	s.push_str("0x");
	for b in bytes {
		s.push_str(&format!("{b:02x}"));
	}
	s
}

/// The CID of a file's bytes.
pub fn file_cid(bytes: &[u8]) -> Result<FileCid, CidToolError> {
	if bytes.len() > MAX_RAW_FILE {
		return Err(CidToolError::TooLarge(bytes.len()));
	}
	let digest: [u8; 32] = Sha256::digest(bytes).into();
	Ok(FileCid {
		text: cid_string(&digest),
		binary_hex: hex(&cid_from_digest(&digest)),
		item_hash_hex: hex(&digest),
	})
}

#[cfg(test)]
mod tests {
	use super::*;

	// Reference CIDs computed with the npm package `ipfs-only-hash` 4.0.0
	// (`Hash.of(bytes, { cidVersion: 1, rawLeaves: true })`, which reproduces `ipfs add`).
	fn pattern(n: usize) -> Vec<u8> {
		(0..n).map(|i| (i % 251) as u8).collect()
	}

	#[test]
	fn matches_ipfs_add_raw_leaves() {
		let cases: [(Vec<u8>, &str, &str); 3] = [
			(
				Vec::new(),
				"bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
				"0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
			),
			(
				b"hello world".to_vec(),
				"bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e",
				"0xb94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9",
			),
			(
				pattern(262_144),
				"bafkreibruh455iawsviqslif5c7uurdcfdemh22mtnytyzvnzn75kpejxy",
				"0x31a1f9dea0169551092d05e8bf4a446228c8c3eb4c9b713c66adcb7fd53c89be",
			),
		];
		for (bytes, text, hash) in cases {
			let cid = file_cid(&bytes).unwrap();
			assert_eq!(cid.text, text);
			assert_eq!(cid.item_hash_hex, hash);
			assert_eq!(cid.binary_hex, format!("0x01551220{}", &hash[2..]));
		}
	}

	#[test]
	fn refuses_files_ipfs_would_chunk() {
		// `ipfs add` gives this 262,145-byte file the dag-pb CID
		// bafybeiexg2oqkfnj56l7fcmawswqbijt5shq4b5rg6a546uwpkqqzwjioi, not a raw one.
		assert_eq!(file_cid(&pattern(262_145)), Err(CidToolError::TooLarge(262_145)));
	}
}
