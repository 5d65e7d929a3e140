//! Finding or making the file of each initiative the sheet names: an
//! existing file (by id, or by title within its section) edited in place,
//! or a new file, with the new section folders it needs. A record that
//! fails takes nothing: no id, file or section is reserved for it.

use super::{edit, rows, FileChange, Problem};
use crate::model::Site;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

pub(super) enum Planned {
    Unchanged,
    Write {
        change: FileChange,
        edit: edit::Edit,
        new_sections: Vec<FileChange>,
    },
}

/// Finds or makes the file of each record.
pub(super) struct Planner<'a> {
    root: &'a Path,
    site: &'a Site,
    plan: usize,
    /// Sections made by this import: their chain of keys → folder.
    new_sections: BTreeMap<Vec<(Option<String>, String)>, PathBuf>,
    /// Files and ids taken (lower-cased: Windows and macOS do not tell
    /// `A-1.md` from `a-1.md`).
    taken_files: HashSet<String>,
    taken_ids: HashSet<String>,
}

impl<'a> Planner<'a> {
    pub(super) fn new(root: &'a Path, site: &'a Site, plan: usize) -> Self {
        Planner {
            root,
            site,
            plan,
            new_sections: BTreeMap::new(),
            taken_files: HashSet::new(),
            taken_ids: site
                .initiatives
                .iter()
                .map(|i| i.id.to_lowercase())
                .collect(),
        }
    }

    pub(super) fn record(
        &mut self,
        ctx: &edit::Ctx,
        rec: &rows::Record,
        at: &str,
        problems: &mut Vec<Problem>,
    ) -> Option<Planned> {
        let site = self.site;
        let existing = if ctx.map.id.is_some() {
            let found = site.initiatives.iter().find(|i| i.id == rec.identity);
            if let Some(i) = found.filter(|i| i.plan != self.plan) {
                problems.push(Problem::at(
                    at.to_string(),
                    format!(
                        "id 「{}」 is an initiative of plan {}",
                        i.id, site.plans[i.plan].id
                    ),
                    Some("ids are unique across the site: give this row another id".into()),
                ));
                return None;
            }
            if found.is_none() {
                let lower = rec.identity.to_lowercase();
                if let Some(i) = site
                    .initiatives
                    .iter()
                    .find(|i| i.id.to_lowercase() == lower)
                {
                    problems.push(Problem::at(
                        at.to_string(),
                        format!("no initiative has the id 「{}」, but 「{}」 differs only in upper and lower case", rec.identity, i.id),
                        Some(format!("write it as {}: on Windows both would be one file", i.id)),
                    ));
                    return None;
                }
            }
            found
        } else {
            let sections = self.find_sections(rec);
            let matches: Vec<&crate::model::Initiative> = site
                .initiatives
                .iter()
                .filter(|i| i.plan == self.plan)
                .filter(|i| {
                    i.title.ja.trim() == rec.identity
                        && (rec.sections.is_empty()
                            || sections.last().copied().flatten() == i.section)
                })
                .collect();
            if matches.len() > 1 {
                problems.push(Problem::at(
                    at.to_string(),
                    format!(
                        "{} initiatives of the plan are titled 「{}」: the row cannot tell which",
                        matches.len(),
                        rec.identity
                    ),
                    Some(
                        "add an id column to the sheet and map it (`id = \"A\"` under [columns])"
                            .into(),
                    ),
                ));
                return None;
            }
            matches.first().copied()
        };
        if let Some(i) = existing {
            return self.update(ctx, rec, &i.path, problems);
        }
        self.create(ctx, rec, at, problems)
    }

    fn update(
        &mut self,
        ctx: &edit::Ctx,
        rec: &rows::Record,
        path: &Path,
        problems: &mut Vec<Problem>,
    ) -> Option<Planned> {
        let shown = path.display().to_string().replace('\\', "/");
        // Read as the loader reads it (a regular file inside the site), and
        // split by the loader's own `split`; the BOM is put back on writing.
        let bytes = match crate::content::read_inside(self.root, &self.root.join(path)) {
            Ok(b) => b,
            Err(e) => {
                problems.push(Problem::at(shown, e.message, Some(e.hint.into())));
                return None;
            }
        };
        let Ok(original) = String::from_utf8(bytes) else {
            problems.push(Problem::at(shown, "not UTF-8 text", None));
            return None;
        };
        let bom = if original.starts_with('\u{feff}') {
            "\u{feff}"
        } else {
            ""
        };
        let text = original[bom.len()..].replace("\r\n", "\n");
        let mut ignored = crate::diagnostics::Diagnostics::default();
        let Some(file) = crate::content::split(path, text, &mut ignored) else {
            problems.push(Problem::at(shown, "no +++ front matter", None));
            return None;
        };
        let mut doc: toml_edit::DocumentMut = match file.front_matter().parse() {
            Ok(d) => d,
            Err(e) => {
                problems.push(Problem::at(
                    shown,
                    format!("the front matter does not parse: {e}"),
                    None,
                ));
                return None;
            }
        };
        let mut edit = edit::Edit::default();
        edit::apply(ctx, rec, &mut doc, &mut edit, problems);
        if !problems.is_empty() {
            return None;
        }
        if edit.changed.is_empty() && edit.kept.is_empty() {
            return Some(Planned::Unchanged);
        }
        let (text, range) = (&file.text, &file.front);
        let mut after = format!("{bom}{}{}{}", &text[..range.start], doc, &text[range.end..]);
        if original.contains("\r\n") {
            after = after.replace('\n', "\r\n");
        }
        if edit.changed.is_empty() {
            after.clone_from(&original);
        }
        Some(Planned::Write {
            change: FileChange {
                path: path.to_path_buf(),
                before: Some(original),
                after,
            },
            edit,
            new_sections: Vec::new(),
        })
    }

