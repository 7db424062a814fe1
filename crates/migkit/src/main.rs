//! The `migkit` command: `migkit harmonise` reads every release in a data folder into one tidy
//! table with its audit.
#![allow(clippy::print_stdout, clippy::print_stderr)] // a command line prints

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use migkit::core::Period;
use migkit::harmonise::output::{revisions_csv, write_outputs};
use migkit::harmonise::pipeline::{HarmoniseOptions, harmonise, summary};
use migkit::harmonise::{Vintage, default_data_dir};

#[derive(Parser)]
#[command(
    name = "migkit",
    version,
    about = "Local migration intelligence from official UK releases"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read every release in the data folder into observations.parquet and audit.json.
    Harmonise {
        /// The data folder (default: $MIGKIT_DATA or ../shared/data).
        #[arg(long)]
        data: Option<PathBuf>,
        /// Where to write the outputs.
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// Geography vintage for local authority codes: "newest" or a date (YYYY-MM-DD).
        #[arg(long, default_value = "newest")]
        vintage: String,
        /// List bad rows in the audit and go on, instead of stopping at the first.
        #[arg(long)]
        lenient: bool,
        /// Keep every release's values instead of letting the newest release of a table win.
        #[arg(long)]
        all_releases: bool,
        /// Print every value a later release of a table changed (also written to revisions.csv).
        #[arg(long)]
        revisions: bool,
    },
}

fn parse_vintage(text: &str) -> Result<Vintage, String> {
    match text {
        "newest" => Ok(Vintage::Newest),
        _ => match text.parse::<Period>() {
            Ok(Period::Snapshot(date)) => Ok(Vintage::AsAt(date)),
            _ => Err(format!(
                "--vintage must be \"newest\" or a date YYYY-MM-DD, got {text:?}"
            )),
        },
    }
}

fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Harmonise {
            data,
            out,
            vintage,
            lenient,
            all_releases,
            revisions,
        } => {
            let data = data.unwrap_or_else(default_data_dir);
            let options = HarmoniseOptions {
                vintage: parse_vintage(&vintage)?,
                lenient,
                all_releases,
            };
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
                    .unwrap_or(ProgressStyle::default_spinner()),
            );
            bar.set_message(format!("harmonising {}", data.display()));
            bar.enable_steady_tick(Duration::from_millis(100));
            let started = Instant::now();
            let run = harmonise(&data, &options).map_err(|e| e.to_string())?;
            let elapsed = started.elapsed();
            bar.set_message(format!("writing {}", out.display()));
            let written = write_outputs(&out, &run).map_err(|e| e.to_string())?;
            bar.finish_and_clear();

            println!(
                "{:<28} {:>5} {:>9} {:>9} {:>8} {:>12} {:>7}",
                "source", "files", "read", "used", "rejected", "observations", "totals"
            );
            for s in summary(&run.audit) {
                let totals = if s.totals_unbalanced == 0 {
                    format!("{}", s.totals_checked)
                } else {
                    format!("{}({}*)", s.totals_checked, s.totals_unbalanced)
                };
                println!(
                    "{:<28} {:>5} {:>9} {:>9} {:>8} {:>12} {:>7}",
                    s.reader,
                    s.files,
                    s.rows_read,
                    s.rows_used,
                    s.rows_rejected,
                    s.observations,
                    totals
                );
            }
            println!(
                "\n{} observations from {} files ({} releases) in {:.2} s; {} revisions; {} boundaries",
                run.len(),
                run.audit.files.len(),
                run.releases.len(),
                elapsed.as_secs_f64(),
                run.revisions.len(),
                run.geometry.num_rows()
            );
            println!("(* totals that differ as published, each with a note in audit.json)");
            for path in written {
                println!("wrote {}", path.display());
            }
            if revisions {
                print!(
                    "{}",
                    revisions_csv(&run.revisions).map_err(|e| e.to_string())?
                );
            }
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
