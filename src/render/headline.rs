//! A plan at a glance: for the reporting year, how many of what the plan
//! rates (schedule rows, initiatives, sections, indicators) have each
//! status — one sentence and one bar each — with the trend over the years
//! that have results, and a notice when the data is old. Shown on the home
//! page's plan cards and at the top of each plan page.

use super::urls;
use super::views::status_badge;
use super::views::{count_table, Badge, Ctx};
use crate::model::progress::Assessed;
use crate::model::FiscalYear;
use serde::Serialize;

/// One status and how many have it.
#[derive(Debug, Clone, Serialize)]
pub struct Segment {
    pub badge: Badge,
    pub count: usize,
    /// The listing of what has this status, where there is one.
    pub href: Option<String>,
}

/// The distribution of one scale (or of the indicators) in one year.
#[derive(Debug, Clone, Serialize)]
pub struct Headline {
    /// What is rated: 実施状況（年次計画）, 目標指標.
    pub title: String,
    pub total: usize,
    pub segments: Vec<Segment>,
    /// The same in words: the text equivalent of the bar.
    pub sentence: String,
    /// The bar (SVG, hidden from screen readers: the sentence says it).
    pub bar: String,
}

/// The plan's headlines in its reporting year: one per scale, then one for
/// its indicators.
pub fn headlines(ctx: &Ctx, p: usize) -> Vec<Headline> {
    let plan = &ctx.site.plans[p];
    let year = plan.reporting_year;
    let mut out: Vec<Headline> = (0..plan.scales.len())
        .map(|s| scale_headline(ctx, p, s, year))
        .collect();
    if !plan.indicators.is_empty() {
        out.push(indicator_headline(ctx, p));
    }
    out
}

/// The headline of a scale in one year.
pub fn scale_headline(ctx: &Ctx, p: usize, s: usize, year: FiscalYear) -> Headline {
    let table = count_table(ctx, p, s, &[year]);
    let segments: Vec<Segment> = table
        .rows
        .into_iter()
        .filter(|r| r.cells[0].count > 0)
        .map(|r| Segment {
            badge: r.badge,
            count: r.cells[0].count,
            href: Some(r.cells[0].href.clone()).filter(|h| !h.is_empty()),
        })
        .collect();
    let title = format!(
        "{}{}{}{}",
        table.scale,
        ctx.t("lp"),
        table.unit,
        ctx.t("rp")
    );
    finish(ctx, title, &table.unit, ctx.year(year), segments)
}

/// The headline of a plan's indicators: their status by the latest values.
fn indicator_headline(ctx: &Ctx, p: usize) -> Headline {
    let site = ctx.site;
    let mine = &site.plans[p].indicators;
    let segments: Vec<Segment> = Assessed::ALL
        .iter()
        .map(|(_, a)| Segment {
            badge: status_badge(ctx, *a),
            count: mine
                .iter()
                .filter(|&&i| site.assessment(i).status == *a)
                .count(),
            href: Some(urls::indicators(ctx.lang, site, p)),
        })
        .filter(|s| s.count > 0)
        .collect();
    let unit = ctx.t("indicators");
    let year = ctx.year(site.plans[p].reporting_year);
    finish(ctx, unit.clone(), &unit, year, segments)
}

fn finish(ctx: &Ctx, title: String, unit: &str, year: String, segments: Vec<Segment>) -> Headline {
    let total: usize = segments.iter().map(|s| s.count).sum();
    let items: Vec<String> = segments
        .iter()
        .map(|s| {
            ctx.t("headline_item")
                .replace("{label}", &s.badge.label)
                .replace("{count}", &s.count.to_string())
        })
        .collect();
    let sentence = ctx
        .t("headline_sentence")
        .replace("{year}", &year)
        .replace("{unit}", unit)
        .replace("{total}", &total.to_string())
        .replace("{items}", &items.join(&ctx.t("list_sep")));
    let bar = bar(&segments, total);
    Headline {
        title,
        total,
        segments,
        sentence,
        bar,
    }
}

/// A stacked bar: one rectangle per status, as wide as its share, in the
/// status's colour, white gaps between them. Decorative beside its
/// sentence, so hidden from assistive technology.
pub fn bar(segments: &[Segment], total: usize) -> String {
    use std::fmt::Write;
    const W: f64 = 1000.0;
    let mut svg = String::from(
        r#"<svg class="status-bar" viewBox="0 0 1000 20" preserveAspectRatio="none" aria-hidden="true" focusable="false">"#,
    );
    if total > 0 {
        let mut x = 0.0;
        for s in segments {
            let w = W * s.count as f64 / total as f64;
            // A 2-unit gap after each segment but the last.
            let shown = if x + w >= W - 0.01 {
                w
            } else {
                (w - 2.0).max(1.0)
            };
            let _ = write!(
                svg,
                r#"<rect class="bar-{}" x="{:.1}" y="0" width="{:.1}" height="20"/>"#,
                s.badge.tone, x, shown
            );
            x += w;
        }
    }
    svg.push_str("</svg>");
    svg
}

/// When a plan's data is from (the README's table "The date notice"), in
/// words that stay true as long as the page exists. `_today` is not read:
/// an age computed from the day of the build ("3 fiscal years ago") would
/// be frozen into a static page that says it for years, and the same
/// content must build the same bytes.
pub fn freshness(ctx: &Ctx, p: usize, _today: FiscalYear) -> Option<String> {
    Some(as_of_notice(ctx, p))
}

/// The date notice of plan `p`: the reporting year, the plan period and,
/// where given, the report's publication date. Computed from the content
/// alone.
pub fn as_of_notice(ctx: &Ctx, p: usize) -> String {
    let plan = &ctx.site.plans[p];
    let key = if plan.published.is_some() {
        "stale_asof"
    } else {
        "stale_asof_unpublished"
    };
    ctx.t(key)
        .replace("{data}", &ctx.year(plan.reporting_year))
        .replace("{first}", &ctx.year(plan.first_year))
        .replace("{last}", &ctx.year(plan.last_year))
        .replace(
            "{published}",
            &plan
                .published
                .as_deref()
                .map(|d| super::pages::published(ctx.lang, d))
                .unwrap_or_default(),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(tone: &'static str, count: usize) -> Segment {
        Segment {
            badge: Badge {
                tone,
                symbol: String::new(),
                label: tone.into(),
                meaning: String::new(),
                key: tone.into(),
            },
            count,
            href: None,
        }
    }

    #[test]
    fn the_bar_gives_each_status_its_share() {
        let svg = bar(&[seg("done", 1), seg("progress", 3)], 4);
        assert!(
            svg.contains(r#"class="bar-done" x="0.0" y="0" width="248.0""#),
            "{svg}"
        );
        assert!(
            svg.contains(r#"class="bar-progress" x="250.0" y="0" width="750.0""#),
            "{svg}"
        );
        assert!(svg.contains(r#"aria-hidden="true""#));
        // Nothing rated: an empty bar, no division by zero.
        assert!(!bar(&[], 0).contains("<rect"));
    }
}
