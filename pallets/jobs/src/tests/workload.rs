//! Declared workload (Briko eq. 2-3) and the storage migrations of workload records (v0 → v1: a
//! job's declared workload; v1 → v2: the idle stake of a labeler's workload entry; v2 → v3: the
//! reveal deadline in the package entry).

use super::*;
use crate::{
	migrations::v1::{InnerMigrateV0ToV1, JobV0, MigrateV0ToV1},
	DeclaredWorkload,
};
use codec::Encode;
use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};

#[test]
fn a_declared_workload_sets_the_least_budget() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		// 4 items x R 3 x 2 minutes = 24 minutes at 300: pay 7_200; budget 7_999 (reserve
		// floor(10 %) = 799) is the least that leaves it
		let w = DeclaredWorkload { minutes_per_item: 2, price_per_minute: 300 };
		assert!(matches!(Jobs::workload_budget(4, 3, &w), Ok(7_999)));
		assert_noop!(
			Jobs::create_job(
				RuntimeOrigin::signed(REQUESTER),
				JobBuilder::new(d).workload(2, 300).budget(7_998).spec()
			),
			Error::<Test>::BudgetBelowWorkload
		);
		let job = JobBuilder::new(d).workload(2, 300).budget(7_999).create();
		assert_eq!(JobDetails::<Test>::get(job).unwrap().workload, Some(w));
		// eq. 4 pays by a x W: a constant W_n per item leaves the shares of the job's labelers
		// as without a declaration (all work paid, equal weights: a third each)
		complete_all(job, &[1, 2, 3]);
		assert_ok!(Jobs::settle_job(RuntimeOrigin::signed(9), job));
		let paid: Vec<u64> = [1, 2, 3].iter().map(|w| claim(*w)).collect();
		assert_eq!(paid, vec![2_400, 2_400, 2_400]);
	});
}

#[test]
fn bad_workload_declarations_change_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		assert_noop!(
			Jobs::create_job(
				RuntimeOrigin::signed(REQUESTER),
				JobBuilder::new(d).workload(0, 300).spec()
			),
			Error::<Test>::ZeroWorkload
		);
		assert_noop!(
			Jobs::create_job(
				RuntimeOrigin::signed(REQUESTER),
				JobBuilder::new(d).workload(u32::MAX, u64::MAX).spec()
			),
			Error::<Test>::Overflow
		);
		// without a declaration any budget above the dust floor is accepted, as before
		let job = JobBuilder::new(d).budget(100).create();
		assert_eq!(JobDetails::<Test>::get(job).unwrap().workload, None);
	});
}

/// The version-0 form of `job` (what a chain before the upgrade stored).
fn as_v0(job: &crate::JobOf<Test>) -> JobV0<u64, u64, u64> {
	JobV0 {
		requester: job.requester,
		domain: job.domain,
		kind: job.kind,
		items: job.items,
		package_size: job.package_size,
		packages: job.packages,
		redundancy: job.redundancy,
		budget: job.budget,
		reserve: job.reserve,
		pay: job.pay,
		deadline: job.deadline,
		commit_window: job.commit_window,
		reveal_window: job.reveal_window,
		challenges: job.challenges,
		challenges_revealed: job.challenges_revealed,
		gold_checked: job.gold_checked,
		gold_wrong: job.gold_wrong,
		completed: job.completed,
		labelers: job.labelers,
		fines: job.fines,
		accepted: job.accepted,
		challenge_items: job.challenge_items,
		storage_deposit: job.storage_deposit,
		settled_at: job.settled_at,
		retained: job.retained,
		status: job.status,
	}
}

