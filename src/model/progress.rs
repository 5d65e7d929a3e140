//! Progress of an indicator toward its target, and the status that follows:
//! achieved, on track, behind, not comparable (with the reason), or no data.
//!
//! [`assess`] is the README's table "How an indicator's status is decided",
//! row by row, in its order (each [`Assessment`] names the row that decided
//! it). In short: the latest *final* one-number value is judged, never an
//! interim one nor one older than the baseline. A target the baseline does
//! not meet is a goal to reach: progress is how far the value has moved from
//! the baseline toward it (baseline 0%, target 100%), and the indicator is on
//! track when that is at least `on_track` (a plan setting, 0.8 by default)
//! times the share of the time from the baseline year to the target year
//! passed by the value's year. A target the baseline meets already is a
//! level to keep: met or not, no progress. A value that moved away from the
//! target, or went past an exact one, is behind with no progress figure.
//!
//! A recurring target (the same target every year, `each_year`) is judged
//! year by year instead: each year of its period with a value meets it or
//! not, and the indicator is *achieved* when the latest such year met it,
//! *behind* when it did not; no progress is computed.

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

/// Why no progress figure is shown (and, for a status of no data or not
/// comparable, why nothing was judged).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Why {
    NoTarget,
    TextTarget,
    NotNumeric,
    NoBaseline,
    /// Only interim values so far (measured before their year ended).
    OnlyInterim,
    /// A recurring target with no final value in its years yet.
    NoneInPeriod,
    /// The latest final value is older than the baseline: nothing has been
    /// measured since, and nothing is judged.
    OlderThanBaseline,
    /// The baseline meets the target already: a level to keep.
    Keep,
    /// The value has moved away from the target since the baseline.
    MovedAway,
    /// The value has gone past an exact target.
    Overshot,
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
    /// The row of the README's table that decided (1 is the editor's
    /// override, set by the caller).
    #[serde(skip)]
    pub row: u8,
}

/// Whether `value` meets `target` under `c`.
pub fn meets(value: f64, target: f64, c: Comparator) -> bool {
    match c {
        Comparator::AtLeast => value >= target,
        Comparator::AtMost => value <= target,
        Comparator::Exactly => (value - target).abs() <= 1e-9 * target.abs().max(1.0),
    }
}

