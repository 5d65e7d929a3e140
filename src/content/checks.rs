//! Checks that span files: unique ids, `repeat_of` references, stored
//! ratings compared with the plan's derivation rule — and the names that
//! become file names: ids and folder names a web address and every
//! computer (Windows included) can hold.

use super::failed::Failed;
use super::{PendingRepeat, Places};
use crate::diagnostics::{Diagnostics, Location};
use crate::model::value::{Reading, Value as ReadValue};
use crate::model::{AppliesTo, Initiative, Lang, Plan, Section, Site, TargetValue};
use evalexpr::{eval_boolean_with_context, ContextWithMutableVariables, HashMapContext, Value};
use std::collections::BTreeMap;

pub fn unique_ids(
    plans: &[Plan],
    sections: &[Section],
    initiatives: &[Initiative],
    places: &Places,
    diags: &mut Diagnostics,
) {
    let mut seen: BTreeMap<&str, &std::path::Path> = BTreeMap::new();
    for p in plans {
        if let Some(first) = seen.insert(&p.id, &p.path) {
            diags.error(
                &Location::file(&p.path),
                format!(
                    "duplicate plan id `{}` (also used in {})",
                    p.id,
                    first.display()
                ),
                Some("plan ids name web addresses and must be unique".into()),
            );
        }
    }
    // Reported at the `id` of the second file, naming where the first has it.
    let mut seen: BTreeMap<&str, &Location> = BTreeMap::new();
    for (i, at) in initiatives.iter().zip(&places.initiative_id) {
        if let Some(first) = seen.get(i.id.as_str()) {
            diags.error(
                at,
                format!(
                    "duplicate id `{}`: already used by {}:{}",
                    i.id,
                    first.path.display().to_string().replace('\\', "/"),
                    first.line
                ),
                Some("every initiative needs its own id; give this one a new id".into()),
            );
        } else {
            seen.insert(&i.id, at);
        }
    }
    // Initiative pages live at /<plan>/<id>/, beside the top-level section folders.
    for (i, at) in initiatives.iter().zip(&places.initiative_id) {
        let top_folders = sections
            .iter()
            .filter(|s| s.plan == i.plan && s.parent.is_none())
            .map(|s| s.slug.rsplit('/').next().unwrap_or(""));
        if RESERVED.contains(&i.id.as_str()) || top_folders.into_iter().any(|f| f == i.id) {
            diags.error(
                at,
                format!(
                    "id `{}` is also the name of a page folder of this plan",
                    i.id
                ),
                Some("choose another id".into()),
            );
        }
    }
}

/// Page folders of a plan that are not sections.
pub(crate) const RESERVED: &[&str] = &["status", "indicators", "data", "changes", "reports", PAGES];

/// The folder of the later pages of a long list (`…/page/2/`), inside the
/// plan's and every section's folder.
pub(crate) const PAGES: &str = "page";

pub fn resolve_repeats(
    initiatives: &mut [Initiative],
    pending: Vec<PendingRepeat>,
    failed: &Failed,
    diags: &mut Diagnostics,
) {
    for (idx, id, at) in pending {
        match initiatives.iter().position(|i| i.id == *id.get_ref()) {
            Some(target) if target != idx => initiatives[idx].repeat_of = Some(target),
            Some(_) => diags.error(&at, "an initiative cannot repeat itself", None),
            // The id of a file that did not load: that file is reported already.
            None if failed.has_id(id.get_ref()) => {}
            None => diags.error(
                &at,
                format!(
                    "repeat_of names `{}`, which is no initiative's id",
                    id.get_ref()
                ),
                Some(format!(
                    "write the id of the original initiative{}",
                    failed.unread_note().unwrap_or_default()
                )),
            ),
        }
    }
}

/// The longest derivation rule, in characters. Real rules are a line
/// (`(C == 0 && B > A) || (C > 0 && A + B > C)`); the expression evaluator
/// recurses once per nesting level, and 100,000 parentheses overflowed the
/// stack and killed the process.
const MAX_RULE: usize = 200;

