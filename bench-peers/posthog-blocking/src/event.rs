//! The bench's event as a posthog-rs `Event` (shared by both posthog
//! packages through `#[path]`: one package cannot hold both clients).

use peer_event::{self as ev, Hmac};
use posthog_rs::{ClientOptions, ClientOptionsBuilder, Event};

/// Options at posthog-rs's defaults, sending to `host` (`/batch/` is appended);
/// `queue`: raise `max_queue_size` to hold that many events; `gzip`: gzip
/// request bodies (`capture_compression`).
pub fn options(host: &str, queue: Option<usize>, gzip: bool) -> ClientOptions {
    let mut b = ClientOptionsBuilder::default();
    b.api_key(ev::POSTHOG_KEY.to_string()).host(host.trim_end_matches("/batch/").to_string());
    if let Some(n) = queue {
        b.max_queue_size(n);
    }
    if gzip {
        b.capture_compression(posthog_rs::CaptureCompression::Gzip);
    }
    b.build().expect("posthog-rs options")
}

/// The event with its properties; both hashed values computed here, as an
/// app using posthog-rs must.
pub fn event(h: &Hmac) -> Event {
    let mut e = Event::new(ev::NAME, ev::ANONYMOUS_ID);
    let props: [(&str, Result<(), posthog_rs::Error>); 8] = [
        ("command", e.insert_prop("command", ev::COMMAND)),
        ("duration_ms", e.insert_prop("duration_ms", ev::DURATION_MS)),
        ("outcome", e.insert_prop("outcome", ev::OUTCOME)),
        ("exit_code", e.insert_prop("exit_code", ev::EXIT_CODE)),
        ("project", e.insert_prop("project", h.hex(ev::PROJECT))),
        ("branch", e.insert_prop("branch", h.hex(ev::BRANCH))),
        ("flags", e.insert_prop("flags", ev::FLAGS)),
        ("ci", e.insert_prop("ci", ev::CI)),
    ];
    for (name, r) in props {
        if let Err(err) = r {
            eprintln!("posthog-rs: property {name}: {err}");
        }
    }
    e
}
