//! Judging a package: weighted consensus per item, accept or slash per labeler, reputation.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use codec::Encode;
use crowdlabel_consensus::{mean_perbill, FixedU128, PackageVerdict, Perbill};
use crowdlabel_labels::{
	package_consensus, package_verdict_of, passes_for, record_package, reputation_error, ItemVotes,
	Label, Reliability,
};
use crowdlabel_traits::LabelerRegistry;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{BalancedHold, MutateHold},
		tokens::Precision,
		OnUnbalanced,
	},
};
use sp_runtime::traits::{Saturating, Zero};

/// One vote in a package judgement.
struct Vote<T: Config> {
	who: T::AccountId,
	labels: PackageLabelsOf<T>,
	deposit: BalanceOf<T>,
	/// Accepted at an earlier judgement of the same package.
	accepted: bool,
}

/// How one vote's labels agree with the package's consensus, item by item.
#[derive(Default, Clone)]
struct VoteScores {
	/// Agreement with each item's consensus.
	agreement: Vec<Perbill>,
	/// Stars: `|s - S|` per item (`None` for other kinds).
	score_error: Vec<Option<FixedU128>>,
}

impl<T: Config> Pallet<T> {
	/// Judges a package over every label it holds (accepted earlier or revealed now):
	/// consensus per item voted by each labeler's reliability model (the labels judged now then
	/// teach the models), then per revealed labeler
	/// accept (deposit back, workload credited) or slash (deposit to the treasury, slot free
	/// again). Labels accepted earlier stay accepted and vote again. When R labels are accepted
	/// the package is complete and its consensus is stored.
	///
	/// `closing`: the job is over (cancelled or past its deadline) and no replacement can come;
	/// with fewer than `MinRedundancy` labels nobody is slashed or scored (too few to judge)
	/// and the revealed labels are accepted and paid.
	pub(crate) fn judge(
		id: JobId,
		job: &mut JobOf<T>,
		p: PackageIndex,
		pkg: &mut PackageOf<T>,
		closing: bool,
	) -> Result<JudgeCost, DispatchError> {
		let (first, len) = Self::package_bounds(job, p).ok_or(Error::<T>::UnknownPackage)?;
		T::Labelers::domain(job.domain).ok_or(Error::<T>::UnknownDomain)?;
		let floor = Self::slash_floor(job.domain);
		// Votes in an order no labeler chooses: by `blake2(seed ++ account)`, the seed drawn when
		// the reveals opened.
		let mut votes: Vec<([u8; 32], Vote<T>)> = Assignments::<T>::iter_prefix((id, p))
			.filter_map(|(who, a)| {
				let (labels, accepted) = match a.state {
					AssignmentState::Revealed(l) => (l, false),
					AssignmentState::Accepted(l) => (l, true),
					_ => return None,
				};
				let key = sp_io::hashing::blake2_256(&(pkg.seed, &who).encode());
				Some((key, Vote { who, labels, deposit: a.deposit, accepted }))
			})
			.collect();
		votes.sort_by_key(|v| v.0);
		let votes: Vec<Vote<T>> = votes.into_iter().map(|(_, v)| v).collect();
		let r = votes.len();
		let max_boxes = votes
			.iter()
			.flat_map(|v| v.labels.iter())
			.map(|l| match l {
				Label::Boxes(b) => b.len() as u32,
				_ => 0,
			})
			.max()
			.unwrap_or(0);
		let mut cost = JudgeCost {
			kind: (&job.kind).into(),
			items: len,
			labels: r as u32,
			boxes: max_boxes,
			bonuses: 0,
			contested: 0,
			slashed: 0,
			kept: 0,
			idle_released: 0,
		};
		if r == 0 {
			return Ok(cost);
		}
		// Consensus voted by each labeler's reliability model as it is now (see
		// `crowdlabel_labels::package_consensus`); the off-chain replay runs the same functions.
		let mut models: Vec<Reliability> = votes
			.iter()
			.map(|v| T::Labelers::reliability(&v.who, job.domain))
			.collect::<Option<_>>()
			.ok_or(Error::<T>::UnknownDomain)?;
		let items: Vec<ItemVotes<T::MaxBoxes>> = (0..len as usize)
			.map(|i| {
				let votes = votes
					.iter()
					.enumerate()
					.map(|(k, v)| v.labels.get(i).map(|l| (k, l)).ok_or(Error::<T>::InvalidLabel))
					.collect::<Result<_, _>>()?;
				Ok(ItemVotes { votes, known: None })
			})
			.collect::<Result<_, Error<T>>>()?;
		let outcomes = package_consensus(&job.kind, &items, &models, passes_for(&job.kind))
			.map_err(|_| Error::<T>::InvalidLabel)?;

		let mut results = Vec::with_capacity(len as usize);
		let mut scores: Vec<VoteScores> = alloc::vec![VoteScores::default(); r];
		for outcome in outcomes.iter() {
			let mean = mean_perbill(&outcome.agreement).unwrap_or_default();
			let per_vote = outcome.agreement.iter().zip(outcome.score_error.iter());
			for (s, (agreement, score_error)) in scores.iter_mut().zip(per_vote) {
				s.agreement.push(*agreement);
				s.score_error.push(*score_error);
			}
			results.push(ItemResult { label: outcome.label.clone(), agreement: mean });
		}

		// Too few labels to judge anybody: accept, pay, do not score.
		let judged = (r as u32) >= T::MinRedundancy::get();
		if !judged && !closing {
			return Ok(cost);
		}
		if judged {
			// Each label judged now (not those accepted at an earlier judgement) teaches its
			// labeler's model, O(R) per item.
			record_package(&items, &outcomes, &mut models, |k| {
				votes.get(k).is_some_and(|v| !v.accepted)
			})
			.map_err(|_| Error::<T>::InvalidLabel)?;
		}
		// Verdicts first (one update of the labeler's record — reputation and model together —
		// and one event per judged labeler): whether the judgement slashes anyone decides what
		// happens to the accepted deposits.
		let verdicts: Vec<(bool, Perbill)> = votes
			.iter()
			.zip(scores.iter())
			.zip(models)
			.map(|((vote, score), model)| {
				if vote.accepted {
					return (true, Perbill::zero());
				}
				let judgement =
					package_verdict_of(&job.kind, &score.agreement, &score.score_error, floor);
				if judged {
					let errors: Vec<FixedU128> = score
						.agreement
						.iter()
						.zip(score.score_error.iter())
						.map(|(a, e)| reputation_error(*a, *e))
						.collect();
					T::Labelers::record_judgement(&vote.who, job.domain, model, &errors);
				}
				(!judged || judgement.verdict == PackageVerdict::Release, judgement.mean_agreement)
			})
			.collect();
		// A judgement that slashes some labelers and accepts others can be appealed: the
		// slashes are recorded and the accepted deposits stay at stake for `AppealPeriod`.
		let period = T::AppealPeriod::get();
		let contested = judged
			&& !period.is_zero()
			&& votes.iter().zip(verdicts.iter()).any(|(v, (pass, _))| !v.accepted && !pass);
		let until = frame_system::Pallet::<T>::block_number().saturating_add(period);
		let against: BoundedVec<T::AccountId, T::MaxRedundancy> = BoundedVec::truncate_from(
			votes
				.iter()
				.zip(verdicts.iter())
				.filter(|(_, (pass, _))| *pass)
				.map(|(v, _)| v.who.clone())
				.collect(),
		);
		for (vote, (pass, mean_agreement)) in votes.iter().zip(verdicts) {
			if vote.accepted {
				continue;
			}
			if contested {
				cost.contested = cost.contested.saturating_add(1);
			}
			if pass {
				// The deposit is freed (contested: kept at stake for the appeal window instead).
				let freed = if contested {
					Self::keep_at_stake(id, p, &vote.who, vote.deposit, until)?;
					Zero::zero()
				} else {
					vote.deposit
				};
				Assignments::<T>::insert(
					(id, p, &vote.who),
					Assignment {
						deposit: Zero::zero(),
						deadline: None,
						state: AssignmentState::Accepted(vote.labels.clone()),
					},
				);
				let released = Self::note_left(id, job, &vote.who, Some(len), freed)?;
				if !contested && !released {
					cost.kept = cost.kept.saturating_add(1);
				}
				if contested && released {
					cost.idle_released = cost.idle_released.saturating_add(1);
				}
				Contributions::<T>::try_mutate(id, p, |c| {
					c.try_push((vote.who.clone(), FixedU128::zero()))
				})
				.map_err(|_| Error::<T>::Overflow)?;
				pkg.takers = pkg.takers.saturating_sub(1);
				pkg.committed = pkg.committed.saturating_sub(1);
				pkg.revealed = pkg.revealed.saturating_sub(1);
				pkg.accepted = pkg.accepted.saturating_add(1);
				job.accepted = job.accepted.saturating_add(len);
				Self::deposit_event(Event::PackageAccepted {
					job: id,
					package: p,
					labeler: vote.who.clone(),
					agreement: mean_agreement,
				});
				if judged && Self::reward_newcomer(id, job.domain, &vote.who) {
					cost.bonuses = cost.bonuses.saturating_add(1);
				}
			} else {
				if Self::slash(id, job, p, &vote.who, vote.deposit, SlashReason::BadLabels)? {
					cost.idle_released = cost.idle_released.saturating_add(1);
				}
				Assignments::<T>::remove((id, p, &vote.who));
				if contested {
					Self::record_slash(
						id,
						p,
						&vote.who,
						SlashRecord {
							deposit: vote.deposit,
							until,
							labels: vote.labels.clone(),
							against: against.clone(),
						},
					);
				}
				pkg.takers = pkg.takers.saturating_sub(1);
				pkg.committed = pkg.committed.saturating_sub(1);
				pkg.revealed = pkg.revealed.saturating_sub(1);
				cost.slashed = cost.slashed.saturating_add(1);
			}
		}

		if pkg.accepted >= job.redundancy {
			for (i, res) in results.iter().enumerate() {
				Self::deposit_event(Event::ConsensusReached {
					job: id,
					item: first.saturating_add(i as u32),
					agreement: res.agreement,
				});
			}
			// One write for the whole package (a package holds at most `MaxPackageSize` items).
			let results = BoundedVec::try_from(results).map_err(|_| Error::<T>::WrongLabelCount)?;
			Results::<T>::insert(id, p, results);
			pkg.complete = true;
			job.completed = job.completed.saturating_add(1);
			Self::deposit_event(Event::PackageCompleted { job: id, package: p });
		} else if cost.slashed > 0 {
			// The slots of the slashed labelers are free again for other labelers.
			Self::reopen(id, job, p, frame_system::Pallet::<T>::block_number())?;
		}
		Ok(cost)
	}

