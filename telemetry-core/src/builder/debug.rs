//! The builder's `Debug`: the settings an app author looks for, never a
//! secret. The API key (a Segment write key or PostHog project key), the
//! product's hashing key and the proxy URL (which may carry a password)
//! print as `<redacted>`; the test
//! knobs are left out (an injected environment may hold tokens).

use std::fmt;

use super::Builder;

/// Prints `<redacted>` in place of a secret.
struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Debug for Builder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Builder");
        d.field("app", &self.meta.name)
            .field("app_version", &self.app_version)
            .field("endpoint", &self.endpoint)
            .field("format", &self.format)
            .field("api_key", &self.api_key.as_ref().map(|_| Redacted))
            .field("product_key", &self.product_key.as_ref().map(|_| Redacted))
            .field("proxy", &self.proxy.as_ref().map(|_| Redacted))
            .field("compression", &self.compression)
            .field("shutdown_deadline", &self.shutdown_deadline)
            .field("state_dir", &self.state_dir)
            .field("notice", &self.notice)
            .field("opt_out_command", &self.opt_out_command)
            .field("batching", &self.batching)
            .field("limits", &self.limits)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}
