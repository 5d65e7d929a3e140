//! Markdown → safe HTML: pulldown-cmark renders, ammonia removes anything a
//! content file should not put on a public page (scripts, event handlers,
//! iframes, `javascript:` links).

use pulldown_cmark::{html, Options, Parser};

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

/// Inline text (a table cell, a plan entry): escaped, line breaks kept.
pub fn text_to_html(text: &str) -> String {
    let escaped = ammonia::clean_text(text.trim());
    escaped.replace("&#10;", "<br>")
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
