//! Commands of the labelling screen: coders, the queue of verbatims, applying and removing
//! labels (each committed at once by the engine), undo/redo, skip, code search, progress,
//! agreement and adjudication. Engine work runs on the blocking pool so the window never waits.

use super::app::poisoned;
use super::{blocking, engine_error, shell_error};
use crate::state::AppState;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tauri::{AppHandle, Manager};
use vocwb_engine::codesearch::CodeSearch;
use vocwb_engine::frame::Frame;
use vocwb_engine::Project;
use vocwb_types::label::{AgreementView, CodeHit, CoderInfo, CurrentLabel, LabelProgress, QueueRequest, VerbatimCard};
use vocwb_types::{ErrorCode, ErrorInfo, Polarity, Role};

/// The search over the labelling frame, rebuilt only when another project is open or a new
/// version is published (building it reads every name's pinyin).
struct CachedSearch {
    dir: PathBuf,
    version: i64,
    search: Arc<CodeSearch>,
    /// The frame labels are made against, so applying one need not read it again.
    frame: Arc<(i64, Frame)>,
}

static CODE_SEARCH: Mutex<Option<CachedSearch>> = Mutex::new(None);

fn code_search(project: &Project) -> Result<Arc<CodeSearch>, ErrorInfo> {
    Ok(cached_frame(project)?.0)
}

/// The code search and the labelling frame (with its version).
type FrameCache = (Arc<CodeSearch>, Arc<(i64, Frame)>);

/// The code search and the labelling frame, read again only when they changed.
fn cached_frame(project: &Project) -> Result<FrameCache, ErrorInfo> {
    let latest = vocwb_engine::frame::store::latest_version(project.connection()).map_err(engine_error)?;
    let mut cache = CODE_SEARCH.lock().map_err(|_| poisoned())?;
    if let Some(c) = cache.as_ref() {
        if Some(c.version) == latest && c.dir == project.dir() {
            return Ok((c.search.clone(), c.frame.clone()));
        }
    }
    let frame = Arc::new(project.labelling_frame().map_err(engine_error)?);
    let search = Arc::new(CodeSearch::new(&frame.1));
    *cache = Some(CachedSearch { dir: project.dir().to_path_buf(), version: frame.0, search: search.clone(), frame: frame.clone() });
    Ok((search, frame))
}

/// Runs `work` on the open project, on the blocking pool.
async fn on_project<T: Send + 'static>(
    app: AppHandle,
    work: impl FnOnce(&mut Project) -> Result<T, ErrorInfo> + Send + 'static,
) -> Result<T, ErrorInfo> {
    blocking(move || {
        let state = app.state::<AppState>();
        let mut guard = state.project.lock().map_err(|_| poisoned())?;
        let project = guard.as_mut().ok_or_else(|| shell_error(ErrorCode::NotAProject, "no project is open"))?;
        work(project)
    })
    .await
}

fn coder_name(coder: &str) -> Result<String, ErrorInfo> {
    let name = coder.trim();
    if name.is_empty() {
        return Err(shell_error(ErrorCode::BadInput, "choose a coder first"));
    }
    Ok(name.to_string())
}

fn labels_now(project: &Project, coder: &str, verbatim_id: i64) -> Result<Vec<CurrentLabel>, ErrorInfo> {
    let search = code_search(project)?;
    let labels = project.coder_labels_of(coder, verbatim_id).map_err(engine_error)?;
    Ok(labels
        .into_iter()
        .map(|l| {
            let hit = search.get(&l.code_id);
            CurrentLabel {
                short_code: hit.map(|h| h.short_code.clone()).unwrap_or_default(),
                name_zh: hit.map(|h| h.name_zh.clone()).unwrap_or_else(|| l.code_id.clone()),
                code_id: l.code_id,
                polarity: l.polarity,
            }
        })
        .collect())
}

#[tauri::command]
pub async fn label_coders(app: AppHandle) -> Result<Vec<CoderInfo>, ErrorInfo> {
    on_project(app, |p| {
        let coders = p.coders().map_err(engine_error)?;
        Ok(coders.into_iter().map(|c| CoderInfo { name: c.name, role: c.role }).collect())
    })
    .await
}

/// Creates or updates the coder profile the window labels as.
#[tauri::command]
pub async fn label_set_coder(app: AppHandle, name: String, role: Role) -> Result<CoderInfo, ErrorInfo> {
    let name = coder_name(&name)?;
    on_project(app, move |p| {
        p.set_coder(&name, role).map_err(engine_error)?;
        Ok(CoderInfo { name, role })
    })
    .await
}

/// The next `count` verbatims of the coder's queue, leaving out those the window holds.
#[tauri::command]
pub async fn label_queue(app: AppHandle, coder: String, queue: QueueRequest, exclude: Vec<i64>, count: usize) -> Result<Vec<VerbatimCard>, ErrorInfo> {
    let coder = coder_name(&coder)?;
    on_project(app, move |p| {
        let search = code_search(p)?;
        let lexicon = p.lexicon().map_err(engine_error)?;
        p.queue_cards(&coder, &queue, &exclude, count.min(50), &search, &lexicon).map_err(engine_error)
    })
    .await
}

