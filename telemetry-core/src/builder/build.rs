//! `Builder::build`: consent, then (when on) identity, notice, envelope
//! template, transport and delivery thread, in that order.

#[cfg(not(feature = "http"))]
use std::convert::Infallible;
use std::path::PathBuf;

use super::Builder;
use super::resolve::Resolved;
use crate::consent::Mode;
use crate::delivery::{Config, Delivery};
use crate::envelope::Template;
use crate::error::BuildError;
use crate::output::{Diag, Output};
use crate::spool::Spool;
use crate::state::{EVENTS_FILE, Identity, Install, SPOOL_DIR};
use crate::status::Status;
use crate::telemetry::Telemetry;
#[cfg(feature = "http")]
use crate::transport::check_endpoint;
use crate::transport::{Plan, Sink};

/// An endpoint that passed the policy. Without the HTTP transport there is
/// none: setting one fails the build.
#[cfg(feature = "http")]
type Endpoint = reqwest::Url;
#[cfg(not(feature = "http"))]
type Endpoint = Infallible;

impl Builder {
    /// Resolves consent and starts the handle (a background thread when on).
    ///
    /// Fails only on a bad endpoint or a missing API key, whether or not
    /// telemetry is on, so a misconfiguration shows up on every machine.
    pub fn build(&self) -> Result<Telemetry, BuildError> {
        let endpoint = self.checked_endpoint()?;
        let resolved = self.resolve();
        Ok(self.start(&resolved, endpoint).unwrap_or_else(|status| Telemetry::off(self.meta, *status)))
    }

    /// The endpoint, if set: `https://` or loopback, with the API key its
    /// format needs.
    #[cfg(feature = "http")]
    fn checked_endpoint(&self) -> Result<Option<Endpoint>, BuildError> {
        let Some(url) = &self.endpoint else { return Ok(None) };
        let endpoint = check_endpoint(url, self.format)?;
        if self.format.needs_api_key() && self.api_key.is_none() {
            return Err(BuildError::MissingApiKey { format: self.format });
        }
        Ok(Some(endpoint))
    }

    /// Without the HTTP transport, an endpoint cannot be served.
    #[cfg(not(feature = "http"))]
    fn checked_endpoint(&self) -> Result<Option<Endpoint>, BuildError> {
        match &self.endpoint {
            Some(url) => Err(BuildError::HttpUnavailable { url: url.clone() }),
            None => Ok(None),
        }
    }

    /// Starts recording; `Err` is the status of a handle that stays off
    /// (consent says so, no randomness for a key, no thread).
    fn start(&self, r: &Resolved, endpoint: Option<Endpoint>) -> Result<Telemetry, Box<Status>> {
        if r.mode == Mode::Off {
            return Err(Box::new(self.status_from(r, None, Vec::new())));
        }
        let output = self.output.clone().unwrap_or_else(Output::stderr);
        let diag = Diag::new(self.meta.name, r.debug.then(|| output.clone()));
        let mut notes = Vec::new();
        let Some(identity) = self.identity(r, &mut notes) else {
            notes.push("the system has no randomness to make a hashing key; telemetry is off".into());
            let mut status = self.status_from(r, None, notes);
            status.mode = Mode::Off;
            return Err(Box::new(status));
        };
        if identity.show_notice {
            output.write(&self.notice_text());
        }
        let template = self.template(&identity.anonymous_id, &mut notes);
        let plan = self.plan(r, &output, endpoint);
        let spool = r.dir.as_ref().filter(|_| plan.spools()).map(|d| Spool {
            dir: d.join(SPOOL_DIR),
            max_bytes: self.spool_max_bytes,
            max_files: self.spool_max_files,
        });
        let mut status = self.status_from(r, Some(identity.anonymous_id), notes);
        for n in &status.notes {
            diag.say(n);
        }
        let config = Config {
            thread_name: format!("{}-telemetry", self.meta.name),
            plan,
            tuning: self.tuning.clone(),
            spool,
            deadline: self.shutdown_deadline,
            diag: diag.clone(),
        };
        match Delivery::start(config) {
            Ok(delivery) => Ok(Telemetry::on(self.meta, status, template, &identity.key, delivery, diag)),
            Err(e) => {
                status.mode = Mode::Off;
                status.notes.push(format!("cannot start the delivery thread ({e}); telemetry is off"));
                Err(Box::new(status))
            }
        }
    }

    /// The id and key: persisted when on; read-only (or process-only) in
    /// log-only mode. The schema's own id variable wins (the product's
    /// documented one), then ours.
    fn identity(&self, r: &Resolved, notes: &mut Vec<String>) -> Option<Identity> {
        let install = Install { dir: r.dir.as_deref(), persist: r.mode == Mode::On, notice: self.notice };
        let mut identity = install.identity(r.state(), notes)?;
        let vars = self.meta.anonymous_id_env.into_iter().chain([r.names.anonymous_id.as_str()]);
        identity.override_from(vars, &self.env, notes);
        Some(identity)
    }

    /// The envelope parts shared by every event of this process.
    fn template(&self, anonymous_id: &str, notes: &mut Vec<String>) -> Template {
        let mut unknown = Vec::new();
        let context = crate::context::build(self.meta.context, &self.app_version, &self.env, &mut unknown);
        if !unknown.is_empty() {
            notes.push(format!("context keys the runtime cannot fill are left out: {}", unknown.join(", ")));
        }
        let session_id = uuid::Uuid::new_v4().to_string();
        Template::new(&context, anonymous_id, &session_id, self.meta.name, &self.app_version)
    }

    /// Where events go: log-only and debug print, then memory, the
    /// endpoint, or the JSON-lines file in the state dir.
    fn plan(&self, r: &Resolved, output: &Output, endpoint: Option<Endpoint>) -> Plan {
        match (r.mode, r.debug, endpoint) {
            (Mode::LogOnly, ..) => Plan::Ready(Sink::LogOnly(output.clone(), self.meta.name.into())),
            (_, true, _) => Plan::Ready(Sink::Debug(output.clone())),
            (_, false, _) if self.memory.is_some() => {
                Plan::Ready(Sink::Memory(self.memory.clone().unwrap_or_default()))
            }
            #[cfg(feature = "http")]
            (_, false, Some(url)) => {
                Plan::Http { url, format: self.format, api_key: self.api_key.clone(), timeout: self.request_timeout }
            }
            #[cfg(not(feature = "http"))]
            (_, false, Some(never)) => match never {},
            (_, false, None) => Plan::Ready(match &r.dir {
                Some(d) => Sink::File { path: d.join(EVENTS_FILE), max_bytes: self.file_max_bytes },
                None => Sink::File { path: PathBuf::new(), max_bytes: 0 },
            }),
        }
    }
}