    fn create(
        &mut self,
        ctx: &edit::Ctx,
        rec: &rows::Record,
        at: &str,
        problems: &mut Vec<Problem>,
    ) -> Option<Planned> {
        if let Some(p) = self.unplaceable(ctx, rec, at) {
            problems.push(p);
            return None;
        }
        let (dir, planned) = self.section_dir(rec);
        let (id, stem) = match self.new_id(ctx, rec, &dir, at) {
            Ok(v) => v,
            Err(p) => {
                problems.push(p);
                return None;
            }
        };
        if ctx.map.id.is_some() && self.taken_ids.contains(&id.to_lowercase()) {
            problems.push(Problem::at(
                at.to_string(),
                format!("the id 「{id}」 is taken (in another case) by another initiative"),
                Some("ids are unique across the site, whatever their case".into()),
            ));
            return None;
        }
        let path = dir.join(format!("{stem}.md"));
        if self.root.join(&path).exists() || self.taken_files.contains(&file_key(&path)) {
            problems.push(Problem::at(
                at.to_string(),
                format!(
                    "{} already exists but is not the file of 「{id}」",
                    path.display()
                ),
                Some("rename that file, or give this row that file's id".into()),
            ));
            return None;
        }
        let mut doc = toml_edit::DocumentMut::new();
        doc.insert("id", toml_edit::value(id.as_str()));
        let mut edit = edit::Edit::default();
        edit::apply(ctx, rec, &mut doc, &mut edit, problems);
        if !problems.is_empty() {
            return None;
        }
        // Only a record that is written takes its id, file and sections.
        self.taken_ids.insert(id.to_lowercase());
        self.taken_files.insert(file_key(&path));
        let mut new_sections = Vec::new();
        for (chain, folder, index) in planned {
            self.new_sections.insert(chain, folder);
            new_sections.push(index);
        }
        Some(Planned::Write {
            change: FileChange {
                path,
                before: None,
                after: format!("+++\n{doc}+++\n"),
            },
            edit,
            new_sections,
        })
    }

    /// Why a new initiative cannot be placed: no section named above it,
    /// no section columns, no title, or a new section without a title.
    fn unplaceable(&self, ctx: &edit::Ctx, rec: &rows::Record, at: &str) -> Option<Problem> {
        let plan = &self.site.plans[self.plan];
        let levels = plan.levels.len();
        if let Some(cols) = ctx.map.sections.get(rec.sections.len()) {
            return Some(Problem::at(
                ctx.grid.name(rec.rows[0], cols.title),
                format!(
                    "「{}」 is new, and no {} is named above its row",
                    rec.identity,
                    plan.levels[rec.sections.len()].ja
                ),
                Some("write the section's title in this column on this row or a row above".into()),
            ));
        }
        if rec.sections.len() != levels - 1 {
            return Some(Problem::at(
                at.to_string(),
                format!("「{}」 is not in the plan yet, and the mapping has no section columns to place it", rec.identity),
                Some("add [[sections]] columns to the mapping file, or add the initiative with `mieruka new initiative` first".into()),
            ));
        }
        if ctx.grid.get(rec.rows[0], ctx.map.title).trim().is_empty() {
            return Some(Problem::at(
                ctx.grid.name(rec.rows[0], ctx.map.title),
                "a new initiative needs a title".to_string(),
                None,
            ));
        }
        let found = self.find_sections(rec);
        for (level, key) in rec.sections.iter().enumerate() {
            if found[level].is_none() && key.title.is_empty() {
                return Some(Problem::at(
                    ctx.grid.name(key.at.0, key.at.1),
                    format!(
                        "{} {} is new and has no title",
                        plan.levels[level].ja,
                        key.code.as_deref().unwrap_or("")
                    ),
                    Some("write the section's title on its first row".into()),
                ));
            }
        }
        None
    }

