//! Content identifiers of data items.
//!
//! CrowdLabel names a data item by an IPFS **CIDv1 with a sha2-256 multihash**, in one of the two
//! codecs IPFS gives files:
//! - `raw` (`0x55`): a file of at most 256 KiB added with `ipfs add --cid-version 1 --raw-leaves`
//!   is one raw block; its CID is the SHA2-256 digest of the file's bytes (text `bafkrei…`);
//! - `dag-pb` (`0x70`): the root of a chunked UnixFS file, i.e. any larger file added with
//!   `--raw-leaves` (text `bafybei…`), and every file added with a plain `ipfs add`, whose CIDv0
//!   `Qm…` is the same root in its version-0 form ([`parse_cid_string`] accepts both; the chain
//!   takes the 36-byte CIDv1).
//!
//! The item hash used by jobs and datasets is the CID's digest: the file's digest for a raw
//! CID, the root block's digest for a dag-pb one (the root commits to every chunk, so the item
//! is still exactly one content). The codec is kept next to the item so the CID can be rebuilt.
//!
//! Binary CIDv1 (36 bytes): `0x01` (version 1), the codec, `0x12` (sha2-256), `0x20` (32 bytes),
//! then the digest. Text: multibase `b` + RFC 4648 base32, lower case, no padding. CIDv0: the
//! 34-byte multihash `0x12 0x20 digest` in base58btc (always `Qm…`), dag-pb implied.

use alloc::{string::String, vec::Vec};

/// The 4 bytes in front of the digest in a CIDv1 raw sha2-256.
pub const RAW_SHA256_PREFIX: [u8; 4] = [0x01, 0x55, 0x12, 0x20];
/// The 4 bytes in front of the digest in a CIDv1 dag-pb sha2-256.
pub const DAG_PB_SHA256_PREFIX: [u8; 4] = [0x01, 0x70, 0x12, 0x20];
/// Length of a binary CIDv1 with a sha2-256 digest.
pub const CID_LEN: usize = 36;
/// Length of a binary CIDv0 (a sha2-256 multihash).
pub const CID_V0_LEN: usize = 34;
/// Largest file whose `ipfs add --raw-leaves` CID is its raw digest (the default chunk size).
pub const MAX_RAW_FILE: usize = 256 * 1024;

/// The codec of a data item's CID.
#[derive(Clone, Copy, PartialEq, Eq, Debug, PartialOrd, Ord, Hash)]
pub enum Codec {
	/// One raw block: the digest is the file's SHA2-256.
	Raw,
	/// A UnixFS dag-pb node: the digest is the root block's SHA2-256.
	DagPb,
}

impl Codec {
	/// The multicodec code (`0x55` raw, `0x70` dag-pb).
	pub fn code(self) -> u8 {
		match self {
			Codec::Raw => 0x55,
			Codec::DagPb => 0x70,
		}
	}

	fn prefix(self) -> [u8; 4] {
		match self {
			Codec::Raw => RAW_SHA256_PREFIX,
			Codec::DagPb => DAG_PB_SHA256_PREFIX,
		}
	}
}

/// Why a CID was refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CidError {
	/// Not 36 bytes / not `b` + 58 base32 characters / not a 46-character `Qm…`.
	BadLength,
	/// Not CIDv1 raw or dag-pb with sha2-256 (another codec, hash or version).
	Unsupported,
	/// A character outside the lower-case base32 (or base58btc) alphabet.
	BadCharacter,
}

/// The codec and digest of a binary CIDv1 (36 bytes, raw or dag-pb, sha2-256).
pub fn parse_cid(cid: &[u8]) -> Result<(Codec, [u8; 32]), CidError> {
	if cid.len() != CID_LEN {
		return Err(CidError::BadLength);
	}
	let (prefix, digest) = cid.split_at(4);
	let codec = if prefix == RAW_SHA256_PREFIX {
		Codec::Raw
	} else if prefix == DAG_PB_SHA256_PREFIX {
		Codec::DagPb
	} else {
		return Err(CidError::Unsupported);
	};
	let mut d = [0u8; 32];
	d.copy_from_slice(digest);
	Ok((codec, d))
}

