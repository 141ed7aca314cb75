//! The pallet's logic by feature, each an `impl Pallet` block of `do_*` helpers behind the
//! thin calls in `lib.rs` (layout after `pallet-nfts`' `src/features/`).

mod appeals;
mod challenges;
mod commit_reveal;
mod create;
mod expiry;
mod judge;
mod newcomers;
mod review;
mod settlement;
mod take;
