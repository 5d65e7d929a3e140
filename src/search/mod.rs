//! The search index: our own, written by the build, one bundle per
//! language under `search/idx/`, read by `search.js` in the browser.
//!
//! Every page a resident can read (initiatives, sections, indicators,
//! departments, plans, status and indicator listings, the home page) is a
//! document. Its text is the page's visible text ([`extract`]), so search
//! finds exactly what the page says. The text goes through [`tokenize`]
//! (the same rules as `search.js`): character bigrams with positions for
//! Japanese, plural-stemmed words for English, fiscal years as `fyNNNN`.
//! A query matches where its terms stand at consecutive positions, so a
//! result always contains what was typed; [`index`] writes the postings in
//! shards a query fetches only the few of. The record of each page
//! ([`records`]) gives the result list its facts and the filters.
//!
//! The index is the last stage: it reads the rendered pages, the model and
//! the render stage's page list, addresses and badges, and nothing of it is
//! read back by rendering (the search page finds the index at
//! [`crate::render::urls::search_index`]).
//!
//! Why not Pagefind, which this replaced: its index build took about 44 s
//! per language for 10,000 initiatives (our goal is 15 s), and its
//! unquoted search adds near misses that a resident must never be shown.

mod extract;
mod index;
pub use extract::PageText;
mod records;
pub mod tokenize;

use crate::model::Site;
use crate::render::listings::Listings;
use crate::render::pages::{all_pages, path_of, PageSpec};
use crate::render::views::{Ctx, Strings};
use crate::render::Files;
use anyhow::Result;
use rayon::prelude::*;

/// The bundle folder of a language, relative to the site root: where the
/// search page (rendered before the index) looks for it.
pub fn bundle_dir(lang: crate::model::Lang) -> String {
    crate::render::urls::search_index(lang)
}

/// Whether a site file belongs to a search bundle.
pub fn is_index_file(path: &str) -> bool {
    path.starts_with("search/idx/") || path.starts_with("en/search/idx/")
}

/// How specific a page is: 0 for initiatives, indicators and sections, 1
/// for departments and plans, 2 for listings.
fn class(spec: PageSpec) -> u8 {
    match spec {
        PageSpec::Initiative(_) | PageSpec::Indicator(_) | PageSpec::Section(..) => 0,
        PageSpec::Department(..) | PageSpec::Plan(..) => 1,
        _ => 2,
    }
}

/// The visible text of a rendered page, as the index reads it.
pub fn page_text(html: &[u8]) -> Option<PageText> {
    extract::page_text(std::str::from_utf8(html).ok()?)
}

/// Builds the index of every language from the rendered pages in `files`:
/// path (relative to the site root) → bytes.
pub fn build(site: &Site, strings: &Strings, files: &Files) -> Result<Files> {
    build_from(site, strings, &|file| {
        files.get(file).and_then(|h| page_text(h))
    })
}

/// Builds the index of every language, with each page's text from
/// `text_of` (page file → its text): `build` reads the texts it kept while
/// writing the pages, `serve` reads them from the pages in memory.
pub fn build_from(
    site: &Site,
    strings: &Strings,
    text_of: &(dyn Fn(&str) -> Option<PageText> + Sync),
) -> Result<Files> {
    // Documents in order of how specific a page is (initiatives, indicators
    // and sections; departments and plans; listings): ties in ranking go
    // to the more specific page.
    let lists = Listings::of(site);
    let mut specs = all_pages(site, &lists);
    specs.sort_by_key(|&s| class(s));
    let mut out = Files::new();
    for &lang in &site.config.languages {
        let docs: Vec<index::Doc> = specs
            .par_iter()
            .filter_map(|&spec| {
                let (memo, used) = (
                    crate::render::markdown::Memo::default(),
                    crate::render::markdown::Used::default(),
                );
                let ctx = Ctx {
                    md: memo.for_page(&used),
                    site,
                    lists: &lists,
                    lang,
                    strings,
                };
                let record = records::record(ctx, spec)?;
                let href = path_of(site, lang, spec);
                let text = text_of(&crate::render::page_file(&href))?;
                Some(index::Doc::new(href, record, text, class(spec)))
            })
            .collect();
        for (name, bytes) in index::write(&docs) {
            out.insert(format!("{}{name}", bundle_dir(lang)), bytes);
        }
    }
    Ok(out)
}
