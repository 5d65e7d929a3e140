//! A fixture-site builder for the integration tests: a small site in a
//! temporary folder, the real `mieruka` binary run against it, and its
//! diagnostics parsed back into data.
//!
//! Every test binary includes this module but uses only part of it.
#![allow(dead_code)]

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const SITE_TOML: &str = r#"title = { ja = "試験市の見える化", en = "Test City Progress" }
description = { ja = "テスト用のサイトです。", en = "A site for the tests." }
base_url = "https://example.jp/kaikaku/"
languages = ["ja", "en"]

[license]
name = { ja = "クリエイティブ・コモンズ 表示 4.0 国際", en = "Creative Commons Attribution 4.0 International" }
url = "https://creativecommons.org/licenses/by/4.0/"

[[municipalities]]
id = "testcity"
name = { ja = "試験市", en = "Test City" }
"#;

pub const DEPARTMENTS: &str = r#"municipality = "testcity"

[[departments]]
id = "joho"
name = { ja = "情報政策課", en = "Information Policy Division" }
formerly = [{ name = "情報管理課", until = 2021 }]

[[departments]]
id = "kikaku"
name = { ja = "企画課", en = "Planning Division" }
"#;

/// The plan of the standard fixture: FY2021–FY2024 (R3–R6), reporting FY2023
/// (R5), two levels (分野 › 事業), one schedule scale ◎ ○ △ —.
pub const PLAN: &str = r#"+++
id = "plan1"
municipality = "testcity"
title = "試験市行財政改革プラン"
short_title = "改革プラン"
period = { first = "R3", last = "R6" }
reporting_year = "R5"
published = "2024-09"
levels = [
  { ja = "分野", en = "Area" },
  { ja = "事業", en = "Project" },
]

[[scales]]
key = "jisshi"
name = { ja = "実施状況", en = "Implementation status" }
applies_to = "schedule"
rollup = "least_advanced"

[[scales.values]]
key = "completed"
symbols = ["◎", "完了"]
label = { ja = "完了", en = "Completed" }
meaning = { ja = "完了した", en = "Completed" }
order = 4
tone = "done"

[[scales.values]]
key = "in_progress"
symbols = ["○", "実施中"]
label = { ja = "実施中", en = "In progress" }
meaning = { ja = "実施している", en = "Being carried out" }
order = 3
tone = "progress"

[[scales.values]]
key = "not_started"
symbols = ["△", "未着手"]
label = { ja = "未着手", en = "Not started" }
order = 2
tone = "warning"

[[scales.values]]
key = "not_applicable"
symbols = ["—", "－", "-"]
label = { ja = "該当なし", en = "Not applicable" }
order = 0
tone = "neutral"
+++
試験市の計画の説明です。
"#;

pub const PLAN_EN: &str = r#"+++
title = "Test City Administrative Reform Plan"
short_title = "Reform Plan"
+++
About the test plan.
"#;

pub const SECTION_ALPHA: &str = r#"+++
code = "1"
title = "行政手続のデジタル化"
+++
分野アルファの説明。
"#;

pub const SECTION_ALPHA_EN: &str = r#"+++
title = "Digital administrative procedures"
+++
About area alpha.
"#;

pub const SECTION_BETA: &str = r#"+++
code = "2"
title = "財政の健全化"
+++
"#;

/// A fully translated initiative, ○ in FY2023, with a `→` plan cell.
pub const A1: &str = r#"+++
id = "t-001"
code = "1"
title = "電子申請の拡充"
departments = ["情報政策課"]
source = { page = 3 }

[[schedule]]
label = "オンライン手続の拡大"
[schedule.plan]
R3 = "対象手続の調査"
R4 = "システムの導入"
R5 = "→"
R6 = "—"
[schedule.status]
R3 = "◎"
R4 = "◎"
R5 = "○"
+++
## 課題・目的

手続をオンライン化する。
"#;

pub const A1_EN: &str = r#"+++
title = "Expanding online applications"

