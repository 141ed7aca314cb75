//! Call generators: plausible calls from the chain's current state (mostly valid, so the happy
//! path is reached: domains, gold, qualification, jobs, commit-reveal, settlement, datasets,
//! sales, claims), and now and then an invalid one (wrong signer, wrong commitment, out of
//! window, bad parameters).
//!
//! Generators read the runtime's storage to pick ids; the only off-chain knowledge is what a
//! real participant keeps to itself: gold answers, package labels, challenge answers and the
//! salts behind their commitments ([`Secrets`]).

use crate::{
	chain::Account,
	model::{self, Secrets, L},
	rng::Rng,
};
use crowdlabel_consensus::{FixedU128, Perbill};
use crowdlabel_runtime::{
	AccountId, Balance, BlockNumber, Runtime, RuntimeCall, CROL, EXISTENTIAL_DEPOSIT,
};
use frame_support::{traits::Get, BoundedVec};
use pallet_jobs::{AssignmentState, JobId, JobStatus, PackageIndex};
use pallet_labelers::types::{
	DomainId, DomainParams, ItemHash, LabelKind, Qualification, QualificationBar, RoundPhase, Salt,
};
use sp_core::H256;
use sp_runtime::MultiAddress;

type Balances = pallet_balances::Pallet<Runtime>;

/// What to do with the events of an applied call.
pub enum Post {
	/// Nothing.
	None,
	/// A job was requested with these challenge answers (remember them under the new job id).
	JobCreated(Option<(Vec<(u32, L)>, Salt)>),
}

/// A call to submit, signed by `accounts[signer]`.
pub struct Action {
	/// Index of the signing account.
	pub signer: usize,
	/// The call.
	pub call: RuntimeCall,
	/// Follow-up on the call's events.
	pub post: Post,
}

#[derive(Clone, Copy, Debug)]
enum Kind {
	TransferAllowDeath,
	TransferKeepAlive,
	CreateDomain,
	UpdateDomain,
	AddGold,
	Register,
	DeclareDomains,
	Unregister,
	SponsorRegistration,
	EndSponsorship,
	RequestQualification,
	SubmitQualification,
	RevealGold,
	ExpireRound,
	RevokeQualification,
	CreateJob,
	CancelJob,
	TakePackage,
	CommitLabels,
	RevealLabels,
	ExpireAssignment,
	RevealChallenges,
	SettleJob,
	ClaimRewards,
	PruneJob,
	RegisterItems,
	SetConsent,
	DeregisterItem,
	PublishDataset,
	SetPrice,
	SetListing,
	PurchaseDataset,
	ClaimPayouts,
}

const ALL_KINDS: [Kind; 33] = [
	Kind::TransferAllowDeath,
	Kind::TransferKeepAlive,
	Kind::CreateDomain,
	Kind::UpdateDomain,
	Kind::AddGold,
	Kind::Register,
	Kind::DeclareDomains,
	Kind::Unregister,
	Kind::SponsorRegistration,
	Kind::EndSponsorship,
	Kind::RequestQualification,
	Kind::SubmitQualification,
	Kind::RevealGold,
	Kind::ExpireRound,
	Kind::RevokeQualification,
	Kind::CreateJob,
	Kind::CancelJob,
	Kind::TakePackage,
	Kind::CommitLabels,
	Kind::RevealLabels,
	Kind::ExpireAssignment,
	Kind::RevealChallenges,
	Kind::SettleJob,
	Kind::ClaimRewards,
	Kind::PruneJob,
	Kind::RegisterItems,
	Kind::SetConsent,
	Kind::DeregisterItem,
	Kind::PublishDataset,
	Kind::SetPrice,
	Kind::SetListing,
	Kind::PurchaseDataset,
	Kind::ClaimPayouts,
];

/// State figures the generator weights depend on.
#[derive(Clone, Copy)]
struct Counts {
	domains: u32,
	qualified_domains: usize,
	open_jobs: usize,
	labelers: u32,
}

impl Counts {
	fn read() -> Self {
		Self {
			domains: pallet_labelers::Domains::<Runtime>::count(),
			qualified_domains: pallet_labelers::Domains::<Runtime>::iter_values()
				.filter(|d| d.qualified >= 3)
				.count(),
			open_jobs: pallet_jobs::JobDetails::<Runtime>::iter_values()
				.filter(|j| j.status == JobStatus::Open)
				.count(),
			labelers: pallet_labelers::Registrations::<Runtime>::count(),
		}
	}
}

/// Index of the sudo key (Alice) in the account list.
pub const SUDO: usize = 0;

/// The generator of one call; lives for one call.
pub struct Gen<'a> {
	/// Randomness.
	pub rng: &'a mut Rng,
	/// Signing accounts.
	pub accounts: &'a [Account],
	/// Off-chain secrets.
	pub secrets: &'a mut Secrets,
	/// Current block.
	pub now: BlockNumber,
}

