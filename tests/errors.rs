//! Content problems: each is reported as `path:line:column: error: message`
//! with a useful hint, and makes `check` and `build` exit with status 1.

mod common;

use common::*;

/// An initiative file of plan1 with the given front matter lines.
fn initiative_with(lines: &[&str]) -> String {
    format!("+++\n{}\n+++\n本文\n", lines.join("\n"))
}

#[test]
fn malformed_toml_is_reported_at_its_line_in_the_file() {
    let site = Site::new();
    let rel = format!("{ALPHA}/a9.md");
    // Line 1 is `+++`; the unclosed string is on line 3 of the file (line 2
    // of the TOML), and the parser notices at its end: column 15.
    site.write(
        &rel,
        "+++\nid = \"t-009\"\ntitle = \"壊れた取組\ndepartments = [\"企画課\"]\n+++\n本文\n",
    );
    let run = site.check();
    run.assert_code(1);
    let e = run.single_error();
    assert_error_at(&e, &rel, 3, 15);
    assert!(e.message.contains("invalid TOML"), "{e:?}");
    let hint = e.hint.expect("a hint");
    assert!(hint.contains("quotes"), "{hint}");

    // A missing `=`: reported on its own line, after the key.
    site.write(
        &rel,
        "+++\nid = \"t-009\"\ntitle = \"取組\"\n\ncode \"9\"\n+++\n",
    );
    let run = site.check();
    run.assert_code(1);
    let e = run.single_error();
    assert_eq!((e.path.as_str(), e.line), (rel.as_str(), 5), "{e:?}");
    assert!(e.column >= 5, "the column points after `code`: {e:?}");
    assert!(e.message.contains("invalid TOML"), "{e:?}");
    site.build().assert_code(1);
    assert!(
        !site.path("public").exists(),
        "a failed build wrote public/"
    );
}

#[test]
fn unknown_key_is_named_with_a_suggestion() {
    let site = Site::new();
    let rel = format!("{ALPHA}/a9.md");
    site.write(
        &rel,
        &initiative_with(&["id = \"t-009\"", "titel = \"誤字のある取組\""]),
    );
    let run = site.check();
    run.assert_code(1);
    let e = run.single_error();
    assert_error_at(&e, &rel, 3, 1);
    assert!(e.message.contains("`titel`"), "{e:?}");
    let hint = e.hint.expect("a hint");
    assert!(hint.contains("did you mean `title`"), "{hint}");
    assert!(
        hint.contains("departments"),
        "the hint lists the allowed keys: {hint}"
    );
}

#[test]
fn unknown_key_in_an_english_file_lists_what_english_files_hold() {
    // Facts are written once, in Japanese: `departments` has no place in English.
    let site = Site::new();
    let rel = format!("{ALPHA}/a1.en.md");
    site.edit(
        &rel,
        "title = \"Expanding online applications\"",
        "title = \"Expanding online applications\"\ndepartments = [\"Information Policy Division\"]",
    );
    let text = site.read(&rel);
    let (line, _) = position_of(&text, "departments = ");
    let run = site.check();
    run.assert_code(1);
    let e = run.single_error();
    assert_error_at(&e, &rel, line, 1);
    assert!(e.message.contains("`departments`"), "{e:?}");
    assert!(e.hint.unwrap().contains("translates"));
}

#[test]
fn unknown_status_suggests_the_closest_value() {
    let site = Site::new();
    let rel = format!("{ALPHA}/a1.md");
    site.edit(&rel, "R5 = \"○\"", "R5 = \"実施\"");
    let (line, _) = position_of(&site.read(&rel), "R5 = \"実施\"");
    let run = site.check();
    run.assert_code(1);
    let e = run.single_error();
    // The column of the value, after `R5 = `.
    assert_error_at(&e, &rel, line, 6);
    assert!(e.message.contains("`実施`"), "{e:?}");
    let hint = e.hint.expect("a hint");
    assert!(hint.contains("did you mean `実施中`"), "{hint}");
    assert!(
        hint.contains("○ (in_progress)"),
        "the hint lists the values: {hint}"
    );
}

#[test]
fn a_status_may_be_typed_as_its_key_its_symbol_or_its_word() {
    let site = Site::new();
    for (id, typed) in [
        ("k-1", "in_progress"),
        ("k-2", "○"),
        ("k-3", "実施中"),
        ("k-4", " ○ "),
    ] {
        site.write(
            &format!("{BETA}/{id}.md"),
            &initiative(id, &format!("入力{id}"), Some(typed)),
        );
    }
    let run = site.build();
    run.assert_code(0);
    assert!(run.errors().is_empty(), "{run}");
    for id in ["k-1", "k-2", "k-3", "k-4"] {
        let html = site.page(&format!("plan1/{id}/index.html"));
        let current = between(&html, "class=\"current-status\"", "</p>");
        assert_eq!(
            badges(current),
            [("○".to_string(), "実施中".to_string())],
            "{id}"
        );
    }
}

