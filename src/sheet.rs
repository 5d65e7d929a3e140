//! Spreadsheets as staff keep them. `read` turns an Excel workbook
//! (xlsx, xls, ods: calamine) or a CSV file (UTF-8 with or without BOM, or
//! Shift_JIS as Excel on Windows saves it: encoding_rs) into a [`Grid`] of
//! cell texts. Cells keep their sheet!A1 names for messages, and a merged
//! cell gives its text to every cell it covers, as it looks on screen.
//!
//! A sheet is read cell by cell (xlsx, xlsb, CSV) into rows as long as
//! their last cell, within budgets of cells, text and merged-cell writes,
//! so that a hostile file is refused instead of exhausting memory. Before
//! any of that, the file must be a regular file of at most 32 MB, read
//! once; a zip-based workbook's parts are inflated through a size-limited
//! reader and refused past 256 MB in all, or with a text or tag longer
//! than a cell holds, before calamine (which holds some parts whole) sees
//! them. Control characters in a cell are recorded for the import to
//! report at the cell.

use std::collections::{BTreeMap, HashMap};
use std::io::Read as _;
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
    /// Cells holding a control character (the first one), by row, column.
    controls: BTreeMap<(usize, usize), char>,
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

    /// The cells holding a control character (not a tab or line end),
    /// with the first such character, in row order.
    pub fn controls(&self) -> impl Iterator<Item = ((usize, usize), char)> + '_ {
        self.controls.iter().map(|(&at, &c)| (at, c))
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

/// The last column of a sheet (XFD), 0-based.
pub(crate) const LAST_COLUMN: usize = 16_383;
/// The last row of a sheet, 1-based.
pub(crate) const LAST_ROW: usize = 1_048_576;

/// The 0-based index of a column written `A`, `k`, `AB` … (it may be past
/// [`LAST_COLUMN`]; the caller says so).
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

/// The most bytes a sheet file may hold: 32 MB, over half again the 20 MB
/// of the largest progress sheets, so that the file, its parts as they
/// inflate (within [`MAX_INFLATED`]) and its cells stay within 512 MB.
pub(crate) const MAX_FILE: u64 = 32 << 20;

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
    if !matches!(
        ext.as_str(),
        "csv" | "txt" | "xlsx" | "xlsm" | "xls" | "ods" | "xlsb"
    ) {
        return Err(format!(
            "{}: not a spreadsheet mieruka reads\n  hint: save it from Excel as .xlsx, or as CSV (UTF-8 or Shift_JIS)",
            path.display()
        ));
    }
    let bytes = crate::disk::read_file(path, MAX_FILE).map_err(|e| {
        let hint = match e {
            crate::disk::Error::NotFile(_) | crate::disk::Error::Special(..) => {
                "give the path of the sheet file itself (.xlsx or .csv)"
            }
            crate::disk::Error::TooLarge(..) => {
                "delete the rows and sheets you do not import, or save just the table as CSV"
            }
            _ => "check that the file exists and that you may read it",
        };
        // The error names the file; its own hint is the disk's.
        let message = e.to_string();
        let message = message.split("\n  hint:").next().unwrap_or_default();
        format!("{message}\n  hint: {hint}")
    })?;
    match ext.as_str() {
        "csv" | "txt" => read_csv(&bytes, &file_name),
        _ => read_workbook(bytes, &ext, path, sheet),
    }
}

/// Text of CSV bytes: UTF-8 (a BOM is dropped), or else Shift_JIS. When
/// neither, the message names the row and byte (1-based) where each
/// reading fails.
pub(crate) fn decode(bytes: &[u8]) -> Result<String, String> {
    let wrong = |at: usize| format!("row {} (byte {}) is wrong", row_of(bytes, at), at + 1);
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return match std::str::from_utf8(rest) {
            Ok(s) => Ok(s.to_string()),
            Err(e) => Err(format!(
                "the file starts as UTF-8 but is not: {}",
                wrong(e.valid_up_to() + 3)
            )),
        };
    }
    let utf8 = match std::str::from_utf8(bytes) {
        Ok(s) => return Ok(s.to_string()),
        Err(e) => e.valid_up_to(),
    };
    let mut decoder = encoding_rs::SHIFT_JIS.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(bytes.len())
            .unwrap_or(bytes.len()),
    );
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut text, true);
    match result {
        encoding_rs::DecoderResult::InputEmpty => Ok(text),
        encoding_rs::DecoderResult::Malformed(bad, after) => {
            let sjis = read - usize::from(after) - usize::from(bad);
            Err(format!(
                "the file is neither UTF-8 nor Shift_JIS: as UTF-8, {}; as Shift_JIS, {}\n  hint: in Excel, save it as \"CSV UTF-8 (comma delimited)\" or as \"CSV (comma delimited)\"",
                wrong(utf8),
                wrong(sjis)
            ))
        }
        encoding_rs::DecoderResult::OutputFull => {
            Err("the file is neither UTF-8 nor Shift_JIS".to_string())
        }
    }
}

