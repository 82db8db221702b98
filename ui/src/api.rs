//! The only module that talks to the desktop shell: one typed function per Tauri command
//! (see `src-tauri/src/commands/`), plus the import-progress event.
//!
//! Every failure comes back as the engine's [`ErrorInfo`]; the UI shows its `message` as is.

use crate::wire::FrameView;
use vocwb_types::frame::{FrameOp, MigrationReport, OpRecord, VersionInfo};
use crate::wire::{
    AutocodeResult, ImportRequest, LexiconView, ProjectView, RecentProject, TrainResult, TrainView, IMPORT_PROGRESS_EVENT,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use vocwb_types::{ErrorCode, ErrorInfo, ImportReport, LexiconTerm, ProgressEvent};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], catch, js_name = invoke)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "event"], catch, js_name = listen)]
    async fn tauri_listen(event: &str, handler: &Closure<dyn FnMut(JsValue)>) -> Result<JsValue, JsValue>;
}

pub type ApiResult<T> = Result<T, ErrorInfo>;

#[derive(Serialize)]
struct Request<'a> {
    request: &'a ImportRequest,
}

#[derive(Serialize)]
struct Dir<'a> {
    dir: &'a str,
}

#[derive(Serialize)]
struct Title<'a> {
    title: &'a str,
}

#[derive(Serialize)]
struct Screen<'a> {
    screen: &'a str,
}

#[derive(Serialize)]
struct NoArgs {}

/// The project the command line asked for, once open; `None` without one.
pub async fn startup_project() -> ApiResult<Option<ProjectView>> {
    call("startup_project", &NoArgs {}).await
}

/// Tells the shell the first screen has painted (it logs the start-up time).
pub async fn ui_ready(screen: &str) -> ApiResult<u64> {
    call("ui_ready", &Screen { screen }).await
}

pub async fn create_project(dir: &str) -> ApiResult<ProjectView> {
    call("create_project", &Dir { dir }).await
}

pub async fn open_project(dir: &str) -> ApiResult<ProjectView> {
    call("open_project", &Dir { dir }).await
}

pub async fn open_demo() -> ApiResult<ProjectView> {
    call("open_demo", &NoArgs {}).await
}

/// The open project with fresh counts.
pub async fn project_overview() -> ApiResult<Option<ProjectView>> {
    call("project_overview", &NoArgs {}).await
}

pub async fn recent_projects() -> ApiResult<Vec<RecentProject>> {
    call("recent_projects", &NoArgs {}).await
}

/// The native folder chooser; `None` when dismissed.
pub async fn pick_folder(title: &str) -> ApiResult<Option<String>> {
    call("pick_folder", &Title { title }).await
}

/// The native file chooser for importable files; `None` when dismissed.
pub async fn pick_import_file(title: &str) -> ApiResult<Option<String>> {
    call("pick_import_file", &Title { title }).await
}

/// The engine's dry run: encoding, headers, mapping and first rows; changes nothing.
pub async fn import_preview(request: &ImportRequest) -> ApiResult<ImportReport> {
    call("import_preview", &Request { request }).await
}

pub async fn import_run(request: &ImportRequest) -> ApiResult<ImportReport> {
    call("import_run", &Request { request }).await
}

/// The file's column names, for choosing columns when the preview could not guess them.
pub async fn import_headers(request: &ImportRequest) -> ApiResult<Vec<String>> {
    call("import_headers", &Request { request }).await
}

/// Asks the running import or preview to stop.
pub async fn cancel() -> ApiResult<()> {
    call("cancel", &NoArgs {}).await
}

#[derive(Serialize)]
struct EditArgs<'a> {
    op: &'a FrameOp,
    author: &'a str,
}

#[derive(Serialize)]
struct PublishArgs<'a> {
    author: &'a str,
    changelog: Option<&'a str>,
}

#[derive(Serialize)]
struct DiffArgs {
    from: i64,
    to: Option<i64>,
}

#[derive(Serialize)]
struct ToVersion {
    to: Option<i64>,
}

/// The draft code frame and its validation problems.
pub async fn frame_draft() -> ApiResult<FrameView> {
    call("frame_draft", &NoArgs {}).await
}

/// One operation on the draft; refused as the engine words it when the result is invalid.
pub async fn frame_edit(op: &FrameOp, author: &str) -> ApiResult<FrameView> {
    call("frame_edit", &EditArgs { op, author }).await
}

