//! The page plan: every page of the site in every language, and the view
//! each one is rendered from.

use super::headline;
use super::listings::Listings;
use super::paging;
use super::urls;
use super::views::{
    self, badge, count_table, initiative_row, legend, rolled_status, Ctx, Link, Txt,
};
use crate::model::{FiscalYear, Lang, Site};
use serde::Serialize;
use std::collections::BTreeMap;

/// One page to render. The `u32` of a listing is its part: 0 is the page
/// itself, 1 its `page/2/`, and so on (see [`paging`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageSpec {
    Home,
    Plan(usize, u32),
    Section(usize, u32),
    Initiative(usize),
    Departments,
    Department(usize, u32),
    /// The open data: every download, with its format and size.
    Data,
    Statuses(usize),
    /// What changed in the plan's reporting year against the year before
    /// (a long list of changes goes on over numbered pages).
    Changes(usize, u32),
    /// The Atom feed of the site (`None`) or of a plan.
    Feed(Option<usize>),
    Indicators(usize),
    Indicator(usize),
    Search,
    Status {
        plan: usize,
        scale: usize,
        value: Option<usize>,
        year: FiscalYear,
        part: u32,
    },
    NotFound,
}

impl PageSpec {
    /// Which part of a listing split over pages this is (0 for the first
    /// page and for every page that is not a listing).
    pub fn part(self) -> u32 {
        match self {
            PageSpec::Plan(_, n)
            | PageSpec::Section(_, n)
            | PageSpec::Department(_, n)
            | PageSpec::Changes(_, n)
            | PageSpec::Status { part: n, .. } => n,
            _ => 0,
        }
    }
}

/// Every page of the site, for one language.
pub fn all_pages(site: &Site, lists: &Listings) -> Vec<PageSpec> {
    let mut v = vec![
        PageSpec::Home,
        PageSpec::Departments,
        PageSpec::Data,
        PageSpec::Search,
        PageSpec::NotFound,
        PageSpec::Feed(None),
    ];
    for (p, plan) in site.plans.iter().enumerate() {
        v.extend((0..tree_parts(site, Tree::Plan(p))).map(|n| PageSpec::Plan(p, n)));
        if !plan.scales.is_empty() {
            v.push(PageSpec::Statuses(p));
        }
        v.push(PageSpec::Feed(Some(p)));
        if let Some(c) = lists.changes(p) {
            v.extend((0..paging::parts(super::changes::items(c))).map(|n| PageSpec::Changes(p, n)));
        }
        if !plan.indicators.is_empty() {
            v.push(PageSpec::Indicators(p));
        }
        for (s, scale) in plan.scales.iter().enumerate() {
            for year in plan.reported_years() {
                for value in (0..scale.values.len()).map(Some).chain([None]) {
                    let len = lists.status(p, s, year, value).len();
                    v.extend((0..paging::parts(len)).map(|part| PageSpec::Status {
                        plan: p,
                        scale: s,
                        value,
                        year,
                        part,
                    }));
                }
            }
        }
    }
    for s in 0..site.sections.len() {
        v.extend((0..tree_parts(site, Tree::Section(s))).map(|n| PageSpec::Section(s, n)));
    }
    v.extend((0..site.initiatives.len()).map(PageSpec::Initiative));
    v.extend((0..site.indicators.len()).map(PageSpec::Indicator));
    for d in 0..site.departments.len() {
        let len = lists.department(d).len();
        if len == 0 {
            continue;
        }
        v.extend((0..paging::parts(len)).map(|n| PageSpec::Department(d, n)));
    }
    v
}

/// The pages of a past report (its site holds the one plan): the plan's
/// own pages; the site's pages (home, departments, data, search, feeds)
/// are the current site's.
pub fn edition_pages(site: &Site, lists: &Listings) -> Vec<PageSpec> {
    all_pages(site, lists)
        .into_iter()
        .filter(|spec| {
            !matches!(
                spec,
                PageSpec::Home
                    | PageSpec::Departments
                    | PageSpec::Department(..)
                    | PageSpec::Data
                    | PageSpec::Search
                    | PageSpec::NotFound
                    | PageSpec::Feed(_)
            )
        })
        .collect()
}

