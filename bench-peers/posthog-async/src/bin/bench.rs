//! posthog-rs's async client under the shared bench modes (see
//! `peer_event::harness`): `capture` is called from the bench thread, as
//! from synchronous code inside a tokio app; flush and shutdown are awaited.
#![forbid(unsafe_code)]

use peer_event::Hmac;
use peer_event::harness::{self, Options, System};

struct PostHog {
    rt: tokio::runtime::Runtime,
    client: posthog_rs::Client,
    h: Hmac,
}

impl System for PostHog {
    fn record(&mut self) {
        self.client.capture(peer_posthog_async::event(&self.h));
    }

    fn flush(&mut self) {
        self.rt.block_on(self.client.flush());
    }

    fn finish(self: Box<Self>) -> String {
        self.rt.block_on(self.client.shutdown());
        "none".into()
    }
}

fn main() {
    harness::main(|o: &Options| {
        let rt = tokio::runtime::Runtime::new().expect("tokio runtime");
        let client = rt.block_on(posthog_rs::client(peer_posthog_async::options(&o.url, o.queue, o.gzip)));
        Box::new(PostHog { rt, client, h: Hmac::new(&peer_event::KEY) })
    });
}
