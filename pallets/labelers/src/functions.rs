//! The pallet's logic: `do_*` helpers behind the thin calls and grading; the invariants
//! checked by `try_state` are in `try_state.rs`.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use crowdlabel_consensus::{
	guess_pass_probability, mean_error, mean_perbill, score_round_passes, FixedU128, GuessModel,
	Perbill,
};
use crowdlabel_labels::{gold_commitment, grade, label_fits, reputation_error, truth_of, Grade};
use crowdlabel_traits::WorkInProgress;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{BalancedHold, Mutate, MutateHold},
		tokens::{Precision, Preservation},
		OnUnbalanced,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{Saturating, Zero};

/// The probability that a uniform random guesser passes a round of `k` items of this kind and
/// bar (rounded up; `None` for bounding boxes, see `crowdlabel_consensus::guessing`). A bar of
/// the wrong kind never passes validation; it is treated like boxes here.
pub fn guess_pass_of(
	kind: &LabelKind,
	bar: &QualificationBar,
	k: u32,
) -> Result<Option<Perbill>, crowdlabel_consensus::MathError> {
	let model = match (kind, bar) {
		(LabelKind::SingleClass { classes }, QualificationBar::MinMeanAgreement(bar)) => {
			GuessModel::SingleClass { classes: *classes, bar: *bar }
		},
		(LabelKind::Score { min, max }, QualificationBar::MaxMeanScoreError(bar)) => {
			GuessModel::Score { width: max.saturating_sub(*min), bar: *bar }
		},
		_ => GuessModel::Boxes,
	};
	guess_pass_probability(model, k)
}

impl<T: Config> Pallet<T> {
	/// The fee a qualification round of a domain with `params` charges, whatever its outcome:
	/// [`Config::GoldItemFee`] per gold item.
	pub(crate) fn round_fee(params: &DomainParams<BlockNumberFor<T>>) -> BalanceOf<T> {
		T::GoldItemFee::get().saturating_mul(params.round_size.into())
	}

	fn validate_domains(domains: &[DomainId]) -> DispatchResult {
		for (i, d) in domains.iter().enumerate() {
			ensure!(Domains::<T>::contains_key(d), Error::<T>::UnknownDomain);
			ensure!(!domains[..i].contains(d), Error::<T>::DuplicateDomain);
		}
		Ok(())
	}

	/// Checks a domain's parameters; returns the probability that a uniform guesser passes its
	/// round (`None` for boxes).
	fn validate_params(
		kind: &LabelKind,
		p: &DomainParams<BlockNumberFor<T>>,
	) -> Result<Option<Perbill>, DispatchError> {
		match kind {
			LabelKind::BoundingBoxes { classes } | LabelKind::SingleClass { classes } => {
				ensure!(*classes > 0, Error::<T>::NoClasses);
				ensure!(
					matches!(p.bar, QualificationBar::MinMeanAgreement(_)),
					Error::<T>::BarDoesNotFitKind
				);
			},
			LabelKind::Score { min, max } => {
				ensure!(min < max, Error::<T>::EmptyScoreRange);
				ensure!(
					matches!(p.bar, QualificationBar::MaxMeanScoreError(_)),
					Error::<T>::BarDoesNotFitKind
				);
			},
		}
		ensure!(
			p.round_size > 0 && p.round_size <= T::MaxRoundSize::get(),
			Error::<T>::BadRoundSize
		);
		ensure!(!p.answer_window.is_zero() && !p.reveal_window.is_zero(), Error::<T>::ZeroWindow);
		ensure!(!p.sigma.is_zero(), Error::<T>::ZeroSigma);
		let guess_pass =
			guess_pass_of(kind, &p.bar, p.round_size).map_err(|_| Error::<T>::BadRoundSize)?;
		ensure!(
			guess_pass.is_none_or(|g| g <= T::MaxGuessPassProbability::get()),
			Error::<T>::GuessableBar
		);
		Ok(guess_pass)
	}

