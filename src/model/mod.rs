//! The validated site model: plain data, no I/O. Built by `content`, read by
//! `render`. Items refer to each other by index into the arenas of [`Site`].

pub mod date;
mod fiscal_year;
pub mod progress;
pub mod units;
pub mod value;

pub use date::Date;
pub use fiscal_year::FiscalYear;

use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The languages a site is published in. Japanese is the original.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Ja,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "ja" => Some(Lang::Ja),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// Content text written in Japanese, with the staff's English where it exists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text {
    pub ja: String,
    pub en: Option<String>,
}

impl Text {
    pub fn ja(s: impl Into<String>) -> Self {
        Text {
            ja: s.into(),
            en: None,
        }
    }

    /// The text in `lang`, or the Japanese and the language it is in.
    pub fn get(&self, lang: Lang) -> (&str, Lang) {
        match (lang, &self.en) {
            (Lang::En, Some(en)) => (en, Lang::En),
            _ => (&self.ja, Lang::Ja),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.ja.trim().is_empty()
    }
}

/// Configuration text that must exist in both languages (labels, level names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    pub ja: String,
    pub en: String,
}

impl Label {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }
}

/// The theme a site uses when `site.toml` names none (built in, unless the
/// site has a `themes/default/` of its own).
pub const DEFAULT_THEME_NAME: &str = "default";

#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub title: Label,
    pub description: Option<Label>,
    /// Always ends with `/`.
    pub base_url: String,
    pub languages: Vec<Lang>,
    pub theme: String,
    pub license: Option<License>,
    pub contact: Option<Contact>,
    /// site.toml `stale_after_years` (default 2). No longer read: the date
    /// notice says as of when instead of an age computed from the day of the
    /// build (issue 27 item 5). Kept so that sites naming it still load.
    #[allow(dead_code)]
    pub stale_after_years: u16,
    /// English names of units (site.toml `[units]`, over the built-in ones).
    pub units: units::Units,
}

