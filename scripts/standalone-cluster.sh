#!/usr/bin/env bash
# A Spark standalone cluster on 127.0.0.1 (1 master + WORKERS workers), built from the project's
# own Spark dependency jars (no Spark download): the same as the JUnit StandaloneCluster harness.
#
#   scripts/standalone-cluster.sh start|stop|status [workdir]     (default workdir: target/standalone-cluster)
#
# Env: WORKERS (2), WORKER_CORES (1), WORKER_MEMORY (1g), START_TIMEOUT seconds (90),
#      PROFILE: the Spark line, a Maven profile of the root pom (spark-4.1, spark-3.5_2.13, spark-3.5_2.12;
#      default: none, Spark 4.2 / Scala 2.13); the cluster runs exactly that line's Spark version.
# After start: <workdir>/master-url holds spark://127.0.0.1:<port>, <workdir>/spark-home is SPARK_HOME,
# <workdir>/logs/*.log the daemon logs, <workdir>/pids/*.pid the daemon pids.
# Submitting an application jar (client mode), with w=<workdir>, h=$w/spark-home, s=$(cat $w/scala-version):
#   SPARK_HOME=$h SPARK_LOCAL_IP=127.0.0.1 SPARK_SCALA_VERSION=$s java <spark.jvm.options> \
#     -cp "$h/conf/:$h/jars/*" org.apache.spark.deploy.SparkSubmit --master "$(cat $w/master-url)" \
#     --deploy-mode client --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
#     --conf spark.executor.memory=512m --conf spark.cores.max=2 --jars dep.jar --class Main app.jar args
# Cluster mode (a Worker runs the driver; give workers 2 cores, WORKER_CORES=2): --deploy-mode cluster
#   --conf spark.standalone.submit.waitAppCompletion=true --conf spark.driver.memory=512m
#   --conf spark.driver.extraJavaOptions="<spark.jvm.options>"; the driver's output is in $w/worker-*/driver-*/.
set -euo pipefail

cmd=${1:-}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mkdir -p "${2:-$root/target/standalone-cluster}" && cd "${2:-$root/target/standalone-cluster}" && pwd)
home=$work/spark-home
WORKERS=${WORKERS:-2} WORKER_CORES=${WORKER_CORES:-1} WORKER_MEMORY=${WORKER_MEMORY:-1g}
START_TIMEOUT=${START_TIMEOUT:-90}
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
# The root pom property spark.jvm.options.
JVM_OPTS=$("$root/scripts/pom-property.sh" spark.jvm.options)
# Jars that an application ships itself, never part of SPARK_HOME/jars (see StandaloneCluster).
EXCLUDE='^(overparam-|junit-|opentest4j-|apiguardian-|ejml-|picocli-|snakeyaml-|jackson-dataformat-yaml-)'

alive() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

