//! Garbage in: messages out, never a panic. A failed build leaves the last
//! good site alone, and the same content always gives the same bytes.

mod common;

use common::*;

/// Runs `check` and `build` on a broken site: both exit 1 with at least one
/// error whose message contains `expect`, no panic, nothing written.
fn assert_rejected(site: &Site, case: &str, expect: &str) {
    for run in [site.check(), site.build()] {
        assert_eq!(run.code, Some(1), "{case}: unexpected exit status:\n{run}");
        run.assert_no_panic();
        let errors = run.errors();
        assert!(!errors.is_empty(), "{case}: no error printed:\n{run}");
        assert!(
            errors.iter().any(|e| e.message.contains(expect)),
            "{case}: no error mentions {expect:?}:\n{run}"
        );
        for e in &errors {
            assert!(e.line >= 1 && e.column >= 1, "{case}: {e:?}");
            assert!(
                site.path(&e.path).exists(),
                "{case}: the error names a path that does not exist: {e:?}"
            );
        }
        assert!(run.stderr.contains("nothing was written"), "{case}:\n{run}");
    }
    assert!(
        !site.path("public").exists(),
        "{case}: a failed build wrote public/"
    );
}

const PLAN_FILE: &str = "content/plan1/_plan.md";

/// Breaks the standard fixture in some way.
type Breaker<'a> = Box<dyn Fn(&Site) + 'a>;

