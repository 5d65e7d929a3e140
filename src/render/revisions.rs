//! What a plan's report promises differently from its last kept report
//! (the newest past report in `_reports/`): targets changed between the
//! two editions — an initiative's yearly target (年度目標), its numeric
//! figures' targets, its schedule's planned work (an arrow `→` read as the
//! text it repeats), an indicator's target — and the initiatives added to
//! the report or no longer in it. Items are matched by their ids; texts
//! are compared in Japanese, the text as published (a better English
//! translation is no change of target).

use crate::model::{value::Reading, FiscalYear, Initiative, Site, Target, TargetValue, Text};
use std::collections::BTreeSet;

/// One target that differs between the two editions.
#[derive(Debug, Clone)]
pub(crate) struct Revision {
    pub item: Item,
    pub year: FiscalYear,
    pub what: What,
}

/// What changed, in the current site's indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Item {
    Initiative(usize),
    Indicator(usize),
}

#[derive(Debug, Clone)]
pub(crate) enum What {
    /// The year's target or planned work (`years.<year>.target`).
    Target(Option<Text>, Option<Text>),
    /// A numeric figure's target, by the figure's name.
    Figure(Text, Option<Reading>, Option<Reading>),
    /// A schedule row's planned work, by the row (its label, if any).
    Schedule(Option<Text>, Option<Text>, Option<Text>),
    /// An indicator's target (its year is the revision's year, the later one).
    Indicator(Option<Target>, Option<Target>),
}

/// The differences between plan `p`'s report and its last kept one.
pub(crate) struct Revisions<'a> {
    /// The past report compared with.
    pub past: &'a Site,
    pub revisions: Vec<Revision>,
    /// Initiatives of the current report that the past one did not have.
    pub added: Vec<usize>,
    /// Initiatives of the past report (its indices) no longer in the current one.
    pub removed: Vec<usize>,
}

/// The newest past report of plan `p`, compared with the current report.
pub(crate) fn of_plan(site: &Site, p: usize) -> Option<Revisions<'_>> {
    let past = &site.editions_of(p).last()?.site;
    let mut revisions = Vec::new();
    let mut added = Vec::new();
    let mine = |s: &Site, plan: usize| -> Vec<usize> {
        (0..s.initiatives.len())
            .filter(|&i| s.initiatives[i].plan == plan)
            .collect()
    };
    let old_inits = mine(past, 0);
    let mut matched = BTreeSet::new();
    for i in mine(site, p) {
        let init = &site.initiatives[i];
        match old_inits
            .iter()
            .find(|&&o| past.initiatives[o].id == init.id)
        {
            Some(&o) => {
                matched.insert(o);
                initiative(&past.initiatives[o], init, i, &mut revisions);
            }
            None => added.push(i),
        }
    }
    let removed = old_inits
        .into_iter()
        .filter(|o| !matched.contains(o))
        .collect();
    for &k in &site.plans[p].indicators {
        let ind = &site.indicators[k];
        let Some(old) = past.plans[0]
            .indicators
            .iter()
            .map(|&o| &past.indicators[o])
            .find(|o| o.id == ind.id)
        else {
            continue;
        };
        if !same_target(old.target.as_ref(), ind.target.as_ref()) {
            let year = ind
                .target
                .as_ref()
                .or(old.target.as_ref())
                .map_or(site.plans[p].last_year, |t| t.year);
            revisions.push(Revision {
                item: Item::Indicator(k),
                year,
                what: What::Indicator(old.target.clone(), ind.target.clone()),
            });
        }
    }
    Some(Revisions {
        past,
        revisions,
        added,
        removed,
    })
}

fn same_text(a: Option<&Text>, b: Option<&Text>) -> bool {
    a.map(|t| t.ja.trim()) == b.map(|t| t.ja.trim())
}

fn same_target(a: Option<&Target>, b: Option<&Target>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => {
            a.year == b.year
                && a.each_year_from == b.each_year_from
                && match (&a.value, &b.value) {
                    (TargetValue::Number(x, c), TargetValue::Number(y, d)) => {
                        x.printed.trim() == y.printed.trim() && c == d
                    }
                    (TargetValue::Text(x), TargetValue::Text(y)) => x.ja.trim() == y.ja.trim(),
                    _ => false,
                }
        }
        _ => false,
    }
}

/// The targets of one initiative, before (`old`) and now (`new`, index `i`).
fn initiative(old: &Initiative, new: &Initiative, i: usize, out: &mut Vec<Revision>) {
    let years: BTreeSet<FiscalYear> = old.years.keys().chain(new.years.keys()).copied().collect();
    for &year in &years {
        let (a, b) = (old.years.get(&year), new.years.get(&year));
        let (ta, tb) = (
            a.and_then(|e| e.target.as_ref()),
            b.and_then(|e| e.target.as_ref()),
        );
        if !same_text(ta, tb) {
            out.push(Revision {
                item: Item::Initiative(i),
                year,
                what: What::Target(ta.cloned(), tb.cloned()),
            });
        }
        // Figures by name, in the order of the newer edition, then those dropped.
        let figures =
            |e: Option<&crate::model::YearEntry>| e.map(|e| e.figures.clone()).unwrap_or_default();
        let (fa, fb) = (figures(a), figures(b));
        let mut names: Vec<&Text> = fb.iter().map(|f| &f.name).collect();
        names.extend(
            fa.iter()
                .map(|f| &f.name)
                .filter(|n| !fb.iter().any(|f| f.name.ja == n.ja)),
        );
        for name in names {
            let find = |v: &[crate::model::Figure]| {
                v.iter()
                    .find(|f| f.name.ja == name.ja)
                    .and_then(|f| f.target.clone())
            };
            let (ra, rb) = (find(&fa), find(&fb));
            if ra.as_ref().map(|r| r.printed.trim()) != rb.as_ref().map(|r| r.printed.trim()) {
                out.push(Revision {
                    item: Item::Initiative(i),
                    year,
                    what: What::Figure(name.clone(), ra, rb),
                });
            }
        }
    }
    // Schedule rows, by their place; an arrow is the text it repeats.
    let rows = old.schedule.len().max(new.schedule.len());
    let plan_years: BTreeSet<FiscalYear> = old
        .schedule
        .iter()
        .chain(&new.schedule)
        .flat_map(|r| r.plan.keys().copied())
        .collect();
    for r in 0..rows {
        let (ra, rb) = (old.schedule.get(r), new.schedule.get(r));
        for &year in &plan_years {
            let (pa, pb) = (
                ra.and_then(|row| planned(row, year)),
                rb.and_then(|row| planned(row, year)),
            );
            if !same_text(pa, pb) {
                let label = rb.or(ra).and_then(|row| row.label.clone());
                out.push(Revision {
                    item: Item::Initiative(i),
                    year,
                    what: What::Schedule(label, pa.cloned(), pb.cloned()),
                });
            }
        }
    }
}

/// What a schedule row plans for `year`, an arrow read as the text it repeats.
fn planned(row: &crate::model::ScheduleRow, year: FiscalYear) -> Option<&Text> {
    let mut cur = row.plan.get(&year)?;
    for (_, t) in row.plan.range(..year).rev() {
        if !super::initiative_view::is_arrow(&cur.ja) {
            break;
        }
        cur = t;
    }
    Some(cur)
}
