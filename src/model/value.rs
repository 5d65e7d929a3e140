//! Values as printed in the documents: `34,677件`, `▲1,200千円`, `約4万件`,
//! `326事業所 (平成21年)`, `4,372人 (198人)`, `8施設 98事業者`, `同左`, `—`.
//!
//! [`Reading::parse`] reads the number, its unit, an approximate marker,
//! a bound (`80台以下`), and a bracketed measurement year or sub-value, and
//! keeps the printed text. Money and counts written with 千/万/百万/億 are
//! compared on one scale (`千円` and `億円` are both 円).
//!
//! Numbers written in kanji are read where they cannot mean anything else
//! (see [`kanji_number`]): `十五件` (15件), `百二十件`, `三千五百円`,
//! `一万二千人`, `二〇二件` (202件), and digits with 万/千 between them,
//! `6万4千件` (64,000件) — each only as a whole token followed by a unit
//! from [`KANJI_UNITS`], so that words holding a numeral (`一部実施`,
//! `一元化`, `三鷹市`) stay words.

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
        // `6万4千件` is one number: a digit after 万/千 … of digits goes on.
        let in_numeral = prev.and_then(power).is_some()
            && out.last().is_some_and(|t| {
                t.chars()
                    .all(|c| c.is_ascii_digit() || ",.約▲−".contains(c) || power(c).is_some())
            });
        let new_token = out.is_empty()
            || (starts_number && !in_number && !in_numeral)
            || (c == '-' && prev == Some(' '));
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
    let unit = s[digits_end..].trim().to_string();
    if digits.is_empty() || unit.chars().any(|c| c.is_ascii_digit()) {
        // `十五件`, `6万4千件`: read only as a whole.
        let (number, unit) = kanji_number(s)?;
        return Some(Quantity {
            number: if negative { -number } else { number },
            unit: unit.to_string(),
            decimals: 0,
            approx,
        });
    }
    if !digits.starts_with(|c: char| c.is_ascii_digit()) || digits.ends_with('.') {
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

/// Units a number in kanji may be followed by: counters of things, people,
/// money and time. `部` (一部 "a part") and `元` (一元化 "unification") are
/// left out on purpose, and so is any unit not listed: a numeral followed
/// by another word is a word.
pub(crate) const KANJI_UNITS: &[&str] = &[
    "件",
    "人",
    "名",
    "円",
    "回",
    "か所",
    "ヵ所",
    "ヶ所",
    "箇所",
    "カ所",
    "校",
    "園",
    "館",
    "台",
    "戸",
    "世帯",
    "施設",
    "事業所",
    "事業者",
    "事業",
    "団体",
    "社",
    "店",
    "本",
    "枚",
    "冊",
    "点",
    "種類",
    "項目",
    "地区",
    "路線",
    "棟",
    "室",
    "床",
    "区画",
    "日",
    "時間",
    "分",
    "年",
    "か月",
    "ヶ月",
    "カ月",
    "倍",
    "割",
    "%",
    "人分",
    "講座",
    "業務",
    "手続",
    "者",
    "組",
    "回分",
];

/// A number written in kanji (or digits with 万/千/百/十 between them) at
/// the start of `s`, followed by one of [`KANJI_UNITS`] and nothing else:
/// (the number, the unit). Read:
///
/// - 十/百/千 with a digit before them or none (`十五` 15, `百二十` 120,
///   `三千五百` 3,500), 万 and 億 after a group (`一万二千` 12,000), in
///   descending order only;
/// - a single digit (`五件`, `〇件`);
/// - digits one by one when one of them is 〇 (`二〇二` 202, `一〇` 10);
/// - ASCII digits in place of a kanji digit or group, in a number with 万
///   or 億: `6万4千` 64,000, `12万3000` 123,000 (but not `十5`, `2千5百`).
///
/// Not read (`None`): two kanji digits side by side without 〇 (`二三件`
/// means "two or three"), 〇 or 零 together with 十/百/千/万/億
/// (`一〇〇万`), powers out of order (`十百`, `千千`), and any other unit.
pub(crate) fn kanji_number(s: &str) -> Option<(f64, &str)> {
    let end = s
        .find(|c: char| !(c.is_ascii_digit() || kanji_digit(c).is_some() || power(c).is_some()))
        .unwrap_or(s.len());
    let (numeral, unit) = (&s[..end], s[end..].trim());
    if numeral.is_empty() || !KANJI_UNITS.contains(&unit) {
        return None;
    }
    // Digits only with 万 or 億 between them, as reports write large
    // numbers: `6万4千` yes, `十5` or `2千5百` no.
    let has_digit = numeral.chars().any(|c| c.is_ascii_digit());
    if has_digit && !numeral.contains(['万', '億']) {
        return None;
    }
    let number = if numeral.chars().all(|c| kanji_digit(c).is_some()) {
        positional(numeral)?
    } else {
        grouped(numeral)?
    };
    Some((number, unit))
}

/// 〇 一 二 … 九 (and 零) → 0–9.
fn kanji_digit(c: char) -> Option<u32> {
    "〇一二三四五六七八九"
        .chars()
        .position(|d| d == c)
        .map(|p| p as u32)
        .or((c == '零').then_some(0))
}

/// 十 百 千 万 億 → their value.
fn power(c: char) -> Option<f64> {
    match c {
        '十' => Some(10.0),
        '百' => Some(100.0),
        '千' => Some(1e3),
        '万' => Some(1e4),
        '億' => Some(1e8),
        _ => None,
    }
}

/// `五` 5, `二〇二` 202; `二三` (two or three) is not a number.
fn positional(numeral: &str) -> Option<f64> {
    let digits: Vec<u32> = numeral.chars().filter_map(kanji_digit).collect();
    if digits.len() > 1 && (!numeral.contains('〇') || numeral.contains('零')) {
        return None;
    }
    Some(digits.iter().fold(0.0, |n, d| n * 10.0 + f64::from(*d)))
}

/// `三千五百` 3,500, `一万二千` 12,000, `6万4千` 64,000.
fn grouped(numeral: &str) -> Option<f64> {
    let mut total = 0.0;
    let mut group = 0.0;
    // The coefficient typed before the next power: a kanji digit or ASCII digits.
    let mut coefficient: Option<f64> = None;
    let mut last_small = f64::INFINITY;
    let mut last_big = f64::INFINITY;
    let mut chars = numeral.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            let mut run = c.to_string();
            while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                run.push(*d);
                chars.next();
            }
            if coefficient.is_some() {
                return None;
            }
            coefficient = Some(run.parse().ok()?);
        } else if let Some(d) = kanji_digit(c) {
            if coefficient.is_some() || d == 0 {
                return None;
            }
            coefficient = Some(f64::from(d));
        } else if let Some(p) = power(c) {
            if p < 1e4 {
                let k = coefficient.take().unwrap_or(1.0);
                if p >= last_small || k >= 10.0 {
                    return None;
                }
                last_small = p;
                group += k * p;
            } else {
                let k = group + coefficient.take().unwrap_or(0.0);
                if p >= last_big || k == 0.0 || k >= 1e4 {
                    return None;
                }
                last_big = p;
                last_small = f64::INFINITY;
                total += k * p;
                group = 0.0;
            }
        }
    }
    let rest = group + coefficient.unwrap_or(0.0);
    if rest >= 1e4 {
        return None;
    }
    Some(total + rest)
}

