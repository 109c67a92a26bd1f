//! The minimal CLI: one log record to the collector at `argv[1]` with the
//! SDK's batch processor at its defaults, then shutdown and exit.
#![forbid(unsafe_code)]

fn main() {
    let url = std::env::args().nth(1).unwrap_or_else(|| "http://127.0.0.1:9/v1/logs".into());
    let provider = peer_otel::provider(&url, None, false);
    peer_otel::emit(&peer_otel::logger(&provider), &peer_event::Hmac::new(&peer_event::KEY));
    if let Err(e) = provider.shutdown() {
        eprintln!("OpenTelemetry shutdown: {e}");
    }
}
