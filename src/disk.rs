//! The one way mieruka changes the disk.
//!
//! Every write, rename, copy and removal a command makes goes through a
//! [`Folder`]: the build's output, its spare and its lock, the temporary
//! folders of a build, of `archive` and of `import`'s pre-write check, the
//! archive copies, the content files `import`, `new` and `init` write and
//! the workbook `export` writes. The rules hold for all of them, here:
//!
//! | rule | how |
//! |---|---|
//! | never outside the folder it was given | paths inside a [`Folder`] are relative, with no `..`, root or drive ([`Error::Escapes`]) |
//! | never through a link it did not create | every part of a path that exists is looked at without following it (lstat); a link anywhere below the folder is refused and named ([`Error::Link`]); files are opened with `O_NOFOLLOW` as well |
//! | only plain files and folders | a pipe, socket or device is refused, never opened (a pipe would block for ever); files are opened non-blocking and looked at again once open |
//! | a file where a folder is expected, and the reverse | refused and named ([`Error::NotFolder`], [`Error::NotFile`]) |
//! | scratch never left behind | temporary files and folders are a [`Scratch`], removed when dropped unless kept: every failure path, early return and panic removes them |
//! | removal never follows a link | a link is removed itself; a tree is removed without entering a link (`std::fs::remove_dir_all`) |
//!
//! The folder itself is the caller's: a path the user named (the site
//! folder, `--out`'s parent, the folder given to `init`), reached through
//! whatever links its own path holds. Everything mieruka names below it is
//! checked.
//!
//! What this does not defend against: another process swapping a folder
//! for a link between the check and the use (the folders are the staff's
//! own; a build is not a privileged program).

use std::ffi::OsStr;
use std::fs::File;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// Why a path was refused or an operation failed; always names the path.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    #[error("{0}: this is a link, and mieruka never writes, copies or removes through a link it did not make\n  hint: remove the link, or put a real folder or file at that place")]
    Link(PathBuf),
    #[error("{0}: this is {1}, not an ordinary file or folder\n  hint: remove it; mieruka only reads and writes ordinary files and folders")]
    Special(PathBuf, &'static str),
    #[error("{0}: a folder is needed here, but this is a file\n  hint: move or remove the file")]
    NotFolder(PathBuf),
    #[error("{0}: a file is needed here, but this is a folder\n  hint: move or remove the folder")]
    NotFile(PathBuf),
    #[error("{0}: already exists\n  hint: choose another name, or remove it first")]
    Exists(PathBuf),
    #[error("{0}: this path leaves the folder it belongs in (`..` or an absolute path)")]
    Escapes(PathBuf),
    #[error("{0}: the file is {size:.1} MB, more than the {max} MB mieruka reads\n  hint: is this the right file?", size = *.1 as f64 / 1_048_576.0, max = .2 >> 20)]
    TooLarge(PathBuf, u64, u64),
    #[error("{0}: {1}")]
    Io(PathBuf, #[source] std::io::Error),
}

pub(crate) type Result<T> = std::result::Result<T, Error>;

/// What is at a path, looked at without following it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    File,
    Folder,
}

/// A folder mieruka was given, and the one door to everything below it.
#[derive(Debug, Clone)]
pub(crate) struct Folder {
    root: PathBuf,
}

