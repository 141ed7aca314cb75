//! Benchmark (v2) of the pallet's own overhead: the origin check, the dispatch of a call that
//! does nothing (`system.remark` with an empty remark) and the event. The inner call's own
//! weight is added by the call's weight formula.

use super::*;
use alloc::{boxed::Box, vec};
use frame_benchmarking::v2::*;
use frame_support::traits::EnsureOrigin;

#[benchmarks(where <T as Config>::RuntimeCall: From<frame_system::Call<T>>)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn dispatch_as_root() -> Result<(), BenchmarkError> {
		let origin =
			T::DispatchOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let call: <T as Config>::RuntimeCall =
			frame_system::Call::<T>::remark { remark: vec![] }.into();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, Box::new(call));
		#[cfg(test)]
		Pallet::<T>::do_try_state().map_err(|_| BenchmarkError::Stop("try_state failed"))?;
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