#[derive(Debug, Clone)]
pub struct License {
    pub name: Label,
    pub url: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Contact {
    pub name: Label,
    pub email: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Municipality {
    pub id: String,
    pub name: Label,
}

#[derive(Debug, Clone)]
pub struct Department {
    pub id: String,
    pub municipality: usize,
    pub name: Label,
    /// Former names, each with the last fiscal year it was used.
    pub formerly: Vec<(String, FiscalYear)>,
}

/// Whether a document's English text exists, completely or in part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Coverage {
    Full,
    Partial,
    None,
}

/// What is known about a document's translation.
#[derive(Debug, Clone)]
pub struct Translation {
    pub coverage: Coverage,
    /// The `.en.md` file, if any.
    pub file: Option<PathBuf>,
    /// The version of the Japanese text (hash of its translatable text).
    pub version: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AppliesTo {
    Schedule,
    Initiative,
    Section,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rollup {
    LeastAdvanced,
    MostAdvanced,
}

/// What a scale's values mean from one year to the next (`across_years`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AcrossYears {
    /// Each year's work is rated against that year's own plan (完了 ◎ one
    /// year and 実施中 ○ the next is the next year's plan under way): no
    /// change is forward or back. The default.
    PerYear,
    /// One piece of work moving along the scale's order (未着手 → 実施中 →
    /// 完了): a lower value the next year is a setback.
    Progression,
}

impl AcrossYears {
    pub const ALL: [(&'static str, AcrossYears); 2] = [
        ("per_year", AcrossYears::PerYear),
        ("progression", AcrossYears::Progression),
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tone {
    Done,
    Good,
    Progress,
    Warning,
    Bad,
    Neutral,
}

impl Tone {
    pub const ALL: [(&'static str, Tone); 6] = [
        ("done", Tone::Done),
        ("good", Tone::Good),
        ("progress", Tone::Progress),
        ("warning", Tone::Warning),
        ("bad", Tone::Bad),
        ("neutral", Tone::Neutral),
    ];
}

#[derive(Debug, Clone)]
pub struct ScaleValue {
    pub key: String,
    pub symbols: Vec<String>,
    pub label: Label,
    pub meaning: Option<Label>,
    pub order: i32,
    pub tone: Tone,
    /// A one-time event: also counted "so far" (cumulatively) by year.
    pub once: bool,
}

impl ScaleValue {
    /// What is printed in the badge: the first symbol, or the label.
    pub fn symbol(&self) -> Option<&str> {
        self.symbols.first().map(String::as_str)
    }
}

/// A rule deriving a rating from the ratings of the items below.
#[derive(Debug, Clone)]
pub struct Derive {
    /// Index of the scale whose ratings are counted.
    pub from: usize,
    /// (value index, boolean expression over counts by value key)
    pub rules: Vec<(usize, String)>,
}

#[derive(Debug, Clone)]
pub struct Scale {
    pub key: String,
    pub name: Label,
    pub applies_to: AppliesTo,
    /// For `AppliesTo::Section`: the level (1 = top).
    pub level: Option<usize>,
    pub rollup: Rollup,
    pub across_years: AcrossYears,
    pub values: Vec<ScaleValue>,
    pub derive: Option<Derive>,
}

/// One badge for several rated rows (the README's table "One badge for an
/// initiative with several rated rows").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RolledUp {
    /// The value shown, by the scale's rollup; `None` when no row is rated.
    pub pick: Option<usize>,
    /// Every status among the rows with its count: the picked value first,
    /// the others in the rule's order (least advanced: ascending `order`;
    /// most advanced: descending), neutral values after them, rows with no
    /// status (`None`) last. The counts add up to the number of rows.
    pub counts: Vec<(Option<usize>, usize)>,
}

impl Scale {
    /// The one status of several rows (`statuses`, one per row, `None`
    /// where a row has none), by the scale's rollup: among the rows of a
    /// tone other than neutral, if any, else among all rated rows, the
    /// lowest `order` (least advanced) or the highest (most advanced), the
    /// first such row on a tie.
    pub fn rolled_up(&self, statuses: &[Option<usize>]) -> RolledUp {
        let rated: Vec<usize> = statuses.iter().flatten().copied().collect();
        let toned: Vec<usize> = rated
            .iter()
            .copied()
            .filter(|&v| self.values[v].tone != Tone::Neutral)
            .collect();
        let pool = if toned.is_empty() { &rated } else { &toned };
        let order = |v: &usize| self.values[*v].order;
        let pick = match self.rollup {
            Rollup::LeastAdvanced => pool.iter().min_by_key(|v| order(v)),
            Rollup::MostAdvanced => pool.iter().max_by_key(|v| order(v)),
        }
        .copied();
        let mut counts: Vec<(Option<usize>, usize)> = Vec::new();
        for &s in statuses {
            match counts.iter_mut().find(|(v, _)| *v == s) {
                Some((_, n)) => *n += 1,
                None => counts.push((s, 1)),
            }
        }
        let rank = |v: &Option<usize>| -> (u8, u8, i64, usize) {
            match *v {
                None => (2, 0, 0, 0),
                Some(v) => {
                    let o = i64::from(self.values[v].order);
                    let o = match self.rollup {
                        Rollup::LeastAdvanced => o,
                        Rollup::MostAdvanced => -o,
                    };
                    let neutral = u8::from(self.values[v].tone == Tone::Neutral);
                    (u8::from(Some(v) != pick), neutral, o, v)
                }
            }
        };
        counts.sort_by_key(|(v, _)| rank(v));
        RolledUp { pick, counts }
    }
}

#[derive(Debug, Clone, Default)]
pub struct SourceRef {
    pub title: Option<String>,
    pub url: Option<String>,
    pub publisher: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub id: String,
    pub municipality: usize,
    pub title: Text,
    pub short_title: Option<Text>,
    pub first_year: FiscalYear,
    pub last_year: FiscalYear,
    pub reporting_year: FiscalYear,
    pub published: Option<String>,
    pub source: SourceRef,
    pub levels: Vec<Label>,
    pub scales: Vec<Scale>,
    pub body: Text,
    /// Top-level sections, in order.
    pub sections: Vec<usize>,
    /// Initiatives directly under the plan (a plan with one level).
    pub initiatives: Vec<usize>,
    /// Its indicators, in order.
    pub indicators: Vec<usize>,
    pub indicator_settings: IndicatorSettings,
    pub path: PathBuf,
    pub translation: Translation,
    /// A past report kept in the archive (`_reports/<year>/`): its pages are
    /// built at `<plan>/reports/<year>/`, marked as a past edition.
    pub archived: bool,
}

impl Plan {
    pub fn years(&self) -> impl Iterator<Item = FiscalYear> {
        (self.first_year.0..=self.last_year.0).map(FiscalYear)
    }

    /// The years that have results: the plan's years up to the reporting
    /// year. Later years have not happened (in this report): they are
    /// planned, never counted among results, whatever the source put in
    /// their cells.
    pub fn reported_years(&self) -> impl Iterator<Item = FiscalYear> {
        let last = self.last_year.min(self.reporting_year);
        (self.first_year.0..=last.0).map(FiscalYear)
    }

    /// A year after the reporting year: planned, not yet due.
    pub fn is_future(&self, year: FiscalYear) -> bool {
        year > self.reporting_year
    }

    pub fn scale_for(&self, applies_to: AppliesTo) -> Option<usize> {
        self.scales.iter().position(|s| s.applies_to == applies_to)
    }
}

#[derive(Debug, Clone)]
pub struct Section {
    pub plan: usize,
    pub parent: Option<usize>,
    /// 1 = top level.
    pub level: usize,
    /// Folder names from the plan folder, joined by `/`.
    pub slug: String,
    pub code: Option<String>,
    pub code_en: Option<String>,
    pub title: Text,
    pub order: Option<i64>,
    pub body: Text,
    /// Stored ratings: scale index → year → value index.
    pub status: BTreeMap<usize, BTreeMap<FiscalYear, usize>>,
    pub sections: Vec<usize>,
    pub initiatives: Vec<usize>,
    pub path: PathBuf,
    pub translation: Translation,
}

#[derive(Debug, Clone)]
pub struct ScheduleRow {
    pub label: Option<Text>,
    pub plan: BTreeMap<FiscalYear, Text>,
    pub status: BTreeMap<FiscalYear, usize>,
}

#[derive(Debug, Clone, Default)]
pub struct YearEntry {
    /// A result recorded for several years (令和4年度までの取組実績): the
    /// first year it covers; the entry's own year is the last.
    pub from: Option<FiscalYear>,
    pub phase: Option<Text>,
    pub target: Option<Text>,
    pub result: Option<Text>,
    pub reason: Option<Text>,
    pub status: Option<usize>,
    /// Numeric targets and actuals of the year (業務数 35 → 34).
    pub figures: Vec<Figure>,
}

/// A yearly numeric target inside an initiative, in the indicators' value model.
#[derive(Debug, Clone)]
pub struct Figure {
    pub name: Text,
    /// The figure's own unit and its English (`unit = { ja, en }`).
    pub unit: Option<Label>,
    pub target: Option<value::Reading>,
    pub actual: Option<value::Reading>,
    pub comparator: value::Comparator,
    /// The day the actual was measured (`as_of`).
    pub as_of: Option<Date>,
    /// The actual was measured before its year ended: nothing is computed from it.
    pub interim: bool,
}

#[derive(Debug, Clone)]
pub struct Initiative {
    pub plan: usize,
    pub section: Option<usize>,
    pub id: String,
    pub code: Option<String>,
    pub code_en: Option<String>,
    pub title: Text,
    pub departments: Vec<usize>,
    pub order: Option<i64>,
    pub source_page: Option<u32>,
    pub reason: Option<Text>,
    pub activities: Vec<Text>,
    pub repeat_of: Option<usize>,
    /// The programme ended mid-plan (※令和4年度までをもって終了).
    pub ended: Option<Ended>,
    pub schedule: Vec<ScheduleRow>,
    pub years: BTreeMap<FiscalYear, YearEntry>,
    pub body: Text,
    pub path: PathBuf,
    pub translation: Translation,
}

/// The last fiscal year of a programme that ended before its plan did.
#[derive(Debug, Clone)]
pub struct Ended {
    pub after: FiscalYear,
    pub note: Option<Text>,
}

impl Initiative {
    /// A year after the programme ended: nothing is planned, rated or
    /// reported in it; pages show "ended", never "not reported".
    pub fn ended_in(&self, year: FiscalYear) -> bool {
        self.ended.as_ref().is_some_and(|e| year > e.after)
    }

    /// The entry that reports on `year`: its own, or one recorded for a
    /// span of years that includes it.
    pub fn entry_for(&self, year: FiscalYear) -> Option<&YearEntry> {
        self.years.get(&year).or_else(|| {
            self.years
                .range(year..)
                .next()
                .map(|(_, e)| e)
                .filter(|e| e.from.is_some_and(|f| f <= year))
        })
    }
}

/// The whole validated site, handed from `content` to `render`.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: SiteConfig,
    pub municipalities: Vec<Municipality>,
    pub departments: Vec<Department>,
    pub plans: Vec<Plan>,
    pub sections: Vec<Section>,
    pub initiatives: Vec<Initiative>,
    pub indicators: Vec<Indicator>,
    /// The past reports of the plans, oldest first within a plan.
    pub editions: Vec<Edition>,
}

/// A past report of a plan: the plan folder as it was published that
/// year, read into a site of its own holding that one (archived) plan.
#[derive(Debug, Clone)]
pub struct Edition {
    /// The plan of the site it is a past report of.
    pub plan: usize,
    pub site: Site,
}

impl Site {
    /// The past reports of plan `p`, oldest first.
    pub fn editions_of(&self, p: usize) -> impl DoubleEndedIterator<Item = &Edition> {
        self.editions.iter().filter(move |e| e.plan == p)
    }

    /// How indicator `i` stands against its target, by its plan's threshold
    /// for "on track".
    pub fn assessment(&self, i: usize) -> progress::Assessment {
        let ind = &self.indicators[i];
        ind.assess(self.plans[ind.plan].indicator_settings.on_track)
    }

    /// How indicator `i` stood at the end of `year` (see [`Indicator::assess_as_of`]).
    pub fn assessment_as_of(&self, i: usize, year: FiscalYear) -> progress::Assessment {
        let ind = &self.indicators[i];
        ind.assess_as_of(self.plans[ind.plan].indicator_settings.on_track, year)
    }
}

/// How a plan's indicators are judged.
#[derive(Debug, Clone)]
pub struct IndicatorSettings {
    /// Earliest year of a baseline or observation.
    pub data_from: FiscalYear,
    /// On track when progress ≥ this × the share of time passed.
    pub on_track: f64,
}

/// One value of an indicator in a fiscal year.
#[derive(Debug, Clone)]
pub struct Observation {
    pub year: FiscalYear,
    pub reading: value::Reading,
    pub note: Option<Text>,
    /// The day it was measured (`as_of`), where the report gives it.
    pub as_of: Option<Date>,
    /// Measured before the end of `year`: shown, never judged.
    pub interim: bool,
}

#[derive(Debug, Clone)]
pub enum TargetValue {
    Number(value::Reading, value::Comparator),
    Text(Text),
}

#[derive(Debug, Clone)]
pub struct Target {
    /// The year the target is to be met by; for a recurring target, the
    /// last year it applies to.
    pub year: FiscalYear,
    /// A recurring target (`each_year`): the first year it applies to. It
    /// then applies to every year from here to `year`.
    pub each_year_from: Option<FiscalYear>,
    pub value: TargetValue,
    /// The comparator of a number target is neither written with the value
    /// (以上/以下) nor given as `comparator`: it follows `direction`.
    pub comparator_implied: bool,
}

/// A target indicator (目標指標, KPI).
#[derive(Debug, Clone)]
pub struct Indicator {
    pub plan: usize,
    pub id: String,
    pub name: Text,
    pub unit: Option<Label>,
    /// The measure or initiative it belongs to.
    pub initiative: Option<usize>,
    /// Other initiatives it measures.
    pub also: Vec<usize>,
    pub department: Option<usize>,
    pub direction: progress::Direction,
    pub baseline: Option<Observation>,
    pub observations: Vec<Observation>,
    pub target: Option<Target>,
    pub footnotes: Vec<Text>,
    pub source_page: Option<u32>,
    /// An editor's override of the computed status, with the reason shown.
    pub status_override: Option<(progress::Assessed, Text)>,
    pub order: Option<i64>,
    pub body: Text,
    pub path: PathBuf,
    pub translation: Translation,
}

impl Indicator {
    /// The numbers on one unit scale, and the goal, for [`progress::assess`].
    pub fn series(&self) -> (progress::Series, progress::Goal) {
        let num = |o: &Observation| o.reading.quantity().map(|q| (o.year, q.base().0));
        // Interim values are shown, never judged.
        let finals = || self.observations.iter().filter(|o| !o.interim);
        let values: Vec<(FiscalYear, f64)> = finals().filter_map(num).collect();
        let only_non_numeric = values.is_empty()
            && finals().any(|o| !matches!(o.reading.value, value::Value::Missing));
        let only_interim =
            values.is_empty() && !only_non_numeric && self.observations.iter().any(|o| o.interim);
        let series = progress::Series {
            baseline: self.baseline.as_ref().and_then(num),
            values,
            only_non_numeric,
            only_interim,
        };
        let goal = match &self.target {
            None => progress::Goal::None,
            Some(Target {
                value: TargetValue::Text(_),
                ..
            }) => progress::Goal::Text,
            Some(Target {
                year,
                each_year_from,
                value: TargetValue::Number(r, c),
                ..
            }) => match r.quantity() {
                Some(q) => progress::Goal::Number {
                    year: *year,
                    each_year_from: *each_year_from,
                    value: q.base().0,
                    comparator: *c,
                },
                None => progress::Goal::NotNumeric,
            },
        };
        (series, goal)
    }

    /// How the indicator stood at the end of `year`: assessed from the
    /// values reported for that year and before. Where no value after
    /// `year` exists, that is [`Indicator::assess`] itself (the editor's
    /// override included); else the override, written about the latest
    /// value, is not applied.
    pub fn assess_as_of(&self, on_track: f64, year: FiscalYear) -> progress::Assessment {
        if self.observations.iter().all(|o| o.year <= year) {
            return self.assess(on_track);
        }
        let then = Indicator {
            baseline: self.baseline.clone().filter(|b| b.year <= year),
            observations: self
                .observations
                .iter()
                .filter(|o| o.year <= year)
                .cloned()
                .collect(),
            status_override: None,
            ..self.clone()
        };
        then.assess(on_track)
    }

    /// The computed assessment, with the editor's override applied to its status.
    pub fn assess(&self, on_track: f64) -> progress::Assessment {
        let (series, goal) = self.series();
        let mut a = progress::assess(&series, &goal, on_track);
        if let Some((status, _)) = &self.status_override {
            a.status = *status;
            a.row = 1;
        }
        a
    }
}

/// A scale of values `v0`, `v1`, … with these orders and tones, for tests.
#[cfg(test)]
pub(crate) fn test_scale(kind: AcrossYears, values: &[(i32, Tone)]) -> Scale {
    let label = |s: &str| Label {
        ja: s.into(),
        en: s.into(),
    };
    Scale {
        key: "s".into(),
        name: label("s"),
        applies_to: AppliesTo::Schedule,
        level: None,
        rollup: Rollup::LeastAdvanced,
        across_years: kind,
        values: values
            .iter()
            .enumerate()
            .map(|(k, &(order, tone))| ScaleValue {
                key: format!("v{k}"),
                symbols: Vec::new(),
                label: label(&format!("v{k}")),
                meaning: None,
                order,
                tone,
                once: false,
            })
            .collect(),
        derive: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn scale(rollup: Rollup, values: &[(i32, Tone)]) -> Scale {
        Scale {
            rollup,
            ..test_scale(AcrossYears::PerYear, values)
        }
    }

    #[test]
    fn one_discontinued_row_of_three_is_the_badge_and_says_so() {
        // ◎ 4, ○ 3, × 1 (bad), — 0 (neutral).
        let s = scale(
            Rollup::LeastAdvanced,
            &[
                (4, Tone::Done),
                (3, Tone::Progress),
                (1, Tone::Bad),
                (0, Tone::Neutral),
            ],
        );
        let r = s.rolled_up(&[Some(1), Some(2), Some(1), Some(3), None]);
        assert_eq!(r.pick, Some(2));
        assert_eq!(
            r.counts,
            vec![(Some(2), 1), (Some(1), 2), (Some(3), 1), (None, 1)]
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// The badge's explanation: every row counted once, the badge's
        /// value first; the badge is a rated row's value, of a tone other
        /// than neutral where there is one, and no row of such a tone is
        /// less advanced (least) or more advanced (most).
        #[test]
        fn the_rollup_counts_every_row_and_names_the_badge_first(
            (values, rows) in proptest::collection::vec(
                (-2i32..5, proptest::sample::select(Tone::ALL.map(|(_, t)| t).to_vec())),
                1..6,
            )
            .prop_flat_map(|v| {
                let n = v.len();
                (Just(v), proptest::collection::vec(proptest::option::of(0..n), 0..8))
            }),
            most in any::<bool>(),
        ) {
            let rollup = if most { Rollup::MostAdvanced } else { Rollup::LeastAdvanced };
            let s = scale(rollup, &values);
            let r = s.rolled_up(&rows);
            prop_assert_eq!(r.counts.iter().map(|c| c.1).sum::<usize>(), rows.len());
            for (v, n) in &r.counts {
                prop_assert_eq!(*n, rows.iter().filter(|x| *x == v).count());
            }
            prop_assert_eq!(r.pick.is_none(), rows.iter().all(Option::is_none));
            if let Some(p) = r.pick {
                prop_assert_eq!(r.counts[0].0, Some(p));
                let toned = |v: usize| s.values[v].tone != Tone::Neutral;
                if rows.iter().flatten().any(|&v| toned(v)) {
                    prop_assert!(toned(p));
                    for &v in rows.iter().flatten().filter(|&&v| toned(v)) {
                        let (a, b) = (s.values[v].order, s.values[p].order);
                        let ok = if most { a <= b } else { a >= b };
                        prop_assert!(ok, "row order {} against the badge's {}", a, b);
                    }
                }
            }
            if let Some(i) = r.counts.iter().position(|c| c.0.is_none()) {
                prop_assert_eq!(i, r.counts.len() - 1);
            }
        }
    }
}
