#!/bin/sh
# Builds weir-bench and runs the cluster wake-up benchmark (issue 15): send -> another node's
# callback through PostgreSQL LISTEN/NOTIFY, and what pg_notify adds to a statement and a commit.
# Arguments go to dev.weir.bench.SignalsBench, e.g. --pg=jdbc:postgresql://127.0.0.1/test?user=postgres --samples=1000
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bin/find-jdk.sh"
weir_find_jdk
cd "$root"
./mvnw -q -pl weir-bench -am package -DskipTests -Dspotless.check.skip=true
exec "$JAVA_HOME/bin/java" ${JAVA_OPTS-} -Xmx256m \
  -cp "weir-bench/target/classes:$(cat weir-bench/target/bench.classpath)" \
  dev.weir.bench.SignalsBench "$@"
