//! The logic behind the calls, and the invariants checked by `try_state`.

use crate::{pallet::*, types::*};
use alloc::{collections::btree_map::BTreeMap, vec::Vec};
use codec::{Encode, MaxEncodedLen};
use crowdlabel_consensus::{
	consensus_boxes, consensus_class, consensus_stars, mean_error, mean_perbill, mul_div_floor,
	quality::star_slash_limit, reward_shares, split_proportional, BoundingBox, FixedU128, Perbill,
	Stars,
};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, InspectHold, Mutate, MutateHold},
		tokens::{Fortitude, Precision, Preservation, Restriction},
		Randomness,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_labelers::{
	commitment_of, grade, label_fits,
	types::{Commitment, DomainId, ItemHash, Label, LabelKind, Salt},
	LabelerRegistry,
};
use sp_runtime::traits::{
	AccountIdConversion, Saturating, UniqueSaturatedFrom, UniqueSaturatedInto, Zero,
};

/// Consensus label of an item, each labeler's agreement and (stars) star error.
type ItemOutcome<T> =
	(ConsensusLabel<<T as Config>::MaxBoxes>, Vec<Perbill>, Vec<Option<FixedU128>>);

/// Most packages `take_package` looks at, from its random starting point, for one the caller
/// does not already hold.
pub const MAX_TAKE_PROBES: u32 = 16;

/// `amount * num / den`, rounded down, in the balance type.
fn mul_div<B: UniqueSaturatedInto<u128> + UniqueSaturatedFrom<u128>>(
	amount: B,
	num: u32,
	den: u32,
) -> Option<B> {
	mul_div_floor(amount.unique_saturated_into(), num as u128, den as u128)
		.map(B::unique_saturated_from)
}

/// The commitment a labeler publishes for a package's labels:
/// `blake2_256(SCALE((labeler, job, package, labels, salt)))`. Binding the labeler, the job and
/// the package makes a copied commitment useless: nobody else can open it.
pub fn label_commitment<AccountId: Encode, L: Encode>(
	who: &AccountId,
	job: JobId,
	package: PackageIndex,
	labels: &L,
	salt: &Salt,
) -> Commitment {
	commitment_of(&(who, job, package, labels), salt)
}

/// The commitment of a job's hidden challenge answers:
/// `blake2_256(SCALE((requester, answers, salt)))`.
pub fn challenge_commitment<AccountId: Encode, A: Encode>(
	requester: &AccountId,
	answers: &A,
	salt: &Salt,
) -> Commitment {
	commitment_of(&(requester, answers), salt)
}

/// One vote in a package judgement.
struct Vote<T: Config> {
	who: T::AccountId,
	labels: PackageLabelsOf<T>,
	deposit: BalanceOf<T>,
	/// Accepted at an earlier judgement of the same package.
	accepted: bool,
}

impl<T: Config> Pallet<T> {
	/// The account holding credited, unclaimed rewards.
	pub fn account_id() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// Gives the pallet account the existential deposit if it has less (genesis, benchmarks).
	pub fn ensure_account_exists() {
		let account = Self::account_id();
		let ed = T::Currency::minimum_balance();
		let balance = T::Currency::balance(&account);
		if balance < ed {
			let _ = T::Currency::mint_into(&account, ed.saturating_sub(balance));
		}
	}

	/// First item index and number of items of a package.
	pub(crate) fn package_bounds(job: &JobOf<T>, p: PackageIndex) -> Option<(u32, u32)> {
		if p >= job.packages {
			return None;
		}
		let first = p.checked_mul(job.package_size)?;
		let len = job.package_size.min(job.items.checked_sub(first)?);
		Some((first, len))
	}

	/// Reward value of one labeling of a package of `len` items: `pay * len / (items * R)`.
	pub(crate) fn package_value(job: &JobOf<T>, len: u32) -> Option<BalanceOf<T>> {
		mul_div(job.pay, len, job.items.checked_mul(job.redundancy)?)
	}

	/// Deposit for a package: 1.5 x its reward value.
	pub(crate) fn package_deposit(job: &JobOf<T>, len: u32) -> Option<BalanceOf<T>> {
		let v = Self::package_value(job, len)?;
		Some(v.saturating_add(mul_div(v, 1, 2)?))
	}

	/// Worst-case bytes a job of `items` items in `packages` packages with redundancy `r`
	/// stores: the job record, its item list, its open-package list, one progress record per
	/// package (until settlement), one consensus result per item and the contributors of each
	/// package (until pruned). Keys are counted too: 32 bytes of prefix plus 12 per `Twox64Concat`
	/// `u32` key.
	pub fn storage_bytes(items: u32, packages: u32, r: u32) -> u64 {
		// Map keys: 32-byte prefix + `Twox64Concat(u32)` (12), single and double maps.
		const KEY1: u64 = 44;
		const KEY2: u64 = 56;
		// Longest SCALE length prefix of a bounded vector.
		const LEN: u64 = 5;
		let (items, packages, r) = (items as u64, packages as u64, r as u64);
		let job = KEY1 + JobOf::<T>::max_encoded_len() as u64;
		let item_list = KEY1 + LEN + items.saturating_mul(ItemHash::max_encoded_len() as u64);
		let open_list = KEY1 + LEN + packages.saturating_mul(4);
		let per_item = KEY2 + ItemResult::<T::MaxBoxes>::max_encoded_len() as u64;
		let contributor = T::AccountId::max_encoded_len() as u64 + 16;
		let per_package = (KEY2 + Package::max_encoded_len() as u64)
			.saturating_add(KEY2 + LEN + r.saturating_mul(contributor));
		job.saturating_add(item_list)
			.saturating_add(open_list)
			.saturating_add(items.saturating_mul(per_item))
			.saturating_add(packages.saturating_mul(per_package))
	}

