//! Stage 1, `load`: the content tree → a validated [`Site`].
//!
//! Discovers the files (`walkdir`), reads each one (`source`), deserialises
//! what staff typed (`raw`), and validates it into the model (`config`,
//! `plan`, `initiative`, `translate`), then runs the checks that span files
//! (`checks`). Every problem is collected into [`Diagnostics`]; the site is
//! returned only when there are no errors.

mod checks;
mod config;
pub(crate) mod editions;
mod failed;
mod indicator;
mod indicator_dir;
mod initiative;
mod plan;
mod raw;
mod source;

pub(crate) use checks::slug_problem;
/// A plan folder's mapping file for `mieruka import`, skipped by the loader.
pub(crate) const IMPORT_MAP: &str = "_import.toml";
pub(crate) use plan::resolve_status;
pub(crate) use source::{read_inside, refused_control, split};
mod translate;

use crate::diagnostics::{Diagnostics, Location};
use crate::model::{Department, Indicator, Municipality, Plan, Section, Site, Text};
use serde::de::DeserializeOwned;
use source::SourceFile;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use toml::Spanned;

/// Reads and validates the whole content tree under `root/content`.
pub fn load(root: &Path) -> (Option<Site>, Diagnostics) {
    let (site, diags) = load_anyway(root);
    if diags.has_errors() {
        (None, diags)
    } else {
        (site, diags)
    }
}

/// The theme `content/site.toml` names (`default` when it names none), read
/// ahead of [`load`] so that the theme can be made meanwhile; `None` when
/// the file cannot be read or parsed (then [`load`] says why).
pub(crate) fn theme_name(root: &Path) -> Option<String> {
    let bytes = read_inside(root, &root.join("content").join("site.toml")).ok()?;
    let text = std::str::from_utf8(&bytes).ok()?;
    let table: toml::Table = toml::from_str(text.trim_start_matches('\u{feff}')).ok()?;
    match table.get("theme") {
        None => Some(crate::model::DEFAULT_THEME_NAME.into()),
        Some(toml::Value::String(name)) => Some(name.clone()),
        Some(_) => None,
    }
}

/// Like [`load`], but the site comes back despite errors (without what
/// failed to load) as long as `site.toml` could be read: what the staff
/// tools (`new`) need to know of a plan while other files are still being
/// filled in. Never rendered.
pub(crate) fn load_anyway(root: &Path) -> (Option<Site>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let Some((config, municipalities)) = config::load_site(root, &mut diags) else {
        return (None, diags);
    };
    checks::portable_names(root, &mut diags);
    let mut failed = failed::Failed::default();
    let departments = config::load_departments(root, &municipalities, &mut failed, &mut diags);
    let dirs = plan_dirs(root, &mut diags);
    let tree = load_tree(
        root,
        &mut diags,
        &municipalities,
        &departments,
        failed,
        dirs,
    );
    let mut site = Site {
        config,
        municipalities,
        departments,
        plans: tree.plans,
        sections: tree.sections,
        initiatives: tree.initiatives,
        indicators: tree.indicators,
        editions: Vec::new(),
    };
    checks::derived_ratings(&site, &tree.places, &mut diags);
    checks::unit_names(&site, root, &mut diags);
    site.editions = editions::load(root, &site, &tree.loaded, &mut diags);
    (Some(site), diags)
}

/// The plans of some plan folders, read and checked together (the site's,
/// or one past report's): indicators may name initiatives of any of them.
pub(crate) struct Tree {
    pub plans: Vec<Plan>,
    pub sections: Vec<Section>,
    pub initiatives: Vec<crate::model::Initiative>,
    pub indicators: Vec<Indicator>,
    pub places: Places,
    /// The plan folders that loaded, with their plan.
    pub loaded: Vec<(PathBuf, usize)>,
}

