//! The open data page: every download of the site and of each plan, with
//! its format, size and contents, and the licence from `site.toml`.

use super::data;
use super::pages::{home_link, plain, plan_link, Frame};
use super::urls;
use super::views::{Ctx, Link};
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
    for (p, plan) in site.plans.iter().enumerate() {
        let pd = format!("{dir}{}/", plan.id);
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
        let count = ctx.lists.in_plan(p);
        groups.push(Group {
            plan: Some(plan_link(ctx, p)),
            files,
            records: (count > 0).then(|| {
                ctx.t("data_records").replace(
                    "{count}",
                    &crate::model::value::format_number(count as f64, 0),
                )
            }),
        });
    }
    let title = plain(ctx, ctx.t("open_data"));
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
        }),
    )
}
