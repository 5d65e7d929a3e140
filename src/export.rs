//! `mieruka export`: plans back into the progress sheet shape councils
//! read (rust_xlsxwriter). One sheet per plan, one row per schedule line of
//! each initiative, the plan's level names as headers, statuses, targets,
//! results and figures per fiscal year. Sections and an initiative's own
//! cells are merged down over their rows, as staff lay such sheets out.
//! The layout is an import mapping ([`layout`]), so that `export --map`
//! writes the mapping that reads the sheet back unchanged.

use crate::import::map::{Map, SectionColumns, YearColumns};
use crate::model::{AppliesTo, FiscalYear, Initiative, Plan, Site};
use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};
use std::path::Path;

/// The columns of plan `p`'s sheet, with their headers.
pub(crate) fn layout(site: &Site, p: usize) -> (Map, Vec<String>) {
    let plan = &site.plans[p];
    let inits: Vec<&Initiative> = site.initiatives.iter().filter(|i| i.plan == p).collect();
    let mut headers = Vec::new();
    let mut next = |h: String| {
        headers.push(h);
        headers.len() - 1
    };
    let id = next("ID".into());
    let levels = plan.levels.len();
    let mut sections = Vec::new();
    for level in 0..levels - 1 {
        let coded = site
            .sections
            .iter()
            .any(|s| s.plan == p && s.level == level + 1 && s.code.is_some());
        let name = &plan.levels[level].ja;
        let code = coded.then(|| next(format!("{name}番号")));
        sections.push(SectionColumns {
            code,
            title: next(name.clone()),
            heading_rows: false,
        });
    }
    let last = &plan.levels[levels - 1].ja;
    let code = inits
        .iter()
        .any(|i| i.code.is_some())
        .then(|| next(format!("{last}番号")));
    let title = next(last.clone());
    let departments = inits
        .iter()
        .any(|i| !i.departments.is_empty())
        .then(|| next("担当課".into()));
    let year_scale = plan
        .scale_for(AppliesTo::Initiative)
        .map(|s| plan.scales[s].name.ja.clone());
    let schedule_scale = plan
        .scale_for(AppliesTo::Schedule)
        .map(|s| plan.scales[s].name.ja.clone());
    let mut years = Vec::new();
    for y in plan.years() {
        let era = y.ja_era();
        let any = |f: &dyn Fn(&Initiative) -> bool| inits.iter().any(|i| f(i));
        let entry = |i: &Initiative| i.years.get(&y).cloned();
        let mut col = |present: bool, what: &str| present.then(|| next(format!("{era} {what}")));
        let mut yc = YearColumns {
            year: Some(y),
            ..YearColumns::default()
        };
        yc.schedule_plan = col(
            any(&|i| i.schedule.iter().any(|s| s.plan.contains_key(&y))),
            "計画",
        );
        if let Some(name) = &schedule_scale {
            yc.schedule_status = col(
                any(&|i| i.schedule.iter().any(|s| s.status.contains_key(&y))),
                name,
            );
        }
        yc.phase = col(
            any(&|i| entry(i).is_some_and(|e| e.phase.is_some())),
            "段階",
        );
        yc.target = col(
            any(&|i| entry(i).is_some_and(|e| e.target.is_some())),
            "目標",
        );
        if let Some(name) = &year_scale {
            yc.status = col(any(&|i| entry(i).is_some_and(|e| e.status.is_some())), name);
        }
        yc.result = col(
            any(&|i| entry(i).is_some_and(|e| e.result.is_some())),
            "実績",
        );
        yc.reason = col(
            any(&|i| entry(i).is_some_and(|e| e.reason.is_some())),
            "理由",
        );
        let figures = |f: &dyn Fn(&crate::model::Figure) -> bool| {
            any(&|i| entry(i).is_some_and(|e| e.figures.iter().any(f)))
        };
        yc.figure_targets = col(figures(&|f| f.target.is_some()), "目標値");
        yc.figure_actuals = col(figures(&|f| f.actual.is_some()), "実績値");
        let used = [
            yc.schedule_plan,
            yc.schedule_status,
            yc.phase,
            yc.target,
            yc.status,
            yc.result,
            yc.reason,
            yc.figure_targets,
            yc.figure_actuals,
        ];
        if used.iter().any(Option::is_some) {
            years.push(yc);
        }
    }
    let map = Map {
        plan: p,
        sheet: Some(sheet_name(plan)),
        first_row: 1,
        id: Some(id),
        code,
        title,
        departments,
        sections,
        years,
    };
    (map, headers)
}

