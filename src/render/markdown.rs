//! Markdown → safe HTML: pulldown-cmark renders, ammonia removes anything a
//! content file should not put on a public page (scripts, event handlers,
//! iframes, `javascript:` links).

use pulldown_cmark::{html, Options, Parser};

/// Rendered Markdown by source text: most texts are unchanged between two
/// rebuilds of `serve`, and sanitising is the costly part.
#[derive(Default)]
pub struct Memo(std::sync::Mutex<std::collections::HashMap<String, std::sync::Arc<String>>>);

impl Memo {
    pub fn to_html(&self, markdown: &str) -> String {
        if let Some(hit) = self.0.lock().ok().and_then(|m| m.get(markdown).cloned()) {
            return hit.as_ref().clone();
        }
        let html = to_html(markdown);
        if let Ok(mut m) = self.0.lock() {
            m.insert(markdown.to_string(), std::sync::Arc::new(html.clone()));
        }
        html
    }
}

pub fn to_html(markdown: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let mut out = String::new();
    html::push_html(&mut out, Parser::new_ext(markdown, options));
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer"))
        .clean(&out)
        .to_string()
}

/// Text made safe for HTML (text and quoted attributes).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Inline text (a table cell, a plan entry): escaped, line breaks kept.
pub fn text_to_html(text: &str) -> String {
    escape_html(text.trim()).replace('\n', "<br>")
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn japanese_angle_brackets_survive() {
        let html = to_html("取組内容 <目標：年間40件> と ＜目標：100件＞");
        assert!(html.contains("目標：年間40件"), "{html}");
        assert!(html.contains("＜目標：100件＞"), "{html}");
    }
}
