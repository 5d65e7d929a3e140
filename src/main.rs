//! The `mieruka` binary: parse the command line, run, exit with its status.

use clap::Parser;

fn main() -> std::process::ExitCode {
    mieruka::cli::run(mieruka::cli::Cli::parse())
}
