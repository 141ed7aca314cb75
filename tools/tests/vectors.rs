//! The dataset Merkle vectors of `test-vectors/vectors.json` (also checked by the app,
//! `app/src/lib/merkle.test.ts`), recomputed with the chain's tree (`crowdlabel_content::merkle`)
//! and BLAKE2b-256: every leaf, the root, every proof, and each label decodes as a consensus
//! label.
use codec::Decode;
use crowdlabel_content::merkle;
use frame_support::{traits::ConstU32, Blake2_256, StorageHasher};

fn hex(s: &str) -> Vec<u8> {
	let s = s.trim_start_matches("0x");
	(0..s.len())
		.step_by(2)
		.map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
		.collect()
}

fn hash(s: &str) -> merkle::Hash {
	hex(s).try_into().expect("32 bytes")
}

fn blake2(data: &[u8]) -> merkle::Hash {
	Blake2_256::hash(data)
}

#[test]
fn merkle_vectors_match_the_chain_tree() {
	let all: serde_json::Value =
		serde_json::from_str(include_str!("../../test-vectors/vectors.json")).expect("json");
	let v = &all["merkle"];
	let entries = v["leaves"].as_array().expect("leaves");
	assert_eq!(entries.len(), 5);
	let mut leaves = Vec::new();
	for e in entries {
		let label = hex(e["label"].as_str().expect("label"));
		crowdlabel_labels::ConsensusLabel::<ConstU32<32>>::decode(&mut &label[..])
			.expect("a consensus label");
		let mut data = hex(e["item"].as_str().expect("item"));
		data.extend_from_slice(&label);
		let leaf = merkle::leaf_hash(&blake2, &data);
		assert_eq!(leaf, hash(e["leaf"].as_str().expect("leaf")));
		leaves.push(leaf);
	}
	let root = merkle::root(&blake2, &leaves).expect("root");
	assert_eq!(root, hash(v["root"].as_str().expect("root")));
	for (i, p) in v["proofs"].as_array().expect("proofs").iter().enumerate() {
		let want: Vec<merkle::Hash> = p
			.as_array()
			.expect("proof")
			.iter()
			.map(|h| hash(h.as_str().expect("h")))
			.collect();
		assert_eq!(merkle::proof(&blake2, &leaves, i).expect("proof"), want, "proof {i}");
		assert!(merkle::verify(&blake2, &root, &leaves[i], i as u64, 5, &want));
		assert!(!merkle::verify(&blake2, &root, &leaves[i], ((i + 1) % 5) as u64, 5, &want));
	}
}