/// How deeply a rule may nest parentheses.
const MAX_RULE_DEPTH: usize = 8;

/// What makes a rule unsafe to hand to the evaluator: too long, too deeply
/// nested, or written with anything but counts, numbers, spaces and
/// `+ - * / < > = ! & | ( )` (no strings, no function calls).
fn rule_problem(rule: &str) -> Option<String> {
    if rule.chars().count() > MAX_RULE {
        return Some(format!("it is longer than {MAX_RULE} characters"));
    }
    if let Some(c) = rule.chars().find(|c| {
        !(c.is_ascii_alphanumeric() || c == &'_' || c == &' ' || "+-*/<>=!&|()".contains(*c))
    }) {
        return Some(format!("`{c}` is not allowed in a rule"));
    }
    let mut depth = 0usize;
    for c in rule.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > MAX_RULE_DEPTH {
            return Some(format!(
                "it nests brackets more than {MAX_RULE_DEPTH} levels deep"
            ));
        }
    }
    None
}

/// Evaluates a derivation rule with the given counts.
pub fn eval_rule(rule: &str, counts: &[(String, i64)]) -> Result<bool, String> {
    if let Some(problem) = rule_problem(rule) {
        return Err(problem);
    }
    let mut ctx = HashMapContext::<evalexpr::DefaultNumericTypes>::new();
    for (k, n) in counts {
        ctx.set_value(k.clone(), Value::from_int(*n))
            .map_err(|e| e.to_string())?;
    }
    eval_boolean_with_context(rule, &ctx).map_err(|e| e.to_string())
}

/// Stored section ratings against the rule their plan states (warnings only).
pub fn derived_ratings(site: &Site, places: &Places, diags: &mut Diagnostics) {
    for (section_idx, section) in site.sections.iter().enumerate() {
        // Counting without an initiative that did not load (or a rating it
        // failed to give) is no reason to doubt the stored rating.
        if sections_below(site, section_idx)
            .iter()
            .any(|s| places.incomplete.contains(s))
        {
            continue;
        }
        let plan = &site.plans[section.plan];
        for (&scale_idx, by_year) in &section.status {
            let scale = &plan.scales[scale_idx];
            let Some(derive) = &scale.derive else {
                continue;
            };
            let from = &plan.scales[derive.from];
            if from.applies_to != AppliesTo::Initiative {
                continue;
            }
            for (&year, &stored) in by_year {
                let mut counts: Vec<(String, i64)> =
                    from.values.iter().map(|v| (v.key.clone(), 0)).collect();
                let mut any = false;
                // Every initiative below the section: a section above the last
                // section level has none of its own, so counting only direct
                // children never checked its rating.
                for i in initiatives_below(site, section_idx) {
                    if let Some(v) = site.initiatives[i].years.get(&year).and_then(|y| y.status) {
                        counts[v].1 += 1;
                        any = true;
                    }
                }
                if !any {
                    continue;
                }
                let matching: Vec<usize> = derive
                    .rules
                    .iter()
                    .filter(|(_, rule)| eval_rule(rule, &counts).unwrap_or(false))
                    .map(|(v, _)| *v)
                    .collect();
                if let [derived] = matching.as_slice() {
                    if *derived != stored {
                        let counted: Vec<String> = counts
                            .iter()
                            .filter(|(_, n)| *n > 0)
                            .map(|(k, n)| format!("{k} {n}"))
                            .collect();
                        let at = places.rating[section_idx]
                            .get(&(scale_idx, year))
                            .cloned()
                            .unwrap_or_else(|| Location::file(&section.path));
                        diags.warning(
                            &at,
                            format!(
                                "{} {} for {} is `{}`, but the plan's rule gives `{}` from the ratings below ({})",
                                scale.name.ja,
                                section.code.as_deref().unwrap_or(&section.title.ja),
                                year.en(),
                                scale.values[stored].key,
                                scale.values[*derived].key,
                                counted.join(", ")
                            ),
                            Some("the stored rating is kept; check it against the rule in _plan.md".into()),
                        );
                    }
                }
            }
        }
    }
}

