//! Hostile content: a small site whose every text field — site, municipality,
//! departments, plan, levels, scales (names, labels, meanings, symbols),
//! sections, initiatives, years, figures, indicators, Markdown bodies, in
//! both languages — holds an XSS vector from the OWASP XSS filter evasion
//! cheat sheet, and whose indicator names and notes hold spreadsheet
//! formulas. The site must build; then
//!
//! 1. a static scan of every output page (.html, .svg) finds no event-handler
//!    attribute, no script, vbscript or data address in any URL attribute,
//!    and no script element but the theme's own two; the theme's .js files
//!    are the theme's bytes; the .csv and .json files hold the hostile text
//!    as data;
//! 2. headless Chromium (tests/browser/hostile.mjs) opens every page and the
//!    search page with queries that list the hostile records, in both
//!    languages, and fails on any dialog, `window.__xss`, event-handler
//!    attribute or `javascript:` address in the live DOM.
//!
//! Every vector that could run sets `window.__xss` and most also call
//! `alert(1)`. URL fields (`[license].url`, `[contact].url`, a plan's
//! `[source].url`) hold odd but valid http(s) addresses only: refusing other
//! schemes is a content error, tested elsewhere.

mod browser_support;
mod common;

use common::Site;
use std::cell::RefCell;
use std::path::Path;

/// Markup for one-line text fields (titles, names, labels, table cells):
/// shown as text, each must reach the page escaped.
const VECTORS: &[&str] = &[
    r#"<script>window.__xss=1;alert(1)</script>"#,
    r#"<img src=x onerror="window.__xss=1;alert(1)">"#,
    r#""><svg onload="window.__xss=1;alert(1)">"#,
    r#"'><svg/onload=window.__xss=1>"#,
    r#"<IMG SRC="javascript:window.__xss=1;alert('XSS');">"#,
    r#"<IMG SRC=JaVaScRiPt:alert('XSS')>"#,
    r#"<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#49;&#41;>"#,
    r#"<IMG SRC="jav&#x09;ascript:window.__xss=1;">"#,
    r#"<BODY ONLOAD=window.__xss=1>"#,
    r#"<iframe src="javascript:parent.__xss=1"></iframe>"#,
    r#"<svg><script>window.__xss=1</script></svg>"#,
    r#"<a href="javascript:window.__xss=1">x</a>"#,
    r#"<DIV STYLE="width: expression(alert(1));">x</DIV>"#,
    r#"<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>"#,
    r#"<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:window.__xss=1;">"#,
    r#"</script><script>window.__xss=1</script>"#,
    r#"<form action="javascript:window.__xss=1"><button>x</button></form>"#,
    r#"<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>"#,
    r#"<input onfocus=window.__xss=1 autofocus>"#,
    r#"<details open ontoggle=window.__xss=1>"#,
    r#"&lt;img src=x onerror=window.__xss=1&gt;"#,
    r#"&#60;script&#62;window.__xss=1&#60;/script&#62;"#,
    r#"<<SCRIPT>window.__xss=1;//<</SCRIPT>"#,
    r#"<SCRIPT SRC=data:text/javascript,window.__xss=1></SCRIPT>"#,
    r#"<base href="javascript:window.__xss=1//">"#,
    r#"<style>@import 'javascript:alert(1)';</style>"#,
    r#"<LINK REL="stylesheet" HREF="javascript:alert(1);">"#,
    r#"\";window.__xss=1;//"#,
    r#"<a href="&#x6A;avascript:window.__xss=1">x</a>"#,
    r#"<svg><a xlink:href="javascript:window.__xss=1"><text x="20" y="20">x</text></a></svg>"#,
    r#"<TABLE BACKGROUND="javascript:alert(1)">"#,
    r#"<video><source onerror="window.__xss=1;alert(1)">"#,
    r#"<noscript><p title="</noscript><img src=x onerror=window.__xss=1>">"#,
    r#"<svg><animate onbegin=window.__xss=1 attributeName=x dur=1s>"#,
    r#"{{ 7*7 }}{% raw %}${7*7}"#,
];

/// Status symbols of the plan's scales (shown in badges and search results).
const SYMBOL_IMG: &str = "<img src=x onerror=window.__xss=1;alert(1)>";
const SYMBOL_SVG: &str = "\"><svg onload=window.__xss=1;alert(1)>";
const SYMBOL_SCRIPT: &str = "<script>window.__xss=1;alert(1)</script>";
const SYMBOL_QUOTE: &str = "'><svg/onload=window.__xss=1>";
const SYMBOL_IFRAME: &str = "<iframe src=javascript:parent.__xss=1>";
const SYMBOLS: &[&str] = &[
    SYMBOL_IMG,
    SYMBOL_SVG,
    SYMBOL_SCRIPT,
    SYMBOL_QUOTE,
    SYMBOL_IFRAME,
];

