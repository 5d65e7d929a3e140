//! `content/site.toml` and `content/departments/*.toml`: the site settings,
//! its municipalities and their departments.

use super::raw::{RawDepartments, RawLabel, RawSite, RawUnitName, YearInput};
use super::source::{parse_toml, read_text};
use crate::diagnostics::{did_you_mean, Diagnostics, LineIndex, Location};
use crate::model::units::{UnitName, Units};
use crate::model::{
    Contact, Department, FiscalYear, Label, Lang, License, Municipality, SiteConfig,
    DEFAULT_THEME_NAME,
};
use std::path::Path;
use toml::Spanned;

pub fn label(raw: RawLabel) -> Label {
    Label {
        ja: raw.ja,
        en: raw.en,
    }
}

/// Where a spanned value of a TOML file sits.
pub fn at<T>(path: &Path, text: &str, v: &Spanned<T>) -> Location {
    let (line, column) = LineIndex::new(text).position(v.span().start);
    Location {
        path: path.to_path_buf(),
        line,
        column,
    }
}

/// Reads `site.toml`; `None` (with diagnostics) when it cannot be used.
pub fn load_site(root: &Path, diags: &mut Diagnostics) -> Option<(SiteConfig, Vec<Municipality>)> {
    let rel = Path::new("content/site.toml");
    let text = read_text(root, rel, diags)?;
    let raw: RawSite = parse_toml(&text, 0, rel, &text, diags)?;
    let mut base_url = raw.base_url.get_ref().trim().to_string();
    if !(base_url.starts_with("https://") || base_url.starts_with("http://")) {
        diags.error(
            &at(rel, &text, &raw.base_url),
            format!("base_url `{base_url}` is not an http(s) address"),
            Some("write the public address of the site, e.g. base_url = \"https://www.city.example.jp/kaikaku/\"".into()),
        );
    }
    if !base_url.ends_with('/') {
        base_url.push('/');
    }
    let mut languages = vec![Lang::Ja, Lang::En];
    if let Some(langs) = &raw.languages {
        let parsed: Vec<Option<Lang>> = langs.get_ref().iter().map(|l| Lang::parse(l)).collect();
        if parsed.first() != Some(&Some(Lang::Ja))
            || parsed.iter().any(Option::is_none)
            || parsed.len() > 2
        {
            diags.error(
                &at(rel, &text, langs),
                "languages must be [\"ja\"] or [\"ja\", \"en\"]",
                Some(
                    "Japanese is the original language and comes first; English is optional".into(),
                ),
            );
        } else {
            languages = parsed.into_iter().flatten().collect();
        }
    }
    if let Some(theme) = &raw.theme {
        let name = theme.get_ref();
        let plain = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !plain {
            diags.error(
                &at(rel, &text, theme),
                format!("theme `{name}` is not the name of a folder in themes/"),
                Some("themes come from the site's own themes/ folder: write its name only, e.g. theme = \"default\" or theme = \"mycity\" for themes/mycity/".into()),
            );
        } else if name != DEFAULT_THEME_NAME && !root.join("themes").join(name).is_dir() {
            theme_missing(root, name, &at(rel, &text, theme), diags);
        }
    }
    let mut municipalities: Vec<Municipality> = Vec::new();
    for m in raw.municipalities {
        if municipalities.iter().any(|x| x.id == *m.id.get_ref()) {
            diags.error(
                &at(rel, &text, &m.id),
                format!("municipality `{}` is listed twice", m.id.get_ref()),
                None,
            );
            continue;
        }
        check_slug(rel, &text, &m.id, diags);
        municipalities.push(Municipality {
            id: m.id.into_inner(),
            name: label(m.name),
        });
    }
    let units = units(rel, &text, &raw.units, diags);
    let config = SiteConfig {
        stale_after_years: raw.stale_after_years.unwrap_or(2),
        units,
        title: label(raw.title),
        description: raw.description.map(label),
        base_url,
        languages,
        theme: raw
            .theme
            .map_or_else(|| DEFAULT_THEME_NAME.into(), Spanned::into_inner),
        license: raw.license.map(|l| License {
            name: label(l.name),
            url: l
                .url
                .and_then(|u| checked_url(&u, &at(rel, &text, &u), diags)),
        }),
        contact: raw.contact.map(|c| Contact {
            name: label(c.name),
            email: c
                .email
                .and_then(|e| checked_email(&e, &at(rel, &text, &e), diags)),
            url: c
                .url
                .and_then(|u| checked_url(&u, &at(rel, &text, &u), diags)),
        }),
    };
    Some((config, municipalities))
}

