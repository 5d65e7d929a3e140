//! The CSV tables of the open data, one row per thing, both languages'
//! names side by side, stable ids in the first columns: initiatives,
//! statuses per year (one row per rated unit — initiative, schedule row or
//! section — and reported year) and indicator values. Their fields are
//! described in `datapackage.json` ([`super::package`]).

use super::csv::{Cell, Table};
use super::series;
use crate::model::{AppliesTo, Date, Lang, Site, Text};
use crate::render::urls;

/// A table's name (`initiatives`), its fields and their Frictionless types.
pub struct Spec {
    pub name: &'static str,
    pub title: &'static str,
    pub fields: &'static [(&'static str, &'static str, &'static str)],
    pub key: &'static [&'static str],
}

pub const INITIATIVES: Spec = Spec {
    name: "initiatives",
    title: "Initiatives (取組)",
    fields: &[
        ("plan_id", "string", "the plan (its folder name)"),
        (
            "initiative_id",
            "string",
            "the initiative, unique in its plan",
        ),
        ("code", "string", "its number as printed"),
        (
            "section_id",
            "string",
            "its section (folder path from the plan folder)",
        ),
        ("section_title_ja", "string", "the section's title"),
        ("title_ja", "string", "title in Japanese"),
        (
            "title_en",
            "string",
            "title in English (empty: not translated)",
        ),
        (
            "department_ids",
            "string",
            "departments in charge, separated by ';'",
        ),
        ("departments_ja", "string", "their names, separated by '、'"),
        (
            "ended_after",
            "integer",
            "last fiscal year of a programme that ended mid-plan",
        ),
        ("repeat_of", "string", "the initiative this one repeats"),
        ("url", "string", "its page"),
    ],
    key: &["plan_id", "initiative_id"],
};

pub const STATUSES: Spec = Spec {
    name: "statuses",
    title: "Statuses per fiscal year (進捗状況)",
    fields: &[
        ("plan_id", "string", "the plan"),
        (
            "unit",
            "string",
            "what is rated: initiative, schedule_row or section",
        ),
        ("unit_id", "string", "the initiative id, or the section id"),
        (
            "row",
            "integer",
            "the schedule row (1 = first) for unit schedule_row",
        ),
        ("row_label_ja", "string", "the schedule row's label"),
        (
            "fiscal_year",
            "integer",
            "the fiscal year (2023 = 令和5年度, April 2023 to March 2024)",
        ),
        (
            "fiscal_year_ja",
            "string",
            "the fiscal year as printed in Japanese",
        ),
        ("scale", "string", "the status scale's key"),
        ("value", "string", "the status's key (empty: not reported)"),
        ("symbol", "string", "its symbol as printed"),
        ("label_ja", "string", "its label in Japanese"),
        ("label_en", "string", "its label in English"),
        (
            "ended",
            "boolean",
            "the programme had ended by this year (not rated)",
        ),
    ],
    key: &[],
};

pub const INDICATOR_VALUES: Spec = Spec {
    name: "indicator_values",
    title: "Indicator values (目標指標の値)",
    fields: &[
        ("plan_id", "string", "the plan"),
        (
            "indicator_id",
            "string",
            "the indicator, unique in its plan",
        ),
        ("name_ja", "string", "its name in Japanese"),
        ("name_en", "string", "its name in English"),
        ("kind", "string", "baseline, actual or target"),
        ("fiscal_year", "integer", "the fiscal year"),
        (
            "value_as_printed",
            "string",
            "the value as the report prints it",
        ),
        (
            "value",
            "number",
            "the value as a number in the unit (empty: not a number)",
        ),
        ("unit_ja", "string", "the unit in Japanese"),
        ("unit_en", "string", "the unit in English"),
        ("measured", "string", "when it was measured, as printed"),
        ("note_ja", "string", "a note"),
        ("as_of", "date", "the day it was measured"),
        (
            "interim",
            "boolean",
            "measured before the year ended (not judged)",
        ),
        (
            "target_each_year",
            "boolean",
            "one year of a target set for every year",
        ),
    ],
    key: &[],
};

pub const ALL: [&Spec; 3] = [&INITIATIVES, &STATUSES, &INDICATOR_VALUES];

impl Spec {
    pub fn table(&self) -> Table {
        let header: Vec<&'static str> = self.fields.iter().map(|f| f.0).collect();
        Table::new(&header)
    }
}

fn en(t: &Text) -> Cell {
    Cell::opt(t.en.clone())
}

/// A plan's three tables, in the order of [`ALL`].
pub fn of_plan(site: &Site, p: usize) -> [Table; 3] {
    [
        initiatives(site, p),
        statuses(site, p),
        indicator_values(site, p),
    ]
}

