#!/usr/bin/env bash
# Benchmark 6: `we init` for a new project with Postgres and Redis on the loopback fleet of
# scripts/test-env.sh (app1 = sshd-a + dockerd, db1 = sshd-c + the storage dockerd, edge =
# sshd-b + Caddy + PowerDNS, the firewall on bench/vultr-standin.py), next to
# bench/init-by-hand.sh doing the same eight steps with ssh, docker, curl, psql and jq, in the
# same run, alternated round by round (which goes first alternates too). A new project per
# round and method; each is removed, untimed, after its round (`we destroy --delete-data`, or
# the by-hand undo below). Then `we init --plan` on a fully set-up project (the warm-up's),
# the "nothing to do" path, timed as a whole process.
#
#   bench/init-vs-script.sh [N] [PLAN_RUNS]   (default 5 and 10; needs: source /tmp/codeb-test-env/env,
#                                             and a built checkout: mvn -q -o -DskipTests package -pl codeb-cli -am)
# Output: $BENCH_OUT/init.csv (round,method,ms,phases) and a summary on stdout.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N=${1:-5}
PLAN_RUNS=${2:-10}
OUT=${BENCH_OUT:-$ROOT/codeb-bench/target/results}
mkdir -p "$OUT"
# shellcheck source=bench/init-fleet.sh
source "$ROOT/bench/init-fleet.sh"

undo_by_hand() { # PROJECT: what init-by-hand.sh made, untimed
  local p=$1 sd="/usr/bin/docker -H $CODEB_TEST_STORAGE_DOCKER_HOST" id
  $sd rm -f "$p-production-postgres" "$p-production-redis" >/dev/null 2>&1 || true
  $sd volume rm "$p-production-postgres-data" "$p-production-redis-data" >/dev/null 2>&1 || true
  curl -fsS -o /dev/null -X DELETE "$CODEB_TEST_CADDY_ADMIN/id/bench-sh-$p" || true
  curl -fsS -o /dev/null -H "X-API-Key: $CODEB_TEST_PDNS_API_KEY" -H 'Content-Type: application/json' \
    -X PATCH "$CODEB_TEST_PDNS_API/api/v1/servers/localhost/zones/$zone." \
    -d "{\"rrsets\":[{\"name\":\"www.$p.$zone.\",\"type\":\"A\",\"changetype\":\"DELETE\"},{\"name\":\"_codeb.www.$p.$zone.\",\"type\":\"TXT\",\"changetype\":\"DELETE\"}]}" || true
  for id in $(curl -fsS -H "Authorization: Bearer $VULTR_KEY" "$VULTR_URL/firewalls/$VULTR_GROUP/rules" \
      | jq -r --arg p "$p" '.firewall_rules[] | select(.notes == $p) | .id'); do
    curl -fsS -o /dev/null -X DELETE -H "Authorization: Bearer $VULTR_KEY" "$VULTR_URL/firewalls/$VULTR_GROUP/rules/$id"
  done
  rm -f "$ENV_DIR/$p-production.env"
}

cleanup() {
  for f in "$work"/done-*; do
    [ -e "$f" ] || continue
    p=${f##*/done-}
    case "$p" in bs*) undo_by_hand "$p" ;; *) "$WE" --config "$work/fleet.yaml" destroy "$p" --env production --yes --delete-data >/dev/null 2>&1 || true ;; esac
  done
  close_masters
  init_fleet_down
}
trap cleanup EXIT