	pub(crate) fn do_register(
		who: T::AccountId,
		domains: BoundedVec<DomainId, T::MaxDomains>,
	) -> DispatchResult {
		Self::add_registration(&who, &who, HoldReason::Registration, domains)?;
		Ok(())
	}

	pub(crate) fn do_unregister(who: T::AccountId) -> DispatchResult {
		let labeler = Registrations::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
		ensure!(!Self::has_pending_work(&who), Error::<T>::WorkPending);
		Self::remove_registration(who, labeler.deposit)
	}

	pub(crate) fn do_sponsor_registration(
		sponsor: T::AccountId,
		labeler: T::AccountId,
		domains: BoundedVec<DomainId, T::MaxDomains>,
	) -> DispatchResult {
		ensure!(sponsor != labeler, Error::<T>::SelfSponsorship);
		let deposit =
			Self::add_registration(&labeler, &sponsor, HoldReason::SponsoredRegistration, domains)?;
		Sponsors::<T>::insert(&labeler, &sponsor);
		Self::deposit_event(Event::RegistrationSponsored { labeler, sponsor, deposit });
		Ok(())
	}

	/// Registers `labeler` with `domains`, holding the registration deposit on `payer` under
	/// `reason` (the labeler itself, or its sponsor); returns the deposit. Every check comes
	/// before the first write.
	fn add_registration(
		labeler: &T::AccountId,
		payer: &T::AccountId,
		reason: HoldReason,
		domains: BoundedVec<DomainId, T::MaxDomains>,
	) -> Result<BalanceOf<T>, DispatchError> {
		ensure!(!Registrations::<T>::contains_key(labeler), Error::<T>::AlreadyRegistered);
		Self::validate_domains(&domains)?;
		let deposit = T::RegistrationDeposit::get();
		T::Currency::hold(&reason.into(), payer, deposit)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		let record = Labeler {
			deposit,
			domains: domains.clone(),
			registered_at: frame_system::Pallet::<T>::block_number(),
		};
		Registrations::<T>::insert(labeler, record);
		Self::deposit_event(Event::Registered { labeler: labeler.clone(), deposit });
		Self::deposit_event(Event::DomainsDeclared { labeler: labeler.clone(), domains });
		Ok(deposit)
	}

	pub(crate) fn do_end_sponsorship(
		sponsor: T::AccountId,
		labeler: T::AccountId,
	) -> DispatchResult {
		let record = Registrations::<T>::get(&labeler).ok_or(Error::<T>::NotRegistered)?;
		ensure!(Sponsors::<T>::get(&labeler) == Some(sponsor), Error::<T>::NotSponsor);
		ensure!(!Self::has_pending_work(&labeler), Error::<T>::WorkPending);
		Self::remove_registration(labeler, record.deposit)
	}

	/// Removes a checked-idle labeler's registration and releases its deposit: from the
	/// sponsor's [`HoldReason::SponsoredRegistration`] hold to the sponsor when the labeler is
	/// sponsored, from the labeler's own [`HoldReason::Registration`] hold otherwise.
	fn remove_registration(who: T::AccountId, deposit: BalanceOf<T>) -> DispatchResult {
		let refunded = match Sponsors::<T>::get(&who) {
			Some(sponsor) => {
				let refunded = T::Currency::release(
					&HoldReason::SponsoredRegistration.into(),
					&sponsor,
					deposit,
					Precision::BestEffort,
				)?;
				Sponsors::<T>::remove(&who);
				Self::deposit_event(Event::SponsorshipEnded {
					labeler: who.clone(),
					sponsor,
					refunded,
				});
				refunded
			},
			None => T::Currency::release(
				&HoldReason::Registration.into(),
				&who,
				deposit,
				Precision::BestEffort,
			)?,
		};
		Registrations::<T>::remove(&who);
		Self::deposit_event(Event::Unregistered { labeler: who, refunded });
		Ok(())
	}

