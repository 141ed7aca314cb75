//! CIDs of data files of any size, as IPFS computes them.
//!
//! IPFS cuts a file into chunks of 256 KiB and, when there is more than one, links them from a
//! balanced tree of UnixFS `dag-pb` nodes (at most 174 links per node). Two layouts are in use,
//! and both are computed here, streaming (memory: one chunk plus 174 links per tree level):
//! - [`Layout::RawLeaves`], what `ipfs add --cid-version 1 --raw-leaves` (and Helia's
//!   `@helia/unixfs` `addBytes`) print: chunks are `raw` blocks, so a file of at most 256 KiB is
//!   one raw block named by its own digest (`bafkrei…`), a larger one a dag-pb root
//!   (`bafybei…`). The CrowdLabel app adds files this way.
//! - [`Layout::Plain`], what a plain `ipfs add` prints (CIDv0 `Qm…`): every chunk is a dag-pb
//!   node wrapping UnixFS data; its CIDv1 form (`bafybei…`) names the same root. Owners who
//!   already keep their files on IPFS hold these.
//!
//! The chain accepts both (the 36-byte CIDv1; see `crowdlabel_content::cid`).

use crowdlabel_content::cid::{cid_of, cid_text, cid_v0_text, Codec};
use sha2::{Digest, Sha256};
use std::io::{self, Read};

/// Bytes per chunk: IPFS's default chunker (`size-262144`).
pub const CHUNK_SIZE: usize = 256 * 1024;
/// Links per dag-pb node: IPFS's default for the balanced layout.
pub const MAX_LINKS: usize = 174;

/// How the file's blocks are built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
	/// Chunks as `raw` blocks, CIDv1 everywhere (`ipfs add --cid-version 1 --raw-leaves`).
	RawLeaves,
	/// Chunks as dag-pb UnixFS nodes, CIDv0 links (a plain `ipfs add`).
	Plain,
}

/// The identifiers of one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileCid {
	/// The root's codec: `Raw` for a one-chunk file in the raw-leaves layout, else `DagPb`.
	pub codec: Codec,
	/// The root block's SHA2-256: the item hash used by jobs and datasets.
	pub digest: [u8; 32],
	/// The CIDv1 text: `bafkrei…` (raw) or `bafybei…` (dag-pb).
	pub text: String,
	/// The CIDv0 text (`Qm…`) for a dag-pb root, as a plain `ipfs add` prints it.
	pub v0: Option<String>,
	/// The 36-byte binary CIDv1 in hex (`0x01551220…` / `0x01701220…`): the `cids` argument of
	/// `datasets.registerItems`.
	pub binary_hex: String,
	/// The digest in hex (`0x…`).
	pub item_hash_hex: String,
	/// The file's size in bytes.
	pub size: u64,
}

fn hex(bytes: &[u8]) -> String {
	let mut s = String::with_capacity(2 + 2 * bytes.len());
	s.push_str("0x");
	for b in bytes {
		s.push_str(&format!("{b:02x}"));
	}
	s
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
	while v >= 0x80 {
		out.push((v as u8) | 0x80);
		v >>= 7;
	}
	out.push(v as u8);
}

/// A protobuf varint field.
fn field_varint(out: &mut Vec<u8>, field: u64, v: u64) {
	varint(out, field << 3);
	varint(out, v);
}

/// A protobuf length-delimited field.
fn field_bytes(out: &mut Vec<u8>, field: u64, bytes: &[u8]) {
	varint(out, (field << 3) | 2);
	varint(out, bytes.len() as u64);
	out.extend_from_slice(bytes);
}

/// UnixFS `Data { Type: File, Data?, filesize, blocksizes* }`.
fn unixfs_file(data: &[u8], filesize: u64, blocksizes: &[u64]) -> Vec<u8> {
	let mut out = Vec::with_capacity(data.len() + 16 + 4 * blocksizes.len());
	field_varint(&mut out, 1, 2);
	if !data.is_empty() {
		field_bytes(&mut out, 2, data);
	}
	field_varint(&mut out, 3, filesize);
	for b in blocksizes {
		field_varint(&mut out, 4, *b);
	}
	out
}

