//! Indicator files (`<plan>/indicators/*.md`) → [`Indicator`]: values read
//! as printed, years checked against the plan's data range, units of the
//! target and observations compared, `同左` resolved, references to the
//! initiatives they measure resolved.

use super::config::parse_year;
use super::failed::Failed;
use super::raw::{RawIndicator, RawIndicatorEn, RawValue, YearInput};
use super::source::SourceFile;
use super::translate;
use crate::diagnostics::{did_you_mean, Diagnostics, Location};
use crate::model::progress::{Assessed, Direction};
use crate::model::value::{
    split_multiplier, why_not_one_number, Comparator, Quantity, Reading, Value,
};
use crate::model::{
    Date, Department, FiscalYear, Indicator, Initiative, Label, Observation, Plan, Target,
    TargetValue, Text,
};
use toml::Spanned;

/// References that can only be resolved once every initiative is loaded.
pub struct PendingRefs {
    pub initiative: Option<Spanned<String>>,
    pub also: Vec<Spanned<String>>,
    pub department: Option<Spanned<String>>,
}

fn year(
    plan: &Plan,
    y: &Spanned<YearInput>,
    what: &str,
    file: &SourceFile,
    diags: &mut Diagnostics,
) -> Option<FiscalYear> {
    let at = file.at(y);
    let fy = parse_year(y.get_ref(), &at, diags)?;
    in_range(plan, fy, &at, what, diags)
}

/// How many years after a plan's last year a target may be set for.
const TARGET_YEARS_AFTER: u16 = 10;

/// A year inside the years the plan's indicators cover (for a target, up
/// to [`TARGET_YEARS_AFTER`] years after the plan's end), or an error.
fn in_range(
    plan: &Plan,
    fy: FiscalYear,
    at: &Location,
    what: &str,
    diags: &mut Diagnostics,
) -> Option<FiscalYear> {
    let from = plan.indicator_settings.data_from;
    // A target is often set for a year after the plan's end (令和7年度 for a
    // plan to 令和6年度): up to this many years after it.
    if what == "target" && fy > plan.last_year {
        if fy.0 <= plan.last_year.0 + TARGET_YEARS_AFTER {
            return Some(fy);
        }
        diags.error(
            at,
            format!(
                "target year {} is more than {TARGET_YEARS_AFTER} years after this plan's last year ({})",
                fy.en(),
                plan.last_year.en()
            ),
            Some("check the year: a target may be set for a year after the plan's end, up to 10 years after it".into()),
        );
        return None;
    }
    if fy < from || fy > plan.last_year {
        diags.error(
            at,
            format!(
                "{what} year {} is outside the years this plan's indicators cover ({}–{})",
                fy.en(),
                from.en(),
                plan.last_year.en()
            ),
            Some(format!(
                "check the year; to record older data, set `data_from` under [indicators] in {}",
                plan.path.display()
            )),
        );
        return None;
    }
    Some(fy)
}

/// A date as typed (`as_of`), or an error showing both spellings.
pub fn date(d: &Spanned<String>, file: &SourceFile, diags: &mut Diagnostics) -> Option<Date> {
    let found = Date::parse(d.get_ref());
    if found.is_none() {
        diags.error(
            &file.at(d),
            format!("`{}` is not a date", d.get_ref()),
            Some("write the day the value was measured as as_of = \"2024-02-02\" or as_of = \"令和6年2月2日\"".into()),
        );
    }
    found
}

/// The fiscal year a value stands for and the day it was measured: `year`
/// places it (the report's column) and `as_of` dates it; without `year`,
/// it is placed in the fiscal year of its date. The date must fall in that
/// year or the next (a count on 1 April after the year). The flag says
/// whether it is interim: dated before the end of the year it is given for.
fn placed(
    plan: &Plan,
    (y, as_of): (Option<&Spanned<YearInput>>, Option<&Spanned<String>>),
    what: &str,
    file: &SourceFile,
    diags: &mut Diagnostics,
) -> Option<(FiscalYear, Option<Date>, bool)> {
    let day = match as_of {
        Some(d) => Some((date(d, file, diags)?, file.at(d))),
        None => None,
    };
    match (y, day) {
        (Some(y), day) => {
            let fy = year(plan, y, what, file, diags)?;
            if let Some((d, at)) = &day {
                date_fits(*d, fy, at, diags)?;
            }
            let d = day.map(|(d, _)| d);
            Some((fy, d, d.is_some_and(|d| d.is_before_end_of(fy))))
        }
        (None, Some((d, at))) => Some((
            in_range(plan, d.fiscal_year(), &at, what, diags)?,
            Some(d),
            false,
        )),
        (None, None) => None,
    }
}