[[schedule]]
label = "More online procedures"
[schedule.plan]
R3 = "Survey of the procedures"
R4 = "Introducing the system"
R5 = "→"
R6 = "—"
+++
## Issues and purpose

Put procedures online.
"#;

/// Not translated; ◎ in FY2023.
pub const A2: &str = r#"+++
id = "t-002"
code = "2"
title = "窓口のキャッシュレス化"
departments = ["企画課"]

[[schedule]]
[schedule.plan]
R5 = "導入"
[schedule.status]
R5 = "◎"
+++
"#;

/// Two schedule rows: ○ in FY2023 (typed as its key), and one not rated in
/// FY2023 (未報告). Rolled up, the initiative is ○.
///
/// No initiative of the fixture is unrated as a whole in the reporting year:
/// the plan and department pages then panic in debug builds (`-order` with
/// `order = i64::MIN` in src/render/pages.rs, `summary` and
/// `department_page`); see the report.
pub const B1: &str = r#"+++
id = "t-003"
code = "3"
title = "公共施設の再編"
departments = ["企画課"]

[[schedule]]
label = "再編計画"
[schedule.plan]
R4 = "計画策定"
R5 = "実施"
[schedule.status]
R4 = "completed"
R5 = "in_progress"

[[schedule]]
label = "跡地活用"
[schedule.plan]
R4 = "検討"
R5 = "活用方針の決定"
[schedule.status]
R4 = "未着手"
+++
"#;

/// Nothing planned in FY2023: — (該当なし).
pub const B2: &str = r#"+++
id = "t-004"
code = "4"
title = "補助金の見直し"
departments = ["企画課"]

[[schedule]]
[schedule.plan]
R4 = "見直し方針の策定"
R5 = "—"
[schedule.status]
R4 = "○"
R5 = "—"
+++
"#;

pub const ALPHA: &str = "content/plan1/01-alpha";
pub const BETA: &str = "content/plan1/02-beta";

