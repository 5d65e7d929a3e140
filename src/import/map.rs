//! The mapping file: which column of the progress sheet holds which field
//! of a plan's initiatives. Read and checked against the plan before any
//! row is read; its problems are `path:line:col` diagnostics.

use crate::diagnostics::{Diagnostics, LineIndex, Location};
use crate::model::{AppliesTo, FiscalYear, Plan, Site};
use crate::sheet::{column_index, column_name, LAST_COLUMN, LAST_ROW};
use serde::Deserialize;
use std::fmt::Write as _;
use std::path::Path;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMap {
    plan: Spanned<String>,
    sheet: Option<String>,
    first_row: Option<Spanned<i64>>,
    columns: RawColumns,
    #[serde(default)]
    sections: Vec<RawSectionColumns>,
    #[serde(default)]
    years: Vec<RawYearColumns>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawColumns {
    id: Option<Spanned<String>>,
    code: Option<Spanned<String>>,
    title: Spanned<String>,
    departments: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSectionColumns {
    code: Option<Spanned<String>>,
    title: Spanned<String>,
    #[serde(default)]
    heading_rows: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawYearColumns {
    year: Spanned<String>,
    status: Option<Spanned<String>>,
    schedule_plan: Option<Spanned<String>>,
    schedule_status: Option<Spanned<String>>,
    phase: Option<Spanned<String>>,
    target: Option<Spanned<String>>,
    result: Option<Spanned<String>>,
    reason: Option<Spanned<String>>,
    figure_targets: Option<Spanned<String>>,
    figure_actuals: Option<Spanned<String>>,
}

/// A checked mapping: 0-based rows and columns.
#[derive(Debug, Clone)]
pub(crate) struct Map {
    /// Index of the plan in the site.
    pub plan: usize,
    pub sheet: Option<String>,
    pub first_row: usize,
    pub id: Option<usize>,
    pub code: Option<usize>,
    pub title: usize,
    pub departments: Option<usize>,
    /// One per section level, outermost first.
    pub sections: Vec<SectionColumns>,
    pub years: Vec<YearColumns>,
}

#[derive(Debug, Clone)]
pub(crate) struct SectionColumns {
    pub code: Option<usize>,
    pub title: usize,
    /// The section is named on heading rows of its own (its title cell
    /// filled, the initiative's title empty or merged with it); in other
    /// rows this column holds something else and is not read.
    pub heading_rows: bool,
}

/// The columns of one fiscal year.
#[derive(Debug, Clone, Default)]
pub(crate) struct YearColumns {
    pub year: Option<FiscalYear>,
    pub status: Option<usize>,
    pub schedule_plan: Option<usize>,
    pub schedule_status: Option<usize>,
    pub phase: Option<usize>,
    pub target: Option<usize>,
    pub result: Option<usize>,
    pub reason: Option<usize>,
    pub figure_targets: Option<usize>,
    pub figure_actuals: Option<usize>,
}

impl YearColumns {
    pub fn year(&self) -> FiscalYear {
        self.year.unwrap_or(FiscalYear(0))
    }

    /// The columns that hold one value per initiative (not per schedule line).
    pub fn own(&self) -> impl Iterator<Item = usize> {
        [
            self.status,
            self.phase,
            self.target,
            self.result,
            self.reason,
            self.figure_targets,
            self.figure_actuals,
        ]
        .into_iter()
        .flatten()
    }

    /// Every column of the year.
    pub fn all(&self) -> impl Iterator<Item = usize> {
        self.own().chain(
            [self.schedule_plan, self.schedule_status]
                .into_iter()
                .flatten(),
        )
    }
}

/// Reads and checks the mapping file at `path` against `site`.
pub(crate) fn load(path: &Path, site: &Site, diags: &mut Diagnostics) -> Option<Map> {
    // A mapping file is a few hundred bytes; a pipe or a device is refused,
    // not waited on.
    let text = match crate::disk::read_file(path, 1 << 20) {
        Ok(b) => String::from_utf8_lossy(&b)
            .trim_start_matches('\u{feff}')
            .replace("\r\n", "\n"),
        Err(e) => {
            diags.error(
                &Location::file(path),
                format!("cannot read the mapping file: {e}"),
                None,
            );
            return None;
        }
    };
    let lines = LineIndex::new(&text);
    let at = |span: std::ops::Range<usize>| {
        let (line, column) = lines.position(span.start);
        Location {
            path: path.to_path_buf(),
            line,
            column,
        }
    };
    let raw: RawMap = match toml::from_str(&text) {
        Ok(r) => r,
        Err(e) => {
            diags.error(
                &at(e.span().unwrap_or(0..0)),
                e.message().to_string(),
                Some("see the README section \"Importing a progress sheet\" for the keys of a mapping file".into()),
            );
            return None;
        }
    };
    let errors_before = diags.count(crate::diagnostics::Severity::Error);
    let Some(plan) = site
        .plans
        .iter()
        .position(|p| !p.archived && p.id == *raw.plan.get_ref())
    else {
        let ids: Vec<&str> = site.plans.iter().map(|p| p.id.as_str()).collect();
        diags.error(
            &at(raw.plan.span()),
            format!("no plan with id `{}`", raw.plan.get_ref()),
            Some(format!("plans: {}", ids.join(", "))),
        );
        return None;
    };
    let p = &site.plans[plan];
    let mut col = |c: &Option<Spanned<String>>| -> Option<usize> {
        let c = c.as_ref()?;
        match column_index(c.get_ref()) {
            Some(i) if i <= LAST_COLUMN => Some(i),
            Some(_) => {
                diags.error(
                    &at(c.span()),
                    format!(
                        "`{}` is past {}, the last column of a sheet",
                        c.get_ref(),
                        column_name(LAST_COLUMN)
                    ),
                    Some(
                        "write the column's letters as Excel shows them: \"A\", \"F\", \"AB\""
                            .into(),
                    ),
                );
                None
            }
            None => {
                diags.error(
                    &at(c.span()),
                    format!("`{}` is not a column name", c.get_ref()),
                    Some(
                        "write the column's letters as Excel shows them: \"A\", \"F\", \"AB\""
                            .into(),
                    ),
                );
                None
            }
        }
    };
    let id = col(&raw.columns.id);
    let code = col(&raw.columns.code);
    let title = col(&Some(raw.columns.title.clone())).unwrap_or(0);
    let departments = col(&raw.columns.departments);
    let sections: Vec<SectionColumns> = raw
        .sections
        .iter()
        .map(|s| SectionColumns {
            code: col(&s.code),
            title: col(&Some(s.title.clone())).unwrap_or(0),
            heading_rows: s.heading_rows,
        })
        .collect();
    let mut years = Vec::new();
    for y in &raw.years {
        years.push(YearColumns {
            year: None,
            status: col(&y.status),
            schedule_plan: col(&y.schedule_plan),
            schedule_status: col(&y.schedule_status),
            phase: col(&y.phase),
            target: col(&y.target),
            result: col(&y.result),
            reason: col(&y.reason),
            figure_targets: col(&y.figure_targets),
            figure_actuals: col(&y.figure_actuals),
        });
    }
    check_years(p, &mut years, &raw.years, &at, diags);
    check_sections(p, &sections, &at, diags);
    let first_row = match &raw.first_row {
        Some(r) if *r.get_ref() > LAST_ROW as i64 => {
            diags.error(
                &at(r.span()),
                format!("`first_row` is past {LAST_ROW}, the last row of a sheet"),
                Some("give the row number of the first data row, as Excel shows it".into()),
            );
            0
        }
        Some(r) if *r.get_ref() >= 1 => *r.get_ref() as usize - 1,
        Some(r) => {
            diags.error(
                &at(r.span()),
                "`first_row` is the sheet's row number of the first data row: 1 or more",
                None,
            );
            0
        }
        None => 1,
    };
    if diags.count(crate::diagnostics::Severity::Error) > errors_before {
        return None;
    }
    Some(Map {
        plan,
        sheet: raw.sheet,
        first_row,
        id,
        code,
        title,
        departments,
        sections,
        years,
    })
}

/// Each mapped year: in the plan's period, and its statuses rated by a
/// scale the plan has.
fn check_years(
    p: &Plan,
    years: &mut [YearColumns],
    raw: &[RawYearColumns],
    at: &dyn Fn(std::ops::Range<usize>) -> Location,
    diags: &mut Diagnostics,
) {
    for (y, raw_y) in years.iter_mut().zip(raw) {
        y.year = year_of(p, &raw_y.year, at, diags);
        if y.status.is_some() && p.scale_for(AppliesTo::Initiative).is_none() {
            diags.error(
                &at(raw_y.status.as_ref().map_or(0..0, Spanned::span)),
                "`status` is mapped, but the plan has no status scale for initiatives",
                Some("add a [[scales]] with applies_to = \"initiative\" to _plan.md, or map the column to `schedule_status`".into()),
            );
        }
        if y.schedule_status.is_some() && p.scale_for(AppliesTo::Schedule).is_none() {
            diags.error(
                &at(raw_y.schedule_status.as_ref().map_or(0..0, Spanned::span)),
                "`schedule_status` is mapped, but the plan has no status scale for schedules",
                Some("add a [[scales]] with applies_to = \"schedule\" to _plan.md, or map the column to `status`".into()),
            );
        }
    }
}

/// One [[sections]] per level above the initiative; heading levels on
/// columns of their own.
fn check_sections(
    p: &Plan,
    sections: &[SectionColumns],
    at: &dyn Fn(std::ops::Range<usize>) -> Location,
    diags: &mut Diagnostics,
) {
    let headings: Vec<&SectionColumns> = sections.iter().filter(|s| s.heading_rows).collect();
    for (i, a) in headings.iter().enumerate() {
        if headings[..i].iter().any(|b| b.title == a.title) {
            diags.error(
                &at(0..0),
                format!("two [[sections]] with heading_rows = true read their title from column {}: a heading row could not say which level it is", column_name(a.title)),
                Some("give each level of heading rows its own title column".into()),
            );
        }
    }
    let levels = p.levels.len();
    if !sections.is_empty() && sections.len() != levels - 1 {
        diags.error(
            &at(0..0),
            format!(
                "the mapping has {} [[sections]], but the plan has {} section level(s) above its {}",
                sections.len(),
                levels - 1,
                p.levels[levels - 1].ja
            ),
            Some(format!(
                "add one [[sections]] (code and title columns) for each of: {}",
                p.levels[..levels - 1]
                    .iter()
                    .map(|l| l.ja.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        );
    }
}

fn year_of(
    plan: &Plan,
    typed: &Spanned<String>,
    at: &dyn Fn(std::ops::Range<usize>) -> Location,
    diags: &mut Diagnostics,
) -> Option<FiscalYear> {
    match FiscalYear::parse(typed.get_ref()) {
        Some(y) if y >= plan.first_year && y <= plan.last_year => Some(y),
        Some(y) => {
            diags.error(
                &at(typed.span()),
                format!("{} is outside the plan's period", y.ja()),
                Some(format!(
                    "the plan runs from {} to {}",
                    plan.first_year.ja(),
                    plan.last_year.ja()
                )),
            );
            None
        }
        None => {
            diags.error(
                &at(typed.span()),
                format!("`{}` is not a fiscal year", typed.get_ref()),
                Some("write it as \"R5\", \"令和5年度\" or 2023".into()),
            );
            None
        }
    }
}

/// The mapping file's text for `map` (as `export --map` writes it), with
/// comments saying what each key is for.
pub(crate) fn to_toml(map: &Map, plan: &Plan) -> String {
    let c = |i: usize| column_name(i);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# How the columns of the progress sheet map to the fields of plan `{}`.",
        plan.id
    );
    let _ = writeln!(
        s,
        "# Used by `mieruka import SHEET --map THIS-FILE`; columns are named as in Excel."
    );
    let _ = writeln!(s, "plan = \"{}\"", plan.id);
    if let Some(sheet) = &map.sheet {
        let _ = writeln!(s, "# the sheet to read (the first one if left out)");
        let _ = writeln!(s, "sheet = {}", toml_string(sheet));
    }
    let _ = writeln!(
        s,
        "# the row number of the first data row (the rows above are headings)"
    );
    let _ = writeln!(s, "first_row = {}", map.first_row + 1);
    let _ = writeln!(s, "\n[columns]");
    if let Some(i) = map.id {
        let _ = writeln!(
            s,
            "id = \"{}\"          # the initiative's id: how rows find their files",
            c(i)
        );
    }
    if let Some(i) = map.code {
        let _ = writeln!(s, "code = \"{}\"        # its number as printed", c(i));
    }
    let _ = writeln!(s, "title = \"{}\"", c(map.title));
    if let Some(i) = map.departments {
        let _ = writeln!(
            s,
            "departments = \"{}\" # 担当課, several separated by 、",
            c(i)
        );
    }
    for (level, sec) in map.sections.iter().enumerate() {
        let _ = writeln!(
            s,
            "\n# {}: a merged or empty cell means the same as the row above",
            plan.levels[level].ja
        );
        let _ = writeln!(s, "[[sections]]");
        if let Some(i) = sec.code {
            let _ = writeln!(s, "code = \"{}\"", c(i));
        }
        let _ = writeln!(s, "title = \"{}\"", c(sec.title));
        if sec.heading_rows {
            let _ = writeln!(s, "heading_rows = true");
        }
    }
    for y in &map.years {
        let _ = writeln!(s, "\n# {}", y.year().ja());
        let _ = writeln!(s, "[[years]]");
        let _ = writeln!(s, "year = \"{}\"", y.year().key());
        let fields = [
            ("schedule_plan", y.schedule_plan),
            ("schedule_status", y.schedule_status),
            ("phase", y.phase),
            ("target", y.target),
            ("status", y.status),
            ("result", y.result),
            ("reason", y.reason),
            ("figure_targets", y.figure_targets),
            ("figure_actuals", y.figure_actuals),
        ];
        for (k, v) in fields {
            if let Some(i) = v {
                let _ = writeln!(s, "{k} = \"{}\"", c(i));
            }
        }
    }
    s
}

fn toml_string(s: &str) -> String {
    toml_edit::Value::from(s).to_string().trim().to_string()
}
