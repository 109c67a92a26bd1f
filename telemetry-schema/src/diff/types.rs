//! Which values a field type admits, as far as the gate needs it: whether
//! every value one type admits is admitted by another. A type change that
//! admits values the old type did not widens collection.

use crate::model::FieldType;

/// The range of an integer type, as `(min, max)`.
fn range(t: &FieldType) -> Option<(i128, i128)> {
    Some(match t {
        FieldType::U8 => (0, u8::MAX.into()),
        FieldType::U16 => (0, u16::MAX.into()),
        FieldType::U32 => (0, u32::MAX.into()),
        FieldType::U64 => (0, u64::MAX.into()),
        FieldType::I8 => (i8::MIN.into(), i8::MAX.into()),
        FieldType::I16 => (i16::MIN.into(), i16::MAX.into()),
        FieldType::I32 => (i32::MIN.into(), i32::MAX.into()),
        FieldType::I64 => (i64::MIN.into(), i64::MAX.into()),
        _ => return None,
    })
}

/// Whether every value `a` admits is also admitted by `b` (as JSON values:
/// an integer is a number a float type admits; an enum value is a string).
///
/// Objects are compared field by field elsewhere; here an object is a
/// subset only of itself.
pub(super) fn within(a: &FieldType, b: &FieldType) -> bool {
    use FieldType::*;
    if a == b {
        return true;
    }
    if let (Some((lo_a, hi_a)), Some((lo_b, hi_b))) = (range(a), range(b)) {
        return lo_b <= lo_a && hi_a <= hi_b;
    }
    match (a, b) {
        (_, F32 | F64) if range(a).is_some() => true,
        (F32, F64) => true,
        (String { max_length: x }, String { max_length: y }) => match (x, y) {
            (_, None) => true,
            (Some(x), Some(y)) => x <= y,
            (None, Some(_)) => false,
        },
        (Enum { values }, String { max_length }) => {
            max_length.is_none_or(|m| values.iter().all(|v| v.chars().count() <= m as usize))
        }
        (Enum { values: x }, Enum { values: y }) => x.iter().all(|v| y.contains(v)),
        (List { items: x }, List { items: y }) => within(x, y),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::within;
    use crate::model::FieldType::{self, *};

    fn s(max: Option<u32>) -> FieldType {
        String { max_length: max }
    }

    #[test]
    fn wider_types_admit_more() {
        let e = Enum { values: vec!["build".into(), "test".into()] };
        // Each pair: (old, new), the new type admitting values the old one did not.
        for (old, new) in [
            (e.clone(), s(None)),
            (e.clone(), s(Some(4))),
            (Bool, s(None)),
            (I32, s(None)),
            (U8, U16),
            (U64, I64),
            (U32, F32),
            (U64, F64),
            (F32, F64),
            (s(Some(4)), s(None)),
            (List { items: Box::new(s(Some(8))) }, List { items: Box::new(s(None)) }),
        ] {
            assert!(!within(&new, &old), "{old:?} -> {new:?} admits more");
        }
        for (old, new) in
            [(s(None), e.clone()), (s(Some(5)), e.clone()), (U16, U8), (I64, U32), (F64, U64), (F64, F32), (I16, I16)]
        {
            assert!(within(&new, &old), "{old:?} -> {new:?} admits nothing new");
        }
    }
}
