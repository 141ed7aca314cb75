//! Exact splits of balances.
//!
//! Every split here **conserves value to the last unit**: the parts always add up to the total.
//!
//! - [`split_proportional`]: largest-remainder (Hamilton) apportionment. Each part gets
//!   `floor(total * share_i / sum(shares))`; the at most `n - 1` units left over go one each to
//!   the parts with the largest remainders (ties to the lower index).
//! - Briko eq. 4, rewards: `reward_n = Pay * (a_n W_n) / sum_i (a_i W_i)`; [`reward_shares`] turns
//!   `(a, W)` pairs into integer shares `a * W` (at 10^-18 resolution) for the split above.
//! - [`split_budget`]: `reserve = budget * rate` (rounded down), `Pay = budget - reserve`.
//! - [`split_sale`]: a dataset price into data owners', labelers' and the platform's parts; the
//!   platform reserve takes whatever rounding leaves.

use crate::MathError;
use alloc::vec::Vec;
use sp_arithmetic::{
	helpers_128bit::multiply_by_rational_with_rounding, FixedPointNumber, FixedU128, PerThing,
	Perbill, Rounding,
};

/// Splits `total` proportionally to `shares`, exactly (see the module docs).
pub fn split_proportional(total: u128, shares: &[u128]) -> Result<Vec<u128>, MathError> {
	let sum = shares
		.iter()
		.try_fold(0u128, |acc, s| acc.checked_add(*s))
		.ok_or(MathError::Overflow)?;
	if sum == 0 {
		return Err(MathError::ZeroTotal);
	}
	let mut parts = Vec::with_capacity(shares.len());
	let mut remainders = Vec::with_capacity(shares.len());
	for (i, s) in shares.iter().enumerate() {
		let q = multiply_by_rational_with_rounding(total, *s, sum, Rounding::Down)
			.ok_or(MathError::Overflow)?;
		// The true remainder is < sum <= u128::MAX, so wrapping arithmetic yields it exactly.
		let r = total.wrapping_mul(*s).wrapping_sub(q.wrapping_mul(sum));
		parts.push(q);
		remainders.push((r, i));
	}
	let given = parts
		.iter()
		.try_fold(0u128, |acc, p| acc.checked_add(*p))
		.ok_or(MathError::Overflow)?;
	let mut left = total.checked_sub(given).ok_or(MathError::Overflow)?;
	// Largest remainders first, ties to the lower index.
	remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
	for (_, i) in remainders {
		if left == 0 {
			break;
		}
		if let Some(p) = parts.get_mut(i) {
			*p = p.saturating_add(1);
			left -= 1;
		}
	}
	if left != 0 {
		return Err(MathError::Overflow);
	}
	Ok(parts)
}

/// Integer shares `a_n * W_n` for Briko eq. 4 (`a` at 10^-18 resolution, `W` a workload count).
pub fn reward_shares(entries: &[(FixedU128, u32)]) -> Vec<u128> {
	entries.iter().map(|(a, w)| a.into_inner().saturating_mul(*w as u128)).collect()
}

/// `(reserve, pay)` with `reserve = floor(budget * rate)` and `reserve + pay == budget`.
pub fn split_budget(budget: u128, reserve_rate: Perbill) -> (u128, u128) {
	let reserve = reserve_rate.mul_floor(budget);
	(reserve, budget.saturating_sub(reserve))
}

/// Briko eq. 2-3: a job's total workload in minutes, `W_Phase1 = items x R x W_n`, where `W_n`
/// is the declared minutes one labeler needs per item. The job's hidden challenge items are
/// among its items, so their workload `W_CR` (about 5 % of the items) is included. Three `u32`
/// factors always fit in a `u128`.
pub fn total_workload(items: u32, redundancy: u32, minutes_per_item: u32) -> u128 {
	(items as u128)
		.saturating_mul(redundancy as u128)
		.saturating_mul(minutes_per_item as u128)
}

