//! posthog-rs's blocking client (built without `async-client`) sending the
//! peer bench's event.
#![forbid(unsafe_code)]

#[path = "event.rs"]
mod event;

pub use event::{event, options};
