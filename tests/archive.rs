//! The report archive (issue 14): `mieruka archive <plan>` keeps the
//! current report in `content/<plan>/_reports/<year>/`; the build publishes
//! it at `/<plan>/reports/<year>/`, marked as a past edition on every page,
//! unchanged by later edits, with its own data, in the sitemap and the
//! feed, and out of the search; the changes page lists the targets changed
//! since it. What does not fit is named with its file and line.

mod common;

use common::*;

/// The fixture after its FY2023 report was archived and the FY2024 report
/// written: reporting_year R6, a1 renamed, its FY2024 plan changed, and a
/// new initiative.
fn archived_then_moved_on() -> Site {
    let site = Site::new();
    let root = site.root().to_string_lossy().to_string();
    let run = site.run(&["archive", "plan1", "--root", &root]);
    run.assert_code(0);
    assert!(run.stdout.contains("plan1/_reports/2023"), "{run}");
    assert!(run.stdout.contains("plan1/reports/2023/"), "{run}");
    // Until the current report moves on, the build says what to do, at the
    // line to change.
    let run = site.build();
    run.assert_code(1);
    let e = run
        .errors()
        .into_iter()
        .find(|e| e.message.contains("kept as a past report"))
        .unwrap_or_else(|| panic!("{run}"));
    assert_error_at(&e, "content/plan1/_plan.md", 7, 1);
    assert!(
        e.hint
            .as_deref()
            .unwrap_or("")
            .contains("reporting_year forward"),
        "{run}"
    );
    site.edit("content/plan1/_plan.md", "reporting_year = \"R5\"", "reporting_year = \"R6\"")
        .edit("content/plan1/_plan.md", "published = \"2024-09\"", "published = \"2025-09\"")
        .edit(&format!("{ALPHA}/a1.md"), "title = \"電子申請の拡充\"", "title = \"電子申請の大幅な拡充\"")
        .edit(&format!("{ALPHA}/a1.md"), "R6 = \"—\"", "R6 = \"全手続のオンライン化\"")
        .write(
            &format!("{ALPHA}/a3.md"),
            "+++\nid = \"t-009\"\ncode = \"9\"\ntitle = \"新しい取組\"\ndepartments = [\"情報政策課\"]\n+++\n",
        );
    site
}

#[test]
fn an_archived_report_stays_as_published_at_its_own_address() {
    let site = archived_then_moved_on();
    site.build().assert_code(0);
    // The past report: its own pages, in both languages, as archived.
    let old = site.page("plan1/reports/2023/t-001/index.html");
    assert!(old.contains("電子申請の拡充"), "{old}");
    assert!(
        !old.contains("大幅"),
        "a later edit reached the past report"
    );
    assert!(old.contains("class=\"notice notice-edition\""));
    assert!(
        old.contains("令和5年度（2023年度）の報告（過去の版）"),
        "{old}"
    );
    assert!(
        old.contains("href=\"../../../../plan1/\""),
        "link to the current report: {old}"
    );
    let en = site.page("en/plan1/reports/2023/t-001/index.html");
    assert!(
        en.contains("This is the FY2023 report, a past edition"),
        "{en}"
    );
    assert!(en.contains("href=\"../../../../../en/plan1/\""), "{en}");
    // Its plan page, sections and status pages are there too.
    site.page("plan1/reports/2023/index.html");
    site.page("plan1/reports/2023/01-alpha/index.html");
    let listing = site.listing("public/plan1/reports/2023");
    assert!(
        listing.iter().any(|f| f.starts_with("status/")),
        "{listing:?}"
    );
    // The current report is the new one, and lists the past one.
    let now = site.page("plan1/t-001/index.html");
    assert!(now.contains("電子申請の大幅な拡充"));
    assert!(!now.contains("notice-edition"));
    let plan = site.page("plan1/index.html");
    assert!(plan.contains("href=\"../plan1/reports/2023/\""), "{plan}");
    assert!(plan.contains("令和5年度（2023年度）の報告"));
    // Its own data, described in the data package.
    let data = site.read("public/data/plan1/reports/2023/initiatives/t-001.json");
    assert!(data.contains("電子申請の拡充"), "{data}");
    let package = site.read("public/data/datapackage.json");
    assert!(
        package.contains("\"path\":\"plan1/reports/2023/statuses.csv\""),
        "{package}"
    );
    // Found by search engines and feed readers, not by the site's search.
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.jp/kaikaku/plan1/reports/2023/t-001/</loc>"));
    let feed = site.read("public/plan1/feed.xml");
    assert!(feed.contains("#report-2024</id>"), "{feed}");
    assert!(feed.contains("#report-2023</id>"), "{feed}");
    assert!(feed.contains("/plan1/reports/2023/changes/\"/>"), "{feed}");
    for f in site.listing("public/search/idx") {
        let bytes = std::fs::read(site.path(&format!("public/search/idx/{f}"))).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("reports/2023"),
            "search/idx/{f} holds a past report"
        );
    }
    // Archiving the same report again is refused (the content says why);
    // nothing changes.
    let root = site.root().to_string_lossy().to_string();
    site.edit(
        "content/plan1/_plan.md",
        "reporting_year = \"R6\"",
        "reporting_year = \"R5\"",
    );
    let before = site.snapshot("content");
    let run = site.run(&["archive", "plan1", "--root", &root]);
    assert_eq!(run.code, Some(1), "{run}");
    assert!(run.stderr.contains("kept as a past report"), "{run}");
    assert!(run.stderr.contains("nothing was archived"), "{run}");
    assert_eq!(site.snapshot("content"), before);
    site.edit(
        "content/plan1/_plan.md",
        "reporting_year = \"R5\"",
        "reporting_year = \"R6\"",
    );
    let run = site.run(&["archive", "nosuchplan", "--root", &root]);
    assert_eq!(run.code, Some(2), "{run}");
    assert!(
        run.stderr.contains("plan1"),
        "the hint names the plans: {run}"
    );
}

