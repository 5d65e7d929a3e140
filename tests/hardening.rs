//! What a careless or hostile staff member can type or point at: nothing
//! may destroy files, hang a build, read outside the site or publish a
//! script. Each test here failed before the fix it guards.

mod common;

use common::*;
use std::time::Duration;

/// Long enough for a debug build of a fixture site on a loaded machine;
/// a hang is what these tests catch, not slowness.
const LIMIT: Duration = Duration::from_secs(120);

const PLAN_FILE: &str = "content/plan1/_plan.md";

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

/// A build of `site` that must succeed.
fn builder(site: &Site) -> impl Fn() + '_ {
    let root = root_of(site);
    move || {
        within(site, &["build", "--root", &root]).assert_code(0);
    }
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
        ("content", "is content/ or a folder inside it"),
        ("content/plan1", "is content/ or a folder inside it"),
        ("themes", "is themes/ or a folder inside it"),
        ("themes/mine", "is themes/ or a folder inside it"),
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

/// `check` and `build` both reject the site, each within the time limit,
/// with an error at `path` whose message contains `expect`; nothing is
/// written.
fn rejected_at(site: &Site, path: &str, expect: &str) -> Diag {
    let root = root_of(site);
    let mut found = None;
    for cmd in ["check", "build"] {
        let run = within(site, &[cmd, "--root", &root]);
        assert_eq!(run.code, Some(1), "{cmd}: {run}");
        run.assert_no_panic();
        let e = run
            .errors()
            .into_iter()
            .find(|e| e.path == path && e.message.contains(expect))
            .unwrap_or_else(|| panic!("{cmd}: no error at {path} saying {expect:?}:\n{run}"));
        assert!(e.hint.is_some(), "{cmd}: no hint: {e:?}");
        found = Some(e);
    }
    assert!(
        !site.path("public").exists(),
        "a rejected site was published"
    );
    found.expect("an error")
}

// ── 3. Pipes and other non-regular files ─────────────────────────────────

#[cfg(unix)]
fn mkfifo(site: &Site, rel: &str) {
    let path = site.path(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let ok = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .expect("mkfifo")
        .success();
    assert!(ok, "mkfifo {rel}");
}

#[cfg(unix)]
#[test]
fn a_pipe_named_like_a_content_file_is_an_error_not_a_hang() {
    for rel in [
        format!("{ALPHA}/pipe.md"),
        format!("{ALPHA}/a1.en.md"),
        "content/plan1/indicators/k9.md".to_string(),
        "content/departments/pipe.toml".to_string(),
    ] {
        let site = Site::new();
        if rel.ends_with("a1.en.md") {
            std::fs::remove_file(site.path(&rel)).unwrap();
        }
        mkfifo(&site, &rel);
        rejected_at(&site, &rel, "not an ordinary file");
    }
}

// ── 7. Nothing from outside the site folder ──────────────────────────────

#[cfg(unix)]
#[test]
fn links_out_of_the_site_are_errors_and_links_inside_are_fine() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.md");
    std::fs::write(&secret, initiative("t-900", "SECRET-OUTSIDE", None)).unwrap();
    let site = Site::new();
    let link = format!("{ALPHA}/leak.md");
    std::os::unix::fs::symlink(&secret, site.path(&link)).unwrap();
    let e = rejected_at(&site, &link, "outside the site folder");
    assert!(e.message.contains("secret.md"), "{e:?}");

    // A folder of links (an indicators folder linked from elsewhere).
    let site = Site::new();
    let ind = outside.path().join("indicators");
    std::fs::create_dir_all(&ind).unwrap();
    std::fs::write(ind.join("k1.md"), "+++\nid = \"k1\"\nname = \"x\"\n+++\n").unwrap();
    std::os::unix::fs::symlink(&ind, site.path("content/plan1/indicators")).unwrap();
    rejected_at(
        &site,
        "content/plan1/indicators/k1.md",
        "outside the site folder",
    );

    // A link that stays inside the site folder is followed.
    let site = Site::new();
    site.write("shared/t-901.md", &initiative("t-901", "共有の取組", None));
    std::os::unix::fs::symlink(
        site.path("shared/t-901.md"),
        site.path(&format!("{ALPHA}/t-901.md")),
    )
    .unwrap();
    within(&site, &["build", "--root", &root_of(&site)]).assert_code(0);
    assert!(site.page("plan1/t-901/index.html").contains("共有の取組"));
}

