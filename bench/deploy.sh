#!/usr/bin/env bash
# Benchmark 3: deploy wall time (run, health gate, switch) on the real dockerd + Caddy of
# scripts/test-env.sh, three ways, alternated round by round, same image, same machine:
#   by-hand  bench/deploy-by-hand.sh (docker CLI, curl /health every 100 ms, Caddy PATCH)
#   lib      Deployments.deploy in one warm JVM (kr.codeb.bench.DeployBench), --drain 0
#   we       bin/we deploy as a whole process, --drain 0 (with its AppCDS archive)
#   we-nocds the same with CODEB_CDS=off (no archive), to show what the archive buys
#   we-daemon bin/we deploy as a whole process with a `we daemon` running (started before the
#            warm-up rounds): the process is a thin client, the deploy runs in the warm daemon
# The other `we` methods run with CODEB_DAEMON=off.
# Each deploys v1 / v2 of the example image alternately to its own project (bench-sh,
# bench-lib, bench-cli, bench-cli2, bench-cli3) on a copy of the seed's SSOT. Two untimed warm-up rounds first.
#
#   bench/deploy.sh [N]        (default N=15; needs: source /tmp/codeb-test-env/env)
# Output: $BENCH_OUT/deploy.csv (round,method,ms,phases) and a summary on stdout.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N=${1:-15}
: "${CODEB_TEST_DOCKER_HOST:?source /tmp/codeb-test-env/env first}"
OUT=${BENCH_OUT:-$ROOT/codeb-bench/target/results}
mkdir -p "$OUT"
work=$(mktemp -d /tmp/codeb-bench-deploy.XXXXXX)
image=${CODEB_TEST_EXAMPLE_IMAGE:-localhost/codeb-example/web}
admin=$CODEB_TEST_CADDY_ADMIN
export DOCKER_HOST=$CODEB_TEST_DOCKER_HOST
export CODEB_SSOT=$work/ssot.json
export CODEB_RUNTIME=docker://
export CODEB_DAEMON=off
export CODEB_DAEMON_DIR=$work/daemon
export CODEB_PROXY="caddy+http://${admin#http://}?listen=127.0.0.1:$CODEB_TEST_CADDY_HTTP_PORT&auto_https=off"
cp "$ROOT/codeb-testkit/src/main/resources/kr/codeb/testkit/seed-ssot.json" "$CODEB_SSOT"
CP="$ROOT/codeb-bench/target/classes:$(cat "$ROOT/codeb-bench/target/classpath.txt")"

cleanup() {
  exec 3>&- 2>/dev/null || true
  "$ROOT/bin/we" daemon stop >/dev/null 2>&1 || true
  for p in bench-sh bench-lib bench-cli bench-cli2 bench-cli3; do
    /usr/bin/docker rm -f "$p-production-blue" "$p-production-green" >/dev/null 2>&1 || true
    curl -fsS -X DELETE "$admin/id/codeb-route-$p-production" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

now_us() { echo "${EPOCHREALTIME/./}"; }

# by-hand's project gets its ports, route and blue container from one untimed `we deploy`.
"$ROOT/bin/we" deploy bench-sh --env production --image "$image:v2" --host bench-sh.localhost \
  --drain 0 >/dev/null 2>&1
read -r sh_blue sh_green < <("$ROOT/bin/we" slot bench-sh --env production --json \
  | jq -r '[.slots[] | .port] | @tsv')

coproc LIB { exec java -XX:+UseSerialGC -cp "$CP" kr.codeb.bench.DeployBench "$CODEB_SSOT" \
  docker:// "$CODEB_PROXY" bench-lib bench-lib.localhost "$image:v1" "$image:v2" 2>"$work/lib.err"; }

"$ROOT/bin/we" daemon start >/dev/null

we_i=0 we2_i=0 we3_i=0
run_one() { # method -> sets r_ms and r_phases (no subshell: the v1/v2 counters must persist)
  local t0 t1 phases
  case "$1" in
    by-hand)
      local img=$image:v1; (( sh_i++ % 2 )) && img=$image:v2
      t0=$(now_us)
      phases=$("$ROOT/bench/deploy-by-hand.sh" bench-sh "$img" "$sh_blue" "$sh_green" "$admin")
      t1=$(now_us) ;;
    lib)
      local img=""
      t0=$(now_us)
      echo deploy >&"${LIB[1]}"
      read -r status _ phases <&"${LIB[0]}"
      t1=$(now_us)
      [ "$status" = ok ] || { echo "lib deploy failed: $phases" >&2; cat "$work/lib.err" >&2; exit 1; } ;;
    we|we-nocds|we-daemon)
      local img=$image:v1 project=bench-cli cds=on daemon=off
      if [ "$1" = we-nocds ]; then project=bench-cli2 cds=off; (( we2_i++ % 2 )) && img=$image:v2
      elif [ "$1" = we-daemon ]; then project=bench-cli3 daemon=on; (( we3_i++ % 2 )) && img=$image:v2
      else (( we_i++ % 2 )) && img=$image:v2; fi
      t0=$(now_us)
      CODEB_DAEMON=$daemon CODEB_CDS=$cds "$ROOT/bin/we" deploy "$project" --env production --image "$img" \
        --host "$project.localhost" --drain 0 --json >"$work/we.json" 2>"$work/we.err" \
        || { echo "we deploy failed:" >&2; cat "$work/we.err" >&2; exit 1; }
      t1=$(now_us)
      phases="elapsedMs=$(jq -r .elapsedMs "$work/we.json")" ;;
  esac
  local d=$(( (t1 - t0) / 100 ))
  r_ms="$((d / 10)).$((d % 10))" r_phases="$phases (image ${img:-alternating})"
}
sh_i=0
methods=(by-hand lib we we-nocds we-daemon)
echo "round,method,ms,phases" >"$OUT/deploy.csv"
for round in $(seq -2 "$N"); do
  for k in 0 1 2 3 4; do
    m=${methods[$(( (k + round + 5) % 5 ))]}
    run_one "$m"; ms=$r_ms phases=$r_phases
    if [ "$round" -ge 1 ]; then
      echo "$round,$m,$ms,$phases" >>"$OUT/deploy.csv"
    fi
    printf '%3s %-8s %8s ms  %s\n' "$round" "$m" "$ms" "$phases"
  done
done
echo quit >&"${LIB[1]}"
python3 "$ROOT/bench/summarize.py" deploy "$OUT/deploy.csv"
