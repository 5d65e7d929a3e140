//! Any series of finite numbers: the chart axis terminates, stays finite and
//! bounded, covers every value, and the chart and sparkline drawn over it
//! have no `NaN` or infinite coordinate.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let values: Vec<f64> = data
        .chunks_exact(8)
        .map(|c| f64::from_le_bytes(c.try_into().expect("8 bytes")))
        .filter(|v| v.is_finite())
        .collect();
    mieruka::fuzzing::axis(&values);
});
