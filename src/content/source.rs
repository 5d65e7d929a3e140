//! Reading one content file: bytes → UTF-8 text (BOM stripped, CRLF
//! accepted) → TOML front matter and Markdown body, with the offsets needed
//! to report problems at their line and column in the original file.

use crate::diagnostics::{line_starts, Diagnostics, LineIndex, Location};
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};

/// A content file split into front matter and body.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root, as printed in messages.
    pub path: PathBuf,
    /// The whole text, BOM removed and line ends normalised to `\n`.
    pub text: String,
    /// Byte range of the TOML between the `+++` lines.
    pub front: std::ops::Range<usize>,
    /// Byte offset where the Markdown body starts.
    pub body_start: usize,
    /// Where each line of `text` starts, once a place in it is asked for
    /// (a file's checks ask for dozens).
    lines: std::sync::OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub fn front_matter(&self) -> &str {
        &self.text[self.front.clone()]
    }

    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// The location of a byte offset inside the front matter.
    pub fn locate_front(&self, offset: usize) -> Location {
        self.locate(self.front.start + offset)
    }

    pub fn locate(&self, offset: usize) -> Location {
        let starts = self.lines.get_or_init(|| line_starts(&self.text));
        let (line, column) = LineIndex::with_starts(&self.text, starts).position(offset);
        Location {
            path: self.path.clone(),
            line,
            column,
        }
    }

    /// A front-matter span made relative to the whole file (for functions
    /// that locate spans in `text`).
    pub fn whole(&self, v: &toml::Spanned<String>) -> toml::Spanned<String> {
        let s = v.span();
        toml::Spanned::new(
            self.front.start + s.start..self.front.start + s.end,
            v.get_ref().clone(),
        )
    }

    /// Location of a spanned value of the front matter.
    pub fn at<T>(&self, v: &toml::Spanned<T>) -> Location {
        self.locate_front(v.span().start)
    }

    /// Deserialises the front matter, reporting a TOML or schema error at its place.
    pub fn parse_front<T: DeserializeOwned>(&self, diags: &mut Diagnostics) -> Option<T> {
        parse_toml(
            self.front_matter(),
            self.front.start,
            &self.path,
            &self.text,
            diags,
        )
    }
}

/// The largest content file read, in bytes. The longest file of the example
/// site is about 40 KB; a file of megabytes is a mistake (a PDF or a data
/// dump saved as `.md`), and reading one whole would take gigabytes of memory
/// through the Markdown and search stages.
pub(crate) const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// Why a file of the site may not be read, with a hint.
pub(crate) struct Refusal {
    pub message: String,
    pub hint: &'static str,
}

