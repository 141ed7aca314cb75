//! Benchmarks (v2) at their worst cases: most items, largest packages, highest redundancy,
//! labels with the most boxes, most labelers to pay.

use super::*;
use alloc::vec::Vec;
use crowdlabel_consensus::BoundingBox;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, EnsureOrigin, Get},
	BoundedVec,
};
use frame_system::RawOrigin;
use pallet_labelers::{
	commitment_of,
	types::{ItemHash, Label, LabelKind, Salt},
	LabelerRegistry,
};
use sp_runtime::traits::{Bounded, Saturating, Zero};

const SALT: Salt = [3u8; 32];

fn funded<T: Config>(name: &'static str, i: u32) -> T::AccountId {
	let who: T::AccountId = account(name, i, 0);
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 1024u32.into());
	who
}

fn box_labels<T: Config>(n: u32, b: u32) -> PackageLabelsOf<T> {
	let one: Vec<BoundingBox> = (0..b)
		.map(|i| BoundingBox {
			x_min: i * 40,
			y_min: i * 10,
			x_max: i * 40 + 60,
			y_max: i * 10 + 50,
			class: 0,
		})
		.collect();
	BoundedVec::truncate_from(
		(0..n).map(|_| Label::Boxes(BoundedVec::truncate_from(one.clone()))).collect(),
	)
}

/// A box job of `items` items in packages of `size`, redundancy `r`, and `r` qualified labelers.
fn job<T: Config>(items: u32, size: u32, r: u32) -> (JobId, Vec<T::AccountId>) {
	let domain = T::Labelers::benchmark_domain(LabelKind::BoundingBoxes { classes: 1 });
	let requester = funded::<T>("requester", 0);
	let hashes: Vec<ItemHash> =
		(0..items).map(|i| ItemHash::repeat_byte((i % 251) as u8)).collect();
	let budget = BalanceOf::<T>::max_value() / 4096u32.into();
	Pallet::<T>::do_create_job(
		requester,
		domain,
		BoundedVec::truncate_from(hashes),
		r,
		size,
		budget,
		1000u32.into(),
		100u32.into(),
		100u32.into(),
		None,
	)
	.expect("valid job");
	let labelers: Vec<T::AccountId> = (0..r)
		.map(|i| {
			let who = funded::<T>("labeler", i);
			T::Labelers::benchmark_qualify(&who, domain);
			who
		})
		.collect();
	(NextJobId::<T>::get().saturating_sub(1), labelers)
}

