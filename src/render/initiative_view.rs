//! The initiative page: status timeline, schedule rows, yearly targets and
//! results, narrative and departments.

use super::pages::{plain, trail, Frame};
use super::urls;
use super::views::{self, Ctx, Link, Txt};
use crate::model::{AppliesTo, FiscalYear, Lang, ScheduleRow};
use serde::Serialize;

#[derive(Serialize)]
struct TimelineRow {
    label: Txt,
    cells: Vec<TimelineCell>,
}

/// A cell of the year-by-year table; a result recorded for several years
/// spans their columns.
#[derive(Serialize)]
struct TimelineCell {
    badge: views::Badge,
    span: usize,
}

fn one_year(badge: views::Badge) -> TimelineCell {
    TimelineCell { badge, span: 1 }
}

#[derive(Serialize)]
struct PlanCell {
    year: String,
    text: Option<Txt>,
    /// `→`: the previous year's plan continues; `resolved` is that text.
    same_as_previous: bool,
    resolved: Option<Txt>,
    nothing_planned: bool,
    /// None where no scale rates schedule rows: the plan gives only the
    /// planned words, and no status is shown (not "not reported").
    badge: Option<views::Badge>,
}

#[derive(Serialize)]
struct ScheduleView {
    label: Option<Txt>,
    cells: Vec<PlanCell>,
}

#[derive(Serialize)]
struct FigureView {
    name: Txt,
    target: Option<Txt>,
    actual: Option<Txt>,
    /// Actual as a share of the target, where "at least" applies and the
    /// actual is final.
    ratio: Option<String>,
    /// The day the actual was measured; an interim actual says so.
    as_of: Option<String>,
    interim: bool,
}

fn figure_view(ctx: &Ctx, f: &crate::model::Figure) -> FigureView {
    let shown = |r: &crate::model::value::Reading| super::units::shown(ctx, r, f.unit.as_ref());
    let ratio = match (
        f.target.as_ref().and_then(|t| t.quantity()),
        f.actual.as_ref().and_then(|a| a.quantity()),
    ) {
        (Some(t), Some(a))
            if f.comparator == crate::model::value::Comparator::AtLeast
                && t.base().0 > 0.0
                && !f.interim =>
        {
            Some(format!("{}%", (a.base().0 / t.base().0 * 100.0).round()))
        }
        _ => None,
    };
    FigureView {
        name: ctx.text(&f.name),
        target: f.target.as_ref().map(shown),
        actual: f.actual.as_ref().map(shown),
        ratio,
        as_of: super::indicator_view::as_of_text(ctx, f.as_of, f.interim),
        interim: f.interim,
    }
}

#[derive(Serialize)]
struct YearView {
    year: String,
    phase: Option<Txt>,
    target: Option<Txt>,
    badge: Option<views::Badge>,
    result: Option<Txt>,
    reason: Option<Txt>,
    figures: Vec<FigureView>,
}

pub(super) fn is_arrow(s: &str) -> bool {
    matches!(s.trim(), "→" | "⇒" | "->")
}

fn is_dash(s: &str) -> bool {
    matches!(s.trim(), "—" | "－" | "-" | "―" | "ー" | "–")
}

/// What a schedule row is called: its label, or else what it first planned
/// (a row is one strand of the initiative; "annual plan 3" says nothing).
fn row_name(ctx: &Ctx, row: &ScheduleRow) -> Option<Txt> {
    row.label.as_ref().map(|l| ctx.text(l)).or_else(|| {
        row.plan
            .values()
            .find(|t| !is_arrow(&t.ja) && !is_dash(&t.ja) && !t.ja.trim().is_empty())
            .map(|t| ctx.text(t))
    })
}

/// This year's line of a schedule row: what it plans (an arrow resolved to
/// the text it repeats) and its status.
#[derive(Serialize)]
struct NowRow {
    label: Option<Txt>,
    text: Option<Txt>,
    badge: Option<views::Badge>,
}

