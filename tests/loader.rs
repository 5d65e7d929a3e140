//! What the loader refuses before anything is rendered: control characters
//! in any content file (raw, or written as a TOML escape or a Markdown
//! character reference), folders nested deeper than anything a site needs
//! (reported once, and not walked further), and a theme that is not there.

mod common;

use common::*;
use std::time::{Duration, Instant};

/// An indicator of plan1 measuring `t-001`.
const INDICATOR: &str = "+++\nid = \"k1\"\nname = \"件数\"\nunit = { ja = \"件\", en = \"cases\" }\ninitiative = \"t-001\"\ndirection = \"higher\"\nbaseline = { year = \"R3\", value = \"100件\" }\n+++\n指標の説明。\n";

const INDICATOR_FILE: &str = "content/plan1/indicators/k1.md";

/// Writes `text` with `needle` replaced by `with` into `rel`, runs `check`,
/// and returns its only error, which must be at the place of `needle` in
/// the written file (column in characters); the file is put back after.
fn refused_at(site: &Site, rel: &str, needle: &str, with: &str) -> Diag {
    let original = site.read(rel);
    assert!(original.contains(needle), "{rel} lacks {needle:?}");
    let broken = original.replacen(needle, with, 1);
    site.write(rel, &broken);
    let run = site.check();
    run.assert_code(1);
    let e = run.single_error();
    // The place of the first character that differs.
    let at = original
        .bytes()
        .zip(broken.bytes())
        .position(|(a, b)| a != b)
        .expect("the texts differ");
    let before = &broken[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    assert_error_at(&e, rel, line, column);
    assert!(e.hint.is_some(), "no hint: {e:?}");
    site.write(rel, &original);
    e
}

#[test]
fn control_characters_are_refused_where_typed_in_every_kind_of_file() {
    let site = Site::new();
    site.write(INDICATOR_FILE, INDICATOR);
    site.check().assert_code(0);
    let a1 = format!("{ALPHA}/a1.md");
    let a1_en = format!("{ALPHA}/a1.en.md");
    let index = format!("{ALPHA}/_index.md");
    let cases: Vec<(&str, &str, &str, &str)> = vec![
        // A raw NUL in the narrative, as an imported cell brings it.
        (&a1, "オンライン化", "オンライン\0化", "U+0000"),
        // In a TOML string of the front matter.
        (&a1, "電子申請の拡充", "電子\u{7}申請の拡充", "U+0007"),
        // Written as a TOML escape: the parsed title would hold it.
        (&a1, "電子申請の拡充", "電子\\u0000申請の拡充", "U+0000"),
        (&a1, "電子申請の拡充", "電子\\b申請の拡充", "U+0008"),
        (&a1, "電子申請の拡充", "電子\\U0000001B申請の拡充", "U+001B"),
        // As a Markdown character reference in the text.
        (&a1, "オンライン化", "オンライン&#1;化", "U+0001"),
        (&a1, "オンライン化", "オンライン&#x7F;化", "U+007F"),
        // DEL and a C1 control (text decoded with the wrong character set).
        (&a1, "オンライン化", "オンライン\u{7f}化", "U+007F"),
        (&a1, "オンライン化", "オンライン\u{85}化", "U+0085"),
        // A vertical tab or form feed is no line break of Markdown or HTML.
        (&a1, "オンライン化", "オンライン\u{b}化", "U+000B"),
        (
            &a1_en,
            "online applications",
            "online\u{c} applications",
            "U+000C",
        ),
        (
            &index,
            "分野アルファの説明",
            "分野\0アルファの説明",
            "U+0000",
        ),
        (PLAN_FILE, "試験市の計画", "試験市\u{1f}の計画", "U+001F"),
        (INDICATOR_FILE, "指標の説明", "指標\0の説明", "U+0000"),
        (INDICATOR_FILE, "件数", "件\\u0000数", "U+0000"),
        ("content/site.toml", "テスト用", "テスト\0用", "U+0000"),
        ("content/site.toml", "テスト用", "テスト\\u0003用", "U+0003"),
        (
            "content/departments/testcity.toml",
            "企画課",
            "企画\u{1b}課",
            "U+001B",
        ),
    ];
    for (rel, needle, with, named) in cases {
        let e = refused_at(&site, rel, needle, with);
        assert!(
            e.message.contains("control character") && e.message.contains(named),
            "{rel} {with:?}: {e:?}"
        );
    }
    // Tabs, line ends of every kind and escapes of them stay fine, and a
    // code span may show a character reference as it is written.
    site.edit(
        &a1,
        "オンライン化",
        "オンライン\t化\r\n`&#1;` \\u0000 を示す",
    );
    site.edit(&a1, "電子申請の拡充", "電子申請の\\t拡充");
    let run = site.check();
    run.assert_code(0);
}

#[test]
fn no_nul_reaches_a_built_page_or_data_file() {
    let site = Site::new();
    let a1 = format!("{ALPHA}/a1.md");
    // A NUL in a cell, as `import` wrote it before the loader refused it.
    site.edit(&a1, "オンライン化", "オンライン\0化");
    let run = site.build();
    run.assert_code(1);
    assert!(
        !site.path("public").exists(),
        "a failed build wrote public/"
    );
    // `&#0;` is what Markdown turns into U+FFFD: accepted, and never a NUL.
    site.edit(&a1, "オンライン\0化", "オンライン&#0;化");
    let run = site.build();
    run.assert_code(0);
    let mut text_files = 0;
    for (file, bytes) in site.snapshot("public") {
        // The search index's .bin files are binary by design.
        let ext = file.rsplit('.').next().unwrap_or("");
        if ["html", "json", "csv", "xml", "txt", "js", "css", "svg"].contains(&ext) {
            text_files += 1;
            assert!(!bytes.contains(&0), "{file} holds a NUL");
        }
    }
    assert!(text_files > 20, "{text_files} pages and data files");
    let page = site.page("plan1/t-001/index.html");
    assert!(
        page.contains("オンライン\u{fffd}化"),
        "the reference is U+FFFD"
    );
}

/// Makes `levels` nested folders `d/d/d/…` under `rel`, each with an
/// `_index.md` (the shape that took `check` 18 s at 1,000 levels, 115 s at
/// 2,000: every file's path was read component by component), and a file
/// at the bottom whose name Windows refuses, which a walk that reached it
/// would report. Paths stay under PATH_MAX at the depths used here.
fn nest(site: &Site, rel: &str, levels: usize, index: bool) {
    let mut dir = rel.to_string();
    for _ in 0..levels {
        dir.push_str("/d");
        if index {
            site.write(&format!("{dir}/_index.md"), "+++\ntitle = \"深い\"\n+++\n");
        }
    }
    std::fs::create_dir_all(site.path(&dir)).unwrap();
    site.write(&format!("{dir}/bottom?.md"), "+++\n+++\n");
}

#[test]
fn folders_nested_too_deep_are_reported_once_and_not_walked() {
    let site = Site::new();
    // Under a section (walked by the plan), under indicators/ and under a
    // past report: each is cut off at the same depth below content/.
    // Indicators may sit in sub-folders of indicators/: those chains hold
    // no file but the bottom one, which would be an indicator of its own.
    nest(&site, ALPHA, 1000, true);
    for under in ["content/plan1/indicators", "content/plan1/_reports"] {
        nest(&site, under, 1000, false);
    }
    let start = Instant::now();
    let run = run_in_within(
        site.root(),
        &["check", "--root", &site.root().to_string_lossy()],
        Duration::from_secs(60),
    )
    .expect("check of 1,000 nested folders ended within 60 s");
    let took = start.elapsed();
    run.assert_code(1);
    let errors = run.errors();
    assert!(
        !run.stderr.contains("bottom?"),
        "the walk went down to the bottom folder:\n{}",
        &run.stderr[..run.stderr.len().min(4000)]
    );
    let deep: Vec<&Diag> = errors
        .iter()
        .filter(|e| e.message.contains("nested more than"))
        .collect();
    assert_eq!(
        deep.len(),
        3,
        "one error per nested chain: {deep:#?}\n{}",
        &run.stderr[..run.stderr.len().min(4000)]
    );
    for e in &deep {
        assert!(e.hint.is_some(), "{e:?}");
        // Reported at the last folder read, which is a short path.
        assert!(e.path.len() < 200, "{e:?}");
    }
    assert!(
        errors.len() < 20,
        "{} errors: the deep folders are reported again and again",
        errors.len()
    );
    assert!(took < Duration::from_secs(10), "check took {took:?}");
}

#[test]
fn a_theme_that_is_not_there_is_named_with_the_themes_found() {
    let site = Site::new();
    site.write(
        "themes/mycity/templates/base.html",
        "{% block main %}{% endblock %}",
    );
    site.write("themes/mycity-dark/static/x.css", "body{}");
    site.write("themes/.hidden/x.css", "body{}");
    site.edit(
        "content/site.toml",
        "languages = [\"ja\", \"en\"]\n",
        "languages = [\"ja\", \"en\"]\ntheme = \"mycty\"\n",
    );
    let text = site.read("content/site.toml");
    let (line, column) = position_of(&text, "\"mycty\"");
    for run in [site.check(), site.build()] {
        run.assert_code(1);
        let e = run.single_error();
        assert_error_at(&e, "content/site.toml", line, column);
        assert!(e.message.contains("theme `mycty`"), "{e:?}");
        let hint = e.hint.expect("a hint");
        assert!(hint.contains("did you mean `mycity`"), "{hint}");
        for name in ["default", "mycity", "mycity-dark"] {
            assert!(hint.contains(&format!("`{name}`")), "{hint}");
        }
        assert!(!hint.contains("hidden"), "{hint}");
    }
    // No themes/ folder at all: the built-in theme is named.
    std::fs::remove_dir_all(site.path("themes")).unwrap();
    let e = site.check().single_error();
    assert!(e.hint.unwrap().contains("`default`"));
    // The default theme needs no folder; a theme that is there is fine.
    site.edit("content/site.toml", "\"mycty\"", "\"default\"");
    site.check().assert_code(0);
    site.write("themes/mycity/templates/base.html", "x");
    site.edit("content/site.toml", "\"default\"", "\"mycity\"");
    site.check().assert_code(0);
}

const PLAN_FILE: &str = "content/plan1/_plan.md";

/// Copies the folder `from` into `to`.
fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
}

#[test]
fn a_theme_file_with_a_nul_is_refused_at_its_place() {
    let site = Site::new();
    let theme = site.path("themes/mine");
    copy_tree(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default"),
        &theme,
    );
    site.edit(
        "content/site.toml",
        "languages = [\"ja\", \"en\"]\n",
        "languages = [\"ja\", \"en\"]\ntheme = \"mine\"\n",
    );
    site.build().assert_code(0);
    let base = "themes/mine/templates/base.html";
    let text = site.read(base);
    let at = text.find("<body").expect("a body tag");
    site.write(base, &format!("{}\0{}", &text[..at], &text[at..]));
    let (line, column) = position_of(&site.read(base), "\0");
    std::fs::remove_dir_all(site.path("public")).unwrap();
    let run = site.build();
    run.assert_code(1);
    assert!(
        run.stderr.contains(&format!(
            "base.html:{line}:{column}: control character U+0000"
        )),
        "{run}"
    );
    assert!(
        !site.path("public").exists(),
        "a failed build wrote public/"
    );
}
