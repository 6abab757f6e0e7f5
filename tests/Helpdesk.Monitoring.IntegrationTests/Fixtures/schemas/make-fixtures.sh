#!/usr/bin/env bash
# Makes one SQLite store per schema version that ever landed, each by the code of the last commit that had it:
# that commit's service is built, started on an empty data directory, fed the same notifications over HTTP, stopped,
# and its database compacted into vN.db here. The upgrade test starts today's service on each.
#   tests/Helpdesk.Monitoring.IntegrationTests/Fixtures/schemas/make-fixtures.sh [VERSION:COMMIT ...]
# Run it again only to add the fixture of a new schema version (pass just that one); the others are kept in git.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(git -C "$here" rev-parse --show-toplevel)
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(1:fa52161 2:491f4bc 3:e4f27b5 4:63a5a90 5:84ad806 6:875d876 7:f197cd1 8:556a87c 9:789e813 10:d997a97 11:61f6e30 12:79f6b2d 13:954c204)
uuid() { cat /proc/sys/kernel/random/uuid; }
record() { # type host service state output timet
  local service_fields=""
  [ -n "$3" ] && service_fields=',"service":"'"$3"'","serviceState":"'"$4"'","serviceStateType":"HARD","serviceOutput":"'"$5"'"'
  local host_state="UP"; [ -z "$3" ] && host_state="$4"
  printf '{"v":1,"id":"%s","instance":"nagios-a","type":"%s","timet":%s,"host":"%s","hostState":"%s","hostStateType":"HARD","hostOutput":"%s"%s,"vars":{"_HOSTCUSTOMER":"acme"}}' \
    "$(uuid)" "$1" "$6" "$2" "$host_state" "$5" "$service_fields"
}
for pair in "${versions[@]}"; do
  version=${pair%%:*}; commit=${pair#*:}
  work=$(mktemp -d); data=$(mktemp -d)
  git -C "$repo" worktree add -q --detach "$work" "$commit"
  echo "schema v$version: building $commit"
  (cd "$work" && dotnet build -c Release src/Helpdesk.Monitoring.Service -v q -nologo -clp:ErrorsOnly >/dev/null) || { echo "v$version: $commit does not build" >&2; exit 1; }
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  (cd "$data" && HELPDESK_INGEST_KEY=fixture-key Helpdesk__DataDirectory="$data" exec \
    dotnet "$work/src/Helpdesk.Monitoring.Service/bin/Release/net10.0/helpdesk-service.dll" --urls "http://127.0.0.1:$port" >"$data/service.log" 2>&1) &
  pid=$!
  for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
  now=$(date +%s)
  post() { curl -fs -H "Authorization: Bearer fixture-key" -H "Content-Type: application/json" "http://127.0.0.1:$port/api/v1/notifications" -d "$1" >/dev/null \
    || { echo "v$version refused: $1" >&2; cat "$data/service.log" >&2; exit 1; }; }
  # INC-1: a failing disk, repeated by a second contact; INC-2: HTTP that failed and recovered;
  # INC-3: a router down; INC-4: a disk that stays failing.
  post "[$(record PROBLEM fs01 Disk CRITICAL 'DISK CRITICAL - 2% free' "$now"),$(record PROBLEM fs01 Disk CRITICAL 'DISK CRITICAL - 2% free' "$now")]"
  post "[$(record PROBLEM web01 HTTP CRITICAL 'HTTP CRITICAL - timeout' "$now")]"
  post "[$(record RECOVERY web01 HTTP OK 'HTTP OK - 200' "$((now + 1))")]"
  post "[$(record PROBLEM core-rtr01 '' DOWN 'PING CRITICAL - Packet loss = 100%' "$now")]"
  post "[$(record PROBLEM db01 Disk WARNING 'DISK WARNING - 9% free' "$now")]"
  kill -TERM $pid; wait $pid || true
  python3 - "$data/helpdesk.db" "$here/v$version.db" <<'PY'
import os, sqlite3, sys
src, dst = sys.argv[1], sys.argv[2]
if os.path.exists(dst): os.remove(dst)
c = sqlite3.connect(src)
assert c.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == int(os.path.basename(dst)[1:-3]), "wrong schema version"
c.execute("VACUUM INTO ?", (dst,))
print(dst, c.execute("SELECT COUNT(*) FROM incident").fetchone()[0], "incidents")
PY
  git -C "$repo" worktree remove --force "$work"; rm -rf "$data"
done
