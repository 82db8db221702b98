#!/usr/bin/env bash
# Measures the time from launching `vocwb-app --demo` (release, under Xvfb) to the first
# painted overview. The UI calls `ui_ready` two animation frames after the overview is
# mounted; the app then prints its wall clock (epoch_ms) on stderr, which this script
# subtracts from the wall clock it read just before exec'ing the app.
# Usage: scripts/startup-time.sh [RUNS]   (needs a built app: scripts/build-ui.sh &&
#        cargo build -p vocwb-app --release)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/vocwb/target}"
APP_BIN="${APP_BIN:-$CARGO_TARGET_DIR/release/vocwb-app}"
RUNS="${1:-5}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export VOCWB_DEMO_DIR="$work/demo" VOCWB_CONFIG_DIR="$work/config" XDG_DATA_HOME="$work/data" GSETTINGS_BACKEND=memory

cat > "$work/one.sh" <<'ONE'
#!/usr/bin/env bash
# One launch: prints "<external ms> | <the app's own line>".
set -euo pipefail
log="$1"; app="$2"
: > "$log"
start=$(date +%s%3N)
"$app" --demo 2> "$log" &
pid=$!
for _ in $(seq 1 300); do
  if grep -q "first paint" "$log"; then break; fi
  sleep 0.02
done
line=$(grep "first paint" "$log" || true)
kill -TERM "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
if [ -z "$line" ]; then echo "no first paint within 6 s; stderr:"; cat "$log"; exit 1; fi
paint=$(sed -n 's/.*epoch_ms=\([0-9]*\).*/\1/p' <<<"$line")
echo "$((paint - start)) ms | $line"
ONE
chmod +x "$work/one.sh"

xvfb-run -a -s "-screen 0 1280x800x24" bash -c "
  echo 'cold (demo project built on this launch):'
  '$work/one.sh' '$work/log' '$APP_BIN'
  echo 'warm (demo project exists):'
  for i in \$(seq 1 $RUNS); do '$work/one.sh' '$work/log' '$APP_BIN'; done
"
