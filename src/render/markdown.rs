//! Markdown → safe HTML: pulldown-cmark renders, ammonia removes anything a
//! content file should not put on a public page (scripts, event handlers,
//! iframes, `javascript:` links).

use pulldown_cmark::{html, Event, Options, Parser};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Rendered Markdown by source text: most texts are unchanged between two
/// rebuilds of `serve`, and sanitising is the costly part.
///
/// Bounded by the site, not by the session: each page notes the texts its
/// view looked up ([`Used`]), and after a rendering the renderer keeps only
/// the texts some current page uses ([`Memo::retain`]). Without that, every
/// text ever saved stayed in memory for as long as `serve` ran.
#[derive(Default)]
pub(crate) struct Memo(Mutex<HashMap<Arc<str>, Arc<String>>>);

/// The texts one page's view looked up in a [`Memo`].
#[derive(Default)]
pub(crate) struct Used(Mutex<Vec<Arc<str>>>);

impl Used {
    /// The texts noted so far, as keys of the memo.
    pub(crate) fn into_keys(self) -> Vec<Arc<str>> {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

/// A memo as one page's view sees it: every lookup is noted in `used`.
#[derive(Clone, Copy)]
pub(crate) struct PageMemo<'a> {
    memo: &'a Memo,
    used: &'a Used,
}

impl Memo {
    pub(crate) fn for_page<'a>(&'a self, used: &'a Used) -> PageMemo<'a> {
        PageMemo { memo: self, used }
    }

    /// Keeps only the texts for which `keep` is true.
    pub(crate) fn retain(&self, keep: impl Fn(&str) -> bool) {
        if let Ok(mut m) = self.0.lock() {
            m.retain(|k, _| keep(k));
        }
    }

    /// How many texts are kept.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.0.lock().map(|m| m.len()).unwrap_or(0)
    }
}

impl PageMemo<'_> {
    pub(crate) fn to_html(self, markdown: &str) -> String {
        let hit = self.memo.0.lock().ok().and_then(|m| {
            m.get_key_value(markdown)
                .map(|(k, v)| (Arc::clone(k), Arc::clone(v)))
        });
        let (key, html) = match hit {
            Some(hit) => hit,
            None => {
                let key: Arc<str> = Arc::from(markdown);
                let html = Arc::new(to_html(markdown));
                if let Ok(mut m) = self.memo.0.lock() {
                    m.insert(Arc::clone(&key), Arc::clone(&html));
                }
                (key, html)
            }
        };
        if let Ok(mut u) = self.used.0.lock() {
            u.push(key);
        }
        html.as_ref().clone()
    }
}

const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_FOOTNOTES);

/// How deeply a text may nest block quotes, lists and HTML elements. The
/// HTML parser behind the sanitiser takes time in proportion to the depth for
/// every element (8,000 nested list items took 9 s, 100,000 never finished),
/// and screen readers give up long before: no report nests more than a few
/// levels.
pub(crate) const MAX_NESTING: usize = 40;

/// Where a Markdown text first nests deeper than [`MAX_NESTING`]: the byte
/// offset, or `None`. Counts Markdown containers and, in raw HTML, elements
/// opened and not closed (void elements and those whose end tag may be left
/// out, such as `<p>` and `<li>`, are not counted: they do not nest).
pub(crate) fn too_deep(markdown: &str) -> Option<usize> {
    let (mut md, mut html) = (0usize, 0usize);
    for (event, range) in Parser::new_ext(markdown, OPTIONS).into_offset_iter() {
        match event {
            Event::Start(_) => md += 1,
            Event::End(_) => md = md.saturating_sub(1),
            Event::Html(t) | Event::InlineHtml(t) => html = html_depth(html, &t),
            _ => {}
        }
        if md + html > MAX_NESTING {
            return Some(range.start);
        }
    }
    None
}

/// The element depth after a piece of raw HTML, from `depth` before it.
fn html_depth(mut depth: usize, html: &str) -> usize {
    const NOT_NESTING: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "rb", "rt",
        "rp", "thead", "tbody", "tfoot", "colgroup", "caption", "html", "head", "body",
    ];
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if let Some(after) = rest.strip_prefix("!--") {
            rest = after.find("-->").map_or("", |e| &after[e + 3..]);
            continue;
        }
        let closing = rest.starts_with('/');
        let name: String = rest
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() || NOT_NESTING.contains(&name.as_str()) {
            continue;
        }
        let self_closing = rest
            .find('>')
            .is_some_and(|e| rest[..e].trim_end().ends_with('/'));
        if closing {
            depth = depth.saturating_sub(1);
        } else if !self_closing {
            depth += 1;
        }
    }
    depth
}

