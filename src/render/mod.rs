//! Stage 2, `render`: the validated [`Site`] → every output file in memory
//! (HTML pages in each language, the stylesheet, theme assets).
//!
//! Views are built per page (`pages`, `initiative_view`) from the model
//! (`views`), then rendered by Tera with the theme's templates (`theme`).
//! Markdown goes through pulldown-cmark and ammonia (`markdown`); CSS
//! through lightningcss (`css`). Pages render in parallel; the result is a
//! sorted map, so the same input always gives the same bytes.

pub(crate) mod axis;
mod changes;
pub(crate) mod chart;
mod codes;
mod css;
pub(crate) mod data;
mod data_view;
mod describe;
mod feeds;
mod headline;
pub(crate) mod indicator_view;
mod initiative_view;
mod listing_view;
pub(crate) mod listings;
pub(crate) mod markdown;
pub(crate) mod pages;
mod paging;
mod revisions;
mod sitemap;
mod theme;
mod units;
pub(crate) mod urls;
pub(crate) mod views;

pub use theme::Theme;

use crate::model::{Lang, Site};
use anyhow::{anyhow, Context as _, Result};
use listings::Listings;
use pages::PageSpec;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};
use views::{Ctx, Strings};

/// Every file of the built site by its path relative to the output folder.
pub type Files = BTreeMap<String, Vec<u8>>;

/// Where [`Renderer::stream_pages`] hands each page: (file, HTML, whose page).
pub type Sink<'a> = dyn Fn(&str, &[u8], Scope) -> Result<()> + Sync + 'a;

/// Options that change what is rendered.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// A snippet added before `</body>` of every page (serve mode's reload script).
    pub inject: Option<String>,
    /// Leave out the search index (for measuring what it costs).
    pub no_search: bool,
    /// Leave the data files, the sitemap and the open data page (which
    /// states their sizes) out of [`Renderer::pages_where`]: `serve` makes
    /// them after the pages go live ([`Renderer::deferred_files`]), as it
    /// does the search index.
    pub defer_data: bool,
}

/// Whether a file is one [`RenderOptions::defer_data`] leaves out: the
/// open data (its page included), every CSV, the sitemap and robots.txt.
pub fn is_deferred_file(path: &str) -> bool {
    path.starts_with(data::DIR)
        || path.starts_with(&format!("{}{}", urls::prefix(Lang::En), data::DIR))
        || path.ends_with(".csv")
        || path.starts_with("sitemap")
        || path == "robots.txt"
}

/// A build's rendering machinery: the theme's templates, strings and
/// stylesheet, loaded once, and the pages rendered last time. `serve`
/// keeps one across rebuilds, so that only pages whose view changed are
/// rendered again; `build` uses a fresh one. Either way a page is the same
/// bytes for the same view.
pub struct Renderer {
    strings: Strings,
    tera: tera::Tera,
    css: String,
    css_version: String,
    statics: Vec<(String, Vec<u8>)>,
    opts: RenderOptions,
    /// Page file → the page as last rendered.
    cache: Mutex<HashMap<String, Cached>>,
    /// Only holds texts that some page in `cache` uses (swept after each
    /// rendering).
    md: markdown::Memo,
}

/// A page as last rendered.
struct Cached {
    /// The hash of its view.
    hash: u64,
    html: Html,
    /// The Markdown texts its view used: what keeps them in the memo.
    md: Vec<Arc<str>>,
}
type Html = Arc<Vec<u8>>;

/// What one rendering produced.
pub struct Rendered {
    pub files: Files,
    /// Pages rendered anew (the others came unchanged from the cache).
    pub changed: Vec<String>,
}

impl Renderer {
    /// The renderer of the theme `name` of the site at `root`.
    pub fn of_theme(root: &std::path::Path, name: &str, opts: &RenderOptions) -> Result<Renderer> {
        Renderer::new(&Theme::load(root, name)?, opts.clone())
    }

