//! Calendar dates, as reports print them: `2024-02-02`, `令和6年2月2日`,
//! `令和元年5月1日`, `平成31年4月1日` (also with full-width digits and the
//! spaces PDFs put between them). A date tells when a value was measured
//! (`as_of`) and so which fiscal year it falls in, and whether the year it
//! stands for had ended.

use super::FiscalYear;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

/// A day of the Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

/// (year, month, day), for comparing.
type Ymd = (u16, u8, u8);

/// Japanese eras a date may be written in: name, Western year of year 1,
/// first and last day.
const ERAS: &[(&str, u16, Ymd, Ymd)] = &[
    ("令和", 2019, (2019, 5, 1), (9999, 12, 31)),
    ("平成", 1989, (1989, 1, 8), (2019, 4, 30)),
    ("昭和", 1926, (1926, 12, 25), (1989, 1, 7)),
];

/// English month names, January first.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Date {
    /// A real day (`None` for 30 February and the like).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let leap =
            year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        ((1900..=2200).contains(&year) && (1..=days).contains(&day)).then_some(Date {
            year,
            month,
            day,
        })
    }

    /// Parses `2024-02-02` or `令和6年2月2日`; `None` when it is not a date
    /// (or an era date outside its era, such as 平成31年5月1日).
    pub fn parse(input: &str) -> Option<Date> {
        let s: String = input.nfkc().filter(|c| !c.is_whitespace()).collect();
        if let Some(rest) = s.strip_suffix('日') {
            for &(name, first, from, to) in ERAS {
                let Some(rest) = rest.strip_prefix(name) else {
                    continue;
                };
                let (y, rest) = rest.split_once('年')?;
                let (m, d) = rest.split_once('月')?;
                let n: u16 = if y == "元" { 1 } else { y.parse().ok()? };
                let year = (first + n).checked_sub(1).filter(|_| n > 0)?;
                let date = Date::new(year, m.parse().ok()?, d.parse().ok()?)?;
                let key = (date.year, date.month, date.day);
                return (from <= key && key <= to).then_some(date);
            }
            return None;
        }
        let mut parts = s.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || y.len() != 4 {
            return None;
        }
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// The fiscal year the day falls in (April to March).
    pub fn fiscal_year(self) -> FiscalYear {
        FiscalYear(if self.month >= 4 {
            self.year
        } else {
            self.year - 1
        })
    }

    /// A value for fiscal year `year` measured on this day is interim when
    /// the day is before the year's last day (31 March).
    pub fn is_before_end_of(self, year: FiscalYear) -> bool {
        self < year.last_day()
    }

    /// 令和6年2月2日 (令和元年5月1日 in an era's first year).
    pub fn ja(self) -> String {
        let key = (self.year, self.month, self.day);
        let era = ERAS.iter().find(|(_, _, from, _)| *from <= key);
        match era {
            Some((name, first, _, _)) => {
                let n = self.year - first + 1;
                let n = if n == 1 { "元".into() } else { n.to_string() };
                format!("{name}{n}年{}月{}日", self.month, self.day)
            }
            None => format!("{}年{}月{}日", self.year, self.month, self.day),
        }
    }

    /// 2 February 2024
    pub fn en(self) -> String {
        format!(
            "{} {} {}",
            self.day,
            MONTHS[usize::from(self.month) - 1],
            self.year
        )
    }

    /// 2024-02-02, for data files.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FiscalYear {
    /// 31 March of the next calendar year.
    pub fn last_day(self) -> Date {
        Date {
            year: self.0 + 1,
            month: 3,
            day: 31,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: u16, m: u8, day: u8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    #[test]
    fn parses_every_spelling() {
        for (s, want) in [
            ("2024-02-02", d(2024, 2, 2)),
            ("令和6年2月2日", d(2024, 2, 2)),
            ("令和 6 年 2 月 2 日", d(2024, 2, 2)),
            ("令和６年２月２日", d(2024, 2, 2)),
            ("令和元年5月1日", d(2019, 5, 1)),
            ("平成31年4月1日", d(2019, 4, 1)),
            ("平成27年4月1日", d(2015, 4, 1)),
            ("2024-2-29", d(2024, 2, 29)),
        ] {
            assert_eq!(Date::parse(s), Some(want), "{s}");
        }
    }

    #[test]
    fn rejects_nonsense() {
        for s in [
            "",
            "2023-02-29",
            "2024-13-01",
            "24-02-02",
            "令和6年2月30日",
            "令和0年4月1日",
            "平成31年5月1日",
            "令和元年4月1日",
            "R6.2.2",
            "令和6年度",
            "2024-02-02-01",
        ] {
            assert_eq!(Date::parse(s), None, "{s}");
        }
    }

    #[test]
    fn fiscal_year_and_interim() {
        assert_eq!(d(2024, 2, 2).fiscal_year(), FiscalYear(2023));
        assert_eq!(d(2021, 4, 1).fiscal_year(), FiscalYear(2021));
        assert!(d(2024, 2, 2).is_before_end_of(FiscalYear(2023)));
        assert!(!d(2024, 3, 31).is_before_end_of(FiscalYear(2023)));
        assert!(!d(2015, 4, 1).is_before_end_of(FiscalYear(2014)));
    }

    #[test]
    fn written_in_both_languages() {
        assert_eq!(d(2024, 2, 2).ja(), "令和6年2月2日");
        assert_eq!(d(2019, 5, 1).ja(), "令和元年5月1日");
        assert_eq!(d(2019, 4, 1).ja(), "平成31年4月1日");
        assert_eq!(d(2024, 2, 2).en(), "2 February 2024");
        assert_eq!(d(2024, 2, 2).iso(), "2024-02-02");
    }
}
