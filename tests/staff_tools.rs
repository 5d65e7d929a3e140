//! Staff tools (issue 15): `mieruka init` starts a site that checks clean
//! and builds at once, with every key commented; `mieruka new` writes an
//! initiative, section or indicator file pre-filled from its plan and says
//! at once what is left to fill in. Neither overwrites anything.

mod common;

use common::*;
use std::path::Path;

fn mieruka_in(dir: &Path, args: &[&str]) -> Run {
    run_in(dir, args)
}

#[test]
fn init_starts_a_site_that_checks_clean_and_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("mysite");
    let run = mieruka_in(tmp.path(), &["init", "mysite"]);
    run.assert_code(0);
    assert!(run.stdout.contains("mieruka serve --root mysite"), "{run}");
    // Every kind of file once.
    for f in [
        "content/site.toml",
        "content/departments/mycity.toml",
        "content/plan/_plan.md",
        "content/plan/01-area/_index.md",
        "content/plan/01-area/i-001.md",
        "content/plan/01-area/i-001.en.md",
        "content/plan/indicators/k-001.md",
    ] {
        let text = std::fs::read_to_string(dir.join(f)).unwrap_or_else(|_| panic!("{f} missing"));
        assert!(text.contains("# "), "{f} explains its keys in comments");
    }
    // Clean: no error, no warning.
    let run = mieruka_in(&dir, &["check"]);
    run.assert_code(0);
    assert!(run.diagnostics().is_empty(), "{run}");
    let run = mieruka_in(&dir, &["build"]);
    run.assert_code(0);
    let page = std::fs::read_to_string(dir.join("public/plan/i-001/index.html")).unwrap();
    assert!(page.contains("行政手続のオンライン化"));
    assert!(dir
        .join("public/en/plan/indicators/k-001/index.html")
        .is_file());
    // A second init, or one into a folder with anything in it, writes nothing.
    let before = std::fs::read(dir.join("content/site.toml")).unwrap();
    let run = mieruka_in(tmp.path(), &["init", "mysite"]);
    run.assert_code(2);
    assert!(run.stderr.contains("not empty"), "{run}");
    assert_eq!(
        std::fs::read(dir.join("content/site.toml")).unwrap(),
        before
    );
    std::fs::create_dir(tmp.path().join("other")).unwrap();
    std::fs::write(tmp.path().join("other/notes.txt"), "mine").unwrap();
    mieruka_in(tmp.path(), &["init", "other"]).assert_code(2);
    assert!(!tmp.path().join("other/content").exists());
}

#[test]
fn new_files_are_prefilled_from_their_plan_and_checked_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    mieruka_in(tmp.path(), &["init", "s"]).assert_code(0);
    let run = mieruka_in(&dir, &["new", "initiative", "plan/01-area/i-002"]);
    run.assert_code(0);
    let file = "content/plan/01-area/i-002.md";
    assert!(run.stdout.contains(&format!("wrote {file}")), "{run}");
    let text = std::fs::read_to_string(dir.join(file)).unwrap();
    // The plan's years (R6–R9), its scale's values, its departments.
    for y in ["[years.R6]", "[years.R7]", "[years.R8]", "[years.R9]"] {
        assert!(text.contains(y), "{text}");
    }
    assert!(
        text.contains("◎ / 完了 完了") && text.contains("× / 中止 中止"),
        "{text}"
    );
    assert!(text.contains("情報政策課"), "{text}");
    // What is left to fill in is said at once, at its line.
    let e = run
        .errors()
        .into_iter()
        .find(|e| e.path == file)
        .unwrap_or_else(|| panic!("{run}"));
    assert_eq!((e.line, e.message.as_str()), (4, "title is empty"));
    // Other files can be added while this one is being filled in.
    mieruka_in(&dir, &["new", "section", "plan/02-next"]).assert_code(0);
    mieruka_in(&dir, &["new", "indicator", "plan/indicators/k-002"]).assert_code(0);
    assert!(
        std::fs::read_to_string(dir.join("content/plan/02-next/_index.md"))
            .unwrap()
            .contains("分野")
    );
    // Filled in, the site builds with the new pages.
    let edit = |f: &str, from: &str, to: &str| {
        let p = dir.join(f);
        let t = std::fs::read_to_string(&p).unwrap();
        assert!(t.contains(from), "{f}: {t}");
        std::fs::write(&p, t.replacen(from, to, 1)).unwrap();
    };
    edit(file, "title = \"\"", "title = \"窓口の混雑状況の公開\"");
    edit(file, "departments = []", "departments = [\"企画政策課\"]");
    edit(
        "content/plan/02-next/_index.md",
        "title = \"\"",
        "title = \"市民参加\"",
    );
    edit(
        "content/plan/02-next/_index.md",
        "code = \"\"",
        "code = \"2\"",
    );
    edit(
        "content/plan/indicators/k-002.md",
        "name = \"\"",
        "name = \"窓口の待ち時間\"",
    );
    let run = mieruka_in(&dir, &["build"]);
    run.assert_code(0);
    assert!(dir.join("public/plan/i-002/index.html").is_file());
    assert!(dir.join("public/plan/02-next/index.html").is_file());
    assert!(dir
        .join("public/plan/indicators/k-002/index.html")
        .is_file());
    // Nothing is overwritten; a wrong place is named.
    let before = std::fs::read(dir.join(file)).unwrap();
    let run = mieruka_in(&dir, &["new", "initiative", "plan/01-area/i-002"]);
    run.assert_code(2);
    assert!(run.stderr.contains("exists already"), "{run}");
    assert_eq!(std::fs::read(dir.join(file)).unwrap(), before);
    let run = mieruka_in(&dir, &["new", "initiative", "plan/i-003"]);
    run.assert_code(2);
    assert!(run.stderr.contains("2 levels"), "{run}");
    let run = mieruka_in(&dir, &["new", "initiative", "nope/01-area/i-003"]);
    run.assert_code(2);
    assert!(run.stderr.contains("plans: plan"), "{run}");
}