impl Gen<'_> {
	/// The next call: a generator picked by weight (weights depend on the state, so early
	/// blocks set up domains, gold and labelers); falls back to a transfer.
	pub fn next_action(&mut self) -> Action {
		let counts = Counts::read();
		let weights: Vec<u32> = ALL_KINDS.iter().map(|k| Self::weight(&counts, *k)).collect();
		for _ in 0..30 {
			let Some(i) = self.rng.weighted(&weights) else { break };
			if let Some(action) = self.generate(ALL_KINDS[i]) {
				return action;
			}
		}
		self.transfer(false)
	}

	fn weight(c: &Counts, kind: Kind) -> u32 {
		let Counts { domains, qualified_domains, open_jobs, labelers } = *c;
		match kind {
			Kind::TransferAllowDeath | Kind::TransferKeepAlive => 4,
			Kind::CreateDomain => match domains {
				0..=1 => 60,
				2..=3 => 2,
				_ => 0,
			},
			Kind::UpdateDomain => 1,
			Kind::AddGold => 8,
			Kind::Register => {
				if labelers < 16 {
					20
				} else {
					3
				}
			},
			Kind::DeclareDomains => 2,
			Kind::Unregister => 1,
			Kind::SponsorRegistration => 2,
			Kind::EndSponsorship => 1,
			Kind::RequestQualification => 15,
			Kind::SubmitQualification => 20,
			Kind::RevealGold => 20,
			Kind::ExpireRound => 4,
			Kind::RevokeQualification => 1,
			Kind::CreateJob => {
				if qualified_domains == 0 {
					2
				} else if open_jobs < 6 {
					12
				} else {
					2
				}
			},
			Kind::CancelJob => 2,
			Kind::TakePackage => 35,
			Kind::CommitLabels => 40,
			Kind::RevealLabels => 40,
			Kind::ExpireAssignment => 8,
			Kind::RevealChallenges => 8,
			Kind::SettleJob => 10,
			Kind::ClaimRewards => 6,
			Kind::PruneJob => 3,
			Kind::RegisterItems => 10,
			Kind::SetConsent => 3,
			Kind::DeregisterItem => 1,
			Kind::PublishDataset => 10,
			Kind::SetPrice => 2,
			Kind::SetListing => 2,
			Kind::PurchaseDataset => 8,
			Kind::ClaimPayouts => 5,
		}
	}

	fn generate(&mut self, kind: Kind) -> Option<Action> {
		match kind {
			Kind::TransferAllowDeath => Some(self.transfer(false)),
			Kind::TransferKeepAlive => Some(self.transfer(true)),
			Kind::CreateDomain => self.create_domain(),
			Kind::UpdateDomain => self.update_domain(),
			Kind::AddGold => self.add_gold(),
			Kind::Register => self.register(),
			Kind::DeclareDomains => self.declare_domains(),
			Kind::Unregister => self.unregister(),
			Kind::SponsorRegistration => self.sponsor_registration(),
			Kind::EndSponsorship => self.end_sponsorship(),
			Kind::RequestQualification => self.request_qualification(),
			Kind::SubmitQualification => self.submit_qualification(),
			Kind::RevealGold => self.reveal_gold(),
			Kind::ExpireRound => self.expire_round(),
			Kind::RevokeQualification => self.revoke_qualification(),
			Kind::CreateJob => self.create_job(),
			Kind::CancelJob => self.cancel_job(),
			Kind::TakePackage => self.take_package(),
			Kind::CommitLabels => self.commit_labels(),
			Kind::RevealLabels => self.reveal_labels(),
			Kind::ExpireAssignment => self.expire_assignment(),
			Kind::RevealChallenges => self.reveal_challenges(),
			Kind::SettleJob => self.settle_job(),
			Kind::ClaimRewards => self.claim_rewards(),
			Kind::PruneJob => self.prune_job(),
			Kind::RegisterItems => self.register_items(),
			Kind::SetConsent => self.set_consent(),
			Kind::DeregisterItem => self.deregister_item(),
			Kind::PublishDataset => self.publish_dataset(),
			Kind::SetPrice => self.set_price(),
			Kind::SetListing => self.set_listing(),
			Kind::PurchaseDataset => self.purchase_dataset(),
			Kind::ClaimPayouts => self.claim_payouts(),
		}
	}

	// ---------------------------------------------------------------- helpers

	fn index_of(&self, who: &AccountId) -> Option<usize> {
		self.accounts.iter().position(|a| &a.id == who)
	}

	fn any_signer(&mut self) -> usize {
		self.rng.below(self.accounts.len() as u64) as usize
	}

	/// `who` most of the time (`percent`), otherwise anyone.
	fn mostly(&mut self, who: &AccountId, percent: u64) -> usize {
		match self.index_of(who) {
			Some(i) if self.rng.chance(percent) => i,
			_ => self.any_signer(),
		}
	}

	/// One of `owed` (if we sign for it) 92% of the time, anyone otherwise.
	fn owed_signer(&mut self, owed: &[AccountId]) -> Option<usize> {
		if self.rng.chance(92) {
			let ours: Vec<usize> = owed.iter().filter_map(|w| self.index_of(w)).collect();
			return self.rng.pick(&ours).copied();
		}
		Some(self.any_signer())
	}

	fn action(signer: usize, call: RuntimeCall) -> Option<Action> {
		Some(Action { signer, call, post: Post::None })
	}

	/// A curator call: through `sudo` by the sudo key, now and then by someone else or without
	/// `sudo`.
	fn curator(&mut self, call: RuntimeCall) -> Option<Action> {
		let roll = self.rng.below(100);
		if roll < 95 {
			Self::action(SUDO, RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(call) }))
		} else if roll < 97 {
			let signer = self.rng.range(1, self.accounts.len() as u64 - 1) as usize;
			Self::action(
				signer,
				RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(call) }),
			)
		} else {
			let signer = self.any_signer();
			Self::action(signer, call)
		}
	}

	fn salt(&mut self) -> Salt {
		self.rng.bytes32()
	}

	fn skill_of(&self, who: &AccountId) -> u64 {
		self.index_of(who).map(|i| self.accounts[i].skill).unwrap_or(50)
	}

	fn domain_ids(&self) -> Vec<DomainId> {
		pallet_labelers::Domains::<Runtime>::iter_keys().collect()
	}

	fn random_domain(&mut self) -> Option<DomainId> {
		let ids = self.domain_ids();
		self.rng.pick(&ids).copied()
	}

	fn kind_of(domain: DomainId) -> Option<LabelKind> {
		pallet_labelers::Domains::<Runtime>::get(domain).map(|d| d.kind)
	}

	fn random_domains(
		&mut self,
	) -> BoundedVec<DomainId, <Runtime as pallet_labelers::Config>::MaxDomains> {
		let mut ids = self.domain_ids();
		let mut out = Vec::new();
		let n = self.rng.range(1, 3.min(ids.len() as u64).max(1));
		for _ in 0..n {
			if ids.is_empty() {
				break;
			}
			let i = self.rng.below(ids.len() as u64) as usize;
			out.push(ids.swap_remove(i));
		}
		if self.rng.chance(4) {
			out.push(pallet_labelers::NextDomainId::<Runtime>::get() + 3);
		}
		if self.rng.chance(3) {
			if let Some(d) = out.first().copied() {
				out.push(d);
			}
		}
		BoundedVec::truncate_from(out)
	}

	/// A random element among those marked `true` (plausible) `percent` of the time, otherwise
	/// among all; `None` (another kind of call is drawn) if no element is plausible, except
	/// `100 - percent` of the time.
	fn prefer<T: Clone>(&mut self, items: &[(T, bool)], percent: u64) -> Option<T> {
		let good: Vec<&T> = items.iter().filter(|(_, ok)| *ok).map(|(x, _)| x).collect();
		if self.rng.chance(percent) {
			return self.rng.pick(&good).map(|x| (*x).clone());
		}
		self.rng.pick(items).map(|(x, _)| x.clone())
	}

	fn random_job(
		&mut self,
		filter: impl Fn(JobId, &pallet_jobs::JobOf<Runtime>) -> bool,
	) -> Option<(JobId, pallet_jobs::JobOf<Runtime>)> {
		let jobs: Vec<_> = pallet_jobs::JobDetails::<Runtime>::iter()
			.filter(|(id, j)| filter(*id, j))
			.collect();
		self.rng.pick(&jobs).cloned()
	}

	fn unknown_job(&mut self) -> JobId {
		pallet_jobs::NextJobId::<Runtime>::get() + self.rng.below(3) as u32
	}

	/// Items of package `p` of a job.
	fn package_items(
		job: JobId,
		j: &pallet_jobs::JobOf<Runtime>,
		p: PackageIndex,
	) -> Vec<ItemHash> {
		let items = pallet_jobs::JobItems::<Runtime>::get(job);
		let first = (p * j.package_size) as usize;
		let len = (j.package_size as usize).min(items.len().saturating_sub(first));
		items.iter().skip(first).take(len).copied().collect()
	}

	// ---------------------------------------------------------------- balances

	fn transfer(&mut self, keep_alive: bool) -> Action {
		let signer = self.any_signer();
		let dest: AccountId = match self.rng.below(100) {
			0..=84 => {
				let i = self.any_signer();
				self.accounts[i].id.clone()
			},
			85..=94 => AccountId::new(self.rng.bytes32()),
			_ => crowdlabel_runtime::configs::TreasuryAccount::get(),
		};
		let free = Balances::free_balance(&self.accounts[signer].id);
		let value: Balance = match self.rng.below(10) {
			0..=3 => self.rng.range128(EXISTENTIAL_DEPOSIT, 10 * CROL),
			4 => self.rng.range128(1, EXISTENTIAL_DEPOSIT - 1),
			5 | 6 => free / 100 * self.rng.range128(50, 100),
			7 => free,
			8 => free.saturating_sub(EXISTENTIAL_DEPOSIT / 2),
			_ => self.rng.range128(CROL, 1000 * CROL),
		};
		let dest = MultiAddress::Id(dest);
		let call = if keep_alive {
			pallet_balances::Call::transfer_keep_alive { dest, value }
		} else {
			pallet_balances::Call::transfer_allow_death { dest, value }
		};
		Action { signer, call: RuntimeCall::Balances(call), post: Post::None }
	}

	// ---------------------------------------------------------------- labelers

	fn domain_params(&mut self, kind: &LabelKind) -> DomainParams<BlockNumber> {
		let bar = match kind {
			// 1-5 stars: 0.2 to 0.5 stars; wider ranges: 3 to 6 % of the range.
			LabelKind::Score { min, max } if max.saturating_sub(*min) <= 4 => {
				QualificationBar::MaxMeanScoreError(Perbill::from_rational(
					self.rng.range(2, 5) as u32,
					40,
				))
			},
			LabelKind::Score { .. } => {
				QualificationBar::MaxMeanScoreError(Perbill::from_percent(self.rng.range32(3, 6)))
			},
			_ => {
				QualificationBar::MinMeanAgreement(Perbill::from_percent(self.rng.range32(75, 92)))
			},
		};
		let mut params = DomainParams {
			bar,
			round_size: self.rng.range32(10, 12),
			cooldown: self.rng.range32(3, 20),
			answer_window: self.rng.range32(3, 10),
			reveal_window: self.rng.range32(3, 10),
			sigma: FixedU128::from_rational(self.rng.range(1, 5) as u128, 10),
		};
		match self.rng.below(100) {
			0..=2 => {
				// A bar of the other kind.
				params.bar = match params.bar {
					QualificationBar::MinMeanAgreement(_) => {
						QualificationBar::MaxMeanScoreError(Perbill::from_percent(12))
					},
					QualificationBar::MaxMeanScoreError(_) => {
						QualificationBar::MinMeanAgreement(Perbill::from_percent(80))
					},
				}
			},
			3..=4 => params.round_size = if self.rng.chance(50) { 0 } else { 25 },
			5 => params.answer_window = 0,
			6 => params.sigma = FixedU128::from_u32(0),
			7..=9 => {
				// An easily guessed bar: small rounds, low pass mark.
				params.round_size = self.rng.range32(1, 4);
				if let QualificationBar::MinMeanAgreement(_) = params.bar {
					params.bar = QualificationBar::MinMeanAgreement(Perbill::from_percent(50));
				}
			},
			_ => {},
		}
		params
	}

	fn create_domain(&mut self) -> Option<Action> {
		let kind = match self.rng.below(12) {
			0..=4 => LabelKind::SingleClass { classes: self.rng.range(3, 6) as u16 },
			5..=7 => LabelKind::BoundingBoxes { classes: self.rng.range(1, 3) as u16 },
			8 => LabelKind::STARS,
			9 => LabelKind::Score { min: 0, max: 100 },
			// A Likert 1-7 scale, or a range without width (refused).
			10 => {
				let min = self.rng.range(0, 1) as u16;
				LabelKind::Score { min, max: if self.rng.chance(80) { min + 6 } else { min } }
			},
			_ => LabelKind::SingleClass { classes: self.rng.below(3) as u16 },
		};
		let params = self.domain_params(&kind);
		let n = pallet_labelers::NextDomainId::<Runtime>::get();
		let name = if self.rng.chance(2) { Vec::new() } else { format!("domain-{n}").into_bytes() };
		let call = pallet_labelers::Call::create_domain {
			name: BoundedVec::truncate_from(name),
			kind,
			params,
		};
		self.curator(RuntimeCall::Labelers(call))
	}

	fn update_domain(&mut self) -> Option<Action> {
		let domain = self.random_domain()?;
		let kind = Self::kind_of(domain)?;
		let params = self.domain_params(&kind);
		self.curator(RuntimeCall::Labelers(pallet_labelers::Call::update_domain { domain, params }))
	}

	fn add_gold(&mut self) -> Option<Action> {
		let domains: Vec<(DomainId, u32)> = pallet_labelers::Domains::<Runtime>::iter()
			.map(|(id, d)| (id, d.params.round_size))
			.collect();
		let low: Vec<DomainId> = domains
			.iter()
			.filter(|(id, k)| (pallet_labelers::GoldStock::<Runtime>::get(id).len() as u32) < 3 * k)
			.map(|(id, _)| *id)
			.collect();
		let domain = if !low.is_empty() && self.rng.chance(90) {
			*self.rng.pick(&low)?
		} else {
			self.rng.pick(&domains)?.0
		};
		let kind = Self::kind_of(domain).unwrap_or(LabelKind::STARS);
		let n = if self.rng.chance(3) { 0 } else { self.rng.range(10, 40) };
		let mut items = Vec::new();
		for _ in 0..n {
			let item = H256(self.rng.bytes32());
			let answer = model::truth(&kind, &item);
			let salt = self.salt();
			// Now and then a gold item whose commitment the curator cannot open (the round that
			// gets it can only expire).
			let commitment = if self.rng.chance_per_mille(3) {
				H256(self.rng.bytes32())
			} else {
				self.secrets.gold.insert(item, (answer.clone(), salt));
				crowdlabel_labels::gold_commitment(&answer, &salt)
			};
			items.push((item, commitment));
		}
		let call =
			pallet_labelers::Call::add_gold { domain, items: BoundedVec::truncate_from(items) };
		self.curator(RuntimeCall::Labelers(call))
	}

	/// An unregistered account 85 % of the time, anyone otherwise.
	fn mostly_unregistered(&mut self) -> Option<usize> {
		let unregistered: Vec<usize> = (0..self.accounts.len())
			.filter(|i| {
				!pallet_labelers::Registrations::<Runtime>::contains_key(&self.accounts[*i].id)
			})
			.collect();
		Some(if self.rng.chance(85) { *self.rng.pick(&unregistered)? } else { self.any_signer() })
	}

	fn register(&mut self) -> Option<Action> {
		let signer = self.mostly_unregistered()?;
		let domains = self.random_domains();
		Self::action(signer, RuntimeCall::Labelers(pallet_labelers::Call::register { domains }))
	}

	fn registered_signer(&mut self) -> Option<usize> {
		let registered: Vec<AccountId> =
			pallet_labelers::Registrations::<Runtime>::iter_keys().collect();
		let who = self.rng.pick(&registered)?.clone();
		Some(self.mostly(&who, 92))
	}

	fn declare_domains(&mut self) -> Option<Action> {
		let signer = self.registered_signer()?;
		let domains = self.random_domains();
		Self::action(
			signer,
			RuntimeCall::Labelers(pallet_labelers::Call::declare_domains { domains }),
		)
	}

	fn unregister(&mut self) -> Option<Action> {
		let signer = self.registered_signer()?;
		Self::action(signer, RuntimeCall::Labelers(pallet_labelers::Call::unregister {}))
	}

	/// Anyone sponsors a (mostly unregistered) account; now and then itself or a registered one.
	fn sponsor_registration(&mut self) -> Option<Action> {
		let newcomer = self.mostly_unregistered()?;
		let sponsor = self.any_signer();
		let labeler = self.accounts[newcomer].id.clone();
		let domains = self.random_domains();
		Self::action(
			sponsor,
			RuntimeCall::Labelers(pallet_labelers::Call::sponsor_registration { labeler, domains }),
		)
	}

	/// Mostly the sponsor of a sponsored labeler ends it; now and then anyone.
	fn end_sponsorship(&mut self) -> Option<Action> {
		let sponsored: Vec<(AccountId, AccountId)> =
			pallet_labelers::Sponsors::<Runtime>::iter().collect();
		let (labeler, sponsor) = self.rng.pick(&sponsored)?.clone();
		let signer = self.mostly(&sponsor, 90);
		Self::action(
			signer,
			RuntimeCall::Labelers(pallet_labelers::Call::end_sponsorship { labeler }),
		)
	}

	fn request_qualification(&mut self) -> Option<Action> {
		let now = self.now;
		let mut candidates: Vec<(AccountId, DomainId)> = Vec::new();
		for (who, l) in pallet_labelers::Registrations::<Runtime>::iter() {
			for d in l.domains.iter() {
				let open = pallet_labelers::OpenRound::<Runtime>::contains_key(&who, d);
				let ready = match pallet_labelers::Qualifications::<Runtime>::get(&who, d) {
					None => true,
					Some(Qualification::Failed { retry_at }) => retry_at <= now,
					Some(_) => false,
				};
				if !open && ready {
					candidates.push((who.clone(), *d));
				}
			}
		}
		let (signer, domain) = if !candidates.is_empty() && self.rng.chance(90) {
			let (who, d) = self.rng.pick(&candidates)?.clone();
			(self.mostly(&who, 97), d)
		} else {
			let d = self.random_domain()?;
			(self.any_signer(), d)
		};
		Self::action(
			signer,
			RuntimeCall::Labelers(pallet_labelers::Call::request_qualification { domain }),
		)
	}

	fn submit_qualification(&mut self) -> Option<Action> {
		let now = self.now;
		let rounds: Vec<_> = pallet_labelers::Rounds::<Runtime>::iter()
			.map(|(id, r)| {
				let open = r.phase == RoundPhase::Answering && now <= r.answer_deadline;
				((id, r), open)
			})
			.collect();
		let (round, r) = self.prefer(&rounds, 97)?;
		let kind = Self::kind_of(r.domain)?;
		let skill = self.skill_of(&r.labeler);
		let mut answers: Vec<L> = r
			.gold
			.iter()
			.map(|g| {
				let item =
					pallet_labelers::Gold::<Runtime>::get(g).map(|g| g.item).unwrap_or_default();
				model::noisy_label(self.rng, &kind, &item, skill)
			})
			.collect();
		match self.rng.below(100) {
			0..=2 => {
				answers.pop();
			},
			3..=4 => {
				if let Some(a) = answers.first_mut() {
					*a = model::invalid_label(self.rng, &kind);
				}
			},
			_ => {},
		}
		let signer = self.mostly(&r.labeler, 95);
		let call = pallet_labelers::Call::submit_qualification {
			round,
			answers: BoundedVec::truncate_from(answers),
		};
		Self::action(signer, RuntimeCall::Labelers(call))
	}

	fn reveal_gold(&mut self) -> Option<Action> {
		let now = self.now;
		let rounds: Vec<_> = pallet_labelers::Rounds::<Runtime>::iter()
			.map(|(id, r)| {
				let ready = r.phase == RoundPhase::Answered || now > r.answer_deadline;
				let openable = r.gold.iter().all(|g| {
					pallet_labelers::Gold::<Runtime>::get(g)
						.is_some_and(|g| self.secrets.gold.contains_key(&g.item))
				});
				((id, r), ready && openable)
			})
			.collect();
		let (round, r) = self.prefer(&rounds, 95)?;
		let mut reveals: Vec<(L, Salt)> = r
			.gold
			.iter()
			.map(|g| {
				let item =
					pallet_labelers::Gold::<Runtime>::get(g).map(|g| g.item).unwrap_or_default();
				self.secrets
					.gold
					.get(&item)
					.cloned()
					.unwrap_or((crowdlabel_labels::Label::Score(3), [0u8; 32]))
			})
			.collect();
		match self.rng.below(100) {
			0..=2 => {
				if let Some(x) = reveals.first_mut() {
					x.1[0] ^= 1;
				}
			},
			3..=4 => {
				reveals.pop();
			},
			_ => {},
		}
		let call = pallet_labelers::Call::reveal_gold {
			round,
			reveals: BoundedVec::truncate_from(reveals),
		};
		self.curator(RuntimeCall::Labelers(call))
	}

	fn expire_round(&mut self) -> Option<Action> {
		let now = self.now;
		let rounds: Vec<_> = pallet_labelers::Rounds::<Runtime>::iter()
			.filter(|(_, r)| now > r.reveal_deadline || self.rng.chance(15))
			.map(|(id, _)| id)
			.collect();
		let round = *self.rng.pick(&rounds)?;
		let signer = self.any_signer();
		Self::action(signer, RuntimeCall::Labelers(pallet_labelers::Call::expire_round { round }))
	}

	fn revoke_qualification(&mut self) -> Option<Action> {
		let qualified: Vec<(AccountId, DomainId)> =
			pallet_labelers::Qualifications::<Runtime>::iter()
				.filter(|(_, _, q)| matches!(q, Qualification::Qualified { .. }))
				.map(|(who, d, _)| (who, d))
				.collect();
		let (labeler, domain) = match self.rng.pick(&qualified).cloned() {
			Some(x) if self.rng.chance(85) => x,
			_ => {
				let i = self.any_signer();
				(self.accounts[i].id.clone(), self.random_domain()?)
			},
		};
		let call = pallet_labelers::Call::revoke_qualification { labeler, domain };
		self.curator(RuntimeCall::Labelers(call))
	}

	// ---------------------------------------------------------------- jobs

	fn create_job(&mut self) -> Option<Action> {
		let domains: Vec<(DomainId, u32, LabelKind)> = pallet_labelers::Domains::<Runtime>::iter()
			.map(|(id, d)| (id, d.qualified, d.kind))
			.collect();
		let staffed: Vec<_> = domains.iter().filter(|d| d.1 >= 3).cloned().collect();
		let (domain, qualified, kind) = if !staffed.is_empty() && self.rng.chance(92) {
			*self.rng.pick(&staffed)?
		} else {
			*self.rng.pick(&domains)?
		};
		let rich: Vec<usize> = (0..self.accounts.len())
			.filter(|i| Balances::free_balance(&self.accounts[*i].id) > 1_000 * CROL)
			.collect();
		let signer = if self.rng.chance(90) { *self.rng.pick(&rich)? } else { self.any_signer() };
		let requester = self.accounts[signer].id.clone();

		let max_r: u32 = <Runtime as pallet_jobs::Config>::MaxRedundancy::get();
		let min_r: u32 = <Runtime as pallet_jobs::Config>::MinRedundancy::get();
		let redundancy = match self.rng.below(100) {
			0..=2 => min_r.saturating_sub(1),
			3 => max_r + 1,
			_ => self.rng.range32(min_r, qualified.clamp(min_r, max_r.min(5))),
		};
		let n = self.rng.range(1, 10) as u32;
		let mut items: Vec<ItemHash> = Vec::new();
		for _ in 0..n {
			let item = if self.rng.chance(8) {
				H256(self.rng.bytes32())
			} else {
				model::pool_item(self.rng.below(model::ITEM_POOL as u64) as u32)
			};
			items.push(item);
		}
		if self.rng.chance(2) {
			items.clear();
		}
		let package_size = if self.rng.chance(2) { 0 } else { self.rng.range32(1, 4) };
		let labelings = (n * redundancy).max(1) as u128;
		let per_labeling: Balance = if self.rng.chance(4) {
			EXISTENTIAL_DEPOSIT / 3
		} else {
			self.rng.range128(2 * EXISTENTIAL_DEPOSIT, 2 * CROL)
		};
		// Budget so that the smallest package is still worth a few labelings after the reserve.
		let budget = per_labeling * labelings * (package_size.max(1) as u128) * 10 / 9;
		let max_duration = <Runtime as pallet_jobs::Config>::MaxJobDuration::get();
		let max_window = <Runtime as pallet_jobs::Config>::MaxWindow::get();
		let mut commit_window = self.rng.range32(2, 8).min(max_window);
		let mut reveal_window = self.rng.range32(2, 8).min(max_window);
		let mut duration =
			self.rng.range32(commit_window + reveal_window + 4, 80).min(max_duration);
		match self.rng.below(100) {
			0..=1 => duration = max_duration + 1,
			2..=3 => commit_window = duration,
			4 => reveal_window = 0,
			5 => commit_window = max_window + 1,
			_ => {},
		}
		// Now and then a declared workload: mostly affordable, sometimes too dear or 0 minutes.
		let workload = self.rng.chance(4).then(|| pallet_jobs::DeclaredWorkload {
			minutes_per_item: self.rng.range32(0, 3),
			price_per_minute: if self.rng.chance(3) { budget } else { per_labeling / 4 },
		});
		let challenges = if self.rng.chance(30) && !items.is_empty() {
			let k = self.rng.range(1, 2.min(items.len() as u64));
			let mut answers: Vec<(u32, L)> = Vec::new();
			for _ in 0..k {
				let i = self.rng.below(items.len() as u64) as u32;
				if answers.iter().all(|(j, _)| *j != i) || self.rng.chance(5) {
					answers.push((i, model::truth(&kind, &items[i as usize])));
				}
			}
			let salt = self.salt();
			Some((answers, salt))
		} else {
			None
		};
		let commitment = challenges.as_ref().map(|(answers, salt)| {
			if self.rng.chance(3) {
				// The pre-issue format, without the requester.
				crowdlabel_labels::commitment_of(answers, salt)
			} else {
				crowdlabel_labels::challenge_commitment(&requester, answers, salt)
			}
		});
		let spec = pallet_jobs::JobSpec {
			domain,
			items: BoundedVec::truncate_from(items),
			redundancy,
			package_size,
			budget,
			duration,
			commit_window,
			reveal_window,
			challenges: commitment,
			workload,
		};
		let call = pallet_jobs::Call::create_job { spec };
		Some(Action { signer, call: RuntimeCall::Jobs(call), post: Post::JobCreated(challenges) })
	}

	fn cancel_job(&mut self) -> Option<Action> {
		let (job, j) = self.random_job(|_, j| j.status == JobStatus::Open)?;
		let signer = self.mostly(&j.requester, 85);
		Self::action(signer, RuntimeCall::Jobs(pallet_jobs::Call::cancel_job { job }))
	}

	fn take_package(&mut self) -> Option<Action> {
		// One in ten: an idle stake is released, most of the time by a labeler that has one in
		// the job; otherwise (another signer, or no idle stake anywhere: any job, any signer) the
		// call is refused.
		if self.rng.chance(10) {
			let idle: Vec<(JobId, AccountId)> = pallet_jobs::Workload::<Runtime>::iter()
				.filter(|(_, _, w)| w.idle > 0)
				.map(|(job, who, _)| (job, who))
				.collect();
			let (job, signer) = match self.rng.pick(&idle).cloned() {
				Some((job, who)) => (job, self.mostly(&who, 90)),
				None => {
					let jobs = pallet_jobs::NextJobId::<Runtime>::get().max(1);
					(self.rng.below(jobs.into()) as JobId, self.any_signer())
				},
			};
			return Self::action(
				signer,
				RuntimeCall::Jobs(pallet_jobs::Call::release_idle_stake { job }),
			);
		}
		let now = self.now;
		let jobs: Vec<_> = pallet_jobs::JobDetails::<Runtime>::iter()
			.map(|(id, j)| {
				let open = j.status == JobStatus::Open
					&& now + j.commit_window + j.reveal_window <= j.deadline
					&& !pallet_jobs::OpenPackages::<Runtime>::get(id).is_empty();
				((id, j), open)
			})
			.collect();
		let (job, j) = self.prefer(&jobs, 95)?;
		let qualified: Vec<AccountId> = pallet_labelers::Qualifications::<Runtime>::iter()
			.filter(|(_, d, q)| *d == j.domain && matches!(q, Qualification::Qualified { .. }))
			.map(|(who, _, _)| who)
			.collect();
		let signer = if self.rng.chance(92) {
			let who = self.rng.pick(&qualified)?.clone();
			self.mostly(&who, 100)
		} else {
			self.any_signer()
		};
		// A third of the takes ask for several packages at once (0 and 5 are refused: nothing
		// asked, more than `MaxOpenPerLabeler`).
		let call = if self.rng.chance(33) {
			pallet_jobs::Call::take_packages { job, count: self.rng.range32(0, 5) }
		} else {
			pallet_jobs::Call::take_package { job }
		};
		Self::action(signer, RuntimeCall::Jobs(call))
	}

	fn commit_labels(&mut self) -> Option<Action> {
		let now = self.now;
		let taken: Vec<_> = pallet_jobs::Assignments::<Runtime>::iter()
			.filter(|(_, a)| matches!(a.state, AssignmentState::Taken))
			.map(|(k, a)| (k, a.deadline.is_some_and(|d| now <= d)))
			.collect();
		let (job, package, who) = self.prefer(&taken, 97)?;
		let j = pallet_jobs::JobDetails::<Runtime>::get(job)?;
		let skill = self.skill_of(&who);
		let mut labels: Vec<L> = Self::package_items(job, &j, package)
			.iter()
			.map(|item| model::noisy_label(self.rng, &j.kind, item, skill))
			.collect();
		if self.rng.chance(2) {
			if let Some(l) = labels.first_mut() {
				*l = model::invalid_label(self.rng, &j.kind);
			}
		}
		let salt = self.salt();
		let commitment = match self.rng.below(100) {
			0..=3 => {
				// Copy a co-labeler's commitment (rejected as a duplicate).
				let others: Vec<H256> =
					pallet_jobs::Assignments::<Runtime>::iter_prefix_values((job, package))
						.filter_map(|a| match a.state {
							AssignmentState::Committed(c) => Some(c),
							_ => None,
						})
						.collect();
				match self.rng.pick(&others) {
					Some(c) => *c,
					None => crowdlabel_labels::label_commitment(&who, job, package, &labels, &salt),
				}
			},
			// The pre-issue format, not bound to the labeler.
			4..=5 => crowdlabel_labels::commitment_of(&labels, &salt),
			_ => crowdlabel_labels::label_commitment(&who, job, package, &labels, &salt),
		};
		self.secrets.labels.insert((job, package, who.clone()), (labels, salt));
		let signer = self.mostly(&who, 95);
		Self::action(
			signer,
			RuntimeCall::Jobs(pallet_jobs::Call::commit_labels { job, package, commitment }),
		)
	}

	fn reveal_labels(&mut self) -> Option<Action> {
		let now = self.now;
		let committed: Vec<_> = pallet_jobs::Assignments::<Runtime>::iter()
			.filter(|(_, a)| matches!(a.state, AssignmentState::Committed(_)))
			.map(|((job, p, who), a)| {
				let due = a.due(&pallet_jobs::Packages::<Runtime>::get(job, p));
				((job, p, who), due.is_some_and(|d| now <= d))
			})
			.collect();
		let (job, package, who) = self.prefer(&committed, 97)?;
		let (mut labels, mut salt) = match self.secrets.labels.get(&(job, package, who.clone())) {
			Some(s) => s.clone(),
			None => (Vec::new(), [0u8; 32]),
		};
		match self.rng.below(100) {
			0..=2 => salt[0] ^= 1,
			3 => {
				labels.pop();
			},
			_ => {},
		}
		let signer = self.mostly(&who, 96);
		// The job's redundancy as the witness, now and then one too low (refused).
		let r = pallet_jobs::JobDetails::<Runtime>::get(job).map_or(0, |j| j.redundancy);
		let redundancy = if self.rng.below(100) < 2 { r.saturating_sub(1) } else { r };
		let call = pallet_jobs::Call::reveal_labels {
			job,
			package,
			labels: BoundedVec::truncate_from(labels),
			salt,
			redundancy,
		};
		Self::action(signer, RuntimeCall::Jobs(call))
	}

	fn expire_assignment(&mut self) -> Option<Action> {
		let now = self.now;
		let all: Vec<_> = pallet_jobs::Assignments::<Runtime>::iter()
			.filter(|(_, a)| !matches!(a.state, AssignmentState::Accepted(_)))
			.map(|((job, p, who), a)| {
				let due = a.due(&pallet_jobs::Packages::<Runtime>::get(job, p));
				(job, p, who, due)
			})
			.collect();
		let overdue: Vec<_> = all
			.iter()
			.filter(|(job, _, _, deadline)| {
				deadline.is_some_and(|d| d < now)
					|| pallet_jobs::JobDetails::<Runtime>::get(job)
						.is_some_and(|j| j.status != JobStatus::Open || j.deadline < now)
			})
			.cloned()
			.collect();
		let (job, package, labeler, _) = if !overdue.is_empty() && self.rng.chance(85) {
			self.rng.pick(&overdue)?.clone()
		} else {
			self.rng.pick(&all)?.clone()
		};
		let signer = self.any_signer();
		let call = pallet_jobs::Call::expire_assignment { job, package, labeler };
		Self::action(signer, RuntimeCall::Jobs(call))
	}

	fn reveal_challenges(&mut self) -> Option<Action> {
		let (job, j) = self.random_job(|_, j| j.challenges.is_some() && !j.challenges_revealed)?;
		let (mut answers, mut salt) = self.secrets.challenges.get(&job).cloned()?;
		let ready = answers.iter().all(|(i, _)| {
			let p = i / j.package_size.max(1);
			pallet_jobs::Packages::<Runtime>::get(job, p).complete
		});
		if !ready && self.rng.chance(90) {
			return None;
		}
		match self.rng.below(100) {
			0..=2 => salt[0] ^= 1,
			3..=4 => {
				if let Some(a) = answers.first().cloned() {
					answers.push(a);
				}
			},
			_ => {},
		}
		let call = pallet_jobs::Call::reveal_challenges {
			job,
			answers: BoundedVec::truncate_from(answers),
			salt,
		};
		self.curator(RuntimeCall::Jobs(call))
	}

	fn settle_job(&mut self) -> Option<Action> {
		let now = self.now;
		let jobs: Vec<_> = pallet_jobs::JobDetails::<Runtime>::iter()
			.filter(|(_, j)| j.status != JobStatus::Settled)
			.map(|(id, j)| {
				let over = j.completed == j.packages
					|| j.deadline < now
					|| j.status == JobStatus::Cancelled;
				let idle = pallet_jobs::Assignments::<Runtime>::iter_prefix_values((id,))
					.all(|a| matches!(a.state, AssignmentState::Accepted(_)));
				(id, over && idle)
			})
			.collect();
		let job = if self.rng.chance(3) { self.unknown_job() } else { self.prefer(&jobs, 90)? };
		let signer = self.any_signer();
		Self::action(signer, RuntimeCall::Jobs(pallet_jobs::Call::settle_job { job }))
	}

	fn claim_rewards(&mut self) -> Option<Action> {
		let owed: Vec<AccountId> = pallet_jobs::UnclaimedRewards::<Runtime>::iter_keys().collect();
		let signer = self.owed_signer(&owed)?;
		Self::action(signer, RuntimeCall::Jobs(pallet_jobs::Call::claim_rewards {}))
	}

	fn prune_job(&mut self) -> Option<Action> {
		let now = self.now;
		let retention: BlockNumber = <Runtime as pallet_jobs::Config>::RetentionPeriod::get();
		let jobs: Vec<_> = pallet_jobs::JobDetails::<Runtime>::iter()
			.filter(|(_, j)| j.status == JobStatus::Settled)
			.map(|(id, j)| {
				let due = !j.retained && j.settled_at.is_some_and(|s| s + retention < now);
				(id, due)
			})
			.collect();
		let job = if self.rng.chance(3) { self.unknown_job() } else { self.prefer(&jobs, 90)? };
		let signer = self.any_signer();
		Self::action(signer, RuntimeCall::Jobs(pallet_jobs::Call::prune_job { job }))
	}

	// ---------------------------------------------------------------- datasets

	fn register_items(&mut self) -> Option<Action> {
		let domain = self.random_domain()?;
		let mut free: Vec<ItemHash> = (0..model::ITEM_POOL)
			.map(model::pool_item)
			.filter(|h| !pallet_datasets::DataItems::<Runtime>::contains_key(h))
			.collect();
		let registered: Vec<ItemHash> =
			pallet_datasets::DataItems::<Runtime>::iter_keys().collect();
		let n = self.rng.range(1, 6);
		let mut cids = Vec::new();
		for _ in 0..n {
			if free.is_empty() {
				break;
			}
			let i = self.rng.below(free.len() as u64) as usize;
			cids.push(model::cid_of(&free.swap_remove(i)));
		}
		match self.rng.below(100) {
			0..=3 => {
				if let Some(c) = cids.first_mut() {
					c[1] = 0x70;
				}
			},
			4..=6 => {
				if let Some(c) = cids.first().copied() {
					cids.push(c);
				}
			},
			7..=9 => {
				if let Some(h) = self.rng.pick(&registered) {
					cids.push(model::cid_of(h));
				}
			},
			_ => {},
		}
		if cids.is_empty() {
			return None;
		}
		let signer = self.any_signer();
		let call = pallet_datasets::Call::register_items {
			domain,
			licence: BoundedVec::truncate_from(b"CC-BY-4.0".to_vec()),
			opt_in: self.rng.chance(90),
			cids: BoundedVec::truncate_from(cids),
		};
		Self::action(signer, RuntimeCall::Datasets(call))
	}

	fn registered_item(&mut self) -> Option<(ItemHash, AccountId)> {
		let items: Vec<(ItemHash, AccountId)> = pallet_datasets::DataItems::<Runtime>::iter()
			.map(|(h, d)| (h, d.owner))
			.collect();
		self.rng.pick(&items).cloned()
	}

	fn set_consent(&mut self) -> Option<Action> {
		let (item, owner) = self.registered_item()?;
		let signer = self.mostly(&owner, 90);
		let opt_in = self.rng.chance(70);
		Self::action(
			signer,
			RuntimeCall::Datasets(pallet_datasets::Call::set_consent { item, opt_in }),
		)
	}

	fn deregister_item(&mut self) -> Option<Action> {
		let (item, owner) = self.registered_item()?;
		let signer = self.mostly(&owner, 90);
		Self::action(signer, RuntimeCall::Datasets(pallet_datasets::Call::deregister_item { item }))
	}

	fn publish_dataset(&mut self) -> Option<Action> {
		let jobs: Vec<_> = pallet_jobs::JobDetails::<Runtime>::iter()
			.filter(|(id, j)| {
				j.status == JobStatus::Settled
					&& !pallet_datasets::DatasetOfJob::<Runtime>::contains_key(id)
			})
			.map(|(id, j)| {
				// Worth publishing: a labeled item whose owner consents to sales.
				let sellable =
					pallet_jobs::JobItems::<Runtime>::get(id).iter().enumerate().any(|(i, h)| {
						pallet_jobs::Pallet::<Runtime>::item_result(id, i as u32).is_some()
							&& pallet_datasets::DataItems::<Runtime>::get(h)
								.is_some_and(|d| d.opt_in)
					});
				((id, j), sellable)
			})
			.collect();
		let (job, j) = self.prefer(&jobs, 90)?;
		let min = <Runtime as pallet_datasets::Config>::MinPricePerItem::get();
		let price =
			if self.rng.chance(4) { 1 } else { min * j.items as u128 * self.rng.range128(1, 20) };
		let signer = self.mostly(&j.requester, 92);
		Self::action(
			signer,
			RuntimeCall::Datasets(pallet_datasets::Call::publish_dataset { job, price }),
		)
	}

	fn random_dataset(&mut self) -> Option<(u32, pallet_datasets::DatasetOf<Runtime>)> {
		let all: Vec<_> = pallet_datasets::DatasetDetails::<Runtime>::iter().collect();
		self.rng.pick(&all).cloned()
	}

	fn publisher_call(
		&mut self,
		publisher: &AccountId,
		call: pallet_datasets::Call<Runtime>,
	) -> Option<Action> {
		match self.rng.below(100) {
			0..=79 => {
				let signer = self.mostly(publisher, 100);
				Self::action(signer, RuntimeCall::Datasets(call))
			},
			80..=89 => self.curator(RuntimeCall::Datasets(call)),
			_ => {
				let signer = self.any_signer();
				Self::action(signer, RuntimeCall::Datasets(call))
			},
		}
	}

	fn set_price(&mut self) -> Option<Action> {
		let (dataset, ds) = self.random_dataset()?;
		let min = <Runtime as pallet_datasets::Config>::MinPricePerItem::get();
		let price =
			if self.rng.chance(5) { 0 } else { min * ds.items as u128 * self.rng.range128(1, 30) };
		self.publisher_call(&ds.publisher, pallet_datasets::Call::set_price { dataset, price })
	}

	fn set_listing(&mut self) -> Option<Action> {
		let (dataset, ds) = self.random_dataset()?;
		let listed = self.rng.chance(75);
		self.publisher_call(&ds.publisher, pallet_datasets::Call::set_listing { dataset, listed })
	}

	fn purchase_dataset(&mut self) -> Option<Action> {
		let (dataset, ds) = self.random_dataset()?;
		let max_price = match self.rng.below(10) {
			0..=7 => ds.price,
			8 => ds.price * 2,
			_ => ds.price / 2,
		};
		let signer = self.any_signer();
		let call = pallet_datasets::Call::purchase_dataset { dataset, max_price };
		Self::action(signer, RuntimeCall::Datasets(call))
	}

	fn claim_payouts(&mut self) -> Option<Action> {
		let owed: Vec<AccountId> = pallet_datasets::Unclaimed::<Runtime>::iter_keys().collect();
		let signer = self.owed_signer(&owed)?;
		Self::action(signer, RuntimeCall::Datasets(pallet_datasets::Call::claim_payouts {}))
	}
}

/// The id of the job a `JobCreated` event reports among `events`.
pub fn created_job(events: &[crowdlabel_runtime::RuntimeEvent]) -> Option<JobId> {
	events.iter().find_map(|e| match e {
		crowdlabel_runtime::RuntimeEvent::Jobs(pallet_jobs::Event::JobCreated { job, .. }) => {
			Some(*job)
		},
		_ => None,
	})
}