/// The path of a page (root-relative, `…/` or `404.html`).
pub fn path_of(site: &Site, lang: Lang, spec: PageSpec) -> String {
    match spec {
        PageSpec::Home => urls::home(lang),
        PageSpec::Plan(p, n) => paging::path(&urls::plan(lang, site, p), n),
        PageSpec::Section(s, n) => paging::path(&urls::section(lang, site, s), n),
        PageSpec::Initiative(i) => urls::initiative(lang, site, i),
        PageSpec::Departments => urls::departments(lang),
        PageSpec::Data => urls::data(lang),
        PageSpec::Department(d, n) => paging::path(&urls::department(lang, site, d), n),
        PageSpec::Statuses(p) => urls::statuses(lang, site, p),
        PageSpec::Changes(p, n) => paging::path(&urls::changes(lang, site, p), n),
        PageSpec::Feed(p) => urls::feed(lang, site, p),
        PageSpec::Indicators(p) => urls::indicators(lang, site, p),
        PageSpec::Indicator(i) => urls::indicator(lang, site, i),
        PageSpec::Search => urls::search(lang),
        PageSpec::Status {
            plan,
            scale,
            value,
            year,
            part,
        } => paging::path(&urls::status(lang, site, plan, scale, value, year), part),
        PageSpec::NotFound => format!("{}404.html", urls::prefix(lang)),
    }
}

/// What every page has: title, breadcrumbs, translation state.
#[derive(Debug, Serialize)]
pub struct Frame {
    pub kind: &'static str,
    pub title: Txt,
    pub breadcrumbs: Vec<Link>,
    /// Some text on this page is shown in Japanese because English is missing.
    pub untranslated: bool,
}

/// Builds the template name and view of a page.
pub fn view(ctx: &Ctx, spec: PageSpec) -> (&'static str, Frame, serde_json::Value) {
    match spec {
        PageSpec::Home => home(ctx),
        PageSpec::Plan(p, n) => plan_page(ctx, p, n),
        PageSpec::Section(s, n) => section_page(ctx, s, n),
        PageSpec::Initiative(i) => super::initiative_view::initiative_page(ctx, i),
        PageSpec::Departments => super::listing_view::departments_page(ctx),
        PageSpec::Department(d, n) => super::listing_view::department_page(ctx, d, n),
        PageSpec::Statuses(p) => super::listing_view::statuses_page(ctx, p),
        PageSpec::Changes(p, n) => super::changes::changes_page(ctx, p, n),
        PageSpec::Feed(p) => super::feeds::feed(ctx, p),
        PageSpec::Indicators(p) => super::indicator_view::index_page(ctx, p),
        PageSpec::Indicator(i) => super::indicator_view::indicator_page(ctx, i),
        PageSpec::Search => super::listing_view::search_page(ctx),
        PageSpec::Data => super::data_view::data_page(ctx),
        PageSpec::Status {
            plan,
            scale,
            value,
            year,
            part,
        } => super::listing_view::status_page(ctx, plan, scale, value, year, part),
        PageSpec::NotFound => (
            "404.html",
            Frame {
                kind: "notfound",
                title: plain(ctx, ctx.t("not_found_title")),
                breadcrumbs: vec![],
                untranslated: false,
            },
            serde_json::Value::Null,
        ),
    }
}

pub fn plain(ctx: &Ctx, s: String) -> Txt {
    Txt {
        text: s,
        lang: ctx.lang.code(),
        fallback: false,
        html: None,
    }
}

