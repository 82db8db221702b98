#!/usr/bin/env bash
# Reproduces the 5-fold figures of the classifier on the shared dev set with the vocwb CLI
# (release build): for each fold, a fresh project on the shipped `auto` frame gets the other
# four folds as human labels, `vocwb train` trains, and `vocwb eval` scores the held-out fold.
# Out-of-fold counts are pooled and scored once, as in shared/baselines/README.md.
#
# usage: [SEED=n] scripts/eval-dev-folds.sh [DEV_CSV] [WORK_DIR]  (SEED: the training seed; default: the model's)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
dev="${1:-$here/../shared/data/auto_reviews/dev.csv}"
work="${2:-$(mktemp -d)}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/vocwb/target}"
(cd "$here" && cargo build --release -q -p vocwb-cli)
vocwb="$CARGO_TARGET_DIR/release/vocwb"
mkdir -p "$work"

python3 - "$dev" "$work" <<'PY'
import csv, sys
dev, work = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(open(dev, encoding="utf-8", newline="")))
for f in range(5):
    for name, keep in (("train", lambda r: r["fold"] != str(f)), ("test", lambda r: r["fold"] == str(f))):
        with open(f"{work}/{name}{f}.csv", "w", encoding="utf-8", newline="") as out:
            w = csv.writer(out, lineterminator="\n")
            w.writerow(["id", "text", "labels"])
            for r in rows:
                if keep(r):
                    w.writerow([r["id"], r["text"], r["labels"]])
PY

for f in 0 1 2 3 4; do
    p="$work/p$f"
    rm -rf "$p"
    "$vocwb" init "$p" --frame auto --json > /dev/null
    "$vocwb" labels import "$p" "$work/train$f.csv" --channel public --json > /dev/null
    start=$(date +%s.%N)
    "$vocwb" train "$p" ${SEED:+--seed "$SEED"} --json > "$work/train$f.json" 2> /dev/null
    end=$(date +%s.%N)
    echo "$start $end" > "$work/train$f.time"
    "$vocwb" eval "$p" --test "$work/test$f.csv" --json > "$work/eval$f.json"
    echo "fold $f done" >&2
done

python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
def f1(tp, fp, fn):
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0
code = [0, 0, 0]; pair = [0, 0, 0]; per = {}; names = {}; secs = []; folds = []
for f in range(5):
    e = json.load(open(f"{work}/eval{f}.json"))
    s, t = map(float, open(f"{work}/train{f}.time").read().split())
    secs.append(t - s)
    folds.append({"fold": f, "code_micro_f1": e["code_micro_f1"], "pair_micro_f1": e["pair_micro_f1"]})
    for i in range(3):
        code[i] += e["code_counts"][i]; pair[i] += e["pair_counts"][i]
    names.update(e["code_names"])
    for c in e["per_code"]:
        d = per.setdefault(c["code"], [0, 0, 0])
        d[0] += c["tp"]; d[1] += c["predicted"] - c["tp"]; d[2] += c["support"] - c["tp"]
per_code = {names.get(c, c): round(f1(*v), 4) for c, v in per.items()}
out = {
    "pooled": {
        "code_micro_f1": round(f1(*code), 4),
        "code_macro_f1": round(sum(f1(*v) for v in per.values()) / len(per), 4),
        "code_micro_precision": round(code[0] / (code[0] + code[1]), 4),
        "code_micro_recall": round(code[0] / (code[0] + code[2]), 4),
        "pair_micro_f1": round(f1(*pair), 4),
        "pair_micro_precision": round(pair[0] / (pair[0] + pair[1]), 4),
        "pair_micro_recall": round(pair[0] / (pair[0] + pair[2]), 4),
        "per_code_f1": per_code,
    },
    "folds": folds,
    "train_seconds_per_fold": [round(x, 1) for x in secs],
    "decision_rule": "f1 (one threshold for all codes, maximising the mean of code and pair micro-F1 out of fold inside training; at least one code per verbatim)",
}
print(json.dumps(out, ensure_ascii=False, indent=2))
PY
