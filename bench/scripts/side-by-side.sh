#!/usr/bin/env bash
# The helpdesk service and Prometheus Alertmanager side by side: the same estate, workloads, batch sizes and
# connection counts from one generator, the two systems alternating, each run on a fresh data directory.
#   bench/scripts/side-by-side.sh [--runs 3] [--duration 20] [--workloads storm,changes,single] [--synchronous FULL]
#                                 [--customers 50] [--hosts 200] [--out FILE]
# Installs Debian's prometheus-alertmanager when it is missing (as root, or with sudo). The generator starts its own
# Alertmanager on a free loopback port; one the package may have started as a system service is left alone.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -x /usr/bin/prometheus-alertmanager ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends prometheus-alertmanager >/dev/null
fi
dotnet build -c Release src/Helpdesk.Monitoring.Service -v q -nologo >/dev/null
dotnet build -c Release bench/Helpdesk.Monitoring.LoadGenerator -v q -nologo >/dev/null
exec dotnet bench/Helpdesk.Monitoring.LoadGenerator/bin/Release/net10.0/Helpdesk.Monitoring.LoadGenerator.dll side-by-side "$@"