/// A site in a temporary folder.
pub struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    /// A folder holding nothing.
    pub fn empty() -> Site {
        Site {
            dir: tempfile::Builder::new()
                .prefix("mieruka-test")
                .tempdir()
                .expect("temp dir"),
        }
    }

    /// The standard fixture: one plan, two sections, four initiatives with
    /// five schedule rows (FY2023: ○ ◎ ○, one blank, one —), the plan, a
    /// section and an initiative
    /// translated. It is valid and `check` prints nothing (the translations
    /// record the current version of the Japanese).
    pub fn new() -> Site {
        let site = Site::empty();
        site.write("content/site.toml", SITE_TOML)
            .write("content/departments/testcity.toml", DEPARTMENTS)
            .write("content/plan1/_plan.md", PLAN)
            .write("content/plan1/_plan.en.md", PLAN_EN)
            .write(&format!("{ALPHA}/_index.md"), SECTION_ALPHA)
            .write(&format!("{ALPHA}/_index.en.md"), SECTION_ALPHA_EN)
            .write(&format!("{ALPHA}/a1.md"), A1)
            .write(&format!("{ALPHA}/a1.en.md"), A1_EN)
            .write(&format!("{ALPHA}/a2.md"), A2)
            .write(&format!("{BETA}/_index.md"), SECTION_BETA)
            .write(&format!("{BETA}/b1.md"), B1)
            .write(&format!("{BETA}/b2.md"), B2);
        site.pin_translations();
        let run = site.check();
        run.assert_code(0);
        assert!(
            run.diagnostics().is_empty(),
            "the standard fixture should check clean:\n{run}"
        );
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// Writes a file (relative to the site folder), creating its folders.
    pub fn write(&self, rel: &str, text: &str) -> &Site {
        self.write_bytes(rel, text.as_bytes())
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Site {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("create folders");
        std::fs::write(&p, bytes).unwrap_or_else(|e| panic!("writing {}: {e}", p.display()));
        self
    }

    pub fn read(&self, rel: &str) -> String {
        let p = self.path(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("reading {}: {e}", p.display()))
    }

    /// Replaces the first occurrence of `from` in a file; it must be there.
    pub fn edit(&self, rel: &str, from: &str, to: &str) -> &Site {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, &text.replacen(from, to, 1))
    }

    /// A page of the built site, e.g. `public/plan1/index.html`.
    pub fn page(&self, rel: &str) -> String {
        let p = self.path("public").join(rel);
        assert!(
            p.is_file(),
            "page {rel} was not built; public/ holds:\n{}",
            self.listing("public").join("\n")
        );
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("reading {}: {e}", p.display()))
    }

    /// Every file under a folder of the site, relative to it, sorted.
    pub fn listing(&self, rel: &str) -> Vec<String> {
        let base = self.path(rel);
        let mut out = Vec::new();
        let mut stack = vec![base.clone()];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in entries {
                let e = e.expect("dir entry");
                let p = e.path();
                if e.file_type().expect("file type").is_dir() {
                    stack.push(p);
                } else {
                    out.push(
                        p.strip_prefix(&base)
                            .expect("prefix")
                            .to_string_lossy()
                            .replace('\\', "/"),
                    );
                }
            }
        }
        out.sort();
        out
    }

    /// Every file under a folder with its bytes, sorted by path.
    pub fn snapshot(&self, rel: &str) -> Vec<(String, Vec<u8>)> {
        let base = self.path(rel);
        self.listing(rel)
            .into_iter()
            .map(|f| {
                let bytes = std::fs::read(base.join(&f)).expect("read");
                (f, bytes)
            })
            .collect()
    }

    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.root(), args)
    }

    pub fn check(&self) -> Run {
        let root = self.root().to_string_lossy().to_string();
        self.run(&["check", "--root", &root])
    }

    pub fn build(&self) -> Run {
        let root = self.root().to_string_lossy().to_string();
        self.run(&["build", "--root", &root])
    }

    /// `build`, with the date pinned by SOURCE_DATE_EPOCH (seconds since 1970).
    pub fn build_on(&self, epoch: u64) -> Run {
        let root = self.root().to_string_lossy().to_string();
        run_command(
            Command::new(env!("CARGO_BIN_EXE_mieruka"))
                .current_dir(self.root())
                .env("SOURCE_DATE_EPOCH", epoch.to_string()),
            &["build", "--root", &root],
        )
    }

    /// Sets `translates` in every English file that records none to the
    /// version `check` asks for (what a translator does once the English
    /// matches the Japanese).
    pub fn pin_translations(&self) {
        let run = self.check();
        for d in run.warnings() {
            if !d.message.contains("does not record which version") {
                continue;
            }
            let hint = d.hint.as_deref().expect("a hint with the version");
            let version = quoted(hint).expect("the version in quotes");
            let rel = d.path.clone();
            let text = self.read(&rel);
            let text = text.replacen("+++\n", &format!("+++\ntranslates = \"{version}\"\n"), 1);
            self.write(&rel, &text);
        }
    }
}

/// Runs the binary in `dir` with `args`.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    run_command(
        Command::new(env!("CARGO_BIN_EXE_mieruka")).current_dir(dir),
        args,
    )
}

