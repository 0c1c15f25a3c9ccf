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
# BENCH_ROUNDS=N (default 1): N rounds, each all the runs in the order below (so every store
# meets the same moments of the machine's load), then a MEDIAN line per store and process count.
# The database: BENCH_POSTGRESQL_URI (default CODEB_TEST_POSTGRESQL_URI from
# scripts/test-env.sh up), password CODEB_POSTGRESQL_PASSWORD (default
# CODEB_TEST_POSTGRESQL_PASSWORD). Each run uses a new schema bench_<procs>_<time> (and
# w_<schema>_<id> schemas to warm up on), left in the database for inspection.
#
# Class path: codeb-bench's (built with -f codeb-bench/pom.xml against installed modules), or
# with BENCH_MODULES=1 the modules' own target/classes of this checkout (after
# `mvn -o -q package -DskipTests -pl codeb-postgresql,codeb-testkit -am`; nothing installed),
# with the four bench classes compiled here. BEFORE_DIR=/path: a checkout of an older commit
# built the same way; its postgresql store is then measured too ("postgresql-before", a fresh
# schema of its own) between the file store and this one, with the same bench classes.
# BENCH_NOSYNC=1: then also "postgresql-nosync", this store on a database of its own created
# with synchronous_commit = off (a commit does not wait for its WAL flush: NOT durable, a crash
# can lose the last commits). Only to show what the flush costs; never a figure of record.
# BENCH_PG_ONLY=1: no file store runs (for profiling only: a figure of record needs its baseline).
# Each run also prints a "cpu" line (bench/cpu-split.py): how busy the machine's CPUs were during
# the measured window, and how much of it the workers' JVMs and the PostgreSQL server used.
# Every postgresql run also counts, in the database, records of one port held twice (0 by the
# primary key) beside AllocCheck's check over time.
# Output: $BENCH_OUT/alloc-pg.txt
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
P=${1:-8}
S=${2:-20}
ROUNDS=${BENCH_ROUNDS:-1}
ROUND=1
OUT=${BENCH_OUT:-$ROOT/codeb-bench/target/results}
mkdir -p "$OUT"
PG_URI=${BENCH_POSTGRESQL_URI:-${CODEB_TEST_POSTGRESQL_URI:?set BENCH_POSTGRESQL_URI or source the test env}}
export CODEB_POSTGRESQL_PASSWORD=${CODEB_POSTGRESQL_PASSWORD:-${CODEB_TEST_POSTGRESQL_PASSWORD:-}}
work=$(mktemp -d /tmp/codeb-bench-alloc-pg.XXXXXX)
trap 'rm -rf "$work"' EXIT
MODULES=(codeb-api codeb-ssot codeb-postgresql codeb-testkit codeb-tck)
modules_cp() { # checkout -> its modules' classes and their third-party jars
  local root=$1 cp="" m
  for m in "${MODULES[@]}"; do cp="$cp${cp:+:}$root/$m/target/classes"; done
  if [ ! -s "$work/jars.txt" ]; then
    for m in codeb-postgresql codeb-testkit; do
      (cd "$ROOT" && mvn -B -ntp -o -q -pl "$m" dependency:build-classpath -Dmdep.includeScope=runtime \
        -Dmdep.outputFile="$work/cp-$m.txt" >/dev/null)
      tr ':' '\n' <"$work/cp-$m.txt"
    done | grep -v '/kr/codeb/' | sort -u | paste -sd: >"$work/jars.txt"
  fi
  echo "$cp:$(cat "$work/jars.txt")"
}
if [ "${BENCH_MODULES:-0}" = 1 ]; then
  mkdir -p "$work/bench-classes"
  javac -nowarn -d "$work/bench-classes" -cp "$(modules_cp "$ROOT")" \
    "$ROOT"/codeb-bench/src/main/java/kr/codeb/bench/{AllocWorker,AllocCheck,BenchFiles,CountingStore}.java
  CP="$work/bench-classes:$(modules_cp "$ROOT")"
else
  CP="$ROOT/codeb-bench/target/classes:$(cat "$ROOT/codeb-bench/target/classpath.txt")"
fi
BEFORE_CP=""
if [ -n "${BEFORE_DIR:-}" ]; then
  [ "${BENCH_MODULES:-0}" = 1 ] || { echo "BEFORE_DIR needs BENCH_MODULES=1" >&2; exit 2; }
  BEFORE_CP="$work/bench-classes:$(modules_cp "$BEFORE_DIR")"
fi
# shellcheck disable=SC2206
JAVA_OPTS=(-Xmx128m ${ALLOC_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC})

