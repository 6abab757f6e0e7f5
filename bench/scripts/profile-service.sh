#!/usr/bin/env bash
# Where the service's CPU goes under one workload of the side-by-side: runs the load generator against the service
# alone, waits for the load to settle, records the service with perf for a while, and prints the shares by part of
# the system (bench/scripts/cpu-shares.py) with the service's CPU microseconds per notification over the same window.
#   bench/scripts/profile-service.sh WORKLOAD [SECONDS] [SETTLE_SECONDS]
# WORKLOAD is storm, changes or single. HELPDESK_SERVICE_DLL profiles another build; PERF_DATA keeps the recording
# there (perf report -i it for the functions). Needs perf (linux-perf) and a
# Release build (./build.sh test or dotnet build -c Release). The profile's settings cost the service some speed:
# compare profiles with each other, rates with the side-by-side.
set -euo pipefail
trap 'echo "profile-service.sh: stopped at line $LINENO (see above)" >&2' ERR
workload=${1:?usage: profile-service.sh storm|changes|single [SECONDS] [SETTLE_SECONDS]}
seconds=${2:-10}
settle=${3:-20}
repo=$(cd "$(dirname "$0")/../.." && pwd)
generator="$repo/bench/Helpdesk.Monitoring.LoadGenerator/bin/Release/net10.0/Helpdesk.Monitoring.LoadGenerator.dll"
[ -f "$generator" ] || { echo "no Release build of the load generator: run dotnet build -c Release first" >&2; exit 1; }
command -v perf >/dev/null || { echo "perf is not installed (apt-get install linux-perf)" >&2; exit 1; }
work=$(mktemp -d)
trap 'kill -- -$generator_pid 2>/dev/null || true; rm -rf "$work"' EXIT

# Names for code compiled at run time; the double mapping of that code off so perf can read it.
export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
setsid dotnet "$generator" side-by-side --systems helpdesk --workloads "$workload" --runs 1 \
  --duration $((settle + seconds + 10)) >"$work/generator.log" 2>&1 &
generator_pid=$!

pid=""
for _ in $(seq 1 600); do
  pid=$(pgrep -n -f 'helpdesk-service.dll' || true)
  [ -n "$pid" ] && break
  sleep 0.1
done
[ -n "$pid" ] || { echo "the service did not start; the generator said:" >&2; cat "$work/generator.log" >&2; exit 1; }
sleep "$settle"

port=$(ss -ltnpH | awk -v pid="pid=$pid," '$0 ~ pid { n = split($4, a, ":"); print a[n]; exit }')
ingested() { curl -fs "http://127.0.0.1:$port/metrics" | awk '/^helpdesk_notifications_ingested_total/ { s += $2 } END { printf "%d\n", s }'; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
before_n=$(ingested); before_cpu=$(cpu_ticks)
perf record -q -F 499 -g -p "$pid" -o "$work/perf.data" -- sleep "$seconds" 2>/dev/null
after_n=$(ingested); after_cpu=$(cpu_ticks)

ticks=$(getconf CLK_TCK)
per=$(python3 -c "print(($after_cpu - $before_cpu) / $ticks * 1e6 / max(1, $after_n - $before_n))")
rate=$(python3 -c "print(round(($after_n - $before_n) / $seconds))")
echo "$workload: $rate notifications/s while recorded, $(printf '%.2f' "$per") CPU µs per notification (service, /proc)"
"$repo/bench/scripts/cpu-shares.py" "$work/perf.data" --per-unit "$per"
if [ -n "${PERF_DATA:-}" ]; then cp "$work/perf.data" "$PERF_DATA"; fi