/// Runs `cmd` (the binary, or a wrapper that starts it) with `args`.
pub fn run_command(cmd: &mut Command, args: &[&str]) -> Run {
    let out = cmd
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("running mieruka");
    Run {
        args: args.iter().map(|s| s.to_string()).collect(),
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs the binary in `dir` with `args`, killing it after `limit`: `None`
/// when it had to be killed (a hang is a failure, not a stuck test run).
pub fn run_in_within(dir: &Path, args: &[&str], limit: std::time::Duration) -> Option<Run> {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_mieruka"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("running mieruka");
    let (mut out, mut err) = (
        child.stdout.take().expect("stdout"),
        child.stderr.take().expect("stderr"),
    );
    let out_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for mieruka") {
            break Some(status);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    status.map(|s| Run {
        args: args.iter().map(|s| s.to_string()).collect(),
        code: s.code(),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    })
}

/// The first `"…"` of a text.
pub fn quoted(s: &str) -> Option<&str> {
    let start = s.find('"')? + 1;
    let len = s[start..].find('"')?;
    Some(&s[start..start + len])
}

/// One run of the binary.
pub struct Run {
    pub args: Vec<String>,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "mieruka {} → exit {:?}\n--- stdout ---\n{}--- stderr ---\n{}",
            self.args.join(" "),
            self.code,
            self.stdout,
            self.stderr
        )
    }
}

/// A diagnostic as printed: `path:line:column: severity: message` + `  hint: …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diag {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub severity: String,
    pub message: String,
    pub hint: Option<String>,
}

impl Diag {
    /// `path:line:column`
    pub fn at(&self) -> String {
        format!("{}:{}:{}", self.path, self.line, self.column)
    }
}

impl Run {
    /// Asserts the exit status, and that nothing panicked.
    pub fn assert_code(&self, code: i32) -> &Run {
        assert_eq!(self.code, Some(code), "unexpected exit status:\n{self}");
        self.assert_no_panic()
    }

    pub fn assert_no_panic(&self) -> &Run {
        assert_ne!(self.code, Some(101), "mieruka panicked:\n{self}");
        assert!(
            self.code.is_some(),
            "mieruka was killed by a signal:\n{self}"
        );
        assert!(
            !self.stderr.contains("panicked"),
            "mieruka panicked:\n{self}"
        );
        self
    }

    /// Every diagnostic printed on stderr, in order.
    pub fn diagnostics(&self) -> Vec<Diag> {
        let mut out: Vec<Diag> = Vec::new();
        for line in self.stderr.lines() {
            if let Some(h) = line.strip_prefix("  hint: ") {
                let last = out
                    .last_mut()
                    .unwrap_or_else(|| panic!("a hint with no diagnostic before it:\n{self}"));
                assert!(last.hint.is_none(), "two hints for one diagnostic:\n{self}");
                last.hint = Some(h.to_string());
                continue;
            }
            let Some((place, severity, message)) =
                [": error: ", ": warning: "].iter().find_map(|sep| {
                    let (place, message) = line.split_once(sep)?;
                    Some((place, sep.trim_matches([':', ' ']), message))
                })
            else {
                continue;
            };
            let mut parts = place.rsplitn(3, ':');
            let (Some(col), Some(ln), Some(path)) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            let (Ok(column), Ok(line_no)) = (col.parse(), ln.parse()) else {
                continue;
            };
            out.push(Diag {
                path: path.to_string(),
                line: line_no,
                column,
                severity: severity.to_string(),
                message: message.to_string(),
                hint: None,
            });
        }
        out
    }

    pub fn errors(&self) -> Vec<Diag> {
        self.diagnostics()
            .into_iter()
            .filter(|d| d.severity == "error")
            .collect()
    }

    pub fn warnings(&self) -> Vec<Diag> {
        self.diagnostics()
            .into_iter()
            .filter(|d| d.severity == "warning")
            .collect()
    }

    /// The only error printed; fails when there is not exactly one.
    pub fn single_error(&self) -> Diag {
        let e = self.errors();
        assert_eq!(e.len(), 1, "expected exactly one error:\n{self}");
        e.into_iter().next().expect("one")
    }
}

/// Asserts a diagnostic is an error at exactly `path:line:column`.
pub fn assert_error_at(d: &Diag, path: &str, line: usize, column: usize) {
    assert_eq!(d.severity, "error", "{d:?}");
    assert_eq!(d.at(), format!("{path}:{line}:{column}"), "{d:?}");
}

/// 1-based line and column (in characters) of the first `needle` in `text`.
pub fn position_of(text: &str, needle: &str) -> (usize, usize) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the text"));
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

