#!/bin/sh
# Builds weir-bench and runs the sql.models benchmark (issue 17): a generated dbt project of 200
# models on DuckDB files; Weir's overhead per node (the sql.models task on an in-process engine
# with the durable H2 store, threads: 1) over the same nodes' compiled SQL run as plain statements
# on one JDBC connection, medians over --runs; compile-only time; the wall time at --threads.
# Arguments go to dev.weir.bench.ModelsBench, e.g.
#   --models=200 --rows=100 --runs=5 --warmup=1 --threads=4 --dir=/tmp --keep=false
# Extra JVM flags: JAVA_OPTS="-XX:StartFlightRecording=filename=models.jfr" weir-bench/run-models-bench.sh
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bin/find-jdk.sh"
weir_find_jdk
cd "$root"
./mvnw -q -pl weir-bench -am package -DskipTests -Dspotless.check.skip=true
exec "$JAVA_HOME/bin/java" ${JAVA_OPTS-} -Xms512m -Xmx1g --enable-native-access=ALL-UNNAMED \
  -cp "weir-bench/target/classes:$(cat weir-bench/target/bench.classpath)" \
  dev.weir.bench.ModelsBench "$@"