/// One verbatim's card (to go back to it after an undo).
#[tauri::command]
pub async fn label_card(app: AppHandle, coder: String, verbatim_id: i64) -> Result<VerbatimCard, ErrorInfo> {
    let coder = coder_name(&coder)?;
    on_project(app, move |p| {
        let search = code_search(p)?;
        let lexicon = p.lexicon().map_err(engine_error)?;
        p.label_card(verbatim_id, &coder, &search, &lexicon).map_err(engine_error)
    })
    .await
}

/// Applies a code with a polarity; answers once committed, with the verbatim's labels now.
#[tauri::command]
pub async fn label_apply(app: AppHandle, coder: String, verbatim_id: i64, code_id: String, polarity: Polarity) -> Result<Vec<CurrentLabel>, ErrorInfo> {
    let coder = coder_name(&coder)?;
    on_project(app, move |p| {
        let (_, frame) = cached_frame(p)?;
        p.apply_label_in(&frame, &coder, verbatim_id, &code_id, polarity, None).map_err(engine_error)?;
        labels_now(p, &coder, verbatim_id)
    })
    .await
}

/// Removes one of the coder's labels (as an event: history keeps it).
#[tauri::command]
pub async fn label_remove(app: AppHandle, coder: String, verbatim_id: i64, code_id: String) -> Result<Vec<CurrentLabel>, ErrorInfo> {
    let coder = coder_name(&coder)?;
    on_project(app, move |p| {
        p.remove_label(&coder, verbatim_id, &code_id).map_err(engine_error)?;
        labels_now(p, &coder, verbatim_id)
    })
    .await
}

/// Takes back the coder's latest label action; the verbatim it touched, if any.
#[tauri::command]
pub async fn label_undo(app: AppHandle, coder: String) -> Result<Option<i64>, ErrorInfo> {
    let coder = coder_name(&coder)?;
    on_project(app, move |p| p.undo_label(&coder).map_err(engine_error)).await
}

/// Repeats what the latest undo took back; the verbatim it touched, if any.
#[tauri::command]
pub async fn label_redo(app: AppHandle, coder: String) -> Result<Option<i64>, ErrorInfo> {
    let coder = coder_name(&coder)?;
    on_project(app, move |p| p.redo_label(&coder).map_err(engine_error)).await
}

/// Moves a verbatim to the end of the coder's queue.
#[tauri::command]
pub async fn label_skip(app: AppHandle, coder: String, verbatim_id: i64) -> Result<(), ErrorInfo> {
    let coder = coder_name(&coder)?;
    on_project(app, move |p| p.skip(&coder, verbatim_id).map_err(engine_error)).await
}

/// Codes matching what was typed: Chinese name, pinyin (initials or syllables), short code,
/// English name.
#[tauri::command]
pub async fn label_search_codes(app: AppHandle, query: String, limit: usize) -> Result<Vec<CodeHit>, ErrorInfo> {
    on_project(app, move |p| Ok(code_search(p)?.search(&query, limit.min(50)))).await
}

/// The codes for the number keys: the coder's most used, then the project's.
#[tauri::command]
pub async fn label_shortcuts(app: AppHandle, coder: String) -> Result<Vec<CodeHit>, ErrorInfo> {
    let coder = coder_name(&coder)?;
    on_project(app, move |p| {
        let search = code_search(p)?;
        let ids = p.most_used_codes(&coder, 9).map_err(engine_error)?;
        Ok(ids.iter().filter_map(|id| search.get(id).cloned()).collect())
    })
    .await
}

#[tauri::command]
pub async fn label_progress(app: AppHandle, coder: String, session_start: String) -> Result<LabelProgress, ErrorInfo> {
    let coder = coder_name(&coder)?;
    on_project(app, move |p| p.label_progress(&coder, &session_start).map_err(engine_error)).await
}

#[tauri::command]
pub async fn label_agreement(app: AppHandle) -> Result<AgreementView, ErrorInfo> {
    on_project(app, |p| p.agreement_view().map_err(engine_error)).await
}

/// Settles a disagreement (`polarity: None`: the code does not apply). Only a QA reviewer or
/// a code-frame owner may.
#[tauri::command]
pub async fn label_adjudicate(
    app: AppHandle,
    adjudicator: String,
    verbatim_id: i64,
    code_id: String,
    polarity: Option<Polarity>,
) -> Result<AgreementView, ErrorInfo> {
    let adjudicator = coder_name(&adjudicator)?;
    on_project(app, move |p| {
        let role = p.coders().map_err(engine_error)?.into_iter().find(|c| c.name == adjudicator).map(|c| c.role);
        if !matches!(role, Some(Role::Reviewer | Role::Owner)) {
            return Err(shell_error(
                ErrorCode::Forbidden,
                format!("{adjudicator} may not adjudicate: only a QA reviewer or a code-frame owner may"),
            ));
        }
        p.adjudicate(&adjudicator, verbatim_id, &code_id, polarity).map_err(engine_error)?;
        p.agreement_view().map_err(engine_error)
    })
    .await
}
