//! Files that failed to load, so that one broken file is reported once.
//!
//! A file whose TOML does not parse is left out of the site; without this
//! record every reference to it (an indicator's `initiative`, `also`, a
//! `repeat_of`, departments named after a department file that does not
//! parse) was reported again as "no initiative's id" or "not in the
//! department list". Each failed file is kept with what can still be read
//! from its raw text (its `id`, its `municipality`), and the checks that
//! depend on it stay silent for that name. Where the name cannot be read
//! either, the reference is still reported, with the broken file named in
//! the hint: it may or may not be the one meant.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[derive(Debug, Default)]
pub(crate) struct Failed {
    /// Initiative ids of files that did not load, and the file.
    ids: BTreeMap<String, PathBuf>,
    /// Initiative files that did not load and whose `id` cannot be read.
    unread: Vec<PathBuf>,
    /// Municipalities whose department file did not load.
    municipalities: BTreeSet<String>,
    /// A department file that did not load names no readable municipality.
    departments_unread: bool,
}

impl Failed {
    /// An initiative file that did not load, with its raw text if readable.
    pub fn initiative(&mut self, path: &Path, text: Option<&str>) {
        match text.and_then(|t| front_value(t, "id")) {
            Some(id) => {
                self.ids.entry(id).or_insert_with(|| path.to_path_buf());
            }
            None => self.unread.push(path.to_path_buf()),
        }
    }

    /// A department file that did not load, with its raw text if readable.
    pub fn departments(&mut self, text: Option<&str>) {
        match text.and_then(|t| front_value(t, "municipality")) {
            Some(m) => {
                self.municipalities.insert(m);
            }
            None => self.departments_unread = true,
        }
    }

    /// Whether `id` is the id of an initiative file that did not load.
    pub fn has_id(&self, id: &str) -> bool {
        self.ids.contains_key(id.trim())
    }

    /// For a reference to no known initiative: the files that did not load
    /// and whose id is unknown, to name in the hint.
    pub fn unread_note(&self) -> Option<String> {
        if self.unread.is_empty() {
            return None;
        }
        let files: Vec<String> = self
            .unread
            .iter()
            .map(|p| p.display().to_string().replace('\\', "/"))
            .collect();
        Some(format!(
            " (if it is the id in {}, fix that file first: it could not be read)",
            files.join(", ")
        ))
    }

    /// Whether the department list of `municipality` may be incomplete
    /// because a department file did not load (`loaded`: a department
    /// file of this municipality did load).
    pub fn departments_missing(&self, municipality: &str, loaded: bool) -> bool {
        self.municipalities.contains(municipality) || (self.departments_unread && !loaded)
    }
}

/// The value of `key = "…"` at the top of a TOML text (before any table
/// header), read line by line from a file that may not parse as a whole.
/// Front matter between `+++` lines is read the same way; the first
/// closing `+++` ends it.
pub(crate) fn front_value(text: &str, key: &str) -> Option<String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines();
    let mut first = true;
    for line in lines.by_ref() {
        let line = line.trim();
        if first && line == "+++" {
            first = false;
            continue;
        }
        first = false;
        if line == "+++" || line.starts_with('[') {
            return None;
        }
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        if k.trim().trim_matches(['"', '\'']) != key {
            continue;
        }
        let v = v.trim();
        let quote = v.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let rest = &v[1..];
        let end = rest.find(quote)?;
        return Some(rest[..end].trim().to_string()).filter(|s| !s.is_empty());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_key_from_broken_front_matter() {
        let text = "+++\nid = \"t-009\"\ntitle = \"壊れた取組\ndepartments = [\n+++\n本文\n";
        assert_eq!(front_value(text, "id").as_deref(), Some("t-009"));
        assert_eq!(
            front_value(
                "municipality = 'testcity'\n[[departments]\n",
                "municipality"
            )
            .as_deref(),
            Some("testcity")
        );
    }

    #[test]
    fn only_at_the_top_of_the_front_matter() {
        assert_eq!(
            front_value("+++\ntitle = \"x\"\n[years.R5]\nid = \"y\"\n", "id"),
            None
        );
        assert_eq!(
            front_value("+++\ntitle = \"x\"\n+++\nid = \"y\"\n", "id"),
            None
        );
        assert_eq!(front_value("+++\nid = t-009\n", "id"), None);
        assert_eq!(front_value("+++\nidea = \"a\"\n", "id"), None);
    }
}
