#!/bin/sh
# Starts three `weir server` nodes (n1, n2, n3 on ports 8081, 8082, 8083) on this machine, all on
# one PostgreSQL database: a cluster (docs/cluster.md). Stop them with ./stop-cluster.sh.
#
# Environment (each optional):
#   WEIR_DB              the PostgreSQL database, as a JDBC URL
#                        (default jdbc:postgresql://127.0.0.1:5432/weir?user=postgres;
#                        create it first: createdb -h 127.0.0.1 -U postgres weir)
#   WEIR_API_TOKENS      the API token of every node (default: a fixed example token, for local
#                        use only: anyone who reads this file knows it)
#   WEIR_LEASE           how long after a node's last heartbeat the others adopt its runs
#                        (default here 10s, so that a failover is quick to watch; the server's own
#                        default is 30s)
#   WEIR_HEARTBEAT       how often each node renews its lease (default here 2s)
#   WEIR_CMD             the weir command (default: the repository's ./weir launcher)
#   WEIR_CLUSTER_PORTS   the three nodes' ports (default "8081 8082 8083")
#   WEIR_CLUSTER_DIR     where the nodes' homes, logs, pid files and shared staging go
#                        (default: .nodes beside this script)
#   WEIR_CLUSTER_WORKERS how many `weir worker` processes (w1, w2, …) to start besides the nodes
#                        (default 0). With workers, the nodes run `--role scheduler`: they serve
#                        the API and run the flows, and every task runs on a worker.
set -eu

here=$(cd "$(dirname "$0")" && pwd -P)
WEIR_CMD=${WEIR_CMD:-$(cd "$here/../.." && pwd -P)/weir}
WEIR_DB=${WEIR_DB:-'jdbc:postgresql://127.0.0.1:5432/weir?user=postgres'}
WEIR_API_TOKENS=${WEIR_API_TOKENS:-weir-cluster-example-token-local-use-only}
WEIR_LEASE=${WEIR_LEASE:-10s}
WEIR_HEARTBEAT=${WEIR_HEARTBEAT:-2s}
ports=${WEIR_CLUSTER_PORTS:-8081 8082 8083}
workers=${WEIR_CLUSTER_WORKERS:-0}
role=all
[ "$workers" -gt 0 ] && role=scheduler
nodes=${WEIR_CLUSTER_DIR:-$here/.nodes}
# One staging directory for every node: a run adopted from a dead node reads what its tasks
# staged. On several machines it would be a shared file system mounted at the same path.
WEIR_STAGING=$nodes/staging
# Passed by the environment, not on the command line, so that `ps` shows no password or token.
export WEIR_DB WEIR_API_TOKENS WEIR_LEASE WEIR_HEARTBEAT WEIR_STAGING

mkdir -p "$nodes" "$WEIR_STAGING"

# Running: signalable and not a zombie (a process that ended, not yet reaped by its new parent).
alive() {
  kill -0 "$1" 2>/dev/null && ! ps -o stat= -p "$1" 2>/dev/null | grep -q '^Z'
}

# Run the command once before the nodes: the launcher builds the jar when it is missing or older
# than the sources, and three nodes must not build it at once.
# (Without WEIR_DB: the launcher may then train its start-up cache with a run of its own, which
# belongs in no cluster's store.)
if ! (unset WEIR_DB && "$WEIR_CMD" --version >/dev/null); then
  echo "cannot run $WEIR_CMD" >&2
  exit 1
fi

i=0
for port in $ports; do
  i=$((i + 1))
  id=n$i
  mkdir -p "$nodes/$id"
  # A node still running is left as it is: run this script again after killing one to bring it
  # back (with its id, it takes its runs back at once if no other node adopted them yet).
  if [ -f "$nodes/$id/pid" ] && alive "$(cat "$nodes/$id/pid")"; then
    echo "$id is running already (pid $(cat "$nodes/$id/pid")) on http://127.0.0.1:$port"
    continue
  fi
  # Every node is given the same flows directory; the node holding the cluster's "flows" lease
  # watches it and stores what changes, and the others take it from the database.
  nohup "$WEIR_CMD" server --node-id "$id" --port "$port" --home "$nodes/$id/home" \
    --flows "$here/flows" --config "$here/server.yaml" --role "$role" \
    >>"$nodes/$id/server.log" 2>&1 </dev/null &
  echo $! >"$nodes/$id/pid"
  echo "started $id (pid $!) on http://127.0.0.1:$port, log $nodes/$id/server.log"
done

# Workers: they take the task attempts the nodes hand out, from the same database.
i=0
while [ "$i" -lt "$workers" ]; do
  i=$((i + 1))
  id=w$i
  mkdir -p "$nodes/$id"
  if [ -f "$nodes/$id/pid" ] && alive "$(cat "$nodes/$id/pid")"; then
    echo "$id is running already (pid $(cat "$nodes/$id/pid"))"
    continue
  fi
  nohup "$WEIR_CMD" worker --node-id "$id" --home "$nodes/$id/home" --slots 4 \
    >>"$nodes/$id/server.log" 2>&1 </dev/null &
  echo $! >"$nodes/$id/pid"
  echo "started worker $id (pid $!), log $nodes/$id/server.log"
done

# Wait (at most two minutes) until every node answers, when curl is there to ask.
if command -v curl >/dev/null 2>&1; then
  i=0
  for port in $ports; do
    i=$((i + 1))
    tries=0
    until curl -fsS -o /dev/null "http://127.0.0.1:$port/api/v1/health" 2>/dev/null; do
      if ! alive "$(cat "$nodes/n$i/pid")"; then
        echo "node n$i exited; the end of its log:" >&2
        tail -n 20 "$nodes/n$i/server.log" >&2
        exit 1
      fi
      tries=$((tries + 1))
      if [ "$tries" -ge 240 ]; then
        echo "node n$i does not answer on port $port after 2 minutes; see $nodes/n$i/server.log" >&2
        exit 1
      fi
      sleep 0.5
    done
  done
  echo "every node answers"
fi
