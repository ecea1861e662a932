#!/usr/bin/env bash
# Prints the path of the core jar (core/target/overparam-core-*.jar), building it and its class
# path file (core/target/classpath.txt) first when either is missing or the jar is older than the
# core's sources or poms (mvn package, tests skipped; messages on stderr). Used by bin/bench,
# bin/bench-ab and bin/bench-vs-peers:  jar=$(scripts/core-jar.sh)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
jar=$(ls core/target/overparam-core-*.jar 2>/dev/null | head -1 || true)
if [[ -z "$jar" || ! -f core/target/classpath.txt \
      || -n "$(find core/src/main core/pom.xml pom.xml -newer "$jar" -type f -print -quit)" ]]; then
  echo "building core (mvn package, tests skipped) ..." >&2
  mvn -B -q -pl core package -DskipTests >&2
  mvn -B -q -pl core dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >&2
  jar=$(ls core/target/overparam-core-*.jar | head -1)
fi
echo "$jar"
