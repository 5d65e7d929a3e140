//! `mieruka serve`: the authors' preview. Builds the site into memory,
//! serves it over HTTP (`http`), watches `content/` and `themes/`
//! (`watch`), rebuilds through the same stages as `build` after every
//! change, and tells open pages to reload — or shows them the errors.
//!
//! Incremental: the renderer keeps each page's view hash and HTML, so a
//! change re-renders only the pages whose view changed (its own pages in
//! both languages, and the section, plan, department and status pages that
//! show it); a theme or `site.toml` change starts a fresh renderer. The
//! search index, the slow part, is rebuilt in the background after the
//! pages are live, and swapped in when ready.

mod http;
mod reach;
mod watch;

use crate::diagnostics::Severity;
use crate::render::{Files, RenderOptions, Renderer, Theme};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, RwLock};
use std::time::Instant;
use tokio::sync::broadcast;

/// `mieruka serve`'s settings.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: String,
    pub port: u16,
    pub open: bool,
    pub poll: bool,
}

/// What the HTTP side reads: the live site, the current errors, the events.
pub struct Shared {
    files: RwLock<Arc<Files>>,
    error: RwLock<Option<String>>,
    events: broadcast::Sender<(&'static str, String)>,
    base_path: String,
}

impl Shared {
    fn files(&self) -> Arc<Files> {
        self.files
            .read()
            .map(|f| Arc::clone(&f))
            .unwrap_or_default()
    }

    fn error(&self) -> Option<String> {
        self.error.read().ok().and_then(|e| e.clone())
    }

    fn set_files(&self, files: Files) {
        if let Ok(mut f) = self.files.write() {
            *f = Arc::new(files);
        }
    }

    fn set_error(&self, e: Option<String>) {
        if let Ok(mut slot) = self.error.write() {
            *slot = e;
        }
    }

