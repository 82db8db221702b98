//! Embeds `ui/dist` and declares the app's own commands, so that the capability file can
//! grant exactly these and nothing else.

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(&[
        "startup_project",
        "ui_ready",
        "create_project",
        "open_project",
        "open_demo",
        "project_overview",
        "recent_projects",
        "pick_folder",
        "pick_import_file",
        "import_preview",
        "import_run",
        "import_headers",
        "cancel",
        "frame_draft",
        "frame_edit",
        "frame_publish",
        "frame_versions",
        "frame_diff",
        "migrate_labels",
        // lexicon screen
        // labelling screen
        // train screen
        // search & review screen
        "search_run",
        "search_filter_options",
        "review_codes",
        "index_status",
        "index_rebuild",
        "review_cancel",
        "review_coders",
        "review_draw_sample",
        "review_samples",
        "review_sample",
        "review_decide",
        "review_report",
        "review_export_report",
        "review_pick_report_path",
    ]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri-build failed (has scripts/build-ui.sh made ui/dist?)");
}
