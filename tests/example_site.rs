//! The example site in `content/` builds cleanly, and the counts on its pages
//! match the published documents (figures from shared/docs/seeds.md).

use std::path::{Path, PathBuf};
use std::process::Command;

fn build_example() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = Command::new(env!("CARGO_BIN_EXE_mieruka"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        o.status.success(),
        "example site failed to build:\n{stderr}"
    );
    assert!(
        !stderr.contains("warning"),
        "example site has warnings:\n{stderr}"
    );
    (tmp, out)
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The rows (cell texts) of the counts table whose caption is `caption（…）`.
fn counts(html: &str, caption: &str) -> Vec<Vec<String>> {
    let want = format!("{caption}（");
    let start = html
        .match_indices("<table class=\"counts\">")
        .map(|(i, _)| i)
        .find(|&i| {
            let end = i + html[i..].find("</caption>").unwrap();
            strip_tags(&html[i..end]).starts_with(&want)
        })
        .unwrap_or_else(|| panic!("no counts table {caption}"));
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    table
        .split("<tr>")
        .skip(1)
        .map(|row| {
            let row = &row[..row.find("</tr>").unwrap_or(row.len())];
            row.split("</t")
                .filter_map(|c| c.rfind("<t").map(|i| strip_tags(&format!("{}>", &c[i..]))))
                .collect()
        })
        .collect()
}

/// The cell in column `col` of the row whose first cell is or ends with `status`.
fn cell(rows: &[Vec<String>], status: &str, col: usize) -> String {
    let row = rows
        .iter()
        .find(|r| {
            r.first()
                .is_some_and(|c| c == status || c.ends_with(&format!(" {status}")))
        })
        .unwrap_or_else(|| panic!("no row {status} in {rows:?}"));
    row[col].clone()
}

fn read(out: &Path, p: &str) -> String {
    std::fs::read_to_string(out.join(p)).unwrap_or_else(|e| panic!("{p}: {e}"))
}

#[test]
fn example_counts_match_the_documents() {
    let (_tmp, out) = build_example();

    // 000: FY2023 over 105 schedule rows: 90 ○, 5 ◎, 4 △, 1 ×, 3 —, 2 blank.
    let html = read(&out, "musashino-gyokaku6/index.html");
    let rows = counts(&html, "実施状況");
    assert_eq!(rows[0][3], "令和5年度");
    for (status, n) in [
        ("○ 実施中", "90"),
        ("◎ 完了", "5"),
        ("△ 未着手", "4"),
        ("× 中止", "1"),
        ("— 該当なし", "3"),
        ("未報告", "2"),
        ("合計", "105"),
    ] {
        assert_eq!(cell(&rows, status, 3), n, "000 FY2023 {status}");
    }

    // 001: FY2023 23/15/3/1, FY2024 24/11/7/0.
    let html = read(&out, "musashino-johoka7/index.html");
    let rows = counts(&html, "達成状況");
    for (status, a, b) in [
        ("達成", "23", "24"),
        ("概ね達成", "15", "11"),
        ("一部のみ達成", "3", "7"),
        ("未達成", "1", "0"),
    ] {
        assert_eq!(cell(&rows, status, 1), a, "001 FY2023 {status}");
        assert_eq!(cell(&rows, status, 2), b, "001 FY2024 {status}");
    }

    // 002: individual FY2023 A 23 B 29, FY2024 A 29 B 23 C 0;
    // overall FY2023 A 7 B 11, FY2024 A 10 B 8.
    let html = read(&out, "akishima-gyozaisei/index.html");
    let ind = counts(&html, "個別評価");
    assert_eq!(ind[0][2], "令和5年度");
    assert_eq!(
        (cell(&ind, "A", 2), cell(&ind, "B", 2)),
        ("23".into(), "29".into())
    );
    assert_eq!(
        (cell(&ind, "A", 3), cell(&ind, "B", 3), cell(&ind, "C", 3)),
        ("29".into(), "23".into(), "0".into())
    );
    let overall = counts(&html, "評価");
    assert_eq!(
        (cell(&overall, "A", 2), cell(&overall, "B", 2)),
        ("7".into(), "11".into())
    );
    assert_eq!(
        (cell(&overall, "A", 3), cell(&overall, "B", 3)),
        ("10".into(), "8".into())
    );
}

#[test]
fn example_has_every_initiative_in_both_languages() {
    let (_tmp, out) = build_example();
    for (plan, prefix, n) in [
        ("musashino-gyokaku6", "gyokaku6-", 77),
        ("musashino-johoka7", "johoka7-", 42),
        ("akishima-gyozaisei", "akishima-", 52),
    ] {
        for lang in ["", "en/"] {
            let dir = out.join(format!("{lang}{plan}"));
            let pages = std::fs::read_dir(&dir)
                .unwrap()
                .filter_map(Result::ok)
                .filter(|e| {
                    e.file_name().to_string_lossy().starts_with(prefix)
                        && e.path().join("index.html").is_file()
                })
                .count();
            assert_eq!(pages, n, "{lang}{plan}");
        }
    }
    let en = read(&out, "en/musashino-gyokaku6/gyokaku6-002/index.html");
    assert!(en.contains("FY2023"));
    assert!(en.contains("class=\"notice notice-untranslated\""));
    let ja = read(&out, "musashino-gyokaku6/gyokaku6-002/index.html");
    assert!(ja.contains("令和5年度（2023年度）"));
}

#[test]
fn example_indicators_match_the_white_paper() {
    let (_tmp, out) = build_example();
    // 英語版ホームページのアクセス件数: 34,677 → 60,359 → 293,478 → 202,850, target 400,000件 by FY2022.
    let p = read(&out, "mitaka-kihon4/indicators/mitaka-k4-i-01/index.html");
    let table = strip_tags(&p[p.find("<table class=\"data\">").unwrap()..]);
    for v in [
        "34,677件",
        "60,359件",
        "293,478件",
        "202,850件",
        "400,000件",
    ] {
        assert!(table.contains(v), "{v} in {table}");
    }
    let en = read(
        &out,
        "en/mitaka-kihon4/indicators/mitaka-k4-i-01/index.html",
    );
    assert!(strip_tags(&en).contains(
        "Target: 400,000 visits (judged as 400,000 or more visits, from the indicator's direction (Higher is better): the report states no bound) by FY2022. Latest 202,850 visits in FY2020: 46% of the way from the FY2010 baseline."
    ));
    // 保育園待機児童の解消: 243 → 179 → 190 → 92, target 0人, lower is better.
    let p = read(&out, "mitaka-kihon4/indicators/mitaka-k4-i-49/index.html");
    let text = strip_tags(&p);
    assert!(text.contains("保育園待機児童の解消"));
    assert!(text.contains("数値が小さいほど良い"));
    for v in ["243人", "179人", "190人", "92人", "0人以下として判定"] {
        assert!(text.contains(v), "{v}");
    }
    assert!(text.contains("62%"), "progress from 243 toward 0");
    // Every indicator of the basic plan is listed on its index: 68.
    let index = read(&out, "mitaka-kihon4/indicators/index.html");
    assert_eq!(index.matches("<li class=\"indicator-row\">").count(), 68);
    let index = read(&out, "mitaka-senryaku/indicators/index.html");
    assert!(index.matches("<li class=\"indicator-row\">").count() >= 13);
}

/// Every HTML file under `dir`.
fn html_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.into_path())
        .collect()
}

