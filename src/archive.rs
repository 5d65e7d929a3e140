//! `mieruka archive <plan>`: keeps the plan's current report as a past
//! report before staff write the next one. The plan folder is copied, as
//! it is, to `content/<plan>/_reports/<reporting year>/` (its own past
//! reports and hidden files left out); the build then publishes it at
//! `/<plan>/reports/<year>/`, marked as a past edition, unchanged by later
//! edits of the plan.
//!
//! Only valid content is archived (a past report is kept as it was
//! published). The copy is made in a hidden folder and renamed into place,
//! so that an interrupted copy never leaves half a report.

use crate::content::editions::DIR;
use anyhow::{anyhow, bail, Context, Result};

use std::path::{Path, PathBuf};

/// What [`archive`] did.
pub struct Archived {
    /// The new folder, from the site folder.
    pub folder: PathBuf,
    pub files: usize,
    pub year: u16,
    /// The plan file to move forward, from the site folder.
    pub plan_file: PathBuf,
    /// Where the past report is published, from the site's root.
    pub url: String,
}

/// Why nothing was archived.
pub enum Refusal {
    /// The content has errors (the report lists them).
    Invalid(crate::Report),
    /// A plan id that does not exist, a report archived already, a copy
    /// that failed: the message, with its hint.
    Usage(String),
}

/// Copies plan `id`'s folder to its `_reports/<reporting year>/`.
pub fn archive(root: &Path, id: &str) -> Result<Archived, Refusal> {
    let (site, diagnostics) = crate::content::load(root);
    let Some(site) = site else {
        return Err(Refusal::Invalid(crate::Report {
            diagnostics,
            pages: 0,
            files: 0,
            coverage: (0, 0, 0),
            translations: Vec::new(),
        }));
    };
    let Some(plan) = site.plans.iter().find(|p| p.id == id) else {
        let ids: Vec<&str> = site.plans.iter().map(|p| p.id.as_str()).collect();
        return Err(Refusal::Usage(format!(
            "no plan has the id `{id}`\n  hint: the plans of this site are: {}",
            ids.join(", ")
        )));
    };
    let year = plan.reporting_year.0;
    let plan_dir = plan
        .path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let folder = plan_dir.join(DIR).join(year.to_string());
    if root.join(&folder).exists() {
        return Err(Refusal::Usage(format!(
            "{} already exists: the FY{year} report of `{id}` is archived already\n  hint: to start the next report, move reporting_year forward in {}; to archive this report again, delete that folder first",
            folder.display(),
            plan.path.display()
        )));
    }
    let files = copy(root, &plan_dir, &folder)
        .map_err(|e| Refusal::Usage(format!("could not copy the plan folder: {e:#}")))?;
    Ok(Archived {
        folder,
        files,
        year,
        plan_file: plan.path.clone(),
        url: format!(
            "{id}/{}/",
            crate::render::urls::report_dir(plan.reporting_year)
        ),
    })
}

/// Copies `from` (without its `_reports/` and hidden files) to `to`,
/// through a hidden folder beside `to`; returns the number of files.
fn copy(root: &Path, from: &Path, to: &Path) -> Result<usize> {
    let target = root.join(to);
    let parent = target
        .parent()
        .ok_or_else(|| anyhow!("no folder above {}", to.display()))?;
    std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let staging = parent.join(format!(".{name}.copying"));
    if staging.exists() {
        std::fs::remove_dir_all(&staging)
            .with_context(|| format!("removing {}", staging.display()))?;
    }
    let source = root.join(from);
    let mut files = 0;
    let walker = walkdir::WalkDir::new(&source)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            !(crate::content::is_hidden(&name) || e.depth() == 1 && name == DIR)
        });
    for entry in walker {
        let entry = entry?;
        let rel = entry.path().strip_prefix(&source)?;
        let dest = staging.join(rel);
        let kind = entry.file_type();
        if kind.is_dir() {
            std::fs::create_dir_all(&dest)
                .with_context(|| format!("creating {}", dest.display()))?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &dest)
                .with_context(|| format!("copying {}", entry.path().display()))?;
            files += 1;
        } else {
            bail!(
                "{} is not an ordinary file or folder (a link?): copy the plan by hand",
                entry.path().display()
            );
        }
    }
    std::fs::create_dir_all(&staging)?;
    std::fs::rename(&staging, &target)
        .with_context(|| format!("renaming {} to {}", staging.display(), target.display()))?;
    Ok(files)
}
