//! A value ([`Reading`]) as a page shows it. Japanese pages show it as
//! printed. English pages read it in English, with the unit names of
//! [`Units`]: `15件以上` → "15 or more cases", `約4万件` → "about 40,000
//! cases", `▲1,200千円` → "−1,200 thousand yen", `80台以下` → "80 or fewer
//! units", `4,372人 (198人)` → "4,372 people (198 people)", `326事業所
//! (平成21年)` → "326 establishments (2009)", `8施設 98事業者` → "8
//! facilities, 98 businesses". A unit nothing names stays Japanese, marked
//! `lang="ja"` (`check` warns about it); words (`維持`) stay Japanese whole.

use super::markdown::escape_html;
use super::views::{Ctx, Txt};
use crate::model::units::{multiplier, Units};
use crate::model::value::{format_number, Comparator, Quantity, Reading, Value};
use crate::model::{FiscalYear, Label, Lang};
use unicode_normalization::UnicodeNormalization;

/// `r` in the page's language; `own` is the indicator's or figure's
/// `unit = { ja, en }`. A missing value is "—" in English.
pub(crate) fn shown(ctx: &Ctx, r: &Reading, own: Option<&Label>) -> Txt {
    match (&r.value, ctx.lang) {
        (Value::Missing, Lang::En) => english(vec![Piece::En("—".into())], Lang::En),
        (Value::Number(_) | Value::Compound(_), Lang::En) => {
            english(in_english(&ctx.site.config.units, r, own), Lang::En)
        }
        _ => Txt {
            text: r.printed.clone(),
            lang: "ja",
            fallback: ctx.lang != Lang::Ja,
            html: None,
        },
    }
}

/// A piece of an English value: English, or Japanese left as it is.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    En(String),
    Ja(String),
}

