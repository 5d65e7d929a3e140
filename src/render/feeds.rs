//! Atom feeds (RFC 4287), per language: one for the site and one per plan.
//! A plan's report — its reporting year, published on its `published` date
//! — is an entry saying what changed against the year before (the counts
//! of its changes page, which the entry links); the plan's past reports
//! (the archive) keep their entries, linking their own pages. Feed readers
//! and the city's own news pages pick up a new report without anyone
//! writing it.

use super::changes;
use super::pages::{plain, Frame};
use super::urls;
use super::views::Ctx;
use crate::model::{FiscalYear, Site};
use serde::Serialize;

#[derive(Serialize)]
struct Entry {
    id: String,
    title: String,
    updated: String,
    link: String,
    summary: String,
}

/// A `published` date (`2024-06` or `2024-06-28`) as an Atom date (RFC
/// 3339, Japan time); without one, the end of the reporting year.
fn updated(published: Option<&str>, year: FiscalYear) -> String {
    let parts: Vec<u32> = published
        .unwrap_or("")
        .split('-')
        .filter_map(|p| p.parse().ok())
        .collect();
    let (y, m, d) = match parts.as_slice() {
        [y, m] => (*y, *m, 1),
        [y, m, d] => (*y, *m, *d),
        _ => (u32::from(year.0) + 1, 3, 31),
    };
    format!("{y:04}-{m:02}-{d:02}T00:00:00+09:00")
}

/// The entry of the report of plan `p` of `site` (the site, or a past
/// report's), whose plan holds `count` initiatives. Its id is the same
/// whether the report is current or kept in the archive.
fn entry(ctx: &Ctx, site: &Site, p: usize, count: usize) -> Entry {
    let plan = &site.plans[p];
    let base = &site.config.base_url;
    let year = changes::compared_year(plan);
    let title = format!(
        "{}: {}",
        ctx.text(plan.short_title.as_ref().unwrap_or(&plan.title))
            .text,
        ctx.t("feed_report").replace("{year}", &ctx.year(year))
    );
    let mut summary = vec![ctx.t("feed_count").replace("{count}", &count.to_string())];
    let link = if changes::has_changes(plan) {
        let c = changes::of_plan(site, p);
        summary.extend(changes::summary(ctx, plan, &c));
        urls::changes(ctx.lang, site, p)
    } else {
        urls::plan(ctx.lang, site, p)
    };
    Entry {
        id: format!(
            "{base}{}#report-{}",
            urls::current_plan(ctx.lang, plan),
            year.0
        ),
        title,
        updated: updated(plan.published.as_deref(), year),
        link: format!("{base}{link}"),
        summary: summary.join(&ctx.t("list_sep")),
    }
}

/// The entries of plan `p`'s reports: the current one and every past one.
fn entries_of(ctx: &Ctx, p: usize) -> Vec<Entry> {
    let site = ctx.site;
    let mut v = vec![entry(ctx, site, p, ctx.lists.in_plan(p))];
    v.extend(
        site.editions_of(p)
            .map(|e| entry(ctx, &e.site, 0, e.site.initiatives.len())),
    );
    v
}

/// The site's feed (`plan` is `None`) or a plan's.
pub(super) fn feed(ctx: &Ctx, plan: Option<usize>) -> (&'static str, Frame, serde_json::Value) {
    let site = ctx.site;
    let base = &site.config.base_url;
    let plans: Vec<usize> = match plan {
        Some(p) => vec![p],
        None => (0..site.plans.len()).collect(),
    };
    let mut entries: Vec<Entry> = plans.iter().flat_map(|&p| entries_of(ctx, p)).collect();
    // Newest first; the same date in plan order.
    entries.sort_by(|a, b| b.updated.cmp(&a.updated));
    let site_title = site.config.title.get(ctx.lang);
    let (title, page) = match plan {
        Some(p) => (
            format!("{} — {}", ctx.text(&site.plans[p].title).text, site_title),
            urls::plan(ctx.lang, site, p),
        ),
        None => (site_title.to_string(), urls::home(ctx.lang)),
    };
    let updated = entries
        .iter()
        .map(|e| e.updated.clone())
        .max()
        .unwrap_or_else(|| "2000-01-01T00:00:00+09:00".into());
    let author = site
        .config
        .contact
        .as_ref()
        .map_or(site_title.to_string(), |c| c.name.get(ctx.lang).to_string());
    let own = urls::feed(ctx.lang, site, plan);
    (
        "feed.xml",
        Frame {
            kind: "feed",
            title: plain(ctx, title.clone()),
            breadcrumbs: vec![],
            untranslated: false,
        },
        serde_json::json!({
            "id": format!("{base}{own}"),
            "title": title,
            "updated": updated,
            "self": format!("{base}{own}"),
            "page": format!("{base}{page}"),
            "author": author,
            "entries": entries,
        }),
    )
}