#[test]
fn duplicate_ids_name_both_files() {
    let site = Site::new();
    let rel = format!("{BETA}/b9.md");
    site.write(&rel, &initiative("t-001", "同じ番号の取組", Some("○")));
    let run = site.check();
    run.assert_code(1);
    let e = run.single_error();
    // At the id of the second file, naming the first.
    assert_error_at(&e, &rel, 2, 6);
    assert!(e.message.contains("duplicate id `t-001`"), "{e:?}");
    assert!(e.message.contains(&format!("{ALPHA}/a1.md")), "{e:?}");
    assert!(e.hint.unwrap().contains("new id"));
}

#[test]
fn years_outside_the_plan_period_are_reported_where_typed() {
    let site = Site::new();
    let rel = format!("{ALPHA}/a9.md");
    // The plan runs R3–R6 (FY2021–FY2024).
    let text = initiative_with(&[
        "id = \"t-009\"",
        "title = \"期間外の年度\"",
        "",
        "[[schedule]]",
        "[schedule.plan]",
        "R5 = \"実施\"",
        "R7 = \"拡大\"",
        "[schedule.status]",
        "R2 = \"○\"",
        "",
        "[years.\"令和8年度\"]",
        "phase = \"検証\"",
    ]);
    site.write(&rel, &text);
    let run = site.check();
    run.assert_code(1);
    let errors = run.errors();
    assert_eq!(errors.len(), 3, "{run}");
    let expect = [
        ("R7 = ", "FY2025"),
        ("R2 = ", "FY2020"),
        ("[years.", "FY2026"),
    ];
    for (needle, year) in expect {
        let (line, _) = position_of(&text, needle);
        let col = if needle.starts_with('[') { 8 } else { 1 };
        let e = errors
            .iter()
            .find(|e| e.message.contains(year))
            .unwrap_or_else(|| panic!("no error for {year}:\n{run}"));
        assert_error_at(e, &rel, line, col);
        assert!(
            e.message
                .contains(&format!("{year} is outside the plan period FY2021–FY2024")),
            "{e:?}"
        );
        assert!(
            e.hint.as_ref().unwrap().contains("令和3年度 to 令和6年度"),
            "{e:?}"
        );
    }
}

#[test]
fn every_spelling_of_a_fiscal_year_is_accepted() {
    let site = Site::new();
    site.write(
        &format!("{BETA}/b9.md"),
        &initiative_with(&[
            "id = \"t-009\"",
            "title = \"年度の書き方\"",
            "",
            "[[schedule]]",
            "[schedule.plan]",
            "R3 = \"一年目\"",
            "\"令和4年度\" = \"二年目\"",
            "2023 = \"三年目\"",
            "FY2024 = \"四年目\"",
            "[schedule.status]",
            "\"令和5年度\" = \"○\"",
        ]),
    );
    let run = site.build();
    run.assert_code(0);
    let html = decode(&site.page("plan1/t-009/index.html"));
    let schedule = between(&html, "<table class=\"schedule\">", "</table>");
    for (year, text) in [
        ("令和3年度（2021年度）", "一年目"),
        ("令和4年度（2022年度）", "二年目"),
        ("令和5年度（2023年度）", "三年目"),
        ("令和6年度（2024年度）", "四年目"),
    ] {
        let row = between(schedule, year, "</tr>");
        assert!(row.contains(text), "{year}: {row}");
    }
    let r5 = between(schedule, "令和5年度（2023年度）", "</tr>");
    assert_eq!(badges(r5), [("○".to_string(), "実施中".to_string())]);
}

#[test]
fn the_same_year_twice_in_one_table_is_an_error() {
    // `R5` and `2023` are the same fiscal year: one entry used to replace
    // the other silently.
    let site = Site::new();
    let rel = format!("{ALPHA}/a1.md");
    site.edit(&rel, "R5 = \"○\"", "R5 = \"○\"\n2023 = \"◎\"");
    let (line, _) = position_of(&site.read(&rel), "2023 = ");
    let run = site.check();
    run.assert_code(1);
    let e = run.single_error();
    assert_error_at(&e, &rel, line, 1);
    assert!(e.message.contains("FY2023 is given twice"), "{e:?}");
    assert!(
        e.message.contains("`R5`") && e.message.contains("`2023`"),
        "{e:?}"
    );
}

#[test]
fn a_missing_required_key_is_named() {
    let site = Site::new();
    let rel = format!("{ALPHA}/a9.md");
    site.write(&rel, &initiative_with(&["id = \"t-009\"", "code = \"9\""]));
    let run = site.check();
    run.assert_code(1);
    let e = run.single_error();
    // The front matter as a whole lacks it: its first line.
    assert_error_at(&e, &rel, 2, 1);
    assert!(
        e.message.contains("required key `title` is missing"),
        "{e:?}"
    );
    assert!(e.hint.unwrap().contains("title = "));

    // The same in the plan file.
    let site = Site::new();
    site.edit("content/plan1/_plan.md", "reporting_year = \"R5\"\n", "");
    let run = site.check();
    run.assert_code(1);
    let e = run.single_error();
    assert_error_at(&e, "content/plan1/_plan.md", 2, 1);
    assert!(e.message.contains("`reporting_year`"), "{e:?}");
}

/// 実施中 in Shift_JIS.
const JISSHICHU_SJIS: &[u8] = &[0x8E, 0xC0, 0x8E, 0x7B, 0x92, 0x86];

