use crate::output::{print_json, print_line};
use std::path::PathBuf;
use vocwb_engine::Project;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Directory to create the project in (must be new or empty).
    pub dir: PathBuf,
    /// Start on a shipped code frame (a folder name under `codeframes/`, e.g. `auto`) or a frame folder.
    #[arg(long)]
    pub frame: Option<String>,
    #[arg(long)]
    pub json: bool,
}

/// The shipped `codeframes` folder: `$VOCWB_CODEFRAMES`, else the repository's, found at build time.
pub fn codeframes_dir() -> PathBuf {
    match std::env::var_os("VOCWB_CODEFRAMES") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../codeframes")),
    }
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let shipped = match &args.frame {
        Some(name) => {
            let folder = if std::path::Path::new(name).is_dir() { PathBuf::from(name) } else { codeframes_dir().join(name) };
            Some(vocwb_engine::frame::files::read_shipped(&folder)?)
        }
        None => None,
    };
    let mut project = Project::init(&args.dir)?;
    let version = match &shipped {
        Some((frame, lexicon)) => Some(project.adopt_frame(frame, lexicon.as_ref())?),
        None => None,
    };
    if args.json {
        print_json(&serde_json::json!({
            "project": project.dir(),
            "schema_version": project.schema_version()?,
            "frame_version": version,
        }));
    } else {
        print_line(format_args!("created project {}", project.dir().display()));
        if let Some(v) = version {
            print_line(format_args!("code frame published as v{v}"));
        }
    }
    Ok(())
}