/// A link to a block already built.
#[derive(Clone)]
struct Link {
	/// The child's binary CID (a multihash for CIDv0).
	cid: Vec<u8>,
	/// The child's block plus everything below it, in bytes (`Tsize`).
	tsize: u64,
	/// File bytes under the child.
	filesize: u64,
}

/// The canonical dag-pb encoding: links first (`Hash`, `Name = ""`, `Tsize`), then `Data`.
fn dag_pb(links: &[Link], data: &[u8]) -> Vec<u8> {
	let mut out = Vec::with_capacity(data.len() + 48 * links.len() + 8);
	let mut link = Vec::with_capacity(48);
	for l in links {
		link.clear();
		field_bytes(&mut link, 1, &l.cid);
		field_bytes(&mut link, 2, b"");
		field_varint(&mut link, 3, l.tsize);
		field_bytes(&mut out, 2, &link);
	}
	field_bytes(&mut out, 1, data);
	out
}

/// Builds a file's blocks chunk by chunk; `on_block(cid, bytes)` sees every block (to store
/// them, e.g. in a content node), the root last.
pub struct Importer<F: FnMut(&[u8], &[u8])> {
	layout: Layout,
	/// Links waiting for a parent, per tree level (0: chunks).
	levels: Vec<Vec<Link>>,
	chunks: u64,
	size: u64,
	on_block: F,
}

impl<F: FnMut(&[u8], &[u8])> Importer<F> {
	/// An importer for `layout` that hands every block to `on_block`.
	pub fn new(layout: Layout, on_block: F) -> Self {
		Self { layout, levels: vec![Vec::new()], chunks: 0, size: 0, on_block }
	}

	fn cid(&self, codec: Codec, digest: &[u8; 32]) -> Vec<u8> {
		match self.layout {
			Layout::RawLeaves => cid_of(codec, digest).to_vec(),
			// CIDv0: the bare multihash.
			Layout::Plain => cid_of(codec, digest)[2..].to_vec(),
		}
	}

	fn emit(&mut self, codec: Codec, block: &[u8], filesize: u64) -> ([u8; 32], Link) {
		let digest: [u8; 32] = Sha256::digest(block).into();
		let cid = self.cid(codec, &digest);
		(self.on_block)(&cid, block);
		(digest, Link { cid, tsize: block.len() as u64, filesize })
	}

	fn leaf(&mut self, chunk: &[u8]) -> ([u8; 32], Codec, Link) {
		match self.layout {
			Layout::RawLeaves => {
				let (d, l) = self.emit(Codec::Raw, chunk, chunk.len() as u64);
				(d, Codec::Raw, l)
			},
			Layout::Plain => {
				let block = dag_pb(&[], &unixfs_file(chunk, chunk.len() as u64, &[]));
				let (d, l) = self.emit(Codec::DagPb, &block, chunk.len() as u64);
				(d, Codec::DagPb, l)
			},
		}
	}

	fn parent(&mut self, links: &[Link]) -> ([u8; 32], Link) {
		let filesize = links.iter().map(|l| l.filesize).sum();
		let sizes: Vec<u64> = links.iter().map(|l| l.filesize).collect();
		let block = dag_pb(links, &unixfs_file(&[], filesize, &sizes));
		let (d, mut link) = self.emit(Codec::DagPb, &block, filesize);
		link.tsize += links.iter().map(|l| l.tsize).sum::<u64>();
		(d, link)
	}

	/// Adds the next chunk (exactly [`CHUNK_SIZE`] bytes, except the last).
	fn push_chunk(&mut self, chunk: &[u8]) -> Option<([u8; 32], Codec)> {
		self.chunks += 1;
		self.size += chunk.len() as u64;
		let (d, codec, link) = self.leaf(chunk);
		self.push(0, link);
		(self.chunks == 1).then_some((d, codec))
	}

	/// Queues `link` at `level`, closing full nodes upwards.
	fn push(&mut self, level: usize, link: Link) {
		if self.levels.len() <= level {
			self.levels.push(Vec::new());
		}
		self.levels[level].push(link);
		if self.levels[level].len() == MAX_LINKS {
			let links = core::mem::take(&mut self.levels[level]);
			let (_, up) = self.parent(&links);
			self.push(level + 1, up);
		}
	}

