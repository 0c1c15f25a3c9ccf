#!/usr/bin/env bash
# Reproduces every benchmark of docs/benchmarks.md, in one run on one machine:
#   build  the modules (install, no tests), then codeb-bench on its own (-f; it is not a module
#          of the root pom, so `mvn verify` never builds or runs it)
#   3      bench/deploy.sh N        deploy wall time: by-hand script vs library vs `we deploy`
#   4      bench/alloc.sh 8 S       SSOT allocations/s, 8 processes, one file (+ 1-process baseline)
#   4b     bench/jmh.sh             JMH: allocate on a file store, codec read of the seed
#   5      bench/coldstart.sh RUNS  hyperfine: we --version / we ssot show vs java -version
# Needs the engines of scripts/test-env.sh already up (it does not start or stop them):
#   source /tmp/codeb-test-env/env && bash bench/run-all.sh
# Results: codeb-bench/target/results/ (BENCH_OUT to move them). SKIP_BUILD=1 skips the build.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
: "${CODEB_TEST_DOCKER_HOST:?source /tmp/codeb-test-env/env first}"
export BENCH_OUT=${BENCH_OUT:-$ROOT/codeb-bench/target/results}
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -B -ntp -q -DskipTests install -pl codeb-cli -am
  mvn -B -ntp -q -f codeb-bench/pom.xml package
fi
mkdir -p "$BENCH_OUT"
{
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
    "$(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r), $(java -version 2>&1 | head -1)"
  echo "docker: $(/usr/bin/docker version --format '{{.Server.Version}}' 2>/dev/null)," \
    "caddy: $(caddy version 2>/dev/null | cut -d' ' -f1), hyperfine: $(hyperfine --version)"
  echo "start: $(date -u +%FT%TZ) load=$(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$BENCH_OUT/machine.txt"
bash bench/deploy.sh "${DEPLOY_N:-15}"   | tee "$BENCH_OUT/deploy.txt"
bash bench/alloc.sh 8 "${ALLOC_SECONDS:-20}"
bash bench/jmh.sh
bash bench/coldstart.sh "${COLD_RUNS:-20}" | tee "$BENCH_OUT/coldstart.txt"
echo "end: $(date -u +%FT%TZ) load=$(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$BENCH_OUT/machine.txt"
