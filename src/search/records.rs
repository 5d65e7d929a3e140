//! What the result list shows of each page besides its text (kind, plan,
//! department, status badge in the reporting year) and the filters it is
//! found under. The searched text itself is the page's visible text
//! ([`super::extract`]).

use crate::model::{Lang, Text};
use crate::render::pages::PageSpec;
use crate::render::views::{badge, status_badge, Badge, Ctx};
use std::collections::BTreeMap;

/// What the result list shows of a page besides its text, and the filters
/// it is found under.
pub struct Record {
    pub meta: BTreeMap<String, String>,
    pub filters: BTreeMap<String, Vec<String>>,
}

/// Text of a field in the page's language (Japanese where English is missing).
fn field(lang: Lang, t: &Text) -> String {
    match (lang, &t.en) {
        (Lang::En, Some(en)) => en.clone(),
        _ => t.ja.clone(),
    }
}

struct Builder<'a> {
    ctx: Ctx<'a>,
    meta: BTreeMap<String, String>,
    filters: BTreeMap<String, Vec<String>>,
}

impl<'a> Builder<'a> {
    fn new(ctx: Ctx<'a>, kind: &str) -> Self {
        let mut b = Builder {
            ctx,
            meta: BTreeMap::new(),
            filters: BTreeMap::new(),
        };
        let kind = ctx.t(&format!("kind_{kind}"));
        b.meta.insert("kind".into(), kind.clone());
        b.filters.insert("kind".into(), vec![kind]);
        b
    }

    fn plan(&mut self, p: usize) {
        let plan = &self.ctx.site.plans[p];
        let name = field(
            self.ctx.lang,
            plan.short_title.as_ref().unwrap_or(&plan.title),
        );
        self.meta.insert("plan".into(), name.clone());
        self.filters.insert("plan".into(), vec![name]);
    }

    fn departments(&mut self, ds: &[usize]) {
        let names: Vec<String> = ds
            .iter()
            .map(|&d| {
                self.ctx.site.departments[d]
                    .name
                    .get(self.ctx.lang)
                    .to_string()
            })
            .collect();
        if !names.is_empty() {
            self.meta.insert("department".into(), names.join("、"));
            self.filters.insert("department".into(), names);
        }
    }

    fn status(&mut self, b: Badge) {
        self.meta.insert("status".into(), b.label.clone());
        self.meta.insert("status_tone".into(), b.tone.into());
        self.meta.insert("status_symbol".into(), b.symbol.clone());
        self.filters.insert("status".into(), vec![b.label]);
    }

    fn years(&mut self, years: impl IntoIterator<Item = crate::model::FiscalYear>) {
        let mut ys: Vec<_> = years.into_iter().collect();
        ys.sort();
        ys.dedup();
        if !ys.is_empty() {
            self.filters.insert(
                "year".into(),
                ys.iter().map(|y| self.ctx.year_short(*y)).collect(),
            );
        }
    }

    fn finish(self) -> Record {
        Record {
            meta: self.meta,
            filters: self.filters,
        }
    }
}

/// The record of one page (`None` for pages that are not searched: the
/// search page itself, the not-found page, and the later pages of a list,
/// whose first page is found).
pub fn record(ctx: Ctx, spec: PageSpec) -> Option<Record> {
    let site = ctx.site;
    let lang = ctx.lang;
    if spec.part() > 0 {
        return None;
    }
    let b = match spec {
        PageSpec::Search | PageSpec::NotFound | PageSpec::Feed(_) => return None,
        PageSpec::Initiative(i) => {
            let init = &site.initiatives[i];
            let plan = &site.plans[init.plan];
            let mut b = Builder::new(ctx, "initiative");
            b.plan(init.plan);
            b.departments(&init.departments);
            if let Some(status) =
                crate::render::views::initiative_status(&ctx, i, plan.reporting_year)
            {
                b.status(status);
            }
            let years = init
                .schedule
                .iter()
                .flat_map(|r| r.plan.keys().chain(r.status.keys()).copied())
                .chain(init.years.keys().copied());
            b.years(years);
            b
        }
        PageSpec::Section(s, _) => {
            let sec = &site.sections[s];
            let mut b = Builder::new(ctx, "section");
            b.plan(sec.plan);
            let plan = &site.plans[sec.plan];
            if let Some((&sc, years)) = sec.status.iter().next() {
                if let Some(&v) = years.get(&plan.reporting_year) {
                    b.status(badge(&ctx, &plan.scales[sc], Some(v)));
                }
            }
            b.years(sec.status.values().flat_map(|m| m.keys().copied()));
            b
        }
        PageSpec::Indicator(i) => {
            let ind = &site.indicators[i];
            let mut b = Builder::new(ctx, "indicator");
            b.plan(ind.plan);
            if let Some(d) = ind.department {
                b.departments(&[d]);
            }
            b.status(status_badge(&ctx, site.assessment(i).status));
            let years = ind
                .baseline
                .iter()
                .chain(&ind.observations)
                .map(|o| o.year)
                .chain(ind.target.as_ref().map(|t| t.year));
            b.years(years);
            b
        }
        PageSpec::Department(d, _) => {
            let dep = &site.departments[d];
            let mut b = Builder::new(ctx, "department");
            let town = site.municipalities[dep.municipality].name.get(lang);
            b.meta.insert("department".into(), town.to_string());
            b
        }
        PageSpec::Plan(p, _) => {
            let mut b = Builder::new(ctx, "plan");
            b.plan(p);
            b
        }
        PageSpec::Statuses(p)
        | PageSpec::Changes(p, _)
        | PageSpec::Indicators(p)
        | PageSpec::Status { plan: p, .. } => {
            let mut b = Builder::new(ctx, "list");
            b.plan(p);
            if let PageSpec::Status {
                plan,
                scale,
                value: Some(v),
                year,
                ..
            } = spec
            {
                let sc = &site.plans[plan].scales[scale];
                b.filters
                    .insert("status".into(), vec![badge(&ctx, sc, Some(v)).label]);
                b.years([year]);
            }
            b
        }
        PageSpec::Home | PageSpec::Departments | PageSpec::Data => Builder::new(ctx, "list"),
    };
    Some(b.finish())
}
