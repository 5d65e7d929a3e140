//! Past reports of a plan (the report archive): `content/<plan>/_reports/<year>/`
//! holds the plan folder as it was when that year's report was published
//! (`mieruka archive <plan>` makes the copy). Each is read and checked like
//! the site's own plans, into a [`Site`] of its own whose one plan is
//! marked archived; the pages are built at `/<plan>/reports/<year>/`.
//!
//! A copy must be of the same plan (its `id`), reporting on the year its
//! folder is named after, and older than the current report.

use super::{failed::Failed, load_tree};
use crate::diagnostics::{Diagnostics, Location};
use crate::model::{Edition, FiscalYear, Site};
use std::path::{Path, PathBuf};

/// The folder of a plan's past reports.
pub(crate) const DIR: &str = "_reports";

/// The past reports of every plan that loaded (`loaded`: plan folder, plan).
pub(crate) fn load(
    root: &Path,
    site: &Site,
    loaded: &[(PathBuf, usize)],
    diags: &mut Diagnostics,
) -> Vec<Edition> {
    let mut out = Vec::new();
    for (dir, p) in loaded {
        for (folder, year) in year_folders(root, &dir.join(DIR), diags) {
            if let Some(site) = edition(root, site, *p, &folder, year, diags) {
                out.push(Edition { plan: *p, site });
            }
        }
    }
    out
}

/// The folders under `_reports/`, in name order, with the year each is
/// named after; anything else is reported.
fn year_folders(root: &Path, reports: &Path, diags: &mut Diagnostics) -> Vec<(PathBuf, u16)> {
    if !root.join(reports).is_dir() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for entry in super::entries(root, reports, diags) {
        let name = entry.file_name().to_string_lossy().to_string();
        let rel = reports.join(&name);
        let year = (name.len() == 4)
            .then(|| name.parse::<u16>().ok())
            .flatten()
            .filter(|y| (1989..=2200).contains(y));
        match (entry.file_type().is_dir(), year) {
            (true, Some(y)) => out.push((rel, y)),
            (true, None) => diags.error(
                &Location::file(&rel),
                format!("`{name}` in {DIR}/ is not a fiscal year: each past report is a folder named after its reporting year"),
                Some(format!("name the folder after the fiscal year the report is on, in western years (令和5年度 → {DIR}/2023)")),
            ),
            (false, _) => diags.warning(
                &Location::file(&rel),
                format!("a file directly in {DIR}/ is not part of any past report and is ignored"),
                Some(format!("each past report is a whole plan folder copied to {DIR}/<year>/ (mieruka archive <plan> makes it)")),
            ),
        }
    }
    out
}

/// One past report of plan `p` of `site`, read from `folder`.
fn edition(
    root: &Path,
    site: &Site,
    p: usize,
    folder: &Path,
    year: u16,
    diags: &mut Diagnostics,
) -> Option<Site> {
    let errors_before = diags.count(crate::diagnostics::Severity::Error);
    let tree = load_tree(
        root,
        diags,
        &site.municipalities,
        &site.departments,
        Failed::default(),
        vec![folder.to_path_buf()],
    );
    let current = &site.plans[p];
    let plan_file = folder.join("_plan.md");
    let mut ok = diags.count(crate::diagnostics::Severity::Error) == errors_before;
    if let Some(plan) = tree.plans.first() {
        if plan.id != current.id {
            diags.error(
                &at_key(root, &plan_file, "id"),
                format!(
                    "this past report is of plan `{}`, but it is kept in the folder of plan `{}`",
                    plan.id, current.id
                ),
                Some(format!("a plan's past reports are copies of that plan's folder: set id = \"{}\", or move the copy to the right plan's {DIR}/ folder", current.id)),
            );
            ok = false;
        }
        if plan.reporting_year != FiscalYear(year) {
            diags.error(
                &at_key(root, &plan_file, "reporting_year"),
                format!(
                    "this past report's reporting year is FY{}, but its folder is named {year}",
                    plan.reporting_year.0
                ),
                Some("the folder of a past report is named after its reporting year (令和5年度 → 2023): rename the folder or correct reporting_year".into()),
            );
            ok = false;
        }
        if plan.reporting_year >= current.reporting_year && plan.reporting_year == FiscalYear(year)
        {
            // Usually just archived: the current report is the next one to write.
            diags.error(
                &at_key(root, &current.path, "reporting_year"),
                format!(
                    "the FY{} report is kept as a past report ({}), so the current report must be of a later year, not FY{}",
                    plan.reporting_year.0,
                    folder.display(),
                    current.reporting_year.0
                ),
                Some("move reporting_year forward to the year of the new report (and published to its date), then update the initiatives".into()),
            );
            ok = false;
        }
    }
    if !ok || tree.plans.len() != 1 {
        return None;
    }
    let mut plans = tree.plans;
    plans[0].archived = true;
    let edition = Site {
        config: site.config.clone(),
        municipalities: site.municipalities.clone(),
        departments: site.departments.clone(),
        plans,
        sections: tree.sections,
        initiatives: tree.initiatives,
        indicators: tree.indicators,
        editions: Vec::new(),
    };
    super::checks::derived_ratings(&edition, &tree.places, diags);
    Some(edition)
}

/// Where `key = …` is typed in a file (its first line, else the file).
fn at_key(root: &Path, rel: &Path, key: &str) -> Location {
    let mut at = Location::file(rel);
    let text = std::fs::read_to_string(root.join(rel)).unwrap_or_default();
    if let Some(n) = text.lines().position(|l| {
        l.trim_start()
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
    }) {
        at.line = n + 1;
        at.column = 1;
    }
    at
}
