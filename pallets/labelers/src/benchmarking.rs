//! Benchmarks (v2), each at its worst case: most domains, longest names, fullest gold stock,
//! largest rounds, labels with the most boxes laid out so that box matching does the most work
//! (distinct boxes, all overlapping: see [`label`]), the guessing bound's most expensive case
//! (stars at `K = MaxRoundSize`) and the failing, forfeiting path of a round. Every benchmark
//! ends by checking the pallet's `try_state` invariants, so the benchmark tests
//! (`impl_benchmark_test_suite!`) check them too.

use super::*;
use crate::types::*;
use alloc::vec::Vec;
use crowdlabel_consensus::{BoundingBox, FixedU128, Perbill};
use crowdlabel_labels::gold_commitment as commitment_of;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungible::{Inspect, Mutate},
		EnsureOrigin, Get,
	},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::traits::{Bounded, One, Saturating, Zero};

const SALT: Salt = [42u8; 32];

fn funded<T: Config>(name: &'static str, i: u32) -> T::AccountId {
	let who: T::AccountId = account(name, i, 0);
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 4u32.into());
	// The treasury exists on a live chain (it receives round fees and forfeits).
	let treasury = T::Treasury::get();
	if T::Currency::balance(&treasury).is_zero() {
		T::Currency::set_balance(&treasury, T::Currency::minimum_balance());
	}
	who
}

/// `Ok` if the pallet's invariants hold (the verify step of every benchmark; checked when the
/// benchmarks run as tests).
#[cfg_attr(not(test), allow(clippy::extra_unused_type_parameters))]
fn check_state<T: Config>() -> Result<(), BenchmarkError> {
	#[cfg(test)]
	Pallet::<T>::do_try_state().map_err(|_| BenchmarkError::Stop("try_state failed"))?;
	Ok(())
}

