//! Pallet configurations, one module per pallet (or per tightly related group of pallets).

mod balances;
mod consensus;
mod labelers;
mod sudo;
mod system;

pub use balances::*;
pub use consensus::*;
pub use labelers::*;
pub use system::*;
