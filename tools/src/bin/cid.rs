//! `crowdlabel-cid`: prints, per file, the CID `ipfs add --cid-version 1 --raw-leaves` gives it,
//! the binary CID to pass to `datasets.registerItems` and the item hash used by jobs.
//!
//! ```text
//! crowdlabel-cid FILE...
//! bafkrei...  0x01551220...  0x<sha256>  FILE
//! ```
//! Files over 256 KiB are refused (IPFS would chunk them); the exit status is then 1.

use crowdlabel_tools::cid::file_cid;
use std::process::ExitCode;

fn main() -> ExitCode {
	let files: Vec<String> = std::env::args().skip(1).collect();
	if files.is_empty() || files.iter().any(|f| f == "-h" || f == "--help") {
		eprintln!(
			"usage: crowdlabel-cid FILE...\nprints: CID  binary-CID-hex  item-hash-hex  FILE"
		);
		return ExitCode::from(2);
	}
	let mut status = ExitCode::SUCCESS;
	for f in files {
		match std::fs::read(&f)
			.map_err(|e| e.to_string())
			.and_then(|b| file_cid(&b).map_err(|e| e.to_string()))
		{
			Ok(c) => println!("{}  {}  {}  {}", c.text, c.binary_hex, c.item_hash_hex, f),
			Err(e) => {
				eprintln!("{f}: {e}");
				status = ExitCode::FAILURE;
			},
		}
	}
	status
}
