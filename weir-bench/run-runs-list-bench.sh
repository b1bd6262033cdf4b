#!/bin/sh
# Builds weir-bench and runs the runs list benchmark (issue 12): one page of the runs list over
# 100,000 stored runs, H2 and, with --pg=JDBC_URL, PostgreSQL. Arguments go to
# dev.weir.bench.RunsListBench, e.g. --runs=100000 --samples=21 --pg=jdbc:postgresql://127.0.0.1:5432/test?user=postgres
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bin/find-jdk.sh"
weir_find_jdk
cd "$root"
./mvnw -q -pl weir-bench -am package -DskipTests -Dspotless.check.skip=true
exec "$JAVA_HOME/bin/java" ${JAVA_OPTS-} -Xms256m -Xmx1g \
  -cp "weir-bench/target/classes:$(cat weir-bench/target/bench.classpath)" \
  dev.weir.bench.RunsListBench "$@"