/// A minimal initiative file for plan1's schedule scale.
pub fn initiative(id: &str, title: &str, r5_status: Option<&str>) -> String {
    let status = r5_status.map_or(String::new(), |s| {
        format!("[schedule.status]\nR5 = \"{s}\"\n")
    });
    format!("+++\nid = \"{id}\"\ntitle = \"{title}\"\n\n[[schedule]]\n[schedule.plan]\nR5 = \"計画\"\n{status}+++\n")
}

/// A second plan, rated the Akishima way: each initiative gets A/B/C per
/// year (`individual`), each 取組項目 (level 2) an overall rating derived
/// from them. FY2022–FY2024, reporting FY2023.
pub const PLAN2: &str = r#"+++
id = "plan2"
municipality = "testcity"
title = "評価つき計画"
period = { first = 2022, last = 2024 }
reporting_year = 2023
levels = [
  { ja = "基本方針", en = "Basic policy" },
  { ja = "取組項目", en = "Action item" },
  { ja = "取組内容", en = "Initiative" },
]

[[scales]]
key = "individual"
name = { ja = "個別評価", en = "Individual rating" }
applies_to = "initiative"

[[scales.values]]
key = "A"
symbols = ["A"]
label = { ja = "A", en = "A" }
order = 3
tone = "good"

[[scales.values]]
key = "B"
symbols = ["B"]
label = { ja = "B", en = "B" }
order = 2
tone = "progress"

[[scales.values]]
key = "C"
symbols = ["C"]
label = { ja = "C", en = "C" }
order = 1
tone = "bad"

[[scales]]
key = "overall"
name = { ja = "評価", en = "Overall rating" }
applies_to = "section"
level = 2
derive = { from = "individual", rules = [
  { value = "A", when = "C == 0 && A > B" },
  { value = "B", when = "(C == 0 && B > A) || (C > 0 && A + B > C)" },
  { value = "C", when = "C > A + B" },
] }

[[scales.values]]
key = "A"
symbols = ["A"]
label = { ja = "A", en = "A" }
order = 3
tone = "good"

[[scales.values]]
key = "B"
symbols = ["B"]
label = { ja = "B", en = "B" }
order = 2
tone = "progress"

[[scales.values]]
key = "C"
symbols = ["C"]
label = { ja = "C", en = "C" }
order = 1
tone = "bad"
+++
"#;

pub const PLAN2_TOP: &str = "content/plan2/01-top";
pub const PLAN2_MID: &str = "content/plan2/01-top/01-mid";

/// A level-2 section of plan2 with its overall rating for FY2023.
pub fn rated_section(overall_r5: &str) -> String {
    format!("+++\ncode = \"(1)\"\ntitle = \"取組項目\"\n\n[status.overall]\nR5 = \"{overall_r5}\"\n+++\n")
}

/// An initiative of plan2 with its individual rating for FY2023.
pub fn rated_initiative(id: &str, r5: &str) -> String {
    format!("+++\nid = \"{id}\"\ntitle = \"取組{id}\"\n\n[years.R5]\nstatus = \"{r5}\"\n+++\n")
}

impl Site {
    /// Adds plan2 with one 基本方針, one 取組項目 rated `overall_r5` and
    /// initiatives rated `ratings` in FY2023.
    pub fn add_rated_plan(&self, overall_r5: &str, ratings: &[&str]) -> &Site {
        self.write("content/plan2/_plan.md", PLAN2)
            .write(
                &format!("{PLAN2_TOP}/_index.md"),
                "+++\ncode = \"1\"\ntitle = \"基本方針\"\n+++\n",
            )
            .write(
                &format!("{PLAN2_MID}/_index.md"),
                &rated_section(overall_r5),
            );
        for (n, r) in ratings.iter().enumerate() {
            let id = format!("q-{}", n + 1);
            self.write(&format!("{PLAN2_MID}/{id}.md"), &rated_initiative(&id, r));
        }
        self
    }
}