impl Folder {
    /// The folder at `root` (as the user named it; nothing is checked yet).
    pub(crate) fn new(root: impl Into<PathBuf>) -> Folder {
        let root = root.into();
        Folder {
            root: if root.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                root
            },
        }
    }

    /// The folder above `path` and `path`'s last part, for a path the user
    /// named whose last part is the thing written (`--xlsx FILE`,
    /// `init DIR`).
    pub(crate) fn around(path: &Path) -> Result<(Folder, PathBuf)> {
        let name = match path.components().next_back() {
            Some(Component::Normal(name)) => PathBuf::from(name),
            _ => return Err(Error::Escapes(path.to_path_buf())),
        };
        let parent = path.parent().unwrap_or(Path::new("."));
        Ok((Folder::new(parent), name))
    }

    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// `rel` joined to the folder, as messages show it.
    pub(crate) fn path(&self, rel: impl AsRef<Path>) -> PathBuf {
        let rel = rel.as_ref();
        if self.root == Path::new(".") && !rel.as_os_str().is_empty() {
            rel.to_path_buf()
        } else {
            self.root.join(rel)
        }
    }

    /// Where a walk of a path's parts starts: the folder, or nothing for
    /// `.` (so that messages show `content/…`, not `./content/…`).
    fn start(&self) -> PathBuf {
        if self.root == Path::new(".") {
            PathBuf::new()
        } else {
            self.root.clone()
        }
    }

    /// The parts of `rel`, which must stay inside the folder.
    fn parts<'a>(&self, rel: &'a Path) -> Result<Vec<&'a OsStr>> {
        let mut parts = Vec::new();
        for c in rel.components() {
            match c {
                Component::Normal(p) => parts.push(p),
                Component::CurDir => {}
                _ => return Err(Error::Escapes(self.path(rel))),
            }
        }
        Ok(parts)
    }

    /// What is at `rel` (`None`: nothing), every part of the path looked at
    /// without following it: a link or a special file anywhere is an error,
    /// and so is a file where a folder is needed.
    pub(crate) fn kind(&self, rel: impl AsRef<Path>) -> Result<Option<Kind>> {
        let rel = rel.as_ref();
        let parts = self.parts(rel)?;
        let mut at = self.start();
        for (i, part) in parts.iter().enumerate() {
            at.push(part);
            let Some(kind) = look(&at)? else {
                return Ok(None);
            };
            if i + 1 == parts.len() {
                return Ok(Some(kind));
            }
            if kind != Kind::Folder {
                return Err(Error::NotFolder(at));
            }
        }
        // `rel` is the folder itself.
        match std::fs::metadata(&self.root) {
            Ok(m) if m.is_dir() => Ok(Some(Kind::Folder)),
            Ok(_) => Err(Error::NotFolder(self.root.clone())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::Io(self.root.clone(), e)),
        }
    }

    /// Makes the folder `rel` and every folder above it that is missing
    /// (the given folder too); never through a link.
    pub(crate) fn make_folders(&self, rel: impl AsRef<Path>) -> Result<()> {
        let rel = rel.as_ref();
        let parts = self.parts(rel)?;
        std::fs::create_dir_all(&self.root).map_err(|e| Error::Io(self.root.clone(), e))?;
        let mut at = self.start();
        for part in parts {
            at.push(part);
            match look(&at)? {
                Some(Kind::Folder) => {}
                Some(Kind::File) => return Err(Error::NotFolder(at)),
                None => match std::fs::create_dir(&at) {
                    Ok(()) => {}
                    // Made meanwhile by another build: look again.
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        if look(&at)? != Some(Kind::Folder) {
                            return Err(Error::NotFolder(at));
                        }
                    }
                    Err(e) => return Err(Error::Io(at, e)),
                },
            }
        }
        Ok(())
    }

    /// Makes the folders above `rel`.
    fn make_parent(&self, rel: &Path) -> Result<()> {
        match rel.parent() {
            Some(p) if !p.as_os_str().is_empty() => self.make_folders(p),
            _ => self.make_folders(""),
        }
    }

    /// Writes a new file `rel` (its folders made as needed); refused when
    /// anything is there already, a link included.
    pub(crate) fn write_new(&self, rel: impl AsRef<Path>, bytes: &[u8]) -> Result<()> {
        let rel = rel.as_ref();
        self.make_parent(rel)?;
        let path = self.path(rel);
        if self.kind(rel)?.is_some() {
            return Err(Error::Exists(path));
        }
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| {
                if e.kind() == std::io::ErrorKind::AlreadyExists {
                    Error::Exists(path.clone())
                } else {
                    Error::Io(path.clone(), e)
                }
            })?;
        // A file half-written (a full disk) is not left behind.
        let mut made = Scratch::new(path.clone());
        write_all(file, bytes, &path)?;
        made.keep();
        Ok(())
    }

    /// Replaces the file `rel` (or makes it) with `bytes`: written to a new
    /// scratch file beside it, then renamed over it, so that a reader sees
    /// the old file or the new one, never half of one. What is at `rel`
    /// must be an ordinary file or nothing.
    pub(crate) fn replace(&self, rel: impl AsRef<Path>, bytes: &[u8]) -> Result<()> {
        let rel = rel.as_ref();
        let staged = self.stage(rel, bytes)?;
        self.put_staged(staged, rel)
    }

    /// Writes `bytes` to a new scratch file beside `rel`, for
    /// [`Folder::put_staged`]: several files can be staged before any is
    /// put in place.
    pub(crate) fn stage(&self, rel: impl AsRef<Path>, bytes: &[u8]) -> Result<Scratch> {
        let rel = rel.as_ref();
        self.make_parent(rel)?;
        if self.kind(rel)? == Some(Kind::Folder) {
            return Err(Error::NotFile(self.path(rel)));
        }
        let name = rel
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let (file, path) = self.new_scratch_file(rel, &name)?;
        let scratch = Scratch::new(path.clone());
        write_all(file, bytes, &path)?;
        Ok(scratch)
    }

    /// Puts a file made by [`Folder::stage`] in place at `rel`.
    pub(crate) fn put_staged(&self, mut staged: Scratch, rel: impl AsRef<Path>) -> Result<()> {
        let rel = rel.as_ref();
        if self.kind(rel)? == Some(Kind::Folder) {
            return Err(Error::NotFile(self.path(rel)));
        }
        let to = self.path(rel);
        std::fs::rename(&staged.path, &to).map_err(|e| Error::Io(to, e))?;
        staged.keep();
        Ok(())
    }

    /// A new file beside `rel`, with a name no one else uses.
    fn new_scratch_file(&self, rel: &Path, name: &str) -> Result<(File, PathBuf)> {
        let dir = rel.parent().unwrap_or(Path::new(""));
        let stamp = unique();
        for n in 0..100u32 {
            let path = self.path(dir.join(format!(".{name}.{stamp}-{n}.mieruka-tmp")));
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(f) => return Ok((f, path)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(Error::Io(path, e)),
            }
        }
        Err(Error::Exists(self.path(rel)))
    }

    /// Opens the ordinary file `rel` to read and write it in place, making
    /// it (and its folders) if missing. For a build's own output folder,
    /// whose tree this build made or found plain ([`Folder::plain_tree`]):
    /// the folders of `rel` are looked at only when `check_folders` is set.
    pub(crate) fn open_in_place(&self, rel: &str, check_folders: bool) -> Result<File> {
        let rel = Path::new(rel);
        if check_folders {
            self.make_parent(rel)?;
        }
        let mut opts = std::fs::OpenOptions::new();
        opts.read(true).write(true).create(true).truncate(false);
        open_plain(&self.path(rel), opts)
    }

    /// Opens (making it if missing) the lock file `rel`: an ordinary file.
    /// Anything else there (a link, dangling or not; a pipe) is removed
    /// first, never followed: the name is mieruka's.
    pub(crate) fn lock_file(&self, rel: impl AsRef<Path>) -> Result<File> {
        let rel = rel.as_ref();
        self.make_parent(rel)?;
        let path = self.path(rel);
        match self.kind(rel) {
            Ok(Some(Kind::File)) | Ok(None) => {}
            Ok(Some(Kind::Folder)) => return Err(Error::NotFile(path)),
            Err(Error::Link(_)) | Err(Error::Special(..)) => self.remove(rel)?,
            Err(e) => return Err(e),
        }
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create(true).truncate(false);
        open_plain(&path, opts)
    }

    /// Renames `from` to `to` (both inside this folder). `to` must be
    /// free, or an ordinary file when `from` is one; neither may be a link.
    pub(crate) fn rename(&self, from: impl AsRef<Path>, to: impl AsRef<Path>) -> Result<()> {
        let (from, to) = (from.as_ref(), to.as_ref());
        let Some(kind) = self.kind(from)? else {
            return Err(Error::Io(
                self.path(from),
                std::io::ErrorKind::NotFound.into(),
            ));
        };
        match (kind, self.kind(to)?) {
            (_, None) | (Kind::File, Some(Kind::File)) => {}
            (_, Some(_)) => return Err(Error::Exists(self.path(to))),
        }
        std::fs::rename(self.path(from), self.path(to)).map_err(|e| Error::Io(self.path(to), e))
    }

    /// Removes whatever is at `rel` — a file, a folder tree, a link (the
    /// link itself), a pipe — without following any link. Nothing there is
    /// fine.
    pub(crate) fn remove(&self, rel: impl AsRef<Path>) -> Result<()> {
        let rel = rel.as_ref();
        let parts = self.parts(rel)?;
        if parts.is_empty() {
            return Err(Error::Escapes(self.path(rel)));
        }
        // The folders above must be real ones: removing `a/b` through a
        // link `a` would remove someone else's `b`.
        if let Some(parent) = rel.parent().filter(|p| !p.as_os_str().is_empty()) {
            match self.kind(parent)? {
                Some(Kind::Folder) => {}
                None => return Ok(()),
                Some(Kind::File) => return Err(Error::NotFolder(self.path(parent))),
            }
        }
        remove_path(&self.path(rel))
    }

    /// Removes the folder `rel` if it is empty (a link or a file there is
    /// left alone); says whether it did.
    pub(crate) fn remove_if_empty(&self, rel: impl AsRef<Path>) -> bool {
        let rel = rel.as_ref();
        // `rmdir` never follows a link; the folders above are looked at.
        match rel.parent().filter(|p| !p.as_os_str().is_empty()) {
            Some(p) if !matches!(self.kind(p), Ok(Some(Kind::Folder))) => false,
            _ => std::fs::remove_dir(self.path(rel)).is_ok(),
        }
    }

    /// A new scratch folder at `rel`, removed when dropped unless kept.
    /// Whatever is at `rel` already (left by a killed run: a folder, a
    /// file, a link) is removed first, never followed.
    pub(crate) fn scratch_folder(&self, rel: impl AsRef<Path>) -> Result<Scratch> {
        let rel = rel.as_ref();
        self.make_parent(rel)?;
        self.remove(rel)?;
        let path = self.path(rel);
        std::fs::create_dir(&path).map_err(|e| Error::Io(path.clone(), e))?;
        Ok(Scratch::new(path))
    }

    /// What the folder `rel` holds — folders and files, as `/`-separated
    /// paths from it, in walk order (a folder before what it holds) — if it
    /// is a real folder holding only folders and ordinary files that no
    /// other name links to, with names in UTF-8 and owned by the owner of
    /// `owner` (a folder this process made). `Ok(None)` at the first thing
    /// that is not.
    pub(crate) fn plain_tree(&self, rel: impl AsRef<Path>, owner: &Path) -> Result<Option<Tree>> {
        let rel = rel.as_ref();
        if self.kind(rel)? != Some(Kind::Folder) {
            return Ok(None);
        }
        let dir = self.path(rel);
        let ours = owner_of(owner);
        if ours.is_some() && owner_of(&dir) != ours {
            return Ok(None);
        }
        let mut held = Tree::default();
        let walk = walkdir::WalkDir::new(&dir)
            .follow_links(false)
            .follow_root_links(false)
            .min_depth(1);
        for entry in walk {
            let Ok(entry) = entry else { return Ok(None) };
            let Some(rel) = entry
                .path()
                .strip_prefix(&dir)
                .ok()
                .and_then(|r| r.to_str())
                .map(|r| r.replace('\\', "/"))
            else {
                return Ok(None);
            };
            let Ok(meta) = entry.metadata() else {
                return Ok(None);
            };
            if ours.is_some() && owner_of_meta(&meta) != ours {
                return Ok(None);
            }
            if entry.file_type().is_dir() {
                held.folders.push(rel);
            } else if entry.file_type().is_file() && single_name(&meta) {
                held.files.push(rel);
            } else {
                return Ok(None);
            }
        }
        Ok(Some(held))
    }

    /// Copies the folder `from` (of `source`) into the folder `to` of this
    /// folder, in name order, each entry as `take` says (given its path
    /// from `from`, its name and what it is): files are read without
    /// following a link and never from a pipe; a link is never followed,
    /// only made anew where `take` says so (to a target it gives); a link
    /// or special file `take` does not skip is an error that names it.
    /// Returns the number of files copied. On failure the caller's
    /// [`Scratch`] removes the copy.
    pub(crate) fn copy_tree(
        &self,
        source: &Folder,
        from: impl AsRef<Path>,
        to: impl AsRef<Path>,
        take: &dyn Fn(&Path, &str, Entry) -> Take,
    ) -> Result<usize> {
        let (from, to) = (from.as_ref(), to.as_ref());
        match source.kind(from)? {
            Some(Kind::Folder) => {}
            Some(Kind::File) => return Err(Error::NotFolder(source.path(from))),
            None => {
                return Err(Error::Io(
                    source.path(from),
                    std::io::ErrorKind::NotFound.into(),
                ))
            }
        }
        self.make_folders(to)?;
        let mut files = 0;
        let mut stack = vec![PathBuf::new()];
        while let Some(sub) = stack.pop() {
            let dir = source.path(from.join(&sub));
            let mut names: Vec<std::ffi::OsString> = std::fs::read_dir(&dir)
                .map_err(|e| Error::Io(dir.clone(), e))?
                .map(|e| e.map(|e| e.file_name()))
                .collect::<std::io::Result<_>>()
                .map_err(|e| Error::Io(dir.clone(), e))?;
            names.sort();
            let mut folders = Vec::new();
            for name in names {
                let rel = sub.join(&name);
                let at = source.path(from.join(&rel));
                let entry = match look(&at) {
                    Ok(None) => continue,
                    Ok(Some(Kind::File)) => Entry::File,
                    Ok(Some(Kind::Folder)) => Entry::Folder,
                    Err(Error::Link(_)) => Entry::Link,
                    Err(Error::Special(..)) => Entry::Special,
                    Err(e) => return Err(e),
                };
                let kind = match take(&rel, &name.to_string_lossy(), entry) {
                    Take::Skip => continue,
                    Take::LinkTo(target) => {
                        make_link(&target, &self.path(to.join(&rel)))?;
                        continue;
                    }
                    Take::Copy => match entry {
                        Entry::File => Kind::File,
                        Entry::Folder => Kind::Folder,
                        // Links and special files are never copied.
                        Entry::Link | Entry::Special => {
                            return Err(look(&at).err().unwrap_or(Error::Link(at)))
                        }
                    },
                };
                match kind {
                    Kind::Folder => {
                        let made = self.path(to.join(&rel));
                        std::fs::create_dir(&made).map_err(|e| Error::Io(made, e))?;
                        folders.push(rel);
                    }
                    Kind::File => {
                        let bytes = read_plain(&at)?;
                        let dest = self.path(to.join(&rel));
                        let file = std::fs::OpenOptions::new()
                            .write(true)
                            .create_new(true)
                            .open(&dest)
                            .map_err(|e| Error::Io(dest.clone(), e))?;
                        write_all(file, &bytes, &dest)?;
                        files += 1;
                    }
                }
            }
            // Name order: the stack takes the last pushed first.
            stack.extend(folders.into_iter().rev());
        }
        Ok(files)
    }
}