/// A plan that rates schedule rows gets a schedule with its years.
#[test]
fn a_new_initiative_of_a_schedule_plan_has_its_schedule_years() {
    let site = Site::new();
    let root = site.root().to_string_lossy().to_string();
    let run = site.run(&["new", "initiative", "plan1/01-alpha/a9", "--root", &root]);
    run.assert_code(0);
    let text = site.read("content/plan1/01-alpha/a9.md");
    assert!(
        text.contains("[schedule.plan]\nR3 = \"\"\nR4 = \"\"\nR5 = \"\"\nR6 = \"\""),
        "{text}"
    );
    assert!(
        text.contains("[schedule.status]\n# R3 = \"\"\n# R4 = \"\"\n# R5 = \"\""),
        "{text}"
    );
}

/// From nothing to a built plan from a progress sheet: `init`, `new plan`
/// (which writes a commented `_import.toml`), then `import` of a CSV laid
/// out as that mapping says; the sections and initiatives it names are
/// created and the site builds.
#[test]
fn init_new_plan_and_import_a_sheet_give_a_built_plan() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    mieruka_in(tmp.path(), &["init", "site"]).assert_code(0);
    let run = mieruka_in(&dir, &["new", "plan", "gyokaku7"]);
    run.assert_code(0);
    let map = std::fs::read_to_string(dir.join("content/gyokaku7/_import.toml")).unwrap();
    assert!(map.contains("plan = \"gyokaku7\""), "{map}");
    // Issue 28, item 19: not the starter plan's name (the home page showed
    // two plans of one name).
    let plan = std::fs::read_to_string(dir.join("content/gyokaku7/_plan.md")).unwrap();
    assert!(
        plan.contains("title = \"新しい計画（gyokaku7）\""),
        "{plan}"
    );
    assert!(plan.contains("short_title = \"gyokaku7\""), "{plan}");
    // Refused: an existing plan id, or a path.
    mieruka_in(&dir, &["new", "plan", "gyokaku7"]).assert_code(2);
    mieruka_in(&dir, &["new", "plan", "a/b"]).assert_code(2);
    std::fs::write(
        dir.join("sheet.csv"),
        "ID,分野番号,分野,番号,取組,担当課,R6目標,R6状況,R6実績\n\
         k7-001,1,窓口改革,1,書かない窓口の導入,情報政策課,全窓口で導入,○,\"3窓口で導入\n残りは次年度\"\n\
         k7-002,,,2,キャッシュレス決済,企画政策課,5施設,◎,5施設で導入\n\
         k7-003,2,人材育成,1,DX研修,企画政策課,,△,\n",
    )
    .unwrap();
    let run = mieruka_in(
        &dir,
        &[
            "import",
            "sheet.csv",
            "--map",
            "content/gyokaku7/_import.toml",
        ],
    );
    run.assert_code(0);
    assert!(run.stdout.contains("3 added, 0 changed"), "{run}");
    let file = std::fs::read_to_string(dir.join("content/gyokaku7/01/k7-001.md")).unwrap();
    assert_eq!(
        file,
        "+++\nid = \"k7-001\"\ncode = \"1\"\ntitle = \"書かない窓口の導入\"\ndepartments = [\"情報政策課\"]\n\n[years.R6]\ntarget = \"全窓口で導入\"\nstatus = \"○\"\nresult = '''\n3窓口で導入\n残りは次年度'''\n+++\n"
    );
    let index = std::fs::read_to_string(dir.join("content/gyokaku7/02/_index.md")).unwrap();
    assert_eq!(index, "+++\ncode = \"2\"\ntitle = \"人材育成\"\n+++\n");
    mieruka_in(&dir, &["build"]).assert_code(0);
    let page = std::fs::read_to_string(dir.join("public/gyokaku7/k7-001/index.html")).unwrap();
    assert!(page.contains("書かない窓口の導入") && page.contains("3窓口で導入"));
}
