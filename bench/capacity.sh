#!/usr/bin/env bash
# Capacity of one edge, one PostgreSQL SSOT and N app servers (docs/benchmarks.md §7).
#
#   bench/capacity.sh build             compile the modules (package, nothing installed) and the
#                                       bench classes into codeb-bench/target/capacity-classes
#   bench/capacity.sh smoke             every harness once on the in-memory engines (seconds;
#                                       no engine needed): checks that each prints its lines
#   bench/capacity.sh edge [SIZES] [WINDOW_S]     own Caddy + PowerDNS on free loopback ports;
#                                       EdgeBench with switch=reload, then switch=srv, each on a
#                                       fresh Caddy (default sizes 10,100,500,1000, window 10 s)
#   bench/capacity.sh ssot [SECONDS] [PROCS]      the test environment's PostgreSQL (source
#                                       <state>/env first): SsotDeployWorker with 1 and PROCS
#                                       processes (default 15 s, "1 4 8"), in-memory baseline
#                                       and postgresql, with a fresh registry and with 1,000 projects
#   bench/capacity.sh servers [COUNTS] [ROUNDS]   the test environment's three sshd + dockerd:
#                                       ServerLinkBench (default 1,2,3,6,12 and 10 rounds)
# Output: $BENCH_OUT (default codeb-bench/target/results)/capacity-<part>.txt
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT=${BENCH_OUT:-$ROOT/codeb-bench/target/results}
CLASSES=$ROOT/codeb-bench/target/capacity-classes
MODULES=(codeb-api codeb-ssot codeb-http codeb-postgresql codeb-testkit codeb-tck codeb-docker
  codeb-ssh codeb-powerdns codeb-caddy)
BENCH_SRC=(EdgeBench Backend SsotDeployWorker ServerLinkBench Stats BenchFiles)
mkdir -p "$OUT"

classpath() {
  local cp="$CLASSES" m
  for m in "${MODULES[@]}"; do cp="$cp:$ROOT/$m/target/classes"; done
  echo "$cp:$(cat "$CLASSES/jars.txt")"
}

build() {
  [ "${BENCH_SKIP_MVN:-0}" = 1 ] || (cd "$ROOT" && mvn -B -ntp -o -q -Dcodeb.publish.skip=true -DskipTests \
    -pl codeb-caddy,codeb-postgresql,codeb-testkit,codeb-docker,codeb-ssh,codeb-powerdns -am \
    package dependency:build-classpath -Dmdep.includeScope=runtime \
    '-Dmdep.outputFile=${project.build.directory}/capacity-cp.txt')
  rm -rf "$CLASSES" && mkdir -p "$CLASSES"
  cat "$ROOT"/codeb-*/target/capacity-cp.txt | tr ':' '\n' | grep -v '/kr/codeb/' | grep -v "^$ROOT/" \
    | grep -v '^$' | sort -u | paste -sd: >"$CLASSES/jars.txt"
  local srcs=() s
  for s in "${BENCH_SRC[@]}"; do srcs+=("$ROOT/codeb-bench/src/main/java/kr/codeb/bench/$s.java"); done
  javac -nowarn -d "$CLASSES" -cp "$(classpath)" "${srcs[@]}"
}

