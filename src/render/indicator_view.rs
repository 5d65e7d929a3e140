//! Indicator pages: the index of a plan's indicators (grouped by its
//! hierarchy, with a trend, the latest value, the target and a status), and
//! one page per indicator (chart, table, sentence, method, footnotes), plus
//! the CSV of each series.

use super::chart::{self, ChartInput, Point};
use super::pages::{home_link, plain, plan_link, Frame};
use super::urls;
use super::views::{self, status_badge, Badge, Ctx, Link, Txt};
use crate::model::progress::{Assessed, Assessment, Direction, Why};
use crate::model::value::{Reading, Value};
use crate::model::{Date, Indicator, Lang, Observation, Plan, Target, TargetValue};
use serde::Serialize;
use std::collections::BTreeMap;

/// Counts of the status of the indicators (of `indicators`) that measure
/// one of `inits`: a section's roll-up in a plan that rates indicators.
pub fn summary_of(ctx: &Ctx, indicators: &[usize], inits: &[usize]) -> Vec<(Badge, usize)> {
    use crate::model::progress::Assessed;
    let site = ctx.site;
    let mine: Vec<usize> = indicators
        .iter()
        .copied()
        .filter(|&i| {
            site.indicators[i]
                .initiative
                .is_some_and(|x| inits.contains(&x))
        })
        .collect();
    Assessed::ALL
        .iter()
        .map(|(_, a)| {
            let n = mine
                .iter()
                .filter(|&&i| site.assessment(i).status == *a)
                .count();
            (status_badge(ctx, *a), n)
        })
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// A value of an indicator as residents read it: printed Japanese, or in
/// English with the indicator's unit.
pub fn value_text(ctx: &Ctx, ind: &Indicator, r: &Reading) -> Txt {
    match r.value {
        Value::Missing => plain(ctx, "—".into()),
        _ => super::units::shown(ctx, r, ind.unit.as_ref()),
    }
}

/// A target as the report prints it: nothing is added to it (a bound the
/// report does not state is told by [`judged_as`]).
pub(super) fn target_text(ctx: &Ctx, ind: &Indicator, t: &Target) -> Txt {
    match &t.value {
        TargetValue::Text(text) => ctx.text(text),
        TargetValue::Number(r, _) => value_text(ctx, ind, r),
    }
}

/// How a number target whose printed value states no bound (以上/以下) is
/// judged: 「2園以上として判定（…指標の向き「数値が大きいほど良い」から）」,
/// "judged as 2 or more nurseries (…)". `None` where the value states it.
pub(super) fn judged_as(ctx: &Ctx, ind: &Indicator, t: &Target) -> Option<String> {
    use crate::model::value::Comparator;
    let TargetValue::Number(r, c) = &t.value else {
        return None;
    };
    if r.comparator.is_some() {
        return None;
    }
    let key = match c {
        Comparator::AtLeast => "judged_as_at_least",
        Comparator::AtMost => "judged_as_at_most",
        Comparator::Exactly => "judged_as_exactly",
    };
    // English writes the bound inside the value: "2 or more nurseries".
    let value = match (ctx.lang, c) {
        (Lang::En, Comparator::AtLeast | Comparator::AtMost) => value_text(
            ctx,
            ind,
            &Reading {
                comparator: Some(*c),
                ..r.clone()
            },
        ),
        _ => value_text(ctx, ind, r),
    };
    let judged = ctx.t(key).replace("{value}", &value.text);
    Some(if t.comparator_implied {
        ctx.t("judged_as_by_direction")
            .replace("{direction}", &direction_text(ctx, ind.direction))
            .replace("{judged}", &judged)
    } else {
        judged
    })
}

fn direction_text(ctx: &Ctx, d: Direction) -> String {
    ctx.t(&format!(
        "direction_{}",
        serde_json::to_value(d)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default()
    ))
}

/// A day in the page's language: 令和6年2月2日 / 2 February 2024.
pub(crate) fn day(ctx: &Ctx, d: Date) -> String {
    match ctx.lang {
        Lang::Ja => d.ja(),
        Lang::En => d.en(),
    }
}

/// When a value was measured, where the report dates it: 令和3年4月1日時点 /
/// as of 1 April 2021; an interim value says so.
pub(crate) fn as_of_text(ctx: &Ctx, as_of: Option<Date>, interim: bool) -> Option<String> {
    let key = if interim { "interim_as_of" } else { "as_of" };
    as_of.map(|d| ctx.t(key).replace("{date}", &day(ctx, d)))
}

fn observation_as_of(ctx: &Ctx, o: &Observation) -> Option<String> {
    as_of_text(ctx, o.as_of, o.interim)
}

/// A value with its date, for sentences: 21件（令和6年2月2日時点・速報値）,
/// or without the word interim where the sentence says it.
fn dated_value(ctx: &Ctx, ind: &Indicator, o: &Observation, say_interim: bool) -> String {
    let v = value_text(ctx, ind, &o.reading).text;
    match as_of_text(ctx, o.as_of, o.interim && say_interim) {
        Some(d) => format!("{v}{}{d}{}", ctx.t("lp"), ctx.t("rp")),
        None => v,
    }
}

/// The years a recurring target applies to: 令和5年度（2023年度）〜令和8年度（2026年度）.
fn target_years(ctx: &Ctx, t: &Target) -> String {
    match t.each_year_from {
        Some(from) if from != t.year => format!(
            "{}{}{}",
            ctx.year(from),
            ctx.t("year_range_sep"),
            ctx.year(t.year)
        ),
        _ => ctx.year(t.year),
    }
}

/// The latest value that is not missing, final or (with `interim`) not.
fn latest(ind: &Indicator, interim: bool) -> Option<&Observation> {
    ind.observations
        .iter()
        .rev()
        .find(|o| !matches!(o.reading.value, Value::Missing) && (interim || !o.interim))
}

/// The rule the pages state, with the rules for recurring targets and for
/// interim values where they apply to `inds`.
fn rule(ctx: &Ctx, plan: &Plan, inds: &[&Indicator]) -> String {
    let mut r = ctx
        .t("indicator_rule")
        .replace("{threshold}", &pct(plan.indicator_settings.on_track));
    if inds.iter().any(|i| {
        i.target
            .as_ref()
            .is_some_and(|t| t.each_year_from.is_some())
    }) {
        r.push_str(&ctx.t("indicator_rule_each_year"));
    }
    if inds
        .iter()
        .any(|i| i.observations.iter().any(|o| o.interim))
    {
        r.push_str(&ctx.t("indicator_rule_interim"));
    }
    r
}

fn pct(x: f64) -> String {
    format!("{}%", (x * 100.0).round())
}

/// The indicator in one sentence, in the page's language.
pub fn sentence(ctx: &Ctx, ind: &Indicator, a: &Assessment) -> String {
    let mut parts = Vec::new();
    if let Some(t) = &ind.target {
        let tt = target_text(ctx, ind, t).text;
        let (key, from) = match t.each_year_from {
            Some(from) => ("sentence_target_each_year", from),
            None => ("sentence_target", t.year),
        };
        let tt = match judged_as(ctx, ind, t) {
            Some(j) => format!("{tt}{}{j}{}", ctx.t("lp"), ctx.t("rp")),
            None => tt,
        };
        parts.push(
            ctx.t(key)
                .replace("{target}", &tt)
                .replace("{from}", &ctx.year(from))
                .replace("{year}", &ctx.year(t.year)),
        );
    }
    let last_final = latest(ind, false);
    if let Some(o) = last_final {
        let mut s = ctx
            .t("sentence_latest")
            .replace("{value}", &dated_value(ctx, ind, o, true))
            .replace("{year}", &ctx.year(o.year));
        if let (Some(p), Some(b)) = (a.progress, &ind.baseline) {
            s.push_str(
                &ctx.t("sentence_progress")
                    .replace("{pct}", &pct(p))
                    .replace("{base_year}", &ctx.year(b.year)),
            );
        } else {
            s.push_str(&ctx.t("sentence_end"));
        }
        let after = match (a.why, a.status) {
            (Some(Why::OlderThanBaseline), _) => Some("sentence_older_than_baseline"),
            (Some(Why::Keep), Assessed::Achieved) => Some("sentence_keep_met"),
            (Some(Why::Keep), _) => Some("sentence_keep_not_met"),
            (Some(Why::MovedAway), _) => Some("sentence_moved_away"),
            (Some(Why::Overshot), _) => Some("sentence_overshot"),
            _ => None,
        };
        if let Some(key) = after {
            let base = ind.baseline.as_ref().map(|b| ctx.year(b.year));
            s.push_str(&ctx.t(key).replace("{base_year}", &base.unwrap_or_default()));
        }
        parts.push(s);
    } else if latest(ind, true).is_some() {
        parts.push(ctx.t("sentence_no_final"));
    } else {
        parts.push(ctx.t("sentence_no_data"));
    }
    if let Some(&(year, met)) = a.judged.last() {
        let key = if met {
            "sentence_met"
        } else {
            "sentence_not_met"
        };
        parts.push(ctx.t(key).replace("{year}", &ctx.year(year)));
    }
    // An interim value newer than the latest final one is told, as interim.
    if let Some(o) =
        latest(ind, true).filter(|o| o.interim && last_final.is_none_or(|f| f.year < o.year))
    {
        parts.push(
            ctx.t("sentence_interim")
                .replace("{value}", &dated_value(ctx, ind, o, false))
                .replace("{year}", &ctx.year(o.year)),
        );
    }
    parts.join(if ctx.lang == Lang::Ja { "" } else { " " })
}

#[derive(Serialize)]
struct Row {
    kind: String,
    year: String,
    value: Txt,
    /// The day it was measured (and whether interim), in words.
    as_of: Option<String>,
    /// For a recurring target: met or not in this year, in words and a symbol.
    met: Option<String>,
    measured: Option<Txt>,
    note: Option<Txt>,
}

fn row(ctx: &Ctx, ind: &Indicator, kind: &str, o: &Observation, a: &Assessment) -> Row {
    let met = a
        .judged
        .iter()
        .find(|(y, _)| *y == o.year && kind == "kind_actual" && !o.interim)
        .map(|(_, met)| ctx.t(if *met { "met_yes" } else { "met_no" }));
    Row {
        kind: ctx.t(kind),
        year: ctx.year(o.year),
        value: value_text(ctx, ind, &o.reading),
        as_of: observation_as_of(ctx, o),
        met,
        measured: o
            .reading
            .measured
            .as_ref()
            .map(|m| super::units::measured(ctx, m)),
        note: o
            .note
            .as_ref()
            .map(|n| ctx.text(n))
            .or_else(|| super::units::sub_value(ctx, &o.reading, ind.unit.as_ref())),
    }
}

fn point(ctx: &Ctx, ind: &Indicator, o: &Observation) -> Option<Point> {
    let q = o.reading.quantity()?;
    Some(Point {
        year: o.year,
        value: q.base().0,
        label: value_text(ctx, ind, &o.reading).text,
        interim: o.interim,
    })
}

/// Links to the initiatives an indicator measures.
fn measures(ctx: &Ctx, ind: &Indicator) -> Vec<Link> {
    ind.initiative
        .iter()
        .chain(ind.also.iter())
        .map(|&i| Link {
            href: urls::initiative(ctx.lang, ctx.site, i),
            title: ctx.text(&ctx.site.initiatives[i].title),
        })
        .collect()
}

fn why_text(ctx: &Ctx, ind: &Indicator, a: &Assessment, why: Why) -> String {
    let key = format!(
        "why_{}",
        serde_json::to_value(why)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default()
    );
    ctx.t(&key)
        .replace(
            "{base_year}",
            &ind.baseline
                .as_ref()
                .map(|b| ctx.year(b.year))
                .unwrap_or_default(),
        )
        .replace(
            "{year}",
            &a.latest.map(|(y, _)| ctx.year(y)).unwrap_or_default(),
        )
}

pub fn indicator_page(ctx: &Ctx, i: usize) -> (&'static str, Frame, serde_json::Value) {
    let site = ctx.site;
    let ind = &site.indicators[i];
    let plan = &site.plans[ind.plan];
    let a = site.assessment(i);
    let name = ctx.text(&ind.name);
    let unit = ind
        .unit
        .as_ref()
        .map(|u| u.get(ctx.lang).to_string())
        .unwrap_or_default();
    let actuals: Vec<Point> = ind
        .observations
        .iter()
        .filter_map(|o| point(ctx, ind, o))
        .collect();
    let baseline = ind.baseline.as_ref().and_then(|b| point(ctx, ind, b));
    let target = ind.target.as_ref().and_then(|t| match &t.value {
        TargetValue::Number(r, _) => r.quantity().map(|q| Point {
            year: t.year,
            value: q.base().0,
            label: target_text(ctx, ind, t).text,
            interim: false,
        }),
        TargetValue::Text(_) => None,
    });
    let summary = sentence(ctx, ind, &a);
    let chart_svg = (!actuals.is_empty() || baseline.is_some()).then(|| {
        chart::chart(&ChartInput {
            id: &format!("chart-{}", ind.id),
            title: &name.text,
            desc: &summary,
            unit: &unit,
            lang: ctx.lang,
            actuals: &actuals,
            baseline: baseline.as_ref(),
            target: target.as_ref(),
            each_year_from: ind.target.as_ref().and_then(|t| t.each_year_from),
            words: [
                &ctx.t("chart_actual"),
                &ctx.t("chart_baseline"),
                &ctx.t("chart_target"),
                &ctx.t("fiscal_year"),
                &ctx.t("chart_interim"),
            ],
        })
    });
    // In year order: a baseline later than an early actual (the strategy's
    // FY2018 baseline beside its FY2014 figure) takes its place in time.
    let mut dated: Vec<(&Observation, &str)> = ind
        .baseline
        .iter()
        .map(|b| (b, "kind_baseline"))
        .chain(ind.observations.iter().map(|o| (o, "kind_actual")))
        .collect();
    dated.sort_by_key(|(o, kind)| (o.year, *kind != "kind_baseline"));
    let mut rows: Vec<Row> = dated
        .into_iter()
        .map(|(o, kind)| row(ctx, ind, kind, o, &a))
        .collect();
    if let Some(t) = &ind.target {
        let kind = if t.each_year_from.is_some() {
            "kind_target_each_year"
        } else {
            "kind_target"
        };
        rows.push(Row {
            kind: ctx.t(kind),
            year: target_years(ctx, t),
            value: target_text(ctx, ind, t),
            as_of: None,
            met: None,
            measured: None,
            note: judged_as(ctx, ind, t).map(|j| plain(ctx, j)),
        });
    }
    let method = match (a.progress, a.expected) {
        (Some(p), Some(e)) => Some(
            ctx.t("method_numbers")
                .replace("{pct}", &pct(p))
                .replace("{expected}", &pct(e))
                .replace("{threshold}", &pct(plan.indicator_settings.on_track * e)),
        ),
        _ => None,
    };
    let untranslated =
        ctx.lang != Lang::Ja && ind.translation.coverage != crate::model::Coverage::Full;
    let data = serde_json::json!({
        "indicator": {
            "id": ind.id,
            "name": name,
            "unit": unit,
            "direction": direction_text(ctx, ind.direction),
            "department": ind.department.map(|d| views::department_link(ctx, d)),
            "measures": measures(ctx, ind),
            "source_page": ind.source_page,
            "source_title": plan.source.title,
            "footnotes": ind.footnotes.iter().map(|f| ctx.text(f)).collect::<Vec<_>>(),
            "body": ctx.html(&ind.body, true),
            "csv": format!("{}{}.csv", urls::indicators(ctx.lang, site, ind.plan), ind.id),
        },
        "plan": plan_link(ctx, ind.plan),
        "badge": status_badge(ctx, a.status),
        "override_reason": ind.status_override.as_ref().map(|(_, r)| ctx.text(r)),
        "why": a.why.map(|w| why_text(ctx, ind, &a, w)),
        "sentence": summary,
        "chart": chart_svg,
        "has_measured": rows.iter().any(|r| r.measured.is_some()),
        "has_met": !a.judged.is_empty(),
        "has_note": rows.iter().any(|r| r.note.is_some()),
        "rows": rows,
        "method": method,
        "rule": rule(ctx, plan, &[ind]),
    });
    let mut crumbs = vec![home_link(ctx), plan_link(ctx, ind.plan)];
    crumbs.push(Link {
        href: urls::indicators(ctx.lang, site, ind.plan),
        title: plain(ctx, ctx.t("indicators")),
    });
    crumbs.push(Link {
        href: urls::indicator(ctx.lang, site, i),
        title: name.clone(),
    });
    (
        "indicator.html",
        Frame {
            kind: "indicator",
            title: name,
            breadcrumbs: crumbs,
            untranslated,
        },
        data,
    )
}

/// A row of an indicator list.
#[derive(Serialize)]
pub struct IndicatorRow {
    href: String,
    name: Txt,
    spark: String,
    latest: Option<Txt>,
    latest_year: Option<String>,
    /// A newer interim figure (速報値): shown, never judged.
    interim: Option<Txt>,
    interim_year: Option<String>,
    target: Option<Txt>,
    badge: Badge,
}

pub fn indicator_row(ctx: &Ctx, i: usize) -> IndicatorRow {
    let ind = &ctx.site.indicators[i];
    let a = ctx.site.assessment(i);
    let (series, _) = ind.series();
    let mut points: Vec<_> = series.baseline.into_iter().collect();
    points.extend(series.values.iter().copied());
    let target = ind.target.as_ref().and_then(|t| match &t.value {
        TargetValue::Number(r, _) => r.quantity().map(|q| (t.year, q.base().0)),
        TargetValue::Text(_) => None,
    });
    // The latest value is the final one the status is judged by, as on the
    // indicator's page; a newer interim figure is shown apart, as such.
    let last_final = latest(ind, false);
    let interim =
        latest(ind, true).filter(|o| o.interim && last_final.is_none_or(|f| f.year < o.year));
    IndicatorRow {
        href: urls::indicator(ctx.lang, ctx.site, i),
        name: ctx.text(&ind.name),
        spark: chart::sparkline(&points, target),
        latest: last_final.map(|o| value_text(ctx, ind, &o.reading)),
        latest_year: last_final.map(|o| ctx.year_short(o.year)),
        interim: interim.map(|o| value_text(ctx, ind, &o.reading)),
        interim_year: interim.map(|o| ctx.year_short(o.year)),
        target: ind.target.as_ref().map(|t| {
            let mut v = target_text(ctx, ind, t);
            if t.each_year_from.is_some() {
                v.text.push_str(&ctx.t("each_year_mark"));
            }
            v
        }),
        badge: status_badge(ctx, a.status),
    }
}

#[derive(Serialize)]
struct Group {
    link: Link,
    measures: Vec<MeasureGroup>,
}

#[derive(Serialize)]
struct MeasureGroup {
    link: Option<Link>,
    indicators: Vec<IndicatorRow>,
}

pub fn index_page(ctx: &Ctx, p: usize) -> (&'static str, Frame, serde_json::Value) {
    let site = ctx.site;
    let mine: Vec<usize> = site.plans[p].indicators.clone();
    // Counts by status.
    let mut counts: Vec<(Badge, usize)> = Assessed::ALL
        .iter()
        .map(|(_, a)| {
            (
                status_badge(ctx, *a),
                mine.iter()
                    .filter(|&&i| site.assessment(i).status == *a)
                    .count(),
            )
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    counts.sort_by_key(|(b, _)| Assessed::ALL.iter().position(|(k, _)| *k == b.key));
    // Group: top-level section → measure (initiative) → indicators.
    let top_of = |init: usize| {
        let mut s = site.initiatives[init].section;
        while let Some(x) = s.and_then(|x| site.sections[x].parent) {
            s = Some(x);
        }
        s
    };
    // The plan's indicators by the initiative they measure, in order.
    let mut by_initiative: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &i in &mine {
        if let Some(x) = site.indicators[i].initiative {
            by_initiative.entry(x).or_default().push(i);
        }
    }
    let mut groups: Vec<Group> = Vec::new();
    let mut loose: Vec<IndicatorRow> = Vec::new();
    for &s in &site.plans[p].sections {
        let mut measures_here: Vec<MeasureGroup> = Vec::new();
        for (&init_idx, of_init) in by_initiative
            .iter()
            .filter(|(&ix, _)| site.initiatives[ix].plan == p && top_of(ix) == Some(s))
        {
            let inds: Vec<IndicatorRow> = of_init.iter().map(|&i| indicator_row(ctx, i)).collect();
            if !inds.is_empty() {
                measures_here.push(MeasureGroup {
                    link: Some(Link {
                        href: urls::initiative(ctx.lang, site, init_idx),
                        title: {
                            let init = &site.initiatives[init_idx];
                            let mut t = ctx.text(&init.title);
                            if let Some(c) = views::init_code(ctx, init_idx) {
                                t.text = format!("{c} {}", t.text);
                            }
                            t
                        },
                    }),
                    indicators: inds,
                });
            }
        }
        if !measures_here.is_empty() {
            groups.push(Group {
                link: super::pages::section_link(ctx, s),
                measures: measures_here,
            });
        }
    }
    for &i in &mine {
        let ind = &site.indicators[i];
        let placed = ind
            .initiative
            .is_some_and(|x| site.initiatives[x].plan == p && top_of(x).is_some());
        if !placed {
            loose.push(indicator_row(ctx, i));
        }
    }
    let title = plain(ctx, ctx.t("indicators"));
    let crumbs = vec![
        home_link(ctx),
        plan_link(ctx, p),
        Link {
            href: urls::indicators(ctx.lang, site, p),
            title: title.clone(),
        },
    ];
    let untranslated = mine
        .iter()
        .any(|&i| ctx.lang != Lang::Ja && site.indicators[i].name.en.is_none());
    (
        "indicators.html",
        Frame {
            kind: "indicators",
            title,
            breadcrumbs: crumbs,
            untranslated,
        },
        serde_json::json!({
            "plan": plan_link(ctx, p),
            "total": mine.len(),
            "counts": counts,
            "groups": groups,
            "loose": loose,
            "rule": rule(ctx, &site.plans[p], &mine.iter().map(|&i| &site.indicators[i]).collect::<Vec<_>>()),
            "csv": format!("{}indicators.csv", urls::indicators(ctx.lang, site, p)),
        }),
    )
}

/// Indicators measuring an initiative, for its page.
pub fn rows_for_initiative(ctx: &Ctx, init: usize) -> Vec<IndicatorRow> {
    ctx.lists
        .measuring(init)
        .iter()
        .map(|&i| indicator_row(ctx, i))
        .collect()
}