/// A value for `fy` is measured in that fiscal year or the next.
pub fn date_fits(d: Date, fy: FiscalYear, at: &Location, diags: &mut Diagnostics) -> Option<()> {
    let of = d.fiscal_year();
    if of < fy || of.0 > fy.0 + 1 {
        diags.error(
            at,
            format!(
                "as_of {} is in {}, but the value is given for {}",
                d.iso(),
                of.en(),
                fy.en()
            ),
            Some(format!(
                "a value for {} is measured in that year, or at its end (e.g. 1 April {}); correct year or as_of, or leave out year to place the value in the year of its date",
                fy.en(),
                fy.0 + 1
            )),
        );
        return None;
    }
    Some(())
}

/// Reads a value as typed; a number too large to compute with (`inf`,
/// `nan`, or digits that overflow once 千/万/億 are applied) is an error
/// here, so that no later stage ever sees a non-finite number.
fn reading(
    v: &Spanned<RawValue>,
    unit: &str,
    file: &SourceFile,
    diags: &mut Diagnostics,
) -> Reading {
    let r = match v.get_ref() {
        RawValue::Number(n) => Reading::number(*n, unit),
        RawValue::Text(t) => Reading::parse(t),
    };
    let quantities: &[Quantity] = match &r.value {
        Value::Number(q) => std::slice::from_ref(q),
        Value::Compound(qs) => qs,
        _ => &[],
    };
    if quantities.iter().any(|q| !q.base().0.is_finite()) {
        diags.error(
            &file.at(v),
            format!("`{}` is not a number that can be computed with", r.printed),
            Some("write the value as printed in the report, e.g. value = \"34,677件\"; `inf`, `nan` and numbers of hundreds of digits are not values".into()),
        );
        return Reading {
            value: Value::Missing,
            ..r
        };
    }
    r
}

/// A warning for a value that is not one number where one is expected
/// (beside a number target or actual): it is shown as typed but never
/// computed, which staff did not notice. Plain words (`維持`) are meant as
/// words and pass; `where_words` is where the rest of the text belongs.
fn warn_not_a_number(
    r: &Reading,
    at: &Location,
    sub_counts: bool,
    where_words: &str,
    diags: &mut Diagnostics,
) {
    let Some(reason) = why_not_one_number(r, sub_counts) else {
        return;
    };
    let bracket = r.sub.as_ref().filter(|_| r.quantity().is_some());
    let hint = if reason.contains("kanji") {
        "write the number in digits (十五件 as 15件); a value that cannot be read is shown as typed but never computed".to_string()
    } else if let Some(sub) = bracket {
        format!(
            "write the figure as one number, e.g. \"{sub}\", and put the remark in {where_words}"
        )
    } else {
        format!("write the figure as one number and its unit, and put the remark in {where_words}")
    };
    diags.warning(
        at,
        format!("\"{}\" cannot be read as one number: {reason}", r.printed),
        Some(hint),
    );
}

/// The unit a reading is written in, on its base scale (`千円` → `円`); `None` for a bare number.
fn base_unit(r: &Reading) -> Option<String> {
    r.quantity()
        .filter(|q| !q.unit.is_empty())
        .map(|q| split_multiplier(&q.unit).1)
}

fn check_unit(
    r: &Reading,
    unit: Option<&Label>,
    at: &Location,
    what: &str,
    diags: &mut Diagnostics,
) {
    let (Some(found), Some(unit)) = (base_unit(r), unit) else {
        return;
    };
    let declared = split_multiplier(&unit.ja).1;
    if found != declared {
        diags.error(
            at,
            format!("{what} `{}` is in {found}, but the indicator's unit is {}", r.printed, unit.ja),
            Some("write the value in the indicator's unit (千円 and 億円 are both 円), or correct `unit`".into()),
        );
    }
}

