#!/usr/bin/env bash
# The analysis notebooks (notebooks/): install Jupyter and the Java kernel, execute them headlessly.
#
#   scripts/notebooks.sh install          venv with Jupyter + nbclient, the Java kernel 'overparam-java'
#   scripts/notebooks.sh venv             the venv alone (no Maven, no jar: CI makes it while Maven builds)
#   scripts/notebooks.sh sweep            a small real sweep (configs/quickstart.yaml) for them to read
#   scripts/notebooks.sh run [NB ...]     execute notebooks (default: all) headlessly; fails on any cell error
#   scripts/notebooks.sh repeat N [NB ..] execute them N times in a row, each in a fresh kernel (hang check)
#   scripts/notebooks.sh ci               install + sweep + check that notebooks are stored without outputs + run
#   scripts/notebooks.sh lab [ARGS]       jupyter lab in notebooks/ (after install)
#   scripts/notebooks.sh strip [NB ...]   remove outputs and execution counts (notebooks are kept that way in git)
#   scripts/notebooks.sh check-stripped   fail if a notebook in git has outputs
#
# Environment:
#   OVERPARAM_NB_HOME       where the venv, kernel, classpath and executed copies go (default target/notebooks)
#   OVERPARAM_SWEEP         sweep folder the notebooks read (default: what 'sweep' writes, target/notebooks/sweep/quickstart;
#                           in jupyter lab started by this script the same; otherwise out/quickstart)
#   OVERPARAM_SPARK_MASTER  Spark master for the notebooks' SparkSession (default local[*])
#   NOTEBOOK_CELL_TIMEOUT   seconds a cell may take (default 300); NOTEBOOK_STARTUP_TIMEOUT (default 120)
#   OVERPARAM_NOTEBOOK_HEAP kernel JVM heap (default 4g), set at install
#   OVERPARAM_NOTEBOOK_JVM_OPTIONS  further kernel JVM options, set at install (CI: the quick compiler
#                           alone, -XX:TieredStopAtLevel=1, as its kernels live for one notebook)
#   PIP_INDEX_URL, PIP_EXTRA_INDEX_URL  package index for pip (honoured; see pip_index below)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
home="${OVERPARAM_NB_HOME:-$root/target/notebooks}"
venv="$home/venv"
kernel_version=3.0.1
kernel_name=overparam-java
sweep_dir="$home/sweep"
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"

log() { echo "notebooks: $*" >&2; }

# Spark's JVM module options on Java 17: the root pom's spark.jvm.options (what the tests run with).
spark_opts_line=$("$root/scripts/pom-property.sh" spark.jvm.options)
read -r -a spark_opts <<< "$spark_opts_line"
# The JIT's flags every JVM of the project runs with: the root pom's overparam.jit.options.
jit_opts_line=$("$root/scripts/pom-property.sh" overparam.jit.options)
read -r -a jit_opts <<< "$jit_opts_line"

app_jar() { ls "$root"/spark-jobs/target/overparam-spark-jobs-*-app.jar 2>/dev/null | head -1; }

# The application jar (project classes, shaded) and Spark's jars (provided scope, so not in it).
build_classpath() {
  if [[ -z "$(app_jar)" ]]; then
    log "building the application jar (mvn package, tests skipped)"
    (cd "$root" && mvn -B -q -DskipTests package >&2)
  fi
  mkdir -p "$home"
  # With the compile phase in the same invocation, Maven resolves overparam-core from the reactor
  # (its classes); without it, from the local repository, where a clean machine has none (nothing
  # runs mvn install). compile is up to date here: it writes nothing.
  (cd "$root" && mvn -B -q compile dependency:build-classpath -Dmdep.includeScope=compile \
      -Dmdep.outputFile=target/notebook-classpath.txt >&2)
  # The shaded application jar already holds overparam-core: drop the separate core entry.
  tr ':' '\n' < "$root/spark-jobs/target/notebook-classpath.txt" | grep -v '/overparam-core' \
    | grep -v "^$root/core/target/classes\$" | grep . > "$home/spark-classpath.lines"
}

# pip's index: PIP_INDEX_URL / PIP_EXTRA_INDEX_URL from the environment or pip's config. A machine
# whose pip config names only extra (mirror) indexes would still try the default index first and
# stall on every package when that one is unreachable: then the first extra index becomes the index.
pip_index_args() {
  local index="${PIP_INDEX_URL:-$(pip config get global.index-url 2>/dev/null || true)}"
  local extra="${PIP_EXTRA_INDEX_URL:-$(pip config get global.extra-index-url 2>/dev/null || true)}"
  if [[ -z "$index" && -n "$extra" ]]; then
    index="${extra%% *}"
    extra="${extra#"$index"}"
    extra="${extra# }"
  fi
  [[ -n "$index" ]] && printf '%s\n' --index-url "$index"
  for e in $extra; do printf '%s\n' --extra-index-url "$e"; done
  return 0
}

