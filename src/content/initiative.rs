//! One initiative file → [`Initiative`]: statuses resolved against the plan's
//! scales, years checked against its period, departments looked up in the
//! municipality's department list.

use super::plan::{resolve_status, YearKeys};
use super::raw::{RawEnded, RawInitiative, RawSection};
use super::source::SourceFile;
use crate::diagnostics::{did_you_mean, Diagnostics, Location};
use crate::model::{
    AppliesTo, Department, Ended, FiscalYear, Initiative, Plan, ScheduleRow, Text, Translation,
    YearEntry,
};
use std::collections::BTreeMap;
use toml::Spanned;

fn text(s: Option<String>) -> Option<Text> {
    s.filter(|s| !s.trim().is_empty()).map(Text::ja)
}

/// Resolves a status typed under a scale that applies to `what`.
fn status(
    plan: &Plan,
    scale: Option<usize>,
    what: &str,
    typed: &Spanned<String>,
    file: &SourceFile,
    diags: &mut Diagnostics,
) -> Option<usize> {
    let Some(scale) = scale else {
        diags.error(
            &file.at(typed),
            format!("this plan has no status scale for {what}"),
            Some(format!(
                "add a [[scales]] entry with applies_to = \"{what}\" to {}",
                plan.path.display()
            )),
        );
        return None;
    };
    let scale = &plan.scales[scale];
    match resolve_status(scale, typed.get_ref()) {
        Ok(v) => Some(v),
        Err(hint) => {
            diags.error(
                &file.at(typed),
                format!("unknown {} `{}`", scale.name.ja, typed.get_ref()),
                Some(hint),
            );
            None
        }
    }
}

/// Looks up a department by current or former name.
pub(super) fn department(
    plan: &Plan,
    departments: &[Department],
    typed: &Spanned<String>,
    file: &SourceFile,
    diags: &mut Diagnostics,
) -> Option<usize> {
    let name = typed.get_ref().trim();
    let ours = || {
        departments
            .iter()
            .enumerate()
            .filter(|(_, d)| d.municipality == plan.municipality)
    };
    let found =
        ours().find(|(_, d)| d.name.ja == name || d.formerly.iter().any(|(f, _)| f == name));
    if let Some((i, _)) = found {
        return Some(i);
    }
    let names: Vec<&str> = ours().map(|(_, d)| d.name.ja.as_str()).collect();
    diags.error(
        &file.at(typed),
        format!("department `{name}` is not in the department list of this municipality"),
        Some(match did_you_mean(name, names.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? (or add `{name}` to content/departments/)"),
            None => format!("add `{name}` to the municipality's file in content/departments/"),
        }),
    );
    None
}

/// `ended = { after = "R4", note = "…" }`: a year of the plan before its
/// last (a programme that runs to the end of the plan has not ended early).
fn ended(
    plan: &Plan,
    raw: &Spanned<RawEnded>,
    file: &SourceFile,
    diags: &mut Diagnostics,
) -> Option<Ended> {
    let Some(after) = &raw.get_ref().after else {
        diags.error(
            &file.at(raw),
            "`ended` does not say after which fiscal year the programme ended",
            Some("write ended = { after = \"R4\", note = \"令和4年度までをもって終了\" }: `after` is the last year it ran".into()),
        );
        return None;
    };
    let at = file.at(after);
    let year = super::config::parse_year(after.get_ref(), &at, diags)?;
    if year < plan.first_year || year >= plan.last_year {
        diags.error(
            &at,
            format!(
                "`ended` after {}, but the plan runs {}–{}",
                year.en(),
                plan.first_year.en(),
                plan.last_year.en()
            ),
            Some(format!(
                "`after` is the last year the programme ran, from {} to {}; one that runs to the plan's end has not ended early: remove `ended`",
                plan.first_year.ja_era(),
                FiscalYear(plan.last_year.0 - 1).ja_era()
            )),
        );
        return None;
    }
    Some(Ended {
        after: year,
        note: text(raw.get_ref().note.clone()),
    })
}