/// Pieces as one text; as HTML too where a piece is Japanese.
fn english(pieces: Vec<Piece>, lang: Lang) -> Txt {
    let text = pieces
        .iter()
        .map(|p| match p {
            Piece::En(s) | Piece::Ja(s) => s.as_str(),
        })
        .collect();
    let mixed = pieces.iter().any(|p| matches!(p, Piece::Ja(_)));
    let html = mixed.then(|| {
        pieces
            .iter()
            .map(|p| match p {
                Piece::En(s) => escape_html(s),
                Piece::Ja(s) => format!(r#"<span lang="ja">{}</span>"#, escape_html(s)),
            })
            .collect()
    });
    Txt {
        text,
        lang: lang.code(),
        fallback: false,
        html,
    }
}

/// A number or numbers in English, then what the printed text had in
/// brackets: a sub-value and a measurement year. (Brackets are only shown
/// where they were printed: a `measured` key has its own column, and `同左`
/// prints none.)
fn in_english(units: &Units, r: &Reading, own: Option<&Label>) -> Vec<Piece> {
    let quantities = match &r.value {
        Value::Number(q) => vec![q.clone()],
        Value::Compound(qs) => joined(qs),
        _ => Vec::new(),
    };
    let mut out = Vec::new();
    let last = quantities.len().saturating_sub(1);
    for (i, q) in quantities.iter().enumerate() {
        if i > 0 {
            out.push(Piece::En(", ".into()));
        }
        // A bound is written once, after the last number.
        out.extend(quantity(units, q, r.comparator.filter(|_| i == last), own));
    }
    if !r.printed.contains(['(', '（']) {
        return out;
    }
    if let Some(sub) = &r.sub {
        out.push(Piece::En(" (".into()));
        out.extend(sub_pieces(units, r, sub, own));
        out.push(Piece::En(")".into()));
    }
    if let Some(m) = &r.measured {
        out.push(Piece::En(" (".into()));
        out.push(year(m).map_or_else(|| Piece::Ja(m.clone()), Piece::En));
        out.push(Piece::En(")".into()));
    }
    out
}

/// A bracketed sub-value (`198人`) in English, or as printed.
fn sub_pieces(units: &Units, r: &Reading, sub: &str, own: Option<&Label>) -> Vec<Piece> {
    let s = Reading::parse(sub);
    match s.quantity() {
        // A bare number in brackets is a note mark (①②, read as 12).
        Some(q) if !q.unit.is_empty() && units.resolve(&q.unit, own).is_some() => {
            quantity(units, q, s.comparator, own)
        }
        _ => vec![Piece::Ja(as_printed(&r.printed, sub))],
    }
}

/// The sub-value of `r` on its own (the note column of a table).
pub(crate) fn sub_value(ctx: &Ctx, r: &Reading, own: Option<&Label>) -> Option<Txt> {
    let sub = r.sub.as_ref()?;
    Some(match ctx.lang {
        Lang::Ja => Txt {
            text: sub.clone(),
            lang: "ja",
            fallback: false,
            html: None,
        },
        Lang::En => english(sub_pieces(&ctx.site.config.units, r, sub, own), Lang::En),
    })
}

/// A measurement year in the page's language (a column of its own):
/// FY2019, 2009, or the Japanese as written.
pub(crate) fn measured(ctx: &Ctx, m: &str) -> Txt {
    match year(m).filter(|_| ctx.lang == Lang::En) {
        Some(y) => english(vec![Piece::En(y)], Lang::En),
        None => Txt {
            text: m.to_string(),
            lang: "ja",
            fallback: ctx.lang != Lang::Ja,
            html: None,
        },
    }
}

/// One number with its unit: "about 40,000 cases", "15 or more cases",
/// "20% or less"; an unnamed unit in Japanese.
fn quantity(
    units: &Units,
    q: &Quantity,
    bound: Option<Comparator>,
    own: Option<&Label>,
) -> Vec<Piece> {
    let about = if q.approx { "about " } else { "" };
    let Some((factor, name)) = units.resolve(&q.unit, own) else {
        let mut out = vec![
            Piece::En(format!("{about}{} ", format_number(q.number, q.decimals))),
            Piece::Ja(q.unit.clone()),
        ];
        if let Some(b) = bound {
            out.push(Piece::En(format!(" {}", bound_words(b, false))));
        }
        return out;
    };
    let number = q.number * factor;
    // 1.5億円 is 150 million yen: the factor's zeros eat decimals.
    let decimals = q.decimals.saturating_sub(factor.log10().round() as usize);
    let n = format_number(number, decimals);
    let unit = match bound {
        Some(_) => name.other.as_str(),
        None => name.after(number, decimals),
    };
    let sep = if unit.is_empty() || unit == "%" {
        ""
    } else {
        " "
    };
    let text = match bound {
        // "15 or more cases", but "20% or more" and "1,200 thousand yen or less".
        Some(b) if name.countable => format!("{about}{n} {} {unit}", bound_words(b, true)),
        Some(b) => format!("{about}{n}{sep}{unit} {}", bound_words(b, false)),
        None => format!("{about}{n}{sep}{unit}"),
    };
    vec![Piece::En(text)]
}

fn bound_words(b: Comparator, countable: bool) -> &'static str {
    match (b, countable) {
        (Comparator::AtLeast, _) => "or more",
        (Comparator::AtMost, true) => "or fewer",
        (Comparator::AtMost, false) => "or less",
        (Comparator::Exactly, _) => "exactly",
    }
}

/// `約6万4千件` is one number written in two parts (read as `約6万` and
/// `4千件`): a bare multiplier joins the number after it, 64,000件.
fn joined(qs: &[Quantity]) -> Vec<Quantity> {
    let mut out: Vec<Quantity> = Vec::new();
    let mut carry: Option<(f64, bool)> = None;
    for (i, q) in qs.iter().enumerate() {
        let factor = multiplier(&q.unit).filter(|_| i + 1 < qs.len());
        match (factor, carry.take()) {
            (Some(f), c) => {
                let (sum, approx) = c.unwrap_or((0.0, false));
                carry = Some((sum + q.number * f, approx || q.approx));
            }
            (None, Some((sum, approx))) => {
                let (value, unit) = q.base();
                out.push(Quantity {
                    number: sum + value,
                    unit,
                    decimals: 0,
                    approx: approx || q.approx,
                });
            }
            (None, None) => out.push(q.clone()),
        }
    }
    out
}

