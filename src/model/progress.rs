//! Progress of an indicator toward its target, and the status that follows:
//! achieved, on track, behind, not comparable (with the reason), or no data.
//!
//! The rule, as the pages state it: progress is how far the latest value has
//! moved from the baseline toward the target (baseline 0%, target 100%). An
//! indicator is *achieved* when its latest value meets the target (at least /
//! at most / exactly); *on track* when its progress is at least `on_track`
//! (a plan setting, 0.8 by default) times the share of the time from the
//! baseline year to the target year that has passed at the latest value;
//! otherwise *behind*. Nothing is computed from text, compound or missing
//! values. An editor may override the status, with a reason that is shown.
//!
//! A recurring target (the same target every year, `each_year`) is judged
//! year by year instead: each year of its period with a value meets it or
//! not, and the indicator is *achieved* when the latest such year met it,
//! *behind* when it did not; no progress is computed.
//!
//! Interim values (measured before their year ended) are never judged: the
//! latest final value is; with interim values only, there is no data yet.

use super::value::Comparator;
use super::FiscalYear;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Higher,
    Lower,
    Keep,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Assessed {
    Achieved,
    OnTrack,
    Behind,
    NotComparable,
    NoData,
}

impl Assessed {
    pub const ALL: [(&'static str, Assessed); 5] = [
        ("achieved", Assessed::Achieved),
        ("on_track", Assessed::OnTrack),
        ("behind", Assessed::Behind),
        ("not_comparable", Assessed::NotComparable),
        ("no_data", Assessed::NoData),
    ];

    pub fn key(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, a)| *a == self)
            .map_or("no_data", |(k, _)| k)
    }
}

/// Why nothing could be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Why {
    NoTarget,
    TextTarget,
    NotNumeric,
    NoBaseline,
    TargetIsBaseline,
    /// Only interim values so far (measured before their year ended).
    OnlyInterim,
}

/// The numeric inputs, already on one unit scale.
#[derive(Debug, Clone, Default)]
pub struct Series {
    pub baseline: Option<(FiscalYear, f64)>,
    /// Numeric observations in year order.
    pub values: Vec<(FiscalYear, f64)>,
    /// Observations exist but none is a plain number (compound, text).
    pub only_non_numeric: bool,
    /// Observations exist but every one is interim.
    pub only_interim: bool,
}

#[derive(Debug, Clone)]
pub enum Goal {
    Number {
        year: FiscalYear,
        /// A recurring target: the first year it applies to (to `year`).
        each_year_from: Option<FiscalYear>,
        value: f64,
        comparator: Comparator,
    },
    Text,
    /// Several quantities (`12施設 105事業者`): shown, not computed.
    NotNumeric,
    None,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub status: Assessed,
    pub why: Option<Why>,
    /// Share of the way from baseline to target (1.0 = target reached).
    pub progress: Option<f64>,
    /// Share of the time from baseline year to target year passed at the latest value.
    pub expected: Option<f64>,
    pub latest: Option<(FiscalYear, f64)>,
    /// For a recurring target: each year of its period with a value, and
    /// whether it met the target.
    pub judged: Vec<(FiscalYear, bool)>,
}

fn meets(value: f64, target: f64, c: Comparator) -> bool {
    match c {
        Comparator::AtLeast => value >= target,
        Comparator::AtMost => value <= target,
        Comparator::Exactly => (value - target).abs() < 1e-9,
    }
}

