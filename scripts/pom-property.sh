#!/usr/bin/env bash
# Prints the value of a property of the root pom.xml, where the project's JVM options are declared
# once for every JVM it starts (the tests through Maven, bin/overparam, the benchmarks, the
# notebooks' sweep, the standalone cluster):
#   scripts/pom-property.sh spark.jvm.options        Spark's JVM module options on Java 17
#   scripts/pom-property.sh overparam.jit.options    the JIT flags (README, "The JIT's trap limit")
# Fails (exit 1, a message on stderr) where the pom has no such property or it is empty.
set -euo pipefail
name=${1:?usage: scripts/pom-property.sh NAME}
pom="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/pom.xml"
key=${name//./\\.}
value=$(sed -n "s:.*<$key>\(.*\)</$key>.*:\1:p" "$pom" | head -1)
if [[ -z "$value" ]]; then
  echo "pom-property: no property $name (or an empty one) in $pom" >&2
  exit 1
fi
echo "$value"
