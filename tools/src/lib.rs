//! Off-chain CrowdLabel tools. They depend only on the chain's primitives
//! (`crowdlabel-labels`, `crowdlabel-consensus`, `crowdlabel-content`), never on a pallet.
//!
//! - [`infer`]: truth inference over a `question,worker,answer` CSV (the common format of public
//!   truth-inference datasets) with the chain's own code (`crowdlabel_labels::item_consensus`,
//!   `grade`, `ErrorStats`), so a requester can check the method on their own data before
//!   paying for a job.
//! - [`cid`]: the CIDv1 (raw, sha2-256) of a data file, as `ipfs add --cid-version 1
//!   --raw-leaves` prints it.
//! - [`filter`]: the corpus filter for parallel sentence pairs.

pub mod cid;
pub mod filter;
pub mod infer;
