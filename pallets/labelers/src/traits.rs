//! This pallet's side of [`LabelerRegistry`](crowdlabel_traits::LabelerRegistry) (defined in
//! `crowdlabel-traits`): what other pallets (labeling jobs, datasets) read and report about
//! labelers, without depending on this crate.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use crowdlabel_consensus::{at_weight_floor, calibrated_sigma, voting_weight, FixedU128};
use crowdlabel_labels::Reliability;
use crowdlabel_traits::{DomainInfo, LabelerRegistry};
use frame_support::pallet_prelude::*;
use sp_runtime::traits::{One, UniqueSaturatedInto};

impl<T: Config> Pallet<T> {
	/// `who`'s reliability model in `domain` of kind `kind`: the stored one if it fits, else a
	/// newcomer's (`None` only for a kind without a model, which a created domain never has).
	pub(crate) fn reliability_in(
		who: &T::AccountId,
		domain: DomainId,
		kind: &LabelKind,
	) -> Option<Reliability> {
		Self::model_in(Reputation::<T>::get(who, domain).model, kind)
	}

	/// `model` if it fits `kind`, else a newcomer's model of `kind`.
	pub(crate) fn model_in(model: Option<Reliability>, kind: &LabelKind) -> Option<Reliability> {
		match model {
			Some(m) if m.fits(kind) => Some(m),
			_ => Reliability::new(kind).ok(),
		}
	}

	/// Applies `f` to the labeler's record (one read and one write for the statistics and the
	/// model), emits `ReputationUpdated` and revokes the qualification when the weight is at the
	/// floor after at least `RevokeAfterFailures` failed challenges or missed reveals.
	fn update_reputation(
		who: &T::AccountId,
		domain: DomainId,
		f: impl FnOnce(&mut LabelerRecord),
	) -> FixedU128 {
		let Some(d) = Domains::<T>::get(domain) else { return FixedU128::one() };
		let metric = d.kind.error_metric();
		let stats = Reputation::<T>::mutate(who, domain, |r| {
			f(r);
			r.stats
		});
		let weight = stats.weight(metric, d.params.sigma);
		Self::deposit_event(Event::ReputationUpdated {
			labeler: who.clone(),
			domain,
			error: stats.error(metric),
			weight,
		});
		if stats.challenges_failed >= T::RevokeAfterFailures::get()
			&& at_weight_floor(weight)
			&& matches!(
				Qualifications::<T>::get(who, domain),
				Some(Qualification::Qualified { .. })
			) {
			// Cannot fail: the domain exists and the labeler is qualified (checked above).
			let _ = Self::do_revoke_qualification(
				who.clone(),
				domain,
				RevocationReason::ChallengeFailures,
			);
		}
		weight
	}
}

impl<T: Config> LabelerRegistry<T::AccountId> for Pallet<T> {
	fn is_registered(who: &T::AccountId) -> bool {
		Registrations::<T>::contains_key(who)
	}

	fn is_qualified(who: &T::AccountId, domain: DomainId) -> bool {
		Registrations::<T>::contains_key(who)
			&& matches!(
				Qualifications::<T>::get(who, domain),
				Some(Qualification::Qualified { .. })
			)
	}

	fn domain(domain: DomainId) -> Option<DomainInfo> {
		Domains::<T>::get(domain).map(|d| DomainInfo {
			kind: d.kind,
			qualification_fee: Self::round_fee(&d.params).unique_saturated_into(),
		})
	}

	fn weight_of(who: &T::AccountId, domain: DomainId) -> FixedU128 {
		match Domains::<T>::get(domain) {
			Some(d) => Reputation::<T>::get(who, domain)
				.stats
				.weight(d.kind.error_metric(), d.params.sigma),
			None => FixedU128::one(),
		}
	}

	fn track_record(who: &T::AccountId, domain: DomainId) -> u32 {
		Reputation::<T>::get(who, domain).stats.samples
	}