fn now_row(ctx: &Ctx, row: &ScheduleRow, view: &ScheduleView, year: &str) -> Option<NowRow> {
    let cell = view.cells.iter().find(|c| c.year == year)?;
    let text = if cell.same_as_previous {
        cell.resolved.clone()
    } else if cell.nothing_planned {
        Some(plain(ctx, ctx.t("nothing_planned")))
    } else {
        cell.text.clone()
    };
    Some(NowRow {
        label: row_name(ctx, row),
        text,
        badge: cell.badge.clone(),
    })
}

/// Every badge a page shows, once each, in the order of its scales (then
/// unreported, planned and ended), for its legend.
fn used_legend(
    ctx: &Ctx,
    scales: &[&crate::model::Scale],
    used: &[&views::Badge],
) -> Vec<views::Badge> {
    let mut out: Vec<views::Badge> = Vec::new();
    let extras = [
        views::unreported(ctx),
        views::planned(ctx),
        views::ended(ctx),
    ];
    let all = scales
        .iter()
        .flat_map(|s| views::legend(ctx, s))
        .chain(extras);
    for b in all {
        let shown = used.iter().any(|u| u.key == b.key && u.label == b.label);
        if shown && !out.iter().any(|o| o.key == b.key && o.label == b.label) {
            out.push(b);
        }
    }
    out
}

fn schedule_view(
    ctx: &Ctx,
    i: usize,
    row: &ScheduleRow,
    scale: Option<&crate::model::Scale>,
    years: &[FiscalYear],
) -> ScheduleView {
    let mut last_text: Option<Txt> = None;
    let cells = years
        .iter()
        .map(|y| {
            let text = row.plan.get(y).map(|t| ctx.html(t, false));
            let raw = row.plan.get(y).map(|t| t.ja.clone()).unwrap_or_default();
            let same = is_arrow(&raw);
            let nothing = is_dash(&raw);
            let resolved = if same { last_text.clone() } else { None };
            if !same && !nothing && text.is_some() {
                last_text = text.clone();
            }
            PlanCell {
                year: ctx.year(*y),
                text,
                same_as_previous: same,
                resolved,
                nothing_planned: nothing,
                badge: scale
                    .map(|s| views::initiative_badge_in(ctx, i, s, row.status.get(y).copied(), *y)),
            }
        })
        .collect();
    ScheduleView {
        label: row_name(ctx, row),
        cells,
    }
}

/// The year-by-year table: a row per schedule row (named by its label or
/// what it first planned) and a row for the initiative's own rating.
fn timeline_rows(
    ctx: &Ctx,
    i: usize,
    years: &[FiscalYear],
    sched_scale: Option<&crate::model::Scale>,
    item_scale: Option<&crate::model::Scale>,
) -> Vec<TimelineRow> {
    let init = &ctx.site.initiatives[i];
    let mut timeline = Vec::new();
    if let Some(scale) = sched_scale {
        for (n, row) in init.schedule.iter().enumerate() {
            let label = row_name(ctx, row).unwrap_or_else(|| match init.schedule.len() {
                1 => plain(ctx, ctx.t("schedule_row")),
                _ => plain(ctx, format!("{} {}", ctx.t("schedule_row"), n + 1)),
            });
            let cells = years
                .iter()
                .map(|&y| {
                    one_year(views::initiative_badge_in(
                        ctx,
                        i,
                        scale,
                        row.status.get(&y).copied(),
                        y,
                    ))
                })
                .collect();
            timeline.push(TimelineRow { label, cells });
        }
    }
    if let Some(scale) = item_scale {
        if !init.years.is_empty() {
            let mut cells: Vec<TimelineCell> = Vec::new();
            let mut covered = None;
            for &y in years {
                if covered.is_some_and(|last| y <= last) {
                    continue;
                }
                let v = init.entry_for(y).and_then(|e| e.status);
                let mut cell = one_year(views::initiative_badge_in(ctx, i, scale, v, y));
                // The first year of a span: one cell up to the entry's year.
                if let Some((&last, _)) = init
                    .years
                    .range(y..)
                    .next()
                    .filter(|(k, e)| **k > y && e.from.is_some_and(|f| f <= y))
                {
                    cell.span = years.iter().filter(|&&x| x >= y && x <= last).count();
                    covered = Some(last);
                }
                cells.push(cell);
            }
            timeline.push(TimelineRow {
                label: plain(ctx, scale.name.get(ctx.lang).to_string()),
                cells,
            });
        }
    }
    timeline
}