    pub fn new(theme: &Theme, opts: RenderOptions) -> Result<Renderer> {
        let css = css::stylesheet(theme)?;
        let css_version: String = Sha256::digest(css.as_bytes())
            .iter()
            .take(4)
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok(Renderer {
            strings: load_strings(theme)?,
            tera: load_templates(theme)?,
            css,
            css_version,
            statics: theme
                .under("static")
                .map(|(p, c)| (p.to_string(), c.as_bytes().to_vec()))
                .collect(),
            opts,
            cache: Mutex::new(HashMap::new()),
            md: markdown::Memo::default(),
        })
    }

    /// Everything in memory: pages, assets, data files and the search
    /// index (the fuzz targets; `build` streams pages to disk instead).
    #[cfg(fuzzing)]
    pub fn render(&self, site: &Site) -> Result<Rendered> {
        let mut r = self.pages(site)?;
        if !self.opts.no_search {
            let index = self.search(site, &r.files)?;
            r.files.extend(index);
        }
        Ok(r)
    }

    /// The search index of every language, from the rendered pages in `files`.
    pub fn search(&self, site: &Site, files: &Files) -> Result<Files> {
        crate::search::build(site, &self.strings, files)
    }

    /// Every page, rendered in parallel and handed to `sink` (file, HTML)
    /// as soon as it is made: what `build` does. Unlike
    /// [`Renderer::pages_where`] it keeps no page (no cache, no view hash:
    /// those serve `serve`), so memory does not grow with the output.
    /// Returns the other files (stylesheet, theme assets, data files,
    /// sitemap) and
    /// the number of pages.
    pub fn stream_pages(&self, site: &Site, sink: &Sink) -> Result<(Files, usize)> {
        let data = data::data_files(site);
        let parts = parts(site);
        parts[0].lists.set_downloads(&data);
        let jobs = jobs(&parts);
        jobs.par_iter().try_for_each_init(
            || self.bases(),
            |bases, &(k, lang, spec)| {
                let part = &parts[k];
                let used = markdown::Used::default();
                let ctx = self.page_ctx(part.site, &part.lists, lang, &used);
                let path = pages::path_of(part.site, lang, spec);
                let file = page_file(&path);
                let (template, context) = self.context(&ctx, spec, &path);
                let html = self.html(bases, lang, template, context, &file)?;
                sink(&file, html.as_bytes(), part.scope)
            },
        )?;
        let mut files = Files::new();
        files.insert("assets/style.css".into(), self.css.clone().into_bytes());
        files.extend(self.statics.iter().cloned());
        files.extend(data);
        files.extend(sitemap_of(&parts));
        Ok((files, jobs.len()))
    }

