//! Import: choose a file and its channel, preview (encoding, headers, column mapping, first
//! rows), adjust the mapping, run with progress and cancel, see what was added.

use crate::api;
use crate::wire::ImportRequest;
use crate::components::{fmt_count, MapField, MappingEditor, PathField, PreviewTable, ProgressBar};
use crate::i18n::{channel_name, Msg};
use crate::store::{use_store, Page};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use vocwb_types::{Channel, ColumnMapping, ErrorCode, ImportReport};

/// Encodings offered besides detection (labels the engine's decoder knows).
const ENCODINGS: &[&str] = &["utf-8", "gbk", "gb18030", "big5", "utf-16le", "utf-16be"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Busy {
    Preview,
    Run,
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let store = use_store();
    let file = RwSignal::new(String::new());
    let channel = RwSignal::new(None::<Channel>);
    let encoding = RwSignal::new(String::new());
    let skip_empty = RwSignal::new(false);
    let busy = RwSignal::new(None::<Busy>);
    // The request that produced `preview`, with the mapping the engine resolved; Run sends it.
    let previewed = RwSignal::new(None::<ImportRequest>);
    let preview = RwSignal::new(None::<ImportReport>);
    let result = RwSignal::new(None::<ImportReport>);
    // The mapping of the last preview asked for (after a success: as the engine resolved it).
    let mapping_sent = RwSignal::new(ColumnMapping::default());
    // The file's headers when the preview failed for want of a column the user must choose.
    let headers_only = RwSignal::new(None::<Vec<String>>);

    // Editing the inputs makes the preview stale; Run must never import something unseen.
    let invalidate = move || {
        preview.set(None);
        previewed.set(None);
        headers_only.set(None);
    };

    let run_preview = move |mapping: ColumnMapping, refocus: Option<String>| {
        let Some(ch) = channel.get_untracked() else { return };
        let request = ImportRequest {
            file: file.get_untracked(),
            channel: ch,
            mapping,
            encoding: Some(encoding.get_untracked()).filter(|e| !e.is_empty()),
            skip_empty: skip_empty.get_untracked(),
        };
        store.error.set(None);
        store.progress.set(None);
        result.set(None);
        mapping_sent.set(request.mapping.clone());
        busy.set(Some(Busy::Preview));
        spawn_local(async move {
            let answer = api::import_preview(&request).await;
            busy.set(None);
            match answer {
                Ok(report) => {
                    mapping_sent.set(report.mapping.clone());
                    headers_only.set(None);
                    previewed.set(Some(ImportRequest { mapping: report.mapping.clone(), ..request }));
                    preview.set(Some(report));
                    if let Some(id) = refocus {
                        // The editor was redrawn; keep the keyboard where the user was.
                        request_animation_frame(move || focus(&id));
                    }
                }
                Err(e) => {
                    invalidate();
                    // A problem with the header row (e.g. no text column found): offer the
                    // file's columns so the user can choose.
                    let header_problem = e.code == ErrorCode::BadInput && e.row == Some(1);
                    store.error.set(Some(e));
                    if header_problem {
                        if let Ok(headers) = api::import_headers(&request).await {
                            if !headers.is_empty() {
                                headers_only.set(Some(headers));
                                if let Some(id) = refocus {
                                    request_animation_frame(move || focus(&id));
                                }
                            }
                        }
                    }
                }
            }
        });
    };

    let on_preview = move |ev: SubmitEvent| {
        ev.prevent_default();
        // A new file or channel starts from the engine's guess again.
        run_preview(ColumnMapping::default(), None);
    };
    let on_mapping = Callback::new(move |(field, column): (MapField, Option<String>)| {
        let mut mapping = mapping_sent.get_untracked();
        field.set(&mut mapping, column);
        run_preview(mapping, Some(field.select_id()));
    });
    let on_run = move |_| {
        let Some(request) = previewed.get_untracked() else { return };
        store.error.set(None);
        store.progress.set(None);
        busy.set(Some(Busy::Run));
        spawn_local(async move {
            let answer = api::import_run(&request).await;
            busy.set(None);
            match answer {
                Ok(report) => {
                    invalidate();
                    result.set(Some(report));
                    if let Ok(Some(p)) = api::project_overview().await {
                        store.project.set(Some(p));
                    }
                    request_animation_frame(|| focus("import-result"));
                }
                Err(e) => store.error.set(Some(e)),
            }
        });
    };
    let on_cancel = move |_| {
        spawn_local(async move {
            if let Err(e) = api::cancel().await {
                store.error.set(Some(e));
            }
        });
    };
    let on_browse = Callback::new(move |()| {
        let title = store.tr_now(Msg::ChooseFile);
        spawn_local(async move {
            match api::pick_import_file(title).await {
                Ok(Some(path)) => {
                    file.set(path);
                    invalidate();
                }
                Ok(None) => {}
                Err(e) => store.error.set(Some(e)),
            }
        });
    });

    let is_busy = Signal::derive(move || busy.get().is_some());
    let busy_label = Signal::derive(move || match busy.get() {
        Some(Busy::Run) => store.tr(Msg::Importing),
        _ => store.tr(Msg::Reading),
    });

    view! {
        <div class="page import" id="page-import">
            <h1>{move || store.tr(Msg::ImportTitle)}</h1>
            <p class="hint">{move || store.tr(Msg::ImportHint)}</p>
            <section class="card">
                <form class="import-form" on:submit=on_preview on:input=move |_| invalidate()>
                    <div class="grow">
                        <PathField
                            id="import-file"
                            label=Msg::FileLabel
                            placeholder=Msg::FilePlaceholder
                            value=file
                            on_browse=on_browse
                            disabled=is_busy
                        />
                    </div>
                    <div>
                        <label class="field" for="import-channel">{move || store.tr(Msg::Channel)}</label>
                        <select
                            id="import-channel"
                            required
                            disabled=move || is_busy.get()
                            on:change=move |ev| {
                                channel.set(event_target_value(&ev).parse::<Channel>().ok());
                                invalidate();
                            }
                        >
                            <option value="" selected=move || channel.get().is_none()>"—"</option>
                            {Channel::ALL
                                .into_iter()
                                .map(|c| view! {
                                    <option value=c.as_str() selected=move || channel.get() == Some(c)>
                                        {move || channel_name(store.lang.get(), c)}
                                    </option>
                                })
                                .collect_view()}
                        </select>
                    </div>
                    <div>
                        <label class="field" for="import-encoding">{move || store.tr(Msg::EncodingLabel)}</label>
                        <select
                            id="import-encoding"
                            disabled=move || is_busy.get()
                            on:change=move |ev| {
                                encoding.set(event_target_value(&ev));
                                invalidate();
                            }
                        >
                            <option value="" selected=move || encoding.get().is_empty()>
                                {move || store.tr(Msg::EncodingDetect)}
                            </option>
                            {ENCODINGS
                                .iter()
                                .map(|e| view! { <option value=*e selected=move || encoding.get() == *e>{*e}</option> })
                                .collect_view()}
                        </select>
                    </div>
                    <label class="check" for="import-skip-empty">
                        <input
                            type="checkbox"
                            id="import-skip-empty"
                            prop:checked=move || skip_empty.get()
                            disabled=move || is_busy.get()
                            on:change=move |ev| {
                                skip_empty.set(event_target_checked(&ev));
                                invalidate();
                            }
                        />
                        {move || store.tr(Msg::SkipEmpty)}
                    </label>
                    <div class="form-submit">
                        <button type="submit" id="import-preview" class="primary" disabled=move || is_busy.get()>
                            {move || store.tr(Msg::Preview)}
                        </button>
                    </div>
                </form>
            </section>

            <Show when=move || busy.get().is_some()>
                <section class="card running" id="import-running">
                    <ProgressBar event=store.progress label=busy_label/>
                    <button type="button" id="import-cancel" class="secondary" on:click=on_cancel>
                        {move || store.tr(Msg::Cancel)}
                    </button>
                </section>
            </Show>

            {move || headers_only.get().map(|headers| view! {
                <section class="card" id="mapping-needed">
                    <h2>{move || store.tr(Msg::MappingTitle)}</h2>
                    <p class="hint">{move || store.tr(Msg::MappingNeeded)}</p>
                    <div class="mapping" id="mapping">
                        <MappingEditor
                            headers=headers
                            mapping=mapping_sent.get_untracked()
                            on_change=on_mapping
                            disabled=is_busy
                        />
                    </div>
                </section>
            })}

            {move || preview.get().map(|report| {
                let would_add = format!(
                    "{} {} · {} {}",
                    fmt_count(report.documents_added),
                    store.tr(Msg::Documents),
                    fmt_count(report.verbatims_added),
                    store.tr(Msg::Verbatims),
                );
                view! {
                    <section class="card" id="preview">
                        <div class="section-head">
                            <h2>{move || store.tr(Msg::PreviewTitle)}</h2>
                            <button type="button" id="import-run" class="primary" disabled=move || is_busy.get() on:click=on_run>
                                {move || store.tr(Msg::Run)}
                            </button>
                        </div>
                        <dl class="facts">
                            <div><dt>{move || store.tr(Msg::Format)}</dt><dd id="preview-format">{report.format.clone()}</dd></div>
                            <div><dt>{move || store.tr(Msg::DetectedEncoding)}</dt><dd id="preview-encoding">{report.encoding.clone()}</dd></div>
                            <div><dt>{move || store.tr(Msg::Rows)}</dt><dd id="preview-rows-count">{fmt_count(report.rows)}</dd></div>
                            <div><dt>{move || store.tr(Msg::WouldAdd)}</dt><dd id="preview-would-add">{would_add}</dd></div>
                        </dl>
                        {report.file_already_imported.then(|| view! {
                            <p class="banner notice" id="preview-already">{move || store.tr(Msg::AlreadyImported)}</p>
                        })}
                        {(!report.headers.is_empty()).then(|| view! {
                            <h3>{move || store.tr(Msg::MappingTitle)}</h3>
                            <p class="hint">{move || store.tr(Msg::MappingHint)}</p>
                            <div class="mapping" id="mapping">
                                <MappingEditor
                                    headers=report.headers.clone()
                                    mapping=report.mapping.clone()
                                    on_change=on_mapping
                                    disabled=is_busy
                                />
                            </div>
                        })}
                        <h3>{move || store.tr(Msg::FirstRows)}</h3>
                        <PreviewTable rows=report.preview.clone()/>
                    </section>
                }
            })}

            {move || result.get().map(|report| view! {
                <section class="card result" id="import-result" tabindex="-1">
                    <h2>{move || store.tr(Msg::ResultTitle)}</h2>
                    {report.file_already_imported.then(|| view! {
                        <p class="banner notice">{move || store.tr(Msg::AlreadyImported)}</p>
                    })}
                    <dl class="facts">
                        <div><dt>{move || store.tr(Msg::DocumentsAdded)}</dt><dd id="result-documents">{fmt_count(report.documents_added)}</dd></div>
                        <div><dt>{move || store.tr(Msg::VerbatimsAdded)}</dt><dd id="result-verbatims">{fmt_count(report.verbatims_added)}</dd></div>
                        <div><dt>{move || store.tr(Msg::Skipped)}</dt><dd id="result-skipped">{fmt_count(report.documents_skipped)}</dd></div>
                    </dl>
                    <button type="button" id="see-overview" class="secondary" on:click=move |_| store.page.set(Page::Overview)>
                        {move || store.tr(Msg::SeeOverview)}
                    </button>
                </section>
            })}
        </div>
    }
}

fn focus(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}