/// Reads a file that belongs to the site: a regular file (not a pipe, socket
/// or device, which would block the build forever), at most
/// [`MAX_FILE_BYTES`] long, and inside the site folder once every link is
/// resolved (a link to a file outside would publish it).
pub(crate) fn read_inside(root: &Path, path: &Path) -> Result<Vec<u8>, Refusal> {
    let cannot = |e: std::io::Error| Refusal {
        message: format!("cannot read the file: {e}"),
        hint: "check that the file exists and that you may read it",
    };
    let real = std::fs::canonicalize(path).map_err(cannot)?;
    let real_root = std::fs::canonicalize(root).map_err(cannot)?;
    if !real.starts_with(&real_root) {
        return Err(Refusal {
            message: format!(
                "this is a link to {}, outside the site folder; only files inside the site are published",
                real.display()
            ),
            hint: "copy the file into the site folder instead of linking to it",
        });
    }
    let meta = std::fs::metadata(&real).map_err(cannot)?;
    if !meta.is_file() {
        return Err(Refusal {
            message: "this is not an ordinary file (it is a folder, pipe, socket or device)".into(),
            hint: "content files are text files; remove this one from the site folder",
        });
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // `take`: a file that grows after the size check is still cut off.
    std::io::Read::read_to_end(
        &mut std::io::Read::take(
            std::fs::File::open(&real).map_err(cannot)?,
            MAX_FILE_BYTES + 1,
        ),
        &mut bytes,
    )
    .map_err(cannot)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

fn too_large(len: u64) -> Refusal {
    Refusal {
        message: format!(
            "the file is {:.1} MB; content files may be at most {} MB",
            len as f64 / 1_048_576.0,
            MAX_FILE_BYTES / 1_048_576
        ),
        hint: "split the text into several files, and keep documents such as PDFs out of content/",
    }
}

/// Whether `rel` is a file, telling "not there" from "cannot look": a folder
/// that cannot be read is reported as such, not as a missing file.
pub(crate) fn is_file(root: &Path, rel: &Path) -> std::io::Result<bool> {
    match std::fs::metadata(root.join(rel)) {
        Ok(m) => Ok(m.is_file()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// Reports a folder that cannot be listed (permissions, a broken link
/// loop), which the walk would otherwise skip in silence.
pub(crate) fn walk_error(root: &Path, e: &walkdir::Error, diags: &mut Diagnostics) {
    let path = e.path().unwrap_or(root);
    let rel = path.strip_prefix(root).unwrap_or(path);
    let reason = e
        .io_error()
        .map_or_else(|| e.to_string(), ToString::to_string);
    diags.error(
        &Location::file(rel),
        format!("cannot read this folder: {reason}"),
        Some(
            "check the folder's permissions (it must be readable by the account that runs mieruka)"
                .into(),
        ),
    );
}

/// Reads a file as UTF-8 text; a file that is not UTF-8 is reported as such.
pub fn read_text(root: &Path, rel: &Path, diags: &mut Diagnostics) -> Option<String> {
    let bytes = match read_inside(root, &root.join(rel)) {
        Ok(b) => b,
        Err(r) => {
            diags.error(&Location::file(rel), r.message, Some(r.hint.into()));
            return None;
        }
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => {
            let text = s.replace("\r\n", "\n");
            no_raw_control(rel, &text, diags).then_some(text)
        }
        Err(e) => {
            let good = String::from_utf8_lossy(&bytes[..e.valid_up_to()]).replace("\r\n", "\n");
            let (line, column) = LineIndex::new(&good).position(good.len());
            let at = Location {
                path: rel.to_path_buf(),
                line,
                column,
            };
            // Only name Shift_JIS when the bytes read as Shift_JIS: a picture
            // or an Excel file saved into content/ was called Shift_JIS too.
            if looks_like_shift_jis(bytes) {
                diags.error(
                    &at,
                    "the file is not UTF-8 text (it looks like Shift_JIS, as saved by older Windows editors and Excel)",
                    Some("save the file as \"UTF-8\" in your editor (in Notepad: 名前を付けて保存 → 文字コード UTF-8)".into()),
                );
            } else {
                diags.error(
                    &at,
                    "the file is not UTF-8 text, nor Shift_JIS: it looks like a binary file (a picture, a Word or Excel file …)",
                    Some("content files are UTF-8 text; move this file out of content/, or save it as UTF-8 text".into()),
                );
            }
            None
        }
    }
}

/// Whether `c` is a control character that content may not hold: every C0
/// control but tab, line feed and carriage return (the line breaks; a
/// vertical tab or form feed is no line break in Markdown or HTML), DEL,
/// and the C1 controls U+0080–U+009F. None of them can be shown on a page
/// (HTML calls each a parse error, and its parser drops or changes some),
/// a NUL ends a string in many programs that read the data files, and all
/// are invisible in an editor: they come from pasted or imported text
/// (Excel keeps them in cells), C1 ones from text decoded with the wrong
/// character set.
pub(crate) fn refused_control(c: char) -> bool {
    matches!(c, '\0'..='\x08' | '\x0B' | '\x0C' | '\x0E'..='\x1F' | '\x7F'..='\u{9F}')
}

/// `U+0000 (NUL)`: a control character as a message names it.
fn control_name(c: char) -> String {
    const C0: [&str; 32] = [
        "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "TAB", "LF", "VT", "FF",
        "CR", "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM",
        "SUB", "ESC", "FS", "GS", "RS", "US",
    ];
    let code = u32::from(c);
    let name = match code {
        0..=0x1F => C0[code as usize],
        0x7F => "DEL",
        _ => "a C1 control",
    };
    format!("U+{code:04X} ({name})")
}

/// The hint for a control character: where it comes from, how to remove it.
fn control_hint(c: char, how: &str) -> String {
    let c1 = if ('\u{80}'..='\u{9F}').contains(&c) {
        "; U+0080–U+009F in a text usually mean it was converted with the wrong character set (save it again as UTF-8 from the original)"
    } else {
        ""
    };
    format!("{how}: such characters are invisible in most editors (some show them as a box or <0x00>) and usually come with text pasted or imported from a spreadsheet or another program{c1}")
}

/// Whether `text` (of the file `rel`) holds no raw control character that
/// content may not hold; the first is reported at its place.
fn no_raw_control(rel: &Path, text: &str, diags: &mut Diagnostics) -> bool {
    // Bytes first: almost every file has none, and this is every file.
    // A C1 control is 0xC2 0x80–0x9F in UTF-8.
    let found = text.bytes().enumerate().find_map(|(i, b)| {
        if !(b < 0x20 || b == 0x7F || b == 0xC2) {
            return None;
        }
        let c = text[i..].chars().next()?;
        refused_control(c).then_some((i, c))
    });
    let Some((at, c)) = found else {
        return true;
    };
    let more = text[at + c.len_utf8()..]
        .chars()
        .filter(|&c| refused_control(c))
        .count();
    let (line, column) = LineIndex::new(text).position(at);
    diags.error(
        &Location {
            path: rel.to_path_buf(),
            line,
            column,
        },
        format!(
            "control character {} in the text{}: pages and data files cannot hold it",
            control_name(c),
            if more > 0 {
                format!(" ({more} more after it in this file)")
            } else {
                String::new()
            }
        ),
        Some(control_hint(c, "delete it")),
    );
    false
}

/// The first escape in a TOML text (`\u0000`, `\b`, `\e`, `\x1b` …) that
/// stands for a control character content may not hold: its byte offset,
/// length and character. Only escapes inside basic strings count (a
/// backslash in a literal string or a comment is a backslash); the text
/// is valid TOML (it has been parsed).
fn escaped_control(toml: &str) -> Option<(usize, usize, char)> {
    let b = toml.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'#' => i = toml[i..].find('\n').map_or(b.len(), |n| i + n),
            b'\'' => {
                let quote = if toml[i..].starts_with("'''") {
                    "'''"
                } else {
                    "'"
                };
                let from = i + quote.len();
                i = toml[from..].find(quote).map_or(b.len(), |n| from + n) + quote.len();
                // A closing ''' may have up to two more quotes of text before it.
                while quote.len() == 3 && b.get(i) == Some(&b'\'') {
                    i += 1;
                }
            }
            b'"' => {
                let multi = toml[i..].starts_with("\"\"\"");
                i += if multi { 3 } else { 1 };
                while i < b.len() {
                    match b[i] {
                        b'\\' => {
                            let (len, c) = escape_at(&toml[i..]);
                            if let Some(c) = c.filter(|&c| refused_control(c)) {
                                return Some((i, len, c));
                            }
                            i += len;
                        }
                        b'"' if !multi => {
                            i += 1;
                            break;
                        }
                        b'"' if toml[i..].starts_with("\"\"\"") => {
                            i += 3;
                            while b.get(i) == Some(&b'"') {
                                i += 1;
                            }
                            break;
                        }
                        _ => i += 1,
                    }
                }
            }
            _ => i += 1,
        }
    }
    None
}

/// The escape at the start of `s` (which starts with a backslash): its
/// length in bytes and the character it stands for, if it is one that
/// could be refused.
fn escape_at(s: &str) -> (usize, Option<char>) {
    let hex = |n: usize| {
        let digits = s.get(2..2 + n)?;
        let code = u32::from_str_radix(digits, 16).ok()?;
        char::from_u32(code).map(|c| (2 + n, c))
    };
    let found = match s.as_bytes().get(1) {
        Some(b'b') => Some((2, '\x08')),
        Some(b'f') => Some((2, '\x0C')),
        Some(b'e') => Some((2, '\x1B')),
        Some(b'x') => hex(2),
        Some(b'u') => hex(4),
        Some(b'U') => hex(8),
        _ => None,
    };
    match found {
        Some((len, c)) => (len, Some(c)),
        // `\\`, `\"`, `\n` …: two bytes (one, for a backslash that ends the text).
        None => (s.len().min(2), None),
    }
}

/// The first numeric character reference in `s` from byte `from` (`&#1;`,
/// `&#x7F;`) that stands for a control character content may not hold
/// (`&#0;` becomes U+FFFD in Markdown and in HTML): its byte offset, length
/// and character.
fn referenced_control(s: &str, from: usize) -> Option<(usize, usize, char)> {
    let mut start = from;
    while let Some(n) = s.get(start..)?.find("&#") {
        let at = start + n;
        let rest = &s[at + 2..];
        let (digits, radix, skip) = match rest.as_bytes().first() {
            Some(b'x' | b'X') => (&rest[1..], 16, 3),
            _ => (rest, 10, 2),
        };
        let len = digits
            .bytes()
            .take_while(|b| {
                if radix == 16 {
                    b.is_ascii_hexdigit()
                } else {
                    b.is_ascii_digit()
                }
            })
            .count();
        if (1..=7).contains(&len) && digits.as_bytes().get(len) == Some(&b';') {
            let c = u32::from_str_radix(&digits[..len], radix)
                .ok()
                .and_then(char::from_u32);
            if let Some(c) = c.filter(|&c| c != '\0' && refused_control(c)) {
                return Some((at, skip + len + 1, c));
            }
        }
        start = at + 2;
    }
    None
}

/// Whether the Markdown body of `file` holds no control character written
/// as a character reference (`&#1;`), which Markdown turns into the
/// character; the first is reported at its place. Raw ones are refused on
/// reading, TOML escapes on parsing. A reference in a code span or block
/// is shown as written and is no control.
pub fn no_referenced_control(file: &SourceFile, diags: &mut Diagnostics) -> bool {
    let body = file.body();
    let mut found = None;
    if body.contains("&#") {
        let code = code_ranges(body);
        let mut from = 0;
        while let Some((at, len, c)) = referenced_control(body, from) {
            if !code.iter().any(|r| r.contains(&at)) {
                found = Some((file.body_start + at, len, c));
                break;
            }
            from = at + len;
        }
    }
    let Some((at, len, c)) = found else {
        return true;
    };
    diags.error(
        &file.locate(at),
        format!(
            "the character reference `{}` stands for the control character {}: pages and data files cannot hold it",
            &file.text[at..at + len],
            control_name(c)
        ),
        Some(control_hint(c, "delete the reference")),
    );
    false
}

/// The byte ranges of a Markdown text's code spans and code blocks, where
/// a character reference is text as written. (The extensions do not change
/// what is code; the renderer's set is private to it.)
fn code_ranges(markdown: &str) -> Vec<std::ops::Range<usize>> {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let mut out = Vec::new();
    let mut block: Option<usize> = None;
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        match event {
            Event::Code(_) => out.push(range),
            Event::Start(Tag::CodeBlock(_)) => block = Some(range.start),
            Event::End(TagEnd::CodeBlock) => {
                if let Some(start) = block.take() {
                    out.push(start..range.end);
                }
            }
            _ => {}
        }
    }
    out
}

/// Whether `bytes` read as Shift_JIS (CP932) text: printable ASCII, tabs and
/// line ends, half-width katakana, and lead bytes each with a trail byte.
fn looks_like_shift_jis(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\t' | b'\n' | b'\r' | 0x20..=0x7E | 0xA1..=0xDF => i += 1,
            0x81..=0x9F | 0xE0..=0xFC => match bytes.get(i + 1) {
                Some(0x40..=0x7E | 0x80..=0xFC) => i += 2,
                _ => return false,
            },
            _ => return false,
        }
    }
    true
}

