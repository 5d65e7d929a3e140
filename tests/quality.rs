//! Quality gates on the real example site, by tools we did not write: the Nu
//! HTML Checker, axe-core in headless Chromium, a link check, keyboard and
//! layout checks (tests/browser/check.mjs). The site is built with its
//! sub-path base URL (`/kaikaku/`) and served from a local HTTP server.
//!
//! Needs node, java, Chromium and `npm ci` in tests/browser (`.ci/run`
//! installs them). Without them this test says what is missing and skips —
//! except in CI (`CI=true`), where a missing tool is a failure.

mod browser_support;
mod common;

use browser_support::*;

#[test]
fn example_site_passes_html_accessibility_link_keyboard_and_layout_checks() {
    if !tools_or_skip(true) {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let www = tmp.path().join("www");
    let site = build_example(&www);
    let server = serve(&www, "kaikaku/404.html");
    let base = format!("http://{}/kaikaku/", server.addr);
    let stdout = node(
        "check.mjs",
        &[
            "--dir",
            &site.to_string_lossy(),
            "--base",
            &base,
            "--pages",
            "musashino-gyokaku6/gyokaku6-014/,en/musashino-johoka7/johoka7-29/,en/musashino-gyokaku6/gyokaku6-014/,musashino-gyokaku6/gyokaku6-071/,en/musashino-gyokaku6/gyokaku6-071/,en/mitaka-kihon4/indicators/,search/?q=子育て,en/search/?q=childcare",
        ],
    );
    assert!(stdout.contains("all checks passed"), "{stdout}");
}

/// A long list split over numbered pages: the pager passes the same checks
/// (HTML, links, axe, keyboard, phone layout).
#[test]
fn numbered_pages_of_a_long_list_pass_the_same_checks() {
    if !tools_or_skip(true) {
        return;
    }
    let site = common::long_plan(210);
    let www = site.path("www");
    let out = www.join("kaikaku");
    let run = site.run(&[
        "build",
        "--root",
        &site.root().to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
    ]);
    run.assert_code(0);
    let server = serve(&www, "kaikaku/404.html");
    let base = format!("http://{}/kaikaku/", server.addr);
    let stdout = node(
        "check.mjs",
        &[
            "--dir",
            &out.to_string_lossy(),
            "--base",
            &base,
            "--only",
            "html,links,axe,keyboard,layout,phone",
            "--sample",
            "no",
            "--pages",
            "plan1/,plan1/02-beta/,plan1/02-beta/page/2/,en/plan1/02-beta/page/2/,departments/testcity/kikaku/page/2/,plan1/changes/page/2/",
        ],
    );
    assert!(stdout.contains("all checks passed"), "{stdout}");
}
