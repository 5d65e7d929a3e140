//! `_plan.md`: a plan's period, hierarchy levels and status scales, checked
//! for consistency (scale keys, symbols, derivation rules) before any
//! initiative is read against them.

use super::config::{check_slug, label, parse_year};
use super::raw::{RawPlan, RawScale};
use super::source::SourceFile;
use crate::diagnostics::{did_you_mean, Diagnostics};
use crate::model::{
    AcrossYears, AppliesTo, Derive, FiscalYear, IndicatorSettings, Municipality, Plan, Rollup,
    Scale, ScaleValue, SourceRef, Text, Tone, Translation,
};
use unicode_normalization::UnicodeNormalization;

/// Validates a plan file; `None` when it cannot anchor its initiatives.
pub fn plan_from(
    file: &SourceFile,
    raw: RawPlan,
    municipalities: &[Municipality],
    diags: &mut Diagnostics,
) -> Option<Plan> {
    let mut ok_id = check_slug(&file.path, &file.text, &file.whole(&raw.id), diags);
    // A plan's pages live at /<id>/, beside the site's own folders: a plan
    // called `en` would overwrite the English home page, `departments` the
    // department index (found by the integration tests).
    if ok_id && RESERVED_PLAN_IDS.contains(&raw.id.get_ref().as_str()) {
        diags.error(
            &file.at(&raw.id),
            format!(
                "plan id `{}` is the name of a folder of the site itself",
                raw.id.get_ref()
            ),
            Some(format!(
                "choose another id; {} are reserved",
                RESERVED_PLAN_IDS.join(", ")
            )),
        );
        ok_id = false;
    }
    let municipality = super::config::municipality(
        municipalities,
        &raw.municipality,
        &file.at(&raw.municipality),
        diags,
    );
    let first = parse_year(
        raw.period.first.get_ref(),
        &file.at(&raw.period.first),
        diags,
    );
    let last = parse_year(raw.period.last.get_ref(), &file.at(&raw.period.last), diags);
    let reporting = parse_year(
        raw.reporting_year.get_ref(),
        &file.at(&raw.reporting_year),
        diags,
    );
    let (first, last, reporting) = (first?, last?, reporting?);
    if first > last {
        diags.error(
            &file.at(&raw.period.first),
            format!(
                "the plan period starts ({}) after it ends ({})",
                first.en(),
                last.en()
            ),
            None,
        );
        return None;
    }
    if reporting < first || reporting > last {
        diags.error(
            &file.at(&raw.reporting_year),
            format!(
                "reporting year {} is outside the plan period {}–{}",
                reporting.en(),
                first.en(),
                last.en()
            ),
            Some("the reporting year is the fiscal year the report covers".into()),
        );
    }
    if let Some(p) = &raw.published {
        if !valid_date(p.get_ref()) {
            diags.error(
                &file.at(p),
                format!("published `{}` is not a date", p.get_ref()),
                Some("write YYYY-MM or YYYY-MM-DD, e.g. published = \"2024-09\"".into()),
            );
        }
    }
    if raw.levels.get_ref().is_empty() {
        diags.error(
            &file.at(&raw.levels),
            "a plan needs at least one level",
            Some(
                "levels = [{ ja = \"事業\", en = \"Project\" }] for a flat list of initiatives"
                    .into(),
            ),
        );
        return None;
    }
    let levels: Vec<_> = raw.levels.into_inner().into_iter().map(label).collect();
    let scales = scales_from(file, raw.scales, levels.len(), diags);
    let indicator_settings = indicator_settings(file, raw.indicators.as_ref(), first, last, diags);
    let source = raw.source.map_or_else(SourceRef::default, |s| SourceRef {
        title: s.title,
        url: s
            .url
            .and_then(|u| super::config::checked_url(&u, &file.at(&u), diags)),
        publisher: s.publisher,
    });
    if !ok_id {
        return None;
    }
    Some(Plan {
        id: raw.id.into_inner(),
        municipality: municipality?,
        title: Text::ja(super::checks::required_text(
            file, raw.title, "title", diags,
        )),
        short_title: raw.short_title.map(Text::ja),
        first_year: first,
        last_year: last,
        reporting_year: reporting,
        published: raw.published.map(toml::Spanned::into_inner),
        source,
        levels,
        scales,
        body: Text::ja(file.body()),
        sections: Vec::new(),
        initiatives: Vec::new(),
        indicators: Vec::new(),
        indicator_settings,
        path: file.path.clone(),
        translation: Translation {
            coverage: crate::model::Coverage::None,
            file: None,
            version: String::new(),
        },
        archived: false,
    })
}