#[test]
fn a_theme_is_a_folder_of_the_site_never_a_path() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(outside.path().join("static")).unwrap();
    std::fs::write(outside.path().join("static/secret.txt"), "SECRET").unwrap();
    let abs = outside.path().to_string_lossy().to_string();
    for theme in [abs.as_str(), "../../etc", "a/b", "", "..", "C:\\\\Windows"] {
        let site = Site::new();
        let text = format!("{SITE_TOML}theme = \"{theme}\"\n");
        // The key must come before the tables.
        let text = text.replacen(
            "languages = [\"ja\", \"en\"]\n",
            &format!("languages = [\"ja\", \"en\"]\ntheme = \"{theme}\"\n"),
            1,
        );
        let text = text
            .trim_end()
            .rsplit_once('\n')
            .map(|(a, _)| format!("{a}\n"))
            .unwrap();
        site.write("content/site.toml", &text);
        let e = rejected_at(
            &site,
            "content/site.toml",
            "is not the name of a folder in themes/",
        );
        let (line, _) = position_of(&text, "theme = ");
        assert_eq!(e.line, line, "{theme}: {e:?}");
    }
}

#[cfg(unix)]
#[test]
fn a_theme_folder_linked_from_outside_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    let site = Site::new();
    // A complete theme, copied from the default, then moved outside.
    let default = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    copy_dir(&default, &outside.path().join("mine"));
    std::fs::write(outside.path().join("mine/static/secret.txt"), "SECRET").unwrap();
    std::fs::create_dir_all(site.path("themes")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("mine"), site.path("themes/mine")).unwrap();
    site.edit(
        "content/site.toml",
        "languages = [\"ja\", \"en\"]\n",
        "languages = [\"ja\", \"en\"]\ntheme = \"mine\"\n",
    );
    let run = within(&site, &["build", "--root", &root_of(&site)]);
    assert_eq!(run.code, Some(1), "{run}");
    assert!(run.stderr.contains("outside the site folder"), "{run}");
    assert!(!site.path("public").exists());
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

// ── 8. Names Windows cannot hold; ids too long for a file name ───────────

#[test]
fn ids_windows_cannot_hold_or_too_long_are_errors_at_the_id() {
    let long = "a".repeat(300);
    for id in ["CON", "aux", "Nul", "com1", "LPT9", "prn", long.as_str()] {
        let site = Site::new();
        let rel = format!("{ALPHA}/a9.md");
        let text = initiative(id, "名前の試験", None);
        site.write(&rel, &text);
        let e = rejected_at(
            &site,
            &rel,
            if id.len() > 64 {
                "at most 64"
            } else {
                "Windows reserves"
            },
        );
        let (line, column) = position_of(&text, &format!("\"{id}\""));
        assert_eq!((e.line, e.column), (line, column), "{id}: {e:?}");
    }
}

#[test]
fn file_and_folder_names_windows_cannot_hold_are_errors() {
    for (rel, expect) in [
        (format!("{ALPHA}/aux.md"), "Windows reserves"),
        (format!("{ALPHA}/con.en.md"), "Windows reserves"),
        (
            "content/plan1/con/_index.md".to_string(),
            "Windows reserves",
        ),
        (
            "content/plan1/03-gamma./_index.md".to_string(),
            "ends with a dot or a space",
        ),
        (
            "content/plan1/03-gamma /_index.md".to_string(),
            "ends with a dot or a space",
        ),
        (format!("{ALPHA}/a:b.md"), "does not allow"),
    ] {
        let site = Site::new();
        site.write(&rel, &initiative("t-950", "名前", None));
        let named = if rel.ends_with("_index.md") {
            rel.trim_end_matches("/_index.md").to_string()
        } else {
            rel.clone()
        };
        rejected_at(&site, &named, expect);
    }
}

// ── 9. A folder that cannot be read says so ──────────────────────────────

/// Runs `mieruka` as an unprivileged user (root reads every folder), or as
/// the current user when that is not root.
#[cfg(unix)]
fn run_unprivileged(args: &[&str]) -> Run {
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let mut cmd = if is_root {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(env!("CARGO_BIN_EXE_mieruka"));
        c
    } else {
        std::process::Command::new(env!("CARGO_BIN_EXE_mieruka"))
    };
    run_command(cmd.current_dir("/"), args)
}

