#!/usr/bin/env bash
# The project's test command: start the real engines (scripts/test-env.sh up), run the Maven build
# against them, and always stop them again. Extra arguments go to Maven, e.g.
#   scripts/test.sh -Dtest=CaddyClientIT
# CI is passed through as it is set (CI=true on the CI machine).
# CODEB_TEST_KEEP_ENV=1 leaves the environment running afterwards (for a quick re-run).
# CODEB_MVN overrides the Maven command (default: mvn).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TEST_ENV="$ROOT/scripts/test-env.sh"
export CODEB_TEST_STATE="${CODEB_TEST_STATE:-/tmp/codeb-test-env}"

cleanup() {
  if [ "${CODEB_TEST_KEEP_ENV:-}" = 1 ]; then
    echo "[test.sh] CODEB_TEST_KEEP_ENV=1: leaving the test environment up ($CODEB_TEST_STATE/env)"
  else
    bash "$TEST_ENV" down || echo "[test.sh] warning: scripts/test-env.sh down failed" >&2
  fi
}
trap cleanup EXIT

bash "$TEST_ENV" up
# shellcheck disable=SC1091
source "$CODEB_TEST_STATE/env"

cd "$ROOT"
rc=0
${CODEB_MVN:-mvn} -B -ntp verify "$@" || rc=$?
echo "[test.sh] maven exited with $rc"
exit "$rc"
