#!/bin/sh
# Builds weir-bench and runs the server benchmark against a PostgreSQL state store:
#   --scenario=webhook   webhook → run finished latency and sustained runs/min of a 2-task flow
#   --scenario=start     server start time with --flows=N flow files (first and second start)
#   --scenario=schedules firing lateness of --flows=N schedules due at the same minute
# Needs a PostgreSQL reachable as --pg (JDBC URL of a database the bench may create databases in;
# default: the local server's database test).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bin/find-jdk.sh"
weir_find_jdk
cd "$root"
./mvnw -q -pl weir-bench -am package -DskipTests -Dspotless.check.skip=true
exec "$JAVA_HOME/bin/java" ${JAVA_OPTS-} -Xms1g -Xmx2g --enable-native-access=ALL-UNNAMED \
  -cp "weir-bench/target/classes:$(cat weir-bench/target/bench.classpath)" \
  dev.weir.bench.ServerBench "$@"
