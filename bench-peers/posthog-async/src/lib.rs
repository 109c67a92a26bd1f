//! posthog-rs's async client (its default features) sending the peer bench's event.
#![forbid(unsafe_code)]

#[path = "../../posthog-blocking/src/event.rs"]
mod event;

pub use event::{event, options};
