//! Values as printed in the documents: `34,677件`, `▲1,200千円`, `約4万件`,
//! `326事業所 (平成21年)`, `4,372人 (198人)`, `8施設 98事業者`, `同左`, `—`.
//!
//! [`Reading::parse`] reads the number, its unit, an approximate marker,
//! a bound (`80台以下`), and a bracketed measurement year or sub-value, and
//! keeps the printed text. Money and counts written with 千/万/百万/億 are
//! compared on one scale (`千円` and `億円` are both 円).

use super::FiscalYear;
use unicode_normalization::UnicodeNormalization;

/// A number with its unit as printed.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    pub number: f64,
    pub unit: String,
    /// Digits after the decimal point as printed (for display).
    pub decimals: usize,
    /// Written with 約 (about).
    pub approx: bool,
}

impl Quantity {
    /// The value on the unit's base scale: `3千円` → (3000, "円").
    pub fn base(&self) -> (f64, String) {
        let (factor, unit) = split_multiplier(&self.unit);
        (self.number * factor, unit)
    }
}

/// `千円` → (1000, "円"); `万件` → (10000, "件"); `人` → (1, "人").
pub fn split_multiplier(unit: &str) -> (f64, String) {
    for (prefix, factor) in [("百万", 1e6), ("千", 1e3), ("万", 1e4), ("億", 1e8)] {
        if let Some(rest) = unit.strip_prefix(prefix) {
            if !rest.is_empty() {
                return (factor, rest.to_string());
            }
        }
    }
    (1.0, unit.to_string())
}

/// A comparison a target states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparator {
    AtLeast,
    AtMost,
    Exactly,
}

impl Comparator {
    pub fn parse(s: &str) -> Option<Comparator> {
        match s {
            "at_least" => Some(Comparator::AtLeast),
            "at_most" => Some(Comparator::AtMost),
            "exactly" => Some(Comparator::Exactly),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `—`, `-` or nothing: no value for this year.
    Missing,
    /// `同左`: the same as the column to the left (resolved when loading).
    SameAsLeft,
    Number(Quantity),
    /// Several quantities in one cell (`8施設 98事業者`): shown, never computed.
    Compound(Vec<Quantity>),
    /// Words (`都市計画決定`): shown, never computed.
    Text(String),
}

/// One cell as printed, read.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub printed: String,
    pub value: Value,
    /// Bracketed text that is not a year: a sub-value such as `(198人)`.
    pub sub: Option<String>,
    /// Bracketed year or date of measurement: `(平成21年)`.
    pub measured: Option<String>,
    /// `以上` / `以下` written after the number.
    pub comparator: Option<Comparator>,
}

impl Reading {
    pub fn parse(input: &str) -> Reading {
        let printed = input.trim().to_string();
        let mut main: String = normalise(&printed);
        let mut sub = None;
        let mut measured = None;
        while main.ends_with(')') {
            let Some(open) = matching_open(&main) else {
                break;
            };
            let inner = main[open + 1..main.len() - 1].trim().to_string();
            main = main[..open].trim_end().to_string();
            if looks_like_date(&inner) {
                measured = Some(inner.split_whitespace().collect());
            } else {
                sub = Some(inner);
            }
        }
        let mut comparator = None;
        for (suffix, c) in [("以上", Comparator::AtLeast), ("以下", Comparator::AtMost)] {
            if let Some(rest) = main.strip_suffix(suffix) {
                comparator = Some(c);
                main = rest.trim_end().to_string();
            }
        }
        let value = if main.is_empty() || is_dash(&main) {
            Value::Missing
        } else if main == "同左" {
            Value::SameAsLeft
        } else {
            let tokens: Option<Vec<Quantity>> =
                join_units(&main).iter().map(|t| quantity(t)).collect();
            match tokens {
                Some(mut q) if q.len() == 1 => Value::Number(q.remove(0)),
                Some(q) if q.len() > 1 => Value::Compound(q),
                _ => Value::Text(printed.clone()),
            }
        };
        if matches!(value, Value::Text(_)) {
            // Words are words: keep them whole, brackets included.
            return Reading {
                printed: printed.clone(),
                value: Value::Text(printed),
                sub: None,
                measured: None,
                comparator: None,
            };
        }
        Reading {
            printed,
            value,
            sub,
            measured,
            comparator,
        }
    }

    /// A plain number typed in TOML.
    pub fn number(n: f64, unit: &str) -> Reading {
        let decimals = if n.fract() == 0.0 {
            0
        } else {
            format!("{n}").split('.').nth(1).map_or(0, str::len)
        };
        Reading {
            printed: format!("{}{unit}", format_number(n, decimals)),
            value: Value::Number(Quantity {
                number: n,
                unit: unit.to_string(),
                decimals,
                approx: false,
            }),
            sub: None,
            measured: None,
            comparator: None,
        }
    }

    pub fn quantity(&self) -> Option<&Quantity> {
        match &self.value {
            Value::Number(q) => Some(q),
            _ => None,
        }
    }
}

/// `209 人 12 施設` and `12施設105事業者` → [`209人`, `12施設`] / [`12施設`,
/// `105事業者`]: a number starts a token, and a unit separated by a
/// line-wrap space belongs to the number before it.
fn join_units(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut prev: Option<char> = None;
    for c in s.chars() {
        if c.is_whitespace() {
            prev = Some(' ');
            continue;
        }
        let starts_number = c.is_ascii_digit() || matches!(c, '約' | '▲' | '−');
        let in_number = prev
            .is_some_and(|p| p.is_ascii_digit() || matches!(p, ',' | '.' | '約' | '▲' | '−' | '-'));
        let new_token =
            out.is_empty() || (starts_number && !in_number) || (c == '-' && prev == Some(' '));
        if new_token {
            out.push(String::new());
        }
        if let Some(t) = out.last_mut() {
            t.push(c);
        }
        prev = Some(c);
    }
    out
}

/// NFKC (full-width digits and brackets to ASCII), but superscripts stay:
/// `m³` is a unit, not `m3`.
fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '²' | '³') {
            out.push(c);
        } else {
            out.extend(c.to_string().nfkc());
        }
    }
    out.trim().to_string()
}

