//! Staff tools that write content files, for people who are not
//! programmers: `mieruka init` (a new site from the starter compiled into
//! the binary: every kind of file once, each key commented) and `mieruka
//! new` (one initiative, section or indicator file, pre-filled from its
//! plan: its fiscal years, its scale's allowed values as comments). Neither
//! overwrites a file.

use crate::disk::{self, Folder};
use crate::model::{Plan, Site};
use include_dir::{include_dir, Dir};
use std::path::{Path, PathBuf};

static STARTER: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/src/init/starter");

/// Why nothing was written: the message, with its hint.
#[derive(Debug)]
pub struct Refused(pub String);

/// Writes the starter site into `dir` (created if missing; it must be
/// empty). Returns the files written, from `dir`.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Refused> {
    let (above, name) = Folder::around(dir).map_err(|e| Refused(e.to_string()))?;
    match above.kind(&name).map_err(|e| Refused(e.to_string()))? {
        None => {}
        Some(disk::Kind::File) => {
            return Err(Refused(format!(
                "{} is not a folder\n  hint: give the name of a new folder",
                dir.display()
            )))
        }
        Some(disk::Kind::Folder) => {
            let mut entries = std::fs::read_dir(dir)
                .map_err(|e| Refused(format!("cannot read {}: {e}", dir.display())))?;
            if entries.next().is_some() {
                return Err(Refused(format!(
                    "{} is not empty: init writes a new site only into an empty or new folder\n  hint: run `mieruka init NEW-FOLDER`, e.g. `mieruka init mysite`",
                    dir.display()
                )));
            }
        }
    }
    let mut files = Vec::new();
    write_dir(&STARTER, &above, &name, &mut files)?;
    files.sort();
    Ok(files)
}

fn write_dir(
    d: &Dir<'_>,
    to: &Folder,
    under: &Path,
    out: &mut Vec<PathBuf>,
) -> Result<(), Refused> {
    for f in d.files() {
        write_new(to, &under.join(f.path()), f.contents())?;
        out.push(f.path().to_path_buf());
    }
    for sub in d.dirs() {
        write_dir(sub, to, under, out)?;
    }
    Ok(())
}

/// Writes a file that must not exist yet, creating its folders; never
/// through a link (see [`crate::disk`]).
fn write_new(to: &Folder, rel: &Path, bytes: &[u8]) -> Result<(), Refused> {
    to.write_new(rel, bytes).map_err(|e| match e {
        disk::Error::Exists(path) => Refused(format!(
            "{} already exists: nothing was written\n  hint: choose another id, or edit that file",
            path.display()
        )),
        e => Refused(format!("cannot write {}: {e}", to.path(rel).display())),
    })
}

/// What `mieruka new` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    Plan,
    Initiative,
    Section,
    Indicator,
}

