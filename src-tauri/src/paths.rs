//! Where the app finds its assets and keeps its own files.
//!
//! Every location can be overridden by an environment variable so that tests are hermetic.

use std::path::PathBuf;

/// The `assets/` folder (holding `demo/`): `$VOCWB_ASSETS`, else the repository's, baked in at
/// compile time.
///
/// **Limitations:** a moved or installed binary needs `VOCWB_ASSETS`; bundling the assets as
/// Tauri resources comes with packaging.
pub fn assets_dir() -> PathBuf {
    match std::env::var_os("VOCWB_ASSETS") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../assets")),
    }
}

/// Where the demo project lives: `$VOCWB_DEMO_DIR`, else `<data dir>/vocwb/demo`.
pub fn demo_dir() -> PathBuf {
    match std::env::var_os("VOCWB_DEMO_DIR") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => user_dir("XDG_DATA_HOME", ".local/share").join("vocwb").join("demo"),
    }
}

/// Where the app keeps its settings (the recent-projects list): `$VOCWB_CONFIG_DIR`, else
/// `<config dir>/vocwb`.
pub fn config_dir() -> PathBuf {
    match std::env::var_os("VOCWB_CONFIG_DIR") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => user_dir("XDG_CONFIG_HOME", ".config").join("vocwb"),
    }
}

/// The XDG base directory `var`, else `$HOME/<fallback>` (the XDG default), else the
/// temporary directory when there is not even a home.
fn user_dir(var: &str, fallback: &str) -> PathBuf {
    if let Some(p) = std::env::var_os(var).filter(|p| !p.is_empty()) {
        let p = PathBuf::from(p);
        // The XDG spec says relative paths are invalid and must be ignored.
        if p.is_absolute() {
            return p;
        }
    }
    match std::env::var_os("HOME").filter(|p| !p.is_empty()) {
        Some(home) => PathBuf::from(home).join(fallback),
        None => std::env::temp_dir(),
    }
}
