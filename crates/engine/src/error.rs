//! The engine's one error type. Every input error names the file, and where it can, the row and field.

use std::path::Path;
use vocwb_types::{ErrorCode, ErrorInfo};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Something in a file the user gave us is wrong.
    #[error("{}", input_message(.file, .row, .field, .message))]
    Input {
        file: String,
        row: Option<u64>,
        field: Option<String>,
        message: String,
        encoding: bool,
    },
    #[error("{0} is not a VoC Workbench project (no project.sqlite inside)")]
    NotAProject(String),
    #[error("{0} already exists and is not empty")]
    AlreadyExists(String),
    #[error("the project is busy: another VoC Workbench window or process is writing to it; try again in a moment")]
    Busy,
    #[error("cancelled; nothing was changed")]
    Cancelled,
    #[error("invalid code frame: {0}")]
    InvalidFrame(String),
    #[error("{0}")]
    UnknownCode(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("database: {0}")]
    Database(rusqlite::Error),
}

fn input_message(file: &str, row: &Option<u64>, field: &Option<String>, message: &str) -> String {
    let mut s = file.to_string();
    if let Some(r) = row {
        s.push_str(&format!(", row {r}"));
    }
    if let Some(f) = field {
        s.push_str(&format!(", field '{f}'"));
    }
    format!("{s}: {message}")
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        if let rusqlite::Error::SqliteFailure(f, _) = &e {
            if matches!(f.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) {
                return Error::Busy;
            }
        }
        Error::Database(e)
    }
}

impl Error {
    /// An error about a user file, optionally at a row and field.
    pub fn input(file: impl Into<String>, row: Option<u64>, field: Option<&str>, message: impl Into<String>) -> Error {
        Error::Input {
            file: file.into(),
            row,
            field: field.map(str::to_string),
            message: message.into(),
            encoding: false,
        }
    }

    pub fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io { path: path.display().to_string(), source }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Input { encoding: true, .. } => ErrorCode::Encoding,
            Error::Input { .. } => ErrorCode::BadInput,
            Error::NotAProject(_) => ErrorCode::NotAProject,
            Error::AlreadyExists(_) => ErrorCode::AlreadyExists,
            Error::Busy => ErrorCode::Busy,
            Error::Cancelled => ErrorCode::Cancelled,
            Error::InvalidFrame(_) => ErrorCode::InvalidFrame,
            Error::UnknownCode(_) => ErrorCode::UnknownCode,
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::Forbidden(_) => ErrorCode::Forbidden,
            Error::Io { .. } => ErrorCode::Io,
            Error::Database(_) => ErrorCode::Database,
        }
    }

    /// The shape printed by `--json` and sent to the UI.
    pub fn info(&self) -> ErrorInfo {
        let (file, row, field) = match self {
            Error::Input { file, row, field, .. } => (Some(file.clone()), *row, field.clone()),
            Error::Io { path, .. } => (Some(path.clone()), None, None),
            _ => (None, None, None),
        };
        ErrorInfo { code: self.code(), message: self.to_string(), file, row, field }
    }
}
