//! Reading and writing frames and lexicons in whichever file form the user hands over,
//! chosen by extension, and loading the frames shipped under `codeframes/`.

use super::model::{Frame, FrameToml, Lexicon};
use super::{qdc, table};
use crate::error::{Error, Result};
use crate::project::Project;
use std::path::{Path, PathBuf};

fn extension(path: &Path) -> String {
    path.extension().and_then(|e| e.to_str()).unwrap_or("").to_lowercase()
}

/// Reads a frame from `.toml`, `.xlsx`, `.csv`, `.qdc` or `.qdpx`.
pub fn read_frame(path: &Path) -> Result<Frame> {
    let file = path.display().to_string();
    let frame = match extension(path).as_str() {
        "toml" => {
            let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
            Frame::from_toml(&text).map_err(|m| Error::input(&file, None, None, m))?
        }
        "xlsx" => table::read_frame_xlsx(path)?,
        "csv" => table::read_frame_csv(path)?,
        "qdc" => qdc::read_frame_qdc(path)?,
        "qdpx" => qdc::read_frame_qdpx(path)?,
        other => return Err(Error::input(&file, None, None, format!("unknown frame file type '.{other}' (use .toml, .xlsx, .csv, .qdc or .qdpx)"))),
    };
    Ok(frame)
}

/// Writes a frame as `toml`, `xlsx`, `csv` or `qdc`.
pub fn write_frame(frame: &Frame, format: &str, path: &Path) -> Result<()> {
    match format {
        "toml" => std::fs::write(path, frame.to_toml()).map_err(|e| Error::io(path, e)),
        "xlsx" => table::write_frame_xlsx(frame, path),
        "csv" => table::write_frame_csv(frame, path),
        "qdc" => qdc::write_frame_qdc(frame, path),
        other => Err(Error::input(path.display().to_string(), None, None, format!("unknown frame format '{other}' (use xlsx, csv, qdc or toml)"))),
    }
}

pub fn read_lexicon(path: &Path) -> Result<Lexicon> {
    let file = path.display().to_string();
    match extension(path).as_str() {
        "toml" => {
            let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
            Lexicon::from_toml(&text).map_err(|m| Error::input(&file, None, None, m))
        }
        "xlsx" => table::read_lexicon_xlsx(path),
        "csv" => table::read_lexicon_csv(path),
        other => Err(Error::input(&file, None, None, format!("unknown lexicon file type '.{other}' (use .csv, .xlsx or .toml)"))),
    }
}

pub fn write_lexicon(lexicon: &Lexicon, format: &str, path: &Path) -> Result<()> {
    match format {
        "toml" => std::fs::write(path, lexicon.to_toml()).map_err(|e| Error::io(path, e)),
        "xlsx" => table::write_lexicon_xlsx(lexicon, path),
        "csv" => table::write_lexicon_csv(lexicon, path),
        other => Err(Error::input(path.display().to_string(), None, None, format!("unknown lexicon format '{other}' (use csv, xlsx or toml)"))),
    }
}

/// The latest `vN.toml` of a shipped frame folder (e.g. `codeframes/auto`) and its `lexicon.toml`.
pub fn read_shipped(folder: &Path) -> Result<(Frame, Option<Lexicon>)> {
    let entries = std::fs::read_dir(folder).map_err(|e| Error::io(folder, e))?;
    let mut latest: Option<(u32, PathBuf)> = None;
    for entry in entries {
        let path = entry.map_err(|e| Error::io(folder, e))?.path();
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        if extension(&path) == "toml" {
            if let Some(n) = stem.strip_prefix('v').and_then(|n| n.parse::<u32>().ok()) {
                if latest.as_ref().is_none_or(|(m, _)| n > *m) {
                    latest = Some((n, path));
                }
            }
        }
    }
    let (_, frame_path) = latest.ok_or_else(|| Error::NotFound(format!("no vN.toml frame in {}", folder.display())))?;
    let frame = read_frame(&frame_path)?;
    let lexicon_path = folder.join("lexicon.toml");
    let lexicon = if lexicon_path.exists() { Some(read_lexicon(&lexicon_path)?) } else { None };
    Ok((frame, lexicon))
}

impl Project {
    /// Starts the project on a shipped frame: loads it, publishes it as v1 and sets its lexicon.
    pub fn adopt_frame(&mut self, frame: &Frame, lexicon: Option<&Lexicon>) -> Result<i64> {
        let author = if frame.header.author.is_empty() { "VoC Workbench" } else { frame.header.author.as_str() };
        self.frame_replace(frame, author)?;
        if let Some(lexicon) = lexicon {
            self.set_lexicon(lexicon)?;
        }
        let changelog = (!frame.header.changelog.is_empty()).then_some(frame.header.changelog.as_str());
        // Starting a project on a shipped frame is the system's doing, not a person's publish.
        self.publish_draft(author, changelog)
    }
}