/// A section and all its sub-sections.
fn sections_below(site: &Site, section: usize) -> Vec<usize> {
    let mut out = vec![section];
    for &sub in &site.sections[section].sections {
        out.extend(sections_below(site, sub));
    }
    out
}

/// The initiatives of a section and of all its sub-sections.
fn initiatives_below(site: &Site, section: usize) -> Vec<usize> {
    let s = &site.sections[section];
    let mut out = s.initiatives.clone();
    for &sub in &s.sections {
        out.extend(initiatives_below(site, sub));
    }
    out
}

/// The longest id or folder name: each becomes a file or folder name of the
/// output (`<id>/index.html`, `<id>.csv`), and file systems stop at 255
/// bytes per name and Windows at 260 per path.
pub(crate) const MAX_ID: usize = 64;

/// Names Windows reserves for devices, in any case and with any extension
/// (`aux.md` cannot be checked out on Windows either).
const WINDOWS_DEVICES: &[&str] = &[
    "con", "prn", "aux", "nul", "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7",
    "com8", "com9", "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

pub(crate) fn windows_device(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).trim_end();
    WINDOWS_DEVICES.contains(&stem.to_ascii_lowercase().as_str())
}

/// What is wrong with an id or a folder name used in web addresses and file
/// names, as (message, hint); `None` when it can be used.
pub(crate) fn slug_problem(what: &str, s: &str) -> Option<(String, String)> {
    let example = "use ASCII letters, digits and hyphens only, e.g. \"gyokaku6-001\"";
    if s.is_empty() {
        return Some((format!("{what} is empty"), example.into()));
    }
    if !s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Some((
            format!("{what} `{s}` can not be used in a web address"),
            example.into(),
        ));
    }
    if s.len() > MAX_ID {
        return Some((
            format!(
                "{what} `{}…` is {} characters long; at most {MAX_ID} can be used in file names",
                &s[..24],
                s.len()
            ),
            "use a short id, e.g. \"gyokaku6-001\"".into(),
        ));
    }
    if windows_device(s) {
        return Some((
            format!("{what} `{s}` is a name Windows reserves for a device: such a file cannot be saved or checked out on Windows"),
            "choose another name (CON, PRN, AUX, NUL, COM0–9 and LPT0–9 are reserved)".into(),
        ));
    }
    None
}

/// Every file and folder name under `content/` that Windows cannot hold:
/// device names (`con`, `aux.md`), names ending in a dot or a space, and
/// the characters `<>:"|?*\`. A site is edited on Windows: such a name
/// breaks the checkout or the copy for everyone there.
pub fn portable_names(root: &std::path::Path, diags: &mut Diagnostics) {
    for entry in super::walk(root, std::path::Path::new("content"))
        .min_depth(1)
        .into_iter()
        .flatten()
    {
        let name = entry.file_name().to_string_lossy();
        if super::is_hidden(&name) {
            continue;
        }
        if entry.depth() == super::MAX_DEPTH && entry.file_type().is_dir() {
            too_deep(root, entry.path(), diags);
        }
        let problem = if windows_device(&name) {
            Some("is a name Windows reserves for a device (CON, PRN, AUX, NUL, COM0–9, LPT0–9)")
        } else if name.ends_with('.') || name.ends_with(' ') {
            Some("ends with a dot or a space, which Windows drops")
        } else if name
            .chars()
            .any(|c| c.is_control() || "<>:\"|?*\\".contains(c))
        {
            Some("holds a character Windows does not allow in names (< > : \" | ? * \\ or a control character)")
        } else {
            None
        };
        if let Some(problem) = problem {
            let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
            diags.error(
                &Location::file(rel),
                format!("the name `{name}` {problem}: the site cannot be copied to or edited on Windows"),
                Some("rename it; ids and folder names are best ASCII letters, digits and hyphens".into()),
            );
        }
    }
}