fn matching_open(s: &str) -> Option<usize> {
    let mut depth = 0;
    for (i, c) in s.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

fn is_dash(s: &str) -> bool {
    s.chars()
        .all(|c| matches!(c, '—' | '-' | '―' | '–' | 'ー' | '−' | '‐'))
}

/// `平成21年`, `令和3年4月1日時点`, `2019年度`, `H30`.
fn looks_like_date(s: &str) -> bool {
    let compact: String = s.split_whitespace().collect();
    let starts_with_era = ["令和", "平成", "昭和"]
        .iter()
        .any(|e| compact.starts_with(e));
    let year_prefix = compact.chars().take(4).all(|c| c.is_ascii_digit())
        && compact[4.min(compact.len())..].starts_with('年');
    starts_with_era || year_prefix || FiscalYear::parse(&compact).is_some()
}

/// `34,677件`, `▲1.5%`, `約4万件`, `0人` → a quantity; anything else → None.
fn quantity(token: &str) -> Option<Quantity> {
    let mut s = token;
    let approx = s.starts_with('約');
    if approx {
        s = &s['約'.len_utf8()..];
    }
    let negative = s.starts_with('▲') || s.starts_with('-') || s.starts_with('−');
    if negative {
        s = &s[s.chars().next()?.len_utf8()..];
    }
    let digits_end = s
        .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
        .unwrap_or(s.len());
    let digits = &s[..digits_end];
    if digits.is_empty()
        || !digits.starts_with(|c: char| c.is_ascii_digit())
        || digits.ends_with('.')
    {
        return None;
    }
    let unit = s[digits_end..].trim().to_string();
    if unit.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let plain: String = digits.chars().filter(|c| *c != ',').collect();
    let number: f64 = plain.parse().ok()?;
    Some(Quantity {
        number: if negative { -number } else { number },
        unit,
        decimals: plain.split('.').nth(1).map_or(0, str::len),
        approx,
    })
}

/// 1234567.5 with 1 decimal → `1,234,567.5`; negatives with a minus sign.
pub fn format_number(n: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, n.abs());
    let (int, frac) = s
        .split_once('.')
        .map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if n < 0.0 { "−" } else { "" };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(r: &Reading) -> &Quantity {
        r.quantity()
            .unwrap_or_else(|| panic!("not a number: {r:?}"))
    }

    #[test]
    fn numbers_with_units() {
        let r = Reading::parse("34,677件");
        assert_eq!((q(&r).number, q(&r).unit.as_str()), (34677.0, "件"));
        let r = Reading::parse("33.46%");
        assert_eq!((q(&r).number, q(&r).decimals), (33.46, 2));
        let r = Reading::parse("▲1,200千円");
        assert_eq!(q(&r).base(), (-1_200_000.0, "円".to_string()));
        let r = Reading::parse("約4万件");
        assert!(q(&r).approx);
        assert_eq!(q(&r).base(), (40000.0, "件".into()));
        assert_eq!(q(&Reading::parse("２４３人")).number, 243.0);
    }

    #[test]
    fn brackets_are_years_or_sub_values() {
        let r = Reading::parse("326事業所 (平成21年)");
        assert_eq!(q(&r).number, 326.0);
        assert_eq!(r.measured.as_deref(), Some("平成21年"));
        let r = Reading::parse("1.16 (平成 26 年)");
        assert_eq!(r.measured.as_deref(), Some("平成26年"));
        let r = Reading::parse("4,372人 (198人)");
        assert_eq!((q(&r).number, r.sub.as_deref()), (4372.0, Some("198人")));
        let r = Reading::parse("209 人 (注 1)");
        assert_eq!(q(&r).number, 209.0);
        assert_eq!(r.sub.as_deref(), Some("注 1"));
    }

    #[test]
    fn special_cells() {
        assert_eq!(Reading::parse("同左").value, Value::SameAsLeft);
        assert_eq!(Reading::parse("—").value, Value::Missing);
        assert_eq!(Reading::parse("-").value, Value::Missing);
        assert!(
            matches!(Reading::parse("8施設 98事業者").value, Value::Compound(ref v) if v.len() == 2)
        );
        assert!(matches!(Reading::parse("維持").value, Value::Text(_)));
        assert!(matches!(
            Reading::parse("概ね80%台を維持(90%未満)").value,
            Value::Text(_)
        ));
        let r = Reading::parse("80台以下");
        assert_eq!(
            (q(&r).number, r.comparator),
            (80.0, Some(Comparator::AtMost))
        );
    }

    #[test]
    fn superscript_units_stay() {
        assert_eq!(q(&Reading::parse("0m³")).unit, "m³");
    }

    #[test]
    fn formats_numbers() {
        assert_eq!(format_number(202850.0, 0), "202,850");
        assert_eq!(format_number(-1234.5, 1), "−1,234.5");
        assert_eq!(format_number(0.0, 0), "0");
    }
}