/// Markdown for bodies: raw HTML and dangerous links, one block each.
const MARKDOWN: &[&str] = &[
    "<script>window.__xss=1;alert(1)</script>",
    "<img src=x onerror=\"window.__xss=1;alert(1)\">",
    "[x](javascript:window.__xss=1)",
    "[x](JaVaScRiPt:alert(1))",
    "[x](java&#09;script:alert(1))",
    "[x](&#106;avascript:window.__xss=1)",
    "[x](javascript&#58;window.__xss=1)",
    "[x]( javascript:window.__xss=1 )",
    "![x](javascript:window.__xss=1)",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<javascript:window.__xss=1>",
    "[ref][r]\n\n[r]: javascript:window.__xss=1",
    "<a href=\"javascript:window.__xss=1\">a</a>",
    "<a href=\" javascript:window.__xss=1\">a</a>",
    "<a href=\"jav&#x09;ascript:window.__xss=1\">a</a>",
    "<iframe src=\"javascript:parent.__xss=1\"></iframe>",
    "<iframe srcdoc=\"<script>parent.__xss=1</script>\"></iframe>",
    "<svg><script>window.__xss=1</script></svg>",
    "<svg onload=window.__xss=1>",
    "<p style=\"background:url(javascript:alert(1))\">styled</p>",
    "<div style=\"width: expression(alert(1));\">expression</div>",
    "<object data=\"data:text/html,<script>alert(1)</script>\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<form action=\"javascript:alert(1)\"><input type=submit></form>",
    "<math href=\"javascript:window.__xss=1\">CLICK</math>",
    "<details open ontoggle=window.__xss=1>",
    "<table background=\"javascript:alert(1)\"><tr><td>t</td></tr></table>",
    "| a | b |\n|---|---|\n| <img src=x onerror=window.__xss=1> | [x](javascript:alert(1)) |",
    "Footnote[^1]\n\n[^1]: <script>window.__xss=1</script>",
    "```\"><script>window.__xss=1</script>\n<script>window.__xss=1</script>\n```",
    "<base href=\"javascript:window.__xss=1//\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:window.__xss=1\">",
    "<link rel=stylesheet href=\"javascript:alert(1)\">",
    "<style>@import 'javascript:alert(1)';</style>",
    "<noscript><p title=\"</noscript><img src=x onerror=window.__xss=1>\">",
];

/// Spreadsheet formulas in text cells that reach the CSV.
const FORMULAS: &[&str] = &[
    r#"=HYPERLINK("http://evil.example/","x")"#,
    r#"+cmd|' /C calc'!A0"#,
    r#"@SUM(1+1)"#,
    r#"-2+3"#,
];

/// Odd but valid http(s) addresses for the URL fields.
const LICENSE_URL: &str =
    "https://example.jp/license/?q=%22%3E%3Csvg%20onload%3Dwindow.__xss%3D1%3E#%3Cscript%3E";
const CONTACT_URL: &str = "https://example.jp/contact/?q='onmouseover='window.__xss=1'";
const SOURCE_URL: &str = "http://example.jp/plan.pdf?a=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E";

