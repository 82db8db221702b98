//! Tests of the search crate through its public API, on indexes built in temporary folders.

mod search;
mod tokenize;

/// Architecture invariant: the search crate takes plain documents and never reads a database.
#[test]
fn search_never_depends_on_sqlite() {
    let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")).unwrap();
    for forbidden in ["rusqlite", "vocwb-engine", "tauri", "clap"] {
        assert!(!manifest.contains(forbidden), "vocwb-search must not depend on {forbidden}");
    }
}
