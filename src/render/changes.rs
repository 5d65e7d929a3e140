//! What changed in a plan's reporting year against the year before,
//! computed from the statuses by year already in the content: every rated
//! item (initiative, schedule row or section) whose status moved — forward
//! or back along its scale's order, to a value of the scale's "bad" tone
//! (× 中止, 未達成), or into or out of being reported — the initiatives
//! whose programme ended, and the indicators whose status, computed from
//! the values reported by the end of each year, differs: those that reached
//! their target, fell back from it, or moved between on track and behind.
//! The plan's "changes" page shows it, summarised at the top, and links
//! each item to its page.

use super::pages::{home_link, plain, plan_link, Frame};
use super::paging;
use super::urls;
use super::views::{self, badge, Badge, Ctx, Link, Txt};
use crate::model::progress::Assessed;
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
    /// Indicators whose status differs between the ends of the two years.
    pub indicators: Vec<IndicatorMove>,
}

/// An indicator whose status at the end of the year differs from its
/// status at the end of the year before.
#[derive(Debug, Clone)]
pub(crate) struct IndicatorMove {
    pub index: usize,
    pub from: Assessed,
    pub to: Assessed,
}

impl IndicatorMove {
    /// Reached its target this year.
    pub fn reached(&self) -> bool {
        self.to == Assessed::Achieved
    }

