//! The command line: subcommands and their options, and how a report is
//! printed. Exit status: 0 success, 1 content errors, 2 usage errors.

use crate::diagnostics::Severity;
use crate::{RenderOptions, Report};
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// `println!` that never panics: a closed pipe (`mieruka check | head`) is not an error.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// `eprintln!` that never panics.
macro_rules! tell {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

#[derive(Debug, Parser)]
#[command(
    name = "mieruka",
    version,
    about = "Builds a municipal plan-progress portal from content files"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the content and write the site.
    Build(BuildArgs),
    /// Validate the content; write nothing.
    Check(CheckArgs),
    /// Preview the site while you edit: rebuilds on every save and reloads the browser.
    Serve(ServeArgs),
    /// Keep a plan's current report as a past report (before writing the next one).
    Archive(ArchiveArgs),
    /// Start a new site in an empty folder: every kind of file once, commented.
    Init(InitArgs),
    /// Add a plan, or an initiative, section or indicator file, pre-filled from its plan.
    New(NewArgs),
    /// Read a progress sheet (Excel or CSV) into a plan's files, through a mapping file.
    Import(ImportArgs),
    /// Write plans to an Excel workbook in the progress sheet's shape, one sheet per plan.
    Export(ExportArgs),
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The sheet: .xlsx, .xls, .ods or .csv (UTF-8 or Shift_JIS).
    pub sheet: PathBuf,
    /// The mapping file: which column holds which field (see the README).
    #[arg(long)]
    pub map: PathBuf,
    /// Show the changes as a diff; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Replace titles, targets, results and schedule texts that differ from
    /// the sheet (they are kept otherwise).
    #[arg(long)]
    pub force: bool,
    /// Write the rows that are fine even when other rows have problems.
    #[arg(long)]
    pub partial: bool,
    /// The site folder (holding content/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The ids of the plans to export (all current plans if none is given).
    pub plans: Vec<String>,
    /// The workbook to write.
    #[arg(long)]
    pub xlsx: PathBuf,
    /// Also write the mapping file that imports this sheet (one plan only).
    #[arg(long)]
    pub map: Option<PathBuf>,
    /// The site folder (holding content/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The folder of the new site (created; must be empty if it exists).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// plan, initiative, section or indicator.
    #[arg(value_enum)]
    pub kind: crate::NewKind,
    /// Where, inside content/: <plan folder>/<section folders>/<id>
    /// (an indicator: <plan folder>/indicators/<id>; a plan: its id).
    pub at: String,
    /// The site folder (holding content/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct ArchiveArgs {
    /// The id of the plan (`id` in its _plan.md).
    pub plan: String,
    /// The site folder (holding content/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The site folder (holding content/ and optionally themes/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on. The default only accepts this computer.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Look for changes every half second instead of waiting for the system to
    /// report them (for network drives and shared folders).
    #[arg(long)]
    pub poll: bool,
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The site folder (holding content/ and optionally themes/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site (default: <root>/public).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Leave out the search index (to measure what it costs).
    #[arg(long)]
    pub no_search: bool,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The site folder (holding content/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Also list every document's English translation: complete, partial or
    /// none, and the version of the Japanese text to record in `translates`.
    #[arg(long)]
    pub translations: bool,
}

pub const EXIT_CONTENT: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Build(a) => build(a),
        Command::Serve(a) => serve(a),
        Command::Archive(a) => archive(a),
        Command::Init(a) => init(a),
        Command::New(a) => new(a),
        Command::Import(a) => import(a),
        Command::Export(a) => export(a),
        Command::Check(a) => check(a),
    }
}

/// `mieruka build`.
fn build(a: BuildArgs) -> ExitCode {
    if let Err(code) = has_site(&a.root) {
        return code;
    }
    let out = a.out.clone().unwrap_or_else(|| a.root.join("public"));
    let start = Instant::now();
    let opts = RenderOptions {
        no_search: a.no_search,
        ..RenderOptions::default()
    };
    match crate::build(&a.root, &out, &opts) {
        Ok(report) => {
            let code = print_report(&report);
            if code == ExitCode::SUCCESS {
                let (full, part, none) = report.coverage;
                say!(
                    "built {} pages ({} files) into {} in {} ms",
                    report.pages,
                    report.files,
                    out.display(),
                    start.elapsed().as_millis()
                );
                say!(
                    "English translation: {full} documents complete, {part} partly translated, {none} not translated (of {})",
                    full + part + none
                );
            }
            code
        }
        Err(e) => {
            tell!("error: {e:#}");
            if e.is::<crate::OutputRefused>() {
                ExitCode::from(EXIT_USAGE)
            } else {
                ExitCode::from(EXIT_CONTENT)
            }
        }
    }
}

