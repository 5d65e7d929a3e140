//! Writing an import: first the content as it would be is checked in a
//! temporary copy, then every file is written through a new temporary
//! file and renamed into place. Both go through [`crate::disk`]: no link is
//! written through, no pipe is opened, and the temporary copy and files are
//! removed on every way out.

use super::FileChange;
use crate::diagnostics::Diagnostics;
use crate::disk::{Entry, Folder, Scratch, Take};
use std::path::Path;

/// Checks the content as it would be after `changes`, in a copy of what
/// the loader reads of `content/` (no hidden files, no pipes; a link that
/// stays inside the site made anew to the same place in the copy, one
/// that leaves it left out) in a temporary folder, removed afterwards.
pub(super) fn verify(root: &Path, changes: &[FileChange]) -> Result<Diagnostics, String> {
    let scratch =
        crate::disk::temp_folder("import").map_err(|e| format!("cannot check the import: {e}"))?;
    let copy = Folder::new(scratch.path());
    let site = Folder::new(root);
    let content = root.join("content");
    let real_content = std::fs::canonicalize(&content)
        .map_err(|e| format!("cannot read {}: {e}", content.display()))?;
    let copied_content = scratch.path().join("content");
    let take = |rel: &Path, name: &str, entry: Entry| {
        if crate::content::is_hidden(name) {
            return Take::Skip;
        }
        match entry {
            Entry::File | Entry::Folder => Take::Copy,
            // The loader reports these itself, at their place.
            Entry::Special => Take::Skip,
            Entry::Link => std::fs::canonicalize(content.join(rel))
                .ok()
                .and_then(|real| {
                    real.strip_prefix(&real_content)
                        .ok()
                        .map(|inside| Take::LinkTo(copied_content.join(inside)))
                })
                .unwrap_or(Take::Skip),
        }
    };
    copy.copy_tree(&site, "content", "content", &take)
        .map_err(|e| format!("cannot check the import: {e}"))?;
    for c in changes {
        copy.replace(&c.path, c.after.as_bytes())
            .map_err(|e| format!("cannot check the import: {e}"))?;
    }
    let (_, diagnostics) = crate::content::load(scratch.path());
    scratch
        .remove()
        .map_err(|e| format!("cannot remove the import's temporary copy: {e}"))?;
    Ok(diagnostics)
}

/// Writes every change: all to new temporary files first (never through
/// an existing file or link), then each renamed into place. If a rename
/// fails, the temporary files left are removed and the message names the
/// files already replaced.
pub(super) fn write_all(root: &Path, changes: &[FileChange]) -> Result<(), String> {
    let site = Folder::new(root);
    let mut staged: Vec<(Scratch, &Path)> = Vec::new();
    for c in changes {
        // A failure drops what was staged: the temporary files go with it.
        let s = site.stage(&c.path, c.after.as_bytes()).map_err(|e| {
            format!(
                "cannot write {}: {e} (nothing was written)",
                c.path.display()
            )
        })?;
        staged.push((s, c.path.as_path()));
    }
    let mut done: Vec<String> = Vec::new();
    for (s, rel) in staged {
        if let Err(e) = site.put_staged(s, rel) {
            return Err(format!(
                "cannot write {}: {e}{}",
                rel.display(),
                if done.is_empty() {
                    String::from(" (nothing was written)")
                } else {
                    format!(" (already written: {})", done.join(", "))
                }
            ));
        }
        done.push(rel.display().to_string());
    }
    Ok(())
}
