#!/usr/bin/env bash
# The README's main job: a tour of CodeB on a copy of the seed's SSOT file (the user's own data),
# through the `we` CLI and through jshell, then a blue-green deploy of the example app on the
# local Docker engine behind a local Caddy: v1, v2, a broken release that never gets traffic,
# and a rollback. Engines are started by scripts/test-env.sh (own state folder) and stopped
# at the end. Never touches /opt/codeb or any server.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "building (mvn -q -DskipTests install)"
mvn -q -B -ntp -DskipTests install

work=$(mktemp -d)
export CODEB_TEST_STATE=${CODEB_DEMO_STATE:-/tmp/codeb-demo-env}
cleanup() {
  bin/we daemon stop >/dev/null 2>&1 || true
  /usr/bin/docker rm -f demo-production-blue demo-production-green >/dev/null 2>&1 || true
  bash scripts/test-env.sh down >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
cp codeb-testkit/src/main/resources/kr/codeb/testkit/seed-ssot.json "$work/ssot.json"
export CODEB_SSOT="$work/ssot.json"
export CODEB_DAEMON_DIR="$work/daemon"   # the demo's own daemon, not the user's

say "the seed's SSOT: ranges, projects, ports"
bin/we ssot show

say "we ssot check (exit 1: the seed has a conflict on 4101 and an orphaned record)"
bin/we ssot check || echo "(exit $?)"

say "we ssot allocate acme --env production, twice (the second returns the same pair)"
bin/we ssot allocate acme --env production
bin/we ssot allocate acme --env production --json

say "we ssot repair --dry-run (shows the fix, writes nothing)"
bin/we ssot repair --dry-run || echo "(exit $?: orphans are kept unless --drop-unclaimed)"

say "the same from jshell (examples/jshell/ssot-tour.jsh)"
CODEB_PROJECT=shop jshell --class-path "$(cat examples/target/classpath.txt):$(ls examples/target/examples-*.jar)" \
  examples/jshell/ssot-tour.jsh

say "the file kept every field it had, plus the new projects"
diff <(python3 -m json.tool codeb-testkit/src/main/resources/kr/codeb/testkit/seed-ssot.json) \
  <(python3 -m json.tool "$work/ssot.json") || true

say "starting the engines: dockerd and Caddy on loopback (scripts/test-env.sh up)"
bash scripts/test-env.sh up | tail -3
# shellcheck disable=SC1091
source "$CODEB_TEST_STATE/env"
export CODEB_RUNTIME=docker://
export CODEB_PROXY="caddy+http://${CODEB_TEST_CADDY_ADMIN#http://}?listen=127.0.0.1:$CODEB_TEST_CADDY_HTTP_PORT&auto_https=off"
app=localhost/codeb-example/web
through_caddy() { curl -s -H 'Host: demo.localhost' "http://127.0.0.1:$CODEB_TEST_CADDY_HTTP_PORT/"; }

say "we deploy demo v1 (first deploy: ports from the SSOT, blue slot, route created)"
bin/we deploy demo --env production --image $app:v1 --host demo.localhost --drain 500ms
echo "through Caddy: $(through_caddy)"

say "we deploy demo v2 (goes to the idle green slot; traffic switches after the health gate)"
bin/we deploy demo --env production --image $app:v2 --drain 500ms
echo "through Caddy: $(through_caddy)"

say "we deploy a broken release: it never answers /health, so traffic never moves"
bin/we deploy demo --env production --image $app:broken --health-timeout 3s || echo "(exit $?: automatic rollback, live slot untouched)"
echo "through Caddy: $(through_caddy)"

say "we rollback (back to the other slot's release)"
bin/we rollback demo --env production
echo "through Caddy: $(through_caddy)"

say "we slot demo --env production"
bin/we slot demo --env production

say "we daemon start: a warm process takes the next lines (no JVM start, warm code)"
bin/we daemon start
for tag in v3 v2; do
  start_ms=$(date +%s%3N)
  bin/we deploy demo --env production --image $app:$tag --drain 500ms
  echo "through Caddy: $(through_caddy)   ($(( $(date +%s%3N) - start_ms )) ms for the whole we deploy, 500 ms of it draining)"
done
bin/we daemon status
bin/we daemon stop

say "the fleet: three servers on loopback, each its own sshd (app 127.0.0.11, storage 127.0.0.12, edge 127.0.0.13)"
# The app server runs the main dockerd, the storage server a second one, the edge Caddy, PowerDNS
# and the recursor, whose APIs are reached only through the edge's sshd. No proxy URI is written
# by hand: the edge's engines give the lossless SRV switch.
unset CODEB_RUNTIME CODEB_PROXY
cat >"$work/fleet.yaml" <<YAML
ssot: $work/ssot.json
ssh:
  user: $CODEB_TEST_SSH_USER
  key: $CODEB_TEST_SSH_KEY
  knownHosts: $CODEB_TEST_SSH_KNOWN_HOSTS
servers:
  - name: app1
    roles: [app]
    public: 127.0.0.11
    private: 127.0.0.11
    publish: 127.0.0.11
    ssh: 127.0.0.11:$CODEB_TEST_SSH_PORT_A
    engines: { runtime: "docker+$CODEB_TEST_DOCKER_HOST" }
  - name: db1
    roles: [storage]
    public: 127.0.0.12
    private: 127.0.0.12
    ssh: 127.0.0.12:$CODEB_TEST_SSH_PORT_B
    engines: { runtime: "docker+$CODEB_TEST_STORAGE_DOCKER_HOST" }
  - name: edge
    roles: [edge]
    public: 127.0.0.13
    private: 127.0.0.13
    ssh: 127.0.0.13:$CODEB_TEST_SSH_PORT_C
    engines:
      proxy: "caddy+${CODEB_TEST_CADDY_ADMIN}?listen=127.0.0.1:$CODEB_TEST_CADDY_HTTP_PORT&auto_https=off"
      dns: "powerdns+${CODEB_TEST_PDNS_API}?server=localhost"
      dnsListen: "$CODEB_TEST_PDNS_DNS"
      dnsCache: "powerdns-recursor+${CODEB_TEST_PDNS_RECURSOR_API}"
      dnsCacheListen: "$CODEB_TEST_PDNS_RECURSOR_DNS"
YAML
export CODEB_POWERDNS_API_KEY="$CODEB_TEST_PDNS_API_KEY"
export CODEB_POWERDNS_RECURSOR_API_KEY="$CODEB_TEST_PDNS_RECURSOR_API_KEY"
bin/we --config "$work/fleet.yaml" fleet status

say "we deploy shop across the fleet: containers on app1 over SSH, the route on the edge's Caddy"
bin/we --config "$work/fleet.yaml" deploy shop --env production --image $app:v1 --host shop.localhost --drain 500ms
bin/we --config "$work/fleet.yaml" deploy shop --env production --image $app:v2 --drain 500ms
echo "through the edge's Caddy: $(curl -s -H 'Host: shop.localhost' "http://127.0.0.1:$CODEB_TEST_CADDY_HTTP_PORT/")"
bin/we --config "$work/fleet.yaml" routes
echo "containers of shop on the storage server's engine: $(/usr/bin/docker -H "$CODEB_TEST_STORAGE_DOCKER_HOST" ps -q --filter label=codeb.project=shop | wc -l)"
bin/we --config "$work/fleet.yaml" rollback shop --env production
/usr/bin/docker rm -f shop-production-blue shop-production-green >/dev/null 2>&1 || true