/// The smallest budget whose pay (`budget - floor(budget x reserve_rate)`) is at least `pay`:
/// the budget a requester must escrow to pay `pay` to the labelers. `None` on overflow or a
/// 100 % reserve.
pub fn budget_for_pay(pay: u128, reserve_rate: Perbill) -> Option<u128> {
	if pay == 0 {
		return Some(0);
	}
	// With A = 10^9 parts and K = A - reserve parts, pay(b) = b - floor(b (A - K) / A)
	// = ceil(b K / A), so pay(b) >= pay  <=>  b K > (pay - 1) A  <=>  b >= floor((pay - 1) A / K) + 1.
	let parts = Perbill::ACCURACY as u128;
	let keep = parts.saturating_sub(reserve_rate.deconstruct() as u128);
	if keep == 0 {
		return None;
	}
	let budget = (pay - 1).checked_mul(parts)?.checked_div(keep)?.checked_add(1)?;
	(split_budget(budget, reserve_rate).1 >= pay).then_some(budget)
}

/// A dataset sale, split four ways; `owners + labelers + publisher + reserve == price`.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct SaleSplit {
	/// Paid to the owners of the dataset's items.
	pub owners: u128,
	/// Paid to the labelers, by `a * W`.
	pub labelers: u128,
	/// Paid to the dataset's publisher (the requester who paid for the labels), out of what the
	/// platform would otherwise keep.
	pub publisher: u128,
	/// Kept by the platform (includes every rounding unit).
	pub reserve: u128,
}

/// Splits a sale price by the owners', labelers' and publisher's shares; the reserve gets the
/// rest (and every rounding unit). The shares together may not exceed the whole.
pub fn split_sale(
	price: u128,
	owner_share: Perbill,
	labeler_share: Perbill,
	publisher_share: Perbill,
) -> Result<SaleSplit, MathError> {
	let together = (owner_share.deconstruct() as u64)
		+ (labeler_share.deconstruct() as u64)
		+ (publisher_share.deconstruct() as u64);
	if together > Perbill::ACCURACY as u64 {
		return Err(MathError::SharesExceedWhole);
	}
	let owners = owner_share.mul_floor(price);
	let labelers = labeler_share.mul_floor(price);
	let publisher = publisher_share.mul_floor(price);
	let reserve = price
		.checked_sub(owners)
		.and_then(|r| r.checked_sub(labelers))
		.and_then(|r| r.checked_sub(publisher))
		.ok_or(MathError::Overflow)?;
	Ok(SaleSplit { owners, labelers, publisher, reserve })
}

/// `amount * num / den`, rounded down; `None` if `den` is 0 or the result overflows. Used for
/// pro-rata shares (a job's pay for its completed items, a dataset's quote for its sold items).
pub fn mul_div_floor(amount: u128, num: u128, den: u128) -> Option<u128> {
	if den == 0 {
		return None;
	}
	multiply_by_rational_with_rounding(amount, num, den, Rounding::Down)
}

