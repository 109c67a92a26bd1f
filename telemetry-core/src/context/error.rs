//! Why this machine's context cannot be sent: the run then stays off, and
//! the reason is a note in its status.

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
            ContextError::Required(why) => write!(f, "{why}; the schema requires it, so telemetry is off"),
            ContextError::ProductKeyUnheld => f.write_str(
                "the context hashes a value under the product's key, which this app's schema never asks for \
                 (a hand-written context): telemetry is off",
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

    /// What `status` notes, word for word: the key, what is wrong, and that nothing is sent.
    #[test]
    fn each_reason_in_words() {
        let required = |why| ContextError::Required(why).to_string();
        assert_eq!(
            required(Unadmitted::NoValue { key: "locale" }),
            "context key `locale` has no value on this machine; the schema requires it, so telemetry is off"
        );
        assert_eq!(
            required(Unadmitted::NotAValue { key: "os", values: &["macos", "windows"] }),
            r#"context key `os`: this machine's value is not one of the schema's values ["macos", "windows"]; the schema requires it, so telemetry is off"#
        );
        assert_eq!(
            required(Unadmitted::OtherType { key: "ci", ty: "string" }),
            "context key `ci`: the runtime's value is not a string; the schema requires it, so telemetry is off"
        );
        assert_eq!(
            ContextError::ProductKeyUnheld.to_string(),
            "the context hashes a value under the product's key, which this app's schema never asks for (a hand-written context): telemetry is off"
        );
    }
}