/// Where the rows of CSV bytes start, as Excel counts them (a line end
/// inside quotes is in the cell; a blank line is an empty row), and where
/// a quote opened that is never closed, if one is. Quotes, commas and
/// line ends are the same bytes in UTF-8 and in Shift_JIS (whose second
/// bytes are 0x40 or above), so the raw bytes of either will do.
fn csv_rows(bytes: &[u8]) -> (Vec<usize>, Option<usize>) {
    enum At {
        FieldStart,
        Plain,
        Quoted(usize),
        QuoteInQuoted,
    }
    let mut starts = vec![0];
    let mut at = At::FieldStart;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        at = match (at, b) {
            (At::Quoted(_), b'"') => At::QuoteInQuoted,
            (At::Quoted(open), _) => At::Quoted(open),
            (At::QuoteInQuoted, b'"') => At::Quoted(i),
            (At::FieldStart, b'"') => At::Quoted(i),
            (_, b',') => At::FieldStart,
            (_, b'\r' | b'\n') => {
                if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                starts.push(i + 1);
                At::FieldStart
            }
            _ => At::Plain,
        };
        i += 1;
    }
    let open = match at {
        At::Quoted(open) => Some(open),
        _ => None,
    };
    (starts, open)
}

/// The 1-based row of byte `at` of CSV bytes.
fn row_of(bytes: &[u8], at: usize) -> usize {
    let (starts, _) = csv_rows(&bytes[..at.min(bytes.len())]);
    starts.len()
}