install_venv() {
  if [[ ! -x "$venv/bin/jupyter-lab" || ! -x "$venv/bin/jupyter-execute" ]]; then
    log "creating $venv (Jupyter, nbclient, pandas, pyarrow, duckdb)"
    python3 -m venv "$venv"
    mapfile -t idx < <(pip_index_args)
    "$venv/bin/pip" install -q --disable-pip-version-check "${idx[@]}" -r "$root/notebooks/requirements.txt" >&2
  fi
}

install_kernel() {
  local kdir="$home/kernel" spec="$venv/share/jupyter/kernels/$kernel_name"
  mkdir -p "$kdir/patch" "$kdir/mima-cache" "$spec"
  local kjar="$kdir/rapaio-jupyter-kernel-$kernel_version.jar"
  if [[ ! -f "$kjar" ]]; then
    log "fetching io.github.padreati:rapaio-jupyter-kernel:$kernel_version (Maven Central)"
    (cd "$root" && mvn -B -q dependency:copy -Dartifact="io.github.padreati:rapaio-jupyter-kernel:$kernel_version" \
        -DoutputDirectory="$kdir" >&2)
  fi
  # The two fixes (see notebooks/README.md): LoopThread without the start-up race and a
  # logging.properties at WARNING; both come before the kernel's jar on the class path.
  javac -q -nowarn -d "$kdir/patch" -cp "$kjar" \
    "$root/notebooks/kernel/src/org/rapaio/jupyter/kernel/channels/LoopThread.java" 2>/dev/null \
    || javac -d "$kdir/patch" -cp "$kjar" "$root/notebooks/kernel/src/org/rapaio/jupyter/kernel/channels/LoopThread.java"
  cp "$root/notebooks/kernel/logging.properties" "$kdir/patch/logging.properties"
  local app; app="$(app_jar)"
  KJAR="$kjar" APP="$app" PATCH="$kdir/patch" MIMA="$kdir/mima-cache" SPEC="$spec" \
  CPFILE="$home/spark-classpath.lines" LOG4J="$root/notebooks/kernel/log4j2.properties" \
  HEAP="${OVERPARAM_NOTEBOOK_HEAP:-4g}" NAME="$kernel_name" \
  EXTRA_OPTS="${OVERPARAM_NOTEBOOK_JVM_OPTIONS:-}" \
    "$venv/bin/python" - "${spark_opts[@]}" <<'EOF'
import json, os, sys
e = os.environ
spark_cp = [l.strip() for l in open(e["CPFILE"]) if l.strip()]
# The patch folder first (it shadows two of the kernel's files); the kernel's jar last, so that the
# libraries it bundles unrelocated (commons-codec, commons-logging) do not shadow Spark's newer ones.
jvm_cp = [e["PATCH"], e["APP"]] + spark_cp + [e["KJAR"]]
argv = (["java"] + sys.argv[1:] + e["EXTRA_OPTS"].split() +
        ["-Xss4m", "-Xmx" + e["HEAP"], "-Djava.awt.headless=true",
         "-Dlog4j2.configurationFile=" + e["LOG4J"],
         "-cp", os.pathsep.join(jvm_cp), "org.rapaio.jupyter.kernel.MainApp", "{connection_file}"])
# JShell compiles cell code against RJK_CLASSPATH; the kernel prints two lines per entry at start.
# One manifest-only jar whose Class-Path names every jar (javac follows it) keeps that to two lines.
import pathlib, zipfile
def wrap(line):  # manifest lines are at most 72 bytes; continuation lines start with a space
    out, first = [], True
    while line:
        n = 72 if first else 71
        out.append(("" if first else " ") + line[:n]); line = line[n:]; first = False
    return "\r\n".join(out)
urls = " ".join(pathlib.Path(p).resolve().as_uri() for p in [e["APP"]] + spark_cp)
manifest = "Manifest-Version: 1.0\r\n" + wrap("Class-Path: " + urls) + "\r\n\r\n"
cp_jar = os.path.join(os.path.dirname(e["PATCH"]), "classpath.jar")
with zipfile.ZipFile(cp_jar, "w") as z:
    z.writestr("META-INF/MANIFEST.MF", manifest)
spec = {
    "argv": argv,
    "display_name": "Java (overparam, Spark)",
    "language": "java",
    "interrupt_mode": "message",
    "env": {
        # The same jars are on the JVM's class path, so classes load once, from the application
        # class loader, as Spark expects.
        "RJK_CLASSPATH": cp_jar,
        "RJK_COMPILER_OPTIONS": "",
        "RJK_TIMEOUT_MILLIS": "-1",
        "RJK_INIT_SCRIPT": "",
        "RJK_MIMA_CACHE": e["MIMA"],
        "SPARK_LOCAL_IP": os.environ.get("SPARK_LOCAL_IP", "127.0.0.1"),
    },
}
with open(os.path.join(e["SPEC"], "kernel.json"), "w") as f:
    json.dump(spec, f, indent=1)
print("notebooks: kernel '%s' installed in %s" % (e["NAME"], e["SPEC"]), file=sys.stderr)
EOF
}

