//! Long lists over numbered pages. A listing (a plan's or section's
//! initiatives, a status of a year, a department) shows at most
//! [`PER_PAGE`] items a page; the rest follow at `…/page/2/`, `…/page/3/`.
//! No page grows with the size of the plan: at 10,000 initiatives the plan
//! page was 4.9 MB, too heavy for a resident's phone.

use super::views::Ctx;
use serde::Serialize;
use std::ops::Range;

/// Items on one page of a list. A row is about 500 bytes of HTML, so a full
/// page of rows is about 100 KB.
pub(crate) const PER_PAGE: usize = 200;

/// How many pages a list of `len` items takes (at least one).
pub(crate) fn parts(len: usize) -> u32 {
    u32::try_from(len.div_ceil(PER_PAGE).max(1)).unwrap_or(u32::MAX)
}

/// The items on page `part` (0-based) of a list of `len`.
pub(crate) fn range(part: u32, len: usize) -> Range<usize> {
    let start = (part as usize).saturating_mul(PER_PAGE).min(len);
    start..(start + PER_PAGE).min(len)
}

/// The path of page `part` of the list at `base` (a folder path ending in `/`).
pub(crate) fn path(base: &str, part: u32) -> String {
    if part == 0 {
        base.to_string()
    } else {
        format!("{base}page/{}/", part + 1)
    }
}

/// The numbered navigation of a list split over pages.
#[derive(Debug, Serialize)]
pub(crate) struct Pager {
    /// 「全1,234件中 201〜400件目」 / "Items 201–400 of 1,234".
    pub(crate) showing: String,
    /// 「2 / 7ページ」 / "page 2 of 7", for the page title.
    pub(crate) label: String,
    pub(crate) prev: Option<String>,
    pub(crate) next: Option<String>,
    pub(crate) links: Vec<PagerLink>,
}

/// One entry of the page numbers: a page, or a gap (`href` and `n` empty).
#[derive(Debug, Serialize)]
pub(crate) struct PagerLink {
    pub(crate) n: String,
    pub(crate) href: Option<String>,
    pub(crate) current: bool,
}

/// The pager of page `part` of a list of `len` items at `base`, or `None`
/// when the list fits on one page.
pub(crate) fn pager(ctx: &Ctx, base: &str, part: u32, len: usize) -> Option<Pager> {
    let total = parts(len);
    if total <= 1 {
        return None;
    }
    let r = range(part, len);
    let num = |n: usize| crate::model::value::format_number(n as f64, 0);
    let fill = |key: &str, vars: &[(&str, String)]| {
        vars.iter()
            .fold(ctx.t(key), |s, (k, v)| s.replace(&format!("{{{k}}}"), v))
    };
    let showing = fill(
        "pager_showing",
        &[
            ("from", num(r.start + 1)),
            ("to", num(r.end)),
            ("total", num(len)),
        ],
    );
    let label = fill(
        "pager_label",
        &[("n", (part + 1).to_string()), ("total", total.to_string())],
    );
    // First, last, and two either side of the current page; gaps between.
    let mut links = Vec::new();
    let mut last_shown = None;
    for p in 0..total {
        let near = p.abs_diff(part) <= 2;
        if p == 0 || p + 1 == total || near {
            if last_shown.is_some_and(|l: u32| p > l + 1) {
                links.push(PagerLink {
                    n: String::new(),
                    href: None,
                    current: false,
                });
            }
            links.push(PagerLink {
                n: (p + 1).to_string(),
                href: Some(path(base, p)),
                current: p == part,
            });
            last_shown = Some(p);
        }
    }
    Some(Pager {
        showing,
        label,
        prev: (part > 0).then(|| path(base, part - 1)),
        next: (part + 1 < total).then(|| path(base, part + 1)),
        links,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cover_every_item_once() {
        for len in [0, 1, PER_PAGE - 1, PER_PAGE, PER_PAGE + 1, 3 * PER_PAGE + 7] {
            let mut seen = 0;
            for p in 0..parts(len) {
                let r = range(p, len);
                assert_eq!(r.start, seen, "len {len} page {p}");
                assert!(r.len() <= PER_PAGE);
                assert!(!r.is_empty() || len == 0);
                seen = r.end;
            }
            assert_eq!(seen, len);
        }
        assert_eq!(parts(0), 1);
        assert_eq!(parts(PER_PAGE), 1);
        assert_eq!(parts(PER_PAGE + 1), 2);
    }

    #[test]
    fn later_pages_live_under_page_n() {
        assert_eq!(path("plan/", 0), "plan/");
        assert_eq!(path("plan/", 1), "plan/page/2/");
    }
}
