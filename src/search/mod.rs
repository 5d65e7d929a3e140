//! The search index: one Pagefind bundle per language, written by the build
//! itself (Pagefind as a library), so staff install nothing else.
//!
//! Every initiative, section, indicator and department becomes a record. Its
//! text goes through [`tokenize`] (our own Japanese segmentation, era years
//! as `fyNNNN`), titles weigh more than bodies, and the record carries
//! metadata for the result list (title, plan, department, status badge, the
//! plain text for our own snippet) and filters (plan, department, status in
//! the reporting year, fiscal years covered, kind). On the English site a
//! record also holds the Japanese of every field not yet translated, so an
//! untranslated page is still found by its Japanese words.

mod records;
pub mod tokenize;

use crate::model::{Lang, Site};
use crate::render::views::Strings;
use anyhow::{anyhow, Result};
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use records::Record;
use std::collections::BTreeMap;

/// The bundle folder of a language, relative to the site root.
pub fn bundle_dir(lang: Lang) -> String {
    format!("{}pagefind/", crate::render::urls::prefix(lang))
}

/// The synthetic page Pagefind indexes for a record.
fn synthetic_html(r: &Record) -> String {
    let mut html = String::from("<html lang=\"und\"><body>");
    for (k, v) in &r.meta {
        html.push_str(&format!(
            "<span data-pagefind-ignore data-pagefind-meta=\"{k}\">{}</span>",
            crate::render::markdown::escape_html(v)
        ));
    }
    for (k, values) in &r.filters {
        for v in values {
            html.push_str(&format!(
                "<span data-pagefind-ignore data-pagefind-filter=\"{k}\">{}</span>",
                crate::render::markdown::escape_html(v)
            ));
        }
    }
    html.push_str(&format!(
        "<h1>{}</h1><p>{}</p></body></html>",
        r.title_tokens, r.body_tokens
    ));
    html
}

/// Builds the index of every language: path (relative to the site root) → bytes.
pub fn build(site: &Site, strings: &Strings) -> Result<BTreeMap<String, Vec<u8>>> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| anyhow!("starting the search indexer: {e}"))?;
    // The languages are indexed at the same time (Pagefind works on blocking threads).
    let jobs: Vec<_> = site
        .config
        .languages
        .iter()
        .map(|&lang| (lang, records::all(site, lang, strings)))
        .collect();
    let results = runtime.block_on(async {
        let tasks: Vec<_> = jobs
            .into_iter()
            .map(|(lang, records)| tokio::spawn(async move { (lang, index(records).await) }))
            .collect();
        let mut done = Vec::new();
        for t in tasks {
            done.push(
                t.await
                    .map_err(|e| anyhow!("search indexer stopped: {e}"))?,
            );
        }
        Ok::<_, anyhow::Error>(done)
    })?;
    let mut out = BTreeMap::new();
    for (lang, files) in results {
        for (name, bytes) in files? {
            out.insert(format!("{}{name}", bundle_dir(lang)), bytes);
        }
    }
    Ok(out)
}

async fn index(records: Vec<Record>) -> Result<Vec<(String, Vec<u8>)>> {
    let config = PagefindServiceConfig::builder()
        .keep_index_url(false)
        .force_language("und".into())
        .build();
    let mut index =
        PagefindIndex::new(Some(config)).map_err(|e| anyhow!("search index options: {e}"))?;
    for r in &records {
        index
            .add_html_file(None, Some(r.url.clone()), synthetic_html(r))
            .await
            .map_err(|e| anyhow!("indexing {}: {e}", r.url))?;
    }
    let files = index
        .get_files()
        .await
        .map_err(|e| anyhow!("writing the search index: {e}"))?;
    // Pagefind's own UIs are not used (search.js is ours): leave them out.
    let mut v: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .filter(|f| {
            let name = f.filename.to_string_lossy();
            !(name.contains("-ui.") || name.starts_with("pagefind-highlight"))
        })
        .map(|f| (f.filename.to_string_lossy().replace('\\', "/"), f.contents))
        .collect();
    v.sort();
    Ok(v)
}
