#!/usr/bin/env bash
# Benchmark 5: cold start of `bin/we --version` and `bin/we ssot show` (on a copy of the seed's
# SSOT) against a bare `java -version`, with hyperfine (warmup 3, RUNS runs each, in ROUNDS alternating rounds).
#   cds     bin/we as it is (AppCDS archive in a scratch cache folder, created before timing)
#   no-cds  bin/we with CODEB_CDS=off (same launcher and jar, no archive)
#   before  optional: BEFORE_DIR=DIR, a checkout of the commit before the start-up changes,
#           built (git worktree add /tmp/we-before 3d4395c && mvn -q -DskipTests package there);
#           its own bin/we runs its own build
#
#   bench/coldstart.sh [RUNS]      (default 20)
# Output: $BENCH_OUT/coldstart-*.json (hyperfine exports) and a summary.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS=${1:-20}
OUT=${BENCH_OUT:-$ROOT/codeb-bench/target/results}
mkdir -p "$OUT"
work=$(mktemp -d /tmp/codeb-bench-cold.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp "$ROOT/codeb-testkit/src/main/resources/kr/codeb/testkit/seed-ssot.json" "$work/ssot.json"
export CODEB_SSOT=$work/ssot.json
export CODEB_CDS_DIR=$work/cds
export CODEB_DAEMON_DIR=$work/daemon          # cold start: no daemon there, so every run is its own
                                              # JVM (the client still looks for one, as by default)
"$ROOT/bin/we" ssot show >/dev/null           # creates the archive (untimed; a lone --version skips it)
ls "$CODEB_CDS_DIR"/we-*.jsa >/dev/null

before() { # the old launcher and build: BEFORE_DIR is a checkout of the older commit, built
  echo "$BEFORE_DIR/bin/we"
}
# hyperfine runs all runs of one command, then the next: to alternate, it is called ROUNDS times
# (RUNS/ROUNDS runs per command each, after its own warm-up of 3) and the times are pooled.
ROUNDS=${ROUNDS:-4}
per=$(( (RUNS + ROUNDS - 1) / ROUNDS ))
for what in version show; do
  case $what in version) args="--version" ;; show) args="ssot show" ;; esac
  cmds=(-n java-version "java -version"
        -n "we $args (cds)" "$ROOT/bin/we $args"
        -n "we $args (no-cds)" "env CODEB_CDS=off $ROOT/bin/we $args")
  if [ -n "${BEFORE_DIR:-}" ]; then cmds+=(-n "we $args (before)" "$(before) $args"); fi
  echo "# $what: $(date -u +%FT%TZ) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg), $ROUNDS rounds x $per runs"
  for r in $(seq 1 "$ROUNDS"); do
    hyperfine -N --warmup 3 --runs "$per" --style none \
      --export-json "$OUT/coldstart-$what-$r.json" "${cmds[@]}" >/dev/null
  done
  python3 - "$OUT"/coldstart-$what-*.json <<'PY'
import json, statistics, sys
from collections import defaultdict
times = defaultdict(list); ratios = defaultdict(list); order = []
for f in sys.argv[1:]:
    r = json.load(open(f))["results"]
    base = statistics.median(r[0]["times"])
    for x in r:
        if x["command"] not in order: order.append(x["command"])
        times[x["command"]] += x["times"]
        ratios[x["command"]].append(statistics.median(x["times"]) / base)
base = statistics.median(times[order[0]])
for c in order:
    t = sorted(times[c]); med = statistics.median(t)
    q1, q3 = t[len(t)//4], t[(3*len(t))//4]
    rr = ", ".join(f"{x:.2f}" for x in ratios[c])
    print(f"  {c:26} n={len(t)} median {med*1000:7.1f} ms (p25 {q1*1000:.1f}, p75 {q3*1000:.1f}, min {t[0]*1000:.1f})"
          f"  {med/base:5.2f}x java -version; per round: {rr}")
PY
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