/// A TOML basic string.
fn q(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Hands out the vectors in turn, so that every field gets one and every
/// vector lands in several fields.
struct Fields {
    next: RefCell<usize>,
}

impl Fields {
    fn new() -> Fields {
        Fields {
            next: RefCell::new(0),
        }
    }

    /// `word` followed by the next vector, as a TOML string.
    fn t(&self, word: &str) -> String {
        let mut n = self.next.borrow_mut();
        let v = VECTORS[*n % VECTORS.len()];
        *n += 1;
        q(&format!("{word} {v}"))
    }

    /// `{ ja = …, en = … }`
    fn label(&self, ja: &str, en: &str) -> String {
        format!("{{ ja = {}, en = {} }}", self.t(ja), self.t(en))
    }

    /// A Markdown body: a heading, every Markdown vector, a searchable word.
    fn body(&self, word: &str) -> String {
        format!(
            "## {word} <img src=x onerror=window.__xss=1>\n\n{word}の本文 body text.\n\n{}\n",
            MARKDOWN.join("\n\n")
        )
    }
}

/// Department names are typed again in initiatives, so they are fixed.
const DEPT1: &str = "攻撃課 <img src=x onerror=\"window.__xss=1;alert(1)\">";
const DEPT1_FORMER: &str = "旧攻撃課 \"><svg onload=window.__xss=1>";
const DEPT2: &str = "悪意課 <script>window.__xss=1</script>";

/// Writes the hostile site.
fn write_hostile(site: &Site) {
    let f = Fields::new();
    site.write(
        "content/site.toml",
        &format!(
            "title = {}\ndescription = {}\nbase_url = \"https://example.jp/kaikaku/\"\nlanguages = [\"ja\", \"en\"]\n\n\
             [license]\nname = {}\nurl = {}\n\n\
             [contact]\nname = {}\nemail = {}\nurl = {}\n\n\
             [[municipalities]]\nid = \"evil\"\nname = {}\n",
            f.label("攻撃サイト", "Attack site"),
            f.label("説明", "Description"),
            f.label("ライセンス", "Licence"),
            q(LICENSE_URL),
            f.label("問合せ", "Contact"),
            // A hostile address is a content error (tests/hardening.rs).
            q("attack+xss@example.jp"),
            q(CONTACT_URL),
            f.label("攻撃市", "Attack City"),
        ),
    );
    site.write(
        "content/departments/evil.toml",
        &format!(
            "municipality = \"evil\"\n\n\
             [[departments]]\nid = \"d1\"\nname = {{ ja = {}, en = {} }}\nformerly = [{{ name = {}, until = 2021 }}]\n\n\
             [[departments]]\nid = \"d2\"\nname = {{ ja = {}, en = {} }}\n",
            q(DEPT1),
            f.t("Attack Division"),
            q(DEPT1_FORMER),
            q(DEPT2),
            f.t("Malice Division"),
        ),
    );

    // The plan: a schedule scale with hostile symbols, a section scale.
    let value = |key: &str, symbols: &[&str], order: i32, tone: &str| {
        let symbols: Vec<String> = symbols.iter().map(|s| q(s)).collect();
        format!(
            "[[scales.values]]\nkey = \"{key}\"\nsymbols = [{}]\nlabel = {}\nmeaning = {}\norder = {order}\ntone = \"{tone}\"\n\n",
            symbols.join(", "),
            f.label("状態", "Status"),
            f.label("意味", "Meaning"),
        )
    };
    let mut plan = format!(
        "+++\nid = \"evil\"\nmunicipality = \"evil\"\ntitle = {}\nshort_title = {}\n\
         period = {{ first = \"R3\", last = \"R6\" }}\nreporting_year = \"R5\"\npublished = \"2024-09\"\n\
         source = {{ title = {}, url = {}, publisher = {} }}\n\
         levels = [\n  {},\n  {},\n]\n\n",
        f.t("攻撃計画"),
        f.t("攻撃略称"),
        f.t("出典"),
        q(SOURCE_URL),
        f.t("発行者"),
        f.label("分野", "Area"),
        f.label("事業", "Project"),
    );
    plan.push_str(&format!(
        "[[scales]]\nkey = \"jisshi\"\nname = {}\napplies_to = \"schedule\"\nrollup = \"least_advanced\"\n\n",
        f.label("実施状況", "Implementation")
    ));
    plan.push_str(&value("completed", &[SYMBOL_IMG, "◎"], 4, "done"));
    plan.push_str(&value("in_progress", &[SYMBOL_SVG, "○"], 3, "progress"));
    plan.push_str(&value("not_started", &[SYMBOL_SCRIPT, "△"], 2, "warning"));
    plan.push_str(&value("not_applicable", &["—"], 0, "neutral"));
    plan.push_str(&format!(
        "[[scales]]\nkey = \"hyoka\"\nname = {}\napplies_to = \"section\"\nlevel = 1\n\n",
        f.label("評価", "Rating")
    ));
    plan.push_str(&value(
        "good",
        &["'><svg/onload=window.__xss=1>"],
        2,
        "good",
    ));
    plan.push_str(&value(
        "bad",
        &["<iframe src=javascript:parent.__xss=1>"],
        1,
        "bad",
    ));
    plan.push_str(&format!("+++\n{}", f.body("攻撃計画")));
    site.write("content/evil/_plan.md", &plan);
    site.write(
        "content/evil/_plan.en.md",
        &format!(
            "+++\ntitle = {}\nshort_title = {}\n+++\n{}",
            f.t("Attack plan"),
            f.t("Attack"),
            f.body("attack plan")
        ),
    );

    // Two sections, one rated and translated.
    site.write(
        "content/evil/01-a/_index.md",
        &format!(
            "+++\ncode = {}\ntitle = {}\n\n[status.hyoka]\nR5 = \"good\"\nR4 = {}\n+++\n{}",
            f.t("1"),
            f.t("攻撃分野"),
            q(SYMBOL_IFRAME),
            f.body("攻撃分野")
        ),
    );
    site.write(
        "content/evil/01-a/_index.en.md",
        &format!(
            "+++\ntitle = {}\n+++\n{}",
            f.t("Attack area"),
            f.body("attack area")
        ),
    );
    site.write(
        "content/evil/02-b/_index.md",
        &format!(
            "+++\ncode = {}\ntitle = {}\n+++\n{}",
            f.t("2"),
            f.t("悪意分野"),
            f.body("悪意分野")
        ),
    );

    // Initiatives: every text field, statuses typed as the hostile symbols.
    let initiative = |id: &str, dept: &str, r5: &str| {
        format!(
            "+++\nid = \"{id}\"\ncode = {}\ntitle = {}\ndepartments = [{}]\nsource = {{ page = 3 }}\nreason = {}\nactivities = [{}, {}]\n\n\
             [[schedule]]\nlabel = {}\n[schedule.plan]\nR3 = {}\nR4 = {}\nR5 = \"→\"\nR6 = {}\n[schedule.status]\nR3 = \"◎\"\nR4 = {}\nR5 = {}\n\n\
             [[schedule]]\nlabel = {}\n[schedule.plan]\nR5 = {}\n[schedule.status]\nR5 = {}\n\n\
             [years.R5]\nphase = {}\ntarget = {}\nresult = {}\nreason = {}\n\n\
             [[years.R5.figures]]\nname = {}\ntarget = \"35業務\"\nactual = \"34業務\"\n\n\
             [[years.R5.figures]]\nname = {}\ntarget = \"1,700時間\"\nactual = \"1,277時間\"\n+++\n{}",
            f.t("1"),
            f.t("攻撃取組"),
            q(dept),
            f.t("理由"),
            f.t("活動"),
            f.t("活動"),
            f.t("行"),
            f.t("計画"),
            f.t("計画"),
            f.t("計画"),
            q(SYMBOL_IMG),
            q(r5),
            f.t("行"),
            f.t("計画"),
            q(r5),
            f.t("段階"),
            f.t("目標"),
            f.t("実績"),
            f.t("理由"),
            f.t("業務数"),
            f.t("削減時間"),
            f.body("攻撃取組"),
        )
    };
    site.write(
        "content/evil/01-a/x1.md",
        &initiative("x-001", DEPT1, SYMBOL_IMG),
    );
    site.write(
        "content/evil/01-a/x2.md",
        &initiative("x-002", DEPT1_FORMER, SYMBOL_SVG),
    );
    site.write(
        "content/evil/02-b/x3.md",
        &initiative("x-003", DEPT2, SYMBOL_SCRIPT),
    );
    site.write(
        "content/evil/01-a/x1.en.md",
        &format!(
            "+++\ntitle = {}\nreason = {}\nactivities = [{}, {}]\n\n\
             [[schedule]]\nlabel = {}\n[schedule.plan]\nR3 = {}\nR4 = {}\nR5 = \"→\"\nR6 = {}\n\n\
             [[schedule]]\nlabel = {}\n[schedule.plan]\nR5 = {}\n\n\
             [years.R5]\nphase = {}\ntarget = {}\nresult = {}\nreason = {}\nfigures = [{}, {}]\n+++\n{}",
            f.t("attack initiative"),
            f.t("reason"),
            f.t("activity"),
            f.t("activity"),
            f.t("row"),
            f.t("plan"),
            f.t("plan"),
            f.t("plan"),
            f.t("row"),
            f.t("plan"),
            f.t("phase"),
            f.t("target"),
            f.t("result"),
            f.t("reason"),
            f.t("tasks"),
            f.t("hours"),
            f.body("attack initiative"),
        ),
    );

    // Indicators: hostile units (numbers are printed with them), notes,
    // footnotes, target text, an override reason; formulas in names and notes.
    site.write(
        "content/evil/indicators/k1.md",
        &format!(
            "+++\nid = \"k1\"\nname = {}\nunit = {}\ninitiative = \"x-001\"\ndirection = \"higher\"\n\
             baseline = {{ year = \"R3\", value = 100, measured = {}, note = {} }}\nfootnotes = [{}, {}]\n\n\
             [[observations]]\nyear = \"R4\"\nvalue = 150\nmeasured = {}\nnote = {}\n\n\
             [[observations]]\nyear = \"R5\"\nvalue = 180\nnote = {}\n\n\
             [target]\nyear = \"R6\"\nvalue = 300\n+++\n{}",
            q(FORMULAS[0]),
            f.label("件<svg onload=window.__xss=1>", "cases\"><img src=x onerror=window.__xss=1>"),
            f.t("測定"),
            q(FORMULAS[3]),
            f.t("注"),
            f.t("注"),
            f.t("測定"),
            q(FORMULAS[1]),
            q(FORMULAS[2]),
            f.body("攻撃指標"),
        ),
    );
    site.write(
        "content/evil/indicators/k1.en.md",
        &format!(
            "+++\nname = {}\nfootnotes = [{}, {}]\n+++\n{}",
            f.t("attack indicator"),
            f.t("note"),
            f.t("note"),
            f.body("attack indicator"),
        ),
    );
    site.write(
        "content/evil/indicators/k2.md",
        &format!(
            "+++\nid = \"k2\"\nname = {}\ninitiative = \"x-002\"\ndepartment = {}\ndirection = \"keep\"\n\
             baseline = {{ year = \"R3\", value = {} }}\nstatus = {{ value = \"on_track\", reason = {} }}\n\n\
             [[observations]]\nyear = \"R5\"\nvalue = {}\nnote = {}\n\n\
             [target]\nyear = \"R6\"\ntext = {}\n+++\n{}",
            f.t("悪意指標"),
            q(DEPT2),
            f.t("基準"),
            f.t("理由"),
            f.t("実績"),
            q(FORMULAS[0]),
            f.t("目標"),
            f.body("悪意指標"),
        ),
    );
    site.write(
        "content/evil/indicators/k2.en.md",
        &format!(
            "+++\nname = {}\ntarget_text = {}\n+++\n",
            q(FORMULAS[1]),
            f.t("target"),
        ),
    );
    site.pin_translations();
}

/// Is this text one of the hostile ones (a vector, a symbol, a formula, an
/// odd address, a department name)?
fn hostile(s: &str) -> bool {
    VECTORS.iter().any(|v| s.contains(v))
        || SYMBOLS.iter().any(|v| s.contains(v))
        || [DEPT1, DEPT1_FORMER, DEPT2].contains(&s)
        || FORMULAS.contains(&s)
        || [LICENSE_URL, CONTACT_URL, SOURCE_URL].contains(&s)
        || s.contains("<svg onload=window.__xss=1>")
}

/// How many values of the content files (front matter and TOML, read with
/// the toml crate) and Markdown bodies hold hostile text.
fn hostile_fields(root: &Path) -> usize {
    fn strings(v: &toml::Value) -> usize {
        match v {
            toml::Value::String(s) => usize::from(hostile(s)),
            toml::Value::Array(a) => a.iter().map(strings).sum(),
            toml::Value::Table(t) => t.values().map(strings).sum(),
            _ => 0,
        }
    }
    let mut n = 0;
    for rel in files_under(&root.join("content")) {
        let text = std::fs::read_to_string(root.join("content").join(&rel)).unwrap();
        let (front, body) = match text.strip_prefix("+++\n") {
            Some(rest) => rest.split_once("\n+++\n").unwrap(),
            None => (text.as_str(), ""),
        };
        n += strings(&toml::from_str::<toml::Value>(front).unwrap());
        n += usize::from(body.contains(MARKDOWN[0]));
    }
    n
}

// ---- a static scan of the output ----

/// One start tag as a browser tokenizes it, with the raw text that follows
/// a `<script>` or `<style>`.
#[derive(Debug)]
struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
}