JAVA() { java -Xmx256m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$(classpath)" "$@"; }

smoke() {
  local log=$OUT/capacity-smoke.txt
  {
    BENCH_WRK=none JAVA kr.codeb.bench.EdgeBench mem 1 1,3 2
    JAVA kr.codeb.bench.SsotDeployWorker mem 2 "$(( $(date +%s%3N) + 1500 ))" s1 2
    JAVA kr.codeb.bench.SsotDeployWorker --fill mem 50
    JAVA kr.codeb.bench.ServerLinkBench mem 1,2 1
  } | tee "$log"
  local want
  for want in '^ADD size=3 ' '^ROUTES size=3 ' '^IDLE size=3 ' '^SWITCH size=3 .*switches=[1-9]' \
      '^WORKER id=s1 deploys=[1-9][0-9]* failed=0 ' '^FILL count=50 ' '^LINKS n=2 '; do
    grep -q "$want" "$log" || { echo "smoke: no line matching $want" >&2; exit 1; }
  done
  echo "smoke: ok"
}

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# Starts a private Caddy and PowerDNS in $D (as bench/switching/run.sh does).
start_edge() {
  D=$(mktemp -d /tmp/codeb-capacity-edge.XXXXXX)
  CA=$(free_port); HTTP=$(free_port); PD_DNS=$(free_port); PD_API=$(free_port)
  mkdir -p "$D/caddy/home" "$D/pdns"
  echo "{\"admin\":{\"listen\":\"127.0.0.1:$CA\",\"config\":{\"persist\":false}}}" >"$D/caddy/boot.json"
  cat >"$D/pdns/pdns.conf" <<CONF
launch=gsqlite3
gsqlite3-database=$D/pdns/pdns.sqlite3
local-address=127.0.0.1
local-port=$PD_DNS
api=yes
api-key=bench
webserver=yes
webserver-address=127.0.0.1
webserver-port=$PD_API
webserver-allow-from=127.0.0.0/8
socket-dir=$D/pdns
CONF
  sqlite3 "$D/pdns/pdns.sqlite3" </usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql
  pdns_server --config-dir="$D/pdns" --daemon=no --guardian=no --disable-syslog >>"$D/pdns/log" 2>&1 &
  echo $! >"$D/pdns/pid"
  (cd "$D/caddy" && HOME="$D/caddy/home" XDG_DATA_HOME="$D/caddy/home" XDG_CONFIG_HOME="$D/caddy/home" \
    exec caddy run --config boot.json >log 2>&1) &
  echo $! >"$D/caddy/pid"
  local i=0
  until curl -fs "http://127.0.0.1:$CA/config/" >/dev/null \
      && curl -fs -H 'X-API-Key: bench' "http://127.0.0.1:$PD_API/api/v1/servers" >/dev/null; do
    i=$((i + 1)); [ $i -gt 100 ] && { echo "edge did not start" >&2; return 1; }; sleep 0.1
  done
}

stop_edge() {
  kill "$(cat "$D/caddy/pid")" "$(cat "$D/pdns/pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$D"
}

edge() {
  local sizes=${1:-10,100,500,1000} window=${2:-10} log=$OUT/capacity-edge.txt mode uri
  {
    echo "# $(date -u +%FT%TZ) $(git -C "$ROOT" rev-parse --short HEAD) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) $(caddy version | cut -d' ' -f1)"
    for mode in reload srv; do
      start_edge
      trap stop_edge EXIT
      uri="caddy+http://127.0.0.1:$CA?listen=127.0.0.1:$HTTP&auto_https=off&switch=$mode"
      [ "$mode" = srv ] && uri="$uri&dns=powerdns%2Bhttp://127.0.0.1:$PD_API&dns_resolver=127.0.0.1:$PD_DNS"
      echo "## switch=$mode, sizes $sizes, window ${window}s, load $(cut -d' ' -f1-3 /proc/loadavg)"
      CODEB_POWERDNS_API_KEY=bench BENCH_WRK_LUA="$ROOT/bench/switching/errors.lua" \
        JAVA kr.codeb.bench.EdgeBench "$uri" "$HTTP" "$sizes" "$window" "$(cat "$D/caddy/pid")" \
        | sed "s/^/$mode /"
      stop_edge
      trap - EXIT
    done
    echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
  } 2>&1 | tee "$log"
}

pg_uri() { # a fresh schema holding the widened seed
  local schema="cap_$1_$(date +%s%N | cut -c1-13)"
  JAVA kr.codeb.bench.BenchFiles "${CODEB_TEST_POSTGRESQL_URI:?source the test env}&schema=$schema"
}

ssot_run() { # label store procs seconds -> WORKER lines and a RESULT line
  local label=$1 store=$2 procs=$3 seconds=$4 start pids=() i dir
  dir=$(mktemp -d /tmp/codeb-capacity-ssot.XXXXXX)
  start=$(( $(date +%s%3N) + 5000 + 1500 * procs ))
  for i in $(seq 1 "$procs"); do
    java -Xmx128m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$(classpath)" \
      kr.codeb.bench.SsotDeployWorker "$store" "$seconds" "$start" "$i" 4 >"$dir/w$i" 2>&1 &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i" || true; done
  cat "$dir"/w*
  cat "$dir"/w* | awk -v l="$label" -v p="$procs" '/^WORKER/ {
      for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      n += v["deploys"]; f += v["failed"]; r += v["per_s"]; if (v["median_ms"] > m) m = v["median_ms"] }
    END { printf "RESULT %s procs=%d deploys=%d failed=%d deploys_per_s=%.1f deploys_per_min=%.0f slowest_worker_median_ms=%.1f\n", l, p, n, f, r, r * 60, m }'
  rm -rf "$dir"
}

