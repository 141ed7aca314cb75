//! Benchmarks (v2), each at its worst case: most domains, longest names, fullest gold stock,
//! largest rounds and labels with the most boxes.

use super::*;
use crate::{functions::commitment_of, types::*};
use alloc::vec::Vec;
use crowdlabel_consensus::{BoundingBox, FixedU128, Perbill};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, EnsureOrigin, Get},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::traits::{Bounded, One, Saturating};

const SALT: Salt = [42u8; 32];

fn funded<T: Config>(name: &'static str, i: u32) -> T::AccountId {
	let who: T::AccountId = account(name, i, 0);
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 4u32.into());
	who
}

fn params<T: Config>(k: u32) -> DomainParams<BlockNumberFor<T>> {
	DomainParams {
		bar: QualificationBar::MinMeanAgreement(Perbill::from_percent(50)),
		slash_floor: Perbill::from_percent(50),
		round_size: k,
		cooldown: 10u32.into(),
		answer_window: 10u32.into(),
		reveal_window: 10u32.into(),
		sigma: FixedU128::from_rational(2, 10),
	}
}

/// Creates `n` box domains; returns the last id.
fn domains<T: Config>(n: u32, k: u32) -> DomainId {
	for _ in 0..n {
		Pallet::<T>::do_create_domain(
			BoundedVec::truncate_from(b"domain".to_vec()),
			LabelKind::BoundingBoxes { classes: 4 },
			params::<T>(k),
		)
		.expect("valid domain");
	}
	NextDomainId::<T>::get().saturating_sub(1)
}

/// A label of `b` boxes, shifted by `shift` pixels so that matching has real work to do.
fn label<T: Config>(b: u32, shift: u32) -> LabelOf<T> {
	let boxes: Vec<BoundingBox> = (0..b)
		.map(|i| BoundingBox {
			x_min: i * 50 + shift,
			y_min: i * 20,
			x_max: i * 50 + 80 + shift,
			y_max: i * 20 + 60,
			class: 0,
		})
		.collect();
	Label::Boxes(BoundedVec::truncate_from(boxes))
}

/// Fills the domain's stock with `s` gold items whose answers are `b`-box labels.
fn stock<T: Config>(domain: DomainId, s: u32, b: u32) {
	let mut left = s;
	while left > 0 {
		let n = left.min(T::MaxGoldBatch::get());
		let items: Vec<(ItemHash, Commitment)> = (0..n)
			.map(|i| {
				(ItemHash::repeat_byte((i % 256) as u8), commitment_of(&label::<T>(b, 0), &SALT))
			})
			.collect();
		Pallet::<T>::do_add_gold(domain, BoundedVec::truncate_from(items)).expect("room in stock");
		left -= n;
	}
}

