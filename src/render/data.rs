//! Data files for download: each indicator's series as CSV (UTF-8 with a
//! BOM, so that Excel opens it), and one CSV of all indicators per plan.
//! A value's date (`as_of`) and whether it is interim are columns; a target
//! for every year is a target row for each of its years, marked as such.

use super::{urls, Files};
use crate::model::value::Reading;
use crate::model::{Date, FiscalYear, Lang, Site, TargetValue};

/// The CSV files of every plan's indicators.
pub fn data_files(site: &Site) -> Files {
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
    // (as_of, interim, target_each_year) of a row.
    type Dating = (Option<Date>, bool, bool);
    let mut line = |k: &'static str,
                    o_year: FiscalYear,
                    r: Option<&Reading>,
                    text: Option<&str>,
                    note: &str,
                    (as_of, interim, each_year): Dating| {
        let label = match lang {
            Lang::Ja => o_year.ja_era(),
            Lang::En => o_year.en(),
        };
        let printed = r
            .map(|r| r.printed.clone())
            .or(text.map(String::from))
            .unwrap_or_default();
        let number = r
            .and_then(Reading::quantity)
            .map(|q| q.base().0.to_string())
            .unwrap_or_default();
        let measured = r.and_then(|r| r.measured.clone()).unwrap_or_default();
        let cells = [
            ind.id.clone(),
            name.clone(),
            kind_label(lang, k).to_string(),
            label,
            o_year.0.to_string(),
            printed,
            number,
            unit.clone(),
            measured,
            note.to_string(),
            as_of.map(Date::iso).unwrap_or_default(),
            interim.to_string(),
            each_year.to_string(),
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
    };
    if let Some(b) = &ind.baseline {
        line(
            "baseline",
            b.year,
            Some(&b.reading),
            None,
            b.note.as_ref().map_or("", |n| n.ja.as_str()),
            (b.as_of, b.interim, false),
        );
    }
    for o in &ind.observations {
        line(
            "actual",
            o.year,
            Some(&o.reading),
            None,
            o.note.as_ref().map_or("", |n| n.ja.as_str()),
            (o.as_of, o.interim, false),
        );
    }
    if let Some(t) = &ind.target {
        // A target for every year: one row per year it applies to.
        let first = t.each_year_from.unwrap_or(t.year);
        for y in (first.0..=t.year.0).map(FiscalYear) {
            let dating = (None, false, t.each_year_from.is_some());
            match &t.value {
                TargetValue::Number(r, _) => line("target", y, Some(r), None, "", dating),
                TargetValue::Text(text) => line("target", y, None, Some(&text.ja), "", dating),
            }
        }
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

/// A text cell. Excel, which the BOM invites, runs a cell that starts with
/// `=`, `+`, `-` or `@` (or a tab or line break before one) as a formula:
/// `=HYPERLINK(…)` in a note would be a live link. As OWASP's CSV-injection
/// guidance says, such a cell gets a leading `'`, which Excel shows as text.
fn csv_text(s: &str) -> String {
    let formula = s.starts_with(['=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠']);
    let s = if formula {
        format!("'{s}")
    } else {
        s.to_string()
    };
    quote(&s)
}

/// A number cell: written as a number, negative ones included, when it is
/// one; anything else is treated as text.
fn csv_number(s: &str) -> String {
    if s.is_empty() || s.parse::<f64>().is_ok_and(f64::is_finite) {
        s.to_string()
    } else {
        csv_text(s)
    }
}

fn quote(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
