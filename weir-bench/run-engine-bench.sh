#!/bin/sh
# Builds weir-bench and runs the end-to-end engine overhead benchmark (chain + fan-out on the
# durable H2 store, or on PostgreSQL with --store=jdbc:postgresql://…: a fresh schema per run).
# Arguments go to dev.weir.bench.EngineOverheadBench, e.g. --runs=5.
# Extra JVM flags: JAVA_OPTS="-XX:StartFlightRecording=filename=bench.jfr" weir-bench/run-engine-bench.sh
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bin/find-jdk.sh"
weir_find_jdk
cd "$root"
./mvnw -q -pl weir-bench -am package -DskipTests -Dspotless.check.skip=true
exec "$JAVA_HOME/bin/java" ${JAVA_OPTS-} -Xms512m -Xmx1g \
  -cp "weir-bench/target/classes:$(cat weir-bench/target/bench.classpath)" \
  dev.weir.bench.EngineOverheadBench "$@"