ssot() {
  local seconds=${1:-15} procs=${2:-1 4 8} log=$OUT/capacity-ssot.txt p uri
  export CODEB_POSTGRESQL_PASSWORD=${CODEB_POSTGRESQL_PASSWORD:-${CODEB_TEST_POSTGRESQL_PASSWORD:-}}
  {
    echo "# $(date -u +%FT%TZ) $(git -C "$ROOT" rev-parse --short HEAD) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) $("$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/postgres" --version)"
    for p in $procs; do
      echo "## mem (baseline: no shared SSOT), $p processes, load $(cut -d' ' -f1-3 /proc/loadavg)"
      ssot_run "store=mem registry=own" mem "$p" "$seconds"
      uri=$(pg_uri small)
      echo "## postgresql, fresh registry, $p processes, load $(cut -d' ' -f1-3 /proc/loadavg)"
      ssot_run "store=postgresql registry=seed" "$uri" "$p" "$seconds"
      uri=$(pg_uri big)
      echo "## postgresql, 1,000 projects allocated first"
      JAVA kr.codeb.bench.SsotDeployWorker --fill "$uri" 1000
      echo "## postgresql, 1,000 projects, $p processes, load $(cut -d' ' -f1-3 /proc/loadavg)"
      ssot_run "store=postgresql registry=1000" "$uri" "$p" "$seconds"
    done
    echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
  } 2>&1 | tee "$log"
}

servers() {
  local counts=${1:-1,2,3,6,12} rounds=${2:-10} log=$OUT/capacity-servers.txt engines u
  : "${CODEB_TEST_SSH_KEY:?source the test env}"
  engines=""
  for u in "$CODEB_TEST_SSH_HOST:$CODEB_TEST_SSH_PORT_A" "$CODEB_TEST_SSH_HOST_B:$CODEB_TEST_SSH_PORT_B" \
      "$CODEB_TEST_SSH_HOST_C:$CODEB_TEST_SSH_PORT_C"; do
    engines="$engines${engines:+,}docker+ssh://$CODEB_TEST_SSH_USER@$u"
  done
  {
    echo "# $(date -u +%FT%TZ) $(git -C "$ROOT" rev-parse --short HEAD) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) engines=$engines"
    CODEB_SSH_KEY=$CODEB_TEST_SSH_KEY CODEB_SSH_KNOWN_HOSTS=$CODEB_TEST_SSH_KNOWN_HOSTS \
      JAVA kr.codeb.bench.ServerLinkBench "$engines" "$counts" "$rounds"
    echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
  } 2>&1 | tee "$log"
}

cmd=${1:-smoke}
shift || true
case "$cmd" in
  build) build ;;
  smoke) smoke ;;
  edge) edge "$@" ;;
  ssot) ssot "$@" ;;
  servers) servers "$@" ;;
  *) echo "usage: bench/capacity.sh build|smoke|edge|ssot|servers" >&2; exit 2 ;;
esac
