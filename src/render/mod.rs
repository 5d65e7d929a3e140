//! Stage 2, `render`: the validated [`Site`] → every output file in memory
//! (HTML pages in each language, the stylesheet, theme assets).
//!
//! Views are built per page (`pages`, `initiative_view`) from the model
//! (`views`), then rendered by Tera with the theme's templates (`theme`).
//! Markdown goes through pulldown-cmark and ammonia (`markdown`); CSS
//! through lightningcss (`css`). Pages render in parallel; the result is a
//! sorted map, so the same input always gives the same bytes.

mod chart;
mod css;
pub(crate) mod indicator_view;
mod initiative_view;
mod markdown;
mod pages;
mod theme;
pub(crate) mod urls;
pub(crate) mod views;

pub use theme::Theme;

use crate::model::{Lang, Site};
use anyhow::{anyhow, Context as _, Result};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use views::{Ctx, Strings};

/// Every file of the built site by its path relative to the output folder.
pub type Files = BTreeMap<String, Vec<u8>>;

/// Options that change what is rendered.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// A snippet added before `</body>` of every page (serve mode's reload script).
    pub inject: Option<String>,
    /// Leave out the search index (for measuring what it costs).
    pub no_search: bool,
}

pub fn render(site: &Site, theme: &Theme, opts: &RenderOptions) -> Result<Files> {
    let strings = load_strings(theme)?;
    let tera = load_templates(theme)?;
    let mut files = Files::new();
    let css = css::stylesheet(theme)?;
    let css_version: String = Sha256::digest(css.as_bytes())
        .iter()
        .take(4)
        .map(|b| format!("{b:02x}"))
        .collect();
    files.insert("assets/style.css".into(), css.into_bytes());
    for (path, content) in theme.under("static") {
        files.insert(path.to_string(), content.as_bytes().to_vec());
    }
    let specs = pages::all_pages(site);
    let jobs: Vec<(Lang, pages::PageSpec)> = site
        .config
        .languages
        .iter()
        .flat_map(|&l| specs.iter().map(move |&s| (l, s)))
        .collect();
    let rendered: Vec<Result<(String, Vec<u8>)>> = jobs
        .par_iter()
        .map(|&(lang, spec)| {
            let ctx = Ctx {
                site,
                lang,
                strings: &strings,
            };
            let path = pages::path_of(site, lang, spec);
            let html =
                render_page(&tera, &ctx, spec, &path, &css_version, opts).with_context(|| {
                    format!(
                        "rendering {}",
                        if path.is_empty() { "index.html" } else { &path }
                    )
                })?;
            let file = if path.ends_with(".html") {
                path
            } else {
                format!("{path}index.html")
            };
            Ok((file, html.into_bytes()))
        })
        .collect();
    for r in rendered {
        let (path, bytes) = r?;
        files.insert(path, bytes);
    }
    if !opts.no_search {
        files.extend(crate::search::build(site, &strings)?);
    }
    for &lang in &site.config.languages {
        for (p, plan) in site
            .plans
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.indicators.is_empty())
        {
            let dir = urls::indicators(lang, site, p);
            let mut all = String::new();
            for &i in &plan.indicators {
                let one = indicator_view::csv(site, lang, i);
                // The plan's file: one header, then every series.
                let rows = if all.is_empty() {
                    one.as_str()
                } else {
                    one.split_once("\r\n").map_or("", |(_, r)| r)
                };
                all.push_str(rows);
                files.insert(
                    format!("{dir}{}.csv", site.indicators[i].id),
                    one.into_bytes(),
                );
            }
            files.insert(format!("{dir}indicators.csv"), all.into_bytes());
        }
    }
    Ok(files)
}

fn render_page(
    tera: &tera::Tera,
    ctx: &Ctx,
    spec: pages::PageSpec,
    path: &str,
    css_version: &str,
    opts: &RenderOptions,
) -> Result<String> {
    let site = ctx.site;
    let (template, frame, data) = pages::view(ctx, spec);
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
    let mut c = tera::Context::new();
    c.insert("lang", ctx.lang.code());
    c.insert("t", &ctx.strings[&ctx.lang]);
    c.insert("root", &root);
    c.insert("path", path);
    c.insert("css", &format!("{root}assets/style.css?v={css_version}"));
    c.insert("frame", &frame);
    c.insert("page", &data);
    c.insert(
        "canonical",
        &format!(
            "{}{}",
            site.config.base_url,
            if not_found {
                urls::home(ctx.lang)
            } else {
                path.to_string()
            }
        ),
    );
    c.insert("alternates", &alternates);
    c.insert(
        "switch",
        &other.map(|l| serde_json::json!({ "lang": l.code(), "href": canonical_path(l), "label": ctx.strings[&l].get("language_name") })),
    );
    c.insert("site", &site_view(ctx));
    c.insert("inject", &opts.inject);
    tera.render(template, &c)
        .map_err(|e| anyhow!(tera_error(&e)))
}

/// `https://example.jp/kaikaku/` → `/kaikaku/`
fn base_path(base_url: &str) -> String {
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
        "search": urls::search(ctx.lang),
    })
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

fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn load_templates(theme: &Theme) -> Result<tera::Tera> {
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".html"]);
    // Tera's default also escapes `/`, which bloats every link; `/` is safe in HTML text and quoted attributes.
    tera.set_escape_fn(escape_html);
    let templates: Vec<(String, String)> = theme
        .under("templates")
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    tera.add_raw_templates(templates)
        .map_err(|e| anyhow!("theme templates ({}): {}", theme.origin, tera_error(&e)))?;
    Ok(tera)
}
