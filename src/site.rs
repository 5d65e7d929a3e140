//! Stage 3, `write`: the rendered files → the output folder, atomically.
//!
//! The new site is written into a fresh sibling folder and swapped in only
//! when every file was written: a failed build never touches the last good
//! `public/`, and a web server never sees a half-written site.
//!
//! Because the swap replaces the output folder whole, the folder is checked
//! first ([`guard`]): only a folder that is missing, empty, or holds the
//! marker file a build leaves ([`MARKER`]) is ever replaced, and never one
//! that holds the site itself, `content/` or `themes/`. Builds into the same
//! folder take turns (a lock file beside it), and whoever holds the lock
//! removes what killed builds left behind (`.public.new-*`, `.public.old-*`).

use crate::disk::{self, Folder, Scratch, Tree};
use crate::render::Files;
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// The file every output folder gets, so that the next build knows the
/// folder is its own to replace.
pub(crate) const MARKER: &str = ".mieruka-output";

const MARKER_TEXT: &str = "This folder was written by `mieruka build`.\n\
The next build replaces the whole folder: do not keep other files in it.\n";

/// An output folder that a build must not replace. The command exits 2.
#[derive(Debug, thiserror::Error)]
#[error("{message}\n  hint: {hint}")]
pub struct Refused {
    message: String,
    hint: String,
}

fn refuse(message: String, hint: &str) -> Refused {
    Refused {
        message,
        hint: hint.to_string(),
    }
}

/// Checks that `out` may be replaced by a build of the site at `root`.
pub fn guard(root: &Path, out: &Path) -> Result<(), Refused> {
    let shown = out.display();
    let root = std::fs::canonicalize(root).map_err(|e| {
        refuse(
            format!("cannot read the site folder {}: {e}", root.display()),
            "pass the folder that holds content/ with --root",
        )
    })?;
    let target = resolve(out);
    if root.starts_with(&target) {
        return Err(refuse(
            format!("--out {shown} is the site folder or holds it: a build replaces its output folder whole, and would delete the site"),
            "write the site to a folder of its own, e.g. --out public (the default)",
        ));
    }
    for protected in ["content", "themes"] {
        let inside = |dir: &Path| target.starts_with(dir);
        let dir = root.join(protected);
        if inside(&dir) || std::fs::canonicalize(&dir).is_ok_and(|d| inside(&d)) {
            return Err(refuse(
                format!("--out {shown} is {protected}/ or a folder inside it: a build would replace the files staff edit"),
                "write the site to a folder of its own, e.g. --out public (the default)",
            ));
        }
    }
    let Ok(meta) = std::fs::symlink_metadata(out) else {
        return Ok(()); // missing: created by the build
    };
    if meta.file_type().is_symlink() {
        return Err(refuse(
            format!("--out {shown} is a link: a build would replace the link, not the folder it points to"),
            "pass the folder itself (the link's target) as --out",
        ));
    }
    if !meta.is_dir() {
        return Err(refuse(
            format!("--out {shown} is a file, not a folder"),
            "give the name of a folder for the site (a new one, or one an earlier build wrote)",
        ));
    }
    let entries = std::fs::read_dir(out).map_err(|e| {
        refuse(
            format!("cannot read the output folder {shown}: {e}"),
            "check the folder's permissions, or choose another --out",
        )
    })?;
    let mut empty = true;
    for entry in entries.flatten() {
        empty = false;
        if entry.file_name() == MARKER && entry.file_type().is_ok_and(|t| t.is_file()) {
            return Ok(());
        }
    }
    if empty {
        Ok(())
    } else {
        Err(refuse(
            format!("--out {shown} already holds files that mieruka did not write (it has no {MARKER} file): a build replaces the whole folder and would delete them"),
            "choose a new or empty folder, or delete this one yourself if its files are not needed",
        ))
    }
}

/// `path` made absolute with symbolic links resolved as far as it exists:
/// the nearest existing folder is resolved, the rest appended.
fn resolve(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = std::fs::canonicalize(existing) {
            let mut out = real;
            for c in rest.iter().rev() {
                match c {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::CurDir => {}
                    c => out.push(c),
                }
            }
            return out;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => return abs,
        }
    }
}