	/// The storage deposit of a job: `StorageDepositPerByte * storage_bytes`.
	pub fn storage_deposit(items: u32, packages: u32, r: u32) -> BalanceOf<T> {
		let bytes = BalanceOf::<T>::unique_saturated_from(Self::storage_bytes(items, packages, r));
		T::StorageDepositPerByte::get().saturating_mul(bytes)
	}

	pub(crate) fn do_create_job(
		who: T::AccountId,
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
		let (kind, _) = T::Labelers::domain(domain).ok_or(Error::<T>::UnknownDomain)?;
		ensure!(!items.is_empty(), Error::<T>::NoItems);
		let max_r = T::MaxRedundancy::get().min(crowdlabel_consensus::limits::MAX_LABELS as u32);
		ensure!(
			redundancy >= T::MinRedundancy::get() && redundancy <= max_r,
			Error::<T>::BadRedundancy
		);
		ensure!(
			package_size >= 1 && package_size <= T::MaxPackageSize::get(),
			Error::<T>::BadPackageSize
		);
		ensure!(
			!duration.is_zero() && !commit_window.is_zero() && !reveal_window.is_zero(),
			Error::<T>::ZeroWindow
		);
		ensure!(
			duration <= T::MaxJobDuration::get()
				&& commit_window <= T::MaxWindow::get()
				&& reveal_window <= T::MaxWindow::get(),
			Error::<T>::WindowTooLong
		);
		ensure!(
			commit_window.saturating_add(reveal_window) <= duration,
			Error::<T>::WindowsExceedDuration
		);
		let n = items.len() as u32;
		let packages = n.div_ceil(package_size);
		let reserve = T::PlatformReserve::get().mul_floor(budget);
		let pay = budget.saturating_sub(reserve);
		let now = frame_system::Pallet::<T>::block_number();
		let storage_deposit = Self::storage_deposit(n, packages, redundancy);
		let job = Job {
			requester: who.clone(),
			domain,
			kind,
			items: n,
			package_size,
			packages,
			redundancy,
			budget,
			reserve,
			pay,
			deadline: now.saturating_add(duration),
			commit_window,
			reveal_window,
			challenges,
			challenges_revealed: false,
			gold_checked: 0,
			gold_wrong: 0,
			completed: 0,
			labelers: 0,
			fines: Zero::zero(),
			accepted: 0,
			challenge_items: 0,
			storage_deposit,
			settled_at: None,
			retained: false,
			status: JobStatus::Open,
		};
		// The smallest package (the last one) must be worth at least the existential deposit per
		// labeling, or rewards could not be paid out and deposits would be dust.
		let last = n.saturating_sub(package_size.saturating_mul(packages.saturating_sub(1)));
		let smallest = Self::package_value(&job, last).ok_or(Error::<T>::Overflow)?;
		ensure!(smallest >= T::Currency::minimum_balance(), Error::<T>::BudgetTooSmall);
		let id = NextJobId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::IdOverflow)?;
		T::Currency::hold(&HoldReason::JobEscrow.into(), &who, budget)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		if !storage_deposit.is_zero() {
			T::Currency::hold(&HoldReason::JobStorage.into(), &who, storage_deposit)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
		}
		let open: BoundedVec<PackageIndex, T::MaxItems> =
			BoundedVec::truncate_from((0..packages).collect::<Vec<_>>());
		Jobs::<T>::insert(id, job);
		JobItems::<T>::insert(id, items);
		OpenPackages::<T>::insert(id, open);
		NextJobId::<T>::put(next);
		Self::deposit_event(Event::JobCreated {
			job: id,
			requester: who,
			domain,
			items: n,
			packages,
			budget,
			storage_deposit,
		});
		Ok(())
	}

	pub(crate) fn do_cancel_job(who: T::AccountId, id: JobId) -> DispatchResult {
		let mut job = Jobs::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		ensure!(job.requester == who, Error::<T>::NotRequester);
		ensure!(job.status == JobStatus::Open, Error::<T>::JobNotOpen);
		job.status = JobStatus::Cancelled;
		// Only the untaken slots close: taken packages are still labeled, judged and paid.
		OpenPackages::<T>::remove(id);
		Jobs::<T>::insert(id, job);
		Self::deposit_event(Event::JobCancelled { job: id });
		Ok(())
	}

	/// Whether new labelers may still take packages of `job`.
	fn takes_open(job: &JobOf<T>, now: BlockNumberFor<T>) -> bool {
		job.status == JobStatus::Open
			&& now.saturating_add(job.commit_window).saturating_add(job.reveal_window)
				<= job.deadline
	}

	/// Picks the package for `who`: a random entry of the open list, then the next ones, skipping
	/// packages `who` already holds. Returns the package index.
	fn pick_package(
		who: &T::AccountId,
		id: JobId,
		open: &[PackageIndex],
	) -> Result<PackageIndex, DispatchError> {
		let len = open.len() as u32;
		ensure!(len > 0, Error::<T>::NoFreePackage);
		let subject = (b"crowdlabel/take", id, who).encode();
		let (random, _) = T::Randomness::random(&subject);
		let r = u32::from_le_bytes(
			random.as_ref().get(..4).and_then(|b| b.try_into().ok()).unwrap_or([0u8; 4]),
		);
		let start = r % len;
		for k in 0..len.min(MAX_TAKE_PROBES) {
			let i = (start.saturating_add(k) % len) as usize;
			let Some(p) = open.get(i) else { continue };
			if !Assignments::<T>::contains_key((id, *p, who)) {
				return Ok(*p);
			}
		}
		Err(Error::<T>::NoFreePackage.into())
	}

	/// Returns the package index taken.
	pub(crate) fn do_take_package(
		who: T::AccountId,
		id: JobId,
	) -> Result<PackageIndex, DispatchError> {
		let mut job = Jobs::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(job.status == JobStatus::Open && now <= job.deadline, Error::<T>::JobNotOpen);
		ensure!(Self::takes_open(&job, now), Error::<T>::TooLateToTake);
		ensure!(T::Labelers::is_qualified(&who, job.domain), Error::<T>::NotQualified);
		let mut work = Workload::<T>::get(id, &who);
		ensure!(
			work.is_none_or(|w| w.open < T::MaxOpenPerLabeler::get()),
			Error::<T>::TooManyOpenPackages
		);
		let mut open = OpenPackages::<T>::get(id);
		let p = Self::pick_package(&who, id, &open)?;
		let (_, len) = Self::package_bounds(&job, p).ok_or(Error::<T>::UnknownPackage)?;
		let mut pkg = Packages::<T>::get(id, p);
		ensure!(!pkg.complete, Error::<T>::PackageComplete);
		ensure!(pkg.takers.saturating_add(pkg.accepted) < job.redundancy, Error::<T>::PackageFull);
		let new_labeler = work.is_none();
		ensure!(
			!new_labeler || job.labelers < T::MaxLabelersPerJob::get(),
			Error::<T>::TooManyLabelers
		);
		let deposit = Self::package_deposit(&job, len).ok_or(Error::<T>::Overflow)?;
		T::Currency::hold(&HoldReason::PackageDeposit.into(), &who, deposit)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		T::Labelers::note_work_started(&who)?;
		let w = work.get_or_insert_with(LabelerWork::default);
		w.open = w.open.saturating_add(1);
		Workload::<T>::insert(id, &who, *w);
		if new_labeler {
			job.labelers = job.labelers.saturating_add(1);
			Jobs::<T>::insert(id, &job);
		}
		Assignments::<T>::insert(
			(id, p, &who),
			Assignment {
				deposit,
				deadline: Some(now.saturating_add(job.commit_window)),
				state: AssignmentState::Taken,
			},
		);
		pkg.takers = pkg.takers.saturating_add(1);
		if pkg.takers.saturating_add(pkg.accepted) >= job.redundancy {
			open.retain(|q| *q != p);
			OpenPackages::<T>::insert(id, open);
		}
		Packages::<T>::insert(id, p, pkg);
		Self::deposit_event(Event::PackageTaken { job: id, package: p, labeler: who, deposit });
		Ok(p)
	}

	/// Returns whether the commit opened the reveals (for the weight).
	pub(crate) fn do_commit_labels(
		who: T::AccountId,
		id: JobId,
		p: PackageIndex,
		commitment: Commitment,
	) -> Result<bool, DispatchError> {
		let mut a = Assignments::<T>::get((id, p, &who)).ok_or(Error::<T>::NotAssigned)?;
		ensure!(matches!(a.state, AssignmentState::Taken), Error::<T>::AlreadyCommitted);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(a.deadline.is_some_and(|d| now <= d), Error::<T>::CommitWindowClosed);
		let job = Jobs::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		// A commitment already in the package is a copy (commitments bind the labeler, so a
		// copy could never be opened anyway): refuse it outright.
		ensure!(
			!Assignments::<T>::iter_prefix_values((id, p))
				.any(|o| matches!(o.state, AssignmentState::Committed(c) if c == commitment)),
			Error::<T>::DuplicateCommitment
		);
		let mut pkg = Packages::<T>::get(id, p);
		pkg.committed = pkg.committed.saturating_add(1);
		a.state = AssignmentState::Committed(commitment);
		a.deadline = None;
		Assignments::<T>::insert((id, p, &who), a);
		Self::deposit_event(Event::LabelsCommitted { job: id, package: p, labeler: who });
		let opened = Self::maybe_open_reveals(id, &job, p, &mut pkg, now);
		Packages::<T>::insert(id, p, pkg);
		Ok(opened)
	}

	/// Once every slot of the package is committed (or accepted), the reveals open for every
	/// committer whose reveal window has not started yet. Running windows are never moved.
	fn maybe_open_reveals(
		id: JobId,
		job: &JobOf<T>,
		p: PackageIndex,
		pkg: &mut Package,
		now: BlockNumberFor<T>,
	) -> bool {
		if pkg.committed != pkg.takers || pkg.takers.saturating_add(pkg.accepted) != job.redundancy
		{
			return false;
		}
		let reveal_by = now.saturating_add(job.reveal_window);
		let waiting: Vec<T::AccountId> = Assignments::<T>::iter_prefix((id, p))
			.filter(|(_, a)| {
				matches!(a.state, AssignmentState::Committed(_)) && a.deadline.is_none()
			})
			.map(|(who, _)| who)
			.collect();
		if waiting.is_empty() {
			return false;
		}
		for who in waiting {
			Assignments::<T>::mutate((id, p, &who), |a| {
				if let Some(a) = a {
					a.deadline = Some(reveal_by);
				}
			});
		}
		let (seed, _) = T::Randomness::random(&(b"crowdlabel/seed", id, p).encode());
		pkg.seed = sp_io::hashing::blake2_256(seed.as_ref());
		Self::deposit_event(Event::RevealsOpened { job: id, package: p, reveal_by });
		true
	}

	/// Returns the judgement's cost figures if the reveal completed the package's reveals.
	pub(crate) fn do_reveal_labels(
		who: T::AccountId,
		id: JobId,
		p: PackageIndex,
		labels: PackageLabelsOf<T>,
		salt: Salt,
	) -> Result<Option<JudgeCost>, DispatchError> {
		let mut a = Assignments::<T>::get((id, p, &who)).ok_or(Error::<T>::NotAssigned)?;
		let AssignmentState::Committed(commitment) = a.state else {
			return Err(Error::<T>::NotCommitted.into());
		};
		let deadline = a.deadline.ok_or(Error::<T>::RevealNotOpen)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now <= deadline, Error::<T>::RevealWindowClosed);
		let mut job = Jobs::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		let (first, len) = Self::package_bounds(&job, p).ok_or(Error::<T>::UnknownPackage)?;
		ensure!(labels.len() as u32 == len, Error::<T>::WrongLabelCount);
		ensure!(labels.iter().all(|l| label_fits(&job.kind, l)), Error::<T>::InvalidLabel);
		ensure!(
			label_commitment(&who, id, p, &labels, &salt) == commitment,
			Error::<T>::CommitmentMismatch
		);
		a.state = AssignmentState::Revealed(labels);
		a.deadline = None;
		Assignments::<T>::insert((id, p, &who), a);
		let mut pkg = Packages::<T>::get(id, p);
		pkg.revealed = pkg.revealed.saturating_add(1);
		for i in 0..len {
			Self::deposit_event(Event::LabelRevealed {
				job: id,
				item: first.saturating_add(i),
				labeler: who.clone(),
			});
		}
		// The last reveal judges the package: nobody can keep revealed labels unpaid.
		let cost = if pkg.revealed == pkg.takers
			&& pkg.takers.saturating_add(pkg.accepted) == job.redundancy
		{
			Some(Self::judge(id, &mut job, p, &mut pkg, false)?)
		} else {
			None
		};
		Packages::<T>::insert(id, p, pkg);
		Jobs::<T>::insert(id, job);
		Ok(cost)
	}

	/// Consensus of item `i` of a package over `(labels, weight)`; returns the consensus label,
	/// each labeler's agreement and (stars) star error.
	fn item_consensus(
		kind: &LabelKind,
		votes: &[(&PackageLabelsOf<T>, FixedU128)],
		i: usize,
	) -> Result<ItemOutcome<T>, DispatchError> {
		let bad = || DispatchError::from(Error::<T>::InvalidLabel);
		match kind {
			LabelKind::BoundingBoxes { .. } => {
				let sets: Vec<(&[BoundingBox], FixedU128)> = votes
					.iter()
					.map(|(ls, w)| match ls.get(i) {
						Some(Label::Boxes(b)) => Ok((b.as_slice(), *w)),
						_ => Err(bad()),
					})
					.collect::<Result<_, _>>()?;
				let c = consensus_boxes(&sets).map_err(|_| bad())?;
				let winner = sets.get(c.winner).ok_or_else(bad)?.0;
				let label = ConsensusLabel::Boxes(BoundedVec::truncate_from(winner.to_vec()));
				let n = c.agreement.len();
				Ok((label, c.agreement, alloc::vec![None; n]))
			},
			LabelKind::SingleClass { .. } => {
				let v: Vec<(u16, FixedU128)> = votes
					.iter()
					.map(|(ls, w)| match ls.get(i) {
						Some(Label::Class(c)) => Ok((*c, *w)),
						_ => Err(bad()),
					})
					.collect::<Result<_, _>>()?;
				let c = consensus_class(&v).map_err(|_| bad())?;
				let n = c.agreement.len();
				Ok((ConsensusLabel::Class(c.class), c.agreement, alloc::vec![None; n]))
			},
			LabelKind::StarReview => {
				let v: Vec<(Stars, FixedU128)> = votes
					.iter()
					.map(|(ls, w)| match ls.get(i) {
						Some(Label::Stars(s)) => Stars::new(*s).map(|s| (s, *w)).map_err(|_| bad()),
						_ => Err(bad()),
					})
					.collect::<Result<_, _>>()?;
				let c = consensus_stars(&v).map_err(|_| bad())?;
				let errors = c.errors.iter().map(|e| Some(*e)).collect();
				Ok((ConsensusLabel::Stars(c.score), c.agreement, errors))
			},
		}
	}

	/// Judges a package over every label it holds (accepted earlier or revealed now):
	/// consensus per item weighted by each labeler's reputation, then per revealed labeler
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
		pkg: &mut Package,
		closing: bool,
	) -> Result<JudgeCost, DispatchError> {
		let (first, len) = Self::package_bounds(job, p).ok_or(Error::<T>::UnknownPackage)?;
		let (_, params) = T::Labelers::domain(job.domain).ok_or(Error::<T>::UnknownDomain)?;
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
		let cost = JudgeCost { items: len, labels: r as u32, boxes: max_boxes };
		if r == 0 {
			return Ok(cost);
		}
		let weights: Vec<FixedU128> =
			votes.iter().map(|v| T::Labelers::weight_of(&v.who, job.domain)).collect();
		let inputs: Vec<(&PackageLabelsOf<T>, FixedU128)> =
			votes.iter().zip(weights.iter()).map(|(v, w)| (&v.labels, *w)).collect();

		let mut results = Vec::with_capacity(len as usize);
		let mut agreements: Vec<Vec<Perbill>> = alloc::vec![Vec::new(); r];
		let mut star_errors: Vec<Vec<Option<FixedU128>>> = alloc::vec![Vec::new(); r];
		for i in 0..len as usize {
			let (label, agree, errs) = Self::item_consensus(&job.kind, &inputs, i)?;
			let mean = mean_perbill(&agree).unwrap_or_default();
			for (n, (a, e)) in agree.into_iter().zip(errs).enumerate() {
				if let (Some(av), Some(ev)) = (agreements.get_mut(n), star_errors.get_mut(n)) {
					av.push(a);
					ev.push(e);
				}
			}
			results.push(ItemResult { label, agreement: mean });
		}

		// Too few labels to judge anybody: accept, pay, do not score.
		let judged = (r as u32) >= T::MinRedundancy::get();
		if !judged && !closing {
			return Ok(cost);
		}
		let pkg_reason = HoldReason::PackageDeposit.into();
		let mut slashed_any = false;
		for ((vote, agree), errs) in votes.iter().zip(agreements.iter()).zip(star_errors.iter()) {
			if vote.accepted {
				continue;
			}
			let mean_agreement = mean_perbill(agree).unwrap_or_default();
			let pass = !judged
				|| match job.kind {
					LabelKind::StarReview => {
						let e: Vec<FixedU128> = errs.iter().filter_map(|e| *e).collect();
						mean_error(&e).unwrap_or_default() <= star_slash_limit()
					},
					_ => mean_agreement >= params.slash_floor,
				};
			if judged {
				for (a, e) in agree.iter().zip(errs.iter()) {
					T::Labelers::record_outcome(
						&vote.who,
						job.domain,
						pallet_labelers::reputation_error(*a, *e),
					);
				}
			}
			if pass {
				T::Currency::release(&pkg_reason, &vote.who, vote.deposit, Precision::BestEffort)?;
				Assignments::<T>::insert(
					(id, p, &vote.who),
					Assignment {
						deposit: Zero::zero(),
						deadline: None,
						state: AssignmentState::Accepted(vote.labels.clone()),
					},
				);
				Self::note_left(id, job, &vote.who, Some(len));
				Contributions::<T>::try_mutate(id, p, |c| {
					c.try_push((vote.who.clone(), FixedU128::zero()))
				})
				.map_err(|_| Error::<T>::Overflow)?;
				T::Labelers::note_work_finished(&vote.who);
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
			} else {
				Self::slash(id, job, p, &vote.who, vote.deposit, SlashReason::BadLabels)?;
				Assignments::<T>::remove((id, p, &vote.who));
				pkg.takers = pkg.takers.saturating_sub(1);
				pkg.committed = pkg.committed.saturating_sub(1);
				pkg.revealed = pkg.revealed.saturating_sub(1);
				slashed_any = true;
			}
		}

		if pkg.accepted >= job.redundancy {
			for (i, res) in results.into_iter().enumerate() {
				let item = first.saturating_add(i as u32);
				Self::deposit_event(Event::ConsensusReached {
					job: id,
					item,
					agreement: res.agreement,
				});
				Results::<T>::insert(id, item, res);
			}
			pkg.complete = true;
			job.completed = job.completed.saturating_add(1);
			Self::deposit_event(Event::PackageCompleted { job: id, package: p });
		} else if slashed_any {
			// The slots of the slashed labelers are free again for other labelers.
			Self::reopen(id, job, p, frame_system::Pallet::<T>::block_number())?;
		}
		Ok(cost)
	}

	/// Bookkeeping when a labeler's open package ends: accepted (`Some(items)`) or not.
	/// A labeler with no open package and nothing accepted leaves the job's labeler count.
	fn note_left(id: JobId, job: &mut JobOf<T>, who: &T::AccountId, accepted: Option<u32>) {
		let Some(mut w) = Workload::<T>::get(id, who) else { return };
		w.open = w.open.saturating_sub(1);
		if let Some(items) = accepted {
			w.accepted = w.accepted.saturating_add(items);
		}
		if w.open == 0 && w.accepted == 0 {
			Workload::<T>::remove(id, who);
			job.labelers = job.labelers.saturating_sub(1);
		} else {
			Workload::<T>::insert(id, who, w);
		}
	}

	/// Forfeits a package deposit to the treasury.
	fn slash(
		id: JobId,
		job: &mut JobOf<T>,
		p: PackageIndex,
		who: &T::AccountId,
		amount: BalanceOf<T>,
		reason: SlashReason,
	) -> DispatchResult {
		T::Currency::transfer_on_hold(
			&HoldReason::PackageDeposit.into(),
			who,
			&T::Treasury::get(),
			amount,
			Precision::BestEffort,
			Restriction::Free,
			Fortitude::Force,
		)?;
		job.fines = job.fines.saturating_add(amount);
		Self::note_left(id, job, who, None);
		T::Labelers::note_work_finished(who);
		Self::deposit_event(Event::DepositSlashed {
			job: id,
			package: p,
			labeler: who.clone(),
			amount,
			reason,
		});
		Ok(())
	}
}

