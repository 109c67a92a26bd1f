//! Opening files in the state dir without following links, and deciding
//! whether what was opened can be trusted.
//!
//! On unix every open uses `O_NOFOLLOW` (a symlink planted at the name
//! fails the open instead of redirecting it) and `O_NONBLOCK` (a FIFO
//! planted there cannot hang the open), then checks the opened file itself
//! (`fstat`, so no race between check and use): a regular file, owned by
//! this user, not writable by group or others. Elsewhere the link check
//! runs on `symlink_metadata` before the open (best effort: a race remains)
//! and ownership is not checked.

use std::fs::{self, File, Metadata, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

/// Options that never follow a link at the last path component and never
/// wait for a FIFO's other end.
fn no_follow() -> OpenOptions {
    #[allow(unused_mut)]
    let mut o = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    o
}

/// Opens `path` with `o`, refusing links and anything but a regular file;
/// with the opened file's metadata (one `fstat` for every check).
fn open_checked(path: &Path, o: &OpenOptions) -> io::Result<(File, Metadata)> {
    #[cfg(not(unix))]
    if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(is_link(path));
    }
    let file = match o.open(path) {
        Ok(f) => f,
        Err(e) if e.kind() != io::ErrorKind::NotFound && fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink()) => {
            return Err(is_link(path));
        }
        Err(e) => return Err(e),
    };
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::other(format!(
            "{} is not a regular file (a directory, FIFO, device or socket)",
            path.display()
        )));
    }
    Ok((file, meta))
}

fn is_link(path: &Path) -> io::Error {
    io::Error::other(format!("{} is a symbolic link, which telemetry does not follow", path.display()))
}

/// Reads a regular file of at most `max` bytes, never following a link.
/// `NotFound` stays `NotFound`; every other problem is an error naming the file.
pub(crate) fn read_bounded(path: &Path, max: u64) -> io::Result<(Vec<u8>, Metadata)> {
    let (file, meta) = open_checked(path, no_follow().read(true))?;
    // Sized from the metadata, the file is read in one call and a second
    // finds its end (grown from nothing, a state file took five reads).
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len().min(max)).unwrap_or(0) + 1);
    // One byte more than allowed tells "too large" from "exactly max" (the
    // size in the metadata could change while reading).
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(io::Error::other(format!("{} is larger than {max} bytes", path.display())));
    }
    Ok((bytes, meta))
}

/// Opens `path` for appending, creating it owner-only (0600) if missing;
/// refuses a link, a non-regular file and a file it cannot trust.
pub(crate) fn open_append(path: &Path) -> io::Result<File> {
    let mut o = no_follow();
    o.append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let (file, meta) = open_checked(path, &o)?;
    trusted(path, &meta).map_err(io::Error::other)?;
    Ok(file)
}

/// Opens (creating, owner-only) a file to hold a lock on; never a link.
pub(crate) fn open_lock_file(path: &Path) -> io::Result<File> {
    let mut o = no_follow();
    o.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    open_checked(path, &o).map(|(file, _)| file)
}

/// Whether a file with `meta` may be trusted: owned by this user and not
/// writable by group or others (unix; always trusted elsewhere). The error
/// says why not, naming `path`.
pub(crate) fn trusted(path: &Path, meta: &Metadata) -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let me = uzers::get_effective_uid();
        if meta.uid() != me {
            return Err(format!("{} is owned by another user (uid {}, not {me})", path.display(), meta.uid()));
        }
        if meta.mode() & 0o022 != 0 {
            return Err(format!(
                "{} can be changed by other users (mode {:o}; expected 0600)",
                path.display(),
                meta.mode() & 0o777
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = (path, meta);
    Ok(())
}

/// Whether `dir` is a real directory (not a link to one) that may be
/// trusted, so that listing and deleting in it stays inside the state dir.
pub(crate) fn real_dir(dir: &Path) -> Result<(), String> {
    match fs::symlink_metadata(dir) {
        Ok(m) if m.file_type().is_symlink() => {
            Err(format!("{} is a symbolic link, which telemetry does not follow", dir.display()))
        }
        Ok(m) if !m.is_dir() => Err(format!("{} is not a directory", dir.display())),
        Ok(m) => trusted(dir, &m),
        Err(e) => Err(format!("cannot read {}: {e}", dir.display())),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::{PermissionsExt, symlink};

    fn temp(tag: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("tc-safe-{tag}-{}", uuid::Uuid::new_v4().simple()));
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn links_fifos_devices_and_big_files_are_refused() {
        let d = temp("read");
        fs::write(d.join("target"), b"{}").unwrap();
        symlink(d.join("target"), d.join("link")).unwrap();
        let e = read_bounded(&d.join("link"), 100).unwrap_err().to_string();
        assert_eq!(e, format!("{} is a symbolic link, which telemetry does not follow", d.join("link").display()));
        let e = read_bounded(Path::new("/dev/zero"), 100).unwrap_err().to_string();
        assert_eq!(e, "/dev/zero is not a regular file (a directory, FIFO, device or socket)");
        fs::write(d.join("big"), vec![b' '; 101]).unwrap();
        let e = read_bounded(&d.join("big"), 100).unwrap_err().to_string();
        assert_eq!(e, format!("{} is larger than 100 bytes", d.join("big").display()));
        assert_eq!(read_bounded(&d.join("none"), 100).unwrap_err().kind(), io::ErrorKind::NotFound);
        assert!(open_append(&d.join("link")).is_err());
        assert_eq!(fs::read(d.join("target")).unwrap(), b"{}", "the link target is untouched");
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn group_or_world_writable_files_are_not_trusted() {
        let d = temp("trust");
        let f = d.join("state.json");
        fs::write(&f, b"{}").unwrap();
        fs::set_permissions(&f, fs::Permissions::from_mode(0o666)).unwrap();
        let (_, meta) = read_bounded(&f, 100).unwrap();
        assert_eq!(
            trusted(&f, &meta).unwrap_err(),
            format!("{} can be changed by other users (mode 666; expected 0600)", f.display())
        );
        fs::set_permissions(&f, fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(trusted(&f, &fs::metadata(&f).unwrap()), Ok(()));
        symlink(&d, d.join("spool")).unwrap();
        assert!(
            real_dir(&d.join("spool")).unwrap_err().ends_with("is a symbolic link, which telemetry does not follow")
        );
        fs::remove_dir_all(&d).unwrap();
    }
}
