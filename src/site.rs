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
pub fn write_with(out: &Path, fill: impl FnOnce(&Writer) -> Result<()>) -> Result<()> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let name = out
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().to_string());
    // Builds into one folder take turns; the lock goes with the process, so
    // a killed build never blocks the next one.
    let lock_path = parent.join(format!(".{name}.lock"));
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .with_context(|| format!("creating {}", lock_path.display()))?;
    lock.lock()
        .with_context(|| format!("locking {}", lock_path.display()))?;
    remove_stale(parent, &name);
    let tmp = parent.join(format!(".{name}.new-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let spare = parent.join(format!(".{name}.spare"));
    let writer = Writer {
        dir: tmp.clone(),
        written: Mutex::new(HashSet::new()),
    };
    let filled = reuse(&spare, &tmp).and_then(|left| {
        fill(&writer)?;
        writer.write(MARKER, MARKER_TEXT.as_bytes())?;
        prune(&tmp, &left, &writer.written()?)
    });
    if let Err(e) = filled {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    swap(out, &tmp, &old)?;
    // The replaced output becomes the next build's spare.
    if old.exists() && std::fs::rename(&old, &spare).is_err() {
        remove_tree(&old).with_context(|| format!("removing {}", old.display()))?;
    }
    Ok(())
}

/// Writes the files of one build into its folder; safe to use from many
/// threads at once. Remembers what it wrote: everything else in the folder
/// (left from the spare) is removed before the swap.
pub struct Writer {
    dir: PathBuf,
    written: Mutex<HashSet<String>>,
}

impl Writer {
    /// Writes `bytes` to `rel` (a `/`-separated path), making its folders.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path: PathBuf = self.dir.join(rel);
        let open = || {
            std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
        };
        let file = match open() {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(p) = path.parent() {
                    std::fs::create_dir_all(p)
                        .with_context(|| format!("creating {}", p.display()))?;
                }
                open()
            }
            opened => opened,
        };
        file.and_then(|f| put(f, bytes))
            .with_context(|| format!("writing {}", path.display()))?;
        self.written
            .lock()
            .map_err(|_| anyhow::anyhow!("written files poisoned"))?
            .insert(rel.to_string());
        Ok(())
    }

    /// Writes `files`, in parallel.
    pub fn write_all(&self, files: &Files) -> Result<()> {
        files
            .par_iter()
            .try_for_each(|(rel, bytes)| self.write(rel, bytes))
    }

    fn written(&self) -> Result<HashSet<String>> {
        Ok(self
            .written
            .lock()
            .map_err(|_| anyhow::anyhow!("written files poisoned"))?
            .clone())
    }
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

/// Makes `tmp` from the spare of the last build, if there is one that holds
/// only folders and plain files with no other name (a symbolic or hard link
/// is never written through: such a spare is removed and the build starts
/// from an empty folder). Returns what the spare held.
fn reuse(spare: &Path, tmp: &Path) -> Result<Spare> {
    if spare.is_dir() {
        if let Some(held) = plain_tree(spare) {
            if std::fs::rename(spare, tmp).is_ok() {
                return Ok(held);
            }
        }
        let _ = remove_tree(spare);
    }
    std::fs::create_dir_all(tmp).with_context(|| format!("creating {}", tmp.display()))?;
    Ok(Spare::default())
}

/// The files and folders of a spare, as `/`-separated paths relative to it.
#[derive(Default)]
struct Spare {
    files: Vec<String>,
    folders: Vec<String>,
}

/// What `dir` holds, if it is only folders and plain files with no other
/// name; `None` at the first thing that is not.
fn plain_tree(dir: &Path) -> Option<Spare> {
    let mut held = Spare::default();
    for entry in walkdir::WalkDir::new(dir).follow_links(false).min_depth(1) {
        let entry = entry.ok()?;
        let rel = entry
            .path()
            .strip_prefix(dir)
            .ok()?
            .to_string_lossy()
            .replace('\\', "/");
        if entry.file_type().is_dir() {
            held.folders.push(rel);
        } else if only_link(&entry) {
            held.files.push(rel);
        } else {
            return None;
        }
    }
    Some(held)
}

/// A plain file that no other name links to: writing it changes nothing
/// outside the spare.
fn only_link(e: &walkdir::DirEntry) -> bool {
    if !e.file_type().is_file() {
        return false;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        e.metadata().is_ok_and(|m| m.nlink() == 1)
    }
    #[cfg(not(unix))]
    {
        true
    }
}

/// Removes from `dir` every file of the spare (`left`) that this build did
/// not write, then the spare's folders that hold nothing written: what the
/// spare held is known from [`reuse`], so the folder is not walked again.
fn prune(dir: &Path, left: &Spare, written: &HashSet<String>) -> Result<()> {
    for rel in left.files.iter().filter(|f| !written.contains(*f)) {
        let path = dir.join(rel);
        std::fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
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
    // Deepest first (a walk lists a folder before what it holds).
    for rel in left
        .folders
        .iter()
        .rev()
        .filter(|f| !kept.contains(f.as_str()))
    {
        let _ = std::fs::remove_dir(dir.join(rel));
    }
    Ok(())
}

/// Removes the temporary folders of builds that were killed: with the lock
/// held, no other build is writing one.
fn remove_stale(parent: &Path, name: &str) {
    let (new, old) = (format!(".{name}.new-"), format!(".{name}.old-"));
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().to_string();
        let ours = [&new, &old].iter().any(|p| {
            file_name
                .strip_prefix(p.as_str())
                .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
        });
        if ours && entry.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
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
    // `old`, the replaced output, is the caller's to keep or remove.
    Ok(())
}

/// Removes a folder tree, its top-level entries in parallel (the previous
/// output: tens of thousands of files in a few folders).
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.par_iter().try_for_each(|e| {
        if e.file_type()?.is_dir() {
            std::fs::remove_dir_all(e.path())
        } else {
            std::fs::remove_file(e.path())
        }
    })?;
    std::fs::remove_dir(dir)
}
