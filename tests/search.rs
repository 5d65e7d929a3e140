//! Search in a real browser: headless Chromium types queries into the built
//! example site's search page (tests/browser/search.mjs): words inside
//! compounds, half-width katakana, full-width letters and digits, era years,
//! English on the English site, filters, keyboard use, and the page without
//! JavaScript. The tokenizer of the browser is checked against the index's.

mod browser_support;

use browser_support::*;

#[test]
fn search_finds_what_residents_type() {
    if !tools_or_skip(false) {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let www = tmp.path().join("www");
    build_example(&www);
    let server = serve(&www, "kaikaku/404.html");
    let base = format!("http://{}/kaikaku/", server.addr);
    let stdout = node("search.mjs", &["--base", &base]);
    assert!(stdout.contains("all search checks passed"), "{stdout}");
}