#[test]
fn a_shift_jis_file_is_named_as_such_at_its_first_bad_byte() {
    let site = Site::new();
    let rel = format!("{ALPHA}/a1.md");
    let mut bytes =
        b"+++\nid = \"t-001\"\ntitle = \"x\"\n\n[[schedule]]\n[schedule.status]\nR5 = \"".to_vec();
    bytes.extend_from_slice(JISSHICHU_SJIS);
    bytes.extend_from_slice(b"\"\n+++\n");
    site.write_bytes(&rel, &bytes);
    let run = site.check();
    run.assert_code(1);
    let e = run.single_error();
    assert_error_at(&e, &rel, 7, 7);
    assert!(e.message.contains("not UTF-8"), "{e:?}");
    assert!(e.message.contains("Shift_JIS"), "{e:?}");
    assert!(e.hint.unwrap().contains("UTF-8"));

    // A whole file saved as Shift_JIS with CRLF line ends (Notepad, Excel):
    // the line is still counted right.
    let mut bytes = b"+++\r\nid = \"t-001\"\r\ntitle = \"".to_vec();
    bytes.extend_from_slice(JISSHICHU_SJIS);
    bytes.extend_from_slice(b"\"\r\n+++\r\n");
    site.write_bytes(&rel, &bytes);
    let run = site.check();
    run.assert_code(1);
    let e = run.single_error();
    assert_error_at(&e, &rel, 3, 10);
    assert!(e.message.contains("Shift_JIS"), "{e:?}");
}

#[test]
fn a_binary_file_is_not_called_shift_jis() {
    let site = Site::new();
    let rel = format!("{ALPHA}/a9.md");
    site.write_bytes(&rel, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\xff\xd8");
    let run = site.check();
    run.assert_code(1);
    let e = run.single_error();
    assert_error_at(&e, &rel, 1, 1);
    assert!(e.message.contains("not UTF-8"), "{e:?}");
    assert!(e.message.contains("binary"), "{e:?}");
}

#[test]
fn an_english_file_needs_its_japanese_original() {
    let site = Site::new();
    let rel = format!("{ALPHA}/x.en.md");
    site.write(&rel, "+++\ntitle = \"An orphan\"\n+++\n");
    let run = site.check();
    run.assert_code(1);
    let e = run.single_error();
    assert_error_at(&e, &rel, 1, 1);
    assert!(e.message.contains("no Japanese original (x.md)"), "{e:?}");
    assert!(e.hint.unwrap().contains("rename"));
    site.build().assert_code(1);
}

#[test]
fn bom_and_crlf_are_accepted() {
    let site = Site::new();
    let crlf = |s: &str| s.replace('\n', "\r\n");
    let with_bom = |s: &str| {
        let mut b = b"\xEF\xBB\xBF".to_vec();
        b.extend_from_slice(s.as_bytes());
        b
    };
    site.write_bytes("content/site.toml", &with_bom(&crlf(SITE_TOML)));
    site.write_bytes(&format!("{ALPHA}/a2.md"), &with_bom(&crlf(A2)));
    site.write_bytes(&format!("{BETA}/b1.md"), crlf(B1).as_bytes());
    site.write_bytes(&format!("{BETA}/b2.md"), &with_bom(B2));
    let run = site.build();
    run.assert_code(0);
    assert!(run.diagnostics().is_empty(), "{run}");
    let html = site.page("plan1/t-002/index.html");
    assert!(html.contains("<h1>窓口のキャッシュレス化</h1>"), "{html}");
    assert!(!html.contains('\r'), "CR reached the page");
    assert!(!html.contains('\u{FEFF}'), "the BOM reached the page");
}

#[test]
fn line_and_column_stay_right_with_bom_and_crlf() {
    let site = Site::new();
    let rel = format!("{BETA}/b1.md");
    let text = B1.replace("R5 = \"in_progress\"", "R5 = \"進行中\"");
    let (line, column) = position_of(&text, "\"進行中\"");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(text.replace('\n', "\r\n").as_bytes());
    site.write_bytes(&rel, &bytes);
    let run = site.check();
    run.assert_code(1);
    let e = run.single_error();
    assert_error_at(&e, &rel, line, column);
    assert_eq!(column, 6);

    // An error on the first line of a TOML file with a BOM: column 1, not 2.
    let site = Site::new();
    let text = SITE_TOML
        .replacen("title", "titel", 1)
        .replace('\n', "\r\n");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(text.as_bytes());
    site.write_bytes("content/site.toml", &bytes);
    let run = site.check();
    run.assert_code(1);
    let e = run.single_error();
    assert_error_at(&e, "content/site.toml", 1, 1);
    assert!(e.hint.unwrap().contains("did you mean `title`"));
}

#[test]
fn all_problems_are_reported_in_one_run() {
    let site = Site::new();
    site.edit(&format!("{ALPHA}/a1.md"), "R5 = \"○\"", "R5 = \"実施\"");
    site.edit(
        &format!("{ALPHA}/a2.md"),
        "departments = [\"企画課\"]",
        "departments = [\"企画部\"]",
    );
    site.edit(&format!("{BETA}/b1.md"), "code = \"3\"", "cod = \"3\"");
    for run in [site.check(), site.build()] {
        run.assert_code(1);
        let errors = run.errors();
        assert_eq!(errors.len(), 3, "{run}");
        let files: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            files,
            [
                format!("{ALPHA}/a1.md"),
                format!("{ALPHA}/a2.md"),
                format!("{BETA}/b1.md")
            ],
            "sorted by file: {run}"
        );
        assert!(errors[0].message.contains("`実施`"));
        assert!(errors[1].message.contains("department `企画部`"));
        assert!(errors[1]
            .hint
            .as_ref()
            .unwrap()
            .contains("did you mean `企画課`"));
        assert!(errors[2].message.contains("unknown key `cod`"));
        assert!(run.stderr.contains("3 error(s)"), "{run}");
    }
}

