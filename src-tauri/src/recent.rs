//! The recent-projects list: a small JSON file in the config dir, most recent first.
//!
//! It is a convenience: an unreadable or corrupt file counts as an empty list, and failing
//! to save it never fails the action that opened the project.

use crate::wire::RecentProject;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// How many projects the list keeps.
pub const MAX_RECENT: usize = 10;

pub const FILE_NAME: &str = "recent-projects.json";

pub fn file_in(config_dir: &Path) -> PathBuf {
    config_dir.join(FILE_NAME)
}

/// The list as saved, dropping projects whose folder has gone.
pub fn load(file: &Path) -> Vec<RecentProject> {
    let Ok(text) = std::fs::read_to_string(file) else {
        return Vec::new();
    };
    let list: Vec<RecentProject> = serde_json::from_str(&text).unwrap_or_default();
    list.into_iter().filter(|r| Path::new(&r.dir).is_dir()).collect()
}

/// Puts `dir` first in the list and saves it.
pub fn touch(file: &Path, dir: &Path, name: &str) -> std::io::Result<Vec<RecentProject>> {
    let dir_s = dir.display().to_string();
    let mut list = load(file);
    list.retain(|r| r.dir != dir_s);
    let opened_at = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    list.insert(0, RecentProject { dir: dir_s, name: name.to_string(), opened_at });
    list.truncate(MAX_RECENT);
    save(file, &list)?;
    Ok(list)
}

fn save(file: &Path, list: &[RecentProject]) -> std::io::Result<()> {
    if let Some(parent) = file.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let json = serde_json::to_string_pretty(list).map_err(std::io::Error::other)?;
    // Write then rename, so a crash never leaves half a file behind.
    let tmp = file.with_extension("json.tmp");
    std::fs::write(&tmp, json)?;
    std::fs::rename(&tmp, file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_recent_first_without_duplicates_and_bounded() {
        let tmp = tempfile::tempdir().unwrap();
        let file = file_in(&tmp.path().join("config"));
        assert!(load(&file).is_empty());
        let mut dirs = Vec::new();
        for i in 0..12 {
            let d = tmp.path().join(format!("p{i}"));
            std::fs::create_dir(&d).unwrap();
            touch(&file, &d, &format!("p{i}")).unwrap();
            dirs.push(d);
        }
        touch(&file, &dirs[5], "p5").unwrap();
        let names: Vec<String> = load(&file).into_iter().map(|r| r.name).collect();
        assert_eq!(names, ["p5", "p11", "p10", "p9", "p8", "p7", "p6", "p4", "p3", "p2"]);

        std::fs::remove_dir(&dirs[11]).unwrap();
        assert_eq!(load(&file).len(), 9, "a deleted project drops out of the list");
    }

    #[test]
    fn corrupt_file_is_an_empty_list() {
        let tmp = tempfile::tempdir().unwrap();
        let file = file_in(tmp.path());
        std::fs::write(&file, "{not json").unwrap();
        assert!(load(&file).is_empty());
        touch(&file, tmp.path(), "x").unwrap();
        assert_eq!(load(&file).len(), 1);
    }
}
