#!/bin/sh
# Builds weir-bench and runs the forEach benchmark (10,000 items, one no-op each, on the
# durable H2 store). Arguments go to dev.weir.bench.ForEachBench, e.g. --items=10000.
# Extra JVM flags: JAVA_OPTS="-XX:StartFlightRecording=filename=bench.jfr" weir-bench/run-foreach-bench.sh
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bin/find-jdk.sh"
weir_find_jdk
cd "$root"
./mvnw -q -pl weir-bench -am package -DskipTests -Dspotless.check.skip=true
exec "$JAVA_HOME/bin/java" ${JAVA_OPTS-} -Xms512m -Xmx1g \
  -cp "weir-bench/target/classes:$(cat weir-bench/target/bench.classpath)" \
  dev.weir.bench.ForEachBench "$@"
