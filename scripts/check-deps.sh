#!/usr/bin/env bash
# Architecture check: the engine and the shared types never depend on a GUI or on argument parsing.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
for crate in vocwb-types vocwb-engine; do
  deps=$(cargo tree -p "$crate" -e normal,build --prefix none --format '{p}' 2>/dev/null | awk '{print $1}' | sort -u)
  for forbidden in tauri wry tao leptos clap indicatif; do
    if printf '%s\n' "$deps" | grep -qx "$forbidden"; then
      echo "check-deps: $crate depends on $forbidden (forbidden by ARCHITECTURE.md)" >&2
      status=1
    fi
  done
done
if [ $status -eq 0 ]; then echo "check-deps: engine and types are free of tauri, leptos and clap"; fi
exit $status