/// `from` of a `[years.R4]` entry recorded for several years: a year of
/// the plan before R4.
fn span_from(
    plan: &Plan,
    last: FiscalYear,
    typed: &Spanned<super::raw::YearInput>,
    file: &SourceFile,
    diags: &mut Diagnostics,
) -> Option<FiscalYear> {
    let at = file.at(typed);
    let first = super::config::parse_year(typed.get_ref(), &at, diags)?;
    if first >= last || first < plan.first_year {
        diags.error(
            &at,
            format!(
                "the entry for {} says it covers from {}",
                last.en(),
                first.en()
            ),
            Some(format!(
                "`from` is the first year a result recorded for several years covers: a year from {} to {}, e.g. [years.R4] from = \"R3\" for 令和3〜4年度",
                plan.first_year.ja_era(),
                FiscalYear(last.0 - 1).ja_era()
            )),
        );
        return None;
    }
    Some(first)
}

/// Two entries that report on the same year: one recorded for a span that
/// includes another entry's year.
fn overlapping_spans(
    years: &BTreeMap<FiscalYear, YearEntry>,
    spans: &[(FiscalYear, Location)],
    diags: &mut Diagnostics,
) {
    for (last, at) in spans {
        let Some(first) = years.get(last).and_then(|e| e.from) else {
            continue;
        };
        let last = *last;
        if let Some((&other, _)) = years.range(first..last).next() {
            diags.error(
                at,
                format!(
                    "[years] for {} covers {}–{}, but {} has an entry of its own",
                    last.en(),
                    first.en(),
                    last.en(),
                    other.en()
                ),
                Some("each year is reported once: shorten `from`, or merge the two entries".into()),
            );
        }
    }
}

/// A status typed for a year after the programme ended: an error, so that
/// no page says an ended programme was rated (a status scale with a 終了
/// value typed into later years is what `ended` replaces).
fn rated_after_end(
    ended: Option<&Ended>,
    year: FiscalYear,
    typed: &Spanned<String>,
    file: &SourceFile,
    diags: &mut Diagnostics,
) -> bool {
    let Some(e) = ended.filter(|e| year > e.after) else {
        return false;
    };
    diags.error(
        &file.at(typed),
        format!(
            "a status `{}` for {}, but the programme ended after {}",
            typed.get_ref(),
            year.en(),
            e.after.en()
        ),
        Some(
            "remove the statuses of the years after `ended`: pages show those years as ended"
                .into(),
        ),
    );
    true
}

