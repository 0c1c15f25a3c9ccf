#!/usr/bin/env bash
# The init benchmark's baseline: the eight steps of `we init` written by hand with ssh, docker,
# curl, psql (in the database container) and jq, on the loopback fleet of scripts/test-env.sh:
#   1. ports: a consecutive app port pair and two storage ports picked from the SSOT's ranges
#      (skipping every port it mentions), written with jq under flock (temp file + rename)
#   2. Postgres and Redis on the storage server (ssh db1 docker run), ready checks (pg_isready,
#      redis-cli ping), user and database (psql)
#   3. env file on the app server (ssh app1, umask 077, temp file + mv)
#   4. two firewall rules (curl POST to the Vultr stand-in)
#   5. DNS zone (created if missing) and A + TXT records (ssh edge curl to PowerDNS)
#   6. Caddy route with the domain as host (ssh edge curl POST to the admin API, into the
#      server `we init` uses, which exists from the untimed warm-up), and the domain added to
#      that server's internal-issuer TLS policy (Caddy's own CA: no ACME offline)
#   7. the workflow file into the repo
#   8. TLS: curl with the domain as SNI every 100 ms until the handshake succeeds, then the issuer
# It checks nothing before it writes (not idempotent, no journal, no adoption): the least work
# for the same end state. ssh connections are shared per server (ControlMaster) within a run, as
# `we` shares one per server; init-vs-script.sh closes them after each run, so each run of either
# method logs in to each server once.
#
#   init-by-hand.sh PROJECT DOMAIN REPO        (environment: see bench/init-vs-script.sh;
#                                               ZONE: the zone to use, default DOMAIN minus its first label)
#
# Prints "ports=.. db=.. env=.. fw=.. dns=.. site=.. wf=.. tls=.." (ms) on stdout.
set -euo pipefail
project=$1 domain=$2 repo=$3
envname=production
: "${SSOT:?}" "${ENV_DIR:?}" "${VULTR_URL:?}" "${VULTR_GROUP:?}" "${CADDY_SERVER:?}"
ms() { local d=$(( (${2/./} - ${1/./}) / 100 )); echo "$((d / 10)).$((d % 10))"; }
ctl=${BENCH_SSH_CONTROL:-/tmp/codeb-bench-ssh}
mkdir -p "$ctl"
sshx() { # PORT HOST CMD...
  local port=$1 host=$2; shift 2
  ssh -F none -o BatchMode=yes -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes \
    -o UserKnownHostsFile="$CODEB_TEST_SSH_KNOWN_HOSTS" -i "$CODEB_TEST_SSH_KEY" \
    -o ControlMaster=auto -o ControlPath="$ctl/%h-%p" -o ControlPersist=60 \
    -p "$port" "$CODEB_TEST_SSH_USER@$host" "$@"
}
app() { sshx "$CODEB_TEST_SSH_PORT_A" 127.0.0.11 "$@"; }
db() { sshx "$CODEB_TEST_SSH_PORT_C" 127.0.0.13 "$@"; }
edge() { sshx "$CODEB_TEST_SSH_PORT_B" 127.0.0.12 "$@"; }
secret() { od -An -tx1 -N16 /dev/urandom | tr -d ' \n'; }
priv=$CODEB_TEST_STORAGE_PRIVATE_ADDRESS
user=${project//-/_}

t0=$EPOCHREALTIME
# 1. ports
exec 8>"$SSOT.lock"
flock 8
# Taken: every port the SSOT mentions (allocation records, the projects' slot ports and their
# storage services' ports, which `we` records only under services.<env>.<kind>.port).
read -r blue green pgport redisport < <(jq -r --arg env "$envname" '
  ([.ports.allocated | keys[] | tonumber]
   + [.projects[] | (.ports // {})[] | .blue, .green]
   + [.projects[] | (.services // {})[] | .[] | .port]) as $used
  | ([range(.portRanges[$env].start; .portRanges[$env].end)
      | select(. as $b | ($used | index($b)) == null and ($used | index($b + 1)) == null)][0]) as $blue
  | [$blue, $blue + 1]
    + ([range(.portRanges.storage.start; .portRanges.storage.end + 1)] - $used)[0:2]
  | @tsv' "$SSOT")
# The same end state as `we`: the slot pair in the project and in ports.allocated, the storage
# ports under services.
jq --arg p "$project" --arg env "$envname" --argjson b "$blue" --argjson g "$green" \
  --argjson pp "$pgport" --argjson rp "$redisport" '
  .projects[$p] = {ports: {($env): {blue: $b, green: $g}},
                   services: {($env): {postgres: {port: $pp}, redis: {port: $rp}}}}
  | .ports.allocated[$b|tostring] = {project: $p, slot: "blue", environment: $env}
  | .ports.allocated[$g|tostring] = {project: $p, slot: "green", environment: $env}' \
  "$SSOT" >"$SSOT.tmp.$$"
mv "$SSOT.tmp.$$" "$SSOT"
flock -u 8
t1=$EPOCHREALTIME

# 2. databases
pgpw=$(secret) pguserpw=$(secret) redispw=$(secret)
pg="$project-$envname-postgres" rd="$project-$envname-redis"
d="DOCKER_HOST=$CODEB_TEST_STORAGE_DOCKER_HOST /usr/bin/docker"
db "$d run -d --name $pg --network host --restart unless-stopped \
  --label codeb.project=$project --label codeb.env=$envname --label codeb.role=database \
  -e POSTGRES_PASSWORD=$pgpw -v $pg-data:/var/lib/postgresql/data $CODEB_TEST_DB_IMAGE \
  postgres -c listen_addresses=$priv -p $pgport >/dev/null && \
  $d run -d --name $rd --network host --restart unless-stopped \
  --label codeb.project=$project --label codeb.env=$envname --label codeb.role=database \
  -v $rd-data:/data $CODEB_TEST_DB_IMAGE \
  redis-server --bind $priv --port $redisport --requirepass $redispw --appendonly yes >/dev/null && \
  until $d exec $pg pg_isready -q -h $priv -p $pgport; do sleep 0.1; done && \
  $d exec -e PGPASSWORD=$pgpw $pg psql -q -v ON_ERROR_STOP=1 -h $priv -U postgres -p $pgport \
    -c \"CREATE ROLE $user LOGIN PASSWORD '$pguserpw'\" -c \"CREATE DATABASE $user OWNER $user\" && \
  until [ \"\$($d exec $rd redis-cli -h $priv -p $redisport -a $redispw --no-auth-warning ping 2>/dev/null)\" = PONG ]; do sleep 0.1; done"
t2=$EPOCHREALTIME

# 3. env file
printf 'DATABASE_URL=%s\nREDIS_URL=%s\n' \
  "postgresql://$user:$pguserpw@$priv:$pgport/$user" "redis://:$redispw@$priv:$redisport/0" \
  | app "umask 077; mkdir -p $ENV_DIR && cat >$ENV_DIR/.$project-$envname.env.tmp && mv $ENV_DIR/.$project-$envname.env.tmp $ENV_DIR/$project-$envname.env"
t3=$EPOCHREALTIME

# 4. firewall
for port in "$pgport" "$redisport"; do
  curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $VULTR_KEY" -H 'Content-Type: application/json' \
    -d "{\"ip_type\":\"v4\",\"protocol\":\"tcp\",\"subnet\":\"127.0.0.11\",\"subnet_size\":32,\"port\":\"$port\",\"notes\":\"$project\"}" \
    "$VULTR_URL/firewalls/$VULTR_GROUP/rules"
done
t4=$EPOCHREALTIME

# 5. DNS
zone="${ZONE:-${domain#*.}}."
api="$CODEB_TEST_PDNS_API/api/v1/servers/localhost/zones"
edge "curl -s -o /dev/null -H 'X-API-Key: $CODEB_TEST_PDNS_API_KEY' -H 'Content-Type: application/json' \
  -X POST $api -d '{\"name\":\"$zone\",\"kind\":\"Native\",\"nameservers\":[]}' && \
  curl -fsS -o /dev/null -H 'X-API-Key: $CODEB_TEST_PDNS_API_KEY' -H 'Content-Type: application/json' \
  -X PATCH $api/$zone -d '{\"rrsets\":[{\"name\":\"$domain.\",\"type\":\"A\",\"ttl\":300,\"changetype\":\"REPLACE\",\"records\":[{\"content\":\"127.0.0.12\",\"disabled\":false}]},{\"name\":\"_codeb.$domain.\",\"type\":\"TXT\",\"ttl\":300,\"changetype\":\"REPLACE\",\"records\":[{\"content\":\"\\\"codeb-domain project=$project env=$envname domain=$domain\\\"\",\"disabled\":false}]}]}'"
t5=$EPOCHREALTIME

# 6. Caddy site
edge "curl -fsS -o /dev/null -H 'Content-Type: application/json' -X POST \
  $CODEB_TEST_CADDY_ADMIN/config/apps/http/servers/$CADDY_SERVER/routes \
  -d '{\"@id\":\"bench-sh-$project\",\"match\":[{\"host\":[\"$domain\"]}],\"handle\":[{\"handler\":\"reverse_proxy\",\"upstreams\":[{\"dial\":\"127.0.0.11:$blue\"}]}],\"terminal\":true}' && \
  curl -fsS -o /dev/null -H 'Content-Type: application/json' -X POST \
  $CODEB_TEST_CADDY_ADMIN/id/codeb-tls-$CADDY_SERVER/subjects -d '\"$domain\"'"
t6=$EPOCHREALTIME

# 7. workflow
mkdir -p "$repo/.github/workflows"
cat >"$repo/.github/workflows/$project-$envname.yml" <<EOF
name: deploy $project ($envname)
on:
  push:
    branches: [main]
jobs:
  deploy:
    runs-on: [self-hosted, app1]
    steps:
      - uses: actions/checkout@v4
      - run: docker build -t $project:\${{ github.sha }} .
      - run: we deploy $project --env $envname --image $project:\${{ github.sha }}
EOF
t7=$EPOCHREALTIME

# 8. TLS
https=$CODEB_TEST_CADDY_HTTPS_PORT
for i in $(seq 1 600); do
  if curl -sk -o /dev/null --max-time 2 --resolve "$domain:$https:127.0.0.1" "https://$domain:$https/"; then break; fi
  [ "$i" -lt 600 ] || { echo "init-by-hand: no TLS handshake for $domain within 60 s" >&2; exit 1; }
  sleep 0.1
done
issuer=$(openssl s_client -connect "127.0.0.1:$https" -servername "$domain" </dev/null 2>/dev/null \
  | openssl x509 -noout -issuer)
[ -n "$issuer" ] || { echo "init-by-hand: no certificate for $domain" >&2; exit 1; }
t8=$EPOCHREALTIME
echo "ports=$(ms "$t0" "$t1") db=$(ms "$t1" "$t2") env=$(ms "$t2" "$t3") fw=$(ms "$t3" "$t4") dns=$(ms "$t4" "$t5") site=$(ms "$t5" "$t6") wf=$(ms "$t6" "$t7") tls=$(ms "$t7" "$t8")"