pub fn assess(series: &Series, goal: &Goal, on_track: f64) -> Assessment {
    let latest = series.values.last().copied();
    let none = |status, why| Assessment {
        status,
        why,
        progress: None,
        expected: None,
        latest,
        judged: Vec::new(),
    };
    let no_value = || {
        if series.only_non_numeric {
            none(Assessed::NotComparable, Some(Why::NotNumeric))
        } else if series.only_interim {
            none(Assessed::NoData, Some(Why::OnlyInterim))
        } else {
            none(Assessed::NoData, None)
        }
    };
    let (t_year, target, comparator) = match goal {
        Goal::None => return none(Assessed::NotComparable, Some(Why::NoTarget)),
        Goal::Text => return none(Assessed::NotComparable, Some(Why::TextTarget)),
        Goal::NotNumeric => return none(Assessed::NotComparable, Some(Why::NotNumeric)),
        Goal::Number {
            year,
            each_year_from: Some(from),
            value,
            comparator,
        } => {
            let judged: Vec<(FiscalYear, bool)> = series
                .values
                .iter()
                .filter(|(y, _)| (*from..=*year).contains(y))
                .map(|&(y, v)| (y, meets(v, *value, *comparator)))
                .collect();
            let Some(&(_, met)) = judged.last() else {
                return no_value();
            };
            return Assessment {
                status: if met {
                    Assessed::Achieved
                } else {
                    Assessed::Behind
                },
                judged,
                ..none(Assessed::NoData, None)
            };
        }
        Goal::Number {
            year,
            value,
            comparator,
            ..
        } => (*year, *value, *comparator),
    };
    let Some((l_year, value)) = latest else {
        return no_value();
    };
    let progress_expected = series.baseline.and_then(|(b_year, base)| {
        let span = target - base;
        (span.abs() > f64::EPSILON).then(|| {
            let years = f64::from(t_year.0) - f64::from(b_year.0);
            let expected = if years > 0.0 {
                ((f64::from(l_year.0) - f64::from(b_year.0)) / years).clamp(0.0, 1.0)
            } else {
                1.0
            };
            ((value - base) / span, expected)
        })
    });
    if meets(value, target, comparator) {
        return Assessment {
            status: Assessed::Achieved,
            why: None,
            progress: progress_expected.map(|p| p.0),
            expected: progress_expected.map(|p| p.1),
            latest,
            judged: Vec::new(),
        };
    }
    let Some((progress, expected)) = progress_expected else {
        let why = if series.baseline.is_none() {
            Why::NoBaseline
        } else {
            Why::TargetIsBaseline
        };
        return none(Assessed::NotComparable, Some(why));
    };
    let status = if progress >= expected * on_track {
        Assessed::OnTrack
    } else {
        Assessed::Behind
    };
    Assessment {
        status,
        why: None,
        progress: Some(progress),
        expected: Some(expected),
        latest,
        judged: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fy(y: u16) -> FiscalYear {
        FiscalYear(y)
    }

    fn series(base: f64, values: &[(u16, f64)]) -> Series {
        Series {
            baseline: Some((fy(2010), base)),
            values: values.iter().map(|&(y, v)| (fy(y), v)).collect(),
            only_non_numeric: false,
            only_interim: false,
        }
    }

    fn goal(v: f64, c: Comparator) -> Goal {
        Goal::Number {
            year: fy(2022),
            each_year_from: None,
            value: v,
            comparator: c,
        }
    }

    #[test]
    fn higher_is_better() {
        // 英語版ホームページのアクセス件数: 34,677 → 202,850 (FY2020), target 400,000 by FY2022.
        let s = series(
            34677.0,
            &[(2014, 60359.0), (2018, 293478.0), (2020, 202850.0)],
        );
        let a = assess(&s, &goal(400000.0, Comparator::AtLeast), 0.8);
        let p = a.progress.unwrap();
        assert!((p - 0.4603).abs() < 0.001, "{p}");
        assert!((a.expected.unwrap() - 10.0 / 12.0).abs() < 1e-9);
        assert_eq!(a.status, Assessed::Behind);
    }

    #[test]
    fn lower_is_better() {
        // 保育園待機児童: 243 → 92, target 0.
        let s = series(243.0, &[(2020, 92.0)]);
        let a = assess(&s, &goal(0.0, Comparator::AtMost), 0.8);
        assert!((a.progress.unwrap() - 151.0 / 243.0).abs() < 1e-9);
        assert_eq!(a.status, Assessed::Behind);
        let s = series(243.0, &[(2020, 20.0)]);
        assert_eq!(
            assess(&s, &goal(0.0, Comparator::AtMost), 0.8).status,
            Assessed::OnTrack
        );
    }

    #[test]
    fn bounds_are_achieved_when_met() {
        // 放置自転車: 302 → 66, target 80台以下.
        let s = series(302.0, &[(2020, 66.0)]);
        let a = assess(&s, &goal(80.0, Comparator::AtMost), 0.8);
        assert_eq!(a.status, Assessed::Achieved);
        assert!(a.progress.unwrap() > 1.0);
    }

    #[test]
    fn text_targets_and_missing_values_compute_nothing() {
        let s = series(149.0, &[(2020, 147.0)]);
        let a = assess(&s, &Goal::Text, 0.8);
        assert_eq!(
            (a.status, a.why, a.progress),
            (Assessed::NotComparable, Some(Why::TextTarget), None)
        );
        let empty = Series {
            baseline: Some((fy(2010), 1.0)),
            values: vec![],
            only_non_numeric: false,
            only_interim: false,
        };
        assert_eq!(
            assess(&empty, &goal(5.0, Comparator::AtLeast), 0.8).status,
            Assessed::NoData
        );
        let compound = Series {
            only_non_numeric: true,
            ..empty
        };
        let a = assess(&compound, &goal(5.0, Comparator::AtLeast), 0.8);
        assert_eq!(
            (a.status, a.why),
            (Assessed::NotComparable, Some(Why::NotNumeric))
        );
        let no_base = Series {
            baseline: None,
            values: vec![(fy(2020), 3.0)],
            only_non_numeric: false,
            only_interim: false,
        };
        let a = assess(&no_base, &goal(5.0, Comparator::AtLeast), 0.8);
        assert_eq!(
            (a.status, a.why),
            (Assessed::NotComparable, Some(Why::NoBaseline))
        );
    }

    #[test]
    fn on_track_threshold_is_configurable() {
        // Half the time passed, 45% of the way: on track at 0.8, behind at 1.0.
        let s = Series {
            baseline: Some((fy(2010), 0.0)),
            values: vec![(fy(2016), 45.0)],
            only_non_numeric: false,
            only_interim: false,
        };
        assert_eq!(
            assess(&s, &goal(100.0, Comparator::AtLeast), 0.8).status,
            Assessed::OnTrack
        );
        assert_eq!(
            assess(&s, &goal(100.0, Comparator::AtLeast), 1.0).status,
            Assessed::Behind
        );
    }

    #[test]
    fn a_recurring_target_is_judged_by_its_latest_year() {
        // 15件以上 each year from FY2023 to FY2026; no ramp, no progress.
        let each = |from| Goal::Number {
            year: fy(2026),
            each_year_from: Some(fy(from)),
            value: 15.0,
            comparator: Comparator::AtLeast,
        };
        let s = series(3.0, &[(2022, 2.0), (2023, 21.0), (2024, 12.0)]);
        let a = assess(&s, &each(2023), 0.8);
        assert_eq!(a.status, Assessed::Behind);
        assert_eq!(a.judged, vec![(fy(2023), true), (fy(2024), false)]);
        assert_eq!((a.progress, a.expected), (None, None));
        let s = series(3.0, &[(2023, 12.0), (2024, 15.0)]);
        assert_eq!(assess(&s, &each(2023), 0.8).status, Assessed::Achieved);
        // A value before the period is shown, not judged.
        let s = series(3.0, &[(2022, 20.0)]);
        assert_eq!(assess(&s, &each(2023), 0.8).status, Assessed::NoData);
    }

    #[test]
    fn only_interim_values_are_no_data_with_the_reason() {
        let s = Series {
            baseline: Some((fy(2010), 1.0)),
            values: vec![],
            only_non_numeric: false,
            only_interim: true,
        };
        let a = assess(&s, &goal(5.0, Comparator::AtLeast), 0.8);
        assert_eq!(
            (a.status, a.why),
            (Assessed::NoData, Some(Why::OnlyInterim))
        );
    }
}
