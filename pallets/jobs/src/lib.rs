//! # Jobs pallet
//!
//! Labeling jobs for CrowdLabel: escrowed budgets, packages with deposits, commit-reveal labels,
//! consensus weighted by reputation, slashing and claim-based rewards.
//!
//! ## Overview
//!
//! A requester [`create_job`](Pallet::create_job)s: a domain, the items (content hashes), the
//! redundancy R (at least `MinRedundancy` = 3: fewer labels cannot be judged) and a budget held
//! in escrow, plus a **storage deposit** (`StorageDepositPerByte` x the worst-case bytes the job
//! stores) returned when the job's data is pruned. Every labeling must be worth at least the
//! existential deposit. Items are grouped into packages of `package_size` ("daily task
//! packages"); each package is labeled by R different qualified labelers.
//!
//! A labeler qualified in the domain [`take_package`](Pallet::take_package)s: the pallet
//! **assigns** a package with a free slot at random (parent-block-hash randomness; at most one
//! slot per account per package), so colluders cannot gather in one package. The take holds a
//! deposit of **1.5 x the package's reward value** (`pay * items_in_package / (items * R)`) and is
//! refused when its commit and reveal windows would end after the job's deadline. The labeler
//! [`commit_labels`](Pallet::commit_labels)
//! `blake2_256(SCALE((labeler, job, package, labels, salt)))` within the commit window; the
//! commitment names its labeler, so a copied commitment can never be opened, and a commitment
//! already in the package is refused. Once every slot is committed the reveals open (each
//! committer's reveal window is fixed then and never moved) and the labelers
//! [`reveal_labels`](Pallet::reveal_labels).
//!
//! **The reveal that completes a package judges it** in the same call: per item, consensus over
//! the labels weighted by each labeler's reputation `a` (weighted medoid / vote / Briko eq. 1);
//! labelers are ordered by `blake2(seed ++ account)` with a seed drawn when the reveals opened,
//! so no account id wins ties. Per labeler the package error decides: stars with a mean error
//! **above 1.5 points**, boxes/classes with a mean agreement **below the domain's slash floor**
//! forfeit the deposit to the **treasury**; the others are accepted at once (deposit released,
//! [`PackageAccepted`](Event::PackageAccepted)). A slashed labeler's slot is offered again; the
//! replacement's labels are judged together with the accepted ones (which keep their acceptance).
//! When R labels are accepted the package is complete and its consensus stored. Every judged
//! label's error updates the labeler's reputation.
//!
//! Deadlines ([`expire_assignment`](Pallet::expire_assignment), anyone): a taker who did not
//! commit, or a committer who did not reveal, forfeits the deposit (a missed reveal also counts
//! as a failure in the reputation). Labels are never released unjudged: committed labels of a
//! package that can no longer fill (cancelled job or deadline passed with free slots) were never
//! revealed and their deposits come back; revealed labels left waiting when the job is over are
//! judged (with fewer than 3 labels nobody is slashed or scored: they are accepted and paid).
//! [`cancel_job`](Pallet::cancel_job) only closes the untaken slots.
//!
//! About 5% of a job's items can be hidden challenge (gold) items: the job builder mixes them
//! into `items` and passes only a commitment `blake2_256(SCALE((requester, answers, salt)))` to
//! the `(index, answer)` list. After the labeling the curator
//! [`reveal_challenges`](Pallet::reveal_challenges) (indices must be distinct), and every
//! labeler of those items gets a right or wrong challenge record.
//!
//! When every package is complete, or after the deadline, or after a cancellation, anyone
//! [`settle_job`](Pallet::settle_job)s: the job pays for its accepted labelings
//! (`pay * accepted / (items * R)`) by Briko eq. 4, `reward_n = Pay * (a_n W_n) / sum a_i W_i`
//! (W = items accepted), with the matching share of the platform reserve to the treasury and the
//! rest refunded, exact to the last unit. Rewards are **credited** and each labeler
//! [`claim_rewards`](Pallet::claim_rewards), so no recipient can make a settlement fail.
//! A settled job's items, results and contributors are kept for `RetentionPeriod` blocks; a
//! dataset published from it keeps them for good ([`FinishedJobs::retain`]), otherwise anyone
//! may [`prune_job`](Pallet::prune_job) and the storage deposit returns to the requester.
//!
//! **Treasury and newcomers.** [`create_treasury_job`](Pallet::create_treasury_job) lets
//! [`Config::TreasuryOrigin`] (a council motion) fund a *supplementary job* from the treasury:
//! an ordinary job whose requester is [`Config::Treasury`], cancelled by the same origin. A
//! labeler's first [`Config::NewcomerPackages`] judged, accepted packages each earn a bonus from
//! [`Config::NewcomerPot`] (funded by treasury spends), capped so that an account's bonuses never
//! exceed the qualification fee it paid ([`NewcomerBonusPaid`](Event::NewcomerBonusPaid)).
//!
//! **Appeals** ([`appeal`](Pallet::appeal), [`vote_appeal`](Pallet::vote_appeal),
//! [`decide_appeal`](Pallet::decide_appeal), [`release_stake`](Pallet::release_stake)): a
//! judgement that slashes a labeler for bad labels keeps the deposits of the labelers it accepted
//! at stake for [`Config::AppealPeriod`]; the slashed labeler may appeal with a bond, and a panel
//! of the domain's most reliable labelers (or the council) re-judges. A won appeal refunds the
//! deposit and forfeits those stakes; a lost one forfeits the bond (see `features/appeals.rs`).
//!
//! **Corpus-review jobs** ([`create_review_job`](Pallet::create_review_job), Briko Phase 1
//! step 4): a job over a score domain that declares `k` is ranked by consensus score when it
//! settles; the top `⌊k · P⌋` items are kept ([`Rankings`]) and the items within a declared
//! margin of the cut-off line become a follow-up review job paid by a budget held at creation.
//!
//! ## Known limitation
//! When a package's labeler is slashed after the reveal, the accepted labels of that package are
//! already public; the replacement labeler could copy them. The replacement's label then adds no
//! independent information (the package still rests on the independent labels accepted before).

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(rustdoc::broken_intra_doc_links)]

extern crate alloc;

pub use pallet::*;

pub mod api;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod features;
mod finished;
mod functions;
pub mod migrations;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
#[cfg(any(test, feature = "try-runtime", feature = "fuzzing"))]
mod try_state;
pub mod types;
pub mod weights;

pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use crowdlabel_labels::{Commitment, DomainId, ItemHash, Label, Salt};
	use crowdlabel_traits::LabelerRegistry;
	use frame_support::{
		dispatch::PostDispatchInfo,
		pallet_prelude::*,
		traits::{
			fungible::{BalancedHold, Credit, Inspect, Mutate, MutateHold},
			OnUnbalanced, Randomness,
		},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{FixedU128, Perbill};

	/// Balance type of the currency.
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	/// Funds taken from a hold, on their way to [`Config::Slash`].
	pub type CreditOf<T> = Credit<<T as frame_system::Config>::AccountId, <T as Config>::Currency>;
	/// What a requester asks for in `create_job`, with this runtime's types.
	pub type JobSpecOf<T> = JobSpec<BalanceOf<T>, BlockNumberFor<T>, <T as Config>::MaxItems>;
	/// A job with this runtime's types.
	pub type JobOf<T> =
		Job<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
	/// Progress of a package with this runtime's block number.
	pub type PackageOf<T> = Package<BlockNumberFor<T>>;
	/// A label with this runtime's box bound.
	pub type LabelOf<T> = Label<<T as Config>::MaxBoxes>;
	/// A labeler's standing in a job.
	pub type LabelerWorkOf<T> = LabelerWork<BalanceOf<T>>;
	/// The labels of one package.
	pub type PackageLabelsOf<T> = BoundedVec<LabelOf<T>, <T as Config>::MaxPackageSize>;
	/// The consensus of a completed package's items ([`Results`]).
	pub type ResultsOf<T> =
		BoundedVec<ItemResult<<T as Config>::MaxBoxes>, <T as Config>::MaxPackageSize>;
	/// An assignment with this runtime's types.
	pub type AssignmentOf<T> = Assignment<
		BalanceOf<T>,
		BlockNumberFor<T>,
		<T as Config>::MaxBoxes,
		<T as Config>::MaxPackageSize,
	>;
	/// Challenge answers: `(item index, answer)`.
	pub type SlashRecordOf<T> = SlashRecord<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		BlockNumberFor<T>,
		<T as Config>::MaxBoxes,
		<T as Config>::MaxPackageSize,
		<T as Config>::MaxRedundancy,
	>;
	/// A corpus-review job's ranking rule.
	pub type ReviewSpecOf<T> = ReviewSpec<BalanceOf<T>, BlockNumberFor<T>>;
	/// A settled corpus-review job's ranking.
	pub type RankingOf<T> = Ranking<<T as Config>::MaxItems>;
	/// An appeal under way.
	pub type AppealOf<T> = Appeal<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		BlockNumberFor<T>,
		<T as Config>::AppealPanelSize,
	>;
	pub type ChallengesOf<T> = BoundedVec<(u32, LabelOf<T>), <T as Config>::MaxChallenges>;

	/// The in-code storage version.
	/// Version 1: `Job::workload` ([`crate::migrations::v1`]). Version 2: `LabelerWork::idle`
	/// ([`crate::migrations::v2`]).
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(3);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Reasons for which this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A job's budget in escrow.
		#[codec(index = 0)]
		JobEscrow,
		/// A labeler's deposit on a package.
		#[codec(index = 1)]
		PackageDeposit,
		/// A requester's deposit for the storage a job uses until it is pruned.
		#[codec(index = 2)]
		JobStorage,
		/// Rewards credited to labelers and not yet claimed (held on the pallet account).
		#[codec(index = 3)]
		UnclaimedReward,
		/// A package deposit kept at stake after acceptance while the slashed labelers of the
		/// same judgement may appeal.
		#[codec(index = 4)]
		AppealStake,
		/// An appellant's bond.
		#[codec(index = 5)]
		AppealBond,
		/// The budget of a corpus-review job's follow-up job, until the ranking.
		#[codec(index = 6)]
		FollowUpBudget,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency of budgets and deposits.
		type Currency: Inspect<Self::AccountId>
			+ Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ BalancedHold<Self::AccountId>;
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;
		/// Qualification, weights and reputation of labelers.
		type Labelers: LabelerRegistry<Self::AccountId>;
		/// Origin that reveals challenge answers.
		type CuratorOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Receives the platform reserve.
		#[pallet::constant]
		type Treasury: Get<Self::AccountId>;
		/// Where forfeited package deposits go (runtime: the treasury account; model:
		/// `pallet-referenda`'s `Slash`).
		type Slash: OnUnbalanced<CreditOf<Self>>;
		/// Randomness that assigns packages to labelers and orders tie-breaks. On a solochain
		/// with permissioned Aura validators: derived from the parent block hash, which a block
		/// author can only influence by not producing a block.
		type Randomness: Randomness<Self::Hash, BlockNumberFor<Self>>;
		/// Account id of the pallet: holds credited rewards until they are claimed.
		#[pallet::constant]
		type PalletId: Get<PalletId>;
		/// Share of every budget kept as platform reserve.
		#[pallet::constant]
		type PlatformReserve: Get<Perbill>;
		/// Slash floor of a domain the curator has not set one for: boxes and classes, a
		/// package whose mean agreement with consensus is below it forfeits its deposit, and a
		/// challenge answer below it is wrong (stars use fixed point rules).
		#[pallet::constant]
		type DefaultSlashFloor: Get<Perbill>;
		/// Storage deposit per byte of job data (items, results, contributors), held from the
		/// requester until the job is pruned.
		#[pallet::constant]
		type StorageDepositPerByte: Get<BalanceOf<Self>>;
		/// Blocks a settled job's data is kept for publication; afterwards anyone may prune an
		/// unpublished job (the storage deposit returns to the requester).
		#[pallet::constant]
		type RetentionPeriod: Get<BlockNumberFor<Self>>;
		/// Smallest redundancy R: fewer labels per item cannot be judged.
		#[pallet::constant]
		type MinRedundancy: Get<u32>;
		/// Longest job duration.
		#[pallet::constant]
		type MaxJobDuration: Get<BlockNumberFor<Self>>;
		/// Longest commit or reveal window.
		#[pallet::constant]
		type MaxWindow: Get<BlockNumberFor<Self>>;
		/// Most items in a job.
		#[pallet::constant]
		type MaxItems: Get<u32>;
		/// Most items in a package.
		#[pallet::constant]
		type MaxPackageSize: Get<u32>;
		/// Largest redundancy R (at most `crowdlabel_consensus::limits::MAX_LABELS`).
		#[pallet::constant]
		type MaxRedundancy: Get<u32>;
		/// Most boxes in a label (the labelers pallet's bound).
		#[pallet::constant]
		type MaxBoxes: Get<u32>;
		/// Most packages of one job a labeler may hold unjudged at once: an account cannot take a
		/// slot in every package of a job (and so cannot sit, with its colluders, in all of them).
		#[pallet::constant]
		type MaxOpenPerLabeler: Get<u32>;
		/// Most distinct labelers holding or paid by one job (bounds settlement).
		#[pallet::constant]
		type MaxLabelersPerJob: Get<u32>;
		/// Most challenge items in a job.
		#[pallet::constant]
		type MaxChallenges: Get<u32>;
		/// Origin that funds a supplementary job from the treasury
		/// ([`create_treasury_job`](Pallet::create_treasury_job)) and cancels it (runtime: two
		/// thirds of the council).
		type TreasuryOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Account that pays newcomer bonuses, funded by council-approved treasury spends.
		#[pallet::constant]
		type NewcomerPot: Get<Self::AccountId>;
		/// Most a newcomer is paid per accepted package from [`Config::NewcomerPot`]; the bonus
		/// is also capped at the domain's qualification fee divided by
		/// [`Config::NewcomerPackages`], so an account never gets back more than it paid to
		/// qualify.
		#[pallet::constant]
		type NewcomerBonus: Get<BalanceOf<Self>>;
		/// How many of a labeler's first accepted (judged) packages earn the newcomer bonus.
		#[pallet::constant]
		type NewcomerPackages: Get<u32>;
		/// Blocks after a judgement that slashed a labeler for bad labels during which that
		/// labeler may [`appeal`](Pallet::appeal) and the labelers accepted in the same judgement
		/// keep their deposits at stake (0: no appeals).
		#[pallet::constant]
		type AppealPeriod: Get<BlockNumberFor<Self>>;
		/// Bond an appellant holds; forfeited to the treasury when the appeal is lost. At least
		/// `AppealPanelSize x PanelFee`, so a lost appeal pays its panel.
		#[pallet::constant]
		type AppealBond: Get<BalanceOf<Self>>;
		/// Panelists deciding an appeal (odd): a majority of them decides.
		#[pallet::constant]
		type AppealPanelSize: Get<u32>;
		/// Paid by the treasury to each panelist who voted with the decision.
		#[pallet::constant]
		type PanelFee: Get<BalanceOf<Self>>;
		/// Least pay weight `a` in the job's domain to sit on a panel (the domain's most
		/// reliable labelers: a newcomer has 1).
		#[pallet::constant]
		type PanelMinWeight: Get<FixedU128>;
		/// Least track record (labels and gold answers scored in the domain) to sit on a panel:
		/// a fresh account cannot buy a seat with one perfect qualification round.
		#[pallet::constant]
		type PanelMinRecord: Get<u32>;
		/// Weight information for the calls.
		type WeightInfo: WeightInfo;
	}

	/// Slash records open to appeal, by job, package and slashed labeler (see [`SlashRecord`]).
	#[pallet::storage]
	pub type SlashRecords<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Twox64Concat, JobId>,
			NMapKey<Twox64Concat, PackageIndex>,
			NMapKey<Blake2_128Concat, T::AccountId>,
		),
		SlashRecordOf<T>,
	>;

	/// Accepted deposits kept at stake while an appeal can come, by job, package and labeler.
	#[pallet::storage]
	pub type AppealStakes<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Twox64Concat, JobId>,
			NMapKey<Twox64Concat, PackageIndex>,
			NMapKey<Blake2_128Concat, T::AccountId>,
		),
		AppealStake<BalanceOf<T>, BlockNumberFor<T>>,
	>;

	/// Appeals under way, by job, package and appellant.
	#[pallet::storage]
	pub type Appeals<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Twox64Concat, JobId>,
			NMapKey<Twox64Concat, PackageIndex>,
			NMapKey<Blake2_128Concat, T::AccountId>,
		),
		AppealOf<T>,
	>;

	/// Stakes and undecided appeals per job (a job with either cannot be pruned).
	#[pallet::storage]
	pub type AppealCounts<T: Config> = StorageMap<_, Twox64Concat, JobId, AppealCount, ValueQuery>;

	/// The ranking rule of each corpus-review job (removed when pruned).
	#[pallet::storage]
	pub type ReviewSpecs<T: Config> = StorageMap<_, Twox64Concat, JobId, ReviewSpecOf<T>>;

	/// The ranking of each settled corpus-review job: kept items, best first (removed when
	/// pruned).
	#[pallet::storage]
	pub type Rankings<T: Config> = StorageMap<_, Twox64Concat, JobId, RankingOf<T>>;

	/// Jobs by id (removed when pruned).
	#[pallet::storage]
	pub type JobDetails<T: Config> = CountedStorageMap<_, Twox64Concat, JobId, JobOf<T>>;

	/// The id the next job gets.
	#[pallet::storage]
	pub type NextJobId<T> = StorageValue<_, JobId, ValueQuery>;

	/// The items of a job.
	#[pallet::storage]
	pub type JobItems<T: Config> =
		StorageMap<_, Twox64Concat, JobId, BoundedVec<ItemHash, T::MaxItems>, ValueQuery>;

	/// Packages of an open job with a free slot; `take_package` draws from it.
	#[pallet::storage]
	pub type OpenPackages<T: Config> =
		StorageMap<_, Twox64Concat, JobId, BoundedVec<PackageIndex, T::MaxItems>, ValueQuery>;

	/// Progress of each package.
	#[pallet::storage]
	pub type Packages<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		JobId,
		Twox64Concat,
		PackageIndex,
		PackageOf<T>,
		ValueQuery,
	>;

	/// Labelers' holds on packages: `(job, package, labeler)`.
	#[pallet::storage]
	pub type Assignments<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Twox64Concat, JobId>,
			NMapKey<Twox64Concat, PackageIndex>,
			NMapKey<Blake2_128Concat, T::AccountId>,
		),
		AssignmentOf<T>,
	>;

	/// Per labeler in a job: accepted workload W (items), packages held and idle stake.
	#[pallet::storage]
	pub type Workload<T: Config> =
		StorageDoubleMap<_, Twox64Concat, JobId, Blake2_128Concat, T::AccountId, LabelerWorkOf<T>>;

	/// Consensus of the items of each completed package, in item order (the package's item
	/// `first + i` at position `i`): one entry per package, written once when it completes.
	/// [`Pallet::item_result`] reads one item's.
	#[pallet::storage]
	pub type Results<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		JobId,
		Twox64Concat,
		PackageIndex,
		BoundedVec<ItemResult<T::MaxBoxes>, T::MaxPackageSize>,
	>;

	/// Labelers whose labels of a package were accepted, with their weight `a` at settlement
	/// (zero until then), kept for dataset sales.
	#[pallet::storage]
	pub type Contributions<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		JobId,
		Twox64Concat,
		PackageIndex,
		BoundedVec<(T::AccountId, FixedU128), T::MaxRedundancy>,
		ValueQuery,
	>;

	/// Per-domain slash floor set by the curator ([`Config::DefaultSlashFloor`] where unset).
	/// Only this pallet reads it, so it lives here rather than with the domain.
	#[pallet::storage]
	pub type SlashFloors<T: Config> = StorageMap<_, Twox64Concat, DomainId, Perbill>;

	/// Rewards credited to a labeler at settlements and not yet claimed.
	#[pallet::storage]
	pub type UnclaimedRewards<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, BalanceOf<T>, ValueQuery>;

	/// Judged packages accepted so far per labeler, counted up to [`Config::NewcomerPackages`]
	/// (then the labeler is no newcomer any more; the entry stays so that leaving and
	/// registering again does not make the account new again).
	#[pallet::storage]
	pub type NewcomerProgress<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Pallet::<T>::ensure_account_exists();
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A job was created, its budget escrowed and its storage deposit held.
		JobCreated {
			job: JobId,
			requester: T::AccountId,
			domain: DomainId,
			items: u32,
			packages: u32,
			budget: BalanceOf<T>,
			storage_deposit: BalanceOf<T>,
		},
		/// The requester cancelled the job: untaken slots are closed.
		JobCancelled { job: JobId },
		/// A labeler was assigned a package and put down a deposit.
		PackageTaken {
			job: JobId,
			package: PackageIndex,
			labeler: T::AccountId,
			deposit: BalanceOf<T>,
		},
		/// A labeler committed to their labels.
		LabelsCommitted { job: JobId, package: PackageIndex, labeler: T::AccountId },
		/// Every slot of a package is committed: its committers may reveal until `reveal_by`.
		RevealsOpened { job: JobId, package: PackageIndex, reveal_by: BlockNumberFor<T> },
		/// A label was revealed.
		LabelRevealed { job: JobId, item: u32, labeler: T::AccountId },
		/// Consensus was reached for an item.
		ConsensusReached { job: JobId, item: u32, agreement: Perbill },
		/// A labeler's labels passed: deposit released, labels accepted and paid at settlement.
		PackageAccepted {
			job: JobId,
			package: PackageIndex,
			labeler: T::AccountId,
			agreement: Perbill,
		},
		/// A labeler's deposit was forfeited to the treasury.
		DepositSlashed {
			job: JobId,
			package: PackageIndex,
			labeler: T::AccountId,
			amount: BalanceOf<T>,
			reason: SlashReason,
		},
		/// A deposit was released without labels being revealed (the package could not fill).
		DepositReleased {
			job: JobId,
			package: PackageIndex,
			labeler: T::AccountId,
			amount: BalanceOf<T>,
		},
		/// A labeler's idle stake in a job (deposits of its accepted packages kept on hold while
		/// it held others of the job) was released: its last open package there ended, or it
		/// asked ([`Pallet::release_idle_stake`]).
		IdleStakeReleased { job: JobId, labeler: T::AccountId, amount: BalanceOf<T> },
		/// All R labels of a package were accepted.
		PackageCompleted { job: JobId, package: PackageIndex },
		/// Challenge answers were revealed and checked.
		ChallengesRevealed { job: JobId, checked: u32, wrong: u32 },
		/// A labeler's reward was credited (claim it with `claim_rewards`).
		RewardCredited { job: JobId, labeler: T::AccountId, amount: BalanceOf<T> },
		/// The settlement voted the job's items once more with the labelers' models as they are
		/// now (single class) and the consensus of `items` items changed (their results are
		/// rewritten; payouts and slashes stay as judged).
		ConsensusRevised { job: JobId, items: u32 },
		/// The job was settled.
		JobSettled { job: JobId, paid: BalanceOf<T>, reserve: BalanceOf<T>, refunded: BalanceOf<T> },
		/// A labeler claimed their credited rewards.
		RewardsClaimed { labeler: T::AccountId, amount: BalanceOf<T> },
		/// A settled job's data was removed and its storage deposit refunded.
		JobPruned { job: JobId, refunded: BalanceOf<T> },
		/// The curator set a domain's slash floor (for packages judged from now on).
		SlashFloorSet { domain: DomainId, floor: Perbill },
		/// A newcomer's accepted package earned a bonus from the newcomer pot (`nth` of their
		/// first `NewcomerPackages` accepted packages).
		NewcomerBonusPaid { job: JobId, labeler: T::AccountId, amount: BalanceOf<T>, nth: u32 },
		/// A judgement slashed `labeler` while accepting others: the slashed labeler may appeal
		/// until `until`, and the accepted labelers' deposits stay at stake until then.
		SlashAppealable {
			job: JobId,
			package: PackageIndex,
			labeler: T::AccountId,
			until: BlockNumberFor<T>,
		},
		/// A slashed labeler appealed and holds `bond`.
		AppealFiled { job: JobId, package: PackageIndex, labeler: T::AccountId, bond: BalanceOf<T> },
		/// A panelist voted on an appeal.
		AppealVoted {
			job: JobId,
			package: PackageIndex,
			labeler: T::AccountId,
			panelist: T::AccountId,
			overturn: bool,
		},
		/// An appeal was decided: `overturned` (deposit refunded, bond returned, the accepted
		/// labelers of the judgement penalised) or upheld (bond forfeited).
		AppealDecided {
			job: JobId,
			package: PackageIndex,
			labeler: T::AccountId,
			overturned: bool,
			by: AppealDecider,
		},
		/// A stake was forfeited to the treasury: its labels caused a slash overturned on appeal.
		StakeForfeited {
			job: JobId,
			package: PackageIndex,
			labeler: T::AccountId,
			amount: BalanceOf<T>,
		},
		/// A corpus-review job declared its ranking rule: keep the top `keep` share, send the
		/// `margin` items on each side of the cut-off to a follow-up job paid by
		/// `follow_up_budget` (held).
		ReviewDeclared { job: JobId, keep: Perbill, margin: u32, follow_up_budget: BalanceOf<T> },
		/// A corpus-review job was ranked at settlement: `kept` of the `ranked` items with a
		/// score are kept (`Rankings`); the lowest kept score is `cut_off`.
		ItemsRanked {
			job: JobId,
			ranked: u32,
			kept: u32,
			cut_off: Option<FixedU128>,
			follow_up: Option<JobId>,
		},
		/// The follow-up job of a corpus-review job could not be created; its budget was
		/// released to the requester.
		FollowUpFailed { job: JobId, error: DispatchError },
		/// A stake was released after the appeal window.
		StakeReleased {
			job: JobId,
			package: PackageIndex,
			labeler: T::AccountId,
			amount: BalanceOf<T>,
		},
		/// An appeal nobody decided within `AppealPeriod` was closed: the bond was returned and
		/// the slash stands.
		AppealLapsed { job: JobId, package: PackageIndex, labeler: T::AccountId },
		/// The treasury paid a panelist who voted with the decision.
		PanelistPaid {
			job: JobId,
			package: PackageIndex,
			panelist: T::AccountId,
			amount: BalanceOf<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The domain does not exist; pick one from `labelers.domains`.
		UnknownDomain,
		/// No items were given; list at least one item hash.
		NoItems,
		/// Redundancy must be between `MinRedundancy` (3: fewer labels cannot be judged) and
		/// `MaxRedundancy`.
		BadRedundancy,
		/// Package size must be between 1 and `MaxPackageSize`.
		BadPackageSize,
		/// The budget is too small: every labeling must be worth at least the existential
		/// deposit (`budget * (1 - reserve) * package items / (items * R)`).
		BudgetTooSmall,
		/// The budget does not pay for the declared workload: after the platform reserve it must
		/// cover `items x R x minutes_per_item` minutes at `price_per_minute` (the runtime API
		/// `jobs.workload_budget` gives the least budget); raise the budget or the declared
		/// figures down.
		BudgetBelowWorkload,
		/// A declared workload of 0 minutes per item; declare at least 1 minute or no workload.
		ZeroWorkload,
		/// Windows and the deadline must be at least one block.
		ZeroWindow,
		/// The duration is above `MaxJobDuration` or a window above `MaxWindow`.
		WindowTooLong,
		/// The commit and reveal windows together must fit in the job's duration.
		WindowsExceedDuration,
		/// The requester cannot pay the budget plus the storage deposit.
		InsufficientBalance,
		/// No such job.
		UnknownJob,
		/// Only the requester can do this.
		NotRequester,
		/// The job is not open (cancelled or past its deadline).
		JobNotOpen,
		/// The commit and reveal windows of a new take would end after the job's deadline.
		TooLateToTake,
		/// No package with a free slot that you do not already hold (you may hold at most one slot
		/// per package; finish yours first or try another job).
		NoFreePackage,
		/// No such package in this job.
		UnknownPackage,
		/// The package already has its R labels.
		PackageComplete,
		/// The package has no free slot: R labelers hold or completed it.
		PackageFull,
		/// Only labelers qualified in the job's domain can take packages.
		NotQualified,
		/// You already hold `MaxOpenPerLabeler` unjudged packages of this job; commit and reveal
		/// them first.
		TooManyOpenPackages,
		/// The job already has `MaxLabelersPerJob` labelers; take a package of another job.
		TooManyLabelers,
		/// The labeler does not hold this package.
		NotAssigned,
		/// The commit window has closed.
		CommitWindowClosed,
		/// Already committed.
		AlreadyCommitted,
		/// Another labeler of this package already committed this exact commitment: commit to
		/// your own labels with `blake2_256(SCALE((you, job, package, labels, salt)))`.
		DuplicateCommitment,
		/// Reveals open when every slot of the package is committed.
		RevealNotOpen,
		/// The reveal window has closed.
		RevealWindowClosed,
		/// Commit first.
		NotCommitted,
		/// The labels and salt do not hash, with your account, the job and the package, to the
		/// commitment.
		CommitmentMismatch,
		/// Give one label per item of the package, in order.
		WrongLabelCount,
		/// A label does not fit the domain's label kind (or repeats a box).
		InvalidLabel,
		/// The assignment is within its deadlines.
		NotExpired,
		/// The job has no challenge commitment, or it was already revealed.
		NoChallenges,
		/// A challenge index is beyond the job's items or its package is not complete.
		BadChallenge,
		/// A challenge index appears twice; list each challenge item once.
		DuplicateChallenge,
		/// The job is still running: wait for completion, the deadline or a cancellation.
		NotSettleable,
		/// Challenge answers must be revealed before settlement (the curator has until the
		/// deadline).
		ChallengesPending,
		/// Labelers still hold packages; expire them first.
		AssignmentsOpen,
		/// No rewards are credited to this account.
		NothingToClaim,
		/// The rewards are below the existential deposit of an empty account; fund the account
		/// first or wait for more rewards.
		BelowExistentialDeposit,
		/// The job is not settled.
		NotSettled,
		/// A dataset was published from this job: its data is kept.
		Retained,
		/// The retention period after settlement has not passed yet.
		RetentionRunning,
		/// An id counter overflowed.
		IdOverflow,
		/// An amount overflowed.
		Overflow,
		/// No slash of yours on this package can be appealed (only a slash for bad labels in a
		/// judgement that accepted others, within `AppealPeriod`, and only once).
		NothingToAppeal,
		/// The appeal window closed `AppealPeriod` blocks after the judgement.
		AppealWindowClosed,
		/// This slash is already under appeal.
		AlreadyAppealed,
		/// You cannot pay the appeal bond.
		CannotPayBond,
		/// No such appeal under way.
		UnknownAppeal,
		/// You labeled this package or were slashed on it: you cannot judge its appeal.
		ConflictOfInterest,
		/// Panelists must be qualified in the domain with a pay weight of at least
		/// `PanelMinWeight` over at least `PanelMinRecord` scored labels.
		NotReliableEnough,
		/// You already voted on this appeal.
		AlreadyVoted,
		/// The panel is full and undecided (a tie): the council decides.
		PanelFull,
		/// The treasury cannot pay the refund and panel fees of this decision now; fund the
		/// treasury or decide later.
		TreasuryCannotPay,
		/// The appeal was filed less than `AppealPeriod` ago: the panel or the council may still
		/// decide it.
		AppealNotLapsed,
		/// No stake of this labeler on this package.
		NoStake,
		/// The stake is locked: the appeal window is open, or an appeal on the package was filed
		/// less than `AppealPeriod` ago and is undecided.
		StakeLocked,
		/// Only score domains can be ranked; create an ordinary job for other label kinds.
		NotRankable,
		/// The kept share `k` must be above 0 and below 1.
		BadKeep,
		/// A follow-up needs a margin of at least 1 and at most the job's items, a budget, and a
		/// duration that holds the job's windows and is at most `MaxJobDuration`; without a
		/// margin give no follow-up budget.
		BadFollowUp,
		/// The follow-up budget cannot pay each labeling of `2 x margin` items at least the
		/// existential deposit; raise it or lower the margin.
		FollowUpBudgetTooSmall,
		/// Stakes or appeals of this job are still open; release or decide them first.
		AppealsPending,
		/// The rewards, reserve and refund of a settlement do not add up to the budget (a
		/// defect: nothing was changed).
		ConservationViolated,
		/// Ask for at least one package (`count` of `take_packages`).
		NoPackagesRequested,
		/// No deposit of yours is kept idle in this job (deposits are released when your last
		/// open package of the job ends).
		NoIdleStake,
		/// The reveal's `redundancy` witness is below the job's redundancy R (the labels the
		/// package is judged over, which the call is charged for up front): pass the job's
		/// `redundancy` (`JobDetails`).
		RedundancyWitnessTooLow,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		fn integrity_test() {
			assert!(
				T::MinRedundancy::get() >= 3 && T::MinRedundancy::get() <= T::MaxRedundancy::get(),
				"R must be judged by at least 3 labels"
			);
			assert!(
				T::MaxRedundancy::get() as usize <= crowdlabel_consensus::limits::MAX_LABELS,
				"MaxRedundancy above the consensus crate's limit"
			);
			assert!(
				T::MaxBoxes::get() as usize <= crowdlabel_consensus::limits::MAX_BOXES,
				"MaxBoxes above the consensus crate's limit"
			);
			assert!(
				T::MaxOpenPerLabeler::get() >= 1
					&& T::MaxOpenPerLabeler::get() < crate::functions::MAX_TAKE_PROBES,
				"a labeler below the cap must always find a package within the probes"
			);
			assert!(T::AppealPanelSize::get() % 2 == 1, "an odd panel always has a majority");
			assert!(
				T::AppealBond::get()
					>= sp_runtime::traits::Saturating::saturating_mul(
						T::PanelFee::get(),
						T::AppealPanelSize::get().into()
					),
				"a lost appeal's bond pays its panel"
			);
		}
	}

	/// Weight of a judgement with the figures it reported, priced by its label family's own
	/// benchmarks (the weight refunded down to): the `*_agreed` benchmark when nobody was
	/// slashed (every label accepted, the package completed), the slashing one otherwise. A
	/// judgement that slashes never completes its package: a package's takers and accepted
	/// labels together never exceed R (`try_state`), and a slashed taker is not accepted.
	///
	/// The `*_agreed` benchmarks and the box `judge` judge a package of `MaxPackageSize` items:
	/// a judgement's cost is mostly per label (the labeler's record, deposit, assignment and
	/// workload) and grows with the items more slowly than in proportion (measured 2026-12-06,
	/// classes agreed, R = 7: 750 µs at 1 item, 1057 µs at 9, 1172 µs at 20), which no fit
	/// additive in items and labels follows — the fit over both charged the common full package
	/// of R = 3 about twice its measured cost. Those judgements are charged as a full package:
	/// an upper bound, exact for full packages. The class and score judgements that slash keep
	/// the items as a component: how many labels their pattern slashes varies with R, and so do
	/// their database accesses (`judge_classes` measured 23, 29, 35, 38, 44 writes at R = 3..7),
	/// which a fit over R alone undercounted at some R (8 + 5R); the fit over items and R stays
	/// above them (a rare, slashing judgement overcharged rather than undercharged).
	pub(crate) fn judge_weight<T: Config>(cost: Option<JudgeCost>) -> Weight {
		cost.map(|c| {
			let (n, r, b) = (c.items, c.labels, c.boxes);
			// Box judgements: the matching of every pair of labels of every item, priced at its
			// worst apart from the `judge*` benchmarks (which measure it at its cheapest).
			let matching = match c.kind {
				JudgedKind::Boxes => box_matching_weight::<T>(n, r, b),
				_ => Weight::zero(),
			};
			let judgement = if c.slashed == 0 {
				// Measured with veterans: their bonus checks (two reads each) are included.
				match c.kind {
					JudgedKind::Boxes => T::WeightInfo::judge_agreed(r, b),
					JudgedKind::Classes => T::WeightInfo::judge_classes_agreed(r),
					JudgedKind::Scores => T::WeightInfo::judge_scores_agreed(r),
				}
			} else {
				match c.kind {
					JudgedKind::Boxes => T::WeightInfo::judge(r, b),
					JudgedKind::Classes => T::WeightInfo::judge_classes(n, r),
					JudgedKind::Scores => T::WeightInfo::judge_scores(n, r),
				}
				// The bonus check of each label not counted as a newcomer's.
				.saturating_add(
					T::DbWeight::get().reads(2).saturating_mul(r.saturating_sub(c.bonuses).into()),
				)
			};
			// Accepted deposits kept as idle stake: the `*_agreed` benchmarks release each (the
			// hold and the account written); nothing is subtracted from the slashing benchmarks,
			// which release none.
			let kept = if c.slashed == 0 { c.kept } else { 0 };
			judgement
				.saturating_sub(T::DbWeight::get().writes(2).saturating_mul(kept.into()))
				// Idle stakes released beside a slash or a kept stake: a release no benchmark
				// makes (the hold and the account, read and written).
				.saturating_add(
					T::DbWeight::get().reads_writes(2, 2).saturating_mul(c.idle_released.into()),
				)
				.saturating_add(matching)
				// The job record, written back only by a reveal that judged.
				.saturating_add(T::DbWeight::get().writes(1))
				// The newcomer bonuses counted.
				.saturating_add(T::WeightInfo::reward_newcomer().saturating_mul(c.bonuses.into()))
				// Stakes kept and slashes recorded for appeals
				// (and the removal of each slash record when the job is pruned, charged here).
				.saturating_add(
					T::WeightInfo::contest_judgement()
						.saturating_add(T::DbWeight::get().writes(1))
						.saturating_mul(c.contested.into()),
				)
		})
		.unwrap_or_default()
	}

	/// The most boxes in one of a reveal's labels (0 for classes and scores): what its own labels
	/// cost to check and store. (Its judgement's box matchings depend on every label of the
	/// package and are priced at `MaxBoxes` up front.)
	pub(crate) fn most_boxes<T: Config>(labels: &PackageLabelsOf<T>) -> u32 {
		labels
			.iter()
			.map(|l| match l {
				Label::Boxes(b) => b.len() as u32,
				_ => 0,
			})
			.max()
			.unwrap_or(0)
	}

	/// The box matchings of a judgement of `n` items with `r` labels of at most `b` boxes: one
	/// per pair of labels per item, each priced at `box_matchings`' worst case of `MaxBoxes`
	/// boxes scaled by `(b / MaxBoxes)²`, which bounds the matching's column scans
	/// (`b · b (b + 1) / 2` at worst) and its `b²` IoUs at any `b`.
	pub(crate) fn box_matching_weight<T: Config>(n: u32, r: u32, b: u32) -> Weight {
		let pairs = n.saturating_mul(r.saturating_mul(r.saturating_sub(1)) / 2);
		if pairs == 0 || b == 0 {
			return Weight::zero();
		}
		let full = T::WeightInfo::box_matchings(pairs);
		let max = T::MaxBoxes::get().max(1) as u64;
		let b = b.min(T::MaxBoxes::get()) as u64;
		Weight::from_parts(
			full.ref_time()
				.saturating_mul(b.saturating_mul(b))
				.div_ceil(max.saturating_mul(max)),
			full.proof_size(),
		)
	}

	/// The most a judgement of `items` items with `labels` labels (at most `MaxRedundancy`) can
	/// weigh, agreed or slashing, in the label family `family` (`None`: the worst family) — the
	/// weight charged up front; the call refunds down to the actual cost. A reveal names its
	/// family by its labels: the labels of a job are all of the job's kind (checked at every
	/// reveal), so a class or score reveal is not charged the box judgement's worst case; and
	/// the job's redundancy by its witness (checked at every reveal: a package is judged over
	/// at most the job's R labels), so a reveal in a job of R = 3 is not charged a judgement of
	/// `MaxRedundancy` labels.
	pub(crate) fn judge_worst_case<T: Config>(
		items: u32,
		family: Option<JudgedKind>,
		labels: u32,
	) -> Weight {
		let (n, r, b) = (items, labels.min(T::MaxRedundancy::get()), T::MaxBoxes::get());
		let checks = T::DbWeight::get().reads(2).saturating_mul(r.into());
		let worse = |agreed: Weight, slashing: Weight| agreed.max(slashing.saturating_add(checks));
		let boxes = || {
			worse(T::WeightInfo::judge_agreed(r, b), T::WeightInfo::judge(r, b))
				.saturating_add(box_matching_weight::<T>(n, r, b))
		};
		let classes =
			|| worse(T::WeightInfo::judge_classes_agreed(r), T::WeightInfo::judge_classes(n, r));
		let scores =
			|| worse(T::WeightInfo::judge_scores_agreed(r), T::WeightInfo::judge_scores(n, r));
		match family {
			Some(JudgedKind::Boxes) => boxes(),
			Some(JudgedKind::Classes) => classes(),
			Some(JudgedKind::Scores) => scores(),
			None => boxes().max(classes()).max(scores()),
		}
		.saturating_add(T::DbWeight::get().writes(1))
		// An idle stake released for every label at worst.
		.saturating_add(T::DbWeight::get().reads_writes(2, 2).saturating_mul(r.into()))
		.saturating_add(T::WeightInfo::reward_newcomer().saturating_mul(r.into()))
		.saturating_add(
			T::WeightInfo::contest_judgement()
				.saturating_add(T::DbWeight::get().writes(1))
				.saturating_mul(r.into()),
		)
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Create a job: escrow its budget and hold its storage deposit.
		///
		/// ## Dispatch Origin
		/// Signed by the requester.
		///
		/// ## Details
		/// `redundancy` at least `MinRedundancy`; every labeling worth at least the existential
		/// deposit; `commit_window + reveal_window <= duration <= MaxJobDuration`. The storage
		/// deposit is `StorageDepositPerByte` times the worst-case bytes the job stores, refunded
		/// by [`Pallet::prune_job`]. A declared [`DeclaredWorkload`] (Briko eq. 2-3) requires a budget of
		/// at least [`Pallet::workload_budget`]: its pay covers `items x R x minutes_per_item`
		/// minutes at the declared price.
		///
		/// ## Errors
		/// [`UnknownDomain`](Error::UnknownDomain), [`NoItems`](Error::NoItems),
		/// [`BadRedundancy`](Error::BadRedundancy), [`BadPackageSize`](Error::BadPackageSize),
		/// [`ZeroWindow`](Error::ZeroWindow), [`WindowTooLong`](Error::WindowTooLong),
		/// [`WindowsExceedDuration`](Error::WindowsExceedDuration),
		/// [`BudgetTooSmall`](Error::BudgetTooSmall),
		/// [`BudgetBelowWorkload`](Error::BudgetBelowWorkload),
		/// [`ZeroWorkload`](Error::ZeroWorkload),
		/// [`InsufficientBalance`](Error::InsufficientBalance), [`IdOverflow`](Error::IdOverflow).
		///
		/// ## Events
		/// [`JobCreated`](Event::JobCreated).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_job(spec.items.len() as u32))]
		pub fn create_job(origin: OriginFor<T>, spec: JobSpecOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_create_job(who, spec).map(|_| ())
		}

		/// Cancel a job: no more packages can be taken. Taken packages are still labeled,
		/// judged and paid; the rest of the budget is refunded at settlement.
		///
		/// ## Dispatch Origin
		/// Signed by the requester; for a job funded by the treasury, [`Config::TreasuryOrigin`].
		///
		/// ## Errors
		/// [`UnknownJob`](Error::UnknownJob), [`NotRequester`](Error::NotRequester),
		/// [`JobNotOpen`](Error::JobNotOpen).
		///
		/// ## Events
		/// [`JobCancelled`](Event::JobCancelled).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::cancel_job())]
		pub fn cancel_job(origin: OriginFor<T>, job: JobId) -> DispatchResult {
			// The treasury's own (supplementary) jobs are cancelled by the treasury origin.
			let who = match T::TreasuryOrigin::try_origin(origin) {
				Ok(_) => T::Treasury::get(),
				Err(origin) => ensure_signed(origin)?,
			};
			Self::do_cancel_job(who, job)
		}

		/// Take a package of the job: the pallet assigns one with a free slot at random (see the
		/// [`PackageTaken`](Event::PackageTaken) event) and holds 1.5 x its reward value.
		///
		/// ## Dispatch Origin
		/// Signed by a labeler qualified in the job's domain.
		///
		/// ## Errors
		/// [`UnknownJob`](Error::UnknownJob), [`JobNotOpen`](Error::JobNotOpen),
		/// [`TooLateToTake`](Error::TooLateToTake), [`NotQualified`](Error::NotQualified),
		/// [`TooManyOpenPackages`](Error::TooManyOpenPackages),
		/// [`NoFreePackage`](Error::NoFreePackage), [`TooManyLabelers`](Error::TooManyLabelers),
		/// [`InsufficientBalance`](Error::InsufficientBalance).
		///
		/// ## Events
		/// [`PackageTaken`](Event::PackageTaken).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::take_packages(1).saturating_add(
			T::DbWeight::get().reads(2 * crate::functions::MAX_TAKE_PROBES as u64)
		))]
		pub fn take_package(origin: OriginFor<T>, job: JobId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let (_, probes, unwritten) = Self::do_take_package(who, job)?;
			// Charged as the one-package case of `take_packages` (the same code). Refunded to the
			// packages actually probed (two reads each: the assignment and an appealable slash
			// of the caller on the package) and to the writes not made (the benchmark's take is
			// a newcomer's that fills its package).
			let actual = T::WeightInfo::take_packages(1)
				.saturating_add(T::DbWeight::get().reads(2 * probes as u64))
				.saturating_sub(T::DbWeight::get().writes(unwritten as u64));
			Ok(PostDispatchInfo { actual_weight: Some(actual), pays_fee: Pays::Yes })
		}

		/// Commit to the package's labels:
		/// `blake2_256(SCALE((labeler, job, package, labels, salt)))`.
		///
		/// ## Dispatch Origin
		/// Signed by the package's taker.
		///
		/// ## Errors
		/// [`NotAssigned`](Error::NotAssigned), [`AlreadyCommitted`](Error::AlreadyCommitted),
		/// [`CommitWindowClosed`](Error::CommitWindowClosed),
		/// [`DuplicateCommitment`](Error::DuplicateCommitment).
		///
		/// ## Events
		/// [`LabelsCommitted`](Event::LabelsCommitted); [`RevealsOpened`](Event::RevealsOpened)
		/// when every slot is committed.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::commit_labels(T::MaxRedundancy::get()))]
		pub fn commit_labels(
			origin: OriginFor<T>,
			job: JobId,
			package: PackageIndex,
			commitment: Commitment,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let (slots, opened) = Self::do_commit_labels(who, job, package, commitment)?;
			// Refunded to the package's actual labels (the benchmark's range starts at the
			// smallest redundancy), and to a commit that only waits for the others when it did
			// not open the reveals (no other assignment written).
			let slots = slots.max(T::MinRedundancy::get());
			let actual = if opened {
				T::WeightInfo::commit_labels(slots)
			} else {
				T::WeightInfo::commit_labels_waiting(slots)
			};
			Ok(PostDispatchInfo { actual_weight: Some(actual), pays_fee: Pays::Yes })
		}

		/// Reveal the committed labels (one per item of the package, in order). The reveal that
		/// completes the package judges it at once: consensus, then each labeler accepted
		/// (deposit released) or slashed.
		///
		/// `redundancy` is a witness: the job's redundancy R (`JobDetails`), at least. The call is
		/// charged up front for a judgement of that many labels (the judgement it may trigger),
		/// and refunded to what it did; a larger witness only raises the up-front charge.
		///
		/// ## Dispatch Origin
		/// Signed by the package's taker.
		///
		/// ## Errors
		/// [`RedundancyWitnessTooLow`](Error::RedundancyWitnessTooLow),
		/// [`NotAssigned`](Error::NotAssigned), [`NotCommitted`](Error::NotCommitted),
		/// [`RevealNotOpen`](Error::RevealNotOpen),
		/// [`RevealWindowClosed`](Error::RevealWindowClosed),
		/// [`WrongLabelCount`](Error::WrongLabelCount), [`InvalidLabel`](Error::InvalidLabel),
		/// [`CommitmentMismatch`](Error::CommitmentMismatch).
		///
		/// ## Events
		/// [`LabelRevealed`](Event::LabelRevealed) per item; when judged
		/// [`PackageAccepted`](Event::PackageAccepted) / [`DepositSlashed`](Event::DepositSlashed)
		/// per labeler, and once R labels are accepted
		/// [`ConsensusReached`](Event::ConsensusReached) per item and
		/// [`PackageCompleted`](Event::PackageCompleted).
		#[pallet::call_index(4)]
		#[pallet::weight(
			T::WeightInfo::reveal_labels(labels.len() as u32, most_boxes::<T>(labels))
				.saturating_add(judge_worst_case::<T>(
					labels.len() as u32,
					labels.first().map(JudgedKind::from),
					*redundancy,
				))
		)]
		pub fn reveal_labels(
			origin: OriginFor<T>,
			job: JobId,
			package: PackageIndex,
			labels: PackageLabelsOf<T>,
			salt: Salt,
			redundancy: u32,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let n = labels.len() as u32;
			let boxes = most_boxes::<T>(&labels);
			let cost = Self::do_reveal_labels(who, job, package, labels, salt, redundancy)?;
			let actual =
				T::WeightInfo::reveal_labels(n, boxes).saturating_add(judge_weight::<T>(cost));
			Ok(PostDispatchInfo { actual_weight: Some(actual), pays_fee: Pays::Yes })
		}

		/// Remove a labeler who missed a deadline (deposit forfeited; a missed reveal also counts
		/// as a failure in the reputation), release one whose package can no longer fill (no
		/// label was revealed), or judge revealed labels left waiting when the job is over.
		///
		/// ## Dispatch Origin
		/// Signed, anyone.
		///
		/// ## Errors
		/// [`NotAssigned`](Error::NotAssigned), [`NotExpired`](Error::NotExpired).
		///
		/// ## Events
		/// [`DepositSlashed`](Event::DepositSlashed), [`DepositReleased`](Event::DepositReleased),
		/// or the judgement's events.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::expire_assignment()
			.saturating_add(T::DbWeight::get().reads_writes(2, 2))
			.saturating_add(judge_worst_case::<T>(
				T::MaxPackageSize::get(),
				None,
				T::MaxRedundancy::get(),
			)))]
		pub fn expire_assignment(
			origin: OriginFor<T>,
			job: JobId,
			package: PackageIndex,
			labeler: T::AccountId,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let (cost, released) = Self::do_expire_assignment(job, package, labeler)?;
			// The labeler's idle stake in the job, released when this was its last open package
			// there (the hold and the account, read and written; not in the benchmark).
			let idle =
				if released { T::DbWeight::get().reads_writes(2, 2) } else { Weight::zero() };
			let actual = T::WeightInfo::expire_assignment()
				.saturating_add(idle)
				.saturating_add(judge_weight::<T>(cost));
			Ok(PostDispatchInfo { actual_weight: Some(actual), pays_fee: Pays::Yes })
		}

		/// Reveal the hidden challenge answers of a job and record each labeler's result.
		/// The answers hash with the requester's account to the job's commitment:
		/// `blake2_256(SCALE((requester, answers, salt)))`.
		///
		/// ## Dispatch Origin
		/// [`Config::CuratorOrigin`].
		///
		/// ## Errors
		/// [`UnknownJob`](Error::UnknownJob), [`NoChallenges`](Error::NoChallenges),
		/// [`CommitmentMismatch`](Error::CommitmentMismatch),
		/// [`BadChallenge`](Error::BadChallenge),
		/// [`DuplicateChallenge`](Error::DuplicateChallenge),
		/// [`InvalidLabel`](Error::InvalidLabel).
		///
		/// ## Events
		/// [`ChallengesRevealed`](Event::ChallengesRevealed).
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::reveal_challenges(answers.len() as u32, T::MaxRedundancy::get()))]
		pub fn reveal_challenges(
			origin: OriginFor<T>,
			job: JobId,
			answers: ChallengesOf<T>,
			salt: Salt,
		) -> DispatchResult {
			T::CuratorOrigin::ensure_origin(origin)?;
			Self::do_reveal_challenges(job, answers, salt).map(|_| ())
		}

		/// Settle the job: credit the labelers' rewards (Briko eq. 4), pay the platform reserve
		/// and refund the unearned budget.
		///
		/// ## Dispatch Origin
		/// Signed, anyone.
		///
		/// ## Errors
		/// [`UnknownJob`](Error::UnknownJob), [`NotSettleable`](Error::NotSettleable),
		/// [`ChallengesPending`](Error::ChallengesPending),
		/// [`AssignmentsOpen`](Error::AssignmentsOpen).
		///
		/// ## Events
		/// [`ConsensusRevised`](Event::ConsensusRevised) (single class, when the re-vote changed
		/// items), [`RewardCredited`](Event::RewardCredited) per labeler,
		/// [`JobSettled`](Event::JobSettled).
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::settle_job(
			T::MaxLabelersPerJob::get(),
			T::MaxItems::get()
		)
		// The single-class re-vote of every item, at its largest.
		.saturating_add(T::WeightInfo::revise_results(
			T::MaxLabelersPerJob::get(),
			T::MaxItems::get()
		))
		// A corpus-review job's ranking and follow-up job, at their largest.
		.saturating_add(T::WeightInfo::rank_items(T::MaxItems::get()))
		.saturating_add(T::WeightInfo::create_job(T::MaxItems::get())))]
		pub fn settle_job(origin: OriginFor<T>, job: JobId) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let (labelers, packages, ranked, follow_up, revised) = Self::do_settle_job(job)?;
			let mut actual = T::WeightInfo::settle_job(labelers, packages)
				// Whether the job has a review rule: one read.
				.saturating_add(T::DbWeight::get().reads(1));
			if revised {
				actual = actual.saturating_add(T::WeightInfo::revise_results(labelers, packages));
			}
			if ranked > 0 {
				actual = actual.saturating_add(T::WeightInfo::rank_items(ranked));
			}
			if follow_up > 0 {
				actual = actual.saturating_add(T::WeightInfo::create_job(follow_up));
			}
			Ok(PostDispatchInfo { actual_weight: Some(actual), pays_fee: Pays::Yes })
		}

		/// Pay out every reward credited to the caller.
		///
		/// ## Dispatch Origin
		/// Signed by the labeler.
		///
		/// ## Errors
		/// [`NothingToClaim`](Error::NothingToClaim),
		/// [`BelowExistentialDeposit`](Error::BelowExistentialDeposit).
		///
		/// ## Events
		/// [`RewardsClaimed`](Event::RewardsClaimed).
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::claim_rewards())]
		pub fn claim_rewards(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim_rewards(who)
		}

		/// Remove a settled job's items, results and contributors once the retention period has
		/// passed without a dataset being published; the storage deposit returns to the
		/// requester.
		///
		/// ## Dispatch Origin
		/// Signed, anyone.
		///
		/// ## Errors
		/// [`UnknownJob`](Error::UnknownJob), [`NotSettled`](Error::NotSettled),
		/// [`Retained`](Error::Retained), [`RetentionRunning`](Error::RetentionRunning),
		/// [`AppealsPending`](Error::AppealsPending).
		///
		/// ## Events
		/// [`JobPruned`](Event::JobPruned).
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::prune_job(T::MaxItems::get()))]
		pub fn prune_job(origin: OriginFor<T>, job: JobId) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let items = Self::do_prune_job(job)?;
			Ok(PostDispatchInfo {
				actual_weight: Some(T::WeightInfo::prune_job(items)),
				pays_fee: Pays::Yes,
			})
		}

		/// Set a domain's slash floor: boxes and classes, a package whose mean agreement with
		/// consensus is below it forfeits its deposit, and an answer to a hidden challenge below
		/// it is wrong. Applies to every judgement from now on (packages already judged keep
		/// their verdicts). Until set, a domain uses [`Config::DefaultSlashFloor`].
		///
		/// ## Dispatch Origin
		/// [`Config::CuratorOrigin`].
		///
		/// ## Errors
		/// [`UnknownDomain`](Error::UnknownDomain).
		///
		/// ## Events
		/// [`SlashFloorSet`](Event::SlashFloorSet).
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::set_slash_floor())]
		pub fn set_slash_floor(
			origin: OriginFor<T>,
			domain: DomainId,
			floor: Perbill,
		) -> DispatchResult {
			T::CuratorOrigin::ensure_origin(origin)?;
			ensure!(T::Labelers::domain(domain).is_some(), Error::<T>::UnknownDomain);
			SlashFloors::<T>::insert(domain, floor);
			Self::deposit_event(Event::SlashFloorSet { domain, floor });
			Ok(())
		}

		/// Create a **supplementary job funded by the treasury** (Briko: the reserve pays for
		/// supplementary tasks): the same as [`create_job`](Pallet::create_job) with the
		/// treasury account ([`Config::Treasury`]) as the requester. Its budget and storage
		/// deposit are held on the treasury account, so treasury spends cannot use them, and
		/// whatever the job does not pay out returns to the treasury at settlement and pruning.
		///
		/// ## Dispatch Origin
		/// [`Config::TreasuryOrigin`] (a council motion).
		///
		/// ## Errors
		/// As [`create_job`](Pallet::create_job); [`InsufficientBalance`](Error::InsufficientBalance)
		/// when the treasury's free balance cannot cover the budget and storage deposit.
		///
		/// ## Events
		/// [`JobCreated`](Event::JobCreated) with the treasury account as `requester`.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::create_job(spec.items.len() as u32))]
		pub fn create_treasury_job(origin: OriginFor<T>, spec: JobSpecOf<T>) -> DispatchResult {
			T::TreasuryOrigin::ensure_origin(origin)?;
			Self::do_create_job(T::Treasury::get(), spec).map(|_| ())
		}

		/// Create a **corpus-review job** (Briko Phase 1): an ordinary job over a score domain
		/// whose items are ranked by consensus score when it settles. The top `⌊keep · P⌋` items
		/// are kept (`Rankings`); the items within `margin` places of the cut-off line become a
		/// follow-up review job of the same requester, domain, redundancy and windows, paid by
		/// `follow_up_budget` (held until the ranking).
		///
		/// ## Dispatch Origin
		/// Signed by the requester.
		///
		/// ## Details
		/// The storage deposit also covers the ranking record ([`Pallet::review_bytes`]). A
		/// follow-up that cannot be created at settlement (for example the requester cannot pay
		/// its storage deposit then) is skipped, its budget released
		/// ([`FollowUpFailed`](Event::FollowUpFailed)); the settlement goes through.
		///
		/// ## Errors
		/// As [`create_job`](Pallet::create_job); [`NotRankable`](Error::NotRankable),
		/// [`BadKeep`](Error::BadKeep), [`BadFollowUp`](Error::BadFollowUp),
		/// [`FollowUpBudgetTooSmall`](Error::FollowUpBudgetTooSmall),
		/// [`InsufficientBalance`](Error::InsufficientBalance).
		///
		/// ## Events
		/// [`JobCreated`](Event::JobCreated), [`ReviewDeclared`](Event::ReviewDeclared).
		#[pallet::call_index(17)]
		#[pallet::weight(T::WeightInfo::create_review_job(spec.items.len() as u32))]
		pub fn create_review_job(
			origin: OriginFor<T>,
			spec: JobSpecOf<T>,
			review: ReviewSpecOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_create_review_job(who, spec, review)
		}

		/// Appeal a slash: hold [`Config::AppealBond`] and have the package re-judged by a panel
		/// of the domain's most reliable labelers ([`vote_appeal`](Pallet::vote_appeal)) or by
		/// the council ([`decide_appeal`](Pallet::decide_appeal)).
		///
		/// ## Dispatch Origin
		/// Signed by the slashed labeler.
		///
		/// ## Details
		/// Only a slash for bad labels by a judgement that accepted other labelers can be
		/// appealed ([`SlashAppealable`](Event::SlashAppealable)), within
		/// [`Config::AppealPeriod`] blocks, once. A won appeal refunds the deposit from the
		/// treasury, returns the bond, forfeits the stakes of the labelers accepted in that
		/// judgement and records a failure for each of their labels; a lost appeal forfeits the
		/// bond. The treasury pays [`Config::PanelFee`] to each panelist who voted with the
		/// decision.
		///
		/// ## Errors
		/// [`NothingToAppeal`](Error::NothingToAppeal),
		/// [`AppealWindowClosed`](Error::AppealWindowClosed),
		/// [`AlreadyAppealed`](Error::AlreadyAppealed), [`CannotPayBond`](Error::CannotPayBond).
		///
		/// ## Events
		/// [`AppealFiled`](Event::AppealFiled).
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::appeal())]
		pub fn appeal(origin: OriginFor<T>, job: JobId, package: PackageIndex) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_appeal(job, package, who)
		}

		/// Vote on an appeal as a panelist: `overturn` if the appellant's labels deserved to
		/// pass. The vote that makes a majority of [`Config::AppealPanelSize`] decides it.
		///
		/// ## Dispatch Origin
		/// Signed by a labeler qualified in the job's domain with a pay weight of at least
		/// [`Config::PanelMinWeight`] over at least [`Config::PanelMinRecord`] scored labels, who
		/// neither labeled the package nor was slashed on it.
		///
		/// ## Errors
		/// [`UnknownAppeal`](Error::UnknownAppeal),
		/// [`ConflictOfInterest`](Error::ConflictOfInterest),
		/// [`NotReliableEnough`](Error::NotReliableEnough),
		/// [`AlreadyVoted`](Error::AlreadyVoted), [`PanelFull`](Error::PanelFull),
		/// [`TreasuryCannotPay`](Error::TreasuryCannotPay) (the deciding vote).
		///
		/// ## Events
		/// [`AppealVoted`](Event::AppealVoted); when decided as
		/// [`decide_appeal`](Pallet::decide_appeal).
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::vote_appeal(
			T::MaxRedundancy::get(),
			T::AppealPanelSize::get()
		))]
		pub fn vote_appeal(
			origin: OriginFor<T>,
			job: JobId,
			package: PackageIndex,
			labeler: T::AccountId,
			overturn: bool,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let cost = Self::do_vote_appeal(job, package, labeler, who, overturn)?;
			Ok(cost.map(|(r, k)| T::WeightInfo::vote_appeal(r, k)).into())
		}

		/// Decide an appeal (for example when no panel formed or it tied).
		///
		/// ## Dispatch Origin
		/// [`Config::CuratorOrigin`] (the council).
		///
		/// ## Errors
		/// [`UnknownAppeal`](Error::UnknownAppeal),
		/// [`TreasuryCannotPay`](Error::TreasuryCannotPay).
		///
		/// ## Events
		/// [`AppealDecided`](Event::AppealDecided); when overturned
		/// [`StakeForfeited`](Event::StakeForfeited) per stake of the labelers accepted in the
		/// judgement; [`PanelistPaid`](Event::PanelistPaid) per panelist who voted with it.
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::decide_appeal(
			T::MaxRedundancy::get(),
			T::AppealPanelSize::get()
		))]
		pub fn decide_appeal(
			origin: OriginFor<T>,
			job: JobId,
			package: PackageIndex,
			labeler: T::AccountId,
			overturn: bool,
		) -> DispatchResultWithPostInfo {
			T::CuratorOrigin::ensure_origin(origin)?;
			let (r, k) =
				Self::do_decide_appeal(job, package, &labeler, overturn, AppealDecider::Council)?;
			Ok(Some(T::WeightInfo::decide_appeal(r, k)).into())
		}

		/// Release a deposit kept at stake once its appeal window is over and no appeal on the
		/// package is undecided.
		///
		/// ## Dispatch Origin
		/// Signed, anyone.
		///
		/// ## Errors
		/// [`NoStake`](Error::NoStake), [`StakeLocked`](Error::StakeLocked).
		///
		/// ## Events
		/// [`StakeReleased`](Event::StakeReleased).
		#[pallet::call_index(16)]
		#[pallet::weight(T::WeightInfo::release_stake())]
		pub fn release_stake(
			origin: OriginFor<T>,
			job: JobId,
			package: PackageIndex,
			labeler: T::AccountId,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_release_stake(job, package, labeler)
		}

		/// Close an appeal that neither the panel nor the council decided within
		/// [`Config::AppealPeriod`] of its filing: the bond returns to the appellant and the
		/// slash stands. Nothing can then keep the package's stakes or the job's data locked.
		///
		/// ## Dispatch Origin
		/// Signed, anyone.
		///
		/// ## Errors
		/// [`UnknownAppeal`](Error::UnknownAppeal), [`AppealNotLapsed`](Error::AppealNotLapsed).
		///
		/// ## Events
		/// [`AppealLapsed`](Event::AppealLapsed).
		#[pallet::call_index(18)]
		#[pallet::weight(T::WeightInfo::close_lapsed_appeal())]
		pub fn close_lapsed_appeal(
			origin: OriginFor<T>,
			job: JobId,
			package: PackageIndex,
			labeler: T::AccountId,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_close_lapsed_appeal(job, package, labeler)
		}

		/// Take up to `count` packages of the job in one call (the labeler's batch of work): the
		/// pallet assigns them at random, as [`Pallet::take_package`] does, from one draw onwards
		/// (see the [`PackageTaken`](Event::PackageTaken) events), and holds 1.5 x each one's
		/// reward value in one hold. Fewer are taken when fewer free packages are found; all or
		/// nothing otherwise. Cheaper per package than separate takes: the job, the
		/// qualification, the workload, the open list and the balance are read and written once.
		///
		/// ## Dispatch Origin
		/// Signed by a labeler qualified in the job's domain.
		///
		/// ## Errors
		/// [`NoPackagesRequested`](Error::NoPackagesRequested) (`count` is 0),
		/// [`TooManyOpenPackages`](Error::TooManyOpenPackages) (the packages held plus `count`
		/// exceed `MaxOpenPerLabeler`), and those of [`Pallet::take_package`].
		///
		/// ## Events
		/// [`PackageTaken`](Event::PackageTaken) for each package.
		#[pallet::call_index(19)]
		#[pallet::weight({
			let k = (*count).clamp(1, T::MaxOpenPerLabeler::get());
			T::WeightInfo::take_packages(k).saturating_add(
				T::DbWeight::get().reads(2 * (crate::functions::MAX_TAKE_PROBES * k) as u64)
			)
		})]
		pub fn take_packages(
			origin: OriginFor<T>,
			job: JobId,
			count: u32,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let (taken, probes, unwritten) = Self::do_take_packages(who, job, count)?;
			// Refunded to the packages taken and probed and to the writes not made, as a take.
			let actual = T::WeightInfo::take_packages(taken.len() as u32)
				.saturating_add(T::DbWeight::get().reads(2 * probes as u64))
				.saturating_sub(T::DbWeight::get().writes(unwritten as u64));
			Ok(PostDispatchInfo { actual_weight: Some(actual), pays_fee: Pays::Yes })
		}

		/// Release your idle stake in the job now: the deposits of your accepted packages that
		/// stay on hold while you hold other packages of the job (your next take there would use
		/// them first). They are released anyway when your last open package of the job ends;
		/// this gives them back earlier, for example while a co-labeler of another package of
		/// yours keeps it waiting.
		///
		/// ## Dispatch Origin
		/// Signed by the labeler.
		///
		/// ## Errors
		/// [`NoIdleStake`](Error::NoIdleStake).
		///
		/// ## Events
		/// [`IdleStakeReleased`](Event::IdleStakeReleased).
		#[pallet::call_index(20)]
		#[pallet::weight(T::WeightInfo::release_idle_stake())]
		pub fn release_idle_stake(origin: OriginFor<T>, job: JobId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_release_idle_stake(who, job)
		}
	}
}
