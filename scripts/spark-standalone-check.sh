#!/usr/bin/env bash
# A real Spark cluster on loopback: starts a standalone master and one worker on 127.0.0.1 from the same jars as
# the build (ptlab-spark/target/spark-lib), submits `reproduce --engine spark` as the shaded jar, kills the worker
# (and its executor) with kill -9 mid-sweep, starts the worker again, and checks that the sweep completes with
# 0 lost and 0 duplicated runs and the same numbers as in-process. Needs no network (distributed.md §1).
#   SWEEP   reproduce arguments (default: --quick --only E1, 19 runs)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
ptlab_pick_jdk
SWEEP=${SWEEP:---quick --only E1}
ID=$(echo "$SWEEP" | sed -nE 's/.*--only ([A-Z0-9]+).*/\1/p'); ID=${ID:-E1}
WORK=$(mktemp -d /tmp/ptlab-spark-check.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
say() { echo "spark-standalone-check: $*" >&2; }

say "building ptlab-spark (offline first)…"
(cd "$ROOT" && { mvn -o -q -B -Pspark -Dmaven.test.skip=true -pl ptlab-spark -am package >"$WORK/build.log" 2>&1 ||
  mvn -q -B -Pspark -Dmaven.test.skip=true -pl ptlab-spark -am package >"$WORK/build.log" 2>&1; }) ||
  { tail -n 30 "$WORK/build.log" >&2; exit 1; }
T="$ROOT/ptlab-spark/target"
APP="$T/ptlab-spark-0.1.0-all.jar"
# A Spark "installation" made of the build's jars: target/spark-lib plus the few jars Spark shares with PTLab
# (Jackson, protobuf), which Maven put in target/lib. The worker builds executor classpaths from $SPARK_HOME/jars
# (else "Cannot find any build directories"); the PTLab classes reach executors only in the submitted jar.
mkdir -p "$WORK/home/jars"
ln -s "$T"/spark-lib/*.jar "$T"/lib/jackson-*.jar "$T"/lib/protobuf-java-*.jar "$WORK/home/jars/"
export SPARK_HOME="$WORK/home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
FLAGS=(-XX:+IgnoreUnrecognizedVMOptions -Dio.netty.tryReflectionSetAccessible=true
  --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED)
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
  java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  FLAGS+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
SPARK=("$PTLAB_JAVA" -Xmx512m "${FLAGS[@]}" -cp "$WORK/home/jars/*")
PORT=$((17000 + RANDOM % 1000))
MASTER="spark://127.0.0.1:$PORT"

"${SPARK[@]}" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$PORT" --webui-port 0 \
  >"$WORK/master.log" 2>&1 &
PIDS+=($!)
start_worker() {
  "${SPARK[@]}" org.apache.spark.deploy.worker.Worker "$MASTER" --host 127.0.0.1 --cores 2 --memory 2g \
    --webui-port 0 --work-dir "$WORK/worker" >>"$WORK/worker.log" 2>&1 &
  WORKER=$!
  PIDS+=("$WORKER")
}
for _ in $(seq 60); do
  grep -q "I have been elected leader" "$WORK/master.log" && break
  kill -0 "${PIDS[0]}" 2>/dev/null || { tail -n 20 "$WORK/master.log" >&2; exit 1; }
  sleep 1
done
start_worker
say "master $MASTER, worker pid $WORKER; submitting: reproduce $SWEEP"

# Client mode: the driver is this JVM (flags for the driver here, for executors through extraJavaOptions).
"$PTLAB_JAVA" -Xmx1g -Xss8m --add-modules=jdk.incubator.vector "${FLAGS[@]}" -cp "$APP:$WORK/home/jars/*" \
  org.apache.spark.deploy.SparkSubmit --master "$MASTER" --class org.ptlab.cli.Main \
  --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 --conf spark.ui.enabled=false \
  --conf "spark.executor.extraJavaOptions=-Xss8m --add-modules=jdk.incubator.vector" \
  "$APP" reproduce $SWEEP --engine spark --threads 2 --out "$WORK/out" --quiet >"$WORK/submit.log" 2>&1 &
SUBMIT=$!
PIDS+=("$SUBMIT")

# Wait until some runs are stored and some are not, then kill the worker and its executor with kill -9.
DB="$WORK/out/runs.sqlite"
for _ in $(seq 300); do
  n=$(sqlite3 "$DB" "SELECT count(*) FROM runs WHERE status='done'" 2>/dev/null || echo 0)
  [ "${n:-0}" -ge 2 ] && break
  kill -0 "$SUBMIT" 2>/dev/null || break
  sleep 0.5
done
before=$(sqlite3 "$DB" "SELECT count(*) FROM runs WHERE status='done'" 2>/dev/null || echo 0)
EXECUTORS=$(pgrep -P "$WORKER" || true)
say "killing the worker ($WORKER) and its executors (${EXECUTORS:-none}) with kill -9 after $before runs"
kill -9 "$WORKER" $EXECUTORS
sleep 5
start_worker
say "worker restarted (pid $WORKER)"
set +e
wait "$SUBMIT"; rc=$?
set -e
say "submit exited $rc (log: $WORK/submit.log)"
[ "$rc" -eq 0 ] || { tail -n 30 "$WORK/submit.log" >&2; exit 1; }

# The same sweep in-process, for the numbers.
"$PTLAB_JAVA" -Xss8m --add-modules=jdk.incubator.vector -cp "$APP" org.ptlab.cli.Main reproduce $SWEEP \
  --threads 2 --out "$WORK/local" --quiet >"$WORK/local.log" 2>&1
planned=$(($(wc -l <"$WORK/local/results/$ID.csv") - 1))
rows=$(sqlite3 "$DB" "SELECT count(*) FROM runs WHERE experiment='$ID'")
done_=$(sqlite3 "$DB" "SELECT count(*) FROM runs WHERE experiment='$ID' AND status='done'")
distinct=$(sqlite3 "$DB" "SELECT count(DISTINCT config_hash || '#' || repeat_index) FROM runs WHERE experiment='$ID'")
csvrows=$(($(wc -l <"$WORK/out/results/$ID.csv") - 1))
strip() { sed -E 's/,[0-9]+\.[0-9]{3},([^,]*)$/,,\1/' "$1"; }
same=no; diff <(strip "$WORK/local/results/$ID.csv") <(strip "$WORK/out/results/$ID.csv") >/dev/null && same=yes
lost=$((planned - done_)); dup=$((csvrows - distinct))
say "planned $planned, stored $rows (done $done_, distinct $distinct), CSV rows $csvrows: lost $lost, duplicated $dup; same CSV as in-process (seconds aside): $same"
[ "$lost" -eq 0 ] && [ "$dup" -eq 0 ] && [ "$rows" -eq "$planned" ] && [ "$same" = yes ] || exit 1
say "OK"
rm -rf "$WORK"
