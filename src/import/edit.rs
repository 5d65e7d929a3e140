//! One initiative's rows written into its front matter, in place: toml_edit
//! keeps every comment, key order and quoting style staff chose, and a
//! value is written only when the sheet says something else. Statuses,
//! codes, departments and figures are data and follow the sheet; titles,
//! targets, results and schedule texts are narrative: filled in when the
//! file has none, replaced only with `--force`.

use super::map::Map;
use super::rows::Record;
use super::Problem;
use crate::model::{AppliesTo, FiscalYear, Scale, Site};
use crate::sheet::Grid;
use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, Value};

/// What the import reads and how it decides.
pub(crate) struct Ctx<'a> {
    pub site: &'a Site,
    pub plan: usize,
    pub map: &'a Map,
    pub grid: &'a Grid,
    pub force: bool,
}

impl Ctx<'_> {
    /// A cell's text, trimmed; `None` when empty, or when it holds an
    /// Excel error (reported).
    fn cell(&self, row: usize, c: usize, problems: &mut Vec<Problem>) -> Option<String> {
        if let Some(e) = self.grid.error(row, c) {
            problems.push(Problem::at(
                self.grid.name(row, c),
                format!("the cell holds the error {e}, not a value"),
                Some("fix the formula, or type the value".into()),
            ));
            return None;
        }
        let t = self.grid.get(row, c).trim();
        (!t.is_empty()).then(|| t.to_string())
    }
}

/// What changed in one file, and what was left alone.
#[derive(Debug, Default)]
pub(crate) struct Edit {
    pub changed: Vec<String>,
    pub kept: Vec<String>,
}

/// Where a value lives in the front matter.
enum At<'a> {
    Root(&'a str),
    Year(FiscalYear, &'a str),
    /// Line `n` of the schedule, its `plan` or `status` table, a year.
    Schedule(usize, &'a str, FiscalYear),
    /// A figure of a year, by name: its `target` or `actual`.
    Figure(FiscalYear, &'a str, &'a str),
}

impl At<'_> {
    fn label(&self) -> String {
        match self {
            At::Root(k) => (*k).to_string(),
            At::Year(y, k) => format!("{} {k}", y.key()),
            At::Schedule(n, part, y) => format!("schedule line {} {} {part}", n + 1, y.key()),
            At::Figure(y, name, k) => format!("{} figure 「{name}」 {k}", y.key()),
        }
    }
}

/// How a value is compared and when it may be replaced.
#[derive(Clone, Copy)]
enum Kind<'a> {
    Text,
    Data,
    Status(&'a Scale),
}

/// Applies the record's cells to `doc`.
pub(crate) fn apply(
    ctx: &Ctx,
    rec: &Record,
    doc: &mut DocumentMut,
    edit: &mut Edit,
    problems: &mut Vec<Problem>,
) {
    let map = ctx.map;
    let r = rec.rows[0];
    if let Some(c) = map.code {
        if let Some(v) = ctx.cell(r, c, problems) {
            update(ctx, doc, At::Root("code"), &v, Kind::Data, (r, c), edit);
        }
    }
    if let Some(v) = ctx.cell(r, map.title, problems) {
        let at = (r, map.title);
        update(ctx, doc, At::Root("title"), &v, Kind::Text, at, edit);
    }
    if let Some(c) = map.departments {
        if let Some(v) = ctx.cell(r, c, problems) {
            departments(ctx, doc, &v, (r, c), edit, problems);
        }
    }
    for y in &map.years {
        apply_year(ctx, r, y, doc, edit, problems);
        for (col, key) in [(y.figure_targets, "target"), (y.figure_actuals, "actual")] {
            if let Some(c) = col {
                apply_figures(ctx, (r, c), y.year(), key, doc, edit, problems);
            }
        }
        apply_schedule(ctx, rec, y, doc, edit, problems);
    }
}

/// A year's own values, in the order a report reads: phase, target,
/// status, result, reason.
fn apply_year(
    ctx: &Ctx,
    r: usize,
    y: &super::map::YearColumns,
    doc: &mut DocumentMut,
    edit: &mut Edit,
    problems: &mut Vec<Problem>,
) {
    let plan = &ctx.site.plans[ctx.plan];
    let scale = plan
        .scale_for(AppliesTo::Initiative)
        .map(|s| &plan.scales[s]);
    for (col, key) in [
        (y.phase, "phase"),
        (y.target, "target"),
        (y.status, "status"),
        (y.result, "result"),
        (y.reason, "reason"),
    ] {
        let Some(c) = col else { continue };
        let Some(v) = ctx.cell(r, c, problems) else {
            continue;
        };
        let kind = match (key, scale) {
            ("status", Some(scale)) if status_ok(ctx, scale, &v, (r, c), problems) => {
                Kind::Status(scale)
            }
            ("status", _) => continue,
            _ => Kind::Text,
        };
        update(ctx, doc, At::Year(y.year(), key), &v, kind, (r, c), edit);
    }
}

/// A cell of figures, one per line as `名前：値`: their `key` (target or
/// actual) in year `fy`.
fn apply_figures(
    ctx: &Ctx,
    (r, c): (usize, usize),
    fy: FiscalYear,
    key: &str,
    doc: &mut DocumentMut,
    edit: &mut Edit,
    problems: &mut Vec<Problem>,
) {
    let Some(v) = ctx.cell(r, c, problems) else {
        return;
    };
    let names = figure_names(doc, fy);
    for line in v.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match split_figure(line, &names) {
            Some((name, value)) if !name.trim().is_empty() => {
                let (name, value) = (name.trim(), value.trim());
                if !value.is_empty() {
                    let at = At::Figure(fy, name, key);
                    update(ctx, doc, at, value, Kind::Data, (r, c), edit);
                }
            }
            _ => problems.push(Problem::at(
                ctx.grid.name(r, c),
                format!("「{line}」 is not a figure: write one per line as 名前：値"),
                Some("e.g. オンラインによる手続き：400件".into()),
            )),
        }
    }
}

