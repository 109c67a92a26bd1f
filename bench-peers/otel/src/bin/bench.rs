//! The OpenTelemetry logs SDK under the shared bench modes (see `peer_event::harness`).
#![forbid(unsafe_code)]

use opentelemetry_sdk::logs::{SdkLogger, SdkLoggerProvider};
use peer_event::Hmac;
use peer_event::harness::{self, Options, System};

struct Otel {
    provider: SdkLoggerProvider,
    logger: SdkLogger,
    h: Hmac,
}

impl System for Otel {
    fn record(&mut self) {
        peer_otel::emit(&self.logger, &self.h);
    }

    fn flush(&mut self) {
        if let Err(e) = self.provider.force_flush() {
            eprintln!("OpenTelemetry flush: {e}");
        }
    }

    fn finish(self: Box<Self>) -> String {
        match self.provider.shutdown() {
            Ok(()) => "none".into(),
            Err(e) => format!("shutdown-error:{}", e.to_string().replace(' ', "_")),
        }
    }
}

fn main() {
    harness::main(|o: &Options| {
        let provider = peer_otel::provider(&o.url, o.queue, o.gzip);
        let logger = peer_otel::logger(&provider);
        Box::new(Otel { provider, logger, h: Hmac::new(&peer_event::KEY) })
    });
}
