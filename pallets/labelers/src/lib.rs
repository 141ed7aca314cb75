//! # Labelers pallet
//!
//! Registration of labelers, labeling domains with committed gold data, qualification rounds
//! and per-domain reputation for CrowdLabel.
//!
//! ## Overview
//!
//! Anyone can [`register`](Pallet::register) as a labeler with one call (a small anti-spam
//! deposit is held) and declare the domains they want to work in. A domain curator
//! ([`Config::CuratorOrigin`], e.g. sudo or a council) creates domains — label kind, qualification
//! bar, round size `K`, cool-down, the weight curve's `s` — and stocks them with gold items: data
//! items whose answers the curator knows. On chain a gold item is only a **commitment**
//! `blake2_256(SCALE(answer) ++ salt)`, so nobody can read the answer before it is used.
//!
//! A labeler qualifies for a domain in a **round**: [`request_qualification`] hands out `K` gold
//! items from the stock (each gold item is handed out once, ever), the candidate
//! [`submit_qualification`]s answers, the curator [`reveal_gold`]s the answers with their salts,
//! the pallet verifies them against the commitments, grades the candidate with the
//! `crowdlabel-consensus` crate (mean IoU, accuracy or mean score error in widths of the range) and qualifies or fails the
//! candidate (failed candidates wait a cool-down). Revealed gold is retired: its answer is public
//! from then on.
//!
//! Every scored label feeds the labeler's **reputation** in the domain: the error `x` and the
//! voting weight `a = 0.8 + 0.4 exp(-x^2 / (2 s^2))`. Other pallets (labeling jobs) read and
//! update it through the [`LabelerRegistry`](crowdlabel_traits::LabelerRegistry) trait
//! (`crowdlabel-traits`), without depending on this pallet's internals.
//! Hidden challenge items and missed reveals enter `x` through the labeler's challenge *failure
//! rate* (`crowdlabel_consensus::reputation::challenge_term`): a long honest record outweighs a
//! slip, and a fresh account never starts above an established honest one.
//!
//! ### Qualification rounds cannot be brute-forced
//! Throw-away accounts could otherwise cycle the same funds through round after round, guessing
//! (issue 11, item 4). Three rules make that useless:
//! - **A failed round costs money.** Every round pays a non-refundable **round fee**
//!   `GoldItemFee x K` to the treasury when it starts (whatever the outcome: the round consumes
//!   `K` gold items the curator had to produce), and a graded round that fails forfeits
//!   [`Config::FailedRoundForfeit`] of the round deposit (runtime: 50 %) to the treasury. A
//!   candidate who never answers forfeits the whole deposit.
//! - **Bars that guessing clears are refused.** [`create_domain`] and [`update_domain`] compute the
//!   exact probability that a uniform random guesser passes the round
//!   (`crowdlabel_consensus::guessing`: `P(Bin(K, 1/c) >= ceil(bar K))` for `c` classes, the
//!   distribution of the summed score error for scores with the gold answers that favour the
//!   guesser, exact up to a range of 16 points and a tight upper bound beyond, rounded up) and refuse parameters above [`Config::MaxGuessPassProbability`]
//!   (runtime: 1 %) with [`GuessableBar`](Error::GuessableBar). The figure is stated in
//!   [`DomainCreated`](Event::DomainCreated) / [`DomainUpdated`](Event::DomainUpdated)
//!   (`guess_pass`); it is `None` for bounding boxes, whose guessers cannot be modelled (see the
//!   `guessing` module: the curator must pick gold that data-driven guesses do not pass).
//! - **Qualification is not forever.** The curator can [`revoke_qualification`], and it is
//!   revoked automatically (reason `ChallengeFailures`) when, after at least
//!   [`Config::RevokeAfterFailures`] failed challenges or missed reveals, the labeler's weight is
//!   at the floor (`a <= 0.804`, i.e. within 1 % of the weight range above 0.8). Every reputation
//!   update checks the rule. A revoked labeler's standing becomes
//!   [`Qualification::Failed`] with the domain's cool-down (`retry_at`): they may qualify again
//!   through a new, paid round; their reputation record is kept, so a labeler who was revoked at
//!   the floor is revoked again at the next failure unless their record has healed. Work already
//!   taken in other pallets is still judged.
//!
//! Cost of cycling for a guesser (runtime figures, `K = 10`): `2.5 + 1 = 3.5` CROL per failed
//! round, at most a 1 % chance of passing, so at least 350 CROL per qualified sybil, plus
//! transaction fees.
//!
//! ### Why candidates answer in the clear (no commit-reveal in rounds)
//! Commit-reveal protects a label from being copied by another labeler of the same item. Gold
//! items of a round are handed to exactly one candidate and never again, so there is nobody to
//! copy from or to; and the gold answers stay hidden behind their commitments until the candidate
//! has answered. Answering directly halves the transactions of a round without weakening it.
//!
//! ## Terminology
//! - **Curator**: the origin that manages domains and gold ([`Config::CuratorOrigin`]).
//! - **Gold item**: a data item with a committed answer, used once in a qualification round.
//! - **Round**: `K` gold items answered by one candidate, graded on reveal.
//! - **Pending work**: an open round (an [`OpenRound`] entry) or work another pallet reports
//!   through [`Config::WorkInProgress`] (the jobs pallet: a package taken and not yet judged); a
//!   labeler can only leave without any. Both are read from state kept anyway, so starting or
//!   finishing work writes nothing here.
//!
//! ## Deposits and fees
//! Held with `fungible::MutateHold` under [`HoldReason`]:
//! - the registration deposit ([`Config::RegistrationDeposit`], refunded on [`unregister`]);
//!   for a **sponsored** labeler it is held on the sponsor's account
//!   ([`HoldReason::SponsoredRegistration`]) and refunded to the sponsor (see below);
//! - a round deposit ([`Config::RoundDeposit`]) while a round is open:
//!   - the candidate passes: refunded in full;
//!   - the candidate answered and fails: `floor(FailedRoundForfeit x deposit)` goes to
//!     [`Config::Treasury`], the rest is refunded;
//!   - the candidate never answers: forfeited in full to the treasury;
//!   - the curator misses the reveal: refunded in full (no fault of the candidate).
//!
//! And one fee, transferred (not held) to the treasury when a round starts:
//! - the round fee `GoldItemFee x K` ([`Config::GoldItemFee`]), never refunded, not even when the
//!   curator misses the reveal: the round's gold is retired either way.
//!
//! ### Sponsored registration
//! A newcomer without CROL can be registered by a **sponsor** (a requester recruiting
//! labelers, a treasury spend, a friend): [`sponsor_registration`] holds the registration
//! deposit on the sponsor and records it in [`Sponsors`]. The deposit goes back to the sponsor,
//! never to the labeler, when the labeler leaves ([`unregister`]) or when the sponsor ends the
//! sponsorship of an idle labeler ([`end_sponsorship`]). Reputation and qualifications belong to
//! the labeler and survive either. The sponsor still has to send the newcomer a little CROL for
//! fees and qualification rounds (batch a transfer with the sponsorship).
//!
//! [`register`]: Pallet::register
//! [`sponsor_registration`]: Pallet::sponsor_registration
//! [`end_sponsorship`]: Pallet::end_sponsorship
//! [`unregister`]: Pallet::unregister
//! [`request_qualification`]: Pallet::request_qualification
//! [`submit_qualification`]: Pallet::submit_qualification
//! [`reveal_gold`]: Pallet::reveal_gold
//! [`create_domain`]: Pallet::create_domain
//! [`update_domain`]: Pallet::update_domain
//! [`revoke_qualification`]: Pallet::revoke_qualification

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(rustdoc::broken_intra_doc_links)]

