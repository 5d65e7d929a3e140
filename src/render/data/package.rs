//! What describes the open data, so that standard tools read and check it:
//! a Frictionless Data Package (`datapackage.json`: every CSV with its
//! fields, types, keys, the licence from `site.toml` and the plans'
//! sources) and a JSON Schema (`schema.json`) for the JSON records.

use super::tables::{self, Spec};
use crate::model::Site;
use serde_json::{json, Value};

/// A Frictionless name: lowercase letters, digits, `-`, `_` and `.`.
fn name(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect()
}

fn resource(spec: &Spec, name: String, path: String, title: String) -> Value {
    json!({
        "name": name,
        "path": path,
        "title": title,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8-sig",
        "schema": {
            "fields": spec.fields.iter().map(|(n, t, d)| {
                let mut f = json!({ "name": n, "type": t, "description": d });
                if *t == "boolean" {
                    f["trueValues"] = json!(["true"]);
                    f["falseValues"] = json!(["false"]);
                }
                f
            }).collect::<Vec<_>>(),
            "missingValues": [""],
            "primaryKey": if spec.key.is_empty() { Value::Null } else { json!(spec.key) },
        },
    })
}

/// `datapackage.json`: the site-wide tables, then each plan's.
pub fn datapackage(site: &Site) -> Value {
    let c = &site.config;
    let mut resources: Vec<Value> = tables::ALL
        .iter()
        .map(|s| {
            resource(
                s,
                s.name.to_string(),
                format!("{}.csv", s.name),
                format!("{} — {}", s.title, c.title.ja),
            )
        })
        .collect();
    let editions = site.editions.iter().map(|e| &e.site.plans[0]);
    for plan in site.plans.iter().chain(editions) {
        // The path from data/, and a name unique in the package.
        let dir = super::plan_dir(plan);
        let dir = dir.strip_prefix(super::DIR).unwrap_or(&dir);
        let title = if plan.archived {
            format!("{}（{}年度の報告）", plan.title.ja, plan.reporting_year.0)
        } else {
            plan.title.ja.clone()
        };
        for s in tables::ALL {
            resources.push(resource(
                s,
                name(&format!("{}{}", dir.replace('/', "-"), s.name)),
                format!("{dir}{}.csv", s.name),
                format!("{} — {title}", s.title),
            ));
        }
    }
    // A null primaryKey means none: Frictionless wants the key left out.
    for r in &mut resources {
        if let Some(schema) = r.get_mut("schema").and_then(Value::as_object_mut) {
            if schema.get("primaryKey").is_some_and(Value::is_null) {
                schema.remove("primaryKey");
            }
        }
    }
    let sources: Vec<Value> = site
        .plans
        .iter()
        .filter_map(|p| {
            let title = p.source.title.clone().unwrap_or_else(|| p.title.ja.clone());
            p.source
                .url
                .as_ref()
                .map(|u| json!({ "title": title, "path": u }))
        })
        .collect();
    let mut package = json!({
        "profile": "tabular-data-package",
        "name": name(&format!("mieruka-{}", base_name(&c.base_url))),
        "title": c.title.ja,
        "description": c.description.as_ref().map_or(String::new(), |d| d.ja.clone()),
        "homepage": c.base_url,
        "resources": resources,
    });
    if let Some(l) = &c.license {
        let title = format!("{} / {}", l.name.ja, l.name.en);
        package["licenses"] = match &l.url {
            Some(u) => json!([{ "path": u, "title": title }]),
            None => json!([{ "name": "other", "title": title }]),
        };
    }
    if !sources.is_empty() {
        package["sources"] = json!(sources);
    }
    package
}

/// The last folder of the base URL (`kaikaku`), or its host.
fn base_name(base_url: &str) -> String {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    rest.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("site")
        .to_string()
}

/// The JSON Schema of `site.json`; `plan.json` files are `#/$defs/plan`
/// and initiative files `#/$defs/initiative`.
pub const SCHEMA: &str = include_str!("schema.json");