impl<T: Config> Pallet<T> {
	/// Whether the job can no longer take labelers (cancelled or past its deadline).
	fn closed(job: &JobOf<T>, now: BlockNumberFor<T>) -> bool {
		job.status != JobStatus::Open || now > job.deadline
	}

	/// Returns the judgement's cost figures if the expiry judged the package.
	pub(crate) fn do_expire_assignment(
		id: JobId,
		p: PackageIndex,
		who: T::AccountId,
	) -> Result<Option<JudgeCost>, DispatchError> {
		let a = Assignments::<T>::get((id, p, &who)).ok_or(Error::<T>::NotAssigned)?;
		let mut job = Jobs::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		let mut pkg = Packages::<T>::get(id, p);
		let now = frame_system::Pallet::<T>::block_number();
		let closed = Self::closed(&job, now);
		let fillable = pkg.takers.saturating_add(pkg.accepted) >= job.redundancy;
		let past = a.deadline.is_some_and(|d| now > d);
		let mut cost = None;
		let committed = matches!(a.state, AssignmentState::Committed(_));
		match a.state {
			AssignmentState::Taken if past => {
				Self::slash(id, &mut job, p, &who, a.deposit, SlashReason::MissedCommit)?;
				Self::remove_open(id, p, &who, &mut pkg, false);
				Self::reopen(id, &job, p, now)?;
			},
			AssignmentState::Committed(_) if past => {
				Self::slash(id, &mut job, p, &who, a.deposit, SlashReason::MissedReveal)?;
				T::Labelers::record_missed_reveal(&who, job.domain);
				Self::remove_open(id, p, &who, &mut pkg, true);
				// The revealed labels left in the package are judged at once when enough remain;
				// otherwise they wait for a replacement (or the job's end).
				if pkg.revealed == pkg.takers
					&& pkg.revealed > 0
					&& pkg.revealed.saturating_add(pkg.accepted) >= T::MinRedundancy::get()
				{
					cost = Some(Self::judge(id, &mut job, p, &mut pkg, false)?);
				} else {
					Self::reopen(id, &job, p, now)?;
				}
			},
			// The package can never fill (the requester cancelled, or the deadline passed, with
			// free slots) and this labeler's window still runs (taken) or the reveals never
			// opened (committed): no label was revealed, nothing was taken from anyone; the
			// deposit comes back.
			AssignmentState::Taken | AssignmentState::Committed(_)
				if closed && !fillable && (!committed || a.deadline.is_none()) =>
			{
				T::Currency::release(
					&HoldReason::PackageDeposit.into(),
					&who,
					a.deposit,
					Precision::BestEffort,
				)?;
				T::Labelers::note_work_finished(&who);
				Self::note_left(id, &mut job, &who, None);
				Self::remove_open(id, p, &who, &mut pkg, committed);
				Self::deposit_event(Event::DepositReleased {
					job: id,
					package: p,
					labeler: who.clone(),
					amount: a.deposit,
				});
			},
			// Revealed labels waiting for a replacement that can no longer come: judge them now.
			AssignmentState::Revealed(_) if closed && pkg.revealed == pkg.takers => {
				cost = Some(Self::judge(id, &mut job, p, &mut pkg, true)?);
			},
			_ => return Err(Error::<T>::NotExpired.into()),
		}
		Packages::<T>::insert(id, p, pkg);
		Jobs::<T>::insert(id, job);
		Ok(cost)
	}

