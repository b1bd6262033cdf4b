#!/bin/sh
# Builds weir-bench and runs the sql.models retry benchmark: the 200-model generated project of
# run-models-bench.sh with one more model at its end that fails; after the fix, `weir retry` of the
# run with `resume` (the default: only what did not succeed runs) and with `resume: false` (the
# whole selection again). Arguments go to dev.weir.bench.ModelsRetryBench, e.g.
#   --models=200 --rows=100 --runs=5 --threads=4 --dir=/tmp
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bin/find-jdk.sh"
weir_find_jdk
cd "$root"
./mvnw -q -pl weir-bench -am package -DskipTests -Dspotless.check.skip=true
exec "$JAVA_HOME/bin/java" ${JAVA_OPTS-} -Xms512m -Xmx1g --enable-native-access=ALL-UNNAMED \
  -cp "weir-bench/target/classes:$(cat weir-bench/target/bench.classpath)" \
  dev.weir.bench.ModelsRetryBench "$@"