/// Why a value read as words holds no one number to compute with, for the
/// message that says so; `None` for plain words (`維持`, `一部実施`), which
/// are meant as words. A sub-value in brackets is asked for with
/// `sub_counts` (a figure has no sub-values; an indicator's `4,372人 (198人)`
/// does).
pub(crate) fn why_not_one_number(r: &Reading, sub_counts: bool) -> Option<String> {
    if let (Value::Number(_), Some(sub)) = (&r.value, &r.sub) {
        let inner = Reading::parse(sub);
        return (sub_counts && inner.quantity().is_some())
            .then(|| format!("the bracket holds another number ({sub})"));
    }
    let text = match &r.value {
        Value::Text(text) => normalise(text),
        Value::Compound(_) => normalise(&r.printed),
        _ => return None,
    };
    let kanji = |c: char| kanji_digit(c).is_some() || matches!(c, '十' | '百');
    let ascii = ascii_numbers(&text);
    if !ascii.is_empty() && text.chars().any(kanji) {
        return Some("it mixes digits and kanji numerals".into());
    }
    if ascii.len() > 1 {
        return Some(format!(
            "it holds {} numbers ({})",
            ascii.len(),
            ascii.join(", ")
        ));
    }
    if ascii.len() == 1 {
        return Some(format!("it has words besides the number {}", ascii[0]));
    }
    let start = text.trim_start_matches(['約', '▲']);
    let end = start
        .find(|c: char| !(kanji_digit(c).is_some() || power(c).is_some()))
        .unwrap_or(start.len());
    let numeral = &start[..end];
    let after = &start[end..];
    let before_unit = !numeral.is_empty()
        && !numeral.starts_with(['万', '億'])
        && KANJI_UNITS.iter().any(|u| after.starts_with(u));
    if !before_unit {
        return None;
    }
    let side_by_side = numeral.chars().count() > 1
        && numeral.chars().all(|c| kanji_digit(c).is_some())
        && !numeral.contains('〇');
    Some(if side_by_side {
        format!("the kanji numerals {numeral} can mean \"this or that many\" (二三 is \"two or three\")")
    } else {
        format!("the kanji numerals {numeral} are not written as one number followed by its unit")
    })
}

