//! telemetry-core under the shared bench modes (see `peer_event::harness`).
#![forbid(unsafe_code)]

use peer_event::harness::{self, Options, System};
use telemetry_core::{EnvSource, Limits, Telemetry};

struct Core {
    t: Telemetry,
    dir: std::path::PathBuf,
}

impl System for Core {
    fn record(&mut self) {
        self.t.record(&peer_core::event());
    }

    fn flush(&mut self) {
        self.t.flush(peer_core::FLUSH);
    }

    fn finish(self: Box<Self>) -> String {
        let s = self.t.shutdown();
        let _ = std::fs::remove_dir_all(&self.dir);
        format!("recorded:{},sent:{},spooled:{},dropped:{}", s.recorded, s.sent, s.spooled, s.dropped)
    }
}

fn main() {
    harness::main(|o: &Options| {
        let dir = std::env::temp_dir().join(format!("peer-core-bench-{}", std::process::id()));
        let mut b = peer_core::builder(&o.url, peer_core::format(&o.format)).state_dir(&dir).notice(false);
        if o.gzip {
            b = b.compression(telemetry_core::Compression::Gzip);
        }
        if let Some(n) = o.queue {
            b = b.limits(Limits::default().with_queue_events(n).with_queue_bytes(usize::MAX));
        }
        let t = b
            .with_test_knobs()
            .env(EnvSource::from_pairs::<&str, &str>([]))
            .build()
            .unwrap_or_else(|e| panic!("telemetry-core: {e}"));
        Box::new(Core { t, dir })
    });
}