/// What [`Folder::copy_tree`] found at an entry, not following it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Entry {
    File,
    Folder,
    Link,
    /// A pipe, socket or device.
    Special,
}

/// What [`Folder::copy_tree`] does with an entry.
#[derive(Debug)]
pub(crate) enum Take {
    /// A file or folder is copied; a link or special file is an error.
    Copy,
    Skip,
    /// A new link is made at the entry's place in the copy, to this target.
    LinkTo(PathBuf),
}

/// Makes a link at `at` to `target` (in a scratch copy: see
/// [`Take::LinkTo`]).
fn make_link(target: &Path, at: &Path) -> Result<()> {
    #[cfg(unix)]
    let made = std::os::unix::fs::symlink(target, at);
    #[cfg(windows)]
    let made = if target.is_dir() {
        std::os::windows::fs::symlink_dir(target, at)
    } else {
        std::os::windows::fs::symlink_file(target, at)
    };
    made.map_err(|e| Error::Io(at.to_path_buf(), e))
}

/// The folders and files of a plain tree ([`Folder::plain_tree`]).
#[derive(Debug, Default)]
pub(crate) struct Tree {
    pub files: Vec<String>,
    pub folders: Vec<String>,
}

/// A temporary file or folder: removed (never through a link) when
/// dropped, unless [`Scratch::keep`] was called.
#[derive(Debug)]
pub(crate) struct Scratch {
    path: PathBuf,
    armed: bool,
}

