//! The minimal CLI: one event to the collector at `argv[1]` with posthog-rs's
//! blocking client at its defaults, then exit (dropping the client shuts it down).
#![forbid(unsafe_code)]

fn main() {
    let url = std::env::args().nth(1).unwrap_or_else(|| "http://127.0.0.1:9".into());
    let client = posthog_rs::client(peer_posthog_blocking::options(&url, None, false));
    client.capture(peer_posthog_blocking::event(&peer_event::Hmac::new(&peer_event::KEY)));
}
