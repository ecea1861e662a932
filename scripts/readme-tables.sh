#!/usr/bin/env bash
# Regenerates the README's data dictionary (the <!-- columns:TABLE --> sections) from the column
# registry, after a column was added or its description changed:
#   scripts/readme-tables.sh
# TableRegistryTest fails while the README and the registry differ.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for t in runs curves datasets critical fits verdicts; do
  "$here/bin/overparam" schema "$t" --markdown > "$tmp/$t.md"
done
python3 - "$here/README.md" "$tmp" <<'PY'
import sys, pathlib
readme, tmp = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
s = readme.read_text()
for f in sorted(tmp.glob("*.md")):
    t = f.stem
    begin, end = f"<!-- columns:{t} -->\n", f"<!-- /columns:{t} -->"
    a, b = s.index(begin) + len(begin), s.index(end)
    s = s[:a] + f.read_text() + s[b:]
readme.write_text(s)
print("README.md: data dictionary regenerated")
PY