/// A folder at [`super::MAX_DEPTH`] below `content/` that holds anything:
/// no walk reads what it holds, which is reported here, once per folder.
fn too_deep(root: &std::path::Path, dir: &std::path::Path, diags: &mut Diagnostics) {
    let holds = std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some());
    if !holds {
        return;
    }
    let rel = dir.strip_prefix(root).unwrap_or(dir);
    diags.error(
        &Location::file(rel),
        format!(
            "folders nested more than {} levels deep below content/: nothing in this folder is read",
            super::MAX_DEPTH
        ),
        Some("a plan needs a plan folder and a few levels of section folders; move what this folder holds up, or remove it".into()),
    );
}

/// Units that English pages cannot name (no built-in name, none in
/// site.toml `[units]`, not the indicator's or figure's own `unit`): a
/// warning once per unit, at the first value written in it.
pub fn unit_names(site: &Site, root: &std::path::Path, diags: &mut Diagnostics) {
    if !site.config.languages.contains(&Lang::En) {
        return;
    }
    let indicators = site.indicators.iter().flat_map(|ind| {
        let target = ind.target.iter().filter_map(|t| match &t.value {
            TargetValue::Number(r, _) => Some(r),
            TargetValue::Text(_) => None,
        });
        ind.baseline
            .iter()
            .chain(&ind.observations)
            .map(|o| &o.reading)
            .chain(target)
            .map(move |r| (r, ind.unit.as_ref(), &ind.path))
    });
    let figures = site.initiatives.iter().flat_map(|init| {
        init.years
            .values()
            .flat_map(|y| &y.figures)
            .flat_map(|f| {
                f.target
                    .iter()
                    .chain(&f.actual)
                    .map(|r| (r, f.unit.as_ref()))
            })
            .map(move |(r, own)| (r, own, &init.path))
    });
    let mut warned: Vec<String> = Vec::new();
    for (r, own, path) in indicators.chain(figures) {
        for unit in units_of(r) {
            if warned.contains(&unit) || site.config.units.resolve(&unit, own).is_some() {
                continue;
            }
            diags.warning(
                &first_place(root, path, &r.printed),
                format!("English pages show `{}` with the Japanese unit `{unit}`: it has no English name", r.printed),
                Some(format!("name it in content/site.toml: [units] \"{unit}\" = {{ one = \"…\", other = \"…\" }} (singular and plural), or \"{unit}\" = \"…\" for a unit that is not counted")),
            );
            warned.push(unit);
        }
    }
}

/// The units a value is written in, and its bracketed sub-value's where
/// that is one number (`(198人)`; `(④※⑤)` is shown as printed).
fn units_of(r: &Reading) -> Vec<String> {
    let mut units = match &r.value {
        ReadValue::Number(q) => vec![q.unit.clone()],
        ReadValue::Compound(qs) => qs.iter().map(|q| q.unit.clone()).collect(),
        _ => Vec::new(),
    };
    let sub = r.sub.as_deref().map(Reading::parse);
    units.extend(
        sub.as_ref()
            .and_then(Reading::quantity)
            .map(|q| q.unit.clone()),
    );
    units
}

/// Where `printed` first appears in a content file (its start otherwise).
fn first_place(root: &std::path::Path, path: &std::path::Path, printed: &str) -> Location {
    let text = std::fs::read_to_string(root.join(path)).unwrap_or_default();
    match text.find(printed).filter(|_| !printed.is_empty()) {
        Some(at) => {
            let (line, column) = crate::diagnostics::LineIndex::new(&text).position(at);
            Location {
                path: path.to_path_buf(),
                line,
                column,
            }
        }
        None => Location::file(path),
    }
}

/// A text every page shows (a title, an indicator's name): an empty one is
/// an error at its line. Returns the text.
pub(crate) fn required_text(
    file: &super::source::SourceFile,
    v: toml::Spanned<String>,
    what: &str,
    diags: &mut Diagnostics,
) -> String {
    if v.get_ref().trim().is_empty() {
        diags.error(
            &file.at(&v),
            format!("{what} is empty"),
            Some(format!(
                "write the {what} as the report prints it: pages, lists and search show it"
            )),
        );
    }
    v.into_inner()
}