/// Every labeler takes package 0 and commits to `labels`.
fn all_commit<T: Config>(id: JobId, who: &[T::AccountId], labels: &PackageLabelsOf<T>) {
	for w in who {
		Pallet::<T>::do_take_package(w.clone(), id, 0).expect("free slot");
		Pallet::<T>::do_commit_labels(w.clone(), id, 0, commitment_of(labels, &SALT))
			.expect("in window");
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_job(n: Linear<1, { T::MaxItems::get() }>) {
		let domain = T::Labelers::benchmark_domain(LabelKind::BoundingBoxes { classes: 1 });
		let requester = funded::<T>("requester", 0);
		let items: Vec<ItemHash> = (0..n).map(|i| ItemHash::repeat_byte(i as u8)).collect();
		let budget = BalanceOf::<T>::max_value() / 4096u32.into();
		#[extrinsic_call]
		_(
			RawOrigin::Signed(requester),
			domain,
			BoundedVec::truncate_from(items),
			T::MaxRedundancy::get(),
			T::MaxPackageSize::get(),
			budget,
			1000u32.into(),
			100u32.into(),
			100u32.into(),
			Some(Default::default()),
		);
		assert_eq!(Jobs::<T>::count(), 1);
	}

	#[benchmark]
	fn cancel_job() {
		let (id, _) = job::<T>(1, 1, 1);
		let requester = Jobs::<T>::get(id).map(|j| j.requester).expect("job exists");
		#[extrinsic_call]
		_(RawOrigin::Signed(requester), id);
		assert_eq!(Jobs::<T>::get(id).map(|j| j.status), Some(JobStatus::Cancelled));
	}

	#[benchmark]
	fn take_package() {
		let (id, who) = job::<T>(T::MaxPackageSize::get(), T::MaxPackageSize::get(), 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(who[0].clone()), id, 0);
		assert_eq!(Packages::<T>::get(id, 0).takers, 1);
	}

	#[benchmark]
	fn commit_labels() {
		let r = T::MaxRedundancy::get();
		let (id, who) = job::<T>(1, 1, r);
		let labels = box_labels::<T>(1, 1);
		// Everyone but the last commits; the benchmarked commit opens the reveal phase.
		all_commit::<T>(id, &who[..who.len() - 1], &labels);
		let last = who[who.len() - 1].clone();
		Pallet::<T>::do_take_package(last.clone(), id, 0).expect("free slot");
		#[extrinsic_call]
		_(RawOrigin::Signed(last), id, 0, commitment_of(&labels, &SALT));
		assert!(Packages::<T>::get(id, 0).reveal_deadline.is_some());
	}

	#[benchmark]
	fn reveal_labels(
		n: Linear<1, { T::MaxPackageSize::get() }>,
		b: Linear<0, { T::MaxBoxes::get() }>,
	) {
		let (id, who) = job::<T>(n, n, 1);
		let labels = box_labels::<T>(n, b);
		all_commit::<T>(id, &who, &labels);
		#[extrinsic_call]
		_(RawOrigin::Signed(who[0].clone()), id, 0, labels, SALT);
		assert_eq!(Packages::<T>::get(id, 0).revealed, 1);
	}

	#[benchmark]
	fn finalize_package(
		n: Linear<1, { T::MaxPackageSize::get() }>,
		r: Linear<1, { T::MaxRedundancy::get() }>,
		b: Linear<0, { T::MaxBoxes::get() }>,
	) {
		let (id, who) = job::<T>(n, n, r);
		let labels = box_labels::<T>(n, b);
		all_commit::<T>(id, &who, &labels);
		for w in &who {
			Pallet::<T>::do_reveal_labels(w.clone(), id, 0, labels.clone(), SALT)
				.expect("reveal open");
		}
		let caller = funded::<T>("caller", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id, 0);
		assert!(Packages::<T>::get(id, 0).complete);
	}

	#[benchmark]
	fn expire_assignment() {
		let (id, who) = job::<T>(1, 1, 1);
		Pallet::<T>::do_take_package(who[0].clone(), id, 0).expect("free slot");
		frame_system::Pallet::<T>::set_block_number(
			frame_system::Pallet::<T>::block_number().saturating_add(1000u32.into()),
		);
		let caller = funded::<T>("caller", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id, 0, who[0].clone());
		assert_eq!(Packages::<T>::get(id, 0).takers, 0);
	}

	#[benchmark]
	fn reveal_challenges(
		c: Linear<1, { T::MaxChallenges::get() }>,
		r: Linear<1, { T::MaxRedundancy::get() }>,
	) -> Result<(), BenchmarkError> {
		let origin =
			T::CuratorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let size = T::MaxPackageSize::get();
		let (id, who) = job::<T>(size, size, r);
		let labels = box_labels::<T>(size, T::MaxBoxes::get());
		all_commit::<T>(id, &who, &labels);
		for w in &who {
			Pallet::<T>::do_reveal_labels(w.clone(), id, 0, labels.clone(), SALT)
				.expect("reveal open");
		}
		Pallet::<T>::do_finalize_package(id, 0).expect("consensus");
		let answers: ChallengesOf<T> = BoundedVec::truncate_from(
			(0..c).map(|i| (i % size, labels[0].clone())).collect::<Vec<_>>(),
		);
		Jobs::<T>::mutate(id, |j| {
			if let Some(j) = j {
				j.challenges = Some(commitment_of(&answers, &SALT));
			}
		});
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, answers, SALT);
		assert_eq!(Jobs::<T>::get(id).map(|j| j.challenges_revealed), Some(true));
		Ok(())
	}

	#[benchmark]
	fn settle_job(
		l: Linear<1, { T::MaxLabelersPerJob::get() }>,
		n: Linear<1, { T::MaxItems::get() }>,
	) {
		let (id, _) = job::<T>(n, 1, 1);
		// All packages complete, `l` labelers with accepted work.
		let packages = Jobs::<T>::get(id).map(|j| j.packages).unwrap_or_default();
		let workers: Vec<T::AccountId> = (0..l).map(|i| funded::<T>("worker", i)).collect();
		for p in 0..packages {
			Packages::<T>::mutate(id, p, |pkg| pkg.complete = true);
			// Each package has an accepted label, recorded as a contribution at settlement.
			if let Some(who) = workers.get((p % l) as usize) {
				Assignments::<T>::insert(
					(id, p, who),
					Assignment {
						deposit: Zero::zero(),
						commit_deadline: 0u32.into(),
						state: AssignmentState::Accepted(box_labels::<T>(1, 1)),
					},
				);
			}
		}
		for who in &workers {
			Workload::<T>::insert(id, who, n);
		}
		Jobs::<T>::mutate(id, |j| {
			if let Some(j) = j {
				j.completed = packages;
				j.labelers = l;
			}
		});
		let caller = funded::<T>("caller", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id);
		assert_eq!(Jobs::<T>::get(id).map(|j| j.status), Some(JobStatus::Settled));
		assert_eq!(Contributions::<T>::iter_prefix(id).count() as u32, packages);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
