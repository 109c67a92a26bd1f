//! `Builder::build`: consent, then (when on) identity, notice, envelope
//! template, transport and delivery thread, in that order.

use std::sync::Arc;

use super::resolve::Resolved;
use super::{Builder, TEST_ANONYMOUS_ID, TEST_PRODUCT_KEY, settings};
use crate::Hasher;
use crate::consent::{Choice, Mode, Reason};
use crate::context::{ContextError, Disk, Facts, TEST_APP_VERSION};
use crate::delivery::{Delivery, Early};
use crate::envelope::{Origin, OriginParts};
use crate::error::BuildError;
use crate::hash::Hashers;
use crate::meta::{self, FirstRun};
use crate::output::{Diag, Output};
use crate::spool::Spool;
use crate::state::{Identity, Install, NoIdentity, unmark_notice};
use crate::status::Status;
use crate::telemetry::Telemetry;
use crate::transport::{Endpoint, HttpPlan, Plan, Sink, checked_endpoint};

/// What starting gave: a handle that records, or the status of one that
/// stays off (consent says so, no randomness for a key, no thread). Off is
/// an outcome of `build()`, not an error.
enum Started {
    On(Telemetry),
    Off(Status),
}

impl Builder {
    /// Resolves consent and starts the handle (a background thread when on).
    ///
    /// Fails only on a bad endpoint, a missing API key, a context that
    /// does not fill the schema's required keys, or a missing or short
    /// product key for a schema with `hash: product` fields, whether or not
    /// telemetry is on, so a misconfiguration shows up on every machine.
    ///
    /// ```
    /// use telemetry_core::{EnvSource, Mode, Telemetry};
    /// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
    /// let builder = Telemetry::builder(&APP).app_version("1.0.0");
    /// // Off is an outcome, not an error: the handle says why.
    /// let telemetry = builder.with_test_knobs().env(EnvSource::from_pairs([("DO_NOT_TRACK", "1")])).build().unwrap();
    /// assert_eq!(telemetry.status().mode, Mode::Off);
    /// ```
    pub fn build(&self) -> Result<Telemetry, BuildError> {
        let endpoint = self.checked_endpoint()?;
        crate::context::check(self.meta, self.context.as_ref(), self.given_app_version())?;
        let product = self.product_hasher()?;
        let resolved = self.resolve();
        Ok(match self.start(&resolved, endpoint, product) {
            Started::On(telemetry) => telemetry,
            Started::Off(status) => Telemetry::off(self.meta, status),
        })
    }

    /// [`Builder::build`] for an app that must run whatever its telemetry
    /// setup says: a mistake in it (a bad endpoint, a missing API key or
    /// context) gives a handle that is off, records nothing and says why in
    /// its [`Telemetry::status`], instead of an error to handle. A debug
    /// build (or `<APP>_TELEMETRY_DEBUG=1`) also prints why on stderr, once,
    /// so the developer sees the mistake the users are spared.
    ///
    /// ```
    /// use telemetry_core::{EnvSource, Reason, Telemetry, WireFormat};
    /// static APP: telemetry_core::meta::AppMeta = telemetry_core::app_meta!("../../schemas/example-cli.yaml");
    ///
    /// // PostHog needs a project key: build() refuses, build_or_off() runs on without telemetry.
    /// let builder = Telemetry::builder(&APP).endpoint("https://eu.i.posthog.com", WireFormat::PostHog);
    /// # let builder = builder.with_test_knobs().env(EnvSource::from_pairs::<&str, &str>([])).output(std::io::sink());
    /// let telemetry = builder.build_or_off();
    /// assert!(!telemetry.is_enabled());
    /// assert!(matches!(telemetry.status().reason, Reason::SetupFailed(_)));
    /// assert!(telemetry.status().to_string().starts_with("Telemetry is off: the app's telemetry setup failed ("));
    /// ```
    pub fn build_or_off(&self) -> Telemetry {
        let error = match self.build() {
            Ok(telemetry) => return telemetry,
            Err(error) => error,
        };
        let mut r = self.resolve();
        if cfg!(debug_assertions) || r.debug {
            let output = self.test.output.clone().unwrap_or_else(Output::stderr);
            output.write(&format!("{}: telemetry is off: {error}\n", self.meta.name));
        }
        (r.mode, r.reason) = (Mode::Off, Reason::SetupFailed(error));
        Telemetry::off(self.meta, self.status_from(&r, None, Vec::new()))
    }

    /// The endpoint, if set: `https://` or loopback, with the API key its
    /// format needs (without the HTTP transport, an endpoint is an error).
    fn checked_endpoint(&self) -> Result<Option<Endpoint>, BuildError> {
        let (url, proxy) = (self.endpoint.as_deref(), self.proxy.as_deref());
        checked_endpoint(url, proxy, self.format, self.api_key.is_some())
    }

