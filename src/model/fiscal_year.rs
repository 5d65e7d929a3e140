//! Japanese fiscal years (年度): April to March, named by the year they start in.
//!
//! Staff write a year as `2023`, `FY2023`, `R5`, `令和5年度`, `令和元年度`,
//! `H31` or `平成31年度`; all of these are the same [`FiscalYear`]. Japanese
//! pages show 令和5年度（2023年度）, English pages FY2023. Fiscal years from
//! FY2019 on are 令和 years (the era changed on 1 May 2019, so the fiscal year
//! that began in April 2019 is called both 平成31年度 and 令和元年度; the
//! documents use the latter).

use serde::Serialize;
use std::fmt;
use unicode_normalization::UnicodeNormalization;

/// A fiscal year, by the Western calendar year in which it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct FiscalYear(pub u16);

struct Era {
    names: &'static [&'static str],
    /// Western year of era year 1.
    first: u16,
    /// Last fiscal year that may be written in this era.
    last: u16,
}

const ERAS: &[Era] = &[
    Era {
        names: &["令和", "R"],
        first: 2019,
        last: 9999,
    },
    Era {
        names: &["平成", "H"],
        first: 1989,
        last: 2019,
    },
    Era {
        names: &["昭和", "S"],
        first: 1926,
        last: 1989,
    },
];

impl FiscalYear {
    /// The fiscal year of the build, in Japan time: from
    /// `SOURCE_DATE_EPOCH` (seconds; the reproducible-builds convention,
    /// which pins it) or else the clock. Pages use it to say that data is
    /// old; the same input and the same date give the same pages.
    pub fn current() -> FiscalYear {
        let secs = std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs() as i64)
            });
        Self::of_epoch(secs)
    }

    /// The fiscal year of a moment (seconds since 1970, UTC), in Japan time.
    pub fn of_epoch(secs: i64) -> FiscalYear {
        let days = (secs + 9 * 3600).div_euclid(86_400);
        let (year, month, _) = civil_from_days(days);
        let fy = if month >= 4 { year } else { year - 1 };
        FiscalYear(fy.clamp(0, i64::from(u16::MAX)) as u16)
    }

    /// Parses what staff type; `None` when it is not a fiscal year.
    pub fn parse(input: &str) -> Option<FiscalYear> {
        let s: String = input.nfkc().filter(|c| !c.is_whitespace()).collect();
        let s = s.strip_suffix("年度").unwrap_or(&s);
        let s = s.strip_suffix('年').unwrap_or(s);
        if let Some(rest) = s.strip_prefix("FY").or_else(|| s.strip_prefix("fy")) {
            return western(rest);
        }
        for era in ERAS {
            for name in era.names {
                let rest = s
                    .strip_prefix(name)
                    .or_else(|| (name.len() == 1).then(|| s.strip_prefix(&name.to_lowercase()))?);
                if let Some(rest) = rest {
                    // 令和2(2020)年度: the Western year in brackets must agree.
                    let (num, check) = match rest.split_once('(') {
                        Some((n, c)) => (n, c.strip_suffix(')').and_then(western)),
                        None => (rest, None),
                    };
                    let n: u16 = if num == "元" { 1 } else { num.parse().ok()? };
                    let year = era.first.checked_add(n)?.checked_sub(1)?;
                    if n == 0 || year > era.last {
                        return None;
                    }
                    if check.is_some_and(|c| c.0 != year) {
                        return None;
                    }
                    return Some(FiscalYear(year));
                }
            }
        }
        western(s)
    }

    /// `R5` for FY2023 (`H30` for FY2018): the short form staff write as a
    /// key in front matter.
    pub fn key(self) -> String {
        match self.0 {
            2019.. => format!("R{}", self.0 - 2018),
            1989..=2018 => format!("H{}", self.0 - 1988),
            _ => self.0.to_string(),
        }
    }

    /// 令和5年度（2023年度）
    pub fn ja(self) -> String {
        format!("{}（{}年度）", self.ja_era(), self.0)
    }

    /// 令和5年度, or 令和元年度 for the first year of an era.
    pub fn ja_era(self) -> String {
        let y = self.0;
        let (name, first) = if y >= 2019 {
            ("令和", 2019)
        } else if y >= 1989 {
            ("平成", 1989)
        } else if y >= 1926 {
            ("昭和", 1926)
        } else {
            return format!("{y}年度");
        };
        let n = y - first + 1;
        if n == 1 {
            format!("{name}元年度")
        } else {
            format!("{name}{n}年度")
        }
    }

    /// FY2023
    pub fn en(self) -> String {
        format!("FY{}", self.0)
    }
}

/// (year, month, day) of a day counted from 1970-01-01 (H. Hinnant's
/// algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

fn western(s: &str) -> Option<FiscalYear> {
    let y: u16 = s.parse().ok()?;
    (1900..=2200).contains(&y).then_some(FiscalYear(y))
}

impl fmt::Display for FiscalYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fiscal_year_of_a_moment_turns_on_1_april_japan_time() {
        // 2024-03-31 14:59:59 UTC is 23:59:59 in Japan: still FY2023.
        assert_eq!(FiscalYear::of_epoch(1_711_897_199), FiscalYear(2023));
        // One second later it is 1 April in Japan: FY2024.
        assert_eq!(FiscalYear::of_epoch(1_711_897_200), FiscalYear(2024));
        assert_eq!(FiscalYear::of_epoch(0), FiscalYear(1969));
        // 2026-12-02 (a Wednesday in FY2026).
        assert_eq!(FiscalYear::of_epoch(1_796_169_600), FiscalYear(2026));
    }

    #[test]
    fn parses_every_spelling() {
        for s in [
            "2023",
            "FY2023",
            "R5",
            "令和5年度",
            "令和５年度",
            "r5",
            "令和5(2023)年度",
            " 2023年度",
        ] {
            assert_eq!(FiscalYear::parse(s), Some(FiscalYear(2023)), "{s}");
        }
    }

    #[test]
    fn era_change() {
        assert_eq!(FiscalYear::parse("平成31年度"), Some(FiscalYear(2019)));
        assert_eq!(FiscalYear::parse("令和元年度"), Some(FiscalYear(2019)));
        assert_eq!(FiscalYear::parse("H30"), Some(FiscalYear(2018)));
        assert_eq!(FiscalYear::parse("平成32年度"), None);
        assert_eq!(FiscalYear::parse("昭和63年度"), Some(FiscalYear(1988)));
        assert_eq!(FiscalYear::parse("平成元年度"), Some(FiscalYear(1989)));
        assert_eq!(FiscalYear(2019).ja(), "令和元年度（2019年度）");
        assert_eq!(FiscalYear(2018).ja(), "平成30年度（2018年度）");
        assert_eq!(FiscalYear(2023).ja(), "令和5年度（2023年度）");
        assert_eq!(FiscalYear(2023).en(), "FY2023");
    }

    #[test]
    fn rejects_nonsense() {
        for s in ["", "R0", "令和", "abc", "20233", "令和5(2024)年度", "R"] {
            assert_eq!(FiscalYear::parse(s), None, "{s}");
        }
    }
}
