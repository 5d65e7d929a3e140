//! The theme's stylesheet, bundled from `styles/main.css` and its `@import`s
//! and minified by lightningcss for the browsers residents use.
//!
//! `styles/print.css`, when the theme has one, is bundled after everything
//! else: an `@import` would put its rules before the screen rules, which then
//! win the cascade on paper (a white-on-blue header, blue links).

use super::theme::Theme;
use anyhow::{anyhow, Result};
use lightningcss::bundler::{Bundler, ResolveResult, SourceProvider};
use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions};
use lightningcss::targets::{Browsers, Targets};
use std::path::{Path, PathBuf};

/// Serves the theme's `styles/` files to the bundler from memory.
struct ThemeStyles<'a>(&'a Theme);

#[derive(Debug, thiserror::Error)]
#[error("style file {0} not found in the theme")]
struct Missing(String);

impl SourceProvider for ThemeStyles<'_> {
    type Error = Missing;

    fn read<'a>(&'a self, file: &Path) -> Result<&'a str, Missing> {
        let key = format!("styles/{}", file.to_string_lossy().replace('\\', "/"));
        self.0
            .files
            .get(&key)
            .map(String::as_str)
            .ok_or(Missing(key))
    }

    fn resolve(&self, specifier: &str, originating: &Path) -> Result<ResolveResult, Missing> {
        let base = originating.parent().unwrap_or(Path::new(""));
        Ok(ResolveResult::File(normalise(&base.join(specifier))))
    }
}

fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The print stylesheet, appended after `main.css` and its imports.
const PRINT: &str = "styles/print.css";

/// Bundled, minified CSS.
pub fn stylesheet(theme: &Theme) -> Result<String> {
    let provider = ThemeStyles(theme);
    let mut bundler = Bundler::new(&provider, None, ParserOptions::default());
    let mut sheet = bundler
        .bundle(Path::new("main.css"))
        .map_err(|e| anyhow!("bundling the theme's styles/main.css: {e}"))?;
    if theme.files.contains_key(PRINT) {
        let mut bundler = Bundler::new(&provider, None, ParserOptions::default());
        let print = bundler
            .bundle(Path::new("print.css"))
            .map_err(|e| anyhow!("bundling the theme's {PRINT}: {e}"))?;
        sheet.rules.0.extend(print.rules.0);
    }
    let browsers = Browsers::from_browserslist(["> 0.5% in JP", "last 2 versions", "not dead"])
        .map_err(|e| anyhow!("browser targets: {e}"))?;
    let targets = Targets::from(browsers);
    sheet
        .minify(MinifyOptions {
            targets,
            ..MinifyOptions::default()
        })
        .map_err(|e| anyhow!("minifying CSS: {e}"))?;
    let out = sheet
        .to_css(PrinterOptions {
            minify: true,
            targets,
            ..PrinterOptions::default()
        })
        .map_err(|e| anyhow!("printing CSS: {e}"))?;
    Ok(out.code)
}
