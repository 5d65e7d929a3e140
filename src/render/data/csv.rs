//! CSV as Excel on Windows opens it: UTF-8 with a byte order mark, CRLF
//! line ends, quoted where needed, and text cells that cannot run as
//! formulas.

/// A table to write: a header, then rows of cells.
pub struct Table {
    header: Vec<&'static str>,
    rows: Vec<Vec<Cell>>,
}

/// A cell: text staff typed (made safe from formula injection), or a number
/// the build wrote.
pub enum Cell {
    Text(String),
    Number(String),
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    pub fn opt(s: Option<impl Into<String>>) -> Cell {
        Cell::Text(s.map(Into::into).unwrap_or_default())
    }

    pub fn int(n: impl ToString) -> Cell {
        Cell::Number(n.to_string())
    }
}

impl Table {
    pub fn new(header: &[&'static str]) -> Table {
        Table {
            header: header.to_vec(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.header.len());
        self.rows.push(row);
    }

    pub fn extend(&mut self, other: Table) {
        self.rows.extend(other.rows);
    }

    pub fn bytes(&self) -> Vec<u8> {
        let mut out = String::from("\u{feff}");
        out.push_str(&self.header.join(","));
        out.push_str("\r\n");
        for row in &self.rows {
            let cells: Vec<String> = row
                .iter()
                .map(|c| match c {
                    Cell::Text(s) => csv_text(s),
                    Cell::Number(s) => csv_number(s),
                })
                .collect();
            out.push_str(&cells.join(","));
            out.push_str("\r\n");
        }
        out.into_bytes()
    }
}

/// A text cell. Excel, which the BOM invites, runs a cell that starts with
/// `=`, `+`, `-` or `@` (or a tab or line break before one) as a formula:
/// `=HYPERLINK(…)` in a note would be a live link. As OWASP's CSV-injection
/// guidance says, such a cell gets a leading `'`, which Excel shows as text.
pub fn csv_text(s: &str) -> String {
    let formula = s.starts_with(['=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠']);
    let s = if formula {
        format!("'{s}")
    } else {
        s.to_string()
    };
    quote(&s)
}

/// A number cell: written as a number, negative ones included, when it is
/// one; anything else is treated as text.
pub fn csv_number(s: &str) -> String {
    if s.is_empty() || s.parse::<f64>().is_ok_and(f64::is_finite) {
        s.to_string()
    } else {
        csv_text(s)
    }
}

fn quote(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