	/// Removes an open assignment and updates the package counters.
	fn remove_open(
		id: JobId,
		p: PackageIndex,
		who: &T::AccountId,
		pkg: &mut Package,
		committed: bool,
	) {
		Assignments::<T>::remove((id, p, who));
		pkg.takers = pkg.takers.saturating_sub(1);
		if committed {
			pkg.committed = pkg.committed.saturating_sub(1);
		}
	}

	/// Puts a package with a free slot back on the open list while takes are open.
	fn reopen(
		id: JobId,
		job: &JobOf<T>,
		p: PackageIndex,
		now: BlockNumberFor<T>,
	) -> DispatchResult {
		if !Self::takes_open(job, now) {
			return Ok(());
		}
		OpenPackages::<T>::try_mutate(id, |open| {
			if !open.contains(&p) {
				open.try_push(p)?;
			}
			Ok::<_, PackageIndex>(())
		})
		.map_err(|_| Error::<T>::Overflow)?;
		Ok(())
	}

	/// Returns `(answers, labelers read)` for the weight.
	pub(crate) fn do_reveal_challenges(
		id: JobId,
		answers: ChallengesOf<T>,
		salt: Salt,
	) -> Result<(u32, u32), DispatchError> {
		let mut job = Jobs::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		let commitment = job.challenges.ok_or(Error::<T>::NoChallenges)?;
		ensure!(!job.challenges_revealed, Error::<T>::NoChallenges);
		ensure!(
			challenge_commitment(&job.requester, &answers, &salt) == commitment,
			Error::<T>::CommitmentMismatch
		);
		let (_, params) = T::Labelers::domain(job.domain).ok_or(Error::<T>::UnknownDomain)?;
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
				let (agreement, star_error) = grade(label, answer);
				// Stars: within one point; boxes/classes: at least the domain's floor.
				let correct = match star_error {
					Some(e) => e <= FixedU128::from_u32(1),
					None => agreement >= params.slash_floor,
				};
				T::Labelers::record_challenge(&who, job.domain, correct);
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
		Jobs::<T>::insert(id, job);
		Self::deposit_event(Event::ChallengesRevealed { job: id, checked, wrong });
		Ok((answers.len() as u32, checked))
	}

