//! Lists that many pages show a part of, made once per rendering: the
//! units in each status of each reported year (the status pages, their
//! counts and their numbered pages), each department's initiatives, how
//! many initiatives each plan and section holds, and what refers to each
//! initiative (the indicators measuring it, the initiatives repeating it).
//!
//! A numbered page takes its slice of a list made here; building the whole
//! list again for each of a list's pages made a long list cost the square
//! of its length (a 100,000-initiative build spent most of its time there).

use super::views;
use crate::model::{FiscalYear, Site};
use std::collections::HashMap;
use std::sync::OnceLock;

/// One entry of a status listing: an initiative (`row` is its schedule row
/// for a scale that rates schedule rows, else 0) or a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unit {
    pub index: usize,
    pub row: usize,
}

/// (plan, scale, year, value; `None` = not reported).
type StatusKey = (usize, usize, FiscalYear, Option<usize>);

pub(crate) struct Listings {
    status: HashMap<StatusKey, Vec<Unit>>,
    departments: Vec<Vec<usize>>,
    in_plan: Vec<usize>,
    in_section: Vec<usize>,
    /// Per initiative: the indicators measuring it, in order.
    measuring: Vec<Vec<usize>>,
    /// Per initiative: the initiatives that repeat it (`repeat_of`).
    repeated_by: Vec<Vec<usize>>,
    /// The data files' sizes, for the open data page: set once they are
    /// made ([`Listings::set_downloads`]).
    downloads: OnceLock<HashMap<String, usize>>,
    /// Per plan: what changed in its reporting year, for a plan that has a
    /// changes page (each of its numbered pages takes a slice).
    changes: Vec<Option<super::changes::Changes>>,
}

impl Listings {
    pub fn of(site: &Site) -> Listings {
        let mut status: HashMap<StatusKey, Vec<Unit>> = HashMap::new();
        for (p, plan) in site.plans.iter().enumerate() {
            for s in 0..plan.scales.len() {
                for year in plan.reported_years() {
                    let mut last = None;
                    let mut row = 0;
                    for (index, value, ended) in views::units_in(site, p, s, year) {
                        // Rows of one initiative come one after the other.
                        row = if last == Some(index) { row + 1 } else { 0 };
                        last = Some(index);
                        if !ended {
                            status
                                .entry((p, s, year, value))
                                .or_default()
                                .push(Unit { index, row });
                        }
                    }
                }
            }
        }
        let mut departments = vec![Vec::new(); site.departments.len()];
        let mut in_plan = vec![0; site.plans.len()];
        let mut in_section = vec![0; site.sections.len()];
        let mut repeated_by = vec![Vec::new(); site.initiatives.len()];
        for (i, init) in site.initiatives.iter().enumerate() {
            if let Some(r) = init.repeat_of {
                repeated_by[r].push(i);
            }
            for &d in &init.departments {
                departments[d].push(i);
            }
            in_plan[init.plan] += 1;
            let mut at = init.section;
            while let Some(s) = at {
                in_section[s] += 1;
                at = site.sections[s].parent;
            }
        }
        // A department's page lists its initiatives plan by plan.
        for list in &mut departments {
            list.sort_by_key(|&i| (site.initiatives[i].plan, i));
        }
        let mut measuring = vec![Vec::new(); site.initiatives.len()];
        for (i, ind) in site.indicators.iter().enumerate() {
            let mut of: Vec<usize> = ind.initiative.iter().chain(&ind.also).copied().collect();
            of.sort_unstable();
            of.dedup();
            for x in of {
                measuring[x].push(i);
            }
        }
        Listings {
            status,
            departments,
            in_plan,
            in_section,
            measuring,
            repeated_by,
            downloads: OnceLock::new(),
            changes: (0..site.plans.len())
                .map(|p| {
                    super::changes::has_changes(&site.plans[p])
                        .then(|| super::changes::of_plan(site, p))
                })
                .collect(),
        }
    }

    /// The units of a plan in `value` of a scale in `year`, in page order
    /// (units of programmes that had ended by then are left out).
    pub fn status(
        &self,
        plan: usize,
        scale: usize,
        year: FiscalYear,
        value: Option<usize>,
    ) -> &[Unit] {
        self.status
            .get(&(plan, scale, year, value))
            .map_or(&[], Vec::as_slice)
    }

    /// What changed in a plan's reporting year; `None` for a plan without
    /// a changes page.
    pub fn changes(&self, plan: usize) -> Option<&super::changes::Changes> {
        self.changes[plan].as_ref()
    }

    /// A department's initiatives, plan by plan, each plan's in order.
    pub fn department(&self, d: usize) -> &[usize] {
        &self.departments[d]
    }

    /// How many initiatives a plan holds.
    pub fn in_plan(&self, p: usize) -> usize {
        self.in_plan[p]
    }

    /// How many initiatives a section and the sections below it hold.
    pub fn in_section(&self, s: usize) -> usize {
        self.in_section[s]
    }

    /// Notes the sizes of the data files `files` (path from the root →
    /// bytes); the first call counts.
    pub fn set_downloads(&self, files: &super::Files) {
        let _ = self
            .downloads
            .set(files.iter().map(|(k, v)| (k.clone(), v.len())).collect());
    }

    /// The size of a data file, if the site has it (and the sizes are set).
    pub fn download_size(&self, path: &str) -> Option<usize> {
        self.downloads.get()?.get(path).copied()
    }

    /// The indicators measuring an initiative (as theirs or `also`), in order.
    pub fn measuring(&self, init: usize) -> &[usize] {
        &self.measuring[init]
    }

    /// The initiatives that repeat an initiative, in order.
    pub fn repeated_by(&self, init: usize) -> &[usize] {
        &self.repeated_by[init]
    }
}