/// `n` initiatives in the beta section, every other one in progress, all
/// in the planning division.
pub fn long_plan(n: usize) -> Site {
    let site = Site::new();
    for k in 0..n {
        let status = if k % 2 == 0 { "○" } else { "◎" };
        site.write(
            &format!("{BETA}/n{k:04}.md"),
            &format!(
                "+++\nid = \"n-{k:04}\"\ntitle = \"長い一覧の取組{k:04}\"\ndepartments = [\"企画課\"]\n\n\
                 [[schedule]]\n[schedule.plan]\nR5 = \"計画\"\n[schedule.status]\nR5 = \"{status}\"\n+++\n"
            ),
        );
    }
    site
}

// ---- reading built pages ----

/// Decodes the character references Tera and ammonia write (`&#x2F;`, `&#32;`,
/// `&amp;` …) so that tests can compare text and addresses.
pub fn decode(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The text of some HTML: tags removed, references decoded, spaces collapsed.
pub fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    decode(&out)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The part of `html` from the first `start` to the next `end` after it.
pub fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html
        .find(start)
        .unwrap_or_else(|| panic!("{start:?} not found in:\n{html}"));
    let j = html[i..]
        .find(end)
        .unwrap_or_else(|| panic!("{end:?} not found after {start:?}"));
    &html[i..i + j + end.len()]
}

/// Every badge in some HTML as (symbol, label), in order.
pub fn badges(html: &str) -> Vec<(String, String)> {
    html.split("<span class=\"badge tone-")
        .skip(1)
        .map(|b| {
            let symbol = b
                .split_once("<span class=\"badge-symbol\" aria-hidden=\"true\">")
                .filter(|(before, _)| !before.contains("badge-label"))
                .map(|(_, s)| text_of(&s[..s.find("</span>").unwrap_or(0)]))
                .unwrap_or_default();
            let label = b
                .split_once("<span class=\"badge-label\">")
                .map(|(_, s)| text_of(&s[..s.find("</span>").unwrap_or(0)]))
                .unwrap_or_default();
            (symbol, label)
        })
        .collect()
}

/// The `href` of every link in some HTML, decoded, in order.
pub fn hrefs(html: &str) -> Vec<String> {
    html.split(" href=\"")
        .skip(1)
        .map(|s| decode(&s[..s.find('"').unwrap_or(0)]))
        .collect()
}

/// Resolves a relative link found on the page at `page` (a path under
/// public/, e.g. `plan1/t-001/index.html`) to a path under public/.
pub fn resolve(page: &str, href: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                assert!(parts.pop().is_some(), "{href} leaves the site from {page}");
            }
            s => parts.push(s),
        }
    }
    let mut path = parts.join("/");
    if href.ends_with('/') || path.is_empty() {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    path
}

/// The counts table of a page (`<table class="counts">`) as rows of cell
/// texts; the first row is the header.
pub fn counts_table(html: &str) -> Vec<Vec<String>> {
    let table = between(html, "<table class=\"counts\">", "</table>");
    table
        .split("<tr>")
        .skip(1)
        .map(|row| {
            let row = &row[..row.find("</tr>").unwrap_or(row.len())];
            row.split("</t")
                .filter_map(|c| c.rfind("<t").map(|i| text_of(&format!("{}>", &c[i..]))))
                .collect()
        })
        .collect()
}

/// The cell of `table` in the row whose first cell is `row` and the column
/// whose header is `column`.
pub fn cell(table: &[Vec<String>], row: &str, column: &str) -> String {
    let col = table[0]
        .iter()
        .position(|h| h == column)
        .unwrap_or_else(|| panic!("no column {column} in {:?}", table[0]));
    let r = table
        .iter()
        .find(|r| r.first().is_some_and(|c| c == row))
        .unwrap_or_else(|| panic!("no row {row} in {table:?}"));
    r[col].clone()
}
