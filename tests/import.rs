//! `mieruka import` and `mieruka export` (issue 15): a progress sheet
//! (xlsx, or CSV in UTF-8, UTF-8 with BOM or Shift_JIS) read through a
//! mapping file into content files, edited in place so that only the values
//! the sheet changes are rewritten; errors name sheet!cell; nothing is
//! written when a row fails (unless --partial); narrative text is kept
//! unless --force; export → import of every example plan changes nothing.

mod common;

use common::*;
use std::path::Path;

/// The standard fixture's plan, mapped: id, the 分野 code and title, the
/// 事業 code and title, departments, and FY2023's schedule plan and status.
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

/// t-001 ○ → ◎; t-002 as it is; t-003's second schedule line rated △ for
/// the first time (a row that continues the initiative above); a new
/// initiative t-005 in 分野 2.
const SHEET: &str = "t-001,1,行政手続のデジタル化,1,電子申請の拡充,情報政策課,→,◎\n\
t-002,,,2,窓口のキャッシュレス化,企画課,導入,◎\n\
t-003,2,財政の健全化,3,公共施設の再編,企画課,実施,○\n\
,,,,,,活用方針の決定,△\n\
t-005,,,5,窓口の混雑緩和,企画課,試行,○\n";

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
    site.run(&args)
}

/// The changes SHEET makes, checked byte for byte.
/// `second`: the status the sheet gives t-003's second schedule line.
fn assert_sheet_applied(site: &Site, run: &Run, second: &str) {
    assert_existing_updated(site, run, second);
    assert_eq!(
        site.read(&format!("{BETA}/t-005.md")),
        "+++\nid = \"t-005\"\ncode = \"5\"\ntitle = \"窓口の混雑緩和\"\ndepartments = [\"企画課\"]\n\n[[schedule]]\n\n[schedule.plan]\nR5 = \"試行\"\n\n[schedule.status]\nR5 = \"○\"\n+++\n"
    );
    assert!(
        run.stdout
            .contains("added    content/plan1/02-beta/t-005.md"),
        "{run}"
    );
    site.check().assert_code(0);
}

/// One initiative added; t-001 ○ → ◎ and t-003's second line rated
/// `second`, nothing else in those files; t-002 untouched.
fn assert_existing_updated(site: &Site, run: &Run, second: &str) {
    run.assert_code(0);
    assert!(
        run.stdout.contains("1 added, 2 changed, 1 unchanged"),
        "{run}"
    );
    assert_eq!(
        site.read(&format!("{ALPHA}/a1.md")),
        A1.replacen("R5 = \"○\"", "R5 = \"◎\"", 1),
        "only t-001's FY2023 status changes"
    );
    assert_eq!(site.read(&format!("{ALPHA}/a2.md")), A2);
    assert_eq!(
        site.read(&format!("{BETA}/b1.md")),
        B1.replacen(
            "R4 = \"未着手\"\n",
            &format!("R4 = \"未着手\"\nR5 = \"{second}\"\n"),
            1
        ),
        "the continuation row rates the second schedule line"
    );
}

#[test]
fn csv_in_utf8_with_and_without_bom_and_in_shift_jis() {
    let text = format!("{HEAD}{SHEET}");
    let (sjis, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&text);
    assert!(!unmappable);
    let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
    for (name, bytes) in [
        ("utf8", text.as_bytes().to_vec()),
        ("bom", bom),
        ("sjis", sjis.to_vec()),
    ] {
        let site = Site::new();
        // Excel on Windows ends CSV lines with CR LF.
        let bytes: Vec<u8> = bytes
            .iter()
            .flat_map(|&b| {
                if b == b'\n' {
                    vec![b'\r', b'\n']
                } else {
                    vec![b]
                }
            })
            .collect();
        site.write("map.toml", MAP).write_bytes("sheet.csv", &bytes);
        let run = import(&site, "sheet.csv", &[]);
        assert_sheet_applied(&site, &run, "△");
        // Importing the same sheet again changes nothing.
        let run = import(&site, "sheet.csv", &[]);
        run.assert_code(0);
        assert!(
            run.stdout.contains("0 added, 0 changed, 4 unchanged"),
            "{name}: {run}"
        );
    }
}