#[test]
fn hostile_files_give_messages_not_panics() {
    let a1 = format!("{ALPHA}/a1.md");
    let cases: Vec<(&str, Breaker, &str)> = vec![
        (
            "empty initiative file",
            Box::new(|s: &Site| {
                s.write(&a1, "");
            }),
            "does not start with front matter",
        ),
        (
            "only +++",
            Box::new(|s: &Site| {
                s.write(&a1, "+++");
            }),
            "front matter is not closed",
        ),
        (
            "only +++ and a line end",
            Box::new(|s: &Site| {
                s.write(&a1, "+++\n");
            }),
            "front matter is not closed",
        ),
        (
            "unclosed front matter",
            Box::new(|s: &Site| {
                s.write(&a1, "+++\nid = \"t-001\"\ntitle = \"閉じていない\"\n本文\n");
            }),
            "front matter is not closed",
        ),
        (
            "front matter with --- instead of +++",
            Box::new(|s: &Site| {
                s.write(&a1, "---\nid: t-001\ntitle: YAML\n---\n");
            }),
            "does not start with front matter",
        ),
        (
            "binary bytes",
            Box::new(|s: &Site| {
                let bytes: Vec<u8> = (0..=255u8).rev().cycle().take(2000).collect();
                s.write_bytes(&a1, &bytes);
            }),
            "not UTF-8",
        ),
        (
            "NUL bytes in UTF-8",
            Box::new(|s: &Site| {
                s.write_bytes(&a1, b"\0\0\0+++\n\0\n+++\n");
            }),
            "control character U+0000 (NUL)",
        ),
        (
            "0-byte _plan.md",
            Box::new(|s: &Site| {
                s.write(PLAN_FILE, "");
            }),
            "does not start with front matter",
        ),
        (
            "_plan.md of only +++ lines",
            Box::new(|s: &Site| {
                s.write(PLAN_FILE, "+++\n+++\n");
            }),
            "required key",
        ),
        (
            "0-byte site.toml",
            Box::new(|s: &Site| {
                s.write("content/site.toml", "");
            }),
            "required key",
        ),
        (
            "binary site.toml",
            Box::new(|s: &Site| {
                s.write_bytes("content/site.toml", &[0xFF, 0xFE, 0x00, 0x80, 0x81]);
            }),
            "not UTF-8",
        ),
        (
            "garbage department file",
            Box::new(|s: &Site| {
                s.write("content/departments/testcity.toml", "[[[[");
            }),
            "invalid TOML",
        ),
        (
            "garbage English file",
            Box::new(|s: &Site| {
                s.write(&format!("{ALPHA}/a1.en.md"), "+++\n= = =\n+++\n");
            }),
            "invalid TOML",
        ),
        (
            "deeply nested section folders",
            Box::new(|s: &Site| {
                let mut dir = ALPHA.to_string();
                for n in 0..60 {
                    dir.push_str(&format!("/d{n}"));
                    s.write(&format!("{dir}/_index.md"), "+++\ntitle = \"深い\"\n+++\n");
                }
                s.write(
                    &format!("{dir}/deep.md"),
                    &initiative("t-deep", "深い取組", None),
                );
            }),
            "nested too deep",
        ),
        (
            "deeply nested folders without _index.md",
            Box::new(|s: &Site| {
                let dir = format!("{BETA}/{}", vec!["x"; 80].join("/"));
                s.write(
                    &format!("{dir}/deep.md"),
                    &initiative("t-deep", "深い取組", None),
                );
            }),
            "no _index.md",
        ),
        (
            "section folder without _index.md",
            Box::new(|s: &Site| {
                s.write(
                    "content/plan1/03-gamma/c1.md",
                    &initiative("t-009", "区分なし", Some("○")),
                );
            }),
            "no _index.md",
        ),
        (
            "plan folder without _plan.md",
            Box::new(|s: &Site| {
                s.write("content/plan9/x.md", &initiative("t-009", "計画なし", None));
            }),
            "no _plan.md",
        ),
        (
            "a folder named like a Markdown file",
            Box::new(|s: &Site| {
                std::fs::create_dir_all(s.path(&format!("{ALPHA}/folder.md"))).unwrap();
            }),
            "no _index.md",
        ),
        (
            "initiative at the plan's top",
            Box::new(|s: &Site| {
                s.write(
                    "content/plan1/top.md",
                    &initiative("t-009", "階層違い", None),
                );
            }),
            "wrong depth",
        ),
        (
            "a year too big for any integer",
            Box::new(|s: &Site| {
                s.edit(
                    PLAN_FILE,
                    "last = \"R6\"",
                    "last = 99999999999999999999999999999",
                );
            }),
            "invalid TOML",
        ),
        (
            "a huge Western year",
            Box::new(|s: &Site| {
                s.edit(PLAN_FILE, "last = \"R6\"", "last = 9999999999");
            }),
            "not a fiscal year",
        ),
        (
            "a huge era year",
            Box::new(|s: &Site| {
                s.edit(PLAN_FILE, "last = \"R6\"", "last = \"R7000\"");
            }),
            "not a fiscal year",
        ),
        (
            "an era year beyond u16",
            Box::new(|s: &Site| {
                s.edit(PLAN_FILE, "last = \"R6\"", "last = \"令和99999年度\"");
            }),
            "not a fiscal year",
        ),
        (
            "a negative year",
            Box::new(|s: &Site| {
                s.edit(PLAN_FILE, "last = \"R6\"", "last = -2024");
            }),
            "not a fiscal year",
        ),
        (
            "a huge year as a table key",
            Box::new(|s: &Site| {
                s.edit(&a1, "R5 = \"○\"", "R5 = \"○\"\nR99999999999999 = \"○\"");
            }),
            "not a fiscal year",
        ),
        (
            "period reversed",
            Box::new(|s: &Site| {
                s.edit(
                    PLAN_FILE,
                    "period = { first = \"R3\", last = \"R6\" }",
                    "period = { first = \"R6\", last = \"R3\" }",
                );
            }),
            "starts (FY2024) after it ends (FY2021)",
        ),
        (
            "no levels",
            Box::new(|s: &Site| {
                s.edit(PLAN_FILE, "levels = [", "levels = []\nx = [");
            }),
            "unknown key `x`",
        ),
        (
            "empty levels",
            Box::new(|s: &Site| {
                let text = s.read(PLAN_FILE);
                let start = text.find("levels = [").unwrap();
                let end = start + text[start..].find("]\n").unwrap() + 2;
                s.write(
                    PLAN_FILE,
                    &format!("{}levels = []\n{}", &text[..start], &text[end..]),
                );
            }),
            "at least one level",
        ),
        (
            "a section scale on a level that does not exist",
            Box::new(|s: &Site| {
                s.edit(
                    PLAN_FILE,
                    "applies_to = \"schedule\"",
                    "applies_to = \"section\"\nlevel = 99999999999",
                );
            }),
            "needs the level it rates",
        ),
        (
            "a derivation rule that is not an expression",
            Box::new(|s: &Site| {
                s.add_rated_plan("A", &["A"]);
                s.edit(
                    "content/plan2/_plan.md",
                    "when = \"C == 0 && A > B\"",
                    "when = \"((((\"",
                );
            }),
            "cannot be read",
        ),
        (
            "an empty status",
            Box::new(|s: &Site| {
                s.edit(&a1, "R5 = \"○\"", "R5 = \"\"");
            }),
            "unknown 実施状況",
        ),
        (
            "a status of the wrong type",
            Box::new(|s: &Site| {
                s.edit(&a1, "R5 = \"○\"", "R5 = 3");
            }),
            "invalid TOML",
        ),
        (
            "a huge title",
            Box::new(|s: &Site| {
                let title = "長".repeat(200_000);
                s.write(
                    &a1,
                    &format!("+++\nid = \"t-001\"\ntitle = \"{title}\"\nbad\n+++\n"),
                );
            }),
            "invalid TOML",
        ),
        (
            "repeat_of itself",
            Box::new(|s: &Site| {
                s.edit(&a1, "code = \"1\"", "code = \"1\"\nrepeat_of = \"t-001\"");
            }),
            "cannot repeat itself",
        ),
    ];
    for (case, break_it, expect) in cases {
        let site = Site::new();
        break_it(&site);
        assert_rejected(&site, case, expect);
    }
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let site = Site::new();
    site.build().assert_code(0);
    let before = site.snapshot("public");
    assert!(before.iter().any(|(f, _)| f == "plan1/t-001/index.html"));
    let root_before = site.listing("");

    // Break a file and change another: nothing of it may reach public/.
    site.edit(
        &format!("{ALPHA}/a2.md"),
        "窓口のキャッシュレス化",
        "窓口の完全キャッシュレス化",
    );
    site.edit(&format!("{ALPHA}/a1.md"), "R5 = \"○\"", "R5 = \"実施\"");
    let run = site.build();
    run.assert_code(1);
    assert_eq!(run.errors().len(), 1, "{run}");
    assert!(!run.stdout.contains("built"), "{run}");

    let after = site.snapshot("public");
    assert_eq!(
        before.iter().map(|(f, _)| f).collect::<Vec<_>>(),
        after.iter().map(|(f, _)| f).collect::<Vec<_>>(),
        "the files of public/ changed"
    );
    for ((f, a), (_, b)) in before.iter().zip(&after) {
        assert!(a == b, "{f} changed");
    }
    // No temporary folders left beside public/ (or anywhere in the site):
    // only the lock that builds into public/ take turns on.
    let entries: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    let mut entries = entries;
    entries.sort();
    assert_eq!(entries, [".public.lock", "content", "public"]);
    let root_after = site.listing("");
    let new_files: Vec<&String> = root_after
        .iter()
        .filter(|f| !root_before.contains(f))
        .collect();
    assert!(
        new_files.iter().all(|f| f.starts_with("content/")),
        "{new_files:?}"
    );

    // Fixed, the next build replaces the site, again leaving nothing behind.
    site.edit(&format!("{ALPHA}/a1.md"), "R5 = \"実施\"", "R5 = \"○\"");
    site.build().assert_code(0);
    assert!(site
        .page("plan1/t-002/index.html")
        .contains("窓口の完全キャッシュレス化"));
    let mut entries: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    entries.sort();
    // The replaced output is kept as the next build's spare (its files are
    // written over rather than created anew).
    assert_eq!(
        entries,
        [".public.lock", ".public.spare", "content", "public"]
    );
    assert!(site.path(".public.spare/.mieruka-output").is_file());
}

