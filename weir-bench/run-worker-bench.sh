#!/bin/sh
# Builds weir-bench and runs the benchmark of task attempts routed to workers (issue 15) against the
# local PostgreSQL (or --pg=JDBC_URL), each measurement in a fresh schema dropped afterwards; the
# coordinator and its workers run in this one JVM (dev.weir.bench.InProcessNodes):
#   per-task cost of routing (a chain of bench.noop tasks, role all vs scheduler + 1 worker),
#   claim latency and runs/min of a two-task flow with 0 (role all), 1, 2, 3 workers,
#   and the rows and size of weir_attempt_queue during and after the load.
# Arguments go to dev.weir.bench.WorkerBench, e.g. --chain=50 --rounds=4 --workers=0,1,2,3
# --clients=16 --seconds=20 --warmup=5 --attempts=10000. About 4 minutes with the defaults, plus
# the build.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bin/find-jdk.sh"
weir_find_jdk
cd "$root"
./mvnw -q -pl weir-bench -am package -DskipTests -Dspotless.check.skip=true
exec "$JAVA_HOME/bin/java" ${JAVA_OPTS-} -Xms512m -Xmx1g --enable-native-access=ALL-UNNAMED \
  -cp "weir-bench/target/classes:$(cat weir-bench/target/bench.classpath)" \
  dev.weir.bench.WorkerBench "$@"
