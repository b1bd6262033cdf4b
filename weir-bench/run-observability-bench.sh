#!/bin/sh
# Builds weir-bench and runs the observability overhead benchmark: the engine benchmark (chain + fan-out on the
# durable H2 store) with audit, metrics, lineage and log files on vs off. Arguments go to
# dev.weir.bench.ObservabilityBench, e.g. --rounds=5.
# Extra JVM flags: JAVA_OPTS="-XX:StartFlightRecording=filename=bench.jfr" weir-bench/run-engine-bench.sh
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bin/find-jdk.sh"
weir_find_jdk
cd "$root"
./mvnw -q -pl weir-bench -am package -DskipTests -Dspotless.check.skip=true
exec "$JAVA_HOME/bin/java" -Xms1g -Xmx1g ${JAVA_OPTS-} \
  -cp "weir-bench/target/classes:$(cat weir-bench/target/bench.classpath)" \
  dev.weir.bench.ObservabilityBench "$@"