/// Publishes the draft; returns the new version number.
pub async fn frame_publish(author: &str, changelog: Option<&str>) -> ApiResult<i64> {
    call("frame_publish", &PublishArgs { author, changelog }).await
}

pub async fn frame_versions() -> ApiResult<Vec<VersionInfo>> {
    call("frame_versions", &NoArgs {}).await
}

/// Operations from version `from` to `to` (`None`: the draft).
pub async fn frame_diff(from: i64, to: Option<i64>) -> ApiResult<Vec<OpRecord>> {
    call("frame_diff", &DiffArgs { from, to }).await
}

/// Moves labels to version `to` (`None`: the latest).
pub async fn migrate_labels(to: Option<i64>) -> ApiResult<MigrationReport> {
    call("migrate_labels", &ToVersion { to }).await
}

#[derive(Serialize)]
struct PutTerm<'a> {
    replacing: Option<&'a str>,
    term: &'a LexiconTerm,
}

#[derive(Serialize)]
struct TermName<'a> {
    term: &'a str,
}

#[derive(Serialize)]
struct PathArg<'a> {
    path: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SaveAs<'a> {
    title: &'a str,
    file_name: &'a str,
}

/// The lexicon and the codes its terms may point to.
pub async fn lexicon_view() -> ApiResult<LexiconView> {
    call("lexicon_view", &NoArgs {}).await
}

/// Adds `term` or replaces the term named `replacing`; refused as the engine words it.
pub async fn lexicon_put(replacing: Option<&str>, term: &LexiconTerm) -> ApiResult<LexiconView> {
    call("lexicon_put", &PutTerm { replacing, term }).await
}

pub async fn lexicon_delete(term: &str) -> ApiResult<LexiconView> {
    call("lexicon_delete", &TermName { term }).await
}

/// Replaces the lexicon with a CSV, XLSX or TOML file.
pub async fn lexicon_import(path: &str) -> ApiResult<LexiconView> {
    call("lexicon_import", &PathArg { path }).await
}

/// Writes the lexicon to `path` (format by extension); returns the path written.
pub async fn lexicon_export(path: &str) -> ApiResult<String> {
    call("lexicon_export", &PathArg { path }).await
}

/// The native chooser for lexicon files; `None` when dismissed.
pub async fn pick_lexicon_file(title: &str) -> ApiResult<Option<String>> {
    call("pick_lexicon_file", &Title { title }).await
}

/// The native save dialog; `None` when dismissed.
pub async fn pick_save_file(title: &str, file_name: &str) -> ApiResult<Option<String>> {
    call("pick_save_file", &SaveAs { title, file_name }).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TrainArgs {
    target_precision: f64,
}

#[derive(Serialize)]
struct AutocodeArgs {
    precision: bool,
}

/// Label counts per code and the active model's card.
pub async fn train_overview() -> ApiResult<TrainView> {
    call("train_overview", &NoArgs {}).await
}

/// Trains on the human labels (progress arrives as `train` events; `cancel` stops it).
pub async fn train_run(target_precision: f64) -> ApiResult<TrainResult> {
    call("train_run", &TrainArgs { target_precision }).await
}

/// Auto-codes every verbatim without a human label with the active model.
pub async fn autocode_run(precision: bool) -> ApiResult<AutocodeResult> {
    call("autocode_run", &AutocodeArgs { precision }).await
}

/// Calls `handler` with each import progress event, for the life of the window.
pub async fn on_import_progress(handler: impl Fn(ProgressEvent) + 'static) -> ApiResult<()> {
    let closure = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
        // The event object is `{ event, id, payload }`.
        let payload = js_sys::Reflect::get(&event, &JsValue::from_str("payload")).unwrap_or(JsValue::NULL);
        if let Ok(p) = serde_wasm_bindgen::from_value::<ProgressEvent>(payload) {
            handler(p);
        }
    });
    tauri_listen(IMPORT_PROGRESS_EVENT, &closure).await.map_err(to_error)?;
    // Listening lasts as long as the window, so the handler must too.
    closure.forget();
    Ok(())
}

async fn call<A: Serialize + ?Sized, T: DeserializeOwned>(cmd: &str, args: &A) -> ApiResult<T> {
    let args = args
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| ui_error(format!("could not send the request to '{cmd}': {e}")))?;
    let value = tauri_invoke(cmd, args).await.map_err(to_error)?;
    serde_wasm_bindgen::from_value(value).map_err(|e| ui_error(format!("unexpected answer from '{cmd}': {e}")))
}