#[test]
fn usage_errors_exit_2() {
    let site = Site::new();
    let run = site.run(&["frobnicate"]);
    run.assert_code(2);
    assert!(run.stderr.contains("frobnicate"), "{run}");

    site.run(&[]).assert_code(2);
    site.run(&["build", "--no-such-option"]).assert_code(2);

    let empty = tempfile::tempdir().unwrap();
    let root = empty.path().to_string_lossy().to_string();
    for cmd in ["check", "build"] {
        let run = site.run(&[cmd, "--root", &root]);
        run.assert_code(2);
        assert!(run.stderr.contains("no site found"), "{run}");
        assert!(run.stderr.contains("content/site.toml"), "{run}");
        assert!(run.stderr.contains("--root"), "the hint says how: {run}");
    }
    assert!(
        std::fs::read_dir(empty.path()).unwrap().next().is_none(),
        "a usage error wrote files"
    );

    // Without --root, the current folder is the site.
    run_in(site.root(), &["check"]).assert_code(0);
    run_in(empty.path(), &["check"]).assert_code(2);
}

#[test]
fn a_stale_translation_is_a_warning_naming_the_new_version() {
    let site = Site::new();
    let en = format!("{ALPHA}/a1.en.md");
    let old = quoted(&site.read(&en)).expect("translates").to_string();
    assert!(site
        .read(&en)
        .starts_with(&format!("+++\ntranslates = \"{old}\"")));

    // The Japanese changes; the English does not.
    site.edit(
        &format!("{ALPHA}/a1.md"),
        "手続をオンライン化する。",
        "すべての手続をオンライン化する。",
    );
    let run = site.check();
    run.assert_code(0);
    assert!(run.stdout.contains("content is valid"), "{run}");
    let warnings = run.warnings();
    assert_eq!(warnings.len(), 1, "{run}");
    let w = &warnings[0];
    // At the recorded version, after `translates = `.
    assert_eq!(w.at(), format!("{en}:2:14"));
    assert!(w.message.contains("stale translation"), "{w:?}");
    assert!(w.message.contains(&old), "{w:?}");
    let hint = w.hint.clone().unwrap();
    let new = hint
        .split("translates = \"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the new version in the hint")
        .to_string();
    assert_ne!(new, old);
    assert_eq!(new.len(), old.len());

    // A stale translation does not fail the build.
    site.build().assert_code(0);

    // Recording the version the hint names silences the warning.
    site.edit(&en, &old, &new);
    let run = site.check();
    run.assert_code(0);
    assert!(run.diagnostics().is_empty(), "{run}");
}

#[test]
fn a_stored_rating_against_the_rule_is_a_warning() {
    // Two A, no B or C: the rule gives A; B is stored.
    let site = Site::new();
    site.add_rated_plan("B", &["A", "A"]);
    let rel = format!("{PLAN2_MID}/_index.md");
    let (line, column) = position_of(&rated_section("B"), "\"B\"");
    let run = site.check();
    run.assert_code(0);
    let warnings = run.warnings();
    assert_eq!(warnings.len(), 1, "{run}");
    let w = &warnings[0];
    // At the stored value.
    assert_eq!(w.at(), format!("{rel}:{line}:{column}"));
    assert!(w.message.contains("FY2023 is `B`"), "{w:?}");
    assert!(w.message.contains("rule gives `A`"), "{w:?}");
    assert!(w.message.contains("A 2"), "the counts: {w:?}");
    assert!(w.hint.as_ref().unwrap().contains("kept"));

    // The build keeps the stored rating.
    site.build().assert_code(0);
    let html = site.page("plan2/01-top/01-mid/index.html");
    let ratings = between(&html, "<table", "</table>");
    assert!(
        badges(ratings).contains(&(String::new(), "B".to_string())),
        "{ratings}"
    );
}

#[test]
fn a_stored_rating_that_agrees_or_ties_is_silent() {
    for (stored, ratings) in [
        ("A", &["A", "A"][..]),
        ("B", &["A", "B"]),
        ("A", &["A", "B"]),
    ] {
        // A = B with no C matches no rule: people decide, and either is kept.
        let site = Site::new();
        site.add_rated_plan(stored, ratings);
        let run = site.check();
        run.assert_code(0);
        assert!(
            run.diagnostics().is_empty(),
            "{stored} from {ratings:?}:\n{run}"
        );
    }
}

