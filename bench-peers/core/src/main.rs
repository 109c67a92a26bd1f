//! The minimal CLI: one event to the collector at `argv[1]` (`argv[2]`: wire
//! format, `posthog` by default), telemetry-core at its defaults (state in
//! `BENCH_TELEMETRY_DIR`, `DO_NOT_TRACK` honoured), then exit.
#![forbid(unsafe_code)]

fn main() {
    let mut args = std::env::args().skip(1);
    let url = args.next().unwrap_or_else(|| "http://127.0.0.1:9/".into());
    let format = peer_core::format(&args.next().unwrap_or_else(|| "posthog".into()));
    match peer_core::builder(&url, format).build() {
        Ok(t) => t.record(&peer_core::event()),
        Err(e) => eprintln!("telemetry off: {e}"),
    }
}