impl Scratch {
    fn new(path: PathBuf) -> Scratch {
        Scratch { path, armed: true }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Keeps the file or folder (it was renamed into place, or is handed
    /// on).
    pub(crate) fn keep(&mut self) {
        self.armed = false;
    }

    /// Removes it now, saying whether that worked.
    pub(crate) fn remove(mut self) -> Result<()> {
        self.armed = false;
        remove_path(&self.path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if self.armed {
            let _ = remove_path(&self.path);
        }
    }
}

/// A new scratch folder in the system's temporary folder, with a name no
/// one else uses (made new: never an existing folder or link).
pub(crate) fn temp_folder(what: &str) -> Result<Scratch> {
    let base = std::env::temp_dir();
    let stamp = unique();
    for n in 0..100u32 {
        let path = base.join(format!("mieruka-{what}-{stamp}-{n}"));
        match std::fs::create_dir(&path) {
            Ok(()) => return Ok(Scratch::new(path)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::Io(path, e)),
        }
    }
    Err(Error::Exists(base.join(format!("mieruka-{what}-{stamp}"))))
}

/// Reads a file the user named (a sheet, a mapping file): a link to it is
/// fine, but it must be an ordinary file (a pipe would block for ever; it
/// is opened non-blocking and looked at once open) of at most `limit`
/// bytes ([`Error::TooLarge`]); a file that grows while it is read is cut
/// off there.
pub(crate) fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>> {
    // Looked at before it is opened, and again after.
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => return Err(special(path, &m)),
        Ok(_) => {}
        Err(e) => return Err(Error::Io(path.to_path_buf(), e)),
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    // The user named this file: a link to it is followed.
    let file = open_checked(path, opts, Follow::Yes)?;
    let meta = file
        .metadata()
        .map_err(|e| Error::Io(path.to_path_buf(), e))?;
    if meta.len() > limit {
        return Err(Error::TooLarge(path.to_path_buf(), meta.len(), limit));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::io::Read::read_to_end(&mut std::io::Read::take(file, limit + 1), &mut bytes)
        .map_err(|e| Error::Io(path.to_path_buf(), e))?;
    if bytes.len() as u64 > limit {
        return Err(Error::TooLarge(
            path.to_path_buf(),
            bytes.len() as u64,
            limit,
        ));
    }
    Ok(bytes)
}

/// Reads an ordinary file for copying: not through a link, never blocking
/// on a pipe.
fn read_plain(path: &Path) -> Result<Vec<u8>> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    let mut file = open_plain(path, opts)?;
    let len = file.metadata().map_or(0, |m| m.len());
    let mut bytes = Vec::with_capacity(len as usize);
    std::io::Read::read_to_end(&mut file, &mut bytes)
        .map_err(|e| Error::Io(path.to_path_buf(), e))?;
    Ok(bytes)
}

fn write_all(mut file: File, bytes: &[u8], path: &Path) -> Result<()> {
    file.write_all(bytes)
        .and_then(|()| file.flush())
        .map_err(|e| Error::Io(path.to_path_buf(), e))
}

/// What is at `path`, not following it; a link or special file is an error.
fn look(path: &Path) -> Result<Option<Kind>> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(Error::Link(path.to_path_buf())),
        Ok(m) if m.is_dir() => Ok(Some(Kind::Folder)),
        Ok(m) if m.is_file() => Ok(Some(Kind::File)),
        Ok(m) => Err(special(path, &m)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::Io(path.to_path_buf(), e)),
    }
}

/// Removes `path` whatever it is, never following a link.
fn remove_path(path: &Path) -> Result<()> {
    let result = match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => Err(e),
        // Does not follow links, at the top or inside.
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
    };
    result.map_err(|e| Error::Io(path.to_path_buf(), e))
}