    /// The view context of one page in `lang`; `used` notes the Markdown
    /// texts its view renders.
    fn page_ctx<'a>(
        &'a self,
        site: &'a Site,
        lists: &'a Listings,
        lang: Lang,
        used: &'a markdown::Used,
    ) -> Ctx<'a> {
        Ctx {
            site,
            lists,
            lang,
            strings: &self.strings,
            md: self.md.for_page(used),
        }
    }

    /// A page's HTML from its template and context.
    fn html(
        &self,
        bases: &mut Bases,
        lang: Lang,
        template: &str,
        context: tera::Context,
        file: &str,
    ) -> Result<String> {
        bases
            .render(&self.tera, lang, template, context)
            .map_err(|e| anyhow!(tera_error(&e)))
            .with_context(|| format!("rendering {file}"))
    }

    /// The theme's UI strings (the search index's records use them).
    pub fn strings(&self) -> &Strings {
        &self.strings
    }

    /// Pages, stylesheet, theme assets and data files; no search index.
    pub fn pages(&self, site: &Site) -> Result<Rendered> {
        self.pages_where(site, &|_, _, _| true)
    }

    /// Like [`Renderer::pages`], but a page for which `may_change` is false
    /// is taken from the last rendering without building its view (`serve`
    /// knows which pages a one-file change can reach).
    pub fn pages_where(
        &self,
        site: &Site,
        may_change: &(dyn Fn(Scope, Lang, PageSpec) -> bool + Sync),
    ) -> Result<Rendered> {
        let mut files = Files::new();
        files.insert("assets/style.css".into(), self.css.clone().into_bytes());
        files.extend(self.statics.iter().cloned());
        let parts = parts(site);
        // The open data page states the data files' sizes: it is rendered
        // once they are made. The data files and the sitemap are made while
        // the other pages render (`serve` waits for both on every save).
        let (data_pages, others): (Vec<_>, Vec<_>) = jobs(&parts)
            .into_iter()
            .partition(|(k, _, spec)| *k == 0 && *spec == PageSpec::Data);
        let one = |bases: &mut Bases, &(k, lang, spec): &(usize, Lang, PageSpec)| {
            self.one_page(bases, &parts[k], lang, spec, may_change)
        };
        let ((data, map), rendered) = if self.opts.defer_data {
            let rendered = others
                .par_iter()
                .map_init(|| self.bases(), one)
                .collect::<Vec<_>>();
            ((Files::new(), Files::new()), rendered)
        } else {
            let (made, mut rendered) = rayon::join(
                || {
                    let data = data::data_files(site);
                    parts[0].lists.set_downloads(&data);
                    (data, sitemap_of(&parts))
                },
                || {
                    others
                        .par_iter()
                        .map_init(|| self.bases(), one)
                        .collect::<Vec<_>>()
                },
            );
            let mut bases = self.bases();
            rendered.extend(data_pages.iter().map(|job| one(&mut bases, job)));
            (made, rendered)
        };
        let mut changed = Vec::new();
        for r in rendered {
            let (file, html, fresh) = r?;
            if fresh {
                changed.push(file.clone());
            }
            files.insert(file, html.as_ref().clone());
        }
        // Pages that no longer exist leave the cache, and texts that no
        // remaining page uses leave the memo (the old versions of an edited
        // text): both hold what the current site needs, however long
        // `serve` runs.
        let mut cache = self
            .cache
            .lock()
            .map_err(|_| anyhow!("page cache poisoned"))?;
        cache.retain(|k, _| files.contains_key(k));
        let live: HashSet<&str> = cache
            .values()
            .flat_map(|c| c.md.iter().map(|k| k.as_ref()))
            .collect();
        self.md.retain(|text| live.contains(text));
        drop(cache);
        files.extend(data);
        files.extend(map);
        Ok(Rendered { files, changed })
    }

    /// What [`RenderOptions::defer_data`] leaves out of
    /// [`Renderer::pages_where`]: the data files, the sitemap and the open
    /// data page of every language.
    pub fn deferred_files(&self, site: &Site) -> Result<Files> {
        let parts = parts(site);
        let mut files = data::data_files(site);
        parts[0].lists.set_downloads(&files);
        files.extend(sitemap_of(&parts));
        let mut bases = self.bases();
        for &lang in &site.config.languages {
            let (file, html, _) =
                self.one_page(&mut bases, &parts[0], lang, PageSpec::Data, &|_, _, _| true)?;
            files.insert(file, html.as_ref().clone());
        }
        Ok(files)
    }

    /// One page for [`Renderer::pages_where`]: (file, HTML, rendered anew).
    fn one_page(
        &self,
        bases: &mut Bases,
        part: &Part,
        lang: Lang,
        spec: PageSpec,
        may_change: &(dyn Fn(Scope, Lang, PageSpec) -> bool + Sync),
    ) -> Result<(String, Html, bool)> {
        let (site, lists) = (part.site, &part.lists);
        let path = pages::path_of(site, lang, spec);
        let file = page_file(&path);
        if !may_change(part.scope, lang, spec) {
            let cached = self
                .cache
                .lock()
                .map_err(|_| anyhow!("page cache poisoned"))?
                .get(&file)
                .map(|c| Arc::clone(&c.html));
            if let Some(html) = cached {
                return Ok((file, html, false));
            }
        }
        let used = markdown::Used::default();
        let ctx = self.page_ctx(site, lists, lang, &used);
        let (template, context) = self.context(&ctx, spec, &path);
        let hash = view_hash(template, &context);
        let md = used.into_keys();
        if let Some(c) = self
            .cache
            .lock()
            .map_err(|_| anyhow!("page cache poisoned"))?
            .get_mut(&file)
        {
            if c.hash == hash {
                // The same view can come from other texts (a space
                // added at the end): keep the ones used now.
                c.md = md;
                return Ok((file, Arc::clone(&c.html), false));
            }
        }
        let html = Arc::new(
            self.html(bases, lang, template, context, &file)?
                .into_bytes(),
        );
        self.cache
            .lock()
            .map_err(|_| anyhow!("page cache poisoned"))?
            .insert(
                file.clone(),
                Cached {
                    hash,
                    html: Arc::clone(&html),
                    md,
                },
            );
        Ok((file, html, true))
    }
}

