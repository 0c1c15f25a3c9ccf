#!/usr/bin/env bash
# Writes codeb-cli's cds-fleet-classes.txt: the classes that `we` loads when it works on real
# servers (SSH, TLS, the Docker transport, JDBC, ...) and that its class-data sharing training
# (kr.codeb.cli.internal.CdsTraining, which touches no server) does not load by itself. The
# training loads the listed classes too, so bin/we's archive holds them. Re-run it when the
# dependencies change; a stale list only makes the archive miss some classes.
#
#   bench/cds-class-list.sh   (needs: source /tmp/codeb-test-env/env, and a built checkout:
#                              mvn -q -o -DskipTests package -pl codeb-cli -am)
#
# It records, on the loopback fleet of bench/init-fleet.sh: `we init` of a new project with
# Postgres and Redis, the same with --plan, and `we destroy --delete-data`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LIST="$ROOT/codeb-cli/src/main/resources/kr/codeb/cli/internal/cds-fleet-classes.txt"
jar=$(ls "$ROOT"/codeb-cli/target/codeb-cli-*-all.jar)
# shellcheck source=bench/init-fleet.sh
source "$ROOT/bench/init-fleet.sh"
p=cds$suffix
cleanup() {
  "$WE" --config "$work/fleet.yaml" destroy "$p" --env production --yes --delete-data >/dev/null 2>&1 || true
  init_fleet_down
}
trap cleanup EXIT
mkdir -p "$work/repo-$p"

record() { # NAME COMMAND...: runs a `we` command with its loaded classes listed in NAME.classes
  local name=$1; shift
  CODEB_CDS=off CODEB_JAVA_OPTS="-XX:DumpLoadedClassList=$work/$name.classes" "$@" >"$work/$name.out" 2>&1 \
    || { cat "$work/$name.out" >&2; exit 1; }
}
record apply we_init "$p"
record plan we_init "$p" --plan
record destroy "$WE" --config "$work/fleet.yaml" destroy "$p" --env production --yes --delete-data
java -XX:TieredStopAtLevel=1 -Dcodeb.cds.fleetClasses=false -XX:DumpLoadedClassList="$work/training.classes" \
  -cp "$jar" kr.codeb.cli.internal.CdsTraining </dev/null >/dev/null 2>&1

plain() { grep -hv '^[#@]' "$@" | awk '{print $1}' | sort -u; }
{
  echo "# Classes that we loads on real servers and its CDS training does not (bench/cds-class-list.sh)."
  # Generated at run time (proxies, lambdas, hidden classes): they cannot be loaded by name.
  comm -23 <(plain "$work"/apply.classes "$work"/plan.classes "$work"/destroy.classes) \
    <(plain "$work/training.classes") | grep -Ev '(^jdk/proxy|^com/sun/proxy|\$\$|/0x|\$Proxy)'
} >"$LIST.tmp"
mv "$LIST.tmp" "$LIST"
echo "wrote $(grep -vc '^#' "$LIST") classes to ${LIST#"$ROOT"/}"
