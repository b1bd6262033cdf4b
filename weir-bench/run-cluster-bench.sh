#!/bin/sh
# Builds weir-bench and the runnable jar (weir-cli/target/weir.jar) and runs a cluster benchmark
# (issue 15) against the local PostgreSQL (or --pg=JDBC_URL), each measurement in a fresh schema
# that is dropped afterwards:
#   run-cluster-bench.sh nodes [--nodes=1,2,3 --seconds=45 --warmup=10 --clients=16 --heap=512m]
#       1, 2, 3 `weir server` node JVMs (-Xmx512m each, started from weir.jar): runs/min and
#       claim latency of a two-noop flow driven round-robin over the nodes' API
#   run-cluster-bench.sh history [--runs=100000 --batch=1000 --samples=200]
#       weir_runs / weir_task_runs size after 100,000 finished runs, and the time of
#       orphanedRuns(100) and of a claim on that history against an empty schema
# The chain overhead on PostgreSQL is run-engine-bench.sh --store=jdbc:postgresql://… --fanout=0.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bin/find-jdk.sh"
weir_find_jdk
cd "$root"
what=${1:-nodes}
[ $# -gt 0 ] && shift
case "$what" in
  nodes) main=dev.weir.bench.ClusterBench ;;
  history) main=dev.weir.bench.ClaimHistoryBench ;;
  *) echo "usage: $0 nodes|history [--name=value ...]" >&2; exit 2 ;;
esac
./mvnw -q -pl weir-bench,weir-cli -am package -DskipTests -Dspotless.check.skip=true
exec "$JAVA_HOME/bin/java" ${JAVA_OPTS-} -Xmx512m --enable-native-access=ALL-UNNAMED \
  -cp "weir-bench/target/classes:$(cat weir-bench/target/bench.classpath)" \
  "$main" --jar="$root/weir-cli/target/weir.jar" "$@"
