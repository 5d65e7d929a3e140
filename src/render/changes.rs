//! What changed in a plan's reporting year against the year before,
//! computed from the statuses by year already in the content: every rated
//! item (initiative, schedule row or section) whose status moved — forward
//! or back along its scale's order, to a value of the scale's "bad" tone
//! (× 中止, 未達成), or into or out of being reported — and the initiatives
//! whose programme ended. The plan's "changes" page shows it, summarised at
//! the top, and links each item to its page.

use super::pages::{home_link, plain, plan_link, Frame};
use super::urls;
use super::views::{self, badge, Badge, Ctx, Link, Txt};
use crate::model::{AppliesTo, FiscalYear, Plan, Scale, Site, Tone};
use serde::Serialize;

/// How one item's status moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Way {
    /// To a more advanced value.
    Forward,
    /// To a less advanced value.
    Back,
    /// Reported this year, not the year before.
    Reported,
    /// Reported the year before, not this year.
    Unreported,
    /// To or from a value outside the order (— nothing planned).
    Other,
}

/// One item whose status differs between the two years.
#[derive(Debug, Clone)]
pub(crate) struct Move {
    pub scale: usize,
    /// An initiative or a section (by the scale).
    pub index: usize,
    /// The schedule row, for a scale that rates rows.
    pub row: Option<usize>,
    pub from: Option<usize>,
    pub to: Option<usize>,
    pub way: Way,
}

/// A plan's changes in its reporting year.
pub(crate) struct Changes {
    pub year: FiscalYear,
    pub previous: FiscalYear,
    pub moves: Vec<Move>,
    /// Initiatives whose programme ended with the previous year.
    pub ended: Vec<usize>,
}

fn way(scale: &Scale, from: Option<usize>, to: Option<usize>) -> Way {
    match (from, to) {
        (None, _) => Way::Reported,
        (_, None) => Way::Unreported,
        (Some(a), Some(b)) => {
            let (a, b) = (&scale.values[a], &scale.values[b]);
            if a.tone == Tone::Neutral || b.tone == Tone::Neutral {
                Way::Other
            } else if b.order > a.order {
                Way::Forward
            } else if b.order < a.order {
                Way::Back
            } else {
                Way::Other
            }
        }
    }
}

/// Whether a plan has a year before its reporting year to compare with.
pub(crate) fn has_changes(plan: &Plan) -> bool {
    !plan.scales.is_empty() && compared_year(plan) > plan.first_year
}

/// The year a plan's changes are of: its reporting year, or its last year
/// when the report comes after the plan ended.
pub(crate) fn compared_year(plan: &Plan) -> FiscalYear {
    plan.reporting_year.min(plan.last_year)
}

/// The changes of plan `p` in its reporting year.
pub(crate) fn of_plan(site: &Site, p: usize) -> Changes {
    let plan = &site.plans[p];
    let year = compared_year(plan);
    let previous = FiscalYear(year.0 - 1);
    let mut moves = Vec::new();
    for (s, scale) in plan.scales.iter().enumerate() {
        let before = views::units_in(site, p, s, previous);
        let now = views::units_in(site, p, s, year);
        let mut row = 0;
        let mut last = None;
        // The same items in the same order every year (`units_in`).
        for ((index, from, _), (_, to, ended)) in before.into_iter().zip(now) {
            row = if last == Some(index) { row + 1 } else { 0 };
            last = Some(index);
            if ended || from == to {
                continue;
            }
            moves.push(Move {
                scale: s,
                index,
                row: (scale.applies_to == AppliesTo::Schedule).then_some(row),
                from,
                to,
                way: way(scale, from, to),
            });
        }
    }
    let ended = site
        .initiatives
        .iter()
        .enumerate()
        .filter(|(_, i)| i.plan == p && i.ended.as_ref().is_some_and(|e| e.after == previous))
        .map(|(i, _)| i)
        .collect();
    Changes {
        year,
        previous,
        moves,
        ended,
    }
}

#[derive(Serialize)]
struct MoveView {
    link: Link,
    code: String,
    row: Option<Txt>,
    from: Badge,
    to: Badge,
}

#[derive(Serialize)]
struct Group {
    id: &'static str,
    title: String,
    moves: Vec<MoveView>,
}