fn json<T: Serialize>(v: T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

pub fn home_link(ctx: &Ctx) -> Link {
    Link {
        href: urls::home(ctx.lang),
        title: plain(ctx, ctx.t("home")),
    }
}

/// A link to a plan's page; a past report's says which report it is.
pub fn plan_link(ctx: &Ctx, p: usize) -> Link {
    let plan = &ctx.site.plans[p];
    let mut title = ctx.text(plan.short_title.as_ref().unwrap_or(&plan.title));
    if plan.archived {
        let report = ctx
            .t("report_title")
            .replace("{year}", &ctx.year(plan.reporting_year));
        title.text = format!("{} — {report}", title.text);
    }
    Link {
        href: urls::plan(ctx.lang, ctx.site, p),
        title,
    }
}

pub fn section_link(ctx: &Ctx, s: usize) -> Link {
    let sec = &ctx.site.sections[s];
    let mut title = ctx.text(&sec.title);
    if let Some(code) = &sec.code {
        let levels = &ctx.site.plans[sec.plan].levels;
        let code = super::codes::shown(ctx.lang, code, sec.code_en.as_deref(), levels);
        title.text = format!("{code} {}", title.text);
    }
    Link {
        href: urls::section(ctx.lang, ctx.site, s),
        title,
    }
}

/// Home › plan › sections down to (and including) `section`.
pub fn trail(ctx: &Ctx, plan: usize, section: Option<usize>) -> Vec<Link> {
    let mut chain = Vec::new();
    let mut cur = section;
    while let Some(s) = cur {
        chain.push(section_link(ctx, s));
        cur = ctx.site.sections[s].parent;
    }
    chain.reverse();
    let mut v = vec![home_link(ctx), plan_link(ctx, plan)];
    v.extend(chain);
    v
}

#[derive(Serialize)]
struct PlanCard {
    link: Link,
    municipality: String,
    period: String,
    reporting_year: String,
    published: Option<String>,
    headlines: Vec<headline::Headline>,
    freshness: Option<String>,
}

fn period(ctx: &Ctx, p: usize) -> String {
    let plan = &ctx.site.plans[p];
    format!(
        "{} – {}",
        ctx.year_short(plan.first_year),
        ctx.year_short(plan.last_year)
    )
}

fn home(ctx: &Ctx) -> (&'static str, Frame, serde_json::Value) {
    let site = ctx.site;
    let cards: Vec<PlanCard> = (0..site.plans.len())
        .map(|p| {
            let plan = &site.plans[p];
            PlanCard {
                link: Link {
                    href: urls::plan(ctx.lang, site, p),
                    title: ctx.text(&plan.title),
                },
                municipality: site.municipalities[plan.municipality]
                    .name
                    .get(ctx.lang)
                    .to_string(),
                period: period(ctx, p),
                reporting_year: ctx.year(plan.reporting_year),
                published: plan.published.as_deref().map(|d| published(ctx.lang, d)),
                headlines: headline::headlines(ctx, p),
                freshness: headline::freshness(ctx, p, FiscalYear::current()),
            }
        })
        .collect();
    let untranslated = cards.iter().any(|c| c.link.title.fallback);
    (
        "home.html",
        Frame {
            kind: "home",
            title: plain(ctx, site.config.title.get(ctx.lang).to_string()),
            breadcrumbs: vec![],
            untranslated,
        },
        json(serde_json::json!({ "plans": cards })),
    )
}

/// A section in the plan's tree, with its initiatives.
#[derive(Serialize)]
struct Node {
    link: Link,
    level: String,
    ratings: Vec<views::Badge>,
    /// How many initiatives below this section have each status (rolled up).
    summary: Vec<(views::Badge, usize)>,
    sections: Vec<Node>,
    initiatives: Vec<views::InitiativeRow>,
}

/// How much of a section's tree a node shows besides its counts.
#[derive(Clone, Copy, PartialEq)]
enum Depth {
    /// Sections below and every initiative.
    All,
    /// Sections below, without initiatives.
    Sections,
    /// The section alone.
    Alone,
}

fn node(ctx: &Ctx, s: usize, year: FiscalYear, depth: Depth) -> Node {
    let site = ctx.site;
    let sec = &site.sections[s];
    let plan = &site.plans[sec.plan];
    Node {
        link: section_link(ctx, s),
        level: plan.levels[sec.level - 1].get(ctx.lang).to_string(),
        ratings: sec
            .status
            .iter()
            .filter_map(|(&sc, years)| {
                years
                    .get(&year)
                    .map(|&v| badge(ctx, &plan.scales[sc], Some(v)))
            })
            .collect(),
        summary: {
            let inits = subtree(site, s);
            let rated = summary(ctx, &inits, year);
            if rated.is_empty() && !plan.indicators.is_empty() {
                super::indicator_view::summary_of(ctx, &plan.indicators, &inits)
            } else {
                rated
            }
        },
        sections: match depth {
            Depth::Alone => vec![],
            _ => sec
                .sections
                .iter()
                .map(|&c| node(ctx, c, year, depth))
                .collect(),
        },
        initiatives: match depth {
            Depth::All => sec
                .initiatives
                .iter()
                .map(|&i| initiative_row(ctx, i, year))
                .collect(),
            _ => vec![],
        },
    }
}

/// Every initiative in a section and the sections below it.
fn subtree(site: &Site, s: usize) -> Vec<usize> {
    let sec = &site.sections[s];
    let mut v = sec.initiatives.clone();
    for &c in &sec.sections {
        v.extend(subtree(site, c));
    }
    v
}

/// A page showing a tree of sections and initiatives: a plan's or a section's.
#[derive(Clone, Copy)]
pub(super) enum Tree {
    Plan(usize),
    Section(usize),
}

/// How a tree page shows its tree: whole when it holds no more initiatives
/// than a page, else its sections by their counts (each section's own page
/// lists them) and its own initiatives over numbered pages.
struct Layout<'a> {
    children: &'a [usize],
    own: &'a [usize],
    /// Initiatives in the whole tree.
    total: usize,
    /// Sections in the whole tree.
    sections: usize,
}