pub fn indicator_from(
    file: &SourceFile,
    raw: RawIndicator,
    (plan_idx, plan): (usize, &Plan),
    diags: &mut Diagnostics,
) -> (Indicator, PendingRefs) {
    let unit = raw.unit.map(super::config::label);
    let unit_ja = unit.as_ref().map_or("", |u| u.ja.as_str()).to_string();
    let direction = match raw.direction.as_ref().map(|d| d.get_ref().as_str()) {
        Some("higher") => Direction::Higher,
        Some("lower") => Direction::Lower,
        Some("keep") => Direction::Keep,
        Some("none") => Direction::None,
        other => {
            let at = raw
                .direction
                .as_ref()
                .map_or_else(|| file.at(&raw.id), |d| file.at(d));
            diags.error(
                &at,
                match other {
                    Some(d) => format!("direction `{d}` is not known"),
                    None => "the indicator does not say which direction is better".into(),
                },
                Some("add direction = \"higher\", \"lower\", \"keep\" or \"none\" — the documents never say it, the editor decides".into()),
            );
            Direction::None
        }
    };
    // Every value as read, for the check against a number target.
    let mut typed: Vec<(Reading, Location)> = Vec::new();
    let baseline = raw.baseline.as_ref().and_then(|b| {
        if b.year.is_none() && b.as_of.is_none() {
            diags.error(
                &file.at(&b.value),
                "the baseline has no fiscal year",
                Some("add year = \"H22\" to baseline, or the day it was measured, as_of = \"令和3年4月1日\"".into()),
            );
            return None;
        }
        // A baseline is the point progress is measured from: its date is
        // shown, it is never interim.
        let (fy, as_of, _) = placed(plan, (b.year.as_ref(), b.as_of.as_ref()), "baseline", file, diags)?;
        let mut r = reading(&b.value, &unit_ja, file, diags);
        if let Some(m) = &b.measured {
            r.measured = Some(m.clone());
        }
        typed.push((r.clone(), file.at(&b.value)));
        check_unit(&r, unit.as_ref(), &file.at(&b.value), "baseline", diags);
        Some(Observation {
            year: fy,
            reading: r,
            note: b.note.clone().map(Text::ja),
            as_of,
            interim: false,
        })
    });
    let mut observations: Vec<Observation> = Vec::new();
    // In year order, so that 同左 finds the column to its left.
    let mut raw_obs: Vec<&super::raw::RawObservation> = raw.observations.iter().collect();
    raw_obs.sort_by_key(|o| {
        let dated = || o.as_of.as_ref().and_then(|d| Date::parse(d.get_ref()));
        match &o.year {
            Some(y) => FiscalYear::parse(&y.get_ref().as_text()),
            None => dated().map(Date::fiscal_year),
        }
    });
    for o in raw_obs {
        if o.year.is_none() && o.as_of.is_none() {
            diags.error(
                &file.at(&o.value),
                "an observation has no fiscal year",
                Some("add year = \"R2\" to this [[observations]] entry, or the day it was measured, as_of = \"令和3年4月1日\"".into()),
            );
            continue;
        }
        let Some((fy, as_of, interim)) = placed(
            plan,
            (o.year.as_ref(), o.as_of.as_ref()),
            "observation",
            file,
            diags,
        ) else {
            continue;
        };
        if observations.iter().any(|p| p.year == fy) {
            let at = o.year.as_ref().map_or_else(
                || o.as_of.as_ref().map(|d| file.at(d)),
                |y| Some(file.at(y)),
            );
            diags.error(
                &at.unwrap_or_else(|| file.at(&o.value)),
                format!("two observations for {}", fy.en()),
                None,
            );
            continue;
        }
        let mut r = reading(&o.value, &unit_ja, file, diags);
        typed.push((r.clone(), file.at(&o.value)));
        if let Some(m) = &o.measured {
            r.measured = Some(m.clone());
        }
        if r.value == Value::SameAsLeft {
            // 同左: the value of the column to the left: the latest earlier
            // observation or the baseline, whichever year is closer.
            let left = observations
                .iter()
                .chain(baseline.iter())
                .filter(|l| l.year < fy)
                .max_by_key(|l| l.year);
            match left {
                Some(l) => {
                    let measured = r.measured.take().or_else(|| l.reading.measured.clone());
                    r = Reading {
                        printed: r.printed,
                        measured,
                        ..l.reading.clone()
                    };
                }
                None => diags.error(
                    &file.at(&o.value),
                    "同左 (same as left) but there is no value to its left",
                    None,
                ),
            }
        }
        check_unit(&r, unit.as_ref(), &file.at(&o.value), "value", diags);
        observations.push(Observation {
            year: fy,
            reading: r,
            note: o.note.clone().map(Text::ja),
            as_of,
            interim,
        });
    }
    observations.sort_by_key(|o| o.year);
    let target = raw
        .target
        .as_ref()
        .and_then(|t| target_from(file, t, plan, direction, unit.as_ref(), &unit_ja, diags));
    let number_target = matches!(
        &target,
        Some(Target { value: TargetValue::Number(t, _), .. }) if t.quantity().is_some()
    );
    // A compound target (`12施設105事業者`) is shown, never computed, and so
    // are its compound values: only a one-number target expects numbers.
    if number_target {
        for (r, at) in &typed {
            warn_not_a_number(r, at, false, "`note`", diags);
        }
    }
    let status_override = raw.status.as_ref().and_then(|s| {
        let found = Assessed::ALL.iter().find(|(k, _)| *k == s.value.get_ref()).map(|(_, a)| *a);
        let Some(a) = found else {
            let keys: Vec<&str> = Assessed::ALL.iter().map(|(k, _)| *k).collect();
            diags.error(
                &file.at(&s.value),
                format!("status `{}` is not known", s.value.get_ref()),
                Some(match did_you_mean(s.value.get_ref(), keys.iter().copied()) {
                    Some(k) => format!("did you mean `{k}`? allowed: {}", keys.join(", ")),
                    None => format!("allowed: {}", keys.join(", ")),
                }),
            );
            return None;
        };
        match s.reason.as_ref().filter(|r| !r.trim().is_empty()) {
            Some(r) => Some((a, Text::ja(r.clone()))),
            None => {
                diags.error(
                    &file.at(&s.value),
                    "an overridden status needs a reason",
                    Some("add reason = \"…\" to status: residents see why the computed status was replaced".into()),
                );
                None
            }
        }
    });
    let ind = Indicator {
        plan: plan_idx,
        id: raw.id.get_ref().clone(),
        name: Text::ja(super::checks::required_text(file, raw.name, "name", diags)),
        unit,
        initiative: None,
        also: Vec::new(),
        department: None,
        direction,
        baseline,
        observations,
        target,
        footnotes: raw.footnotes.into_iter().map(Text::ja).collect(),
        source_page: raw.source.and_then(|s| s.page),
        status_override,
        order: raw.order,
        body: Text::ja(file.body()),
        path: file.path.clone(),
        translation: translate::no_translation(),
    };
    (
        ind,
        PendingRefs {
            initiative: raw.initiative,
            also: raw.also,
            department: raw.department,
        },
    )
}