/// The start tags of some markup (comments, doctypes, end tags and text
/// skipped; `&lt;img …` in text is text, not a tag).
fn start_tags(html: &str) -> Vec<Tag> {
    let b = html.as_bytes();
    let n = b.len();
    let space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
    let mut tags = Vec::new();
    let mut i = 0;
    while i < n {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        if html[i..].starts_with("<!--") {
            i = html[i + 4..].find("-->").map_or(n, |e| i + 4 + e + 3);
            continue;
        }
        if matches!(b.get(i + 1), Some(b'!') | Some(b'?')) {
            i = html[i..].find('>').map_or(n, |e| i + e + 1);
            continue;
        }
        let end_tag = b.get(i + 1) == Some(&b'/');
        let start = if end_tag { i + 2 } else { i + 1 };
        if !b.get(start).is_some_and(|c| c.is_ascii_alphabetic()) {
            i += 1;
            continue;
        }
        let mut j = start;
        while j < n && !space(b[j]) && b[j] != b'/' && b[j] != b'>' {
            j += 1;
        }
        let name = html[start..j].to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while j < n && (space(b[j]) || b[j] == b'/') {
                j += 1;
            }
            if j >= n {
                break;
            }
            if b[j] == b'>' {
                j += 1;
                break;
            }
            let a = j;
            j += 1;
            while j < n && !space(b[j]) && !matches!(b[j], b'/' | b'>' | b'=') {
                j += 1;
            }
            let attr = html[a..j].to_ascii_lowercase();
            while j < n && space(b[j]) {
                j += 1;
            }
            let mut value = String::new();
            if j < n && b[j] == b'=' {
                j += 1;
                while j < n && space(b[j]) {
                    j += 1;
                }
                if j < n && (b[j] == b'"' || b[j] == b'\'') {
                    let quote = b[j] as char;
                    let close = html[j + 1..].find(quote).map_or(n, |e| j + 1 + e);
                    value = html[j + 1..close].to_string();
                    j = (close + 1).min(n);
                } else {
                    let v = j;
                    while j < n && !space(b[j]) && b[j] != b'>' {
                        j += 1;
                    }
                    value = html[v..j].to_string();
                }
            }
            attrs.push((attr, value));
        }
        if end_tag {
            i = j;
            continue;
        }
        let mut text = String::new();
        if matches!(name.as_str(), "script" | "style" | "textarea" | "title") {
            let close = format!("</{name}");
            let k = html[j..]
                .to_ascii_lowercase()
                .find(&close)
                .map_or(n, |e| j + e);
            text = html[j..k].to_string();
            j = k;
        }
        tags.push(Tag { name, attrs, text });
        i = j;
    }
    tags
}