impl<'a> Layout<'a> {
    fn of(site: &'a Site, t: Tree) -> Self {
        fn count(site: &Site, s: usize, acc: &mut (usize, usize)) {
            let sec = &site.sections[s];
            acc.0 += sec.initiatives.len();
            acc.1 += 1;
            for &c in &sec.sections {
                count(site, c, acc);
            }
        }
        let (children, own) = match t {
            Tree::Plan(p) => (&site.plans[p].sections[..], &site.plans[p].initiatives[..]),
            Tree::Section(s) => (
                &site.sections[s].sections[..],
                &site.sections[s].initiatives[..],
            ),
        };
        let mut acc = (own.len(), 0);
        for &c in children {
            count(site, c, &mut acc);
        }
        Layout {
            children,
            own,
            total: acc.0,
            sections: acc.1,
        }
    }

    fn whole(&self) -> bool {
        self.total <= paging::PER_PAGE
    }

    /// Items split over pages when the tree is not shown whole: the child
    /// sections, then the initiatives directly in it.
    fn items(&self) -> usize {
        self.children.len() + self.own.len()
    }

    /// How many pages the tree takes.
    fn parts(&self) -> u32 {
        if self.whole() {
            1
        } else {
            paging::parts(self.items())
        }
    }

    /// The child sections and own initiatives on page `part`, as views.
    fn view(
        &self,
        ctx: &Ctx,
        year: FiscalYear,
        part: u32,
    ) -> (Vec<Node>, Vec<views::InitiativeRow>) {
        let (sections, own, depth) = if self.whole() {
            (self.children, self.own, Depth::All)
        } else {
            let depth = if self.sections <= paging::PER_PAGE {
                Depth::Sections
            } else {
                Depth::Alone
            };
            let r = paging::range(part, self.items());
            let nc = self.children.len();
            (
                &self.children[r.start.min(nc)..r.end.min(nc)],
                &self.own[r.start.max(nc) - nc..r.end.max(nc) - nc],
                depth,
            )
        };
        (
            sections
                .iter()
                .map(|&c| node(ctx, c, year, depth))
                .collect(),
            own.iter().map(|&i| initiative_row(ctx, i, year)).collect(),
        )
    }