	/// Returns `(labelers paid, packages)` for the weight.
	pub(crate) fn do_settle_job(id: JobId) -> Result<(u32, u32), DispatchError> {
		let mut job = Jobs::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		ensure!(job.status != JobStatus::Settled, Error::<T>::NotSettleable);
		let now = frame_system::Pallet::<T>::block_number();
		let all_done = job.completed == job.packages;
		let over = job.status == JobStatus::Cancelled || now > job.deadline;
		ensure!(all_done || over, Error::<T>::NotSettleable);
		ensure!(
			job.challenges.is_none() || job.challenges_revealed || over,
			Error::<T>::ChallengesPending
		);
		// Every taken package was judged or released: nothing is open.
		let workers: Vec<(T::AccountId, LabelerWork)> = Workload::<T>::iter_prefix(id).collect();
		ensure!(workers.iter().all(|(_, w)| w.open == 0), Error::<T>::AssignmentsOpen);

		// The budget earned by the accepted labelings: each is worth `pay / (items * R)` per item.
		let labelings = job.items.saturating_mul(job.redundancy);
		let pay = mul_div(job.pay, job.accepted, labelings).ok_or(Error::<T>::Overflow)?;
		let reserve = mul_div(job.reserve, job.accepted, labelings).ok_or(Error::<T>::Overflow)?;
		let refund = job
			.budget
			.checked_sub(&pay)
			.and_then(|b| b.checked_sub(&reserve))
			.ok_or(Error::<T>::Overflow)?;

		// Briko eq. 4 over the accepted workload, with each labeler's weight now.
		let weights: BTreeMap<T::AccountId, FixedU128> = workers
			.iter()
			.filter(|(_, w)| w.accepted > 0)
			.map(|(who, _)| (who.clone(), T::Labelers::weight_of(who, job.domain)))
			.collect();
		let paid_workers: Vec<(&T::AccountId, u32)> = workers
			.iter()
			.filter(|(_, w)| w.accepted > 0)
			.map(|(a, w)| (a, w.accepted))
			.collect();
		let entries: Vec<(FixedU128, u32)> = paid_workers
			.iter()
			.map(|(who, w)| (weights.get(*who).copied().unwrap_or_default(), *w))
			.collect();
		let parts: Vec<u128> = if pay.is_zero() || entries.is_empty() {
			alloc::vec![0; paid_workers.len()]
		} else {
			split_proportional(pay.unique_saturated_into(), &reward_shares(&entries))
				.map_err(|_| Error::<T>::Overflow)?
		};
		let credited: BalanceOf<T> = parts.iter().fold(Zero::zero(), |acc: BalanceOf<T>, v| {
			acc.saturating_add(BalanceOf::<T>::unique_saturated_from(*v))
		});
		// Conservation: every unit of the budget goes somewhere.
		ensure!(
			credited.saturating_add(reserve).saturating_add(refund) == job.budget,
			Error::<T>::Overflow
		);

		let escrow = HoldReason::JobEscrow.into();
		if !credited.is_zero() {
			// Rewards move to the pallet account and wait there, held, until each labeler claims:
			// one reaped or unusual account can never block a settlement.
			T::Currency::transfer_on_hold(
				&escrow,
				&job.requester,
				&Self::account_id(),
				credited,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Force,
			)?;
			T::Currency::hold(&HoldReason::UnclaimedReward.into(), &Self::account_id(), credited)?;
		}
		for ((who, _), amount) in paid_workers.iter().zip(parts) {
			let amount = BalanceOf::<T>::unique_saturated_from(amount);
			if amount.is_zero() {
				continue;
			}
			UnclaimedRewards::<T>::mutate(*who, |v| *v = v.saturating_add(amount));
			Self::deposit_event(Event::RewardCredited { job: id, labeler: (*who).clone(), amount });
		}
		if !reserve.is_zero() {
			T::Currency::transfer_on_hold(
				&escrow,
				&job.requester,
				&T::Treasury::get(),
				reserve,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Force,
			)?;
		}
		if !refund.is_zero() {
			T::Currency::release(&escrow, &job.requester, refund, Precision::Exact)?;
		}

		// The weight `a` of each contributor at settlement: the dataset pays them again when it
		// is sold.
		for p in 0..job.packages {
			Contributions::<T>::mutate_exists(id, p, |c| {
				if let Some(c) = c {
					for (who, a) in c.iter_mut() {
						*a = weights.get(who).copied().unwrap_or_else(FixedU128::zero);
					}
				}
			});
		}

		// Clean up the work records; items, results and contributions stay until pruned.
		let _ = Assignments::<T>::clear_prefix((id,), u32::MAX, None);
		let _ = Packages::<T>::clear_prefix(id, u32::MAX, None);
		let _ = Workload::<T>::clear_prefix(id, u32::MAX, None);
		OpenPackages::<T>::remove(id);
		job.status = JobStatus::Settled;
		job.settled_at = Some(now);
		let packages = job.packages;
		Jobs::<T>::insert(id, job);
		Self::deposit_event(Event::JobSettled {
			job: id,
			paid: credited,
			reserve,
			refunded: refund,
		});
		Ok((workers.len() as u32, packages))
	}