/// Splits `+++` front matter from the body.
pub fn split(path: &Path, text: String, diags: &mut Diagnostics) -> Option<SourceFile> {
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "+++" {
        diags.error(
            &Location::file(path),
            "the file does not start with front matter",
            Some("put a line `+++` first, then the TOML fields (id, title …), then another `+++` line, then the Markdown text".into()),
        );
        return None;
    }
    let front_start = (first_end + 1).min(text.len());
    let mut pos = front_start;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        if text[pos..end].trim_end() == "+++" {
            let body_start = (end + 1).min(text.len());
            return Some(SourceFile {
                path: path.to_path_buf(),
                front: front_start..pos,
                body_start,
                text,
                lines: std::sync::OnceLock::new(),
            });
        }
        pos = end + 1;
    }
    diags.error(
        &Location::file(path),
        "the front matter is not closed",
        Some("add a line `+++` after the last TOML field".into()),
    );
    None
}

/// Whether the Markdown body nests no deeper than the renderer can take
/// (see [`crate::render::markdown::too_deep`]); reported where it does.
pub fn shallow_body(file: &SourceFile, diags: &mut Diagnostics) -> bool {
    let Some(at) = crate::render::markdown::too_deep(file.body()) else {
        return true;
    };
    diags.error(
        &file.locate(file.body_start + at),
        format!(
            "the text nests block quotes, lists or HTML elements more than {} levels deep here",
            crate::render::markdown::MAX_NESTING
        ),
        Some("flatten the text: a few levels of lists or quotes are enough for any report".into()),
    );
    false
}