#[test]
fn xlsx_with_merged_cells() {
    let site = Site::new();
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("進捗").unwrap();
    let f = rust_xlsxwriter::Format::new();
    for (c, h) in HEAD.trim().split(',').enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    // 分野 1 over rows 2–3 and 分野 2 over rows 4–6, merged; t-003's own
    // cells merged over its two schedule lines, and so is its FY2023
    // status: both lines are ○.
    ws.merge_range(1, 1, 2, 1, "1", &f).unwrap();
    ws.merge_range(1, 2, 2, 2, "行政手続のデジタル化", &f)
        .unwrap();
    ws.merge_range(3, 1, 5, 1, "2", &f).unwrap();
    ws.merge_range(3, 2, 5, 2, "財政の健全化", &f).unwrap();
    for (r, row) in SHEET.lines().enumerate() {
        for (c, cell) in row.split(',').enumerate() {
            let merged = (r == 2 || r == 3) && [0, 3, 4, 5, 7].contains(&c);
            if c == 1 || c == 2 || merged || cell.is_empty() {
                continue;
            }
            ws.write_string(r as u32 + 1, c as u16, cell).unwrap();
        }
    }
    for c in [0u16, 3, 4, 5, 7] {
        let text = SHEET
            .lines()
            .nth(2)
            .unwrap()
            .split(',')
            .nth(c as usize)
            .unwrap();
        ws.merge_range(3, c, 4, c, text, &f).unwrap();
    }
    book.save(site.path("sheet.xlsx")).unwrap();
    site.write("map.toml", &format!("sheet = \"進捗\"\n{MAP}"));
    let run = import(&site, "sheet.xlsx", &[]);
    assert_sheet_applied(&site, &run, "○");
}

#[test]
fn an_unknown_status_word_names_the_cell_and_the_allowed_values_and_writes_nothing() {
    let site = Site::new();
    let bad = SHEET.replacen("→,◎", "→,済", 1);
    site.write("map.toml", MAP)
        .write("sheet.csv", &format!("{HEAD}{bad}"));
    let before = site.snapshot("content");
    let run = import(&site, "sheet.csv", &[]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("sheet.csv!H2: error: 「済」 is not a value of the scale 実施状況"),
        "{run}"
    );
    assert!(
        run.stderr.contains(
            "allowed: ◎ (completed), ○ (in_progress), △ (not_started), — (not_applicable)"
        ),
        "{run}"
    );
    assert!(run.stderr.contains("nothing was written"), "{run}");
    assert_eq!(site.snapshot("content"), before, "no file written");
    // An unknown department names its cell too.
    let bad = SHEET.replacen("企画課,導入", "企画部,導入", 1);
    site.write("sheet.csv", &format!("{HEAD}{bad}"));
    let run = import(&site, "sheet.csv", &[]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("sheet.csv!F3: error: department 「企画部」"),
        "{run}"
    );
    assert!(run.stderr.contains("did you mean 「企画課」"), "{run}");
    assert_eq!(site.snapshot("content"), before);
    // --partial writes the other rows.
    let bad = SHEET.replacen("→,◎", "→,済", 1);
    site.write("sheet.csv", &format!("{HEAD}{bad}"));
    let run = import(&site, "sheet.csv", &["--partial"]);
    run.assert_code(1);
    assert_eq!(
        site.read(&format!("{ALPHA}/a1.md")),
        A1,
        "the failing row is left out"
    );
    assert!(site.path(&format!("{BETA}/t-005.md")).is_file(), "{run}");
    assert!(site.read(&format!("{BETA}/b1.md")).contains("R5 = \"△\""));
}