/// The digest inside a binary CIDv1 **raw** sha2-256 (the one-block form).
pub fn digest_from_cid(cid: &[u8]) -> Result<[u8; 32], CidError> {
	match parse_cid(cid)? {
		(Codec::Raw, d) => Ok(d),
		_ => Err(CidError::Unsupported),
	}
}

/// The binary CIDv1 of a digest in `codec`.
pub fn cid_of(codec: Codec, digest: &[u8; 32]) -> [u8; CID_LEN] {
	let mut out = [0u8; CID_LEN];
	out[..4].copy_from_slice(&codec.prefix());
	out[4..].copy_from_slice(digest);
	out
}

/// The binary CIDv1 raw sha2-256 of a digest.
pub fn cid_from_digest(digest: &[u8; 32]) -> [u8; CID_LEN] {
	cid_of(Codec::Raw, digest)
}

const BASE32: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
const BASE58: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// The text CIDv1 (`bafkrei…` raw, `bafybei…` dag-pb) of a digest in `codec`.
pub fn cid_text(codec: Codec, digest: &[u8; 32]) -> String {
	let mut out = String::with_capacity(59);
	out.push('b');
	let (mut acc, mut bits) = (0u32, 0u32);
	for b in cid_of(codec, digest) {
		acc = ((acc << 8) | b as u32) & 0xFFFF;
		bits += 8;
		while bits >= 5 {
			bits -= 5;
			out.push(BASE32[((acc >> bits) & 31) as usize] as char);
		}
	}
	if bits > 0 {
		out.push(BASE32[((acc << (5 - bits)) & 31) as usize] as char);
	}
	out
}

/// The text form (`bafkrei…`) of a raw digest.
pub fn cid_string(digest: &[u8; 32]) -> String {
	cid_text(Codec::Raw, digest)
}

/// The CIDv0 text (`Qm…`, base58btc of the multihash) of a dag-pb digest.
pub fn cid_v0_text(digest: &[u8; 32]) -> String {
	let mut multihash = [0u8; CID_V0_LEN];
	multihash[0] = 0x12;
	multihash[1] = 0x20;
	multihash[2..].copy_from_slice(digest);
	// Base58 digits, least significant first; the multihash never starts with a zero byte.
	let mut digits: Vec<u8> = Vec::with_capacity(46);
	for byte in multihash {
		let mut carry = byte as u32;
		for d in digits.iter_mut() {
			carry += (*d as u32) << 8;
			*d = (carry % 58) as u8;
			carry /= 58;
		}
		while carry > 0 {
			digits.push((carry % 58) as u8);
			carry /= 58;
		}
	}
	digits.iter().rev().map(|d| BASE58[*d as usize] as char).collect()
}

fn parse_v0(text: &str) -> Result<[u8; 32], CidError> {
	if text.len() != 46 {
		return Err(CidError::BadLength);
	}
	// Big-endian base-256 digits of the number, least significant first.
	let mut bytes: Vec<u8> = Vec::with_capacity(CID_V0_LEN);
	for c in text.bytes() {
		let v = BASE58.iter().position(|a| *a == c).ok_or(CidError::BadCharacter)? as u32;
		let mut carry = v;
		for b in bytes.iter_mut() {
			carry += (*b as u32) * 58;
			*b = (carry & 0xFF) as u8;
			carry >>= 8;
		}
		while carry > 0 {
			bytes.push((carry & 0xFF) as u8);
			carry >>= 8;
		}
	}
	bytes.reverse();
	if bytes.len() != CID_V0_LEN || bytes[..2] != [0x12, 0x20] {
		return Err(CidError::Unsupported);
	}
	let mut d = [0u8; 32];
	d.copy_from_slice(&bytes[2..]);
	Ok(d)
}

