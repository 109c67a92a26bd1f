//! The OpenTelemetry logs SDK sending the peer bench's event: one log record
//! per event, the event name as body and event name, the 8 fields as
//! attributes, through the batch processor and the OTLP/HTTP exporter
//! (protobuf, its default).
#![forbid(unsafe_code)]

use opentelemetry::logs::{AnyValue, LogRecord, Logger, LoggerProvider, Severity};
use opentelemetry_otlp::{LogExporter, WithExportConfig, WithHttpConfig};
use opentelemetry_sdk::logs::{BatchConfigBuilder, BatchLogProcessor, SdkLogger, SdkLoggerProvider};
use peer_event::{self as ev, Hmac};

/// A provider at the SDK's defaults exporting to `url` (used as given);
/// `queue`: raise the batch processor's queue to hold that many records;
/// `gzip`: gzip request bodies (`with_compression`, feature `gzip-http`).
pub fn provider(url: &str, queue: Option<usize>, gzip: bool) -> SdkLoggerProvider {
    let mut exporter = LogExporter::builder().with_http().with_endpoint(url);
    if gzip {
        exporter = exporter.with_compression(opentelemetry_otlp::Compression::Gzip);
    }
    let exporter = exporter.build().expect("OTLP/HTTP exporter");
    let b = SdkLoggerProvider::builder();
    match queue {
        None => b.with_batch_exporter(exporter),
        Some(n) => b.with_log_processor(
            BatchLogProcessor::builder(exporter)
                .with_batch_config(BatchConfigBuilder::default().with_max_queue_size(n).build())
                .build(),
        ),
    }
    .build()
}

/// The bench's logger.
pub fn logger(p: &SdkLoggerProvider) -> SdkLogger {
    p.logger("bench")
}

/// Builds and emits one record; both hashed values computed here, as an
/// app using the SDK must.
pub fn emit(logger: &SdkLogger, h: &Hmac) {
    let mut r = logger.create_log_record();
    r.set_event_name(ev::NAME);
    r.set_severity_number(Severity::Info);
    r.set_severity_text("INFO");
    r.set_body(AnyValue::from(ev::NAME));
    r.add_attribute("command", ev::COMMAND);
    r.add_attribute("duration_ms", i64::try_from(ev::DURATION_MS).unwrap_or(i64::MAX));
    r.add_attribute("outcome", ev::OUTCOME);
    r.add_attribute("exit_code", ev::EXIT_CODE);
    r.add_attribute("project", h.hex(ev::PROJECT));
    r.add_attribute("branch", h.hex(ev::BRANCH));
    r.add_attribute("flags", ev::FLAGS.iter().copied().collect::<AnyValue>());
    r.add_attribute("ci", ev::CI);
    logger.emit(r);
}
