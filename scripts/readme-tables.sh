#!/usr/bin/env bash
# Regenerates the README's data dictionary (the <!-- columns:TABLE --> sections) from the column
# registry and its config key tables (the <!-- config-keys: NAME --> sections) from the config
# schema, after a column or a key was added or its description changed:
#   scripts/readme-tables.sh
# TableRegistryTest and ConfigSchemaTest fail while the README and the code differ.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for t in runs curves datasets critical fits verdicts; do
  "$here/bin/overparam" schema "$t" --markdown > "$tmp/$t.md"
done
"$here/bin/overparam" validate --keys --markdown > "$tmp/keys.txt"
python3 - "$here/README.md" "$tmp" <<'PY'
import sys, pathlib
readme, tmp = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
s = readme.read_text()
import re
for block in re.findall(r"<!-- config-keys: [a-z-]+ -->\n.*?<!-- /config-keys -->", (tmp / "keys.txt").read_text(), re.S):
    begin = block.split("\n", 1)[0]
    a = s.index(begin)
    b = s.index("<!-- /config-keys -->", a) + len("<!-- /config-keys -->")
    s = s[:a] + block + s[b:]
for f in sorted(tmp.glob("*.md")):
    t = f.stem
    begin, end = f"<!-- columns:{t} -->\n", f"<!-- /columns:{t} -->"
    a, b = s.index(begin) + len(begin), s.index(end)
    s = s[:a] + f.read_text() + s[b:]
readme.write_text(s)
print("README.md: data dictionary and config key tables regenerated")
PY