/// `[indicators]`: the years indicator data may cover and the on-track threshold.
fn indicator_settings(
    file: &SourceFile,
    raw: Option<&super::raw::RawIndicatorSettings>,
    first: FiscalYear,
    last: FiscalYear,
    diags: &mut Diagnostics,
) -> IndicatorSettings {
    let mut s = IndicatorSettings {
        data_from: first,
        on_track: 0.8,
    };
    let Some(raw) = raw else { return s };
    if let Some(y) = &raw.data_from {
        if let Some(fy) = parse_year(y.get_ref(), &file.at(y), diags) {
            if fy > last {
                diags.error(
                    &file.at(y),
                    format!(
                        "data_from {} is after the plan ends ({})",
                        fy.en(),
                        last.en()
                    ),
                    None,
                );
            } else {
                s.data_from = fy.min(first);
            }
        }
    }
    if let Some(t) = &raw.on_track {
        let v = *t.get_ref();
        if v > 0.0 && v <= 1.0 {
            s.on_track = v;
        } else {
            diags.error(
                &file.at(t),
                format!("on_track = {v} is not a share between 0 and 1"),
                Some(
                    "0.8 means: on track when at least 80% of the progress expected by now is made"
                        .into(),
                ),
            );
        }
    }
    s
}

/// The key of the listing page of items nobody has rated in a year.
const UNREPORTED: &str = "unreported";

/// Top-level folders of the built site that are not plans.
// The site-wide page folders at the root.
const RESERVED_PLAN_IDS: &[&str] = &["en", "departments", "assets", "data", "search"];

fn valid_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize, max: u32| {
        p.len() == len && p.parse::<u32>().is_ok_and(|n| n >= 1 && n <= max)
    };
    match parts.as_slice() {
        [y, m] => num(y, 4, 9999) && num(m, 2, 12),
        [y, m, d] => num(y, 4, 9999) && num(m, 2, 12) && num(d, 2, 31),
        _ => false,
    }
}

fn scales_from(
    file: &SourceFile,
    raw: Vec<RawScale>,
    levels: usize,
    diags: &mut Diagnostics,
) -> Vec<Scale> {
    let keys: Vec<String> = raw.iter().map(|s| s.key.get_ref().clone()).collect();
    let mut scales: Vec<Scale> = Vec::new();
    let mut pending_derive = Vec::new();
    for (i, s) in raw.into_iter().enumerate() {
        if keys[..i].contains(s.key.get_ref()) {
            diags.error(
                &file.at(&s.key),
                format!("scale `{}` is defined twice", s.key.get_ref()),
                None,
            );
            continue;
        }
        // Scale and value keys name the status listing pages
        // (/<plan>/status/<scale>/<value>/<year>/): a key such as `../x`
        // would write outside the output folder (found by the tests).
        check_slug(&file.path, &file.text, &file.whole(&s.key), diags);
        let applies_to = match s.applies_to.get_ref().as_str() {
            "schedule" => AppliesTo::Schedule,
            "initiative" => AppliesTo::Initiative,
            "section" => AppliesTo::Section,
            other => {
                diags.error(
                    &file.at(&s.applies_to),
                    format!("applies_to `{other}` is not known"),
                    Some("use \"schedule\", \"initiative\" or \"section\"".into()),
                );
                continue;
            }
        };
        let level = match (applies_to, &s.level) {
            (AppliesTo::Section, Some(l))
                if *l.get_ref() >= 1 && (*l.get_ref() as usize) < levels =>
            {
                Some(*l.get_ref() as usize)
            }
            (AppliesTo::Section, l) => {
                let at = l
                    .as_ref()
                    .map_or_else(|| file.at(&s.applies_to), |l| file.at(l));
                diags.error(
                    &at,
                    "a scale that applies to sections needs the level it rates",
                    Some(format!(
                        "set level = 1 … {} (1 is the top level of `levels`)",
                        levels.saturating_sub(1)
                    )),
                );
                continue;
            }
            (_, _) => None,
        };
        let clash = scales
            .iter()
            .any(|o| o.applies_to == applies_to && o.level == level);
        if clash && applies_to != AppliesTo::Section {
            diags.error(
                &file.at(&s.applies_to),
                format!(
                    "two scales apply to the same thing ({})",
                    s.applies_to.get_ref()
                ),
                None,
            );
            continue;
        }
        let rollup = match s.rollup.as_ref().map(|r| r.get_ref().as_str()) {
            None | Some("least_advanced") => Rollup::LeastAdvanced,
            Some("most_advanced") => Rollup::MostAdvanced,
            Some(other) => {
                diags.error(
                    &file.at(s.rollup.as_ref().unwrap_or(&s.key)),
                    format!("rollup `{other}` is not known"),
                    Some("use \"least_advanced\" or \"most_advanced\"".into()),
                );
                Rollup::LeastAdvanced
            }
        };
        let across_years = match s.across_years.as_ref() {
            None => AcrossYears::PerYear,
            Some(a) => match AcrossYears::ALL.iter().find(|(k, _)| k == a.get_ref()) {
                Some((_, kind)) => *kind,
                None => {
                    diags.error(
                        &file.at(a),
                        format!("across_years `{}` is not known", a.get_ref()),
                        Some(
                            "use \"per_year\" (each year rated against that year's own plan) or \
                             \"progression\" (one piece of work moving along the order)"
                                .into(),
                        ),
                    );
                    AcrossYears::PerYear
                }
            },
        };
        let values = values_from(file, &s, diags);
        if let Some(d) = s.derive {
            pending_derive.push((scales.len(), d));
        }
        scales.push(Scale {
            key: s.key.into_inner(),
            name: label(s.name),
            applies_to,
            level,
            rollup,
            across_years,
            values,
            derive: None,
        });
    }
    for (idx, d) in pending_derive {
        let Some(from) = scales.iter().position(|s| s.key == *d.from.get_ref()) else {
            diags.error(
                &file.at(&d.from),
                format!(
                    "derive.from `{}` is not a scale of this plan",
                    d.from.get_ref()
                ),
                None,
            );
            continue;
        };
        // checks::derived_ratings only compares section ratings with the
        // ratings of initiatives; any other rule was silently never checked.
        if scales[idx].applies_to != AppliesTo::Section
            || scales[from].applies_to != AppliesTo::Initiative
        {
            diags.warning(
                &file.at(&d.from),
                "this rule is never checked: only ratings of sections are compared with the ratings of their initiatives",
                Some("put derive on a scale with applies_to = \"section\", with from = the scale that applies to initiatives".into()),
            );
        }
        let vars: Vec<String> = scales[from].values.iter().map(|v| v.key.clone()).collect();
        let mut rules = Vec::new();
        for r in d.rules {
            let Some(v) = scales[idx]
                .values
                .iter()
                .position(|v| v.key == *r.value.get_ref())
            else {
                diags.error(
                    &file.at(&r.value),
                    format!("`{}` is not a value of this scale", r.value.get_ref()),
                    None,
                );
                continue;
            };
            let zero: Vec<(String, i64)> = vars.iter().map(|k| (k.clone(), 0)).collect();
            if let Err(e) = super::checks::eval_rule(r.when.get_ref(), &zero) {
                diags.error(
                    &file.at(&r.when),
                    format!(
                        "the rule `{}` cannot be read: {e}",
                        crate::diagnostics::shorten(r.when.get_ref(), 60)
                    ),
                    Some(format!(
                        "write a condition over the counts {} with + > < == && ||",
                        vars.join(", ")
                    )),
                );
                continue;
            }
            rules.push((v, r.when.into_inner()));
        }
        scales[idx].derive = Some(Derive { from, rules });
    }
    scales
}

