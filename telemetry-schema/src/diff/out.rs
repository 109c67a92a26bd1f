//! Where `compare` collects its changes: each change
//! with its classes, sorted, and a location in the version it concerns.
//! Both the event and field comparison and the consent comparison write here.

use super::{Change, Class};
use crate::error::Loc;
use std::path::Path;

/// Where the changes go, and the files their locations point into.
pub(super) struct Out<'a> {
    pub(super) changes: Vec<Change>,
    pub(super) base_file: &'a Path,
    pub(super) head_file: &'a Path,
}

impl Out<'_> {
    pub(super) fn push(&mut self, item: &str, what: impl Into<String>, classes: &[Class], at: Side) {
        let location = match at {
            Side::Head(loc) => format!("{}:{loc}", self.head_file.display()),
            Side::Base(loc) => format!("{}:{loc}", self.base_file.display()),
            Side::HeadFile => self.head_file.display().to_string(),
        };
        let mut classes = classes.to_vec();
        classes.sort();
        self.changes.push(Change { item: item.to_string(), what: what.into(), classes, location });
    }
}

/// Which version a change's location is in.
#[derive(Clone, Copy)]
pub(super) enum Side {
    Head(Loc),
    Base(Loc),
    HeadFile,
}
