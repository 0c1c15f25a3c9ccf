#!/usr/bin/env bash
# The deploy benchmark's baseline: a blue-green deploy written by hand with the docker CLI, curl
# and Caddy's admin API -- the same steps `we deploy` does, minus the SSOT, lock, release history
# and image pruning:
#   1. read the live upstream from Caddy, pick the idle slot
#   2. docker rm -f the idle slot's container, docker run -d the image on its port
#   3. curl /health at once, then every 100 ms, until 2xx
#   4. PATCH $ADMIN/id/codeb-upstream-<project>-production/upstreams to the new port
#
#   deploy-by-hand.sh PROJECT IMAGE BLUE_PORT GREEN_PORT ADMIN_URL
#
# Prints "prep=.. run=.. gate=.. attempts=N switch=.." (ms) on stdout. DOCKER (default
# /usr/bin/docker, docker.io's client) and DOCKER_HOST choose the client and engine.
set -euo pipefail
project=$1 image=$2 blue=$3 green=$4 admin=$5
docker=${DOCKER:-/usr/bin/docker}
upstream="codeb-upstream-$project-production"
ms() { local d=$(( (${2/./} - ${1/./}) / 100 )); echo "$((d / 10)).$((d % 10))"; }  # no fork

t0=$EPOCHREALTIME
live=$(curl -fsS "$admin/id/$upstream/upstreams")          # [{"dial":"127.0.0.1:4104"}]
case "$live" in
  *"127.0.0.1:$blue\""*) slot=green port=$green ;;
  *) slot=blue port=$blue ;;
esac
name="$project-production-$slot"
t1=$EPOCHREALTIME
"$docker" rm -f "$name" >/dev/null 2>&1 || true
"$docker" run -d --name "$name" -p "127.0.0.1:$port:8080" \
  --label "codeb.project=$project" --label codeb.env=production --label "codeb.slot=$slot" \
  --label codeb.release=by-hand "$image" >/dev/null
t2=$EPOCHREALTIME
attempts=0
while attempts=$((attempts + 1)); ! curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$port/health" 2>/dev/null; do
  if [ "$attempts" -ge 600 ]; then echo "deploy-by-hand: $name not healthy after 60 s" >&2; exit 1; fi
  sleep 0.1
done
t3=$EPOCHREALTIME
curl -fsS -X PATCH -H 'Content-Type: application/json' \
  -d "[{\"dial\":\"127.0.0.1:$port\"}]" "$admin/id/$upstream/upstreams" >/dev/null
t4=$EPOCHREALTIME
echo "prep=$(ms "$t0" "$t1") run=$(ms "$t1" "$t2") gate=$(ms "$t2" "$t3") attempts=$attempts switch=$(ms "$t3" "$t4")"
