//! Why this machine's context cannot be sent: the run then stays off, and
//! this is why, in its status (`Reason::Unavailable`).

use std::fmt;

/// Why [`super::build`] sends no context, and with it no event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ContextError {
    /// A key the schema requires has no value here the schema admits.
    Required(Unadmitted),
    /// The context hashed a value under the product's key, which the app's
    /// schema never asks for: only a hand-written `TelemetryContext` can.
    ProductKeyUnheld,
}

/// Why a well-known key's value on this machine is not sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unadmitted {
    /// This machine has no value for it (`os_version` off Linux, `locale` unset).
    NoValue {
        /// The key.
        key: &'static str,
    },
    /// The key is an enum, and this machine's value is not one of its values.
    NotAValue {
        /// The key.
        key: &'static str,
        /// The values the schema declares.
        values: &'static [&'static str],
    },
    /// The runtime's value is not of the key's declared type.
    OtherType {
        /// The key.
        key: &'static str,
        /// The declared type.
        ty: &'static str,
    },
}

impl fmt::Display for ContextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ContextError::Required(why) => write!(
                f,
                "this machine cannot give the context the app's schema requires ({why}; the schema can mark the key \
                 `required: false`)"
            ),
            ContextError::ProductKeyUnheld => f.write_str(
                "the app's context hashes a value under the product's key, which its schema never asks for \
                 (a hand-written context)",
            ),
        }
    }
}

impl fmt::Display for Unadmitted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unadmitted::NoValue { key } => write!(f, "context key `{key}` has no value on this machine"),
            Unadmitted::NotAValue { key, values } => {
                write!(f, "context key `{key}`: this machine's value is not one of the schema's values {values:?}")
            }
            Unadmitted::OtherType { key, ty } => write!(f, "context key `{key}`: the runtime's value is not a {ty}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Why `status` says telemetry is off, word for word: the key, what is
    /// wrong, what the app can change (`Reason::Unavailable` adds that
    /// nothing is recorded).
    #[test]
    fn each_reason_in_words() {
        let required = |why| ContextError::Required(why).to_string();
        assert_eq!(
            required(Unadmitted::NoValue { key: "locale" }),
            "this machine cannot give the context the app's schema requires (context key `locale` has no value on this machine; the schema can mark the key `required: false`)"
        );
        assert_eq!(
            required(Unadmitted::NotAValue { key: "os", values: &["macos", "windows"] }),
            r#"this machine cannot give the context the app's schema requires (context key `os`: this machine's value is not one of the schema's values ["macos", "windows"]; the schema can mark the key `required: false`)"#
        );
        assert_eq!(
            required(Unadmitted::OtherType { key: "ci", ty: "string" }),
            "this machine cannot give the context the app's schema requires (context key `ci`: the runtime's value is not a string; the schema can mark the key `required: false`)"
        );
        assert_eq!(
            ContextError::ProductKeyUnheld.to_string(),
            "the app's context hashes a value under the product's key, which its schema never asks for (a hand-written context)"
        );
    }
}