cmd_install() {
  build_classpath
  install_venv
  install_kernel
}

cmd_sweep() {
  [[ -n "$(app_jar)" && -f "$home/spark-classpath.lines" ]] || build_classpath
  if [[ -d "$sweep_dir/quickstart/verdicts" ]]; then
    log "sweep already there: $sweep_dir/quickstart"
    return
  fi
  rm -rf "$sweep_dir/quickstart"
  log "running configs/quickstart.yaml into $sweep_dir"
  # shellcheck disable=SC2046
  java "${spark_opts[@]}" -Xss4m -Xmx4g -Dlog4j2.configurationFile="$root/bin/log4j2-local.properties" \
    -XX:+UnlockDiagnosticVMOptions -XX:CompilerDirectivesFile="$root/bin/jit-directives.json" "${jit_opts[@]}" \
    -cp "$(app_jar):$(paste -sd: "$home/spark-classpath.lines")" io.github.overparam.spark.cli.Main \
    run "$root/configs/quickstart.yaml" --out "$sweep_dir" --progress-seconds 30 >&2
}

all_notebooks() { ls "$root"/notebooks/*.ipynb; }

cmd_run() {
  local nbs=("$@")
  [[ ${#nbs[@]} -gt 0 ]] || mapfile -t nbs < <(all_notebooks)
  export OVERPARAM_SWEEP="${OVERPARAM_SWEEP:-$sweep_dir/quickstart}"
  log "sweep: $OVERPARAM_SWEEP"
  "$venv/bin/python" "$root/scripts/notebooks_run.py" --out "$home/executed" \
    --cell-timeout "${NOTEBOOK_CELL_TIMEOUT:-300}" --startup-timeout "${NOTEBOOK_STARTUP_TIMEOUT:-120}" "${nbs[@]}"
}

cmd_repeat() {
  local n="$1"; shift
  local nbs=("$@")
  [[ ${#nbs[@]} -gt 0 ]] || mapfile -t nbs < <(all_notebooks)
  export OVERPARAM_SWEEP="${OVERPARAM_SWEEP:-$sweep_dir/quickstart}"
  "$venv/bin/python" "$root/scripts/notebooks_run.py" --repeat "$n" --out "$home/repeat" \
    --cell-timeout "${NOTEBOOK_CELL_TIMEOUT:-300}" --startup-timeout "${NOTEBOOK_STARTUP_TIMEOUT:-120}" "${nbs[@]}"
}

strip_py='
import sys, nbformat
for p in sys.argv[1:]:
    nb = nbformat.read(p, as_version=4)
    for c in nb.cells:
        if c.cell_type == "code":
            c.outputs = []
            c.execution_count = None
        c.metadata.pop("execution", None)
    nbformat.write(nb, p)
'
check_py='
import sys, nbformat
bad = [p for p in sys.argv[1:] for c in nbformat.read(p, as_version=4).cells
       if c.cell_type == "code" and (c.outputs or c.execution_count is not None)]
for p in sorted(set(bad)):
    print("notebooks: %s has outputs; run scripts/notebooks.sh strip" % p, file=sys.stderr)
sys.exit(1 if bad else 0)
'

py() { if [[ -x "$venv/bin/python" ]]; then "$venv/bin/python" "$@"; else python3 "$@"; fi; }

cmd_strip() {
  local nbs=("$@")
  [[ ${#nbs[@]} -gt 0 ]] || mapfile -t nbs < <(all_notebooks)
  py -c "$strip_py" "${nbs[@]}"
}

cmd_check_stripped() {
  mapfile -t nbs < <(all_notebooks)
  py -c "$check_py" "${nbs[@]}"
}

cmd_ci() {
  local t0=$SECONDS
  cmd_install
  log "install: $((SECONDS - t0)) s"
  local t1=$SECONDS
  cmd_sweep
  log "sweep: $((SECONDS - t1)) s"
  cmd_check_stripped
  local t2=$SECONDS
  cmd_run
  log "run: $((SECONDS - t2)) s; notebook step in all: $((SECONDS - t0)) s"
}

cmd_lab() {
  export OVERPARAM_SWEEP="${OVERPARAM_SWEEP:-$sweep_dir/quickstart}"
  cd "$root/notebooks"
  local root_flag=()
  [[ $(id -u) -eq 0 ]] && root_flag=(--allow-root)   # Jupyter refuses root otherwise (containers, CI machines)
  exec "$venv/bin/jupyter" lab "${root_flag[@]}" "$@"
}

case "${1:-}" in
  install) cmd_install ;;
  venv) install_venv ;;
  sweep) cmd_sweep ;;
  run) shift; cmd_run "$@" ;;
  repeat) shift; cmd_repeat "$@" ;;
  ci) cmd_ci ;;
  lab) shift; cmd_lab "$@" ;;
  strip) shift; cmd_strip "$@" ;;
  check-stripped) cmd_check_stripped ;;
  *) sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
