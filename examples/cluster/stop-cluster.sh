#!/bin/sh
# Stops the nodes and workers start-cluster.sh started: SIGTERM to each (a node stops taking work and gives
# its running tasks the server config's grace period), then waits for each to exit.
#
#   WEIR_CLUSTER_DIR   as for start-cluster.sh (default: .nodes beside this script)
#   WEIR_STOP_WAIT     seconds to wait for the nodes before killing them (default 60)
set -eu

here=$(cd "$(dirname "$0")" && pwd -P)
nodes=${WEIR_CLUSTER_DIR:-$here/.nodes}
wait_s=${WEIR_STOP_WAIT:-60}

# Running: signalable and not a zombie (a process that ended, not yet reaped by its new parent).
alive() {
  kill -0 "$1" 2>/dev/null && ! ps -o stat= -p "$1" 2>/dev/null | grep -q '^Z'
}

pids=""
for pidfile in "$nodes"/n*/pid "$nodes"/w*/pid; do
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  if kill -TERM "$pid" 2>/dev/null; then
    echo "stopping $(basename "$(dirname "$pidfile")") (pid $pid)"
    pids="$pids $pid"
  fi
  rm -f "$pidfile"
done
[ -n "$pids" ] || { echo "no node is running"; exit 0; }

tries=0
while :; do
  alive=""
  for pid in $pids; do
    if alive "$pid"; then alive="$alive $pid"; fi
  done
  [ -n "$alive" ] || break
  tries=$((tries + 1))
  if [ "$tries" -ge $((wait_s * 2)) ]; then
    echo "still running after ${wait_s} s, killed:$alive" >&2
    # shellcheck disable=SC2086 # one word per pid
    kill -KILL $alive 2>/dev/null || true
    break
  fi
  sleep 0.5
done
echo "every node stopped"
