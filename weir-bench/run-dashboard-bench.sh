#!/bin/sh
# Builds weir-bench and runs the overview, flows and datasets benchmarks (issue 12) over 100,000
# stored runs of 200 flows and 50 datasets: what each page asks the store, main's way and this
# branch's (DashboardQueriesBench, H2 and, with --pg=JDBC_URL, PostgreSQL), then each page over
# HTTP on the H2 store (DashboardPagesBench). Arguments go to both, e.g.
# --runs=100000 --samples=21 --pg=jdbc:postgresql://127.0.0.1:5432/test?user=postgres
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bin/find-jdk.sh"
weir_find_jdk
cd "$root"
./mvnw -q -pl weir-bench -am package -DskipTests -Dspotless.check.skip=true
cp="weir-bench/target/classes:$(cat weir-bench/target/bench.classpath)"
"$JAVA_HOME/bin/java" ${JAVA_OPTS-} -Xms256m -Xmx1g -cp "$cp" dev.weir.bench.DashboardQueriesBench "$@"
pages=""
for a in "$@"; do
  case "$a" in --pg=*) ;; *) pages="$pages $a" ;; esac
done
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" ${JAVA_OPTS-} -Xms256m -Xmx1g -cp "$cp" dev.weir.bench.DashboardPagesBench $pages