	fn pay_weights(domain: DomainId, labelers: &[T::AccountId]) -> Vec<FixedU128> {
		let Some(d) = Domains::<T>::get(domain) else {
			return labelers.iter().map(|_| FixedU128::one()).collect();
		};
		let metric = d.kind.error_metric();
		let errors: Vec<Option<FixedU128>> = labelers
			.iter()
			.map(|who| Reputation::<T>::get(who, domain).stats.error(metric))
			.collect();
		let known: Vec<FixedU128> = errors.iter().flatten().copied().collect();
		let s = calibrated_sigma(&known).unwrap_or(d.params.sigma);
		errors
			.into_iter()
			.map(|x| x.map(|x| voting_weight(x, s)).unwrap_or_else(FixedU128::one))
			.collect()
	}

	fn reliability(who: &T::AccountId, domain: DomainId) -> Option<Reliability> {
		let d = Domains::<T>::get(domain)?;
		Self::reliability_in(who, domain, &d.kind)
	}

	fn set_reliability(who: &T::AccountId, domain: DomainId, model: Reliability) {
		if Domains::<T>::get(domain).is_some_and(|d| model.fits(&d.kind)) {
			Reputation::<T>::mutate(who, domain, |r| r.model = Some(model));
		}
	}

	fn record_outcomes(who: &T::AccountId, domain: DomainId, errors: &[FixedU128]) -> FixedU128 {
		Self::update_reputation(who, domain, |r| errors.iter().for_each(|e| r.stats.record(*e)))
	}

	fn record_judgement(
		who: &T::AccountId,
		domain: DomainId,
		model: Reliability,
		errors: &[FixedU128],
	) -> FixedU128 {
		let fits = Domains::<T>::get(domain).is_some_and(|d| model.fits(&d.kind));
		Self::update_reputation(who, domain, |r| {
			errors.iter().for_each(|e| r.stats.record(*e));
			if fits {
				r.model = Some(model);
			}
		})
	}

	fn record_challenge(who: &T::AccountId, domain: DomainId, correct: bool) -> FixedU128 {
		Self::update_reputation(who, domain, |r| r.stats.record_challenge(correct))
	}

	fn record_missed_reveal(who: &T::AccountId, domain: DomainId) {
		Self::update_reputation(who, domain, |r| r.stats.record_challenge(false));
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_domain(kind: LabelKind) -> DomainId {
		use crowdlabel_consensus::Perbill;
		let bar = match kind {
			LabelKind::Score { .. } => {
				QualificationBar::MaxMeanScoreError(Perbill::from_percent(25))
			},
			_ => QualificationBar::MinMeanAgreement(Perbill::from_percent(50)),
		};
		let params = DomainParams {
			bar,
			round_size: 1,
			cooldown: 1u32.into(),
			answer_window: 10u32.into(),
			reveal_window: 10u32.into(),
			sigma: FixedU128::from_rational(2, 10),
		};
		// Written directly: a K = 1 round of classes or stars is guessable, and benchmarks of
		// other pallets only need the domain to exist.
		let id = NextDomainId::<T>::get();
		Domains::<T>::insert(
			id,
			Domain {
				name: BoundedVec::truncate_from(b"bench".to_vec()),
				kind,
				params,
				qualified: 0,
			},
		);
		NextDomainId::<T>::put(id.saturating_add(1));
		id
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_qualify(who: &T::AccountId, domain: DomainId) {
		if !Registrations::<T>::contains_key(who) {
			let _ = Self::do_register(who.clone(), BoundedVec::truncate_from(alloc::vec![domain]));
		}
		Qualifications::<T>::insert(who, domain, Qualification::Qualified { since: 0u32.into() });
		Domains::<T>::mutate(domain, |d| {
			if let Some(d) = d {
				d.qualified = d.qualified.saturating_add(1);
			}
		});
	}
}
