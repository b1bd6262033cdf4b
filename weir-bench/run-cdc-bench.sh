#!/bin/sh
# Builds weir-bench and runs the change data capture benchmark (issue 16): a PostgreSQL with
# wal_level=logical of the benchmark's own (the machine's binaries, as user postgres when root)
# as the source, cdc.postgres on an in-process engine into a second database of that server and
# into a DuckDB file; the load generator flat out and Debezium alone as same-run baselines.
# Arguments go to dev.weir.bench.CdcBench, e.g.
#   --rates=5000,10000,20000,30000 --seconds=20 --catchup=300000 --rounds=1 --targets=pg,duck
# Extra JVM flags: JAVA_OPTS="-XX:StartFlightRecording=filename=cdc.jfr" weir-bench/run-cdc-bench.sh
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bin/find-jdk.sh"
weir_find_jdk
cd "$root"
./mvnw -q -pl weir-bench -am package -DskipTests -Dspotless.check.skip=true
exec "$JAVA_HOME/bin/java" ${JAVA_OPTS-} -Xms512m -Xmx1g --enable-native-access=ALL-UNNAMED \
  -cp "weir-bench/target/classes:$(cat weir-bench/target/bench.classpath)" \
  dev.weir.bench.CdcBench "$@"
