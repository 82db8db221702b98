#!/usr/bin/env bash
# Regenerates assets/fonts/NotoSansSC-VoCWB-Regular.woff2, the CJK font the UI ships.
# Not part of setup or CI: the subset is committed. Needs Debian's fonts-noto-cjk and
# fonttools + brotli (e.g. `python3 -m venv /tmp/ft && /tmp/ft/bin/pip install fonttools brotli`).
set -euo pipefail
cd "$(dirname "$0")/.."
PYFTSUBSET=${PYFTSUBSET:-pyftsubset}
SRC=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc   # face 2 is "Noto Sans CJK SC"
chars=$(mktemp)
python3 - "$chars" <<'PY'
import pathlib, sys
chars = set()
# GB2312's 6763 hanzi cover everyday Simplified Chinese.
for cp in range(0x4E00, 0xA000):
    try:
        chr(cp).encode("gb2312"); chars.add(chr(cp))
    except UnicodeEncodeError:
        pass
# Plus every character of the bundled demo data, so the demo never falls back to another font.
for p in pathlib.Path("assets/demo").rglob("*"):
    if p.suffix in (".csv", ".jsonl", ".txt", ".md"):
        b = p.read_bytes()
        try:
            t = b.decode("utf-8")
        except UnicodeDecodeError:
            t = b.decode("gb18030", errors="ignore")
        chars.update(c for c in t if ord(c) >= 0x2000)
open(sys.argv[1], "w", encoding="utf-8").write("".join(sorted(chars)))
PY
"$PYFTSUBSET" "$SRC" --font-number=2 --text-file="$chars" \
  --unicodes="U+0020-007E,U+00A0-00FF,U+2000-206F,U+2190-21FF,U+2460-24FF,U+2500-257F,U+25A0-25FF,U+3000-303F,U+FF00-FFEF" \
  --layout-features='*' --name-IDs='*' --no-hinting --desubroutinize --flavor=woff2 \
  --output-file=assets/fonts/NotoSansSC-VoCWB-Regular.woff2
rm -f "$chars"
ls -l assets/fonts/NotoSansSC-VoCWB-Regular.woff2