/// A theme named in site.toml with no folder in themes/ (the build would
/// stop on it): reported at the name, with the themes there are.
fn theme_missing(root: &Path, name: &str, at: &Location, diags: &mut Diagnostics) {
    let mut found = vec![DEFAULT_THEME_NAME.to_string()];
    if let Ok(dir) = std::fs::read_dir(root.join("themes")) {
        let mut own: Vec<String> = dir
            .flatten()
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !super::is_hidden(n) && n != DEFAULT_THEME_NAME)
            .collect();
        own.sort();
        found.extend(own);
    }
    let listed: Vec<String> = found.iter().map(|n| format!("`{n}`")).collect();
    let guess = did_you_mean(name, found.iter().map(String::as_str))
        .map_or(String::new(), |g| format!("did you mean `{g}`? "));
    diags.error(
        at,
        format!("theme `{name}` not found: there is no folder themes/{name}/"),
        Some(format!(
            "{guess}themes found: {} (`{DEFAULT_THEME_NAME}` is built in); write one of them, or create the folder themes/{name}/",
            listed.join(", ")
        )),
    );
}

/// The site's English names of units (`[units]`); an empty name is an error.
fn units(
    rel: &Path,
    text: &str,
    raw: &std::collections::BTreeMap<String, Spanned<RawUnitName>>,
    diags: &mut Diagnostics,
) -> Units {
    let mut units = Units::default();
    for (unit, name) in raw {
        let named = match name.get_ref() {
            RawUnitName::Amount(n) => UnitName::amount(n.trim()),
            RawUnitName::Counted(c) => UnitName::counted(c.one.trim(), c.other.trim()),
        };
        if unit.trim().is_empty() || named.one.is_empty() || named.other.is_empty() {
            diags.error(
                &at(rel, text, name),
                format!("[units] `{unit}` has no English name"),
                Some("write the unit and its English, e.g. \"手続き\" = { one = \"procedure\", other = \"procedures\" }, or \"t\" = \"tonnes\" for a unit that is not counted".into()),
            );
            continue;
        }
        units.site.insert(unit.trim().to_string(), named);
    }
    units
}

/// A web address typed by staff, made safe to put in an `href`: `http:`,
/// `https:` and `mailto:` addresses and site-relative paths (`/pdf/…`).
/// Anything else — `javascript:`, `data:`, `vbscript:`, a scheme hidden by
/// case, tabs or spaces (` JaVaScRiPt:`, `java\tscript:`, which browsers
/// run), `//host` — is an error at its place; `None` then.
pub fn checked_url(v: &Spanned<String>, at: &Location, diags: &mut Diagnostics) -> Option<String> {
    match url_problem(v.get_ref()) {
        None => Some(v.get_ref().trim().to_string()),
        Some(problem) => {
            diags.error(
                at,
                format!("`{}` {problem}", v.get_ref()),
                Some("write a full web address, e.g. \"https://www.city.example.jp/plan.html\" (or mailto:…, or a path on this site starting with /)".into()),
            );
            None
        }
    }
}

fn url_problem(url: &str) -> Option<&'static str> {
    let url = url.trim();
    if url.is_empty() {
        return Some("is empty");
    }
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Some("holds a space, tab or line break (write a space as %20)");
    }
    if url.starts_with("//") || url.starts_with("/\\") || url.starts_with('\\') {
        return Some("names another server without http:// or https://");
    }
    if url.starts_with('/') {
        return None;
    }
    let Some(scheme_end) = url.find(':') else {
        return Some("is not a full web address (it should start with https://)");
    };
    let scheme = &url[..scheme_end];
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !is_scheme {
        return Some("is not a full web address (it should start with https://)");
    }
    let rest = &url[scheme_end + 1..];
    match scheme.to_ascii_lowercase().as_str() {
        "http" | "https" => {
            let host = rest
                .strip_prefix("//")
                .map(|r| r.split(['/', '?', '#']).next().unwrap_or(""));
            match host {
                Some(h) if !h.is_empty() => None,
                _ => Some("has no server name after http(s)://"),
            }
        }
        "mailto" if !rest.is_empty() => None,
        _ => {
            Some("is not an http:, https: or mailto: address; other kinds of links are not allowed")
        }
    }
}

/// An e-mail address for a `mailto:` link: one `@`, no spaces, nothing a
/// URL would read as more than an address.
fn checked_email(v: &Spanned<String>, at: &Location, diags: &mut Diagnostics) -> Option<String> {
    let email = v.get_ref().trim();
    let ok = email.split('@').count() == 2
        && !email.starts_with('@')
        && !email.ends_with('@')
        && email
            .chars()
            .all(|c| c.is_ascii_graphic() && !"<>\"'`:/\\?#&%(),;[]".contains(c));
    if ok {
        Some(email.to_string())
    } else {
        diags.error(
            at,
            format!("`{}` is not an e-mail address", v.get_ref()),
            Some("write the address only, e.g. email = \"kikaku@city.example.jp\"".into()),
        );
        None
    }
}

