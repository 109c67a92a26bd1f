//! posthog-rs's blocking client under the shared bench modes (see `peer_event::harness`).
#![forbid(unsafe_code)]

use peer_event::Hmac;
use peer_event::harness::{self, Options, System};

struct PostHog {
    client: posthog_rs::Client,
    h: Hmac,
}

impl System for PostHog {
    fn record(&mut self) {
        self.client.capture(peer_posthog_blocking::event(&self.h));
    }

    fn flush(&mut self) {
        self.client.flush();
    }

    fn finish(self: Box<Self>) -> String {
        self.client.shutdown();
        "none".into()
    }
}

fn main() {
    harness::main(|o: &Options| {
        let client = posthog_rs::client(peer_posthog_blocking::options(&o.url, o.queue, o.gzip));
        Box::new(PostHog { client, h: Hmac::new(&peer_event::KEY) })
    });
}
