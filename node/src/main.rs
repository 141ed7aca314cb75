//! `crowdlabel-node`: the CrowdLabel solochain node (Aura + GRANDPA, ParityDB, JSON-RPC).

#![warn(missing_docs)]
// `sc_cli::Error` and `sc_service::Error` are large upstream error types returned everywhere.
#![allow(clippy::result_large_err)]

mod chain_spec;
mod cli;
mod command;
mod crowdlabel_rpc;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