fn read_csv(bytes: &[u8], name: &str) -> Result<Grid, String> {
    let text = decode(bytes).map_err(|e| format!("{name}: {e}"))?;
    let (starts, unclosed) = csv_rows(text.as_bytes());
    let row = |byte: usize| starts.partition_point(|&s| s <= byte).max(1);
    if let Some(open) = unclosed {
        return Err(format!(
            "{name}: row {}: a quote opened here is never closed, so the rest of the file would be one cell\n  hint: close the quote (\"), or write a quote inside a cell as two (\"\")",
            row(open)
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut grid = Builder::new();
    let mut record = csv::StringRecord::new();
    loop {
        let at = reader.position().byte() as usize;
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(format!("{name}: row {}: {e}", row(at))),
        }
        // The record starts after the line ends (blank lines, or the LF
        // of a CR LF) the reader skipped: a record never starts with one.
        let mut start = record.position().map_or(at, |p| p.byte() as usize);
        while matches!(text.as_bytes().get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        let r = row(start) - 1;
        for (c, cell) in record.iter().enumerate() {
            if !cell.is_empty() {
                grid.set(r, c, cell.replace("\r\n", "\n").into(), name)?;
            }
        }
    }
    Ok(grid.finish(name.to_string()))
}

fn read_workbook(
    bytes: Vec<u8>,
    ext: &str,
    path: &Path,
    sheet: Option<&str>,
) -> Result<Grid, String> {
    use calamine::Reader;
    let shown = path.display();
    let shared = if ext == "xls" {
        check_xls(&bytes, &shown.to_string())?;
        0
    } else {
        check_zip(&bytes, &shown.to_string(), ext == "ods")?
    };
    let cannot = |e: &dyn std::fmt::Display| format!("cannot open {shown}: {e}");
    let data = std::io::Cursor::new(bytes);
    let mut book = match ext {
        "xls" => calamine::Sheets::Xls(calamine::Xls::new(data).map_err(|e| cannot(&e))?),
        "xlsb" => calamine::Sheets::Xlsb(calamine::Xlsb::new(data).map_err(|e| cannot(&e))?),
        "ods" => calamine::Sheets::Ods(calamine::Ods::new(data).map_err(|e| cannot(&e))?),
        _ => calamine::Sheets::Xlsx(calamine::Xlsx::new(data).map_err(|e| cannot(&e))?),
    };
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
    // The shared texts calamine holds count against the text budget.
    grid.text = shared;
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

/// The most bytes the parts of a zip-based workbook (xlsx, xlsb, ods) may
/// inflate to, together: the text budget, which they are read into.
const MAX_INFLATED: u64 = MAX_TEXT as u64;
/// The longest text, tag, comment or CDATA section of an XML part: a cell
/// holds at most 32,767 characters (at most 7 bytes each as `_xHHHH_`).
const MAX_XML_RUN: usize = 1 << 20;
/// The most shared texts (each one a string calamine keeps, 24 bytes
/// before its text).
const MAX_SHARED: u64 = 2_000_000;

/// Checks a zip-based workbook before calamine opens it: every part's
/// declared size, then its actual size as it inflates (through a reader
/// that stops past the budget), and in its XML parts the longest text or
/// tag (calamine's XML reader holds one whole) and the number of shared
/// texts. Returns the inflated size of the shared texts, which calamine
/// keeps whole.
fn check_zip(bytes: &[u8], shown: &str, ods: bool) -> Result<usize, String> {
    let hint = "open it in Excel and save it again, or copy the table into a new workbook; a sheet as large as this is not a progress sheet";
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("cannot open {shown}: {e}"))?;
    let too_large = |part: &str| {
        format!(
            "{shown} inflates to more than {} MB (at its part {part}); mieruka reads workbooks up to that\n  hint: {hint}",
            MAX_INFLATED >> 20
        )
    };
    let mut declared = 0u64;
    for i in 0..zip.len() {
        let part = zip
            .by_index_raw(i)
            .map_err(|e| format!("cannot open {shown}: {e}"))?;
        declared = declared.saturating_add(part.size());
        if declared > MAX_INFLATED {
            return Err(too_large(
                &part.name().map(|n| n.to_string()).unwrap_or_default(),
            ));
        }
    }
    let mut total = 0u64;
    let mut shared = 0usize;
    let mut chunk = vec![0u8; 64 << 10];
    for i in 0..zip.len() {
        let mut part = zip
            .by_index(i)
            .map_err(|e| format!("cannot open {shown}: {e}"))?;
        let name = part.name().map(|n| n.to_string()).unwrap_or_default();
        let lower = name.to_ascii_lowercase();
        let xml = [".xml", ".rels", ".vml"].iter().any(|e| lower.ends_with(e));
        let strings = lower.ends_with("sharedstrings.xml") || lower.ends_with("sharedstrings.bin");
        let mut scan = XmlScan::new(if lower.ends_with("sharedstrings.xml") {
            Part::SharedStrings
        } else if ods && lower == "content.xml" {
            Part::OdsContent
        } else {
            Part::Other
        });
        let mut limited = (&mut part).take(MAX_INFLATED - total + 1);
        let mut size = 0u64;
        loop {
            let n = limited
                .read(&mut chunk)
                .map_err(|e| format!("cannot open {shown}: its part {name}: {e}"))?;
            if n == 0 {
                break;
            }
            size += n as u64;
            if total + size > MAX_INFLATED {
                return Err(too_large(&name));
            }
            if xml {
                scan.feed(&chunk[..n]).map_err(|what| {
                    format!("{shown}: its part {name} holds {what}; Excel does not write such a file\n  hint: {hint}")
                })?;
            }
        }
        total += size;
        if strings {
            shared += size as usize;
        }
    }
    Ok(shared)
}

/// The most cells calamine may lay out for the sheets of an Excel 97-2003
/// workbook: it reads every sheet at once into a rectangle from its first
/// to its last cell (56 bytes a cell, its value and formula), so two cells
/// at A1 and IV65536 were 16.7 million cells and 1 GB. 4 million cells
/// are 224 MB.
const MAX_XLS_CELLS: u64 = 4_000_000;

/// The same for an ods workbook, which calamine also lays out whole.
const MAX_ODS_CELLS: u64 = MAX_XLS_CELLS;

/// Checks an Excel 97-2003 workbook (an OLE compound file) before calamine
/// reads it: the chains of sectors calamine follows end, its streams are
/// no larger than the file, and the rectangles of its sheets (from their
/// first to their last cell, and as their DIMENSIONS record declares
/// them) hold at most [`MAX_XLS_CELLS`] cells in all.
fn check_xls(bytes: &[u8], shown: &str) -> Result<(), String> {
    let damaged = |what: &str| {
        format!(
            "cannot open {shown}: it is not an Excel 97-2003 workbook mieruka can read ({what})\n  hint: open it in Excel and save it as .xlsx"
        )
    };
    let stream = xls_workbook_stream(bytes).map_err(damaged)?;
    let cells = xls_cells(&stream);
    if cells > MAX_XLS_CELLS {
        return Err(format!(
            "{shown} is too large to read: its sheets span {cells} cells from their first cell to their last (at most {MAX_XLS_CELLS})\n  hint: delete the rows and columns after the table, or open it in Excel and save it as .xlsx"
        ));
    }
    Ok(())
}

/// The bytes of the `Workbook` (or `Book`) stream of a compound file, as
/// calamine finds it, following each chain only as far as it goes
/// without coming back to a sector.
fn xls_workbook_stream(bytes: &[u8]) -> Result<Vec<u8>, &'static str> {
    const END: u32 = 0xFFFF_FFFE;
    let u16_at = |b: &[u8], i: usize| b.get(i..i + 2).map(|s| u16::from_le_bytes([s[0], s[1]]));
    let u32_at = |b: &[u8], i: usize| {
        b.get(i..i + 4)
            .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    };
    if bytes.len() < 512 || bytes[..8] != [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] {
        return Err("no compound file header");
    }
    let shift = u16_at(bytes, 0x1E).unwrap_or(0);
    if shift != 9 && shift != 12 {
        return Err("sector size");
    }
    let size = 1usize << shift;
    let sectors = bytes.len() / size;
    let sector = |id: u32| -> Result<&[u8], &'static str> {
        let start = (id as usize + 1).checked_mul(size).ok_or("sector")?;
        bytes
            .get(start..(start + size).min(bytes.len()))
            .filter(|s| !s.is_empty())
            .ok_or("a sector past the end of the file")
    };
    // The FAT's sectors: 109 in the header, then the DIFAT chain.
    let mut fat_sectors: Vec<u32> = (0..109)
        .filter_map(|i| u32_at(bytes, 0x4C + 4 * i))
        .collect();
    let mut next = u32_at(bytes, 0x44).unwrap_or(END);
    let mut seen = 0;
    while next < 0xFFFF_FFFA {
        seen += 1;
        if seen > sectors {
            return Err("a DIFAT chain that comes back on itself");
        }
        let s = sector(next)?;
        let ids: Vec<u32> = (0..s.len() / 4).filter_map(|i| u32_at(s, 4 * i)).collect();
        let (last, rest) = ids.split_last().ok_or("DIFAT sector")?;
        fat_sectors.extend_from_slice(rest);
        next = *last;
    }
    let mut fat = Vec::new();
    for id in fat_sectors.into_iter().filter(|&id| id < 0xFFFF_FFFC) {
        let s = sector(id)?;
        fat.extend((0..s.len() / 4).filter_map(|i| u32_at(s, 4 * i)));
        if fat.len() > 2 * sectors + 1024 {
            return Err("a FAT larger than the file");
        }
    }
    // A chain's bytes, at most `len`; an error if it comes back on itself
    // before that (calamine would go round it for ever, growing).
    let chain = |start: u32,
                 table: &[u32],
                 len: usize,
                 get: &dyn Fn(u32) -> Result<Vec<u8>, &'static str>| {
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut id = start;
        while id != END && out.len() < len {
            if !seen.insert(id) {
                return Err("a chain of sectors that comes back on itself");
            }
            out.extend(get(id)?);
            id = *table.get(id as usize).ok_or("a chain past the FAT")?;
        }
        out.truncate(len);
        Ok(out)
    };
    let big = |id: u32| sector(id).map(<[u8]>::to_vec);
    let dirs = chain(u32_at(bytes, 0x30).unwrap_or(END), &fat, usize::MAX, &big)?;
    let entries: Vec<(String, u32, u64)> = dirs
        .chunks_exact(128)
        .map(|e| {
            let units: Vec<u16> = (0..32).filter_map(|i| u16_at(e, 2 * i)).collect();
            let name = String::from_utf16_lossy(&units);
            let name = name.split('\0').next().unwrap_or("").to_string();
            let start = u32_at(e, 116).unwrap_or(END);
            let len = if shift == 9 {
                u64::from(u32_at(e, 120).unwrap_or(0))
            } else {
                u32_at(e, 120).map_or(0, u64::from) | (u32_at(e, 124).map_or(0, u64::from) << 32)
            };
            (name, start, len)
        })
        .collect();
    let root = entries.first().ok_or("no root entry")?;
    let find = |n: &str| entries.iter().find(|e| e.0.eq_ignore_ascii_case(n));
    let book = find("Workbook")
        .or_else(|| find("Book"))
        .ok_or("no Workbook stream")?;
    for (_, _, len) in [root, book] {
        if *len > bytes.len() as u64 {
            return Err("a stream larger than the file");
        }
    }
    let mini_len = u32_at(bytes, 0x40).unwrap_or(0) as usize;
    if mini_len.saturating_mul(size) > bytes.len() {
        return Err("a mini FAT larger than the file");
    }
    if book.2 >= 4096 {
        return chain(book.1, &fat, book.2 as usize, &big);
    }
    // A small stream is in the mini stream, in sectors of 64 bytes.
    let mini = chain(root.1, &fat, root.2 as usize, &big)?;
    let minifat_bytes = chain(
        u32_at(bytes, 0x3C).unwrap_or(END),
        &fat,
        mini_len * size,
        &big,
    )?;
    let minifat: Vec<u32> = (0..minifat_bytes.len() / 4)
        .filter_map(|i| u32_at(&minifat_bytes, 4 * i))
        .collect();
    let small = |id: u32| {
        let start = id as usize * 64;
        mini.get(start..(start + 64).min(mini.len()))
            .filter(|s| !s.is_empty())
            .map(<[u8]>::to_vec)
            .ok_or("a mini sector past the mini stream")
    };
    chain(book.1, &minifat, book.2 as usize, &small)
}