close_masters() {
  local s
  for s in "$BENCH_SSH_CONTROL"/*; do [ -S "$s" ] && ssh -o ControlPath="$s" -O exit x 2>/dev/null || true; done
}
now_us() { echo "${EPOCHREALTIME/./}"; }
csv="$OUT/init.csv"
echo "round,method,ms,phases" >"$csv"

# Untimed warm-up: the project --plan is timed on (left set up until the end); it also makes
# the Caddy server and TLS policy both methods add routes to, and the zone.
touch "$work/done-warm$suffix"
mkdir -p "$work/repo-warm$suffix"
we_init "warm$suffix" >"$work/warm.out" 2>&1 || { cat "$work/warm.out" >&2; exit 1; }

run_script() { # round
  local p="bs$1$suffix" t0 t1 phases
  touch "$work/done-$p"
  mkdir -p "$work/repo-$p"
  t0=$(now_us)
  phases=$(bash "$ROOT/bench/init-by-hand.sh" "$p" "www.$p.$zone" "$work/repo-$p")
  t1=$(now_us)
  echo "$1,script,$(( (t1 - t0) / 1000 )),$phases" >>"$csv"
  # Its SSH master connections go with it (untimed), as `we`'s go with its process: each run
  # of either method logs in to each server once.
  close_masters
  undo_by_hand "$p"
  rm -f "$work/done-$p"
}
# Each output line of `we init` with the time it arrived (µs): "[i/8] STEP ..." is printed when
# step i has been planned, so the gaps between those lines are the steps' times (apply of one,
# plan of the next); "start" is the JVM, the set-up and the first plan.
stamp() { while IFS= read -r l; do printf '%s %s\n' "${EPOCHREALTIME/./}" "$l"; done; }
we_phases() { # T0 T1 FILE
  awk -v t0="$1" -v t1="$2" '
    $2 ~ /^\[[0-9]+\/[0-9]+\]$/ { n++; ts[n] = $1; name[n] = $3 }
    END {
      prev = t0; label = "start"
      for (i = 1; i <= n; i++) { printf "%s=%.1f ", label, (ts[i] - prev) / 1000; prev = ts[i]; label = name[i] }
      printf "%s=%.1f\n", label, (t1 - prev) / 1000
    }' "$3"
}
run_we() { # round
  local p="bw$1$suffix" t0 t1
  touch "$work/done-$p"
  mkdir -p "$work/repo-$p"
  t0=$(now_us)
  we_init "$p" 2>&1 | stamp >"$work/we-$1.out" || { cat "$work/we-$1.out" >&2; exit 1; }
  t1=$(now_us)
  echo "$1,we,$(( (t1 - t0) / 1000 )),$(we_phases "$t0" "$t1" "$work/we-$1.out")" >>"$csv"
  "$WE" --config "$work/fleet.yaml" destroy "$p" --env production --yes --delete-data >/dev/null
  rm -f "$work/done-$p"
}

for i in $(seq 1 "$N"); do
  if [ $((i % 2)) -eq 1 ]; then run_script "$i"; run_we "$i"; else run_we "$i"; run_script "$i"; fi
done

for i in $(seq 1 "$PLAN_RUNS"); do
  t0=$(now_us)
  we_init "warm$suffix" --plan >"$work/plan.out" 2>&1 || { cat "$work/plan.out" >&2; exit 1; }
  t1=$(now_us)
  grep -q "nothing to do" "$work/plan.out" || { echo "--plan on the set-up project found work:" >&2; cat "$work/plan.out" >&2; exit 1; }
  echo "$i,plan,$(( (t1 - t0) / 1000 )),-" >>"$csv"
done

python3 - "$csv" <<'EOF'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
def q(xs, f):
    xs = sorted(xs); k = (len(xs) - 1) * f; i = int(k)
    return xs[i] + (xs[min(i + 1, len(xs) - 1)] - xs[i]) * (k - i)
by = {}
for r in rows: by.setdefault(r["method"], []).append(int(r["ms"]))
for m, xs in by.items():
    print(f"{m:7s} n={len(xs):2d} median {statistics.median(xs):8.1f} ms  p25 {q(xs,.25):8.1f}  p75 {q(xs,.75):8.1f}  min {min(xs)}")
if "we" in by and "script" in by:
    print(f"we / script (medians): {statistics.median(by['we']) / statistics.median(by['script']):.2f}x")
    pairs = {}
    for r in rows:
        if r["method"] in ("we", "script"): pairs.setdefault(r["round"], {})[r["method"]] = int(r["ms"])
    ratios = [p["we"] / p["script"] for p in pairs.values() if len(p) == 2]
    print(f"paired we/script per round: median {statistics.median(ratios):.2f}x  ({', '.join(f'{x:.2f}' for x in ratios)})")
for r in rows:
    if r["method"] in ("script", "we"): print(f"{r['method']:6s} phases round", r["round"], r["phases"])
EOF
