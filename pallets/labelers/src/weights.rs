// Placeholder until `scripts/benchmark.sh` generates this file from the benchmarks.
#![allow(missing_docs)]
use core::marker::PhantomData;
use frame_support::{traits::Get, weights::{constants::ParityDbWeight, Weight}};

pub trait WeightInfo {
	fn register(d: u32) -> Weight;
	fn unregister() -> Weight;
	fn declare_domains(d: u32) -> Weight;
	fn create_domain(n: u32) -> Weight;
	fn update_domain() -> Weight;
	fn add_gold(g: u32) -> Weight;
	fn request_qualification(k: u32, s: u32) -> Weight;
	fn submit_qualification(k: u32, b: u32) -> Weight;
	fn reveal_gold(k: u32, b: u32) -> Weight;
	fn expire_round(k: u32) -> Weight;
}
pub struct SubstrateWeight<T>(PhantomData<T>);
macro_rules! flat {
	($($f:ident($($a:ident),*)),*) => {
		impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
			$(fn $f($($a: u32),*) -> Weight { $(let _ = $a;)* Weight::from_parts(100_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(10, 10)) })*
		}
		impl WeightInfo for () {
			$(fn $f($($a: u32),*) -> Weight { $(let _ = $a;)* Weight::from_parts(100_000_000, 10_000).saturating_add(ParityDbWeight::get().reads_writes(10, 10)) })*
		}
	};
}
flat!(register(d), unregister(), declare_domains(d), create_domain(n), update_domain(), add_gold(g), request_qualification(k, s), submit_qualification(k, b), reveal_gold(k, b), expire_round(k));
