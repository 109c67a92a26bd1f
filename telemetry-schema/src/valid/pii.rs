//! The PII-name lexicon: which field names look like personal data.
//!
//! The words live in `pii-lexicon.txt` (data, not code, so adding a synonym
//! is a one-line change that the schema reference lists). Each line is
//! `term` or `term: synonym, synonym`; a term of several words is written
//! with spaces. Lines starting with `#` are comments or, as `## Group`,
//! headings for the generated list.

use std::collections::HashSet;
use std::sync::OnceLock;

const LEXICON: &str = include_str!("pii-lexicon.txt");

/// Every spelling the lexicon matches, as words joined by one space.
struct Lexicon {
    forms: HashSet<String>,
    longest: usize,
}

fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| {
        let mut forms = HashSet::new();
        for term in terms(LEXICON) {
            let words: Vec<String> = term.split_whitespace().map(str::to_ascii_lowercase).collect();
            let Some((last, rest)) = words.split_last() else { continue };
            for last in plural_forms(last) {
                let spaced: Vec<&str> = rest.iter().map(String::as_str).chain([last.as_str()]).collect();
                forms.insert(spaced.join(" "));
                // `first name` is also written `firstname`, `eMail` is `e mail`.
                forms.insert(spaced.concat());
            }
        }
        let longest = forms.iter().map(|f| f.split(' ').count()).max().unwrap_or(1);
        Lexicon { forms, longest }
    })
}

/// The terms and synonyms of the lexicon text, in file order.
fn terms(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .flat_map(|l| l.split([':', ',']))
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// `word` and its plurals: `email` -> `emails`, `address` -> `addresses`, `party` -> `parties`.
fn plural_forms(word: &str) -> Vec<String> {
    let mut out = vec![word.to_string()];
    if ["s", "x", "z", "ch", "sh"].iter().any(|e| word.ends_with(e)) {
        out.push(format!("{word}es"));
    } else if let Some(stem) = word.strip_suffix('y').filter(|s| !s.ends_with(['a', 'e', 'i', 'o', 'u'])) {
        out.push(format!("{stem}ies"));
    } else {
        out.push(format!("{word}s"));
    }
    out
}

/// The words of `name`, lowercased: split at every character that is not a
/// letter or digit and, when `camel`, where a capital starts a new word
/// (`userName`, `HTTPProxy`).
fn words(name: &str, camel: bool) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out: Vec<String> = vec![String::new()];
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            out.push(String::new());
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1);
        let starts_word = camel
            && c.is_uppercase()
            && (prev.is_some_and(|p| p.is_lowercase() || p.is_ascii_digit())
                || (prev.is_some_and(char::is_uppercase) && next.is_some_and(|n| n.is_lowercase())));
        if starts_word {
            out.push(String::new());
        }
        out.last_mut().expect("never empty").extend(c.to_lowercase());
    }
    out.retain(|w| !w.is_empty());
    out
}

/// The leftmost, longest run of `name`'s words that the lexicon holds,
/// written as those words joined by `_`.
fn find(lex: &Lexicon, name: &str, camel: bool) -> Option<String> {
    let spelled = words(name, camel);
    // `ipv4`, `ip6`, `email2`: a number after a word does not change what it names.
    let keys: Vec<&str> = spelled.iter().map(|w| w.trim_end_matches(|c: char| c.is_ascii_digit())).collect();
    for start in 0..keys.len() {
        for len in (1..=lex.longest.min(keys.len() - start)).rev() {
            let run = &keys[start..start + len];
            if run.iter().all(|k| !k.is_empty()) && lex.forms.contains(&run.join(" ")) {
                return Some(spelled[start..start + len].join("_"));
            }
        }
    }
    None
}

/// The part of `name` that makes it look like personal data, if any,
/// according to the PII-name lexicon (listed in the schema reference).
///
/// The name is split into words at `_`, `-`, `.` and other separators and
/// at camelCase capitals, and lowercased; a number ending a word is ignored
/// (`ipv4`, `ip6`). A run of words matches a lexicon term or synonym in its
/// spaced, joined or plural spelling (`first_name`, `firstname`,
/// `first_names`). The leftmost, longest match is returned as its words
/// joined by `_`.
///
/// ```
/// use telemetry_schema::pii_token;
/// assert_eq!(pii_token("user_email"), Some("email".to_string()));
/// assert_eq!(pii_token("api_key_id"), Some("api_key".to_string()));
/// assert_eq!(pii_token("emails"), Some("emails".to_string()));
/// assert_eq!(pii_token("eMail"), Some("e_mail".to_string()));
/// assert_eq!(pii_token("client_ipv4"), Some("ipv4".to_string()));
/// assert_eq!(pii_token("tokenizer"), None);
/// assert_eq!(pii_token("duration_ms"), None);
/// ```
pub fn pii_token(name: &str) -> Option<String> {
    let lex = lexicon();
    // `IPv4` splits into `i`, `pv4` at capitals; the unsplit word still names an IP.
    find(lex, name, true).or_else(|| find(lex, name, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicon_terms_are_lowercase_words() {
        for term in terms(LEXICON) {
            assert!(
                term.split(' ').all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase())),
                "`{term}`: write terms as lowercase ASCII words separated by one space"
            );
        }
    }

    #[test]
    fn words_split_at_separators_and_capitals() {
        assert_eq!(words("userName", true), ["user", "name"]);
        assert_eq!(words("HTTPProxy-host.name", true), ["http", "proxy", "host", "name"]);
        assert_eq!(words("IPv4", false), ["ipv4"]);
        assert_eq!(words("__a__", true), ["a"]);
    }

    #[test]
    fn plurals() {
        assert_eq!(plural_forms("email"), ["email", "emails"]);
        assert_eq!(plural_forms("address"), ["address", "addresses"]);
        assert_eq!(plural_forms("city"), ["city", "cities"]);
        assert_eq!(plural_forms("key"), ["key", "keys"]);
    }
}