/// The schedule lines of year `y`: one per row of the record.
fn apply_schedule(
    ctx: &Ctx,
    rec: &Record,
    y: &super::map::YearColumns,
    doc: &mut DocumentMut,
    edit: &mut Edit,
    problems: &mut Vec<Problem>,
) {
    let plan = &ctx.site.plans[ctx.plan];
    let scale = plan.scale_for(AppliesTo::Schedule).map(|s| &plan.scales[s]);
    let fy = y.year();
    for (n, &row) in rec.rows.iter().enumerate() {
        if let Some(c) = y.schedule_plan {
            if let Some(v) = ctx.cell(row, c, problems) {
                let at = At::Schedule(n, "plan", fy);
                update(ctx, doc, at, &v, Kind::Text, (row, c), edit);
            }
        }
        if let (Some(c), Some(scale)) = (y.schedule_status, scale) {
            if let Some(v) = ctx.cell(row, c, problems) {
                if status_ok(ctx, scale, &v, (row, c), problems) {
                    let at = At::Schedule(n, "status", fy);
                    update(ctx, doc, at, &v, Kind::Status(scale), (row, c), edit);
                }
            }
        }
    }
}

fn status_ok(
    ctx: &Ctx,
    scale: &Scale,
    typed: &str,
    (r, c): (usize, usize),
    problems: &mut Vec<Problem>,
) -> bool {
    match crate::content::resolve_status(scale, typed) {
        Ok(_) => true,
        Err(hint) => {
            problems.push(Problem::at(
                ctx.grid.name(r, c),
                format!(
                    "「{typed}」 is not a value of the scale {} ({})",
                    scale.name.ja, scale.key
                ),
                Some(format!(
                    "{hint}; or add it to the scale's `symbols` in _plan.md"
                )),
            ));
            false
        }
    }
}

/// The names of the figures of year `y` in the file.
fn figure_names(doc: &DocumentMut, y: FiscalYear) -> Vec<String> {
    let Some(years) = doc.get("years").and_then(Item::as_table_like) else {
        return Vec::new();
    };
    let Some(year) = year_key_in(years, y).and_then(|k| years.get(&k)?.as_table_like()) else {
        return Vec::new();
    };
    year.get("figures").map_or_else(Vec::new, |f| {
        tables(f)
            .into_iter()
            .filter_map(|t| Some(t.get("name")?.as_str()?.trim().to_string()))
            .collect()
    })
}

/// `名前：値` split at the colon after a figure name the file has (a name
/// may hold a colon itself), else at the first colon.
fn split_figure<'l>(line: &'l str, names: &[String]) -> Option<(&'l str, &'l str)> {
    let known = names
        .iter()
        .filter_map(|n| {
            let rest = line.strip_prefix(n.as_str())?;
            let value = rest.strip_prefix('：').or_else(|| rest.strip_prefix(':'))?;
            Some((&line[..n.len()], value))
        })
        .max_by_key(|(n, _)| n.len());
    known.or_else(|| line.split_once('：').or_else(|| line.split_once(':')))
}