	pub(crate) fn do_claim_rewards(who: T::AccountId) -> DispatchResult {
		let amount = UnclaimedRewards::<T>::get(&who);
		ensure!(!amount.is_zero(), Error::<T>::NothingToClaim);
		let account = Self::account_id();
		ensure!(
			T::Currency::balance(&who).saturating_add(amount) >= T::Currency::minimum_balance(),
			Error::<T>::BelowExistentialDeposit
		);
		T::Currency::release(
			&HoldReason::UnclaimedReward.into(),
			&account,
			amount,
			Precision::Exact,
		)?;
		T::Currency::transfer(&account, &who, amount, Preservation::Preserve)?;
		UnclaimedRewards::<T>::remove(&who);
		Self::deposit_event(Event::RewardsClaimed { labeler: who, amount });
		Ok(())
	}

	/// Returns the number of items removed (for the weight).
	pub(crate) fn do_prune_job(id: JobId) -> Result<u32, DispatchError> {
		let job = Jobs::<T>::get(id).ok_or(Error::<T>::UnknownJob)?;
		let settled_at = job.settled_at.ok_or(Error::<T>::NotSettled)?;
		ensure!(!job.retained, Error::<T>::Retained);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(
			now > settled_at.saturating_add(T::RetentionPeriod::get()),
			Error::<T>::RetentionRunning
		);
		if !job.storage_deposit.is_zero() {
			T::Currency::release(
				&HoldReason::JobStorage.into(),
				&job.requester,
				job.storage_deposit,
				Precision::BestEffort,
			)?;
		}
		JobItems::<T>::remove(id);
		let _ = Results::<T>::clear_prefix(id, u32::MAX, None);
		let _ = Contributions::<T>::clear_prefix(id, u32::MAX, None);
		Jobs::<T>::remove(id);
		Self::deposit_event(Event::JobPruned { job: id, refunded: job.storage_deposit });
		Ok(job.items)
	}