fn special(path: &Path, meta: &std::fs::Metadata) -> Error {
    let t = meta.file_type();
    let what = if t.is_dir() {
        return Error::NotFile(path.to_path_buf());
    } else if t.is_symlink() {
        return Error::Link(path.to_path_buf());
    } else {
        special_name(&t)
    };
    Error::Special(path.to_path_buf(), what)
}

#[cfg(unix)]
fn special_name(t: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_fifo() {
        "a pipe (FIFO)"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_block_device() || t.is_char_device() {
        "a device"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_name(_: &std::fs::FileType) -> &'static str {
    "a special file"
}

/// The error of opening `path` with `O_NOFOLLOW`: a link shows as ELOOP.
fn opened(path: &Path, e: std::io::Error) -> Error {
    if let Ok(m) = std::fs::symlink_metadata(path) {
        if m.file_type().is_symlink() {
            return Error::Link(path.to_path_buf());
        }
        if !m.is_file() {
            return special(path, &m);
        }
    }
    Error::Io(path.to_path_buf(), e)
}

/// Opens `path` with `opts`, never through a link at its last part and
/// never waiting on a pipe, and makes sure that what was opened is an
/// ordinary file.
fn open_plain(path: &Path, opts: std::fs::OpenOptions) -> Result<File> {
    open_checked(path, opts, Follow::No)
}

/// Whether the last part of a path may be a link to follow.
#[derive(PartialEq)]
enum Follow {
    Yes,
    No,
}

/// Opens `path` never waiting on a pipe (and, with [`Follow::No`], never
/// through a link at its last part), and makes sure that what was opened
/// is an ordinary file.
fn open_checked(path: &Path, mut opts: std::fs::OpenOptions, follow: Follow) -> Result<File> {
    non_blocking(&mut opts, follow == Follow::No);
    let file = opts.open(path).map_err(|e| opened(path, e))?;
    let meta = file
        .metadata()
        .map_err(|e| Error::Io(path.to_path_buf(), e))?;
    if !meta.is_file() {
        return Err(special(path, &meta));
    }
    Ok(file)
}

/// Opens never waiting on a pipe (such an open is refused after it, by
/// the file's type) and, with `no_follow`, never through a link at the last
/// part.
fn non_blocking(opts: &mut std::fs::OpenOptions, no_follow: bool) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let follow = if no_follow { libc::O_NOFOLLOW } else { 0 };
        opts.custom_flags(follow | libc::O_NONBLOCK);
    }
    #[cfg(not(unix))]
    {
        let _ = (opts, no_follow);
    }
}

