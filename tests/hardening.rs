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

// ── 1. `build --out` replaces only what a build wrote ────────────────────

/// Every file under the site folder (sources, output and leftovers), sorted.
fn everything(site: &Site) -> Vec<(String, Vec<u8>)> {
    site.snapshot("")
}

fn leftovers(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().to_string())
                .filter(|n| n.contains(".new-") || n.contains(".old-"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn build_refuses_outputs_it_would_destroy() {
    let site = Site::new();
    std::fs::create_dir_all(site.path("themes/mine")).unwrap();
    site.write("notes/keep.txt", "職員のメモ")
        .write("report.pdf", "%PDF-1.4");
    let before = everything(&site);
    let root = root_of(&site);
    let parent = site.root().parent().unwrap().to_string_lossy().to_string();
    for (out, expect) in [
        ("content", "inside content/"),
        ("content/plan1", "inside content/"),
        ("themes", "inside themes/"),
        ("themes/mine", "inside themes/"),
        (".", "is the site folder or holds it"),
        ("./", "is the site folder or holds it"),
        (&root as &str, "is the site folder or holds it"),
        (&parent as &str, "is the site folder or holds it"),
        ("notes", "holds files that mieruka did not write"),
        ("report.pdf", "is a file, not a folder"),
    ] {
        // Relative to the working folder, which is the site folder.
        let run = within(&site, &["build", "--root", ".", "--out", out]);
        assert_eq!(run.code, Some(2), "--out {out}: {run}");
        run.assert_no_panic();
        assert!(run.stderr.contains(expect), "--out {out}: {run}");
        assert!(run.stderr.contains("hint:"), "--out {out}: {run}");
        assert_eq!(everything(&site), before, "--out {out} changed files");
        assert!(
            leftovers(site.root()).is_empty(),
            "--out {out} left temp folders"
        );
        assert!(leftovers(site.root().parent().unwrap()).is_empty());
    }
    // An absolute path to the content folder, from elsewhere.
    let content = site.path("content").to_string_lossy().to_string();
    let run = run_in_within(
        std::path::Path::new("/"),
        &["build", "--root", &root, "--out", &content],
        LIMIT,
    )
    .expect("finishes");
    assert_eq!(run.code, Some(2), "{run}");
    assert_eq!(everything(&site), before);
}

#[test]
fn build_replaces_missing_empty_and_its_own_folders() {
    let site = Site::new();
    let root = root_of(&site);
    std::fs::create_dir_all(site.path("empty")).unwrap();
    for out in ["public", "empty", "fresh/deeper/site"] {
        for round in 0..2 {
            let run = within(
                &site,
                &[
                    "build",
                    "--root",
                    &root,
                    "--out",
                    &site.path(out).to_string_lossy(),
                ],
            );
            assert_eq!(run.code, Some(0), "--out {out} (build {round}): {run}");
            assert!(site.path(out).join("index.html").is_file());
            assert!(
                site.path(out).join(".mieruka-output").is_file(),
                "marker in {out}"
            );
        }
    }
    // A folder an earlier build wrote is replaced whole: a stray file goes.
    site.write("public/stray.html", "old");
    within(&site, &["build", "--root", &root]).assert_code(0);
    assert!(!site.path("public/stray.html").exists());
}

// ── 14. Temp folders of killed builds are cleaned up ─────────────────────

#[test]
fn stale_temp_folders_of_killed_builds_are_removed() {
    let site = Site::new();
    let root = root_of(&site);
    site.write(".public.new-999999/index.html", "half-written")
        .write(".public.old-4242/index.html", "previous")
        .write(".other.new-1/keep.txt", "not ours");
    within(&site, &["build", "--root", &root]).assert_code(0);
    assert!(!site.path(".public.new-999999").exists());
    assert!(!site.path(".public.old-4242").exists());
    assert!(site.path(".other.new-1/keep.txt").exists());
    assert!(site.path("public/index.html").is_file());
}
