//! `crowdlabel-cid`: prints, per file of any size, the CID IPFS gives it, the binary CID to pass
//! to `datasets.registerItems` and the item hash used by jobs.
//!
//! ```text
//! crowdlabel-cid FILE...           # the layout of `ipfs add --cid-version 1 --raw-leaves`
//! bafkrei...  0x01551220...  0x<sha256>  FILE        (at most 256 KiB: one raw block)
//! bafybei...  0x01701220...  0x<root digest>  FILE   (larger: a dag-pb root)
//! crowdlabel-cid --plain FILE...   # the layout of a plain `ipfs add` (CIDv0 and its CIDv1)
//! Qm...  bafybei...  0x01701220...  0x<root digest>  FILE
//! ```
//! Files are read in chunks, so their size is not limited by memory. Exit status 1 if a file
//! cannot be read.

use crowdlabel_tools::cid::{Importer, Layout};
use std::process::ExitCode;

fn main() -> ExitCode {
	let mut args: Vec<String> = std::env::args().skip(1).collect();
	let plain = args.iter().any(|a| a == "--plain");
	args.retain(|a| a != "--plain");
	if args.is_empty() || args.iter().any(|f| f == "-h" || f == "--help") {
		eprintln!(
			"usage: crowdlabel-cid [--plain] FILE...\n\
			 prints: CID  binary-CID-hex  item-hash-hex  FILE\n\
			 --plain: the layout of a plain `ipfs add`: CIDv0  CIDv1  binary-CID-hex  \
			 item-hash-hex  FILE"
		);
		return ExitCode::from(2);
	}
	let layout = if plain { Layout::Plain } else { Layout::RawLeaves };
	let mut status = ExitCode::SUCCESS;
	for f in args {
		let cid = std::fs::File::open(&f).and_then(|file| {
			Importer::new(layout, |_, _| {}).import(std::io::BufReader::new(file))
		});
		match cid {
			Ok(c) => match c.v0.as_deref().filter(|_| plain) {
				Some(v0) => {
					println!("{v0}  {}  {}  {}  {f}", c.text, c.binary_hex, c.item_hash_hex)
				},
				None => println!("{}  {}  {}  {f}", c.text, c.binary_hex, c.item_hash_hex),
			},
			Err(e) => {
				eprintln!("{f}: {e}");
				status = ExitCode::FAILURE;
			},
		}
	}
	status
}
