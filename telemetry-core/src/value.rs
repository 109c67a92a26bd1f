//! Which Rust types can carry which schema types.
//!
//! The derive requires each field's type to implement the trait for its
//! schema type; when it does not, the compiler names the type, the schema
//! type and what would fit. Conversions are lossless only: a `u64` schema
//! field accepts `u8`..`u64` and `usize`, never `i64` or `String`.
//!
//! The `Carries*` traits are sealed: only this crate implements them, so no
//! newtype (a path, an OS string) can pass for text the schema allows.
//!
//! ```compile_fail,E0277
//! use std::path::PathBuf;
//! use telemetry_core::value::CarriesString;
//! struct Cwd(PathBuf);
//! impl CarriesString for Cwd {
//!     fn telemetry_str(&self) -> &str { self.0.to_str().unwrap_or("") }
//! }
//! ```

use std::borrow::Cow;
use std::rc::Rc;
use std::sync::Arc;

use crate::seal::{Derived, Sealed};

/// A Rust type that can be sent as a schema `string`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot carry a telemetry field of schema type `string`",
    label = "the schema declares this field `type: string`",
    note = "use `&str`, `String`, `Cow<str>`, `Box<str>` or `Arc<str>`; paths and OS strings are not accepted: they often hold user names"
)]
pub trait CarriesString: Sealed {
    /// The text to send.
    fn telemetry_str(&self) -> &str;
}

impl CarriesString for str {
    fn telemetry_str(&self) -> &str {
        self
    }
}
impl CarriesString for String {
    fn telemetry_str(&self) -> &str {
        self
    }
}
impl CarriesString for Cow<'_, str> {
    fn telemetry_str(&self) -> &str {
        self
    }
}
impl CarriesString for Box<str> {
    fn telemetry_str(&self) -> &str {
        self
    }
}
impl CarriesString for Arc<str> {
    fn telemetry_str(&self) -> &str {
        self
    }
}
impl CarriesString for Rc<str> {
    fn telemetry_str(&self) -> &str {
        self
    }
}
impl<T: CarriesString + ?Sized> CarriesString for &T {
    fn telemetry_str(&self) -> &str {
        (**self).telemetry_str()
    }
}

/// The types this crate sends: each `Carries*` impl is for one of them.
macro_rules! sealed {
    ($($t:ty),*) => { $(impl Sealed for $t {})* };
}
sealed!(str, String, Cow<'_, str>, Box<str>, Arc<str>, Rc<str>, bool);
sealed!(u8, u16, u32, u64, usize, i8, i16, i32, i64, f32, f64);
impl<T: Sealed + ?Sized> Sealed for &T {}
impl<T> Sealed for Vec<T> {}
impl<T> Sealed for [T] {}
impl<T, const N: usize> Sealed for [T; N] {}
impl<T> Sealed for Box<[T]> {}

/// A Rust type that can be sent as a schema `bool`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot carry a telemetry field of schema type `bool`",
    label = "the schema declares this field `type: bool`",
    note = "use `bool`"
)]
pub trait CarriesBool: Sealed {
    /// The value to send.
    fn telemetry_bool(&self) -> bool;
}
impl CarriesBool for bool {
    fn telemetry_bool(&self) -> bool {
        *self
    }
}

