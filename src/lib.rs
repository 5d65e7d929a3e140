//! mieruka（見える化）: a static site generator for municipal plan-progress
//! transparency portals.
//!
//! The build is a pipeline, one module per stage, one value handed on:
//!
//! ```text
//! content/ ──content::load──▶ model::Site ──render──▶ each page ──site::write_with──▶ public/
//!            (read, parse,                   (views, Tera,  (written as    (fresh folder,
//!             validate; every                 Markdown, CSS) it is made;    atomic swap)
//!             problem collected                              its text kept
//!             as a Diagnostic)                               for search::build_from)
//! ```

mod archive;
pub mod cli;
mod content;
pub mod diagnostics;
mod disk;
mod export;
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing;
mod import;
mod init;
mod model;
mod render;
mod search;
mod serve;
mod sheet;

pub use serve::ServeOptions;
mod site;

pub use site::Refused as OutputRefused;

use anyhow::Result;
use diagnostics::Diagnostics;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

pub use archive::{archive, Archived, Refusal as ArchiveRefusal};
pub use import::{import, ImportOptions, ImportRefused, ImportReport, Problem as ImportProblem};
pub use init::{init, Kind as NewKind, Refused as WriteRefused};

/// Writes plans `plans` (ids; all current plans when empty) of the site at
/// `root` to the workbook `xlsx`, and with one plan, the mapping file that
/// imports it back to `map`. Returns the sheet names.
pub fn export(
    root: &Path,
    plans: &[String],
    xlsx: &Path,
    map: Option<&Path>,
) -> std::result::Result<Vec<String>, ImportRefused> {
    let (site, diags) = content::load(root);
    let Some(site) = site.filter(|_| !diags.has_errors()) else {
        return Err(ImportRefused::Content(diags));
    };
    let mut chosen = Vec::new();
    for id in plans {
        match site.plans.iter().position(|p| !p.archived && p.id == *id) {
            Some(p) => chosen.push(p),
            None => {
                let ids: Vec<&str> = site
                    .plans
                    .iter()
                    .filter(|p| !p.archived)
                    .map(|p| p.id.as_str())
                    .collect();
                return Err(ImportRefused::Message(format!(
                    "no plan with id `{id}`\n  hint: plans: {}",
                    ids.join(", ")
                )));
            }
        }
    }
    if chosen.is_empty() {
        chosen = (0..site.plans.len())
            .filter(|&p| !site.plans[p].archived)
            .collect();
    }
    if map.is_some() && chosen.len() != 1 {
        return Err(ImportRefused::Message(
            "--map writes the mapping of one plan: name one plan\n  hint: mieruka export PLAN --xlsx FILE --map MAP".into(),
        ));
    }
    export::write(&site, &chosen, xlsx).map_err(ImportRefused::Message)?;
    if let Some(m) = map {
        let (layout, _) = export::layout(&site, chosen[0]);
        let text = import::map::to_toml(&layout, &site.plans[chosen[0]]);
        export::save(m, text.as_bytes()).map_err(ImportRefused::Message)?;
    }
    Ok(chosen
        .iter()
        .map(|&p| export::sheet_name(&site.plans[p]))
        .collect())
}
pub use render::RenderOptions;

/// Writes a new content file of `kind` at `at` (see [`init::new`]); the
/// site must load. Returns the file written and what `check` then says.
pub fn new_file(
    root: &Path,
    kind: NewKind,
    at: &str,
) -> std::result::Result<(std::path::PathBuf, Report), WriteRefused> {
    // Other files may still be being filled in: the plan is what counts.
    let (site, _) = content::load_anyway(root);
    let Some(site) = site else {
        return Err(WriteRefused(
            "content/site.toml has errors: run `mieruka check` and fix them first".into(),
        ));
    };
    let file = init::new(root, &site, kind, at)?;
    Ok((file, check(root)))
}

/// What a build or check found and made.
pub struct Report {
    pub diagnostics: Diagnostics,
    /// Number of HTML pages written (0 for `check` or a failed build).
    pub pages: usize,
    pub files: usize,
    /// Translation coverage: (fully translated, partly, not at all) documents.
    pub coverage: (usize, usize, usize),
    /// Per document: Japanese file, English file, coverage, current version.
    pub translations: Vec<TranslationLine>,
}

/// The translation state of one document, for `check --translations`.
pub struct TranslationLine {
    pub japanese: std::path::PathBuf,
    pub english: Option<std::path::PathBuf>,
    pub coverage: &'static str,
    pub version: String,
}

/// Validates the content under `root` without writing anything.
pub fn check(root: &Path) -> Report {
    let (site, diagnostics) = content::load(root);
    Report {
        coverage: site.as_ref().map_or((0, 0, 0), coverage),
        translations: site.as_ref().map_or_else(Vec::new, translations),
        diagnostics,
        pages: 0,
        files: 0,
    }
}