/// Convenience: a fixed-point weight from a ratio `n / d`.
pub fn weight_from_ratio(n: u128, d: u128) -> FixedU128 {
	FixedU128::checked_from_rational(n, d).unwrap_or_default()
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_arithmetic::traits::One;

	#[test]
	fn mul_div_floor_rounds_down_and_refuses_zero() {
		assert_eq!(mul_div_floor(1000, 4, 5), Some(800));
		assert_eq!(mul_div_floor(10, 1, 3), Some(3));
		assert_eq!(mul_div_floor(u128::MAX, 3, 3), Some(u128::MAX));
		assert_eq!(mul_div_floor(5, 1, 0), None);
	}

	#[test]
	fn largest_remainder_by_hand() {
		// 10 split 1:1:1 -> 3.33 each; one unit left goes to index 0 (tie, lowest index).
		assert_eq!(split_proportional(10, &[1, 1, 1]), Ok(alloc::vec![4, 3, 3]));
		// 100 split 1:2 -> 33.3 / 66.6: remainders 1 and 2 (of 3) -> index 1 gets the unit.
		assert_eq!(split_proportional(100, &[1, 2]), Ok(alloc::vec![33, 67]));
		assert_eq!(split_proportional(5, &[0, 0]), Err(MathError::ZeroTotal));
		assert_eq!(split_proportional(7, &[0, 3]), Ok(alloc::vec![0, 7]));
	}

	#[test]
	fn huge_totals_do_not_overflow() {
		let parts = split_proportional(u128::MAX, &[u128::MAX / 3, u128::MAX / 3]).unwrap();
		assert_eq!(parts[0].checked_add(parts[1]), Some(u128::MAX));
	}

	#[test]
	fn briko_eq_4_by_hand() {
		// Pay 1000; a = 1.2, 1.0, 0.8; W = 10, 10, 5 -> a*W = 12, 10, 4 (sum 26)
		let shares = reward_shares(&[
			(FixedU128::from_rational(12, 10), 10),
			(FixedU128::one(), 10),
			(FixedU128::from_rational(8, 10), 5),
		]);
		let parts = split_proportional(1000, &shares).unwrap();
		// 461.5, 384.6, 153.8 -> floors 461, 384, 153 (998); remainders .54 .62 .85
		assert_eq!(parts, alloc::vec![461, 385, 154]);
	}

	#[test]
	fn workload_and_the_budget_that_pays_it() {
		// 1000 items, R = 3, 2 minutes each: 6000 minutes
		assert_eq!(total_workload(1000, 3, 2), 6000);
		assert_eq!(total_workload(u32::MAX, u32::MAX, u32::MAX), (u32::MAX as u128).pow(3));
		let ten = Perbill::from_percent(10);
		// 6000 minutes at 1000 plancks: pay 6_000_000 -> budget 6_666_666 (reserve 666_666)
		let b = budget_for_pay(6_000_000, ten).unwrap();
		assert_eq!(b, 6_666_666);
		assert!(split_budget(b, ten).1 >= 6_000_000);
		assert!(split_budget(b - 1, ten).1 < 6_000_000);
		assert_eq!(budget_for_pay(0, ten), Some(0));
		assert_eq!(budget_for_pay(5, Perbill::zero()), Some(5));
		assert_eq!(budget_for_pay(5, Perbill::one()), None);
		assert_eq!(budget_for_pay(u128::MAX, ten), None);
	}

	#[test]
	fn budget_for_pay_is_the_smallest_sufficient_budget() {
		for rate in [1u32, 7, 10, 33, 50, 99] {
			let r = Perbill::from_percent(rate);
			for pay in [1u128, 2, 9, 10, 11, 999, 1_000_003, 123_456_789_012] {
				let b = budget_for_pay(pay, r).unwrap();
				assert!(split_budget(b, r).1 >= pay, "rate {rate} pay {pay}");
				assert!(b == 0 || split_budget(b - 1, r).1 < pay, "rate {rate} pay {pay}");
			}
		}
	}

	#[test]
	fn budget_and_sale() {
		assert_eq!(split_budget(1001, Perbill::from_percent(10)), (100, 901));
		let none = Perbill::zero();
		let s =
			split_sale(999, Perbill::from_percent(50), Perbill::from_percent(40), none).unwrap();
		assert_eq!(s, SaleSplit { owners: 499, labelers: 399, publisher: 0, reserve: 101 });
		assert_eq!(
			split_sale(1, Perbill::from_percent(60), Perbill::from_percent(41), none),
			Err(MathError::SharesExceedWhole)
		);
		// The publisher's share comes out of the reserve; owners and labelers are unchanged.
		let forty = Perbill::from_percent(40);
		let s = split_sale(1_000, forty, forty, Perbill::from_percent(10)).unwrap();
		assert_eq!(s, SaleSplit { owners: 400, labelers: 400, publisher: 100, reserve: 100 });
		assert_eq!(
			split_sale(1_000, forty, forty, Perbill::from_percent(21)),
			Err(MathError::SharesExceedWhole)
		);
	}
}