#[test]
fn a_derived_rating_of_an_upper_level_counts_every_initiative_below() {
    // The rule also applies at level 1, whose initiatives are all in
    // sub-sections.
    let site = Site::new();
    site.add_rated_plan("A", &["C", "C"]);
    site.edit("content/plan2/_plan.md", "level = 2\n", "level = 1\n");
    site.write(
        &format!("{PLAN2_MID}/_index.md"),
        "+++\ncode = \"(1)\"\ntitle = \"取組項目\"\n+++\n",
    );
    site.write(
        &format!("{PLAN2_TOP}/_index.md"),
        "+++\ncode = \"1\"\ntitle = \"基本方針\"\n[status.overall]\nR5 = \"A\"\n+++\n",
    );
    let run = site.check();
    run.assert_code(0);
    let w = run.warnings();
    assert_eq!(w.len(), 1, "{run}");
    assert_eq!(w[0].at(), format!("{PLAN2_TOP}/_index.md:5:6"));
    assert!(w[0].message.contains("rule gives `C`"), "{w:?}");
}

#[test]
fn names_used_in_web_addresses_are_checked() {
    // A value key is a folder of the status listings: `../` would write
    // outside the output folder.
    let site = Site::new();
    let plan = "content/plan1/_plan.md";
    site.edit(
        plan,
        "key = \"not_started\"",
        "key = \"../../../../escaped\"",
    );
    let (line, column) = position_of(&site.read(plan), "\"../../../../escaped\"");
    let run = site.build();
    run.assert_code(1);
    let e = run.single_error();
    assert_error_at(&e, plan, line, column);
    assert!(
        e.message.contains("can not be used in a web address"),
        "{e:?}"
    );
    assert!(!site.path("escaped").exists());
    assert!(!site.path("public").exists());

    // `unreported` is the listing of items with no status.
    let site = Site::new();
    site.edit(plan, "key = \"not_started\"", "key = \"unreported\"");
    let e = site.check().single_error();
    assert!(e.message.contains("`unreported`"), "{e:?}");

    // A plan called `en` would replace the English home page.
    let site = Site::new();
    site.edit(plan, "id = \"plan1\"", "id = \"en\"");
    let run = site.build();
    run.assert_code(1);
    let e = run.single_error();
    assert_error_at(&e, plan, 2, 6);
    assert!(e.message.contains("plan id `en`"), "{e:?}");

    // A top-level section folder `status` would replace the status listings.
    let site = Site::new();
    std::fs::rename(site.path(BETA), site.path("content/plan1/status")).unwrap();
    let run = site.build();
    run.assert_code(1);
    let e = run.single_error();
    assert_error_at(&e, "content/plan1/status", 1, 1);
    assert!(e.message.contains("folder name `status`"), "{e:?}");

    // So would an initiative with that id.
    let site = Site::new();
    site.edit(
        &format!("{BETA}/b2.md"),
        "id = \"t-004\"",
        "id = \"status\"",
    );
    let e = site.check().single_error();
    assert_error_at(&e, &format!("{BETA}/b2.md"), 2, 6);
    assert!(e.message.contains("page folder"), "{e:?}");

    // A long list continues in `page/2/` inside the plan's and every
    // section's folder: a section folder `page` at any depth would be hidden.
    let site = Site::new();
    site.add_rated_plan("A", &["A"]);
    let nested = format!("{PLAN2_TOP}/page");
    std::fs::rename(site.path(PLAN2_MID), site.path(&nested)).unwrap();
    let run = site.build();
    run.assert_code(1);
    let e = run.single_error();
    assert_error_at(&e, &nested, 1, 1);
    assert!(e.message.contains("folder name `page`"), "{e:?}");
}

#[test]
fn a_rule_that_is_never_checked_is_a_warning() {
    // Only section ratings are compared with their initiatives' ratings; a
    // rule deriving from another section scale used to be ignored silently.
    let site = Site::new();
    site.add_rated_plan("A", &["A"]);
    let plan = "content/plan2/_plan.md";
    site.edit(plan, "from = \"individual\"", "from = \"overall\"");
    let (line, column) = position_of(&site.read(plan), "\"overall\", rules");
    let run = site.check();
    run.assert_code(0);
    let w = run.warnings();
    assert_eq!(w.len(), 1, "{run}");
    assert_eq!(w[0].at(), format!("{plan}:{line}:{column}"));
    assert!(w[0].message.contains("never checked"), "{w:?}");
}