pub(crate) fn load_tree(
    root: &Path,
    diags: &mut Diagnostics,
    municipalities: &[Municipality],
    departments: &[Department],
    failed: failed::Failed,
    dirs: Vec<PathBuf>,
) -> Tree {
    let mut loader = Loader {
        root,
        diags: std::mem::take(diags),
        municipalities,
        departments,
        plans: Vec::new(),
        sections: Vec::new(),
        initiatives: Vec::new(),
        pending_repeats: Vec::new(),
        places: Places::default(),
        indicators: Vec::new(),
        pending_indicators: Vec::new(),
        failed,
        scratch: Diagnostics::default(),
        read_ahead: read_ahead(root, &dirs),
    };
    let mut loaded = Vec::new();
    for dir in dirs {
        match loader.load_plan(&dir) {
            Some(p) => loaded.push((dir, p)),
            None => loader.folder_failed(&dir, true, None),
        }
    }
    // Indicators refer to initiatives of any plan: read them once all are known.
    for (dir, p) in &loaded {
        loader.load_indicators(dir, *p);
    }
    loader.resolve_indicator_refs();
    let Loader {
        diags: mut found,
        plans,
        sections,
        mut initiatives,
        pending_repeats,
        places,
        indicators,
        failed,
        ..
    } = loader;
    checks::unique_ids(&plans, &sections, &initiatives, &places, &mut found);
    checks::resolve_repeats(&mut initiatives, pending_repeats, &failed, &mut found);
    *diags = found;
    Tree {
        plans,
        sections,
        initiatives,
        indicators,
        places,
        loaded,
    }
}

/// Every Markdown file under the plan folders `dirs`, read, split and
/// checked as [`Loader::source`] would, in parallel: reading is a third of
/// loading, and the loader's walk is in file order, one file at a time. A
/// file the walk never asks for is dropped unused, with what was found in
/// it; one it asks for that is not here (a folder that could not be listed)
/// is read then.
fn read_ahead(
    root: &Path,
    dirs: &[PathBuf],
) -> HashMap<PathBuf, (Option<SourceFile>, Diagnostics)> {
    use rayon::prelude::*;
    let mut files = Vec::new();
    for dir in dirs {
        for entry in walk(root, dir)
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| !is_hidden(&e.file_name().to_string_lossy()))
            .flatten()
        {
            let name = entry.file_name().to_string_lossy();
            if entry.file_type().is_file() && name.ends_with(".md") {
                if let Ok(rel) = entry.path().strip_prefix(root) {
                    files.push(rel.to_path_buf());
                }
            }
        }
    }
    files
        .into_par_iter()
        .map(|rel| {
            let mut diags = Diagnostics::default();
            let file = source::read_text(root, &rel, &mut diags)
                .and_then(|text| source::split(&rel, text, &mut diags))
                .filter(|file| {
                    source::shallow_body(file, &mut diags)
                        && source::no_referenced_control(file, &mut diags)
                });
            (rel, (file, diags))
        })
        .collect()
}

/// What a folder (`dir`, under `root`) directly holds, in name order,
/// without hidden files; a folder that cannot be read is reported.
pub(crate) fn entries(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<walkdir::DirEntry> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(root.join(dir))
        .min_depth(1)
        .max_depth(1)
        .sort_by_file_name()
    {
        match entry {
            Ok(e) if !is_hidden(&e.file_name().to_string_lossy()) => out.push(e),
            Ok(_) => {}
            Err(e) => source::walk_error(root, &e, diags),
        }
    }
    out
}

/// The folders of `content/` that hold plans, in name order.
fn plan_dirs(root: &Path, diags: &mut Diagnostics) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in entries(root, Path::new("content"), diags) {
        let name = entry.file_name().to_string_lossy();
        let rel = Path::new("content").join(entry.file_name());
        if entry.file_type().is_dir() {
            if name != "departments" {
                out.push(rel);
            }
        } else if name != "site.toml" {
            diags.warning(
                &Location::file(&rel),
                "this file is not part of any plan and is ignored",
                Some("put initiative files inside a plan folder (content/<plan>/)".into()),
            );
        }
    }
    out
}

/// How many levels folders may nest below `content/`. A site needs a plan
/// folder, a past report's two (`_reports/<year>/`) and a few section
/// levels; nothing deeper is walked, by any walk of the loader: a walk of
/// a tree thousands of levels deep took seconds per thousand levels (every
/// path is as long as the tree is deep), and 100,000 levels hung `check`.
/// [`checks::portable_names`] reports the folders it cut off.
pub(crate) const MAX_DEPTH: usize = 24;