    /// The pager of page `part` (`None` when one page holds it all), and the
    /// note saying that the sections are shown by their counts only.
    fn pager_and_note(
        &self,
        ctx: &Ctx,
        base: &str,
        part: u32,
        child_level: Option<&crate::model::Label>,
    ) -> (Option<paging::Pager>, Option<String>) {
        if self.whole() {
            return (None, None);
        }
        let note = (!self.children.is_empty()).then(|| {
            ctx.t("tree_collapsed")
                .replace(
                    "{count}",
                    &crate::model::value::format_number(self.total as f64, 0),
                )
                .replace("{level}", child_level.map_or("", |l| l.get(ctx.lang)))
        });
        (paging::pager(ctx, base, part, self.items()), note)
    }
}

/// How many pages a plan's or section's page takes.
pub(super) fn tree_parts(site: &Site, t: Tree) -> u32 {
    Layout::of(site, t).parts()
}

/// Breadcrumbs ending at page `part` of a list rather than at its first page.
pub(super) fn on_part(mut crumbs: Vec<Link>, title: &Txt, part: u32) -> Vec<Link> {
    if let Some(last) = crumbs.last_mut().filter(|_| part > 0) {
        last.title = title.clone();
        last.href = paging::path(&last.href, part);
    }
    crumbs
}

/// A later page of a list has its page number in its title: 「… (2/7ページ)」.
pub(super) fn numbered(ctx: &Ctx, mut title: Txt, pager: Option<&paging::Pager>, part: u32) -> Txt {
    if let Some(p) = pager.filter(|_| part > 0) {
        let suffix = format!("{}{}{}", ctx.t("lp"), p.label, ctx.t("rp"));
        title.text.push_str(&suffix);
        if let Some(h) = &mut title.html {
            h.push_str(&suffix);
        }
    }
    title
}

/// Counts of the rolled-up status of `inits` in `year`, most advanced first.
pub(super) fn summary(ctx: &Ctx, inits: &[usize], year: FiscalYear) -> Vec<(views::Badge, usize)> {
    let site = ctx.site;
    // Keyed by (order, most advanced first and unreported last; value key).
    type Key = (std::cmp::Reverse<Option<i32>>, String);
    let mut counts: BTreeMap<Key, (views::Badge, usize)> = BTreeMap::new();
    for &i in inits {
        if let Some((s, v)) = rolled_status(site, i, year) {
            let scale = &site.plans[site.initiatives[i].plan].scales[s];
            // Most advanced first; unreported and ended (no order) last.
            let ended = site.initiatives[i].ended_in(year);
            let order = std::cmp::Reverse(v.filter(|_| !ended).map(|v| scale.values[v].order));
            let b = if ended {
                views::ended(ctx)
            } else {
                badge(ctx, scale, v)
            };
            counts.entry((order, b.key.clone())).or_insert((b, 0)).1 += 1;
        }
    }
    counts.into_values().collect()
}

#[derive(Serialize)]
pub(super) struct ScaleView {
    name: String,
    applies_to: String,
    legend: Vec<views::Badge>,
    rule: Option<String>,
}

