//! How WebKitGTK draws the window.
//!
//! WebKitGTK rasterises pages with OpenGL by default. On a machine with no GPU (no DRM render
//! node, e.g. a VM or a remote desktop) that GL is Mesa's software emulation, which spends the
//! CPU twice over; Skia's own CPU raster path is much cheaper there. Measured with the
//! keyboard window test on a 2-core VM under Xvfb: label keypress to next verbatim drawn,
//! p95 60–77 ms with emulated GL, 16–20 ms with CPU rendering.

use std::path::Path;

/// WebKitGTK's switch for Skia CPU rendering (read by its web process at start).
const CPU_RENDERING: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";

/// Whether `dri` (normally `/dev/dri`) holds a render node, i.e. a GPU that GL can use.
pub fn has_render_node(dri: &Path) -> bool {
    std::fs::read_dir(dri)
        .map(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
        })
        .unwrap_or(false)
}

/// Chooses CPU rendering when there is no GPU, unless the user already chose either way.
/// Runs first thing in `main`, before any thread exists, because it sets the environment that
/// WebKit's child processes inherit.
pub fn choose_renderer() {
    if cfg!(target_os = "linux")
        && std::env::var_os(CPU_RENDERING).is_none()
        && !has_render_node(Path::new("/dev/dri"))
    {
        std::env::set_var(CPU_RENDERING, "1");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_render_node_means_a_gpu() {
        let dri = tempfile::tempdir().unwrap();
        assert!(!has_render_node(dri.path()), "empty folder");
        assert!(
            !has_render_node(&dri.path().join("missing")),
            "no folder at all"
        );
        std::fs::write(dri.path().join("card0"), b"").unwrap();
        assert!(
            !has_render_node(dri.path()),
            "a display card alone is not a render node"
        );
        std::fs::write(dri.path().join("renderD128"), b"").unwrap();
        assert!(has_render_node(dri.path()));
    }
}
