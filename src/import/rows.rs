//! From sheet rows to initiatives: which rows are section headings, which
//! row starts an initiative and which rows continue it (its further
//! schedule lines). A merged or empty cell in a section column means the
//! same section as the row above, as merged cells look once read.

use super::map::Map;
use super::Problem;
use crate::sheet::Grid;

/// A section as the sheet names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SectionKey {
    pub code: Option<String>,
    pub title: String,
    /// Where it was read: (row, column) of its title.
    pub at: (usize, usize),
}

/// The rows of one initiative: `rows[0]` holds its fields, every row one
/// line of its schedule.
#[derive(Debug)]
pub(crate) struct Record {
    pub rows: Vec<usize>,
    /// The sections it sits in, outermost first, as far as the sheet names
    /// them above its row (none when the mapping has no section columns).
    pub sections: Vec<SectionKey>,
    /// Its id (when mapped) or title, as read.
    pub identity: String,
}

/// Groups the data rows of `grid` into initiatives.
pub(crate) fn records(grid: &Grid, map: &Map, problems: &mut Vec<Problem>) -> Vec<Record> {
    let identity_col = map.id.unwrap_or(map.title);
    let mut current: Vec<Option<SectionKey>> = vec![None; map.sections.len()];
    let mut records: Vec<Record> = Vec::new();
    let mut open = false;
    let data_cols = data_columns(map);
    for r in map.first_row..grid.rows() {
        if problems.len() > super::MAX_PROBLEMS {
            // The import is refused; the rest is not worth reading.
            break;
        }
        let mut section_changed = false;
        let mut heading_row = false;
        for (level, cols) in map.sections.iter().enumerate() {
            let title = grid.get(r, cols.title).trim();
            if cols.heading_rows {
                // Read only from a heading row: its title cell filled, every
                // other cell empty or the same text (merged across).
                // When the title column is also an initiative's column, a
                // row with only a code and a title is an initiative unless
                // its title is merged over another cell.
                let other = |&&c: &&usize| c != cols.title && Some(c) != cols.code;
                let shared = [map.id, map.code, Some(map.title)].contains(&Some(cols.title));
                let same = |c: usize| grid.get(r, c).trim() == title;
                let heading = !title.is_empty()
                    && data_cols
                        .iter()
                        .filter(other)
                        .all(|&c| grid.get(r, c).trim().is_empty() || same(c))
                    && (!shared || data_cols.iter().filter(other).any(|&c| same(c)));
                if !heading {
                    continue;
                }
                heading_row = true;
            }
            let code = cols
                .code
                .map(|c| grid.get(r, c).trim())
                .filter(|c| !c.is_empty());
            if title.is_empty() && code.is_none() {
                continue;
            }
            let key = SectionKey {
                code: code.map(str::to_string),
                title: title.to_string(),
                at: (r, cols.title),
            };
            // A code or title left empty on this row is the section's above.
            let same = current[level].as_ref().is_some_and(|k| {
                (title.is_empty() || k.title == title)
                    && (code.is_none() || k.code.as_deref() == code)
            });
            if !same {
                current[level] = Some(key);
                for deeper in current.iter_mut().skip(level + 1) {
                    *deeper = None;
                }
                section_changed = true;
            }
        }
        if heading_row {
            open = false;
            continue;
        }
        if let Some(e) = grid.error(r, identity_col) {
            problems.push(Problem::at(
                grid.name(r, identity_col),
                format!("the cell holds the error {e}, not an id or title"),
                Some("fix the formula, or type the value".into()),
            ));
            open = false;
            continue;
        }
        let identity = grid.get(r, identity_col).trim();
        let has_data = data_cols.iter().any(|&c| !grid.get(r, c).trim().is_empty());
        if identity.is_empty() {
            if !has_data {
                // A blank row or a section heading ends the initiative above.
                open = false;
                continue;
            }
            if !open || section_changed {
                let what = if map.id.is_some() { "id" } else { "title" };
                problems.push(Problem::at(
                    grid.name(r, identity_col),
                    format!("this row has data but no {what}, and does not continue an initiative above it"),
                    Some(format!("fill in the {what}, or merge this row's {what} cell with the initiative's above")),
                ));
                continue;
            }
            if let Some(last) = records.last_mut() {
                continue_with(grid, map, last, r, problems);
            }
            continue;
        }
        if open && !section_changed && records.last().is_some_and(|l| l.identity == identity) {
            if let Some(last) = records.last_mut() {
                continue_with(grid, map, last, r, problems);
            }
            continue;
        }
        records.push(Record {
            rows: vec![r],
            // Up to the first level not named yet: an existing initiative
            // (found by id) needs none; a new one all (see `Planner::create`).
            sections: current.iter().map_while(Option::as_ref).cloned().collect(),
            identity: identity.to_string(),
        });
        open = true;
    }
    records
}

/// Adds row `r` to `rec` as its next schedule line. The row's other cells
/// must be empty or repeat the initiative's (as merged cells read): a
/// different title, status or result would be lost.
fn continue_with(grid: &Grid, map: &Map, rec: &mut Record, r: usize, problems: &mut Vec<Problem>) {
    let first = rec.rows[0];
    let mut own: Vec<usize> = [map.id, map.code, Some(map.title), map.departments]
        .into_iter()
        .flatten()
        .collect();
    for y in &map.years {
        own.extend(y.own());
    }
    for c in own {
        let t = grid.get(r, c).trim();
        if !t.is_empty() && t != grid.get(first, c).trim() {
            problems.push(Problem::at(
                grid.name(r, c),
                format!(
                    "this row continues 「{}」 of row {} (it has no {}), but this cell differs from that row's",
                    rec.identity,
                    first + 1,
                    if map.id.is_some() { "id" } else { "title" }
                ),
                Some("a row without its own id is the next schedule line of the initiative above: give this row its own id, or leave this cell empty (or merged with the one above)".into()),
            ));
            return;
        }
    }
    rec.rows.push(r);
}

/// Reports each mapped cell (from the first data row on) that holds a
/// control character, and returns the rows holding one: no initiative or
/// section is read from them.
pub(crate) fn control_characters(
    grid: &Grid,
    map: &Map,
    problems: &mut Vec<Problem>,
) -> std::collections::BTreeSet<usize> {
    let mut cols = data_columns(map);
    for s in &map.sections {
        cols.extend(s.code);
        cols.push(s.title);
    }
    let mut rows = std::collections::BTreeSet::new();
    for ((r, c), ch) in grid.controls() {
        if r < map.first_row || !cols.contains(&c) {
            continue;
        }
        if problems.len() > super::MAX_PROBLEMS {
            break;
        }
        problems.push(Problem::at(
            grid.name(r, c),
            format!(
                "the cell holds the control character U+{:04X}, which no page or data file may hold",
                u32::from(ch)
            ),
            Some("delete it (it often comes with text copied from another program; in Excel, =CLEAN() removes them)".into()),
        ));
        rows.insert(r);
    }
    rows
}

/// Every mapped column that is not a section column.
fn data_columns(map: &Map) -> Vec<usize> {
    let mut cols: Vec<usize> = [map.id, map.code, Some(map.title), map.departments]
        .into_iter()
        .flatten()
        .collect();
    for y in &map.years {
        cols.extend(y.all());
    }
    cols
}
