//! What staff type: serde shapes of `site.toml`, department files and front
//! matter, exactly as written (unknown keys rejected), with source spans kept
//! on every value that a later check may need to point at.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// A fiscal year as typed: `2023` or `"R5"`, `"令和5年度"` …
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum YearInput {
    Number(i64),
    Text(String),
}

impl YearInput {
    pub fn as_text(&self) -> String {
        match self {
            YearInput::Number(n) => n.to_string(),
            YearInput::Text(s) => s.clone(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLabel {
    pub ja: String,
    pub en: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSite {
    pub title: RawLabel,
    pub description: Option<RawLabel>,
    pub base_url: Spanned<String>,
    pub languages: Option<Spanned<Vec<String>>>,
    pub theme: Option<Spanned<String>>,
    pub license: Option<RawLicense>,
    pub contact: Option<RawContact>,
    /// Data older than this many fiscal years (before the current one) is
    /// flagged as old on its plan's pages.
    pub stale_after_years: Option<u16>,
    /// English names of units: `"手続き" = { one = "procedure", other =
    /// "procedures" }`, or a plain string for a unit that is not counted.
    #[serde(default)]
    pub units: BTreeMap<String, Spanned<RawUnitName>>,
    #[serde(default)]
    pub municipalities: Vec<RawMunicipality>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum RawUnitName {
    Amount(String),
    Counted(RawCounted),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCounted {
    pub one: String,
    pub other: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLicense {
    pub name: RawLabel,
    pub url: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawContact {
    pub name: RawLabel,
    pub email: Option<Spanned<String>>,
    pub url: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMunicipality {
    pub id: Spanned<String>,
    pub name: RawLabel,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDepartments {
    pub municipality: Spanned<String>,
    #[serde(default)]
    pub departments: Vec<RawDepartment>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDepartment {
    pub id: Spanned<String>,
    pub name: Spanned<RawLabel>,
    #[serde(default)]
    pub formerly: Vec<RawFormerName>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFormerName {
    pub name: String,
    pub until: Spanned<YearInput>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlan {
    pub id: Spanned<String>,
    pub municipality: Spanned<String>,
    pub title: Spanned<String>,
    pub short_title: Option<String>,
    pub period: RawPeriod,
    pub reporting_year: Spanned<YearInput>,
    pub published: Option<Spanned<String>>,
    pub source: Option<RawSource>,
    pub levels: Spanned<Vec<RawLabel>>,
    #[serde(default)]
    pub scales: Vec<RawScale>,
    pub indicators: Option<RawIndicatorSettings>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPeriod {
    pub first: Spanned<YearInput>,
    pub last: Spanned<YearInput>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub title: Option<String>,
    pub url: Option<Spanned<String>>,
    pub publisher: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScale {
    pub key: Spanned<String>,
    pub name: RawLabel,
    pub applies_to: Spanned<String>,
    pub level: Option<Spanned<i64>>,
    pub rollup: Option<Spanned<String>>,
    /// What a value means across years: "per_year" (default) or "progression".
    pub across_years: Option<Spanned<String>>,
    pub values: Vec<RawScaleValue>,
    pub derive: Option<RawDerive>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScaleValue {
    pub key: Spanned<String>,
    #[serde(default)]
    pub symbols: Vec<String>,
    pub label: RawLabel,
    pub meaning: Option<RawLabel>,
    pub order: i32,
    pub tone: Spanned<String>,
    /// A one-time event (completed, abolished): the plan page also shows
    /// how many have reached it so far, year by year.
    #[serde(default)]
    pub once: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDerive {
    pub from: Spanned<String>,
    pub rules: Vec<RawRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    pub value: Spanned<String>,
    pub when: Spanned<String>,
}

/// Per fiscal year: a table keyed by year as typed.
pub type ByYear<T> = BTreeMap<Spanned<String>, T>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSection {
    pub code: Option<String>,
    /// The code on English pages, where it follows no pattern (see
    /// `render::codes`).
    pub code_en: Option<String>,
    pub title: Spanned<String>,
    pub order: Option<i64>,
    #[serde(default)]
    pub status: BTreeMap<Spanned<String>, ByYear<Spanned<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInitiative {
    pub id: Spanned<String>,
    pub code: Option<String>,
    pub code_en: Option<String>,
    pub title: Spanned<String>,
    #[serde(default)]
    pub departments: Vec<Spanned<String>>,
    pub order: Option<i64>,
    pub source: Option<RawItemSource>,
    pub reason: Option<String>,
    #[serde(default)]
    pub activities: Vec<String>,
    pub repeat_of: Option<Spanned<String>>,
    pub ended: Option<Spanned<RawEnded>>,
    #[serde(default)]
    pub schedule: Vec<RawScheduleRow>,
    #[serde(default)]
    pub years: ByYear<RawYear>,
}

/// `ended = { after = "R4", note = "…" }`: the programme ended mid-plan.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEnded {
    pub after: Option<Spanned<YearInput>>,
    pub note: Option<String>,
}

/// The English of `ended`: its note.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEndedEn {
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawItemSource {
    pub page: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScheduleRow {
    pub label: Option<String>,
    #[serde(default)]
    pub plan: ByYear<String>,
    #[serde(default)]
    pub status: ByYear<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawYear {
    /// The first year a result recorded for several years covers.
    pub from: Option<Spanned<YearInput>>,
    pub phase: Option<String>,
    pub target: Option<String>,
    pub status: Option<Spanned<String>>,
    pub result: Option<String>,
    pub reason: Option<String>,
    #[serde(default)]
    pub figures: Vec<RawFigure>,
}

/// A numeric yearly target and its actual value, written as printed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFigure {
    pub name: String,
    pub unit: Option<RawLabel>,
    pub target: Option<Spanned<RawValue>>,
    pub actual: Option<Spanned<RawValue>>,
    pub comparator: Option<Spanned<String>>,
    /// The day the actual was measured: `"2024-02-02"` or `"令和6年2月2日"`.
    pub as_of: Option<Spanned<String>>,
}

/// The English file of a plan or section.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTitleEn {
    pub translates: Option<Spanned<String>>,
    pub title: Option<String>,
    pub short_title: Option<String>,
}

/// The English file of an initiative: text only.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInitiativeEn {
    pub translates: Option<Spanned<String>>,
    pub title: Option<String>,
    pub reason: Option<String>,
    pub activities: Option<Vec<String>>,
    pub ended: Option<RawEndedEn>,
    #[serde(default)]
    pub schedule: Vec<RawScheduleRowEn>,
    #[serde(default)]
    pub years: ByYear<RawYearEn>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScheduleRowEn {
    pub label: Option<String>,
    #[serde(default)]
    pub plan: ByYear<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawYearEn {
    pub phase: Option<String>,
    pub target: Option<String>,
    pub result: Option<String>,
    pub reason: Option<String>,
    /// English names of the figures, in order.
    pub figures: Option<Vec<String>>,
}

/// A value as typed: a plain number or the text as printed.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RawValue {
    Number(f64),
    Text(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIndicator {
    pub id: Spanned<String>,
    pub name: Spanned<String>,
    pub unit: Option<RawLabel>,
    pub initiative: Option<Spanned<String>>,
    #[serde(default)]
    pub also: Vec<Spanned<String>>,
    pub department: Option<Spanned<String>>,
    pub direction: Option<Spanned<String>>,
    pub order: Option<i64>,
    pub baseline: Option<RawObservation>,
    #[serde(default)]
    pub observations: Vec<RawObservation>,
    pub target: Option<RawTarget>,
    #[serde(default)]
    pub footnotes: Vec<String>,
    pub source: Option<RawItemSource>,
    pub status: Option<RawStatusOverride>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawObservation {
    pub year: Option<Spanned<YearInput>>,
    pub value: Spanned<RawValue>,
    pub measured: Option<String>,
    pub note: Option<String>,
    /// The day it was measured: `"2024-02-02"` or `"令和6年2月2日"`.
    pub as_of: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTarget {
    pub year: Option<Spanned<YearInput>>,
    pub value: Option<Spanned<RawValue>>,
    pub comparator: Option<Spanned<String>>,
    pub text: Option<Spanned<String>>,
    /// The same target every year, from `from` (or the plan's first year) to `year`.
    pub each_year: Option<Spanned<bool>>,
    pub from: Option<Spanned<YearInput>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStatusOverride {
    pub value: Spanned<String>,
    pub reason: Option<String>,
}

/// The English file of an indicator: text only.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIndicatorEn {
    pub translates: Option<Spanned<String>>,
    pub name: Option<String>,
    pub footnotes: Option<Vec<String>>,
    pub target_text: Option<String>,
}

/// `[indicators]` of a plan.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIndicatorSettings {
    pub data_from: Option<Spanned<YearInput>>,
    pub on_track: Option<Spanned<f64>>,
}
