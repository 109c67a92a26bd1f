//! The library under `cargo telemetry`: [`wire`] checks captured request
//! bodies, in any wire format the runtime sends, against the payload JSON
//! Schemas of a project's telemetry schemas (`cargo telemetry validate
//! --format`). The docs and the review gate are [`telemetry_schema::docs`].
#![forbid(unsafe_code)]

pub mod wire;
