#!/bin/sh
# Builds weir-bench and runs the PostgreSQL load benchmark (append, upsert, incremental) against
# psql baselines in the same run, with the JVM heap capped at 256 MB. Needs psql and a PostgreSQL
# reachable as --pg (JDBC) and --psql (libpq URL); defaults: the local server, database test.
# Arguments go to dev.weir.bench.PgLoadBench, e.g. --rows=1000000 --rounds=3 --only=append
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bin/find-jdk.sh"
weir_find_jdk
cd "$root"
./mvnw -q -pl weir-bench -am package -DskipTests -Dspotless.check.skip=true
exec "$JAVA_HOME/bin/java" ${JAVA_OPTS-} -Xmx256m --enable-native-access=ALL-UNNAMED \
  -cp "weir-bench/target/classes:$(cat weir-bench/target/bench.classpath)" \
  dev.weir.bench.PgLoadBench "$@"