/// Writes a new file of `kind` at `at` (`<plan>/<section>/…/<id>`, a path
/// inside `content/` whose first folder is the plan's folder), pre-filled
/// from the plan. Returns the file written, from the site folder.
pub fn new(root: &Path, site: &Site, kind: Kind, at: &str) -> Result<PathBuf, Refused> {
    let at = at.trim_matches('/').replace('\\', "/");
    let parts: Vec<&str> = at.split('/').collect();
    let bad = |m: &str| Refused(format!("`{at}`: {m}"));
    if kind == Kind::Plan {
        return new_plan(root, site, &at);
    }
    if parts.len() < 2 || parts.iter().any(|p| p.is_empty()) {
        return Err(bad("give the plan's folder, the sections and the new id, e.g. `new initiative plan/01-area/i-002`"));
    }
    let id = parts[parts.len() - 1];
    if let Some((why, hint)) = crate::content::slug_problem("id", id) {
        return Err(bad(&format!("{why}\n  hint: {hint}")));
    }
    let plan_dir = Path::new("content").join(parts[0]);
    let Some(p) = site
        .plans
        .iter()
        .position(|p| p.path.parent() == Some(plan_dir.as_path()))
    else {
        let dirs: Vec<String> = site
            .plans
            .iter()
            .filter_map(|p| {
                p.path
                    .parent()?
                    .file_name()
                    .map(|n| n.to_string_lossy().to_string())
            })
            .collect();
        return Err(bad(&format!(
            "no plan folder `{}` in content/ (plans: {})",
            parts[0],
            dirs.join(", ")
        )));
    };
    let plan = &site.plans[p];
    let folders = &parts[1..parts.len() - 1];
    let levels = plan.levels.len();
    let (file, text) = match kind {
        Kind::Initiative => {
            if folders.len() != levels - 1 {
                return Err(bad(&format!(
                    "the plan has {levels} levels, so an initiative is {} folder(s) below the plan folder",
                    levels - 1
                )));
            }
            if site.initiatives.iter().any(|i| i.id == id) {
                return Err(bad("an initiative with this id exists already"));
            }
            (format!("{at}.md"), initiative(site, plan, id))
        }
        Kind::Section => {
            if folders.len() + 1 >= levels {
                return Err(bad(&format!(
                    "the plan has {levels} levels, so sections are at most {} folder(s) deep",
                    levels - 1
                )));
            }
            (format!("{at}/_index.md"), section(plan, folders.len() + 1))
        }
        Kind::Indicator => {
            if folders != ["indicators"] {
                return Err(bad(&format!(
                    "indicators are in the plan's indicators/ folder: `{}/indicators/{id}`",
                    parts[0]
                )));
            }
            if site.indicators.iter().any(|i| i.id == id && i.plan == p) {
                return Err(bad("an indicator with this id exists already"));
            }
            (format!("{at}.md"), indicator(plan, id))
        }
        Kind::Plan => return new_plan(root, site, &at),
    };
    let rel = Path::new("content").join(file);
    write_new(&Folder::new(root), &rel, text.as_bytes())?;
    Ok(rel)
}

/// A new plan folder `content/<id>/`: its `_plan.md` from the starter
/// (levels, one status scale, each key commented) and an `_import.toml`
/// to fill in for `mieruka import`.
fn new_plan(root: &Path, site: &Site, id: &str) -> Result<PathBuf, Refused> {
    let bad = |m: &str| Refused(format!("`{id}`: {m}"));
    if id.contains('/') {
        return Err(bad(
            "a plan is a folder directly in content/: give its id only, e.g. `new plan gyokaku7`",
        ));
    }
    if let Some((why, hint)) = crate::content::slug_problem("id", id) {
        return Err(bad(&format!("{why}\n  hint: {hint}")));
    }
    if site.plans.iter().any(|p| p.id == id) {
        return Err(bad("a plan with this id exists already"));
    }
    let municipality = site
        .municipalities
        .first()
        .map_or("mycity", |m| m.id.as_str());
    let starter = STARTER
        .get_file("content/plan/_plan.md")
        .and_then(|f| f.contents_utf8())
        .unwrap_or_default();
    let text = starter
        .replacen("id = \"plan\"", &format!("id = \"{id}\""), 1)
        .replacen(
            "municipality = \"mycity\"",
            &format!("municipality = \"{municipality}\""),
            1,
        )
        .replacen("address: /plan/", &format!("address: /{id}/"), 1)
        // Not the starter plan's name: two plans of one name on the home page.
        .replacen(
            "title = \"○○市行財政改革アクションプラン\"",
            &format!("title = \"新しい計画（{id}）\"                # the plan's name, as its report prints it"),
            1,
        )
        .replacen("short_title = \"行革プラン\"", &format!("short_title = \"{id}\""), 1);
    let dir = Path::new("content").join(id);
    let rel = dir.join("_plan.md");
    write_new(&Folder::new(root), &rel, text.as_bytes())?;
    let map = IMPORT_TEMPLATE.replace("{id}", id);
    write_new(
        &Folder::new(root),
        &dir.join(crate::content::IMPORT_MAP),
        map.as_bytes(),
    )?;
    Ok(rel)
}

/// The mapping file `new plan` writes: every key, commented.
const IMPORT_TEMPLATE: &str = r#"# How the columns of your progress sheet (進捗管理シート) map to this plan:
#   mieruka import SHEET.xlsx --map content/{id}/_import.toml
# Columns are named as Excel shows them ("A", "F", "AB"). Leave out what
# your sheet does not have. `mieruka export {id} --xlsx out.xlsx --map m.toml`
# writes a sheet and its mapping, to start from.
plan = "{id}"
# sheet = "Sheet1"      # the sheet to read (the first one if left out)
first_row = 2           # the row number of the first data row (the rows above are headings)

