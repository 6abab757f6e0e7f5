#!/usr/bin/env bash
# The service for half an hour at half its capacity with a helpdesk's day compressed on top (opens, repeats,
# acknowledgements, recoveries, flapping, a router outage, a storm, agents acting, deliveries to a webhook that is
# sometimes slow and sometimes down, incidents archived as they age), sampled every ten seconds, then plotted.
#   bench/scripts/soak.sh [--minutes 30] [--rate 20000] [--out-dir bench/results]
# Writes soak.csv, soak.md (the verdict) and soak.png there. Installs Debian's python3-matplotlib when it is missing
# (as root, or with sudo); plots with Debian's own /usr/bin/python3, which has it. Exits non-zero when a check failed.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! /usr/bin/python3 -c "import matplotlib" 2>/dev/null; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends python3-matplotlib >/dev/null
fi
out=bench/results
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do [ "${args[$i]}" = "--out-dir" ] && out=${args[$((i + 1))]}; done
dotnet build -c Release src/Helpdesk.Monitoring.Service -v q -nologo >/dev/null
dotnet build -c Release bench/Helpdesk.Monitoring.LoadGenerator -v q -nologo >/dev/null
status=0
dotnet bench/Helpdesk.Monitoring.LoadGenerator/bin/Release/net10.0/Helpdesk.Monitoring.LoadGenerator.dll soak "$@" 2>/dev/null || status=$?
/usr/bin/python3 bench/scripts/soak-plot.py "$out/soak.csv" "$out/soak.png"
exit $status
