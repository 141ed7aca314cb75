//! The fuzz target's body over random and structured byte strings (the `cargo fuzz` target in
//! `fuzz/` runs the same function under libFuzzer).

use codec::Encode;
use crowdlabel_consensus::{fuzzing::decode_and_run, BoundingBox};
use proptest::prelude::*;

proptest! {
	#![proptest_config(ProptestConfig::with_cases(2000))]

	#[test]
	fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
		prop_assert!(decode_and_run(&bytes).is_ok());
	}

	#[test]
	fn structured_inputs_never_panic(
		sets in prop::collection::vec((prop::collection::vec((any::<u32>(), any::<u32>(), any::<u32>(), any::<u32>(), 0u16..4), 0..40), any::<u128>()), 0..20),
		votes in prop::collection::vec((any::<u16>(), any::<u8>()), 0..20),
		total in any::<u128>(),
		shares in prop::collection::vec(any::<u128>(), 0..10),
		p1 in any::<u32>(), p2 in any::<u32>(),
	) {
		let sets: Vec<(Vec<BoundingBox>, u128)> = sets.into_iter().map(|(bs, w)| (
			bs.into_iter().map(|(a, b, c, d, k)| BoundingBox { x_min: a, y_min: b, x_max: c, y_max: d, class: k }).collect(),
			w,
		)).collect();
		let bytes = (sets, votes, total, shares, p1, p2).encode();
		prop_assert_eq!(decode_and_run(&bytes), Ok(true));
	}
}
