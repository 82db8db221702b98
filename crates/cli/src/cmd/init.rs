use crate::output::{print_json, print_line};
use std::path::PathBuf;
use vocwb_engine::Project;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Directory to create the project in (must be new or empty).
    pub dir: PathBuf,
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let project = Project::init(&args.dir)?;
    if args.json {
        print_json(&serde_json::json!({
            "project": project.dir(),
            "schema_version": project.schema_version()?,
        }));
    } else {
        print_line(format_args!("created project {}", project.dir().display()));
    }
    Ok(())
}
