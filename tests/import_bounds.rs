//! `mieruka import` within bounds (issue 26, items 7–12): a sheet that
//! inflates past the budget, control characters in cells, a CSV quote never
//! closed, bad Shift_JIS bytes, a mapping past Excel's last column or row,
//! and a sheet path that is a pipe are each refused with a message that
//! says where, quickly and without exhausting memory.

mod common;

use common::*;
use std::time::{Duration, Instant};

const MAP: &str = r#"plan = "plan1"
first_row = 2
[columns]
id = "A"
code = "D"
title = "E"
departments = "F"
[[sections]]
code = "B"
title = "C"
[[years]]
year = "R5"
schedule_plan = "G"
schedule_status = "H"
"#;

const HEAD: &str = "ID,分野番号,分野,事業番号,事業,担当課,R5計画,R5実施状況\n";

fn import(site: &Site, sheet: &str, extra: &[&str]) -> Run {
    let root = site.root().to_string_lossy().to_string();
    let sheet = site.path(sheet).to_string_lossy().to_string();
    let map = site.path("map.toml").to_string_lossy().to_string();
    let mut args = vec![
        "import",
        sheet.as_str(),
        "--map",
        map.as_str(),
        "--root",
        root.as_str(),
    ];
    args.extend_from_slice(extra);
    run_in_within(site.root(), &args, Duration::from_secs(60)).expect("import hung")
}

// ---- a zip written by hand: stored parts, and one deflated part made of
// ---- long repeats, so that a test can build a bomb in milliseconds.

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Bits of a deflate stream, least significant first.
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn put(&mut self, value: u64, bits: u32) {
        self.acc |= value << self.n;
        self.n += bits;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }
    /// A Huffman code, written from its most significant bit.
    fn code(&mut self, code: u32, bits: u32) {
        let mut rev = 0;
        for i in 0..bits {
            rev |= ((code >> i) & 1) << (bits - 1 - i);
        }
        self.put(u64::from(rev), bits);
    }
    fn literal(&mut self, b: u8) {
        if b < 144 {
            self.code(0x30 + u32::from(b), 8);
        } else {
            self.code(0x190 + u32::from(b) - 144, 9);
        }
    }
}

/// A raw deflate stream (one fixed-Huffman block) of `head`, then `unit`
/// repeated until `size` bytes of it were written, then `tail`.
/// Returns the stream and the size it inflates to.
fn deflate_repeat(head: &[u8], unit: &[u8], size: u64, tail: &[u8]) -> (Vec<u8>, u32) {
    assert!(unit.len() <= 258 && !unit.is_empty());
    let mut b = Bits {
        out: Vec::new(),
        acc: 0,
        n: 0,
    };
    b.put(1, 1); // last block
    b.put(1, 2); // fixed Huffman codes
    for &c in head.iter().chain(unit) {
        b.literal(c);
    }
    // Repeat the unit: matches of 258 bytes at its length as distance
    // (a match may overlap itself), length code 285.
    let dist = unit.len() as u32;
    let (code, extra_bits, base) = [
        (0u32, 0u32, 1u32),
        (1, 0, 2),
        (2, 0, 3),
        (3, 0, 4),
        (4, 1, 5),
        (5, 1, 7),
        (6, 2, 9),
        (7, 2, 13),
        (8, 3, 17),
        (9, 3, 25),
        (10, 4, 33),
        (11, 4, 49),
        (12, 5, 65),
        (13, 5, 97),
        (14, 6, 129),
        (15, 6, 193),
        (16, 7, 257),
    ]
    .into_iter()
    .rev()
    .find(|&(_, _, base)| base <= dist)
    .unwrap();
    let mut written = unit.len() as u64;
    while written + 258 <= size {
        b.code(0b1100_0101, 8); // length 258
        b.code(code, 5);
        b.put(u64::from(dist - base), extra_bits);
        written += 258;
    }
    for &c in tail {
        b.literal(c);
    }
    b.code(0, 7); // end of block
    b.put(0, 7);
    (
        b.out,
        (head.len() as u64 + written + tail.len() as u64) as u32,
    )
}

