//! Pallet configurations, one module per pallet (or per tightly related group of pallets).

mod balances;
mod consensus;
mod datasets;
mod jobs;
mod labelers;
mod sudo;
mod system;

pub use balances::*;
pub use consensus::*;
pub use datasets::*;
pub use jobs::*;
pub use labelers::*;
pub use system::*;