#[test]
fn the_changes_page_lists_the_targets_changed_since_the_last_report() {
    let site = archived_then_moved_on();
    site.build().assert_code(0);
    let text = text_of(&site.page("plan1/changes/index.html"));
    assert!(text.contains("目標の変更 1件"), "{text}");
    assert!(text.contains("報告に加わった取組 1件"), "{text}");
    // Issue 28, item 8: "1 targets changed", "1 initiatives added".
    let en = text_of(&site.page("en/plan1/changes/index.html"));
    assert!(en.contains("1 target changed"), "{en}");
    assert!(en.contains("1 initiative added to the report"), "{en}");
    english_text_is_clean(&site.path("public"));
    let table = &text[text.find("目標・計画が変わった項目").unwrap()..];
    assert!(
        table.contains("電子申請の大幅な拡充 令和6年度（2024年度） オンライン手続の拡大 — 全手続のオンライン化"),
        "{table}"
    );
    assert!(table.contains("今回の報告に加わった取組"), "{table}");
    assert!(table.contains("新しい取組"), "{table}");
    // The past report's own changes page is its own year's.
    let old = text_of(&site.page("plan1/reports/2023/changes/index.html"));
    assert!(old.contains("令和5年度（2023年度）の変化"), "{old}");
    assert!(!old.contains("前回の報告からの目標の変更"), "{old}");
}

#[test]
fn past_reports_that_do_not_fit_are_named_with_file_and_line() {
    let site = Site::new();
    let root = site.root().to_string_lossy().to_string();
    site.run(&["archive", "plan1", "--root", &root])
        .assert_code(0);
    site.edit(
        "content/plan1/_plan.md",
        "reporting_year = \"R5\"",
        "reporting_year = \"R6\"",
    );
    site.build().assert_code(0);
    // Not a year.
    std::fs::create_dir_all(site.path("content/plan1/_reports/latest")).unwrap();
    let run = site.check();
    run.assert_code(1);
    let e = run
        .errors()
        .into_iter()
        .find(|e| e.path.ends_with("_reports/latest"))
        .unwrap_or_else(|| panic!("{run}"));
    assert!(e.message.contains("not a fiscal year"), "{run}");
    std::fs::remove_dir(site.path("content/plan1/_reports/latest")).unwrap();
    // Another plan's copy, and a folder named after the wrong year.
    let old = "content/plan1/_reports/2023/_plan.md";
    site.edit(old, "id = \"plan1\"", "id = \"plan9\"");
    let run = site.check();
    run.assert_code(1);
    let e = error_in(&run, old);
    assert_error_at(&e, old, 2, 1);
    assert!(e.message.contains("plan `plan9`"), "{run}");
    site.edit(old, "id = \"plan9\"", "id = \"plan1\"");
    site.edit(old, "reporting_year = \"R5\"", "reporting_year = \"R4\"");
    let run = site.check();
    run.assert_code(1);
    let e = error_in(&run, old);
    assert_error_at(&e, old, 7, 1);
    assert!(e.message.contains("named 2023"), "{run}");
    // A content error inside the copy is named in the copy.
    site.edit(old, "reporting_year = \"R4\"", "reporting_year = \"R5\"");
    let a1 = format!(
        "{}/a1.md",
        ALPHA.replace("content/plan1", "content/plan1/_reports/2023")
    );
    site.edit(&a1, "R5 = \"○\"", "R5 = \"？\"");
    let run = site.check();
    run.assert_code(1);
    assert!(run.errors().iter().any(|e| e.path == a1), "{run}");
    // The last good site is untouched by the failed build.
    let before = site.snapshot("public");
    site.build().assert_code(1);
    assert_eq!(site.snapshot("public"), before);
}

/// The error `run` reports in file `path`.
fn error_in(run: &Run, path: &str) -> Diag {
    run.errors()
        .into_iter()
        .find(|e| e.path == path)
        .unwrap_or_else(|| panic!("no error in {path}: {run}"))
}

/// tests/data/english_text.py over a built site: no Japanese punctuation
/// outside `lang="ja"`, no "1 <plural>".
fn english_text_is_clean(public: &std::path::Path) {
    let out = std::process::Command::new("python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/english_text.py"
        ))
        .arg(public)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