/// A zip of `parts`: (name, bytes, None) stored, or (name, deflated
/// bytes, Some(declared size)) as given.
fn zip_of(parts: &[(&str, Vec<u8>, Option<u32>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data, declared) in parts {
        let (method, crc, size) = match declared {
            None => (0u16, crc32(data), data.len() as u32),
            Some(s) => (8u16, 0, *s),
        };
        let offset = out.len() as u32;
        let mut local = Vec::new();
        local.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        local.extend_from_slice(&20u16.to_le_bytes());
        local.extend_from_slice(&0u16.to_le_bytes());
        local.extend_from_slice(&method.to_le_bytes());
        local.extend_from_slice(&[0, 0, 0x21, 0]); // time, date
        local.extend_from_slice(&crc.to_le_bytes());
        local.extend_from_slice(&(data.len() as u32).to_le_bytes());
        local.extend_from_slice(&size.to_le_bytes());
        local.extend_from_slice(&(name.len() as u16).to_le_bytes());
        local.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&local);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes());
        central.extend_from_slice(&local[4..]);
        central.extend_from_slice(&[0; 10]); // comment, disk, attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let at = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(parts.len() as u16).to_le_bytes());
    out.extend_from_slice(&(parts.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&at.to_le_bytes());
    out.extend_from_slice(&[0; 2]);
    out
}

/// The parts of a one-sheet xlsx as rust_xlsxwriter writes it (with a
/// shared string: t-002's status ○ in H2), every part stored.
fn xlsx_parts() -> Vec<(String, Vec<u8>)> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.write_string(1, 0, "t-002").unwrap();
    ws.write_string(1, 7, "○").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut parts = Vec::new();
    for i in 0..zin.len() {
        let mut entry = zin.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut data).unwrap();
        parts.push((name, data));
    }
    parts
}

/// The xlsx with part `name` replaced by a deflated `bomb` declared as
/// `declared` bytes (its true size when `None`).
fn xlsx_with(name: &str, (bomb, size): (Vec<u8>, u32), declared: Option<u32>) -> Vec<u8> {
    let declared = declared.unwrap_or(size);
    let parts = xlsx_parts();
    assert!(parts.iter().any(|(n, _)| n == name), "{name}");
    let parts: Vec<(&str, Vec<u8>, Option<u32>)> = parts
        .iter()
        .map(|(n, d)| {
            if n == name {
                (n.as_str(), bomb.clone(), Some(declared))
            } else {
                (n.as_str(), d.clone(), None)
            }
        })
        .collect();
    zip_of(&parts)
}

const SST_HEAD: &[u8] = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2"><si><t>t-002</t></si><si><t>"#;
const SHEET_HEAD: &[u8] = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="2">"#;