#[cfg(fuzzing)]
impl Renderer {
    /// Forgets the pages and Markdown rendered before: the fuzz targets
    /// render many sites with one renderer (a fresh one per input would
    /// spend most of the time on the stylesheet and the templates).
    pub fn forget(&mut self) {
        self.cache = Mutex::new(HashMap::new());
        self.md = markdown::Memo::default();
    }
}

/// Which site a page belongs to: the site itself, or a past report of one
/// of its plans (`site.editions[n]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Current,
    Edition(usize),
}

/// A site whose pages are rendered, with its lists and its pages.
struct Part<'a> {
    scope: Scope,
    site: &'a Site,
    lists: Listings,
    specs: Vec<PageSpec>,
}

impl<'a> Part<'a> {
    fn new(scope: Scope, site: &'a Site) -> Part<'a> {
        let lists = Listings::of(site);
        let specs = match scope {
            Scope::Current => pages::all_pages(site, &lists),
            Scope::Edition(_) => pages::edition_pages(site, &lists),
        };
        Part {
            scope,
            site,
            lists,
            specs,
        }
    }
}

/// The site (first) and its past reports.
fn parts(site: &Site) -> Vec<Part<'_>> {
    let editions = site
        .editions
        .iter()
        .enumerate()
        .map(|(n, e)| Part::new(Scope::Edition(n), &e.site));
    std::iter::once(Part::new(Scope::Current, site))
        .chain(editions)
        .collect()
}

/// Every page of every language, of every part: (part, language, page).
fn jobs(parts: &[Part]) -> Vec<(usize, Lang, PageSpec)> {
    let mut out = Vec::new();
    for (k, part) in parts.iter().enumerate() {
        for &l in &part.site.config.languages {
            out.extend(part.specs.iter().map(|&s| (k, l, s)));
        }
    }
    out
}

/// The sitemap of every part's pages.
fn sitemap_of(parts: &[Part]) -> Files {
    let pages: Vec<(&Site, &[PageSpec])> =
        parts.iter().map(|p| (p.site, p.specs.as_slice())).collect();
    sitemap::files(&pages)
}

/// The file of a page at `path`: `a/b/` → `a/b/index.html`; `404.html` stays.
pub fn page_file(path: &str) -> String {
    if path.ends_with(".html") || path.ends_with(".xml") {
        path.to_string()
    } else {
        format!("{path}index.html")
    }
}

fn view_hash(template: &str, context: &tera::Context) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    template.hash(&mut h);
    context.clone().into_json().to_string().hash(&mut h);
    h.finish()
}

