//! English files (`<name>.en.md`): merged onto the Japanese document field by
//! field. Also computes the version of the Japanese text a translation must
//! record (`translates = "…"`), and how much of a document is translated.

use super::plan::YearKeys;
use super::raw::{RawInitiativeEn, RawTitleEn};
use super::source::SourceFile;
use crate::diagnostics::Diagnostics;
use crate::model::{Coverage, Initiative, Plan, Text, Translation};
use sha2::{Digest, Sha256};
use toml::Spanned;

/// Every translatable text of an initiative, in a fixed order.
pub fn initiative_texts(i: &Initiative) -> Vec<&Text> {
    let mut v: Vec<&Text> = vec![&i.title];
    v.extend(i.reason.iter());
    v.extend(i.activities.iter());
    v.extend(i.ended.iter().filter_map(|e| e.note.as_ref()));
    for row in &i.schedule {
        v.extend(row.label.iter());
        v.extend(row.plan.values());
    }
    for y in i.years.values() {
        v.extend(
            [&y.phase, &y.target, &y.result, &y.reason]
                .into_iter()
                .flatten(),
        );
        v.extend(y.figures.iter().map(|f| &f.name));
    }
    v.push(&i.body);
    v
}

/// The version of the Japanese text: a short hash of its translatable fields.
pub fn version(texts: &[&Text]) -> String {
    let mut h = Sha256::new();
    for t in texts {
        h.update(t.ja.trim().as_bytes());
        h.update([0x1f]);
    }
    h.finalize()
        .iter()
        .take(4)
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn coverage(texts: &[&Text]) -> Coverage {
    let wanted: Vec<&&Text> = texts.iter().filter(|t| !t.is_empty()).collect();
    let done = wanted
        .iter()
        .filter(|t| t.en.as_ref().is_some_and(|e| !e.trim().is_empty()))
        .count();
    match done {
        0 => Coverage::None,
        n if n == wanted.len() => Coverage::Full,
        _ => Coverage::Partial,
    }
}

fn set(text: &mut Text, en: Option<String>) {
    if let Some(e) = en.filter(|e| !e.trim().is_empty()) {
        text.en = Some(e);
    }
}

/// Compares the recorded version with the current one. `coverage` is how
/// much of the document the English file translates: a partial translation
/// is told that the rest shows in Japanese.
pub(super) fn check_version(
    file: &SourceFile,
    translates: Option<&Spanned<String>>,
    version: &str,
    coverage: Coverage,
    diags: &mut Diagnostics,
) {
    let line = format!("translates = \"{version}\"");
    match translates {
        Some(t) if t.get_ref() == version => {}
        Some(t) => diags.warning(
            &file.at(t),
            format!("stale translation: the Japanese text has changed since version {}", t.get_ref()),
            Some(format!(
                "compare the English with the Japanese file and bring it up to date; then change this line to: {line}"
            )),
        ),
        None if coverage == Coverage::Partial => diags.warning(
            &file.locate_front(0),
            "this English file translates only part of the Japanese, and does not record which version of the Japanese it translates",
            Some(format!(
                "{line} is the Japanese file as it is now: paste this line under the first +++ line once the English here is up to date with it (the parts not translated show in Japanese on the English page; mieruka then warns when the Japanese changes)"
            )),
        ),
        None => diags.warning(
            &file.locate_front(0),
            "this English file does not record which version of the Japanese it translates",
            Some(format!(
                "{line} is the Japanese file as it is now: paste this line under the first +++ line once the English is up to date with it (mieruka then warns when the Japanese changes)"
            )),
        ),
    }
}

/// A plan or section: title (and short title) and body.
pub fn apply_title_en(
    en: Option<(SourceFile, RawTitleEn)>,
    title: &mut Text,
    mut short_title: Option<&mut Text>,
    body: &mut Text,
    diags: &mut Diagnostics,
) -> Translation {
    let file = en.as_ref().map(|(f, _)| f.path.clone());
    if let Some((f, raw)) = en {
        let version_before = version(&[title, body]);
        set(title, raw.title);
        if let (Some(s), en_short) = (short_title.as_deref_mut(), raw.short_title) {
            set(s, en_short);
        }
        set(body, Some(f.body().to_string()));
        let done = title_coverage(title, short_title.as_deref(), body);
        check_version(&f, raw.translates.as_ref(), &version_before, done, diags);
    }
    Translation {
        coverage: title_coverage(title, short_title.as_deref(), body),
        file,
        version: version(&[title, body]),
    }
}

fn title_coverage(title: &Text, short_title: Option<&Text>, body: &Text) -> Coverage {
    let mut texts: Vec<&Text> = vec![title, body];
    texts.extend(short_title);
    coverage(&texts)
}

/// An initiative: every text field that has an English counterpart.
pub fn apply_initiative_en(
    init: &mut Initiative,
    plan: &Plan,
    en: Option<(SourceFile, RawInitiativeEn)>,
    diags: &mut Diagnostics,
) {
    let ja_version = version(&initiative_texts(init));
    let file = en.as_ref().map(|(f, _)| f.path.clone());
    if let Some((f, raw)) = en {
        set(&mut init.title, raw.title);
        // English for a text the Japanese file does not have would be
        // dropped: said, at its key.
        let orphan = |key: &str, what: &str, diags: &mut Diagnostics| {
            diags.warning(
                &key_location(&f, key),
                format!("`{key}` has no Japanese text to translate: the Japanese file has no {what}, so this English is not shown"),
                Some(format!("add {what} to the Japanese file first, or remove `{key}` here")),
            );
        };
        match init.reason.as_mut() {
            Some(r) => set(r, raw.reason),
            None if raw.reason.is_some() => orphan("reason", "`reason`", diags),
            None => {}
        }
        match init.ended.as_mut().and_then(|e| e.note.as_mut()) {
            Some(note) => set(note, raw.ended.and_then(|e| e.note)),
            None if raw.ended.as_ref().is_some_and(|e| e.note.is_some()) => {
                orphan("ended", "`ended` with a `note`", diags)
            }
            None => {}
        }
        if let Some(acts) = raw.activities {
            if acts.len() != init.activities.len() {
                diags.error(
                    &f.locate_front(0),
                    format!(
                        "activities has {} entries but the Japanese file has {}",
                        acts.len(),
                        init.activities.len()
                    ),
                    Some("translate the activities one by one, in the same order".into()),
                );
            }
            for (t, e) in init.activities.iter_mut().zip(acts) {
                set(t, Some(e));
            }
        }
        if raw.schedule.len() > init.schedule.len() {
            diags.error(
                &f.locate_front(0),
                format!(
                    "{} [[schedule]] rows, but the Japanese file has {}",
                    raw.schedule.len(),
                    init.schedule.len()
                ),
                Some("the English rows translate the Japanese rows in the same order".into()),
            );
        }
        for (row, en_row) in init.schedule.iter_mut().zip(raw.schedule) {
            if let Some(l) = row.label.as_mut() {
                set(l, en_row.label);
            }
            let mut keys = YearKeys::default();
            for (y, text) in en_row.plan {
                let Some(fy) = keys.year(plan, &y, &f, diags) else {
                    continue;
                };
                match row.plan.get_mut(&fy) {
                    Some(t) => set(t, Some(text)),
                    None => diags.error(
                        &f.at(&y),
                        format!("the Japanese row has no plan text for {}", fy.en()),
                        None,
                    ),
                }
            }
        }
        let mut keys = YearKeys::default();
        for (y, en_year) in raw.years {
            let Some(fy) = keys.year(plan, &y, &f, diags) else {
                continue;
            };
            let Some(entry) = init.years.get_mut(&fy) else {
                diags.error(
                    &f.at(&y),
                    format!("the Japanese file has no [years] entry for {}", fy.en()),
                    None,
                );
                continue;
            };
            if let Some(names) = en_year.figures {
                if names.len() != entry.figures.len() {
                    diags.error(
                        &f.at(&y),
                        format!(
                            "{} figure names for {}, but the Japanese file has {} figures",
                            names.len(),
                            fy.en(),
                            entry.figures.len()
                        ),
                        Some("translate the figure names one by one, in the same order".into()),
                    );
                }
                for (fig, name) in entry.figures.iter_mut().zip(names) {
                    set(&mut fig.name, Some(name));
                }
            }
            for (t, e) in [
                (&mut entry.phase, en_year.phase),
                (&mut entry.target, en_year.target),
                (&mut entry.result, en_year.result),
                (&mut entry.reason, en_year.reason),
            ] {
                if let Some(t) = t.as_mut() {
                    set(t, e);
                }
            }
        }
        set(&mut init.body, Some(f.body().to_string()));
        let done = coverage(&initiative_texts(init));
        check_version(&f, raw.translates.as_ref(), &ja_version, done, diags);
    }
    init.translation = Translation {
        coverage: coverage(&initiative_texts(init)),
        file,
        version: ja_version,
    };
}

/// The state of a document before its English file is read.
pub fn no_translation() -> Translation {
    Translation {
        coverage: Coverage::None,
        file: None,
        version: String::new(),
    }
}

/// Where `key` is set in a file's front matter (`key =`, `[key]` or a
/// dotted `key.` at the start of a line), or the file's start.
fn key_location(f: &SourceFile, key: &str) -> crate::diagnostics::Location {
    let front = f.front_matter();
    let mut offset = 0;
    for line in front.split_inclusive('\n') {
        let t = line.trim_start();
        let rest = t.strip_prefix('[').unwrap_or(t);
        if let Some(after) = rest.strip_prefix(key) {
            if after.trim_start().starts_with(['=', ']', '.']) {
                return f.locate_front(offset + (line.len() - t.len()));
            }
        }
        offset += line.len();
    }
    f.locate_front(0)
}