/// A rejected call: the engine's `ErrorInfo`, or Tauri's own message (a plain string).
fn to_error(value: JsValue) -> ErrorInfo {
    if let Ok(info) = serde_wasm_bindgen::from_value::<ErrorInfo>(value.clone()) {
        return info;
    }
    ui_error(value.as_string().unwrap_or_else(|| format!("{value:?}")))
}

fn ui_error(message: String) -> ErrorInfo {
    ErrorInfo { code: ErrorCode::Io, message, file: None, row: None, field: None }
}

// labelling screen

use vocwb_types::label::{AgreementView, CodeHit, CoderInfo, CurrentLabel, LabelProgress, QueueRequest, VerbatimCard};
use vocwb_types::{Polarity, Role};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CoderArg<'a> {
    coder: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SetCoderArgs<'a> {
    name: &'a str,
    role: Role,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct QueueArgs<'a> {
    coder: &'a str,
    queue: &'a QueueRequest,
    exclude: &'a [i64],
    count: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct VerbatimArgs<'a> {
    coder: &'a str,
    verbatim_id: i64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ApplyArgs<'a> {
    coder: &'a str,
    verbatim_id: i64,
    code_id: &'a str,
    polarity: Polarity,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RemoveArgs<'a> {
    coder: &'a str,
    verbatim_id: i64,
    code_id: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SearchArgs<'a> {
    query: &'a str,
    limit: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ProgressArgs<'a> {
    coder: &'a str,
    session_start: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AdjudicateArgs<'a> {
    adjudicator: &'a str,
    verbatim_id: i64,
    code_id: &'a str,
    polarity: Option<Polarity>,
}

pub async fn label_coders() -> ApiResult<Vec<CoderInfo>> {
    call("label_coders", &NoArgs {}).await
}

pub async fn label_set_coder(name: &str, role: Role) -> ApiResult<CoderInfo> {
    call("label_set_coder", &SetCoderArgs { name, role }).await
}

/// The next `count` verbatims of the coder's queue, leaving out `exclude`.
pub async fn label_queue(coder: &str, queue: &QueueRequest, exclude: &[i64], count: usize) -> ApiResult<Vec<VerbatimCard>> {
    call("label_queue", &QueueArgs { coder, queue, exclude, count }).await
}

pub async fn label_card(coder: &str, verbatim_id: i64) -> ApiResult<VerbatimCard> {
    call("label_card", &VerbatimArgs { coder, verbatim_id }).await
}

/// Applies a label; answers once it is committed, with the verbatim's labels now.
pub async fn label_apply(coder: &str, verbatim_id: i64, code_id: &str, polarity: Polarity) -> ApiResult<Vec<CurrentLabel>> {
    call("label_apply", &ApplyArgs { coder, verbatim_id, code_id, polarity }).await
}

pub async fn label_remove(coder: &str, verbatim_id: i64, code_id: &str) -> ApiResult<Vec<CurrentLabel>> {
    call("label_remove", &RemoveArgs { coder, verbatim_id, code_id }).await
}

/// The verbatim the undo touched, if there was anything to undo.
pub async fn label_undo(coder: &str) -> ApiResult<Option<i64>> {
    call("label_undo", &CoderArg { coder }).await
}

pub async fn label_redo(coder: &str) -> ApiResult<Option<i64>> {
    call("label_redo", &CoderArg { coder }).await
}

pub async fn label_skip(coder: &str, verbatim_id: i64) -> ApiResult<()> {
    call("label_skip", &VerbatimArgs { coder, verbatim_id }).await
}

pub async fn label_search_codes(query: &str, limit: usize) -> ApiResult<Vec<CodeHit>> {
    call("label_search_codes", &SearchArgs { query, limit }).await
}

pub async fn label_shortcuts(coder: &str) -> ApiResult<Vec<CodeHit>> {
    call("label_shortcuts", &CoderArg { coder }).await
}

pub async fn label_progress(coder: &str, session_start: &str) -> ApiResult<LabelProgress> {
    call("label_progress", &ProgressArgs { coder, session_start }).await
}