/// A typed comparator, or an error with a suggestion.
fn comparator(
    c: &Spanned<String>,
    file: &SourceFile,
    diags: &mut Diagnostics,
) -> Option<Comparator> {
    let found = Comparator::parse(c.get_ref());
    if found.is_none() {
        diags.error(
            &file.at(c),
            format!(
                "comparator `{}` is not one of at_least, at_most, exactly",
                c.get_ref()
            ),
            Some(
                match did_you_mean(c.get_ref(), ["at_least", "at_most", "exactly"]) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "at_least (以上), at_most (以下) or exactly".into(),
                },
            ),
        );
    }
    found
}

fn target_from(
    file: &SourceFile,
    t: &super::raw::RawTarget,
    plan: &Plan,
    direction: Direction,
    unit: Option<&Label>,
    unit_ja: &str,
    diags: &mut Diagnostics,
) -> Option<Target> {
    let each_year = t.each_year.as_ref().is_some_and(|e| *e.get_ref());
    if let (Some(f), false) = (&t.from, each_year) {
        diags.error(
            &file.at(f),
            "`from` is only for a target that applies every year",
            Some("add each_year = true to [target], or remove `from`".into()),
        );
        return None;
    }
    let fy = match &t.year {
        Some(y) => year(plan, y, "target", file, diags)?,
        // A recurring target runs to the end of the plan unless it says.
        None if each_year => plan.last_year,
        None => {
            let at = t
                .value
                .as_ref()
                .map(|v| file.at(v))
                .or_else(|| t.text.as_ref().map(|v| file.at(v)));
            diags.error(
                &at.unwrap_or_else(|| file.locate_front(0)),
                "the target has no fiscal year",
                Some("add year = \"R4\" to [target]: a target says by when (or each_year = true for a target that applies every year)".into()),
            );
            return None;
        }
    };
    let each_year_from = match (&t.from, each_year) {
        (Some(f), _) => {
            let from = year(plan, f, "target", file, diags)?;
            if from > fy {
                diags.error(
                    &file.at(f),
                    format!(
                        "the target applies from {} to {}: `from` is after `year`",
                        from.en(),
                        fy.en()
                    ),
                    Some("`from` is the first year the target applies to, `year` the last".into()),
                );
                return None;
            }
            Some(from)
        }
        (None, true) => Some(plan.first_year.min(fy)),
        (None, false) => None,
    };
    let comparator = match &t.comparator {
        None => None,
        Some(c) => Some(comparator(c, file, diags)?),
    };
    let mut implied = false;
    let value = match (&t.value, &t.text) {
        (Some(_), Some(text)) => {
            diags.error(
                &file.at(text),
                "a target has either `value` or `text`, not both",
                None,
            );
            return None;
        }
        (None, Some(text)) => TargetValue::Text(Text::ja(text.get_ref().clone())),
        (Some(v), None) => {
            let r = reading(v, unit_ja, file, diags);
            if matches!(r.value, Value::Text(_) | Value::Missing | Value::SameAsLeft) {
                diags.error(
                    &file.at(v),
                    format!("target `{}` is not a number", r.printed),
                    Some("write a number target as value = \"400,000件\", or a worded one as text = \"維持\"".into()),
                );
                return None;
            }
            check_unit(&r, unit, &file.at(v), "target", diags);
            implied = comparator.is_none() && r.comparator.is_none();
            let c = comparator.or(r.comparator).unwrap_or(match direction {
                Direction::Lower => Comparator::AtMost,
                Direction::Keep => Comparator::Exactly,
                _ => Comparator::AtLeast,
            });
            TargetValue::Number(r, c)
        }
        (None, None) => {
            let at = t
                .year
                .as_ref()
                .map_or_else(|| file.locate_front(0), |y| file.at(y));
            diags.error(&at, "the target has neither `value` nor `text`", None);
            return None;
        }
    };
    Some(Target {
        year: fy,
        each_year_from,
        value,
        comparator_implied: implied,
    })
}