/// The cells calamine would lay out for the sheets of a BIFF workbook
/// stream: for each sheet its globals name (BoundSheet8, read from its
/// offset as calamine does, each time it is named), the larger of the
/// rectangle from its first to its last cell and its DIMENSIONS record.
fn xls_cells(stream: &[u8]) -> u64 {
    let record = |at: usize| -> Option<(u16, &[u8], usize)> {
        let h = stream.get(at..at + 4)?;
        let typ = u16::from_le_bytes([h[0], h[1]]);
        let len = usize::from(u16::from_le_bytes([h[2], h[3]]));
        let data = stream.get(at + 4..at + 4 + len)?;
        Some((typ, data, at + 4 + len))
    };
    let u16_of = |d: &[u8], i: usize| {
        d.get(i..i + 2)
            .map_or(0, |s| u16::from_le_bytes([s[0], s[1]]))
    };
    let u32_of = |d: &[u8], i: usize| {
        d.get(i..i + 4)
            .map_or(0, |s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    };
    // The globals: the sheets' offsets.
    let mut sheets = Vec::new();
    let mut at = 0;
    while let Some((typ, data, next)) = record(at) {
        match typ {
            0x0085 => sheets.push(u32_of(data, 0) as usize),
            0x000A => break,
            _ => {}
        }
        at = next;
    }
    let mut counted: HashMap<usize, u64> = HashMap::new();
    let mut total = 0u64;
    for pos in sheets {
        let cells = match counted.get(&pos) {
            Some(&n) => n,
            None => {
                let mut rows = (u32::MAX, 0u32);
                let mut cols = (u32::MAX, 0u32);
                let mut declared = 0u64;
                let mut put = |r: u32, c: u32| {
                    rows = (rows.0.min(r), rows.1.max(r));
                    cols = (cols.0.min(c), cols.1.max(c));
                };
                let mut at = pos;
                let mut depth = 0usize;
                let mut seen_bof = false;
                while let Some((typ, data, next)) = record(at) {
                    at = next;
                    match typ {
                        0x0809 if !seen_bof => seen_bof = true,
                        0x0809 => depth += 1,
                        0x000A if depth == 0 => break,
                        0x000A => depth -= 1,
                        0x0200 => {
                            let (r0, r1, c0, c1) = if data.len() == 10 {
                                (
                                    u32::from(u16_of(data, 0)),
                                    u32::from(u16_of(data, 2)),
                                    u32::from(u16_of(data, 4)),
                                    u32::from(u16_of(data, 6)),
                                )
                            } else {
                                (
                                    u32_of(data, 0),
                                    u32_of(data, 4),
                                    u32::from(u16_of(data, 8)),
                                    u32::from(u16_of(data, 10)),
                                )
                            };
                            let c0 = if c0 > 0xFF || c1 < c0 { 0 } else { c0 };
                            let n = u64::from(r1.saturating_sub(r0) + 1)
                                * u64::from(c1.saturating_sub(c0) + 1);
                            declared = declared.max(n);
                        }
                        0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                            put(u32::from(u16_of(data, 0)), u32::from(u16_of(data, 2)));
                        }
                        0x00BD if data.len() >= 6 => {
                            let r = u32::from(u16_of(data, 0));
                            put(r, u32::from(u16_of(data, 2)));
                            put(r, u32::from(u16_of(data, data.len() - 2)));
                        }
                        _ => {}
                    }
                }
                let spread = if rows.0 > rows.1 {
                    0
                } else {
                    u64::from(rows.1 - rows.0 + 1) * u64::from(cols.1 - cols.0 + 1)
                };
                let n = spread.max(declared);
                counted.insert(pos, n);
                n
            }
        };
        total = total.saturating_add(cells);
    }
    total
}