#[cfg(unix)]
#[test]
fn an_unreadable_folder_is_reported_as_unreadable() {
    use std::os::unix::fs::PermissionsExt;
    let site = Site::new();
    // Readable by everyone, then one section folder by no one.
    for e in walkdir_all(site.root()) {
        let mode = if e.is_dir() { 0o755 } else { 0o644 };
        std::fs::set_permissions(&e, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    std::fs::set_permissions(site.path(BETA), std::fs::Permissions::from_mode(0o000)).unwrap();
    let root = root_of(&site);
    let run = run_unprivileged(&["check", "--root", &root]);
    std::fs::set_permissions(site.path(BETA), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(run.code, Some(1), "{run}");
    let errors = run.errors();
    assert!(
        errors
            .iter()
            .any(|e| e.path == BETA && e.message.contains("cannot read this folder")),
        "{run}"
    );
    assert!(!run.stderr.contains("has no _index.md"), "{run}");
}

#[cfg(unix)]
fn walkdir_all(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![dir.to_path_buf()];
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.file_type().unwrap().is_dir() {
            out.extend(walkdir_all(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out
}

// ── 10. A size limit on content files ────────────────────────────────────

#[test]
fn a_content_file_over_the_limit_is_refused() {
    let site = Site::new();
    let rel = format!("{ALPHA}/huge.md");
    let mut text = initiative("t-990", "大きな取組", None);
    let line = "あいうえおかきくけこ".repeat(10) + "\n";
    while text.len() < 5 * 1024 * 1024 {
        text.push_str(&line);
    }
    site.write(&rel, &text);
    let e = rejected_at(&site, &rel, "content files may be at most 4 MB");
    assert!(e.message.contains("5.0 MB"), "{e:?}");
    // Under the limit is fine.
    let mut text = initiative("t-990", "大きな取組", None);
    while text.len() < 3 * 1024 * 1024 {
        text.push_str(&line);
    }
    site.write(&rel, &text);
    within(&site, &["check", "--root", &root_of(&site)]).assert_code(0);
}

// ── 5. Only http:, https:, mailto: and site paths in URL fields ───────────

/// Hostile or broken addresses, as TOML strings (escapes are TOML's).
const BAD_URLS: &[&str] = &[
    r#"" JaVaScRiPt:alert(1)""#,
    r#""java\tscript:alert(1)""#,
    r#""javascript:alert(1)""#,
    r#""\u0001javascript:alert(1)""#,
    r#""data:text/html,<script>alert(1)</script>""#,
    r#""vbscript:msgbox(1)""#,
    r#""//evil.example/x""#,
    r#""www.city.example.jp/plan.html""#,
    r#""https://""#,
    r#""file:///etc/passwd""#,
];

#[test]
fn url_fields_accept_only_web_and_mail_addresses() {
    let places: [(&str, &str, &str); 3] = [
        (
            "content/site.toml",
            "url = \"https://creativecommons.org/licenses/by/4.0/\"",
            "url = {}",
        ),
        (
            "content/site.toml",
            "[[municipalities]]",
            "[contact]\nname = { ja = \"企画課\", en = \"Planning\" }\nurl = {}\n\n[[municipalities]]",
        ),
        (
            PLAN_FILE,
            "levels = [",
            "source = { title = \"計画書\", url = {} }\nlevels = [",
        ),
    ];
    for (rel, anchor, template) in places {
        for bad in BAD_URLS {
            let site = Site::new();
            let replacement = template.replace("{}", bad);
            site.edit(rel, anchor, &replacement);
            let text = site.read(rel);
            let e = rejected_at(&site, rel, "");
            let (line, column) = position_of(&text, bad);
            assert_eq!((e.line, e.column), (line, column), "{rel} {bad}: {e:?}");
            assert!(
                e.hint.as_deref().unwrap_or("").contains("https://"),
                "{e:?}"
            );
        }
    }
    // And the e-mail address, which becomes a mailto: link.
    for bad in [
        r#""a@b?cc=x@y""#,
        r#""javascript:alert(1)//@x""#,
        r#""a b@c""#,
    ] {
        let site = Site::new();
        let contact = format!("[contact]\nname = {{ ja = \"企画課\", en = \"Planning\" }}\nemail = {bad}\n\n[[municipalities]]");
        site.edit("content/site.toml", "[[municipalities]]", &contact);
        rejected_at(&site, "content/site.toml", "is not an e-mail address");
    }
}

#[test]
fn web_mail_and_site_addresses_are_linked() {
    let site = Site::new();
    site.edit(
        "content/site.toml",
        "[[municipalities]]",
        "[contact]\nname = { ja = \"企画課\", en = \"Planning\" }\nemail = \"kikaku@city.example.jp\"\nurl = \"HTTPS://www.city.example.jp/kikaku/\"\n\n[[municipalities]]",
    )
    .edit(
        PLAN_FILE,
        "levels = [",
        "source = { title = \"計画書\", url = \"/pdf/plan.pdf\" }\nlevels = [",
    );
    within(&site, &["build", "--root", &root_of(&site)]).assert_code(0);
    let home = site.page("index.html");
    let links = hrefs(&home);
    for want in [
        "mailto:kikaku@city.example.jp",
        "HTTPS://www.city.example.jp/kikaku/",
        "https://creativecommons.org/licenses/by/4.0/",
    ] {
        assert!(links.iter().any(|h| h == want), "{want} not in {links:?}");
    }
    assert!(hrefs(&site.page("plan1/index.html"))
        .iter()
        .any(|h| h == "/pdf/plan.pdf"));
}

// ── 6. CSV cells that Excel would run as formulas ────────────────────────

/// The cells of a CSV text (RFC 4180 quoting).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for line in text
        .trim_start_matches('\u{feff}')
        .split("\r\n")
        .filter(|l| !l.is_empty())
    {
        let (mut cells, mut cell, mut quoted) = (Vec::new(), String::new(), false);
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, quoted) {
                ('"', true) if chars.peek() == Some(&'"') => {
                    cell.push('"');
                    chars.next();
                }
                ('"', _) => quoted = !quoted,
                (',', false) => cells.push(std::mem::take(&mut cell)),
                (c, _) => cell.push(c),
            }
        }
        cells.push(cell);
        rows.push(cells);
    }
    rows
}

#[test]
fn csv_text_cells_never_start_a_formula_and_numbers_stay_numbers() {
    let site = Site::new();
    site.write(
        "content/plan1/indicators/k1.md",
        r#"+++
id = "k1"
name = "=HYPERLINK(""http://evil.example"",""x"")"
unit = { ja = "円", en = "yen" }
initiative = "t-001"
direction = "higher"
baseline = { year = "R3", value = "▲5,000円", note = "+cmd|' /C calc'!A0" }

[[observations]]
year = "R4"
value = -2
note = "@SUM(1+1)"

[[observations]]
year = "R5"
value = "-3円"
note = "-2+3"
+++
"#
        .replace("\"\"", "\\\"")
        .as_str(),
    );
    within(&site, &["build", "--root", &root_of(&site)]).assert_code(0);
    for csv in [
        "public/plan1/indicators/k1.csv",
        "public/plan1/indicators/indicators.csv",
        "public/en/plan1/indicators/k1.csv",
    ] {
        let rows = csv_rows(&site.read(csv));
        assert_eq!(rows.len(), 4, "{csv}: {rows:?}");
        for row in &rows[1..] {
            for (i, cell) in row.iter().enumerate() {
                let numeric = matches!(i, 4 | 6);
                if !numeric {
                    assert!(
                        !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                        "{csv}: column {i} starts a formula: {cell:?} in {row:?}"
                    );
                }
            }
        }
        let values: Vec<&str> = rows[1..].iter().map(|r| r[6].as_str()).collect();
        assert_eq!(values, ["-5000", "-2", "-3"], "{csv}: numbers stay numbers");
        assert_eq!(
            rows[1][1], "'=HYPERLINK(\"http://evil.example\",\"x\")",
            "{csv}"
        );
        assert_eq!(rows[1][9], "'+cmd|' /C calc'!A0", "{csv}");
        assert_eq!(rows[2][9], "'@SUM(1+1)", "{csv}");
        assert_eq!(rows[3][5], "'-3円", "{csv}: the value as printed is text");
        assert_eq!(rows[3][9], "'-2+3", "{csv}");
    }
}

// ── Text nested so deep that sanitising it never ends ────────────────────

#[test]
fn deeply_nested_text_is_an_error_not_a_hang() {
    for (what, deep) in [
        ("quotes", "> ".repeat(100_000) + "深い"),
        ("lists", "- ".repeat(50_000) + "深い"),
        ("html", "<div>".repeat(100_000)),
    ] {
        let site = Site::new();
        let rel = format!("{ALPHA}/deep.md");
        let text = format!(
            "{}\n本文\n\n{deep}\n",
            initiative("t-960", "深い入れ子", None)
        );
        site.write(&rel, &text);
        let e = rejected_at(&site, &rel, "more than 40 levels deep");
        let (line, _) = position_of(&text, &deep[..20]);
        assert_eq!(e.line, line, "{what}: {e:?}");
    }
}

// ── Derivation rules the evaluator cannot survive ────────────────────────

#[test]
fn rules_too_long_or_too_deep_are_errors_not_a_crash() {
    let deep = format!("{}C > A + B{}", "(".repeat(100_000), ")".repeat(100_000));
    let nested = format!("{}C > 0{}", "(".repeat(9), ")".repeat(9));
    let call = "str::len(\"xxxxxxxx\") > 0".to_string();
    for (rule, expect) in [
        (&deep, "longer than 200 characters"),
        (&nested, "more than 8 levels deep"),
        (&call, "is not allowed in a rule"),
    ] {
        let site = Site::new();
        site.add_rated_plan("B", &["A", "B"]);
        let rel = "content/plan2/_plan.md";
        site.edit(
            rel,
            "\"(C == 0 && B > A) || (C > 0 && A + B > C)\"",
            &format!("{rule:?}"),
        );
        let e = rejected_at(&site, rel, expect);
        assert!(
            e.message.len() < 300,
            "the message quotes a whole rule: {e:?}"
        );
    }
}

#[test]
fn the_spare_output_is_written_over_but_never_through_a_link() {
    let site = Site::new();
    let build = builder(&site);
    build();
    build();
    assert!(site.path(".public.spare/index.html").is_file());
    // A file the build does not write again is gone from what it publishes.
    site.write(".public.spare/stray.html", "old");
    build();
    assert!(!site.path("public/stray.html").exists());
    build();
    assert!(!site.path("public/stray.html").exists());
    // Links planted in the spare are not written through.
    site.write("victim.txt", "keep me");
    std::fs::remove_file(site.path(".public.spare/index.html")).unwrap();
    std::os::unix::fs::symlink(
        site.path("victim.txt"),
        site.path(".public.spare/index.html"),
    )
    .unwrap();
    build();
    assert_eq!(site.read("victim.txt"), "keep me");
    assert!(!site.path("public/index.html").is_symlink());
    build();
    std::fs::remove_file(site.path(".public.spare/index.html")).unwrap();
    std::fs::hard_link(
        site.path("victim.txt"),
        site.path(".public.spare/index.html"),
    )
    .unwrap();
    build();
    assert_eq!(site.read("victim.txt"), "keep me");
}

#[test]
fn a_file_reused_from_the_spare_ends_up_exactly_as_written_and_new_in_time() {
    let site = Site::new();
    let build = builder(&site);
    build();
    build();
    let pages = ["index.html", "en/index.html", "search/index.html"];
    let expected: Vec<String> = pages
        .iter()
        .map(|p| site.read(&format!("public/{p}")))
        .collect();
    // The spare's copies: one longer than the page, one as long but
    // different, one the same but old.
    let spare = |p: &str| format!(".public.spare/{p}");
    site.write(
        &spare(pages[0]),
        &format!("{}<!-- stale tail -->", expected[0]),
    );
    site.write(&spare(pages[1]), &expected[1].replacen('<', "!", 1));
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(946_684_800);
    std::fs::File::options()
        .write(true)
        .open(site.path(&spare(pages[2])))
        .unwrap()
        .set_modified(old)
        .unwrap();
    build();
    for (p, want) in pages.iter().zip(&expected) {
        assert_eq!(&site.read(&format!("public/{p}")), want, "{p}");
    }
    let modified = std::fs::metadata(site.path(&format!("public/{}", pages[2])))
        .unwrap()
        .modified()
        .unwrap();
    assert!(
        modified > old + std::time::Duration::from_secs(86_400),
        "an unchanged page kept its old time, so a web server could answer 'not modified' for it"
    );
}

#[test]
fn what_the_spare_held_and_this_build_did_not_write_is_gone_from_the_output() {
    let site = Site::new();
    let build = builder(&site);
    build();
    build();
    let written = site.listing("public");
    assert!(written.iter().any(|f| f == "plan1/t-002/index.html"));
    // Left in the spare: a stale file beside written ones, a folder tree
    // of stale files, a folder tree with nothing in it.
    site.write(".public.spare/plan1/stale.html", "old");
    site.write(".public.spare/gone/deep/x.html", "old");
    site.write(".public.spare/gone/y.css", "old");
    std::fs::create_dir_all(site.path(".public.spare/empty/inner")).unwrap();
    // And an initiative removed since: its page, two builds old, is in the spare.
    std::fs::remove_file(site.path(&format!("{ALPHA}/a2.md"))).unwrap();
    build();
    // The same as a build into a folder of its own, file for file.
    let fresh = tempfile::tempdir().unwrap();
    let fresh_out = fresh.path().join("out").to_string_lossy().to_string();
    within(
        &site,
        &["build", "--root", &root_of(&site), "--out", &fresh_out],
    )
    .assert_code(0);
    let from_scratch: Vec<String> = walkdir::WalkDir::new(&fresh_out)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(&fresh_out).unwrap();
            rel.to_string_lossy().replace('\\', "/")
        })
        .collect();
    let mut now = site.listing("public");
    now.sort();
    let mut from_scratch = from_scratch;
    from_scratch.sort();
    assert_eq!(now, from_scratch);
    assert!(written.len() > now.len(), "the removed initiative's pages");
    for gone in ["gone", "empty", "plan1/t-002", "plan1/stale.html"] {
        assert!(!site.path(&format!("public/{gone}")).exists(), "{gone}");
    }
    assert!(site.path("public/plan1/index.html").is_file());
}

// ── Issue 26, item 6: a damaged spare never fails a build ────────────────

/// The output as a build into a fresh folder makes it.
fn fresh_output(site: &Site) -> Vec<(String, Vec<u8>)> {
    site.snapshot("public")
        .into_iter()
        .filter(|(p, _)| !p.ends_with(".mieruka-output"))
        .collect()
}

#[cfg(unix)]
#[test]
fn a_damaged_spare_is_replaced_and_the_build_succeeds() {
    use std::os::unix::ffi::OsStrExt;
    let site = Site::new();
    let build = builder(&site);
    build();
    let expected = fresh_output(&site);
    type Damage<'a> = (&'a str, &'a dyn Fn(&Site));
    let damage: [Damage; 4] = [
        ("a file where a folder is", &|s: &Site| {
            std::fs::remove_dir_all(s.path(".public.spare/en")).unwrap();
            s.write(".public.spare/en", "not a folder");
        }),
        ("a folder where a file is", &|s: &Site| {
            std::fs::remove_file(s.path(".public.spare/index.html")).unwrap();
            std::fs::create_dir_all(s.path(".public.spare/index.html/x")).unwrap();
        }),
        ("a name that is not UTF-8", &|s: &Site| {
            let name = std::ffi::OsStr::from_bytes(b"bad-\xff\xfe.html");
            std::fs::write(s.path(".public.spare").join(name), "x").unwrap();
        }),
        ("the spare a file", &|s: &Site| {
            std::fs::remove_dir_all(s.path(".public.spare")).unwrap();
            s.write(".public.spare", "not a folder");
        }),
    ];
    for (what, damage) in damage {
        build();
        assert!(site.path(".public.spare").is_dir(), "{what}");
        damage(&site);
        let root = root_of(&site);
        within(&site, &["build", "--root", &root]).assert_code(0);
        assert_eq!(fresh_output(&site), expected, "{what}");
        assert!(leftovers(site.root()).is_empty(), "{what}");
        // And the build after it reuses a good spare again.
        build();
        assert_eq!(fresh_output(&site), expected, "{what}");
    }
}

#[cfg(unix)]
#[test]
fn a_spare_of_another_user_is_left_alone_and_nothing_is_left_behind() {
    use std::os::unix::fs::PermissionsExt;
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if !is_root {
        eprintln!("skipped: needs root to make a spare of another user");
        return;
    }
    let site = Site::new();
    builder(&site)();
    builder(&site)();
    // The site is the unprivileged user's, the spare root's.
    for e in walkdir_all(site.root()) {
        let spare = e.starts_with(site.path(".public.spare"));
        let mode = if e.is_dir() { 0o755 } else { 0o644 };
        std::fs::set_permissions(&e, std::fs::Permissions::from_mode(mode)).unwrap();
        if !spare {
            std::os::unix::fs::chown(&e, Some(65534), Some(65534)).unwrap();
        }
    }
    let root = root_of(&site);
    let run = run_unprivileged(&["build", "--no-search", "--root", &root]);
    assert_eq!(run.code, Some(0), "{run}");
    assert!(run.stderr.contains(".public.spare"), "{run}");
    assert!(leftovers(site.root()).is_empty(), "{run}");
    assert!(site.path("public/index.html").is_file());
}
