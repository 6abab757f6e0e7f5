#!/usr/bin/env bash
# Makes a spool backlog with the `helpdesk notify` of older releases: each commit's notification command is built
# and run the way Nagios runs it (NAGIOS_* macros, --instance, --spool), and what it left in the spool is kept here
# under the commit's name. The upgrade test puts a backlog beside the store that commit's service made and starts
# today's service on both.
#   tests/Helpdesk.Monitoring.IntegrationTests/Fixtures/spools/make-spool-fixtures.sh [COMMIT ...]
# The notifications continue the schema fixtures' story (fs01, db01 on nagios-a, customer acme).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(git -C "$here" rev-parse --show-toplevel)
commits=("$@")
[ ${#commits[@]} -gt 0 ] || commits=(34d1392 556a87c)
for commit in "${commits[@]}"; do
  work=$(mktemp -d); spool=$(mktemp -d)
  git -C "$repo" worktree add -q --detach "$work" "$commit"
  echo "notify of $commit: building"
  (cd "$work" && dotnet build -c Release src/Helpdesk.Monitoring.Cli -v q -nologo -clp:ErrorsOnly >/dev/null) || { echo "$commit does not build" >&2; exit 1; }
  cli=$(find "$work/src/Helpdesk.Monitoring.Cli/bin/Release" -name helpdesk.dll | head -1)
  notify() { # type host service state output [author comment]
    env -i PATH="$PATH" HOME="$HOME" DOTNET_CLI_HOME="${DOTNET_CLI_HOME:-$HOME}" \
      NAGIOS_NOTIFICATIONTYPE="$1" NAGIOS_HOSTNAME="$2" NAGIOS_SERVICEDESC="$3" NAGIOS_SERVICESTATE="$4" NAGIOS_SERVICEOUTPUT="$5" \
      NAGIOS_HOSTSTATE=UP NAGIOS_SERVICESTATETYPE=HARD NAGIOS_HOSTSTATETYPE=HARD NAGIOS_TIMET="$(date +%s)" NAGIOS_NOTIFICATIONNUMBER=2 \
      NAGIOS_NOTIFICATIONAUTHOR="${6:-}" NAGIOS_NOTIFICATIONCOMMENT="${7:-}" NAGIOS__HOSTCUSTOMER=acme \
      dotnet "$cli" notify --instance nagios-a --spool "$spool" --var _HOSTCUSTOMER=acme
  }
  # A repeat of fs01's failing disk, an acknowledgement of db01's, and a new problem on mail01.
  notify PROBLEM fs01 Disk CRITICAL 'DISK CRITICAL - 1% free'
  notify ACKNOWLEDGEMENT db01 Disk WARNING 'DISK WARNING - 9% free' alice 'ordering a disk'
  notify PROBLEM mail01 SMTP CRITICAL 'SMTP CRITICAL - connection refused'
  rm -rf "${here:?}/$commit"; mkdir -p "$here/$commit"
  (cd "$spool" && find . -type f ! -path './tmp/*' -exec cp --parents {} "$here/$commit/" \;)
  echo "$commit: $(find "$here/$commit" -type f | wc -l) spool files"
  git -C "$repo" worktree remove --force "$work"; rm -rf "$spool"
done
