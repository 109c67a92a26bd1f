//! The minimal CLI: one event to the collector at `argv[1]` with posthog-rs's
//! async client at its defaults under `#[tokio::main]`, then shutdown and exit.
#![forbid(unsafe_code)]

#[tokio::main]
async fn main() {
    let url = std::env::args().nth(1).unwrap_or_else(|| "http://127.0.0.1:9".into());
    let client = posthog_rs::client(peer_posthog_async::options(&url, None, false)).await;
    client.capture(peer_posthog_async::event(&peer_event::Hmac::new(&peer_event::KEY)));
    client.shutdown().await;
}
