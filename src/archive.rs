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
use crate::disk::{Entry, Folder, Take};
use anyhow::{anyhow, Result};

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
    let there = Folder::new(root)
        .kind(&folder)
        .map_err(|e| Refusal::Usage(format!("cannot archive into {}: {e}", folder.display())))?;
    if there.is_some() {
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
/// through a hidden folder beside `to` that is removed on every failure;
/// returns the number of files. Every path goes through [`Folder`]: a link
/// (a `_reports` that leads elsewhere, a linked file in the plan), a pipe,
/// or a file where a folder belongs is refused and named.
fn copy(root: &Path, from: &Path, to: &Path) -> Result<usize> {
    let site = Folder::new(root);
    let parent = to
        .parent()
        .ok_or_else(|| anyhow!("no folder above {}", to.display()))?;
    site.make_folders(parent)?;
    let name = to
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let staging_rel = parent.join(format!(".{name}.copying"));
    let mut staging = site.scratch_folder(&staging_rel)?;
    // A link or a pipe in the plan folder is refused: a past report is
    // a copy of what was published, made of the plan's own files.
    let take = |rel: &Path, name: &str, _: Entry| {
        if crate::content::is_hidden(name) || rel.components().count() == 1 && name == DIR {
            Take::Skip
        } else {
            Take::Copy
        }
    };
    let files = site.copy_tree(&site, from, &staging_rel, &take)?;
    site.rename(&staging_rel, to)?;
    staging.keep();
    Ok(files)
}
