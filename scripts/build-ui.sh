#!/usr/bin/env bash
# Builds the Leptos UI to wasm and assembles ui/dist (what vocwb-app embeds).
# Idempotent: run it again after any change under ui/ or assets/fonts/.
# Then build the app with: cargo build -p vocwb-app --release
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/vocwb/target}"
PROFILE="${UI_PROFILE:-release}"   # release (default) or debug

want=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p' | head -1)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')
if [ "$want" != "$have" ]; then
  echo "build-ui: wasm-bindgen CLI ${have:-missing} does not match the crate ($want); run scripts/setup.sh" >&2
  exit 1
fi

flag=(); [ "$PROFILE" = release ] && flag=(--release)
cargo build "${flag[@]}" --target wasm32-unknown-unknown -p vocwb-ui

dist=ui/dist
tmp=$(mktemp -d ui/.dist.XXXXXX)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
wasm-bindgen --target web --no-typescript --out-dir "$tmp" \
  "$CARGO_TARGET_DIR/wasm32-unknown-unknown/$PROFILE/vocwb-ui.wasm"
cp ui/static/index.html ui/static/boot.js ui/static/*.css "$tmp/"
mkdir -p "$tmp/fonts"
cp assets/fonts/*.woff2 "$tmp/fonts/"
# Swap in the new dist whole, so the app never embeds a half-written one.
rm -rf "$dist"
mv "$tmp" "$dist"
trap - EXIT
echo "build-ui: $(du -sh "$dist" | cut -f1) in $dist ($(ls "$dist" | tr '\n' ' '))"