/// A bracketed text as printed (`④※⑤`), not as read (`4※5`).
fn as_printed(printed: &str, read: &str) -> String {
    let opens = printed.match_indices(['(', '（']);
    for (start, open) in opens {
        let inner = &printed[start + open.len()..];
        for (end, _) in inner.match_indices([')', '）']) {
            let candidate = inner[..end].trim();
            if candidate.nfkc().collect::<String>().trim() == read {
                return candidate.to_string();
            }
        }
    }
    read.to_string()
}

/// A measurement year in English: `平成21年` → 2009, `令和元年度` → FY2019;
/// `None` for anything else (a date stays Japanese).
fn year(m: &str) -> Option<String> {
    let fy = FiscalYear::parse(m)?;
    Some(if m.ends_with('年') {
        fy.0.to_string()
    } else {
        fy.en()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::units::UnitName;

    fn en_with(units: &Units, printed: &str, own: Option<&Label>) -> Txt {
        english(in_english(units, &Reading::parse(printed), own), Lang::En)
    }

    fn en(printed: &str) -> String {
        en_with(&Units::default(), printed, None).text
    }

    #[test]
    fn numbers_units_and_bounds() {
        assert_eq!(en("15件以上"), "15 or more cases");
        assert_eq!(en("1件"), "1 case");
        assert_eq!(en("0件"), "0 cases");
        assert_eq!(en("34,677件"), "34,677 cases");
        assert_eq!(en("80台以下"), "80 or fewer units");
        assert_eq!(en("20%以下"), "20% or less");
        assert_eq!(en("33.46%"), "33.46%");
        assert_eq!(en("約41%"), "about 41%");
        assert_eq!(en("1.29"), "1.29");
        assert_eq!(en("80km"), "80 km");
        assert_eq!(en("10業務/年"), "10 tasks per year");
    }

    #[test]
    fn money_and_multipliers() {
        assert_eq!(en("1,200千円"), "1,200 thousand yen");
        assert_eq!(en("▲1,200千円"), "−1,200 thousand yen");
        assert_eq!(en("33,653百万円"), "33,653 million yen");
        assert_eq!(en("1,000百万円以下"), "1,000 million yen or less");
        assert_eq!(en("80億円"), "8,000 million yen");
        assert_eq!(en("1.5億円"), "150 million yen");
        assert_eq!(en("400円"), "400 yen");
        assert_eq!(en("約4万件"), "about 40,000 cases");
        assert_eq!(en("4.5万件"), "45,000 cases");
        assert_eq!(en("約6万4千件"), "about 64,000 cases");
    }

    #[test]
    fn brackets_compounds_and_unknown_units() {
        assert_eq!(en("4,372人 (198人)"), "4,372 people (198 people)");
        assert_eq!(en("326事業所 (平成21年)"), "326 establishments (2009)");
        assert_eq!(en("60,000人 (令和3年度)"), "60,000 people (FY2021)");
        assert_eq!(en("8施設 98事業者"), "8 facilities, 98 businesses");
        let t = en_with(&Units::default(), "2件 (④※⑤)", None);
        assert_eq!(t.text, "2 cases (④※⑤)");
        assert_eq!(en("4件(①②③④)"), "4 cases (①②③④)");
        assert_eq!(
            t.html.as_deref(),
            Some(r#"2 cases (<span lang="ja">④※⑤</span>)"#)
        );
        let t = en_with(&Units::default(), "5手続き以上", None);
        assert_eq!(t.text, "5 手続き or more");
        assert_eq!(
            t.html.as_deref(),
            Some(r#"5 <span lang="ja">手続き</span> or more"#)
        );
        assert_eq!(en_with(&Units::default(), "15件", None).html, None);
    }

    #[test]
    fn the_site_and_the_indicator_name_units() {
        let mut units = Units::default();
        units.site.insert(
            "手続き".into(),
            UnitName::counted("procedure", "procedures"),
        );
        assert_eq!(en_with(&units, "1手続き", None).text, "1 procedure");
        assert_eq!(
            en_with(&units, "600手続き以上", None).text,
            "600 or more procedures"
        );
        let visits = Label {
            ja: "件".into(),
            en: "visits".into(),
        };
        assert_eq!(
            en_with(&units, "約4万件", Some(&visits)).text,
            "about 40,000 visits"
        );
        assert_eq!(en_with(&units, "3人", Some(&visits)).text, "3 people");
    }
}
