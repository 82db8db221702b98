//! `vocwb`: the VoC Workbench command line. Each subcommand parses its arguments, calls one
//! engine function and prints the result, for people or (with `--json`) for scripts.

mod cmd;
mod output;

use clap::Parser;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(name = "vocwb", version, about = "VoC Workbench: code customer verbatims offline")]
struct Cli {
    #[command(subcommand)]
    command: cmd::Command,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.command.json();
    output::install_ctrlc();
    match cmd::run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            output::print_error(&err, json);
            ExitCode::FAILURE
        }
    }
}