#[test]
fn a_japanese_year_as_a_key_without_quotes_is_explained_where_typed() {
    // TOML keys without quotes are ASCII only: `[years.令和6年度]` does not
    // parse, and the parser's own words ("invalid unquoted key") told staff
    // nothing about the year.
    let site = Site::new();
    let rel = format!("{ALPHA}/a9.md");
    let header = initiative_with(&[
        "id = \"t-009\"",
        "title = \"年度の見出し\"",
        "",
        "[years.令和6年度]",
        "phase = \"推進\"",
    ]);
    site.write(&rel, &header);
    let run = site.check();
    run.assert_code(1);
    let e = run.single_error();
    let (line, _) = position_of(&header, "[years.");
    assert_error_at(&e, &rel, line, 8);
    assert_eq!(
        e.message,
        "the year `令和6年度` cannot be a key without quotes: keys without quotes are ASCII letters, digits, `-` and `_` only"
    );
    assert_eq!(
        e.hint.as_deref(),
        Some("write the year in quotes: [years.\"令和6年度\"], or write it as R6: [years.R6]")
    );

    // A key line in a per-year table, 元年 included.
    let line_key = initiative_with(&[
        "id = \"t-009\"",
        "title = \"年度のキー\"",
        "",
        "[[schedule]]",
        "[schedule.plan]",
        "R5 = \"実施\"",
        "令和元年度 = \"検討\"",
    ]);
    site.write(&rel, &line_key);
    let run = site.check();
    let e = run.single_error();
    let (line, _) = position_of(&line_key, "令和元年度 =");
    assert_error_at(&e, &rel, line, 1);
    assert!(e.message.contains("`令和元年度`"), "{e:?}");
    assert_eq!(
        e.hint.as_deref(),
        Some("write the year in quotes: \"令和元年度\" = …, or write it as R1: R1 = …")
    );
    site.write(&rel, &initiative("t-009", "年度のキー", None));

    // A section's stored rating.
    site.add_rated_plan("A", &["A"]);
    let rel = format!("{PLAN2_MID}/_index.md");
    let section =
        "+++\ncode = \"(1)\"\ntitle = \"取組項目\"\n\n[status.overall]\n平成30年度 = \"A\"\n+++\n";
    site.write(&rel, section);
    let e = site.check().single_error();
    assert_error_at(&e, &rel, 6, 1);
    assert_eq!(
        e.hint.as_deref(),
        Some("write the year in quotes: \"平成30年度\" = …, or write it as H30: H30 = …")
    );

    // Quoted, each is read as its year (FY2024 is in plan1's period).
    site.write(
        &format!("{ALPHA}/a9.md"),
        &header.replace("[years.令和6年度]", "[years.\"令和6年度\"]"),
    );
    site.write(&rel, &rated_section("A"));
    site.check().assert_code(0);
}

#[test]
fn an_english_file_without_a_version_is_told_what_to_paste() {
    // "add translates = … once the English matches the Japanese" left staff
    // asking what "matches" meant, above all for a file that translates only
    // the title.
    let site = Site::new();
    let full = format!("{ALPHA}/a1.en.md");
    let text = site.read(&full);
    let pinned = text
        .lines()
        .nth(1)
        .expect("the translates line")
        .to_string();
    site.write(&full, &text.replacen(&format!("{pinned}\n"), "", 1));
    let partial = format!("{ALPHA}/a2.en.md");
    site.write(&partial, "+++\ntitle = \"Cashless counters\"\n+++\n");
    let run = site.run(&[
        "check",
        "--translations",
        "--root",
        &site.root().to_string_lossy(),
    ]);
    run.assert_code(0);
    let w = run.warnings();
    assert_eq!(w.len(), 2, "{run}");
    let version = |d: &Diag| quoted(d.hint.as_deref().unwrap()).unwrap().to_string();

    assert_eq!(w[0].at(), format!("{full}:2:1"));
    assert_eq!(
        w[0].message,
        "this English file does not record which version of the Japanese it translates"
    );
    let v = version(&w[0]);
    assert_eq!(format!("translates = \"{v}\""), pinned);
    assert_eq!(
        w[0].hint.as_deref().unwrap(),
        format!("translates = \"{v}\" is the Japanese file as it is now: paste this line under the first +++ line once the English is up to date with it (mieruka then warns when the Japanese changes)")
    );

    assert_eq!(w[1].at(), format!("{partial}:2:1"));
    assert_eq!(
        w[1].message,
        "this English file translates only part of the Japanese, and does not record which version of the Japanese it translates"
    );
    let v = version(&w[1]);
    assert_eq!(
        w[1].hint.as_deref().unwrap(),
        format!("translates = \"{v}\" is the Japanese file as it is now: paste this line under the first +++ line once the English here is up to date with it (the parts not translated show in Japanese on the English page; mieruka then warns when the Japanese changes)")
    );
    // The listing names the same version for the file.
    assert!(
        run.stdout.lines().any(|l| l.starts_with("partial")
            && l.contains(&format!("translates = \"{v}\""))
            && l.contains("a2.md")),
        "{run}"
    );
}

/// An indicator of plan1 measuring the initiative `initiative`.
fn indicator_of(initiative: &str) -> String {
    format!(
        "+++\nid = \"k1\"\nname = \"件数\"\nunit = {{ ja = \"件\", en = \"cases\" }}\ninitiative = \"{initiative}\"\ndirection = \"higher\"\nbaseline = {{ year = \"R3\", value = \"100件\" }}\n+++\n"
    )
}

