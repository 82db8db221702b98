//! One printer for every command: human text, or JSON for scripts and the app.

use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};
use vocwb_engine::Error;
use vocwb_types::{ErrorCode, ErrorInfo, ProgressEvent};

static CANCELLED: AtomicBool = AtomicBool::new(false);

/// Ctrl-C asks the running engine work to stop; it rolls back and nothing is half-written.
pub fn install_ctrlc() {
    let _ = ctrlc::set_handler(|| CANCELLED.store(true, Ordering::SeqCst));
}

pub fn print_json<T: Serialize>(value: &T) {
    print_line(serde_json::to_string_pretty(value).expect("serialisable"));
}

/// Prints a line; a closed pipe (`vocwb … | head`) ends the program quietly.
pub fn print_line(s: impl std::fmt::Display) {
    use std::io::Write;
    if writeln!(std::io::stdout().lock(), "{s}").is_err() {
        std::process::exit(0);
    }
}

#[allow(clippy::print_stderr)]
pub fn print_error(err: &anyhow::Error, json: bool) {
    let info = match err.downcast_ref::<Error>() {
        Some(e) => e.info(),
        None => ErrorInfo { code: ErrorCode::BadInput, message: format!("{err:#}"), file: None, row: None, field: None },
    };
    if json {
        eprintln!("{}", serde_json::json!({ "error": info }));
    } else {
        eprintln!("error: {}", info.message);
    }
}

/// Progress for long work: a bar on a terminal, JSON lines on stderr with `--json`.
pub struct Reporter {
    bar: Option<ProgressBar>,
    json: bool,
}

impl Reporter {
    pub fn new(json: bool) -> Reporter {
        use std::io::IsTerminal;
        let bar = (!json && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} [{bar:40}] {bytes}/{total_bytes} ({eta})")
                    .expect("valid template")
                    .progress_chars("=> "),
            );
            bar
        });
        Reporter { bar, json }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl vocwb_engine::Progress for Reporter {
    #[allow(clippy::print_stderr)]
    fn report(&self, event: &ProgressEvent) -> bool {
        if let Some(bar) = &self.bar {
            if let Some(total) = event.total {
                bar.set_length(total);
            }
            bar.set_position(event.done);
            bar.set_message(event.phase.clone());
        } else if self.json {
            eprintln!("{}", serde_json::json!({ "progress": event }));
        }
        !CANCELLED.load(Ordering::SeqCst)
    }
}
