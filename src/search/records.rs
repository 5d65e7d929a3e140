//! What each page contributes to the search index, per language.

use super::tokenize::tokens;
use crate::model::{Lang, Site, TargetValue, Text};
use crate::render::indicator_view::{assessment, status_badge};
use crate::render::urls;
use crate::render::views::{badge, rolled_status, Badge, Ctx, Strings};
use std::collections::BTreeMap;

/// One searchable page.
pub struct Record {
    pub url: String,
    pub meta: BTreeMap<String, String>,
    pub filters: BTreeMap<String, Vec<String>>,
    pub title_tokens: String,
    pub body_tokens: String,
}

/// Text of a field in the page's language; on the English site, also the
/// Japanese where there is no English, so that it is still found.
fn field(lang: Lang, t: &Text) -> String {
    match (lang, &t.en) {
        (Lang::En, Some(en)) => en.clone(),
        _ => t.ja.clone(),
    }
}

/// Markdown to plain text (for the index and snippets).
fn plain(md: &str) -> String {
    use pulldown_cmark::{Event, Parser};
    let mut out = String::new();
    for e in Parser::new(md) {
        match e {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn tok(s: &str) -> String {
    tokens(s).join(" ")
}

/// The snippet source shown under a result: the first part of the text.
fn snippet_text(s: &str) -> String {
    s.chars().take(1600).collect()
}

struct Builder<'a> {
    ctx: Ctx<'a>,
    title: String,
    /// Text shown in snippets, and searched.
    body: Vec<String>,
    /// Searched but not shown (years as fyNNNN, department names, former names).
    hidden: Vec<String>,
    meta: BTreeMap<String, String>,
    filters: BTreeMap<String, Vec<String>>,
}

impl<'a> Builder<'a> {
    fn new(ctx: Ctx<'a>, kind: &str, title: String) -> Self {
        let mut b = Builder {
            ctx,
            title,
            body: Vec::new(),
            hidden: Vec::new(),
            meta: BTreeMap::new(),
            filters: BTreeMap::new(),
        };
        b.meta.insert("kind".into(), ctx.t(&format!("kind_{kind}")));
        b.filters
            .insert("kind".into(), vec![ctx.t(&format!("kind_{kind}"))]);
        b
    }

    fn text(&mut self, t: &Text) {
        let s = field(self.ctx.lang, t);
        if !s.trim().is_empty() {
            self.body.push(plain(&s));
        }
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
            self.hidden.push(names.join(" "));
            // Former names are found too.
            for &d in ds {
                for (f, _) in &self.ctx.site.departments[d].formerly {
                    self.hidden.push(f.clone());
                }
            }
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
        if ys.is_empty() {
            return;
        }
        // Each year is searchable in every spelling (fyNNNN), and a filter.
        self.hidden.push(
            ys.iter()
                .map(|y| format!("fy{}", y.0))
                .collect::<Vec<_>>()
                .join(" "),
        );
        self.filters.insert(
            "year".into(),
            ys.iter().map(|y| self.ctx.year_short(*y)).collect(),
        );
    }

    fn finish(mut self, url: String) -> Record {
        let body = self.body.join(" ");
        self.meta.insert("title".into(), self.title.clone());
        self.meta.insert("href".into(), url.clone());
        self.meta.insert("text".into(), snippet_text(&body));
        let all = format!("{body} {}", self.hidden.join(" "));
        Record {
            url,
            title_tokens: tok(&self.title),
            body_tokens: tok(&all),
            meta: self.meta,
            filters: self.filters,
        }
    }
}

pub fn all(site: &Site, lang: Lang, strings: &Strings) -> Vec<Record> {
    // The index is built once per site: its memo goes with it, so which
    // texts were used does not matter here.
    let (md, used) = (
        crate::render::markdown::Memo::default(),
        crate::render::markdown::Used::default(),
    );
    let ctx = Ctx {
        md: md.for_page(&used),
        site,
        lang,
        strings,
    };
    let mut out = Vec::new();
    for (i, init) in site.initiatives.iter().enumerate() {
        let plan = &site.plans[init.plan];
        let mut title = field(lang, &init.title);
        if let Some(c) = &init.code {
            title = format!("{c} {title}");
        }
        let mut b = Builder::new(ctx, "initiative", title);
        b.plan(init.plan);
        b.departments(&init.departments);
        if let Some((s, v)) = rolled_status(site, i, plan.reporting_year) {
            b.status(badge(&ctx, &plan.scales[s], v));
        }
        let mut s = init.section;
        while let Some(x) = s {
            b.hidden.push(field(lang, &site.sections[x].title));
            s = site.sections[x].parent;
        }
        b.text(&init.body);
        for r in &init.schedule {
            if let Some(l) = &r.label {
                b.text(l);
            }
            for t in r.plan.values() {
                b.text(t);
            }
        }
        for y in init.years.values() {
            for t in [&y.target, &y.result, &y.reason, &y.phase]
                .into_iter()
                .flatten()
            {
                b.text(t);
            }
            for f in &y.figures {
                b.text(&f.name);
            }
        }
        for a in &init.activities {
            b.text(a);
        }
        if let Some(r) = &init.reason {
            b.text(r);
        }
        let years = init
            .schedule
            .iter()
            .flat_map(|r| r.plan.keys().chain(r.status.keys()).copied())
            .chain(init.years.keys().copied());
        b.years(years);
        out.push(b.finish(urls::initiative(lang, site, i)));
    }
    for (s, sec) in site.sections.iter().enumerate() {
        let mut title = field(lang, &sec.title);
        if let Some(c) = &sec.code {
            title = format!("{c} {title}");
        }
        let mut b = Builder::new(ctx, "section", title);
        b.plan(sec.plan);
        b.text(&sec.body);
        let plan = &site.plans[sec.plan];
        if let Some((&sc, years)) = sec.status.iter().next() {
            if let Some(&v) = years.get(&plan.reporting_year) {
                b.status(badge(&ctx, &plan.scales[sc], Some(v)));
            }
        }
        b.years(sec.status.values().flat_map(|m| m.keys().copied()));
        out.push(b.finish(urls::section(lang, site, s)));
    }
    for (i, ind) in site.indicators.iter().enumerate() {
        let mut b = Builder::new(ctx, "indicator", field(lang, &ind.name));
        b.plan(ind.plan);
        if let Some(d) = ind.department {
            b.departments(&[d]);
        }
        b.status(status_badge(&ctx, assessment(site, i).status));
        if let Some(init) = ind.initiative {
            b.hidden.push(field(lang, &site.initiatives[init].title));
        }
        for f in &ind.footnotes {
            b.text(f);
        }
        if let Some(t) = &ind.target {
            if let TargetValue::Text(text) = &t.value {
                b.text(text);
            }
        }
        b.text(&ind.body);
        let years = ind
            .baseline
            .iter()
            .chain(&ind.observations)
            .map(|o| o.year)
            .chain(ind.target.as_ref().map(|t| t.year));
        b.years(years);
        out.push(b.finish(urls::indicator(lang, site, i)));
    }
    for (d, dep) in site.departments.iter().enumerate() {
        let inits: Vec<&crate::model::Initiative> = site
            .initiatives
            .iter()
            .filter(|i| i.departments.contains(&d))
            .collect();
        if inits.is_empty() {
            continue;
        }
        let mut b = Builder::new(ctx, "department", dep.name.get(lang).to_string());
        b.hidden.push(
            site.municipalities[dep.municipality]
                .name
                .get(lang)
                .to_string(),
        );
        for (f, _) in &dep.formerly {
            b.hidden.push(f.clone());
        }
        for i in inits {
            b.text(&i.title);
        }
        b.meta.insert(
            "department".into(),
            site.municipalities[dep.municipality]
                .name
                .get(lang)
                .to_string(),
        );
        out.push(b.finish(urls::department(lang, site, d)));
    }
    out
}
