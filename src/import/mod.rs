//! `mieruka import`: a progress sheet (Excel or CSV) into a plan's content
//! files. The sheet is read (`crate::sheet`), its columns found through a
//! mapping file (`map`), its rows grouped into initiatives (`rows`), and
//! each initiative written into its file in place (`edit`) or into a new
//! file. Nothing is written when any row has a problem (unless
//! `--partial`); `--dry-run` shows the changes as a diff.

mod edit;
pub(crate) mod map;
mod planner;
mod rows;
mod write;

use crate::diagnostics::Diagnostics;
use planner::{Planned, Planner};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// A problem with a cell of the sheet or a file, named `sheet!C12` or by
/// its path.
#[derive(Debug, Clone)]
pub struct Problem {
    pub at: String,
    pub message: String,
    pub hint: Option<String>,
}

impl Problem {
    pub(crate) fn at(at: String, message: impl Into<String>, hint: Option<String>) -> Problem {
        Problem {
            at,
            message: message.into(),
            hint,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: error: {}", self.at, self.message)?;
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}

/// How `import` may write.
#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Show the changes as a diff and write nothing.
    pub dry_run: bool,
    /// Replace narrative text that differs from the sheet.
    pub force: bool,
    /// Write the rows that are fine even when others have problems.
    pub partial: bool,
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Default)]
pub struct ImportReport {
    /// One line per file added or changed, and per value left alone.
    pub lines: Vec<String>,
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub kept: usize,
    pub problems: Vec<Problem>,
    /// The changes as a unified diff (dry run only).
    pub diff: String,
    /// Whether files were written.
    pub written: bool,
    /// The site would not check clean after the import: nothing written,
    /// even with `--partial`.
    pub blocked: bool,
}

/// Why the import could not start: the site, the mapping or the sheet.
#[derive(Debug)]
pub enum ImportRefused {
    Content(Diagnostics),
    Message(String),
}

/// A file to write: its path from the site root, the old text (none for a
/// new file) and the new.
struct FileChange {
    path: PathBuf,
    before: Option<String>,
    after: String,
}

/// The most problems an import collects: past them the sheet is refused
/// whole (even with `--partial`, so that no row is left out unlisted),
/// the first ones shown.
pub(crate) const MAX_PROBLEMS: usize = 1000;
/// The most initiatives one sheet may hold (a plan has hundreds): each is
/// a file held in memory and then checked in a copy of the site. 20,000
/// new ones: 2.2 s and 140 MB (release); 100,000 took 15.5 s and 589 MB.
const MAX_RECORDS: usize = 20_000;

/// Refuses the import with the first [`MAX_PROBLEMS`] problems.
fn too_many(problems: &[Problem]) -> ImportRefused {
    let mut m = format!(
        "more than {MAX_PROBLEMS} problems: the rest of the sheet was not read, and nothing was written (even with --partial); the first {MAX_PROBLEMS}:\n"
    );
    for p in problems.iter().take(MAX_PROBLEMS) {
        m.push_str(&format!("{p}\n"));
    }
    m.push_str("hint: check that the mapping file's columns and first_row match the sheet");
    ImportRefused::Message(m)
}