/// Replaces `out` whole with what `fill` writes (through a [`Writer`])
/// into a folder beside it: the folder is swapped in only when `fill`
/// succeeded, so a failed build never touches the last good output. Call
/// [`guard`] first.
///
/// The output a build replaces is kept beside it as `.NAME.spare`, and the
/// next build writes into it: files it writes again reuse their inodes,
/// and the files it does not write are removed. Creating and deleting tens
/// of thousands of files each build was most of a build's time (ext4 scans
/// past recently freed inodes when it allocates new ones).
///
/// Every path here — the lock, the spare, the new and the old folder, each
/// file written — goes through [`disk::Folder`]: never through a link,
/// never into a pipe, and the new folder is removed on every failure.
pub fn write_with(out: &Path, fill: impl FnOnce(&Writer) -> Result<()>) -> Result<()> {
    let (area, name) = Folder::around(out)?;
    let name = name.to_string_lossy().to_string();
    area.make_folders("")?;
    // Builds into one folder take turns; the lock goes with the process, so
    // a killed build never blocks the next one.
    let lock_rel = format!(".{name}.lock");
    let lock = area.lock_file(&lock_rel)?;
    lock.lock()
        .with_context(|| format!("locking {}", area.path(&lock_rel).display()))?;
    remove_stale(&area, &name);
    let pid = std::process::id();
    let (tmp_rel, old_rel) = (format!(".{name}.new-{pid}"), format!(".{name}.old-{pid}"));
    let spare_rel = format!(".{name}.spare");
    // Removed on every way out but the swap.
    let mut tmp = area.scratch_folder(&tmp_rel)?;
    let left = reuse(&area, &spare_rel, &tmp_rel, &tmp)?;
    let writer = Writer {
        dir: Folder::new(tmp.path()),
        folders: Mutex::new(left.folders.iter().cloned().collect()),
        written: Mutex::new(HashSet::new()),
        clearing: Mutex::new(()),
    };
    fill(&writer)?;
    writer.write(MARKER, MARKER_TEXT.as_bytes())?;
    prune(&writer.dir, &left, &writer.written()?)?;
    swap(&area, &name, &tmp_rel, &old_rel)?;
    tmp.keep();
    // The replaced output becomes the next build's spare.
    if area.kind(&old_rel).ok().flatten().is_some() && area.rename(&old_rel, &spare_rel).is_err() {
        area.remove(&old_rel)?;
    }
    Ok(())
}

/// Writes the files of one build into its folder; safe to use from many
/// threads at once. Remembers what it wrote: everything else in the folder
/// (left from the spare) is removed before the swap.
pub struct Writer {
    dir: Folder,
    /// Folders of the new output known to be real folders (the spare's,
    /// found plain, and those made by this build): a file in one is opened
    /// without looking at its folders again.
    folders: Mutex<HashSet<String>>,
    written: Mutex<HashSet<String>>,
    /// Held while a file or folder of the spare in the way is removed.
    clearing: Mutex<()>,
}

impl Writer {
    /// Writes `bytes` to `rel` (a `/`-separated path), making its folders.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let parent = rel.rfind('/').map(|i| &rel[..i]);
        let known = match parent {
            None => true,
            Some(p) => lock(&self.folders)?.contains(p),
        };
        let file = match self.dir.open_in_place(rel, !known) {
            Err(disk::Error::NotFolder(_) | disk::Error::NotFile(_)) => self.clear_way(rel)?,
            opened => opened?,
        };
        if let (false, Some(mut p)) = (known, parent) {
            let mut folders = lock(&self.folders)?;
            while folders.insert(p.to_string()) {
                match p.rfind('/') {
                    Some(i) => p = &p[..i],
                    None => break,
                }
            }
        }
        put(file, bytes).with_context(|| format!("writing {}", self.dir.path(rel).display()))?;
        lock(&self.written)?.insert(rel.to_string());
        Ok(())
    }

    /// Opens `rel` where the spare had a file in the place of one of its
    /// folders, or a folder in its place: that is removed first (it is the
    /// spare's, in this build's own folder). One writer at a time, each
    /// trying again first: another may have cleared the way meanwhile.
    fn clear_way(&self, rel: &str) -> Result<std::fs::File> {
        let _one = lock(&self.clearing)?;
        match self.dir.open_in_place(rel, true) {
            Err(disk::Error::NotFolder(p) | disk::Error::NotFile(p)) => {
                let obstacle = p
                    .strip_prefix(self.dir.root())
                    .map_err(|_| anyhow::anyhow!("{} is outside the output", p.display()))?;
                self.dir.remove(obstacle)?;
                Ok(self.dir.open_in_place(rel, true)?)
            }
            opened => Ok(opened?),
        }
    }

    /// Writes `files`, in parallel.
    pub fn write_all(&self, files: &Files) -> Result<()> {
        files
            .par_iter()
            .try_for_each(|(rel, bytes)| self.write(rel, bytes))
    }

    fn written(&self) -> Result<HashSet<String>> {
        Ok(lock(&self.written)?.clone())
    }
}

fn lock<T>(m: &Mutex<T>) -> Result<std::sync::MutexGuard<'_, T>> {
    m.lock()
        .map_err(|_| anyhow::anyhow!("the list of written files is poisoned"))
}

