#!/usr/bin/env bash
# The README's main job: a tour of CodeB on a copy of the seed's SSOT file (the user's own data),
# through the `we` CLI and through jshell. Never touches /opt/codeb or any server.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "building (mvn -q -DskipTests install)"
mvn -q -B -ntp -DskipTests install

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp codeb-testkit/src/main/resources/kr/codeb/testkit/seed-ssot.json "$work/ssot.json"
export CODEB_SSOT="$work/ssot.json"

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
