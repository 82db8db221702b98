#!/usr/bin/env bash
# Builds the UI and the release app, then runs the end-to-end window tests under Xvfb.
# Screenshots of every screen land in tests/artifacts/. Extra arguments go to the test
# binary, e.g. `scripts/e2e.sh create_project` runs one test.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/vocwb/target}"
export PATH="$HOME/.cargo/bin:$PATH"

scripts/build-ui.sh
cargo build -p vocwb-app --release
export APP_BIN="$CARGO_TARGET_DIR/release/vocwb-app"
mkdir -p tests/artifacts
# The shell's own unit tests (paths, recent list, headers, start-up timing) share the release build.
cargo test -p vocwb-app --release
# Build the tests first, outside Xvfb, so compile time does not count against the display.
cargo test -p vocwb-e2e --release --test it --no-run
# One window at a time: WebKit on two cores is slow enough already.
xvfb-run -a -s "-screen 0 1280x800x24" \
  cargo test -p vocwb-e2e --release --test it -- --test-threads=1 "$@"