#[test]
fn a_failed_build_with_out_leaves_that_folder_untouched() {
    let site = Site::new();
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().join("site");
    let root = site.root().to_string_lossy().to_string();
    let out_arg = out_dir.to_string_lossy().to_string();
    site.run(&["build", "--root", &root, "--out", &out_arg])
        .assert_code(0);
    let before = std::fs::read(out_dir.join("index.html")).unwrap();
    site.write(&format!("{BETA}/broken.md"), "+++\n");
    site.run(&["build", "--root", &root, "--out", &out_arg])
        .assert_code(1);
    assert_eq!(std::fs::read(out_dir.join("index.html")).unwrap(), before);
    // Only the site and the lock that builds into it take turns on.
    let mut names: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert_eq!(names, [".site.lock", "site"]);
    assert!(!site.path("public").exists());
}

#[test]
fn two_builds_of_the_same_content_are_byte_identical() {
    let site = Site::new();
    site.add_rated_plan("A", &["A", "B", "A"]);
    site.build().assert_code(0);
    let first = site.snapshot("public");
    assert!(
        first.len() > 20,
        "too few files to compare: {}",
        first.len()
    );
    site.build().assert_code(0);
    let second = site.snapshot("public");
    assert_eq!(
        first.iter().map(|(f, _)| f).collect::<Vec<_>>(),
        second.iter().map(|(f, _)| f).collect::<Vec<_>>()
    );
    for ((f, a), (_, b)) in first.iter().zip(&second) {
        assert!(a == b, "{f} differs between two builds");
    }

    // The same content in another folder gives the same bytes too.
    let copy = Site::empty();
    for f in site.listing("content") {
        let rel = format!("content/{f}");
        copy.write_bytes(&rel, &std::fs::read(site.path(&rel)).unwrap());
    }
    copy.build().assert_code(0);
    let third = copy.snapshot("public");
    assert_eq!(first.len(), third.len());
    for ((f, a), (g, b)) in first.iter().zip(&third) {
        assert_eq!(f, g);
        assert!(a == b, "{f} differs between two folders");
    }
}