/// Imports `sheet` into the site at `root` through the mapping file `map`.
pub fn import(
    root: &Path,
    sheet: &Path,
    map: &Path,
    opts: ImportOptions,
) -> Result<ImportReport, ImportRefused> {
    let (site, diags) = crate::content::load(root);
    let Some(site) = site.filter(|_| !diags.has_errors()) else {
        return Err(ImportRefused::Content(diags));
    };
    let mut diags = Diagnostics::default();
    let Some(map) = map::load(map, &site, &mut diags) else {
        return Err(ImportRefused::Content(diags));
    };
    let grid = crate::sheet::read(sheet, map.sheet.as_deref()).map_err(ImportRefused::Message)?;
    let mut report = ImportReport::default();
    if map.first_row >= grid.rows() {
        report.problems.push(Problem::at(
            grid.sheet.clone(),
            format!(
                "the sheet's last row is {}, above `first_row` = {}: no row would be read",
                grid.rows(),
                map.first_row + 1
            ),
            Some(
                "set `first_row` in the mapping file to the row number of the first data row"
                    .into(),
            ),
        ));
        return Ok(report);
    }
    let controls = rows::control_characters(&grid, &map, &mut report.problems);
    if report.problems.len() > MAX_PROBLEMS {
        return Err(too_many(&report.problems));
    }
    let records = rows::records(&grid, &map, &mut report.problems);
    if report.problems.len() > MAX_PROBLEMS {
        return Err(too_many(&report.problems));
    }
    if records.len() > MAX_RECORDS {
        return Err(ImportRefused::Message(format!(
            "{}: {} initiatives from row {} on; mieruka imports up to {MAX_RECORDS} at once\n  hint: check that the mapping file's columns and first_row match the sheet",
            grid.sheet,
            records.len(),
            map.first_row + 1
        )));
    }
    let ctx = edit::Ctx {
        site: &site,
        plan: map.plan,
        map: &map,
        grid: &grid,
        force: opts.force,
    };
    let mut planner = Planner::new(root, &site, map.plan);
    let mut changes = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for rec in &records {
        // Its rows, or its sections' rows, hold a control character: left
        // out (the cells are reported above).
        if rec.rows.iter().any(|r| controls.contains(r))
            || rec.sections.iter().any(|s| controls.contains(&s.at.0))
        {
            continue;
        }
        let mut problems = Vec::new();
        let at = grid.name(rec.rows[0], map.id.unwrap_or(map.title));
        if let Some(first) = seen.insert(unique_key(&map, rec), rec.rows[0]) {
            problems.push(Problem::at(
                at.clone(),
                format!(
                    "「{}」 is also on row {}: one initiative, one group of rows",
                    rec.identity,
                    first + 1
                ),
                Some("give each initiative its own id, or put its rows together".into()),
            ));
        }
        let outcome = if problems.is_empty() {
            planner.record(&ctx, rec, &at, &mut problems)
        } else {
            None
        };
        if !problems.is_empty() {
            report.problems.extend(problems);
            if report.problems.len() > MAX_PROBLEMS {
                return Err(too_many(&report.problems));
            }
            continue;
        }
        if let Some(outcome) = outcome {
            tally(&mut report, &mut changes, outcome);
        }
    }
    if !report.problems.is_empty() && !opts.partial {
        return Ok(report);
    }
    // The site as it would be must still check clean: otherwise nothing
    // is written (and the dry run says why).
    if !changes.is_empty() {
        let after = write::verify(root, &changes).map_err(ImportRefused::Message)?;
        if after.has_errors() {
            for d in after.sorted() {
                if d.severity == crate::diagnostics::Severity::Error {
                    report.problems.push(Problem {
                        at: format!(
                            "{}:{}:{}",
                            d.path.display().to_string().replace('\\', "/"),
                            d.line,
                            d.column
                        ),
                        message: format!("after this import: {}", d.message),
                        hint: d.hint.clone(),
                    });
                }
            }
            report.blocked = true;
            return Ok(report);
        }
    }
    if opts.dry_run {
        report.diff = diff(&changes);
        return Ok(report);
    }
    write::write_all(root, &changes).map_err(ImportRefused::Message)?;
    report.written = !changes.is_empty();
    Ok(report)
}

/// What must be unique among the records: ids (in any case, as Windows
/// sees file names), titles within a section.
fn unique_key(map: &map::Map, rec: &rows::Record) -> String {
    if map.id.is_some() {
        rec.identity.to_lowercase()
    } else {
        let chain: Vec<&str> = rec.sections.iter().map(|k| k.title.as_str()).collect();
        format!("{}\u{1}{}", chain.join("\u{1}"), rec.identity)
    }
}

/// Counts one record's outcome in the report and keeps its files to write.
fn tally(report: &mut ImportReport, changes: &mut Vec<FileChange>, outcome: Planned) {
    let Planned::Write {
        change,
        edit,
        new_sections,
    } = outcome
    else {
        report.unchanged += 1;
        return;
    };
    let shown = change.path.display().to_string().replace('\\', "/");
    for s in new_sections {
        report.lines.push(format!(
            "added    {}",
            s.path.display().to_string().replace('\\', "/")
        ));
        changes.push(s);
    }
    let differs = change.before.as_deref() != Some(change.after.as_str());
    if change.before.is_none() {
        report.added += 1;
        report
            .lines
            .push(format!("added    {shown}  ({})", edit.changed.join("; ")));
    } else if differs {
        report.changed += 1;
        report
            .lines
            .push(format!("changed  {shown}  ({})", edit.changed.join("; ")));
    } else {
        report.unchanged += 1;
    }
    for k in &edit.kept {
        report.kept += 1;
        report.lines.push(format!("kept     {shown}  {k}"));
    }
    if differs {
        changes.push(change);
    }
}

/// The changes as a unified diff, file by file.
fn diff(changes: &[FileChange]) -> String {
    let mut out = String::new();
    for c in changes {
        let name = c.path.display().to_string().replace('\\', "/");
        let before = c.before.as_deref().unwrap_or("");
        let old_name = if c.before.is_some() {
            format!("a/{name}")
        } else {
            "/dev/null".into()
        };
        out.push_str(
            &similar::TextDiff::from_lines(before, &c.after)
                .unified_diff()
                .context_radius(2)
                .header(&old_name, &format!("b/{name}"))
                .to_string(),
        );
    }
    out
}