#[test]
fn the_v1_migration_keeps_every_job_and_adds_no_workload() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		// three jobs in different states: open with work under way, settled, cancelled
		let open = JobBuilder::new(d).create();
		package(open, 0).labeled_honestly_by(&[1, 2, 3]);
		let settled = JobBuilder::new(d).items(2).create();
		complete_all(settled, &[1, 2, 3]);
		assert_ok!(Jobs::settle_job(RuntimeOrigin::signed(9), settled));
		let cancelled = JobBuilder::new(d).create();
		assert_ok!(Jobs::cancel_job(RuntimeOrigin::signed(REQUESTER), cancelled));
		let before: Vec<_> = [open, settled, cancelled]
			.iter()
			.map(|id| JobDetails::<Test>::get(id).unwrap())
			.collect();
		// Store them as a version-0 chain would have, at on-chain version 0.
		for (id, job) in [open, settled, cancelled].iter().zip(&before) {
			let key = JobDetails::<Test>::hashed_key_for(id);
			frame_support::storage::unhashed::put_raw(&key, &as_v0(job).encode());
		}
		StorageVersion::new(0).put::<Jobs>();
		assert!(JobDetails::<Test>::get(open).is_none(), "version-0 records do not decode");

		let snapshot = InnerMigrateV0ToV1::<Test>::snapshot().expect("pre_upgrade");
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		InnerMigrateV0ToV1::<Test>::verify(snapshot).expect("post_upgrade");
		assert_eq!(Jobs::on_chain_storage_version(), StorageVersion::new(1));
		for (id, job) in [open, settled, cancelled].iter().zip(&before) {
			assert_eq!(JobDetails::<Test>::get(id).as_ref(), Some(job));
		}
		assert_eq!(JobDetails::<Test>::count(), 3);
		// The work continues on the migrated job.
		package(open, 1).labeled_honestly_by(&[1, 2, 3]);
		assert_ok!(Jobs::settle_job(RuntimeOrigin::signed(9), open));
	});
}

#[test]
fn the_v1_migration_runs_once() {
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3]);
		let job = JobBuilder::new(d).workload(1, 1).create();
		let stored = JobDetails::<Test>::get(job);
		assert!(stored.is_some());
		// on-chain version already 1 (as the genesis of a version-1 chain sets it): the
		// versioned migration does nothing, and the version-1 record is not misread as version 0
		StorageVersion::new(1).put::<Jobs>();
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(JobDetails::<Test>::get(job), stored);
		assert_eq!(Jobs::on_chain_storage_version(), StorageVersion::new(1));
	});
}

#[test]
fn the_v2_migration_gives_every_workload_entry_an_empty_idle_stake() {
	use crate::migrations::v2::{InnerMigrateV1ToV2, LabelerWorkV1, MigrateV1ToV2};
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3, 4]);
		// Work under way: package 0 judged (accepted work), package 1 taken and committed.
		let job = JobBuilder::new(d).create();
		package(job, 0).labeled_honestly_by(&[1, 2, 3]);
		let l = labels(&[good(), near()]);
		for w in [1u64, 2, 4] {
			package(job, 1).take_commit(w, &l);
		}
		let before: Vec<(u64, crate::LabelerWorkOf<Test>)> =
			Workload::<Test>::iter_prefix(job).collect();
		assert_eq!(before.len(), 4);
		assert!(before.iter().all(|(_, w)| w.idle == 0), "nothing idle: one package each open");
		// Store them as a version-1 chain would have, at on-chain version 1.
		for (who, w) in &before {
			let key = Workload::<Test>::hashed_key_for(job, who);
			let old = LabelerWorkV1 { accepted: w.accepted, open: w.open };
			frame_support::storage::unhashed::put_raw(&key, &old.encode());
		}
		StorageVersion::new(1).put::<Jobs>();
		assert!(Workload::<Test>::get(job, 1).is_none(), "version-1 entries do not decode");

		let snapshot = InnerMigrateV1ToV2::<Test>::snapshot().expect("pre_upgrade");
		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		InnerMigrateV1ToV2::<Test>::verify(snapshot).expect("post_upgrade");
		assert_eq!(Jobs::on_chain_storage_version(), StorageVersion::new(2));
		for (who, w) in &before {
			assert_eq!(Workload::<Test>::get(job, who).as_ref(), Some(w));
		}
		// A second run changes nothing (the version moved on).
		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(Workload::<Test>::iter_prefix(job).count(), 4);
		// The work continues on the migrated entries.
		for w in [1u64, 2, 4] {
			package(job, 1).reveal(w, &l);
		}
		assert_ok!(Jobs::settle_job(RuntimeOrigin::signed(9), job));
	});
}