/// The codec and digest of a text CID: a CIDv1 (`bafkrei…`, `bafybei…`) or a CIDv0 (`Qm…`,
/// dag-pb).
pub fn parse_cid_string(text: &str) -> Result<(Codec, [u8; 32]), CidError> {
	if text.starts_with("Qm") {
		return Ok((Codec::DagPb, parse_v0(text)?));
	}
	let rest = text.strip_prefix('b').ok_or(CidError::Unsupported)?;
	if rest.len() != 58 {
		return Err(CidError::BadLength);
	}
	let mut bytes = Vec::with_capacity(CID_LEN);
	let (mut acc, mut bits) = (0u32, 0u32);
	for c in rest.bytes() {
		let v = BASE32.iter().position(|a| *a == c).ok_or(CidError::BadCharacter)? as u32;
		acc = ((acc << 5) | v) & 0xFFFF;
		bits += 5;
		if bits >= 8 {
			bits -= 8;
			bytes.push((acc >> bits) as u8);
		}
	}
	parse_cid(&bytes)
}

/// The digest of a text CIDv1 raw (`bafkrei…`).
pub fn digest_from_cid_string(text: &str) -> Result<[u8; 32], CidError> {
	match parse_cid_string(text)? {
		(Codec::Raw, d) => Ok(d),
		_ => Err(CidError::Unsupported),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	// SHA2-256 of the empty string and its well-known raw CIDv1.
	const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
	const EMPTY_CID: &str = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";
	// The empty file of a plain `ipfs add`, in both forms (Debian `ipfs_cid` prints both).
	const EMPTY_V0: &str = "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH";
	const EMPTY_V1: &str = "bafybeif7ztnhq65lumvvtr4ekcwd2ifwgm3awq4zfr3srh462rwyinlb4y";

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
		assert_eq!(parse_cid(&cid_from_digest(&d)), Ok((Codec::Raw, d)));
	}

	#[test]
	fn cid_v0_and_its_v1_form_name_the_same_root() {
		let (codec, d) = parse_cid_string(EMPTY_V0).unwrap();
		assert_eq!(codec, Codec::DagPb);
		assert_eq!(parse_cid_string(EMPTY_V1), Ok((Codec::DagPb, d)));
		assert_eq!(cid_v0_text(&d), EMPTY_V0);
		assert_eq!(cid_text(Codec::DagPb, &d), EMPTY_V1);
		assert_eq!(parse_cid(&cid_of(Codec::DagPb, &d)), Ok((Codec::DagPb, d)));
		// The raw-only helpers still refuse a dag-pb root.
		assert_eq!(digest_from_cid_string(EMPTY_V1), Err(CidError::Unsupported));
		assert_eq!(digest_from_cid(&cid_of(Codec::DagPb, &d)), Err(CidError::Unsupported));
		// Every digest round-trips through both text forms.
		for seed in 0u8..=255 {
			let d = [seed; 32];
			assert_eq!(parse_cid_string(&cid_v0_text(&d)), Ok((Codec::DagPb, d)));
			assert_eq!(parse_cid_string(&cid_text(Codec::Raw, &d)), Ok((Codec::Raw, d)));
		}
	}

	#[test]
	fn other_cids_are_refused() {
		assert_eq!(parse_cid_string("bafkrei"), Err(CidError::BadLength));
		assert_eq!(parse_cid_string("Qm"), Err(CidError::BadLength));
		let mut upper = String::from(EMPTY_CID);
		upper.replace_range(10..11, "A");
		assert_eq!(parse_cid_string(&upper), Err(CidError::BadCharacter));
		let mut bad58 = String::from(EMPTY_V0);
		bad58.replace_range(10..11, "0");
		assert_eq!(parse_cid_string(&bad58), Err(CidError::BadCharacter));
		// dag-cbor (0x71) and a sha2-512 CID are not data items.
		let mut cbor = cid_from_digest(&[7u8; 32]);
		cbor[1] = 0x71;
		assert_eq!(parse_cid(&cbor), Err(CidError::Unsupported));
		let mut sha512 = cid_from_digest(&[7u8; 32]);
		sha512[2] = 0x13;
		assert_eq!(parse_cid(&sha512), Err(CidError::Unsupported));
		assert_eq!(parse_cid(&cbor[..35]), Err(CidError::BadLength));
		// Other multibases (here base58btc `z`) are not accepted.
		assert_eq!(parse_cid_string(&format!("z{EMPTY_V0}")), Err(CidError::Unsupported));
	}
}
