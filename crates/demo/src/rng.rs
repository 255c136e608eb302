//! SplitMix64 (Steele, Lea & Flood, 2014), written out here rather than taken from a crate:
//! a crate may change its algorithm between versions, and a seed must give the same region
//! forever (tests, screenshots and benchmarks compare against it).

use uuid::Uuid;

#[derive(Debug, Clone)]
pub(crate) struct Rng {
    state: u64,
}

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng { state: seed }
    }

    /// An independent stream per part of the generator, so that changing how one part draws
    /// numbers does not reshuffle every other part.
    pub(crate) fn stream(seed: u64, part: u64) -> Rng {
        let mut r = Rng::new(seed ^ part.wrapping_mul(0xD1B5_4A32_D192_ED03));
        r.next_u64();
        r
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// 0..n by multiply-shift (Lemire): no division, bias far below anything visible here.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    pub(crate) fn below_usize(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    /// lo..=hi; a reversed range gives lo.
    pub(crate) fn range(&mut self, lo: u32, hi: u32) -> u32 {
        if hi <= lo {
            return lo;
        }
        lo + self.below(u64::from(hi - lo) + 1) as u32
    }

    /// Uniform in [0, 1) from the top 53 bits: exact, so identical on every platform.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One element of a table; the tables are never empty, the default is only a fallback.
    pub(crate) fn pick<T: Copy + Default>(&mut self, xs: &[T]) -> T {
        xs.get(self.below_usize(xs.len())).copied().unwrap_or_default()
    }

    /// An index drawn with the given weights (all zero: the first index).
    pub(crate) fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        let mut x = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            if x < u64::from(w) {
                return i;
            }
            x -= u64::from(w);
        }
        0
    }

    /// A random-looking but reproducible id, with the version-4 bits set so that it looks like
    /// any other v4 UUID to tools that check.
    pub(crate) fn uuid(&mut self) -> Uuid {
        let raw = (u128::from(self.next_u64()) << 64) | u128::from(self.next_u64());
        let v4 = (raw & !(0xF000u128 << 64) & !(0xC000u128 << 48)) | (0x4000u128 << 64) | (0x8000u128 << 48);
        Uuid::from_u128(v4)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_reference_values() {
        // Published first outputs of SplitMix64 seeded with 0.
        let mut r = Rng::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn uuids_are_version_4() {
        let mut r = Rng::new(7);
        for _ in 0..100 {
            let u = r.uuid();
            assert_eq!(u.get_version_num(), 4);
            assert_eq!(u.get_variant(), uuid::Variant::RFC4122);
        }
    }

    #[test]
    fn below_stays_in_range() {
        let mut r = Rng::new(1);
        for n in 1..200u64 {
            assert!(r.below(n) < n);
        }
        assert_eq!(r.range(5, 5), 5);
        assert_eq!(r.weighted(&[0, 0, 3]), 2);
    }
}
