//! Arbitrary bytes -> SCALE-decoded labels -> every consensus function. Must never panic.
//!
//! Run: `cd primitives/consensus && cargo +nightly fuzz run decode_and_consensus -- -max_total_time=60`
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
		if let Err(what) = crowdlabel_consensus::fuzzing::decode_and_run(data) {
		panic!("invariant violated: {what}");
	}
});
