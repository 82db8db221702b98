//! The crate's one error type.

use std::path::Path;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no search index at {0}")]
    Missing(String),
    /// The folder holds an index this build cannot use (another format, no metadata).
    #[error("the search index at {0} cannot be used: {1}")]
    Incompatible(String, String),
    #[error("the search index at {path}: {source}")]
    Tantivy {
        path: String,
        #[source]
        source: tantivy::TantivyError,
    },
    #[error("query: {0}")]
    Query(String),
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io { path: path.display().to_string(), source }
    }

    /// Maps a tantivy error to one naming the index folder.
    pub(crate) fn at(path: &Path) -> impl Fn(tantivy::TantivyError) -> Error + '_ {
        move |source| Error::Tantivy { path: path.display().to_string(), source }
    }
}