macro_rules! carries_number {
    ($(#[$doc:meta])* $trait:ident, $method:ident -> $out:ty, $message:literal, $label:literal, [$($t:ty),*], $note:literal) => {
        $(#[$doc])*
        #[diagnostic::on_unimplemented(message = $message, label = $label, note = $note)]
        pub trait $trait: Sealed {
            /// The value to send.
            fn $method(&self) -> $out;
        }
        $(impl $trait for $t {
            fn $method(&self) -> $out {
                <$out>::from(*self)
            }
        })*
    };
}

carries_number!(/// A Rust type that can be sent as a schema `u8`.
    CarriesU8, telemetry_u64 -> u64, "`{Self}` cannot carry a telemetry field of schema type `u8`", "the schema declares this field `type: u8`", [u8], "use `u8`");
carries_number!(/// A Rust type that can be sent as a schema `u16`.
    CarriesU16, telemetry_u64 -> u64, "`{Self}` cannot carry a telemetry field of schema type `u16`", "the schema declares this field `type: u16`", [u8, u16], "use `u8` or `u16`");
carries_number!(/// A Rust type that can be sent as a schema `u32`.
    CarriesU32, telemetry_u64 -> u64, "`{Self}` cannot carry a telemetry field of schema type `u32`", "the schema declares this field `type: u32`", [u8, u16, u32], "use `u8`, `u16` or `u32`");
carries_number!(/// A Rust type that can be sent as a schema `u64`.
    CarriesU64, telemetry_u64 -> u64, "`{Self}` cannot carry a telemetry field of schema type `u64`", "the schema declares this field `type: u64`", [u8, u16, u32, u64], "use an unsigned integer type (`u8` to `u64`, or `usize`); convert text with `.parse()` before recording");
carries_number!(/// A Rust type that can be sent as a schema `i8`.
    CarriesI8, telemetry_i64 -> i64, "`{Self}` cannot carry a telemetry field of schema type `i8`", "the schema declares this field `type: i8`", [i8], "use `i8`");
carries_number!(/// A Rust type that can be sent as a schema `i16`.
    CarriesI16, telemetry_i64 -> i64, "`{Self}` cannot carry a telemetry field of schema type `i16`", "the schema declares this field `type: i16`", [i8, i16, u8], "use `i8`, `i16` or `u8`");
carries_number!(/// A Rust type that can be sent as a schema `i32`.
    CarriesI32, telemetry_i64 -> i64, "`{Self}` cannot carry a telemetry field of schema type `i32`", "the schema declares this field `type: i32`", [i8, i16, i32, u8, u16], "use a signed integer up to `i32`, or `u8`/`u16`");
carries_number!(/// A Rust type that can be sent as a schema `i64`.
    CarriesI64, telemetry_i64 -> i64, "`{Self}` cannot carry a telemetry field of schema type `i64`", "the schema declares this field `type: i64`", [i8, i16, i32, i64, u8, u16, u32], "use a signed integer type, or an unsigned one up to `u32`");
carries_number!(/// A Rust type that can be sent as a schema `f32`.
    CarriesF32, telemetry_f64 -> f64, "`{Self}` cannot carry a telemetry field of schema type `f32`", "the schema declares this field `type: f32`", [f32], "use `f32`");
carries_number!(/// A Rust type that can be sent as a schema `f64`.
    CarriesF64, telemetry_f64 -> f64, "`{Self}` cannot carry a telemetry field of schema type `f64`", "the schema declares this field `type: f64`", [f32, f64], "use `f64` or `f32`");

impl CarriesU64 for usize {
    fn telemetry_u64(&self) -> u64 {
        // usize is at most 64 bits on every platform Rust supports.
        *self as u64
    }
}

/// A Rust type that can be sent as a schema `list`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot carry a telemetry field of schema type `list`",
    label = "the schema declares this field `type: list`",
    note = "use `Vec<T>`, `&[T]`, `[T; N]` or `Box<[T]>`, where `T` carries the item type"
)]
pub trait CarriesList: Sealed {
    /// The item type.
    type Item;
    /// The items to send.
    fn telemetry_items(&self) -> &[Self::Item];
}
impl<T> CarriesList for Vec<T> {
    type Item = T;
    fn telemetry_items(&self) -> &[T] {
        self
    }
}
impl<T> CarriesList for [T] {
    type Item = T;
    fn telemetry_items(&self) -> &[T] {
        self
    }
}
impl<T, const N: usize> CarriesList for [T; N] {
    type Item = T;
    fn telemetry_items(&self) -> &[T] {
        self
    }
}
impl<T> CarriesList for Box<[T]> {
    type Item = T;
    fn telemetry_items(&self) -> &[T] {
        self
    }
}
impl<L: CarriesList + ?Sized> CarriesList for &L {
    type Item = L::Item;
    fn telemetry_items(&self) -> &[L::Item] {
        (**self).telemetry_items()
    }
}

/// A Rust enum whose variants are exactly a schema `enum`'s values.
///
/// Derive it with `#[derive(TelemetryEnum)]`: variants are sent in
/// snake_case (`Succeeded` as `"succeeded"`), and the event derive checks at
/// compile time that the variants and the schema's `values` are the same set.
/// A hand-written impl must name `telemetry_core::__private::Derived`, which
/// voids the privacy guarantee: its `telemetry_str` could return anything.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot carry a telemetry field of schema type `enum`",
    label = "the schema declares this field `type: enum`",
    note = "use a fieldless enum with `#[derive(TelemetryEnum)]` whose variants are the schema's `values`"
)]
pub trait TelemetryEnum {
    /// Every value, as sent, in declaration order.
    const VALUES: &'static [&'static str];
    /// Written by the derive. **Implementing this trait by hand voids the
    /// privacy guarantee.**
    #[doc(hidden)]
    const DERIVED: Derived;
    /// This value as sent.
    fn telemetry_str(&self) -> &'static str;
}

impl<T: TelemetryEnum + ?Sized> TelemetryEnum for &T {
    const VALUES: &'static [&'static str] = T::VALUES;
    const DERIVED: Derived = T::DERIVED;
    fn telemetry_str(&self) -> &'static str {
        (**self).telemetry_str()
    }
}
