#!/usr/bin/env bash
# Sets up a fresh machine, builds VoC Workbench and opens it on the bundled demo project.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/vocwb/target}"

bash scripts/setup.sh
cargo build --locked --release -p vocwb-cli
VOCWB="$CARGO_TARGET_DIR/release/vocwb"
DEMO_DIR="${VOCWB_DEMO_DIR:-$HOME/.local/share/vocwb/demo}"
if [ ! -f "$DEMO_DIR/project.sqlite" ]; then
  "$VOCWB" demo "$DEMO_DIR"
fi
"$VOCWB" stats "$DEMO_DIR"
if [ -f scripts/build-ui.sh ] && [ -d src-tauri ]; then
  bash scripts/build-ui.sh
  cargo build --locked --release -p vocwb-app
  if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    echo "demo: no display; starting the app under Xvfb (screen :99)"
    exec xvfb-run -a -s "-screen 0 1280x800x24" "$CARGO_TARGET_DIR/release/vocwb-app" "$DEMO_DIR"
  fi
  exec "$CARGO_TARGET_DIR/release/vocwb-app" "$DEMO_DIR"
fi