pub fn initiative_page(ctx: &Ctx, i: usize) -> (&'static str, Frame, serde_json::Value) {
    let site = ctx.site;
    let init = &site.initiatives[i];
    let plan = &site.plans[init.plan];
    let years: Vec<FiscalYear> = plan.years().collect();
    let sched_scale = plan.scale_for(AppliesTo::Schedule).map(|s| &plan.scales[s]);
    let item_scale = plan
        .scale_for(AppliesTo::Initiative)
        .map(|s| &plan.scales[s]);

    let timeline = timeline_rows(ctx, i, &years, sched_scale, item_scale);
    let schedule: Vec<ScheduleView> = init
        .schedule
        .iter()
        .map(|r| schedule_view(ctx, i, r, sched_scale, &years))
        .collect();
    let year_rows: Vec<YearView> = init
        .years
        .iter()
        .map(|(y, e)| YearView {
            year: ctx.years(e.from, *y),
            phase: e.phase.as_ref().map(|t| ctx.html(t, false)),
            target: e.target.as_ref().map(|t| ctx.html(t, true)),
            badge: item_scale.map(|s| views::initiative_badge_in(ctx, i, s, e.status, *y)),
            result: e.result.as_ref().map(|t| ctx.html(t, true)),
            reason: e.reason.as_ref().map(|t| ctx.html(t, true)),
            figures: e.figures.iter().map(|f| figure_view(ctx, f)).collect(),
        })
        .collect();
    let departments: Vec<serde_json::Value> = init
        .departments
        .iter()
        .map(|&d| {
            let dep = &site.departments[d];
            let formerly: Vec<views::FormerName> = dep
                .formerly
                .iter()
                .filter(|(_, until)| *until >= plan.first_year)
                .map(|(name, until)| views::former_name(ctx, name, *until))
                .collect();
            serde_json::json!({ "link": views::department_link(ctx, d), "formerly": formerly })
        })
        .collect();
    let repeated_by: Vec<Link> = ctx
        .lists
        .repeated_by(i)
        .iter()
        .map(|&j| Link {
            href: urls::initiative(ctx.lang, site, j),
            title: ctx.text(&site.initiatives[j].title),
        })
        .collect();
    // The story first: this year's plan and status, row by row, and this
    // year's target and result.
    let this_year = ctx.year(plan.reporting_year);
    let now: Vec<NowRow> = init
        .schedule
        .iter()
        .zip(&schedule)
        .filter_map(|(row, view)| now_row(ctx, row, view, &this_year))
        .collect();
    let now_year = init.years.iter().position(|(&y, e)| {
        y == plan.reporting_year
            || (y > plan.reporting_year && e.from.is_some_and(|f| f <= plan.reporting_year))
    });
    // A legend of every badge the page shows.
    let used: Vec<&views::Badge> = timeline
        .iter()
        .flat_map(|r| r.cells.iter().map(|c| &c.badge))
        .chain(
            schedule
                .iter()
                .flat_map(|v| v.cells.iter().filter_map(|c| c.badge.as_ref())),
        )
        .chain(year_rows.iter().filter_map(|y| y.badge.as_ref()))
        .collect();
    let scales: Vec<&crate::model::Scale> = sched_scale.into_iter().chain(item_scale).collect();
    let legend = Some(used_legend(ctx, &scales, &used)).filter(|l| !l.is_empty());
    let title = ctx.text(&init.title);
    let body = ctx.html(&init.body, true);
    let current = views::initiative_status(ctx, i, plan.reporting_year);
    let current_why = current
        .as_ref()
        .and_then(|_| rollup_why(ctx, i, plan.reporting_year));
    let untranslated =
        init.translation.coverage != crate::model::Coverage::Full && ctx.lang != Lang::Ja;
    let data = serde_json::json!({
        "initiative": {
            "id": init.id,
            "code": views::init_code(ctx, i),
            "title": title,
            "level": plan.levels.last().map(|l| l.get(ctx.lang)),
            "departments": departments,
            "source_page": init.source_page,
            "source_title": plan.source.title,
            "source_url": plan.source.url,
            "reason": init.reason.as_ref().map(|t| ctx.html(t, true)),
            "data": super::data::initiative_record(site, i),
            "activities": init.activities.iter().map(|t| ctx.text(t)).collect::<Vec<_>>(),
            "repeat_of": init.repeat_of.map(|r| Link { href: urls::initiative(ctx.lang, site, r), title: ctx.text(&site.initiatives[r].title) }),
            "repeated_by": repeated_by,
            "ended": init.ended.as_ref().map(|e| serde_json::json!({
                "after": ctx.year(e.after),
                "text": ctx.t("ended_after").replace("{year}", &ctx.year(e.after)),
                "note": e.note.as_ref().map(|n| ctx.html(n, false)),
            })),
            "body": body,
            "coverage": init.translation.coverage,
        },
        "plan": super::pages::plan_link(ctx, init.plan),
        "current": current,
        "current_year": ctx.year(plan.reporting_year),
        "current_why": current_why,
        "rollup_rule": if init.schedule.len() > 1 { views::rollup_rule(ctx, plan) } else { None },
        "timeline": { "years": years.iter().map(|&y| ctx.year_short(y)).collect::<Vec<_>>(), "fys": years.iter().map(|y| y.0).collect::<Vec<_>>(), "reporting_fy": plan.reporting_year.0, "rows": timeline },
        "schedule": schedule,
        "schedule_rated": sched_scale.is_some(),
        "years": year_rows,
        "indicators": super::indicator_view::rows_for_initiative(ctx, i),
        "now": now,
        "now_year": now_year,
        // A 再掲 copy has its original's title: its <title> says so.
        "title_note": init.repeat_of.map(|_| ctx.t("repeat_mark")),
        "legend": legend,
    });
    (
        "initiative.html",
        Frame {
            kind: "initiative",
            title,
            breadcrumbs: {
                let mut t = trail(ctx, init.plan, init.section);
                t.push(Link {
                    href: urls::initiative(ctx.lang, site, i),
                    title: ctx.text(&init.title),
                });
                t
            },
            untranslated,
        },
        data,
    )
}

