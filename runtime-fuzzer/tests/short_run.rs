//! A short, seeded run of the runtime fuzzer (part of `cargo test`): 200 blocks from genesis,
//! every invariant checked after every block, and the happy path must be reached.

use crowdlabel_runtime_fuzzer::{Fuzzer, Histogram, Options};

#[test]
fn short_seeded_run_keeps_every_invariant() {
	let fuzzer = Fuzzer::new();
	let mut hist = Histogram::default();
	let opts = Options { seed: 20_260_611, blocks: 200, ..Default::default() };
	if let Err(failure) = fuzzer.run_episode(&opts, &mut hist) {
		panic!("{hist}\n{failure}");
	}
	println!("{hist}");
	// The run reached the deep states: qualified labelers, judged packages, settled jobs.
	for call in [
		"Sudo.sudo(Labelers.create_domain)",
		"Sudo.sudo(Labelers.add_gold)",
		"Labelers.register",
		"Labelers.submit_qualification",
		"Sudo.sudo(Labelers.reveal_gold)",
		"Jobs.create_job",
		"Jobs.take_package",
		"Jobs.commit_labels",
		"Jobs.reveal_labels",
		"Jobs.settle_job",
		"Balances.transfer_allow_death",
	] {
		assert!(hist.ok(call) > 0, "{call} never succeeded:\n{hist}");
	}
}