/// Item 7: the hand-made zip reads as the fixture expects; the same file
/// with a shared string of 64 MB (one cell of Excel holds 32,767
/// characters), with 64 MB of whitespace in a row, with shared texts that
/// inflate past the 256 MB budget (declared as such, declared smaller than
/// they are), with a part declared past it, or with more shared texts
/// than the budget allows (counted, or declared) is refused quickly,
/// naming the part. Each bomb is at most 4 MB on disk.
#[test]
fn zip_bombs_are_refused_while_they_inflate() {
    let site = Site::new();
    site.write("map.toml", MAP);
    let plain: Vec<(String, Vec<u8>)> = xlsx_parts();
    let parts: Vec<(&str, Vec<u8>, Option<u32>)> = plain
        .iter()
        .map(|(n, d)| (n.as_str(), d.clone(), None))
        .collect();
    site.write_bytes("plain.xlsx", &zip_of(&parts));
    let run = import(&site, "plain.xlsx", &["--dry-run"]);
    run.assert_code(0);
    assert!(run.stdout.contains("0 added, 1 changed"), "{run}");

    let letters = "abcdefghijklmnopqrstuvwxyz".repeat(10);
    let long = format!("</t></si><si><t>{}", &letters[..242]);
    let sst = |unit: &[u8], size: u64| deflate_repeat(SST_HEAD, unit, size, b"</t></si></sst>");
    let strings = "xl/sharedStrings.xml";
    // (file, part, bomb and its size, declared size, message)
    type Case<'a> = (&'a str, &'a str, (Vec<u8>, u32), Option<u32>, &'a str);
    let cases: Vec<Case> = vec![
        (
            "string.xlsx",
            strings,
            sst(b"a", 64 << 20),
            None,
            "its part xl/sharedStrings.xml holds a text or tag longer than any cell",
        ),
        (
            "spaces.xlsx",
            "xl/worksheets/sheet1.xml",
            deflate_repeat(
                SHEET_HEAD,
                b" ",
                64 << 20,
                b"</row></sheetData></worksheet>",
            ),
            None,
            "its part xl/worksheets/sheet1.xml holds a text or tag longer than any cell",
        ),
        (
            "many.xlsx",
            strings,
            sst(long.as_bytes(), 300 << 20),
            None,
            "inflates to more than 256 MB (at its part xl/sharedStrings.xml)",
        ),
        (
            "lying.xlsx",
            strings,
            sst(long.as_bytes(), 300 << 20),
            Some(100 << 20),
            "its part xl/sharedStrings.xml: File is larger than its declared uncompressed size",
        ),
        (
            "declared.xlsx",
            strings,
            sst(b"x", 1000),
            Some(u32::MAX - 1),
            "inflates to more than 256 MB (at its part xl/sharedStrings.xml)",
        ),
        (
            "count.xlsx",
            strings,
            sst(b"</t></si><si><t>a", 60 << 20),
            None,
            "its part xl/sharedStrings.xml holds more than 2000000 shared texts",
        ),
        (
            "unique.xlsx",
            strings,
            deflate_repeat(
                &String::from_utf8_lossy(SST_HEAD)
                    .replace("uniqueCount=\"2\"", "uniqueCount=\"99999999999\"")
                    .into_bytes(),
                b"a",
                10,
                b"</t></si></sst>",
            ),
            None,
            "its part xl/sharedStrings.xml holds more than 2000000 shared texts",
        ),
    ];
    for (file, part, bomb, declared, says) in cases {
        assert!(bomb.0.len() < 4 << 20, "{file}: {}", bomb.0.len());
        site.write_bytes(file, &xlsx_with(part, bomb, declared));
        let start = Instant::now();
        let run = import(&site, file, &[]);
        let took = start.elapsed();
        run.assert_code(2);
        assert!(run.stderr.contains(says), "{file}: {run}");
        assert!(run.stderr.contains(file), "{file}: {run}");
        assert!(took < Duration::from_secs(30), "{file}: {took:?}");
    }
}

/// Item 8: control characters in cells (`_x0000_`, an escape sequence,
/// a backspace) are errors naming the cell, in xlsx and in CSV; with
/// --partial the row is left out and said so, the others are written.
#[test]
fn control_characters_in_cells_are_errors_at_the_cell() {
    let site = Site::new();
    site.write("map.toml", MAP);
    let mut parts = xlsx_parts();
    for (name, data) in &mut parts {
        if name == "xl/sharedStrings.xml" {
            let xml = String::from_utf8(data.clone()).unwrap();
            *data = xml
                .replace("</sst>", "<si><t>窓口_x0000__x001B_[31m</t></si></sst>")
                .replace("count=\"2\"", "count=\"3\"")
                .replace("uniqueCount=\"2\"", "uniqueCount=\"3\"")
                .into_bytes();
        }
        if name == "xl/worksheets/sheet1.xml" {
            let xml = String::from_utf8(data.clone()).unwrap();
            let row = xml.find("<c r=\"H2\"").expect(&xml);
            let mut xml = xml.clone();
            // E2 (the title) is the new shared string 2.
            xml.insert_str(row, "<c r=\"E2\" t=\"s\"><v>2</v></c>");
            *data = xml.into_bytes();
        }
    }
    let parts: Vec<(&str, Vec<u8>, Option<u32>)> = parts
        .iter()
        .map(|(n, d)| (n.as_str(), d.clone(), None))
        .collect();
    site.write_bytes("ctl.xlsx", &zip_of(&parts));
    let before = site.snapshot("content");
    let run = import(&site, "ctl.xlsx", &[]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("Sheet1!E2: error: the cell holds the control character U+0000"),
        "{run}"
    );
    assert_eq!(site.snapshot("content"), before);

    site.write(
        "sheet.csv",
        &format!("{HEAD}t-001,,,,,,,◎\nt-002,,,,,,導入\u{8}x,○\n"),
    );
    let run = import(&site, "sheet.csv", &["--partial"]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("sheet.csv!G3: error: the cell holds the control character U+0008"),
        "{run}"
    );
    assert!(run.stdout.contains("0 added, 1 changed"), "{run}");
    for (path, bytes) in site.snapshot("content") {
        assert!(
            !bytes.iter().any(|&b| b < 0x20 && !b"\t\n\r".contains(&b)),
            "{path}"
        );
    }
}

