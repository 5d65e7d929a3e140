//! The search tokenizer of the index; `themes/default/static/assets/search.js`
//! implements the same rules for the query, and `tests/search_tokens.json`
//! holds cases both are tested against (`shared_cases` here,
//! `tests/browser/search.mjs` there).
//!
//! 1. NFKC per character cluster (full-width letters and digits to ASCII,
//!    half-width katakana to full-width), lower case, the long-vowel mark
//!    ending a katakana word dropped ([`normalise`]);
//! 2. fiscal years in any spelling (令和5年度, R5, 2023年度, FY2023, 平成31年度)
//!    become one term `fy2023`;
//! 3. a run of kanji, kana and `ー` becomes its overlapping character bigrams
//!    and then its last character (子育て支援 → 子育 育て て支 支援 援), at
//!    consecutive positions: a query's run matches where its bigrams stand
//!    at consecutive positions, that is, exactly where the text has it;
//! 4. ASCII words stay words, plural-stemmed; two adjacent ones are also
//!    indexed joined (child care → childcare).
//!
//! (Pagefind, used before, segmented Japanese with a dictionary at index
//! time and with the browser's segmenter at query time, which disagree, and
//! matched near misses; see `super`.)

use crate::model::FiscalYear;
use unicode_normalization::UnicodeNormalization;

