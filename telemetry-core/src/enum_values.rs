//! The compile-time check that an enum's values are a schema field's
//! values, as a trait bound rather than a const assertion: a mismatch is a
//! type error with a message written for people, not a const-eval panic.
//!
//! `#[derive(TelemetryEnum)]` implements [`EnumValueSet`] for the id of its
//! value set; the event derive requires the id of the field's values. The
//! derive that knows the field (`#[telemetry(schema, field)]` on the enum)
//! names the differing variant itself; this bound is what remains for an
//! enum that does not say which field it carries.

/// Implemented by `#[derive(TelemetryEnum)]` for [`value_set_id`] of its
/// values. The event derive requires it of an enum field's type through a
/// trait of its own, whose message names the field and its values.
pub trait EnumValueSet<const ID: u128>: crate::TelemetryEnum {}

impl<T: EnumValueSet<ID> + ?Sized, const ID: u128> EnumValueSet<ID> for &T {}

/// An id of a set of strings, order ignored: the wrapping sum of each
/// value's 128-bit FNV-1a hash, over its length-prefixed bytes, and the count.
pub const fn value_set_id(values: &[&str]) -> u128 {
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013B;
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    let mut sum = values.len() as u128;
    let mut i = 0;
    while i < values.len() {
        let bytes = values[i].as_bytes();
        let mut h = OFFSET;
        let len = (bytes.len() as u64).to_le_bytes();
        let mut j = 0;
        while j < len.len() {
            h = (h ^ len[j] as u128).wrapping_mul(PRIME);
            j += 1;
        }
        j = 0;
        while j < bytes.len() {
            h = (h ^ bytes[j] as u128).wrapping_mul(PRIME);
            j += 1;
        }
        sum = sum.wrapping_add(h);
        i += 1;
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::value_set_id;

    #[test]
    fn order_is_ignored_and_values_count() {
        assert_eq!(value_set_id(&["success", "failure"]), value_set_id(&["failure", "success"]));
        assert_ne!(value_set_id(&["success", "failure"]), value_set_id(&["success", "crashed"]));
        assert_ne!(value_set_id(&["success"]), value_set_id(&["success", "success"]));
        assert_ne!(value_set_id(&["ab", "c"]), value_set_id(&["a", "bc"]));
        assert_ne!(value_set_id(&[]), value_set_id(&[""]));
    }
}
