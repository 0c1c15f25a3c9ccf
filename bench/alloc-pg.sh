#!/usr/bin/env bash
# Benchmark 4b: SSOT allocations per second, the postgresql:// store next to the file store in
# the same run. Shape keep4 of bench/alloc.sh (each process releases its oldest project once it
# holds more than 4, so every allocation is paired with a release and the registry stays the
# size of a real fleet's), P JVM processes against ONE store for S seconds, each store with its
# 1-process baseline:
#   file        a copy of the seed's SSOT (production range widened to 10000-60000)
#   postgresql  the same document in a fresh schema of one database
# AllocCheck then verifies that no port was held by two projects at once and that the final
# registry holds exactly the projects still held (no lost update).
#
#   bench/alloc-pg.sh [P] [SECONDS]     (default 8 processes, 20 s)
# The database: BENCH_POSTGRESQL_URI (default CODEB_TEST_POSTGRESQL_URI from
# scripts/test-env.sh up), password CODEB_POSTGRESQL_PASSWORD (default
# CODEB_TEST_POSTGRESQL_PASSWORD). Each run uses a new schema bench_<procs>_<time> (and
# warmup_<id> schemas), left in the database for inspection.
# Output: $BENCH_OUT/alloc-pg.txt
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
P=${1:-8}
S=${2:-20}
OUT=${BENCH_OUT:-$ROOT/codeb-bench/target/results}
mkdir -p "$OUT"
PG_URI=${BENCH_POSTGRESQL_URI:-${CODEB_TEST_POSTGRESQL_URI:?set BENCH_POSTGRESQL_URI or source the test env}}
export CODEB_POSTGRESQL_PASSWORD=${CODEB_POSTGRESQL_PASSWORD:-${CODEB_TEST_POSTGRESQL_PASSWORD:-}}
CP="$ROOT/codeb-bench/target/classes:$(cat "$ROOT/codeb-bench/target/classpath.txt")"
# shellcheck disable=SC2206
JAVA=(java -Xmx128m ${ALLOC_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC} -cp "$CP")
work=$(mktemp -d /tmp/codeb-bench-alloc-pg.XXXXXX)
trap 'rm -rf "$work"' EXIT

run() { # store procs -> prints the workers' lines, the check and a RESULT line
  local store=$1 procs=$2 dir="$work/$1-p$2" ssot
  mkdir -p "$dir"
  if [ "$store" = postgresql ]; then
    ssot=$("${JAVA[@]}" kr.codeb.bench.BenchFiles "$PG_URI&schema=bench_${procs}_$(date +%s)")
  else
    ssot=$("${JAVA[@]}" kr.codeb.bench.BenchFiles "$dir")
  fi
  local start=$(( $(date +%s%3N) + 4000 + 1000 * procs ))
  local pids=() outs=()
  for i in $(seq 1 "$procs"); do
    "${JAVA[@]}" kr.codeb.bench.AllocWorker "$ssot" production "$S" "$start" "$i" "$dir/out-$i" 4 \
      >"$dir/worker-$i.txt" &
    pids+=($!); outs+=("$dir/out-$i")
  done
  for p in "${pids[@]}"; do wait "$p"; done
  cat "$dir"/worker-*.txt
  local check
  check=$("${JAVA[@]}" kr.codeb.bench.AllocCheck "$ssot" production "${outs[@]}") || true
  echo "$check"
  cat "$dir"/worker-*.txt | awk -v store="$store" -v p="$procs" -v s="$S" -v check="$check" '
    { n += $4; ms = ($6 > ms ? $6 : ms); rel += $8; upd += $12; updms += $16 }
    END { printf "RESULT store=%s procs=%d seconds=%d allocations=%d per_s=%.1f releases=%d edits_per_s=%.1f ms_per_edit_call=%.2f %s\n",
      store, p, s, n, n / (ms / 1000), rel, (n + rel) / (ms / 1000), updms / upd, check }'
}

{
  echo "# $(date -u +%FT%TZ) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) java: ${JAVA[*]:1:3}"
  echo "## file: baseline 1 process"
  run file 1
  echo "## file: $P processes"
  run file "$P"
  echo "## postgresql: baseline 1 process"
  run postgresql 1
  echo "## postgresql: $P processes"
  run postgresql "$P"
  echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/alloc-pg.txt"