	/// Bookkeeping when a labeler's open package ends: accepted (`Some(items)`) or not, with
	/// `freed` the part of its deposit that stays with the labeler (its accepted deposit; zero
	/// when slashed, released already or kept at stake). A labeler with no open package and
	/// nothing accepted leaves the job's labeler count.
	///
	/// The freed deposit stays on hold as idle stake while the labeler holds other packages of
	/// the job (its next take there uses it first); when its last open package of the job ends,
	/// the idle stake is released in one go. Returns whether a release was made.
	pub(crate) fn note_left(
		id: JobId,
		job: &mut JobOf<T>,
		who: &T::AccountId,
		accepted: Option<u32>,
		freed: BalanceOf<T>,
	) -> Result<bool, DispatchError> {
		let reason = HoldReason::PackageDeposit.into();
		let Some(mut w) = Workload::<T>::get(id, who) else {
			// Defensive: every open package has its entry (`try_state`); never keep a deposit
			// without one.
			if !freed.is_zero() {
				T::Currency::release(&reason, who, freed, Precision::BestEffort)?;
			}
			return Ok(!freed.is_zero());
		};
		w.open = w.open.saturating_sub(1);
		if let Some(items) = accepted {
			w.accepted = w.accepted.saturating_add(items);
		}
		let idle = w.idle;
		w.idle = w.idle.saturating_add(freed);
		let released = w.open == 0 && !w.idle.is_zero();
		if released {
			T::Currency::release(&reason, who, w.idle, Precision::BestEffort)?;
			// The package's own deposit is told by its `PackageAccepted`; earlier ones here.
			if !idle.is_zero() {
				Self::deposit_event(Event::IdleStakeReleased {
					job: id,
					labeler: who.clone(),
					amount: idle,
				});
			}
			w.idle = Zero::zero();
		}
		if w.open == 0 && w.accepted == 0 {
			Workload::<T>::remove(id, who);
			job.labelers = job.labelers.saturating_sub(1);
		} else {
			Workload::<T>::insert(id, who, w);
		}
		Ok(released)
	}

