//! The pallets whose benchmarks the node's `benchmark pallet` command can run.

frame_benchmarking::define_benchmarks!(
	[frame_benchmarking, BaselineBench::<Runtime>]
	[frame_system, SystemBench::<Runtime>]
	[frame_system_extensions, SystemExtensionsBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_sudo, Sudo]
	[pallet_utility, Utility]
	[pallet_labelers, Labelers]
	[pallet_jobs, Jobs]
	[pallet_datasets, Datasets]
	[pallet_faucet, Faucet]
	[pallet_root_dispatch, RootDispatch]
	[pallet_collective, Council]
	[pallet_membership, CouncilMembership]
	[pallet_treasury, Treasury]
);