/// Excel allows 31 characters and no `[]:*?/\` in a sheet name.
pub(crate) fn sheet_name(plan: &Plan) -> String {
    plan.id
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(31)
        .collect()
}

/// Writes plans `plans` of `site` into the workbook `out`, one sheet each.
pub(crate) fn write(site: &Site, plans: &[usize], out: &Path) -> Result<(), String> {
    let mut book = Workbook::new();
    // A fixed date: the same content gives the same file.
    if let Ok(date) = rust_xlsxwriter::ExcelDateTime::from_ymd(2000, 1, 1) {
        book.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&date));
    }
    for &p in plans {
        let sheet = book.add_worksheet();
        fill(site, p, sheet)
            .map_err(|e| format!("cannot make the sheet of {}: {e}", site.plans[p].id))?;
    }
    let bytes = book
        .save_to_buffer()
        .map_err(|e| format!("cannot make {}: {e}", out.display()))?;
    save(out, &bytes)
}

/// Writes a file the user named (`--xlsx`, `--map`) through a new file
/// renamed over it: never through a link or into a pipe (see
/// [`crate::disk`]).
pub(crate) fn save(out: &Path, bytes: &[u8]) -> Result<(), String> {
    crate::disk::Folder::around(out)
        .and_then(|(folder, name)| folder.replace(&name, bytes))
        .map_err(|e| format!("cannot write {}: {e}", out.display()))
}

/// Row and column as rust_xlsxwriter takes them.
fn rc(row: usize, col: usize) -> (u32, u16) {
    (row as u32, col as u16)
}

/// Writes `text` over rows `first..=last` of `col`: merged when more than one.
fn put(
    sheet: &mut Worksheet,
    first: usize,
    last: usize,
    col: usize,
    text: &str,
    f: &Format,
) -> Result<(), XlsxError> {
    let (r0, c) = rc(first, col);
    if last > first {
        sheet.merge_range(r0, c, last as u32, c, text, f)?;
    } else if !text.is_empty() {
        sheet.write_string_with_format(r0, c, text, f)?;
    }
    Ok(())
}

fn fill(site: &Site, p: usize, sheet: &mut Worksheet) -> Result<(), XlsxError> {
    let plan = &site.plans[p];
    let (map, headers) = layout(site, p);
    sheet.set_name(map.sheet.clone().unwrap_or_default())?;
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let cell = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    for (c, h) in headers.iter().enumerate() {
        let (r, c) = rc(0, c);
        sheet.write_string_with_format(r, c, h, &head)?;
        sheet.set_column_width(
            c,
            if h.ends_with("番号") || h == "ID" {
                12
            } else {
                30
            },
        )?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let mut row = map.first_row;
    let mut walker = Walker {
        site,
        plan,
        map: &map,
        sheet,
        cell: &cell,
    };
    if plan.levels.len() == 1 {
        for &i in &plan.initiatives {
            row = walker.initiative(&site.initiatives[i], row)?;
        }
    } else {
        for &s in &plan.sections {
            row = walker.section(s, row)?;
        }
    }
    Ok(())
}

struct Walker<'a> {
    site: &'a Site,
    plan: &'a Plan,
    map: &'a Map,
    sheet: &'a mut Worksheet,
    cell: &'a Format,
}

