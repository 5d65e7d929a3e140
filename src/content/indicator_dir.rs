//! The `indicators/` folder of a plan: which files are indicators (and
//! their English files), read once every initiative is known, and the
//! references to initiatives resolved after all plans are read. Each file's
//! own conversion is in `indicator`.

use super::indicator::{apply_en, indicator_from, resolve_refs};
use super::raw::{RawIndicator, RawIndicatorEn};
use crate::diagnostics::Location;

impl super::Loader<'_> {
    /// Reads `<plan>/indicators/*.md` (and their English files).
    pub(super) fn load_indicators(&mut self, dir: &std::path::Path, plan_idx: usize) {
        let folder = dir.join("indicators");
        if !self.root.join(&folder).is_dir() {
            return;
        }
        let mut entries = Vec::new();
        for entry in super::walk(self.root, &folder)
            .min_depth(1)
            .sort_by_file_name()
        {
            match entry {
                // Links and other non-folders go on: reading them reports
                // a link out of the site or a pipe.
                Ok(e) if !e.file_type().is_dir() => entries.push(e),
                Ok(_) => {}
                Err(e) => super::source::walk_error(self.root, &e, &mut self.diags),
            }
        }
        for entry in entries {
            let name = entry.file_name().to_string_lossy().to_string();
            let Ok(inner) = entry.path().strip_prefix(self.root.join(&folder)) else {
                continue;
            };
            let rel = folder.join(inner);
            if super::is_hidden(&name) {
                continue;
            }
            if let Some(stem) = name.strip_suffix(".en.md") {
                if !self
                    .root
                    .join(rel.with_file_name(format!("{stem}.md")))
                    .is_file()
                {
                    self.diags.error(
                        &Location::file(&rel),
                        format!("English file with no Japanese original ({stem}.md)"),
                        Some("an English file translates the Japanese file of the same name; create or rename it".into()),
                    );
                }
                continue;
            }
            if !name.ends_with(".md") {
                self.diags
                    .warning(&Location::file(&rel), "not a Markdown file; ignored", None);
                continue;
            }
            let Some((file, raw)) = self.parse::<RawIndicator>(&rel) else {
                continue;
            };
            if !super::config::check_slug(
                &file.path,
                &file.text,
                &file.whole(&raw.id),
                &mut self.diags,
            ) {
                continue;
            }
            let id_at = file.at(&raw.id);
            let (mut ind, refs) = indicator_from(
                &file,
                raw,
                (plan_idx, &self.plans[plan_idx]),
                &mut self.diags,
            );
            if let Some(first) = self.indicators.iter().find(|o| o.id == ind.id) {
                self.diags.error(
                    &id_at,
                    format!(
                        "duplicate indicator id `{}`: already used by {}",
                        ind.id,
                        first.path.display()
                    ),
                    Some("every indicator needs its own id".into()),
                );
                continue;
            }
            let en = self.english::<RawIndicatorEn>(&rel);
            let ja_failed = self.diags.errors_in(&rel) > 0;
            apply_en(&mut ind, en, self.en_diags(ja_failed));
            self.plans[plan_idx].indicators.push(self.indicators.len());
            self.indicators.push(ind);
            self.pending_indicators.push((file, refs));
        }
        let inds = &self.indicators;
        self.plans[plan_idx]
            .indicators
            .sort_by_key(|&i| (inds[i].order.unwrap_or(i64::MAX), inds[i].path.clone()));
    }

    /// Resolves every indicator's initiative and department references.
    pub(super) fn resolve_indicator_refs(&mut self) {
        let pending = std::mem::take(&mut self.pending_indicators);
        for (i, (file, refs)) in pending.into_iter().enumerate() {
            let plan = &self.plans[self.indicators[i].plan];
            let departments = self.departments_of(plan);
            resolve_refs(
                &mut self.indicators[i],
                refs,
                (&self.initiatives, &self.failed),
                departments,
                plan,
                &file,
                &mut self.diags,
            );
        }
    }
}