/// The numbers written in digits in a text: `15件以上(29件)` → 15, 29;
/// `1万5千件超` → 1万5千.
fn ascii_numbers(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut prev_digit = false;
    for c in text.chars() {
        // `1,200`, `4.5万`, `6万4千` are one number each.
        let digit =
            c.is_ascii_digit() || (prev_digit && (matches!(c, ',' | '.') || power(c).is_some()));
        if digit {
            if !prev_digit {
                out.push(String::new());
            }
            if let Some(n) = out.last_mut() {
                n.push(c);
            }
        }
        prev_digit = digit;
    }
    out.into_iter()
        .map(|n| n.trim_end_matches([',', '.']).to_string())
        .collect()
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
    fn kanji_numerals_followed_by_a_unit() {
        for (typed, number, unit) in [
            ("十五件", 15.0, "件"),
            ("二十一人", 21.0, "人"),
            ("百二十件", 120.0, "件"),
            ("三千五百円", 3500.0, "円"),
            ("一万二千人", 12000.0, "人"),
            ("十万円", 100_000.0, "円"),
            ("五件", 5.0, "件"),
            ("〇件", 0.0, "件"),
            ("二〇二件", 202.0, "件"),
            ("６万４千件", 64000.0, "件"),
            ("12万3000人", 123_000.0, "人"),
            ("約6万4千件", 64000.0, "件"),
            ("十か所", 10.0, "か所"),
        ] {
            let r = Reading::parse(typed);
            assert_eq!(
                (q(&r).number, q(&r).unit.as_str()),
                (number, unit),
                "{typed}"
            );
            assert_eq!(r.printed, typed.trim());
        }
        let r = Reading::parse("十五件以上");
        assert_eq!(
            (q(&r).number, r.comparator),
            (15.0, Some(Comparator::AtLeast))
        );
        assert!(q(&Reading::parse("約6万4千件")).approx);
    }

    #[test]
    fn words_holding_a_numeral_stay_words() {
        for typed in [
            "一部実施",
            "一部",
            "一元化",
            "三鷹市",
            "二三件",
            "十百件",
            "千千件",
            "一〇〇万件",
            "十五",
            "五六人",
            "十〇件",
            "一人ひとり",
            "6万4千件と3件",
            "十5件",
            "2千5百件",
        ] {
            assert!(
                matches!(Reading::parse(typed).value, Value::Text(_)),
                "{typed}: {:?}",
                Reading::parse(typed)
            );
        }
    }

    #[test]
    fn reasons_a_value_is_not_one_number() {
        let why = |s: &str| why_not_one_number(&Reading::parse(s), true);
        assert_eq!(why("維持"), None);
        assert_eq!(why("一部実施"), None);
        assert_eq!(why("34,677件"), None);
        assert_eq!(
            why("4,372人 (198人)").as_deref(),
            Some("the bracket holds another number (198人)")
        );
        assert_eq!(
            why_not_one_number(&Reading::parse("4,372人 (198人)"), false),
            None
        );
        assert_eq!(why("326事業所 (平成21年)"), None);
        assert_eq!(
            why("1万5千件超").as_deref(),
            Some("it has words besides the number 1万5千")
        );
        assert_eq!(
            why("十5件").as_deref(),
            Some("it mixes digits and kanji numerals")
        );
        assert_eq!(
            why("15件または20件").as_deref(),
            Some("it holds 2 numbers (15, 20)")
        );
        assert_eq!(
            why("15件以上(29件)以上").as_deref(),
            Some("it holds 2 numbers (15, 29)")
        );
        assert!(why("二三件").unwrap().contains("kanji numerals 二三"));
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
