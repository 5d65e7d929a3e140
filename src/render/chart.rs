//! SVG charts drawn at build time: an indicator's actual values, baseline
//! and target on labelled axes, and a small inline trend for index rows.
//! A target for every year is a flat line over its years (no path from the
//! baseline); an interim value is a hollow circle off the line of actuals.
//!
//! Written by hand rather than with a plotting crate: the charts are a few
//! dozen elements, and what matters here — `role="img"` with a title and a
//! description, markers that differ in shape and line style (never colour
//! alone), Japanese era years on the axis, deterministic output and no
//! scripts — is easier to guarantee in 200 lines than to configure.

use super::axis::{Axis, LIMIT};
use crate::model::value::format_number;
use crate::model::{FiscalYear, Lang};
use std::fmt::Write;

/// A point on the chart with its printed label.
#[derive(Debug, Clone)]
pub struct Point {
    pub year: FiscalYear,
    pub value: f64,
    pub label: String,
    /// Measured before its year ended: drawn hollow, not joined to the line.
    pub interim: bool,
}

pub struct ChartInput<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub desc: &'a str,
    pub unit: &'a str,
    pub lang: Lang,
    pub actuals: &'a [Point],
    pub baseline: Option<&'a Point>,
    pub target: Option<&'a Point>,
    /// A recurring target: the first year it applies to (to the target's year).
    pub each_year_from: Option<FiscalYear>,
    /// Legend words: actual, baseline, target, fiscal year, interim.
    pub words: [&'a str; 5],
}

/// The size of a drawing and its margins, in SVG units (the theme sets the
/// type in the same units: 16 for labels).
struct Layout {
    w: f64,
    h: f64,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    /// Extra class of the `<svg>` (the theme shows one drawing per screen).
    class: &'static str,
    /// Suffix of the ids of its title and description.
    id: &'static str,
}

/// For screens wider than a phone: shown at up to 40rem wide.
const WIDE: Layout = Layout {
    w: 520.0,
    h: 340.0,
    left: 84.0,
    right: 30.0,
    top: 56.0,
    bottom: 66.0,
    class: "",
    id: "",
};

/// For phones: a phone shows it about 330 px wide, so 16-unit type renders
/// at 14 px or more (the wide drawing, scaled down, gave 10 px).
const NARROW: Layout = Layout {
    w: 360.0,
    h: 330.0,
    left: 76.0,
    right: 32.0,
    top: 56.0,
    bottom: 66.0,
    class: " chart-narrow",
    id: "-n",
};

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A tick's value with as many decimals as the step needs (0.025 → 3,
/// 2.5 → 1), so that no two ticks read alike and none is rounded.
fn tick_label(v: f64, step: f64) -> String {
    let decimals = (0..=6)
        .find(|&d| {
            let x = step * 10f64.powi(d);
            (x - x.round()).abs() < 1e-6 * x.max(1.0)
        })
        .unwrap_or(6) as usize;
    format_number(v, decimals)
}

fn year_lines(y: FiscalYear, lang: Lang) -> (String, String) {
    match lang {
        Lang::Ja => (
            y.ja_era().trim_end_matches("年度").to_string(),
            format!("({})", y.0),
        ),
        Lang::En => (y.en(), String::new()),
    }
}

/// Width of a label in 16-unit type, roughly (CJK characters are square).
fn label_width(s: &str) -> f64 {
    s.chars()
        .map(|c| if c.is_ascii() { 9.5 } else { 16.0 })
        .sum()
}

/// Which years get a label under the axis: from the left, each that does not
/// touch the one before, and always the last (the target's year, usually).
/// The ticks stay; the data table below the chart has every year.
fn year_labels(years: &[FiscalYear], lang: Lang, px: &dyn Fn(FiscalYear) -> f64) -> Vec<bool> {
    let half = |y: FiscalYear| {
        let (a, b) = year_lines(y, lang);
        label_width(&a).max(label_width(&b)) / 2.0 + 4.0
    };
    let mut shown = vec![false; years.len()];
    let mut last: Option<usize> = None;
    for (i, &y) in years.iter().enumerate() {
        let fits = last.is_none_or(|j| px(years[j]) + half(years[j]) <= px(y) - half(y));
        if fits {
            shown[i] = true;
            last = Some(i);
        } else if i + 1 == years.len() {
            if let Some(j) = last.filter(|&j| j > 0) {
                shown[j] = false;
            }
            shown[i] = true;
        }
    }
    shown
}