#[test]
fn a_broken_file_is_reported_once_not_again_by_what_refers_to_it() {
    // An initiative whose TOML does not parse, with its English file, an
    // indicator that measures it and an initiative that repeats it: one
    // error, at the broken line. Each reference used to add "`t-009` is no
    // initiative's id".
    let site = Site::new();
    let rel = format!("{ALPHA}/a9.md");
    site.write(
        &rel,
        "+++\nid = \"t-009\"\ntitle = \"壊れた取組\ndepartments = [\"企画課\"]\n+++\n本文\n",
    );
    site.write(
        &format!("{ALPHA}/a9.en.md"),
        "+++\ntitle = \"Broken\"\nactivities = [\"one\"]\n+++\n",
    );
    site.write("content/plan1/indicators/k1.md", &indicator_of("t-009"));
    site.write(
        &format!("{BETA}/b9.md"),
        "+++\nid = \"t-010\"\ntitle = \"再掲\"\nrepeat_of = \"t-009\"\n+++\n",
    );
    let run = site.check();
    run.assert_code(1);
    let e = run.single_error();
    assert_error_at(&e, &rel, 3, 15);
    assert!(e.message.contains("invalid TOML"), "{e:?}");

    // Fixed, everything refers to it and nothing is reported.
    site.write(&rel, &initiative("t-009", "直した取組", None));
    site.write(
        &format!("{ALPHA}/a9.en.md"),
        "+++\ntitle = \"Fixed\"\n+++\n",
    );
    site.pin_translations();
    let run = site.check();
    run.assert_code(0);
    assert!(run.diagnostics().is_empty(), "{run}");

    // A section whose _index.md does not parse: the initiatives in it are
    // not read, and a reference to one of them is not reported again.
    site.write("content/plan1/indicators/k1.md", &indicator_of("t-003"));
    site.write(
        &format!("{BETA}/_index.md"),
        "+++\ncode = \"2\ntitle = \"財政\"\n+++\n",
    );
    let e = site.check().single_error();
    assert_eq!(e.path, format!("{BETA}/_index.md"), "{e:?}");
}

#[test]
fn an_english_file_is_not_checked_against_a_japanese_file_that_failed() {
    // A figure in two units is an error in the Japanese file; the English
    // file's two figure names then counted against one figure.
    let site = Site::new();
    let rel = format!("{ALPHA}/a9.md");
    let text = initiative_with(&[
        "id = \"t-009\"",
        "title = \"数値目標\"",
        "",
        "[[years.R5.figures]]",
        "name = \"件数\"",
        "target = \"600件\"",
        "actual = \"81人\"",
        "",
        "[[years.R5.figures]]",
        "name = \"回数\"",
        "target = \"3回\"",
        "actual = \"3回\"",
    ]);
    site.write(&rel, &text);
    site.write(
        &format!("{ALPHA}/a9.en.md"),
        "+++\ntitle = \"Figures\"\n\n[years.R5]\nfigures = [\"Cases\", \"Times\"]\n+++\n",
    );
    let run = site.check();
    run.assert_code(1);
    let e = run.single_error();
    let (line, _) = position_of(&text, "actual = \"81人\"");
    assert_error_at(&e, &rel, line, 10);
    assert!(run.warnings().is_empty(), "{run}");
}

#[test]
fn departments_of_a_broken_department_file_are_not_reported_again() {
    let site = Site::new();
    let rel = "content/departments/testcity.toml";
    site.write(
        rel,
        &DEPARTMENTS.replace("id = \"kikaku\"", "id = \"kikaku"),
    );
    let e = site.check().single_error();
    assert_eq!(e.path, rel, "{e:?}");
}

#[test]
fn a_rating_is_not_compared_with_the_rule_without_an_initiative_that_failed() {
    // C, A, A gives B by the rule; without the C (its file broken) the
    // ratings below gave A, and the stored B was doubted in a warning.
    let site = Site::new();
    site.add_rated_plan("B", &["C", "A", "A"]);
    site.check().assert_code(0);
    let rel = format!("{PLAN2_MID}/q-1.md");
    site.edit(&rel, "status = \"C\"", "status = \"C");
    let run = site.check();
    assert_eq!(run.single_error().path, rel);
    assert!(run.warnings().is_empty(), "{run}");
}

#[test]
fn a_reference_to_no_id_names_a_broken_file_whose_id_cannot_be_read() {
    // The broken line is the id itself: the reference may or may not be to
    // that file, so it is reported, with the file named.
    let site = Site::new();
    site.write(
        &format!("{ALPHA}/a9.md"),
        "+++\nid = \"t-009\ntitle = \"壊れた取組\"\n+++\n",
    );
    site.write("content/plan1/indicators/k1.md", &indicator_of("t-009"));
    let run = site.check();
    let errors = run.errors();
    assert_eq!(errors.len(), 2, "{run}");
    let e = &errors[1];
    assert_eq!(e.at(), "content/plan1/indicators/k1.md:5:14");
    assert_eq!(
        e.hint.as_deref(),
        Some(format!("did you mean `t-001`? (if it is the id in {ALPHA}/a9.md, fix that file first: it could not be read)").as_str())
    );
}