/// Where an XML scan is: in text, in a tag (in a quoted attribute value),
/// or in a comment, CDATA section, declaration or processing instruction.
#[derive(Clone, Copy, PartialEq)]
enum Xml {
    Text,
    TagStart,
    Tag,
    Quoted(u8),
    /// `<!` or `<?`: the byte after `<`, and the depth of `[` brackets.
    Special(u8, u32),
}

/// Which part an XML scan reads, for what it looks at besides lengths.
#[derive(Clone, Copy, PartialEq)]
enum Part {
    Other,
    /// xlsx shared texts: counted.
    SharedStrings,
    /// An ods workbook's sheets, which calamine lays out whole (repeated
    /// rows and columns written out): the layout is measured.
    OdsContent,
}

/// A streaming look at an XML part: the longest stretch calamine's XML
/// reader would hold as one event, (in the shared texts) how many there
/// are, declared and counted, and (in an ods workbook) how many cells its
/// sheets would be laid out as.
struct XmlScan {
    at: Xml,
    run: usize,
    /// The tag being read (its first bytes; the whole of it when `keep`).
    tag: Vec<u8>,
    keep: bool,
    part: Part,
    strings: u64,
    ods: OdsLayout,
}

/// The rectangle calamine makes of each table of an ods workbook: from
/// its first to its last row that may hold a value (repeats counted), as
/// wide as its widest such row; a cell may hold a value unless its tag is
/// empty (`<table:table-cell …/>`) and has no value type or formula.
#[derive(Default)]
struct OdsLayout {
    /// Cells of the tables done.
    cells: u64,
    row: u64,
    first: Option<u64>,
    last: u64,
    width: u64,
    /// In the row being read: its repeats, its column, its last column
    /// that may hold a value.
    repeats: u64,
    col: u64,
    used: Option<u64>,
}