#[test]
fn narrative_text_is_kept_unless_forced_and_a_dry_run_writes_nothing() {
    let site = Site::new();
    let edited = SHEET.replacen("→,◎", "電子申請の対象を拡大,◎", 1);
    site.write("map.toml", MAP)
        .write("sheet.csv", &format!("{HEAD}{edited}"));
    let before = site.snapshot("content");
    let run = import(&site, "sheet.csv", &["--dry-run"]);
    run.assert_code(0);
    assert!(run.stdout.contains("-R5 = \"○\"\n+R5 = \"◎\""), "{run}");
    assert!(
        run.stdout
            .contains("--- /dev/null\n+++ b/content/plan1/02-beta/t-005.md"),
        "{run}"
    );
    assert!(run.stdout.contains("dry run: nothing was written"), "{run}");
    assert_eq!(site.snapshot("content"), before);
    let run = import(&site, "sheet.csv", &[]);
    run.assert_code(0);
    assert!(
        run.stdout.contains("kept     content/plan1/01-alpha/a1.md  schedule line 1 R5 plan: the sheet (sheet.csv!G2) says something else"),
        "{run}"
    );
    let a1 = site.read(&format!("{ALPHA}/a1.md"));
    assert!(
        a1.contains("R5 = \"→\"") && a1.contains("R5 = \"◎\""),
        "{a1}"
    );
    let run = import(&site, "sheet.csv", &["--force"]);
    run.assert_code(0);
    assert!(
        site.read(&format!("{ALPHA}/a1.md"))
            .contains("R5 = \"電子申請の対象を拡大\""),
        "{run}"
    );
}

#[test]
fn rows_without_their_section_or_id_are_errors_with_their_cell() {
    let site = Site::new();
    let sheet = ",,,,,,続き,○\nt-009,,,9,どこにもない事業,企画課,試行,○\n";
    site.write("map.toml", MAP)
        .write("sheet.csv", &format!("{HEAD}{sheet}"));
    let run = import(&site, "sheet.csv", &[]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("sheet.csv!C3: error: 「t-009」 is new, and no 分野 is named above its row"),
        "{run}"
    );
    assert!(
        run.stderr
            .contains("sheet.csv!A2: error: this row has data but no id"),
        "{run}"
    );
}

/// Every example plan: the sheet `export` writes, imported back through the
/// plan's mapping file in the example content, changes no file; and that
/// mapping file is the one `export --map` writes today.
#[test]
fn export_then_import_of_every_example_plan_changes_nothing() {
    let site = example_copy();
    let before = site.snapshot("content");
    let root = site.root().to_string_lossy().to_string();
    let plans = [
        "akishima-gyozaisei",
        "mitaka-kihon4",
        "mitaka-senryaku",
        "musashino-gyokaku6",
        "musashino-johoka7",
    ];
    for plan in plans {
        let xlsx = site
            .path(&format!("{plan}.xlsx"))
            .to_string_lossy()
            .to_string();
        let map = site
            .path(&format!("{plan}.toml"))
            .to_string_lossy()
            .to_string();
        site.run(&[
            "export", plan, "--xlsx", &xlsx, "--map", &map, "--root", &root,
        ])
        .assert_code(0);
        let committed = format!("content/{plan}/_import.toml");
        assert_eq!(
            site.read(&format!("{plan}.toml")),
            site.read(&committed),
            "{committed} is what `mieruka export {plan} --map` writes"
        );
        let committed = site.path(&committed).to_string_lossy().to_string();
        let run = site.run(&["import", &xlsx, "--map", &committed, "--root", &root]);
        run.assert_code(0);
        assert!(
            run.stdout.contains(" 0 added, 0 changed,")
                || run.stdout.starts_with("0 added, 0 changed,"),
            "{plan}: {run}"
        );
        assert!(run.stdout.contains(", 0 text(s) kept"), "{plan}: {run}");
    }
    assert!(
        site.snapshot("content") == before,
        "the round trip changed files"
    );
}