	/// Closes the tree; `first` is the first chunk's block (the root of a one-chunk file).
	fn finish(mut self, first: ([u8; 32], Codec)) -> FileCid {
		let (digest, codec) = if self.chunks == 1 {
			first
		} else {
			// Close every level bottom-up: a level with links and anything above it (or more
			// than one link) gets a parent; the single link left at the top is the root.
			let mut level = 0;
			loop {
				let top = self.levels.iter().rposition(|l| !l.is_empty()).unwrap_or(0);
				let links = core::mem::take(&mut self.levels[level]);
				if level == top && links.len() == 1 {
					let root = &links[0];
					let mut d = [0u8; 32];
					d.copy_from_slice(&root.cid[root.cid.len() - 32..]);
					break (d, Codec::DagPb);
				}
				if !links.is_empty() {
					let (_, up) = self.parent(&links);
					if self.levels.len() <= level + 1 {
						self.levels.push(Vec::new());
					}
					self.levels[level + 1].push(up);
				}
				level += 1;
			}
		};
		let cid = cid_of(codec, &digest);
		FileCid {
			codec,
			digest,
			text: cid_text(codec, &digest),
			v0: (codec == Codec::DagPb).then(|| cid_v0_text(&digest)),
			binary_hex: hex(&cid),
			item_hash_hex: hex(&digest),
			size: self.size,
		}
	}

	/// Reads `reader` to its end and returns the root.
	pub fn import(mut self, mut reader: impl Read) -> io::Result<FileCid> {
		let mut chunk = vec![0u8; CHUNK_SIZE];
		let mut first = None;
		loop {
			let mut filled = 0;
			while filled < CHUNK_SIZE {
				match reader.read(&mut chunk[filled..]) {
					Ok(0) => break,
					Ok(n) => filled += n,
					Err(e) if e.kind() == io::ErrorKind::Interrupted => {},
					Err(e) => return Err(e),
				}
			}
			// An empty file is one empty chunk; otherwise an empty read ends the file.
			if filled == 0 && self.chunks > 0 {
				break;
			}
			if let Some(f) = self.push_chunk(&chunk[..filled]) {
				first = Some(f);
			}
			if filled < CHUNK_SIZE {
				break;
			}
		}
		let first = first.ok_or_else(|| io::Error::other("no chunk was read"))?;
		Ok(self.finish(first))
	}
}

/// The CID of a file's bytes in `layout`.
pub fn file_cid_in(bytes: &[u8], layout: Layout) -> FileCid {
	Importer::new(layout, |_, _| {})
		.import(bytes)
		.expect("reading from a slice cannot fail and yields at least one chunk")
}

/// The CID of a file's bytes as `ipfs add --cid-version 1 --raw-leaves` prints it.
pub fn file_cid(bytes: &[u8]) -> FileCid {
	file_cid_in(bytes, Layout::RawLeaves)
}

#[cfg(test)]
mod tests {
	use super::*;
	use crowdlabel_content::cid::parse_cid_string;

	fn pattern(n: usize) -> Vec<u8> {
		(0..n).map(|i| (i % 251) as u8).collect()
	}