pub fn to_html(markdown: &str) -> String {
    if let Some(html) = plain_html(markdown) {
        return html;
    }
    sanitised(markdown)
}

/// pulldown-cmark's HTML made safe by ammonia (which parses it again as a
/// browser would and writes out only what it allows).
fn sanitised(markdown: &str) -> String {
    let mut out = String::new();
    html::push_html(&mut out, Parser::new_ext(markdown, OPTIONS));
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer"))
        .clean(&out)
        .to_string()
}

/// The HTML of a text made only of paragraphs, headings, lists, quotes,
/// emphasis, inline code, line breaks and rules, written as [`sanitised`]
/// would write it; `None` for any other text. Such HTML holds no attribute
/// but a list's start number and no text that is not escaped, so there is
/// nothing for ammonia to remove, and parsing it again (most of the time a
/// build spent on Markdown) is skipped. Raw HTML, links, images, tables,
/// code blocks and footnotes always go through ammonia.
fn plain_html(markdown: &str) -> Option<String> {
    use pulldown_cmark::{Tag, TagEnd};
    // The HTML parser drops or changes control characters (NUL, CR).
    if markdown
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return None;
    }
    let events: Vec<Event> = Parser::new_ext(markdown, OPTIONS).collect();
    let plain = events.iter().all(|e| match e {
        Event::Start(tag) => match tag {
            Tag::Paragraph
            | Tag::BlockQuote(None)
            | Tag::List(_)
            | Tag::Item
            | Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough => true,
            Tag::Heading {
                id, classes, attrs, ..
            } => id.is_none() && classes.is_empty() && attrs.is_empty(),
            _ => false,
        },
        Event::End(tag) => matches!(
            tag,
            TagEnd::Paragraph
                | TagEnd::BlockQuote(None)
                | TagEnd::List(_)
                | TagEnd::Item
                | TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Heading(_)
        ),
        Event::Text(_) | Event::Code(_) | Event::SoftBreak | Event::HardBreak | Event::Rule => true,
        _ => false,
    });
    if !plain {
        return None;
    }
    let mut out = String::with_capacity(markdown.len() + markdown.len() / 4);
    html::push_html(&mut out, events.into_iter());
    // How the HTML serialiser behind ammonia writes what differs.
    Some(
        out.replace("<br />", "<br>")
            .replace("<hr />", "<hr>")
            .replace('\u{a0}', "&nbsp;"),
    )
}

/// Text made safe for HTML (text and quoted attributes).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    let mut from = 0;
    // The five characters are ASCII: the text between them is copied whole.
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[from..i]);
        out.push_str(entity);
        from = i + 1;
    }
    out.push_str(&s[from..]);
    out
}

