# The loopback fleet `we init` runs on in the benchmarks (sourced, not run): app1 = sshd-a +
# dockerd, db1 = sshd-c + the storage dockerd, edge = sshd-b + Caddy + PowerDNS, the firewall
# group on bench/vultr-standin.py. Needs ROOT (the checkout) and the test environment's
# variables (source /tmp/codeb-test-env/env). Sets: work (a new temporary folder), WE, zone,
# suffix, VULTR_*; defines we_init PROJECT [ARGS] and init_fleet_down (stops the stand-in,
# deletes the zone, the Caddy server and the folder; the caller removes its projects first).
: "${CODEB_TEST_STORAGE_DOCKER_HOST:?source /tmp/codeb-test-env/env first}"
work=$(mktemp -d /tmp/codeb-bench-init.XXXXXX)
export CODEB_DAEMON=off
export BENCH_SSH_CONTROL=$work/ssh
export SSOT=$work/ssot.json ENV_DIR=$work/env CADDY_SERVER=codeb-bench
export VULTR_KEY=bench-key-$RANDOM$RANDOM
export CODEB_VULTR_API_KEY=$VULTR_KEY CODEB_POWERDNS_API_KEY=$CODEB_TEST_PDNS_API_KEY
export CODEB_DB_DIR=$work/db
WE="$ROOT/bin/we"
suffix=$(printf '%04x' $((RANDOM % 65536)))
zone=codeb-bench$suffix.test
export ZONE=$zone

python3 "$ROOT/bench/vultr-standin.py" 0 bench-storage "$VULTR_KEY" >"$work/vultr.out" 2>"$work/vultr.err" &
vultr_pid=$!
for _ in $(seq 1 50); do [ "$(wc -l <"$work/vultr.out")" -ge 2 ] && break; sleep 0.1; done
vultr_port=$(sed -n 1p "$work/vultr.out")
export VULTR_GROUP=$(sed -n 2p "$work/vultr.out")
export VULTR_URL=http://127.0.0.1:$vultr_port/v2

app_start=$((47000 + RANDOM % 500 * 2))
storage_start=$((52000 + RANDOM % 400 * 20))
cat >"$SSOT" <<EOF
{"version":"7.0.0","portRanges":{"production":{"start":$app_start,"end":$((app_start + 399))},"storage":{"start":$storage_start,"end":$((storage_start + 199))}},"projects":{},"ports":{"allocated":{}}}
EOF
mkdir -p "$ENV_DIR" "$BENCH_SSH_CONTROL"
cat >"$work/fleet.yaml" <<EOF
ssot: $SSOT
envDir: $ENV_DIR
providers:
  firewall: vultr+$VULTR_URL
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
    public: 127.0.0.13
    private: $CODEB_TEST_STORAGE_PRIVATE_ADDRESS
    firewallGroup: $VULTR_GROUP
    ssh: 127.0.0.13:$CODEB_TEST_SSH_PORT_C
    engines: { runtime: "docker+$CODEB_TEST_STORAGE_DOCKER_HOST" }
  - name: edge
    roles: [edge]
    public: 127.0.0.12
    private: 127.0.0.12
    ssh: 127.0.0.12:$CODEB_TEST_SSH_PORT_B
    engines:
      proxy: "caddy+$CODEB_TEST_CADDY_ADMIN?listen=127.0.0.1:$CODEB_TEST_CADDY_HTTPS_PORT&server=$CADDY_SERVER&tls=internal"
      dns: "powerdns+$CODEB_TEST_PDNS_API?server=localhost"
EOF

we_init() { # PROJECT [more args]
  local p=$1; shift
  "$WE" --config "$work/fleet.yaml" init "$p" --domain "www.$p.$zone" --with postgres,redis \
    --repo "$work/repo-$p" --db-image "$CODEB_TEST_DB_IMAGE" \
    --tls-check "127.0.0.1:$CODEB_TEST_CADDY_HTTPS_PORT" "$@"
}

init_fleet_down() {
  # the Caddy server holds the HTTPS listener other users of the test Caddy need
  curl -fsS -o /dev/null -X DELETE "$CODEB_TEST_CADDY_ADMIN/config/apps/http/servers/$CADDY_SERVER" 2>/dev/null || true
  curl -fsS -o /dev/null -X DELETE "$CODEB_TEST_CADDY_ADMIN/id/codeb-tls-$CADDY_SERVER" 2>/dev/null || true
  curl -fsS -o /dev/null -H "X-API-Key: $CODEB_TEST_PDNS_API_KEY" -X DELETE \
    "$CODEB_TEST_PDNS_API/api/v1/servers/localhost/zones/$zone." 2>/dev/null || true
  kill "$vultr_pid" 2>/dev/null || true
  rm -rf "$work"
}
