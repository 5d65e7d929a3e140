//! The independent oracle (issue 27): `tests/oracle/oracle.py`, written from
//! README's decision tables and not from the Rust code, recomputes every
//! indicator status, headline count and changes-page entry from a built
//! site's open data and compares them with its pages. Run here over the
//! example site (`content/`) and over the fixture site
//! `tests/oracle/fixtures/rows/` (one indicator per row of the indicator
//! table) and `tests/oracle/fixtures/changes/` (every row of the changes
//! table), each built with the real binary into a temporary folder.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Builds the site whose `content/` is under `root` into a temporary folder.
fn build(root: &Path) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = Command::new(env!("CARGO_BIN_EXE_mieruka"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{} failed to build:\n{}",
        root.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    (tmp, out)
}

struct Verdict {
    code: i32,
    stdout: String,
}

impl Verdict {
    fn summary(&self) -> &str {
        self.stdout
            .lines()
            .rev()
            .find(|l| l.starts_with("indicators checked:"))
            .unwrap_or_else(|| panic!("the oracle printed no summary:\n{}", self.stdout))
    }

    /// The number after `name: ` in the summary line.
    fn count(&self, name: &str) -> usize {
        let s = self.summary();
        let at = s
            .find(&format!("{name}: "))
            .unwrap_or_else(|| panic!("no {name} in {s}"));
        s[at + name.len() + 2..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap()
    }

    /// The rows of the changes table that some item went through.
    fn change_rows(&self) -> BTreeSet<String> {
        let line = self
            .stdout
            .lines()
            .find_map(|l| l.strip_prefix("changes rows covered:"))
            .expect("a changes rows covered line");
        line.split(',')
            .filter_map(|r| r.split(':').next())
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
            .collect()
    }

    /// The rows of the indicator table that decided some indicator.
    fn rows(&self) -> BTreeSet<u32> {
        let line = self
            .stdout
            .lines()
            .find_map(|l| l.strip_prefix("rows covered:"))
            .expect("a rows covered line");
        line.split_whitespace()
            .map(|r| r.split(':').next().unwrap().parse().unwrap())
            .collect()
    }
}

/// Runs the oracle over the built site `public`, reading `on_track` from `root`.
fn oracle(public: &Path, root: &Path) -> Verdict {
    let o = Command::new("python3")
        .arg(repo().join("tests/oracle/oracle.py"))
        .arg(public)
        .arg("--content")
        .arg(root)
        .output()
        .expect("python3 runs the oracle");
    let stdout = String::from_utf8_lossy(&o.stdout).to_string();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.is_empty(), "the oracle failed:\n{stderr}");
    let v = Verdict {
        code: o.status.code().expect("the oracle exits"),
        stdout,
    };
    println!("{}: {}", root.display(), v.summary());
    v
}

#[test]
fn the_example_site_agrees_with_the_tables() {
    let (_tmp, public) = build(repo());
    let v = oracle(&public, repo());
    assert!(v.count("indicators checked") >= 85, "{}", v.summary());
    assert!(v.count("headline counts") > 0, "{}", v.summary());
    assert_eq!(v.count("disagreements"), 0, "{}", v.stdout);
    assert_eq!(v.code, 0);
}

#[test]
fn the_fixtures_cover_every_row_and_agree_with_the_tables() {
    let root = repo().join("tests/oracle/fixtures/rows");
    let (_tmp, public) = build(&root);
    let v = oracle(&public, &root);
    let missing: Vec<u32> = (1..=18).filter(|r| !v.rows().contains(r)).collect();
    assert!(
        missing.is_empty(),
        "rows of the indicator table no fixture covers: {missing:?}\n{}",
        v.summary()
    );
    assert_eq!(v.count("disagreements"), 0, "{}", v.stdout);
    assert_eq!(v.code, 0);
}

/// The oracle is not blind: a page altered after the build (a badge, a
/// progress figure, a headline count) is reported with the row that decides.
#[test]
fn the_oracle_reports_a_page_that_disagrees() {
    let root = repo().join("tests/oracle/fixtures/rows");
    let (_tmp, public) = build(&root);
    let edit = |rel: &str, from: &str, to: &str| {
        let path = public.join(rel);
        let html = std::fs::read_to_string(&path).unwrap();
        assert!(html.contains(from), "{rel} has no {from}");
        std::fs::write(&path, html.replace(from, to)).unwrap();
    };
    let page = "plan-a/indicators/r17-on-track/index.html";
    edit(
        page,
        "<span class=\"badge-label\">順調</span>",
        "<span class=\"badge-label\">達成</span>",
    );
    edit(page, "目標までの50%まで進んで", "目標までの55%まで進んで");
    edit(
        "plan-a/index.html",
        "<span class=\"badge-label\">データなし</span></span> <span class=\"count\">",
        "<span class=\"badge-label\">データなし</span></span> <span class=\"count\">9",
    );
    let v = oracle(&public, &root);
    assert_eq!(v.code, 1);
    for line in [
        "plan-a/indicators/r17-on-track/index.html: status 達成 ≠ on_track (row 17)",
        "plan-a/indicators/r17-on-track/index.html: progress 55% (sentence) ≠ progress 50% (row 17)",
    ] {
        assert!(v.stdout.lines().any(|l| l == line), "no line {line}:\n{}", v.stdout);
    }
    assert!(
        v.stdout
            .lines()
            .any(|l| l.starts_with("plan-a/index.html: no_data 9") && l.contains("(legend)")),
        "no headline disagreement:\n{}",
        v.stdout
    );
}

#[test]
fn the_changes_fixtures_cover_every_row_and_agree_with_the_tables() {
    let root = repo().join("tests/oracle/fixtures/changes");
    let (_tmp, public) = build(&root);
    let v = oracle(&public, &root);
    let covered = v.change_rows();
    let missing: Vec<&str> = [
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "left out 1",
        "left out 2",
        "left out 3",
        "ended",
        "indicator reached",
        "indicator fell",
        "indicator other",
        "rollup 1",
        "rollup 2",
        "rollup 3",
    ]
    .into_iter()
    .filter(|r| !covered.contains(*r))
    .collect();
    assert!(
        missing.is_empty(),
        "rows of the changes table no fixture covers: {missing:?}\n{}",
        v.summary()
    );
    let feeds = v
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("feed dates covered:"))
        .expect("a feed dates line");
    for kind in ["a day", "a month", "none"] {
        assert!(
            feeds.contains(kind),
            "no report published on {kind}: {feeds}"
        );
    }
    assert!(v.count("changes entries") > 0, "{}", v.summary());
    assert_eq!(v.count("disagreements"), 0, "{}", v.stdout);
    assert_eq!(v.code, 0);
}

