#!/usr/bin/env bash
# Runs every test: set-up, architecture checks, engine and CLI tests, then the desktop app's
# window tests under Xvfb. This is the README's test command and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/vocwb/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

bash scripts/setup.sh
bash scripts/check-deps.sh
# Every default member: types, engine, search, classify and the CLI (never the Tauri app).
cargo test --locked
if [ -f scripts/e2e.sh ]; then
  bash scripts/e2e.sh
fi
