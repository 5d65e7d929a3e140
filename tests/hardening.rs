//! What a careless or hostile staff member can type or point at: nothing
//! may destroy files, hang a build, read outside the site or publish a
//! script. Each test here failed before the fix it guards.

mod common;

use common::*;
use std::time::Duration;

/// Long enough for a debug build of a fixture site on a loaded machine;
/// a hang is what these tests catch, not slowness.
const LIMIT: Duration = Duration::from_secs(120);

const INDICATOR: &str = r#"+++
id = "k1"
name = "赤字額"
unit = { ja = "千円", en = "thousand yen" }
initiative = "t-001"
direction = "higher"
baseline = { year = "R3", value = "▲5,000千円" }
+++
"#;

fn within(site: &Site, args: &[&str]) -> Run {
    run_in_within(site.root(), args, LIMIT)
        .unwrap_or_else(|| panic!("`mieruka {}` did not finish in {LIMIT:?}", args.join(" ")))
}

fn root_of(site: &Site) -> String {
    site.root().to_string_lossy().to_string()
}

// ── 2. Chart axes terminate; non-finite values are content errors ──────────

#[test]
fn equal_large_values_build_a_chart() {
    let site = Site::new();
    for (i, value) in [
        "\"▲5,000千円\"",
        "-5000000",
        "1e308",
        "-1.7976931348623157e308",
        "5e-324",
    ]
    .iter()
    .enumerate()
    {
        let mut text = INDICATOR
            .replace("\"▲5,000千円\"", value)
            .replace("\"k1\"", &format!("\"k{i}\""));
        if i > 0 {
            // In 円 itself: 1e308 thousand yen is not a finite number.
            text = text.replace("千円", "円");
        }
        site.write(&format!("content/plan1/indicators/k{i}.md"), &text);
    }
    let run = within(&site, &["build", "--root", &root_of(&site)]);
    run.assert_code(0).assert_no_panic();
    let page = site.page("plan1/indicators/k0/index.html");
    assert!(page.contains("<svg class=\"chart\""), "no chart drawn");
    assert!(page.contains("5,000"), "the value is shown as printed");
    for i in 0..5 {
        let page = site.page(&format!("plan1/indicators/k{i}/index.html"));
        let svg = between(&page, "<svg class=\"chart\"", "</svg>");
        assert!(
            !svg.contains("NaN") && !svg.contains("inf"),
            "k{i}: non-finite coordinates in {svg}"
        );
    }
}

#[test]
fn non_finite_values_are_errors_at_their_place() {
    for (value, shown) in [
        ("inf", "inf"),
        ("-inf", "inf"),
        ("nan", "NaN"),
        (&format!("\"1{}件\"", "0".repeat(400)) as &str, "1000"),
        (&format!("\"1{}億円\"", "0".repeat(305)) as &str, "1000"),
    ] {
        let site = Site::new();
        let text = INDICATOR
            .replace("\"▲5,000千円\"", value)
            .replace("千円", "円");
        site.write("content/plan1/indicators/k1.md", &text);
        let run = within(&site, &["check", "--root", &root_of(&site)]);
        assert_eq!(run.code, Some(1), "{value}: {run}");
        run.assert_no_panic();
        let e = run.single_error();
        let (line, column) = position_of(&text, value);
        assert_eq!(
            (e.path.as_str(), e.line, e.column),
            ("content/plan1/indicators/k1.md", line, column),
            "{value}: {e:?}"
        );
        assert!(
            e.message.contains("not a number that can be computed"),
            "{value}: {e:?}"
        );
        assert!(e.message.contains(shown), "{value}: {e:?}");
    }
}