/// A sheet written here with the xlsx crate from the musashino-gyokaku6
/// plan's files (sections and each project's own cells merged over its
/// schedule lines), with FY2023's statuses taken out of the files first:
/// the import puts them back, and every file is byte-identical to the
/// published one.
#[test]
fn an_xlsx_built_from_an_example_plan_restores_its_files_byte_for_byte() {
    let site = example_copy();
    let plan_dir = site.path("content/musashino-gyokaku6");
    let original = site.snapshot("content");
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    let f = rust_xlsxwriter::Format::new();
    let years = ["R3", "R4", "R5", "R6"];
    let mut row = 1u32;
    let mut emptied = 0;
    for area in sorted_dirs(&plan_dir) {
        let area_first = row;
        for field in sorted_dirs(&area) {
            let field_first = row;
            for file in sorted_files(&field) {
                let text = std::fs::read_to_string(&file).unwrap();
                let front: toml::Table = toml::from_str(text.split("+++").nth(1).unwrap()).unwrap();
                let lines = front
                    .get("schedule")
                    .and_then(|s| s.as_array())
                    .cloned()
                    .unwrap_or_default();
                let last = row + lines.len().max(1) as u32 - 1;
                let own = [
                    (2u16, front["id"].as_str().unwrap()),
                    (3, front["title"].as_str().unwrap()),
                ];
                for (c, v) in own {
                    if last > row {
                        ws.merge_range(row, c, last, c, v, &f).unwrap();
                    } else {
                        ws.write_string(row, c, v).unwrap();
                    }
                }
                for (n, line) in lines.iter().enumerate() {
                    for (y, year) in years.iter().enumerate() {
                        let col = 4 + 2 * y as u16;
                        if let Some(p) = line
                            .get("plan")
                            .and_then(|p| p.get(*year))
                            .and_then(|v| v.as_str())
                        {
                            ws.write_string(row + n as u32, col, p).unwrap();
                        }
                        if let Some(s) = line
                            .get("status")
                            .and_then(|p| p.get(*year))
                            .and_then(|v| v.as_str())
                        {
                            ws.write_string(row + n as u32, col + 1, s).unwrap();
                        }
                    }
                }
                // The files lose their FY2023 statuses (the sheet brings them).
                let (without, n) = drop_status(&text, "R5");
                emptied += n;
                std::fs::write(&file, without).unwrap();
                row = last + 1;
            }
            let title = index_title(&field);
            merge_or_write(ws, field_first, row - 1, 1, &title, &f);
        }
        let title = index_title(&area);
        merge_or_write(ws, area_first, row - 1, 0, &title, &f);
    }
    assert!(emptied > 70, "FY2023 statuses taken out: {emptied}");
    assert_ne!(site.snapshot("content"), original);
    book.save(site.path("gyokaku6.xlsx")).unwrap();
    let mut map = String::from("plan = \"musashino-gyokaku6\"\nfirst_row = 2\n[columns]\nid = \"C\"\ntitle = \"D\"\n[[sections]]\ntitle = \"A\"\n[[sections]]\ntitle = \"B\"\n");
    for (y, year) in years.iter().enumerate() {
        let col = |k: usize| char::from(b'E' + (2 * y + k) as u8);
        map.push_str(&format!(
            "[[years]]\nyear = \"{year}\"\nschedule_plan = \"{}\"\nschedule_status = \"{}\"\n",
            col(0),
            col(1)
        ));
    }
    site.write("map.toml", &map);
    let run = import(&site, "gyokaku6.xlsx", &[]);
    run.assert_code(0);
    assert!(run.stdout.contains("0 added, 7"), "{run}");
    assert!(
        site.snapshot("content") == original,
        "every file is as published again:\n{run}"
    );
}