/// The oracle is not blind to the changes page and the feeds either: a
/// summary count, a group's heading and a feed date altered after the build
/// are reported.
#[test]
fn the_oracle_reports_a_changes_page_that_disagrees() {
    let root = repo().join("tests/oracle/fixtures/changes");
    let (_tmp, public) = build(&root);
    let edit = |rel: &str, from: &str, to: &str| {
        let path = public.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel} has no {from}");
        std::fs::write(&path, text.replace(from, to)).unwrap();
    };
    edit(
        "chg/changes/index.html",
        "<li>前進 2件</li>",
        "<li>前進 3件</li>",
    );
    edit(
        "chg/changes/index.html",
        "前進した項目（2）",
        "前進した項目（3）",
    );
    edit(
        "chg/feed.xml",
        "2025-09-30T00:00:00+09:00",
        "2025-09-01T00:00:00+09:00",
    );
    let v = oracle(&public, &root);
    assert_eq!(v.code, 1);
    for line in [
        "chg/changes/index.html: summary '前進 3件' ≠ '前進 2件' (changes table: summary)",
        "chg/changes/index.html: forward heading says 3 ≠ the 2 rows of the group over all pages (changes table: summary)",
        "chg/feed.xml: updated 2025-09-01T00:00:00+09:00 ≠ 2025-09-30T00:00:00+09:00 (feed dates)",
    ] {
        assert!(v.stdout.lines().any(|l| l == line), "no line {line}:\n{}", v.stdout);
    }
}