/// The README's table "How an indicator's status is decided", rows 2–18
/// (row 1, the editor's override, is the caller's).
pub fn assess(series: &Series, goal: &Goal, on_track: f64) -> Assessment {
    let latest = series.values.last().copied();
    let none = |status, why, row| Assessment {
        status,
        why,
        progress: None,
        expected: None,
        latest,
        judged: Vec::new(),
        row,
    };
    let no_value = || {
        if series.only_non_numeric {
            none(Assessed::NotComparable, Some(Why::NotNumeric), 5)
        } else if series.only_interim {
            none(Assessed::NoData, Some(Why::OnlyInterim), 6)
        } else {
            none(Assessed::NoData, None, 7)
        }
    };
    let (t_year, target, comparator) = match goal {
        Goal::None => return none(Assessed::NotComparable, Some(Why::NoTarget), 2),
        Goal::Text => return none(Assessed::NotComparable, Some(Why::TextTarget), 3),
        Goal::NotNumeric => return none(Assessed::NotComparable, Some(Why::NotNumeric), 4),
        Goal::Number {
            year,
            each_year_from: Some(from),
            value,
            comparator,
        } => {
            if series.values.is_empty() {
                return no_value();
            }
            let since = series.baseline.map_or(*from, |(b, _)| b.max(*from));
            let judged: Vec<(FiscalYear, bool)> = series
                .values
                .iter()
                .filter(|(y, _)| (since..=*year).contains(y))
                .map(|&(y, v)| (y, meets(v, *value, *comparator)))
                .collect();
            let Some(&(_, met)) = judged.last() else {
                return none(Assessed::NoData, Some(Why::NoneInPeriod), 8);
            };
            let (status, row) = if met {
                (Assessed::Achieved, 9)
            } else {
                (Assessed::Behind, 10)
            };
            return Assessment {
                judged,
                ..none(status, None, row)
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
    if series.baseline.is_some_and(|(b_year, _)| l_year < b_year) {
        return none(Assessed::NoData, Some(Why::OlderThanBaseline), 11);
    }
    // A goal to reach: the baseline does not meet the target. Its progress
    // and the share of the time passed by the value's year.
    let reach = series
        .baseline
        .filter(|&(_, base)| !meets(base, target, comparator))
        .map(|(b_year, base)| {
            let years = f64::from(t_year.0) - f64::from(b_year.0);
            let expected = if years > 0.0 {
                ((f64::from(l_year.0) - f64::from(b_year.0)) / years).clamp(0.0, 1.0)
            } else {
                1.0
            };
            ((value - base) / (target - base), expected)
        });
    let keep = series.baseline.is_some() && reach.is_none();
    if meets(value, target, comparator) {
        return Assessment {
            progress: reach.map(|r| r.0),
            expected: reach.map(|r| r.1),
            ..none(Assessed::Achieved, keep.then_some(Why::Keep), 12)
        };
    }
    if series.baseline.is_none() {
        return none(Assessed::NotComparable, Some(Why::NoBaseline), 13);
    }
    let Some((progress, expected)) = reach else {
        return none(Assessed::Behind, Some(Why::Keep), 14);
    };
    if progress < 0.0 {
        return none(Assessed::Behind, Some(Why::MovedAway), 15);
    }
    if progress >= 1.0 {
        return none(Assessed::Behind, Some(Why::Overshot), 16);
    }
    let (status, row) = if progress >= expected * on_track {
        (Assessed::OnTrack, 17)
    } else {
        (Assessed::Behind, 18)
    };
    Assessment {
        progress: Some(progress),
        expected: Some(expected),
        ..none(status, None, row)
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

    #[test]
    fn a_level_to_keep_is_met_or_not_with_no_progress() {
        // 図書館の利用者数: 996,849 (FY2010), at least 950,000 by FY2022;
        // 602,715 in FY2020.
        let s = series(996849.0, &[(2014, 936886.0), (2020, 602715.0)]);
        let a = assess(&s, &goal(950000.0, Comparator::AtLeast), 0.8);
        assert_eq!(
            (a.status, a.why, a.progress),
            (Assessed::Behind, Some(Why::Keep), None)
        );
        assert_eq!(a.row, 14);
        let s = series(996849.0, &[(2020, 960000.0)]);
        let a = assess(&s, &goal(950000.0, Comparator::AtLeast), 0.8);
        assert_eq!(
            (a.status, a.why, a.progress),
            (Assessed::Achieved, Some(Why::Keep), None)
        );
    }

    #[test]
    fn a_value_older_than_the_baseline_is_not_judged() {
        // s-n-03: 91.1% in FY2014 against a FY2018 baseline.
        let s = Series {
            baseline: Some((fy(2018), 88.0)),
            values: vec![(fy(2014), 91.1)],
            only_non_numeric: false,
            only_interim: false,
        };
        let a = assess(&s, &goal(95.0, Comparator::AtLeast), 0.8);
        assert_eq!(
            (a.status, a.why, a.progress),
            (Assessed::NoData, Some(Why::OlderThanBaseline), None)
        );
        // Even when it would meet the target.
        let a = assess(&s, &goal(90.0, Comparator::AtLeast), 0.8);
        assert_eq!(a.status, Assessed::NoData);
    }

    #[test]
    fn moving_away_or_past_an_exact_target_is_behind_without_a_figure() {
        let s = series(100.0, &[(2020, 90.0)]);
        let a = assess(&s, &goal(150.0, Comparator::AtLeast), 0.8);
        assert_eq!(
            (a.status, a.why, a.progress),
            (Assessed::Behind, Some(Why::MovedAway), None)
        );
        let s = series(100.0, &[(2020, 160.0)]);
        let a = assess(&s, &goal(150.0, Comparator::Exactly), 0.8);
        assert_eq!(
            (a.status, a.why, a.progress),
            (Assessed::Behind, Some(Why::Overshot), None)
        );
    }

    mod generated {
        use super::*;
        use proptest::prelude::*;

        fn comparator() -> impl Strategy<Value = Comparator> {
            prop_oneof![
                Just(Comparator::AtLeast),
                Just(Comparator::AtMost),
                Just(Comparator::Exactly)
            ]
        }

        /// Values on a coarse grid, so that equal values are generated often.
        fn number() -> impl Strategy<Value = f64> {
            (-40i32..=40).prop_map(|n| f64::from(n) * 2.5)
        }

        fn year() -> impl Strategy<Value = FiscalYear> {
            (2008u16..=2030).prop_map(FiscalYear)
        }

        fn inputs() -> impl Strategy<Value = (Series, Goal, f64)> {
            (
                proptest::option::of((year(), number())),
                proptest::collection::btree_map(year(), number(), 0..5),
                any::<bool>(),
                (year(), number(), comparator(), proptest::option::of(year())),
                (0u8..=10).prop_map(|k| f64::from(k) / 10.0),
            )
                .prop_map(|(baseline, values, only_interim, (ty, tv, c, from), k)| {
                    let values: Vec<_> = values.into_iter().collect();
                    let only_interim = only_interim && values.is_empty();
                    let goal = Goal::Number {
                        year: ty,
                        each_year_from: from.filter(|f| *f <= ty),
                        value: tv,
                        comparator: c,
                    };
                    (
                        Series {
                            baseline,
                            values,
                            only_non_numeric: false,
                            only_interim,
                        },
                        goal,
                        k,
                    )
                })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(4000))]

            #[test]
            fn the_table_holds((s, goal, k) in inputs()) {
                let a = assess(&s, &goal, k);
                let Goal::Number { year: ty, each_year_from, value: t, comparator: c } = goal else {
                    unreachable!()
                };
                prop_assert!((2..=18).contains(&a.row));
                let latest = s.values.last().copied();
                let older = matches!((latest, s.baseline), (Some((ly, _)), Some((by, _))) if ly < by);
                match each_year_from {
                    None => {
                        // Achieved ⇔ the latest final value meets the target
                        // and is not older than the baseline.
                        let met = latest.is_some_and(|(_, v)| meets(v, t, c));
                        prop_assert_eq!(a.status == Assessed::Achieved, met && !older, "{:?}", a);
                        // Older than the baseline: never judged.
                        if older {
                            prop_assert_eq!(a.status, Assessed::NoData);
                        }
                    }
                    Some(from) => {
                        prop_assert_eq!(a.progress, None);
                        for (y, _) in &a.judged {
                            prop_assert!(*y >= from && *y <= ty);
                            prop_assert!(s.baseline.is_none_or(|(by, _)| *y >= by));
                        }
                        let last = a.judged.last().map(|j| j.1);
                        prop_assert_eq!(a.status == Assessed::Achieved, last == Some(true));
                        prop_assert_eq!(a.status == Assessed::Behind, last == Some(false));
                    }
                }
                if a.status == Assessed::OnTrack {
                    let (_, v) = latest.unwrap();
                    let (_, b) = s.baseline.unwrap();
                    let p = a.progress.unwrap();
                    prop_assert!(!meets(v, t, c));
                    prop_assert!((0.0..1.0).contains(&p), "{p}");
                    prop_assert!(v >= b.min(t) && v <= b.max(t), "{v} {b} {t}");
                }
                if let Some(p) = a.progress {
                    // Shown only for a goal to reach: never negative, never
                    // 100% or more unless achieved.
                    prop_assert!(p >= 0.0);
                    prop_assert!(p < 1.0 || a.status == Assessed::Achieved);
                    prop_assert!(s.baseline.is_some_and(|(_, b)| !meets(b, t, c)));
                }
                if s.values.is_empty() {
                    prop_assert!(a.status == Assessed::NoData);
                }
            }
        }
    }
}
