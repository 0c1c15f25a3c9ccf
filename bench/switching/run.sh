#!/bin/sh
# Issue 7 switch benchmark: starts its OWN Caddy (2.6.2), PowerDNS and PowerDNS Recursor (the
# serve-stale cache of srv-cache) on free loopback ports in a temp dir, runs SwitchBench.java (wrk
# keep-alive, a new-connection client, an HTTP/2-over-TLS client, promote/rollback cycles, then
# the dependency-down runs), then stops them. Not run by Maven.
#   bench/switching/run.sh [CYCLES] [MECHANISMS] [DOWN]
#   e.g. bench/switching/run.sh 100 reload,srv,srv-cache,srv-sync,srv-bare
#        bench/switching/run.sh 100 srv@100,srv@50,srv@25,srv@10 no
# A mechanism NAME@MS sets the SRV refresh to MS milliseconds (default 100). DOWN (yes/no,
# default yes) runs the dependency-down tests after each SRV mechanism. Every mechanism also
# prints COST lines: queries received and CPU time of PowerDNS, the recursor and Caddy, idle and
# under load.
# Needs: caddy, pdns_server + pdns-backend-sqlite3, pdns_recursor, sqlite3, wrk, JDK 17. Run from the repo root.
set -eu
CYCLES=${1:-100}
MECHS=${2:-reload,srv,srv-cache,srv-sync,srv-bare}
DOWN=${3:-yes}
D=$(mktemp -d /tmp/codeb-switch-bench.XXXXXX)
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
CA=$(free_port); HTTP=$(free_port); HTTPS=$(free_port); PD_DNS=$(free_port); PD_API=$(free_port)
REC_DNS=$(free_port); REC_API=$(free_port)
mkdir -p "$D/caddy/home" "$D/pdns" "$D/rec"
echo "{\"admin\":{\"listen\":\"127.0.0.1:$CA\",\"config\":{\"persist\":false}}}" > "$D/caddy/boot.json"
cat > "$D/pdns/pdns.conf" <<CONF
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
sqlite3 "$D/pdns/pdns.sqlite3" < /usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql
cat > "$D/start-pdns.sh" <<S
#!/bin/sh
pdns_server --config-dir=$D/pdns --daemon=no --guardian=no --disable-syslog >>$D/pdns/log 2>&1 &
echo \$! > $D/pdns/pid
i=0; while ! curl -fs -H 'X-API-Key: bench' http://127.0.0.1:$PD_API/api/v1/servers >/dev/null; do i=\$((i+1)); [ \$i -gt 100 ] && exit 1; sleep 0.1; done
S
chmod +x "$D/start-pdns.sh"
"$D/start-pdns.sh"
# The same recursor settings as scripts/test-env.sh (see there and kr.codeb.caddy.DnsCache for why).
cat > "$D/rec/recursor.conf" <<CONF
local-address=127.0.0.1
local-port=$REC_DNS
forward-zones=zd.test.=127.0.0.1:$PD_DNS
serve-stale-extensions=240
packetcache-servfail-ttl=0
server-down-max-fails=0
dont-throttle-netmasks=127.0.0.1/32
dnssec=off
hint-file=no
security-poll-suffix=
webserver=yes
webserver-address=127.0.0.1
webserver-port=$REC_API
webserver-allow-from=127.0.0.0/8
api-key=bench
socket-dir=$D/rec
CONF
cat > "$D/start-rec.sh" <<S
#!/bin/sh
pdns_recursor --config-dir=$D/rec --daemon=no --disable-syslog >>$D/rec/log 2>&1 &
echo \$! > $D/rec/pid
i=0; while ! curl -fs -H 'X-API-Key: bench' http://127.0.0.1:$REC_API/api/v1/servers >/dev/null; do i=\$((i+1)); [ \$i -gt 100 ] && exit 1; sleep 0.1; done
S
chmod +x "$D/start-rec.sh"
"$D/start-rec.sh"
(cd "$D/caddy" && HOME="$D/caddy/home" XDG_DATA_HOME="$D/caddy/home" XDG_CONFIG_HOME="$D/caddy/home" \
  caddy run --config boot.json > log 2>&1 & echo $! > "$D/caddy/pid")
trap 'kill $(cat "$D/caddy/pid") 2>/dev/null; kill $(cat "$D/pdns/pid") 2>/dev/null; kill $(cat "$D/rec/pid") 2>/dev/null; true' EXIT
i=0; while ! curl -fs "http://127.0.0.1:$CA/config/" >/dev/null; do i=$((i+1)); [ $i -gt 100 ] && exit 1; sleep 0.1; done
caddy version
for f in pdns rec caddy; do echo "$f pid $(cat "$D/$f/pid") = $(cat /proc/$(cat "$D/$f/pid")/comm)"; done
java bench/switching/SwitchBench.java --admin "http://127.0.0.1:$CA" --pdns-api "http://127.0.0.1:$PD_API" \
  --pdns-key bench --pdns-dns "127.0.0.1:$PD_DNS" --http "$HTTP" --https "$HTTPS" --cycles "$CYCLES" \
  --mechanisms "$MECHS" --down "$DOWN" --down-stop "kill \$(cat $D/pdns/pid)" --down-start "$D/start-pdns.sh" \
  --rec-dns "127.0.0.1:$REC_DNS" --rec-api "http://127.0.0.1:$REC_API" --rec-key bench \
  --rec-stop "kill \$(cat $D/rec/pid)" --rec-start "$D/start-rec.sh" \
  --pdns-pid-file "$D/pdns/pid" --rec-pid-file "$D/rec/pid" --caddy-pid-file "$D/caddy/pid"
