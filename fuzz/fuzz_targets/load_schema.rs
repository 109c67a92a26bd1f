//! Fuzzes the schema loader: any bytes must load or fail with located
//! diagnostics, never panic, hang or overflow the stack.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(err) = telemetry_schema::load_bytes(data, "fuzz.yaml") {
        // Rendering walks every diagnostic; it must not panic either.
        let rendered = err.to_string();
        assert!(!rendered.is_empty());
        for d in err.diagnostics() {
            assert!(!d.message.is_empty());
            if let Some(loc) = d.loc {
                assert!(loc.line >= 1 && loc.col >= 1);
            }
        }
    }
});
