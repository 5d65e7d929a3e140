//! Entry points for the fuzz targets in `tests/fuzz` (see its `run.sh`).
//!
//! Compiled only with `--cfg fuzzing`, which cargo-fuzz passes: the stages
//! are private, and these thin wrappers drive them and assert what must hold
//! for every input. A panic here is a finding.

use crate::model::value::{format_number, Quantity, Reading, Value};
use crate::model::{FiscalYear, Lang};
use crate::render::axis::Axis;
use crate::render::chart::{self, ChartInput, Point};
use crate::render::Renderer;
use std::path::Path;
use std::sync::Mutex;

/// Reads one printed cell (`▲1,200千円`, `同左`, `326事業所 (平成21年)` …)
/// and everything computed from it.
pub fn value(text: &str) {
    let r = Reading::parse(text);
    assert_eq!(r.printed, text.trim(), "the printed text is kept");
    match &r.value {
        Value::Number(q) => quantity(q),
        Value::Compound(qs) => qs.iter().for_each(quantity),
        Value::Text(t) => assert_eq!(t, &r.printed, "words are kept whole"),
        Value::Missing | Value::SameAsLeft => {}
    }
    if let Some(y) = FiscalYear::parse(text) {
        let _ = (y.ja(), y.ja_era(), y.en());
    }
}

fn quantity(q: &Quantity) {
    let (base, _unit) = q.base();
    if !q.number.is_finite() {
        // The loader reports these (`1` followed by 400 zeros); nothing to print.
        return;
    }
    assert!(!base.is_nan(), "{q:?} → {base}");
    let printed = format_number(q.number, q.decimals);
    assert!(
        !printed.contains("inf") && !printed.contains("NaN"),
        "{q:?} → {printed}"
    );
    // What is printed reads back as the same number.
    let again = Reading::parse(&printed);
    match again.quantity() {
        Some(a) => assert!(
            a.number == q.number && a.decimals == q.decimals,
            "{q:?} printed as {printed:?} reads back as {a:?}"
        ),
        None => panic!("{q:?} printed as {printed:?} is not a number: {again:?}"),
    }
    let plain = Reading::number(q.number, &q.unit);
    assert!(plain.quantity().is_some(), "{plain:?}");
}

/// A value axis, a chart and a sparkline over `values` (baseline first,
/// one fiscal year each from FY2010), with the axis's promises checked.
pub fn axis(values: &[f64]) {
    Axis::over(values.iter().copied()).assert_covers(values);
    let (fitted, broken) = Axis::fitted(values.iter().copied());
    if broken {
        assert!(fitted.lo > 0.0, "{fitted:?}");
    } else {
        fitted.assert_covers(values);
    }
    let points: Vec<Point> = values
        .iter()
        .enumerate()
        .map(|(i, v)| Point {
            year: FiscalYear(2010 + (i % 60) as u16),
            value: *v,
            label: format_number(*v, 0),
            // Every third value interim: drawn hollow, off the line.
            interim: i % 3 == 2,
        })
        .collect();
    let Some((first, rest)) = points.split_first() else {
        return;
    };
    let (actuals, target) = match rest.split_last() {
        Some((last, actuals)) if values.len() % 2 == 0 => (actuals, Some(last)),
        _ => (rest, None),
    };
    for lang in [Lang::Ja, Lang::En] {
        let svg = chart::chart(&ChartInput {
            id: "c",
            title: "t",
            desc: "d",
            unit: "円",
            lang,
            actuals,
            baseline: Some(first),
            target,
            // With an even count, a target of every year from the first actual.
            each_year_from: actuals
                .first()
                .map(|p| p.year)
                .filter(|_| values.len() % 4 == 0),
            words: ["実績", "基準", "目標", "年度", "速報値"],
        });
        no_bad_coordinates(&svg);
    }
    let spark: Vec<(FiscalYear, f64)> = points.iter().map(|p| (p.year, p.value)).collect();
    let svg = chart::sparkline(&spark, target.map(|t| (t.year, t.value)));
    no_bad_coordinates(&svg);
}

/// No coordinate of a drawing is `NaN` or infinite. (Labels may say
/// anything: only geometry attributes are checked.)
fn no_bad_coordinates(svg: &str) {
    const GEOMETRY: &[&str] = &[
        "x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "width", "height", "points", "d",
    ];
    let mut rest = svg;
    while let Some(i) = rest.find("=\"") {
        let name_start = rest[..i]
            .rfind(|c: char| c.is_whitespace() || c == '<')
            .map_or(0, |j| j + 1);
        let name = &rest[name_start..i];
        let after = &rest[i + 2..];
        let end = after.find('"').unwrap_or(after.len());
        let value = &after[..end];
        if GEOMETRY.contains(&name) {
            assert!(
                !value.contains("NaN") && !value.contains("inf"),
                "{name}=\"{value}\" in {svg}"
            );
        }
        rest = &after[end..];
    }
}

/// Loads the content tree under `root` and, when it is valid, renders the
/// whole site in memory (no search index; nothing is written). Returns the
/// number of files rendered (0 when the content has errors). With
/// `MIERUKA_FUZZ_DEBUG` set, prints the diagnostics (for reading a finding).
pub fn load_site(root: &Path) -> usize {
    let (site, diagnostics) = crate::content::load(root);
    if std::env::var_os("MIERUKA_FUZZ_DEBUG").is_some() {
        for d in diagnostics.sorted() {
            eprintln!("{d}");
        }
        eprintln!("site loaded: {}", site.is_some());
    }
    let Some(site) = site else {
        assert!(diagnostics.has_errors(), "no site and no error");
        return 0;
    };
    assert!(!diagnostics.has_errors(), "a site with errors");
    // What `render::render` does, with the renderer (stylesheet, templates)
    // made once and its caches emptied for every site.
    static RENDERER: Mutex<Option<Renderer>> = Mutex::new(None);
    let mut renderer = RENDERER.lock().unwrap_or_else(|e| e.into_inner());
    let renderer = renderer.get_or_insert_with(|| {
        let theme = crate::render::Theme::load(root, crate::model::DEFAULT_THEME_NAME)
            .expect("the built-in theme");
        let opts = crate::render::RenderOptions {
            no_search: true,
            ..Default::default()
        };
        Renderer::new(&theme, opts).expect("the built-in theme renders")
    });
    renderer.forget();
    // Content that loads without errors renders: a failure is a bug.
    let files = renderer
        .render(&site)
        .unwrap_or_else(|e| panic!("valid content failed to render: {e:#}"))
        .files;
    for (path, bytes) in &files {
        if path.ends_with(".html") {
            let html = std::str::from_utf8(bytes).expect("pages are UTF-8");
            let mut rest = html;
            while let Some(i) = rest.find("<svg") {
                let end = rest[i..].find("</svg>").map_or(rest.len(), |j| i + j);
                no_bad_coordinates(&rest[i..end]);
                rest = &rest[end..];
            }
        }
    }
    files.len()
}