/// `mieruka serve`.
fn serve(a: ServeArgs) -> ExitCode {
    if let Err(code) = has_site(&a.root) {
        return code;
    }
    let opts = crate::ServeOptions {
        root: a.root,
        bind: a.bind,
        port: a.port,
        open: a.open,
        poll: a.poll,
    };
    match crate::serve(opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tell!("error: {e:#}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// `mieruka archive`.
fn archive(a: ArchiveArgs) -> ExitCode {
    if let Err(code) = has_site(&a.root) {
        return code;
    }
    match crate::archive(&a.root, &a.plan) {
        Ok(done) => {
            say!(
                "kept the FY{} report of `{}`: {} files copied to {}",
                done.year,
                a.plan,
                done.files,
                done.folder.display()
            );
            say!("it is published at {} once the site is built", done.url);
            say!(
                "next: move reporting_year (and published) forward in {} and update the initiatives for the new report; until then the build says the past report is not older than the current one",
                done.plan_file.display()
            );
            ExitCode::SUCCESS
        }
        Err(crate::ArchiveRefusal::Invalid(report)) => {
            print_report(&report);
            tell!("nothing was archived: a past report is kept as it was published, so fix these first");
            ExitCode::from(EXIT_CONTENT)
        }
        Err(crate::ArchiveRefusal::Usage(message)) => {
            tell!("error: {message}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// `mieruka init`.
fn init(a: InitArgs) -> ExitCode {
    match crate::init(&a.dir) {
        Ok(files) => {
            for f in &files {
                say!("  {}", a.dir.join(f).display());
            }
            let report = crate::check(&a.dir);
            let code = print_report(&report);
            if code == ExitCode::SUCCESS {
                say!(
                    "a new site is ready in {}: preview it with",
                    a.dir.display()
                );
                say!("  mieruka serve --root {} --open", a.dir.display());
                say!("then edit the files under content/ (each key is explained in its comment)");
            }
            code
        }
        Err(crate::WriteRefused(m)) => {
            tell!("error: {m}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// `mieruka new`.
fn new(a: NewArgs) -> ExitCode {
    if let Err(code) = has_site(&a.root) {
        return code;
    }
    match crate::new_file(&a.root, a.kind, &a.at) {
        Ok((file, report)) => {
            say!("wrote {}", file.display());
            if a.kind == crate::NewKind::Plan {
                if let Some(dir) = file.parent() {
                    say!(
                        "wrote {}: the mapping for `mieruka import` of your progress sheet",
                        dir.join("_import.toml").display()
                    );
                }
            }
            // What is left to fill in, in this file.
            let mine: Vec<_> = report
                .diagnostics
                .sorted()
                .into_iter()
                .filter(|d| d.path == file)
                .collect();
            for d in &mine {
                tell!("{d}");
            }
            if mine.is_empty() {
                say!("it is valid: fill in the rest and preview with mieruka serve");
            } else {
                say!("fill in what is listed above, then run mieruka check");
            }
            ExitCode::SUCCESS
        }
        Err(crate::WriteRefused(m)) => {
            tell!("error: {m}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// `mieruka import`.
fn import(a: ImportArgs) -> ExitCode {
    if let Err(code) = has_site(&a.root) {
        return code;
    }
    let opts = crate::ImportOptions {
        dry_run: a.dry_run,
        force: a.force,
        partial: a.partial,
    };
    let report = match crate::import(&a.root, &a.sheet, &a.map, opts) {
        Ok(r) => r,
        Err(crate::ImportRefused::Content(diags)) => {
            for d in diags.sorted() {
                tell!("{d}");
            }
            tell!("nothing was imported: fix the problems above first");
            return ExitCode::from(EXIT_CONTENT);
        }
        Err(crate::ImportRefused::Message(m)) => {
            tell!("error: {m}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    for p in &report.problems {
        tell!("{p}");
    }
    if a.dry_run {
        print!("{}", report.diff);
    }
    for l in &report.lines {
        say!("{l}");
    }
    let verb = if a.dry_run || report.blocked || (!report.problems.is_empty() && !a.partial) {
        "would be"
    } else {
        ""
    };
    say!(
        "{} added, {} changed, {} unchanged, {} text(s) kept{}",
        report.added,
        report.changed,
        report.unchanged,
        report.kept,
        if verb.is_empty() {
            String::new()
        } else {
            format!(" ({verb})")
        }
    );
    if report.blocked {
        tell!(
            "{} problem(s) the imported content would have: nothing was written (fix the sheet or the files)",
            report.problems.len()
        );
        return ExitCode::from(EXIT_CONTENT);
    }
    if !report.problems.is_empty() {
        if a.partial {
            tell!(
                "{} problem(s): those rows were left out; the others were {}",
                report.problems.len(),
                if a.dry_run { "shown" } else { "written" }
            );
        } else {
            tell!(
                "{} problem(s): nothing was written (fix them, or use --partial to write the other rows)",
                report.problems.len()
            );
        }
        return ExitCode::from(EXIT_CONTENT);
    }
    if a.dry_run {
        say!("dry run: nothing was written");
        return ExitCode::SUCCESS;
    }
    let check = crate::check(&a.root);
    print_report(&check)
}

/// `mieruka export`.
fn export(a: ExportArgs) -> ExitCode {
    if let Err(code) = has_site(&a.root) {
        return code;
    }
    match crate::export(&a.root, &a.plans, &a.xlsx, a.map.as_deref()) {
        Ok(sheets) => {
            say!(
                "wrote {} ({} sheet(s): {})",
                a.xlsx.display(),
                sheets.len(),
                sheets.join(", ")
            );
            if let Some(m) = &a.map {
                say!("wrote {}: import the sheet back with", m.display());
                say!(
                    "  mieruka import {} --map {}",
                    a.xlsx.display(),
                    m.display()
                );
            }
            ExitCode::SUCCESS
        }
        Err(crate::ImportRefused::Content(diags)) => {
            for d in diags.sorted() {
                tell!("{d}");
            }
            ExitCode::from(EXIT_CONTENT)
        }
        Err(crate::ImportRefused::Message(m)) => {
            tell!("error: {m}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// `mieruka check`.
fn check(a: CheckArgs) -> ExitCode {
    if let Err(code) = has_site(&a.root) {
        return code;
    }
    let report = crate::check(&a.root);
    let code = print_report(&report);
    if a.translations {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        for t in &report.translations {
            let en = t
                .english
                .as_ref()
                .map_or_else(|| "(no English file)".into(), |p| p.display().to_string());
            let line = format!(
                "{:<8} translates = \"{}\"  {}  {}",
                t.coverage,
                t.version,
                t.japanese.display(),
                en
            );
            // A closed pipe (`| head`) ends the listing quietly.
            if writeln!(out, "{line}").is_err() {
                break;
            }
        }
    }
    if code == ExitCode::SUCCESS {
        say!("content is valid");
    }
    code
}

fn has_site(root: &Path) -> Result<(), ExitCode> {
    let site_toml = root.join("content/site.toml");
    if site_toml.is_file() {
        return Ok(());
    }
    if site_toml.exists() {
        tell!(
            "error: {} is not an ordinary file (a folder, pipe or device)\n  hint: content/site.toml is a text file with the site's settings (see README)",
            site_toml.display()
        );
        return Err(ExitCode::from(EXIT_USAGE));
    }
    tell!(
        "error: no site found: {} does not exist\n  hint: run mieruka in the folder that holds content/, or pass --root DIR",
        root.join("content/site.toml").display()
    );
    Err(ExitCode::from(EXIT_USAGE))
}

fn print_report(report: &Report) -> ExitCode {
    let d = &report.diagnostics;
    for diag in d.sorted() {
        tell!("{diag}");
    }
    let (errors, warnings) = (d.count(Severity::Error), d.count(Severity::Warning));
    if errors > 0 {
        tell!("{errors} error(s), {warnings} warning(s): nothing was written");
        ExitCode::from(EXIT_CONTENT)
    } else {
        if warnings > 0 {
            tell!("{warnings} warning(s)");
        }
        ExitCode::SUCCESS
    }
}