pub(super) fn scale_views(ctx: &Ctx, p: usize) -> Vec<ScaleView> {
    let plan = &ctx.site.plans[p];
    plan.scales
        .iter()
        .map(|s| ScaleView {
            name: s.name.get(ctx.lang).to_string(),
            applies_to: views::rated_unit(ctx, plan, s),
            legend: legend(ctx, s),
            rule: s.derive.as_ref().map(|d| {
                let from = plan.scales[d.from].name.get(ctx.lang);
                let rules: Vec<String> = d
                    .rules
                    .iter()
                    .map(|(v, r)| format!("{}: {r}", s.values[*v].key))
                    .collect();
                format!(
                    "{}: {}",
                    ctx.t("derive_rule").replace("{from}", from),
                    rules.join("; ")
                )
            }),
        })
        .collect()
}

fn plan_page(ctx: &Ctx, p: usize, part: u32) -> (&'static str, Frame, serde_json::Value) {
    let site = ctx.site;
    let plan = &site.plans[p];
    let layout = Layout::of(site, Tree::Plan(p));
    let (tree, loose) = layout.view(ctx, plan.reporting_year, part);
    let (pager, collapsed) = layout.pager_and_note(
        ctx,
        &urls::plan(ctx.lang, site, p),
        part,
        plan.levels.first(),
    );
    let title = ctx.text(&plan.title);
    let body = ctx.html(&plan.body, true);
    let untranslated = title.fallback || (body.fallback && !plan.body.is_empty());
    let shown = numbered(ctx, title.clone(), pager.as_ref(), part);
    let mut data = serde_json::json!({
        "plan": {
            "title": title,
        },
        "page_title": shown,
        "first": part == 0,
        "pager": pager,
        "collapsed": collapsed,
        "rollup_rule": views::rollup_rule(ctx, plan),
        "tree": tree,
        "initiatives": loose,
        "year": ctx.year(plan.reporting_year),
    });
    // The overview is on the first page only; later pages continue the list.
    if part == 0 {
        let years: Vec<FiscalYear> = plan.reported_years().collect();
        let more = serde_json::json!({
            "plan": {
                "title": title,
                "municipality": site.municipalities[plan.municipality].name.get(ctx.lang),
                "period": period(ctx, p),
                "reporting_year": ctx.year(plan.reporting_year),
                "published": plan.published.as_deref().map(|d| published(ctx.lang, d)),
                "source": { "title": plan.source.title, "url": plan.source.url, "publisher": plan.source.publisher },
                "body": body,
                "levels": plan.levels.iter().map(|l| l.get(ctx.lang)).collect::<Vec<_>>(),
                "statuses_href": (!plan.scales.is_empty()).then(|| urls::statuses(ctx.lang, site, p)),
                "changes": super::changes::has_changes(plan).then(|| serde_json::json!({
                    "href": urls::changes(ctx.lang, site, p),
                    "title": ctx.t("changes_link").replace("{year}", &ctx.year(super::changes::compared_year(plan))),
                })),
                "indicators_href": (!plan.indicators.is_empty()).then(|| urls::indicators(ctx.lang, site, p)),
                "indicator_count": plan.indicators.len(),
                "initiative_count": ctx.lists.in_plan(p),
                "data": {
                    "json": format!("{}plan.json", super::data::plan_dir(plan)),
                    "csv": format!("{}initiatives.csv", super::data::plan_dir(plan)),
                    "statuses": (!plan.scales.is_empty()).then(|| format!("{}statuses.csv", super::data::plan_dir(plan))),
                    "page": urls::data(ctx.lang),
                },
                "reports": site.editions_of(p).map(|e| {
                    let old = &e.site.plans[0];
                    serde_json::json!({
                        "href": urls::plan(ctx.lang, &e.site, 0),
                        "title": ctx.t("report_title").replace("{year}", &ctx.year(old.reporting_year)),
                        "published": old.published.as_deref().map(|d| published(ctx.lang, d)),
                    })
                }).rev().collect::<Vec<_>>(),
            },
            "scales": scale_views(ctx, p),
            "headlines": headline::headlines(ctx, p),
            // A past report is marked as such on every page instead.
            "freshness": (!plan.archived).then(|| headline::freshness(ctx, p, FiscalYear::current())).flatten(),
            "trend": (0..plan.scales.len()).map(|s| serde_json::json!({
                "years": years.iter().map(|&y| headline::scale_headline(ctx, p, s, y)).collect::<Vec<_>>(),
                "table": count_table(ctx, p, s, &years),
            })).collect::<Vec<_>>(),
            "future_from": (plan.last_year > plan.reporting_year).then(|| ctx.year(FiscalYear(plan.reporting_year.0 + 1))),
            "reporting_fy": plan.reporting_year.0,
            "plan_feed": (!plan.archived).then(|| serde_json::json!({
                "href": urls::feed(ctx.lang, site, Some(p)),
                "title": format!("{}: {}", title.text, ctx.t("feed_label")),
            })),
        });
        if let (Some(d), serde_json::Value::Object(m)) = (data.as_object_mut(), more) {
            d.extend(m);
        }
    }
    (
        "plan.html",
        Frame {
            kind: "plan",
            title: shown.clone(),
            breadcrumbs: on_part(vec![home_link(ctx), plan_link(ctx, p)], &shown, part),
            untranslated,
        },
        data,
    )
}