/// An attribute value as the browser reads it: character references
/// decoded (with or without `;`), and the tabs, newlines and spaces that
/// URL parsing drops removed, lower case.
fn url_as_read(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        let (digits, radix, skip) =
            if let Some(h) = rest.strip_prefix("#x").or_else(|| rest.strip_prefix("#X")) {
                (h, 16, 2)
            } else if let Some(d) = rest.strip_prefix('#') {
                (d, 10, 1)
            } else {
                let named = [
                    ("amp", '&'),
                    ("lt", '<'),
                    ("gt", '>'),
                    ("quot", '"'),
                    ("apos", '\''),
                    ("Tab", '\t'),
                    ("NewLine", '\n'),
                    ("colon", ':'),
                ];
                match named.iter().find(|(k, _)| rest.starts_with(k)) {
                    Some((k, c)) => {
                        out.push(*c);
                        rest = rest[k.len()..]
                            .strip_prefix(';')
                            .unwrap_or(&rest[k.len()..]);
                    }
                    None => out.push('&'),
                }
                continue;
            };
        let len = digits
            .find(|c: char| !c.is_digit(radix))
            .unwrap_or(digits.len());
        match u32::from_str_radix(&digits[..len], radix)
            .ok()
            .and_then(char::from_u32)
        {
            Some(c) if len > 0 => {
                out.push(c);
                let after = &rest[skip + len..];
                rest = after.strip_prefix(';').unwrap_or(after);
            }
            _ => out.push('&'),
        }
    }
    out.push_str(rest);
    out.chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Attributes whose value the browser loads or navigates to.
