//! Enum values as the wire carries them, and how a Rust variant maps to one.
//!
//! A value is any non-empty string of at most [`MAX_ENUM_VALUE_LEN`] bytes
//! without control, invisible or direction-changing characters: `success`, `custom-prefix`, `/opt/homebrew`,
//! `v1.2` are all values, so a product keeps the strings its collector
//! already stores. `#[derive(TelemetryEnum)]` sends a variant as its name in
//! snake_case ([`to_snake_case`]: `CustomPrefix` as `custom_prefix`), or as
//! `#[telemetry(rename = "custom-prefix")]` says.

use super::to_snake_case;

/// The longest enum value, in bytes: room for a path or a version string,
/// short enough that a value stays a category, not free text.
pub const MAX_ENUM_VALUE_LEN: usize = 128;

/// Why `value` cannot be an enum value: `(message, help)`, or `None` when it can.
pub fn enum_value_problem(value: &str) -> Option<(String, String)> {
    if value.is_empty() {
        return Some((
            "an enum value is empty".into(),
            "write the value as the collector stores it, such as `success` or `custom-prefix`, or remove it".into(),
        ));
    }
    if value.len() > MAX_ENUM_VALUE_LEN {
        return Some((
            format!("enum value `{}…` is {} bytes long", short(value), value.len()),
            format!(
                "an enum value is at most {MAX_ENUM_VALUE_LEN} bytes: a category, not free text (use `type: string` with `max_length` for text)"
            ),
        ));
    }
    if let Some(c) = value.chars().find(|c| crate::error::hidden(*c)) {
        return Some((
            format!("enum value `{value}` holds the invisible or control character `{}`", c.escape_unicode()),
            "remove it: the page and the review show values as text, where such a character hides what is sent".into(),
        ));
    }
    None
}

/// The first few characters of a long value, for messages.
fn short(value: &str) -> &str {
    let end = value.char_indices().nth(32).map_or(value.len(), |(i, _)| i);
    &value[..end]
}

/// The value a variant named `variant` is sent as without a `rename`.
pub fn default_enum_value(variant: &str) -> String {
    to_snake_case(variant)
}

/// An `UpperCamelCase` variant name for `value` (`custom-prefix` as
/// `CustomPrefix`, `/opt/homebrew` as `OptHomebrew`); it needs a `rename`
/// unless [`default_enum_value`] of it gives `value` back.
pub fn variant_name(value: &str) -> String {
    let mut out = String::new();
    for word in value.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        let mut chars = word.chars();
        if let Some(c) = chars.next() {
            out.push(c.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert(0, 'V');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_values_as_products_have_them() {
        for ok in ["success", "custom-prefix", "/opt/homebrew", "v1.2", "Linux", "x86_64", "ü"] {
            assert_eq!(enum_value_problem(ok), None, "{ok}");
        }
        assert_eq!(enum_value_problem(&"a".repeat(MAX_ENUM_VALUE_LEN)), None);
    }

    #[test]
    fn empty_long_and_control_values_are_refused() {
        assert_eq!(enum_value_problem("").unwrap().0, "an enum value is empty");
        let long = "a".repeat(MAX_ENUM_VALUE_LEN + 1);
        assert_eq!(enum_value_problem(&long).unwrap().0, format!("enum value `{}…` is 129 bytes long", "a".repeat(32)));
        assert_eq!(
            enum_value_problem("a\nb").unwrap().0,
            "enum value `a\nb` holds the invisible or control character `\\u{a}`"
        );
        assert!(enum_value_problem("ok\u{200b}").is_some());
        assert!(enum_value_problem("\u{202e}kcab").is_some());
    }

    #[test]
    fn variant_names_map_back_or_need_a_rename() {
        assert_eq!(variant_name("success"), "Success");
        assert_eq!(default_enum_value(&variant_name("command_run")), "command_run");
        assert_eq!(variant_name("custom-prefix"), "CustomPrefix");
        assert_eq!(variant_name("/opt/homebrew"), "OptHomebrew");
        assert_eq!(variant_name("1.0"), "V10");
        assert_eq!(variant_name("-"), "V");
        assert_ne!(default_enum_value(&variant_name("custom-prefix")), "custom-prefix");
    }
}
