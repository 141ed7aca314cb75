//! # CrowdLabel content addressing
//!
//! How CrowdLabel names data and proves what a dataset contains, shared by the datasets pallet
//! (on chain) and the off-chain tools (`crowdlabel-cid`, the e2e verifier):
//! - [`cid`]: IPFS CIDv1 (raw, sha2-256) of data items and the item hash derived from it;
//! - [`merkle`]: the dataset Merkle tree and its inclusion proofs (hash function passed in).
//!
//! `no_std`, no hashing dependency, no panics.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(rustdoc::broken_intra_doc_links)]

extern crate alloc;

pub mod cid;
pub mod merkle;
