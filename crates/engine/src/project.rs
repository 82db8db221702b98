//! A project is a directory: `project.sqlite` (the single source of truth) plus `derived/`
//! (search index, models), which can always be rebuilt from the database.

use crate::error::{Error, Result};
use crate::schema;
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::path::{Path, PathBuf};
use std::time::Duration;
use vocwb_types::ProjectStats;

pub const DB_FILE: &str = "project.sqlite";
pub const DERIVED_DIR: &str = "derived";

/// How long a writer waits for another process's write transaction before saying "busy".
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// An open project.
pub struct Project {
    dir: PathBuf,
    pub(crate) conn: Connection,
}

impl std::fmt::Debug for Project {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Project").field("dir", &self.dir).finish()
    }
}

impl Project {
    /// Creates a new project in `dir` (which may exist but must be empty).
    pub fn init(dir: &Path) -> Result<Project> {
        if dir.join(DB_FILE).exists() {
            return Err(Error::AlreadyExists(dir.display().to_string()));
        }
        if dir.exists() {
            let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
            if entries.next().is_some() {
                return Err(Error::AlreadyExists(dir.display().to_string()));
            }
        }
        std::fs::create_dir_all(dir.join(DERIVED_DIR)).map_err(|e| Error::io(dir, e))?;
        let conn = Connection::open(dir.join(DB_FILE))?;
        let mut project = Project { dir: dir.to_path_buf(), conn };
        project.configure()?;
        schema::migrate(&mut project.conn)?;
        Ok(project)
    }

    /// Opens an existing project, upgrading its schema if it is older than this build.
    pub fn open(dir: &Path) -> Result<Project> {
        let db = dir.join(DB_FILE);
        if !db.is_file() {
            return Err(Error::NotAProject(dir.display().to_string()));
        }
        let conn = Connection::open_with_flags(
            &db,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
        )?;
        let mut project = Project { dir: dir.to_path_buf(), conn };
        project.configure()?;
        schema::migrate(&mut project.conn)?;
        std::fs::create_dir_all(project.derived_dir()).map_err(|e| Error::io(dir, e))?;
        Ok(project)
    }

    fn configure(&mut self) -> Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        // WAL lets readers (a second window, the search indexer) work while one writer commits;
        // NORMAL sync in WAL mode still never corrupts the database on a crash.
        let mode: String = self.conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::Database(rusqlite::Error::InvalidParameterName(format!(
                "could not switch the database to WAL mode (got {mode})"
            ))));
        }
        self.conn.execute_batch(
            "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;",
        )?;
        Ok(())
    }

    /// How long to wait for another writer before failing with [`Error::Busy`].
    pub fn set_busy_timeout(&self, timeout: Duration) -> Result<()> {
        self.conn.busy_timeout(timeout)?;
        Ok(())
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where rebuildable data lives (search index, models).
    pub fn derived_dir(&self) -> PathBuf {
        self.dir.join(DERIVED_DIR)
    }

    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Counts by channel, documents and verbatims.
    pub fn stats(&self) -> Result<ProjectStats> {
        let c = &self.conn;
        let count = |sql: &str| -> Result<u64> { Ok(c.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64) };
        let mut stats = ProjectStats {
            sources: count("SELECT COUNT(*) FROM source_file")?,
            documents: count("SELECT COUNT(*) FROM document")?,
            verbatims: count("SELECT COUNT(*) FROM verbatim")?,
            context_turns: count("SELECT COUNT(*) FROM context_turn")?,
            ..Default::default()
        };
        let mut st = c.prepare("SELECT channel, COUNT(*) FROM document GROUP BY channel")?;
        for row in st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
            let (ch, n) = row?;
            stats.by_channel.entry(ch).or_default().documents = n as u64;
        }
        let mut st = c.prepare(
            "SELECT d.channel, COUNT(*) FROM verbatim v JOIN document d ON d.id = v.document_id GROUP BY d.channel",
        )?;
        for row in st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
            let (ch, n) = row?;
            stats.by_channel.entry(ch).or_default().verbatims = n as u64;
        }
        if schema::has_table(c, "code")? {
            stats.codes = count("SELECT COUNT(*) FROM code WHERE status = 'active'")?;
            stats.labelled_verbatims = count("SELECT COUNT(DISTINCT verbatim_id) FROM current_label")?;
            stats.frame_version =
                c.query_row("SELECT MAX(number) FROM frame_version", [], |r| r.get::<_, Option<i64>>(0)).optional()?.flatten();
        }
        Ok(stats)
    }

}