/// Resolves an indicator's references to initiatives and its department.
pub fn resolve_refs(
    ind: &mut Indicator,
    refs: PendingRefs,
    (initiatives, failed): (&[Initiative], &Failed),
    departments: Option<&[Department]>,
    plan: &Plan,
    file: &SourceFile,
    diags: &mut Diagnostics,
) {
    let find = |id: &Spanned<String>, diags: &mut Diagnostics| {
        let found = initiatives.iter().position(|i| i.id == *id.get_ref());
        // The id of a file that did not load: that file is reported already.
        if found.is_none() && !failed.has_id(id.get_ref()) {
            let ids: Vec<&str> = initiatives.iter().map(|i| i.id.as_str()).collect();
            let hint = match did_you_mean(id.get_ref(), ids.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => {
                    "write the `id` of the measure or initiative this indicator belongs to".into()
                }
            };
            diags.error(
                &file.at(id),
                format!("`{}` is no initiative's id", id.get_ref()),
                Some(hint + &failed.unread_note().unwrap_or_default()),
            );
        }
        found
    };
    ind.initiative = refs.initiative.as_ref().and_then(|i| find(i, diags));
    ind.also = refs.also.iter().filter_map(|i| find(i, diags)).collect();
    ind.department = match (&refs.department, departments) {
        (Some(_), None) => None,
        (Some(d), Some(list)) => super::initiative::department(plan, list, d, file, diags),
        (None, _) => ind
            .initiative
            .and_then(|i| initiatives[i].departments.first().copied()),
    };
}

