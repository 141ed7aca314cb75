//! # Jobs pallet
//!
//! Labeling jobs for CrowdLabel: escrowed budgets, packages with deposits, commit-reveal labels,
//! consensus weighted by reputation, slashing and rewards.
//!
//! ## Overview
//!
//! A requester [`create_job`](Pallet::create_job)s: a domain, the items (content hashes), the
//! redundancy R and a budget that is held in escrow. Items are grouped into packages of
//! `package_size` ("daily task packages"); each package must be labeled by R different
//! qualified labelers.
//!
//! A labeler qualified in the domain [`take_package`](Pallet::take_package)s, which holds a
//! deposit of **1.5 x the package's reward value** (`pay * items_in_package / (items * R)`),
//! [`commit_labels`](Pallet::commit_labels) `blake2_256(SCALE(labels) ++ salt)` within the commit
//! window, and once all R takers have committed [`reveal_labels`](Pallet::reveal_labels) within
//! the reveal window — nobody can copy a label that is not yet public, and nobody can change a
//! label after seeing others.
//!
//! When R labels are revealed, anyone calls [`finalize_package`](Pallet::finalize_package) (the
//! caller pays for the consensus work): per item, consensus over the R labels weighted by each
//! labeler's reputation `a` (weighted medoid / vote / Briko eq. 1), per labeler the package
//! error. Stars: a mean error **above 1.5 points** forfeits the deposit; boxes/classes: a mean
//! agreement **below the domain's slash floor** does. Forfeited deposits go to the **treasury**;
//! the forfeiting labeler's labels are discarded and the slot is free again, so the items are
//! redistributed to another labeler. Otherwise the deposit is released and the labels are
//! accepted. Every label's error updates the labeler's reputation.
//!
//! A labeler who misses the commit or reveal deadline can be expired by anyone
//! ([`expire_assignment`](Pallet::expire_assignment)): the deposit is forfeited.
//!
//! About 5% of a job's items can be hidden challenge (gold) items: the job builder mixes them
//! into `items` and passes only a commitment to `(index, answer)` pairs. Labels do not reveal which
//! items are challenges; after the labeling the curator
//! [`reveal_challenges`](Pallet::reveal_challenges), and every labeler of those items gets a right
//! (x unchanged) or wrong (x += 0.05) challenge record.
//!
//! When every package is complete, or after the deadline, or after a cancellation, anyone
//! [`settle_job`](Pallet::settle_job)s: Briko eq. 4, `reward_n = Pay * (a_n W_n) / sum a_i W_i`,
//! over the accepted work (W = items labeled), with `Pay` the share of `budget - reserve` for
//! the completed packages; the platform reserve of that share goes to the treasury; the unspent
//! rest returns to the requester. The split is exact to the last unit.
//!
//! ## Known limitation
//! When a package's labeler is slashed after the reveal, the other labels of that package are
//! already public; the replacement labeler could copy them. The consensus then rests on R − 1
//! independent labels for that package.

