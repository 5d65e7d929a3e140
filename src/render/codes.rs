//! Numbering codes of sections and initiatives (第6部, 基本方針1, ①, ⑤ーア)
//! on English pages: written the English way where the code follows a
//! pattern (Part 6, Basic policy 1, (1), 5-a), else the staff's `code_en`,
//! else as printed. A Japanese prefix before an English heading reads as
//! a leftover to residents and is read out in the wrong language.

use crate::model::{Label, Lang};
use unicode_normalization::UnicodeNormalization;

/// The code as shown on a page in `lang`.
pub fn shown(lang: Lang, code: &str, code_en: Option<&str>, levels: &[Label]) -> String {
    match lang {
        Lang::Ja => code.to_string(),
        Lang::En => code_en
            .map(str::to_string)
            .or_else(|| english(code, levels))
            .unwrap_or_else(|| code.to_string()),
    }
}

/// Level words that codes start with, beyond a plan's own level names.
const WORDS: &[(&str, &str)] = &[
    ("基本目標", "Basic goal"),
    ("基本方針", "Basic policy"),
    ("基本施策", "Basic measure"),
    ("施策", "Measure"),
    ("取組", "Initiative"),
    ("重点", "Priority"),
    ("目標", "Goal"),
];

/// The English form of a code that follows a known pattern.
pub fn english(code: &str, levels: &[Label]) -> Option<String> {
    let code = code.trim();
    // Circled numbers first (NFKC would make ① a plain 1).
    let mut chars = code.chars();
    if let Some(n) = chars.next().and_then(circled) {
        let rest: String = chars.collect();
        let rest = rest.trim_start_matches(['ー', '-', '－', '‐', '―', '−']);
        if rest.is_empty() {
            return Some(format!("({n})"));
        }
        let mut r = rest.chars();
        return match (r.next().and_then(kana_letter), r.next()) {
            (Some(l), None) => Some(format!("{n}-{l}")),
            _ => None,
        };
    }
    let s: String = code.nfkc().collect();
    if s.is_ascii() {
        return Some(s);
    }
    if let Some(inner) = s.strip_prefix('第') {
        for (suffix, word) in [
            ("部", "Part"),
            ("章", "Chapter"),
            ("節", "Section"),
            ("編", "Volume"),
            ("条", "Article"),
        ] {
            if let Some(n) = inner.strip_suffix(suffix).and_then(number) {
                return Some(format!("{word} {n}"));
            }
        }
        return number(inner).map(|n| format!("No. {n}"));
    }
    let words = levels
        .iter()
        .map(|l| (l.ja.as_str(), l.en.as_str()))
        .chain(WORDS.iter().copied());
    for (ja, en) in words {
        if let Some(n) = s.strip_prefix(ja).and_then(number) {
            return Some(format!("{en} {n}"));
        }
    }
    None
}

/// ① … ⑳ → 1 … 20.
fn circled(c: char) -> Option<u32> {
    let n = c as u32;
    (0x2460..=0x2473).contains(&n).then(|| n - 0x2460 + 1)
}

/// ア イ ウ エ オ カ … (the order items are lettered in) → a b c d e f …
fn kana_letter(c: char) -> Option<char> {
    const KANA: &str =
        "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ";
    KANA.chars()
        .position(|k| k == c)
        .filter(|&i| i < 26)
        .map(|i| (b'a' + i as u8) as char)
}

/// A number as written in a code: digits with `-`/`.` between parts
/// (4-1, 2.3), or kanji numerals up to 99 (六, 十二).
fn number(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let unified: String = s
        .chars()
        .map(|c| {
            if matches!(c, 'ー' | '－' | '−' | '‐' | '―' | 'の') {
                '-'
            } else {
                c
            }
        })
        .collect();
    if unified
        .chars()
        .all(|c| c.is_ascii_digit() || c == '-' || c == '.')
        && unified.starts_with(|c: char| c.is_ascii_digit())
        && unified.ends_with(|c: char| c.is_ascii_digit())
    {
        return Some(unified);
    }
    kanji(s).map(|n| n.to_string())
}

fn kanji(s: &str) -> Option<u32> {
    let digit = |c: char| {
        "〇一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|d| d as u32)
    };
    let cs: Vec<char> = s.chars().collect();
    match cs.as_slice() {
        ['十'] => Some(10),
        [d] => digit(*d),
        ['十', d] => Some(10 + digit(*d)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', d] => Some(digit(*t)? * 10 + digit(*d)?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en(code: &str) -> Option<String> {
        let levels = [Label {
            ja: "部".into(),
            en: "Part".into(),
        }];
        english(code, &levels)
    }

    #[test]
    fn codes_that_follow_a_pattern_are_written_in_english() {
        for (ja, want) in [
            ("①", "(1)"),
            ("⑳", "(20)"),
            ("⑤ーア", "5-a"),
            ("④ーイ", "4-b"),
            ("⑤-ウ", "5-c"),
            ("第6部", "Part 6"),
            ("第六部", "Part 6"),
            ("第2章", "Chapter 2"),
            ("第2", "No. 2"),
            ("第4-1", "No. 4-1"),
            ("第4－1", "No. 4-1"),
            ("第十二", "No. 12"),
            ("基本方針1", "Basic policy 1"),
            ("基本目標３", "Basic goal 3"),
            ("施策2-3", "Measure 2-3"),
            ("1-2", "1-2"),
            ("Ａ－１", "A-1"),
        ] {
            assert_eq!(en(ja).as_deref(), Some(want), "{ja}");
        }
    }

    #[test]
    fn codes_without_a_pattern_are_left_to_code_en() {
        for ja in ["重点プロジェクト", "⑤ーアイ", "第", "その他"] {
            assert_eq!(en(ja), None, "{ja}");
        }
        assert_eq!(shown(Lang::En, "その他", Some("Other"), &[]), "Other");
        assert_eq!(shown(Lang::En, "その他", None, &[]), "その他");
        assert_eq!(shown(Lang::Ja, "第6部", Some("Part six"), &[]), "第6部");
        // code_en wins over the pattern.
        assert_eq!(shown(Lang::En, "第6部", Some("Part six"), &[]), "Part six");
    }
}
