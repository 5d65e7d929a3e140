//! One initiative file → [`Initiative`]: statuses resolved against the plan's
//! scales, years checked against its period, departments looked up in the
//! municipality's department list.

use super::plan::{resolve_status, YearKeys};
use super::raw::{RawInitiative, RawSection};
use super::source::SourceFile;
use crate::diagnostics::{did_you_mean, Diagnostics, Location};
use crate::model::{
    AppliesTo, Department, FiscalYear, Initiative, Plan, ScheduleRow, Text, Translation, YearEntry,
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

pub fn initiative_from(
    file: &SourceFile,
    raw: RawInitiative,
    (plan_idx, plan): (usize, &Plan),
    section: Option<usize>,
    departments: &[Department],
    diags: &mut Diagnostics,
) -> Initiative {
    let schedule_scale = plan.scale_for(AppliesTo::Schedule);
    let item_scale = plan.scale_for(AppliesTo::Initiative);
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
    let mut keys = YearKeys::default();
    for (y, e) in raw.years {
        let Some(fy) = keys.year(plan, &y, file, diags) else {
            continue;
        };
        let st = e
            .status
            .as_ref()
            .and_then(|s| status(plan, item_scale, "initiative", s, file, diags));
        years.insert(
            fy,
            YearEntry {
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
    let mut depts = Vec::new();
    for d in &raw.departments {
        if let Some(i) = department(plan, departments, d, file, diags) {
            if !depts.contains(&i) {
                depts.push(i);
            }
        }
    }
    Initiative {
        plan: plan_idx,
        section,
        id: raw.id.into_inner(),
        code: raw.code,
        code_en: raw.code_en,
        title: Text::ja(raw.title),
        departments: depts,
        order: raw.order,
        source_page: raw.source.and_then(|s| s.page),
        reason: text(raw.reason),
        activities: raw.activities.into_iter().map(Text::ja).collect(),
        repeat_of: None,
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
