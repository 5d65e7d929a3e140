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
use crate::model::Site;
use serde::Serialize;

#[derive(Serialize)]
struct Entry {
    id: String,
    title: String,
    updated: String,
    link: String,
    summary: String,
}

/// The README's table "Feed dates and titles": the date of a report's
/// entry from its `published` (`2024-06-28`, or `2024-06`: the month's last
/// day, never before the report existed), as an Atom date (RFC 3339, Japan
/// time); `None` without one: the entry is left out, since nothing in the
/// content dates the report (the end of its year is before it existed).
pub(crate) fn entry_date(published: Option<&str>) -> Option<String> {
    let parts: Vec<u32> = published?
        .split('-')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let (y, m, d) = match parts.as_slice() {
        [y, m] if (1..=12).contains(m) => (*y, *m, last_day(*y, *m)),
        [y, m, d] if (1..=12).contains(m) && (1..=last_day(*y, *m)).contains(d) => (*y, *m, *d),
        _ => return None,
    };
    Some(format!("{y:04}-{m:02}-{d:02}T00:00:00+09:00"))
}

/// The last day of month `m` of year `y` (Gregorian).
fn last_day(y: u32, m: u32) -> u32 {
    match m {
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The plan's title with its city: 武蔵野市 第六次行財政改革アクションプラン.
fn plan_title(ctx: &Ctx, site: &Site, p: usize, short: bool) -> String {
    let plan = &site.plans[p];
    let title = if short {
        plan.short_title.as_ref().unwrap_or(&plan.title)
    } else {
        &plan.title
    };
    ctx.t("feed_plan_title")
        .replace(
            "{city}",
            site.municipalities[plan.municipality].name.get(ctx.lang),
        )
        .replace("{plan}", &ctx.text(title).text)
}

/// The entry of the report of plan `p` of `site` (the site, or a past
/// report's), whose plan holds `count` initiatives; none without a
/// publication date. Its id is the same whether the report is current or
/// kept in the archive.
fn entry(ctx: &Ctx, site: &Site, p: usize, count: usize) -> Option<Entry> {
    let plan = &site.plans[p];
    let updated = entry_date(plan.published.as_deref())?;
    let base = &site.config.base_url;
    let year = changes::compared_year(plan);
    let title = ctx
        .t("feed_entry_title")
        .replace("{plan}", &plan_title(ctx, site, p, true))
        .replace(
            "{report}",
            &ctx.t("feed_report").replace("{year}", &ctx.year(year)),
        );
    let mut summary = vec![ctx.count("feed_count", count)];
    let link = if changes::has_changes(plan) {
        let c = changes::of_plan(site, p);
        summary.extend(changes::summary(ctx, plan, &c));
        urls::changes(ctx.lang, site, p)
    } else {
        urls::plan(ctx.lang, site, p)
    };
    Some(Entry {
        id: format!(
            "{base}{}#report-{}",
            urls::current_plan(ctx.lang, plan),
            year.0
        ),
        title,
        updated,
        link: format!("{base}{link}"),
        summary: summary.join(&ctx.t("list_sep")),
    })
}

/// The entries of plan `p`'s reports: the current one and every past one.
fn entries_of(ctx: &Ctx, p: usize) -> Vec<Entry> {
    let site = ctx.site;
    let mut v: Vec<Entry> = entry(ctx, site, p, ctx.lists.in_plan(p))
        .into_iter()
        .collect();
    v.extend(
        site.editions_of(p)
            .filter_map(|e| entry(ctx, &e.site, 0, e.site.initiatives.len())),
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
            format!("{} — {}", plan_title(ctx, site, p, false), site_title),
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_month_is_dated_its_last_day_and_no_date_no_entry() {
        assert_eq!(
            entry_date(Some("2024-09")).as_deref(),
            Some("2024-09-30T00:00:00+09:00")
        );
        assert_eq!(
            entry_date(Some("2024-02")).as_deref(),
            Some("2024-02-29T00:00:00+09:00")
        );
        assert_eq!(
            entry_date(Some("2100-02")).as_deref(),
            Some("2100-02-28T00:00:00+09:00")
        );
        assert_eq!(
            entry_date(Some("2024-06-28")).as_deref(),
            Some("2024-06-28T00:00:00+09:00")
        );
        assert_eq!(entry_date(None), None);
    }

    proptest! {
        /// An entry is never dated before its report: a month's date is on
        /// or after every day of that month, in that month; a day is itself.
        #[test]
        fn an_entry_is_never_dated_before_its_report(y in 1990u32..2200, m in 1u32..=12, d in 1u32..=31) {
            let month = entry_date(Some(&format!("{y}-{m:02}"))).unwrap();
            let prefix = format!("{y:04}-{m:02}-");
            prop_assert!(month.starts_with(&prefix), "{}", month);
            if let Some(day) = entry_date(Some(&format!("{y}-{m:02}-{d:02}"))) {
                prop_assert_eq!(&day, &format!("{y:04}-{m:02}-{d:02}T00:00:00+09:00"));
                prop_assert!(day <= month);
            } else {
                prop_assert!(d > last_day(y, m));
            }
        }
    }
}