fn move_view(ctx: &Ctx, plan: &Plan, m: &Move) -> MoveView {
    let site = ctx.site;
    let scale = &plan.scales[m.scale];
    let (link, code) = if scale.applies_to == AppliesTo::Section {
        (super::pages::section_link(ctx, m.index), String::new())
    } else {
        (
            Link {
                href: urls::initiative(ctx.lang, site, m.index),
                title: ctx.text(&site.initiatives[m.index].title),
            },
            views::init_code(ctx, m.index).unwrap_or_default(),
        )
    };
    let row = m
        .row
        .and_then(|r| site.initiatives[m.index].schedule[r].label.as_ref())
        .map(|l| ctx.text(l));
    MoveView {
        link,
        code,
        row,
        from: badge(ctx, scale, m.from),
        to: badge(ctx, scale, m.to),
    }
}

/// The line at the top: moved forward, moved back, to each value of the
/// bad tone, reported for the first time, ended.
fn summary(ctx: &Ctx, plan: &Plan, c: &Changes) -> Vec<String> {
    let count = |w: Way| c.moves.iter().filter(|m| m.way == w).count();
    let bad = |m: &&Move| {
        m.to.is_some_and(|v| plan.scales[m.scale].values[v].tone == Tone::Bad)
    };
    let fill = |key: &str, n: usize| ctx.t(key).replace("{count}", &n.to_string());
    let mut summary = vec![
        fill("changes_forward", count(Way::Forward)),
        fill("changes_back", count(Way::Back)),
    ];
    // Moves to a value of the "bad" tone (× 中止, 未達成), by that value.
    let mut to_bad: Vec<((usize, usize), usize)> = Vec::new();
    for m in c.moves.iter().filter(bad) {
        let key = (m.scale, m.to.unwrap_or(0));
        match to_bad.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += 1,
            None => to_bad.push((key, 1)),
        }
    }
    for ((s, v), n) in to_bad {
        let b = badge(ctx, &plan.scales[s], Some(v));
        let label = format!("{} {}", b.symbol, b.label).trim().to_string();
        summary.push(fill("changes_to_bad", n).replace("{label}", &label));
    }
    if count(Way::Reported) > 0 {
        summary.push(fill("changes_reported", count(Way::Reported)));
    }
    if !c.ended.is_empty() {
        summary.push(fill("changes_ended", c.ended.len()));
    }
    summary
}

pub(super) fn changes_page(ctx: &Ctx, p: usize) -> (&'static str, Frame, serde_json::Value) {
    let site = ctx.site;
    let plan = &site.plans[p];
    let c = of_plan(site, p);
    let summary = summary(ctx, plan, &c);
    let group = |id: &'static str, key: &str, keep: &dyn Fn(&Move) -> bool| Group {
        id,
        title: ctx.t(key),
        moves: c
            .moves
            .iter()
            .filter(|m| keep(m))
            .map(|m| move_view(ctx, plan, m))
            .collect(),
    };
    let groups: Vec<Group> = [
        group("forward", "changes_forward_title", &|m| {
            m.way == Way::Forward
        }),
        group("back", "changes_back_title", &|m| m.way == Way::Back),
        group("reported", "changes_reported_title", &|m| {
            m.way == Way::Reported
        }),
        group("other", "changes_other_title", &|m| {
            matches!(m.way, Way::Other | Way::Unreported)
        }),
    ]
    .into_iter()
    .filter(|g| !g.moves.is_empty())
    .collect();
    let ended: Vec<views::InitiativeRow> = c
        .ended
        .iter()
        .map(|&i| views::initiative_row(ctx, i, c.previous))
        .collect();
    let title = plain(
        ctx,
        ctx.t("changes_heading")
            .replace("{year}", &ctx.year(c.year))
            .replace("{previous}", &ctx.year(c.previous)),
    );
    let breadcrumbs = vec![
        home_link(ctx),
        plan_link(ctx, p),
        Link {
            href: urls::changes(ctx.lang, site, p),
            title: title.clone(),
        },
    ];
    let untranslated = groups
        .iter()
        .flat_map(|g| &g.moves)
        .any(|m| m.link.title.fallback);
    (
        "changes.html",
        Frame {
            kind: "changes",
            title,
            breadcrumbs,
            untranslated,
        },
        serde_json::json!({
            "plan": plan_link(ctx, p),
            "summary": summary,
            "groups": groups,
            "ended": ended,
            "statuses": urls::statuses(ctx.lang, site, p),
        }),
    )
}