/// Box domain parameters; the bar of 99 % makes the benchmark's shifted answers fail (the
/// failing path of `reveal_gold` also forfeits part of the deposit).
fn params<T: Config>(k: u32) -> DomainParams<BlockNumberFor<T>> {
	DomainParams {
		bar: QualificationBar::MinMeanAgreement(Perbill::from_percent(99)),
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

/// The widest score range: the guessing bound passes over all `65 536` guesses and, at a bar
/// of 5 %, its dynamic program is bucketed to use its whole budget
/// (`crowdlabel_consensus::guessing::SCORE_DP_BUDGET`): the most expensive computation.
const WIDEST: LabelKind = LabelKind::Score { min: 0, max: u16::MAX };

/// Score domain parameters at `K = MaxRoundSize` with a 5 % bar: the guessing bound's worst
/// case on parameters it accepts (a guesser passes with far less than 1 %).
fn score_params<T: Config>() -> DomainParams<BlockNumberFor<T>> {
	DomainParams {
		bar: QualificationBar::MaxMeanScoreError(Perbill::from_percent(5)),
		..params::<T>(T::MaxRoundSize::get())
	}
}

/// A label of `b` distinct boxes 1 px apart, all overlapping, shifted by `shift` pixels: the
/// worst case of box matching (every row of the optimal assignment searches through all
/// earlier rows: 16 896 steps for 32 boxes against 1 024 for separated boxes; see
/// `crowdlabel_consensus::label_set_matching_steps`), and no two boxes identical, so
/// `label_fits` runs its full duplicate check.
fn label<T: Config>(b: u32, shift: u32) -> LabelOf<T> {
	let boxes: Vec<BoundingBox> = (0..b)
		.map(|i| BoundingBox {
			x_min: i + shift,
			y_min: 0,
			x_max: i + shift + 100,
			y_max: 100,
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
	fn register(d: Linear<0, { T::MaxDomains::get() }>) -> Result<(), BenchmarkError> {
		domains::<T>(d, 1);
		let list: Vec<DomainId> = (0..d).collect();
		let who = funded::<T>("labeler", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), BoundedVec::truncate_from(list));
		assert!(Registrations::<T>::contains_key(&who));
		check_state::<T>()
	}

	/// Worst case: a sponsored labeler (the deposit goes back to the sponsor, one more entry to
	/// remove than a self-registered labeler's).
	#[benchmark]
	fn unregister() -> Result<(), BenchmarkError> {
		let sponsor = funded::<T>("sponsor", 0);
		let who: T::AccountId = account("labeler", 0, 0);
		Pallet::<T>::do_sponsor_registration(sponsor.clone(), who.clone(), BoundedVec::new())
			.expect("sponsored");
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(!Registrations::<T>::contains_key(&who));
		assert!(!Sponsors::<T>::contains_key(&who));
		check_state::<T>()
	}

	/// A newcomer without any balance registered by a sponsor with `d` declared domains.
	#[benchmark]
	fn sponsor_registration(d: Linear<0, { T::MaxDomains::get() }>) -> Result<(), BenchmarkError> {
		domains::<T>(d, 1);
		let list: Vec<DomainId> = (0..d).collect();
		let sponsor = funded::<T>("sponsor", 0);
		let newcomer: T::AccountId = account("newcomer", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(sponsor.clone()), newcomer.clone(), BoundedVec::truncate_from(list));
		assert_eq!(Sponsors::<T>::get(&newcomer), Some(sponsor));
		check_state::<T>()
	}

	#[benchmark]
	fn end_sponsorship() -> Result<(), BenchmarkError> {
		let sponsor = funded::<T>("sponsor", 0);
		let who: T::AccountId = account("labeler", 0, 0);
		Pallet::<T>::do_sponsor_registration(sponsor.clone(), who.clone(), BoundedVec::new())
			.expect("sponsored");
		#[extrinsic_call]
		_(RawOrigin::Signed(sponsor), who.clone());
		assert!(!Registrations::<T>::contains_key(&who));
		check_state::<T>()
	}

	#[benchmark]
	fn declare_domains(d: Linear<0, { T::MaxDomains::get() }>) -> Result<(), BenchmarkError> {
		domains::<T>(d, 1);
		let who = funded::<T>("labeler", 0);
		Pallet::<T>::do_register(who.clone(), BoundedVec::new()).expect("registers");
		let list: Vec<DomainId> = (0..d).collect();
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), BoundedVec::truncate_from(list));
		assert_eq!(Registrations::<T>::get(&who).map(|l| l.domains.len() as u32), Some(d));
		check_state::<T>()
	}

	#[benchmark]
	fn create_domain(n: Linear<1, { T::MaxNameLen::get() }>) -> Result<(), BenchmarkError> {
		let origin =
			T::CuratorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let name = BoundedVec::truncate_from(alloc::vec![b'a'; n as usize]);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, name, WIDEST, score_params::<T>());
		assert_eq!(Domains::<T>::count(), 1);
		check_state::<T>()
	}

	#[benchmark]
	fn update_domain() -> Result<(), BenchmarkError> {
		let origin =
			T::CuratorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		Pallet::<T>::do_create_domain(
			BoundedVec::truncate_from(b"ratings".to_vec()),
			WIDEST,
			score_params::<T>(),
		)
		.expect("valid domain");
		let d = NextDomainId::<T>::get().saturating_sub(1);
		let mut p = score_params::<T>();
		p.cooldown = 99u32.into();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, d, p);
		assert_eq!(Domains::<T>::get(d).map(|x| x.params), Some(p));
		check_state::<T>()
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
		check_state::<T>()
	}

	#[benchmark]
	fn request_qualification(
		k: Linear<1, { T::MaxRoundSize::get() }>,
		s: Linear<{ T::MaxRoundSize::get() }, { T::MaxGoldStock::get() }>,
	) -> Result<(), BenchmarkError> {
		let d = domains::<T>(1, k);
		stock::<T>(d, s, 1);
		let who = funded::<T>("candidate", 0);
		Pallet::<T>::do_register(who.clone(), BoundedVec::truncate_from(alloc::vec![d]))
			.expect("registers");
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), d);
		assert!(OpenRound::<T>::contains_key(&who, d));
		check_state::<T>()
	}

	#[benchmark]
	fn submit_qualification(
		k: Linear<1, { T::MaxRoundSize::get() }>,
		b: Linear<0, { T::MaxBoxes::get() }>,
	) -> Result<(), BenchmarkError> {
		let (who, _, round) = open_round::<T>(k, b);
		let answers: Vec<LabelOf<T>> = (0..k).map(|_| label::<T>(b, 5)).collect();
		#[extrinsic_call]
		_(RawOrigin::Signed(who), round, BoundedVec::truncate_from(answers));
		assert_eq!(Rounds::<T>::get(round).map(|r| r.phase), Some(RoundPhase::Answered));
		check_state::<T>()
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
		// With boxes the shifted answers fail the 99 % bar (and forfeit part of the deposit);
		// with no boxes (`b = 0`) they agree perfectly and pass.
		assert!(Qualifications::<T>::get(&who, d).is_some());
		check_state::<T>()
	}

	#[benchmark]
	fn expire_round(k: Linear<1, { T::MaxRoundSize::get() }>) -> Result<(), BenchmarkError> {
		let (who, d, round) = open_round::<T>(k, 1);
		let deadline = Rounds::<T>::get(round).map(|r| r.reveal_deadline).unwrap_or_default();
		frame_system::Pallet::<T>::set_block_number(deadline.saturating_add(One::one()));
		let caller = funded::<T>("caller", 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), round);
		assert!(Rounds::<T>::get(round).is_none());
		assert!(Qualifications::<T>::get(&who, d).is_some());
		check_state::<T>()
	}

	#[benchmark]
	fn revoke_qualification() -> Result<(), BenchmarkError> {
		let origin =
			T::CuratorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let d = domains::<T>(1, 1);
		let who = funded::<T>("labeler", 0);
		<Pallet<T> as crowdlabel_traits::LabelerRegistry<_>>::benchmark_qualify(&who, d);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone(), d);
		assert!(matches!(Qualifications::<T>::get(&who, d), Some(Qualification::Failed { .. })));
		assert_eq!(Domains::<T>::get(d).map(|x| x.qualified), Some(0));
		check_state::<T>()
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