/// 2024-09 → 2024年9月 / September 2024
pub fn published(lang: Lang, date: &str) -> String {
    use crate::model::date::MONTHS;
    let parts: Vec<u32> = date.split('-').filter_map(|p| p.parse().ok()).collect();
    match (lang, parts.as_slice()) {
        (Lang::Ja, [y, m]) => format!("{y}年{m}月"),
        (Lang::Ja, [y, m, d]) => format!("{y}年{m}月{d}日"),
        (Lang::En, [y, m]) => format!("{} {y}", MONTHS[(*m as usize).clamp(1, 12) - 1]),
        (Lang::En, [y, m, d]) => format!("{d} {} {y}", MONTHS[(*m as usize).clamp(1, 12) - 1]),
        _ => date.to_string(),
    }
}

fn section_page(ctx: &Ctx, s: usize, part: u32) -> (&'static str, Frame, serde_json::Value) {
    let site = ctx.site;
    let sec = &site.sections[s];
    let plan = &site.plans[sec.plan];
    let title = section_link(ctx, s).title;
    let body = ctx.html(&sec.body, true);
    let ratings: Vec<_> = sec
        .status
        .iter()
        .filter(|_| part == 0)
        .map(|(&sc, years)| {
            let scale = &plan.scales[sc];
            serde_json::json!({
                "scale": scale.name.get(ctx.lang),
                "years": plan.years().map(|y| serde_json::json!({
                    "year": ctx.year_short(y),
                    "badge": views::badge_in(ctx, plan, scale, years.get(&y).copied(), y),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let layout = Layout::of(site, Tree::Section(s));
    let (children, initiatives) = layout.view(ctx, plan.reporting_year, part);
    let (pager, collapsed) = layout.pager_and_note(
        ctx,
        &urls::section(ctx.lang, site, s),
        part,
        plan.levels.get(sec.level),
    );
    let untranslated = title.fallback || (body.fallback && !sec.body.is_empty());
    let shown = numbered(ctx, title.clone(), pager.as_ref(), part);
    let data = serde_json::json!({
        "section": {
            "title": shown,
            "level": plan.levels[sec.level - 1].get(ctx.lang),
            "body": if part == 0 { json(&body) } else { serde_json::Value::Null },
            "ratings": ratings,
        },
        "pager": pager,
        "collapsed": collapsed,
        "children": children,
        "initiatives": initiatives,
        "rollup_rule": views::rollup_rule(ctx, plan),
        "year": ctx.year(plan.reporting_year),
        "plan": plan_link(ctx, sec.plan),
    });
    let breadcrumbs = on_part(trail(ctx, sec.plan, Some(s)), &shown, part);
    (
        "section.html",
        Frame {
            kind: "section",
            title: shown,
            breadcrumbs,
            untranslated,
        },
        data,
    )
}
