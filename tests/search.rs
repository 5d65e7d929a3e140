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

/// The search evaluation of issue 10 (tests/search_eval): for each of its
/// queries, typed into the built example site's search page in Chromium,
/// no result lacks a word of the query, every exact match ranks above
/// every partial one, and overall at least 95% of the pages whose visible
/// text contains the query are found. Prints the figures.
#[test]
fn search_evaluation_holds() {
    if !tools_or_skip(false) {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let www = tmp.path().join("www");
    let out = build_example(&www);
    let server = serve(&www, "kaikaku/404.html");
    let base = format!("http://{}/kaikaku/", server.addr);
    let stdout = node(
        "../search_eval/eval.mjs",
        &["--base", &base, "--dir", out.to_str().unwrap(), "--assert"],
    );
    assert!(
        stdout.contains("search evaluation: all assertions hold"),
        "{stdout}"
    );
}
