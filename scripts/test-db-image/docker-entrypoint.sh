#!/bin/sh
# Entrypoint of the test environment's database image (Debian bookworm's postgresql-15 and
# redis-server): it behaves like the official postgres and redis images' entrypoints for what
# CodeB relies on.
#
#   postgres ARGS...      first start (no PG_VERSION in $PGDATA): initdb with the superuser
#                         $POSTGRES_USER (default postgres) and the password $POSTGRES_PASSWORD,
#                         local socket connections trusted, host connections by scram-sha-256
#                         from any address; then runs postgres ARGS as the postgres user.
#   redis-server ARGS...  /data owned by the redis user, then redis-server ARGS as that user.
#   anything else         run as given (the official images do the same), so
#                         "sh -c 'exec docker-entrypoint.sh redis-server ...'" works as there.
#
# Differences from the official images: no /docker-entrypoint-initdb.d scripts, no POSTGRES_DB
# (CodeB creates its database itself), no POSTGRES_PASSWORD_FILE, and Redis has no default
# config file (as in the official image, everything comes from the arguments).
set -eu

if [ "${1:-}" = postgres ]; then
  PGDATA="${PGDATA:-/var/lib/postgresql/data}"
  export PGDATA
  mkdir -p "$PGDATA" /var/run/postgresql
  chown postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 0700 "$PGDATA"
  chmod 2775 /var/run/postgresql
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    if [ -z "${POSTGRES_PASSWORD:-}" ]; then
      echo "error: database is uninitialized and POSTGRES_PASSWORD is not set" >&2
      exit 1
    fi
    pwfile=$(mktemp)
    printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
    chown postgres "$pwfile"
    setpriv --reuid=postgres --regid=postgres --init-groups \
      initdb --username="${POSTGRES_USER:-postgres}" --pwfile="$pwfile" \
        --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 -D "$PGDATA" >/dev/null
    rm -f "$pwfile"
    printf '\nhost all all all scram-sha-256\n' >>"$PGDATA/pg_hba.conf"
    printf "listen_addresses = '*'\n" >>"$PGDATA/postgresql.conf"
  fi
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$@"
fi

if [ "${1:-}" = redis-server ]; then
  mkdir -p /data
  chown -R redis:redis /data
  cd /data
  exec setpriv --reuid=redis --regid=redis --init-groups "$@"
fi

exec "$@"
