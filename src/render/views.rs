//! View structs: what templates see. Each is built from the model for one
//! language; text that is shown in Japanese on an English page carries
//! `lang = "ja"` so that screen readers pronounce it correctly.

use super::listings::Listings;
use super::markdown;
use super::urls;
use crate::model::{AppliesTo, FiscalYear, Lang, Plan, Rollup, Scale, Site, Text, Tone};
use serde::Serialize;
use std::collections::BTreeMap;

/// UI strings of the theme, per language.
pub type Strings = BTreeMap<Lang, BTreeMap<String, String>>;

/// Shared inputs of every view builder.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub site: &'a Site,
    /// The lists numbered pages take their slices of.
    pub lists: &'a Listings,
    pub lang: Lang,
    pub strings: &'a Strings,
    /// Markdown, noting which texts this page's view uses.
    pub md: markdown::PageMemo<'a>,
}

impl Ctx<'_> {
    pub fn t(&self, key: &str) -> String {
        self.strings
            .get(&self.lang)
            .and_then(|m| m.get(key))
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    /// The string `key` for a count `n`, `{count}` filled in: its `_one`
    /// form when `n` is 1 and the language has one ("1 target changed").
    pub fn count(&self, key: &str, n: usize) -> String {
        let strings = self.strings.get(&self.lang);
        let one = format!("{key}_one");
        let text = match strings.and_then(|m| m.get(&one)) {
            Some(t) if n == 1 => t.clone(),
            _ => self.t(key),
        };
        text.replace("{count}", &n.to_string())
    }

    pub fn year(&self, y: FiscalYear) -> String {
        match self.lang {
            Lang::Ja => y.ja(),
            Lang::En => y.en(),
        }
    }

    /// Years a result covers: 令和3年度〜令和4年度 / FY2021–FY2022; one year as [`Ctx::year`].
    pub fn years(&self, first: Option<FiscalYear>, last: FiscalYear) -> String {
        match (first, self.lang) {
            (None, _) => self.year(last),
            (Some(f), Lang::Ja) => format!(
                "{}〜{}（{}〜{}年度）",
                f.ja_era(),
                last.ja_era(),
                f.0,
                last.0
            ),
            (Some(f), Lang::En) => format!("{}–{}", f.en(), last.en()),
        }
    }

    /// Shorter year for table headers: 令和5年度 / FY2023.
    pub fn year_short(&self, y: FiscalYear) -> String {
        match self.lang {
            Lang::Ja => y.ja_era(),
            Lang::En => y.en(),
        }
    }

    pub fn text(&self, t: &Text) -> Txt {
        let (s, lang) = t.get(self.lang);
        Txt {
            text: s.trim().to_string(),
            lang: lang.code(),
            fallback: lang != self.lang,
            html: None,
        }
    }

    /// Text rendered as HTML: Markdown for bodies, escaped text otherwise.
    pub fn html(&self, t: &Text, markdown_body: bool) -> Txt {
        let mut v = self.text(t);
        v.text = if markdown_body {
            self.md.to_html(&v.text)
        } else {
            markdown::text_to_html(&v.text)
        };
        v
    }
}

/// A piece of text and the language it is in.
#[derive(Debug, Clone, Serialize)]
pub struct Txt {
    pub text: String,
    pub lang: &'static str,
    /// Shown in Japanese because the English is missing.
    pub fallback: bool,
    /// The text as HTML where part of it is in the other language (a
    /// Japanese unit in an English value, marked `lang="ja"`).
    pub html: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub href: String,
    pub title: Txt,
}

/// A status shown as symbol + text + colour.
#[derive(Debug, Clone, Serialize)]
pub struct Badge {
    pub tone: &'static str,
    pub symbol: String,
    pub label: String,
    pub meaning: String,
    pub key: String,
}

pub fn tone_name(t: Tone) -> &'static str {
    Tone::ALL
        .iter()
        .find(|(_, x)| *x == t)
        .map_or("neutral", |(n, _)| n)
}

pub fn badge(ctx: &Ctx, scale: &Scale, value: Option<usize>) -> Badge {
    match value {
        Some(v) => {
            let v = &scale.values[v];
            let label = v.label.get(ctx.lang);
            // A scale whose printed symbol is its label (A, 達成) shows it once.
            let symbol = v
                .symbol()
                .filter(|s| *s != label && *s != v.label.ja)
                .unwrap_or("");
            Badge {
                tone: tone_name(v.tone),
                symbol: symbol.to_string(),
                label: label.to_string(),
                meaning: v
                    .meaning
                    .as_ref()
                    .map(|m| m.get(ctx.lang).to_string())
                    .unwrap_or_default(),
                key: v.key.clone(),
            }
        }
        None => unreported(ctx),
    }
}

