//! The app's meta: what `app_meta!` reads from the schema's `app` and
//! `consent` sections, and what `record()` checks events against.

use super::{EnvSwitch, EventMeta, FieldMeta, Fingerprint, FirstRun};

/// Which id a product's events carry (the schema's `app.identity`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Identity {
    /// A random id made on the first run and kept in the state dir (the default).
    Install,
    /// A random id made for each run (process), never stored.
    Run,
    /// No id: PostHog's `distinct_id` and Segment's `anonymousId` are the event's message id.
    None,
}

/// A product's consent rules and identity, from its schema. Only
/// `app_meta!` makes one: its fields are private, so no value written by
/// hand, nor one copied from a macro-built value with a field changed,
/// compiles outside this crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppMeta {
    pub(crate) name: &'static str,
    pub(crate) title: &'static str,
    pub(crate) term: &'static str,
    pub(crate) docs_url: Option<&'static str>,
    pub(crate) anonymous_id_env: Option<&'static str>,
    pub(crate) identity: Identity,
    pub(crate) enabled_by_default: bool,
    pub(crate) do_not_track: bool,
    pub(crate) env: &'static [EnvSwitch],
    pub(crate) first_run: FirstRun,
    pub(crate) opt_out_command: Option<&'static str>,
    pub(crate) context: &'static [FieldMeta],
    pub(crate) events: &'static [&'static str],
    pub(crate) product_hashed: &'static [&'static str],
    pub(crate) fingerprint: Fingerprint,
    pub(crate) schema_version: Option<&'static str>,
}

/// The parts of an [`AppMeta`], for `app_meta!` (through
/// `__private::app_meta`) and for tests of the runtime that say they step
/// outside the guarantee. Not public API.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
#[allow(missing_docs)]
pub struct AppParts {
    pub name: &'static str,
    pub title: &'static str,
    pub term: &'static str,
    pub docs_url: Option<&'static str>,
    pub anonymous_id_env: Option<&'static str>,
    pub identity: Identity,
    pub enabled_by_default: bool,
    pub do_not_track: bool,
    pub env: &'static [EnvSwitch],
    pub first_run: FirstRun,
    pub opt_out_command: Option<&'static str>,
    pub context: &'static [FieldMeta],
    pub events: &'static [&'static str],
    pub product_hashed: &'static [&'static str],
    pub fingerprint: Fingerprint,
    pub schema_version: Option<&'static str>,
}

impl AppMeta {
    pub(crate) const fn from_parts(p: AppParts) -> AppMeta {
        let AppParts {
            name,
            title,
            term,
            docs_url,
            anonymous_id_env,
            identity,
            enabled_by_default,
            do_not_track,
            env,
            first_run,
            opt_out_command,
            context,
            events,
            product_hashed,
            fingerprint,
            schema_version,
        } = p;
        AppMeta {
            name,
            title,
            term,
            docs_url,
            anonymous_id_env,
            identity,
            enabled_by_default,
            do_not_track,
            env,
            first_run,
            opt_out_command,
            context,
            events,
            product_hashed,
            fingerprint,
            schema_version,
        }
    }