const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "cite",
    "srcset",
    "ping",
    "manifest",
    "longdesc",
    "lowsrc",
    "dynsrc",
    "codebase",
    "archive",
    "icon",
];

/// Elements that content must never bring (the theme uses none of them).
const FORBIDDEN: &[&str] = &[
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "style",
    "foreignobject",
    "animate",
    "set",
    "handler",
    "listener",
    "portal",
    "noscript",
    "math",
];

/// What the markup of one page or drawing does that a content file could
/// have made it do. The theme's own scripts are counted, not reported.
fn scan(markup: &str, allowed_scripts: &mut usize) -> Vec<String> {
    let mut bad = Vec::new();
    for tag in start_tags(markup) {
        let attr = |k: &str| {
            tag.attrs
                .iter()
                .find(|(a, _)| a == k)
                .map(|(_, v)| v.as_str())
        };
        for (a, v) in &tag.attrs {
            if a.len() > 2 && a.starts_with("on") {
                bad.push(format!("<{} {a}={v:?}>: event handler", tag.name));
            }
            if a == "style" || a == "srcdoc" {
                bad.push(format!("<{} {a}={v:?}>", tag.name));
            }
            if URL_ATTRS.contains(&a.as_str()) {
                let url = url_as_read(v);
                let favicon = tag.name == "link" && attr("rel") == Some("icon") && v == "data:,";
                if ["javascript:", "vbscript:", "data:", "livescript:"]
                    .iter()
                    .any(|s| url.starts_with(s) || url.contains(&format!(",{s}")))
                    && !favicon
                {
                    bad.push(format!("<{} {a}={v:?}>: script address", tag.name));
                }
            }
        }
        if FORBIDDEN.contains(&tag.name.as_str()) {
            bad.push(format!("<{}>: not on a page", tag.name));
        }
        if tag.name == "meta" && attr("http-equiv").is_some() {
            bad.push(format!("<meta {:?}>", tag.attrs));
        }
        if tag.name == "link"
            && !matches!(
                attr("rel"),
                Some("stylesheet" | "canonical" | "alternate" | "icon" | "license")
            )
        {
            bad.push(format!("<link {:?}>", tag.attrs));
        }
        if tag.name == "script" {
            // The theme's: the search script and its strings (JSON), and
            // the print script (every page).
            let names: Vec<&str> = tag.attrs.iter().map(|(a, _)| a.as_str()).collect();
            let search_js = names == ["type", "src"]
                && attr("type") == Some("module")
                && attr("src").is_some_and(|s| {
                    // Relative, or from the site's path on the 404 page.
                    let s = s.strip_prefix("/kaikaku/").unwrap_or(s);
                    let s = s.trim_start_matches("./").trim_start_matches("../");
                    matches!(s, "assets/search.js" | "assets/print.js") && !s.contains("..")
                })
                && tag.text.is_empty();
            let strings = names == ["type", "id"]
                && attr("type") == Some("application/json")
                && attr("id") == Some("search-strings")
                && serde_json::from_str::<serde_json::Value>(&tag.text).is_ok();
            // The open data page's schema.org Dataset: JSON, never markup
            // (no `<` at all, so nothing in it can end the element).
            let dataset = names == ["type"]
                && attr("type") == Some("application/ld+json")
                && !tag.text.contains('<')
                && serde_json::from_str::<serde_json::Value>(&tag.text).is_ok();
            if search_js || strings || dataset {
                *allowed_scripts += 1;
            } else {
                bad.push(format!("<script {:?}>{}", tag.attrs, tag.text));
            }
        }
    }
    bad
}