fn values_from(file: &SourceFile, s: &RawScale, diags: &mut Diagnostics) -> Vec<ScaleValue> {
    let mut values: Vec<ScaleValue> = Vec::new();
    if s.values.is_empty() {
        diags.error(
            &file.at(&s.key),
            format!("scale `{}` has no values", s.key.get_ref()),
            None,
        );
    }
    for v in &s.values {
        if check_slug(&file.path, &file.text, &file.whole(&v.key), diags)
            && v.key.get_ref() == UNREPORTED
        {
            diags.error(
                &file.at(&v.key),
                format!("`{UNREPORTED}` can not be the key of a value"),
                Some(format!(
                    "`{UNREPORTED}` names the listing of items with no status; choose another key"
                )),
            );
        }
        let tone = Tone::ALL
            .iter()
            .find(|(n, _)| n == v.tone.get_ref())
            .map(|(_, t)| *t);
        let Some(tone) = tone else {
            let names: Vec<&str> = Tone::ALL.iter().map(|(n, _)| *n).collect();
            diags.error(
                &file.at(&v.tone),
                format!("tone `{}` is not known", v.tone.get_ref()),
                Some(format!("use one of {}", names.join(", "))),
            );
            continue;
        };
        let taken = values.iter().any(|o| {
            o.key == *v.key.get_ref()
                || v.symbols
                    .iter()
                    .any(|sym| o.symbols.iter().any(|x| norm(x) == norm(sym)))
        });
        if taken {
            diags.error(
                &file.at(&v.key),
                format!(
                    "value `{}` repeats the key or a symbol of another value",
                    v.key.get_ref()
                ),
                Some("every key and symbol must name one value only".into()),
            );
            continue;
        }
        values.push(ScaleValue {
            key: v.key.get_ref().clone(),
            symbols: v.symbols.clone(),
            label: crate::model::Label {
                ja: v.label.ja.clone(),
                en: v.label.en.clone(),
            },
            meaning: v.meaning.as_ref().map(|m| crate::model::Label {
                ja: m.ja.clone(),
                en: m.en.clone(),
            }),
            order: v.order,
            tone,
            once: v.once,
        });
    }
    values
}

