#!/usr/bin/env bash
# Writes the HTML report of a sweep folder and screenshots it in headless Chromium, to look at it.
#   scripts/render-report.sh out/quickstart [report.png] [window height]
#   SKIP_WRITE=1 scripts/render-report.sh out/quickstart   # screenshot the existing report only
# Needs chromium (Debian: apt-get install -y chromium). The report itself needs no browser.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sweep="${1:?usage: render-report.sh <sweep folder> [screenshot.png] [height]}"
shot="${2:-$sweep/report/report.png}"
height="${3:-5200}"
target="$here/spark-jobs/target"
cp_file="$target/local-classpath.txt"

if [[ "${SKIP_WRITE:-0}" != 1 ]]; then
  jar="$(ls "$target"/overparam-spark-jobs-*-app.jar 2>/dev/null | head -1 || true)"
  if [[ -z "$jar" || ! -f "$cp_file" || -n "$(find "$here/core/src" "$here/spark-jobs/src" -newer "$jar" -type f \
      -print -quit 2>/dev/null)" ]]; then
    echo "render-report: building (mvn install, tests skipped) ..." >&2
    (cd "$here" && mvn -B -q -DskipTests install >&2)
    (cd "$here" && mvn -B -q -pl spark-jobs dependency:build-classpath -Dmdep.includeScope=compile \
        -Dmdep.outputFile="$cp_file" >&2)
    jar="$(ls "$target"/overparam-spark-jobs-*-app.jar | head -1)"
  fi
  java -XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector \
    --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
    --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
    --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
    --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
    --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED \
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED \
    --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED \
    -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true \
    --enable-native-access=ALL-UNNAMED -Djava.awt.headless=true -Xss4m \
    -Dlog4j2.configurationFile="$here/bin/log4j2-local.properties" \
    -cp "$jar:$(cat "$cp_file")" io.github.overparam.spark.report.ReportWriter "$sweep" >&2
fi

command -v chromium >/dev/null || { echo "render-report: chromium not found (apt-get install -y chromium)" >&2; exit 1; }
page="$(cd "$sweep/report" && pwd)/index.html"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
# No network: the page must stand alone, and a screenshot needs none.
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$profile" \
  --screenshot="$shot" --window-size=1400,"$height" "file://$page" 2>/dev/null
echo "$shot"