	pub(crate) fn do_declare_domains(
		who: T::AccountId,
		domains: BoundedVec<DomainId, T::MaxDomains>,
	) -> DispatchResult {
		let mut labeler = Registrations::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
		Self::validate_domains(&domains)?;
		labeler.domains = domains.clone();
		Registrations::<T>::insert(&who, labeler);
		Self::deposit_event(Event::DomainsDeclared { labeler: who, domains });
		Ok(())
	}

	pub(crate) fn do_create_domain(
		name: BoundedVec<u8, T::MaxNameLen>,
		kind: LabelKind,
		params: DomainParams<BlockNumberFor<T>>,
	) -> DispatchResult {
		ensure!(!name.is_empty(), Error::<T>::EmptyName);
		let guess_pass = Self::validate_params(&kind, &params)?;
		let id = NextDomainId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::IdOverflow)?;
		Domains::<T>::insert(id, Domain { name, kind, params, qualified: 0 });
		NextDomainId::<T>::put(next);
		Self::deposit_event(Event::DomainCreated { domain: id, kind, guess_pass });
		Ok(())
	}

	pub(crate) fn do_update_domain(
		domain: DomainId,
		params: DomainParams<BlockNumberFor<T>>,
	) -> DispatchResult {
		let mut d = Domains::<T>::get(domain).ok_or(Error::<T>::UnknownDomain)?;
		let guess_pass = Self::validate_params(&d.kind, &params)?;
		d.params = params;
		Domains::<T>::insert(domain, d);
		Self::deposit_event(Event::DomainUpdated { domain, guess_pass });
		Ok(())
	}

	pub(crate) fn do_add_gold(
		domain: DomainId,
		items: BoundedVec<(ItemHash, Commitment), T::MaxGoldBatch>,
	) -> DispatchResult {
		ensure!(Domains::<T>::contains_key(domain), Error::<T>::UnknownDomain);
		ensure!(!items.is_empty(), Error::<T>::EmptyGoldBatch);
		let mut stock = GoldStock::<T>::get(domain);
		let room = (T::MaxGoldStock::get() as usize).saturating_sub(stock.len());
		ensure!(items.len() <= room, Error::<T>::GoldStockFull);
		let first = NextGoldId::<T>::get();
		let next = first.checked_add(items.len() as u32).ok_or(Error::<T>::IdOverflow)?;
		for (i, (item, commitment)) in items.into_iter().enumerate() {
			let gold = first.saturating_add(i as u32);
			stock.try_push(gold).map_err(|_| Error::<T>::GoldStockFull)?;
			Gold::<T>::insert(gold, GoldItem { domain, item, commitment, round: None });
			Self::deposit_event(Event::GoldAdded { domain, gold, item });
		}
		GoldStock::<T>::insert(domain, stock);
		NextGoldId::<T>::put(next);
		Ok(())
	}

	pub(crate) fn do_request_qualification(who: T::AccountId, domain: DomainId) -> DispatchResult {
		let labeler = Registrations::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
		let d = Domains::<T>::get(domain).ok_or(Error::<T>::UnknownDomain)?;
		ensure!(labeler.domains.contains(&domain), Error::<T>::DomainNotDeclared);
		let now = frame_system::Pallet::<T>::block_number();
		match Qualifications::<T>::get(&who, domain) {
			Some(Qualification::Qualified { .. }) => Err(Error::<T>::AlreadyQualified)?,
			Some(Qualification::Failed { retry_at }) if now < retry_at => {
				Err(Error::<T>::CoolingDown)?
			},
			_ => {},
		}
		ensure!(!OpenRound::<T>::contains_key(&who, domain), Error::<T>::RoundAlreadyOpen);
		let stock = GoldStock::<T>::get(domain);
		let k = d.params.round_size as usize;
		ensure!(stock.len() >= k, Error::<T>::NotEnoughGold);
		let id = NextRoundId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::IdOverflow)?;
		let deposit = T::RoundDeposit::get();
		let fee = Self::round_fee(&d.params);
		T::Currency::hold(&HoldReason::QualificationRound.into(), &who, deposit)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		if !fee.is_zero() {
			T::Currency::transfer(&who, &T::Treasury::get(), fee, Preservation::Preserve)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
		}

		// Oldest gold first; each item leaves the stock for good.
		let (taken, rest) = stock.split_at(k);
		let gold: BoundedVec<GoldId, T::MaxRoundSize> =
			BoundedVec::try_from(taken.to_vec()).map_err(|_| Error::<T>::BadRoundSize)?;
		let rest: BoundedVec<GoldId, T::MaxGoldStock> = BoundedVec::truncate_from(rest.to_vec());
		let mut items = Vec::with_capacity(k);
		for g in gold.iter() {
			Gold::<T>::mutate(g, |maybe| {
				if let Some(item) = maybe {
					item.round = Some(id);
					items.push(item.item);
				}
			});
		}
		GoldStock::<T>::insert(domain, rest);
		let answer_deadline = now.saturating_add(d.params.answer_window);
		let reveal_deadline = answer_deadline.saturating_add(d.params.reveal_window);
		Rounds::<T>::insert(
			id,
			Round {
				labeler: who.clone(),
				domain,
				gold,
				answers: BoundedVec::new(),
				phase: RoundPhase::Answering,
				answer_deadline,
				reveal_deadline,
				deposit,
			},
		);
		OpenRound::<T>::insert(&who, domain, id);
		NextRoundId::<T>::put(next);
		Self::deposit_event(Event::QualificationRequested {
			round: id,
			labeler: who,
			domain,
			items: BoundedVec::truncate_from(items),
			answer_deadline,
			fee,
		});
		Ok(())
	}

	pub(crate) fn do_submit_qualification(
		who: T::AccountId,
		id: RoundId,
		answers: BoundedVec<LabelOf<T>, T::MaxRoundSize>,
	) -> DispatchResult {
		let mut round = Rounds::<T>::get(id).ok_or(Error::<T>::UnknownRound)?;
		ensure!(round.labeler == who, Error::<T>::NotCandidate);
		ensure!(round.phase == RoundPhase::Answering, Error::<T>::NotAnswering);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now <= round.answer_deadline, Error::<T>::AnswerWindowClosed);
		ensure!(answers.len() == round.gold.len(), Error::<T>::WrongAnswerCount);
		let kind = Domains::<T>::get(round.domain).ok_or(Error::<T>::UnknownDomain)?.kind;
		ensure!(answers.iter().all(|a| label_fits(&kind, a)), Error::<T>::InvalidLabel);
		round.answers = answers;
		round.phase = RoundPhase::Answered;
		Rounds::<T>::insert(id, round);
		Self::deposit_event(Event::QualificationAnswered { round: id, labeler: who });
		Ok(())
	}

	pub(crate) fn do_reveal_gold(
		id: RoundId,
		reveals: BoundedVec<(LabelOf<T>, Salt), T::MaxRoundSize>,
	) -> DispatchResult {
		let round = Rounds::<T>::get(id).ok_or(Error::<T>::UnknownRound)?;
		let now = frame_system::Pallet::<T>::block_number();
		let answered = round.phase == RoundPhase::Answered;
		ensure!(answered || now > round.answer_deadline, Error::<T>::RoundNotReady);
		ensure!(reveals.len() == round.gold.len(), Error::<T>::WrongRevealCount);
		let mut domain = Domains::<T>::get(round.domain).ok_or(Error::<T>::UnknownDomain)?;
		// Verify every reveal before changing anything.
		for (g, (answer, salt)) in round.gold.iter().zip(reveals.iter()) {
			let gold = Gold::<T>::get(g).ok_or(Error::<T>::UnknownRound)?;
			ensure!(
				gold_commitment(answer, salt) == gold.commitment,
				Error::<T>::CommitmentMismatch
			);
			ensure!(label_fits(&domain.kind, answer), Error::<T>::InvalidLabel);
		}

		let who = round.labeler.clone();
		let reason = HoldReason::QualificationRound.into();
		let (passed, agreement, score_error, forfeited) = if answered {
			let graded: Vec<Grade> = round
				.answers
				.iter()
				.zip(reveals.iter())
				.map(|(a, (truth, _))| grade(&domain.kind, a, truth))
				.collect();
			let agreements: Vec<Perbill> = graded.iter().map(|g| g.agreement).collect();
			let agreement = mean_perbill(&agreements).unwrap_or_default();
			let score_errors: Vec<FixedU128> =
				graded.iter().filter_map(|g| g.score_error).collect();
			let score_error = mean_error(&score_errors).ok();
			let passed = match (domain.params.bar, domain.kind) {
				(QualificationBar::MinMeanAgreement(min), _) => agreement >= min,
				// Exact in points, the rule the guessing bound counts.
				(QualificationBar::MaxMeanScoreError(bar), LabelKind::Score { min, max }) => {
					let points = round.answers.iter().zip(reveals.iter()).try_fold(
						0u64,
						|sum, (a, (truth, _))| match (a, truth) {
							(Label::Score(a), Label::Score(t)) => {
								sum.checked_add(a.abs_diff(*t) as u64)
							},
							_ => None,
						},
					);
					let k = round.answers.len() as u32;
					points.is_some_and(|p| score_round_passes(p, max.saturating_sub(min), k, bar))
				},
				_ => false,
			};
			// A failed candidate forfeits a share of the deposit; the rest comes back.
			let forfeited = if passed {
				Zero::zero()
			} else {
				T::FailedRoundForfeit::get().mul_floor(round.deposit)
			};
			if !forfeited.is_zero() {
				Self::forfeit_round_deposit(&who, forfeited);
			}
			T::Currency::release(
				&reason,
				&who,
				round.deposit.saturating_sub(forfeited),
				Precision::BestEffort,
			)?;
			// One entry for both: the gold errors for the pay weight, the gold answers (with the
			// gold weight) for the reliability model — stored only if every answer could be
			// recorded (they fit the kind, checked above and at submission).
			let mut record = Reputation::<T>::get(&who, round.domain);
			for g in graded {
				record.stats.record(reputation_error(g.agreement, g.score_error));
			}
			if let Some(mut model) = Self::model_in(record.model.clone(), &domain.kind) {
				let recorded =
					round.answers.iter().zip(reveals.iter()).try_for_each(|(a, (truth, _))| {
						model.record(a, &truth_of(truth), model.gold_weight())
					});
				if recorded.is_ok() {
					record.model = Some(model);
				}
			}
			let stats = record.stats;
			Reputation::<T>::insert(&who, round.domain, record);
			Self::deposit_event(Event::ReputationUpdated {
				labeler: who.clone(),
				domain: round.domain,
				error: stats.error(domain.kind.error_metric()),
				weight: stats.weight(domain.kind.error_metric(), domain.params.sigma),
			});
			(passed, agreement, score_error, forfeited)
		} else {
			Self::forfeit_round_deposit(&who, round.deposit);
			(false, Perbill::zero(), None, round.deposit)
		};

		for (g, (answer, _)) in round.gold.iter().zip(reveals) {
			Gold::<T>::remove(g);
			Self::deposit_event(Event::GoldRevealed { gold: *g, domain: round.domain, answer });
		}
		if passed {
			Qualifications::<T>::insert(
				&who,
				round.domain,
				Qualification::Qualified { since: now },
			);
			domain.qualified = domain.qualified.saturating_add(1);
			Domains::<T>::insert(round.domain, domain);
			Self::deposit_event(Event::Qualified {
				labeler: who.clone(),
				domain: round.domain,
				round: id,
				agreement,
				score_error,
			});
		} else {
			let retry_at = now.saturating_add(domain.params.cooldown);
			Qualifications::<T>::insert(&who, round.domain, Qualification::Failed { retry_at });
			Self::deposit_event(Event::QualificationFailed {
				labeler: who.clone(),
				domain: round.domain,
				round: id,
				agreement,
				score_error,
				retry_at,
				forfeited,
			});
		}
		Self::close_round(id, &round);
		Ok(())
	}

	pub(crate) fn do_expire_round(id: RoundId) -> DispatchResult {
		let round = Rounds::<T>::get(id).ok_or(Error::<T>::UnknownRound)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now > round.reveal_deadline, Error::<T>::RoundNotExpired);
		let who = round.labeler.clone();
		let forfeited = if round.phase == RoundPhase::Answering {
			// The candidate never answered: fail, deposit to the treasury.
			Self::forfeit_round_deposit(&who, round.deposit);
			let cooldown =
				Domains::<T>::get(round.domain).map(|d| d.params.cooldown).unwrap_or_default();
			let retry_at = now.saturating_add(cooldown);
			Qualifications::<T>::insert(&who, round.domain, Qualification::Failed { retry_at });
			Self::deposit_event(Event::QualificationFailed {
				labeler: who.clone(),
				domain: round.domain,
				round: id,
				agreement: Perbill::zero(),
				score_error: None,
				retry_at,
				forfeited: round.deposit,
			});
			round.deposit
		} else {
			// The curator missed the reveal: no fault of the candidate.
			T::Currency::release(
				&HoldReason::QualificationRound.into(),
				&who,
				round.deposit,
				Precision::BestEffort,
			)?;
			Zero::zero()
		};
		for g in round.gold.iter() {
			Gold::<T>::remove(g);
		}
		Self::close_round(id, &round);
		Self::deposit_event(Event::RoundExpired { round: id, labeler: who, forfeited });
		Ok(())
	}

	/// Revokes `who`'s qualification in `domain`: standing `Failed` with the domain's cool-down,
	/// the domain's `qualified` counter decremented.
	pub(crate) fn do_revoke_qualification(
		who: T::AccountId,
		domain: DomainId,
		reason: RevocationReason,
	) -> DispatchResult {
		let mut d = Domains::<T>::get(domain).ok_or(Error::<T>::UnknownDomain)?;
		ensure!(
			matches!(Qualifications::<T>::get(&who, domain), Some(Qualification::Qualified { .. })),
			Error::<T>::NotQualified
		);
		let retry_at = frame_system::Pallet::<T>::block_number().saturating_add(d.params.cooldown);
		Qualifications::<T>::insert(&who, domain, Qualification::Failed { retry_at });
		d.qualified = d.qualified.saturating_sub(1);
		Domains::<T>::insert(domain, d);
		Self::deposit_event(Event::QualificationRevoked { labeler: who, domain, reason });
		Ok(())
	}

	/// Slashes `amount` of the round deposit held from `who` and hands it to [`Config::Slash`].
	fn forfeit_round_deposit(who: &T::AccountId, amount: BalanceOf<T>) {
		let (credit, _) = T::Currency::slash(&HoldReason::QualificationRound.into(), who, amount);
		T::Slash::on_unbalanced(credit);
	}

	/// Removes a finished round and its index entry.
	fn close_round(id: RoundId, round: &RoundOf<T>) {
		Rounds::<T>::remove(id);
		OpenRound::<T>::remove(&round.labeler, round.domain);
	}

	/// Whether `who` has an open qualification round (one read: the first [`OpenRound`] entry
	/// under `who`) or work under way in another pallet ([`Config::WorkInProgress`]).
	pub(crate) fn has_pending_work(who: &T::AccountId) -> bool {
		OpenRound::<T>::iter_prefix(who).next().is_some() || T::WorkInProgress::has_work(who)
	}
}
