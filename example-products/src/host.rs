//! What the products' context and diagnostics say about the machine, as
//! Python's `platform` module (Argilla, Evidently, PyAirbyte) would say it.
//! Nothing here identifies a user: no host name, no user name, no path.

/// `platform.system()`: `Linux`, `Darwin`, `Windows`.
pub fn system() -> &'static str {
    match std::env::consts::OS {
        "linux" => "Linux",
        "macos" => "Darwin",
        "windows" => "Windows",
        "freebsd" => "FreeBSD",
        other => other,
    }
}

/// `platform.release()`: the kernel release on Linux, empty where this
/// program cannot read it without spawning a process.
pub fn release() -> String {
    std::fs::read_to_string("/proc/sys/kernel/osrelease").map(|s| s.trim().to_string()).unwrap_or_default()
}

/// `platform.machine()`: `x86_64`, `arm64` (macOS) or `aarch64`, `AMD64` (Windows).
pub fn machine() -> &'static str {
    match (std::env::consts::OS, std::env::consts::ARCH) {
        ("macos", "aarch64") => "arm64",
        ("windows", "x86_64") => "AMD64",
        (_, arch) => arch,
    }
}

/// `platform.platform()`: system, release and machine, such as
/// `Linux-6.1.0-18-amd64-x86_64`.
pub fn platform() -> String {
    let release = release();
    if release.is_empty() {
        format!("{}-{}", system(), machine())
    } else {
        format!("{}-{release}-{}", system(), machine())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(all(target_os = "linux", target_arch = "x86_64"))]
    fn linux_as_python_names_it() {
        assert_eq!((system(), machine()), ("Linux", "x86_64"));
        let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap();
        assert_eq!(platform(), format!("Linux-{}-x86_64", release.trim()));
    }
}