/// Deserialises TOML found at `offset` of `whole`, reporting errors with position and hint.
pub fn parse_toml<T: DeserializeOwned>(
    toml_text: &str,
    offset: usize,
    path: &Path,
    whole: &str,
    diags: &mut Diagnostics,
) -> Option<T> {
    match toml::from_str::<T>(toml_text) {
        Ok(v) => {
            let Some((at, len, c)) = escaped_control(toml_text) else {
                return Some(v);
            };
            let (line, column) = LineIndex::new(whole).position(offset + at);
            diags.error(
                &Location {
                    path: path.to_path_buf(),
                    line,
                    column,
                },
                format!(
                    "the escape `{}` stands for the control character {}: pages and data files cannot hold it",
                    &toml_text[at..at + len],
                    control_name(c)
                ),
                Some(control_hint(c, "delete the escape (a line break is written \\n, a tab \\t)")),
            );
            // The values are still checked: an error there (a URL that is
            // no web address) is reported too, and is the first on its line.
            Some(v)
        }
        Err(e) => {
            let at = e.span().map_or(0, |s| s.start);
            let (line, column) = LineIndex::new(whole).position(offset + at);
            let (message, hint) = unquoted_year_key(e.message(), toml_text, at)
                .unwrap_or_else(|| explain_toml_error(e.message()));
            diags.error(
                &Location {
                    path: path.to_path_buf(),
                    line,
                    column,
                },
                message,
                hint,
            );
            None
        }
    }
}