    /// `app.name`.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// `app.title`.
    pub const fn title(&self) -> &'static str {
        self.title
    }

    /// The product's word for its telemetry (`app.term`, `telemetry` when
    /// the schema sets none): the notice and `status` use it.
    pub const fn term(&self) -> &'static str {
        self.term
    }

    /// The published "what we collect" page (`app.docs_url`).
    pub const fn docs_url(&self) -> Option<&'static str> {
        self.docs_url
    }

    /// The schema's `app.anonymous_id_env`: a product variable that replaces
    /// the anonymous id (checked before `<APP>_ANONYMOUS_ID`).
    pub const fn anonymous_id_env(&self) -> Option<&'static str> {
        self.anonymous_id_env
    }

    /// Which id events carry (`app.identity`).
    pub const fn identity(&self) -> Identity {
        self.identity
    }

    /// Telemetry is on unless something switches it off (`consent.default`).
    pub const fn enabled_by_default(&self) -> bool {
        self.enabled_by_default
    }

    /// Whether `DO_NOT_TRACK` is honoured (`consent.do_not_track`).
    pub const fn do_not_track(&self) -> bool {
        self.do_not_track
    }

    /// Product switches (`consent.env`), in schema order: the first that fires decides.
    pub const fn env(&self) -> &'static [EnvSwitch] {
        self.env
    }

    /// When a new install starts sending (`consent.first_run`).
    pub const fn first_run(&self) -> FirstRun {
        self.first_run
    }

    /// The schema's `consent.opt_out_command`, named in the notice and
    /// status unless the builder sets its own.
    pub const fn opt_out_command(&self) -> Option<&'static str> {
        self.opt_out_command
    }

    /// Context fields the schema collects (the runtime fills only these).
    pub const fn context(&self) -> &'static [FieldMeta] {
        self.context
    }

    /// Names of the schema's events.
    pub const fn events(&self) -> &'static [&'static str] {
        self.events
    }

    /// The fields hashed under the product's key (`hash: product`), as
    /// `event.field` or `context.field` (`event.object.field` when nested),
    /// in schema order: when there is any, `build()` needs the product's
    /// key ([`crate::Builder::product_key`]).
    pub const fn product_hashed(&self) -> &'static [&'static str] {
        self.product_hashed
    }

    /// The schema's fingerprint: `record()` refuses events of any other.
    pub const fn fingerprint(&self) -> Fingerprint {
        self.fingerprint
    }

    /// The schema's `schema_version`, sent in every envelope when it has one.
    pub const fn schema_version(&self) -> Option<&'static str> {
        self.schema_version
    }
}

#[cfg(test)]
impl AppMeta {
    /// An app with no switches, context or events, for unit tests to
    /// override field by field.
    pub(crate) const DEMO: AppMeta = AppMeta {
        name: "demo",
        title: "Demo",
        term: "telemetry",
        docs_url: None,
        anonymous_id_env: None,
        identity: Identity::Install,
        enabled_by_default: true,
        do_not_track: true,
        env: &[],
        first_run: FirstRun::Send,
        opt_out_command: None,
        context: &[],
        events: &[],
        product_hashed: &[],
        fingerprint: Fingerprint::new(1),
        schema_version: None,
    };
}

/// Why `record()` refused an event: it was not checked against this app's schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The event's schema names another app.
    OtherApp,
    /// Same `app.name`, another schema (a copy that collects differently).
    OtherSchema,
    /// The schema does not declare an event of that name (a hand-written impl).
    Undeclared,
}

impl AppMeta {
    /// Why an event of `event` may not be recorded by this app, if it may not.
    #[inline]
    pub(crate) fn refusal(&self, event: &EventMeta) -> Option<Refusal> {
        if !self.fingerprint.same(event.fingerprint) {
            return Some(if event.app == self.name { Refusal::OtherSchema } else { Refusal::OtherApp });
        }
        if !self.events.contains(&event.name) {
            return Some(Refusal::Undeclared);
        }
        None
    }

    /// The debug line for a refused event.
    pub(crate) fn refused_message(&self, event: &EventMeta, why: Refusal) -> String {
        let name = event.name;
        match why {
            Refusal::OtherApp => format!("refused event {name:?} of another app ({:?}): nothing is sent", event.app),
            Refusal::OtherSchema => format!(
                "refused event {name:?}: it was checked against another schema (fingerprint {}) than this app's ({}), such as a copy of it; nothing is sent. Derive it from the schema that `app_meta!` names",
                event.fingerprint, self.fingerprint
            ),
            Refusal::Undeclared => {
                format!("refused event {name:?}: this app's schema declares no such event; nothing is sent")
            }
        }
    }
}