fn merge_or_write(
    ws: &mut rust_xlsxwriter::Worksheet,
    first: u32,
    last: u32,
    col: u16,
    text: &str,
    f: &rust_xlsxwriter::Format,
) {
    if last > first {
        ws.merge_range(first, col, last, col, text, f).unwrap();
    } else {
        ws.write_string(first, col, text).unwrap();
    }
}

/// `text` without the `year = …` lines of its `[schedule.status]` tables.
fn drop_status(text: &str, year: &str) -> (String, usize) {
    let mut in_status = false;
    let mut dropped = 0;
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        if line.starts_with('[') || line.starts_with("+++") {
            in_status = line.trim() == "[schedule.status]";
        }
        if in_status && line.starts_with(&format!("{year} = ")) {
            dropped += 1;
            continue;
        }
        out.push_str(line);
    }
    (out, dropped)
}

fn index_title(dir: &Path) -> String {
    let text = std::fs::read_to_string(dir.join("_index.md")).unwrap();
    let front: toml::Table = toml::from_str(text.split("+++").nth(1).unwrap()).unwrap();
    front["title"].as_str().unwrap().to_string()
}

fn sorted_dirs(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir() && !p.file_name().unwrap().to_string_lossy().starts_with('_'))
        .collect();
    v.sort();
    v
}

fn sorted_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy().to_string();
            n.ends_with(".md") && !n.ends_with(".en.md") && !n.starts_with('_')
        })
        .collect();
    v.sort();
    v
}

/// The example site's content in a temporary folder.
fn example_copy() -> Site {
    let site = Site::empty();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(&src).unwrap();
        if entry.file_type().is_file() {
            site.write_bytes(
                &format!("content/{}", rel.display()),
                &std::fs::read(entry.path()).unwrap(),
            );
        }
    }
    site
}

/// The site as the import would leave it is checked first: a row that
/// reads fine but makes a file invalid (a status after the programme ended)
/// writes nothing, even with --partial, and names the file and line.
#[test]
fn an_import_that_would_leave_the_site_invalid_writes_nothing() {
    let site = Site::new();
    site.edit(
        &format!("{ALPHA}/a2.md"),
        "departments = [\"企画課\"]\n",
        "departments = [\"企画課\"]\nended = { after = \"R5\", note = \"令和5年度で終了\" }\n",
    );
    site.check().assert_code(0);
    let map = MAP.replace("year = \"R5\"", "year = \"R6\"");
    site.write("map.toml", &map).write(
        "sheet.csv",
        &format!("{HEAD}t-001,1,行政手続のデジタル化,1,電子申請の拡充,情報政策課,,○\nt-002,,,2,窓口のキャッシュレス化,企画課,,○\n"),
    );
    let before = site.snapshot("content");
    for extra in [&[][..], &["--partial"][..]] {
        let run = import(&site, "sheet.csv", extra);
        run.assert_code(1);
        assert!(
            run.stderr.contains("content/plan1/01-alpha/a2.md:")
                && run.stderr.contains("after this import: a status `○` for"),
            "{run}"
        );
        assert!(run.stderr.contains("nothing was written"), "{run}");
        assert_eq!(site.snapshot("content"), before);
    }
}

