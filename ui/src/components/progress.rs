//! A progress bar for long work, with the share done when the total is known.

use leptos::prelude::*;
use vocwb_types::ProgressEvent;

#[component]
pub fn ProgressBar(#[prop(into)] event: Signal<Option<ProgressEvent>>, label: Signal<&'static str>) -> impl IntoView {
    let fraction = move || {
        event.get().and_then(|e| e.total.filter(|t| *t > 0).map(|t| (e.done as f64 / t as f64).clamp(0.0, 1.0)))
    };
    view! {
        <div class="progress">
            <progress
                id="import-progress"
                max="1"
                value=move || fraction().map(|f| f.to_string()).unwrap_or_default()
                aria-label=move || label.get()
            ></progress>
            <span class="progress-text" aria-live="polite">
                {move || label.get()} " "
                {move || fraction().map(|f| format!("{:.0}%", f * 100.0)).unwrap_or_default()}
            </span>
        </div>
    }
}
