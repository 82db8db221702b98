//! The subcommands, one module each.

mod agreement;
mod autocode;
mod bench;
pub mod demo;
mod eval;
mod export;
mod frame;
mod label;
mod labels;
mod queue;
mod lexicon;
mod import;
mod index;
mod init;
mod review;
mod search;
mod stats;
mod train;

use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new project directory.
    Init(init::Args),
    /// Import verbatims from a file or a folder of files.
    Import(import::Args),
    /// Counts by channel, documents and verbatims.
    Stats(stats::Args),
    /// Export verbatims with their document fields (CSV, XLSX or JSONL).
    Export(export::Args),
    /// The code frame: import, export, validate, publish, diff, migrate, show.
    #[command(subcommand)]
    Frame(frame::FrameCmd),
    /// The domain lexicon: import, export, show.
    #[command(subcommand)]
    Lexicon(lexicon::LexiconCmd),
    /// Apply, remove, undo, redo or skip labels (or stream them from stdin).
    Label(label::Args),
    /// The next verbatims for a coder.
    Queue(queue::Args),
    /// One verbatim with its context and labels.
    Show(queue::ShowArgs),
    /// Coder profiles and their roles.
    Coder(queue::CoderArgs),
    /// Assign an overlap sample to several coders for double coding.
    Assign(agreement::AssignArgs),
    /// Inter-coder agreement: Krippendorff's alpha, Cohen's kappa, percent agreement, disagreements.
    Agreement(agreement::Args),
    /// Settle a disagreement.
    Adjudicate(agreement::AdjudicateArgs),
    /// Human labels.
    #[command(subcommand)]
    Labels(labels::LabelsCmd),
    /// Create the bundled demo project.
    Demo(demo::Args),
    /// Measure speed and memory on generated data.
    #[command(subcommand)]
    Bench(bench::Bench),
    /// Search verbatims: words and phrases, filters, snippets, counts per code.
    Search(search::Args),
    /// The search index: rebuild, refresh, status.
    #[command(subcommand)]
    Index(index::IndexCmd),
    /// QA review of auto-coded verbatims: sample, decide, report.
    #[command(subcommand)]
    Review(review::ReviewCmd),
    /// Train a classifier on the human labels; it becomes the active model if it validates better.
    Train(train::Args),
    /// Score the active model on a labelled file (not added to the project).
    Eval(eval::Args),
    /// Apply the active model to every verbatim without a human label.
    Autocode(autocode::Args),
}

impl Command {
    pub fn json(&self) -> bool {
        match self {
            Command::Init(a) => a.json,
            Command::Import(a) => a.json,
            Command::Stats(a) => a.json,
            Command::Export(a) => a.json,
            Command::Demo(a) => a.json,
            Command::Frame(c) => c.json(),
            Command::Lexicon(c) => c.json(),
            Command::Labels(c) => c.json(),
            Command::Label(a) => a.json,
            Command::Queue(a) => a.json,
            Command::Show(a) => a.json,
            Command::Coder(a) => a.json,
            Command::Assign(a) => a.json,
            Command::Agreement(a) => a.json,
            Command::Adjudicate(a) => a.json,
            Command::Bench(b) => b.json(),
            Command::Search(a) => a.json,
            Command::Index(c) => c.json(),
            Command::Review(c) => c.json(),
            Command::Train(a) => a.json,
            Command::Eval(a) => a.json,
            Command::Autocode(a) => a.json,
        }
    }
}

pub fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Init(a) => init::run(a),
        Command::Import(a) => import::run(a),
        Command::Stats(a) => stats::run(a),
        Command::Export(a) => export::run(a),
        Command::Demo(a) => demo::run(a),
        Command::Frame(c) => frame::run(c),
        Command::Lexicon(c) => lexicon::run(c),
        Command::Labels(c) => labels::run(c),
        Command::Label(a) => label::run(a),
        Command::Queue(a) => queue::run(a),
        Command::Show(a) => queue::show(a),
        Command::Coder(a) => queue::coder(a),
        Command::Assign(a) => agreement::assign(a),
        Command::Agreement(a) => agreement::run(a),
        Command::Adjudicate(a) => agreement::adjudicate(a),
        Command::Bench(b) => bench::run(b),
        Command::Search(a) => search::run(a),
        Command::Index(c) => index::run(c),
        Command::Review(c) => review::run(c),
        Command::Train(a) => train::run(a),
        Command::Eval(a) => eval::run(a),
        Command::Autocode(a) => autocode::run(a),
    }
}