/// The badge of a cell in `year`: its value's, or — for a year after the
/// reporting year — "planned", whatever the source put there (Akishima
/// marks future years "—", 評価不可: not yet due, not a rating).
pub fn badge_in(
    ctx: &Ctx,
    plan: &Plan,
    scale: &Scale,
    value: Option<usize>,
    year: FiscalYear,
) -> Badge {
    if plan.is_future(year) {
        planned(ctx)
    } else {
        badge(ctx, scale, value)
    }
}

/// [`badge_in`] for a cell of initiative `i`: "ended" in the years after
/// its programme ended, whatever the cell holds.
pub fn initiative_badge_in(
    ctx: &Ctx,
    i: usize,
    scale: &Scale,
    value: Option<usize>,
    year: FiscalYear,
) -> Badge {
    let init = &ctx.site.initiatives[i];
    if init.ended_in(year) {
        ended(ctx)
    } else {
        badge_in(ctx, &ctx.site.plans[init.plan], scale, value, year)
    }
}

/// The one badge initiative `i` shows in lists for `year`: its rolled-up
/// status, or "ended" after its programme ended.
pub fn initiative_status(ctx: &Ctx, i: usize, year: FiscalYear) -> Option<Badge> {
    let (s, v) = rolled_status(ctx.site, i, year)?;
    let init = &ctx.site.initiatives[i];
    Some(if init.ended_in(year) {
        ended(ctx)
    } else {
        badge(ctx, &ctx.site.plans[init.plan].scales[s], v)
    })
}

/// The badge of a year after a programme ended: its own group, never
/// counted as not reported.
pub fn ended(ctx: &Ctx) -> Badge {
    Badge {
        tone: "ended",
        symbol: String::new(),
        label: ctx.t("ended"),
        meaning: ctx.t("ended_meaning"),
        key: "ended".into(),
    }
}

/// The badge of a year that has not happened yet in this report.
pub fn planned(ctx: &Ctx) -> Badge {
    Badge {
        tone: "planned",
        symbol: String::new(),
        label: ctx.t("planned"),
        meaning: ctx.t("planned_meaning"),
        key: "planned".into(),
    }
}

/// The badge of a cell nobody has rated (yet).
pub fn unreported(ctx: &Ctx) -> Badge {
    Badge {
        tone: "none",
        symbol: String::new(),
        label: ctx.t("unreported"),
        meaning: ctx.t("unreported_meaning"),
        key: "unreported".into(),
    }
}

/// The single status of an initiative for a year, by its plan's stated rule.
pub fn rolled_status(site: &Site, i: usize, year: FiscalYear) -> Option<(usize, Option<usize>)> {
    let init = &site.initiatives[i];
    let plan = &site.plans[init.plan];
    if let Some(s) = plan.scale_for(AppliesTo::Schedule) {
        if !init.schedule.is_empty() {
            let scale = &plan.scales[s];
            let all: Vec<usize> = init
                .schedule
                .iter()
                .filter_map(|r| r.status.get(&year).copied())
                .collect();
            let rated: Vec<usize> = all
                .iter()
                .copied()
                .filter(|v| scale.values[*v].tone != Tone::Neutral)
                .collect();
            let pool = if rated.is_empty() { &all } else { &rated };
            let pick = match scale.rollup {
                Rollup::LeastAdvanced => pool.iter().min_by_key(|v| scale.values[**v].order),
                Rollup::MostAdvanced => pool.iter().max_by_key(|v| scale.values[**v].order),
            };
            return Some((s, pick.copied()));
        }
    }
    let s = plan.scale_for(AppliesTo::Initiative)?;
    Some((s, init.entry_for(year).and_then(|y| y.status)))
}

/// The rollup rule in words, for pages that show one badge per initiative.
pub fn rollup_rule(ctx: &Ctx, plan: &Plan) -> Option<String> {
    let s = plan.scale_for(AppliesTo::Schedule)?;
    Some(match plan.scales[s].rollup {
        Rollup::LeastAdvanced => ctx.t("rollup_least"),
        Rollup::MostAdvanced => ctx.t("rollup_most"),
    })
}