/// Headings, breadcrumbs, tree and result titles of a page: `<h1>`–`<h4>`
/// and links, as text.
fn titles(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (open, close) in [
        ("<h1", "</h1>"),
        ("<h2", "</h2>"),
        ("<h3", "</h3>"),
        ("<h4", "</h4>"),
        ("<a ", "</a>"),
    ] {
        let mut rest = html;
        while let Some(i) = rest.find(open) {
            let after = &rest[i..];
            let Some(j) = after.find(close) else { break };
            out.push(strip_tags(&after[..j]).trim().to_string());
            rest = &after[j..];
        }
    }
    out
}

#[test]
fn english_headings_have_no_japanese_code_prefixes() {
    let (_tmp, out) = build_example();
    // Codes that follow a pattern: 第N部, 第N, 基本方針N, 基本目標N, ①, ⑤ーア.
    let japanese_code = |t: &str| {
        let first = t.split_whitespace().next().unwrap_or("");
        let c = first.chars().next().unwrap_or(' ');
        ('\u{2460}'..='\u{2473}').contains(&c)
            || (first.starts_with('第')
                && first
                    .chars()
                    .nth(1)
                    .is_some_and(|d| d.is_ascii_digit() || "一二三四五六七八九十".contains(d)))
            || ["基本方針", "基本目標"].iter().any(|w| {
                first.starts_with(w) && first.chars().last().is_some_and(|d| d.is_ascii_digit())
            })
    };
    let mut bad = Vec::new();
    for f in html_files(&out.join("en")) {
        let html = std::fs::read_to_string(&f).unwrap();
        // Text shown in Japanese on purpose (a missing translation) is marked so.
        for t in titles(&html).into_iter().filter(|t| japanese_code(t)) {
            bad.push(format!("{}: {t}", f.strip_prefix(&out).unwrap().display()));
        }
    }
    bad.sort();
    bad.dedup();
    assert!(
        bad.is_empty(),
        "{} English titles start with a Japanese code:\n{}",
        bad.len(),
        bad.join("\n")
    );
    // The Japanese pages keep them.
    let ja = std::fs::read_to_string(out.join("mitaka-kihon4/index.html")).unwrap();
    assert!(titles(&ja).iter().any(|t| t.starts_with("第1部")));
    let en = std::fs::read_to_string(out.join("en/mitaka-kihon4/index.html")).unwrap();
    assert!(
        titles(&en).iter().any(|t| t.starts_with("Part 1 ")),
        "{:?}",
        titles(&en)
    );
}

