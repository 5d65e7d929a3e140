//! What search engines read: `sitemap.xml` (every page a resident can
//! read, each with its other-language version as an `xhtml:link`
//! alternate, at the addresses of `base_url`, sub-path included) and
//! `robots.txt` pointing to it. A sitemap holds at most 50,000 addresses
//! (sitemaps.org); a larger site gets `sitemap.xml` as an index of
//! `sitemap-1.xml`, `sitemap-2.xml` ….

use super::markdown::escape_html as escape;
use super::pages::{self, PageSpec};
use super::Files;
use crate::model::Site;

/// The most addresses one sitemap file may hold.
const MAX_URLS: usize = 50_000;

/// `sitemap.xml` (and its parts) and `robots.txt`, of the pages of the
/// site and of its past reports: `pages` is each site with its pages.
pub fn files(pages: &[(&Site, &[PageSpec])]) -> Files {
    files_with(pages, MAX_URLS)
}

fn files_with(pages: &[(&Site, &[PageSpec])], max_urls: usize) -> Files {
    let Some(&(site, _)) = pages.first() else {
        return Files::new();
    };
    let base = &site.config.base_url;
    let languages = &site.config.languages;
    let mut urls = Vec::new();
    for &lang in languages {
        for &(site, specs) in pages {
            let read = specs.iter().filter(|s| {
                !matches!(s, PageSpec::NotFound | PageSpec::Search | PageSpec::Feed(_))
            });
            for &spec in read {
                let mut u = format!(
                    "<url><loc>{}</loc>",
                    escape(&format!("{base}{}", pages::path_of(site, lang, spec)))
                );
                if languages.len() > 1 {
                    for &other in languages {
                        u.push_str(&format!(
                            "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                            other.code(),
                            escape(&format!("{base}{}", pages::path_of(site, other, spec)))
                        ));
                    }
                }
                u.push_str("</url>\n");
                urls.push(u);
            }
        }
    }
    let head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    let urlset = |chunk: &[String]| {
        format!(
            "{head}<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n{}</urlset>\n",
            chunk.concat()
        )
        .into_bytes()
    };
    let mut files = Files::new();
    if urls.len() <= max_urls {
        files.insert("sitemap.xml".into(), urlset(&urls));
    } else {
        let mut index =
            format!("{head}<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for (n, chunk) in urls.chunks(max_urls).enumerate() {
            let name = format!("sitemap-{}.xml", n + 1);
            index.push_str(&format!(
                "<sitemap><loc>{}</loc></sitemap>\n",
                escape(&format!("{base}{name}"))
            ));
            files.insert(name, urlset(chunk));
        }
        index.push_str("</sitemapindex>\n");
        files.insert("sitemap.xml".into(), index.into_bytes());
    }
    files.insert(
        "robots.txt".into(),
        format!("User-agent: *\nAllow: /\n\nSitemap: {base}sitemap.xml\n").into_bytes(),
    );
    files
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::listings::Listings;

    /// A site with more addresses than a sitemap may hold gets an index of
    /// parts, which hold every address once.
    #[test]
    fn a_large_site_gets_a_sitemap_index_of_parts() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = crate::content::load(root).0.expect("the example loads");
        let lists = Listings::of(&site);
        let specs = pages::all_pages(&site, &lists);
        let pages = [(&site, specs.as_slice())];
        let whole = files_with(&pages, MAX_URLS);
        let one = String::from_utf8(whole["sitemap.xml"].clone()).unwrap();
        let all = one.matches("<url>").count();
        assert!(all > 1000, "{all}");
        let split = files_with(&pages, 500);
        let index = String::from_utf8(split["sitemap.xml"].clone()).unwrap();
        assert!(index.contains("<sitemapindex"));
        let parts = all.div_ceil(500);
        assert_eq!(index.matches("<sitemap>").count(), parts);
        let mut seen = 0;
        for n in 1..=parts {
            let part = String::from_utf8(split[&format!("sitemap-{n}.xml")].clone()).unwrap();
            let here = part.matches("<url>").count();
            assert!(here <= 500);
            seen += here;
            assert!(index.contains(&format!(
                "<loc>https://example.jp/kaikaku/sitemap-{n}.xml</loc>"
            )));
        }
        assert_eq!(seen, all);
    }
}
