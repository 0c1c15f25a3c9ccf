#!/usr/bin/env bash
# Benchmark 4d: SSOT allocations per second through `we ssot serve` (the http:// store), next to
# the file store in the same run. Shape keep4 of bench/alloc.sh (each process releases its
# oldest project once it holds more than 4, so every allocation is paired with a release),
# P JVM processes against ONE store for S seconds, each store with its 1-process baseline:
#   file   a copy of the seed's SSOT (production range widened to 10000-60000)
#   http   the same file served by `we ssot serve` (its own JVM, loopback, plain HTTP: TLS is
#          the edge Caddy's in production), the workers being its clients with one token
# AllocCheck then verifies that no port was held by two projects at once and that the final
# registry (read through the server) holds exactly the projects still held (no lost update).
#
#   bench/alloc-http.sh [P] [SECONDS]     (default 8 processes, 20 s)
# Needs codeb-bench built (its classpath.txt) and the CLI's all-in-one jar
# (mvn -q -DskipTests package -pl codeb-cli -am); BENCH_CP overrides the workers' class path.
# Output: $BENCH_OUT/alloc-http.txt
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
P=${1:-8}
S=${2:-20}
OUT=${BENCH_OUT:-$ROOT/codeb-bench/target/results}
mkdir -p "$OUT"
CP=${BENCH_CP:-"$ROOT/codeb-bench/target/classes:$(cat "$ROOT/codeb-bench/target/classpath.txt")"}
CLI_JAR=$(ls "$ROOT"/codeb-cli/target/codeb-cli-*-all.jar | head -1)
# shellcheck disable=SC2206
JAVA=(java -Xmx128m ${ALLOC_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC} -cp "$CP")
WE=(java -Xmx256m -cp "$CLI_JAR" kr.codeb.cli.Main)
work=$(mktemp -d /tmp/codeb-bench-alloc-http.XXXXXX)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

serve() { # dir ssot -> sets server_pid, server_uri and CODEB_SSOT_TOKEN
  local dir=$1 ssot=$2 port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  CODEB_SSOT_TOKEN=$(CODEB_DAEMON=off "${WE[@]}" ssot token create bench --scope allocate \
    --tokens "$dir/tokens.json" 2>/dev/null)
  export CODEB_SSOT_TOKEN
  CODEB_DAEMON=off "${WE[@]}" --ssot "$ssot" ssot serve --listen "127.0.0.1:$port" \
    --tokens "$dir/tokens.json" --rate 100000 --write-log "$dir/writes.jsonl" \
    >"$dir/serve.txt" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  server_uri="http://127.0.0.1:$port/"
}

run() { # store procs -> prints the workers' lines, the check and a RESULT line
  local store=$1 procs=$2 dir="$work/$1-p$2" ssot
  mkdir -p "$dir"
  ssot=$("${JAVA[@]}" kr.codeb.bench.BenchFiles "$dir")
  if [ "$store" = http ]; then
    serve "$dir" "$ssot"
    ssot=$server_uri
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
  if [ "$store" = http ]; then
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=
  fi
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
  echo "## http: baseline 1 process"
  run http 1
  echo "## http: $P processes"
  run http "$P"
  echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/alloc-http.txt"