/// `value`'s text as the sheet would show it.
fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => s.value().clone(),
        Value::Integer(i) => i.value().to_string(),
        Value::Float(f) => crate::sheet::number_text(*f.value()),
        Value::Boolean(b) => b.value().to_string(),
        other => other.to_string().trim().to_string(),
    }
}

fn same_text(a: &str, b: &str) -> bool {
    let n = |s: &str| s.replace("\r\n", "\n").trim().to_string();
    n(a) == n(b)
}

/// Decides and writes one value.
fn update(
    ctx: &Ctx,
    doc: &mut DocumentMut,
    at: At,
    new: &str,
    kind: Kind,
    (r, c): (usize, usize),
    edit: &mut Edit,
) {
    let old = get(doc, &at).cloned();
    let old_text = old.as_ref().map(shown);
    let same = match (&old_text, kind) {
        (None, _) => false,
        (Some(o), Kind::Status(scale)) => {
            let v = |t: &str| crate::content::resolve_status(scale, t).ok();
            v(o).is_some() && v(o) == v(new)
        }
        (Some(o), Kind::Data) => same_text(o, new) || same_number(old.as_ref(), new),
        (Some(o), _) => same_text(o, new),
    };
    if same {
        return;
    }
    if let (Some(o), Kind::Text) = (&old_text, kind) {
        if !o.trim().is_empty() && !ctx.force {
            edit.kept.push(format!(
                "{}: the sheet ({}) says something else; your text is kept (--force replaces it)\n{}",
                at.label(),
                ctx.grid.name(r, c),
                texts_apart(o, new)
            ));
            return;
        }
    }
    let value = match (&old, kind) {
        (Some(Value::Integer(_)), Kind::Data) if new.parse::<i64>().is_ok() => {
            Value::from(new.parse::<i64>().unwrap_or(0))
        }
        (Some(Value::Float(_)) | Some(Value::Integer(_)), Kind::Data)
            if new.parse::<f64>().is_ok() =>
        {
            Value::from(new.parse::<f64>().unwrap_or(0.0))
        }
        _ => text_value(new),
    };
    if !set(doc, &at, value) {
        return;
    }
    edit.changed.push(match &old_text {
        Some(o) if matches!(kind, Kind::Status(_) | Kind::Data) => {
            format!("{}: {o} → {new}", at.label())
        }
        Some(_) => format!("{}: replaced", at.label()),
        None => format!("{}: {}", at.label(), short(new)),
    });
}

/// Whether the cell `new` says the number `old` (a TOML number): `12,000件`
/// as export prints `12000`, `5.0` or `+5` for `5`.
fn same_number(old: Option<&Value>, new: &str) -> bool {
    let old = match old {
        Some(Value::Integer(i)) => *i.value() as f64,
        Some(Value::Float(f)) => *f.value(),
        _ => return false,
    };
    match crate::model::value::Reading::parse(new).value {
        crate::model::value::Value::Number(q) => q.number == old && !q.approx,
        _ => false,
    }
}

fn short(s: &str) -> String {
    let line = s.lines().next().unwrap_or("");
    let cut: String = line.chars().take(30).collect();
    if cut.len() < s.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

/// A TOML string value; text of several lines as a `'''` block when it can be.
pub(crate) fn text_value(s: &str) -> Value {
    let literal_ok =
        !s.contains("'''") && !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t');
    if s.contains('\n') && literal_ok {
        if let Ok(v) = format!("'''\n{s}'''").parse::<Value>() {
            return v;
        }
    }
    Value::from(s)
}

/// The key of `t` that names fiscal year `y`, as staff wrote it.
fn year_key_in(t: &dyn toml_edit::TableLike, y: FiscalYear) -> Option<String> {
    t.iter()
        .map(|(k, _)| k)
        .find(|k| FiscalYear::parse(k) == Some(y))
        .map(str::to_string)
}

fn get<'d>(doc: &'d DocumentMut, at: &At) -> Option<&'d Value> {
    let root = doc.as_table();
    let year_of = |t: &'d dyn toml_edit::TableLike, y: FiscalYear| -> Option<&'d Item> {
        t.get(&year_key_in(t, y)?)
    };
    match at {
        At::Root(k) => root.get(k)?.as_value(),
        At::Year(y, k) => {
            let years = root.get("years")?.as_table_like()?;
            year_of(years, *y)?.as_table_like()?.get(k)?.as_value()
        }
        At::Schedule(n, part, y) => {
            let lines = tables(root.get("schedule")?);
            year_of(lines.get(*n)?.get(part)?.as_table_like()?, *y)?.as_value()
        }
        At::Figure(y, name, k) => {
            let years = root.get("years")?.as_table_like()?;
            let figures = tables(year_of(years, *y)?.as_table_like()?.get("figures")?);
            figures
                .into_iter()
                .find(|f| f.get("name").and_then(Item::as_str).map(str::trim) == Some(*name))?
                .get(k)?
                .as_value()
        }
    }
}

