//! Listing pages: the department index and each department's initiatives
//! across plans, the listings per status and year, and the search page.

use super::pages::{
    home_link, numbered, on_part, plain, plan_link, scale_views, section_link, summary, Frame,
};
use super::paging;
use super::urls;
use super::views::{self, badge, count_table, initiative_row, Ctx, Link, Txt};
use crate::model::{AppliesTo, FiscalYear};

pub(super) fn departments_page(ctx: &Ctx) -> (&'static str, Frame, serde_json::Value) {
    let site = ctx.site;
    let groups: Vec<_> = site
        .municipalities
        .iter()
        .enumerate()
        .map(|(m, muni)| {
            let deps: Vec<_> = site
                .departments
                .iter()
                .enumerate()
                .filter(|(d, dep)| dep.municipality == m && !ctx.lists.department(*d).is_empty())
                .map(|(d, _)| {
                    let n = ctx.lists.department(d).len();
                    serde_json::json!({ "link": views::department_link(ctx, d), "count": n })
                })
                .collect();
            serde_json::json!({ "municipality": muni.name.get(ctx.lang), "departments": deps })
        })
        .filter(|g| g["departments"].as_array().is_some_and(|a| !a.is_empty()))
        .collect();
    (
        "departments.html",
        Frame {
            kind: "departments",
            title: plain(ctx, ctx.t("departments")),
            breadcrumbs: vec![
                home_link(ctx),
                Link {
                    href: urls::departments(ctx.lang),
                    title: plain(ctx, ctx.t("departments")),
                },
            ],
            untranslated: false,
        },
        serde_json::json!({ "groups": groups }),
    )
}

pub(super) fn department_page(
    ctx: &Ctx,
    d: usize,
    part: u32,
) -> (&'static str, Frame, serde_json::Value) {
    let site = ctx.site;
    let dep = &site.departments[d];
    let all = ctx.lists.department(d);
    let by_plan = all.chunk_by(|&a, &b| site.initiatives[a].plan == site.initiatives[b].plan);
    // The rows of every plan, one after the other, over numbered pages; each
    // page shows the heading and counts of the plans whose rows it holds.
    let len = all.len();
    let shown = paging::range(part, len);
    let mut at = 0;
    let plans: Vec<_> = by_plan
        .filter_map(|inits| {
            let p = site.initiatives[inits[0]].plan;
            // This plan's rows are items at..at + len of the whole list.
            let first = at;
            at += inits.len();
            let rows =
                &inits[shown.start.clamp(first, at) - first..shown.end.clamp(first, at) - first];
            if rows.is_empty() {
                return None;
            }
            let year = site.plans[p].reporting_year;
            Some(serde_json::json!({
                "plan": plan_link(ctx, p),
                "year": ctx.year(year),
                "counts": summary(ctx, inits, year),
                "rollup_rule": views::rollup_rule(ctx, &site.plans[p]),
                "initiatives": rows.iter().map(|&i| initiative_row(ctx, i, year)).collect::<Vec<_>>(),
            }))
        })
        .collect();
    let pager = paging::pager(ctx, &urls::department(ctx.lang, site, d), part, len);
    let formerly: Vec<views::FormerName> = dep
        .formerly
        .iter()
        .map(|(name, until)| views::former_name(ctx, name, *until))
        .collect();
    let title = plain(ctx, dep.name.get(ctx.lang).to_string());
    let shown = numbered(ctx, title.clone(), pager.as_ref(), part);
    (
        "department.html",
        Frame {
            kind: "department",
            title: shown.clone(),
            breadcrumbs: on_part(
                vec![
                    home_link(ctx),
                    Link {
                        href: urls::departments(ctx.lang),
                        title: plain(ctx, ctx.t("departments")),
                    },
                    Link {
                        href: urls::department(ctx.lang, site, d),
                        title,
                    },
                ],
                &shown,
                part,
            ),
            untranslated: false,
        },
        serde_json::json!({
            "pager": pager,
            "municipality": site.municipalities[dep.municipality].name.get(ctx.lang),
            // Departments of one name in several cities: the <title> names its city.
            "title_note": (site.municipalities.len() > 1)
                .then(|| site.municipalities[dep.municipality].name.get(ctx.lang)),
            "name_ja": dep.name.ja,
            "formerly": formerly,
            "plans": plans,
        }),
    )
}

