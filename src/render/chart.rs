//! SVG charts drawn at build time: an indicator's actual values, baseline
//! and target on labelled axes, and a small inline trend for index rows.
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
    /// Legend words: actual, baseline, target, fiscal year.
    pub words: [&'a str; 4],
}

// A narrow drawing with large type, so that it stays legible when a phone
// scales it down to about 330 px.
const W: f64 = 520.0;
const H: f64 = 340.0;
const LEFT: f64 = 84.0;
const RIGHT: f64 = 30.0;
const TOP: f64 = 56.0;
const BOTTOM: f64 = 66.0;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn tick_label(v: f64, step: f64) -> String {
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10().floor()) as usize
    };
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

/// The full chart.
pub fn chart(c: &ChartInput) -> String {
    let mut all: Vec<&Point> = c.actuals.iter().collect();
    all.extend(c.baseline);
    all.extend(c.target);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        esc(c.title),
        esc(c.desc),
        id = c.id
    );
    if all.is_empty() {
        s.push_str("</svg>");
        return s;
    }
    let y0 = all.iter().map(|p| p.year.0).min().unwrap_or(2000);
    let y1 = all.iter().map(|p| p.year.0).max().unwrap_or(y0).max(y0 + 1);
    let axis = Axis::over(all.iter().map(|p| p.value));
    let (lo, hi, step) = (axis.lo, axis.hi(), axis.step);
    let px = |y: FiscalYear| LEFT + (f64::from(y.0 - y0)) / f64::from(y1 - y0) * (W - LEFT - RIGHT);
    let py = |v: f64| {
        let v = if v.is_finite() { v.clamp(lo, hi) } else { lo };
        TOP + ((hi - v) / (hi - lo)).clamp(0.0, 1.0) * (H - TOP - BOTTOM)
    };

    // Grid and y ticks.
    s.push_str(r#"<g class="axis" aria-hidden="true">"#);
    for v in axis.ticks() {
        let y = py(v);
        let _ = write!(
            s,
            r#"<line x1="{LEFT}" x2="{}" y1="{y:.1}" y2="{y:.1}" class="grid"/><text x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
            W - RIGHT,
            LEFT - 8.0,
            y + 4.0,
            esc(&tick_label(v, step))
        );
    }
    let _ = write!(
        s,
        r#"<text x="{}" y="{}" text-anchor="start" class="unit">{}</text>"#,
        8,
        TOP - 22.0,
        esc(c.unit)
    );
    // x ticks: every year that has a point.
    let mut years: Vec<FiscalYear> = all.iter().map(|p| p.year).collect();
    years.sort();
    years.dedup();
    for y in &years {
        let x = px(*y);
        let (l1, l2) = year_lines(*y, c.lang);
        let _ = write!(
            s,
            r#"<line x1="{x:.1}" x2="{x:.1}" y1="{}" y2="{}" class="tick"/><text x="{x:.1}" y="{}" text-anchor="middle">{}</text><text x="{x:.1}" y="{}" text-anchor="middle">{}</text>"#,
            H - BOTTOM,
            H - BOTTOM + 5.0,
            H - BOTTOM + 20.0,
            esc(&l1),
            H - BOTTOM + 35.0,
            esc(&l2)
        );
    }
    let _ = write!(
        s,
        r#"<line x1="{LEFT}" x2="{}" y1="{}" y2="{}" class="baseline-axis"/><text x="{}" y="{}" text-anchor="end" class="axis-title">{}</text></g>"#,
        W - RIGHT,
        H - BOTTOM,
        H - BOTTOM,
        W - RIGHT,
        H - 6.0,
        esc(c.words[3])
    );

    // The path to the target: dashed, from the baseline.
    if let (Some(b), Some(t)) = (c.baseline, c.target) {
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
    line.extend(c.actuals.iter());
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
    for p in c.actuals {
        let (x, y) = (px(p.year), py(p.value));
        let _ = write!(
            s,
            r#"<circle class="actual" cx="{x:.1}" cy="{y:.1}" r="5"/><text class="value" x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            y - 10.0,
            esc(&p.label)
        );
    }
    if let Some(b) = c.baseline {
        let (x, y) = (px(b.year), py(b.value));
        let _ = write!(
            s,
            r#"<rect class="baseline" x="{:.1}" y="{:.1}" width="10" height="10"/><text class="value" x="{x:.1}" y="{:.1}" text-anchor="start">{}</text>"#,
            x - 5.0,
            y - 5.0,
            y - 10.0,
            esc(&b.label)
        );
    }
    if let Some(t) = c.target {
        let (x, y) = (px(t.year), py(t.value));
        let _ = write!(
            s,
            r#"<path class="target" d="M{x:.1} {:.1} L{:.1} {y:.1} L{x:.1} {:.1} L{:.1} {y:.1} Z"/><text class="value target-label" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            y - 8.0,
            x + 8.0,
            y + 8.0,
            x - 8.0,
            x - 10.0,
            y - 10.0,
            esc(&t.label)
        );
    }
    // Legend: shape + line style + words.
    let _ = write!(
        s,
        r#"<g class="legend" aria-hidden="true"><circle class="actual" cx="{}" cy="16" r="5"/><text x="{}" y="20">{}</text><rect class="baseline" x="{}" y="11" width="10" height="10"/><text x="{}" y="20">{}</text><path class="target" d="M{} 8 L{} 16 L{} 24 L{} 16 Z"/><text x="{}" y="20">{}</text></g></svg>"#,
        W - 330.0,
        W - 320.0,
        esc(c.words[0]),
        W - 225.0,
        W - 212.0,
        esc(c.words[1]),
        W - 112.0,
        W - 104.0,
        W - 112.0,
        W - 120.0,
        W - 99.0,
        esc(c.words[2])
    );
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
            words: ["実績", "基準", "目標", "年度"],
        });
        assert!(svg.starts_with("<svg class=\"chart\""));
        assert!(svg.contains(r#"role="img""#) && svg.contains("<title id=\"c1-title\">"));
        assert_eq!(svg.matches("<circle class=\"actual\"").count(), 4); // 3 points + legend
        assert!(svg.contains("202,850") && svg.contains("400,000") && svg.contains("平成22"));
    }

    /// Every finite series gives a bounded, finite axis that covers it, and
    /// a chart with no `NaN` or `inf` in it. (Before, equal large values —
    /// a single baseline of ▲5,000千円 — made the tick loop endless.)
    fn axis_holds(values: &[f64]) {
        Axis::over(values.iter().copied()).assert_covers(values);
        let points: Vec<Point> = values
            .iter()
            .enumerate()
            .map(|(i, v)| Point {
                year: FiscalYear(2010 + i as u16),
                value: *v,
                label: format_number(*v, 0),
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
            words: ["実績", "基準", "目標", "年度"],
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