/// A walk of the folder `dir` (relative to `root`, under `content/`) that
/// goes no deeper than [`MAX_DEPTH`] below `content/`.
pub(crate) fn walk(root: &Path, dir: &Path) -> walkdir::WalkDir {
    // `content/plan1` is one level below content/.
    let below = dir.components().count().saturating_sub(1);
    walkdir::WalkDir::new(root.join(dir)).max_depth(MAX_DEPTH.saturating_sub(below))
}

/// Editor backups, lock files and dot-files are never content.
pub(crate) fn is_hidden(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('~')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.starts_with('#')
}

/// A pending `repeat_of`: the initiative, the id it names and where.
pub(crate) type PendingRepeat = (usize, Spanned<String>, Location);

struct Loader<'a> {
    root: &'a Path,
    diags: Diagnostics,
    municipalities: &'a [Municipality],
    departments: &'a [Department],
    plans: Vec<Plan>,
    sections: Vec<Section>,
    initiatives: Vec<crate::model::Initiative>,
    pending_repeats: Vec<PendingRepeat>,
    places: Places,
    indicators: Vec<Indicator>,
    /// Per indicator: its file and the references still to resolve.
    pending_indicators: Vec<(SourceFile, indicator::PendingRefs)>,
    /// Files that did not load, whose names later checks must not report
    /// again as unknown.
    failed: failed::Failed,
    /// Where [`Loader::en_diags`] drops what follows from a failed file.
    scratch: Diagnostics,
    /// The Markdown files of the plan folders, read in parallel before the
    /// loader walks them in order ([`read_ahead`]).
    read_ahead: HashMap<PathBuf, (Option<SourceFile>, Diagnostics)>,
}

/// Where things were typed, for the checks that run after loading (the
/// model keeps no positions). Indexed like the arenas of the site.
#[derive(Default)]
pub(crate) struct Places {
    /// Initiative → its `id` value.
    pub initiative_id: Vec<Location>,
    /// Section → (scale, year) → its stored rating.
    pub rating: Vec<BTreeMap<(usize, crate::model::FiscalYear), Location>>,
    /// Sections with an initiative or sub-section that did not load, or
    /// loaded with errors: their stored ratings are not compared with the
    /// rule, which would count without it.
    pub incomplete: std::collections::BTreeSet<usize>,
}

impl<'a> Loader<'a> {
    /// Reads and splits a content file; `None` when it is unreadable.
    fn source(&mut self, rel: &Path) -> Option<SourceFile> {
        if let Some((file, found)) = self.read_ahead.remove(rel) {
            self.diags.extend(found);
            return file;
        }
        let text = source::read_text(self.root, rel, &mut self.diags)?;
        let file = source::split(rel, text, &mut self.diags)?;
        (source::shallow_body(&file, &mut self.diags)
            && source::no_referenced_control(&file, &mut self.diags))
        .then_some(file)
    }

    /// The text of a file that did not load, as far as it can be read
    /// (for [`failed::Failed`]; nothing is reported).
    fn raw_text(&self, rel: &Path) -> Option<String> {
        let bytes = source::read_inside(self.root, &self.root.join(rel)).ok()?;
        Some(String::from_utf8_lossy(&bytes).replace("\r\n", "\n"))
    }

    /// An initiative file that did not load.
    fn initiative_failed(&mut self, rel: &Path, section: Option<usize>) {
        let text = self.raw_text(rel);
        self.failed.initiative(rel, text.as_deref());
        self.places.incomplete.extend(section);
    }

