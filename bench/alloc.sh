#!/usr/bin/env bash
# Benchmark 4: SSOT allocations per second through the library (PortOperations over
# FileSsotStore), P JVM processes looping allocations of new projects against ONE file store
# (a copy of the seed's SSOT with the production range widened to 10000-60000), for S seconds.
# Baseline in the same run: 1 process, same file, same time. Then AllocCheck verifies that no
# port went to two projects and that every pair handed out is in the final file (no lost update).
#
#   bench/alloc.sh [P] [SECONDS]     (default 8 processes, 20 s)
# WHATIF=1 (default) adds the same measurement on bench's ProtoFileStore what-if (locked
# read-modify-write; .bak by hard link) -- the numbers behind the recommended codeb-ssot change.
# Output: $BENCH_OUT/alloc.txt
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
P=${1:-8}
S=${2:-20}
OUT=${BENCH_OUT:-$ROOT/codeb-bench/target/results}
mkdir -p "$OUT"
CP="$ROOT/codeb-bench/target/classes:$(cat "$ROOT/codeb-bench/target/classpath.txt")"
JAVA=(java -XX:+UseSerialGC -Xmx128m -cp "$CP")
work=$(mktemp -d /tmp/codeb-bench-alloc.XXXXXX)
trap 'rm -rf "$work"' EXIT

run() { # procs [mode] -> prints the summary line
  local procs=$1 mode=${2:-cas} dir="$work/p$1-${2:-cas}"
  mkdir -p "$dir"
  local ssot
  ssot=$("${JAVA[@]}" kr.codeb.bench.BenchFiles "$dir")
  local start=$(( $(date +%s%3N) + 2500 + 300 * procs ))   # every JVM is up before it starts
  local pids=() outs=()
  for i in $(seq 1 "$procs"); do
    "${JAVA[@]}" kr.codeb.bench.AllocWorker "$ssot" production "$S" "$start" "$i" "$dir/out-$i" \
      "$mode" >"$dir/worker-$i.txt" &
    pids+=($!); outs+=("$dir/out-$i")
  done
  for p in "${pids[@]}"; do wait "$p"; done
  cat "$dir"/worker-*.txt
  local check
  check=$("${JAVA[@]}" kr.codeb.bench.AllocCheck "$ssot" production "${outs[@]}") || true
  echo "$check"
  cat "$dir"/worker-*.txt | awk -v p="$procs" -v s="$S" -v check="$check" '
    { n += $4; ms = ($6 > ms ? $6 : ms); upd += $10; conf += $12; updms += $14; rdms += $16 }
    END { printf "RESULT mode='"$mode"' procs=%d seconds=%d allocations=%d per_s=%.1f cas_attempts_per_alloc=%.2f lost_races_per_alloc=%.2f update_ms_per_attempt=%.1f read_ms_per_alloc=%.1f file_bytes_end=%s %s\n",
      p, s, n, n / (ms / 1000), upd / n, conf / n, updms / upd, rdms / n, "'"$(stat -c %s "$ssot")"'", check }'
}

{
  echo "# $(date -u +%FT%TZ) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "## baseline: 1 process"
  run 1
  echo "## $P processes"
  run "$P"
  if [ "${WHATIF:-1}" = 1 ]; then
    echo "## what-if (bench ProtoFileStore, not the library): $P processes, read-modify-write under the lock"
    run "$P" locked
    echo "## what-if: $P processes, locked, plus .bak by hard link (1 data fsync instead of 2)"
    run "$P" locked-link
    echo "## what-if: 1 process, locked, .bak by hard link"
    run 1 locked-link
  fi
  echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/alloc.txt"