#[test]
fn numbers_in_kanji_are_read_and_a_figure_that_is_not_one_number_is_a_warning() {
    // 十五件以上 was words: never computed, and as an indicator's target an
    // error ("not a number").
    let site = Site::new();
    let ind = "content/plan1/indicators/k1.md";
    let body = indicator_of("t-001");
    let front = body.strip_suffix("+++\n").expect("front matter");
    site.write(
        ind,
        &format!("{front}\n[[observations]]\nyear = \"R4\"\nvalue = \"二十一件\"\n\n[target]\nyear = \"R6\"\nvalue = \"三十件以上\"\n+++\n"),
    );
    let run = site.check();
    run.assert_code(0);
    assert!(run.diagnostics().is_empty(), "{run}");

    // Beside a number, a value that is not one number is a warning at it,
    // with the reason; a worded target (維持) is not.
    let rel = format!("{ALPHA}/a9.md");
    let text = initiative_with(&[
        "id = \"t-009\"",
        "title = \"数値目標\"",
        "",
        "[[years.R5.figures]]",
        "name = \"相談件数\"",
        "target = \"15件以上\"",
        "actual = \"15件以上（29件）\"",
        "",
        "[[years.R5.figures]]",
        "name = \"講座\"",
        "target = \"十5回\"",
        "actual = \"3回\"",
        "",
        "[[years.R5.figures]]",
        "name = \"満足度\"",
        "target = \"維持\"",
        "actual = \"98%\"",
        "",
        "[[years.R5.figures]]",
        "name = \"参加者\"",
        "target = \"二十人\"",
        "actual = \"二三人\"",
    ]);
    site.write(&rel, &text);
    let run = site.check();
    run.assert_code(0);
    let w = run.warnings();
    assert_eq!(w.len(), 3, "{run}");
    let (line, _) = position_of(&text, "actual = \"15件以上");
    assert_eq!(w[0].at(), format!("{rel}:{line}:10"));
    assert_eq!(
        w[0].message,
        "\"15件以上（29件）\" cannot be read as one number: the bracket holds another number (29件)"
    );
    assert_eq!(
        w[0].hint.as_deref(),
        Some("write the figure as one number, e.g. \"29件\", and put the remark in the year's `result`")
    );
    let (line, _) = position_of(&text, "target = \"十5回\"");
    assert_eq!(w[1].at(), format!("{rel}:{line}:10"));
    assert_eq!(
        w[1].message,
        "\"十5回\" cannot be read as one number: it mixes digits and kanji numerals"
    );
    assert_eq!(
        w[1].hint.as_deref(),
        Some("write the number in digits (十五件 as 15件); a value that cannot be read is shown as typed but never computed")
    );
    let (line, _) = position_of(&text, "actual = \"二三人\"");
    assert_eq!(w[2].at(), format!("{rel}:{line}:10"));
    assert_eq!(
        w[2].message,
        "\"二三人\" cannot be read as one number: the kanji numerals 二三 can mean \"this or that many\" (二三 is \"two or three\")"
    );

    // In an indicator: beside a number target.
    site.edit(ind, "\"二十一件\"", "\"2十1件\"");
    let run = site.check();
    let w = run.warnings();
    assert_eq!(w.len(), 4, "{run}");
    let (line, _) = position_of(&site.read(ind), "\"2十1件");
    let w = w
        .iter()
        .find(|w| w.path == ind)
        .expect("a warning in the indicator");
    assert_eq!(w.at(), format!("{ind}:{line}:9"));
    assert_eq!(
        w.message,
        "\"2十1件\" cannot be read as one number: it mixes digits and kanji numerals"
    );
}

#[test]
fn a_look_alike_status_gets_its_look_alike_and_a_word_never_the_opposite() {
    // Issue 28, item 11: every unknown one-character status got
    // "did you mean `×`?" (中止), 〇 and 丸 included.
    let site = Site::new();
    let rel = format!("{ALPHA}/a1.md");
    for (typed, expected) in [
        ("〇", Some("○")),
        ("◯", Some("○")),
        ("O", Some("○")),
        ("丸", Some("○")),
        // A cross, but this scale has no ×.
        ("x", None),
        ("済", None),
        ("完", Some("完了")),
    ] {
        site.write(
            &rel,
            &A1.replace("R5 = \"○\"", &format!("R5 = \"{typed}\"")),
        );
        let run = site.check();
        run.assert_code(1);
        let hint = run.single_error().hint.expect("a hint");
        match expected {
            Some(s) => assert!(
                hint.contains(&format!("did you mean `{s}`?")),
                "{typed}: {hint}"
            ),
            None => assert!(!hint.contains("did you mean"), "{typed}: {hint}"),
        }
    }
}

#[test]
fn english_for_a_text_the_japanese_file_lacks_is_named_not_dropped() {
    // Issue 28, item 5: an English `ended = { note }` whose Japanese file
    // has no `ended` was accepted and dropped without a word.
    let site = Site::new();
    let rel = format!("{ALPHA}/a1.en.md");
    site.write(
        &rel,
        &A1_EN.replace(
            "title = \"Expanding online applications\"\n",
            "title = \"Expanding online applications\"\nreason = \"Because.\"\nended = { note = \"Ended in FY2022.\" }\n",
        ),
    );
    let run = site.check();
    let warnings = run.warnings();
    for (key, line) in [("reason", 3), ("ended", 4)] {
        let w = warnings
            .iter()
            .find(|w| w.message.contains(&format!("`{key}` has no Japanese text")))
            .unwrap_or_else(|| panic!("{key}: {run}"));
        assert_eq!((w.path.as_str(), w.line), (rel.as_str(), line), "{w:?}");
    }
}