#[test]
fn the_scan_finds_what_it_looks_for() {
    // The scan of the hostile site is only as good as this.
    let mut n = 0;
    let evil = [
        "<img src=x onerror=alert(1)>",
        "<svg/onload=alert(1)>",
        "<P OnClick=\"x\">",
        "<a href=\"jav&#x09;ascript:alert(1)\">",
        "<a href=\"&#106avascript:alert(1)\">",
        "<a href=' JaVaScRiPt&colon;alert(1)'>",
        "<iframe src=x>",
        "<object data=\"data:text/html,x\">",
        "<form action=javascript:alert(1)>",
        "<svg><a xlink:href=\"javascript:alert(1)\">",
        "<script>alert(1)</script>",
        "<script type=\"module\" src=\"../evil.js\"></script>",
        "<script type=\"application/json\" id=\"search-strings\">{\"a\":1}<x</script>",
        "<script type=\"application/ld+json\">{\"a\":\"<b\"}</script>",
        "<script type=\"application/ld+json\" src=\"x.js\"></script>",
        "<div style=\"width: expression(alert(1))\">",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:x\">",
        "<base href=\"javascript:x//\">",
    ];
    for e in evil {
        assert!(!scan(e, &mut n).is_empty(), "missed {e}");
    }
    assert_eq!(n, 0);
    let safe = "<!DOCTYPE html><p class=\"prose\">&lt;img src=x onerror=alert(1)&gt; one=two <b>&lt;svg onload=x&gt;</b></p>\
        <a href=\"../x/?q=%3Cscript%3E\">ok</a><!-- <script>x</script> --><title>&lt;script&gt;</title>\
        <link rel=\"icon\" href=\"data:,\"><script type=\"module\" src=\"../../assets/search.js\"></script>\
        <script type=\"application/json\" id=\"search-strings\">{\"a\":\"b\"}</script>\
        <script type=\"application/ld+json\">{\"a\":\"\\u003cb\"}</script>";
    assert_eq!(scan(safe, &mut n), Vec::<String>::new());
    assert_eq!(n, 3);
}