build_home() {
  rm -rf "$home/jars" && mkdir -p "$home/jars" "$home/conf"
  local cp=$work/classpath.txt
  local profile=()
  [[ -n ${PROFILE:-} ]] && profile=(-P "$PROFILE")
  (cd "$root" && mvn -B -q -o "${profile[@]}" -pl spark-jobs dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$cp") >&2 ||
    (cd "$root" && mvn -B -q "${profile[@]}" -pl spark-jobs dependency:build-classpath \
      -Dmdep.includeScope=test -Dmdep.outputFile="$cp") >&2
  tr ':' '\n' <"$cp" | while read -r jar; do
    [[ $jar == *.jar && -f $jar ]] || continue
    [[ $(basename "$jar") =~ $EXCLUDE ]] && continue
    ln -sfn "$jar" "$home/jars/$(basename "$jar")"
  done
  local core scala
  core=$(basename "$(ls "$home"/jars/spark-core_*.jar | head -1)")   # spark-core_2.13-4.2.0.jar
  scala=${core#spark-core_}; scala=${scala%%-*}
  echo "$scala" >"$work/scala-version"
  echo "Spark ${core##*-} (Scala $scala; SPARK_HOME assembled from the spark-jobs dependency jars)" \
    | sed 's/\.jar / /' >"$home/RELEASE"
}

launch() { # name main-class args...
  local name=$1; shift
  # setsid: own session, so that the caller's Ctrl-C or CI step end does not signal the daemons.
  SPARK_HOME=$home SPARK_LOCAL_IP=127.0.0.1 SPARK_SCALA_VERSION=$(cat "$work/scala-version") JAVA_HOME=$java_home \
    setsid "$java_home/bin/java" \
    -Xmx384m $JVM_OPTS -Dspark.master.rest.enabled=false -cp "$home/conf/:$home/jars/*" "$@" \
    </dev/null >"$work/logs/$name.log" 2>&1 &
  echo $! >"$work/pids/$name.pid"
}

wait_for() { # file regex -> first capture group
  local deadline=$((SECONDS + START_TIMEOUT)) v
  until v=$(sed -n "s#.*$2.*#\1#p" "$1" 2>/dev/null | head -1) && [[ -n $v ]]; do
    ((SECONDS < deadline)) || { echo "timeout waiting for '$2' in $1" >&2; tail -30 "$1" >&2; return 1; }
    sleep 0.3
  done
  echo "$v"
}

start() {
  if alive "$work/pids/master.pid"; then echo "already running: $(cat "$work/master-url")"; return; fi
  rm -rf "$work/logs" "$work/pids" "$work/master-url" && mkdir -p "$work/logs" "$work/pids"
  build_home
  local t0=$SECONDS
  # Port 0: Spark picks free ports; the actual ones are read from the logs.
  launch master org.apache.spark.deploy.master.Master --host 127.0.0.1 --port 0 --webui-port 0
  local url ui
  url=$(wait_for "$work/logs/master.log" 'Starting Spark master at \(spark://[0-9.:]*\)') || { stop; exit 1; }
  ui=http://127.0.0.1:$(wait_for "$work/logs/master.log" "'MasterUI' on port \([0-9]*\)") || { stop; exit 1; }
  echo "$url" >"$work/master-url"; echo "$ui" >"$work/master-webui"
  for ((i = 0; i < WORKERS; i++)); do
    mkdir -p "$work/worker-$i"
    launch "worker-$i" org.apache.spark.deploy.worker.Worker "$url" --host 127.0.0.1 --port 0 \
      --webui-port 0 --cores "$WORKER_CORES" --memory "$WORKER_MEMORY" --work-dir "$work/worker-$i"
  done
  local deadline=$((SECONDS + START_TIMEOUT))
  until [[ $(curl -s --noproxy '*' -m 2 "$ui/json/" | sed -n 's/.*"aliveworkers" *: *\([0-9]*\).*/\1/p') == "$WORKERS" ]]; do
    if ((SECONDS >= deadline)); then
      echo "workers not ALIVE within ${START_TIMEOUT}s" >&2; tail -n 20 "$work"/logs/*.log >&2; stop; exit 1
    fi
    sleep 0.5
  done
  echo "started $url ($(cut -d' ' -f1-2 "$home/RELEASE"), $WORKERS workers x $WORKER_CORES cores, $((SECONDS - t0))s); SPARK_HOME=$home"
}

stop() {
  [[ -d $work/pids ]] || { echo "not running"; return; }
  local pids=() f p
  for f in "$work"/pids/worker-*.pid "$work/pids/master.pid"; do
    [[ -f $f ]] || continue
    p=$(cat "$f")
    # Executor JVMs are children of their worker.
    pids+=($(ps -o pid= --ppid "$p" 2>/dev/null || true) "$p")
  done
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for _ in $(seq 50); do
    local any=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && any=1; done
    ((any)) || break
    sleep 0.2
  done
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  rm -rf "$work/pids"
  echo "stopped ${#pids[@]} process(es)"
}

status() {
  local f rc=0
  for f in "$work"/pids/*.pid; do
    [[ -f $f ]] || { echo "not running"; return 3; }
    if alive "$f"; then echo "$(basename "$f" .pid) pid $(cat "$f") running"; else echo "$(basename "$f" .pid) pid $(cat "$f") DEAD"; rc=1; fi
  done
  if [[ -f $work/master-webui ]]; then
    echo "master $(cat "$work/master-url"), alive workers: $(curl -s --noproxy '*' -m 2 "$(cat "$work/master-webui")/json/" \
      | sed -n 's/.*"aliveworkers" *: *\([0-9]*\).*/\1/p')"
  fi
  return $rc
}

case $cmd in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status [workdir]" >&2; exit 2 ;;
esac