/// Whether no other name links to this file (writing it changes nothing
/// elsewhere).
fn single_name(meta: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        meta.nlink() == 1
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        true
    }
}

fn owner_of(path: &Path) -> Option<u32> {
    std::fs::symlink_metadata(path)
        .ok()
        .and_then(|m| owner_of_meta(&m))
}

fn owner_of_meta(meta: &std::fs::Metadata) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some(meta.uid())
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// A stamp for scratch names: the process and the time.
fn unique() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{}-{nanos}", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp() -> tempfile::TempDir {
        tempfile::tempdir().unwrap()
    }

    #[cfg(unix)]
    #[test]
    fn nothing_goes_through_a_link_below_the_folder() {
        let (site, canary) = (tmp(), tmp());
        std::fs::write(canary.path().join("keep.txt"), "canary").unwrap();
        std::os::unix::fs::symlink(canary.path(), site.path().join("out")).unwrap();
        let f = Folder::new(site.path());
        assert!(matches!(
            f.write_new("out/new.txt", b"x"),
            Err(Error::Link(_))
        ));
        assert!(matches!(
            f.replace("out/keep.txt", b"x"),
            Err(Error::Link(_))
        ));
        assert!(matches!(f.make_folders("out/a"), Err(Error::Link(_))));
        assert!(matches!(f.scratch_folder("out/s"), Err(Error::Link(_))));
        assert!(matches!(f.remove("out/keep.txt"), Err(Error::Link(_))));
        assert!(matches!(
            f.open_in_place("out/keep.txt", true),
            Err(Error::Link(_))
        ));
        std::os::unix::fs::symlink(canary.path().join("keep.txt"), site.path().join("f")).unwrap();
        assert!(matches!(f.open_in_place("f", false), Err(Error::Link(_))));
        assert!(matches!(f.replace("f", b"x"), Err(Error::Link(_))));
        // Removing the link itself is fine and leaves its target alone.
        f.remove("out").unwrap();
        f.remove("f").unwrap();
        assert_eq!(
            std::fs::read(canary.path().join("keep.txt")).unwrap(),
            b"canary"
        );
        assert_eq!(std::fs::read_dir(site.path()).unwrap().count(), 0);
    }

    #[test]
    fn paths_never_leave_the_folder() {
        let site = tmp();
        let f = Folder::new(site.path().join("a"));
        assert!(matches!(f.write_new("../x", b"x"), Err(Error::Escapes(_))));
        assert!(matches!(f.remove("/etc"), Err(Error::Escapes(_))));
        assert!(!site.path().join("x").exists());
    }

    #[test]
    fn scratch_is_removed_unless_kept() {
        let site = tmp();
        let f = Folder::new(site.path());
        {
            let s = f.scratch_folder("s").unwrap();
            std::fs::write(s.path().join("x"), "x").unwrap();
        }
        assert!(!site.path().join("s").exists());
        let staged = f.stage("a/b.txt", b"new").unwrap();
        f.put_staged(staged, "a/b.txt").unwrap();
        assert_eq!(std::fs::read(site.path().join("a/b.txt")).unwrap(), b"new");
        f.replace("a/b.txt", b"newer").unwrap();
        assert_eq!(
            std::fs::read(site.path().join("a/b.txt")).unwrap(),
            b"newer"
        );
        let names: Vec<_> = std::fs::read_dir(site.path().join("a"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["b.txt"]);
    }

    #[test]
    fn a_file_where_a_folder_is_needed_and_the_reverse_are_named() {
        let site = tmp();
        std::fs::write(site.path().join("file"), "x").unwrap();
        std::fs::create_dir(site.path().join("dir")).unwrap();
        let f = Folder::new(site.path());
        assert!(
            matches!(f.write_new("file/x", b"x"), Err(Error::NotFolder(p)) if p.ends_with("file"))
        );
        assert!(matches!(f.replace("dir", b"x"), Err(Error::NotFile(p)) if p.ends_with("dir")));
        assert!(matches!(f.write_new("file", b"x"), Err(Error::Exists(_))));
    }

    #[cfg(unix)]
    #[test]
    fn pipes_are_refused_never_opened() {
        let site = tmp();
        let fifo = site.path().join("p");
        assert!(std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success());
        let f = Folder::new(site.path());
        assert!(matches!(
            f.open_in_place("p", false),
            Err(Error::Special(..))
        ));
        assert!(matches!(f.replace("p", b"x"), Err(Error::Special(..))));
        assert!(matches!(f.kind("p"), Err(Error::Special(..))));
        let other = tmp();
        let to = Folder::new(other.path());
        let copied = to.copy_tree(&f, "", "", &|_, _, _| Take::Copy);
        assert!(matches!(copied, Err(Error::Special(..))), "{copied:?}");
    }
}
