//! The commit-reveal formats. Every commitment is `blake2_256(SCALE(payload) ++ salt)` with a
//! 32-byte salt; the payloads are:
//!
//! | what | who commits | payload |
//! |---|---|---|
//! | gold answer | curator | `answer: Label` |
//! | package labels | labeler | `(account, job: u32, package: u32, labels: Vec<Label>)` |
//! | challenge list | requester | `(requester, answers: Vec<(u32, Label)>)` |
//!
//! Binding the labeler, the job and the package makes a copied label commitment useless:
//! nobody else can open it. Binding the requester does the same for a challenge list.

use crate::types::{Commitment, JobId, PackageIndex, Salt};
use codec::Encode;

/// `blake2_256(SCALE(payload) ++ salt)`: the commitment of any payload.
pub fn commitment_of<P: Encode>(payload: &P, salt: &Salt) -> Commitment {
	Commitment::from(sp_io::hashing::blake2_256(&(payload, salt).encode()))
}

/// The commitment a curator publishes for a gold item's answer.
pub fn gold_commitment<L: Encode>(answer: &L, salt: &Salt) -> Commitment {
	commitment_of(answer, salt)
}

/// The commitment a labeler publishes for a package's labels:
/// `blake2_256(SCALE((labeler, job, package, labels, salt)))`.
pub fn label_commitment<AccountId: Encode, L: Encode>(
	who: &AccountId,
	job: JobId,
	package: PackageIndex,
	labels: &L,
	salt: &Salt,
) -> Commitment {
	commitment_of(&(who, job, package, labels), salt)
}

