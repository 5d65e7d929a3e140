//! Stage 3, `write`: the rendered files → the output folder, atomically.
//!
//! The new site is written into a fresh sibling folder and swapped in only
//! when every file was written: a failed build never touches the last good
//! `public/`, and a web server never sees a half-written site.

use crate::render::Files;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

pub fn write(out: &Path, files: &Files) -> Result<()> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let name = out
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().to_string());
    let tmp = parent.join(format!(".{name}.new-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    if let Err(e) = write_all(&tmp, files) {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    swap(out, &tmp, &old)
}

fn write_all(dir: &Path, files: &Files) -> Result<()> {
    for (rel, bytes) in files {
        let path: PathBuf = dir.join(rel);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).with_context(|| format!("creating {}", p.display()))?;
        }
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

fn swap(out: &Path, tmp: &Path, old: &Path) -> Result<()> {
    let had_old = out.exists();
    if had_old {
        std::fs::rename(out, old)
            .with_context(|| format!("moving the previous {} aside", out.display()))?;
    }
    if let Err(e) = std::fs::rename(tmp, out) {
        if had_old {
            let _ = std::fs::rename(old, out);
        }
        let _ = std::fs::remove_dir_all(tmp);
        return Err(e).with_context(|| format!("moving the new site into {}", out.display()));
    }
    if had_old {
        std::fs::remove_dir_all(old).with_context(|| format!("removing {}", old.display()))?;
    }
    Ok(())
}