pub async fn label_agreement() -> ApiResult<AgreementView> {
    call("label_agreement", &NoArgs {}).await
}

pub async fn label_adjudicate(adjudicator: &str, verbatim_id: i64, code_id: &str, polarity: Option<Polarity>) -> ApiResult<AgreementView> {
    call("label_adjudicate", &AdjudicateArgs { adjudicator, verbatim_id, code_id, polarity }).await
}

// search & review screen

use vocwb_types::review::{Decision, ReviewReport, ReviewSample, SampleParams, Verdict};
use vocwb_types::review_screen::{CodeChoice, CoderProfile, REVIEW_PROGRESS_EVENT};
use vocwb_types::search::{FilterOptions, IndexReport, IndexStatus, SearchQuery, SearchResults};

#[derive(Serialize)]
struct QueryArgs<'a> {
    query: &'a SearchQuery,
}

#[derive(Serialize)]
struct SampleArgs<'a> {
    params: &'a SampleParams,
}

/// Tauri matches command arguments by their camelCase names.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SampleIdArgs {
    sample_id: Option<i64>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DecideArgs<'a> {
    sample_id: i64,
    position: i64,
    reviewer: &'a str,
    verdict: &'a Verdict,
    note: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExportArgs<'a> {
    sample_id: Option<i64>,
    path: &'a str,
}

/// Ranked hits, snippets and counts per code; the engine refreshes its index first if needed.
pub async fn search_run(query: &SearchQuery) -> ApiResult<SearchResults> {
    call("search_run", &QueryArgs { query }).await
}

pub async fn search_filter_options() -> ApiResult<FilterOptions> {
    call("search_filter_options", &NoArgs {}).await
}

/// The labelling frame's codes in tree order.
pub async fn review_codes() -> ApiResult<Vec<CodeChoice>> {
    call("review_codes", &NoArgs {}).await
}

pub async fn index_status() -> ApiResult<IndexStatus> {
    call("index_status", &NoArgs {}).await
}

pub async fn index_rebuild() -> ApiResult<IndexReport> {
    call("index_rebuild", &NoArgs {}).await
}

/// Asks a running index rebuild to stop.
pub async fn review_cancel() -> ApiResult<()> {
    call("review_cancel", &NoArgs {}).await
}

pub async fn review_coders() -> ApiResult<Vec<CoderProfile>> {
    call("review_coders", &NoArgs {}).await
}

pub async fn review_draw_sample(params: &SampleParams) -> ApiResult<ReviewSample> {
    call("review_draw_sample", &SampleArgs { params }).await
}

/// Recorded samples, newest first, without items.
pub async fn review_samples() -> ApiResult<Vec<ReviewSample>> {
    call("review_samples", &NoArgs {}).await
}

pub async fn review_sample(sample_id: i64) -> ApiResult<ReviewSample> {
    call("review_sample", &SampleIdArgs { sample_id: Some(sample_id) }).await
}

pub async fn review_decide(sample_id: i64, position: i64, reviewer: &str, verdict: &Verdict) -> ApiResult<Decision> {
    call("review_decide", &DecideArgs { sample_id, position, reviewer, verdict, note: None }).await
}

/// The report of one sample (`None`: all samples).
pub async fn review_report(sample_id: Option<i64>) -> ApiResult<ReviewReport> {
    call("review_report", &SampleIdArgs { sample_id }).await
}

/// Writes the report workbook; returns the path written.
pub async fn review_export_report(sample_id: Option<i64>, path: &str) -> ApiResult<String> {
    call("review_export_report", &ExportArgs { sample_id, path }).await
}

/// The native "save as" dialog for the report; `None` when dismissed.
pub async fn review_pick_report_path(title: &str) -> ApiResult<Option<String>> {
    call("review_pick_report_path", &Title { title }).await
}

/// Calls `handler` with each index progress event, for the life of the window.
pub async fn on_review_progress(handler: impl Fn(ProgressEvent) + 'static) -> ApiResult<()> {
    let closure = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
        let payload = js_sys::Reflect::get(&event, &JsValue::from_str("payload")).unwrap_or(JsValue::NULL);
        if let Ok(p) = serde_wasm_bindgen::from_value::<ProgressEvent>(payload) {
            handler(p);
        }
    });
    tauri_listen(REVIEW_PROGRESS_EVENT, &closure).await.map_err(to_error)?;
    closure.forget();
    Ok(())
}