/// A row of an initiative list.
#[derive(Debug, Clone, Serialize)]
pub struct InitiativeRow {
    pub href: String,
    pub code: String,
    pub title: Txt,
    pub departments: Vec<Link>,
    pub badge: Option<Badge>,
    /// In a plan that rates indicators, not initiatives: how many of the
    /// initiative's indicators have each status.
    pub indicators: Vec<(Badge, usize)>,
    pub repeat: bool,
    /// Where the badge comes from several rated rows of different
    /// statuses, why: 「（3件の計画のうち最も進んでいないもの：…）」.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

pub fn initiative_row(ctx: &Ctx, i: usize, year: FiscalYear) -> InitiativeRow {
    let site = ctx.site;
    let init = &site.initiatives[i];
    let plan = &site.plans[init.plan];
    InitiativeRow {
        href: urls::initiative(ctx.lang, site, i),
        code: init_code(ctx, i).unwrap_or_default(),
        title: ctx.text(&init.title),
        departments: init
            .departments
            .iter()
            .map(|&d| department_link(ctx, d))
            .collect(),
        badge: initiative_status(ctx, i, year),
        indicators: if plan.scales.is_empty() {
            super::indicator_view::summary_of(ctx, &plan.indicators, &[i])
        } else {
            Vec::new()
        },
        repeat: init.repeat_of.is_some(),
        why: (!init.ended_in(year))
            .then(|| super::initiative_view::rollup_why(ctx, i, year))
            .flatten(),
    }
}

/// An initiative's code as shown in the page's language.
pub fn init_code(ctx: &Ctx, i: usize) -> Option<String> {
    let init = &ctx.site.initiatives[i];
    let levels = &ctx.site.plans[init.plan].levels;
    init.code
        .as_deref()
        .map(|c| super::codes::shown(ctx.lang, c, init.code_en.as_deref(), levels))
}

pub fn department_link(ctx: &Ctx, d: usize) -> Link {
    let dep = &ctx.site.departments[d];
    Link {
        href: urls::department(ctx.lang, ctx.site, d),
        title: Txt {
            text: dep.name.get(ctx.lang).to_string(),
            lang: ctx.lang.code(),
            fallback: false,
            html: None,
        },
    }
}

/// A table of status counts: one row per value, one column per year.
#[derive(Debug, Clone, Serialize)]
pub struct CountTable {
    /// Rows "reached so far" of the scale's one-time values (after the total).
    pub so_far: Vec<CountRow>,
    pub scale: String,
    pub unit: String,
    pub years: Vec<String>,
    /// The same years as numbers (2023), for `data-fy` (browser checks).
    pub fys: Vec<u16>,
    pub rows: Vec<CountRow>,
    pub totals: Vec<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CountRow {
    pub badge: Badge,
    pub cells: Vec<CountCell>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CountCell {
    pub count: usize,
    pub href: String,
}

/// Every unit a scale rates in a plan, in the same order every year:
/// (initiative or section index, value, whether its programme had ended).
pub(super) fn units_in(
    site: &Site,
    plan_idx: usize,
    scale: usize,
    year: FiscalYear,
) -> Vec<(usize, Option<usize>, bool)> {
    let plan = &site.plans[plan_idx];
    let s = &plan.scales[scale];
    let inits = site
        .initiatives
        .iter()
        .enumerate()
        .filter(|(_, i)| i.plan == plan_idx);
    match s.applies_to {
        AppliesTo::Schedule => inits
            .flat_map(|(idx, i)| {
                let ended = i.ended_in(year);
                i.schedule
                    .iter()
                    .map(move |r| (idx, r.status.get(&year).copied(), ended))
            })
            .collect(),
        AppliesTo::Initiative => inits
            .map(|(idx, i)| {
                let v = i.entry_for(year).and_then(|y| y.status);
                (idx, v, i.ended_in(year))
            })
            .collect(),
        AppliesTo::Section => site
            .sections
            .iter()
            .enumerate()
            .filter(|(_, sec)| sec.plan == plan_idx && Some(sec.level) == s.level)
            .map(|(idx, sec)| {
                let v = sec.status.get(&scale).and_then(|m| m.get(&year)).copied();
                (idx, v, false)
            })
            .collect(),
    }
}

pub fn count_table(ctx: &Ctx, plan_idx: usize, scale: usize, years: &[FiscalYear]) -> CountTable {
    let site = ctx.site;
    let plan = &site.plans[plan_idx];
    let s = &plan.scales[scale];
    let per_year: Vec<Vec<(usize, Option<usize>, bool)>> = years
        .iter()
        .map(|&y| units_in(site, plan_idx, scale, y))
        .collect();
    let mut values: Vec<Option<usize>> = (0..s.values.len()).map(Some).collect();
    values.sort_by_key(|v| std::cmp::Reverse(v.map(|v| s.values[v].order)));
    values.push(None);
    let mut rows: Vec<CountRow> = values
        .into_iter()
        .map(|v| CountRow {
            badge: badge(ctx, s, v),
            cells: years
                .iter()
                .zip(&per_year)
                .map(|(&y, units)| CountCell {
                    count: units.iter().filter(|(_, x, e)| *x == v && !e).count(),
                    href: urls::status(ctx.lang, site, plan_idx, scale, v, y),
                })
                .collect(),
        })
        .collect();
    // Programmes that had ended: a group of their own, not "not reported".
    let ended_cells: Vec<CountCell> = per_year
        .iter()
        .map(|units| CountCell {
            count: units.iter().filter(|u| u.2).count(),
            href: String::new(),
        })
        .collect();
    if ended_cells.iter().any(|c| c.count > 0) {
        rows.push(CountRow {
            badge: ended(ctx),
            cells: ended_cells,
        });
    }
    // For a one-time event: how many units have reached it in any year up
    // to each year (units are in the same order every year).
    let so_far = (0..s.values.len())
        .filter(|&v| s.values[v].once)
        .map(|v| CountRow {
            badge: {
                let mut b = badge(ctx, s, Some(v));
                b.label = ctx.t("so_far").replace("{label}", &b.label);
                b
            },
            cells: (0..years.len())
                .map(|y| CountCell {
                    count: (0..per_year[y].len())
                        .filter(|&u| {
                            per_year[..=y]
                                .iter()
                                .any(|units| units.get(u).is_some_and(|x| x.1 == Some(v) && !x.2))
                        })
                        .count(),
                    href: String::new(),
                })
                .collect(),
        })
        .collect();
    let unit = rated_unit(ctx, plan, s);
    CountTable {
        so_far,
        scale: s.name.get(ctx.lang).to_string(),
        unit,
        years: years.iter().map(|&y| ctx.year_short(y)).collect(),
        fys: years.iter().map(|y| y.0).collect(),
        rows,
        totals: per_year.iter().map(Vec::len).collect(),
    }
}

/// The legend of a scale: every value with its meaning.
pub fn legend(ctx: &Ctx, scale: &Scale) -> Vec<Badge> {
    let mut v: Vec<usize> = (0..scale.values.len()).collect();
    v.sort_by_key(|i| std::cmp::Reverse(scale.values[*i].order));
    v.into_iter().map(|i| badge(ctx, scale, Some(i))).collect()
}

/// A department's former name, which exists in Japanese only.
#[derive(Debug, Clone, Serialize)]
pub struct FormerName {
    pub before: String,
    pub name: String,
    pub after: String,
}

/// 令和3年度まで情報管理課 / 情報管理課 until FY2021
pub fn former_name(ctx: &Ctx, name: &str, until: FiscalYear) -> FormerName {
    match ctx.lang {
        Lang::Ja => FormerName {
            before: format!("{}まで", until.ja_era()),
            name: name.into(),
            after: String::new(),
        },
        Lang::En => FormerName {
            before: String::new(),
            name: name.into(),
            after: format!(" until {}", until.en()),
        },
    }
}

/// What a scale rates, in words: 年次計画, or the name of the level it rates.
pub fn rated_unit(ctx: &Ctx, plan: &Plan, s: &Scale) -> String {
    match s.applies_to {
        AppliesTo::Schedule => ctx.t("unit_schedule_rows"),
        AppliesTo::Initiative => plan
            .levels
            .last()
            .map(|l| l.get(ctx.lang).to_string())
            .unwrap_or_default(),
        AppliesTo::Section => s
            .level
            .map(|l| plan.levels[l - 1].get(ctx.lang).to_string())
            .unwrap_or_default(),
    }
}

/// The badge of an indicator's assessment.
pub fn status_badge(ctx: &Ctx, a: crate::model::progress::Assessed) -> Badge {
    let (tone, symbol) = match a {
        crate::model::progress::Assessed::Achieved => ("done", "◎"),
        crate::model::progress::Assessed::OnTrack => ("good", "○"),
        crate::model::progress::Assessed::Behind => ("warning", "△"),
        crate::model::progress::Assessed::NotComparable => ("neutral", "－"),
        crate::model::progress::Assessed::NoData => ("none", ""),
    };
    Badge {
        tone,
        symbol: symbol.into(),
        label: ctx.t(&format!("ind_{}", a.key())),
        meaning: ctx.t(&format!("ind_{}_meaning", a.key())),
        key: a.key().into(),
    }
}