extern crate alloc;

pub use pallet::*;

pub mod api;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod functions;
pub mod migrations;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
mod traits;
#[cfg(any(test, feature = "try-runtime", feature = "fuzzing"))]
mod try_state;
pub mod types;
pub mod weights;

pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use crowdlabel_consensus::{FixedU128, Perbill};
	use crowdlabel_traits::WorkInProgress;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{BalancedHold, Credit, Inspect, Mutate, MutateHold},
			OnUnbalanced,
		},
	};
	use frame_system::pallet_prelude::*;

	/// Balance type of the currency.
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	/// Funds taken from a hold, on their way to [`Config::Slash`].
	pub type CreditOf<T> = Credit<<T as frame_system::Config>::AccountId, <T as Config>::Currency>;
	/// A label with this runtime's box bound.
	pub type LabelOf<T> = Label<<T as Config>::MaxBoxes>;
	/// A domain with this runtime's bounds.
	pub type DomainOf<T> = Domain<BlockNumberFor<T>, <T as Config>::MaxNameLen>;
	/// A labeler record with this runtime's bounds.
	pub type LabelerOf<T> = Labeler<BalanceOf<T>, BlockNumberFor<T>, <T as Config>::MaxDomains>;
	/// A round with this runtime's bounds.
	pub type RoundOf<T> = Round<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		BlockNumberFor<T>,
		<T as Config>::MaxRoundSize,
		<T as Config>::MaxBoxes,
	>;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(3);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Reasons for which this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Registration deposit of a labeler.
		#[codec(index = 0)]
		Registration,
		/// Deposit of an open qualification round.
		#[codec(index = 1)]
		QualificationRound,
		/// Registration deposit a sponsor holds for a labeler it registered
		/// ([`Pallet::sponsor_registration`]).
		#[codec(index = 2)]
		SponsoredRegistration,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency deposits are held in.
		type Currency: Inspect<Self::AccountId>
			+ Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ BalancedHold<Self::AccountId>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Origin that creates domains and manages gold data.
		type CuratorOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Deposit held while registered.
		#[pallet::constant]
		type RegistrationDeposit: Get<BalanceOf<Self>>;

		/// Deposit held while a qualification round is open.
		#[pallet::constant]
		type RoundDeposit: Get<BalanceOf<Self>>;

		/// Receives round fees.
		#[pallet::constant]
		type Treasury: Get<Self::AccountId>;
		/// Where forfeited round deposits go (runtime: the treasury account; model:
		/// `pallet-referenda`'s `Slash`).
		type Slash: OnUnbalanced<CreditOf<Self>>;

		/// Share of the round deposit a candidate who answered and failed forfeits to the
		/// treasury (the rest is refunded).
		#[pallet::constant]
		type FailedRoundForfeit: Get<Perbill>;

		/// Round fee per gold item: a round of `K` items pays `GoldItemFee x K` to the treasury
		/// when it starts, whatever its outcome.
		#[pallet::constant]
		type GoldItemFee: Get<BalanceOf<Self>>;

		/// Highest probability that a uniform random guesser passes a domain's qualification
		/// round; `create_domain` / `update_domain` refuse parameters above it.
		#[pallet::constant]
		type MaxGuessPassProbability: Get<Perbill>;

		/// Failed challenges (and missed reveals) after which a labeler whose weight is at the
		/// floor loses their qualification.
		#[pallet::constant]
		type RevokeAfterFailures: Get<u32>;

		/// Most domains a labeler can declare.
		#[pallet::constant]
		type MaxDomains: Get<u32>;

		/// Longest domain name in bytes.
		#[pallet::constant]
		type MaxNameLen: Get<u32>;

		/// Most gold items in stock per domain.
		#[pallet::constant]
		type MaxGoldStock: Get<u32>;

		/// Most gold items added in one call.
		#[pallet::constant]
		type MaxGoldBatch: Get<u32>;

		/// Largest round size `K` (at most `crowdlabel_consensus::guessing::MAX_ROUND_SIZE`).
		#[pallet::constant]
		type MaxRoundSize: Get<u32>;

		/// Most boxes in one label (at most `crowdlabel_consensus::limits::MAX_BOXES`).
		#[pallet::constant]
		type MaxBoxes: Get<u32>;

		/// Work under way in other pallets (the jobs pallet's packages), asked before a
		/// registration ends.
		type WorkInProgress: WorkInProgress<Self::AccountId>;

		/// Weight information for the calls.
		type WeightInfo: WeightInfo;
	}

	/// Registered labelers.
	#[pallet::storage]
	pub type Registrations<T: Config> =
		CountedStorageMap<_, Blake2_128Concat, T::AccountId, LabelerOf<T>>;

	/// The sponsor of a sponsored labeler: the account whose
	/// [`HoldReason::SponsoredRegistration`] hold is the labeler's registration deposit, and which
	/// gets it back when the labeler leaves.
	#[pallet::storage]
	pub type Sponsors<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, T::AccountId, OptionQuery>;

	/// Domains by id.
	#[pallet::storage]
	pub type Domains<T: Config> = CountedStorageMap<_, Twox64Concat, DomainId, DomainOf<T>>;

	/// The id the next domain gets.
	#[pallet::storage]
	pub type NextDomainId<T> = StorageValue<_, DomainId, ValueQuery>;

	/// Gold items (in stock or in an open round); removed when revealed.
	#[pallet::storage]
	pub type Gold<T: Config> = CountedStorageMap<_, Twox64Concat, GoldId, GoldItem>;

	/// The id the next gold item gets.
	#[pallet::storage]
	pub type NextGoldId<T> = StorageValue<_, GoldId, ValueQuery>;

	/// Gold items of a domain not yet handed out, oldest first. Its length is the gold stock.
	#[pallet::storage]
	pub type GoldStock<T: Config> =
		StorageMap<_, Twox64Concat, DomainId, BoundedVec<GoldId, T::MaxGoldStock>, ValueQuery>;

	/// Open qualification rounds.
	#[pallet::storage]
	pub type Rounds<T: Config> = CountedStorageMap<_, Twox64Concat, RoundId, RoundOf<T>>;

	/// The id the next round gets.
	#[pallet::storage]
	pub type NextRoundId<T> = StorageValue<_, RoundId, ValueQuery>;

	/// The open round of a labeler in a domain.
	#[pallet::storage]
	pub type OpenRound<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, DomainId, RoundId>;

	/// Qualification standing of a labeler in a domain.
	#[pallet::storage]
	pub type Qualifications<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		DomainId,
		Qualification<BlockNumberFor<T>>,
	>;

	/// What the chain has learned about a labeler in a domain ([`LabelerRecord`]): the error
	/// statistics behind the pay weight `a` and the **reliability model** behind the voting power
	/// in consensus — how the labeler answers (confusion counts, score calibration line and
	/// noise, box agreement), learned from qualification gold, hidden challenge answers and
	/// agreement with finalised consensus. The two are separate (a labeler's pay and vote follow
	/// different rules) but stored together: a judgement updates both for each labeler with one
	/// read and one write. Absent: a newcomer (no errors, a newcomer's model).
	#[pallet::storage]
	pub type Reputation<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		DomainId,
		LabelerRecord,
		ValueQuery,
	>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A labeler registered.
		Registered { labeler: T::AccountId, deposit: BalanceOf<T> },
		/// A labeler left; every deposit was released (a sponsored labeler's registration
		/// deposit to its sponsor, see `SponsorshipEnded`).
		Unregistered { labeler: T::AccountId, refunded: BalanceOf<T> },
		/// A sponsor registered a newcomer and holds the registration `deposit` for them.
		RegistrationSponsored {
			labeler: T::AccountId,
			sponsor: T::AccountId,
			deposit: BalanceOf<T>,
		},
		/// A sponsorship ended (the labeler left, or the sponsor ended it while the labeler was
		/// idle): `refunded` went back to the sponsor.
		SponsorshipEnded { labeler: T::AccountId, sponsor: T::AccountId, refunded: BalanceOf<T> },
		/// A labeler declared the domains they work in.
		DomainsDeclared { labeler: T::AccountId, domains: BoundedVec<DomainId, T::MaxDomains> },
		/// The curator created a domain. `guess_pass`: the probability that a uniform random
		/// guesser passes its qualification round (rounded up; `None` for bounding boxes).
		DomainCreated { domain: DomainId, kind: LabelKind, guess_pass: Option<Perbill> },
		/// The curator changed a domain's parameters; `guess_pass` as in `DomainCreated`.
		DomainUpdated { domain: DomainId, guess_pass: Option<Perbill> },
		/// The curator added a gold item (its answer is only committed).
		GoldAdded { domain: DomainId, gold: GoldId, item: ItemHash },
		/// A round started: the candidate must answer these items. `fee` (`GoldItemFee x K`) was
		/// paid to the treasury.
		QualificationRequested {
			round: RoundId,
			labeler: T::AccountId,
			domain: DomainId,
			items: BoundedVec<ItemHash, T::MaxRoundSize>,
			answer_deadline: BlockNumberFor<T>,
			fee: BalanceOf<T>,
		},
		/// The candidate answered the round.
		QualificationAnswered { round: RoundId, labeler: T::AccountId },
		/// A gold answer was revealed, verified and the gold item retired.
		GoldRevealed { gold: GoldId, domain: DomainId, answer: LabelOf<T> },
		/// The candidate passed.
		Qualified {
			labeler: T::AccountId,
			domain: DomainId,
			round: RoundId,
			agreement: Perbill,
			score_error: Option<FixedU128>,
		},
		/// The candidate failed and may retry from `retry_at`; `forfeited` is the part of the
		/// round deposit sent to the treasury.
		QualificationFailed {
			labeler: T::AccountId,
			domain: DomainId,
			round: RoundId,
			agreement: Perbill,
			score_error: Option<FixedU128>,
			retry_at: BlockNumberFor<T>,
			forfeited: BalanceOf<T>,
		},
		/// A labeler lost their qualification in a domain (standing is now `Failed` with the
		/// domain's cool-down).
		QualificationRevoked { labeler: T::AccountId, domain: DomainId, reason: RevocationReason },
		/// A round ran out of time; `forfeited` is the deposit sent to the treasury (zero when
		/// the curator, not the candidate, missed the deadline).
		RoundExpired { round: RoundId, labeler: T::AccountId, forfeited: BalanceOf<T> },
		/// A labeler's reputation in a domain changed.
		ReputationUpdated {
			labeler: T::AccountId,
			domain: DomainId,
			error: Option<FixedU128>,
			weight: FixedU128,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is already registered; call `declare_domains` to change domains.
		AlreadyRegistered,
		/// The account is not registered; call `register` first.
		NotRegistered,
		/// The labeler still has open rounds or packages; finish or expire them before leaving.
		WorkPending,
		/// A declared domain does not exist; check `Domains` for valid ids.
		UnknownDomain,
		/// A domain is listed twice; list each domain once.
		DuplicateDomain,
		/// The domain is not among the labeler's declared domains; declare it first.
		DomainNotDeclared,
		/// The account cannot pay the deposit; fund it with at least the deposit plus the
		/// existential deposit.
		InsufficientBalance,
		/// The domain name is empty; give the domain a name.
		EmptyName,
		/// The qualification bar does not fit the label kind: scores use `MaxMeanScoreError`,
		/// boxes and classes `MinMeanAgreement`.
		BarDoesNotFitKind,
		/// A score kind needs `min < max` (e.g. 1-5 for stars, 0-100 for a rating).
		EmptyScoreRange,
		/// A class-based domain needs at least one class.
		NoClasses,
		/// The round size is 0 or above `MaxRoundSize`.
		BadRoundSize,
		/// Answer and reveal windows must be at least one block.
		ZeroWindow,
		/// `s` must be positive.
		ZeroSigma,
		/// No gold items were given.
		EmptyGoldBatch,
		/// The domain's gold stock is full (`MaxGoldStock`); wait until rounds use some.
		GoldStockFull,
		/// The domain has fewer than `K` gold items in stock; the curator must add gold.
		NotEnoughGold,
		/// The labeler is already qualified in this domain.
		AlreadyQualified,
		/// The labeler failed recently; retry after the cool-down (see `Qualifications`).
		CoolingDown,
		/// The labeler already has an open round in this domain.
		RoundAlreadyOpen,
		/// No such round (finished rounds are removed).
		UnknownRound,
		/// Only the round's candidate can answer it.
		NotCandidate,
		/// The round is not waiting for answers.
		NotAnswering,
		/// The answer window has closed.
		AnswerWindowClosed,
		/// Give exactly one answer per gold item of the round, in order.
		WrongAnswerCount,
		/// An answer does not fit the domain's label kind (wrong variant, class out of range,
		/// score outside the domain's range or an invalid box).
		InvalidLabel,
		/// Give exactly one `(answer, salt)` per gold item of the round, in order.
		WrongRevealCount,
		/// A revealed answer and salt do not hash to the gold item's commitment.
		CommitmentMismatch,
		/// The round cannot be revealed yet: the candidate has neither answered nor run out of
		/// time.
		RoundNotReady,
		/// The round is still within its deadlines.
		RoundNotExpired,
		/// An id counter overflowed.
		IdOverflow,
		/// A uniform random guesser would pass this domain's qualification round with a
		/// probability above `MaxGuessPassProbability`: raise the bar or the round size `K`.
		GuessableBar,
		/// The labeler is not qualified in this domain, so there is nothing to revoke.
		NotQualified,
		/// A sponsor cannot sponsor itself; call `register` to pay your own deposit.
		SelfSponsorship,
		/// The caller is not this labeler's sponsor (see `Sponsors`), so it cannot end the
		/// sponsorship.
		NotSponsor,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(
				T::MaxRoundSize::get() <= crowdlabel_consensus::guessing::MAX_ROUND_SIZE,
				"MaxRoundSize above the guessing bound's limit"
			);
			assert!(
				T::MaxBoxes::get() as usize <= crowdlabel_consensus::limits::MAX_BOXES,
				"MaxBoxes above the math crate's limit"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register as a labeler, declaring the domains you want to work in.
		///
		/// ## Dispatch Origin
		/// Signed by the new labeler.
		///
		/// ## Details
		/// Holds [`Config::RegistrationDeposit`] until [`Pallet::unregister`]. No off-chain
		/// authentication.
		///
		/// ## Errors
		/// [`AlreadyRegistered`](Error::AlreadyRegistered),
		/// [`UnknownDomain`](Error::UnknownDomain), [`DuplicateDomain`](Error::DuplicateDomain),
		/// [`InsufficientBalance`](Error::InsufficientBalance).
		///
		/// ## Events
		/// [`Registered`](Event::Registered), [`DomainsDeclared`](Event::DomainsDeclared).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register(domains.len() as u32))]
		pub fn register(
			origin: OriginFor<T>,
			domains: BoundedVec<DomainId, T::MaxDomains>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register(who, domains)
		}

		/// Leave: releases the registration deposit.
		///
		/// ## Dispatch Origin
		/// Signed by the labeler.
		///
		/// ## Details
		/// Only when nothing is pending (no open round, no package taken). Reputation and
		/// qualifications are kept, so a returning labeler keeps their history. A sponsored
		/// labeler's deposit goes back to its sponsor (event
		/// [`SponsorshipEnded`](Event::SponsorshipEnded)).
		///
		/// ## Errors
		/// [`NotRegistered`](Error::NotRegistered), [`WorkPending`](Error::WorkPending).
		///
		/// ## Events
		/// [`Unregistered`](Event::Unregistered), and for a sponsored labeler
		/// [`SponsorshipEnded`](Event::SponsorshipEnded).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::unregister())]
		pub fn unregister(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unregister(who)
		}

		/// Replace the list of declared domains.
		///
		/// ## Dispatch Origin
		/// Signed by the labeler.
		///
		/// ## Errors
		/// [`NotRegistered`](Error::NotRegistered), [`UnknownDomain`](Error::UnknownDomain),
		/// [`DuplicateDomain`](Error::DuplicateDomain).
		///
		/// ## Events
		/// [`DomainsDeclared`](Event::DomainsDeclared).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::declare_domains(domains.len() as u32))]
		pub fn declare_domains(
			origin: OriginFor<T>,
			domains: BoundedVec<DomainId, T::MaxDomains>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_declare_domains(who, domains)
		}

		/// Create a labeling domain.
		///
		/// ## Dispatch Origin
		/// [`Config::CuratorOrigin`].
		///
		/// ## Details
		/// Computes the probability that a uniform random guesser passes the qualification round
		/// (exact, rounded up) and refuses the parameters above
		/// [`Config::MaxGuessPassProbability`].
		///
		/// ## Errors
		/// [`EmptyName`](Error::EmptyName), [`NoClasses`](Error::NoClasses),
		/// [`BarDoesNotFitKind`](Error::BarDoesNotFitKind), [`BadRoundSize`](Error::BadRoundSize),
		/// [`ZeroWindow`](Error::ZeroWindow), [`ZeroSigma`](Error::ZeroSigma),
		/// [`GuessableBar`](Error::GuessableBar), [`IdOverflow`](Error::IdOverflow).
		///
		/// ## Events
		/// [`DomainCreated`](Event::DomainCreated).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::create_domain(name.len() as u32))]
		pub fn create_domain(
			origin: OriginFor<T>,
			name: BoundedVec<u8, T::MaxNameLen>,
			kind: LabelKind,
			params: DomainParams<BlockNumberFor<T>>,
		) -> DispatchResult {
			T::CuratorOrigin::ensure_origin(origin)?;
			Self::do_create_domain(name, kind, params)
		}

		/// Change a domain's parameters (its label kind is fixed).
		///
		/// ## Dispatch Origin
		/// [`Config::CuratorOrigin`].
		///
		/// ## Errors
		/// [`UnknownDomain`](Error::UnknownDomain),
		/// [`BarDoesNotFitKind`](Error::BarDoesNotFitKind), [`BadRoundSize`](Error::BadRoundSize),
		/// [`ZeroWindow`](Error::ZeroWindow), [`ZeroSigma`](Error::ZeroSigma),
		/// [`GuessableBar`](Error::GuessableBar).
		///
		/// ## Events
		/// [`DomainUpdated`](Event::DomainUpdated).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::update_domain())]
		pub fn update_domain(
			origin: OriginFor<T>,
			domain: DomainId,
			params: DomainParams<BlockNumberFor<T>>,
		) -> DispatchResult {
			T::CuratorOrigin::ensure_origin(origin)?;
			Self::do_update_domain(domain, params)
		}

		/// Add gold items: `(content hash of the item, blake2_256(SCALE(answer) ++ salt))`.
		///
		/// ## Dispatch Origin
		/// [`Config::CuratorOrigin`].
		///
		/// ## Errors
		/// [`UnknownDomain`](Error::UnknownDomain), [`EmptyGoldBatch`](Error::EmptyGoldBatch),
		/// [`GoldStockFull`](Error::GoldStockFull), [`IdOverflow`](Error::IdOverflow).
		///
		/// ## Events
		/// [`GoldAdded`](Event::GoldAdded) per item.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::add_gold(items.len() as u32))]
		pub fn add_gold(
			origin: OriginFor<T>,
			domain: DomainId,
			items: BoundedVec<(ItemHash, Commitment), T::MaxGoldBatch>,
		) -> DispatchResult {
			T::CuratorOrigin::ensure_origin(origin)?;
			Self::do_add_gold(domain, items)
		}

		/// Start a qualification round: `K` gold items are handed out; holds
		/// [`Config::RoundDeposit`] and pays the round fee `GoldItemFee x K` to the treasury.
		///
		/// ## Dispatch Origin
		/// Signed by a registered labeler who declared the domain.
		///
		/// ## Errors
		/// [`NotRegistered`](Error::NotRegistered), [`UnknownDomain`](Error::UnknownDomain),
		/// [`DomainNotDeclared`](Error::DomainNotDeclared),
		/// [`AlreadyQualified`](Error::AlreadyQualified), [`CoolingDown`](Error::CoolingDown),
		/// [`RoundAlreadyOpen`](Error::RoundAlreadyOpen), [`NotEnoughGold`](Error::NotEnoughGold),
		/// [`InsufficientBalance`](Error::InsufficientBalance), [`IdOverflow`](Error::IdOverflow).
		///
		/// ## Events
		/// [`QualificationRequested`](Event::QualificationRequested) with the items to label.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::request_qualification(
			T::MaxRoundSize::get(),
			T::MaxGoldStock::get()
		))]
		pub fn request_qualification(origin: OriginFor<T>, domain: DomainId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_request_qualification(who, domain)
		}

		/// Answer a round, one label per gold item, in the order handed out.
		///
		/// ## Dispatch Origin
		/// Signed by the round's candidate.
		///
		/// ## Errors
		/// [`UnknownRound`](Error::UnknownRound), [`NotCandidate`](Error::NotCandidate),
		/// [`NotAnswering`](Error::NotAnswering),
		/// [`AnswerWindowClosed`](Error::AnswerWindowClosed),
		/// [`WrongAnswerCount`](Error::WrongAnswerCount), [`InvalidLabel`](Error::InvalidLabel).
		///
		/// ## Events
		/// [`QualificationAnswered`](Event::QualificationAnswered).
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::submit_qualification(answers.len() as u32, T::MaxBoxes::get()))]
		pub fn submit_qualification(
			origin: OriginFor<T>,
			round: RoundId,
			answers: BoundedVec<LabelOf<T>, T::MaxRoundSize>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_submit_qualification(who, round, answers)
		}

		/// Reveal the round's gold answers with their salts; grades the candidate.
		///
		/// ## Dispatch Origin
		/// [`Config::CuratorOrigin`].
		///
		/// ## Details
		/// Each `(answer, salt)` must hash to the gold item's commitment. A candidate who did
		/// not answer in time fails (and forfeits the round deposit); otherwise the mean
		/// agreement (or score error) is compared with the domain's bar: a pass refunds the
		/// deposit, a fail forfeits [`Config::FailedRoundForfeit`] of it. The gold items are
		/// retired. The candidate's gold errors enter their reputation.
		///
		/// ## Errors
		/// [`UnknownRound`](Error::UnknownRound), [`RoundNotReady`](Error::RoundNotReady),
		/// [`WrongRevealCount`](Error::WrongRevealCount),
		/// [`CommitmentMismatch`](Error::CommitmentMismatch),
		/// [`InvalidLabel`](Error::InvalidLabel).
		///
		/// ## Events
		/// [`GoldRevealed`](Event::GoldRevealed) per item, then [`Qualified`](Event::Qualified) or
		/// [`QualificationFailed`](Event::QualificationFailed),
		/// [`ReputationUpdated`](Event::ReputationUpdated).
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::reveal_gold(reveals.len() as u32, T::MaxBoxes::get()))]
		pub fn reveal_gold(
			origin: OriginFor<T>,
			round: RoundId,
			reveals: BoundedVec<(LabelOf<T>, Salt), T::MaxRoundSize>,
		) -> DispatchResult {
			T::CuratorOrigin::ensure_origin(origin)?;
			Self::do_reveal_gold(round, reveals)
		}

		/// Close a round whose reveal deadline passed without a reveal.
		///
		/// ## Dispatch Origin
		/// Signed, anyone.
		///
		/// ## Details
		/// A candidate who never answered fails and forfeits the round deposit to the treasury;
		/// a candidate who answered gets the deposit back and may request a new round at once
		/// (the curator missed the deadline). The round's gold is retired unrevealed.
		///
		/// ## Errors
		/// [`UnknownRound`](Error::UnknownRound), [`RoundNotExpired`](Error::RoundNotExpired).
		///
		/// ## Events
		/// [`RoundExpired`](Event::RoundExpired), and
		/// [`QualificationFailed`](Event::QualificationFailed) for a silent candidate.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::expire_round(T::MaxRoundSize::get()))]
		pub fn expire_round(origin: OriginFor<T>, round: RoundId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_expire_round(round)
		}

		/// Revoke a labeler's qualification in a domain.
		///
		/// ## Dispatch Origin
		/// [`Config::CuratorOrigin`].
		///
		/// ## Details
		/// The labeler's standing becomes `Failed` with the domain's cool-down; they may qualify
		/// again through a new round. Reputation is kept. Also happens automatically after
		/// repeated challenge failures at the weight floor (see the crate docs).
		///
		/// ## Errors
		/// [`UnknownDomain`](Error::UnknownDomain), [`NotQualified`](Error::NotQualified).
		///
		/// ## Events
		/// [`QualificationRevoked`](Event::QualificationRevoked) with reason `Curator`.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::revoke_qualification())]
		pub fn revoke_qualification(
			origin: OriginFor<T>,
			labeler: T::AccountId,
			domain: DomainId,
		) -> DispatchResult {
			T::CuratorOrigin::ensure_origin(origin)?;
			Self::do_revoke_qualification(labeler, domain, RevocationReason::Curator)
		}

		/// Register a newcomer as a labeler and pay their registration deposit.
		///
		/// ## Dispatch Origin
		/// Signed by the sponsor (a requester, a treasury spend, a friend): any account other
		/// than the newcomer.
		///
		/// ## Details
		/// The newcomer needs no CROL to be registered: [`Config::RegistrationDeposit`] is held on
		/// the **sponsor's** account ([`HoldReason::SponsoredRegistration`]) and is released to
		/// the sponsor, never to the labeler, when the labeler leaves ([`Pallet::unregister`]) or
		/// when the sponsor ends the sponsorship ([`Pallet::end_sponsorship`]). The newcomer's
		/// consent is not needed: being registered costs them nothing, commits them to nothing
		/// and they may leave at any time. The sponsor pays for the storage it creates (the
		/// deposit), exactly as a self-registering labeler does. A newcomer still needs a little
		/// CROL for transaction fees and qualification rounds: send it in the same
		/// `utility.batchAll`.
		///
		/// ## Errors
		/// [`SelfSponsorship`](Error::SelfSponsorship),
		/// [`AlreadyRegistered`](Error::AlreadyRegistered),
		/// [`UnknownDomain`](Error::UnknownDomain), [`DuplicateDomain`](Error::DuplicateDomain),
		/// [`InsufficientBalance`](Error::InsufficientBalance) (of the sponsor).
		///
		/// ## Events
		/// [`Registered`](Event::Registered),
		/// [`RegistrationSponsored`](Event::RegistrationSponsored),
		/// [`DomainsDeclared`](Event::DomainsDeclared).
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::sponsor_registration(domains.len() as u32))]
		pub fn sponsor_registration(
			origin: OriginFor<T>,
			labeler: T::AccountId,
			domains: BoundedVec<DomainId, T::MaxDomains>,
		) -> DispatchResult {
			let sponsor = ensure_signed(origin)?;
			Self::do_sponsor_registration(sponsor, labeler, domains)
		}

		/// End a sponsorship: the sponsored labeler is unregistered and the deposit returns to
		/// the sponsor.
		///
		/// ## Dispatch Origin
		/// Signed by the labeler's sponsor.
		///
		/// ## Details
		/// Only while the labeler is idle (no open round, no package taken), so no work is cut
		/// short. As with [`Pallet::unregister`], reputation and qualifications are kept: the
		/// labeler may register again, paying their own deposit or with a new sponsor.
		///
		/// ## Errors
		/// [`NotRegistered`](Error::NotRegistered), [`NotSponsor`](Error::NotSponsor),
		/// [`WorkPending`](Error::WorkPending).
		///
		/// ## Events
		/// [`SponsorshipEnded`](Event::SponsorshipEnded), [`Unregistered`](Event::Unregistered).
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::end_sponsorship())]
		pub fn end_sponsorship(origin: OriginFor<T>, labeler: T::AccountId) -> DispatchResult {
			let sponsor = ensure_signed(origin)?;
			Self::do_end_sponsorship(sponsor, labeler)
		}
	}
}