/// Merges `<name>.en.md` onto an indicator.
pub fn apply_en(
    ind: &mut Indicator,
    en: Option<(SourceFile, RawIndicatorEn)>,
    diags: &mut Diagnostics,
) {
    let texts = |ind: &Indicator| {
        let mut v: Vec<Text> = vec![ind.name.clone()];
        v.extend(ind.footnotes.iter().cloned());
        v.extend(ind.observations.iter().filter_map(|o| o.note.clone()));
        if let Some(Target {
            value: TargetValue::Text(t),
            ..
        }) = &ind.target
        {
            v.push(t.clone());
        }
        v.push(ind.body.clone());
        v
    };
    let before = texts(ind);
    let version = translate::version(&before.iter().collect::<Vec<_>>());
    let file = en.as_ref().map(|(f, _)| f.path.clone());
    if let Some((f, raw)) = en {
        if let Some(n) = raw.name.filter(|n| !n.trim().is_empty()) {
            ind.name.en = Some(n);
        }
        if let Some(notes) = raw.footnotes {
            if notes.len() != ind.footnotes.len() {
                diags.error(
                    &f.locate_front(0),
                    format!(
                        "footnotes has {} entries but the Japanese file has {}",
                        notes.len(),
                        ind.footnotes.len()
                    ),
                    Some("translate the footnotes one by one, in the same order".into()),
                );
            }
            for (t, e) in ind.footnotes.iter_mut().zip(notes) {
                t.en = Some(e);
            }
        }
        if let (
            Some(Target {
                value: TargetValue::Text(t),
                ..
            }),
            Some(e),
        ) = (ind.target.as_mut(), raw.target_text)
        {
            t.en = Some(e);
        }
        if !f.body().trim().is_empty() {
            ind.body.en = Some(f.body().to_string());
        }
        let after = texts(ind);
        let done = translate::coverage(&after.iter().collect::<Vec<_>>());
        translate::check_version(&f, raw.translates.as_ref(), &version, done, diags);
    }
    let after = texts(ind);
    ind.translation = crate::model::Translation {
        coverage: translate::coverage(&after.iter().collect::<Vec<_>>()),
        file,
        version,
    };
}

pub fn figure(
    f: &super::raw::RawFigure,
    fy: FiscalYear,
    file: &SourceFile,
    diags: &mut Diagnostics,
) -> Option<crate::model::Figure> {
    let unit = f.unit.as_ref().map_or("", |u| u.ja.as_str());
    let as_of = match &f.as_of {
        Some(d) if f.actual.is_none() => {
            diags.error(
                &file.at(d),
                format!(
                    "`{}` has an as_of but no actual: as_of dates the actual",
                    f.name
                ),
                Some("add actual = \"…\" as printed, or remove as_of".into()),
            );
            return None;
        }
        Some(d) => {
            let day = date(d, file, diags)?;
            date_fits(day, fy, &file.at(d), diags)?;
            Some(day)
        }
        None => None,
    };
    let target = f
        .target
        .as_ref()
        .map(|v| (reading(v, unit, file, diags), file.at(v)));
    let actual = f
        .actual
        .as_ref()
        .map(|v| (reading(v, unit, file, diags), file.at(v)));
    if let (Some((t, _)), Some((a, at))) = (&target, &actual) {
        if let (Some(tu), Some(au)) = (base_unit(t), base_unit(a)) {
            if tu != au {
                diags.error(
                    at,
                    format!(
                        "`{}`: the actual `{}` is in {au}, the target `{}` in {tu}",
                        f.name, a.printed, t.printed
                    ),
                    Some(
                        "write target and actual in the same unit (千円 and 億円 are both 円)"
                            .into(),
                    ),
                );
                return None;
            }
        }
    }
    // Each where the other is a number, or where it is computed itself.
    for ((r, at), other) in [(&target, &actual), (&actual, &target)]
        .into_iter()
        .filter_map(|(v, o)| Some((v.as_ref()?, o)))
    {
        let other_number = other.as_ref().is_some_and(|(o, _)| o.quantity().is_some());
        if other_number || r.quantity().is_some() {
            warn_not_a_number(r, at, true, "the year's `result`", diags);
        }
    }
    let comparator = match &f.comparator {
        None => target
            .as_ref()
            .and_then(|(t, _)| t.comparator)
            .unwrap_or(Comparator::AtLeast),
        Some(c) => comparator(c, file, diags)?,
    };
    Some(crate::model::Figure {
        name: Text::ja(f.name.clone()),
        unit: f.unit.as_ref().map(|u| Label {
            ja: u.ja.trim().to_string(),
            en: u.en.trim().to_string(),
        }),
        target: target.map(|(t, _)| t),
        actual: actual.map(|(a, _)| a),
        comparator,
        as_of,
        interim: as_of.is_some_and(|d| d.is_before_end_of(fy)),
    })
}