	/// Releases `who`'s idle stake in `id` at its request.
	pub(crate) fn do_release_idle_stake(who: T::AccountId, id: JobId) -> DispatchResult {
		let mut w = Workload::<T>::get(id, &who).ok_or(Error::<T>::NoIdleStake)?;
		ensure!(!w.idle.is_zero(), Error::<T>::NoIdleStake);
		T::Currency::release(&HoldReason::PackageDeposit.into(), &who, w.idle, Precision::Exact)?;
		Self::deposit_event(Event::IdleStakeReleased {
			job: id,
			labeler: who.clone(),
			amount: w.idle,
		});
		w.idle = Zero::zero();
		Workload::<T>::insert(id, &who, w);
		Ok(())
	}

	/// Forfeits a package deposit to the treasury. Returns whether the labeler's idle stake in
	/// the job was released (this was its last open package there).
	pub(crate) fn slash(
		id: JobId,
		job: &mut JobOf<T>,
		p: PackageIndex,
		who: &T::AccountId,
		amount: BalanceOf<T>,
		reason: SlashReason,
	) -> Result<bool, DispatchError> {
		let (credit, _) = T::Currency::slash(&HoldReason::PackageDeposit.into(), who, amount);
		T::Slash::on_unbalanced(credit);
		job.fines = job.fines.saturating_add(amount);
		let released = Self::note_left(id, job, who, None, Zero::zero())?;
		Self::deposit_event(Event::DepositSlashed {
			job: id,
			package: p,
			labeler: who.clone(),
			amount,
			reason,
		});
		Ok(released)
	}
}
