//! A theme: Tera templates, styles, scripts and UI strings, read from
//! `themes/<name>/` when the site has it, otherwise from the default theme
//! compiled into the binary (so staff need nothing but the binary).

use anyhow::{bail, Context, Result};
use include_dir::{include_dir, Dir};
use std::collections::BTreeMap;
use std::path::Path;

static DEFAULT_THEME: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Every file of a theme by its path inside the theme (`templates/base.html`).
pub struct Theme {
    pub files: BTreeMap<String, String>,
    /// Where it came from, for messages.
    pub origin: String,
}

impl Theme {
    /// `root/themes/<name>` if present, else the built-in default theme.
    pub fn load(root: &Path, name: &str) -> Result<Theme> {
        // The loader accepts only a plain folder name; this keeps any
        // other caller inside themes/ too.
        if name.is_empty() || name.contains(['/', '\\', ':']) || name.starts_with('.') {
            bail!("theme `{name}` is not the name of a folder in themes/");
        }
        let dir = root.join("themes").join(name);
        if dir.is_dir() {
            let mut files = BTreeMap::new();
            // Links are followed, and every file read must lie inside the
            // site folder (`read_inside`): a theme never publishes files from
            // elsewhere on the computer.
            for entry in walkdir::WalkDir::new(&dir)
                .follow_links(true)
                .sort_by_file_name()
            {
                let entry =
                    entry.with_context(|| format!("reading theme folder {}", dir.display()))?;
                if entry.file_type().is_dir() {
                    continue;
                }
                let rel = entry
                    .path()
                    .strip_prefix(&dir)?
                    .to_string_lossy()
                    .replace('\\', "/");
                let bytes = crate::content::read_inside(root, entry.path()).map_err(|r| {
                    anyhow::anyhow!(
                        "theme file {}: {}\n  hint: {}",
                        entry.path().display(),
                        r.message,
                        r.hint
                    )
                })?;
                let text = String::from_utf8(bytes).with_context(|| {
                    format!("theme file {} is not UTF-8 text", entry.path().display())
                })?;
                let text = text.replace("\r\n", "\n");
                refuse_controls(entry.path(), &text)?;
                files.insert(rel, text);
            }
            return Ok(Theme {
                files,
                origin: dir.display().to_string(),
            });
        }
        if name != crate::model::DEFAULT_THEME_NAME {
            bail!(
                "theme `{name}` not found: there is no folder {}",
                dir.display()
            );
        }
        let mut files = BTreeMap::new();
        collect(&DEFAULT_THEME, &mut files);
        Ok(Theme {
            files,
            origin: "built-in default theme".into(),
        })
    }

    /// Files under a folder of the theme, with paths relative to it.
    pub fn under<'a>(&'a self, folder: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.files.iter().filter_map(move |(k, v)| {
            k.strip_prefix(folder)
                .and_then(|k| k.strip_prefix('/'))
                .map(|k| (k, v.as_str()))
        })
    }
}

/// A theme's text goes into every page: a control character the loader
/// refuses in content (a NUL …) is refused here too, at its place.
fn refuse_controls(path: &Path, text: &str) -> Result<()> {
    let Some(at) = text.find(crate::content::refused_control) else {
        return Ok(());
    };
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    let c = text[at..].chars().next().unwrap_or_default();
    bail!(
        "theme file {}:{line}:{column}: control character U+{:04X}: pages cannot hold it\n  hint: delete it (it is invisible in most editors)",
        path.display(),
        u32::from(c)
    )
}

fn collect(dir: &Dir<'_>, out: &mut BTreeMap<String, String>) {
    for f in dir.files() {
        if let Some(text) = f.contents_utf8() {
            out.insert(
                f.path().to_string_lossy().replace('\\', "/"),
                text.to_string(),
            );
        }
    }
    for d in dir.dirs() {
        collect(d, out);
    }
}