/// The tables of `[[key]]` tables or of an array of inline tables.
fn tables(item: &Item) -> Vec<&dyn toml_edit::TableLike> {
    if let Some(a) = item.as_array_of_tables() {
        return a.iter().map(|t| t as &dyn toml_edit::TableLike).collect();
    }
    item.as_array().map_or_else(Vec::new, |a| {
        a.iter()
            .filter_map(|v| v.as_inline_table().map(|t| t as &dyn toml_edit::TableLike))
            .collect()
    })
}

/// `t[key]` as `[[key]]` tables: an array of inline tables is made one
/// (its key's `key = ` spacing dropped).
fn array_of_tables<'t>(t: &'t mut Table, key: &str) -> Option<&'t mut ArrayOfTables> {
    let item = t
        .entry(key)
        .or_insert_with(|| Item::ArrayOfTables(ArrayOfTables::new()));
    if item.as_array().is_some() {
        match std::mem::take(item).into_array_of_tables() {
            Ok(a) => {
                *item = Item::ArrayOfTables(a);
                if let Some(mut k) = t.key_mut(key) {
                    k.fmt();
                }
            }
            Err(same) => *item = same,
        }
    }
    t.get_mut(key)?.as_array_of_tables_mut()
}

/// The table under `key` of `t`, made (as a `[header]` table) if missing.
fn sub_table<'t>(t: &'t mut Table, key: &str, implicit: bool) -> &'t mut Table {
    let item = t.entry(key).or_insert_with(|| {
        let mut n = Table::new();
        n.set_implicit(implicit);
        Item::Table(n)
    });
    if item.as_table().is_none() {
        // An inline table: made a [header] table, keeping its values.
        if let Some(inline) = item.as_inline_table().cloned() {
            *item = Item::Table(inline.into_table());
        } else {
            *item = Item::Table(Table::new());
        }
    }
    item.as_table_mut().expect("made a table above")
}

fn year_table(t: &mut Table, y: FiscalYear, implicit: bool) -> &mut Table {
    let key = year_key_in(t, y).unwrap_or_else(|| y.key());
    sub_table(t, &key, implicit)
}

/// Writes `value` at `at`, keeping the old value's comments and spacing.
/// Returns whether it was written (not when `at` is inside something that
/// is not a table).
fn set(doc: &mut DocumentMut, at: &At, mut value: Value) -> bool {
    let root = doc.as_table_mut();
    let (table, key): (&mut Table, String) = match at {
        At::Root(k) => (root, (*k).to_string()),
        At::Year(y, k) => {
            let years = sub_table(root, "years", true);
            (year_table(years, *y, false), (*k).to_string())
        }
        At::Schedule(n, part, y) => {
            let Some(lines) = array_of_tables(root, "schedule") else {
                return false;
            };
            while lines.len() <= *n {
                lines.push(Table::new());
            }
            let Some(line) = lines.get_mut(*n) else {
                return false;
            };
            let t = sub_table(line, part, false);
            let key = year_key_in(t, *y).unwrap_or_else(|| y.key());
            (t, key)
        }
        At::Figure(y, name, k) => {
            let years = sub_table(root, "years", true);
            let year = year_table(years, *y, false);
            let Some(figures) = array_of_tables(year, "figures") else {
                return false;
            };
            let found = figures
                .iter()
                .position(|f| f.get("name").and_then(Item::as_str).map(str::trim) == Some(*name));
            let i = found.unwrap_or_else(|| {
                let mut f = Table::new();
                f.insert("name", toml_edit::value(*name));
                figures.push(f);
                figures.len() - 1
            });
            let Some(f) = figures.get_mut(i) else {
                return false;
            };
            (f, (*k).to_string())
        }
    };
    if let Some(old) = table.get(&key).and_then(Item::as_value) {
        *value.decor_mut() = old.decor().clone();
    }
    table.insert(&key, Item::Value(value));
    true
}