fn initiatives(site: &Site, p: usize) -> Table {
    let mut t = INITIATIVES.table();
    let plan = &site.plans[p];
    for (i, init) in site
        .initiatives
        .iter()
        .enumerate()
        .filter(|(_, x)| x.plan == p)
    {
        let section = init.section.map(|s| &site.sections[s]);
        t.push(vec![
            Cell::text(&plan.id),
            Cell::text(&init.id),
            Cell::opt(init.code.clone()),
            Cell::opt(section.map(|s| s.slug.clone())),
            Cell::opt(section.map(|s| s.title.ja.clone())),
            Cell::text(&init.title.ja),
            en(&init.title),
            Cell::text(
                init.departments
                    .iter()
                    .map(|&d| site.departments[d].id.as_str())
                    .collect::<Vec<_>>()
                    .join(";"),
            ),
            Cell::text(
                init.departments
                    .iter()
                    .map(|&d| site.departments[d].name.ja.as_str())
                    .collect::<Vec<_>>()
                    .join("、"),
            ),
            init.ended
                .as_ref()
                .map_or(Cell::text(""), |e| Cell::int(e.after.0)),
            Cell::opt(init.repeat_of.map(|r| site.initiatives[r].id.clone())),
            Cell::text(format!(
                "{}{}",
                site.config.base_url,
                urls::initiative(Lang::Ja, site, i)
            )),
        ]);
    }
    t
}

fn statuses(site: &Site, p: usize) -> Table {
    let mut t = STATUSES.table();
    let plan = &site.plans[p];
    for (sc, scale) in plan.scales.iter().enumerate() {
        for year in plan.reported_years() {
            let cells = |unit: &str,
                         id: &str,
                         row: Option<(usize, Option<&Text>)>,
                         v: Option<usize>,
                         ended: bool| {
                let value = v.filter(|_| !ended).map(|v| &scale.values[v]);
                vec![
                    Cell::text(&plan.id),
                    Cell::text(unit),
                    Cell::text(id),
                    row.map_or(Cell::text(""), |(n, _)| Cell::int(n + 1)),
                    Cell::opt(row.and_then(|(_, l)| l).map(|l| l.ja.clone())),
                    Cell::int(year.0),
                    Cell::text(year.ja()),
                    Cell::text(&scale.key),
                    Cell::opt(value.map(|v| v.key.clone())),
                    Cell::opt(value.and_then(|v| v.symbol()).map(String::from)),
                    Cell::opt(value.map(|v| v.label.ja.clone())),
                    Cell::opt(value.map(|v| v.label.en.clone())),
                    Cell::text(ended.to_string()),
                ]
            };
            let inits = site.initiatives.iter().filter(|x| x.plan == p);
            match scale.applies_to {
                AppliesTo::Schedule => {
                    for init in inits {
                        for (n, r) in init.schedule.iter().enumerate() {
                            let v = r.status.get(&year).copied();
                            t.push(cells(
                                "schedule_row",
                                &init.id,
                                Some((n, r.label.as_ref())),
                                v,
                                init.ended_in(year),
                            ));
                        }
                    }
                }
                AppliesTo::Initiative => {
                    for init in inits {
                        let v = init.entry_for(year).and_then(|e| e.status);
                        t.push(cells("initiative", &init.id, None, v, init.ended_in(year)));
                    }
                }
                AppliesTo::Section => {
                    for sec in site
                        .sections
                        .iter()
                        .filter(|s| s.plan == p && Some(s.level) == scale.level)
                    {
                        let v = sec.status.get(&sc).and_then(|m| m.get(&year)).copied();
                        t.push(cells("section", &sec.slug, None, v, false));
                    }
                }
            }
        }
    }
    t
}

fn indicator_values(site: &Site, p: usize) -> Table {
    let mut t = INDICATOR_VALUES.table();
    let plan = &site.plans[p];
    for &i in &plan.indicators {
        let ind = &site.indicators[i];
        for row in series::rows(site, i) {
            t.push(vec![
                Cell::text(&plan.id),
                Cell::text(&ind.id),
                Cell::text(&ind.name.ja),
                en(&ind.name),
                Cell::text(row.kind),
                Cell::int(row.year.0),
                Cell::text(row.printed()),
                Cell::Number(row.number()),
                Cell::opt(ind.unit.as_ref().map(|u| u.ja.clone())),
                Cell::opt(ind.unit.as_ref().map(|u| u.en.clone())),
                Cell::text(row.measured()),
                Cell::text(row.note),
                Cell::text(row.as_of.map(Date::iso).unwrap_or_default()),
                Cell::text(row.interim.to_string()),
                Cell::text(row.each_year.to_string()),
            ]);
        }
    }
    t
}
