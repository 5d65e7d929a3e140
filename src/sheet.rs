//! Spreadsheets as staff keep them. `read` turns an Excel workbook
//! (xlsx, xls, ods: calamine) or a CSV file (UTF-8 with or without BOM, or
//! Shift_JIS as Excel on Windows saves it: encoding_rs) into a [`Grid`] of
//! cell texts. Cells keep their sheet!A1 names for messages, and a merged
//! cell gives its text to every cell it covers, as it looks on screen.
//!
//! A sheet is read cell by cell (xlsx, xlsb, CSV) into rows as long as
//! their last cell, within budgets of cells, text and merged-cell writes,
//! so that a hostile file is refused instead of exhausting memory.

use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;

/// One sheet's cells as text, rows then columns, from A1.
#[derive(Debug)]
pub(crate) struct Grid {
    /// The sheet's name (a CSV file's name), for `sheet!C12` coordinates.
    pub sheet: String,
    /// Shared texts: a merged area holds one text, not a copy per cell.
    cells: Vec<Vec<Rc<str>>>,
    /// Cells whose value is an Excel error (`#N/A` …).
    errors: HashMap<(usize, usize), String>,
}

impl Grid {
    /// The text of a cell ("" when empty or outside the sheet).
    pub fn get(&self, row: usize, col: usize) -> &str {
        self.cells
            .get(row)
            .and_then(|r| r.get(col))
            .map_or("", |t| t)
    }

    /// The Excel error in a cell, if it holds one.
    pub fn error(&self, row: usize, col: usize) -> Option<&str> {
        self.errors.get(&(row, col)).map(String::as_str)
    }

    pub fn rows(&self) -> usize {
        self.cells.len()
    }

    /// `sheet!C12` for a 0-based row and column.
    pub fn name(&self, row: usize, col: usize) -> String {
        format!("{}!{}{}", self.sheet, column_name(col), row + 1)
    }
}

/// `A` for 0, `Z` for 25, `AA` for 26 …
pub(crate) fn column_name(mut col: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The 0-based index of a column written `A`, `k`, `AB` …
pub(crate) fn column_index(name: &str) -> Option<usize> {
    let name = name.trim();
    if name.is_empty() || name.len() > 3 || !name.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut n = 0usize;
    for c in name.to_ascii_uppercase().bytes() {
        n = n * 26 + usize::from(c - b'A' + 1);
    }
    Some(n - 1)
}

/// Reads `path`: a CSV file by its extension, otherwise a workbook, whose
/// sheet `sheet` (or first sheet) is read.
pub(crate) fn read(path: &Path, sheet: Option<&str>) -> Result<Grid, String> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    match ext.as_str() {
        "csv" | "txt" => {
            let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            read_csv(&bytes, &file_name)
        }
        "xlsx" | "xlsm" | "xls" | "ods" | "xlsb" => read_workbook(path, sheet),
        _ => Err(format!(
            "{}: not a spreadsheet mieruka reads\n  hint: save it from Excel as .xlsx, or as CSV (UTF-8 or Shift_JIS)",
            path.display()
        )),
    }
}

/// Text of CSV bytes: UTF-8 (a BOM is dropped), or else Shift_JIS.
pub(crate) fn decode(bytes: &[u8]) -> Result<String, String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8(rest.to_vec()).map_err(|e| {
            format!(
                "the file starts as UTF-8 but is not: byte {} is wrong",
                e.utf8_error().valid_up_to() + 3
            )
        });
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    encoding_rs::SHIFT_JIS
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|s| s.into_owned())
        .ok_or_else(|| {
            "the file is neither UTF-8 nor Shift_JIS\n  hint: in Excel, save it as \"CSV UTF-8 (comma delimited)\" or as \"CSV (comma delimited)\"".to_string()
        })
}