    /// The id and file name of a new initiative: the sheet's id, or the
    /// plan's next free number.
    fn new_id(
        &self,
        ctx: &edit::Ctx,
        rec: &rows::Record,
        dir: &Path,
        at: &str,
    ) -> Result<(String, String), Problem> {
        let plan = &self.site.plans[self.plan];
        Ok(if ctx.map.id.is_some() {
            if let Some((why, hint)) = crate::content::slug_problem("id", &rec.identity) {
                return Err(Problem::at(at.to_string(), why, Some(hint)));
            }
            (rec.identity.clone(), rec.identity.clone())
        } else {
            let mut n = self
                .site
                .initiatives
                .iter()
                .filter(|i| i.plan == self.plan)
                .count()
                + 1;
            while self
                .taken_ids
                .contains(&format!("{}-{n:03}", plan.id).to_lowercase())
                || self
                    .taken_files
                    .contains(&file_key(&dir.join(format!("{n:03}.md"))))
                || self.root.join(dir).join(format!("{n:03}.md")).exists()
            {
                n += 1;
            }
            (format!("{}-{n:03}", plan.id), format!("{n:03}"))
        })
    }

    /// The existing section of each level that the record names (by code
    /// when both have one, else by title), or `None` from the first new one.
    fn find_sections(&self, rec: &rows::Record) -> Vec<Option<usize>> {
        let site = self.site;
        let mut parent: Option<usize> = None;
        let mut out = Vec::new();
        for (level, key) in rec.sections.iter().enumerate() {
            if level > 0 && parent.is_none() {
                out.push(None);
                continue;
            }
            let found = (0..site.sections.len()).find(|&s| {
                let sec = &site.sections[s];
                sec.plan == self.plan
                    && sec.level == level + 1
                    && sec.parent == parent
                    && match (&key.code, &sec.code) {
                        (Some(a), Some(b)) => a.trim() == b.trim(),
                        _ => sec.title.ja.trim() == key.title,
                    }
            });
            out.push(found);
            parent = found;
        }
        out
    }

    /// The folder for a new initiative of `rec`, and the section folders
    /// it needs that do not exist yet (each: its chain of keys, folder and
    /// `_index.md`), for `create` to take when the record is written.
    #[allow(clippy::type_complexity)]
    fn section_dir(
        &self,
        rec: &rows::Record,
    ) -> (
        PathBuf,
        Vec<(Vec<(Option<String>, String)>, PathBuf, FileChange)>,
    ) {
        let mut made = Vec::new();
        let found = self.find_sections(rec);
        let plan_dir = self.site.plans[self.plan]
            .path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let mut dir = plan_dir;
        for (level, key) in rec.sections.iter().enumerate() {
            if let Some(s) = found[level] {
                dir = self.site.sections[s]
                    .path
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_default();
                continue;
            }
            let chain: Vec<(Option<String>, String)> = rec.sections[..=level]
                .iter()
                .map(|k| (k.code.clone(), k.title.clone()))
                .collect();
            if let Some(d) = self.new_sections.get(&chain) {
                dir = d.clone();
                continue;
            }
            let folder = dir.join(next_folder(self.root, &dir, self.new_sections.values()));
            let mut doc = toml_edit::DocumentMut::new();
            if let Some(code) = &key.code {
                doc.insert("code", toml_edit::value(code.as_str()));
            }
            doc.insert("title", toml_edit::value(key.title.as_str()));
            let index = FileChange {
                path: folder.join("_index.md"),
                before: None,
                after: format!("+++\n{doc}+++\n"),
            };
            made.push((chain, folder.clone(), index));
            dir = folder;
        }
        (dir, made)
    }
}

/// How a planned file is compared with others: lower case.
fn file_key(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/").to_lowercase()
}

/// The next free numbered folder name in `dir`: `03` after `01-…` and
/// `02-…`, as wide as the numbers already there.
fn next_folder<'p>(root: &Path, dir: &Path, made: impl Iterator<Item = &'p PathBuf>) -> String {
    let mut names: Vec<String> = std::fs::read_dir(root.join(dir))
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().to_string())
                .collect()
        })
        .unwrap_or_default();
    names.extend(
        made.filter(|p| p.parent() == Some(dir))
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().to_string())),
    );
    let numbered: Vec<(usize, usize)> = names
        .iter()
        .filter_map(|n| {
            let digits: String = n.chars().take_while(char::is_ascii_digit).collect();
            Some((digits.parse().ok()?, digits.len()))
        })
        .collect();
    let next = numbered.iter().map(|(n, _)| n + 1).max().unwrap_or(1);
    let width = numbered.iter().map(|(_, w)| *w).max().unwrap_or(2);
    let mut name = format!("{next:0width$}");
    while names.contains(&name) {
        name.push('x');
    }
    name
}
