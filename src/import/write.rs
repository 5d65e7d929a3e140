//! Writing an import: first the content as it would be is checked in a
//! temporary copy, then every file is written through a new temporary
//! file and renamed into place.

use super::FileChange;
use crate::diagnostics::Diagnostics;
use std::path::{Path, PathBuf};

/// Checks the content as it would be after `changes`, in a copy of
/// `content/` in a temporary folder (removed afterwards).
pub(super) fn verify(root: &Path, changes: &[FileChange]) -> Result<Diagnostics, String> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let tmp = std::env::temp_dir().join(format!("mieruka-import-{}-{stamp}", std::process::id()));
    let result = (|| -> Result<Diagnostics, String> {
        let src = root.join("content");
        for entry in walkdir::WalkDir::new(&src) {
            let entry = entry.map_err(|e| format!("cannot read the content folder: {e}"))?;
            let rel = entry.path().strip_prefix(&src).unwrap_or(entry.path());
            let to = tmp.join("content").join(rel);
            let fail =
                |e: std::io::Error| format!("cannot check the import in {}: {e}", tmp.display());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).map_err(fail)?;
            } else {
                std::fs::copy(entry.path(), &to).map_err(fail)?;
            }
        }
        for c in changes {
            let to = tmp.join(&c.path);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
            }
            std::fs::write(&to, &c.after).map_err(|e| e.to_string())?;
        }
        Ok(crate::content::load(&tmp).1)
    })();
    let _ = std::fs::remove_dir_all(&tmp);
    result
}

/// Writes every change: all to new temporary files first (never through
/// an existing file or link), then each renamed into place. If a rename
/// fails, the temporary files left are removed and the message names the
/// files already replaced.
pub(super) fn write_all(root: &Path, changes: &[FileChange]) -> Result<(), String> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let clean = |staged: &[(PathBuf, PathBuf)]| {
        for (t, _) in staged {
            let _ = std::fs::remove_file(t);
        }
    };
    for (i, c) in changes.iter().enumerate() {
        let path = root.join(&c.path);
        let fail = |e: std::io::Error| format!("cannot write {}: {e}", c.path.display());
        if let Some(parent) = path.parent() {
            if let Err(e) = std::fs::create_dir_all(parent) {
                clean(&staged);
                return Err(fail(e));
            }
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let tmp = path.with_file_name(format!(
            ".{name}.{}-{stamp}-{i}.mieruka-import",
            std::process::id()
        ));
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .and_then(|mut f| std::io::Write::write_all(&mut f, c.after.as_bytes()));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            clean(&staged);
            return Err(fail(e));
        }
        staged.push((tmp, path));
    }
    for (n, (tmp, path)) in staged.iter().enumerate() {
        if let Err(e) = std::fs::rename(tmp, path) {
            clean(&staged[n..]);
            let done: Vec<String> = staged[..n]
                .iter()
                .map(|(_, p)| p.strip_prefix(root).unwrap_or(p).display().to_string())
                .collect();
            return Err(format!(
                "cannot write {}: {e}{}",
                path.display(),
                if done.is_empty() {
                    String::from(" (nothing was written)")
                } else {
                    format!(" (already written: {})", done.join(", "))
                }
            ));
        }
    }
    Ok(())
}
