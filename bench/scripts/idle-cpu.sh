#!/usr/bin/env bash
# Idle CPU of a freshly started helpdesk-service on the embedded default (spool + SQLite), with no traffic.
# Starts the Release build with its own data directory on a free loopback port, waits for /readyz, lets it settle,
# then reads the process' user+system CPU ticks from /proc over a measuring window. Prints one markdown row.
#   bench/scripts/idle-cpu.sh [seconds=30] [extra service arguments...]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-30}; shift || true
# SERVICE_DLL measures another build (an older commit, side by side).
service=${SERVICE_DLL:-src/Helpdesk.Monitoring.Service/bin/Release/net10.0/helpdesk-service.dll}
[ -f "$service" ] || { echo "idle-cpu.sh: build the solution in Release first (./build.sh test or dotnet build -c Release)" >&2; exit 1; }
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
HELPDESK_INGEST_KEY=idle-bench dotnet "$service" --urls "http://127.0.0.1:$port" --Helpdesk:DataDirectory "$data" "$@" \
  >"$data/service.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 200); do
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fs "http://127.0.0.1:$port/readyz" >/dev/null || { echo "idle-cpu.sh: the service did not become ready" >&2; cat "$data/service.log" >&2; exit 1; }
sleep 5   # let start-up work (JIT, first tick) finish
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
before=$(ticks); t0=$(date +%s.%N)
sleep "$seconds"
after=$(ticks); t1=$(date +%s.%N)
python3 - "$before" "$after" "$t0" "$t1" "$hz" "$*" <<'PY'
import sys
before, after, t0, t1, hz = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
cpu = (after - before) / hz
wall = t1 - t0
args = sys.argv[6] or "defaults"
print(f"| {args} | {wall:.0f} s | {cpu:.2f} s | {100 * cpu / wall:.2f} % of a core |")
PY
