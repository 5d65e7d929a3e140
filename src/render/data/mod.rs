//! Data files: everything the pages show, to download and re-use.
//!
//! - Beside each plan's indicator pages, each indicator's series as CSV in
//!   the page's language (`series`).
//! - Under `data/`, in both languages at once: `site.json` (the whole
//!   site), per plan `plan.json` and one JSON file per initiative
//!   (`records`); CSV tables of initiatives, statuses per year and
//!   indicator values for the site and per plan (`tables`, UTF-8 with a
//!   BOM, safe to open in Excel: `csv`); and what describes them,
//!   `datapackage.json` (Frictionless) and `schema.json` (JSON Schema)
//!   (`package`).

mod csv;
mod package;
mod records;
mod series;
mod tables;

use super::Files;
use crate::model::{Plan, Site};
use rayon::prelude::*;

/// The folder of the open data, at the site's root.
pub const DIR: &str = "data/";

/// Every data file of the site, and of its past reports (each in its
/// plan's data folder: `data/<plan>/reports/<year>/`).
pub fn data_files(site: &Site) -> Files {
    let mut files = series::files(site);
    files.extend(open_data(site));
    for e in &site.editions {
        files.extend(series::files(&e.site));
        plan_files(&e.site, 0, &mut files);
    }
    files
}

fn json_bytes(v: &serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(v).unwrap_or_default()
}

fn with_newline(mut b: Vec<u8>) -> Vec<u8> {
    b.push(b'\n');
    b
}

/// Plan `p`'s files in its data folder — its tables, its initiatives'
/// records and `plan.json` — into `files`; returns the tables and the plan
/// record (for the site's).
fn plan_files(site: &Site, p: usize, files: &mut Files) -> ([csv::Table; 3], Vec<u8>) {
    let plan = &site.plans[p];
    let dir = plan_dir(plan);
    let tables = tables::of_plan(site, p);
    for (n, table) in tables.iter().enumerate() {
        files.insert(format!("{dir}{}.csv", tables::ALL[n].name), table.bytes());
    }
    // Each record serialised once: its own file, then within the plan's.
    // In parallel (`serve` makes them again on every save); in order.
    let records: Vec<(String, Vec<u8>)> = site
        .initiatives
        .par_iter()
        .enumerate()
        .filter(|(_, x)| x.plan == p)
        .map(|(i, init)| {
            let path = format!("{}{}.json", initiatives_dir(plan), init.id);
            (path, json_bytes(&records::initiative(site, i)))
        })
        .collect();
    let items: Vec<&[u8]> = records.iter().map(|(_, b)| b.as_slice()).collect();
    let plan_json = records::splice(&json_bytes(&records::plan(site, p)), &items);
    for (path, bytes) in records {
        files.insert(path, with_newline(bytes));
    }
    files.insert(format!("{dir}plan.json"), with_newline(plan_json.clone()));
    (tables, plan_json)
}

/// The files under `data/`.
fn open_data(site: &Site) -> Files {
    let mut files = Files::new();
    let mut all = tables::ALL.map(Spec::table);
    let mut plans = Vec::new();
    for p in 0..site.plans.len() {
        let (tables, plan_json) = plan_files(site, p, &mut files);
        for (n, table) in tables.into_iter().enumerate() {
            all[n].extend(table);
        }
        plans.push(plan_json);
    }
    for (spec, table) in tables::ALL.iter().zip(all) {
        files.insert(format!("{DIR}{}.csv", spec.name), table.bytes());
    }
    let items: Vec<&[u8]> = plans.iter().map(Vec::as_slice).collect();
    files.insert(
        format!("{DIR}site.json"),
        with_newline(records::splice(&json_bytes(&records::site(site)), &items)),
    );
    drop(plans);
    files.insert(
        format!("{DIR}datapackage.json"),
        with_newline(json_bytes(&package::datapackage(site))),
    );
    let mut schema: serde_json::Value =
        serde_json::from_str(package::SCHEMA).unwrap_or(serde_json::Value::Null);
    if let Some(m) = schema.as_object_mut() {
        m.insert(
            "$id".into(),
            format!("{}{DIR}schema.json", site.config.base_url).into(),
        );
    }
    files.insert(
        format!("{DIR}schema.json"),
        with_newline(json_bytes(&schema)),
    );
    files
}

/// The folder of a plan's data (of a past report: inside the plan's, as
/// its pages are).
pub fn plan_dir(plan: &Plan) -> String {
    if plan.archived {
        format!(
            "{DIR}{}/{}/",
            plan.id,
            super::urls::report_dir(plan.reporting_year)
        )
    } else {
        format!("{DIR}{}/", plan.id)
    }
}

fn initiatives_dir(plan: &Plan) -> String {
    format!("{}initiatives/", plan_dir(plan))
}

/// The JSON record of an initiative, from the site's root.
pub fn initiative_record(site: &Site, i: usize) -> String {
    let init = &site.initiatives[i];
    format!(
        "{}{}.json",
        initiatives_dir(&site.plans[init.plan]),
        init.id
    )
}

use tables::Spec;
