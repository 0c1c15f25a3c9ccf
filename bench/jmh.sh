#!/usr/bin/env bash
# Benchmark 4b: JMH (1.37), single process: SsotBench.allocateOnFileStore (PortOperations.allocate
# of a new project on a FileSsotStore: lock, read-modify-write, two fsyncs; one thread always
# finds the lock free, so this is the group commit's uncontended path) and the codec's
# decode of the seed (SsotBench.codecReadSeed: bytes in memory; fileStoreReadSeed: through
# FileSsotStore.read). 1 fork, 3 x 2 s warm-up, 5 x 2 s measurement.
#   bench/jmh.sh [extra JMH options]     Output: $BENCH_OUT/jmh.json and jmh.txt
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT=${BENCH_OUT:-$ROOT/codeb-bench/target/results}
mkdir -p "$OUT"
CP="$ROOT/codeb-bench/target/classes:$(cat "$ROOT/codeb-bench/target/classpath.txt")"
echo "# $(date -u +%FT%TZ) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/jmh.txt"
java -cp "$CP" org.openjdk.jmh.Main 'kr.codeb.bench.SsotBench' -rf json -rff "$OUT/jmh.json" "$@" \
  | tee -a "$OUT/jmh.txt" | grep -E '^(Benchmark|SsotBench)|^# Run complete'
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/jmh.txt"