/// Inline text (a table cell, a plan entry): escaped, line breaks kept.
pub fn text_to_html(text: &str) -> String {
    escape_html(text.trim()).replace('\n', "<br>")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The short way for plain texts writes what the sanitiser writes: on
    /// every Markdown text of the example site and on texts made to differ.
    #[test]
    fn plain_texts_skip_the_sanitiser_with_the_same_html() {
        let made = [
            "a & b < c > d \"q\" 'x' &amp; &copy; &#x3C; &nbsp; \\<no\\>",
            "nbsp\u{a0}here and\u{3000}ideographic space",
            "hard  \nbreak and\\\nbackslash break\nsoft",
            "para\n\n---\n\n* * *\n\nafter",
            "* a\n* b\n\n  loose c\n\n1. x\n2. y\n\n3) three\n4) four",
            "  - nested\n    - deeper\n      - deepest\n- > quote in a list",
            "> quote\n> more\n>\n> - list in a quote\n>> nested quote",
            "# H1\n## H2 ##\nSetext\n===\n\nTwo\n---",
            "~~del~~ `code <b>&` **strong *em*** _u_ ***both***",
            "tab\tin \u{200b}zero-width\u{feff} \u{85}next-line",
            "\n\n\n  leading blank lines\n\n\ntrailing\n\n\n",
            "- [ ] not a task\n- [x] nor this",
            "令和5年度は**一部のみ達成**（△）。\n\n- 窓口のキャッシュレス化\n- 電子申請 100%",
        ];
        let mut texts: Vec<String> = made.iter().map(|t| t.to_string()).collect();
        let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        for entry in walkdir::WalkDir::new(content).sort_by_file_name() {
            let entry = entry.unwrap();
            if entry.path().extension().is_some_and(|e| e == "md") {
                let text = std::fs::read_to_string(entry.path()).unwrap();
                let body = text.splitn(3, "+++").nth(2).unwrap_or(&text).to_string();
                texts.extend(body.split("\n\n").map(str::to_string));
                texts.push(body);
            }
        }
        let mut short = 0;
        for t in &texts {
            if let Some(html) = plain_html(t) {
                short += 1;
                assert_eq!(html, sanitised(t), "for {t:?}");
            }
        }
        // Most texts are plain; the others still take the long way.
        assert!(short * 2 > texts.len(), "{short} of {}", texts.len());
        for other in [
            "nul\u{0}",
            "cr\r\nlf",
            "<b>x</b>",
            "[a](https://x.jp)",
            "![i](a.png)",
            "|a|\n|-|\n|b|",
            "```\nx\n```",
            "x[^1]\n\n[^1]: n",
            "    code",
        ] {
            assert!(plain_html(other).is_none(), "{other}");
            assert_eq!(to_html(other), sanitised(other));
        }
    }

    #[test]
    fn the_five_html_characters_are_escaped_and_the_rest_kept() {
        assert_eq!(
            escape_html("<a href=\"x\">'市' & ü</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;市&#39; &amp; ü&lt;/a&gt;"
        );
        assert_eq!(escape_html("進捗&"), "進捗&amp;");
        assert_eq!(escape_html(""), "");
    }

    #[test]
    fn scripts_never_reach_the_page() {
        let html = to_html(
            "hello <script>alert(1)</script> <img src=x onerror=alert(1)> [a](javascript:alert(1))",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn nesting_is_measured_in_markdown_and_html() {
        assert_eq!(
            too_deep("# 見出し\n\n- a\n  - b\n    - c\n\n> 引用\n"),
            None
        );
        assert_eq!(too_deep(&"<p>段落".repeat(1000)), None);
        assert_eq!(too_deep(&"<ul><li>a</li></ul>".repeat(1000)), None);
        assert_eq!(too_deep(&"<br><img src=x>".repeat(1000)), None);
        for deep in [
            "> ".repeat(100) + "x",
            "- ".repeat(100) + "x",
            "<div>".repeat(100),
            "<span>".repeat(100),
            "x <b>".repeat(100),
        ] {
            assert!(too_deep(&deep).is_some(), "{deep:.40}");
        }
        // Nesting below the limit, in both, is fine.
        let fine = "> ".repeat(10) + &"<div>".repeat(10) + &"</div>".repeat(10);
        assert_eq!(too_deep(&fine), None);
    }

    #[test]
    fn japanese_angle_brackets_survive() {
        let html = to_html("取組内容 <目標：年間40件> と ＜目標：100件＞");
        assert!(html.contains("目標：年間40件"), "{html}");
        assert!(html.contains("＜目標：100件＞"), "{html}");
    }

    /// Renderings that each use one new text (an author saving again and
    /// again), with the sweep the renderer does after each.
    #[test]
    fn the_memo_holds_only_texts_still_in_use() {
        let memo = Memo::default();
        let unchanged = Used::default();
        memo.for_page(&unchanged).to_html("*same* text");
        let unchanged = unchanged.into_keys();
        for n in 0..1000 {
            let used = Used::default();
            let page = memo.for_page(&used);
            assert_eq!(
                page.to_html(&format!("save {n}")),
                format!("<p>save {n}</p>\n")
            );
            assert_eq!(page.to_html("*same* text"), "<p><em>same</em> text</p>\n");
            let live: Vec<Arc<str>> = used.into_keys();
            memo.retain(|t| live.iter().chain(&unchanged).any(|k| k.as_ref() == t));
            assert_eq!(memo.len(), 2, "after save {n}");
        }
        // A text no page uses any more is gone; one still used stays.
        memo.retain(|t| unchanged.iter().any(|k| k.as_ref() == t));
        assert_eq!(memo.len(), 1);
    }
}
