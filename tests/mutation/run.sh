#!/usr/bin/env bash
# Mutation testing with Stryker.NET (a local .NET tool, see .config/dotnet-tools.json) on the code whose mistakes
# would lose or double notifications: the core's incidents and notifications, the pipeline, the spool (its reader, and the
# durable files and dead-letter folder it shares with the notification command), the Kafka offset
# tracking and the SQLite commit. Each area has its configuration here (which files, which tests); results go to
# out/<area>/reports/ and a summary with every surviving mutant to results.md.
#   tests/mutation/run.sh                 every area (about an hour on two cores)
#   tests/mutation/run.sh kafka-offsets   one area
# It builds and rewrites the test projects' outputs: do not run tests in the same checkout meanwhile.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
dotnet tool restore >/dev/null
areas=("$@")
[ ${#areas[@]} -gt 0 ] || areas=(core pipeline spool files kafka-offsets sqlite-commit)
for area in "${areas[@]}"; do
  [ -f "$here/$area.json" ] || { echo "run.sh: no configuration $area.json in $here" >&2; exit 1; }
  tests=$([ "$area" = core ] && echo Helpdesk.Monitoring.Tests || echo Helpdesk.Monitoring.IntegrationTests)
  echo "==> $area (tests: $tests)" >&2
  (cd "tests/$tests" && dotnet stryker --config-file "../mutation/$area.json" --output "../mutation/out/$area" --skip-version-check -c "${STRYKER_CONCURRENCY:-2}")
done
python3 "$here/summarize.py" "$here/out" > "$here/results.md"
echo "==> summary in tests/mutation/results.md" >&2
