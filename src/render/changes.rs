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
use crate::model::{AcrossYears, AppliesTo, FiscalYear, Plan, Scale, Site, Tone};
use serde::Serialize;

/// How one item's status moved (the README's classification table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Way {
    /// To a more advanced value (a `progression` scale).
    Forward,
    /// To a less advanced value (a `progression` scale).
    Back,
    /// To another value of a `per_year` scale: this year's plan rated
    /// differently from last year's, neither forward nor back.
    Differs,
    /// Reported this year, not the year before.
    Reported,
    /// Reported the year before, not this year.
    Unreported,
    /// To or from a value outside the order (— nothing planned), or to
    /// another value of the same order (a `progression` scale).
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

/// How many items of a `per_year` scale have each value in the two years.
#[derive(Debug, Clone)]
pub(crate) struct Ratings {
    pub scale: usize,
    /// By value (descending `order`, then not reported), only values held.
    pub now: Vec<(Option<usize>, usize)>,
    pub before: Vec<(Option<usize>, usize)>,
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
    /// This year's ratings next to last year's, per `per_year` scale.
    pub ratings: Vec<Ratings>,
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

/// The README's classification table: how an item rated `before` in the
/// previous year and `after` in the year compared moved on `scale`, or
/// `None` where the two are the same.
pub(crate) fn classify(scale: &Scale, before: Option<usize>, after: Option<usize>) -> Option<Way> {
    if before == after {
        return None;
    }
    Some(match (before, after) {
        (None, _) => Way::Reported,
        (_, None) => Way::Unreported,
        (Some(a), Some(b)) => {
            let (a, b) = (&scale.values[a], &scale.values[b]);
            match scale.across_years {
                AcrossYears::PerYear => Way::Differs,
                AcrossYears::Progression => {
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
    })
}

/// One item compared: what it is and its status in the two years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Compared {
    pub index: usize,
    pub row: Option<usize>,
    pub from: Option<usize>,
    pub to: Option<usize>,
}

/// The items of scale `s` of plan `p` compared between `previous` and
/// `year`, in page order: every item but those of an initiative that ended
/// before `year` or that re-lists (再掲) another initiative.
pub(crate) fn compared(
    site: &Site,
    p: usize,
    s: usize,
    previous: FiscalYear,
    year: FiscalYear,
) -> Vec<Compared> {
    let scale = &site.plans[p].scales[s];
    let before = views::units_in(site, p, s, previous);
    let now = views::units_in(site, p, s, year);
    let mut row = 0;
    let mut last = None;
    let mut out = Vec::new();
    // The same items in the same order every year (`units_in`).
    for ((index, from, _), (_, to, ended)) in before.into_iter().zip(now) {
        row = if last == Some(index) { row + 1 } else { 0 };
        last = Some(index);
        let relisted =
            scale.applies_to != AppliesTo::Section && site.initiatives[index].repeat_of.is_some();
        if ended || relisted {
            continue;
        }
        out.push(Compared {
            index,
            row: (scale.applies_to == AppliesTo::Schedule).then_some(row),
            from,
            to,
        });
    }
    out
}

/// How many of `statuses` have each value: by descending `order` (then
/// value index), only values held, not reported (`None`) last.
pub(crate) fn tally(
    scale: &Scale,
    statuses: impl Iterator<Item = Option<usize>>,
) -> Vec<(Option<usize>, usize)> {
    let mut n = vec![0usize; scale.values.len() + 1];
    for v in statuses {
        n[v.unwrap_or(scale.values.len())] += 1;
    }
    let mut values: Vec<usize> = (0..scale.values.len()).collect();
    values.sort_by_key(|&v| (std::cmp::Reverse(scale.values[v].order), v));
    values
        .into_iter()
        .map(Some)
        .chain([None])
        .map(|v| (v, n[v.unwrap_or(scale.values.len())]))
        .filter(|(_, k)| *k > 0)
        .collect()
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
    let mut ratings = Vec::new();
    for (s, scale) in plan.scales.iter().enumerate() {
        let items = compared(site, p, s, previous, year);
        for c in &items {
            if let Some(way) = classify(scale, c.from, c.to) {
                moves.push(Move {
                    scale: s,
                    index: c.index,
                    row: c.row,
                    from: c.from,
                    to: c.to,
                    way,
                });
            }
        }
        if scale.across_years == AcrossYears::PerYear {
            ratings.push(Ratings {
                scale: s,
                now: tally(scale, items.iter().map(|c| c.to)),
                before: tally(scale, items.iter().map(|c| c.from)),
            });
        }
    }
    let ended = site
        .initiatives
        .iter()
        .enumerate()
        .filter(|(_, i)| {
            i.plan == p
                && i.repeat_of.is_none()
                && i.ended.as_ref().is_some_and(|e| e.after == previous)
        })
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
        ratings,
    }
}

#[derive(Serialize)]
struct MoveView {
    link: Link,
    code: String,
    row: Option<Txt>,
    from: Badge,
    to: Badge,
    /// The initiatives that re-list (再掲) this one, counted here once.
    also: Vec<Link>,
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
    let also = if scale.applies_to == AppliesTo::Section {
        Vec::new()
    } else {
        site.initiatives
            .iter()
            .enumerate()
            .filter(|(_, o)| o.repeat_of == Some(m.index))
            .map(|(o, init)| {
                let code = views::init_code(ctx, o);
                let mut title = ctx.text(&init.title);
                if let Some(code) = code {
                    title.text = format!("{code} {}", title.text);
                }
                Link {
                    href: urls::initiative(ctx.lang, site, o),
                    title,
                }
            })
            .collect()
    };
    MoveView {
        link,
        code,
        row,
        from: badge(ctx, scale, m.from),
        to: badge(ctx, scale, m.to),
        also,
    }
}

/// The counts of a changes page's summary (the README's summary table):
/// each is the number of rows of its group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Counts {
    pub forward: usize,
    pub back: usize,
    pub differs: usize,
    pub reported: usize,
    /// Moves to a value of the "bad" tone, by (scale, value), in the order first met.
    pub to_bad: Vec<((usize, usize), usize)>,
    pub ended: usize,
}

pub(crate) fn counts(plan: &Plan, c: &Changes) -> Counts {
    let count = |w: Way| c.moves.iter().filter(|m| m.way == w).count();
    let mut to_bad: Vec<((usize, usize), usize)> = Vec::new();
    for m in &c.moves {
        let Some(v) = m.to else { continue };
        if plan.scales[m.scale].values[v].tone != Tone::Bad {
            continue;
        }
        match to_bad.iter_mut().find(|(k, _)| *k == (m.scale, v)) {
            Some((_, n)) => *n += 1,
            None => to_bad.push(((m.scale, v), 1)),
        }
    }
    Counts {
        forward: count(Way::Forward),
        back: count(Way::Back),
        differs: count(Way::Differs),
        reported: count(Way::Reported),
        to_bad,
        ended: c.ended.len(),
    }
}

/// The line at the top (the README's summary table): moved forward and
/// back (progression scales), rated differently (per-year scales), to each
/// value of the bad tone, reported for the first time, ended, then this
/// year's ratings next to last year's for each per-year scale.
pub(super) fn summary(ctx: &Ctx, plan: &Plan, c: &Changes) -> Vec<String> {
    let n = counts(plan, c);
    let fill = |key: &str, n: usize| ctx.count(key, n);
    let has = |k: AcrossYears| plan.scales.iter().any(|s| s.across_years == k);
    let mut summary = Vec::new();
    if has(AcrossYears::Progression) {
        summary.push(fill("changes_forward", n.forward));
        summary.push(fill("changes_back", n.back));
    }
    if has(AcrossYears::PerYear) {
        summary.push(fill("changes_differs", n.differs));
    }
    for ((s, v), k) in n.to_bad {
        let b = badge(ctx, &plan.scales[s], Some(v));
        let label = format!("{} {}", b.symbol, b.label).trim().to_string();
        summary.push(fill("changes_to_bad", k).replace("{label}", &label));
    }
    if n.reported > 0 {
        summary.push(fill("changes_reported", n.reported));
    }
    if n.ended > 0 {
        summary.push(fill("changes_ended", n.ended));
    }
    for r in &c.ratings {
        let scale = &plan.scales[r.scale];
        let items = |t: &[(Option<usize>, usize)]| {
            t.iter()
                .map(|&(v, k)| {
                    ctx.t("headline_item")
                        .replace("{label}", &badge(ctx, scale, v).label)
                        .replace("{count}", &k.to_string())
                })
                .collect::<Vec<_>>()
                .join(&ctx.t("changes_ratings_sep"))
        };
        summary.push(
            ctx.t("changes_ratings")
                .replace("{scale}", scale.name.get(ctx.lang))
                .replace("{year}", &ctx.year_short(c.year))
                .replace("{previous}", &ctx.year_short(c.previous))
                .replace("{items_before}", &items(&r.before))
                .replace("{items}", &items(&r.now)),
        );
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

/// The names of a plan's scales of one kind, 「」-quoted, or nothing.
fn scale_names(ctx: &Ctx, plan: &Plan, kind: AcrossYears) -> Option<String> {
    let names: Vec<String> = plan
        .scales
        .iter()
        .filter(|s| s.across_years == kind)
        .map(|s| {
            format!(
                "{}{}{}",
                ctx.t("changes_quote_open"),
                s.name.get(ctx.lang),
                ctx.t("changes_quote_close")
            )
        })
        .collect();
    (!names.is_empty()).then(|| names.join(&ctx.t("list_sep")))
}

/// A group of a changes page: its id, the key of its heading, and which
/// moves it holds.
type GroupSpec = (&'static str, &'static str, fn(Way) -> bool);

/// The groups of a changes page, in page order.
const GROUPS: [GroupSpec; 5] = [
    ("forward", "changes_forward_title", |w| w == Way::Forward),
    ("back", "changes_back_title", |w| w == Way::Back),
    ("differs", "changes_differs_title", |w| w == Way::Differs),
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
        summary.push(ctx.count("changes_revised", n("targets")));
        if n("added") > 0 {
            summary.push(ctx.count("changes_added", n("added")));
        }
        if n("removed") > 0 {
            summary.push(ctx.count("changes_removed", n("removed")));
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
            "progression_scales": scale_names(ctx, plan, AcrossYears::Progression),
            "per_year_scales": scale_names(ctx, plan, AcrossYears::PerYear),
            "has_indicators": !plan.indicators.is_empty(),
            "statuses": (!plan.scales.is_empty()).then(|| urls::statuses(ctx.lang, site, p)),
            "indicator_index": (!plan.indicators.is_empty()).then(|| urls::indicators(ctx.lang, site, p)),
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn scale(kind: AcrossYears, values: &[(i32, Tone)]) -> Scale {
        crate::model::test_scale(kind, values)
    }

    fn any_kind() -> impl Strategy<Value = AcrossYears> {
        prop_oneof![Just(AcrossYears::PerYear), Just(AcrossYears::Progression)]
    }

    fn any_values() -> impl Strategy<Value = Vec<(i32, Tone)>> {
        proptest::collection::vec(
            (
                -2i32..5,
                proptest::sample::select(Tone::ALL.map(|(_, t)| t).to_vec()),
            ),
            1..6,
        )
    }

    /// A status of a scale of `n` values, or none.
    fn any_status(n: usize) -> impl Strategy<Value = Option<usize>> {
        proptest::option::of(0..n)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// The classification table's invariants: a per-year scale never
        /// says forward or back; nothing is listed unless the status
        /// changed; forward and back follow `order` and are each other's
        /// reverse; a neutral value is never forward or back.
        #[test]
        fn classify_keeps_the_table(
            (values, a, b) in any_values().prop_flat_map(|v| {
                let n = v.len();
                (Just(v), any_status(n), any_status(n))
            }),
            kind in any_kind(),
        ) {
            let s = scale(kind, &values);
            let way = classify(&s, a, b);
            prop_assert_eq!(way.is_none(), a == b);
            if kind == AcrossYears::PerYear {
                prop_assert!(!matches!(way, Some(Way::Forward | Way::Back)));
            }
            match (a, b, way) {
                (None, Some(_), w) => prop_assert_eq!(w, Some(Way::Reported)),
                (Some(_), None, w) => prop_assert_eq!(w, Some(Way::Unreported)),
                (Some(x), Some(y), Some(w)) => {
                    let (x, y) = (&s.values[x], &s.values[y]);
                    let neutral = x.tone == Tone::Neutral || y.tone == Tone::Neutral;
                    match w {
                        Way::Forward => prop_assert!(!neutral && y.order > x.order),
                        Way::Back => prop_assert!(!neutral && y.order < x.order),
                        Way::Differs => prop_assert_eq!(kind, AcrossYears::PerYear),
                        Way::Other => prop_assert!(
                            kind == AcrossYears::Progression && (neutral || x.order == y.order)
                        ),
                        Way::Reported | Way::Unreported => prop_assert!(false, "{:?}", w),
                    }
                    let back = classify(&s, b, a);
                    let reverse = match w {
                        Way::Forward => Way::Back,
                        Way::Back => Way::Forward,
                        w => w,
                    };
                    prop_assert_eq!(back, Some(reverse));
                }
                _ => {}
            }
        }

        /// The ratings line counts every item once: the counts add up to
        /// the items, none is zero, values by descending order, not
        /// reported last.
        #[test]
        fn tally_counts_every_item_once(
            (values, statuses) in any_values().prop_flat_map(|v| {
                let n = v.len();
                (Just(v), proptest::collection::vec(any_status(n), 0..40))
            }),
        ) {
            let s = scale(AcrossYears::PerYear, &values);
            let t = tally(&s, statuses.iter().copied());
            prop_assert_eq!(t.iter().map(|(_, n)| n).sum::<usize>(), statuses.len());
            prop_assert!(t.iter().all(|(_, n)| *n > 0));
            for (v, n) in &t {
                prop_assert_eq!(*n, statuses.iter().filter(|x| *x == v).count());
            }
            let orders: Vec<Option<i32>> = t.iter().map(|(v, _)| v.map(|v| s.values[v].order)).collect();
            for w in orders.windows(2) {
                match (w[0], w[1]) {
                    (Some(a), Some(b)) => prop_assert!(a >= b),
                    (None, _) => prop_assert!(false, "not reported is last"),
                    _ => {}
                }
            }
        }
    }

    /// A plan of `inits` initiatives on a schedule scale of `kind`: each
    /// with its rows' statuses in FY2022 (R4) and FY2023 (R5), a re-listing
    /// of an earlier initiative (its statuses copied, as the example's), or
    /// ended after a year.
    #[derive(Debug, Clone)]
    struct Init {
        rows: Vec<(Option<usize>, Option<usize>)>,
        repeat_of: Option<usize>,
        ended_after: Option<u16>,
    }

    const SYMBOLS: [&str; 4] = ["◎", "○", "×", "—"];

    fn any_init() -> impl Strategy<Value = Init> {
        (
            proptest::collection::vec((any_status(4), any_status(4)), 1..4),
            proptest::option::of(0usize..8),
            proptest::option::weighted(0.2, 2021u16..2024),
        )
            .prop_map(|(rows, repeat_of, ended_after)| Init {
                rows,
                repeat_of,
                ended_after,
            })
    }

    fn load(kind: AcrossYears, inits: &[Init]) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let w = |rel: &str, text: &str| {
            let p = dir.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        w(
            "content/site.toml",
            "title = { ja = \"試験\", en = \"Test\" }\nbase_url = \"https://example.jp/\"\n\n[[municipalities]]\nid = \"c\"\nname = { ja = \"市\", en = \"City\" }\n",
        );
        let kind = match kind {
            AcrossYears::PerYear => "per_year",
            AcrossYears::Progression => "progression",
        };
        let values: String = [("done", 3, "done"), ("prog", 2, "progress"), ("stop", 1, "bad"), ("na", 0, "neutral")]
            .iter()
            .zip(SYMBOLS)
            .map(|((k, o, t), sym)| {
                format!("[[scales.values]]\nkey = \"{k}\"\nsymbols = [\"{sym}\"]\nlabel = {{ ja = \"{k}\", en = \"{k}\" }}\norder = {o}\ntone = \"{t}\"\n\n")
            })
            .collect();
        w(
            "content/p/_plan.md",
            &format!("+++\nid = \"p\"\nmunicipality = \"c\"\ntitle = \"計画\"\nperiod = {{ first = \"R3\", last = \"R6\" }}\nreporting_year = \"R5\"\nlevels = [{{ ja = \"取組\", en = \"Item\" }}]\n\n[[scales]]\nkey = \"s\"\nname = {{ ja = \"状況\", en = \"Status\" }}\napplies_to = \"schedule\"\nacross_years = \"{kind}\"\n\n{values}+++\n"),
        );
        for (k, init) in inits.iter().enumerate() {
            // A re-listing names an earlier initiative and copies its rows.
            let original = init
                .repeat_of
                .filter(|&o| o < k && inits[o].repeat_of.is_none());
            let (rows, repeat) = match original {
                Some(o) => (&inits[o].rows, format!("repeat_of = \"i{o}\"\n")),
                None => (&init.rows, String::new()),
            };
            let after = init.ended_after.filter(|_| original.is_none());
            let ended = after.map_or(String::new(), |y| format!("ended = {{ after = {y} }}\n"));
            // Nothing is rated after a programme ended.
            let open = |year: u16| after.is_none_or(|y| year <= y);
            let mut text = format!("+++\nid = \"i{k}\"\ntitle = \"取組{k}\"\n{repeat}{ended}");
            for (a, b) in rows {
                text.push_str("\n[[schedule]]\n[schedule.plan]\nR4 = \"計画\"\nR5 = \"計画\"\n[schedule.status]\n");
                if let Some(a) = a.filter(|_| open(2022)) {
                    text.push_str(&format!("R4 = \"{}\"\n", SYMBOLS[a]));
                }
                if let Some(b) = b.filter(|_| open(2023)) {
                    text.push_str(&format!("R5 = \"{}\"\n", SYMBOLS[b]));
                }
            }
            text.push_str("+++\n");
            w(&format!("content/p/i{k:02}.md"), &text);
        }
        let (site, diags) = crate::content::load(dir.path());
        site.unwrap_or_else(|| panic!("{diags:?}"))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Over generated plans: every item listed at most once, never a
        /// re-listing (再掲) or a programme ended before the year; a
        /// per-year scale never forward or back; each summary count equals
        /// its group's rows; the ratings count every compared item once in
        /// each year.
        #[test]
        fn a_changes_page_lists_each_item_once_and_counts_its_rows(
            kind in any_kind(),
            inits in proptest::collection::vec(any_init(), 1..8),
        ) {
            let site = load(kind, &inits);
            let plan = &site.plans[0];
            let c = of_plan(&site, 0);
            let mut seen = std::collections::BTreeSet::new();
            for m in &c.moves {
                prop_assert!(seen.insert((m.scale, m.index, m.row)), "{:?} twice", m);
                let init = &site.initiatives[m.index];
                prop_assert!(init.repeat_of.is_none(), "a re-listing is listed: {:?}", m);
                prop_assert!(!init.ended_in(c.year));
                if kind == AcrossYears::PerYear {
                    prop_assert!(!matches!(m.way, Way::Forward | Way::Back));
                }
            }
            prop_assert!(c.ended.iter().all(|&i| site.initiatives[i].repeat_of.is_none()));
            let n = counts(plan, &c);
            let rows = |w: Way| c.moves.iter().filter(|m| GROUPS.iter().any(|g| g.2(m.way)) && m.way == w).count();
            prop_assert_eq!(n.forward, rows(Way::Forward));
            prop_assert_eq!(n.back, rows(Way::Back));
            prop_assert_eq!(n.differs, rows(Way::Differs));
            prop_assert_eq!(n.reported, rows(Way::Reported));
            prop_assert_eq!(n.ended, c.ended.len());
            prop_assert_eq!(items(&c), c.moves.len() + c.ended.len());
            let compared = compared(&site, 0, 0, c.previous, c.year);
            for r in &c.ratings {
                prop_assert_eq!(r.now.iter().map(|x| x.1).sum::<usize>(), compared.len());
                prop_assert_eq!(r.before.iter().map(|x| x.1).sum::<usize>(), compared.len());
            }
            prop_assert_eq!(c.ratings.len(), usize::from(kind == AcrossYears::PerYear));
            // The badge's explanation names the badge's own value first.
            for (i, init) in site.initiatives.iter().enumerate() {
                let statuses: Vec<Option<usize>> =
                    init.schedule.iter().map(|r| r.status.get(&c.year).copied()).collect();
                let rolled = plan.scales[0].rolled_up(&statuses);
                let shown = views::rolled_status(&site, i, c.year).and_then(|(_, v)| v);
                prop_assert_eq!(rolled.pick, shown);
                if let Some(v) = shown {
                    prop_assert_eq!(rolled.counts[0].0, Some(v));
                }
            }
            // Every compared item whose status changed is listed.
            prop_assert_eq!(compared.iter().filter(|x| x.from != x.to).count(), c.moves.len());
        }
    }
}
