//! Revealing a job's hidden challenge answers and grading accepted labels against them.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use crowdlabel_labels::{
	challenge_commitment, challenge_passed, grade, label_fits, truth_of, Salt,
};
use crowdlabel_traits::LabelerRegistry;
use frame_support::{ensure, pallet_prelude::*};

impl<T: Config> Pallet<T> {
	/// Returns `(answers, labelers read)` for the weight.
	pub(crate) fn do_reveal_challenges(
		id: JobId,
		answers: ChallengesOf<T>,
		salt: Salt,
	) -> Result<(u32, u32), DispatchError> {
		let mut job = JobDetails::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		let commitment = job.challenges.ok_or(Error::<T>::NoChallenges)?;
		ensure!(!job.challenges_revealed, Error::<T>::NoChallenges);
		ensure!(
			challenge_commitment(&job.requester, &answers, &salt) == commitment,
			Error::<T>::CommitmentMismatch
		);
		T::Labelers::domain(job.domain).ok_or(Error::<T>::UnknownDomain)?;
		let floor = Self::slash_floor(job.domain);
		let mut seen: Vec<u32> = Vec::with_capacity(answers.len());
		for (idx, answer) in answers.iter() {
			ensure!(*idx < job.items, Error::<T>::BadChallenge);
			ensure!(!seen.contains(idx), Error::<T>::DuplicateChallenge);
			seen.push(*idx);
			ensure!(label_fits(&job.kind, answer), Error::<T>::InvalidLabel);
			let p = idx / job.package_size;
			ensure!(Packages::<T>::get(id, p).complete, Error::<T>::BadChallenge);
		}
		let (mut checked, mut wrong) = (0u32, 0u32);
		for (idx, answer) in answers.iter() {
			let p = idx / job.package_size;
			let offset = (idx % job.package_size) as usize;
			for (who, a) in Assignments::<T>::iter_prefix((id, p)) {
				let AssignmentState::Accepted(labels) = a.state else { continue };
				let Some(label) = labels.get(offset) else { continue };
				// Scores: within a quarter of the range; boxes/classes: at least the floor.
				let correct = challenge_passed(grade(&job.kind, label, answer), floor);
				T::Labelers::record_challenge(&who, job.domain, correct);
				// The known answer teaches the reliability model with the gold weight.
				if let Some(mut model) = T::Labelers::reliability(&who, job.domain) {
					let weight = model.gold_weight();
					if model.record(label, &truth_of(answer), weight).is_ok() {
						T::Labelers::set_reliability(&who, job.domain, model);
					}
				}
				checked = checked.saturating_add(1);
				if !correct {
					wrong = wrong.saturating_add(1);
				}
			}
		}
		job.challenges_revealed = true;
		job.gold_checked = checked;
		job.gold_wrong = wrong;
		job.challenge_items = answers.len() as u32;
		JobDetails::<T>::insert(id, job);
		Self::deposit_event(Event::ChallengesRevealed { job: id, checked, wrong });
		Ok((answers.len() as u32, checked))
	}
}