/// A sheet with a stray cell in its last row and column, or with that and
/// one merged area over the whole sheet, neither exhausts memory nor hangs:
/// the first is read (its rows as long as their last cell), the second is
/// refused as too large, naming the sheet.
#[test]
fn a_sheet_as_large_as_excel_allows_is_read_or_refused_quickly() {
    let site = Site::new();
    site.write("map.toml", MAP);
    let f = rust_xlsxwriter::Format::new();
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.write_string(1, 0, "t-002").unwrap();
    ws.write_string(1, 7, "○").unwrap();
    ws.write_string(1_048_575, 16_383, "stray").unwrap();
    book.save(site.path("far.xlsx")).unwrap();
    let run = import(&site, "far.xlsx", &[]);
    run.assert_code(0);
    assert!(run.stdout.contains("0 added, 1 changed"), "{run}");
    // rust_xlsxwriter writes every cell of a merged area: a small area is
    // written, and its reference widened in the sheet's XML.
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.merge_range(1, 0, 2, 1, "t-002", &f).unwrap();
    ws.write_string(1_048_575, 16_383, "stray").unwrap();
    let small = book.save_to_buffer().unwrap();
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(small)).unwrap();
    let mut zout = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut widened = false;
    for i in 0..zin.len() {
        let mut entry = zin.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let xml = String::from_utf8(bytes).unwrap();
            assert!(xml.contains("<mergeCell ref=\"A2:B3\"/>"), "{xml}");
            widened = true;
            bytes = xml.replace("A2:B3", "A2:XFD1048576").into_bytes();
        }
        zout.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut zout, &bytes).unwrap();
    }
    assert!(widened);
    site.write_bytes("merged.xlsx", &zout.finish().unwrap().into_inner());
    let run = import(&site, "merged.xlsx", &[]);
    run.assert_code(2);
    assert!(run.stderr.contains("sheet `Sheet1` is too large"), "{run}");
}

/// The layout of many printed sheets: a title row, then each section as a
/// heading row of its own (its number in the number column, its title
/// merged across the table), and no id column: rows find their files by
/// title within their section. The new initiative gets the next id.
#[test]
fn heading_rows_merged_across_and_no_id_column() {
    let site = Site::new();
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    let f = rust_xlsxwriter::Format::new();
    ws.merge_range(0, 0, 0, 4, "試験市行財政改革プラン 令和5年度 進捗", &f)
        .unwrap();
    for (c, h) in ["番号", "事業", "担当課", "R5計画", "R5実施状況"]
        .iter()
        .enumerate()
    {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    let row = |ws: &mut rust_xlsxwriter::Worksheet, r: u32, cells: &[&str]| {
        for (c, v) in cells.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r, c as u16, *v).unwrap();
            }
        }
    };
    ws.write_string(2, 0, "1").unwrap();
    ws.merge_range(2, 1, 2, 4, "行政手続のデジタル化", &f)
        .unwrap();
    row(ws, 3, &["1", "電子申請の拡充", "情報政策課", "→", "◎"]);
    row(
        ws,
        4,
        &["2", "窓口のキャッシュレス化", "企画課", "導入", "◎"],
    );
    ws.write_string(5, 0, "2").unwrap();
    ws.merge_range(5, 1, 5, 4, "財政の健全化", &f).unwrap();
    ws.merge_range(6, 0, 7, 0, "3", &f).unwrap();
    ws.merge_range(6, 1, 7, 1, "公共施設の再編", &f).unwrap();
    ws.merge_range(6, 2, 7, 2, "企画課", &f).unwrap();
    row(ws, 6, &["", "", "", "実施", "○"]);
    row(ws, 7, &["", "", "", "活用方針の決定", "△"]);
    row(ws, 8, &["5", "窓口の混雑緩和", "企画課", "試行", "○"]);
    book.save(site.path("sheet.xlsx")).unwrap();
    site.write(
        "map.toml",
        "plan = \"plan1\"\nfirst_row = 3\n[columns]\ncode = \"A\"\ntitle = \"B\"\ndepartments = \"C\"\n\
         [[sections]]\ncode = \"A\"\ntitle = \"B\"\nheading_rows = true\n\
         [[years]]\nyear = \"R5\"\nschedule_plan = \"D\"\nschedule_status = \"E\"\n",
    );
    let run = import(&site, "sheet.xlsx", &[]);
    assert_existing_updated(&site, &run, "△");
    let new = site.read(&format!("{BETA}/005.md"));
    assert!(
        new.starts_with("+++\nid = \"plan1-005\"\ncode = \"5\"\ntitle = \"窓口の混雑緩和\"\n"),
        "{new}"
    );
    assert!(
        !site.path("content/plan1/03").exists(),
        "no section was made"
    );
}