/// `departments`: the names in the cell (separated by 、 , or new lines),
/// each in the municipality's department list.
fn departments(
    ctx: &Ctx,
    doc: &mut DocumentMut,
    cell: &str,
    (r, c): (usize, usize),
    edit: &mut Edit,
    problems: &mut Vec<Problem>,
) {
    let plan = &ctx.site.plans[ctx.plan];
    let ours = || {
        ctx.site
            .departments
            .iter()
            .enumerate()
            .filter(|(_, d)| d.municipality == plan.municipality)
    };
    let find = |name: &str| {
        ours()
            .find(|(_, d)| {
                d.name.ja == name || d.id == name || d.formerly.iter().any(|(f, _)| f == name)
            })
            .map(|(i, _)| i)
    };
    let names: Vec<&str> = cell
        .split(['、', ',', '，', '\n'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .collect();
    let mut new = Vec::new();
    let mut ok = true;
    for n in &names {
        match find(n) {
            Some(i) => new.push(i),
            None => {
                ok = false;
                let known: Vec<&str> = ours().map(|(_, d)| d.name.ja.as_str()).collect();
                problems.push(Problem::at(
                    ctx.grid.name(r, c),
                    format!(
                        "department 「{n}」 is not in the department list of this municipality"
                    ),
                    Some(
                        match crate::diagnostics::did_you_mean(n, known.iter().copied()) {
                            Some(s) => format!(
                                "did you mean 「{s}」? (or add 「{n}」 to content/departments/)"
                            ),
                            None => format!(
                                "add 「{n}」 to the municipality's file in content/departments/"
                            ),
                        },
                    ),
                ));
            }
        }
    }
    if !ok {
        return;
    }
    let old: Option<Vec<String>> = doc.get("departments").and_then(Item::as_array).map(|a| {
        a.iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    });
    let old_ids: Option<Vec<usize>> = old
        .as_ref()
        .map(|o| o.iter().filter_map(|n| find(n.trim())).collect());
    if old_ids.as_ref() == Some(&new) {
        return;
    }
    let mut array = toml_edit::Array::from_iter(names.iter().copied());
    if let Some(v) = doc.get("departments").and_then(Item::as_value) {
        *array.decor_mut() = v.decor().clone();
    }
    edit.changed.push(match old {
        Some(o) => format!("departments: {} → {}", o.join("、"), names.join("、")),
        None => format!("departments: {}", names.join("、")),
    });
    doc.insert("departments", Item::Value(Value::Array(array)));
}

/// The file's text and the sheet's, one under the other, with what differs
/// between them marked ⟦…⟧ and, where it is a few characters, named by code
/// point: — and ― look alike.
pub(crate) fn texts_apart(file: &str, sheet: &str) -> String {
    use similar::{ChangeTag, TextDiff};
    let diff = TextDiff::from_chars(file, sheet);
    let (mut a, mut b) = (String::new(), String::new());
    let mut named: Vec<String> = Vec::new();
    let (mut del, mut ins) = (String::new(), String::new());
    let mut flush = |a: &mut String, b: &mut String, del: &mut String, ins: &mut String| {
        if !del.is_empty() {
            a.push_str(&format!("⟦{del}⟧"));
        }
        if !ins.is_empty() {
            b.push_str(&format!("⟦{ins}⟧"));
        }
        if (!del.is_empty() || !ins.is_empty())
            && del.chars().count() <= 3
            && ins.chars().count() <= 3
        {
            let code = |t: &str| {
                t.chars()
                    .map(|c| format!("「{c}」U+{:04X}", u32::from(c)))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let (d, i) = (code(del), code(ins));
            named.push(match (d.is_empty(), i.is_empty()) {
                (false, false) => format!("{d} → {i}"),
                (false, true) => format!("{d} → nothing"),
                _ => format!("nothing → {i}"),
            });
        }
        del.clear();
        ins.clear();
    };
    for change in diff.iter_all_changes() {
        let v = change.value();
        match change.tag() {
            ChangeTag::Delete => del.push_str(v),
            ChangeTag::Insert => ins.push_str(v),
            ChangeTag::Equal => {
                flush(&mut a, &mut b, &mut del, &mut ins);
                a.push_str(v);
                b.push_str(v);
            }
        }
    }
    flush(&mut a, &mut b, &mut del, &mut ins);
    let short = |t: &str| crate::diagnostics::shorten(&t.replace('\n', "⏎"), 120);
    let mut out = format!(
        "           file:  {}\n           sheet: {}",
        short(&a),
        short(&b)
    );
    if !named.is_empty() {
        named.truncate(5);
        out.push_str(&format!("\n           differ: {}", named.join(", ")));
    }
    out
}