    fn send(&self, event: &'static str, data: String) {
        let _ = self.events.send((event, data));
    }
}

/// The reload script, added to every page in serve mode only.
fn inject() -> String {
    format!("<script>{}</script>", include_str!("reload.js"))
}

/// One rebuild's outcome, as printed and as sent to the pages.
enum Outcome {
    Built {
        site: Arc<crate::model::Site>,
        files: Files,
        changed: Vec<String>,
        warnings: Vec<String>,
    },
    Failed(Vec<String>),
}

/// The rebuilding side: the renderer kept between rebuilds.
struct Builder {
    root: PathBuf,
    renderer: Option<Arc<Renderer>>,
    /// The site of the last successful rebuild.
    last: Option<Arc<crate::model::Site>>,
}

impl Builder {
    fn rebuild(&mut self, batch: &watch::Batch) -> Outcome {
        let fresh_renderer = batch.theme_or_config;
        let t = Instant::now();
        let (site, diags) = crate::content::load(&self.root);
        if std::env::var_os("MIERUKA_DEBUG").is_some() {
            eprintln!("load: {:?}", t.elapsed());
        }
        let lines: Vec<String> = diags.sorted().iter().map(|d| d.to_string()).collect();
        let Some(site) = site else {
            return Outcome::Failed(lines);
        };
        let warnings: Vec<String> = diags
            .sorted()
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .map(|d| d.to_string())
            .collect();
        if fresh_renderer || self.renderer.is_none() {
            let theme = match Theme::load(&self.root, &site.config.theme) {
                Ok(t) => t,
                Err(e) => return Outcome::Failed(vec![format!("error: {e:#}")]),
            };
            let opts = RenderOptions {
                inject: Some(inject()),
                no_search: true,
                defer_data: true,
            };
            match Renderer::new(&theme, opts) {
                Ok(r) => self.renderer = Some(Arc::new(r)),
                Err(e) => return Outcome::Failed(vec![format!("error: {e:#}")]),
            }
        }
        let Some(renderer) = &self.renderer else {
            return Outcome::Failed(vec!["error: no renderer".into()]);
        };
        let rendered = match reach::reach(self.last.as_deref(), &site, batch) {
            reach::Reach::Initiatives(inits) if !fresh_renderer => {
                let old = self.last.as_deref().unwrap_or(&site);
                renderer.pages_where(&site, reach::pages_of(old, &site, &inits).as_ref())
            }
            _ => renderer.pages(&site),
        };
        if std::env::var_os("MIERUKA_DEBUG").is_some() {
            eprintln!("load + render: {:?}", t.elapsed());
        }
        match rendered {
            Ok(r) => {
                let site = Arc::new(site);
                self.last = Some(Arc::clone(&site));
                Outcome::Built {
                    site,
                    files: r.files,
                    changed: r.changed,
                    warnings,
                }
            }
            Err(e) => {
                // A template error: the next rebuild starts from the theme again.
                self.renderer = None;
                Outcome::Failed(vec![format!("error: {e:#}")])
            }
        }
    }
}

fn error_json(lines: &[String]) -> String {
    serde_json::json!({
        "title": "mieruka: サイトを更新できませんでした。次の問題を直して保存すると、このページは自動で元に戻ります。 (The site could not be rebuilt: fix these and save.)",
        "lines": lines,
    })
    .to_string()
}

/// Applies an outcome to the live site; returns the site to index, if built.
fn publish(
    shared: &Shared,
    outcome: Outcome,
    took: std::time::Duration,
) -> Option<Arc<crate::model::Site>> {
    match outcome {
        Outcome::Failed(lines) => {
            eprintln!(
                "✗ rebuild failed after {} ms — still serving the last good site:",
                took.as_millis()
            );
            for l in &lines {
                eprintln!("{l}");
            }
            let json = error_json(&lines);
            shared.set_error(Some(json.clone()));
            shared.send("build-error", json);
            None
        }
        Outcome::Built {
            site,
            mut files,
            changed,
            warnings,
        } => {
            for w in &warnings {
                eprintln!("{w}");
            }
            // Until the new index and data files are made (`after_worker`),
            // the last ones are served.
            let old = shared.files();
            let later =
                |k: &str| crate::search::is_index_file(k) || crate::render::is_deferred_file(k);
            for (k, v) in old.iter().filter(|(k, _)| later(k)) {
                files.entry(k.clone()).or_insert_with(|| v.clone());
            }
            let removed = old
                .keys()
                .filter(|k| k.ends_with(".html") && !files.contains_key(*k))
                .count();
            shared.set_files(files);
            let was_broken = shared.error().is_some();
            shared.set_error(None);
            shared.send("reload", "{}".into());
            let shown: Vec<&String> = changed.iter().take(6).collect();
            let more = changed.len().saturating_sub(shown.len());
            println!(
                "✓ rebuilt in {} ms: {} page(s) changed{}{}{}{}",
                took.as_millis(),
                changed.len(),
                if removed > 0 {
                    format!(", {removed} removed")
                } else {
                    String::new()
                },
                if shown.is_empty() {
                    String::new()
                } else {
                    format!(
                        ": {}",
                        shown
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                },
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                },
                if was_broken { " — errors fixed" } else { "" },
            );
            Some(site)
        }
    }
}

/// Makes the data files (with the sitemap and the open data page) and the
/// search index in the background, once the author pauses; only the newest
/// site counts. The data files come first: they take milliseconds.
fn after_worker(
    shared: Arc<Shared>,
    rx: mpsc::Receiver<(u64, Arc<Renderer>, Arc<crate::model::Site>)>,
    generation: Arc<std::sync::atomic::AtomicU64>,
) {
    use std::sync::atomic::Ordering;
    while let Ok(mut job) = rx.recv() {
        // Index once the author pauses: indexing competes with the next
        // rebuild for the processor, and only the newest site counts.
        loop {
            match rx.recv_timeout(std::time::Duration::from_millis(1500)) {
                Ok(newer) => job = newer,
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        }
        let (gen, renderer, site) = job;
        let start = Instant::now();
        match renderer.deferred_files(&site) {
            Ok(data) if generation.load(Ordering::SeqCst) == gen => {
                let mut files: Files = shared.files().as_ref().clone();
                files.retain(|k, _| !crate::render::is_deferred_file(k));
                files.extend(data);
                shared.set_files(files);
                println!("  data files updated in {} ms", start.elapsed().as_millis());
            }
            Ok(_) => continue,
            Err(e) => eprintln!("data files: {e:#}"),
        }
        let start = Instant::now();
        let pages = shared.files();
        match renderer.search(&site, &pages) {
            Ok(index) if generation.load(Ordering::SeqCst) == gen => {
                let mut files: Files = shared.files().as_ref().clone();
                files.retain(|k, _| !crate::search::is_index_file(k));
                files.extend(index);
                shared.set_files(files);
                println!(
                    "  search index updated in {} ms",
                    start.elapsed().as_millis()
                );
            }
            Ok(_) => {}
            Err(e) => eprintln!("search index: {e:#}"),
        }
    }
}

fn open_browser(url: &str) {
    let tries: &[(&str, &[&str])] = if cfg!(target_os = "windows") {
        &[("cmd", &["/C", "start", ""])]
    } else if cfg!(target_os = "macos") {
        &[("open", &[])]
    } else {
        &[("xdg-open", &[])]
    };
    for (cmd, args) in tries {
        if std::process::Command::new(cmd)
            .args(*args)
            .arg(url)
            .spawn()
            .is_ok()
        {
            return;
        }
    }
    eprintln!("could not open a browser; open {url} yourself");
}

pub fn run(opts: ServeOptions) -> Result<()> {
    use std::sync::atomic::{AtomicU64, Ordering};
    let root = opts.root.clone();
    let (events, _) = broadcast::channel(64);
    let mut builder = Builder {
        root: root.clone(),
        renderer: None,
        last: None,
    };
    let start = Instant::now();
    let mut first = builder.rebuild(&watch::Batch {
        theme_or_config: true,
        ..Default::default()
    });
    // The first site is served whole: its data files are made at once.
    if let (Outcome::Built { site, files, .. }, Some(r)) = (&mut first, &builder.renderer) {
        match r.deferred_files(site) {
            Ok(data) => files.extend(data),
            Err(e) => eprintln!("data files: {e:#}"),
        }
    }
    let base_path = match &first {
        Outcome::Built { site, .. } => crate::render::base_path(&site.config.base_url),
        Outcome::Failed(_) => site_base_path(&root),
    };
    let shared = Arc::new(Shared {
        files: RwLock::new(Arc::new(Files::new())),
        error: RwLock::new(None),
        events,
        base_path,
    });
    let generation = Arc::new(AtomicU64::new(0));
    let (search_tx, search_rx) = mpsc::channel();
    {
        let (shared, generation) = (Arc::clone(&shared), Arc::clone(&generation));
        std::thread::spawn(move || after_worker(shared, search_rx, generation));
    }
    if let Some(site) = publish(&shared, first, start.elapsed()) {
        if let Some(r) = &builder.renderer {
            let _ = search_tx.send((0, Arc::clone(r), site));
        }
    }
    let changes = watch::Changes::start(&root, opts.poll)?;
    {
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || {
            while let Some(batch) = changes.next_batch() {
                let start = Instant::now();
                if std::env::var_os("MIERUKA_DEBUG").is_some() {
                    eprintln!("batch: {batch:?}");
                }
                let outcome = builder.rebuild(&batch);
                if let Some(site) = publish(&shared, outcome, start.elapsed()) {
                    let gen = generation.fetch_add(1, Ordering::SeqCst) + 1;
                    if let Some(r) = &builder.renderer {
                        let _ = search_tx.send((gen, Arc::clone(r), site));
                    }
                }
            }
        });
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let served = runtime.block_on(async move {
        let addr = format!("{}:{}", opts.bind, opts.port);
        let listener = tokio::net::TcpListener::bind(&addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let local = listener.local_addr()?;
        let shown = if local.ip().is_unspecified() {
            std::net::SocketAddr::from(([127, 0, 0, 1], local.port()))
        } else {
            local
        };
        // A SocketAddr shows an IPv6 address in brackets, as a URL needs.
        let url = format!("http://{shown}{}", shared.base_path);
        println!("serving {} at {url}", root.display());
        println!(
            "watching content/ and themes/{} — press Ctrl+C to stop",
            if opts.poll { " (polling)" } else { "" }
        );
        if opts.open {
            open_browser(&url);
        }
        let names = http::LocalNames::of(&opts.bind, local);
        http::serve(listener, http::router(Arc::clone(&shared), names)).await
    });
    // Open pages' event streams never end: do not wait for them.
    runtime.shutdown_background();
    served
}

/// The base path from site.toml even when the content does not load.
fn site_base_path(root: &Path) -> String {
    // Through the loader's reader: a pipe named site.toml must not block.
    let text = crate::content::read_inside(root, &root.join("content/site.toml"))
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default();
    let url = text
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("base_url")
                .and_then(|r| r.split('"').nth(1))
                .map(str::to_string)
        })
        .unwrap_or_else(|| "/".into());
    crate::render::base_path(&url)
}
