//! What a rendered page says: the visible text of its `<main>`, read from
//! the HTML the build wrote, so that search finds exactly what a resident
//! can read on the page (and nothing they cannot).
//!
//! Left out, as a reader never sees them: `script`, `style`, `template`,
//! SVG `title`/`desc` (tooltips), elements with the `hidden` attribute, and
//! the status key repeated on every initiative page (`.legend-inline`), which
//! would make every page "contain" every status word. Block elements end a
//! line, so that no phrase is found across two blocks.

use lol_html::html_content::Element;
use lol_html::{doc_text, element, end_tag, HtmlRewriter, Settings};
use std::cell::RefCell;
use std::rc::Rc;

/// The visible text of a page's `<main>`.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct PageText {
    /// The first `<h1>`.
    pub title: String,
    /// Everything else, blocks separated by `\n`, spaces collapsed.
    pub body: String,
}

#[derive(Default)]
struct State {
    main: u32,
    skip: u32,
    h1: u32,
    seen_h1: bool,
    title: String,
    body: String,
}

const BLOCK: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "button",
    "caption",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "option",
    "p",
    "pre",
    "section",
    "select",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "svg",
    "text",
    "g",
    "legend",
    "fieldset",
];

fn skipped(el: &Element) -> bool {
    let name = el.tag_name();
    matches!(
        name.as_str(),
        "script" | "style" | "template" | "title" | "desc"
    ) || el.has_attribute("hidden")
        || el
            .get_attribute("class")
            .is_some_and(|c| c.split_whitespace().any(|c| c == "legend-inline"))
}

/// Reads the visible text of the first `<main>` of `html`; `None` when the
/// page has none.
pub fn page_text(html: &str) -> Option<PageText> {
    let state = Rc::new(RefCell::new(State::default()));
    let (s1, s2, s3) = (state.clone(), state.clone(), state.clone());
    let mut rewriter = HtmlRewriter::new(
        Settings::new()
            .append_element_content_handler(element!("main", move |el| {
                s1.borrow_mut().main += 1;
                let s = s1.clone();
                if el.can_have_content() {
                    el.on_end_tag(end_tag!(move |_| {
                        let mut st = s.borrow_mut();
                        st.main -= 1;
                        st.body.push('\n');
                        Ok(())
                    }))?;
                }
                Ok(())
            }))
            .append_element_content_handler(element!("main *", move |el| {
                let name = el.tag_name();
                let block = BLOCK.contains(&name.as_str());
                let skip = skipped(el);
                let h1 = {
                    let mut st = s2.borrow_mut();
                    let h1 = name == "h1" && !st.seen_h1 && st.skip == 0;
                    if h1 {
                        st.seen_h1 = true;
                        st.h1 += 1;
                    }
                    if skip {
                        st.skip += 1;
                    }
                    if block && st.skip == 0 {
                        st.body.push('\n');
                    }
                    h1
                };
                // Inline elements need nothing at their end.
                if (block || skip || h1) && el.can_have_content() && !el.is_self_closing() {
                    let s = s2.clone();
                    el.on_end_tag(end_tag!(move |_| {
                        let mut st = s.borrow_mut();
                        if block && st.skip == 0 {
                            st.body.push('\n');
                        }
                        if skip {
                            st.skip -= 1;
                        }
                        if h1 {
                            st.h1 -= 1;
                        }
                        Ok(())
                    }))?;
                }
                Ok(())
            }))
            .append_document_content_handler(doc_text!(move |t| {
                let mut st = s3.borrow_mut();
                if st.main > 0 && st.skip == 0 {
                    if st.h1 > 0 {
                        st.title.push_str(t.as_str());
                    } else {
                        st.body.push_str(t.as_str());
                    }
                }
                Ok(())
            })),
        |_: &[u8]| {},
    );
    rewriter.write(main_part(html).as_bytes()).ok()?;
    rewriter.end().ok()?;
    let st = state.borrow();
    if !html.contains("<main") {
        return None;
    }
    Some(PageText {
        title: tidy(&decode(&st.title)).replace('\n', " "),
        body: tidy(&decode(&st.body)),
    })
}

/// The part of `html` from its `<main` to the end of its `</main>`, which
/// is all that is read (the head, header and footer are a third of a
/// page); the whole of `html` when that part cannot be told for sure: more
/// than one `main`, or a comment, script or style before it, which could
/// hold the text `<main`.
fn main_part(html: &str) -> &str {
    let (Some(start), Some(end)) = (html.find("<main"), html.find("</main>")) else {
        return html;
    };
    let before = html[..start].to_ascii_lowercase();
    let raw = [
        "<!--",
        "<script",
        "<style",
        "<template",
        "<textarea",
        "<xmp",
        "<noscript",
    ];
    if end < start
        || html.matches("<main").count() != 1
        || html.matches("</main>").count() != 1
        || raw.iter().any(|r| before.contains(r))
    {
        return html;
    }
    &html[start..end + "</main>".len()]
}

/// Spaces collapsed within lines, empty lines dropped.
fn tidy(s: &str) -> String {
    s.split('\n')
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// HTML character references: numeric ones and the named ones templates
/// and Markdown write.
fn decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.as_bytes()[..rest.len().min(12)]
            .iter()
            .position(|&b| b == b';');
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
            } else if let Some(dec) = name.strip_prefix('#') {
                dec.parse().ok().and_then(char::from_u32)
            } else {
                match name {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    "nbsp" => Some(' '),
                    _ => None,
                }
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_text_of_main_only() {
        let html = r#"<html><head><title>T</title></head><body><nav>Menu</nav>
<main><h1>子育て&amp;支援</h1><p>本文 <span hidden>隠し</span>です</p>
<ul class="legend-inline"><li>未着手</li></ul><script>var x = "<p>";</script>
<svg><title>tip</title><text>軸</text></svg><p>a&#x27;b&lt;c<br>次</p><h1>二つ目</h1></main>
<footer>Foot</footer></body></html>"#;
        let t = page_text(html).unwrap();
        assert_eq!(t.title, "子育て&支援");
        assert_eq!(t.body, "本文 です\n軸\na'b<c\n次\n二つ目");
        assert_eq!(page_text("<p>no main</p>"), None);
        // Read from its main alone, or whole when a comment or script
        // before it might hide another `<main`: the same text either way.
        assert_eq!(
            main_part(html).len(),
            html.find("<footer").unwrap() - html.find("<main").unwrap() - 1
        );
        for before in [
            "<!-- <main> -->",
            "<script>let m = '<main>';</script>",
            "<STYLE>main {}</STYLE>",
            "",
        ] {
            let page = html.replace("<nav>", &format!("{before}<nav>"));
            assert_eq!(page_text(&page).unwrap(), t, "{before}");
            assert_eq!(
                main_part(&page).len() == page.len(),
                !before.is_empty(),
                "{before}"
            );
        }
    }
}
