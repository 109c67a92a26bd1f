//! The figures kept from repeated measurements.

/// Median, smallest and largest of `v`, which is sorted in place.
/// `v` must not be empty: every caller measures at least once.
pub fn spread<T: PartialOrd + Copy>(v: &mut [T]) -> (T, T, T) {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    (v[v.len() / 2], v[0], v[v.len() - 1])
}

#[cfg(test)]
mod tests {
    #[test]
    fn median_is_the_middle_of_the_sorted_runs() {
        assert_eq!(super::spread(&mut [3.0, 1.0, 9.0, 2.0, 5.0]), (3.0, 1.0, 9.0));
        assert_eq!(super::spread(&mut [4, 1]), (4, 1, 4));
    }
}
