//! A build without the HTTP transport (cargo feature `http` off): the
//! names `transport/http/` gives, none of which can be made. Setting an
//! endpoint fails `build()` on every machine.

use std::time::Duration;

use super::Outcome;
use crate::envelope::Event;
use crate::error::BuildError;
use crate::format::WireFormat;

/// No endpoint passes: there is no transport to serve it.
#[derive(Clone)]
pub(crate) enum Endpoint {}

/// An endpoint, if set, is an error; none is fine.
pub(crate) fn checked(
    url: Option<&str>,
    _proxy: Option<&str>,
    _format: WireFormat,
    _has_api_key: bool,
) -> Result<Option<Endpoint>, BuildError> {
    match url {
        Some(url) => Err(BuildError::HttpUnavailable { url: url.to_string() }),
        None => Ok(None),
    }
}

pub(crate) fn open(
    endpoint: Endpoint,
    _: WireFormat,
    _: Option<String>,
    _: Duration,
    _: crate::format::Compression,
) -> Result<Http, String> {
    match endpoint {}
}

/// No client.
pub(crate) enum Http {}

impl Http {
    pub(crate) fn send(&self, _: &[Event], _: super::Pace) -> Outcome {
        match *self {}
    }
}