[columns]
id = "A"                # the initiative's id: how rows find their files (new files get this name)
code = "D"              # its number as printed (optional)
title = "E"
departments = "F"       # 担当課, several separated by 、

# One [[sections]] per level above the initiative, top down: a merged or
# empty cell means the same section as the row above; a row with only a
# section in it is a heading row.
[[sections]]
code = "B"              # optional
title = "C"
# heading_rows = true   # when sections are heading rows of their own, their
#                       # title merged across the table: then code and title
#                       # may be the initiative's own columns

# One [[years]] per fiscal year that has columns. Keys: status (the year's
# status), target, result, phase, reason, schedule_plan and schedule_status
# (one schedule line per row), figure_targets and figure_actuals (one
# figure per line, 名前：値).
[[years]]
year = "R6"
target = "G"
status = "H"
result = "I"
"#;

/// The scale that rates initiatives or schedule rows, as comment lines
/// listing its values.
fn allowed(plan: &Plan) -> (Option<&crate::model::Scale>, String) {
    let scale = plan.scales.iter().find(|s| {
        matches!(
            s.applies_to,
            crate::model::AppliesTo::Initiative | crate::model::AppliesTo::Schedule
        )
    });
    let text = scale.map_or_else(String::new, |s| {
        let values: Vec<String> = s
            .values
            .iter()
            .map(|v| format!("{} {}", v.symbols.join(" / "), v.label.ja))
            .collect();
        format!("# {}: {}\n", s.name.ja, values.join(", "))
    });
    (scale, text)
}

fn initiative(site: &Site, plan: &Plan, id: &str) -> String {
    let (scale, values) = allowed(plan);
    let schedule = scale.is_some_and(|s| s.applies_to == crate::model::AppliesTo::Schedule);
    let names: Vec<&str> = site
        .departments
        .iter()
        .filter(|d| d.municipality == plan.municipality)
        .map(|d| d.name.ja.as_str())
        .take(12)
        .collect();
    let mut s = format!(
        "+++\nid = \"{id}\"\n# code = \"\"                          # its number as printed in the report\ntitle = \"\"\ndepartments = []                     # e.g. [\"{}\"]: names from content/departments/\n# ({})\n# source = {{ page = 1 }}\n\n{values}# Years after the reporting year ({}) are planned only: leave their status out.\n",
        names.first().copied().unwrap_or("…課"),
        names.join("、"),
        plan.reporting_year.key()
    );
    if schedule {
        s.push_str("\n[[schedule]]\n# label = \"\"                        # optional: what this row of the annual plan is about\n[schedule.plan]\n");
        for y in plan.years() {
            s.push_str(&format!("{} = \"\"\n", y.key()));
        }
        s.push_str("[schedule.status]\n");
        for y in plan.reported_years() {
            s.push_str(&format!("# {} = \"\"\n", y.key()));
        }
        for y in plan.years() {
            s.push_str(&format!("\n# [years.{}]\n# result = \"\"\n", y.key()));
        }
    } else {
        for y in plan.years() {
            s.push_str(&format!("\n[years.{}]\ntarget = \"\"\n", y.key()));
            if !plan.is_future(y) && scale.is_some() {
                s.push_str("# status = \"\"\n# result = \"\"\n");
            }
        }
    }
    s.push_str("+++\n## 課題・目的\n\n");
    s
}

fn section(plan: &Plan, level: usize) -> String {
    let name = plan.levels.get(level - 1).map_or("", |l| l.ja.as_str());
    format!("+++\n# A section: {name}\ncode = \"\"\ntitle = \"\"\n+++\n")
}

fn indicator(plan: &Plan, id: &str) -> String {
    format!(
        "+++\nid = \"{id}\"\nname = \"\"\n# unit = {{ ja = \"件\", en = \"cases\" }}\n# initiative = \"\"                   # the id of the initiative it measures\ndirection = \"higher\"                 # higher | lower | keep: which way is better\n# baseline = {{ year = \"{}\", value = \"\" }}\n\n# [[observations]]\n# year = \"{}\"\n# value = \"\"\n\n# [target]\n# year = \"{}\"\n# value = \"\"\n+++\n",
        plan.first_year.key(),
        plan.reporting_year.key(),
        plan.last_year.key()
    )
}
