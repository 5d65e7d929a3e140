//! Each indicator's series as CSV in each language (UTF-8 with a BOM, so
//! that Excel opens it), and one CSV of all indicators per plan, beside
//! the indicator pages. A value's date (`as_of`) and whether it is interim
//! are columns; a target for every year is a target row for each of its
//! years, marked as such. The same rows, in both languages at once, are
//! the open data's `indicator_values.csv` ([`rows`]).

use super::csv::{csv_number, csv_text};
use crate::model::value::Reading;
use crate::model::{Date, FiscalYear, Lang, Site, TargetValue};
use crate::render::{urls, Files};

/// The CSV files of every plan's indicators, in each language.
pub fn files(site: &Site) -> Files {
    let mut files = Files::new();
    for &lang in &site.config.languages {
        for (p, plan) in site
            .plans
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.indicators.is_empty())
        {
            let dir = urls::indicators(lang, site, p);
            let mut all = String::new();
            for &i in &plan.indicators {
                let one = csv(site, lang, i);
                // The plan's file: one header, then every series.
                let rows = if all.is_empty() {
                    one.as_str()
                } else {
                    one.split_once("\r\n").map_or("", |(_, r)| r)
                };
                all.push_str(rows);
                files.insert(
                    format!("{dir}{}.csv", site.indicators[i].id),
                    one.into_bytes(),
                );
            }
            files.insert(format!("{dir}indicators.csv"), all.into_bytes());
        }
    }
    files
}

/// One value of a series: a baseline, an actual or a target.
pub struct Row<'a> {
    /// `baseline`, `actual` or `target`.
    pub kind: &'static str,
    pub year: FiscalYear,
    pub reading: Option<&'a Reading>,
    /// A target in words.
    pub text: Option<&'a str>,
    pub note: &'a str,
    pub as_of: Option<Date>,
    pub interim: bool,
    /// One row of a target set for every year.
    pub each_year: bool,
}

impl Row<'_> {
    pub fn printed(&self) -> String {
        self.reading
            .map(|r| r.printed.clone())
            .or(self.text.map(String::from))
            .unwrap_or_default()
    }

    /// The value as a number in the indicator's base unit, if it is one.
    pub fn number(&self) -> String {
        self.reading
            .and_then(Reading::quantity)
            .map(|q| q.base().0.to_string())
            .unwrap_or_default()
    }

    pub fn measured(&self) -> String {
        self.reading
            .and_then(|r| r.measured.clone())
            .unwrap_or_default()
    }
}

/// The rows of indicator `i`'s series: baseline, actuals, then targets.
pub fn rows(site: &Site, i: usize) -> Vec<Row<'_>> {
    let ind = &site.indicators[i];
    let mut out = Vec::new();
    fn observed<'a>(kind: &'static str, o: &'a crate::model::Observation) -> Row<'a> {
        Row {
            kind,
            year: o.year,
            reading: Some(&o.reading),
            text: None,
            note: o.note.as_ref().map_or("", |n| n.ja.as_str()),
            as_of: o.as_of,
            interim: o.interim,
            each_year: false,
        }
    }
    out.extend(ind.baseline.iter().map(|b| observed("baseline", b)));
    out.extend(ind.observations.iter().map(|o| observed("actual", o)));
    if let Some(t) = &ind.target {
        // A target for every year: one row per year it applies to.
        let first = t.each_year_from.unwrap_or(t.year);
        for y in (first.0..=t.year.0).map(FiscalYear) {
            let (reading, text) = match &t.value {
                TargetValue::Number(r, _) => (Some(r), None),
                TargetValue::Text(text) => (None, Some(text.ja.as_str())),
            };
            out.push(Row {
                kind: "target",
                year: y,
                reading,
                text,
                note: "",
                as_of: None,
                interim: false,
                each_year: t.each_year_from.is_some(),
            });
        }
    }
    out
}

/// The CSV of one indicator's series: UTF-8 with a BOM so that Excel reads it.
pub fn csv(site: &Site, lang: Lang, i: usize) -> String {
    let ind = &site.indicators[i];
    let mut out = String::from("\u{feff}");
    let header = match lang {
        Lang::Ja => "指標ID,指標名,区分,年度,年度（西暦）,値（表記どおり）,数値,単位,測定時点,注記,時点（日付）,速報値,毎年度の目標",
        Lang::En => "indicator_id,indicator,kind,fiscal_year_label,fiscal_year,value_as_printed,value,unit,measured,note,as_of,interim,target_each_year",
    };
    out.push_str(header);
    out.push_str("\r\n");
    let name = match lang {
        Lang::Ja => ind.name.ja.clone(),
        Lang::En => ind.name.en.clone().unwrap_or_else(|| ind.name.ja.clone()),
    };
    let unit = ind
        .unit
        .as_ref()
        .map(|u| u.get(lang).to_string())
        .unwrap_or_default();
    for row in rows(site, i) {
        let label = match lang {
            Lang::Ja => row.year.ja_era(),
            Lang::En => row.year.en(),
        };
        let cells = [
            ind.id.clone(),
            name.clone(),
            kind_label(lang, row.kind).to_string(),
            label,
            row.year.0.to_string(),
            row.printed(),
            row.number(),
            unit.clone(),
            row.measured(),
            row.note.to_string(),
            row.as_of.map(Date::iso).unwrap_or_default(),
            row.interim.to_string(),
            row.each_year.to_string(),
        ];
        // Columns 4 (the Western year) and 6 (the value) are numbers the
        // build wrote; every other cell is text that staff typed.
        let escaped: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if matches!(i, 4 | 6) {
                    csv_number(c)
                } else {
                    csv_text(c)
                }
            })
            .collect();
        out.push_str(&escaped.join(","));
        out.push_str("\r\n");
    }
    out
}

fn kind_label(lang: Lang, k: &'static str) -> &'static str {
    match (lang, k) {
        (Lang::Ja, "baseline") => "基準値",
        (Lang::Ja, "actual") => "実績値",
        (Lang::Ja, _) => "目標値",
        (Lang::En, k) => k,
    }
}