    /// Had reached its target, and no longer does.
    pub fn fell_back(&self) -> bool {
        self.from == Assessed::Achieved
    }
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

/// Whether a plan has statuses or indicators, and a year before its
/// reporting year to compare with.
pub(crate) fn has_changes(plan: &Plan) -> bool {
    (!plan.scales.is_empty() || !plan.indicators.is_empty())
        && compared_year(plan) > plan.first_year
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
    let indicators = plan
        .indicators
        .iter()
        .map(|&i| IndicatorMove {
            index: i,
            from: site.assessment_as_of(i, previous).status,
            to: site.assessment_as_of(i, year).status,
        })
        .filter(|m| m.from != m.to)
        .collect();
    Changes {
        year,
        previous,
        moves,
        ended,
        indicators,
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
    /// The group's rows in all, over every page.
    count: usize,
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
pub(super) fn summary(ctx: &Ctx, plan: &Plan, c: &Changes) -> Vec<String> {
    let count = |w: Way| c.moves.iter().filter(|m| m.way == w).count();
    let bad = |m: &&Move| {
        m.to.is_some_and(|v| plan.scales[m.scale].values[v].tone == Tone::Bad)
    };
    let fill = |key: &str, n: usize| ctx.t(key).replace("{count}", &n.to_string());
    let mut summary = Vec::new();
    if !plan.scales.is_empty() {
        summary.push(fill("changes_forward", count(Way::Forward)));
        summary.push(fill("changes_back", count(Way::Back)));
    }
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
    if !plan.indicators.is_empty() {
        let n = |keep: fn(&IndicatorMove) -> bool| c.indicators.iter().filter(|m| keep(m)).count();
        summary.push(fill("changes_ind_reached", n(IndicatorMove::reached)));
        if n(IndicatorMove::fell_back) > 0 {
            summary.push(fill("changes_ind_fell_back", n(IndicatorMove::fell_back)));
        }
        let other = n(|m| !m.reached() && !m.fell_back());
        if other > 0 {
            summary.push(fill("changes_ind_other", other));
        }
    }
    summary
}

#[derive(Serialize)]
struct IndicatorMoveView {
    href: String,
    name: Txt,
    from: Badge,
    to: Badge,
    /// The latest value reported by the end of each year, with its year.
    before: Option<String>,
    now: Option<String>,
}

#[derive(Serialize)]
struct IndicatorGroup {
    id: &'static str,
    title: String,
    moves: Vec<IndicatorMoveView>,
}

/// The latest value of indicator `i` reported by the end of `year` (interim
/// values included, marked), as "value (year)".
fn value_by(ctx: &Ctx, i: usize, year: FiscalYear) -> Option<String> {
    let ind = &ctx.site.indicators[i];
    let o = ind
        .observations
        .iter()
        .filter(|o| o.year <= year)
        .max_by_key(|o| o.year)
        .or(ind.baseline.as_ref().filter(|b| b.year <= year))?;
    let value = super::indicator_view::value_text(ctx, ind, &o.reading).text;
    let mark = if o.interim {
        ctx.t("interim_mark")
    } else {
        String::new()
    };
    Some(format!(
        "{value}{}{}{mark}{}",
        ctx.t("lp"),
        ctx.year_short(o.year),
        ctx.t("rp")
    ))
}

fn indicator_groups(ctx: &Ctx, c: &Changes) -> Vec<IndicatorGroup> {
    let view = |m: &IndicatorMove| IndicatorMoveView {
        href: urls::indicator(ctx.lang, ctx.site, m.index),
        name: ctx.text(&ctx.site.indicators[m.index].name),
        from: views::status_badge(ctx, m.from),
        to: views::status_badge(ctx, m.to),
        before: value_by(ctx, m.index, c.previous),
        now: value_by(ctx, m.index, c.year),
    };
    let group =
        |id: &'static str, key: &str, keep: &dyn Fn(&IndicatorMove) -> bool| IndicatorGroup {
            id,
            title: ctx.t(key),
            moves: c.indicators.iter().filter(|m| keep(m)).map(view).collect(),
        };
    [
        group("ind-reached", "changes_ind_reached_title", &|m| m.reached()),
        group("ind-fell-back", "changes_ind_fell_back_title", &|m| {
            m.fell_back()
        }),
        group("ind-other", "changes_ind_other_title", &|m| {
            !m.reached() && !m.fell_back()
        }),
    ]
    .into_iter()
    .filter(|g| !g.moves.is_empty())
    .collect()
}

#[derive(Serialize)]
struct RevisionView {
    href: String,
    code: String,
    title: Txt,
    year: String,
    /// The figure or schedule row, or "target".
    what: String,
    before: String,
    after: String,
}

#[derive(Serialize)]
struct RemovedView {
    href: String,
    code: String,
    title: Txt,
}

/// One row of the table of changed targets.
fn revision_row(ctx: &Ctx, rev: &super::revisions::Revision) -> RevisionView {
    use super::revisions::{Item, What};
    let site = ctx.site;
    let none = || ctx.t("not_set");
    let text = |t: &Option<crate::model::Text>| t.as_ref().map_or_else(none, |t| ctx.text(t).text);
    let reading = |x: &Option<crate::model::value::Reading>| {
        x.as_ref()
            .map_or_else(none, |x| super::units::shown(ctx, x, None).text)
    };

    let (href, code, title) = match rev.item {
        Item::Initiative(i) => (
            urls::initiative(ctx.lang, site, i),
            views::init_code(ctx, i).unwrap_or_default(),
            ctx.text(&site.initiatives[i].title),
        ),
        Item::Indicator(k) => (
            urls::indicator(ctx.lang, site, k),
            String::new(),
            ctx.text(&site.indicators[k].name),
        ),
    };
    let (what, before, after) = match &rev.what {
        What::Target(a, b) => (ctx.t("revision_target"), text(a), text(b)),
        What::Figure(name, a, b) => (ctx.text(name).text, reading(a), reading(b)),
        What::Schedule(label, a, b) => (
            label
                .as_ref()
                .map_or_else(|| ctx.t("revision_schedule"), |l| ctx.text(l).text),
            text(a),
            text(b),
        ),
        What::Indicator(a, b) => {
            let ind = match rev.item {
                Item::Indicator(k) => &site.indicators[k],
                Item::Initiative(_) => {
                    unreachable!("an indicator's target is of an indicator")
                }
            };
            let shown = |t: &Option<crate::model::Target>| {
                t.as_ref().map_or_else(none, |t| {
                    format!(
                        "{}{}{}{}",
                        super::indicator_view::target_text(ctx, ind, t).text,
                        ctx.t("lp"),
                        ctx.year_short(t.year),
                        ctx.t("rp")
                    )
                })
            };
            (ctx.t("revision_target"), shown(a), shown(b))
        }
    };
    RevisionView {
        href,
        code,
        title,
        year: ctx.year(rev.year),
        what,
        before,
        after,
    }
}

/// The targets changed since the plan's last kept report, and the
/// initiatives added to the report or no longer in it.
fn revisions_view(ctx: &Ctx, p: usize, year: FiscalYear) -> Option<serde_json::Value> {
    let r = super::revisions::of_plan(ctx.site, p)?;
    let targets: Vec<RevisionView> = r
        .revisions
        .iter()
        .map(|rev| revision_row(ctx, rev))
        .collect();
    let past = r.past;
    let past_ctx = Ctx { site: past, ..*ctx };
    let removed: Vec<RemovedView> = r
        .removed
        .iter()
        .map(|&o| RemovedView {
            href: urls::initiative(ctx.lang, past, o),
            code: views::init_code(&past_ctx, o).unwrap_or_default(),
            title: ctx.text(&past.initiatives[o].title),
        })
        .collect();
    let added: Vec<views::InitiativeRow> = r
        .added
        .iter()
        .map(|&i| views::initiative_row(ctx, i, year))
        .collect();
    Some(serde_json::json!({
        "past": super::pages::plan_link(&past_ctx, 0),
        "targets": targets,
        "added": added,
        "removed": removed,
    }))
}

/// A group of a changes page: its id, the key of its heading, and which
/// moves it holds.
type GroupSpec = (&'static str, &'static str, fn(Way) -> bool);

/// The groups of a changes page, in page order.
const GROUPS: [GroupSpec; 4] = [
    ("forward", "changes_forward_title", |w| w == Way::Forward),
    ("back", "changes_back_title", |w| w == Way::Back),
    ("reported", "changes_reported_title", |w| w == Way::Reported),
    ("other", "changes_other_title", |w| {
        matches!(w, Way::Other | Way::Unreported)
    }),
];

/// How many rows a plan's changes take over its numbered pages: every
/// move of every group, then the programmes that ended.
pub(crate) fn items(c: &Changes) -> usize {
    let grouped = c
        .moves
        .iter()
        .filter(|m| GROUPS.iter().any(|g| g.2(m.way)))
        .count();
    grouped + c.ended.len()
}

pub(super) fn changes_page(
    ctx: &Ctx,
    p: usize,
    part: u32,
) -> (&'static str, Frame, serde_json::Value) {
    let site = ctx.site;
    let plan = &site.plans[p];
    let owned;
    let c = match ctx.lists.changes(p) {
        Some(c) => c,
        None => {
            owned = of_plan(site, p);
            &owned
        }
    };
    let len = items(c);
    let shown = paging::range(part, len);
    // The rows of every group, then the ended programmes, one after the
    // other over the numbered pages; a page shows the heading (with the
    // whole group's count) of each group it holds rows of.
    let mut at = 0;
    let mut slice = |n: usize| {
        let first = at;
        at += n;
        shown.start.clamp(first, at) - first..shown.end.clamp(first, at) - first
    };
    let mut groups = Vec::new();
    for (id, key, keep) in GROUPS {
        let all: Vec<&Move> = c.moves.iter().filter(|m| keep(m.way)).collect();
        let rows = slice(all.len());
        if !rows.is_empty() {
            groups.push(Group {
                id,
                title: ctx.t(key),
                count: all.len(),
                moves: all[rows].iter().map(|m| move_view(ctx, plan, m)).collect(),
            });
        }
    }
    let ended_rows = slice(c.ended.len());
    let ended: Vec<views::InitiativeRow> = c.ended[ended_rows]
        .iter()
        .map(|&i| views::initiative_row(ctx, i, c.previous))
        .collect();
    let first_page = part == 0;
    let mut summary = if first_page {
        summary(ctx, plan, c)
    } else {
        Vec::new()
    };
    let title = plain(
        ctx,
        ctx.t("changes_heading")
            .replace("{year}", &ctx.year(c.year))
            .replace("{previous}", &ctx.year(c.previous)),
    );
    let base = urls::changes(ctx.lang, site, p);
    let pager = paging::pager(ctx, &base, part, len);
    let shown_title = super::pages::numbered(ctx, title.clone(), pager.as_ref(), part);
    let breadcrumbs = super::pages::on_part(
        vec![
            home_link(ctx),
            plan_link(ctx, p),
            Link { href: base, title },
        ],
        &shown_title,
        part,
    );
    let title = shown_title;
    // The overview (counts, indicators, revised targets) is on the first page.
    let indicators = if first_page {
        indicator_groups(ctx, c)
    } else {
        Vec::new()
    };
    let revisions = first_page.then(|| revisions_view(ctx, p, c.year)).flatten();
    if let Some(r) = &revisions {
        let n = |k: &str| r[k].as_array().map_or(0, Vec::len);
        summary.push(
            ctx.t("changes_revised")
                .replace("{count}", &n("targets").to_string()),
        );
        if n("added") > 0 {
            summary.push(
                ctx.t("changes_added")
                    .replace("{count}", &n("added").to_string()),
            );
        }
        if n("removed") > 0 {
            summary.push(
                ctx.t("changes_removed")
                    .replace("{count}", &n("removed").to_string()),
            );
        }
    }
    let untranslated = groups
        .iter()
        .flat_map(|g| &g.moves)
        .any(|m| m.link.title.fallback)
        || indicators
            .iter()
            .flat_map(|g| &g.moves)
            .any(|m| m.name.fallback);
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
            "first_page": first_page,
            "pager": pager,
            "summary": summary,
            "groups": groups,
            "ended": ended,
            "ended_count": c.ended.len(),
            "indicators": indicators,
            "revisions": revisions,
            "has_scales": !plan.scales.is_empty(),
            "has_indicators": !plan.indicators.is_empty(),
            "statuses": (!plan.scales.is_empty()).then(|| urls::statuses(ctx.lang, site, p)),
            "indicator_index": (!plan.indicators.is_empty()).then(|| urls::indicators(ctx.lang, site, p)),
        }),
    )
}