fn read_csv(bytes: &[u8], name: &str) -> Result<Grid, String> {
    let text = decode(bytes).map_err(|e| format!("{name}: {e}"))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut grid = Builder::new();
    for (r, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("{name}: row {}: {e}", r + 1))?;
        for (c, cell) in record.iter().enumerate() {
            if !cell.is_empty() {
                grid.set(r, c, cell.replace("\r\n", "\n").into(), name)?;
            }
        }
    }
    Ok(grid.finish(name.to_string()))
}

fn read_workbook(path: &Path, sheet: Option<&str>) -> Result<Grid, String> {
    use calamine::Reader;
    let shown = path.display();
    let mut book =
        calamine::open_workbook_auto(path).map_err(|e| format!("cannot open {shown}: {e}"))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(s) => names.iter().find(|n| n.as_str() == s).cloned().ok_or_else(|| {
            format!(
                "{shown} has no sheet named `{s}` (sheets: {})\n  hint: set `sheet` in the mapping file to one of these",
                names.join(", ")
            )
        })?,
        None => names.first().cloned().ok_or_else(|| format!("{shown} has no sheets"))?,
    };
    let fail = |e: &dyn std::fmt::Display| format!("cannot read sheet `{name}` of {shown}: {e}");
    let mut grid = Builder::new();
    // Cell by cell where calamine can: a sheet with one cell far down and
    // right does not make a rectangle of empty cells.
    let merged = match &mut book {
        calamine::Sheets::Xlsx(x) => {
            let merged = x.merge_cells_by_sheet_name(&name).unwrap_or_default();
            let mut cells = x.worksheet_cells_reader(&name).map_err(|e| fail(&e))?;
            while let Some(cell) = cells.next_cell().map_err(|e| fail(&e))? {
                grid.put_cell(cell, &name)?;
            }
            merged
        }
        calamine::Sheets::Xlsb(x) => {
            let mut cells = x.worksheet_cells_reader(&name).map_err(|e| fail(&e))?;
            while let Some(cell) = cells.next_cell().map_err(|e| fail(&e))? {
                grid.put_cell(cell, &name)?;
            }
            Vec::new()
        }
        other => {
            let merged = match other {
                calamine::Sheets::Xls(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
                _ => Vec::new(),
            };
            let range = other.worksheet_range(&name).map_err(|e| fail(&e))?;
            let (r0, c0) = range.start().unwrap_or((0, 0));
            for (r, c, data) in range.used_cells() {
                grid.put(r + r0 as usize, c + c0 as usize, data, &name)?;
            }
            merged
        }
    };
    // A merged cell shows its top-left text over the whole area (within
    // the rows that hold anything).
    for m in merged {
        let (r0, c0) = (m.start.0 as usize, m.start.1 as usize);
        let text = grid
            .cells
            .get(r0)
            .and_then(|r| r.get(c0))
            .cloned()
            .unwrap_or_else(|| grid.empty.clone());
        let last_row = (m.end.0 as usize).min(grid.cells.len().saturating_sub(1));
        for r in r0..=last_row {
            for c in c0..=m.end.1 as usize {
                grid.set(r, c, text.clone(), &name)?;
            }
        }
    }
    Ok(grid.finish(name))
}

/// The most cells a sheet may make (rows are as long as their last cell),
/// the most cells merged areas may fill, and the most text (bytes).
const MAX_CELLS: usize = 20_000_000;
const MAX_TEXT: usize = 256 << 20;

/// Rows of cell texts grown as cells arrive, within the budgets.
struct Builder {
    cells: Vec<Vec<Rc<str>>>,
    errors: HashMap<(usize, usize), String>,
    empty: Rc<str>,
    made: usize,
    writes: usize,
    text: usize,
}

impl Builder {
    fn new() -> Builder {
        Builder {
            cells: Vec::new(),
            errors: HashMap::new(),
            empty: Rc::from(""),
            made: 0,
            writes: 0,
            text: 0,
        }
    }

    fn finish(self, sheet: String) -> Grid {
        Grid {
            sheet,
            cells: self.cells,
            errors: self.errors,
        }
    }