/// A year written in Japanese as a key (`[years.令和6年度]`, `令和6年度 = "…"`):
/// TOML allows only ASCII letters, digits, `-` and `_` in a key without
/// quotes, so the parser stops at the first kanji. The message names the
/// year and shows the line with the year in quotes, or in its ASCII form.
fn unquoted_year_key(msg: &str, toml_text: &str, at: usize) -> Option<(String, Option<String>)> {
    if !msg.contains("unquoted key") {
        return None;
    }
    let rest = toml_text.get(at..)?;
    let key: &str = rest
        .split(|c: char| c.is_whitespace() || "[]=.\"'{},".contains(c))
        .next()?;
    if key.is_ascii() || crate::model::FiscalYear::parse(key).is_none() {
        return None;
    }
    let line_start = toml_text[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = &toml_text[line_start..at];
    let header = before.trim_start().starts_with('[');
    let quoted = if header {
        let line_end = rest.find(['\n', '#']).unwrap_or(rest.len());
        format!(
            "{}\"{key}\"{}",
            before.trim_start(),
            rest[key.len()..line_end].trim_end()
        )
    } else {
        format!("\"{key}\" = …")
    };
    let ascii = ascii_year(key).map_or(String::new(), |a| {
        let written = if header {
            quoted.replacen(&format!("\"{key}\""), &a, 1)
        } else {
            format!("{a} = …")
        };
        format!(", or write it as {a}: {written}")
    });
    Some((
        format!("the year `{key}` cannot be a key without quotes: keys without quotes are ASCII letters, digits, `-` and `_` only"),
        Some(format!("write the year in quotes: {quoted}{ascii}")),
    ))
}

/// `令和6年度` → `R6`, `平成元年度` → `H1`, `２０２３年度` → `2023`: a year
/// key as it may be written without quotes.
fn ascii_year(key: &str) -> Option<String> {
    use unicode_normalization::UnicodeNormalization;
    let s: String = key.nfkc().filter(|c| !c.is_whitespace()).collect();
    let s = s.strip_suffix("年度").unwrap_or(&s);
    let s = s.strip_suffix('年').unwrap_or(s);
    for (era, letter) in [("令和", 'R'), ("平成", 'H'), ("昭和", 'S')] {
        if let Some(n) = s.strip_prefix(era) {
            let n = if n == "元" { "1" } else { n };
            return n
                .chars()
                .all(|c| c.is_ascii_digit())
                .then(|| format!("{letter}{n}"));
        }
    }
    s.chars().all(|c| c.is_ascii_digit()).then(|| s.to_string())
}

/// Turns serde's wording into a message and a hint a staff member can act on.
fn explain_toml_error(msg: &str) -> (String, Option<String>) {
    let msg = msg.trim();
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        if let Some((field, expected)) = rest.split_once('`') {
            let names: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
            let hint = match crate::diagnostics::did_you_mean(field, names.iter().copied()) {
                Some(s) => format!("did you mean `{s}`? allowed here: {}", names.join(", ")),
                None => format!("allowed here: {}", names.join(", ")),
            };
            return (format!("unknown key `{field}`"), Some(hint));
        }
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        return (
            format!("required key `{field}` is missing"),
            Some(format!("add `{field} = …` to this table")),
        );
    }
    (
        format!("invalid TOML: {msg}"),
        Some("check quotes, `=` signs and brackets on this line; text values need quotes: title = \"…\"".into()),
    )
}