fn is_cjk(c: char) -> bool {
    // ・ (U+30FB) and ゠ sit in the katakana block but separate words.
    c != '・'
        && c != '゠'
        && matches!(c,
        '\u{3041}'..='\u{309F}' // hiragana
        | '\u{30A0}'..='\u{30FF}' // katakana and ー
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '々' | '〆')
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// Replaces every fiscal-year spelling by ` fyNNNN `.
fn years(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if let Some((len, fy)) = year_at(&chars[i..]) {
            // Not in the middle of an ASCII word (e.g. "fr5").
            let prev_word = i > 0 && is_word(chars[i - 1]);
            if !prev_word {
                out.push_str(&format!(" fy{} ", fy.0));
                i += len;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// A fiscal year starting at the beginning of `c`: its length in characters.
fn year_at(c: &[char]) -> Option<(usize, FiscalYear)> {
    let digits = |from: usize| {
        c.get(from..)
            .map_or(0, |r| r.iter().take_while(|d| d.is_ascii_digit()).count())
    };
    // 年度 (2 characters), 年 (1) or nothing after a year.
    let suffix = |at: usize| match (c.get(at), c.get(at + 1)) {
        (Some('年'), Some('度')) => 2,
        (Some('年'), _) => 1,
        _ => 0,
    };
    for (era, first) in [
        (['令', '和'], 2019u32),
        (['平', '成'], 1989),
        (['昭', '和'], 1926),
    ] {
        if c.starts_with(&era) {
            let (n, len) = if c.get(2) == Some(&'元') {
                (1, 1)
            } else {
                (parse(&c[2..2 + digits(2)])?, digits(2))
            };
            if len == 0 || n == 0 || n > 99 {
                return None;
            }
            return Some((
                2 + len + suffix(2 + len),
                FiscalYear((first + n - 1) as u16),
            ));
        }
    }
    match c.first().copied()? {
        era @ ('r' | 'h') => {
            let n = digits(1);
            if n == 0 || n > 2 || c.get(1 + n).is_some_and(|x| is_word(*x)) {
                return None;
            }
            let v = parse(&c[1..1 + n])?;
            let y = if era == 'r' { 2018 + v } else { 1988 + v };
            if v == 0 || (era == 'h' && y > 2019) {
                return None;
            }
            Some((1 + n + suffix(1 + n), FiscalYear(y as u16)))
        }
        'f' if c.get(1) == Some(&'y') => {
            if digits(2) != 4 || c.get(6).is_some_and(|x| is_word(*x)) {
                return None;
            }
            Some((6, FiscalYear(parse(&c[2..6])? as u16)))
        }
        d if d.is_ascii_digit() => {
            // 2023年度 or 2023年; a bare 2023 stays a number.
            if digits(0) != 4 || suffix(4) == 0 {
                return None;
            }
            let y = parse(&c[..4])?;
            (1900..=2200)
                .contains(&y)
                .then_some((4 + suffix(4), FiscalYear(y as u16)))
        }
        _ => None,
    }
}

fn parse(c: &[char]) -> Option<u32> {
    c.iter().collect::<String>().parse().ok()
}

/// NFKC and lower case: what residents type and what pages say, alike;
/// then the long-vowel mark ending a katakana word of four or more
/// characters is dropped, as Lucene's `JapaneseKatakanaStemFilter` does, so
/// that コンピューター and コンピュータ, サーバー and サーバ are one word.
///
/// NFKC is applied to each character with the marks that belong to it
/// (combining and voiced-sound marks, joiners, variation selectors), as
/// `search.js` does so that it can map every normalised character back to
/// the text for highlighting.
pub fn normalise(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let mut j = i + 1;
        while j < chars.len() && joins_previous(chars[j]) {
            j += 1;
        }
        let c = chars[i];
        if j == i + 1 && is_nfkc_alone(c) {
            // Most characters: NFKC leaves them as they are.
            out.extend(c.to_lowercase());
        } else {
            let unit: String = chars[i..j].iter().collect();
            out.push_str(&unit.nfkc().collect::<String>().to_lowercase());
        }
        i = j;
    }
    stem_katakana(&out)
}

/// Whether NFKC leaves `c`, standing alone, as it is.
fn is_nfkc_alone(c: char) -> bool {
    c.is_ascii()
        || unicode_normalization::is_nfkc_quick(std::iter::once(c))
            == unicode_normalization::IsNormalized::Yes
}

fn joins_previous(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{3099}' | '\u{309A}' | '\u{FF9E}' | '\u{FF9F}' | '\u{200D}' | '\u{FE00}'..='\u{FE0F}')
}

fn is_katakana(c: char) -> bool {
    matches!(c, '\u{30A1}'..='\u{30FA}' | 'ー')
}

fn stem_katakana(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut run = 0;
    for (i, &c) in chars.iter().enumerate() {
        run = if is_katakana(c) { run + 1 } else { 0 };
        let ends_run = !chars.get(i + 1).is_some_and(|&n| is_katakana(n));
        if c == 'ー' && ends_run && run >= 4 {
            continue;
        }
        out.push(c);
    }
    out
}

/// A term and its position in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub term: String,
    pub pos: u32,
}

/// A simple English plural stem (Harman's S-stemmer): policies → policy,
/// boxes → box, plans → plan; class, status, bus stay. Words of three
/// letters or fewer, and words with digits, are left alone.
pub fn stem(w: &str) -> String {
    let n = w.len();
    if n <= 3 || !w.bytes().all(|b| b.is_ascii_lowercase()) {
        return w.to_string();
    }
    if w.ends_with("ies") && !w.ends_with("eies") && !w.ends_with("aies") {
        return format!("{}y", &w[..n - 3]);
    }
    if w.ends_with("es")
        && ["sses", "shes", "ches", "xes", "zes"]
            .iter()
            .any(|e| w.ends_with(e))
    {
        return w[..n - 2].to_string();
    }
    if w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        return w[..n - 1].to_string();
    }
    w.to_string()
}

/// English words never part of a compound: not joined with their
/// neighbours (which would only grow the index).
const STOP: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on",
    "or", "the", "to", "was", "with",
];

