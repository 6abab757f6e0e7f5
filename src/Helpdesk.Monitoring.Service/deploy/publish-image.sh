#!/usr/bin/env bash
# The image's publish step (the Dockerfile runs exactly this, and so does the test suite, which then starts what it
# published): the service, the helpdesk command and the relay, self-contained for linux-x64, so the runtime image is
# plain Debian 12 with no .NET installed. The helpdesk command is not compiled to native code here: a native build
# links the C library of the build image, which may be newer than Debian 12's.
#   publish-image.sh OUT    → OUT/service, OUT/cli, OUT/relay
set -euo pipefail
out=${1:?usage: publish-image.sh OUT}
root=$(cd "$(dirname "$0")/../../.." && pwd)
common=(-c Release -r linux-x64 --self-contained -p:DebugType=none --nologo -v q -clp:ErrorsOnly)
dotnet publish "$root/src/Helpdesk.Monitoring.Service" "${common[@]}" -o "$out/service"
dotnet publish "$root/src/Helpdesk.Monitoring.Cli" "${common[@]}" -p:PublishAot=false -o "$out/cli"
dotnet publish "$root/src/Helpdesk.Monitoring.Relay" "${common[@]}" -o "$out/relay"
