#!/bin/sh
# Builds weir-bench and runs the web UI benchmark (issue 12) in Debian's Chromium through
# Playwright, on an embedded H2 store: the run page of a 5,000-task flow, a change reaching an
# open page, a search in a 50 MB log, the heap of 20 open run pages.
# Arguments go to dev.weir.bench.UiBench, e.g. --tasks=5000 --loads=5 --chain=300 --logmb=50
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bin/find-jdk.sh"
weir_find_jdk
cd "$root"
./mvnw -q -pl weir-bench -am package -DskipTests -Dspotless.check.skip=true
exec "$JAVA_HOME/bin/java" ${JAVA_OPTS-} -Xms1g -Xmx2g --enable-native-access=ALL-UNNAMED \
  -Dplaywright.driver.tmpdir="$root/weir-bench/target/tmp" \
  -cp "weir-bench/target/classes:$(cat weir-bench/target/bench.classpath)" \
  dev.weir.bench.UiBench "$@"