pub(super) fn statuses_page(ctx: &Ctx, p: usize) -> (&'static str, Frame, serde_json::Value) {
    let plan = &ctx.site.plans[p];
    let years: Vec<FiscalYear> = plan.reported_years().collect();
    let title = plain(ctx, ctx.t("status_listings"));
    let mut crumbs = vec![home_link(ctx), plan_link(ctx, p)];
    crumbs.push(Link {
        href: urls::statuses(ctx.lang, ctx.site, p),
        title: title.clone(),
    });
    (
        "statuses.html",
        Frame {
            kind: "statuses",
            title,
            breadcrumbs: crumbs,
            untranslated: false,
        },
        serde_json::json!({
            "plan": plan_link(ctx, p),
            "scales": scale_views(ctx, p),
            "counts": (0..plan.scales.len()).map(|s| count_table(ctx, p, s, &years)).collect::<Vec<_>>(),
        }),
    )
}

pub(super) fn status_page(
    ctx: &Ctx,
    p: usize,
    scale: usize,
    value: Option<usize>,
    year: FiscalYear,
    part: u32,
) -> (&'static str, Frame, serde_json::Value) {
    let site = ctx.site;
    let plan = &site.plans[p];
    let s = &plan.scales[scale];
    let b = badge(ctx, s, value);
    let units = ctx.lists.status(p, scale, year, value);
    let count = units.len();
    let shown = &units[paging::range(part, count)];
    let mut items = Vec::new();
    let mut sections = Vec::new();
    for u in shown {
        match s.applies_to {
            AppliesTo::Section => sections.push(section_link(ctx, u.index)),
            _ => {
                let mut row = initiative_row(ctx, u.index, year);
                row.badge = Some(badge(ctx, s, value));
                items.push(row);
            }
        }
    }
    // A project with several rows in the same status is listed once per row.
    let labels: Vec<Option<Txt>> = if s.applies_to == AppliesTo::Schedule {
        shown
            .iter()
            .map(|u| {
                let row = &site.initiatives[u.index].schedule[u.row];
                row.label.as_ref().map(|l| ctx.text(l))
            })
            .collect()
    } else {
        vec![]
    };
    let other_years: Vec<_> = plan
        .reported_years()
        .map(|y| {
            let n = ctx.lists.status(p, scale, y, value).len();
            serde_json::json!({ "year": ctx.year_short(y), "href": urls::status(ctx.lang, site, p, scale, value, y), "count": n, "current": y == year })
        })
        .collect();
    let here = urls::status(ctx.lang, site, p, scale, value, year);
    let pager = paging::pager(ctx, &here, part, count);
    // A plan with several scales may share a value's label between them
    // (未報告): the page names its scale.
    let scale_name = if plan.scales.len() > 1 {
        format!("{}{}", s.name.get(ctx.lang), ctx.t("colon"))
    } else {
        String::new()
    };
    let title = plain(
        ctx,
        format!(
            "{scale_name}{} — {}",
            format!("{} {}", b.symbol, b.label).trim(),
            ctx.year(year)
        ),
    );
    let title = numbered(ctx, title, pager.as_ref(), part);
    let mut crumbs = vec![home_link(ctx), plan_link(ctx, p)];
    crumbs.push(Link {
        href: urls::statuses(ctx.lang, site, p),
        title: plain(ctx, ctx.t("status_listings")),
    });
    crumbs.push(Link {
        href: paging::path(&here, part),
        title: title.clone(),
    });
    let untranslated = items.iter().any(|r| r.title.fallback);
    (
        "status.html",
        Frame {
            kind: "status",
            title,
            breadcrumbs: crumbs,
            untranslated,
        },
        serde_json::json!({
            "plan": plan_link(ctx, p),
            "scale": s.name.get(ctx.lang),
            "badge": b,
            "year": ctx.year(year),
            "count": count,
            "pager": pager,
            "items": items,
            "labels": labels,
            "sections": sections,
            "other_years": other_years,
        }),
    )
}

pub(super) fn search_page(ctx: &Ctx) -> (&'static str, Frame, serde_json::Value) {
    let title = plain(ctx, ctx.t("search_title"));
    let strings = serde_json::json!({
        "loading": ctx.t("search_loading"),
        "count": ctx.t("search_results_count"),
        "count_one": ctx.t("search_results_count_one"),
        "browse": ctx.t("search_browse"),
        "none": ctx.t("search_no_results"),
        "unavailable": ctx.t("search_unavailable"),
        "filters": ctx.t("search_filters"),
    });
    let statuses: Vec<Link> = (0..ctx.site.plans.len())
        .filter(|&p| !ctx.site.plans[p].scales.is_empty())
        .map(|p| Link {
            href: urls::statuses(ctx.lang, ctx.site, p),
            title: plan_link(ctx, p).title,
        })
        .collect();
    (
        "search.html",
        Frame {
            kind: "search",
            title: title.clone(),
            breadcrumbs: vec![
                home_link(ctx),
                Link {
                    href: urls::search(ctx.lang),
                    title,
                },
            ],
            untranslated: false,
        },
        serde_json::json!({
            "bundle": urls::search_index(ctx.lang),
            "strings": strings.to_string(),
            "status_pages": statuses,
        }),
    )
}