/// Text as the theme escapes it (src/render/markdown.rs `escape_html`).
fn escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Every file under a folder, relative to it, `/`-separated, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy();
                out.push(rel.replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

/// Builds the hostile site into `<www>/kaikaku/`; returns the site (kept
/// alive for its temp folder), the output folder and the vector count.
fn build_hostile(www: &Path) -> (Site, std::path::PathBuf, usize) {
    let site = Site::empty();
    write_hostile(&site);
    let fields = hostile_fields(site.root());
    let out = www.join("kaikaku");
    let root = site.root().to_string_lossy().to_string();
    let out_s = out.to_string_lossy().to_string();
    let run = site.run(&["build", "--root", &root, "--out", &out_s]);
    run.assert_code(0);
    assert!(
        run.errors().is_empty() && run.warnings().is_empty(),
        "the hostile site should build clean:\n{run}"
    );
    (site, out, fields)
}

#[test]
fn hostile_content_is_text_everywhere() {
    let tmp = tempfile::tempdir().unwrap();
    let www = tmp.path().join("www");
    let (_site, out, fields) = build_hostile(&www);
    let files = files_under(&out);

    // 1. The static scan.
    let mut pages = 0;
    let mut html_pages = 0;
    let mut theme_scripts = 0;
    let mut problems = Vec::new();
    let (mut csvs, mut jsons, mut scripts) = (0, 0, 0);
    let theme_assets = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static");
    for rel in files.iter().filter(|f| !f.contains("pagefind/")) {
        let path = out.join(rel);
        let ext = rel.rsplit('.').next().unwrap_or("");
        match ext {
            "html" | "svg" => {
                pages += 1;
                html_pages += usize::from(ext == "html");
                let text = std::fs::read_to_string(&path).unwrap();
                for p in scan(&text, &mut theme_scripts) {
                    problems.push(format!("{rel}: {p}"));
                }
            }
            "js" => {
                // Content never reaches a script: it is the theme's file.
                scripts += 1;
                let theme = std::fs::read(theme_assets.join(rel))
                    .unwrap_or_else(|e| panic!("{rel} is not a theme file: {e}"));
                assert_eq!(std::fs::read(&path).unwrap(), theme, "{rel}");
            }
            "csv" => {
                csvs += 1;
                let text = std::fs::read_to_string(&path).unwrap();
                assert!(
                    VECTORS
                        .iter()
                        .any(|v| text.contains(&v.replace('"', "\"\""))),
                    "{rel} holds the hostile text as data:\n{text}"
                );
            }
            "json" => {
                jsons += 1;
                let text = std::fs::read_to_string(&path).unwrap();
                serde_json::from_str::<serde_json::Value>(&text)
                    .unwrap_or_else(|e| panic!("{rel} is not JSON: {e}"));
            }
            _ => {}
        }
    }
    assert!(
        problems.is_empty(),
        "markup from content in the output:\n{}",
        problems.join("\n")
    );
    // Two search pages, each with the theme's two search scripts; the print
    // script on every page; the Dataset on the two open data pages.
    assert_eq!(theme_scripts, 4 + html_pages + 2, "the theme's own scripts");
    assert_eq!(scripts, 2, "assets/search.js, assets/print.js");
    assert!(pages >= 40, "{pages} pages");
    assert!(fields >= 170, "only {fields} hostile fields in the fixture");
    assert!(csvs >= 4, "{csvs} CSV files");

    // The vectors reached the pages, as text.
    let page = |rel: &str| std::fs::read_to_string(out.join(rel)).unwrap();
    // (An initiative page's legend has the badges the page shows: x-001 is
    // rated with the first symbol, x-002 with the second.)
    let init = page("evil/x-001/index.html");
    for (rel, symbol) in [
        ("evil/x-001/index.html", SYMBOL_IMG),
        ("evil/x-002/index.html", SYMBOL_SVG),
    ] {
        assert!(
            page(rel).contains(&format!("aria-hidden=\"true\">{}</span>", escaped(symbol))),
            "the symbol {symbol} is shown as text in its badge on {rel}"
        );
    }
    let text = common::text_of(&init);
    assert!(text.contains(DEPT1), "the department, as typed: {text}");
    assert!(
        text.contains("攻撃取組の本文 body text."),
        "the body's text: {text}"
    );
    let x3 = common::text_of(&page("evil/x-003/index.html"));
    assert!(x3.contains(SYMBOL_SCRIPT) && x3.contains(DEPT2), "{x3}");
    let csv = page("evil/indicators/k1.csv");
    for formula in FORMULAS {
        assert!(
            csv.contains(&formula.replace('"', "\"\"")),
            "{formula} in {csv}"
        );
    }
    println!(
        "hostile site: {fields} fields and bodies with {} text vectors, {} Markdown vectors, {} status symbols, {} formulas; \
         scanned {pages} pages, {csvs} CSV, {jsons} JSON, {scripts} script file(s)",
        VECTORS.len(),
        MARKDOWN.len(),
        SYMBOLS.len(),
        FORMULAS.len()
    );

    // 2. In the browser.
    if !browser_support::tools_or_skip(false) {
        return;
    }
    let server = browser_support::serve(&www, "kaikaku/404.html");
    let base = format!("http://{}/kaikaku/", server.addr);
    let stdout = browser_support::node(
        "hostile.mjs",
        &[
            "--dir",
            &out.to_string_lossy(),
            "--base",
            &base,
            "--symbol",
            SYMBOL_IMG,
            "--symbol",
            SYMBOL_SVG,
        ],
    );
    assert!(stdout.contains("all hostile checks passed"), "{stdout}");
}
