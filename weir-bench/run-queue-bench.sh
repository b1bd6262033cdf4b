#!/bin/sh
# Builds weir-bench and runs the message-queue benchmark (issue 16): messages/s into stored and
# finished runs through queue triggers on the machine's RabbitMQ (127.0.0.1:5672 guest/guest) and
# NATS JetStream (127.0.0.1:4222), on the H2 store and a fresh PostgreSQL database (--pg=JDBC_URL,
# default the local database test), the latency of a steady rate, and same-run baselines (the
# broker client alone, runs started through the launcher without a broker). A broker that does not
# answer is skipped with one line.
# Arguments go to dev.weir.bench.QueueBench: --n=10000 --reps=3 --rate=200 --seconds=20
# --brokers=rabbitmq,nats --stores=h2,pg --launcher=false (skips the launcher baseline). About 5 minutes with the defaults, plus the build.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bin/find-jdk.sh"
weir_find_jdk
cd "$root"
./mvnw -q -pl weir-bench -am package -DskipTests -Dspotless.check.skip=true
exec "$JAVA_HOME/bin/java" ${JAVA_OPTS-} -Xms512m -Xmx1g --enable-native-access=ALL-UNNAMED \
  -cp "weir-bench/target/classes:$(cat weir-bench/target/bench.classpath)" \
  dev.weir.bench.QueueBench "$@"