/// A row without an id continues the initiative above only where its other
/// cells are empty or the same: a different status is an error at its
/// cell, not silently lost. Ids differing only in case are refused.
#[test]
fn a_continuation_row_cannot_hide_values_and_ids_are_compared_without_case() {
    let site = Site::new();
    site.write("map.toml", MAP);
    let sheet =
        "t-001,1,行政手続のデジタル化,1,電子申請の拡充,情報政策課,→,◎\n,,,,窓口改善,,試行,○\n";
    site.write("sheet.csv", &format!("{HEAD}{sheet}"));
    let before = site.snapshot("content");
    let run = import(&site, "sheet.csv", &[]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("sheet.csv!E3: error: this row continues 「t-001」 of row 2"),
        "{run}"
    );
    let sheet = "T-001,1,行政手続のデジタル化,1,電子申請の拡充,情報政策課,→,◎\n";
    site.write("sheet.csv", &format!("{HEAD}{sheet}"));
    let run = import(&site, "sheet.csv", &[]);
    run.assert_code(1);
    assert!(run.stderr.contains("sheet.csv!A2: error: no initiative has the id 「T-001」, but 「t-001」 differs only in upper and lower case"), "{run}");
    assert_eq!(site.snapshot("content"), before);
}

/// With heading rows in the initiative's own columns, a new initiative
/// with only a number and a title is an initiative, not a heading.
#[test]
fn a_bare_new_initiative_is_not_taken_for_a_heading_row() {
    let site = Site::new();
    site.write(
        "map.toml",
        "plan = \"plan1\"\nfirst_row = 2\n[columns]\ncode = \"A\"\ntitle = \"B\"\ndepartments = \"C\"\n\
         [[sections]]\ncode = \"A\"\ntitle = \"B\"\nheading_rows = true\n\
         [[years]]\nyear = \"R5\"\nschedule_status = \"D\"\n",
    );
    // The heading row repeats its title over C and D, as a merged cell reads.
    let csv = "番号,事業,担当課,R5\n2,財政の健全化,財政の健全化,財政の健全化\n6,新規事業,,\n3,公共施設の再編,企画課,○\n";
    site.write("sheet.csv", csv);
    let run = import(&site, "sheet.csv", &[]);
    run.assert_code(0);
    assert!(
        run.stdout.contains("1 added, 0 changed, 1 unchanged"),
        "{run}"
    );
    assert!(site
        .read(&format!("{BETA}/005.md"))
        .contains("title = \"新規事業\""));
}

/// Values inside inline arrays (`schedule = [{ … }]`) are written, as
/// `[[schedule]]` tables; a number written without its unit or separators
/// (`target = 12000`) is the same as the sheet's `12,000件`.
#[test]
fn inline_arrays_are_written_and_numbers_compare_by_value() {
    let site = Site::new();
    site.write(
        &format!("{ALPHA}/a2.md"),
        "+++\nid = \"t-002\"\ncode = \"2\"\ntitle = \"窓口のキャッシュレス化\"\ndepartments = [\"企画課\"]\n\
         schedule = [{ plan = { R5 = \"導入\" }, status = { R5 = \"◎\" } }]\n\n\
         [[years.R5.figures]]\nname = \"導入件数\"\nunit = { ja = \"件\", en = \"cases\" }\ntarget = 12000\n+++\n",
    );
    site.check().assert_code(0);
    let map = format!("{MAP}figure_targets = \"I\"\n");
    site.write("map.toml", &map).write(
        "sheet.csv",
        "ID,分野番号,分野,事業番号,事業,担当課,R5計画,R5実施状況,R5目標値\n\
         t-002,1,行政手続のデジタル化,2,窓口のキャッシュレス化,企画課,導入,○,\"導入件数：12,000件\"\n",
    );
    let run = import(&site, "sheet.csv", &[]);
    run.assert_code(0);
    assert!(run.stdout.contains("0 added, 1 changed"), "{run}");
    assert!(
        run.stdout.contains("schedule line 1 R5 status: ◎ → ○)"),
        "{run}"
    );
    let a2 = site.read(&format!("{ALPHA}/a2.md"));
    assert!(
        a2.contains("R5 = \"○\"") && a2.contains("target = 12000"),
        "{a2}"
    );
    site.check().assert_code(0);
}

