//! Integration tests of the engine, through its public API, on real files made in each test.

mod frame_interchange;
mod frame;
mod import;
mod label_screen;
mod labelling;
mod model;
mod search_review;

use std::path::{Path, PathBuf};
use vocwb_engine::import::{import_path, ImportOptions};
use vocwb_engine::{Project, Silent};
use vocwb_types::{Channel, ImportReport};

/// A temporary folder with a fresh project in `project/`.
pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub project: Project,
}

impl Default for Fixture {
    fn default() -> Self {
        Fixture::new()
    }
}

impl Fixture {
    pub fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let project = Project::init(&dir.path().join("project")).unwrap();
        Fixture { dir, project }
    }

    pub fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    pub fn import(&mut self, path: &Path, channel: Channel) -> vocwb_engine::Result<ImportReport> {
        import_path(&mut self.project, path, &ImportOptions::new(channel), &Silent)
    }

    pub fn counts(&self) -> (u64, u64, u64, u64) {
        let s = self.project.stats().unwrap();
        (s.sources, s.documents, s.verbatims, s.context_turns)
    }

    pub fn texts(&self) -> Vec<String> {
        let mut st = self.project.connection().prepare("SELECT text FROM verbatim ORDER BY id").unwrap();
        st.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    }
}