impl OdsLayout {
    fn table_end(&mut self) {
        if let Some(first) = self.first {
            let rows = self.last.saturating_sub(first).saturating_add(1);
            self.cells = self.cells.saturating_add(rows.saturating_mul(self.width));
        }
        let cells = self.cells;
        *self = OdsLayout {
            cells,
            ..OdsLayout::default()
        };
    }

    fn row_end(&mut self) {
        if let Some(used) = self.used {
            self.first.get_or_insert(self.row);
            self.last = self.row.saturating_add(self.repeats.max(1) - 1);
            self.width = self.width.max(used.saturating_add(1));
        }
        self.row = self.row.saturating_add(self.repeats.max(1));
        self.used = None;
        self.col = 0;
    }
}

/// The number in attribute `name` of a tag (`name="12"`), if there.
fn attr_number(tag: &[u8], name: &[u8]) -> Option<u64> {
    let at = tag.windows(name.len() + 2).position(|w| {
        w.starts_with(name) && w[name.len()] == b'=' && matches!(w[name.len() + 1], b'"' | b'\'')
    })?;
    let digits: Vec<u8> = tag[at + name.len() + 2..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .copied()
        .collect();
    Some(
        std::str::from_utf8(&digits)
            .ok()
            .and_then(|d| d.parse().ok())
            .unwrap_or(u64::MAX),
    )
}

impl XmlScan {
    fn new(part: Part) -> XmlScan {
        XmlScan {
            at: Xml::Text,
            run: 0,
            tag: Vec::new(),
            keep: part != Part::Other,
            part,
            strings: 0,
            ods: OdsLayout::default(),
        }
    }

    fn feed(&mut self, bytes: &[u8]) -> Result<(), String> {
        let mut i = 0;
        while i < bytes.len() {
            if self.at == Xml::Text {
                // Text up to the next tag, at once.
                match bytes[i..].iter().position(|&b| b == b'<') {
                    Some(n) => {
                        self.grow(n)?;
                        i += n + 1;
                        self.at = Xml::TagStart;
                        self.run = 0;
                        self.tag.clear();
                    }
                    None => {
                        self.grow(bytes.len() - i)?;
                        i = bytes.len();
                    }
                }
                continue;
            }
            let b = bytes[i];
            i += 1;
            self.grow(1)?;
            if self.keep || self.tag.len() < 16 || matches!(self.at, Xml::Special(..)) {
                self.tag.push(b);
            }
            self.at = match self.at {
                Xml::TagStart if b == b'!' || b == b'?' => Xml::Special(b, 0),
                Xml::TagStart | Xml::Tag => match b {
                    b'"' | b'\'' => Xml::Quoted(b),
                    b'>' => {
                        self.end_tag()?;
                        Xml::Text
                    }
                    _ => Xml::Tag,
                },
                Xml::Quoted(q) if b == q => Xml::Tag,
                Xml::Special(kind, depth) => {
                    let t = &self.tag;
                    let ends =
                        |s: &[u8]| t.len() > s.len() && t[t.len() - 1 - s.len()..t.len() - 1] == *s;
                    let closed = b == b'>'
                        && if t.starts_with(b"!--") {
                            ends(b"--")
                        } else if t.starts_with(b"![CDATA[") {
                            ends(b"]]")
                        } else if kind == b'?' {
                            ends(b"?")
                        } else {
                            depth == 0
                        };
                    if closed {
                        self.run = 0;
                        Xml::Text
                    } else {
                        let depth = match b {
                            b'[' => depth + 1,
                            b']' => depth.saturating_sub(1),
                            _ => depth,
                        };
                        Xml::Special(kind, depth)
                    }
                }
                other => other,
            };
            if !self.keep && self.tag.len() > 16 && matches!(self.at, Xml::Special(..)) {
                // Only the start (what it is) and the last two bytes (how
                // it ends) matter.
                let n = self.tag.len();
                self.tag.copy_within(n - 2.., 14);
                self.tag.truncate(16);
            }
        }
        Ok(())
    }

    fn grow(&mut self, n: usize) -> Result<(), String> {
        self.run += n;
        if self.run > MAX_XML_RUN {
            return Err(format!(
                "a text or tag longer than any cell (more than {} MB without a tag)",
                MAX_XML_RUN >> 20
            ));
        }
        Ok(())
    }

    /// A tag of the shared texts: `<si>` counted, `<sst uniqueCount>` read.
    fn end_tag(&mut self) -> Result<(), String> {
        if !self.keep {
            self.run = 0;
            return Ok(());
        }
        self.run = 0;
        let tag = &self.tag[..self.tag.len().saturating_sub(1)];
        // The name (after the `/` of an end tag) ends at a space or the
        // `/` of an empty tag.
        let name_end = tag
            .iter()
            .skip(1)
            .position(|b| b.is_ascii_whitespace() || *b == b'/')
            .map_or(tag.len(), |p| p + 1);
        let name = &tag[..name_end];
        if self.part == Part::OdsContent {
            return Self::ods_tag(&mut self.ods, tag, name);
        }
        let local = name.rsplit(|&b| b == b':').next().unwrap_or(name);
        let mut count = 0;
        if local == b"si" {
            self.strings += 1;
            count = self.strings;
        } else if local == b"sst" {
            if let Some(p) = tag.windows(11).position(|w| w == b"uniqueCount") {
                let digits: Vec<u8> = tag[p + 11..]
                    .iter()
                    .skip_while(|b| !b.is_ascii_digit())
                    .take_while(|b| b.is_ascii_digit())
                    .copied()
                    .collect();
                count = std::str::from_utf8(&digits)
                    .ok()
                    .and_then(|d| d.parse::<u64>().ok())
                    .unwrap_or(u64::MAX);
            }
        }
        if count > MAX_SHARED {
            return Err(format!("more than {MAX_SHARED} shared texts"));
        }
        Ok(())
    }

    /// A tag of an ods workbook's content (named as calamine matches
    /// them, prefix and all).
    fn ods_tag(o: &mut OdsLayout, tag: &[u8], name: &[u8]) -> Result<(), String> {
        let empty = tag.ends_with(b"/");
        match name {
            b"table:table" if !empty => {
                *o = OdsLayout {
                    cells: o.cells,
                    ..OdsLayout::default()
                }
            }
            b"/table:table" | b"table:table" => o.table_end(),
            b"table:table-row" => {
                o.repeats = attr_number(tag, b"table:number-rows-repeated").unwrap_or(1);
                o.col = 0;
                o.used = None;
                if empty {
                    o.row_end();
                }
            }
            b"/table:table-row" => o.row_end(),
            b"table:table-cell" | b"table:covered-table-cell" => {
                let n = attr_number(tag, b"table:number-columns-repeated")
                    .unwrap_or(1)
                    .max(1);
                let value = !empty
                    || tag.windows(17).any(|w| w == b"office:value-type")
                    || tag.windows(13).any(|w| w == b"table:formula");
                o.col = o.col.saturating_add(n);
                if value {
                    o.used = Some(o.col - 1);
                }
            }
            _ => {}
        }
        if o.cells > MAX_ODS_CELLS {
            return Err(format!(
                "sheets that span more than {MAX_ODS_CELLS} cells from their first cell to their last"
            ));
        }
        Ok(())
    }
}

/// The most cells a sheet may make (rows are as long as their last cell),
/// the most cells merged areas may fill, and the most text (bytes). Four
/// million cells (about 48 bytes each held) are a thousand times a large
/// progress sheet; twenty million were a gigabyte before any row was read.
const MAX_CELLS: usize = 4_000_000;
const MAX_TEXT: usize = 256 << 20;

/// Rows of cell texts grown as cells arrive, within the budgets.
struct Builder {
    cells: Vec<Vec<Rc<str>>>,
    errors: HashMap<(usize, usize), String>,
    controls: BTreeMap<(usize, usize), char>,
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
            controls: BTreeMap::new(),
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
            controls: self.controls,
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
        if let Some(ch) = text.chars().find(|&ch| is_control(ch)) {
            self.controls.insert((r, c), ch);
        }
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

/// A control character no page or data file should hold: C0 (but tab
/// and line ends) and DEL.
fn is_control(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{7f}'
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

    /// Whatever calamine's XML reader would hold whole (text, a tag, an
    /// attribute value with `>` in it, a comment, CDATA) is bounded;
    /// ordinary parts pass.
    #[test]
    fn xml_scan_bounds_every_kind_of_event() {
        let big = "x>".repeat(MAX_XML_RUN / 2 + 1);
        let mut ok = XmlScan::new(Part::SharedStrings);
        let normal = "<?xml version=\"1.0\"?><!-- a > b --><sst uniqueCount=\"3\"><si><t><![CDATA[<>]]>x</t></si></sst>";
        for chunk in normal.as_bytes().chunks(3) {
            ok.feed(chunk).unwrap();
        }
        assert_eq!(ok.strings, 1);
        for bad in [
            format!("<c>{}</c>", "y".repeat(MAX_XML_RUN + 1)),
            format!("<c r=\"{big}\"/>"),
            format!("<!--{big}-->"),
            format!("<![CDATA[{big}]]>"),
            format!("<?pi {big}?>"),
            format!("<!DOCTYPE x [{big}]>"),
        ] {
            let mut scan = XmlScan::new(Part::Other);
            let failed = bad.as_bytes().chunks(4096).any(|c| scan.feed(c).is_err());
            assert!(failed, "{}", &bad[..20]);
        }
        let mut many = XmlScan::new(Part::SharedStrings);
        let sst = "<x:sst uniqueCount=\"2000001\">";
        assert!(many.feed(sst.as_bytes()).is_err());
    }

    /// An ods table is measured as calamine lays it out: from its first
    /// to its last row that may hold a value, as wide as the widest.
    #[test]
    fn ods_layout_counts_repeats() {
        let cell = |t: &str| {
            format!("<table:table-cell office:value-type=\"string\"><text:p>{t}</text:p></table:table-cell>")
        };
        let table = |body: &str| {
            format!("<?xml version=\"1.0\"?><office:document-content><table:table table:name=\"S\">{body}</table:table><table:table table:name=\"T\"><table:table-row table:number-rows-repeated=\"1048576\"><table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row></table:table></office:document-content>")
        };
        let measure = |body: &str| {
            let mut scan = XmlScan::new(Part::OdsContent);
            let r = table(body)
                .as_bytes()
                .chunks(7)
                .try_for_each(|c| scan.feed(c));
            (r.is_ok(), scan.ods.cells)
        };
        let small = format!("<table:table-row>{}<table:table-cell table:number-columns-repeated=\"6\"/>{}</table:table-row><table:table-row table:number-rows-repeated=\"1000\"><table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>", cell("a"), cell("b"));
        assert_eq!(measure(&small), (true, 8));
        let spread = format!("<table:table-row>{}</table:table-row><table:table-row table:number-rows-repeated=\"999998\"><table:table-cell/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated=\"89\"/>{}</table:table-row>", cell("x"), cell("y"));
        assert!(!measure(&spread).0);
        let repeat = "<table:table-row table:number-rows-repeated=\"6000\"><table:table-cell office:value-type=\"string\" table:number-columns-repeated=\"16384\"><text:p>z</text:p></table:table-cell></table:table-row>";
        assert!(!measure(repeat).0);
    }

    /// Rows as Excel counts them: a blank line is a row, a line end in
    /// quotes is not, CR LF is one line end.
    #[test]
    fn csv_rows_as_excel_counts_them() {
        let g = read_csv(b"a,b\r\n\r\n\"x\r\ny\",z\r\nq\n\n\nw", "x.csv").unwrap();
        assert_eq!(g.get(0, 1), "b");
        assert_eq!(g.get(1, 0), "");
        assert_eq!(g.get(2, 0), "x\ny");
        assert_eq!(g.get(3, 0), "q");
        assert_eq!(g.get(6, 0), "w");
        let e = read_csv(b"a\n\"b\n\"\"c\nd\n", "x.csv").unwrap_err();
        assert!(
            e.starts_with("x.csv: row 2: a quote opened here is never closed"),
            "{e}"
        );
    }
}
