//! Which pages a change can reach. When only initiative files changed (the
//! usual edit), the pages that can show them are: their own pages, the
//! initiatives that repeat them, their sections and plan (trees and counts),
//! the plan's status listings and indicator pages that name them, their
//! departments (before and after the edit), the home and department
//! index (counts), and the open data page (the data files' sizes).
//! Anything else — a section, plan, indicator, department or theme file, a
//! file added or removed — reaches every page; even then only pages whose
//! view changed are rendered again.

use super::watch::Batch;
use crate::model::{Lang, Site};
use crate::render::pages::PageSpec;
use crate::render::Scope;
use std::collections::BTreeSet;
use std::path::Path;

pub enum Reach {
    All,
    Initiatives(Vec<usize>),
}

fn same_shape(old: &Site, new: &Site) -> bool {
    old.plans.len() == new.plans.len()
        && old.sections.len() == new.sections.len()
        && old.initiatives.len() == new.initiatives.len()
        && old.indicators.len() == new.indicators.len()
        && old.departments.len() == new.departments.len()
        && old.editions.len() == new.editions.len()
}

pub fn reach(old: Option<&Site>, new: &Site, batch: &Batch) -> Reach {
    let Some(old) = old else { return Reach::All };
    if batch.theme_or_config || !same_shape(old, new) {
        return Reach::All;
    }
    let mut inits = Vec::new();
    for p in &batch.paths {
        let ja = ja_path(p);
        let Some(i) = new.initiatives.iter().position(|x| x.path == ja) else {
            return Reach::All;
        };
        let (a, b) = (&old.initiatives[i], &new.initiatives[i]);
        if a.id != b.id || a.plan != b.plan || a.section != b.section || a.path != b.path {
            return Reach::All;
        }
        inits.push(i);
    }
    Reach::Initiatives(inits)
}

/// `x.en.md` → `x.md`
fn ja_path(p: &Path) -> std::path::PathBuf {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    match name.strip_suffix(".en.md") {
        Some(stem) => p.with_file_name(format!("{stem}.md")),
        None => p.to_path_buf(),
    }
}

/// What other pages show of an initiative: title, code, departments,
/// statuses, row labels, repetition, order. Text shown only on its own
/// page (narrative, plans, targets, results) is not part of it.
fn shown_elsewhere(site: &Site, i: usize) -> impl PartialEq + '_ {
    let x = &site.initiatives[i];
    let rows: Vec<_> = x.schedule.iter().map(|r| (&r.label, &r.status)).collect();
    let years: Vec<_> = x.years.iter().map(|(y, e)| (*y, e.status)).collect();
    (
        &x.title,
        &x.code,
        &x.departments,
        rows,
        years,
        x.repeat_of,
        x.order,
        &x.translation.coverage,
    )
}

/// The pages that can show any of `inits` (in the old or the new site).
pub fn pages_of(
    old: &Site,
    new: &Site,
    inits: &[usize],
) -> Box<dyn Fn(Scope, Lang, PageSpec) -> bool + Sync> {
    if inits
        .iter()
        .all(|&i| shown_elsewhere(old, i) == shown_elsewhere(new, i))
    {
        // Only their own pages show what changed, and the open data page
        // the sizes of their data files.
        let own: BTreeSet<usize> = inits.iter().copied().collect();
        return Box::new(move |scope, _, spec| match spec {
            // A past report is its own files: an edit here reaches none.
            _ if scope != Scope::Current => false,
            PageSpec::Initiative(i) => own.contains(&i),
            PageSpec::Data => true,
            _ => false,
        });
    }
    let mut initiatives: BTreeSet<usize> = inits.iter().copied().collect();
    let mut plans = BTreeSet::new();
    let mut sections = BTreeSet::new();
    let mut departments = BTreeSet::new();
    for &i in inits {
        for site in [old, new] {
            let init = &site.initiatives[i];
            plans.insert(init.plan);
            departments.extend(init.departments.iter().copied());
            initiatives.extend(init.repeat_of);
            initiatives.extend(
                site.initiatives
                    .iter()
                    .enumerate()
                    .filter(|(_, o)| o.repeat_of == Some(i))
                    .map(|(j, _)| j),
            );
            let mut s = init.section;
            while let Some(x) = s {
                sections.insert(x);
                s = site.sections[x].parent;
            }
        }
    }
    let changed: BTreeSet<usize> = inits.iter().copied().collect();
    let indicators: BTreeSet<usize> = new
        .indicators
        .iter()
        .enumerate()
        .filter(|(_, k)| {
            k.initiative.is_some_and(|i| changed.contains(&i))
                || k.also.iter().any(|i| changed.contains(i))
        })
        .map(|(k, _)| k)
        .collect();
    Box::new(move |scope, _lang, spec| match spec {
        _ if scope != Scope::Current => false,
        PageSpec::Initiative(i) => initiatives.contains(&i),
        PageSpec::Plan(p, _)
        | PageSpec::Statuses(p)
        | PageSpec::Changes(p, _)
        | PageSpec::Indicators(p) => plans.contains(&p),
        PageSpec::Status { plan, .. } => plans.contains(&plan),
        PageSpec::Feed(p) => p.is_none_or(|p| plans.contains(&p)),
        PageSpec::Section(s, _) => sections.contains(&s),
        PageSpec::Department(d, _) => departments.contains(&d),
        PageSpec::Indicator(k) => indicators.contains(&k),
        // The data page shows the files' sizes.
        PageSpec::Home | PageSpec::Departments | PageSpec::Data => true,
        PageSpec::Search | PageSpec::NotFound => false,
    })
}
