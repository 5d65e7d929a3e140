//! Watching the site's files: notify's native watcher (or polling, for
//! network drives where change notifications do not arrive), filtered to
//! `content/` and `themes/`, and debounced: an editor's save-as-rename, a
//! burst from `git checkout`, a new folder or a deleted file all end in one
//! batch, hence one rebuild.

use anyhow::{Context, Result};
use notify::{PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// Quiet time that ends a batch, and the longest a batch may grow.
const QUIET: Duration = Duration::from_millis(15);
const LONGEST: Duration = Duration::from_millis(600);

pub struct Changes {
    _watcher: Box<dyn Watcher + Send>,
    rx: Receiver<PathBuf>,
    root: PathBuf,
}

/// What a change affects.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Batch {
    pub paths: BTreeSet<PathBuf>,
    /// A theme file or `site.toml` changed: everything is rendered again.
    pub theme_or_config: bool,
}

fn relevant(root: &Path, p: &Path) -> bool {
    let Ok(rel) = p.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string());
    let first = parts.next().unwrap_or_default();
    if first != "content" && first != "themes" {
        return false;
    }
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    // Editors' swap, backup and lock files are not content.
    !(name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.starts_with(".#")
        || name.ends_with(".tmp"))
}

impl Changes {
    pub fn start(root: &Path, poll: bool) -> Result<Changes> {
        let (tx, rx) = channel();
        let root_abs = root
            .canonicalize()
            .with_context(|| format!("reading {}", root.display()))?;
        let root_for_events = root_abs.clone();
        let handler = move |res: notify::Result<notify::Event>| {
            if let Ok(event) = res {
                // Reading a file (as every rebuild does) is not a change.
                use notify::event::{EventKind, ModifyKind};
                if matches!(
                    event.kind,
                    EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_))
                ) {
                    return;
                }
                for p in event.paths {
                    if relevant(&root_for_events, &p) {
                        let _ = tx.send(p);
                    }
                }
            }
        };
        let mut watcher: Box<dyn Watcher + Send> = if poll {
            let config = notify::Config::default().with_poll_interval(Duration::from_millis(500));
            Box::new(PollWatcher::new(handler, config)?)
        } else {
            Box::new(RecommendedWatcher::new(handler, notify::Config::default())?)
        };
        for dir in ["content", "themes"] {
            let d = root_abs.join(dir);
            if d.is_dir() {
                watcher
                    .watch(&d, RecursiveMode::Recursive)
                    .with_context(|| format!("watching {}", d.display()))?;
            }
        }
        // A themes/ folder created later is noticed here.
        watcher.watch(&root_abs, RecursiveMode::NonRecursive)?;
        Ok(Changes {
            _watcher: watcher,
            rx,
            root: root_abs,
        })
    }

    /// Waits for the next batch of changes; `None` when watching stopped.
    pub fn next_batch(&self) -> Option<Batch> {
        let root = self.root.as_path();
        let first = self.rx.recv().ok()?;
        let mut batch = Batch::default();
        let started = Instant::now();
        let add = |p: PathBuf, batch: &mut Batch| {
            let rel = p.strip_prefix(root).map(Path::to_path_buf).unwrap_or(p);
            let theme = rel
                .components()
                .next()
                .is_some_and(|c| c.as_os_str() == "themes");
            if theme || rel.ends_with("site.toml") || rel.to_string_lossy().contains("departments")
            {
                batch.theme_or_config = true;
            }
            batch.paths.insert(rel);
        };
        add(first, &mut batch);
        while started.elapsed() < LONGEST {
            match self.rx.recv_timeout(QUIET) {
                Ok(p) => add(p, &mut batch),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        Some(batch)
    }
}
