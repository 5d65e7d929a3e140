//! The `mieruka` binary: parse the command line, run, exit with its status.

use clap::Parser;

/// mimalloc: a build allocates and frees millions of small values (page
/// views as JSON, Tera's contexts); the system allocator spent a fifth of
/// the CPU time of a 10,000-initiative build on them.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    mieruka::cli::run(mieruka::cli::Cli::parse())
}
