#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build, run and test VoC Workbench.
# Idempotent: every step checks first and does nothing when the tool is already there.
set -euo pipefail

WASM_BINDGEN_VERSION="0.2.130"   # must equal the wasm-bindgen crate pinned in ui/Cargo.toml
TAURI_DRIVER_VERSION="2.1.0"

need_root() { if [ "$(id -u)" -ne 0 ]; then echo "sudo"; fi; }
SUDO=$(need_root)

APT_PACKAGES=(
  libwebkit2gtk-4.1-dev build-essential pkg-config libssl-dev libxdo-dev
  libayatana-appindicator3-dev librsvg2-dev file
  xvfb xauth webkit2gtk-driver sqlite3 ripgrep imagemagick
  libxml2-utils
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  echo "setup: adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q " ${WASM_BINDGEN_VERSION}\$"; then
  echo "setup: installing wasm-bindgen-cli ${WASM_BINDGEN_VERSION}"
  # Not --locked: one of its locked dependencies is not served by the registry.
  cargo install wasm-bindgen-cli --version "${WASM_BINDGEN_VERSION}" --force
fi

# tauri-driver has no --version flag; cargo's install list says which version is there.
if ! cargo install --list 2>/dev/null | grep -q "^tauri-driver v${TAURI_DRIVER_VERSION}:"; then
  echo "setup: installing tauri-driver ${TAURI_DRIVER_VERSION}"
  cargo install tauri-driver --version "${TAURI_DRIVER_VERSION}" --locked --force
fi

echo "setup: done"

# The desktop app's window tests (scripts/e2e.sh) look for the native file dialog with xwininfo.
if ! command -v xwininfo >/dev/null 2>&1; then
  echo "setup: installing x11-utils (xwininfo, for the window tests)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends x11-utils
  echo "setup: done"
fi
