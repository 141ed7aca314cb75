//! A tiny seeded PRNG (xoshiro256** seeded through splitmix64): the fuzzer must replay a run
//! exactly from its seed, and needs nothing cryptographic.

/// splitmix64 step: good seeding of the state from one `u64`.
pub fn splitmix64(x: &mut u64) -> u64 {
	*x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
	let mut z = *x;
	z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
	z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
	z ^ (z >> 31)
}

/// xoshiro256** generator.
#[derive(Clone, Debug)]
pub struct Rng {
	s: [u64; 4],
}

impl Rng {
	/// A generator seeded from `seed`.
	pub fn new(seed: u64) -> Self {
		let mut x = seed;
		let s = [splitmix64(&mut x), splitmix64(&mut x), splitmix64(&mut x), splitmix64(&mut x)];
		Self { s }
	}

	/// The next 64 random bits.
	pub fn next_u64(&mut self) -> u64 {
		let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
		let t = self.s[1] << 17;
		self.s[2] ^= self.s[0];
		self.s[3] ^= self.s[1];
		self.s[1] ^= self.s[2];
		self.s[0] ^= self.s[3];
		self.s[2] ^= t;
		self.s[3] = self.s[3].rotate_left(45);
		result
	}

	/// Uniform in `0..n` (`0` when `n == 0`).
	pub fn below(&mut self, n: u64) -> u64 {
		if n == 0 {
			return 0;
		}
		((self.next_u64() as u128 * n as u128) >> 64) as u64
	}

	/// Uniform in `lo..=hi`.
	pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
		if hi <= lo {
			return lo;
		}
		lo + self.below(hi - lo + 1)
	}

	/// Uniform `u32` in `lo..=hi`.
	pub fn range32(&mut self, lo: u32, hi: u32) -> u32 {
		self.range(lo as u64, hi as u64) as u32
	}

	/// Uniform `u128` in `lo..=hi`.
	pub fn range128(&mut self, lo: u128, hi: u128) -> u128 {
		if hi <= lo {
			return lo;
		}
		let span = hi - lo;
		let r = ((self.next_u64() as u128) << 64) | self.next_u64() as u128;
		if span == u128::MAX {
			return r;
		}
		lo + r % (span + 1)
	}

	/// `true` with probability `percent / 100`.
	pub fn chance(&mut self, percent: u64) -> bool {
		self.below(100) < percent
	}

	/// `true` with probability `per_mille / 1000`.
	pub fn chance_per_mille(&mut self, per_mille: u64) -> bool {
		self.below(1000) < per_mille
	}

	/// A random element of `items`.
	pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
		if items.is_empty() {
			return None;
		}
		items.get(self.below(items.len() as u64) as usize)
	}

	/// 32 random bytes.
	pub fn bytes32(&mut self) -> [u8; 32] {
		let mut out = [0u8; 32];
		for chunk in out.chunks_mut(8) {
			chunk.copy_from_slice(&self.next_u64().to_le_bytes());
		}
		out
	}

	/// Picks an index by weight (`None` if all weights are zero).
	pub fn weighted(&mut self, weights: &[u32]) -> Option<usize> {
		let total: u64 = weights.iter().map(|w| *w as u64).sum();
		if total == 0 {
			return None;
		}
		let mut r = self.below(total);
		for (i, w) in weights.iter().enumerate() {
			if r < *w as u64 {
				return Some(i);
			}
			r -= *w as u64;
		}
		None
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn same_seed_same_stream() {
		let (mut a, mut b) = (Rng::new(7), Rng::new(7));
		for _ in 0..100 {
			assert_eq!(a.next_u64(), b.next_u64());
		}
		assert_ne!(Rng::new(7).next_u64(), Rng::new(8).next_u64());
	}

	#[test]
	fn bounds_hold() {
		let mut r = Rng::new(1);
		for _ in 0..10_000 {
			assert!(r.below(10) < 10);
			let x = r.range(3, 5);
			assert!((3..=5).contains(&x));
			let y = r.range128(10, 20);
			assert!((10..=20).contains(&y));
		}
		assert_eq!(r.weighted(&[0, 0]), None);
		assert_eq!(r.weighted(&[0, 5]), Some(1));
	}
}