    /// The initiative files below a folder that was not read (a section or
    /// plan whose own file failed): each is noted as failed.
    fn folder_failed(&mut self, dir: &Path, plan_folder: bool, section: Option<usize>) {
        let walker = walk(self.root, dir)
            .min_depth(1)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                let own = plan_folder
                    && e.depth() == 1
                    && (e.file_name() == "indicators" || e.file_name() == editions::DIR);
                !own && !is_hidden(&e.file_name().to_string_lossy())
            });
        for entry in walker.flatten() {
            let name = entry.file_name().to_string_lossy();
            if !entry.file_type().is_file()
                || !name.ends_with(".md")
                || name.ends_with(".en.md")
                || name == "_index.md"
                || name == "_plan.md"
            {
                continue;
            }
            if let Ok(inner) = entry.path().strip_prefix(self.root) {
                self.initiative_failed(inner, section);
            }
        }
    }

    /// The department list to check a plan's departments against; `None`
    /// when a department file that did not load may hold some of them.
    fn departments_of(&self, plan: &Plan) -> Option<&'a [Department]> {
        let loaded = self
            .departments
            .iter()
            .any(|d| d.municipality == plan.municipality);
        let name = &self.municipalities[plan.municipality].id;
        (!self.failed.departments_missing(name, loaded)).then_some(self.departments)
    }

    fn parse<T: DeserializeOwned>(&mut self, rel: &Path) -> Option<(SourceFile, T)> {
        let file = self.source(rel)?;
        let raw = file.parse_front(&mut self.diags)?;
        Some((file, raw))
    }

    /// Whether the file `rel` (in `folder`) is there; `None` when `folder`
    /// cannot be read, which is reported here ("cannot read", not "has no
    /// _index.md").
    fn exists(&mut self, folder: &Path, rel: &Path) -> Option<bool> {
        match source::is_file(self.root, rel) {
            Ok(found) => Some(found),
            Err(e) => {
                self.diags.error(
                    &Location::file(folder),
                    format!("cannot read this folder: {e}"),
                    Some("check the folder's permissions (it must be readable by the account that runs mieruka)".into()),
                );
                None
            }
        }
    }

    /// The English file beside `rel`, if present.
    fn english<T: DeserializeOwned>(&mut self, rel: &Path) -> Option<(SourceFile, T)> {
        let en = en_path(rel);
        // Anything of that name: reading it reports what is not a file.
        if std::fs::symlink_metadata(self.root.join(&en)).is_ok() {
            self.parse(&en)
        } else {
            None
        }
    }

    fn load_plan(&mut self, dir: &Path) -> Option<usize> {
        let plan_file = dir.join("_plan.md");
        if !self.exists(dir, &plan_file)? {
            self.diags.error(
                &Location::file(dir),
                "this plan folder has no _plan.md",
                Some("every folder directly under content/ is a plan and needs a _plan.md (see README)".into()),
            );
            return None;
        }
        let (file, raw) = self.parse::<raw::RawPlan>(&plan_file)?;
        let mut plan = plan::plan_from(&file, raw, self.municipalities, &mut self.diags)?;
        let en = self.english(&plan_file);
        let ja_failed = self.diags.errors_in(&plan_file) > 0;
        let mut short = plan.short_title.take();
        plan.translation = translate::apply_title_en(
            en,
            &mut plan.title,
            short.as_mut(),
            &mut plan.body,
            self.en_diags(ja_failed),
        );
        plan.short_title = short;
        let plan_idx = self.plans.len();
        self.plans.push(plan);
        self.walk_plan(dir, plan_idx);
        Some(plan_idx)
    }

    fn walk_plan(&mut self, dir: &Path, plan_idx: usize) {
        let mut dirs: BTreeMap<PathBuf, usize> = BTreeMap::new();
        let levels = self.plans[plan_idx].levels.len();
        let mut walker = walk(self.root, dir)
            .min_depth(1)
            .sort_by_file_name()
            .into_iter();
        while let Some(entry) = walker.next() {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    source::walk_error(self.root, &e, &mut self.diags);
                    continue;
                }
            };
            let name = entry.file_name().to_string_lossy().to_string();
            let Ok(inner) = entry.path().strip_prefix(self.root.join(dir)) else {
                continue;
            };
            let rel = dir.join(inner);
            let parent = inner
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map(|p| dir.join(p));
            let parent_section = parent.as_ref().and_then(|p| dirs.get(p).copied());
            if is_hidden(&name) {
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
            if entry.file_type().is_dir() && entry.depth() == 1 && name == "indicators" {
                // Read by `load_indicators` once every initiative is known.
                walker.skip_current_dir();
                continue;
            }
            if entry.file_type().is_dir() && entry.depth() == 1 && name == editions::DIR {
                // Past reports: read by `editions::load`, each as a site of its own.
                walker.skip_current_dir();
                continue;
            }
            if entry.file_type().is_dir() {
                match self.load_section(&rel, plan_idx, parent_section, entry.depth(), levels) {
                    Some(s) => {
                        dirs.insert(rel, s);
                    }
                    None => {
                        walker.skip_current_dir();
                        self.folder_failed(&rel, false, parent_section);
                    }
                }
            } else if let Some(stem) = name.strip_suffix(".en.md") {
                let ja = rel.with_file_name(format!("{stem}.md"));
                if !self.root.join(&ja).is_file() {
                    self.diags.error(
                        &Location::file(&rel),
                        format!("English file with no Japanese original ({stem}.md)"),
                        Some("an English file translates the Japanese file of the same name; create or rename it".into()),
                    );
                }
            } else if name == "_index.md" || name == "_plan.md" {
                if name == "_plan.md" && entry.depth() > 1 {
                    self.diags.error(
                        &Location::file(&rel),
                        "_plan.md inside a section",
                        Some("a plan file belongs directly in the plan folder".into()),
                    );
                }
            } else if name == IMPORT_MAP && entry.depth() == 1 {
                // The plan's mapping for `mieruka import`: not content.
            } else if name.ends_with(".md") {
                if entry.depth() != levels {
                    let lvl = &self.plans[plan_idx].levels;
                    self.diags.error(
                        &Location::file(&rel),
                        format!(
                            "initiative at the wrong depth: the plan has {} levels, so {} files belong {} folder(s) below the plan folder",
                            levels,
                            lvl[levels - 1].ja,
                            levels - 1
                        ),
                        Some("move the file into a section folder of the last section level, or change `levels` in _plan.md".into()),
                    );
                    self.initiative_failed(&rel, parent_section);
                    continue;
                }
                self.load_initiative(&rel, plan_idx, parent_section);
            } else {
                self.diags
                    .warning(&Location::file(&rel), "not a Markdown file; ignored", None);
            }
        }
        self.sort_children(plan_idx);
    }

    fn load_section(
        &mut self,
        rel: &Path,
        plan_idx: usize,
        parent: Option<usize>,
        depth: usize,
        levels: usize,
    ) -> Option<usize> {
        let index = rel.join("_index.md");
        if !self.exists(rel, &index)? {
            self.diags.error(
                &Location::file(rel),
                "this section folder has no _index.md",
                Some("add _index.md with the section's code and title".into()),
            );
            return None;
        }
        if depth >= levels {
            self.diags.error(
                &Location::file(&index),
                format!("sections nested too deep: the plan has {levels} levels, so at most {} levels of section folders", levels - 1),
                Some("add a level to `levels` in _plan.md, or move this folder up".into()),
            );
            return None;
        }
        let folder = rel
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if let Some((message, _)) = checks::slug_problem("folder name", &folder) {
            // A device name (`con`) is reported once, by `portable_names`.
            if !checks::windows_device(&folder) {
                self.diags.error(
                    &Location::file(&index),
                    message,
                    Some("use ASCII letters, digits and hyphens, e.g. 01-jichi".into()),
                );
            }
            return None;
        }
        // A top-level section's page is /<plan>/<folder>/, beside the plan's
        // own page folders: a folder `status` replaced the status listings
        // (found by the integration tests).
        // Every section's long list continues in its folder `page/`.
        if (depth == 1 && checks::RESERVED.contains(&folder.as_str())) || folder == checks::PAGES {
            self.diags.error(
                &Location::file(rel),
                format!("folder name `{folder}` is the name of a page folder of this plan"),
                Some(format!(
                    "rename the folder; {} are reserved",
                    checks::RESERVED.join(", ")
                )),
            );
            return None;
        }
        let (file, raw) = self.parse::<raw::RawSection>(&index)?;
        let plan = &self.plans[plan_idx];
        let mut rating_at = BTreeMap::new();
        let status =
            initiative::section_status(&file, &raw, plan, depth, &mut rating_at, &mut self.diags);
        let slug = rel
            .strip_prefix(plan.path.parent().unwrap_or(Path::new("")))
            .unwrap_or(rel);
        let mut section = Section {
            plan: plan_idx,
            parent,
            level: depth,
            slug: slug.to_string_lossy().replace('\\', "/"),
            code: raw.code,
            code_en: raw.code_en,
            title: Text::ja(checks::required_text(
                &file,
                raw.title,
                "title",
                &mut self.diags,
            )),
            order: raw.order,
            body: Text::ja(file.body()),
            status,
            sections: Vec::new(),
            initiatives: Vec::new(),
            path: index.clone(),
            translation: translate::apply_title_en(
                None,
                &mut Text::default(),
                None,
                &mut Text::default(),
                &mut self.diags,
            ),
        };
        let en = self.english(&index);
        let ja_failed = self.diags.errors_in(&index) > 0;
        section.translation = translate::apply_title_en(
            en,
            &mut section.title,
            None,
            &mut section.body,
            self.en_diags(ja_failed),
        );
        let idx = self.sections.len();
        match parent {
            Some(p) => self.sections[p].sections.push(idx),
            None => self.plans[plan_idx].sections.push(idx),
        }
        self.sections.push(section);
        self.places.rating.push(rating_at);
        Some(idx)
    }

    fn load_initiative(&mut self, rel: &Path, plan_idx: usize, section: Option<usize>) {
        let Some((file, raw)) = self.parse::<raw::RawInitiative>(rel) else {
            self.initiative_failed(rel, section);
            return;
        };
        let repeat = raw.repeat_of.clone().map(|r| (file.at(&r), r));
        let id_at = file.at(&raw.id);
        if let Some((message, hint)) = checks::slug_problem("id", raw.id.get_ref()) {
            self.diags.error(&file.at(&raw.id), message, Some(hint));
        }
        let en = self.english(rel);
        let plan = &self.plans[plan_idx];
        let departments = self.departments_of(plan);
        let mut init = initiative::initiative_from(
            &file,
            raw,
            (plan_idx, plan),
            section,
            departments,
            &mut self.diags,
        );
        let ja_failed = self.diags.errors_in(rel) > 0;
        if ja_failed {
            self.places.incomplete.extend(section);
        }
        let plan = &self.plans[plan_idx];
        let diags = if ja_failed {
            &mut self.scratch
        } else {
            &mut self.diags
        };
        translate::apply_initiative_en(&mut init, plan, en, diags);
        let idx = self.initiatives.len();
        if let Some((at, r)) = repeat {
            self.pending_repeats.push((idx, r, at));
        }
        match section {
            Some(s) => self.sections[s].initiatives.push(idx),
            None => self.plans[plan_idx].initiatives.push(idx),
        }
        self.initiatives.push(init);
        self.places.initiative_id.push(id_at);
    }

    /// Where the checks of an English file against its Japanese file go:
    /// nowhere when the Japanese file had errors (a figure it failed to read
    /// is no reason to report the English one as a figure short, and the
    /// version to record is not known until it loads).
    fn en_diags(&mut self, ja_failed: bool) -> &mut Diagnostics {
        if ja_failed {
            self.scratch = Diagnostics::default();
            &mut self.scratch
        } else {
            &mut self.diags
        }
    }

    /// Orders sections and initiatives: by `order` where given, then by file name.
    fn sort_children(&mut self, plan_idx: usize) {
        let sections = &self.sections;
        let inits = &self.initiatives;
        let skey = |i: &usize| {
            (
                sections[*i].order.unwrap_or(i64::MAX),
                sections[*i].path.clone(),
            )
        };
        let ikey = |i: &usize| (inits[*i].order.unwrap_or(i64::MAX), inits[*i].path.clone());
        let mut plan_sections = self.plans[plan_idx].sections.clone();
        plan_sections.sort_by_key(skey);
        let mut plan_inits = self.plans[plan_idx].initiatives.clone();
        plan_inits.sort_by_key(ikey);
        let mut updates = Vec::new();
        for (i, s) in sections
            .iter()
            .enumerate()
            .filter(|(_, s)| s.plan == plan_idx)
        {
            let mut subs = s.sections.clone();
            subs.sort_by_key(skey);
            let mut its = s.initiatives.clone();
            its.sort_by_key(ikey);
            updates.push((i, subs, its));
        }
        for (i, subs, its) in updates {
            self.sections[i].sections = subs;
            self.sections[i].initiatives = its;
        }
        self.plans[plan_idx].sections = plan_sections;
        self.plans[plan_idx].initiatives = plan_inits;
    }
}

/// `foo.md` → `foo.en.md`
fn en_path(rel: &Path) -> PathBuf {
    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    rel.with_file_name(format!("{stem}.en.md"))
}