/// Makes `file` (new, or the spare's copy from two builds ago) hold
/// `bytes`. A file that already holds them is not written again, only given
/// the time of this build; a changed one is written over in place and cut
/// to length. Truncating every file to nothing and writing it again was a
/// tenth of a build's time: on ext4 each such file frees its blocks and is
/// flushed to disk when it is closed.
fn put(mut file: std::fs::File, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::{Read, Seek, Write};
    let old_len = file.metadata()?.len();
    let new_len = bytes.len() as u64;
    if old_len == new_len {
        let mut same = true;
        let mut buf = [0u8; 16 * 1024];
        let mut at = 0;
        while same && at < bytes.len() {
            let n = file.read(&mut buf)?;
            if n == 0 {
                break;
            }
            same = n <= bytes.len() - at && buf[..n] == bytes[at..at + n];
            at += n;
        }
        if same && at == bytes.len() {
            // Web servers answer "not modified" by the file's time.
            return file.set_modified(std::time::SystemTime::now());
        }
        file.rewind()?;
    }
    file.write_all(bytes)?;
    if old_len > new_len {
        file.set_len(new_len)?;
    }
    Ok(())
}

/// Makes the new folder (`tmp_rel`, made empty by the caller) from the
/// spare of the last build, if there is one that is a real folder of this
/// user holding only folders and plain files with no other name: a link
/// (at the spare or in it), a pipe, a hard link, a name that is not UTF-8
/// or another user's file is never written through. Such a spare is
/// removed, never followed, and the build starts from the empty folder;
/// one that cannot be removed is left as it is, and named. Returns what the
/// reused spare held.
fn reuse(area: &Folder, spare_rel: &str, tmp_rel: &str, tmp: &Scratch) -> Result<Tree> {
    let spare = area.path(spare_rel);
    if let Ok(Some(held)) = area.plain_tree(spare_rel, tmp.path()) {
        if area.remove_if_empty(tmp_rel) {
            if area.rename(spare_rel, tmp_rel).is_ok() {
                return Ok(held);
            }
            area.make_folders(tmp_rel)?;
        }
    }
    if let Err(e) = area.remove(spare_rel) {
        eprintln!(
            "note: the spare output {} (left by an earlier build) cannot be reused or removed: {e}\n  hint: delete {} yourself; builds work without it, only more slowly",
            spare.display(),
            spare.display()
        );
    }
    Ok(Tree::default())
}

/// Removes from `dir` every file of the spare (`left`) that this build did
/// not write, then the spare's folders that hold nothing written: what the
/// spare held is known from [`reuse`], so the folder is not walked again.
fn prune(dir: &Folder, left: &Tree, written: &HashSet<String>) -> Result<()> {
    for rel in left.files.iter().filter(|f| !written.contains(*f)) {
        // A file in the way of this build's folders is gone already, and
        // a folder may stand in its place now.
        if let Ok(Some(disk::Kind::File)) = dir.kind(rel) {
            dir.remove(rel)?;
        }
    }
    let mut kept: HashSet<&str> = HashSet::new();
    for file in written {
        let mut at = file.as_str();
        while let Some(i) = at.rfind('/') {
            at = &at[..i];
            if !kept.insert(at) {
                break;
            }
        }
    }
    // Deepest first (a walk lists a folder before what it holds); a folder
    // that still holds something stays.
    for rel in left
        .folders
        .iter()
        .rev()
        .filter(|f| !kept.contains(f.as_str()))
    {
        dir.remove_if_empty(rel);
    }
    Ok(())
}

/// Removes what builds that were killed left (`.NAME.new-PID`,
/// `.NAME.old-PID`), whatever it is, never following a link: with the lock
/// held, no other build is writing one.
fn remove_stale(area: &Folder, name: &str) {
    let (new, old) = (format!(".{name}.new-"), format!(".{name}.old-"));
    let Ok(entries) = std::fs::read_dir(area.root()) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().to_string();
        let ours = [&new, &old].iter().any(|p| {
            file_name
                .strip_prefix(p.as_str())
                .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
        });
        if ours {
            let _ = area.remove(&file_name);
        }
    }
}

/// Moves the new folder in at `name`, the previous output (if any) aside
/// to `old_rel`; puts the previous one back if the new one cannot go in.
fn swap(area: &Folder, name: &str, tmp_rel: &str, old_rel: &str) -> Result<()> {
    let had_old = area.kind(name)?.is_some();
    if had_old {
        area.rename(name, old_rel)
            .with_context(|| format!("moving the previous {} aside", area.path(name).display()))?;
    }
    if let Err(e) = area.rename(tmp_rel, name) {
        if had_old {
            let _ = area.rename(old_rel, name);
        }
        return Err(e)
            .with_context(|| format!("moving the new site into {}", area.path(name).display()));
    }
    // `old_rel`, the replaced output, is the caller's to keep or remove.
    Ok(())
}
