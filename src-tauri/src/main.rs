//! `vocwb-app`: the VoC Workbench desktop window.
//!
//! A thin Tauri shell: each command in [`commands`] calls one `vocwb-engine` function and
//! converts its types; the Leptos UI in `ui/` is embedded from `ui/dist` at compile time.
//!
//! Usage: `vocwb-app [--demo | PROJECT_DIR]` opens straight into a project.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod headers;
mod paths;
mod recent;
mod rendering;
mod startup;
mod state;
mod wire;

use state::AppState;
use std::path::PathBuf;

/// What the command line asked to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Launch {
    /// The projects screen.
    Nothing,
    /// The bundled demo project, built on first use.
    Demo,
    Project(PathBuf),
}

const USAGE: &str = "usage: vocwb-app [--demo | PROJECT_DIR]

  --demo        open the bundled demo project (built on first use)
  PROJECT_DIR   open this project
  (nothing)     show the projects screen

environment: VOCWB_DEMO_DIR (where the demo project lives), VOCWB_CONFIG_DIR (recent projects),
             VOCWB_ASSETS (the assets folder holding demo/)";

fn parse_args(args: &[String]) -> Result<Launch, String> {
    match args {
        [] => Ok(Launch::Nothing),
        [a] if a == "--demo" => Ok(Launch::Demo),
        [a] if a == "-h" || a == "--help" => Err(String::new()),
        [a] if a.starts_with('-') => Err(format!("unknown option '{a}'")),
        [dir] => Ok(Launch::Project(PathBuf::from(dir))),
        _ => Err("too many arguments".to_string()),
    }
}

#[allow(clippy::print_stderr)]
fn main() {
    startup::mark_main();
    rendering::choose_renderer();
    // rfd's GTK dialogs otherwise try to reach dconf over D-Bus and warn when there is none.
    if std::env::var_os("GSETTINGS_BACKEND").is_none() {
        std::env::set_var("GSETTINGS_BACKEND", "memory");
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let launch = match parse_args(&args) {
        Ok(l) => l,
        Err(e) => {
            if e.is_empty() {
                eprintln!("{USAGE}");
                return;
            }
            eprintln!("vocwb-app: {e}\n{USAGE}");
            std::process::exit(2);
        }
    };

    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(AppState::default())
        .setup(move |app| {
            // Open (or build) the requested project while the webview loads the UI.
            commands::projects::start_launch(app.handle(), launch.clone());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app::startup_project,
            commands::app::ui_ready,
            commands::projects::create_project,
            commands::projects::open_project,
            commands::projects::open_demo,
            commands::projects::project_overview,
            commands::projects::recent_projects,
            commands::dialog::pick_folder,
            commands::dialog::pick_import_file,
            commands::import::import_preview,
            commands::import::import_run,
            commands::import::import_headers,
            commands::import::cancel,
            commands::frame::frame_draft,
            commands::frame::frame_edit,
            commands::frame::frame_publish,
            commands::frame::frame_versions,
            commands::frame::frame_diff,
            commands::frame::migrate_labels,
            // lexicon screen
            commands::dialog::pick_lexicon_file,
            commands::dialog::pick_save_file,
            commands::lexicon::lexicon_view,
            commands::lexicon::lexicon_put,
            commands::lexicon::lexicon_delete,
            commands::lexicon::lexicon_import,
            commands::lexicon::lexicon_export,
            // labelling screen
            commands::label::label_coders,
            commands::label::label_set_coder,
            commands::label::label_queue,
            commands::label::label_card,
            commands::label::label_apply,
            commands::label::label_remove,
            commands::label::label_undo,
            commands::label::label_redo,
            commands::label::label_skip,
            commands::label::label_search_codes,
            commands::label::label_shortcuts,
            commands::label::label_progress,
            commands::label::label_agreement,
            commands::label::label_adjudicate,
            // train screen
            commands::train::train_overview,
            commands::train::train_run,
            commands::train::autocode_run,
            // search & review screen
            commands::review::search_run,
            commands::review::search_filter_options,
            commands::review::review_codes,
            commands::review::index_status,
            commands::review::index_rebuild,
            commands::review::review_cancel,
            commands::review::review_coders,
            commands::review::review_draw_sample,
            commands::review::review_samples,
            commands::review::review_sample,
            commands::review::review_decide,
            commands::review::review_report,
            commands::review::review_export_report,
            commands::review::review_pick_report_path,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("vocwb-app: {e:#}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Launch, String> {
        parse_args(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn command_line() {
        assert_eq!(parse(&[]), Ok(Launch::Nothing));
        assert_eq!(parse(&["--demo"]), Ok(Launch::Demo));
        assert_eq!(parse(&["/tmp/p"]), Ok(Launch::Project(PathBuf::from("/tmp/p"))));
        assert_eq!(parse(&["--help"]), Err(String::new()));
        assert_eq!(parse(&["--nope"]), Err("unknown option '--nope'".to_string()));
        assert_eq!(parse(&["a", "b"]), Err("too many arguments".to_string()));
    }
}