/// Builds the site under `root` into `out`. Content problems come back in the
/// report (and nothing is written); I/O and theme failures are errors.
///
/// An output folder that must not be replaced (see [`site::guard`]) is
/// refused before anything is read or written: the error is a
/// [`OutputRefused`].
pub fn build(root: &Path, out: &Path, opts: &RenderOptions) -> Result<Report> {
    site::guard(root, out)?;
    let clock = Phases::start();
    // The theme (templates, strings, stylesheet) is made while the content
    // loads, from the theme `site.toml` names; should the loaded
    // configuration name another one, that one is made after.
    let early = |name: String| (render::Renderer::of_theme(root, &name, opts), name);
    let ((site, diagnostics), made) = rayon::join(
        || content::load(root),
        || content::theme_name(root).map(early),
    );
    clock.lap("load");
    let Some(site) = site else {
        return Ok(Report {
            diagnostics,
            pages: 0,
            files: 0,
            coverage: (0, 0, 0),
            translations: Vec::new(),
        });
    };
    let renderer = match made {
        Some((renderer, name)) if name == site.config.theme => renderer?,
        _ => render::Renderer::of_theme(root, &site.config.theme, opts)?,
    };
    clock.lap("theme");
    // Pages go to disk as they are rendered; only their text is kept, for
    // the search index.
    let texts: Mutex<HashMap<String, search::PageText>> = Mutex::new(HashMap::new());
    let (mut pages, mut files) = (0, 0);
    site::write_with(out, |dir| {
        let sink = |file: &str, html: &[u8], scope: render::Scope| -> Result<()> {
            dir.write(file, html)?;
            // Search finds the current reports; past ones are reached
            // from their plan's page.
            if !opts.no_search && scope == render::Scope::Current {
                if let Some(text) = search::page_text(html) {
                    let mut texts = texts
                        .lock()
                        .map_err(|_| anyhow::anyhow!("texts poisoned"))?;
                    texts.insert(file.to_string(), text);
                }
            }
            Ok(())
        };
        let (mut other, n) = renderer.stream_pages(&site, &sink)?;
        clock.lap("pages");
        if !opts.no_search {
            let texts = texts
                .into_inner()
                .map_err(|_| anyhow::anyhow!("texts poisoned"))?;
            let index = search::build_from(&site, renderer.strings(), &|f| texts.get(f).cloned())?;
            other.extend(index);
            clock.lap("search");
        }
        dir.write_all(&other)?;
        clock.lap("other files");
        pages = n + other.keys().filter(|k| k.ends_with(".html")).count();
        files = n + other.len();
        Ok(())
    })?;
    clock.lap("prune + swap");
    Ok(Report {
        pages,
        files,
        coverage: coverage(&site),
        translations: Vec::new(),
        diagnostics,
    })
}

fn translations(site: &model::Site) -> Vec<TranslationLine> {
    let docs = site
        .plans
        .iter()
        .map(|p| (&p.path, &p.translation))
        .chain(site.sections.iter().map(|s| (&s.path, &s.translation)))
        .chain(site.initiatives.iter().map(|i| (&i.path, &i.translation)))
        .chain(site.indicators.iter().map(|i| (&i.path, &i.translation)));
    docs.map(|(path, t)| TranslationLine {
        japanese: path.clone(),
        english: t.file.clone(),
        coverage: match t.coverage {
            model::Coverage::Full => "complete",
            model::Coverage::Partial => "partial",
            model::Coverage::None => "none",
        },
        version: t.version.clone(),
    })
    .collect()
}

fn coverage(site: &model::Site) -> (usize, usize, usize) {
    let all = site
        .plans
        .iter()
        .map(|p| p.translation.coverage)
        .chain(site.sections.iter().map(|s| s.translation.coverage))
        .chain(site.initiatives.iter().map(|i| i.translation.coverage))
        .chain(site.indicators.iter().map(|i| i.translation.coverage));
    let mut c = (0, 0, 0);
    for cov in all {
        match cov {
            model::Coverage::Full => c.0 += 1,
            model::Coverage::Partial => c.1 += 1,
            model::Coverage::None => c.2 += 1,
        }
    }
    c
}

/// Runs the preview server until interrupted (see [`serve`]).
pub fn serve(opts: ServeOptions) -> Result<()> {
    serve::run(opts)
}

/// Wall time of a build's phases, printed to stderr when `MIERUKA_DEBUG`
/// is set (where a build's time goes, on the staff member's machine).
struct Phases(Option<std::cell::Cell<std::time::Instant>>);

impl Phases {
    fn start() -> Phases {
        Phases(
            std::env::var_os("MIERUKA_DEBUG")
                .map(|_| std::cell::Cell::new(std::time::Instant::now())),
        )
    }

    fn lap(&self, what: &str) {
        if let Some(t) = &self.0 {
            let now = std::time::Instant::now();
            eprintln!("{what}: {:.1} ms", (now - t.get()).as_secs_f64() * 1e3);
            t.set(now);
        }
    }
}