/// The terms of a text with their positions, as the index holds them.
///
/// - A run of Japanese characters of length n ≥ 2 gives its n − 1
///   overlapping bigrams and then its last character alone (the run's end),
///   at consecutive positions: 子育て → 子育 育て て. A query's run matches
///   where the same bigrams stand at consecutive positions, i.e. exactly
///   where the text contains it; a single character is a prefix.
/// - An ASCII word is one term, plural-stemmed ([`stem`]).
/// - Words and runs separated only by spaces, or ASCII words by a hyphen,
///   take consecutive positions; any other character (punctuation, a line
///   break between blocks) leaves a gap, so that no phrase spans it.
/// - With `joins`, two ASCII words separated only by a space or hyphen are
///   also one term at the first one's position (child care, e-mail →
///   childcare, email), so that the joined spelling finds them.
pub fn analyse(text: &str, joins: bool) -> Vec<Token> {
    let norm = years(&normalise(text));
    let chars: Vec<char> = norm.chars().collect();
    let mut out = Vec::new();
    let mut pos: u32 = 0;
    let mut gap = false;
    // The previous ASCII word (raw) and its position, while it may join.
    let mut prev_word: Option<(String, u32)> = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_cjk(c) {
            let start = i;
            while i < chars.len() && is_cjk(chars[i]) {
                i += 1;
            }
            if gap {
                pos += 1;
                gap = false;
            }
            let run = &chars[start..i];
            for w in run.windows(2) {
                out.push(Token {
                    term: w.iter().collect(),
                    pos,
                });
                pos += 1;
            }
            out.push(Token {
                term: run[run.len() - 1].to_string(),
                pos,
            });
            pos += 1;
            prev_word = None;
        } else if is_word(c) {
            let start = i;
            while i < chars.len() && is_word(chars[i]) {
                i += 1;
            }
            let raw: String = chars[start..i].iter().collect();
            if gap {
                pos += 1;
                gap = false;
                prev_word = None;
            }
            if let (true, Some((p, at))) = (joins, prev_word.take()) {
                if !STOP.contains(&p.as_str()) && !STOP.contains(&raw.as_str()) {
                    out.push(Token {
                        term: stem(&format!("{p}{raw}")),
                        pos: at,
                    });
                }
            }
            out.push(Token {
                term: stem(&raw),
                pos,
            });
            prev_word = Some((raw, pos));
            pos += 1;
        } else {
            let hyphen = c == '-' && prev_word.is_some();
            if !(c == ' ' || c == '\t' || hyphen) {
                gap = true;
                prev_word = None;
            }
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Case {
        input: String,
        tokens: Vec<String>,
    }

    /// Normalising character by character, as before the short way for
    /// characters NFKC leaves alone.
    fn normalise_each(s: &str) -> String {
        let chars: Vec<char> = s.chars().collect();
        let mut out = String::new();
        let mut i = 0;
        while i < chars.len() {
            let mut j = i + 1;
            while j < chars.len() && joins_previous(chars[j]) {
                j += 1;
            }
            let unit: String = chars[i..j].iter().collect();
            out.push_str(&unit.nfkc().collect::<String>().to_lowercase());
            i = j;
        }
        stem_katakana(&out)
    }

    /// Every character of the Basic Multilingual Plane and beyond, alone
    /// and before a voiced-sound mark, normalises as it did.
    #[test]
    fn the_short_way_normalises_every_character_alike() {
        let all: Vec<char> = (0..0x3_0000u32).filter_map(char::from_u32).collect();
        for chunk in all.chunks(64) {
            let text: String = chunk.iter().collect();
            assert_eq!(normalise(&text), normalise_each(&text), "{chunk:?}");
            let marked: String = chunk.iter().flat_map(|&c| [c, '\u{3099}', 'Σ']).collect();
            assert_eq!(normalise(&marked), normalise_each(&marked), "{chunk:?}");
        }
    }

    /// The cases the browser's tokenizer is tested against too.
    #[test]
    fn shared_cases() {
        let cases: Vec<Case> = serde_json::from_str(include_str!("../../tests/search_tokens.json"))
            .expect("valid JSON");
        for c in cases {
            let got: Vec<String> = analyse(&c.input, true)
                .into_iter()
                .map(|t| format!("{}@{}", t.term, t.pos))
                .collect();
            assert_eq!(got, c.tokens, "{}", c.input);
        }
    }
}
