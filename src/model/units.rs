//! English names of the units values are printed in (`件` → case/cases,
//! `千円` → thousand yen): built-in names of the common units, which a site
//! adds to or overrides in `site.toml` `[units]`, and an indicator's or a
//! figure's own `unit = { ja, en }` above both.
//!
//! [`Units::resolve`] says how a unit reads in English: the name, and the
//! factor its numbers are multiplied by (`4万件` is 40,000 cases, `3億円`
//! 300 million yen). The renderer shows values with it; `check` warns about
//! units it cannot name.

use super::value::split_multiplier;
use super::Label;
use std::collections::BTreeMap;

/// How a unit reads after a number in English.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitName {
    /// After 1: `case`.
    pub one: String,
    /// After any other number: `cases`.
    pub other: String,
    /// Counted things take "or fewer", amounts "or less".
    pub countable: bool,
}

impl UnitName {
    pub fn counted(one: &str, other: &str) -> UnitName {
        UnitName {
            one: one.into(),
            other: other.into(),
            countable: true,
        }
    }

    /// An amount or a measure: one form after every number (`yen`, `km`).
    pub fn amount(name: &str) -> UnitName {
        UnitName {
            one: name.into(),
            other: name.into(),
            countable: false,
        }
    }

    /// The form after `number`: singular for exactly 1.
    pub fn after(&self, number: f64, decimals: usize) -> &str {
        if number == 1.0 && decimals == 0 {
            &self.one
        } else {
            &self.other
        }
    }

    fn per_year(self) -> UnitName {
        UnitName {
            one: format!("{} per year", self.one),
            other: format!("{} per year", self.other),
            countable: self.countable,
        }
    }
}

/// Counted units every site knows: (unit, singular, plural).
const COUNTED: &[(&str, &str, &str)] = &[
    ("件", "case", "cases"),
    ("人", "person", "people"),
    ("名", "person", "people"),
    ("回", "time", "times"),
    ("箇所", "location", "locations"),
    ("か所", "location", "locations"),
    ("カ所", "location", "locations"),
    ("ヵ所", "location", "locations"),
    ("ケ所", "location", "locations"),
    ("施設", "facility", "facilities"),
    ("事業所", "establishment", "establishments"),
    ("事業者", "business", "businesses"),
    ("団体", "organisation", "organisations"),
    ("店舗", "shop", "shops"),
    ("校", "school", "schools"),
    ("台", "unit", "units"),
    ("業務", "task", "tasks"),
    ("課", "division", "divisions"),
    ("室", "room", "rooms"),
    ("種類", "type", "types"),
    ("住区", "district", "districts"),
    ("時間", "hour", "hours"),
    ("日", "day", "days"),
    ("冊", "volume", "volumes"),
];

/// Amounts every site knows: (unit, name, factor). `億円` has no English
/// word of its own: 3億円 is 300 million yen.
const AMOUNTS: &[(&str, &str, f64)] = &[
    ("円", "yen", 1.0),
    ("千円", "thousand yen", 1.0),
    ("百万円", "million yen", 1.0),
    ("億円", "million yen", 100.0),
    ("%", "%", 1.0),
];

/// A multiplier written alone before the next number (`約6万4千件`) or
/// after a bare number (`約4万`).
const MULTIPLIERS: &[(&str, f64)] = &[("千", 1e3), ("万", 1e4), ("百万", 1e6), ("億", 1e8)];

/// The factor of a unit that is only a multiplier (`万`), if it is one.
pub fn multiplier(unit: &str) -> Option<f64> {
    MULTIPLIERS
        .iter()
        .find(|(m, _)| *m == unit)
        .map(|(_, f)| *f)
}

/// The built-in name of `unit`, and its factor.
fn built_in(unit: &str) -> Option<(f64, UnitName)> {
    if let Some((_, one, other)) = COUNTED.iter().find(|(u, _, _)| *u == unit) {
        return Some((1.0, UnitName::counted(one, other)));
    }
    AMOUNTS
        .iter()
        .find(|(u, _, _)| *u == unit)
        .map(|(_, name, factor)| (*factor, UnitName::amount(name)))
}

/// The singular of a regular English plural of one word: projects →
/// project, facilities → facility, businesses → business; `None` for
/// anything else (people, children, yen, two words).
fn singular(plural: &str) -> Option<String> {
    if !plural.chars().all(|c| c.is_ascii_lowercase()) || plural.ends_with("ss") {
        return None;
    }
    if let Some(stem) = plural.strip_suffix("ies") {
        return Some(format!("{stem}y"));
    }
    for ending in ["sses", "shes", "ches", "xes"] {
        if plural.ends_with(ending) {
            return Some(plural[..plural.len() - 2].to_string());
        }
    }
    plural
        .strip_suffix('s')
        .filter(|stem| stem.len() > 1)
        .map(str::to_string)
}

/// A unit already written in Latin letters and symbols (`km`, `kW`,
/// `t-CO2`, `m³`): the same in English.
fn latin(unit: &str) -> bool {
    unit.chars().any(|c| c.is_ascii_alphabetic())
        && unit
            .chars()
            .all(|c| c.is_ascii_graphic() || matches!(c, '²' | '³' | '°' | 'µ' | '·'))
}