run() { # store procs -> prints the workers' lines, the check and a RESULT line
  local store=$1 procs=$2 dir="$work/$1-p$2-r$ROUND" ssot cp=$CP
  [ "$store" = postgresql-before ] && cp=$BEFORE_CP
  local JAVA=(java "${JAVA_OPTS[@]}" -cp "$cp") uri=$PG_URI
  mkdir -p "$dir"
  if [ "$store" = postgresql-nosync ]; then
    local db="bench_nosync_$(date +%s)"
    PGPASSWORD=$CODEB_POSTGRESQL_PASSWORD psql -qtA "$(pg_conninfo)" -c "CREATE DATABASE $db" \
      -c "ALTER DATABASE $db SET synchronous_commit = off" >/dev/null
    uri=$(sed "s#/[^/?]*?#/$db?#" <<<"$PG_URI")
  fi
  if [ "$store" != file ]; then
    local schema="bench_${procs}_$(date +%s)"
    [ "$store" = postgresql-before ] && schema="bench_before_${procs}_$(date +%s)"
    ssot=$("${JAVA[@]}" kr.codeb.bench.BenchFiles "$uri&schema=$schema")
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
  python3 "$ROOT/bench/cpu-split.py" "$start" "$S" >"$dir/cpu.txt" &
  local cpu_pid=$!
  for p in "${pids[@]}"; do wait "$p"; done
  wait "$cpu_pid" || true
  cat "$dir"/worker-*.txt "$dir/cpu.txt"
  local check
  check=$("${JAVA[@]}" kr.codeb.bench.AllocCheck "$ssot" production "${outs[@]}") || true
  echo "$check"
  if [ "$store" != file ] && command -v psql >/dev/null; then
    echo "database: records $(PGPASSWORD=$CODEB_POSTGRESQL_PASSWORD psql -qtA "$(pg_conninfo "$uri")" \
      -c "SELECT count(*) || ', distinct ports ' || count(DISTINCT port) FROM $schema.ssot_allocation")"
  fi
  cat "$dir"/worker-*.txt | awk -v store="$store" -v p="$procs" -v s="$S" -v check="$check" '
    { n += $4; ms = ($6 > ms ? $6 : ms); rel += $8; upd += $12; updms += $16; cpu += $26; call += $28 }
    END { printf "RESULT store=%s procs=%d seconds=%d allocations=%d per_s=%.1f releases=%d edits_per_s=%.1f ms_per_edit_call=%.2f jvm_cpu_ms_per_edit=%.3f call_thread_cpu_ms_per_edit=%.3f %s\n",
      store, p, s, n, n / (ms / 1000), rel, (n + rel) / (ms / 1000), updms / upd, cpu / (n + rel), call / (n + rel), check }'
}

pg_conninfo() { # [uri] the URI's host, port, database and user as a libpq connection string
  local u=${1:-$PG_URI} rest hostport db user
  rest=${u#postgresql://}
  hostport=${rest%%/*}; db=${rest#*/}; db=${db%%\?*}
  user=$(sed -n 's/.*[?&]user=\([^&]*\).*/\1/p' <<<"$u")
  echo "host=${hostport%%:*} port=${hostport##*:} dbname=$db user=$user"
}

{
  echo "# $(date -u +%FT%TZ) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) java: ${JAVA_OPTS[*]} rounds: $ROUNDS"
  for ROUND in $(seq 1 "$ROUNDS"); do
    echo "# round $ROUND of $ROUNDS, load $(cut -d' ' -f1-3 /proc/loadavg)"
    if [ "${BENCH_PG_ONLY:-0}" != 1 ]; then
      echo "## file: baseline 1 process"
      run file 1
      echo "## file: $P processes"
      run file "$P"
    fi
    if [ -n "$BEFORE_CP" ]; then
      echo "## postgresql-before ($BEFORE_DIR): baseline 1 process"
      run postgresql-before 1
      echo "## postgresql-before ($BEFORE_DIR): $P processes"
      run postgresql-before "$P"
    fi
    echo "## postgresql: baseline 1 process"
    run postgresql 1
    echo "## postgresql: $P processes"
    run postgresql "$P"
    if [ "${BENCH_NOSYNC:-0}" = 1 ]; then
      echo "## postgresql-nosync (synchronous_commit = off, NOT durable): $P processes"
      run postgresql-nosync "$P"
    fi
  done
  echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/alloc-pg.txt"
# The median of the rounds, per store and process count (allocations/s, and the rounds' figures).
grep '^RESULT' "$OUT/alloc-pg.txt" | sed 's/RESULT store=\([^ ]*\) procs=\([0-9]*\) .* per_s=\([0-9.]*\) .*/\1 \2 \3/' \
  | sort -k1,1 -k2,2n -k3,3n | awk '
    { key = $1 " " $2; v[key, ++c[key]] = $3; if (!(key in seen)) { seen[key] = 1; order[++k] = key } }
    END { for (i = 1; i <= k; i++) { key = order[i]; n = c[key]; all = ""
            for (j = 1; j <= n; j++) all = all (j > 1 ? " " : "") v[key, j]
            m = (n % 2) ? v[key, (n + 1) / 2] : (v[key, n / 2] + v[key, n / 2 + 1]) / 2
            split(key, kk, " "); printf "MEDIAN store=%s procs=%s per_s=%.1f rounds=%d (%s)\n", kk[1], kk[2], m, n, all } }' \
  | tee -a "$OUT/alloc-pg.txt"
