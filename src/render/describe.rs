//! Each page's `<meta name="description">`: a short plain-text summary of
//! what the page is about, built from its own content in the page's language
//! (search engines and link previews show it; before, every page carried the
//! site's description). The home page keeps the site's description.

use super::indicator_view;
use super::pages::{Frame, PageSpec};
use super::views::Ctx;
use crate::model::{Lang, Text};

/// Longest description, in characters; longer ones end in "…".
const MAX_CHARS: usize = 160;

/// The description of one page, or `None` for the site's own description.
pub(crate) fn description(ctx: &Ctx, spec: PageSpec, frame: &Frame) -> Option<String> {
    let site = ctx.site;
    let plan_title = |p: usize| ctx.text(&site.plans[p].title).text;
    let fill = |key: &str, vars: &[(&str, String)]| {
        vars.iter()
            .fold(ctx.t(key), |s, (k, v)| s.replace(&format!("{{{k}}}"), v))
    };
    let text = match spec {
        PageSpec::Home => return None,
        PageSpec::Plan(p, _) => {
            let plan = &site.plans[p];
            fill(
                "desc_plan",
                &[
                    ("title", plan_title(p)),
                    (
                        "municipality",
                        site.municipalities[plan.municipality]
                            .name
                            .get(ctx.lang)
                            .to_string(),
                    ),
                    (
                        "period",
                        format!(
                            "{} – {}",
                            ctx.year_short(plan.first_year),
                            ctx.year_short(plan.last_year)
                        ),
                    ),
                    ("year", ctx.year_short(plan.reporting_year)),
                    ("count", ctx.lists.in_plan(p).to_string()),
                ],
            )
        }
        PageSpec::Section(s, _) => {
            let sec = &site.sections[s];
            let count = ctx.lists.in_section(s);
            fill(
                "desc_section",
                &[
                    ("title", frame.title.text.clone()),
                    ("plan", plan_title(sec.plan)),
                    ("year", ctx.year_short(site.plans[sec.plan].reporting_year)),
                    ("count", count.to_string()),
                ],
            )
        }
        PageSpec::Initiative(i) => {
            let init = &site.initiatives[i];
            let plan = &site.plans[init.plan];
            let status =
                super::views::initiative_status(ctx, i, plan.reporting_year).map(|b| b.label);
            let mut s = match status {
                Some(status) => fill(
                    "desc_initiative_status",
                    &[
                        ("title", frame.title.text.clone()),
                        ("plan", plan_title(init.plan)),
                        ("year", ctx.year_short(plan.reporting_year)),
                        ("status", status),
                    ],
                ),
                None => fill(
                    "desc_initiative",
                    &[
                        ("title", frame.title.text.clone()),
                        ("plan", plan_title(init.plan)),
                    ],
                ),
            };
            if let Some(first) = first_sentence(ctx, &init.body) {
                // Japanese sentences follow one another without a space.
                if ctx.lang != Lang::Ja {
                    s.push(' ');
                }
                s.push_str(&first);
            }
            s
        }
        PageSpec::Indicator(i) => {
            let ind = &site.indicators[i];
            let a = site.assessment(i);
            fill(
                "desc_indicator",
                &[
                    ("title", frame.title.text.clone()),
                    ("plan", plan_title(ind.plan)),
                    ("sentence", indicator_view::sentence(ctx, ind, &a)),
                ],
            )
        }
        PageSpec::Indicators(p) => fill(
            "desc_indicators",
            &[
                ("plan", plan_title(p)),
                ("count", site.plans[p].indicators.len().to_string()),
            ],
        ),
        PageSpec::Data => fill(
            "desc_data",
            &[("site", site.config.title.get(ctx.lang).to_string())],
        ),
        PageSpec::Departments => fill(
            "desc_departments",
            &[("site", site.config.title.get(ctx.lang).to_string())],
        ),
        PageSpec::Department(d, _) => {
            let dep = &site.departments[d];
            fill(
                "desc_department",
                &[
                    ("title", frame.title.text.clone()),
                    (
                        "municipality",
                        site.municipalities[dep.municipality]
                            .name
                            .get(ctx.lang)
                            .to_string(),
                    ),
                    (
                        "count",
                        site.initiatives
                            .iter()
                            .filter(|i| i.departments.contains(&d))
                            .count()
                            .to_string(),
                    ),
                ],
            )
        }
        PageSpec::Statuses(p) => fill("desc_statuses", &[("plan", plan_title(p))]),
        PageSpec::Changes(p, _) => fill(
            "desc_changes",
            &[("plan", plan_title(p)), ("title", frame.title.text.clone())],
        ),
        PageSpec::Status { plan, .. } => fill(
            "desc_status",
            &[
                ("title", frame.title.text.clone()),
                ("plan", plan_title(plan)),
            ],
        ),
        PageSpec::Feed(_) => return None,
        PageSpec::Search => fill(
            "desc_search",
            &[("site", site.config.title.get(ctx.lang).to_string())],
        ),
        PageSpec::NotFound => fill(
            "desc_not_found",
            &[("site", site.config.title.get(ctx.lang).to_string())],
        ),
    };
    Some(shorten(&text))
}

/// The first sentence of a Markdown text in the page's language, as plain
/// text (none when the text is missing or only in the other language).
fn first_sentence(ctx: &Ctx, body: &Text) -> Option<String> {
    let t = ctx.text(body);
    if t.fallback {
        return None;
    }
    // The first paragraph of prose: not a heading, list, table or quote.
    let para = t
        .text
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.starts_with(['#', '-', '*', '+', '|', '>', '`', '<']))
        .filter(|p| !p.starts_with(|c: char| c.is_ascii_digit()) || !p.contains(". "))
        .map(plain_markdown)
        .find(|p| !p.is_empty())?;
    let end = para
        .char_indices()
        .find(|&(i, c)| {
            c == '。' || (matches!(c, '.' | '!' | '?') && para[i + 1..].starts_with(' '))
        })
        .map_or(para.len(), |(i, c)| i + c.len_utf8());
    Some(para[..end].to_string())
}

/// Markdown → plain text, well enough for a summary: headings, emphasis,
/// code marks and link targets dropped, whitespace collapsed.
fn plain_markdown(md: &str) -> String {
    let mut out = String::new();
    let mut chars = md.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' | '_' | '`' | '#' | '>' | '<' => {}
            // [text](target) → text
            ']' if chars.peek() == Some(&'(') => {
                for c in chars.by_ref() {
                    if c == ')' {
                        break;
                    }
                }
            }
            '[' | ']' => {}
            c => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whitespace collapsed; at most `MAX_CHARS` characters.
fn shorten(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= MAX_CHARS {
        return s;
    }
    let mut cut: String = s.chars().take(MAX_CHARS - 1).collect();
    cut = cut.trim_end().to_string();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_plain_text() {
        assert_eq!(
            plain_markdown("## 概要\n**自転車**駐車場の[整備](https://x.jp/)を  進める"),
            "概要 自転車駐車場の整備を 進める"
        );
    }

    #[test]
    fn long_descriptions_are_cut_with_an_ellipsis() {
        let long = "あ".repeat(300);
        let s = shorten(&long);
        assert_eq!(s.chars().count(), MAX_CHARS);
        assert!(s.ends_with('…'));
        assert_eq!(shorten(" a  b "), "a b");
    }
}