    fn put(
        &mut self,
        r: usize,
        c: usize,
        data: &calamine::Data,
        sheet: &str,
    ) -> Result<(), String> {
        if let calamine::Data::Error(e) = data {
            self.count(1, 0, r, c, sheet)?;
            self.errors.insert((r, c), e.to_string());
        }
        let text = cell_text(data);
        if text.is_empty() {
            return Ok(());
        }
        self.set(r, c, text.into(), sheet)
    }

    fn put_cell(
        &mut self,
        cell: calamine::Cell<calamine::DataRef>,
        sheet: &str,
    ) -> Result<(), String> {
        let (r, c) = cell.get_position();
        let data = calamine::Data::from(cell.get_value().clone());
        self.put(r as usize, c as usize, &data, sheet)
    }

    fn count(
        &mut self,
        cells: usize,
        text: usize,
        r: usize,
        c: usize,
        sheet: &str,
    ) -> Result<(), String> {
        self.made += cells;
        self.writes += 1;
        self.text += text;
        if self.made > MAX_CELLS || self.writes > MAX_CELLS || self.text > MAX_TEXT {
            return Err(format!(
                "sheet `{sheet}` is too large to read (more than {MAX_CELLS} cells or {} MB of text, up to {}{})\n  hint: delete the rows and columns after the table, or copy the table into a new sheet",
                MAX_TEXT >> 20,
                column_name(c),
                r + 1
            ));
        }
        Ok(())
    }

    fn set(&mut self, r: usize, c: usize, text: Rc<str>, sheet: &str) -> Result<(), String> {
        let grow = (r + 1).saturating_sub(self.cells.len())
            + (c + 1).saturating_sub(self.cells.get(r).map_or(0, Vec::len));
        // Shared texts (a merged area) count once.
        let bytes = if Rc::strong_count(&text) == 1 {
            text.len()
        } else {
            0
        };
        self.count(grow, bytes, r, c, sheet)?;
        if self.cells.len() <= r {
            self.cells.resize_with(r + 1, Vec::new);
        }
        let row = &mut self.cells[r];
        if row.len() <= c {
            row.resize(c + 1, self.empty.clone());
        }
        row[c] = text;
        Ok(())
    }
}

/// A cell as text: numbers without a trailing `.0`, dates as `2024-02-02`.
fn cell_text(d: &calamine::Data) -> String {
    use calamine::Data;
    match d {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.replace("\r\n", "\n"),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) => {
            let (y, m, d, ..) = d.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
    }
}

/// `400` for 400.0, `0.5` for 0.5.
pub(crate) fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_round_trip() {
        for (i, n) in [
            (0, "A"),
            (25, "Z"),
            (26, "AA"),
            (27, "AB"),
            (701, "ZZ"),
            (702, "AAA"),
        ] {
            assert_eq!(column_name(i), n);
            assert_eq!(column_index(n), Some(i));
        }
        assert_eq!(column_index("b"), Some(1));
        assert_eq!(column_index("1"), None);
    }

    #[test]
    fn dates_and_numbers() {
        let date =
            calamine::ExcelDateTime::new(45324.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(cell_text(&calamine::Data::DateTime(date)), "2024-02-02");
        let far =
            calamine::ExcelDateTime::new(-1e300, calamine::ExcelDateTimeType::DateTime, false);
        let _ = cell_text(&calamine::Data::DateTime(far));
        assert_eq!(number_text(400.0), "400");
        assert_eq!(number_text(0.25), "0.25");
    }

    #[test]
    fn csv_encodings() {
        let text = "番号,名称\n1,\"改行\r\nあり\"\n";
        let (sjis, _, bad) = encoding_rs::SHIFT_JIS.encode(text);
        assert!(!bad);
        let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        for bytes in [text.as_bytes(), &bom, &sjis] {
            let g = read_csv(bytes, "x.csv").unwrap();
            assert_eq!(g.get(0, 1), "名称");
            assert_eq!(g.get(1, 1), "改行\nあり");
            assert_eq!(g.name(1, 1), "x.csv!B2");
        }
        assert!(decode(b"\xff\xfe\xfd").is_err());
    }
}
