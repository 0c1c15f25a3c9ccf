#!/usr/bin/env bash
# Benchmark 4: SSOT allocations per second through the library (PortOperations over
# FileSsotStore), P JVM processes looping allocations of new projects against ONE file store
# (a copy of the seed's SSOT with the production range widened to 10000-60000), for S seconds.
# Two shapes, each with its baseline (1 process, same file, same time) in the same run:
#   grow  every project is kept: the file grows by one project per allocation (to ~1 MB)
#   keep4 each process releases its oldest project once it holds more than 4: the file stays
#         the size of a real fleet's (seed + 32 projects) and every allocation has a release
# AllocCheck then verifies that no port was held by two projects at once and that the final
# file holds exactly the projects still held with their pairs (no lost update).
# edits_per_s counts allocate + release calls; file_writes_per_s the SSOT writes the file store
# made (its own counter): with the group commit one write carries several processes' edits.
#
#   bench/alloc.sh [P] [SECONDS]     (default 8 processes, 20 s)
# The JVMs run like bin/we (C1 only, serial GC): with 8 JVMs on 2 cores C2's compile threads
# would take the CPU the lock holder needs for long after the warm-up (measured: 23/s with C2
# vs 51/s with C1 on the growing file). ALLOC_JAVA_OPTS replaces those flags.
# Output: $BENCH_OUT/alloc.txt
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
P=${1:-8}
S=${2:-20}
OUT=${BENCH_OUT:-$ROOT/codeb-bench/target/results}
mkdir -p "$OUT"
CP="$ROOT/codeb-bench/target/classes:$(cat "$ROOT/codeb-bench/target/classpath.txt")"
# shellcheck disable=SC2206
JAVA=(java -Xmx128m ${ALLOC_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC} -cp "$CP")
work=$(mktemp -d /tmp/codeb-bench-alloc.XXXXXX)
trap 'rm -rf "$work"' EXIT

run() { # procs keep -> prints the workers' lines, the check and a RESULT line
  local procs=$1 keep=$2 dir="$work/p$1-k$2"
  mkdir -p "$dir"
  local ssot
  ssot=$("${JAVA[@]}" kr.codeb.bench.BenchFiles "$dir")
  # Every JVM is up and warm before the common start (AllocWorker warms until then).
  local start=$(( $(date +%s%3N) + 4000 + 1000 * procs ))
  local pids=() outs=()
  for i in $(seq 1 "$procs"); do
    "${JAVA[@]}" kr.codeb.bench.AllocWorker "$ssot" production "$S" "$start" "$i" "$dir/out-$i" \
      "$keep" >"$dir/worker-$i.txt" &
    pids+=($!); outs+=("$dir/out-$i")
  done
  for p in "${pids[@]}"; do wait "$p"; done
  cat "$dir"/worker-*.txt
  local check
  check=$("${JAVA[@]}" kr.codeb.bench.AllocCheck "$ssot" production "${outs[@]}") || true
  echo "$check"
  cat "$dir"/worker-*.txt | awk -v p="$procs" -v s="$S" -v keep="$keep" -v check="$check" \
      -v bytes="$(stat -c %s "$ssot")" '
    { n += $4; ms = ($6 > ms ? $6 : ms); rel += $8; upd += $12; conf += $14; updms += $16
      rdms += $18; fw += $20; forothers += $22; byothers += $24 }
    END { printf "RESULT procs=%d keep=%d seconds=%d allocations=%d per_s=%.1f releases=%d edits_per_s=%.1f file_writes_per_s=%.1f edits_per_file_write=%.2f answered_by_others=%d ms_per_edit_call=%.1f read_ms_per_alloc=%.1f file_bytes_end=%s %s\n",
      p, keep, s, n, n / (ms / 1000), rel, (n + rel) / (ms / 1000), fw / (ms / 1000),
      (fw > 0 ? (n + rel) / fw : 0), byothers, updms / upd, rdms / n, bytes, check }'
}

{
  echo "# $(date -u +%FT%TZ) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) java: ${JAVA[*]:1:3}"
  echo "## grow: baseline 1 process"
  run 1 0
  echo "## grow: $P processes"
  run "$P" 0
  echo "## keep4: baseline 1 process"
  run 1 4
  echo "## keep4: $P processes"
  run "$P" 4
  echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/alloc.txt"