/// Item 9: a quote opened in a CSV and never closed is an error naming its
/// row, with and without --partial; nothing is written.
#[test]
fn an_unclosed_csv_quote_names_its_row() {
    let site = Site::new();
    site.write("map.toml", MAP);
    let mut rows = String::from(HEAD);
    rows.push_str("t-001,,,,,,,◎\nt-002,,,,,,,○\n\"t-003\",,,,,,\"複数行\nの計画\",○\n");
    rows.push_str(",,,,\"開いたまま,,,\n");
    for i in 0..100 {
        rows.push_str(&format!("t-{:03},,,,事業{i},企画課,,○\n", 100 + i));
    }
    site.write("sheet.csv", &rows);
    let before = site.snapshot("content");
    for extra in [&[][..], &["--partial"][..]] {
        let run = import(&site, "sheet.csv", extra);
        run.assert_code(2);
        assert!(
            run.stderr
                .contains("sheet.csv: row 5: a quote opened here is never closed"),
            "{run}"
        );
        assert_eq!(site.snapshot("content"), before);
    }
}

/// Item 10: bad bytes in a Shift_JIS file are named by row and byte.
#[test]
fn bad_shift_jis_bytes_are_named_by_row_and_byte() {
    let site = Site::new();
    site.write("map.toml", MAP);
    let text = format!("{HEAD}t-001,,,,,,,◎\n");
    let (mut sjis, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
    let mut bytes = sjis.to_mut().clone();
    let at = bytes.len();
    bytes.extend_from_slice(b"t-002,,,,\x85\x30,,,\n");
    site.write_bytes("sheet.csv", &bytes);
    let run = import(&site, "sheet.csv", &[]);
    run.assert_code(2);
    assert!(
        run.stderr
            .contains(&format!("as Shift_JIS, row 3 (byte {}) is wrong", at + 10)),
        "{run}"
    );
}

/// Item 11: a column past XFD and a first row past Excel's last are
/// errors in the mapping file; a first row below the sheet's last row
/// reads no row, which is an error too.
#[test]
fn a_mapping_past_the_last_column_or_row_is_an_error() {
    let site = Site::new();
    site.write("sheet.csv", &format!("{HEAD}t-001,,,,,,,◎\n"));
    site.write("map.toml", &MAP.replace("title = \"E\"", "title = \"XFE\""));
    let run = import(&site, "sheet.csv", &[]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("`XFE` is past XFD, the last column"),
        "{run}"
    );
    site.write(
        "map.toml",
        &MAP.replace("first_row = 2", "first_row = 99999999999"),
    );
    let run = import(&site, "sheet.csv", &[]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("map.toml:2:13: error: `first_row` is past 1048576"),
        "{run}"
    );
    site.write("map.toml", &MAP.replace("first_row = 2", "first_row = 50"));
    let run = import(&site, "sheet.csv", &[]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("the sheet's last row is 2, above `first_row` = 50"),
        "{run}"
    );
}

/// Item 12: a sheet or a mapping file that is a named pipe is refused at
/// once (no reader would ever write to it), as a folder is.
#[cfg(unix)]
#[test]
fn a_pipe_or_a_folder_as_the_sheet_is_refused_without_hanging() {
    let site = Site::new();
    site.write("map.toml", MAP);
    let fifo = site.path("pipe.csv");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    std::fs::create_dir(site.path("folder.xlsx")).unwrap();
    for sheet in ["pipe.csv", "folder.xlsx"] {
        let run = run_in_within(
            site.root(),
            &[
                "import",
                site.path(sheet).to_str().unwrap(),
                "--map",
                site.path("map.toml").to_str().unwrap(),
            ],
            Duration::from_secs(20),
        )
        .unwrap_or_else(|| panic!("{sheet}: import hung"));
        run.assert_code(2);
        assert!(
            run.stderr.contains("not an ordinary file") || run.stderr.contains("this is a folder"),
            "{run}"
        );
    }
    site.write("sheet.csv", &format!("{HEAD}t-001,,,,,,,◎\n"));
    std::fs::remove_file(site.path("map.toml")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(site.path("map.toml"))
        .status()
        .unwrap();
    assert!(made.success());
    let run = run_in_within(
        site.root(),
        &[
            "import",
            site.path("sheet.csv").to_str().unwrap(),
            "--map",
            site.path("map.toml").to_str().unwrap(),
        ],
        Duration::from_secs(20),
    )
    .expect("import hung on a pipe as the mapping file");
    run.assert_code(1);
    assert!(run.stderr.contains("not an ordinary file"), "{run}");
}

// ---- an Excel 97-2003 workbook written by hand: one compound file with
// ---- a Workbook stream (padded to 4096 bytes: no mini stream) of BIFF8.

fn biff(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut r = typ.to_le_bytes().to_vec();
    r.extend_from_slice(&(data.len() as u16).to_le_bytes());
    r.extend_from_slice(data);
    r
}

/// A LABEL record: a text cell.
fn label(row: u16, col: u16, text: &str) -> Vec<u8> {
    let units: Vec<u16> = text.encode_utf16().collect();
    let mut d = Vec::new();
    for v in [row, col, 0, units.len() as u16] {
        d.extend_from_slice(&v.to_le_bytes());
    }
    d.push(1); // UTF-16
    for u in units {
        d.extend_from_slice(&u.to_le_bytes());
    }
    biff(0x0204, &d)
}

/// An .xls of one sheet `Sheet1` holding `cells` (row, column, text);
/// `loop_dirs` makes the directory's chain of sectors come back on itself.
fn xls_of(cells: &[(u16, u16, &str)], loop_dirs: bool) -> Vec<u8> {
    let bof = |dt: u16| {
        let mut d = Vec::new();
        for v in [0x0600u16, dt, 0x0DBB, 0x07CC] {
            d.extend_from_slice(&v.to_le_bytes());
        }
        d.extend_from_slice(&[0; 8]);
        biff(0x0809, &d)
    };
    let mut globals = bof(0x0005);
    let boundsheet = |pos: usize| {
        let mut d = (pos as u32).to_le_bytes().to_vec();
        d.extend_from_slice(&[0, 0, 6, 0]);
        d.extend_from_slice(b"Sheet1");
        biff(0x0085, &d)
    };
    // The sheet's BOF follows the globals' BOUNDSHEET and EOF.
    let sheet_at = globals.len() + boundsheet(0).len() + 4;
    globals.extend(boundsheet(sheet_at));
    globals.extend(biff(0x000A, &[]));
    assert_eq!(globals.len(), sheet_at);
    let mut stream = globals;
    stream.extend(bof(0x0010));
    for &(r, c, t) in cells {
        stream.extend(label(r, c, t));
    }
    stream.extend(biff(0x000A, &[]));
    stream.resize(stream.len().max(4096).div_ceil(512) * 512, 0);
    let n = stream.len() / 512;
    // Sector 0: the FAT; 1: the directory; 2..: the stream.
    let mut fat: Vec<u32> = vec![0xFFFF_FFFD, if loop_dirs { 1 } else { 0xFFFF_FFFE }];
    for i in 0..n {
        fat.push(if i + 1 < n { 3 + i as u32 } else { 0xFFFF_FFFE });
    }
    fat.resize(128, 0xFFFF_FFFF);
    let mut header = vec![0u8; 512];
    header[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    let mut put = |at: usize, b: &[u8]| header[at..at + b.len()].copy_from_slice(b);
    put(0x18, &0x003Eu16.to_le_bytes());
    put(0x1A, &3u16.to_le_bytes());
    put(0x1C, &0xFFFEu16.to_le_bytes());
    put(0x1E, &9u16.to_le_bytes());
    put(0x20, &6u16.to_le_bytes());
    put(0x2C, &1u32.to_le_bytes()); // FAT sectors
    put(0x30, &1u32.to_le_bytes()); // first directory sector
    put(0x38, &4096u32.to_le_bytes());
    put(0x3C, &0xFFFF_FFFEu32.to_le_bytes()); // no mini FAT
    put(0x44, &0xFFFF_FFFEu32.to_le_bytes()); // no DIFAT sectors
    put(0x4C, &0u32.to_le_bytes());
    for i in 1..109 {
        put(0x4C + 4 * i, &0xFFFF_FFFFu32.to_le_bytes());
    }
    let entry = |name: &str, typ: u8, child: u32, start: u32, size: u32| {
        let mut e = vec![0u8; 128];
        for (i, u) in name.encode_utf16().enumerate() {
            e[2 * i..2 * i + 2].copy_from_slice(&u.to_le_bytes());
        }
        e[0x40..0x42].copy_from_slice(&(2 * (name.len() as u16 + 1)).to_le_bytes());
        e[0x42] = typ;
        e[0x43] = 1;
        e[0x44..0x48].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        e[0x48..0x4C].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        e[0x4C..0x50].copy_from_slice(&child.to_le_bytes());
        e[0x74..0x78].copy_from_slice(&start.to_le_bytes());
        e[0x78..0x7C].copy_from_slice(&size.to_le_bytes());
        e
    };
    let mut dirs = entry("Root Entry", 5, 1, 0xFFFF_FFFE, 0);
    dirs.extend(entry("Workbook", 2, 0xFFFF_FFFF, 2, stream.len() as u32));
    dirs.extend(entry("", 0, 0xFFFF_FFFF, 0, 0));
    dirs.extend(entry("", 0, 0xFFFF_FFFF, 0, 0));
    let mut out = header;
    for f in fat {
        out.extend_from_slice(&f.to_le_bytes());
    }
    out.extend(dirs);
    out.extend(stream);
    out
}

/// Item 7, .xls: calamine lays every sheet out from its first cell to its
/// last, at once: a workbook of two cells, A1 and IV65536 (Excel 97's
/// last), is refused at once; one of two cells in row 2 is read.
#[test]
fn a_two_cell_xls_spanning_the_sheet_is_refused() {
    let site = Site::new();
    site.write("map.toml", MAP);
    site.write_bytes("small.xls", &xls_of(&[(1, 0, "t-002"), (1, 7, "○")], false));
    let run = import(&site, "small.xls", &["--dry-run"]);
    run.assert_code(0);
    assert!(run.stdout.contains("0 added, 1 changed"), "{run}");
    let bytes = xls_of(&[(0, 0, "x"), (65535, 255, "y")], false);
    assert!(bytes.len() < 8192);
    site.write_bytes("spread.xls", &bytes);
    let start = Instant::now();
    let run = import(&site, "spread.xls", &[]);
    run.assert_code(2);
    assert!(
        run.stderr.contains(
            "spread.xls is too large to read: its sheets span 16777216 cells from their first cell to their last"
        ),
        "{run}"
    );
    assert!(start.elapsed() < Duration::from_secs(10));
}

/// Item 7, .xls: a directory whose chain of sectors comes back on itself
/// (calamine would follow it for ever, growing) is refused.
#[test]
fn an_xls_whose_sectors_loop_is_refused() {
    let site = Site::new();
    site.write("map.toml", MAP);
    site.write_bytes("loop.xls", &xls_of(&[(1, 0, "t-002")], true));
    let run = import(&site, "loop.xls", &[]);
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("a chain of sectors that comes back on itself"),
        "{run}"
    );
}

/// Item 7, memory: a sheet whose every row is a problem (a first_row or
/// a column mapped wrong) is refused after the first 1000, which are
/// shown, instead of collecting one per row; nothing is written, even with
/// --partial, so no row is left out unlisted.
#[test]
fn a_sheet_of_problems_is_refused_after_the_first_thousand() {
    let site = Site::new();
    site.write("map.toml", MAP);
    let mut rows = String::from(HEAD);
    rows.push_str("t-001,,,,,,,◎\n");
    for i in 0..1200 {
        rows.push_str(&format!(",,,,事業{i},企画課,,○\n"));
    }
    site.write("sheet.csv", &rows);
    let before = site.snapshot("content");
    let run = import(&site, "sheet.csv", &["--partial"]);
    run.assert_code(2);
    assert!(
        run.stderr.contains(
            "error: more than 1000 problems: the rest of the sheet was not read, and nothing was written (even with --partial); the first 1000:\nsheet.csv!E3: error:"
        ),
        "{run}"
    );
    assert!(run.stderr.contains("sheet.csv!E1002: error:"), "{run}");
    assert!(!run.stderr.contains("sheet.csv!E1003: error:"), "{run}");
    assert_eq!(site.snapshot("content"), before);
}

/// An ods workbook of one table with `rows` (its XML).
fn ods_of(rows: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Sheet1">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    zip_of(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet".to_vec(),
            None,
        ),
        ("META-INF/manifest.xml", manifest.as_bytes().to_vec(), None),
        ("content.xml", content.into_bytes(), None),
    ])
}

