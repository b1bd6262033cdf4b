#!/usr/bin/env bash
# Start-up benchmark (issue 11): times whole processes — `weir --help`, `weir validate` of one
# file and `weir run` of a one-task noop flow — through the ./weir launcher (with its start-up
# cache) and, in the same run and alternating with it, as a plain `java -jar weir.jar` (the
# baseline). BEFORE_JAR=path/to/other/weir.jar adds a variant "before" (a plain start of another
# jar, e.g. main's); BEFORE_WEIR=path/to/other/checkout/weir adds "before" as another checkout's
# launcher with its own start-up cache (made and waited for here).
# Prints the median wall time and the median CPU time (user+sys, which a busy machine disturbs
# less) of each, and the ratio to the baseline.
# Usage: weir-bench/run-startup-bench.sh [RUNS]   (default 10)
set -eu # not pipefail: bin/find-jdk.sh is POSIX sh
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-10}
. "$root/bin/find-jdk.sh"
weir_find_jdk
jar="$root/weir-cli/target/weir.jar"
java="$JAVA_HOME/bin/java"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
printf 'id: noop\nnamespace: bench\ntasks:\n  - id: only\n    type: noop\n' >noop.yaml

# Builds the jar if needed and starts making the start-up cache, then waits for it (at most 15
# minutes): the figures are those of a launcher that has its cache.
wait_for_cache() { # $1: a checkout's ./weir
  "$1" --version >/dev/null
  local cache_dir i
  cache_dir="$(dirname "$1")/weir-cli/target/startup-cache"
  for ((i = 0; i < 450; i++)); do
    if [ ! -d "$cache_dir/making.lock" ]; then
      break
    fi
    sleep 2
  done
  if ! compgen -G "$cache_dir/weir-*.[aj][os][ta]" >/dev/null; then
    echo "warning: no start-up cache in $cache_dir (see making.log there)" >&2
  fi
}
wait_for_cache "$root/weir"
if [ -n "${BEFORE_WEIR:-}" ]; then
  wait_for_cache "$BEFORE_WEIR"
fi

variants=(launcher plain)
declare -A cmd=(
  [launcher]="$root/weir"
  [plain]="$java --enable-native-access=ALL-UNNAMED -jar $jar"
)
if [ -n "${BEFORE_WEIR:-}" ]; then
  variants+=(before)
  cmd[before]="$BEFORE_WEIR"
elif [ -n "${BEFORE_JAR:-}" ]; then
  variants+=(before)
  cmd[before]="$java --enable-native-access=ALL-UNNAMED -jar $BEFORE_JAR"
fi
commands=("--help" "validate noop.yaml" "run noop.yaml --home $work/home")
names=("--help" "validate" "run noop")
targets=(0.2 0.3 0.5)

# CPU milliseconds (user+sys) that children used between two outputs of bash's `times` (run in
# this shell: in a $(…) subshell it would see no children).
cpu_ms() {
  awk 'FNR == 2 { for (i = 1; i <= 2; i++) { split($i, t, "m"); n[FILENAME] += t[1] * 60 + t[2] } }
    END { printf "%d\n", (n[ARGV[2]] - n[ARGV[1]]) * 1000 }' "$1" "$2"
}

samples="$work/samples"
: >"$samples"
for c in "${!commands[@]}"; do
  for ((i = 0; i < runs; i++)); do
    for v in "${variants[@]}"; do
      # shellcheck disable=SC2086 # the command is words on purpose
      set -- ${cmd[$v]} ${commands[$c]}
      times >"$work/times0"
      t0=$(date +%s%N)
      "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
      t1=$(date +%s%N)
      times >"$work/times1"
      echo "$c $v $(((t1 - t0) / 1000000)) $(cpu_ms "$work/times0" "$work/times1")" >>"$samples"
    done
  done
done

median() { sort -n | awk '{ a[NR] = $1 } END { m = int((NR + 1) / 2);
  if (NR % 2) print a[m]; else print int((a[m] + a[m + 1]) / 2) }'; }

echo "start-up, $runs runs each, alternating; $(nproc) cores; $("$java" -version 2>&1 | head -n 1)"
printf '%-9s %-9s %12s %12s %10s %11s  %s\n' command variant "wall (ms)" "cpu (ms)" "vs plain" \
  "vs before" target
for c in "${!commands[@]}"; do
  base=$(awk -v c="$c" '$1 == c && $2 == "plain" { print $3 }' "$samples" | median)
  before=$(awk -v c="$c" '$1 == c && $2 == "before" { print $3 }' "$samples" | median)
  for v in "${variants[@]}"; do
    wall=$(awk -v c="$c" -v v="$v" '$1 == c && $2 == v { print $3 }' "$samples" | median)
    cpu=$(awk -v c="$c" -v v="$v" '$1 == c && $2 == v { print $4 }' "$samples" | median)
    ratio=$(awk "BEGIN { printf \"%.2fx\", $wall / $base }")
    vs_before=-
    if [ -n "$before" ]; then
      vs_before=$(awk "BEGIN { printf \"%.2fx\", $wall / $before }")
    fi
    met=$(awk "BEGIN { print ($wall <= ${targets[$c]} * 1000) ? \"met\" : \"not met\" }")
    printf '%-9s %-9s %12s %12s %10s %11s  ≤ %s s %s\n' "${names[$c]}" "$v" "$wall" "$cpu" \
      "$ratio" "$vs_before" "${targets[$c]}" "$met"
  done
done