impl Walker<'_> {
    /// Writes section `s` from `row`; returns the row after it.
    fn section(&mut self, s: usize, row: usize) -> Result<usize, XlsxError> {
        let site = self.site;
        let sec = &site.sections[s];
        let mut next = row;
        if sec.sections.is_empty() && sec.initiatives.is_empty() {
            // An empty section still shows as its heading row.
            next += 1;
        }
        for &child in &sec.sections {
            next = self.section(child, next)?;
        }
        for &i in &sec.initiatives {
            next = self.initiative(&site.initiatives[i], next)?;
        }
        let cols = &self.map.sections[sec.level - 1];
        if let Some(c) = cols.code {
            put(
                self.sheet,
                row,
                next - 1,
                c,
                sec.code.as_deref().unwrap_or(""),
                self.cell,
            )?;
        }
        put(
            self.sheet,
            row,
            next - 1,
            cols.title,
            &sec.title.ja,
            self.cell,
        )?;
        Ok(next)
    }

    /// Writes initiative `i` from `row`, one row per schedule line;
    /// returns the row after it.
    fn initiative(&mut self, i: &Initiative, row: usize) -> Result<usize, XlsxError> {
        let (site, plan, map) = (self.site, self.plan, self.map);
        let last = row + i.schedule.len().max(1) - 1;
        let cell = self.cell;
        let one =
            |sheet: &mut Worksheet, col: Option<usize>, text: &str| -> Result<(), XlsxError> {
                match col {
                    Some(c) => put(sheet, row, last, c, text, cell),
                    None => Ok(()),
                }
            };
        one(self.sheet, map.id, &i.id)?;
        one(self.sheet, map.code, i.code.as_deref().unwrap_or(""))?;
        one(self.sheet, Some(map.title), &i.title.ja)?;
        let depts: Vec<&str> = i
            .departments
            .iter()
            .map(|&d| site.departments[d].name.ja.as_str())
            .collect();
        one(self.sheet, map.departments, &depts.join("、"))?;
        let status_text = |scale: Option<usize>, v: usize| -> String {
            scale.map_or(String::new(), |s| {
                let v = &plan.scales[s].values[v];
                v.symbol().unwrap_or(&v.label.ja).to_string()
            })
        };
        for y in &map.years {
            let fy: FiscalYear = y.year();
            let e = i.years.get(&fy);
            let text = |t: Option<&crate::model::Text>| t.map_or(String::new(), |t| t.ja.clone());
            one(self.sheet, y.phase, &text(e.and_then(|e| e.phase.as_ref())))?;
            one(
                self.sheet,
                y.target,
                &text(e.and_then(|e| e.target.as_ref())),
            )?;
            one(
                self.sheet,
                y.result,
                &text(e.and_then(|e| e.result.as_ref())),
            )?;
            one(
                self.sheet,
                y.reason,
                &text(e.and_then(|e| e.reason.as_ref())),
            )?;
            let st = e
                .and_then(|e| e.status)
                .map(|v| status_text(plan.scale_for(AppliesTo::Initiative), v));
            one(self.sheet, y.status, &st.unwrap_or_default())?;
            let figures = |which: &dyn Fn(&crate::model::Figure) -> Option<String>| -> String {
                e.map_or(Vec::new(), |e| {
                    e.figures
                        .iter()
                        .filter_map(|f| Some(format!("{}：{}", f.name.ja, which(f)?)))
                        .collect::<Vec<_>>()
                })
                .join("\n")
            };
            one(
                self.sheet,
                y.figure_targets,
                &figures(&|f| f.target.as_ref().map(|r| r.printed.clone())),
            )?;
            one(
                self.sheet,
                y.figure_actuals,
                &figures(&|f| f.actual.as_ref().map(|r| r.printed.clone())),
            )?;
            for (n, line) in i.schedule.iter().enumerate() {
                let (r, _) = rc(row + n, 0);
                if let (Some(c), Some(t)) = (y.schedule_plan, line.plan.get(&fy)) {
                    self.sheet
                        .write_string_with_format(r, c as u16, &t.ja, self.cell)?;
                }
                if let (Some(c), Some(&v)) = (y.schedule_status, line.status.get(&fy)) {
                    let s = status_text(plan.scale_for(AppliesTo::Schedule), v);
                    self.sheet
                        .write_string_with_format(r, c as u16, &s, self.cell)?;
                }
            }
        }
        Ok(last + 1)
    }
}
