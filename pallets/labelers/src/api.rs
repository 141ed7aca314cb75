//! Read-only queries for clients, served by the runtime API `CrowdLabelApi` (and the node's
//! `crowdlabel_labeler` JSON-RPC method): the data and its shape live here, with the storage
//! they read.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use crowdlabel_consensus::{FixedU128, Perbill};
use crowdlabel_traits::LabelerRegistry;
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;

/// A labeler's standing in one domain.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct DomainStanding<BlockNumber> {
	/// The domain.
	pub domain: DomainId,
	/// Passed a qualification round (and not revoked since).
	pub qualified: bool,
	/// After a failed (or revoked) round: the block from which a new round may be requested.
	pub retry_at: Option<BlockNumber>,
	/// Reward multiplier `a` in `[0.8, 1.2]` under the domain's own `s` (payouts calibrate `s`
	/// over each job's labelers).
	pub weight: FixedU128,
	/// Voting power in consensus, `[0, 1]`, from the labeler's reliability model (0: the
	/// labeler's answers carry no information about the truth; 1: always right).
	pub voting_power: Perbill,
	/// Error `x` (RMS score error in widths of the range, or `1 - mean agreement`, plus the challenge term), if any
	/// label was scored or any challenge failed yet.
	pub error: Option<FixedU128>,
	/// Labels scored against a consensus or gold.
	pub samples: u32,
	/// Challenge items answered (missed reveals count as failed answers).
	pub challenges: u32,
	/// Of those, answered wrongly.
	pub challenges_failed: u32,
}

/// A labeler's registration and standing per declared or qualified domain.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct LabelerInfo<Balance, BlockNumber> {
	/// Registration deposit held (zero once unregistered).
	pub deposit: Balance,
	/// Declared domains.
	pub declared: Vec<DomainId>,
	/// Standing in every declared domain and every domain with a qualification record, by
	/// domain id.
	pub domains: Vec<DomainStanding<BlockNumber>>,
}

impl<T: Config> Pallet<T> {
	/// A labeler's deposit, declared domains and standing per domain; `None` for an account
	/// that never registered nor took a round. Reads at most `MaxDomains` domains plus the
	/// labeler's qualification records.
	pub fn api_labeler(who: &T::AccountId) -> Option<LabelerInfo<BalanceOf<T>, BlockNumberFor<T>>> {
		let reg = Registrations::<T>::get(who);
		let quals: Vec<(DomainId, Qualification<BlockNumberFor<T>>)> =
			Qualifications::<T>::iter_prefix(who).collect();
		if reg.is_none() && quals.is_empty() {
			return None;
		}
		let declared: Vec<DomainId> = reg.as_ref().map(|r| r.domains.to_vec()).unwrap_or_default();
		let mut domains = declared.clone();
		for (d, _) in quals.iter() {
			if !domains.contains(d) {
				domains.push(*d);
			}
		}
		domains.sort();
		let standing = domains
			.into_iter()
			.map(|domain| {
				let q = quals.iter().find(|(d, _)| *d == domain).map(|(_, q)| *q);
				let LabelerRecord { stats, model } = Reputation::<T>::get(who, domain);
				let d = Domains::<T>::get(domain);
				let error = d.as_ref().and_then(|d| stats.error(d.kind.error_metric()));
				let voting_power = d
					.as_ref()
					.and_then(|d| Self::model_in(model, &d.kind).map(|m| m.voting_power(&d.kind)))
					.unwrap_or_default();
				DomainStanding {
					domain,
					qualified: matches!(q, Some(Qualification::Qualified { .. })),
					retry_at: match q {
						Some(Qualification::Failed { retry_at }) => Some(retry_at),
						_ => None,
					},
					weight: <Self as LabelerRegistry<T::AccountId>>::weight_of(who, domain),
					voting_power,
					error,
					samples: stats.samples,
					challenges: stats.challenges,
					challenges_failed: stats.challenges_failed,
				}
			})
			.collect();
		Some(LabelerInfo {
			deposit: reg.map(|r| r.deposit).unwrap_or_default(),
			declared,
			domains: standing,
		})
	}
}
