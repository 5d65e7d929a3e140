//! Any text as a printed value cell: `Reading::parse`, the base scale,
//! `format_number` and the fiscal-year reader must hold for all of it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    mieruka::fuzzing::value(text);
});