/// Version 2 → 3: every package gains an empty package-wide reveal deadline; the committed
/// assignments of a package whose reveals opened before the upgrade keep the deadline they
/// carry, which still applies (they reveal in it, and are late after it).
#[test]
fn the_v3_migration_keeps_every_package_and_the_running_reveal_windows() {
	use crate::{
		migrations::v3::{InnerMigrateV2ToV3, MigrateV2ToV3, PackageV2},
		Assignments,
	};
	ExtBuilder::default().build_and_execute(|| {
		let d = domain_with_qualified(BOX, &[1, 2, 3, 4]);
		// Package 0 judged, package 1 committed by three: its reveals are open.
		let job = JobBuilder::new(d).create();
		package(job, 0).labeled_honestly_by(&[1, 2, 3]);
		let l = labels(&[good(), near()]);
		for w in [1u64, 2, 4] {
			package(job, 1).take_commit(w, &l);
		}
		let window = Packages::<Test>::get(job, 1).reveal_by.expect("reveals open");
		// Store both packages as a version-2 chain would have, the reveal deadline in each
		// committed assignment.
		let before: Vec<(PackageIndex, crate::PackageOf<Test>)> =
			Packages::<Test>::iter_prefix(job).collect();
		assert_eq!(before.len(), 2);
		for (p, pkg) in &before {
			let old = PackageV2 {
				takers: pkg.takers,
				committed: pkg.committed,
				revealed: pkg.revealed,
				accepted: pkg.accepted,
				seed: pkg.seed,
				complete: pkg.complete,
			};
			let key = Packages::<Test>::hashed_key_for(job, p);
			frame_support::storage::unhashed::put_raw(&key, &old.encode());
		}
		for w in [1u64, 2, 4] {
			Assignments::<Test>::mutate((job, 1, w), |a| {
				if let Some(a) = a {
					a.deadline = Some(window);
				}
			});
		}
		StorageVersion::new(2).put::<Jobs>();
		let key = Packages::<Test>::hashed_key_for(job, 0);
		assert!(
			frame_support::storage::unhashed::get::<crate::PackageOf<Test>>(&key).is_none(),
			"version-2 packages do not decode"
		);

		let snapshot = InnerMigrateV2ToV3::<Test>::snapshot().expect("pre_upgrade");
		MigrateV2ToV3::<Test>::on_runtime_upgrade();
		InnerMigrateV2ToV3::<Test>::verify(snapshot).expect("post_upgrade");
		assert_eq!(Jobs::on_chain_storage_version(), StorageVersion::new(3));
		for (p, pkg) in &before {
			let now = Packages::<Test>::get(job, p);
			assert_eq!(now, crate::PackageOf::<Test> { reveal_by: None, ..pkg.clone() });
		}
		// A second run changes nothing (the version moved on).
		MigrateV2ToV3::<Test>::on_runtime_upgrade();
		assert_eq!(Packages::<Test>::get(job, 1).reveal_by, None);
		// The running window is the assignments' own: 1 and 2 reveal in it, 4 misses it.
		let pkg = Packages::<Test>::get(job, 1);
		let a = Assignments::<Test>::get((job, 1, 4)).expect("committed");
		assert_eq!(a.due(&pkg), Some(window));
		package(job, 1).reveal(1, &l);
		package(job, 1).reveal(2, &l);
		run_to(window + 1);
		assert_noop!(
			Jobs::reveal_labels(RuntimeOrigin::signed(4), job, 1, l.clone(), SALT, witness(job)),
			Error::<Test>::RevealWindowClosed
		);
		assert_ok!(Jobs::expire_assignment(RuntimeOrigin::signed(9), job, 1, 4));
		assert!(Assignments::<Test>::get((job, 1, 4)).is_none());
	});
}