#![cfg_attr(not(feature = "std"), no_std)]
// `create_job` takes the job's parameters one by one (as polkadot.js shows them); the call
// constructors FRAME generates from it inherit the argument count.
#![allow(clippy::too_many_arguments)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod finished;
mod functions;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Inspect, Mutate, MutateHold},
	};
	use frame_system::pallet_prelude::*;
	use pallet_labelers::{
		types::{Commitment, DomainId, ItemHash, Label, Salt},
		LabelerRegistry,
	};
	use sp_runtime::{FixedU128, Perbill};

	/// Balance type of the currency.
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	/// A job with this runtime's types.
	pub type JobOf<T> =
		Job<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
	/// A label with this runtime's box bound.
	pub type LabelOf<T> = Label<<T as Config>::MaxBoxes>;
	/// The labels of one package.
	pub type PackageLabelsOf<T> = BoundedVec<LabelOf<T>, <T as Config>::MaxPackageSize>;
	/// An assignment with this runtime's types.
	pub type AssignmentOf<T> = Assignment<
		BalanceOf<T>,
		BlockNumberFor<T>,
		<T as Config>::MaxBoxes,
		<T as Config>::MaxPackageSize,
	>;
	/// Challenge answers: `(item index, answer)`.
	pub type ChallengesOf<T> = BoundedVec<(u32, LabelOf<T>), <T as Config>::MaxChallenges>;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Reasons for which this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A job's budget in escrow.
		JobEscrow,
		/// A labeler's deposit on a package.
		PackageDeposit,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;
		/// The currency of budgets and deposits.
		type Currency: Inspect<Self::AccountId>
			+ Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;
		/// Qualification, weights and reputation of labelers.
		type Labelers: LabelerRegistry<Self::AccountId, BlockNumberFor<Self>>;
		/// Origin that reveals challenge answers.
		type CuratorOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Receives the platform reserve and forfeited deposits.
		type Treasury: Get<Self::AccountId>;
		/// Share of every budget kept as platform reserve.
		#[pallet::constant]
		type PlatformReserve: Get<Perbill>;
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
		/// Most distinct labelers paid by one job (bounds settlement).
		#[pallet::constant]
		type MaxLabelersPerJob: Get<u32>;
		/// Most challenge items in a job.
		#[pallet::constant]
		type MaxChallenges: Get<u32>;
		/// Weight information for the calls.
		type WeightInfo: WeightInfo;
	}

	/// Jobs by id (removed at settlement).
	#[pallet::storage]
	pub type Jobs<T: Config> = CountedStorageMap<_, Twox64Concat, JobId, JobOf<T>>;

	/// The id the next job gets.
	#[pallet::storage]
	pub type NextJobId<T> = StorageValue<_, JobId, ValueQuery>;

	/// The items of a job.
	#[pallet::storage]
	pub type JobItems<T: Config> =
		StorageMap<_, Twox64Concat, JobId, BoundedVec<ItemHash, T::MaxItems>, ValueQuery>;

	/// Progress of each package.
	#[pallet::storage]
	pub type Packages<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		JobId,
		Twox64Concat,
		PackageIndex,
		Package<BlockNumberFor<T>>,
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

	/// Accepted workload W (items) per labeler in a job.
	#[pallet::storage]
	pub type Workload<T: Config> =
		StorageDoubleMap<_, Twox64Concat, JobId, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Consensus per item (by item index) of completed packages.
	#[pallet::storage]
	pub type Results<T: Config> =
		StorageDoubleMap<_, Twox64Concat, JobId, Twox64Concat, u32, ItemResult<T::MaxBoxes>>;

	/// Labelers whose labels of a completed package were accepted, with their weight `a` at
	/// settlement (written when the job is settled, kept for dataset sales).
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

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A job was created and its budget escrowed.
		JobCreated {
			job: JobId,
			requester: T::AccountId,
			domain: DomainId,
			items: u32,
			packages: u32,
			budget: BalanceOf<T>,
		},
		/// The requester cancelled the job.
		JobCancelled { job: JobId },
		/// A labeler took a package and put down a deposit.
		PackageTaken {
			job: JobId,
			package: PackageIndex,
			labeler: T::AccountId,
			deposit: BalanceOf<T>,
		},
		/// A labeler committed to their labels.
		LabelsCommitted { job: JobId, package: PackageIndex, labeler: T::AccountId },
		/// A label was revealed.
		LabelRevealed { job: JobId, item: u32, labeler: T::AccountId },
		/// Consensus was reached for an item.
		ConsensusReached { job: JobId, item: u32, agreement: Perbill },
		/// A labeler's package passed: deposit released, labels accepted.
		PackageAccepted {
			job: JobId,
			package: PackageIndex,
			labeler: T::AccountId,
			agreement: Perbill,
		},
		/// A labeler's deposit was forfeited to the treasury (bad labels or missed deadline).
		DepositSlashed {
			job: JobId,
			package: PackageIndex,
			labeler: T::AccountId,
			amount: BalanceOf<T>,
		},
		/// A deposit was released without judgement (job cancelled or expired while waiting).
		DepositReleased {
			job: JobId,
			package: PackageIndex,
			labeler: T::AccountId,
			amount: BalanceOf<T>,
		},
		/// All R labels of a package were accepted.
		PackageCompleted { job: JobId, package: PackageIndex },
		/// Challenge answers were revealed and checked.
		ChallengesRevealed { job: JobId, checked: u32, wrong: u32 },
		/// A labeler was paid.
		RewardPaid { job: JobId, labeler: T::AccountId, amount: BalanceOf<T> },
		/// The job was settled.
		JobSettled { job: JobId, paid: BalanceOf<T>, reserve: BalanceOf<T>, refunded: BalanceOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The domain does not exist.
		UnknownDomain,
		/// No items were given.
		NoItems,
		/// Redundancy must be between 1 and `MaxRedundancy`.
		BadRedundancy,
		/// Package size must be between 1 and `MaxPackageSize`.
		BadPackageSize,
		/// The budget is too small to give every labeling a non-zero reward value.
		BudgetTooSmall,
		/// Windows and the deadline must be at least one block.
		ZeroWindow,
		/// The requester cannot pay the budget.
		InsufficientBalance,
		/// No such job.
		UnknownJob,
		/// Only the requester can do this.
		NotRequester,
		/// The job is not open (cancelled or past its deadline).
		JobNotOpen,
		/// No such package in this job.
		UnknownPackage,
		/// The package already has its R labels.
		PackageComplete,
		/// The package has no free slot: R labelers hold or completed it.
		PackageFull,
		/// Only labelers qualified in the job's domain can take packages.
		NotQualified,
		/// This labeler already holds or labeled this package.
		AlreadyTaken,
		/// The job already pays `MaxLabelersPerJob` labelers; take a package of another job.
		TooManyLabelers,
		/// The labeler does not hold this package.
		NotAssigned,
		/// The commit window has closed.
		CommitWindowClosed,
		/// Already committed.
		AlreadyCommitted,
		/// Reveals open when all R takers have committed.
		RevealNotOpen,
		/// The reveal window has closed.
		RevealWindowClosed,
		/// Commit first.
		NotCommitted,
		/// The labels and salt do not hash to the commitment.
		CommitmentMismatch,
		/// Give one label per item of the package, in order.
		WrongLabelCount,
		/// A label does not fit the domain's label kind.
		InvalidLabel,
		/// The package does not have R revealed labels yet.
		NotReady,
		/// The assignment is within its deadlines.
		NotExpired,
		/// The job has no challenge commitment, or it was already revealed.
		NoChallenges,
		/// A challenge index is beyond the job's items or its package is not complete.
		BadChallenge,
		/// The job is still running: wait for completion, the deadline or a cancellation.
		NotSettleable,
		/// Challenge answers must be revealed before settlement (the curator has until the
		/// deadline).
		ChallengesPending,
		/// Labelers still hold packages; expire them first.
		AssignmentsOpen,
		/// An id counter overflowed.
		IdOverflow,
		/// An amount overflowed.
		Overflow,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Create a job and escrow its budget.
		///
		/// ## Dispatch Origin
		/// Signed by the requester.
		///
		/// ## Errors
		/// `UnknownDomain`, `NoItems`, `BadRedundancy`, `BadPackageSize`, `ZeroWindow`,
		/// `BudgetTooSmall`, `InsufficientBalance`, `IdOverflow`.
		///
		/// ## Events
		/// `JobCreated`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_job(items.len() as u32))]
		pub fn create_job(
			origin: OriginFor<T>,
			domain: DomainId,
			items: BoundedVec<ItemHash, T::MaxItems>,
			redundancy: u32,
			package_size: u32,
			budget: BalanceOf<T>,
			duration: BlockNumberFor<T>,
			commit_window: BlockNumberFor<T>,
			reveal_window: BlockNumberFor<T>,
			challenges: Option<Commitment>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_create_job(
				who,
				domain,
				items,
				redundancy,
				package_size,
				budget,
				duration,
				commit_window,
				reveal_window,
				challenges,
			)
		}

		/// Cancel a job: no more packages can be taken; completed work is paid at settlement and
		/// the rest refunded.
		///
		/// ## Dispatch Origin
		/// Signed by the requester.
		///
		/// ## Errors
		/// `UnknownJob`, `NotRequester`, `JobNotOpen`.
		///
		/// ## Events
		/// `JobCancelled`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::cancel_job())]
		pub fn cancel_job(origin: OriginFor<T>, job: JobId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel_job(who, job)
		}

		/// Take a package: holds 1.5 x its reward value.
		///
		/// ## Dispatch Origin
		/// Signed by a labeler qualified in the job's domain.
		///
		/// ## Errors
		/// `UnknownJob`, `JobNotOpen`, `UnknownPackage`, `PackageComplete`, `PackageFull`,
		/// `NotQualified`, `AlreadyTaken`, `TooManyLabelers`, `InsufficientBalance`.
		///
		/// ## Events
		/// `PackageTaken`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::take_package())]
		pub fn take_package(
			origin: OriginFor<T>,
			job: JobId,
			package: PackageIndex,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_take_package(who, job, package)
		}

		/// Commit to the package's labels: `blake2_256(SCALE(labels) ++ salt)`.
		///
		/// ## Dispatch Origin
		/// Signed by the package's taker.
		///
		/// ## Errors
		/// `NotAssigned`, `AlreadyCommitted`, `CommitWindowClosed`.
		///
		/// ## Events
		/// `LabelsCommitted`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::commit_labels())]
		pub fn commit_labels(
			origin: OriginFor<T>,
			job: JobId,
			package: PackageIndex,
			commitment: Commitment,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_commit_labels(who, job, package, commitment)
		}

		/// Reveal the committed labels (one per item of the package, in order).
		///
		/// ## Dispatch Origin
		/// Signed by the package's taker.
		///
		/// ## Errors
		/// `NotAssigned`, `NotCommitted`, `RevealNotOpen`, `RevealWindowClosed`,
		/// `WrongLabelCount`, `InvalidLabel`, `CommitmentMismatch`.
		///
		/// ## Events
		/// `LabelRevealed` per item.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::reveal_labels(labels.len() as u32, T::MaxBoxes::get()))]
		pub fn reveal_labels(
			origin: OriginFor<T>,
			job: JobId,
			package: PackageIndex,
			labels: PackageLabelsOf<T>,
			salt: Salt,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_reveal_labels(who, job, package, labels, salt)
		}

		/// Run consensus on a package with R revealed labels; slash or accept each labeler.
		///
		/// ## Dispatch Origin
		/// Signed, anyone (pays for the consensus work).
		///
		/// ## Errors
		/// `UnknownJob`, `UnknownPackage`, `PackageComplete`, `NotReady`.
		///
		/// ## Events
		/// `PackageAccepted` or `DepositSlashed` per labeler; when all pass `ConsensusReached`
		/// per item and `PackageCompleted`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::finalize_package(
			T::MaxPackageSize::get(),
			T::MaxRedundancy::get(),
			T::MaxBoxes::get(),
		))]
		pub fn finalize_package(
			origin: OriginFor<T>,
			job: JobId,
			package: PackageIndex,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_finalize_package(job, package)
		}

		/// Remove a labeler who missed a deadline (deposit forfeited), or release a labeler
		/// whose package can no longer be completed (job cancelled or past its deadline).
		///
		/// ## Dispatch Origin
		/// Signed, anyone.
		///
		/// ## Errors
		/// `NotAssigned`, `NotExpired`.
		///
		/// ## Events
		/// `DepositSlashed` or `DepositReleased`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::expire_assignment())]
		pub fn expire_assignment(
			origin: OriginFor<T>,
			job: JobId,
			package: PackageIndex,
			labeler: T::AccountId,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_expire_assignment(job, package, labeler)
		}

		/// Reveal the hidden challenge answers of a job and record each labeler's result.
		///
		/// ## Dispatch Origin
		/// [`Config::CuratorOrigin`].
		///
		/// ## Errors
		/// `UnknownJob`, `NoChallenges`, `CommitmentMismatch`, `BadChallenge`, `InvalidLabel`.
		///
		/// ## Events
		/// `ChallengesRevealed`.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::reveal_challenges(answers.len() as u32, T::MaxRedundancy::get()))]
		pub fn reveal_challenges(
			origin: OriginFor<T>,
			job: JobId,
			answers: ChallengesOf<T>,
			salt: Salt,
		) -> DispatchResult {
			T::CuratorOrigin::ensure_origin(origin)?;
			Self::do_reveal_challenges(job, answers, salt)
		}

		/// Pay the labelers (Briko eq. 4), the platform reserve and refund the unspent budget.
		///
		/// ## Dispatch Origin
		/// Signed, anyone.
		///
		/// ## Errors
		/// `UnknownJob`, `NotSettleable`, `ChallengesPending`, `AssignmentsOpen`.
		///
		/// ## Events
		/// `RewardPaid` per labeler, `JobSettled`.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::settle_job(
			T::MaxLabelersPerJob::get(),
			T::MaxItems::get()
		))]
		pub fn settle_job(origin: OriginFor<T>, job: JobId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_settle_job(job)
		}
	}
}