	/// Pins a settled job's data for a dataset.
	pub(crate) fn do_retain(id: JobId) -> DispatchResult {
		Jobs::<T>::try_mutate(id, |j| {
			let j = j.as_mut().ok_or(Error::<T>::UnknownJob)?;
			ensure!(j.status == JobStatus::Settled, Error::<T>::NotSettled);
			j.retained = true;
			Ok(())
		})
	}

	/// Invariants (run after every test and by `try-runtime`).
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use sp_runtime::TryRuntimeError as E;
		ensure!(Jobs::<T>::count() as usize == Jobs::<T>::iter().count(), E::Other("job count"));
		let escrow = HoldReason::JobEscrow.into();
		let deposit = HoldReason::PackageDeposit.into();
		let storage = HoldReason::JobStorage.into();
		// Escrow per requester equals the budgets of their unsettled jobs.
		let mut requesters: Vec<T::AccountId> = Vec::new();
		let mut labelers: Vec<T::AccountId> = Vec::new();
		for (id, job) in Jobs::<T>::iter() {
			ensure!(id < NextJobId::<T>::get(), E::Other("job id beyond counter"));
			if !requesters.contains(&job.requester) {
				requesters.push(job.requester.clone());
			}
			ensure!(
				job.pay.saturating_add(job.reserve) == job.budget,
				E::Other("pay + reserve != budget")
			);
			ensure!(
				job.accepted <= job.items.saturating_mul(job.redundancy),
				E::Other("more accepted labelings than items x R")
			);
			if job.status == JobStatus::Settled {
				ensure!(
					Assignments::<T>::iter_prefix((id,)).next().is_none()
						&& Workload::<T>::iter_prefix(id).next().is_none(),
					E::Other("work records of a settled job")
				);
				continue;
			}
			let mut completed = 0u32;
			let mut accepted_items = 0u32;
			for p in 0..job.packages {
				let pkg = Packages::<T>::get(id, p);
				let (mut takers, mut committed, mut revealed, mut accepted) = (0u32, 0, 0, 0);
				for (who, a) in Assignments::<T>::iter_prefix((id, p)) {
					if !labelers.contains(&who) {
						labelers.push(who.clone());
					}
					match a.state {
						AssignmentState::Taken => takers += 1,
						AssignmentState::Committed(_) => {
							takers += 1;
							committed += 1;
						},
						AssignmentState::Revealed(_) => {
							takers += 1;
							committed += 1;
							revealed += 1;
						},
						AssignmentState::Accepted(_) => accepted += 1,
					}
				}
				ensure!(
					(takers, committed, revealed, accepted)
						== (pkg.takers, pkg.committed, pkg.revealed, pkg.accepted),
					E::Other("package counters != assignments")
				);
				ensure!(
					takers.saturating_add(accepted) <= job.redundancy,
					E::Other("more labels than R")
				);
				ensure!(
					Contributions::<T>::get(id, p).len() as u32 == accepted,
					E::Other("contributions != accepted labels")
				);
				let len = Self::package_bounds(&job, p).map(|b| b.1).unwrap_or_default();
				accepted_items = accepted_items.saturating_add(accepted.saturating_mul(len));
				if pkg.complete {
					completed += 1;
					ensure!(accepted == job.redundancy, E::Other("complete without R labels"));
				}
			}
			ensure!(completed == job.completed, E::Other("completed counter"));
			ensure!(accepted_items == job.accepted, E::Other("accepted counter"));
			ensure!(
				Workload::<T>::iter_prefix(id).count() as u32 == job.labelers
					&& job.labelers <= T::MaxLabelersPerJob::get(),
				E::Other("labeler counter != workload entries")
			);
			for (who, w) in Workload::<T>::iter_prefix(id) {
				let open = Assignments::<T>::iter()
					.filter(|((j, _, a), s)| {
						*j == id && *a == who && !matches!(s.state, AssignmentState::Accepted(_))
					})
					.count() as u32;
				ensure!(open == w.open, E::Other("open packages != workload"));
				ensure!(w.open > 0 || w.accepted > 0, E::Other("empty workload entry"));
			}
		}
		// The open list offers only packages with a free slot of open jobs, each once.
		for (id, open) in OpenPackages::<T>::iter() {
			let job = Jobs::<T>::get(id).ok_or(E::Other("open list of unknown job"))?;
			ensure!(job.status == JobStatus::Open, E::Other("open list of a closed job"));
			for (i, p) in open.iter().enumerate() {
				ensure!(*p < job.packages, E::Other("open package beyond the job"));
				ensure!(!open.iter().take(i).any(|q| q == p), E::Other("package listed twice"));
				let pkg = Packages::<T>::get(id, p);
				ensure!(
					!pkg.complete && pkg.takers.saturating_add(pkg.accepted) < job.redundancy,
					E::Other("full package on the open list")
				);
			}
		}
		for who in requesters {
			let held: BalanceOf<T> = Jobs::<T>::iter()
				.filter(|(_, j)| j.requester == who && j.status != JobStatus::Settled)
				.fold(Zero::zero(), |acc: BalanceOf<T>, (_, j)| acc.saturating_add(j.budget));
			ensure!(
				T::Currency::balance_on_hold(&escrow, &who) == held,
				E::Other("escrow != unsettled budgets")
			);
			let stored: BalanceOf<T> = Jobs::<T>::iter()
				.filter(|(_, j)| j.requester == who)
				.fold(Zero::zero(), |acc: BalanceOf<T>, (_, j)| {
					acc.saturating_add(j.storage_deposit)
				});
			ensure!(
				T::Currency::balance_on_hold(&storage, &who) == stored,
				E::Other("storage hold != job storage deposits")
			);
		}
		for who in labelers {
			let held: BalanceOf<T> = Assignments::<T>::iter()
				.filter(|((_, _, w), a)| {
					*w == who && !matches!(a.state, AssignmentState::Accepted(_))
				})
				.fold(Zero::zero(), |acc: BalanceOf<T>, (_, a)| acc.saturating_add(a.deposit));
			ensure!(
				T::Currency::balance_on_hold(&deposit, &who) == held,
				E::Other("deposit hold != open assignments")
			);
		}
		let unclaimed: BalanceOf<T> = UnclaimedRewards::<T>::iter_values()
			.fold(Zero::zero(), |acc: BalanceOf<T>, v| acc.saturating_add(v));
		ensure!(
			T::Currency::balance_on_hold(&HoldReason::UnclaimedReward.into(), &Self::account_id())
				== unclaimed,
			E::Other("unclaimed rewards != reward hold")
		);
		Ok(())
	}
}