/// Why an initiative with several rated rows has the badge it has in
/// `year` (the README's table "One badge for an initiative with several
/// rated rows"): how many rows, and each status with its count, the
/// badge's first. Nothing with one row, or where every row has the same
/// status.
pub(crate) fn rollup_why(ctx: &Ctx, i: usize, year: crate::model::FiscalYear) -> Option<String> {
    let init = &ctx.site.initiatives[i];
    let plan = &ctx.site.plans[init.plan];
    let s = plan.scale_for(crate::model::AppliesTo::Schedule)?;
    let scale = &plan.scales[s];
    if init.schedule.len() < 2 {
        return None;
    }
    let statuses: Vec<Option<usize>> = init
        .schedule
        .iter()
        .map(|r| r.status.get(&year).copied())
        .collect();
    let rolled = scale.rolled_up(&statuses);
    if rolled.pick.is_none() || rolled.counts.len() < 2 {
        return None;
    }
    let items: Vec<String> = rolled
        .counts
        .iter()
        .map(|&(v, n)| {
            ctx.t("rollup_why_item")
                .replace("{label}", &views::badge(ctx, scale, v).label)
                .replace("{count}", &n.to_string())
        })
        .collect();
    let key = match scale.rollup {
        crate::model::Rollup::LeastAdvanced => "rollup_why_least",
        crate::model::Rollup::MostAdvanced => "rollup_why_most",
    };
    Some(
        ctx.t(key)
            .replace("{n}", &statuses.len().to_string())
            .replace("{items}", &items.join(&ctx.t("rollup_why_sep"))),
    )
}
