//! Unit tests: the dispatch origin acts as Root; nobody else does (not even Root itself unless
//! configured); an inner failure is reported, not hidden; the weight charged covers the inner
//! call. Each test ends with `try_state`.

use crate::{mock::*, Event, WeightInfo};
use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	dispatch::{GetDispatchInfo, Pays},
};
use sp_runtime::DispatchError;

/// The well-known storage key `system.set_heap_pages` writes (a Root-only call).
const HEAP_PAGES: &[u8] = b":heappages";

fn set_heap_pages() -> Box<RuntimeCall> {
	Box::new(RuntimeCall::System(frame_system::Call::set_heap_pages { pages: 99 }))
}

#[test]
fn the_dispatch_origin_acts_as_root() {
	build_and_execute(|| {
		assert_ok!(RootDispatch::dispatch_as_root(RuntimeOrigin::signed(1), set_heap_pages()));
		System::assert_last_event(Event::Dispatched { result: Ok(()) }.into());
		assert_eq!(sp_io::storage::get(HEAP_PAGES).map(|v| v.to_vec()), Some(99u64.encode()));
	});
}

#[test]
fn attack_nobody_else_can_act_as_root() {
	build_and_execute(|| {
		// Another account, an unsigned origin, and Root itself (not the configured origin).
		for origin in [RuntimeOrigin::signed(2), RuntimeOrigin::none(), RuntimeOrigin::root()] {
			assert_noop!(
				RootDispatch::dispatch_as_root(origin, set_heap_pages()),
				DispatchError::BadOrigin
			);
		}
		assert!(sp_io::storage::get(HEAP_PAGES).is_none());
	});
}

#[test]
fn an_inner_failure_is_reported_in_the_event() {
	build_and_execute(|| {
		// Nested: the inner `dispatch_as_root` runs as Root, which is not the dispatch origin.
		let inner = Box::new(RuntimeCall::RootDispatch(crate::Call::dispatch_as_root {
			call: set_heap_pages(),
		}));
		assert_ok!(RootDispatch::dispatch_as_root(RuntimeOrigin::signed(1), inner));
		System::assert_last_event(
			Event::Dispatched { result: Err(DispatchError::BadOrigin) }.into(),
		);
		assert!(sp_io::storage::get(HEAP_PAGES).is_none());
	});
}

#[test]
fn the_charged_weight_covers_the_inner_call() {
	build_and_execute(|| {
		let inner_weight = set_heap_pages().get_dispatch_info().call_weight;
		let outer =
			RuntimeCall::RootDispatch(crate::Call::dispatch_as_root { call: set_heap_pages() });
		let info = outer.get_dispatch_info();
		assert_eq!(info.call_weight, <() as WeightInfo>::dispatch_as_root() + inner_weight);
		assert_eq!(info.pays_fee, Pays::Yes);
		let post = RootDispatch::dispatch_as_root(RuntimeOrigin::signed(1), set_heap_pages())
			.expect("dispatched");
		let actual = post.actual_weight.expect("the actual weight is reported");
		assert!(actual.all_lte(info.call_weight));
		assert!(actual.all_gte(<() as WeightInfo>::dispatch_as_root()));
	});
}