/// An id used in URLs: ASCII letters, digits, `-` and `_`.
pub fn check_slug(path: &Path, text: &str, id: &Spanned<String>, diags: &mut Diagnostics) -> bool {
    match super::checks::slug_problem("id", id.get_ref()) {
        Some((message, hint)) => {
            diags.error(&at(path, text, id), message, Some(hint));
            false
        }
        None => true,
    }
}

/// Parses a fiscal year typed anywhere, reporting it when it is not one.
pub fn parse_year(input: &YearInput, at: &Location, diags: &mut Diagnostics) -> Option<FiscalYear> {
    let text = input.as_text();
    // A Western year must lie in 1900–2200, but an era year could reach
    // FY9999 (`R7000`), making a plan period of thousands of years and as
    // many pages: hold every spelling to the same range.
    let fy = FiscalYear::parse(&text).filter(|y| (1900..=2200).contains(&y.0));
    if fy.is_none() {
        diags.error(
            at,
            format!("`{text}` is not a fiscal year"),
            Some("write a fiscal year from 1900 to 2200 as 2023, FY2023, R5 or 令和5年度".into()),
        );
    }
    fy
}

/// Reads every `content/departments/*.toml`.
/// Every department file; one that cannot be read is noted in `failed`, so
/// that the departments it lists are not reported again as unknown.
pub fn load_departments(
    root: &Path,
    municipalities: &[Municipality],
    failed: &mut super::failed::Failed,
    diags: &mut Diagnostics,
) -> Vec<Department> {
    let dir = root.join("content/departments");
    let mut out: Vec<Department> = Vec::new();
    if !dir.is_dir() {
        return out;
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&dir).max_depth(1).sort_by_file_name() {
        match entry {
            // Links and other non-folders go on: reading them reports a
            // link out of the site or a pipe.
            Ok(e)
                if !e.file_type().is_dir() && e.path().extension().is_some_and(|x| x == "toml") =>
            {
                files.push(e);
            }
            Ok(_) => {}
            Err(e) => super::source::walk_error(root, &e, diags),
        }
    }
    for entry in files {
        let rel = Path::new("content/departments").join(entry.file_name());
        let Some(text) = read_text(root, &rel, diags) else {
            failed.departments(None);
            continue;
        };
        let Some(raw): Option<RawDepartments> = parse_toml(&text, 0, &rel, &text, diags) else {
            failed.departments(Some(&text));
            continue;
        };
        let muni_at = at(&rel, &text, &raw.municipality);
        let Some(muni) = municipality(municipalities, &raw.municipality, &muni_at, diags) else {
            continue;
        };
        for d in raw.departments {
            check_slug(&rel, &text, &d.id, diags);
            let name_at = at(&rel, &text, &d.name);
            let clash = out.iter().any(|o| {
                o.municipality == muni
                    && (o.id == *d.id.get_ref() || o.name.ja == d.name.get_ref().ja)
            });
            if clash {
                diags.error(
                    &name_at,
                    format!(
                        "department `{}` ({}) is defined twice",
                        d.name.get_ref().ja,
                        d.id.get_ref()
                    ),
                    Some("each department id and name may appear once per municipality".into()),
                );
                continue;
            }
            let mut formerly = Vec::new();
            for f in d.formerly {
                if let Some(y) = parse_year(f.until.get_ref(), &at(&rel, &text, &f.until), diags) {
                    formerly.push((f.name, y));
                }
            }
            out.push(Department {
                id: d.id.into_inner(),
                municipality: muni,
                name: label(d.name.into_inner()),
                formerly,
            });
        }
    }
    out
}

/// The municipality a plan or department file names, or an error with a hint.
pub fn municipality(
    municipalities: &[Municipality],
    id: &Spanned<String>,
    at: &Location,
    diags: &mut Diagnostics,
) -> Option<usize> {
    let found = municipalities.iter().position(|m| m.id == *id.get_ref());
    if found.is_none() {
        let ids: Vec<&str> = municipalities.iter().map(|m| m.id.as_str()).collect();
        diags.error(
            at,
            format!(
                "municipality `{}` is not listed in content/site.toml",
                id.get_ref()
            ),
            Some(match did_you_mean(id.get_ref(), ids.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "add it under [[municipalities]] in content/site.toml".into(),
            }),
        );
    }
    found
}
