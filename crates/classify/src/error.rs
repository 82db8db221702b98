//! The classifier's one error type.

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cancelled")]
    Cancelled,
    #[error("not enough training data: {0}")]
    NotEnoughData(String),
    #[error("tokenizer: {0}")]
    Tokenizer(String),
    #[error("model tensors: {0}")]
    Tensor(#[from] candle_core::Error),
    #[error("{path}: {message}")]
    ModelFile { path: String, message: String },
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Error {
        Error::Io { path: path.display().to_string(), source }
    }

    pub(crate) fn file(path: &std::path::Path, message: impl Into<String>) -> Error {
        Error::ModelFile { path: path.display().to_string(), message: message.into() }
    }
}
