//! The Train screen: label counts per code, training with live progress and cancel, the
//! active model's card, and auto-coding the rest. Training and auto-coding open their own
//! connection to the project, so the window's other commands are not held up meanwhile.

use super::app::poisoned;
use super::import::{ProgressSink, Running};
use super::{blocking, engine_error, shell_error, with_project};
use crate::state::AppState;
use crate::wire::{AutocodeResult, CodeLabels, CodeScore, ModelSummary, TrainResult, TrainView};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use tauri::{Manager, State, Window};
use serde::Deserialize;
use vocwb_engine::model::{self, ModelInfo, Options as TrainOptions, Rule as DecisionRule};
use vocwb_engine::Project;
use vocwb_types::model::ValidationSummary;
use vocwb_types::{ErrorCode, ErrorInfo};

/// The parts of a saved model card (`card.json`) the screen shows; read leniently so a card
/// with more fields still shows.
#[derive(Deserialize)]
struct Card {
    examples: usize,
    training_seconds: f64,
    target_precision: f64,
    validation: ValidationSummary,
    /// Each code's card entry holds the screen's fields and more.
    codes: Vec<CodeScore>,
}

/// The card of `info` in the shape the screen shows; `None` if the card cannot be read
/// (a model written by another version of the app).
fn summary(info: &ModelInfo) -> Option<ModelSummary> {
    let card: Card = serde_json::from_value(info.card.clone()).ok()?;
    Some(ModelSummary {
        id: info.id.clone(),
        created_at: info.created_at.clone(),
        frame_version: info.frame_version,
        examples: card.examples,
        training_seconds: card.training_seconds,
        target_precision: card.target_precision,
        validation: card.validation,
        codes: card.codes,
    })
}

fn train_view(project: &Project) -> Result<TrainView, ErrorInfo> {
    let data = model::training_data(project, &TrainOptions::default()).map_err(engine_error)?;
    let active = model::active_model(project).map_err(engine_error)?;
    let predicted_verbatims = project
        .connection()
        .query_row("SELECT COUNT(DISTINCT verbatim_id) FROM prediction", [], |r| r.get::<_, i64>(0))
        .map_err(|e| engine_error(e.into()))? as u64;
    Ok(TrainView {
        frame_version: data.frame_version,
        labelled_verbatims: data.labelled_verbatims,
        unlabelled_verbatims: data.unlabelled_verbatims,
        too_few_below: data.too_few_below,
        codes: data
            .codes
            .into_iter()
            .map(|c| CodeLabels {
                code_id: c.code_id,
                name: c.name,
                path: c.path,
                verbatims: c.verbatims,
                by_polarity: c.by_polarity,
                too_few: c.too_few,
                skipped: c.skipped,
            })
            .collect(),
        model: active.as_ref().and_then(summary),
        predicted_verbatims,
    })
}

#[tauri::command(async)]
pub fn train_overview(state: State<'_, AppState>) -> Result<TrainView, ErrorInfo> {
    with_project(&state, |p| train_view(p))
}

fn project_dir(state: &State<'_, AppState>) -> Result<PathBuf, ErrorInfo> {
    match state.project.lock().map_err(|_| poisoned())?.as_ref() {
        Some(p) => Ok(p.dir().to_path_buf()),
        None => Err(shell_error(ErrorCode::NotAProject, "no project is open")),
    }
}

/// Runs `work` on its own connection with the window's progress sink; one run at a time.
async fn long_run<T: Send + 'static>(
    window: Window,
    work: impl FnOnce(&mut Project, &ProgressSink<'_>) -> Result<T, ErrorInfo> + Send + 'static,
) -> Result<T, ErrorInfo> {
    let state = window.state::<AppState>();
    let dir = project_dir(&state)?;
    if state.training.swap(true, Ordering::SeqCst) {
        return Err(shell_error(ErrorCode::Busy, "training or auto-coding is already running in this window"));
    }
    state.cancel.store(false, Ordering::SeqCst);
    let app = window.app_handle().clone();
    let label = window.label().to_string();
    blocking(move || {
        let state = app.state::<AppState>();
        let _running = Running(&state.training);
        let mut project = Project::open(&dir).map_err(engine_error)?;
        let sink = ProgressSink::new(&app, &label, &state.cancel);
        let out = work(&mut project, &sink);
        sink.finish();
        out
    })
    .await
}

/// Trains on the project's human labels; the new model becomes active only if it validates
/// at least as well as the active one. `target_precision` sets the auto-coding thresholds.
#[tauri::command]
pub async fn train_run(window: Window, target_precision: f64) -> Result<TrainResult, ErrorInfo> {
    if !(0.5..=0.999).contains(&target_precision) {
        return Err(shell_error(ErrorCode::BadInput, format!("target precision {target_precision} must lie between 0.5 and 0.999")));
    }
    long_run(window, move |project, sink| {
        let options = TrainOptions { target_precision, ..TrainOptions::default() };
        let outcome = model::train(project, &options, false, sink).map_err(engine_error)?;
        Ok(TrainResult { model_id: outcome.model_id, activated: outcome.activated, reason: outcome.reason })
    })
    .await
}

/// Applies the active model to every verbatim without a human label. `precision` uses the
/// thresholds for the target precision; otherwise the F1 thresholds.
#[tauri::command]
pub async fn autocode_run(window: Window, precision: bool) -> Result<AutocodeResult, ErrorInfo> {
    let rule = if precision { DecisionRule::Precision } else { DecisionRule::F1 };
    long_run(window, move |project, sink| {
        let r = model::autocode(project, rule, sink).map_err(engine_error)?;
        Ok(AutocodeResult {
            model_id: r.model_id,
            verbatims: r.verbatims,
            human_labelled: r.human_labelled,
            predictions: r.predictions,
            uncoded: r.uncoded,
            seconds: r.seconds,
        })
    })
    .await
}