    /// The product's key, when the schema hashes anything under it: the
    /// one given, checked; a test handle's is [`TEST_PRODUCT_KEY`], so its
    /// bytes do not depend on whether the machine has the product's secret.
    /// A key given for a schema that needs none is not kept.
    fn product_hasher(&self) -> Result<Option<Hasher>, BuildError> {
        let fields = self.meta.product_hashed;
        if fields.is_empty() {
            return Ok(None);
        }
        if self.test.fixed_key.is_some() {
            return Ok(Some(Hasher::new(TEST_PRODUCT_KEY)));
        }
        let (app, fields) = (self.meta.name, fields.to_vec());
        match self.product_key.as_deref() {
            None | Some([]) => Err(BuildError::MissingProductKey { app, fields }),
            Some(key) if key.len() < Builder::MIN_PRODUCT_KEY_BYTES => {
                Err(BuildError::ShortProductKey { app, fields, len: key.len() })
            }
            Some(key) => Ok(Some(Hasher::new(key))),
        }
    }

    /// Starts recording, or says why the handle stays off.
    fn start(&self, r: &Resolved, endpoint: Option<Endpoint>, product: Option<Hasher>) -> Started {
        if r.mode == Mode::Off {
            return Started::Off(self.status_from(r, None, Vec::new()));
        }
        let output = self.test.output.clone().unwrap_or_else(Output::stderr);
        let diag = Diag::new(self.meta.name, r.debug.then(|| output.clone()));
        let plan = self.plan(r, &output, endpoint);
        let spools = plan.spools();
        let early = Early {
            thread_name: format!("{}-telemetry", self.meta.name),
            plan,
            tuning: settings::tuning(&self.batching, &self.limits, &self.retry, self.format),
            diag: diag.clone(),
        };
        let mut notes = Vec::new();
        let (identity, hashers, origin) = match self.identify(r, &output, product, &mut notes) {
            Ok(found) => found,
            Err(status) => return Started::Off(*status),
        };
        let spool = identity.gate.clone().filter(|_| spools).map(|gate| Spool {
            gate,
            max_bytes: self.limits.spool().0,
            max_files: self.limits.spool().1,
            app: self.meta,
            origin: Some(origin.clone()),
        });
        let status = self.status_from(r, self.sent_id(identity.anonymous_id, identity.id_source), notes);
        for n in &status.notes {
            diag.say(n);
        }
        // The worker starts only now that the run is on: nothing to stop if it ended off.
        match Delivery::start(early, spool, identity.gate.clone(), self.shutdown_deadline) {
            Ok(delivery) => {
                Started::On(Telemetry::on(self.meta, status, origin, hashers, delivery, diag, identity.gate))
            }
            Err(e) => {
                let why = format!("the delivery thread cannot start ({e}; the next run tries again)");
                Started::Off(status.unavailable(why))
            }
        }
    }

    /// The identity (showing the notice on a first run) and what every event
    /// shares; `Err`: the status of a run that stays off after all.
    fn identify(
        &self,
        r: &Resolved,
        output: &Output,
        product: Option<Hasher>,
        notes: &mut Vec<String>,
    ) -> Result<(Identity, Hashers, Arc<Origin>), Box<Status>> {
        let identity = match self.identity(r, self.notice && output.seen(), notes) {
            Ok(identity) => identity,
            Err(NoIdentity::NoRandomness) => {
                let why = "the system gives no randomness to make an id and a hashing key (the next run tries again)";
                let status = self.status_from(r, None, std::mem::take(notes));
                return Err(Box::new(status.unavailable(why.into())));
            }
            // Another process disabled telemetry while this run started.
            Err(NoIdentity::Disabled) => {
                let status = self.status_from(r, None, std::mem::take(notes));
                return Err(Box::new(status.off(Reason::Choice(Choice::Disabled))));
            }
        };
        if identity.show_notice {
            // Marked shown only if it reached the user: a closed stderr gives it back.
            if !output.write(&self.notice_text())
                && let Some(gate) = &identity.gate
                && let Err(e) = unmark_notice(gate)
            {
                notes.push(format!("the notice could not be shown, nor marked unshown: {e}"));
            }
            if self.meta.first_run == FirstRun::NoticeFirst {
                // The user reads the notice before anything is sent: this
                // run stays off (the identity is saved, so the next run
                // neither shows the notice again nor waits).
                let id = self.sent_id(identity.anonymous_id, identity.id_source);
                let mut status = self.status_from(r, id, std::mem::take(notes));
                (status.mode, status.reason) = (Mode::Off, Reason::NoticeFirst);
                return Err(Box::new(status));
            }
        }
        let hashers = Hashers { install: Hasher::new(&identity.key), product };
        match self.origin(&identity.anonymous_id, &hashers) {
            Ok(origin) => Ok((identity, hashers, origin)),
            Err(why) => {
                let id = self.sent_id(identity.anonymous_id, identity.id_source);
                let status = self.status_from(r, id, std::mem::take(notes));
                Err(Box::new(status.unavailable(why.to_string())))
            }
        }
    }