/// Item 7, .ods: calamine writes out repeated rows and columns of every
/// table at once: two cells a million rows apart (812 bytes on disk, 3.9
/// GB and an allocation failure before), or one cell repeated over 16,384
/// columns and 6,000 rows, are refused at once; a small table is read.
#[test]
fn an_ods_whose_repeats_span_millions_of_cells_is_refused() {
    let site = Site::new();
    site.write("map.toml", MAP);
    let cell = |t: &str| {
        format!(
            r#"<table:table-cell office:value-type="string"><text:p>{t}</text:p></table:table-cell>"#
        )
    };
    let small = format!(
        r#"<table:table-row>{}</table:table-row><table:table-row>{}<table:table-cell table:number-columns-repeated="6"/>{}</table:table-row><table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#,
        cell("ID"),
        cell("t-002"),
        cell("○")
    );
    site.write_bytes("small.ods", &ods_of(&small));
    let run = import(&site, "small.ods", &["--dry-run"]);
    run.assert_code(0);
    assert!(run.stdout.contains("0 added, 1 changed"), "{run}");
    let spread = format!(
        r#"<table:table-row>{}</table:table-row><table:table-row table:number-rows-repeated="999998"><table:table-cell/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="89"/>{}</table:table-row>"#,
        cell("x"),
        cell("y")
    );
    let repeat = r#"<table:table-row table:number-rows-repeated="6000"><table:table-cell office:value-type="string" table:number-columns-repeated="16384"><text:p>z</text:p></table:table-cell></table:table-row>"#;
    for (file, rows) in [("spread.ods", spread.as_str()), ("repeat.ods", repeat)] {
        site.write_bytes(file, &ods_of(rows));
        let start = Instant::now();
        let run = import(&site, file, &[]);
        run.assert_code(2);
        assert!(
            run.stderr.contains(&format!(
                "{file}: its part content.xml holds sheets that span more than 4000000 cells"
            )),
            "{run}"
        );
        assert!(start.elapsed() < Duration::from_secs(10), "{file}");
    }
}