impl Renderer {
    /// The template and the context of one page: everything but what every
    /// page of its language shares ([`Bases`]).
    fn context(
        &self,
        ctx: &Ctx,
        spec: pages::PageSpec,
        path: &str,
    ) -> (&'static str, tera::Context) {
        let site = ctx.site;
        let (template, frame, data) = pages::view(ctx, spec);
        let description = describe::description(ctx, spec, &frame);
        let not_found = spec == pages::PageSpec::NotFound;
        // A 404 page is served at any address, so its links start at the site's path.
        let root = if not_found {
            base_path(&site.config.base_url)
        } else {
            urls::root_of(path)
        };
        let other = site
            .config
            .languages
            .iter()
            .copied()
            .find(|&l| l != ctx.lang);
        let canonical_path = |l: Lang| {
            if not_found {
                urls::home(l)
            } else {
                urls::translate(path, ctx.lang, l)
            }
        };
        let alternates: Vec<serde_json::Value> = site
        .config
        .languages
        .iter()
        .map(|&l| serde_json::json!({ "lang": l.code(), "href": format!("{}{}", site.config.base_url, canonical_path(l)) }))
        .collect();
        let canonical = format!(
            "{}{}",
            site.config.base_url,
            if not_found {
                urls::home(ctx.lang)
            } else {
                path.to_string()
            }
        );
        let switch = other.map(|l| serde_json::json!({ "lang": l.code(), "href": canonical_path(l), "label": ctx.strings[&l].get("language_name") }));
        // Built as one JSON object and moved into the context: inserting
        // a value into a Tera context copies it whole, and so does `json!`
        // with a value that is JSON already (the page's view above all).
        let entries: [(&str, serde_json::Value); 11] = [
            (
                "css",
                format!("{root}assets/style.css?v={}", self.css_version).into(),
            ),
            ("root", root.into()),
            ("path", path.into()),
            ("frame", serde_json::to_value(&frame).unwrap_or_default()),
            ("description", description.into()),
            ("page", data),
            ("canonical", canonical.into()),
            ("alternates", alternates.into()),
            ("switch", switch.unwrap_or_default()),
            ("site", site_view(ctx)),
            ("edition", edition_view(ctx).unwrap_or_default()),
        ];
        debug_assert!(entries.iter().map(|(k, _)| *k).eq(PAGE_KEYS));
        let page = serde_json::Value::Object(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        );
        let context = tera::Context::from_value(page).unwrap_or_default();
        (template, context)
    }

    /// A worker's copy of the contexts every page of a language shares.
    fn bases(&self) -> Bases {
        let mut out = HashMap::new();
        for (&lang, strings) in &self.strings {
            let mut c = tera::Context::new();
            c.insert("lang", lang.code());
            c.insert("t", strings);
            c.insert("inject", &self.opts.inject);
            out.insert(lang, c);
        }
        Bases(out)
    }
}

/// The keys [`Renderer::context`] gives every page (and [`Bases`] takes
/// out again after each page).
const PAGE_KEYS: [&str; 11] = [
    "css",
    "root",
    "path",
    "frame",
    "description",
    "page",
    "canonical",
    "alternates",
    "switch",
    "site",
    "edition",
];

/// The context every page of a language shares (its UI strings above
/// all, some 300 of them), made once per render worker instead of copied
/// into every page's context: a page's own keys are put in for its
/// rendering and taken out after.
struct Bases(HashMap<Lang, tera::Context>);

impl Bases {
    fn render(
        &mut self,
        tera: &tera::Tera,
        lang: Lang,
        template: &str,
        page: tera::Context,
    ) -> tera::Result<String> {
        let Some(base) = self.0.get_mut(&lang) else {
            return tera.render(template, &page);
        };
        base.extend(page);
        let html = tera.render(template, base);
        for k in PAGE_KEYS {
            base.remove(k);
        }
        html
    }
}

/// `https://example.jp/kaikaku/` → `/kaikaku/`
pub(crate) fn base_path(base_url: &str) -> String {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_string(),
        None => "/".into(),
    }
}

fn site_view(ctx: &Ctx) -> serde_json::Value {
    let c = &ctx.site.config;
    serde_json::json!({
        "title": c.title.get(ctx.lang),
        "description": c.description.as_ref().map(|d| d.get(ctx.lang)),
        "license": c.license.as_ref().map(|l| serde_json::json!({ "name": l.name.get(ctx.lang), "url": l.url })),
        "contact": c.contact.as_ref().map(|k| serde_json::json!({ "name": k.name.get(ctx.lang), "email": k.email, "url": k.url })),
        "home": urls::home(ctx.lang),
        "departments": urls::departments(ctx.lang),
        "data": urls::data(ctx.lang),
        "feed": urls::feed(ctx.lang, ctx.site, None),
        "search": urls::search(ctx.lang),
    })
}

