//! Where every page lives. Paths are relative to the site root and end in
//! `/` (the page is `index.html` inside); the default language is at the
//! root and English under `en/`. Templates prefix them with the page's
//! `root` (`../../`), so the output works under any sub-path and host.

use crate::model::{FiscalYear, Lang, Site};

pub fn prefix(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => "",
        Lang::En => "en/",
    }
}

pub fn home(lang: Lang) -> String {
    prefix(lang).to_string()
}

pub fn plan(lang: Lang, site: &Site, plan: usize) -> String {
    let p = &site.plans[plan];
    if p.archived {
        format!("{}{}/{}/", prefix(lang), p.id, report_dir(p.reporting_year))
    } else {
        format!("{}{}/", prefix(lang), p.id)
    }
}

/// The current report of a plan (of a past report: the plan's own pages).
pub fn current_plan(lang: Lang, plan: &crate::model::Plan) -> String {
    format!("{}{}/", prefix(lang), plan.id)
}

/// Where a plan's past report of `year` is, inside the plan's folder.
pub fn report_dir(year: FiscalYear) -> String {
    format!("reports/{}", year.0)
}

pub fn section(lang: Lang, site: &Site, section: usize) -> String {
    let s = &site.sections[section];
    format!("{}{}/", plan(lang, site, s.plan), s.slug)
}

pub fn initiative(lang: Lang, site: &Site, i: usize) -> String {
    let init = &site.initiatives[i];
    format!("{}{}/", plan(lang, site, init.plan), init.id)
}

pub fn departments(lang: Lang) -> String {
    format!("{}departments/", prefix(lang))
}

pub fn department(lang: Lang, site: &Site, d: usize) -> String {
    let dep = &site.departments[d];
    format!(
        "{}{}/{}/",
        departments(lang),
        site.municipalities[dep.municipality].id,
        dep.id
    )
}

pub fn statuses(lang: Lang, site: &Site, plan_idx: usize) -> String {
    format!("{}status/", plan(lang, site, plan_idx))
}

/// The Atom feed of the site, or of a plan.
pub fn feed(lang: Lang, site: &Site, plan_idx: Option<usize>) -> String {
    match plan_idx {
        Some(p) => format!("{}feed.xml", plan(lang, site, p)),
        None => format!("{}feed.xml", prefix(lang)),
    }
}

/// What changed in a plan's reporting year.
pub fn changes(lang: Lang, site: &Site, plan_idx: usize) -> String {
    format!("{}changes/", plan(lang, site, plan_idx))
}

/// Listing of one status value (or `unreported`) of a scale in one year.
pub fn status(
    lang: Lang,
    site: &Site,
    plan_idx: usize,
    scale: usize,
    value: Option<usize>,
    year: FiscalYear,
) -> String {
    let s = &site.plans[plan_idx].scales[scale];
    let v = value.map_or("unreported", |v| s.values[v].key.as_str());
    format!(
        "{}{}/{}/{}/",
        statuses(lang, site, plan_idx),
        s.key,
        v,
        year.0
    )
}

/// The same page in the other language.
pub fn translate(path: &str, from: Lang, to: Lang) -> String {
    let bare = path.strip_prefix(prefix(from)).unwrap_or(path);
    format!("{}{bare}", prefix(to))
}

/// `../` for each folder level of a page path.
pub fn root_of(path: &str) -> String {
    let depth = path.matches('/').count();
    if depth == 0 {
        "./".into()
    } else {
        "../".repeat(depth)
    }
}

pub fn indicators(lang: Lang, site: &Site, plan_idx: usize) -> String {
    format!("{}indicators/", plan(lang, site, plan_idx))
}

pub fn indicator(lang: Lang, site: &Site, i: usize) -> String {
    let ind = &site.indicators[i];
    format!("{}{}/", indicators(lang, site, ind.plan), ind.id)
}

/// The page listing the open data (the files are in `data/` at the root).
pub fn data(lang: Lang) -> String {
    format!("{}data/", prefix(lang))
}

pub fn search(lang: Lang) -> String {
    format!("{}search/", prefix(lang))
}

/// The folder of a language's search index, which the search page loads.
pub fn search_index(lang: Lang) -> String {
    format!("{}idx/", search(lang))
}