/// The English names of a site: its own `[units]` over the built-in ones.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Units {
    pub site: BTreeMap<String, UnitName>,
}

impl Units {
    /// How `unit` reads in English — `own` is the indicator's or figure's
    /// `unit = { ja, en }`, used for values written in its `ja` — as the
    /// factor its numbers are multiplied by and the name; `None` when
    /// nothing names it. An empty unit (a bare number) has an empty name.
    pub fn resolve(&self, unit: &str, own: Option<&Label>) -> Option<(f64, UnitName)> {
        if unit.is_empty() {
            return Some((1.0, UnitName::amount("")));
        }
        if let Some(named) = self.exact(unit, own) {
            return Some(named);
        }
        if let Some(factor) = multiplier(unit) {
            return Some((factor, UnitName::amount("")));
        }
        if let Some(base) = unit.strip_suffix("/年") {
            return self
                .resolve(base, own)
                .filter(|(_, n)| !n.other.is_empty())
                .map(|(f, n)| (f, n.per_year()));
        }
        let (factor, base) = split_multiplier(unit);
        if factor != 1.0 {
            return self.exact(&base, own).map(|(f, n)| (f * factor, n));
        }
        latin(unit).then(|| (1.0, UnitName::amount(unit)))
    }

    /// `unit` named as it is: by `own`, the site, or the built-in names.
    fn exact(&self, unit: &str, own: Option<&Label>) -> Option<(f64, UnitName)> {
        let shared = self
            .site
            .get(unit)
            .map(|n| (1.0, n.clone()))
            .or_else(|| built_in(unit));
        match own.filter(|l| l.ja == unit) {
            // The indicator's English is the form after numbers other than
            // 1; for 1, the known unit's singular where it has the same
            // plural, else the word without its plural ending. The Japanese
            // unit says whether it is counted (件, 台 are counters).
            Some(l) => {
                let regular = singular(&l.en);
                let countable = shared
                    .as_ref()
                    .map_or(regular.is_some(), |(_, n)| n.countable);
                let one = match shared {
                    Some((_, n)) if n.other == l.en => n.one,
                    _ => regular.unwrap_or_else(|| l.en.clone()),
                };
                Some((
                    1.0,
                    UnitName {
                        one,
                        other: l.en.clone(),
                        countable,
                    },
                ))
            }
            None => shared,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(unit: &str) -> Option<(f64, String)> {
        Units::default()
            .resolve(unit, None)
            .map(|(f, n)| (f, n.other))
    }

    #[test]
    fn built_in_and_derived_names() {
        assert_eq!(name("件"), Some((1.0, "cases".into())));
        assert_eq!(name("千円"), Some((1.0, "thousand yen".into())));
        assert_eq!(name("億円"), Some((100.0, "million yen".into())));
        assert_eq!(name("万件"), Some((1e4, "cases".into())));
        assert_eq!(name("万円"), Some((1e4, "yen".into())));
        assert_eq!(name("万"), Some((1e4, String::new())));
        assert_eq!(name("業務/年"), Some((1.0, "tasks per year".into())));
        assert_eq!(name("km"), Some((1.0, "km".into())));
        assert_eq!(name("t-CO2"), Some((1.0, "t-CO2".into())));
        assert_eq!(name("m³"), Some((1.0, "m³".into())));
        assert_eq!(name("事業者数"), None);
        assert_eq!(name("※"), None);
    }

    #[test]
    fn the_site_and_the_indicator_come_first() {
        let mut units = Units::default();
        units
            .site
            .insert("件".into(), UnitName::counted("request", "requests"));
        units.site.insert(
            "手続き".into(),
            UnitName::counted("procedure", "procedures"),
        );
        let other = |u: &str, own: Option<&Label>| units.resolve(u, own).map(|(_, n)| n.other);
        assert_eq!(other("件", None).as_deref(), Some("requests"));
        assert_eq!(other("万手続き", None).as_deref(), Some("procedures"));
        let visits = Label {
            ja: "件".into(),
            en: "visits".into(),
        };
        let (_, n) = units.resolve("件", Some(&visits)).unwrap();
        assert_eq!((n.one.as_str(), n.other.as_str()), ("visit", "visits"));
        assert!(n.countable);
        assert_eq!(other("人", Some(&visits)).as_deref(), Some("people"));
        // Where the indicator's English is the known plural, 1 is singular.
        let people = Label {
            ja: "人".into(),
            en: "people".into(),
        };
        let (_, n) = Units::default().resolve("人", Some(&people)).unwrap();
        assert_eq!((n.after(1.0, 0), n.after(2.0, 0)), ("person", "people"));
        assert!(n.countable);
    }

    #[test]
    fn singulars_of_regular_plurals() {
        assert_eq!(singular("projects").as_deref(), Some("project"));
        assert_eq!(singular("facilities").as_deref(), Some("facility"));
        assert_eq!(singular("businesses").as_deref(), Some("business"));
        assert_eq!(singular("people"), None);
        assert_eq!(singular("million yen"), None);
        assert_eq!(singular("ha"), None);
        assert_eq!(singular("glass"), None);
    }
}