/// On the pages of a past report: which report, and where the current one is.
fn edition_view(ctx: &Ctx) -> Option<serde_json::Value> {
    let plan = ctx.site.plans.first().filter(|p| p.archived)?;
    Some(serde_json::json!({
        "notice": ctx.t("edition_notice").replace("{year}", &ctx.year(plan.reporting_year)),
        "title": ctx.t("edition_title").replace("{year}", &ctx.year(plan.reporting_year)),
        "published": plan.published.as_deref().map(|d| ctx.t("edition_published").replace("{date}", &pages::published(ctx.lang, d))),
        "current": urls::current_plan(ctx.lang, plan),
    }))
}

/// Tera's error with its causes, which name the template and the line.
fn tera_error(e: &tera::Error) -> String {
    let mut s = e.to_string();
    let mut cur: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

fn load_strings(theme: &Theme) -> Result<Strings> {
    let mut out = Strings::new();
    for lang in [Lang::Ja, Lang::En] {
        let key = format!("i18n/{}.toml", lang.code());
        let text = theme
            .files
            .get(&key)
            .ok_or_else(|| anyhow!("the theme ({}) has no {key}", theme.origin))?;
        let map: BTreeMap<String, String> =
            toml::from_str(text).map_err(|e| anyhow!("{}/{key}: {}", theme.origin, e.message()))?;
        out.insert(lang, map);
    }
    Ok(out)
}

fn load_templates(theme: &Theme) -> Result<tera::Tera> {
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    // Tera's default also escapes `/`, which bloats every link; `/` is safe in HTML text and quoted attributes.
    tera.set_escape_fn(markdown::escape_html);
    let templates: Vec<(String, String)> = theme
        .under("templates")
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    tera.add_raw_templates(templates)
        .map_err(|e| anyhow!("theme templates ({}): {}", theme.origin, tera_error(&e)))?;
    Ok(tera)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example site, loaded, and a renderer of the default theme.
    fn example_renderer() -> (&'static std::path::Path, Site, Renderer) {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (site, diags) = crate::content::load(root);
        let site = site.unwrap_or_else(|| panic!("{diags:?}"));
        let theme = Theme::load(root, crate::model::DEFAULT_THEME_NAME).unwrap();
        let options = RenderOptions {
            no_search: true,
            ..Default::default()
        };
        (root, site, Renderer::new(&theme, options).unwrap())
    }

    /// A second rendering of the same site reuses every page.
    #[test]
    fn unchanged_views_are_not_rendered_again() {
        let (root, site, r) = example_renderer();
        let first = r.pages(&site).unwrap();
        assert!(!first.changed.is_empty());
        let second = r.pages(&site).unwrap();
        assert_eq!(second.changed, Vec::<String>::new());
        // The same content loaded again is the same site.
        let (again, _) = crate::content::load(root);
        let third = r.pages(&again.unwrap()).unwrap();
        assert_eq!(third.changed, Vec::<String>::new());
        assert_eq!(first.files, second.files);
    }

    /// `serve` re-renders after every save; texts that no current page shows
    /// leave the Markdown memo, so memory does not grow with each new text.
    #[test]
    fn the_markdown_memo_keeps_only_what_the_pages_show() {
        let (_, mut site, r) = example_renderer();
        r.pages(&site).unwrap();
        let kept = r.md.len();
        assert!(kept > 0);
        // Thirty saves of one initiative, each with new text: only its pages
        // (and the open data page, which shows the data files' sizes)
        // render again, as in `serve`.
        for n in 0..30 {
            site.initiatives[0].body.ja = format!("保存 {n} 回目の本文。");
            let only_it = |_: Scope, _: Lang, spec: PageSpec| {
                spec == PageSpec::Initiative(0) || spec == PageSpec::Data
            };
            let out = r.pages_where(&site, &only_it).unwrap();
            assert!(!out.changed.is_empty());
        }
        // The old body may be gone, the newest is there (and its English
        // fallback is the same text): at most one more than at the start.
        assert!(
            r.md.len() <= kept + 1,
            "memo grew from {kept} to {} texts",
            r.md.len()
        );
        // Sweeping changed nothing that is shown.
        let full = r.pages(&site).unwrap();
        assert!(full.changed.is_empty(), "{:?}", full.changed);
    }
}