/// The commitment of a job's hidden challenge answers:
/// `blake2_256(SCALE((requester, answers, salt)))`.
pub fn challenge_commitment<AccountId: Encode, A: Encode>(
	requester: &AccountId,
	answers: &A,
	salt: &Salt,
) -> Commitment {
	commitment_of(&(requester, answers), salt)
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::types::Label;
	use frame_support::traits::ConstU32;

	type L = Label<ConstU32<4>>;

	#[test]
	fn gold_commitment_is_blake2_of_answer_then_salt() {
		// SCALE(Label::Class(3)) = variant 1, then u16 LE = [1, 3, 0].
		let salt = [7u8; 32];
		let mut bytes = alloc::vec![1u8, 3, 0];
		bytes.extend_from_slice(&salt);
		assert_eq!(
			gold_commitment(&L::Class(3), &salt),
			Commitment::from(sp_io::hashing::blake2_256(&bytes))
		);
	}

	#[test]
	fn label_commitment_binds_account_job_package_and_labels() {
		let salt = [1u8; 32];
		let labels = alloc::vec![L::Score(4), L::Score(5)];
		let base = label_commitment(&[1u8; 32], 7, 2, &labels, &salt);
		assert_ne!(base, label_commitment(&[2u8; 32], 7, 2, &labels, &salt));
		assert_ne!(base, label_commitment(&[1u8; 32], 8, 2, &labels, &salt));
		assert_ne!(base, label_commitment(&[1u8; 32], 7, 3, &labels, &salt));
		assert_ne!(base, label_commitment(&[1u8; 32], 7, 2, &labels[..1].to_vec(), &salt));
		assert_ne!(base, label_commitment(&[1u8; 32], 7, 2, &labels, &[2u8; 32]));
		assert_eq!(base, label_commitment(&[1u8; 32], 7, 2, &labels, &salt));
	}

	/// A label of `test-vectors/vectors.json` (`{"Class": c}`, `{"Score": s}`, `{"Boxes": [..]}`).
	fn label_of(v: &serde_json::Value) -> L {
		use crowdlabel_consensus::BoundingBox;
		let n = |b: &serde_json::Value, k: &str| b[k].as_u64().expect("a number");
		if let Some(c) = v.get("Class") {
			return L::Class(c.as_u64().expect("a class") as u16);
		}
		if let Some(s) = v.get("Score") {
			return L::Score(s.as_u64().expect("a score") as u16);
		}
		let boxes = v["Boxes"]
			.as_array()
			.expect("boxes")
			.iter()
			.map(|b| BoundingBox {
				x_min: n(b, "xMin") as u32,
				y_min: n(b, "yMin") as u32,
				x_max: n(b, "xMax") as u32,
				y_max: n(b, "yMax") as u32,
				class: n(b, "class") as u16,
			})
			.collect();
		L::Boxes(frame_support::BoundedVec::truncate_from(boxes))
	}

	fn bytes32(v: &serde_json::Value) -> [u8; 32] {
		let s = v.as_str().expect("hex").trim_start_matches("0x");
		let mut out = [0u8; 32];
		for (i, b) in out.iter_mut().enumerate() {
			*b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex digit");
		}
		out
	}

	/// The vectors the app's tests check too (`app/src/lib/commitment.test.ts`).
	#[test]
	fn shared_test_vectors() {
		let v: serde_json::Value =
			serde_json::from_str(include_str!("../../../test-vectors/vectors.json")).expect("json");
		let mut checked = 0;
		for c in v["labelCommitments"].as_array().expect("list") {
			let labels: alloc::vec::Vec<L> =
				c["labels"].as_array().expect("labels").iter().map(label_of).collect();
			let got = label_commitment(
				&bytes32(&c["labeler"]),
				c["job"].as_u64().expect("job") as u32,
				c["package"].as_u64().expect("package") as u32,
				&labels,
				&bytes32(&c["salt"]),
			);
			assert_eq!(got.0, bytes32(&c["commitment"]));
			checked += 1;
		}
		for c in v["goldCommitments"].as_array().expect("list") {
			let got = gold_commitment(&label_of(&c["answer"]), &bytes32(&c["salt"]));
			assert_eq!(got.0, bytes32(&c["commitment"]));
			checked += 1;
		}
		for c in v["challengeCommitments"].as_array().expect("list") {
			let answers: alloc::vec::Vec<(u32, L)> = c["answers"]
				.as_array()
				.expect("answers")
				.iter()
				.map(|a| (a[0].as_u64().expect("index") as u32, label_of(&a[1])))
				.collect();
			let got =
				challenge_commitment(&bytes32(&c["requester"]), &answers, &bytes32(&c["salt"]));
			assert_eq!(got.0, bytes32(&c["commitment"]));
			checked += 1;
		}
		assert_eq!(checked, 7);
	}

	fn hex(b: &[u8]) -> alloc::string::String {
		b.iter().map(|x| alloc::format!("{x:02x}")).collect()
	}

	/// The worked examples of `docs/commitments.md`: bytes in, hash out, for each format.
	#[test]
	fn worked_examples_of_every_commitment() {
		use crowdlabel_consensus::BoundingBox;
		// Gold answer `Class(3)` with salt 0x07 x 32.
		let salt = [7u8; 32];
		assert_eq!(hex(&(L::Class(3), salt).encode()), alloc::format!("010300{}", "07".repeat(32)));
		assert_eq!(
			hex(gold_commitment(&L::Class(3), &salt).as_bytes()),
			"129026fc2ce0b392308b51e9a96ef7b8c5a26f473b41b3d5c91c60d0f7ad7906"
		);
		// Gold answer: one box [0, 10) x [0, 10) of class 0, same salt.
		let b = BoundingBox { x_min: 0, y_min: 0, x_max: 10, y_max: 10, class: 0 };
		let boxes = L::Boxes(frame_support::BoundedVec::truncate_from(alloc::vec![b]));
		assert_eq!(hex(&boxes.encode()), "000400000000000000000a0000000a0000000000");
		assert_eq!(
			hex(gold_commitment(&boxes, &salt).as_bytes()),
			"ccc6df0309553952fa39e501076281a1aeb01d278374fb4d7ea7162b0029d9d4"
		);
		// Package labels `[Score(4), Score(5)]` (stars) of account 0x01 x 32, job 7, package 2, salt
		// 0x01 x 32.
		let labels = alloc::vec![L::Score(4), L::Score(5)];
		let who = [1u8; 32];
		assert_eq!(
			hex(&(who, 7u32, 2u32, &labels, [1u8; 32]).encode()),
			alloc::format!("{}0700000002000000080204000205 00{}", "01".repeat(32), "01".repeat(32))
				.replace(' ', "")
		);
		assert_eq!(
			hex(label_commitment(&who, 7, 2, &labels, &[1u8; 32]).as_bytes()),
			"668a4c4ed34cb32d5cf3c19f97b9464311101dcaad025e5d885658ab7aad58e7"
		);
		// Challenge list `[(0, Class(1))]` of requester 0x02 x 32, salt 0x09 x 32.
		let answers = alloc::vec![(0u32, L::Class(1))];
		assert_eq!(
			hex(&([2u8; 32], &answers, [9u8; 32]).encode()),
			alloc::format!("{}0400000000010100{}", "02".repeat(32), "09".repeat(32))
		);
		assert_eq!(
			hex(challenge_commitment(&[2u8; 32], &answers, &[9u8; 32]).as_bytes()),
			"2df554b4daf7a705720bd4630da9950ea7de775f6c259d5f54b9bdfbe7ac6757"
		);
	}

	#[test]
	fn challenge_commitment_binds_the_requester() {
		let answers = alloc::vec![(0u32, L::Class(1))];
		let salt = [9u8; 32];
		assert_ne!(
			challenge_commitment(&[1u8; 32], &answers, &salt),
			challenge_commitment(&[2u8; 32], &answers, &salt)
		);
	}
}
