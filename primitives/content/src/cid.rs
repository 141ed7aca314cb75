//! Content identifiers of data items.
//!
//! CrowdLabel identifies a data item by the SHA2-256 digest of its bytes. The accepted textual /
//! binary form is an IPFS **CIDv1 with the `raw` codec and a sha2-256 multihash** — exactly what
//! `ipfs add --cid-version 1 --raw-leaves` prints for a file of at most 256 KiB (one raw block;
//! larger files become a dag-pb tree whose CID is not the file's digest and is not accepted).
//!
//! Binary CID (36 bytes): `0x01` (version 1) `0x55` (raw) `0x12` (sha2-256) `0x20` (32 bytes)
//! followed by the digest. Text: multibase `b` + RFC 4648 base32, lower case, no padding, so it
//! always starts with `bafkrei`.

use alloc::{string::String, vec::Vec};

/// The 4 bytes in front of the digest in a CIDv1 raw sha2-256.
pub const RAW_SHA256_PREFIX: [u8; 4] = [0x01, 0x55, 0x12, 0x20];
/// Length of a binary CIDv1 raw sha2-256.
pub const CID_LEN: usize = 36;
/// Largest file whose `ipfs add --raw-leaves` CID is its raw digest (default chunk size).
pub const MAX_RAW_FILE: usize = 256 * 1024;

/// Why a CID was refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CidError {
	/// Not 36 bytes / not `b` + 58 base32 characters.
	BadLength,
	/// Not CIDv1 + raw + sha2-256 (e.g. a CIDv0 `Qm...` or a dag-pb `bafybei...`).
	Unsupported,
	/// A character outside the lower-case base32 alphabet.
	BadCharacter,
}

/// The digest inside a binary CIDv1 raw sha2-256.
pub fn digest_from_cid(cid: &[u8]) -> Result<[u8; 32], CidError> {
	if cid.len() != CID_LEN {
		return Err(CidError::BadLength);
	}
	if cid[..4] != RAW_SHA256_PREFIX {
		return Err(CidError::Unsupported);
	}
	let mut d = [0u8; 32];
	d.copy_from_slice(&cid[4..]);
	Ok(d)
}

/// The binary CIDv1 raw sha2-256 of a digest.
pub fn cid_from_digest(digest: &[u8; 32]) -> [u8; CID_LEN] {
	let mut out = [0u8; CID_LEN];
	out[..4].copy_from_slice(&RAW_SHA256_PREFIX);
	out[4..].copy_from_slice(digest);
	out
}

const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

/// The text form (`bafkrei...`) of a digest.
pub fn cid_string(digest: &[u8; 32]) -> String {
	let bytes = cid_from_digest(digest);
	let mut out = String::with_capacity(59);
	out.push('b');
	let (mut acc, mut bits) = (0u32, 0u32);
	for b in bytes {
		acc = (acc << 8) | b as u32;
		bits += 8;
		while bits >= 5 {
			bits -= 5;
			out.push(ALPHABET[((acc >> bits) & 31) as usize] as char);
		}
	}
	if bits > 0 {
		out.push(ALPHABET[((acc << (5 - bits)) & 31) as usize] as char);
	}
	out
}

/// The digest of a text CID (`bafkrei...`).
pub fn digest_from_cid_string(text: &str) -> Result<[u8; 32], CidError> {
	let rest = text.strip_prefix('b').ok_or(CidError::Unsupported)?;
	if rest.len() != 58 {
		return Err(CidError::BadLength);
	}
	let mut bytes = Vec::with_capacity(CID_LEN);
	let (mut acc, mut bits) = (0u32, 0u32);
	for c in rest.bytes() {
		let v = ALPHABET.iter().position(|a| *a == c).ok_or(CidError::BadCharacter)? as u32;
		acc = ((acc << 5) | v) & 0xFFFF;
		bits += 5;
		if bits >= 8 {
			bits -= 8;
			bytes.push((acc >> bits) as u8);
		}
	}
	digest_from_cid(&bytes)
}

#[cfg(test)]
mod tests {
	use super::*;

	// SHA2-256 of the empty string and its well-known raw CIDv1.
	const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
	const EMPTY_CID: &str = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";

	fn hex32(s: &str) -> [u8; 32] {
		let mut d = [0u8; 32];
		for (i, b) in d.iter_mut().enumerate() {
			*b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap();
		}
		d
	}

	#[test]
	fn known_cid_round_trips() {
		let d = hex32(EMPTY_SHA256);
		assert_eq!(cid_string(&d), EMPTY_CID);
		assert_eq!(digest_from_cid_string(EMPTY_CID), Ok(d));
		assert_eq!(digest_from_cid(&cid_from_digest(&d)), Ok(d));
	}

	#[test]
	fn other_cids_are_refused() {
		// CIDv0 (base58 `Qm...`) and dag-pb CIDv1 (`bafybei...`).
		assert_eq!(
			digest_from_cid_string("QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH"),
			Err(CidError::Unsupported)
		);
		assert_eq!(
			digest_from_cid_string("bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"),
			Err(CidError::Unsupported)
		);
		assert_eq!(digest_from_cid_string("bafkrei"), Err(CidError::BadLength));
		let mut upper = String::from(EMPTY_CID);
		upper.replace_range(10..11, "A");
		assert_eq!(digest_from_cid_string(&upper), Err(CidError::BadCharacter));
		let mut dagpb = cid_from_digest(&[7u8; 32]);
		dagpb[1] = 0x70;
		assert_eq!(digest_from_cid(&dagpb), Err(CidError::Unsupported));
		assert_eq!(digest_from_cid(&dagpb[..35]), Err(CidError::BadLength));
	}
}
