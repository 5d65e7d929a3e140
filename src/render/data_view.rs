//! The open data page: every download of the site and of each plan, with
//! its format, size and contents, and the licence from `site.toml`.

use super::data;
use super::pages::{home_link, plain, plan_link, Frame};
use super::urls;
use super::views::{Ctx, Link};
use crate::model::Site;
use serde::Serialize;

#[derive(Serialize)]
struct Download {
    /// From the site's root.
    href: String,
    name: String,
    format: &'static str,
    size: String,
    what: String,
}

#[derive(Serialize)]
struct Group {
    plan: Option<Link>,
    files: Vec<Download>,
    /// The note on the per-initiative JSON files.
    records: Option<String>,
}

/// A size as people read it: 812 B, 14.2 KB, 3.1 MB.
fn size(bytes: usize) -> String {
    let b = bytes as f64;
    if bytes < 1000 {
        format!("{bytes} B")
    } else if b < 1e6 {
        format!("{:.1} KB", b / 1e3)
    } else {
        format!("{:.1} MB", b / 1e6)
    }
}

fn download(ctx: &Ctx, path: String, what: String) -> Option<Download> {
    let bytes = ctx.lists.download_size(&path)?;
    let name = path.rsplit('/').next().unwrap_or(&path).to_string();
    let format = match name.rsplit('.').next() {
        Some("csv") => "CSV",
        _ => "JSON",
    };
    Some(Download {
        href: path,
        name,
        format,
        size: size(bytes),
        what,
    })
}

/// The schema.org `Dataset` of the page (JSON-LD), for search engines'
/// dataset search: the site's data with every download. Safe inside
/// `<script>`: `<`, `>` and `&` are written as JSON escapes.
fn dataset(ctx: &Ctx, title: &str, groups: &[Group]) -> String {
    let c = &ctx.site.config;
    let base = &c.base_url;
    let distribution: Vec<serde_json::Value> = groups
        .iter()
        .flat_map(|g| &g.files)
        .map(|f| {
            serde_json::json!({
                "@type": "DataDownload",
                "name": f.name,
                "description": f.what,
                "encodingFormat": if f.format == "CSV" { "text/csv" } else { "application/json" },
                "contentUrl": format!("{base}{}", f.href),
                "contentSize": f.size,
            })
        })
        .collect();
    let mut d = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": format!("{} — {}", c.title.get(ctx.lang), title),
        "description": ctx.t("desc_data").replace("{site}", c.title.get(ctx.lang)),
        "url": format!("{base}{}", urls::data(ctx.lang)),
        "inLanguage": c.languages.iter().map(|l| l.code()).collect::<Vec<_>>(),
        "isAccessibleForFree": true,
        "distribution": distribution,
    });
    if let Some(u) = c.license.as_ref().and_then(|l| l.url.as_ref()) {
        d["license"] = serde_json::json!(u);
    }
    if let Some(k) = &c.contact {
        d["creator"] = serde_json::json!({ "@type": "Organization", "name": k.name.get(ctx.lang) });
    }
    d.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The downloads of plan `p` of `site` (the site, or a past report's);
/// `count` initiatives.
fn plan_group(ctx: &Ctx, site: &Site, p: usize, count: usize) -> Group {
    let plan = &site.plans[p];
    let pd = data::plan_dir(plan);
    // A table the plan has nothing for is not offered (it is still in
    // the data package, with its header, so that every plan's folder
    // has the same files).
    let mut files: Vec<Download> = [
        ("plan.json", "data_plan_json", true),
        ("initiatives.csv", "data_initiatives_csv", true),
        ("statuses.csv", "data_statuses_csv", !plan.scales.is_empty()),
        (
            "indicator_values.csv",
            "data_values_csv",
            !plan.indicators.is_empty(),
        ),
    ]
    .iter()
    .filter(|f| f.2)
    .filter_map(|(f, k, _)| download(ctx, format!("{pd}{f}"), ctx.t(k)))
    .collect();
    if !plan.indicators.is_empty() {
        let csv = format!("{}indicators.csv", urls::indicators(ctx.lang, site, p));
        files.extend(download(ctx, csv, ctx.t("data_indicators_csv")));
    }
    let plan_ctx = Ctx { site, ..*ctx };
    Group {
        plan: Some(plan_link(&plan_ctx, p)),
        files,
        records: (count > 0).then(|| {
            ctx.t("data_records").replace(
                "{count}",
                &crate::model::value::format_number(count as f64, 0),
            )
        }),
    }
}

pub(super) fn data_page(ctx: &Ctx) -> (&'static str, Frame, serde_json::Value) {
    let site = ctx.site;
    let dir = data::DIR;
    let site_files = [
        ("site.json", "data_site_json"),
        ("initiatives.csv", "data_initiatives_csv"),
        ("statuses.csv", "data_statuses_csv"),
        ("indicator_values.csv", "data_values_csv"),
        ("datapackage.json", "data_package"),
        ("schema.json", "data_schema"),
    ];
    let mut groups = vec![Group {
        plan: None,
        files: site_files
            .iter()
            .filter_map(|(f, k)| download(ctx, format!("{dir}{f}"), ctx.t(k)))
            .collect(),
        records: None,
    }];
    for p in 0..site.plans.len() {
        groups.push(plan_group(ctx, site, p, ctx.lists.in_plan(p)));
        // Its past reports, newest first.
        for e in site.editions_of(p).rev() {
            let count = e.site.initiatives.len();
            groups.push(plan_group(ctx, &e.site, 0, count));
        }
    }
    let title = plain(ctx, ctx.t("open_data"));
    let dataset = dataset(ctx, &title.text, &groups);
    let license = site
        .config
        .license
        .as_ref()
        .map(|l| serde_json::json!({ "name": l.name.get(ctx.lang), "url": l.url }));
    (
        "data.html",
        Frame {
            kind: "data",
            title: title.clone(),
            breadcrumbs: vec![
                home_link(ctx),
                Link {
                    href: urls::data(ctx.lang),
                    title,
                },
            ],
            untranslated: false,
        },
        serde_json::json!({
            "license": license,
            "groups": groups,
            "dataset": dataset,
        }),
    )
}
