//! The interface other pallets (labeling jobs, datasets) use: qualification, weights and
//! reputation updates, without depending on this pallet's storage.

use crate::{pallet::*, types::*};
use crowdlabel_consensus::{at_weight_floor, FixedU128};
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::One;

/// Read and update labelers' standing.
pub trait LabelerRegistry<AccountId, BlockNumber> {
	/// Registered right now.
	fn is_registered(who: &AccountId) -> bool;
	/// Passed a qualification round in `domain`.
	fn is_qualified(who: &AccountId, domain: DomainId) -> bool;
	/// Label kind and parameters of a domain.
	fn domain(domain: DomainId) -> Option<(LabelKind, DomainParams<BlockNumber>)>;
	/// Voting weight `a` of `who` in `domain` (1.0 while unknown).
	fn weight_of(who: &AccountId, domain: DomainId) -> FixedU128;
	/// Records the error of one label of `who` against its item's consensus (star points for
	/// stars, `1 - agreement` otherwise) and returns the new weight.
	fn record_outcome(who: &AccountId, domain: DomainId, error: FixedU128) -> FixedU128;
	/// Records a challenge answer; the error grows with the labeler's challenge failure rate
	/// (see `crowdlabel_consensus::reputation::challenge_term`). Returns the new weight. May
	/// revoke the qualification (weight at the floor after `RevokeAfterFailures` failures).
	fn record_challenge(who: &AccountId, domain: DomainId, correct: bool) -> FixedU128;
	/// A labeler committed and never revealed: recorded exactly like a wrong challenge answer
	/// (so withholding a reveal never protects a reputation). May revoke the qualification.
	fn record_missed_reveal(who: &AccountId, domain: DomainId) {
		let _ = Self::record_challenge(who, domain, false);
	}
	/// A package (or other work) was taken: the labeler cannot unregister until it finishes.
	fn note_work_started(who: &AccountId) -> DispatchResult;
	/// The work finished (or was forfeited).
	fn note_work_finished(who: &AccountId);
	/// Benchmarks: a domain of `kind` whose packages slash below 50% agreement.
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_domain(kind: LabelKind) -> DomainId;
	/// Benchmarks: registers (the account must be funded) and qualifies `who` in `domain`.
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_qualify(who: &AccountId, domain: DomainId);
}

impl<T: Config> Pallet<T> {
	/// Applies `f` to the labeler's record, emits `ReputationUpdated` and revokes the
	/// qualification when the weight is at the floor after at least `RevokeAfterFailures`
	/// failed challenges or missed reveals.
	fn update_reputation(
		who: &T::AccountId,
		domain: DomainId,
		f: impl FnOnce(&mut crowdlabel_consensus::ErrorStats),
	) -> FixedU128 {
		let Some(d) = Domains::<T>::get(domain) else { return FixedU128::one() };
		let metric = d.kind.error_metric();
		let stats = Reputation::<T>::mutate(who, domain, |s| {
			f(s);
			*s
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

impl<T: Config> LabelerRegistry<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
	fn is_registered(who: &T::AccountId) -> bool {
		Labelers::<T>::contains_key(who)
	}

	fn is_qualified(who: &T::AccountId, domain: DomainId) -> bool {
		Labelers::<T>::contains_key(who)
			&& matches!(
				Qualifications::<T>::get(who, domain),
				Some(Qualification::Qualified { .. })
			)
	}

	fn domain(domain: DomainId) -> Option<(LabelKind, DomainParams<BlockNumberFor<T>>)> {
		Domains::<T>::get(domain).map(|d| (d.kind, d.params))
	}

	fn weight_of(who: &T::AccountId, domain: DomainId) -> FixedU128 {
		match Domains::<T>::get(domain) {
			Some(d) => {
				Reputation::<T>::get(who, domain).weight(d.kind.error_metric(), d.params.sigma)
			},
			None => FixedU128::one(),
		}
	}

	fn record_outcome(who: &T::AccountId, domain: DomainId, error: FixedU128) -> FixedU128 {
		Self::update_reputation(who, domain, |s| s.record(error))
	}

	fn record_challenge(who: &T::AccountId, domain: DomainId, correct: bool) -> FixedU128 {
		Self::update_reputation(who, domain, |s| s.record_challenge(correct))
	}

	fn record_missed_reveal(who: &T::AccountId, domain: DomainId) {
		Self::update_reputation(who, domain, |s| s.record_challenge(false));
	}

	fn note_work_started(who: &T::AccountId) -> DispatchResult {
		Labelers::<T>::try_mutate(who, |l| -> DispatchResult {
			let l = l.as_mut().ok_or(Error::<T>::NotRegistered)?;
			l.pending = l.pending.saturating_add(1);
			Ok(())
		})
	}

	fn note_work_finished(who: &T::AccountId) {
		Labelers::<T>::mutate(who, |l| {
			if let Some(l) = l {
				l.pending = l.pending.saturating_sub(1);
			}
		});
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_domain(kind: LabelKind) -> DomainId {
		use crowdlabel_consensus::Perbill;
		let bar = match kind {
			LabelKind::StarReview => QualificationBar::MaxMeanStarError(FixedU128::one()),
			_ => QualificationBar::MinMeanAgreement(Perbill::from_percent(50)),
		};
		let params = DomainParams {
			bar,
			slash_floor: Perbill::from_percent(50),
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
		if !Labelers::<T>::contains_key(who) {
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
