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
        "pick_lexicon_file",
        "pick_save_file",
        "lexicon_view",
        "lexicon_put",
        "lexicon_delete",
        "lexicon_import",
        "lexicon_export",
        // labelling screen
        "label_coders",
        "label_set_coder",
        "label_queue",
        "label_card",
        "label_apply",
        "label_remove",
        "label_undo",
        "label_redo",
        "label_skip",
        "label_search_codes",
        "label_shortcuts",
        "label_progress",
        "label_agreement",
        "label_adjudicate",
        // train screen
        "train_overview",
        "train_run",
        "autocode_run",
        // search & review screen
    ]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri-build failed (has scripts/build-ui.sh made ui/dist?)");
}
