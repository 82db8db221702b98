#!/usr/bin/env bash
# Quick tuning aid for the classifier's CNNs: trains one net (settings from $OPTS, a CnnParams
# JSON) on dev folds != k and scores fold k, for k = 0..3, two at a time, and prints the mean.
# usage: OPTS='{"filters":96}' scripts/cnn-probe.sh [SEED] [DEV_CSV]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
seed="${1:-7}"
dev="${2:-$here/../shared/data/auto_reviews/dev.csv}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/vocwb/target}"
(cd "$here" && cargo build --release -q -p vocwb-classify --example cnn_probe)
probe="$CARGO_TARGET_DIR/release/examples/cnn_probe"
out="$(mktemp)"
printf '%s\n' 0 1 2 3 | xargs -P2 -I{} sh -c "FOLD={} SEED=$seed '$probe' '$dev' | tail -n 1" > "$out"
echo "${OPTS:-{\}}"
awk '{ f += $4; b += $6 } END { printf "mean of folds 0-3: micro-F1 %.4f, at the best shift %.4f\n", f / NR, b / NR }' "$out"
rm -f "$out"