#[test]
fn every_page_of_the_example_has_a_title_of_its_own() {
    // Issue 28, item 9: 141 pages shared their <title> (目標指標 | … for three
    // plans, 未報告 — 令和5年度 five times, departments of the same name in
    // two cities, a 再掲 copy, a past report's plan page).
    let (_tmp, out) = build_example();
    let mut seen: std::collections::HashMap<String, String> = Default::default();
    let mut shared = Vec::new();
    let mut pages = 0;
    for e in walkdir::WalkDir::new(&out).into_iter().flatten() {
        if e.path().extension().is_none_or(|x| x != "html") {
            continue;
        }
        let html = std::fs::read_to_string(e.path()).unwrap();
        let Some(start) = html.find("<title>") else {
            continue;
        };
        let title = html[start + 7..start + html[start..].find("</title>").unwrap()].to_string();
        let rel = e.path().strip_prefix(&out).unwrap().display().to_string();
        pages += 1;
        if let Some(other) = seen.insert(title.clone(), rel.clone()) {
            shared.push(format!("{title}: {other} and {rel}"));
        }
    }
    assert!(pages > 1000, "{pages}");
    assert!(shared.is_empty(), "{}", shared.join("\n"));
}

#[test]
fn english_pages_carry_no_japanese_punctuation_outside_japanese_text() {
    // Issue 28, item 8: 、 between department names, 。 after a status's
    // meaning, "until FY2020、" on English pages.
    let (_tmp, out) = build_example();
    let run = Command::new("python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/english_text.py"
        ))
        .arg(&out)
        .output()
        .expect("python3");
    let said = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{said}");
    assert!(said.contains("English pages checked: "), "{said}");
}