	// Raw-leaves references computed with the npm package `ipfs-only-hash` 4.0.0
	// (`Hash.of(bytes, { cidVersion: 1, rawLeaves: true })`, which reproduces `ipfs add`).
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
			let cid = file_cid(&bytes);
			assert_eq!(cid.codec, Codec::Raw);
			assert_eq!(cid.text, text);
			assert_eq!(cid.item_hash_hex, hash);
			assert_eq!(cid.binary_hex, format!("0x01551220{}", &hash[2..]));
			assert_eq!(cid.v0, None);
		}
		// One byte over a chunk: two raw leaves under a dag-pb root.
		let two = file_cid(&pattern(262_145));
		assert_eq!(two.codec, Codec::DagPb);
		assert_eq!(two.text, "bafybeiexg2oqkfnj56l7fcmawswqbijt5shq4b5rg6a546uwpkqqzwjioi");
		assert!(two.binary_hex.starts_with("0x01701220"));
		assert_eq!(parse_cid_string(&two.text), Ok((Codec::DagPb, two.digest)));
	}

	// Plain-layout references printed by Debian's `ipfs_cid` (package `ipfs-cid`).
	#[test]
	fn matches_plain_ipfs_add() {
		let empty = file_cid_in(&[], Layout::Plain);
		assert_eq!(empty.v0.as_deref(), Some("QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH"));
		assert_eq!(empty.text, "bafybeif7ztnhq65lumvvtr4ekcwd2ifwgm3awq4zfr3srh462rwyinlb4y");
		let hello = file_cid_in(b"hello", Layout::Plain);
		assert_eq!(hello.v0.as_deref(), Some("QmWfVY9y3xjsixTgbd9AorQxH7VtMpzfx2HaWtsoUYecaX"));
		assert_eq!(hello.text, "bafybeid3weurg3gvyoi7nisadzolomlvoxoppe2sesktnpvdve3256n5tq");
	}

	/// The vectors the app's tests check too (`app/src/lib/cid.test.ts`).
	#[test]
	fn shared_test_vectors() {
		let v: serde_json::Value =
			serde_json::from_str(include_str!("../../test-vectors/vectors.json")).expect("json");
		let cids = v["cids"].as_array().expect("cids");
		for c in cids {
			let bytes = pattern(c["size"].as_u64().expect("size") as usize);
			let raw = file_cid(&bytes);
			assert_eq!(raw.text, c["rawLeaves"].as_str().expect("cid"));
			assert_eq!(raw.binary_hex, c["rawLeavesBinary"].as_str().expect("hex"));
			assert_eq!(raw.item_hash_hex, c["itemHash"].as_str().expect("hex"));
			let plain = file_cid_in(&bytes, Layout::Plain);
			assert_eq!(plain.v0.as_deref(), c["plainV0"].as_str());
			assert_eq!(plain.text, c["plainV1"].as_str().expect("cid"));
			assert_eq!(plain.binary_hex, c["plainBinary"].as_str().expect("hex"));
		}
		assert_eq!(cids.len(), 7);
	}

	#[test]
	fn tree_shape_follows_the_balanced_layout() {
		// 175 chunks need a second level; the Tsize of the root covers every block.
		let mut blocks = 0usize;
		let mut bytes_stored = 0u64;
		let data = vec![7u8; CHUNK_SIZE * 175 + 10];
		let cid = Importer::new(Layout::RawLeaves, |_, b| {
			blocks += 1;
			bytes_stored += b.len() as u64;
		})
		.import(&data[..])
		.unwrap();
		// 176 leaves, 2 parents of the first level (174 + 2 links), 1 root.
		assert_eq!(blocks, 176 + 2 + 1);
		assert_eq!(cid.size, data.len() as u64);
		assert_eq!(cid.codec, Codec::DagPb);
		assert!(bytes_stored > data.len() as u64);
		// Exactly 174 chunks: one parent, no second level.
		let mut blocks = 0usize;
		Importer::new(Layout::RawLeaves, |_, _| blocks += 1)
			.import(&vec![1u8; CHUNK_SIZE * 174][..])
			.unwrap();
		assert_eq!(blocks, 174 + 1);
	}

	#[test]
	fn reading_in_small_pieces_gives_the_same_cid() {
		/// A reader that returns at most 1000 bytes per call.
		struct Trickle<'a>(&'a [u8]);
		impl Read for Trickle<'_> {
			fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
				let n = self.0.len().min(buf.len()).min(1000);
				buf[..n].copy_from_slice(&self.0[..n]);
				self.0 = &self.0[n..];
				Ok(n)
			}
		}
		let data = pattern(3 * CHUNK_SIZE + 5);
		for layout in [Layout::RawLeaves, Layout::Plain] {
			let streamed = Importer::new(layout, |_, _| {}).import(Trickle(&data)).unwrap();
			assert_eq!(streamed, file_cid_in(&data, layout));
		}
	}
}