    /// The id and key: persisted when on; read-only (or process-only) in
    /// log-only mode. The schema's own id variable wins (the product's
    /// documented one), then ours. An app that keeps no id gets both for
    /// this process only, whatever is stored or set.
    fn identity(&self, r: &Resolved, notice: bool, notes: &mut Vec<String>) -> Result<Identity, NoIdentity> {
        if let Some(key) = self.test.fixed_key {
            let id = TEST_ANONYMOUS_ID.to_string();
            return Ok(Identity { anonymous_id: id, key, show_notice: false, gate: None, id_source: None });
        }
        let (dir, persist, consent_read) = (r.dir.as_deref(), r.mode == Mode::On, r.loaded.is_some());
        let install = Install { dir, persist, notice, consent_read };
        if self.meta.identity != meta::Identity::Install {
            return install.unstored(r.state(), notes);
        }
        let mut identity = install.identity(r.state(), notes)?;
        identity.override_from(self.id_vars(&r.names), &self.test.env, notes);
        Ok(identity)
    }

    /// What every event of this process shares; `Err` says why this
    /// machine's context cannot be sent (the run then stays off).
    fn origin(&self, anonymous_id: &str, hashers: &Hashers) -> Result<Arc<Origin>, ContextError> {
        // An app with no id sends neither id: the session id would link a run's events.
        let linked = self.meta.identity != meta::Identity::None;
        // A test handle sends the same context on every machine.
        let declared = |key: &str| self.meta.context.iter().any(|f| f.name == key);
        let facts = if self.test.fixed_key.is_some() {
            Facts::fixed()
        } else {
            Facts::machine(&self.test.env, &Disk, declared)
        };
        let context = self.given_app_version();
        let written = crate::context::build(self.meta.context, self.context.as_ref(), hashers.keys(), context, &facts)?;
        // Time-ordered (UUIDv7): PostHog's session analysis needs it, and no
        // format reads anything else from a session id.
        let session_id = uuid::Uuid::now_v7().to_string();
        Ok(Origin::new(OriginParts {
            app: self.meta.name,
            app_version: written.app_version.as_deref().unwrap_or_default(),
            schema_version: self.meta.schema_version,
            fingerprint: self.meta.fingerprint,
            context: &String::from_utf8_lossy(&written.json),
            anonymous_id: Some(anonymous_id).filter(|_| linked),
            session_id: Some(session_id.as_str()).filter(|_| linked),
        }))
    }

    /// The id events carry and what set it, for [`Status`]: none for an app with no id.
    fn sent_id(&self, id: String, source: Option<String>) -> Option<(String, Option<String>)> {
        (self.meta.identity != meta::Identity::None).then_some((id, source))
    }

    /// The app version the builder was given; a test handle's default.
    fn given_app_version(&self) -> Option<&str> {
        match (self.app_version.as_str(), self.test.fixed_key) {
            ("", Some(_)) => Some(TEST_APP_VERSION),
            ("", None) => None,
            (v, _) => Some(v),
        }
    }

    /// Where events go: log-only and debug print, then memory, the
    /// endpoint, or the JSON-lines file in the state dir (its write gate
    /// comes with the identity: `Delivery::start`).
    fn plan(&self, r: &Resolved, output: &Output, endpoint: Option<Endpoint>) -> Plan {
        match (r.mode, r.debug, endpoint) {
            (Mode::LogOnly, ..) => Plan::Ready(Sink::LogOnly(output.clone(), self.meta.name.into())),
            (_, true, _) => Plan::Ready(Sink::Debug(output.clone())),
            (_, false, _) if self.test.memory.is_some() => {
                Plan::Ready(Sink::Memory(self.test.memory.clone().unwrap_or_default()))
            }
            (_, false, Some(endpoint)) => Plan::Http(HttpPlan {
                endpoint,
                format: self.format,
                api_key: self.api_key.clone(),
                timeout: self.retry.request_timeout(),
                compression: self.compression,
            }),
            (_, false, None) => Plan::Ready(Sink::File { gate: None, max_bytes: self.limits.file_bytes() }),
        }
    }
}