pub fn initiative_from(
    file: &SourceFile,
    raw: RawInitiative,
    (plan_idx, plan): (usize, &Plan),
    section: Option<usize>,
    departments: Option<&[Department]>,
    diags: &mut Diagnostics,
) -> Initiative {
    let schedule_scale = plan.scale_for(AppliesTo::Schedule);
    let item_scale = plan.scale_for(AppliesTo::Initiative);
    let ended = raw.ended.as_ref().and_then(|e| ended(plan, e, file, diags));
    let mut schedule = Vec::new();
    for row in raw.schedule {
        let mut plan_text = BTreeMap::new();
        let mut keys = YearKeys::default();
        for (y, t) in row.plan {
            if let Some(fy) = keys.year(plan, &y, file, diags) {
                plan_text.insert(fy, Text::ja(t));
            }
        }
        let mut st = BTreeMap::new();
        let mut keys = YearKeys::default();
        for (y, s) in row.status {
            let fy = keys.year(plan, &y, file, diags);
            if fy.is_some_and(|fy| rated_after_end(ended.as_ref(), fy, &s, file, diags)) {
                continue;
            }
            let v = status(plan, schedule_scale, "schedule", &s, file, diags);
            if let (Some(fy), Some(v)) = (fy, v) {
                st.insert(fy, v);
            }
        }
        schedule.push(ScheduleRow {
            label: text(row.label),
            plan: plan_text,
            status: st,
        });
    }
    let mut years: BTreeMap<FiscalYear, YearEntry> = BTreeMap::new();
    let mut spans: Vec<(FiscalYear, Location)> = Vec::new();
    let mut keys = YearKeys::default();
    for (y, e) in raw.years {
        let Some(fy) = keys.year(plan, &y, file, diags) else {
            continue;
        };
        let st = e
            .status
            .as_ref()
            .filter(|s| !rated_after_end(ended.as_ref(), fy, s, file, diags))
            .and_then(|s| status(plan, item_scale, "initiative", s, file, diags));
        let from = e.from.as_ref().and_then(|f| {
            let first = span_from(plan, fy, f, file, diags)?;
            spans.push((fy, file.at(f)));
            Some(first)
        });
        years.insert(
            fy,
            YearEntry {
                from,
                phase: text(e.phase),
                target: text(e.target),
                result: text(e.result),
                reason: text(e.reason),
                status: st,
                figures: e
                    .figures
                    .iter()
                    .filter_map(|f| super::indicator::figure(f, fy, file, diags))
                    .collect(),
            },
        );
    }
    overlapping_spans(&years, &spans, diags);
    let mut depts = Vec::new();
    // Without the list (a department file did not load), nothing is checked.
    if let Some(list) = departments {
        for d in &raw.departments {
            if let Some(i) = department(plan, list, d, file, diags) {
                if !depts.contains(&i) {
                    depts.push(i);
                }
            }
        }
    }
    Initiative {
        plan: plan_idx,
        section,
        id: raw.id.into_inner(),
        code: raw.code,
        code_en: raw.code_en,
        title: Text::ja(super::checks::required_text(
            file, raw.title, "title", diags,
        )),
        departments: depts,
        order: raw.order,
        source_page: raw.source.and_then(|s| s.page),
        reason: text(raw.reason),
        activities: raw.activities.into_iter().map(Text::ja).collect(),
        repeat_of: None,
        ended,
        schedule,
        years,
        body: Text::ja(file.body()),
        path: file.path.clone(),
        translation: Translation {
            coverage: crate::model::Coverage::None,
            file: None,
            version: String::new(),
        },
    }
}

/// Stored section ratings, checked against the scales that rate this level;
/// where each was typed goes into `places`.
pub fn section_status(
    file: &SourceFile,
    raw: &RawSection,
    plan: &Plan,
    level: usize,
    places: &mut BTreeMap<(usize, FiscalYear), Location>,
    diags: &mut Diagnostics,
) -> BTreeMap<usize, BTreeMap<FiscalYear, usize>> {
    let mut out = BTreeMap::new();
    for (key, by_year) in &raw.status {
        let scale = plan.scales.iter().position(|s| {
            s.key == *key.get_ref() && s.applies_to == AppliesTo::Section && s.level == Some(level)
        });
        let Some(scale) = scale else {
            let rated: Vec<&str> = plan
                .scales
                .iter()
                .filter(|s| s.applies_to == AppliesTo::Section && s.level == Some(level))
                .map(|s| s.key.as_str())
                .collect();
            diags.error(
                &file.at(key),
                format!(
                    "`{}` is not a scale that rates this level ({})",
                    key.get_ref(),
                    plan.levels[level - 1].ja
                ),
                Some(if rated.is_empty() {
                    "the plan rates no section at this level; remove [status]".into()
                } else {
                    format!("scales for this level: {}", rated.join(", "))
                }),
            );
            continue;
        };
        let mut years = BTreeMap::new();
        let mut keys = YearKeys::default();
        for (y, typed) in by_year {
            let fy = keys.year(plan, y, file, diags);
            let v = status(plan, Some(scale), "section", typed, file, diags);
            if let (Some(fy), Some(v)) = (fy, v) {
                years.insert(fy, v);
                places.insert((scale, fy), file.at(typed));
            }
        }
        out.insert(scale, years);
    }
    out
}