/// The full chart: a drawing for wide screens, then one for phones.
pub fn chart(c: &ChartInput) -> String {
    let mut s = draw(c, &WIDE);
    s.push_str(&draw(c, &NARROW));
    s
}

fn draw(c: &ChartInput, l: &Layout) -> String {
    let (w, h, left, right, top, bottom) = (l.w, l.h, l.left, l.right, l.top, l.bottom);
    let mut all: Vec<&Point> = c.actuals.iter().collect();
    all.extend(c.baseline);
    all.extend(c.target);
    // A recurring target's first year is on the axis too.
    let from = c.each_year_from.zip(c.target).map(|(y, t)| Point {
        year: y,
        ..t.clone()
    });
    all.extend(from.as_ref());
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart{}" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        l.class,
        esc(c.title),
        esc(c.desc),
        id = format!("{}{}", c.id, l.id)
    );
    if all.is_empty() {
        s.push_str("</svg>");
        return s;
    }
    let y0 = all.iter().map(|p| p.year.0).min().unwrap_or(2000);
    let y1 = all.iter().map(|p| p.year.0).max().unwrap_or(y0).max(y0 + 1);
    let (axis, broken) = Axis::fitted(all.iter().map(|p| p.value));
    let (lo, hi, step) = (axis.lo, axis.hi(), axis.step);
    let px = |y: FiscalYear| left + (f64::from(y.0 - y0)) / f64::from(y1 - y0) * (w - left - right);
    let py = |v: f64| {
        let v = if v.is_finite() { v.clamp(lo, hi) } else { lo };
        top + ((hi - v) / (hi - lo)).clamp(0.0, 1.0) * (h - top - bottom)
    };

    // Grid and y ticks.
    s.push_str(r#"<g class="axis" aria-hidden="true">"#);
    for v in axis.ticks() {
        let y = py(v);
        let _ = write!(
            s,
            r#"<line x1="{left}" x2="{}" y1="{y:.1}" y2="{y:.1}" class="grid"/><text x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
            w - right,
            left - 8.0,
            y + 4.0,
            esc(&tick_label(v, step))
        );
    }
    let _ = write!(
        s,
        r#"<text x="{}" y="{}" text-anchor="start" class="unit">{}</text>"#,
        8,
        top - 22.0,
        esc(c.unit)
    );
    // x ticks: every year that has a point.
    let mut years: Vec<FiscalYear> = all.iter().map(|p| p.year).collect();
    years.sort();
    years.dedup();
    let shown = year_labels(&years, c.lang, &px);
    for (i, y) in years.iter().enumerate() {
        let x = px(*y);
        let (l1, l2) = if shown[i] {
            year_lines(*y, c.lang)
        } else {
            Default::default()
        };
        let _ = write!(
            s,
            r#"<line x1="{x:.1}" x2="{x:.1}" y1="{}" y2="{}" class="tick"/><text x="{x:.1}" y="{}" text-anchor="middle">{}</text><text x="{x:.1}" y="{}" text-anchor="middle">{}</text>"#,
            h - bottom,
            h - bottom + 5.0,
            h - bottom + 20.0,
            esc(&l1),
            h - bottom + 35.0,
            esc(&l2)
        );
    }
    if broken {
        // The axis does not start at zero: a zigzag across its foot says so.
        let (x, y) = (left, h - bottom);
        let _ = write!(
            s,
            r#"<path class="axis-break" d="M{:.1} {:.1} l6 -4 l-12 -6 l12 -6 l-6 -4"/>"#,
            x,
            y - 4.0
        );
    }
    let _ = write!(
        s,
        r#"<line x1="{left}" x2="{}" y1="{}" y2="{}" class="baseline-axis"/><text x="{}" y="{}" text-anchor="end" class="axis-title">{}</text></g>"#,
        w - right,
        h - bottom,
        h - bottom,
        w - right,
        h - 6.0,
        esc(c.words[3])
    );

    // The path to the target: dashed, from the baseline; or, for a target
    // of every year, flat over its years.
    if let (Some(f), Some(t)) = (&from, c.target) {
        let _ = write!(
            s,
            r#"<line class="target-path target-each-year" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/>"#,
            px(f.year),
            py(t.value),
            px(t.year),
            py(t.value)
        );
    } else if let (Some(b), Some(t)) = (c.baseline, c.target) {
        let _ = write!(
            s,
            r#"<line class="target-path" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/>"#,
            px(b.year),
            py(b.value),
            px(t.year),
            py(t.value)
        );
    }
    // Actuals: solid line through circles, starting at the baseline.
    let mut line: Vec<&Point> = c.baseline.into_iter().collect();
    line.extend(c.actuals.iter().filter(|p| !p.interim));
    if line.len() > 1 {
        let pts: Vec<String> = line
            .iter()
            .map(|p| format!("{:.1},{:.1}", px(p.year), py(p.value)))
            .collect();
        let _ = write!(
            s,
            r#"<polyline class="actual-line" points="{}"/>"#,
            pts.join(" ")
        );
    }
    // Value labels go above their point, or below it where that would
    // cover another label, or higher above it, and are left out where none
    // fits (the description and the table under the chart give every
    // value). The target's first, then the baseline's, then the latest
    // actuals'.
    let mut placed: Vec<[f64; 4]> = Vec::new();
    let floor = h - bottom - 4.0;
    let mut place = |x: f64, y: f64, anchor: &str, text: &str| -> Option<f64> {
        let width = label_width(text);
        let (x0, x1) = match anchor {
            "start" => (x, x + width),
            "end" => (x - width, x),
            _ => (x - width / 2.0, x + width / 2.0),
        };
        [y - 10.0, y + 24.0, y - 28.0].into_iter().find(|&ty| {
            let b = [x0 - 2.0, x1 + 2.0, ty - 14.0, ty + 3.0];
            let free = ty <= floor
                && ty >= 16.0
                && placed
                    .iter()
                    .all(|p| b[1] <= p[0] || b[0] >= p[1] || b[3] <= p[2] || b[2] >= p[3]);
            if free {
                placed.push(b);
            }
            free
        })
    };
    let mut labels: Vec<(f64, f64, &str, &str, &str)> = Vec::new();
    if let Some(t) = c.target {
        labels.push((
            px(t.year) - 10.0,
            py(t.value),
            "end",
            &t.label,
            "value target-label",
        ));
    }
    if let Some(b) = c.baseline {
        labels.push((px(b.year), py(b.value), "start", &b.label, "value"));
    }
    for p in c.actuals.iter().rev() {
        labels.push((px(p.year), py(p.value), "middle", &p.label, "value"));
    }
    let mut texts = String::new();
    for (x, y, anchor, text, class) in labels {
        if let Some(ty) = place(x, y, anchor, text) {
            let _ = write!(
                texts,
                r#"<text class="{class}" x="{x:.1}" y="{ty:.1}" text-anchor="{anchor}">{}</text>"#,
                esc(text)
            );
        }
    }
    for p in c.actuals {
        let (x, y) = (px(p.year), py(p.value));
        let class = if p.interim {
            "actual interim"
        } else {
            "actual"
        };
        let _ = write!(
            s,
            r#"<circle class="{class}" cx="{x:.1}" cy="{y:.1}" r="5"/>"#
        );
    }
    if let Some(b) = c.baseline {
        let (x, y) = (px(b.year), py(b.value));
        let _ = write!(
            s,
            r#"<rect class="baseline" x="{:.1}" y="{:.1}" width="10" height="10"/>"#,
            x - 5.0,
            y - 5.0,
        );
    }
    if let Some(t) = c.target {
        let (x, y) = (px(t.year), py(t.value));
        let _ = write!(
            s,
            r#"<path class="target" d="M{x:.1} {:.1} L{:.1} {y:.1} L{x:.1} {:.1} L{:.1} {y:.1} Z"/>"#,
            y - 8.0,
            x + 8.0,
            y + 8.0,
            x - 8.0,
        );
    }
    s.push_str(&texts);
    // Legend: shape + line style + words, for what the chart draws.
    s.push_str(r#"<g class="legend" aria-hidden="true">"#);
    if c.actuals.iter().any(|p| !p.interim) {
        let _ = write!(
            s,
            r#"<circle class="actual" cx="{}" cy="16" r="5"/><text x="{}" y="20">{}</text>"#,
            w - 330.0,
            w - 320.0,
            esc(c.words[0]),
        );
    }
    if c.baseline.is_some() {
        let _ = write!(
            s,
            r#"<rect class="baseline" x="{}" y="11" width="10" height="10"/><text x="{}" y="20">{}</text>"#,
            w - 225.0,
            w - 212.0,
            esc(c.words[1]),
        );
    }
    if c.target.is_some() {
        let _ = write!(
            s,
            r#"<path class="target" d="M{} 8 L{} 16 L{} 24 L{} 16 Z"/><text x="{}" y="20">{}</text>"#,
            w - 112.0,
            w - 104.0,
            w - 112.0,
            w - 120.0,
            w - 99.0,
            esc(c.words[2])
        );
    }
    s.push_str("</g>");
    if c.actuals.iter().any(|p| p.interim) {
        let _ = write!(
            s,
            r#"<g class="legend" aria-hidden="true"><circle class="actual interim" cx="{}" cy="40" r="5"/><text x="{}" y="44">{}</text></g>"#,
            w - 108.0,
            w - 99.0,
            esc(c.words[4])
        );
    }
    s.push_str("</svg>");
    s
}

/// A small trend line for lists; decorative (the row states the values).
pub fn sparkline(points: &[(FiscalYear, f64)], target: Option<(FiscalYear, f64)>) -> String {
    let mut all: Vec<(FiscalYear, f64)> = points.to_vec();
    all.extend(target);
    if points.len() < 2 {
        return String::new();
    }
    let (w, h, pad) = (96.0, 28.0, 3.0);
    let y0 = all.iter().map(|p| p.0 .0).min().unwrap_or(0);
    let y1 = all.iter().map(|p| p.0 .0).max().unwrap_or(y0).max(y0 + 1);
    // Clamped like the chart's axis, so that the span stays finite.
    let value = |v: f64| {
        if v.is_finite() {
            v.clamp(-LIMIT, LIMIT)
        } else {
            0.0
        }
    };
    let lo = all.iter().map(|p| value(p.1)).fold(f64::MAX, f64::min);
    let hi = all.iter().map(|p| value(p.1)).fold(f64::MIN, f64::max);
    let span = if hi - lo <= hi.abs().max(lo.abs()) * 1e-12 {
        1.0
    } else {
        hi - lo
    };
    let px = |y: FiscalYear| pad + f64::from(y.0 - y0) / f64::from(y1 - y0) * (w - 2.0 * pad);
    let py = |v: f64| pad + ((hi - value(v)) / span).clamp(0.0, 1.0) * (h - 2.0 * pad);
    let pts: Vec<String> = points
        .iter()
        .map(|(y, v)| format!("{:.1},{:.1}", px(*y), py(*v)))
        .collect();
    let mut s = format!(
        r#"<svg class="spark" viewBox="0 0 {w} {h}" width="{w}" height="{h}" aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg"><polyline points="{}"/>"#,
        pts.join(" ")
    );
    if let Some((y, v)) = target {
        let _ = write!(
            s,
            r#"<path class="target" d="M{:.1} {:.1} l4 4 l-4 4 l-4 -4 Z"/>"#,
            px(y),
            py(v) - 4.0
        );
    }
    if let Some((y, v)) = points.last() {
        let _ = write!(
            s,
            r#"<circle cx="{:.1}" cy="{:.1}" r="2.5"/>"#,
            px(*y),
            py(*v)
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pt(y: u16, v: f64) -> Point {
        Point {
            year: FiscalYear(y),
            value: v,
            label: format_number(v, 0),
            interim: false,
        }
    }

    #[test]
    fn chart_is_an_accessible_image_with_every_point() {
        let actuals = [pt(2014, 60359.0), pt(2018, 293478.0), pt(2020, 202850.0)];
        let svg = chart(&ChartInput {
            id: "c1",
            title: "英語版ホームページのアクセス件数",
            desc: "目標 400,000件",
            unit: "件",
            lang: Lang::Ja,
            actuals: &actuals,
            baseline: Some(&pt(2010, 34677.0)),
            target: Some(&pt(2022, 400000.0)),
            each_year_from: None,
            words: ["実績", "基準", "目標", "年度", "速報値"],
        });
        assert!(svg.starts_with("<svg class=\"chart\""));
        assert!(svg.contains(r#"role="img""#) && svg.contains("<title id=\"c1-title\">"));
        assert!(
            svg.contains("<svg class=\"chart chart-narrow\"")
                && svg.contains("<title id=\"c1-n-title\">")
        );
        // 3 points + legend, in each of the two drawings.
        assert_eq!(svg.matches("<circle class=\"actual\"").count(), 8);
        assert!(svg.contains("202,850") && svg.contains("400,000") && svg.contains("平成22"));
    }

    #[test]
    fn a_target_of_every_year_is_flat_and_interim_values_are_hollow() {
        let mut interim = pt(2023, 21.0);
        interim.interim = true;
        let actuals = [pt(2022, 16.0), interim];
        let svg = draw(
            &ChartInput {
                id: "c",
                title: "t",
                desc: "d",
                unit: "件",
                lang: Lang::Ja,
                actuals: &actuals,
                baseline: Some(&pt(2021, 3.0)),
                target: Some(&pt(2024, 15.0)),
                each_year_from: Some(FiscalYear(2022)),
                words: ["実績", "基準", "目標", "年度", "速報値"],
            },
            &WIDE,
        );
        // One flat line (same y at both ends) from FY2022, no ramp from the baseline.
        let line = between(&svg, "<line class=\"target-path target-each-year\"", "/>");
        let y = |k: &str| between(line, &format!("{k}=\""), "\"").to_string();
        assert_eq!(y("y1"), y("y2"), "{line}");
        assert!(!svg.contains("<line class=\"target-path\""), "no ramp");
        // The interim value: hollow, off the line, in the legend.
        assert_eq!(svg.matches("<circle class=\"actual interim\"").count(), 2);
        assert_eq!(between(&svg, "points=\"", "\"").split(' ').count(), 2);
        assert!(svg.contains(">速報値</text>"));
    }

    fn between<'a>(s: &'a str, start: &str, end: &str) -> &'a str {
        let rest = &s[s.find(start).expect(start) + start.len()..];
        &rest[..rest.find(end).expect(end)]
    }

    /// Every finite series gives a bounded, finite axis that covers it, and
    /// a chart with no `NaN` or `inf` in it. (Before, equal large values —
    /// a single baseline of ▲5,000千円 — made the tick loop endless.)
    fn axis_holds(values: &[f64]) {
        Axis::over(values.iter().copied()).assert_covers(values);
        let (fitted, broken) = Axis::fitted(values.iter().copied());
        if broken {
            let finite = values.iter().filter(|v| v.is_finite());
            assert!(fitted.lo > 0.0 && fitted.step > 0.0, "{fitted:?}");
            assert!(
                finite.clone().all(|&v| fitted.lo <= v && v <= fitted.hi()),
                "{fitted:?}"
            );
        } else {
            fitted.assert_covers(values);
        }
        let points: Vec<Point> = values
            .iter()
            .enumerate()
            .map(|(i, v)| Point {
                year: FiscalYear(2010 + i as u16),
                value: *v,
                label: format_number(*v, 0),
                interim: false,
            })
            .collect();
        let (first, rest) = points.split_first().expect("a value");
        let svg = chart(&ChartInput {
            id: "c",
            title: "t",
            desc: "d",
            unit: "円",
            lang: Lang::Ja,
            actuals: rest,
            baseline: Some(first),
            target: None,
            each_year_from: None,
            words: ["実績", "基準", "目標", "年度", "速報値"],
        });
        let coordinates = svg.replace("inf", "").replace("NaN", "");
        assert_eq!(
            svg.len(),
            coordinates.len(),
            "non-finite coordinate in {svg}"
        );
        let spark: Vec<(FiscalYear, f64)> = points.iter().map(|p| (p.year, p.value)).collect();
        let spark = sparkline(&spark, None);
        assert!(!spark.contains("NaN") && !spark.contains("inf"), "{spark}");
    }

    #[test]
    fn a_line_chart_leaves_out_zero_only_for_close_values_far_from_it() {
        // 市税収納率: 98.9% twice against 99.0%.
        let (axis, broken) = Axis::fitted([98.9, 98.9, 99.0].into_iter());
        assert!(broken && axis.lo > 90.0 && axis.lo < 98.9, "{axis:?}");
        assert!(axis.hi() >= 99.0, "{axis:?}");
        let labels: Vec<String> = axis.ticks().map(|v| tick_label(v, axis.step)).collect();
        let mut unique = labels.clone();
        unique.dedup();
        assert_eq!(labels, unique, "no two ticks read alike");
        // Counts that differ by a sixth, one value, or values around zero: from zero.
        for values in [
            vec![10.0, 12.0],
            vec![98.9],
            vec![-1.0, 1.0],
            vec![0.0, 0.5],
        ] {
            let (axis, broken) = Axis::fitted(values.iter().copied());
            assert!(!broken && axis.lo <= 0.0, "{values:?} {axis:?}");
        }
        assert_eq!(tick_label(98.925, 0.025), "98.925");
        assert_eq!(tick_label(7.5, 2.5), "7.5");
    }

    #[test]
    fn axis_for_equal_huge_tiny_and_mixed_values() {
        for values in [
            vec![-5_000_000.0],
            vec![-5_000_000.0, -5_000_000.0],
            vec![0.0],
            vec![0.0, 0.0, 0.0],
            vec![1e308, 1e308],
            vec![-1e308],
            vec![f64::MAX, f64::MIN],
            vec![f64::MIN_POSITIVE, 5e-324],
            vec![-5e-324],
            vec![1e15, 1e15 + 1.0],
            vec![-1e20, 3.0],
            vec![123_456_789.123, 123_456_789.124],
            // Found by the `axis` fuzz target: a tiny value of the other
            // sign beside a huge one fell outside the axis.
            vec![2.503208099109647e-308, -1.3010858856420876e163],
            vec![1.5331723464683674e92, -1.3024919850285172e163],
            vec![7.067306137772529e274, -6.614675556120317e-167],
            vec![2.5846113582210727e185, -1.4860397380586446e-267],
        ] {
            axis_holds(&values);
        }
    }

    fn any_finite() -> impl proptest::strategy::Strategy<Value = f64> {
        use proptest::prelude::*;
        prop_oneof![
            proptest::num::f64::NORMAL | proptest::num::f64::SUBNORMAL | proptest::num::f64::ZERO,
            -1e7f64..1e7,
            (-20i32..20).prop_map(|e| 10f64.powi(e)),
            Just(-5_000_000.0),
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn axis_terminates_and_covers_every_finite_series(
            values in proptest::collection::vec(any_finite(), 1..8),
            repeat in 1usize..4,
        ) {
            // Repeated series exercise equal values.
            let values: Vec<f64> = values.iter().cycle().take(values.len() * repeat).copied().collect();
            axis_holds(&values);
        }
    }
}
