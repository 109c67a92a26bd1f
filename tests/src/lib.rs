//! Workspace tests: the compile-fail privacy suite (`tests/ui.rs`) and end-to-end tests live in `tests/`.
#![forbid(unsafe_code)]