/// How typed statuses are compared: NFKC, no surrounding space.
pub fn norm(s: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::{is_nfkc_quick, IsNormalized};
    // Most typed values are already in NFKC: no copy for them.
    if is_nfkc_quick(s.chars()) == IsNormalized::Yes {
        s.trim().into()
    } else {
        s.nfkc().collect::<String>().trim().to_string().into()
    }
}

/// The status symbol a typed character is drawn like, for a hint: a circle
/// typed as the kanji zero 〇, a large circle ◯, the letter O or 丸 is ○; a
/// cross typed as a letter x or ✕ is ×; and so on. Only shapes: a word such
/// as 済 is never mapped to a symbol (its meaning could be any value).
fn look_alike(typed: &str) -> Option<&'static str> {
    const SHAPES: [(&str, &[&str]); 4] = [
        ("○", &["〇", "◯", "o", "丸", "⚪", "⭕", "ｏ"]),
        ("◎", &["◉", "⊚", "⦾", "二重丸", "二重まる"]),
        ("×", &["x", "✕", "✖", "☓", "╳", "バツ", "ばつ"]),
        ("△", &["∆", "δ", "▵", "⊿", "三角"]),
    ];
    let t = typed.to_lowercase();
    SHAPES
        .iter()
        .find(|(_, like)| like.contains(&t.as_str()))
        .map(|(symbol, _)| *symbol)
}

/// Finds the value staff typed (key, symbol or label), or a hint.
pub fn resolve_status(scale: &Scale, typed: &str) -> Result<usize, String> {
    let t = norm(typed);
    let found = scale.values.iter().position(|v| {
        norm(&v.key) == t || v.symbols.iter().any(|s| norm(s) == t) || norm(&v.label.ja) == t
    });
    if let Some(i) = found {
        return Ok(i);
    }
    let mut names: Vec<&str> = Vec::new();
    for v in &scale.values {
        names.push(&v.key);
        names.extend(v.symbols.iter().map(String::as_str));
        names.push(&v.label.ja);
    }
    let allowed: Vec<String> = scale
        .values
        .iter()
        .map(|v| match v.symbol() {
            Some(s) => format!("{s} ({})", v.key),
            None => v.key.clone(),
        })
        .collect();
    let look_alike = look_alike(&t).filter(|s| names.contains(s));
    Err(
        match look_alike.or_else(|| did_you_mean(&t, names.iter().copied())) {
            Some(s) => format!("did you mean `{s}`? allowed: {}", allowed.join(", ")),
            None => format!("allowed: {}", allowed.join(", ")),
        },
    )
}

/// Parses a fiscal year and checks it lies in the plan period.
pub fn year_in_plan(
    plan: &Plan,
    typed: &toml::Spanned<String>,
    file: &SourceFile,
    diags: &mut Diagnostics,
) -> Option<FiscalYear> {
    let at = file.at(typed);
    let y = parse_year(
        &super::raw::YearInput::Text(typed.get_ref().clone()),
        &at,
        diags,
    )?;
    if y < plan.first_year || y > plan.last_year {
        diags.error(
            &at,
            format!(
                "{} is outside the plan period {}–{}",
                y.en(),
                plan.first_year.en(),
                plan.last_year.en()
            ),
            Some(format!(
                "the plan runs from {} to {} (see period in {})",
                plan.first_year.ja_era(),
                plan.last_year.ja_era(),
                plan.path.display()
            )),
        );
        return None;
    }
    Some(y)
}

/// The fiscal years already used as keys of one table. `R5` and `2023` name
/// the same year; without this check the second entry silently replaced the
/// first (found by the integration tests).
#[derive(Default)]
pub struct YearKeys(std::collections::BTreeMap<FiscalYear, toml::Spanned<String>>);

impl YearKeys {
    /// [`year_in_plan`], and an error when the table already has this year.
    pub fn year(
        &mut self,
        plan: &Plan,
        typed: &toml::Spanned<String>,
        file: &SourceFile,
        diags: &mut Diagnostics,
    ) -> Option<FiscalYear> {
        let y = year_in_plan(plan, typed, file, diags)?;
        if let Some(other) = self.0.get(&y) {
            // Tables iterate in key order; report at the later one in the file.
            let (first, second) = if other.span().start < typed.span().start {
                (other, typed)
            } else {
                (typed, other)
            };
            diags.error(
                &file.at(second),
                format!(
                    "{} is given twice in this table (`{}` and `{}`)",
                    y.en(),
                    first.get_ref(),
                    second.get_ref()
                ),
                Some("keep one entry per fiscal year".into()),
            );
            return None;
        }
        self.0.insert(y, typed.clone());
        Some(y)
    }
}
