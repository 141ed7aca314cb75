//! Off-chain CrowdLabel tools sharing the chain's math crate (`crowdlabel-consensus`).
//!
//! - [`infer`]: truth inference over a `question,worker,answer` CSV (the common format of public
//!   truth-inference datasets) with the same qualification + reputation-weighted consensus the
//!   chain runs, so a requester can check the method on their own data before paying for a job.

pub mod cid;
pub mod filter;
pub mod infer;