/// A registered candidate with an open round of `k` gold items (stock `s`).
fn open_round<T: Config>(k: u32, b: u32) -> (T::AccountId, DomainId, RoundId) {
	let d = domains::<T>(1, k);
	stock::<T>(d, k, b);
	let who = funded::<T>("candidate", 0);
	Pallet::<T>::do_register(who.clone(), BoundedVec::truncate_from(alloc::vec![d]))
		.expect("registers");
	Pallet::<T>::do_request_qualification(who.clone(), d).expect("round opens");
	(who, d, NextRoundId::<T>::get().saturating_sub(1))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register(d: Linear<0, { T::MaxDomains::get() }>) {
		domains::<T>(d, 1);
		let list: Vec<DomainId> = (0..d).collect();
		let who = funded::<T>("labeler", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), BoundedVec::truncate_from(list));
		assert!(Labelers::<T>::contains_key(&who));
	}

	#[benchmark]
	fn unregister() {
		let who = funded::<T>("labeler", 0);
		Pallet::<T>::do_register(who.clone(), BoundedVec::new()).expect("registers");
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(!Labelers::<T>::contains_key(&who));
	}

	#[benchmark]
	fn declare_domains(d: Linear<0, { T::MaxDomains::get() }>) {
		domains::<T>(d, 1);
		let who = funded::<T>("labeler", 0);
		Pallet::<T>::do_register(who.clone(), BoundedVec::new()).expect("registers");
		let list: Vec<DomainId> = (0..d).collect();
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), BoundedVec::truncate_from(list));
		assert_eq!(Labelers::<T>::get(&who).map(|l| l.domains.len() as u32), Some(d));
	}

	#[benchmark]
	fn create_domain(n: Linear<1, { T::MaxNameLen::get() }>) -> Result<(), BenchmarkError> {
		let origin =
			T::CuratorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let name = BoundedVec::truncate_from(alloc::vec![b'a'; n as usize]);
		#[extrinsic_call]
		_(
			origin as T::RuntimeOrigin,
			name,
			LabelKind::BoundingBoxes { classes: 4 },
			params::<T>(1),
		);
		assert_eq!(Domains::<T>::count(), 1);
		Ok(())
	}

	#[benchmark]
	fn update_domain() -> Result<(), BenchmarkError> {
		let origin =
			T::CuratorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let d = domains::<T>(1, 1);
		let mut p = params::<T>(1);
		p.cooldown = 99u32.into();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, d, p);
		assert_eq!(Domains::<T>::get(d).map(|x| x.params), Some(p));
		Ok(())
	}

	#[benchmark]
	fn add_gold(g: Linear<1, { T::MaxGoldBatch::get() }>) -> Result<(), BenchmarkError> {
		let origin =
			T::CuratorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let d = domains::<T>(1, 1);
		// Worst case: the stock is as full as it can be before the batch.
		stock::<T>(d, T::MaxGoldStock::get().saturating_sub(g), 1);
		let items: Vec<(ItemHash, Commitment)> = (0..g)
			.map(|i| (ItemHash::repeat_byte(i as u8), Commitment::repeat_byte(1)))
			.collect();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, d, BoundedVec::truncate_from(items));
		assert_eq!(GoldStock::<T>::get(d).len() as u32, T::MaxGoldStock::get());
		Ok(())
	}

	#[benchmark]
	fn request_qualification(
		k: Linear<1, { T::MaxRoundSize::get() }>,
		s: Linear<{ T::MaxRoundSize::get() }, { T::MaxGoldStock::get() }>,
	) {
		let d = domains::<T>(1, k);
		stock::<T>(d, s, 1);
		let who = funded::<T>("candidate", 0);
		Pallet::<T>::do_register(who.clone(), BoundedVec::truncate_from(alloc::vec![d]))
			.expect("registers");
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), d);
		assert!(OpenRound::<T>::contains_key(&who, d));
	}

	#[benchmark]
	fn submit_qualification(
		k: Linear<1, { T::MaxRoundSize::get() }>,
		b: Linear<0, { T::MaxBoxes::get() }>,
	) {
		let (who, _, round) = open_round::<T>(k, b);
		let answers: Vec<LabelOf<T>> = (0..k).map(|_| label::<T>(b, 5)).collect();
		#[extrinsic_call]
		_(RawOrigin::Signed(who), round, BoundedVec::truncate_from(answers));
		assert_eq!(Rounds::<T>::get(round).map(|r| r.phase), Some(RoundPhase::Answered));
	}

	#[benchmark]
	fn reveal_gold(
		k: Linear<1, { T::MaxRoundSize::get() }>,
		b: Linear<0, { T::MaxBoxes::get() }>,
	) -> Result<(), BenchmarkError> {
		let origin =
			T::CuratorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let (who, d, round) = open_round::<T>(k, b);
		let answers: Vec<LabelOf<T>> = (0..k).map(|_| label::<T>(b, 5)).collect();
		Pallet::<T>::do_submit_qualification(
			who.clone(),
			round,
			BoundedVec::truncate_from(answers),
		)
		.expect("answers fit");
		let reveals: Vec<(LabelOf<T>, Salt)> = (0..k).map(|_| (label::<T>(b, 0), SALT)).collect();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, round, BoundedVec::truncate_from(reveals));
		assert!(Rounds::<T>::get(round).is_none());
		assert!(Qualifications::<T>::get(&who, d).is_some());
		Ok(())
	}

	#[benchmark]
	fn expire_round(k: Linear<1, { T::MaxRoundSize::get() }>) {
		let (who, d, round) = open_round::<T>(k, 1);
		let deadline = Rounds::<T>::get(round).map(|r| r.reveal_deadline).unwrap_or_default();
		frame_system::Pallet::<T>::set_block_number(deadline.saturating_add(One::one()));
		let caller = funded::<T>("caller", 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), round);
		assert!(Rounds::<T>::get(round).is_none());
		assert!(Qualifications::<T>::get(&who, d).is_some());
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