/// --partial: a failing new initiative in a new section does not leave the
/// section half made for the next one; titles may repeat across sections
/// when there is no id column, but not within one.
#[test]
fn partial_imports_make_whole_sections_and_titles_repeat_across_sections() {
    let site = Site::new();
    let map = MAP.replace("id = \"A\"\n", "");
    site.write("map.toml", &map);
    let sheet = ",3,新分野,1,新事業その一,企画部,試行,○\n,,,2,新事業その二,企画課,試行,○\n,1,行政手続のデジタル化,9,共通事業,企画課,,\n,2,財政の健全化,9,共通事業,企画課,,\n";
    site.write("sheet.csv", &format!("{HEAD}{sheet}"));
    let run = import(&site, "sheet.csv", &["--partial"]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("sheet.csv!F2: error: department 「企画部」"),
        "{run}"
    );
    assert!(run.stdout.contains("3 added"), "{run}");
    assert_eq!(
        site.read("content/plan1/03/_index.md"),
        "+++\ncode = \"3\"\ntitle = \"新分野\"\n+++\n"
    );
    assert!(site
        .read("content/plan1/03/005.md")
        .contains("新事業その二"));
    site.check().assert_code(0);
    let sheet =
        ",1,行政手続のデジタル化,9,同名,企画課,,\n,,,11,別名,企画課,,\n,,,10,同名,企画課,,\n";
    site.write("sheet.csv", &format!("{HEAD}{sheet}"));
    let run = import(&site, "sheet.csv", &[]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("sheet.csv!E4: error: 「同名」 is also on row 2"),
        "{run}"
    );
}

/// A file saved on Windows (BOM, CR LF) keeps both; only the changed line
/// differs.
#[test]
fn a_windows_file_keeps_its_bom_and_line_ends() {
    let site = Site::new();
    let windows = |s: &str| format!("\u{feff}{}", s.replace('\n', "\r\n"));
    site.write(&format!("{ALPHA}/a1.md"), &windows(A1));
    site.write("map.toml", MAP)
        .write("sheet.csv", &format!("{HEAD}{SHEET}"));
    let run = import(&site, "sheet.csv", &[]);
    run.assert_code(0);
    assert_eq!(
        site.read(&format!("{ALPHA}/a1.md")),
        windows(&A1.replacen("R5 = \"○\"", "R5 = \"◎\"", 1))
    );
}

#[test]
fn a_kept_text_is_shown_beside_the_sheets_with_the_difference_marked() {
    // Issue 28, item 16: the `kept` line did not show the two texts, and
    // ― (U+2015) and — (U+2014) look alike.
    let site = Site::new();
    let a1 = site.read(&format!("{ALPHA}/a1.md"));
    site.write(
        &format!("{ALPHA}/a1.md"),
        &a1.replacen("R5 = \"→\"", "R5 = \"システムの導入―試行\"", 1),
    );
    let edited = SHEET.replacen("→,◎", "システムの導入—試行,◎", 1);
    site.write("map.toml", MAP)
        .write("sheet.csv", &format!("{HEAD}{edited}"));
    let run = import(&site, "sheet.csv", &["--dry-run"]);
    run.assert_code(0);
    assert!(run.stdout.contains("file:  システムの導入⟦―⟧試行"), "{run}");
    assert!(run.stdout.contains("sheet: システムの導入⟦—⟧試行"), "{run}");
    assert!(
        run.stdout.contains("differ: 「―」U+2015 → 「—」U+2014"),
        "{run}"
    );
}
