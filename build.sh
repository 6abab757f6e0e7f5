#!/usr/bin/env bash
# Helpdesk.Monitoring set-up and entry points. Idempotent; fails loudly with the reason.
#   ./build.sh run     set up what is missing, build, run the service on the embedded default (SQLite + spool)
#   ./build.sh test    set up what is missing, build, run the whole test suite
#   ./build.sh bench   run the BenchmarkDotNet suite (results in bench/results/)
#   ./build.sh load    run the embedded load generator against a fresh service
#   ./build.sh install     publish and install for production: users, folders, keys, systemd units (docs/install.md)
#   ./build.sh uninstall   remove programs and units; keep configuration, keys and data
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
CONFIG=${CONFIG:-Release}

say()  { printf '==> %s\n' "$*" >&2; }
fail() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

# Debian packages the given mode needs, installed only when missing.
apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || fail "need root (or sudo) to install: ${missing[*]}"
    sudo="sudo"
  fi
  say "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq || fail "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || fail "apt-get install ${missing[*]} failed"
}

check_dotnet() {
  command -v dotnet >/dev/null 2>&1 || fail "the .NET SDK 10 is not installed (dotnet not on PATH)"
  dotnet --list-sdks | grep '^10\.' >/dev/null || fail "the .NET SDK 10.0 is required; found: $(dotnet --list-sdks | tr '\n' ' ')"
}

# The Kafka client's bundled librdkafka (librdkafka.redist) is a Red Hat-style build: it links libsasl2.so.3, the
# name Red Hat gives Cyrus SASL. Debian ships the same library as libsasl2.so.2. A folder holding a libsasl2.so.3
# link to it, on the library path of every process that loads librdkafka, lets the bundled library load; without
# it the client would fall back to whatever librdkafka the system has, or fail.
native_shim() {
  apt_install libsasl2-2
  local sasl
  # awk reads to the end: exiting at the first match would make ldconfig die of SIGPIPE and, under pipefail, fail this.
  sasl=$(ldconfig -p | awk '/libsasl2\.so\.2 / && !found {print $NF; found = 1}')
  [ -n "$sasl" ] || fail "libsasl2.so.2 (Debian's libsasl2-2) not found by ldconfig"
  mkdir -p artifacts/native
  ln -sfn "$sasl" artifacts/native/libsasl2.so.3
  export LD_LIBRARY_PATH="$ROOT/artifacts/native${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
}

build() {
  check_dotnet
  native_shim
  say "building ($CONFIG)"
  dotnet build Helpdesk.Monitoring.sln -c "$CONFIG" --nologo -v q -clp:ErrorsOnly || fail "build failed"
}

# The `helpdesk` command as Nagios servers run it: native code (start-up is its whole cost), in artifacts/cli.
publish_cli() {
  # Native compilation links with clang and zlib (Debian 12 names them clang-14 and zlib1g-dev).
  apt_install clang-14 zlib1g-dev
  say "publishing the native helpdesk command to artifacts/cli"
  dotnet publish src/Helpdesk.Monitoring.Cli -c Release -r "$(rid)" -o artifacts/cli --nologo -v q -clp:ErrorsOnly \
    -p:DebugType=none >/dev/null || fail "publishing the native helpdesk command failed"
  rm -f artifacts/cli/*.dbg
}

rid() {
  case "$(uname -m)" in
    x86_64) echo linux-x64 ;;
    aarch64) echo linux-arm64 ;;
    *) fail "no native build for $(uname -m): use x86_64 or aarch64" ;;
  esac
}

run() {
  build
  publish_cli
  mkdir -p var
  # Keys for writes, kept in files only the owner reads and never printed: the ingest key for POSTing notifications,
  # the agent key for acknowledging and resolving.
  HELPDESK_INGEST_KEY=${HELPDESK_INGEST_KEY:-$(key_file var/ingest-key)}
  HELPDESK_AGENT_KEY=${HELPDESK_AGENT_KEY:-$(key_file var/agent-key)}
  export HELPDESK_INGEST_KEY HELPDESK_AGENT_KEY
  say "ingest key (POST /api/v1/notifications) in var/ingest-key; agent key (tools that say who acts in \"by\") in var/agent-key"
  # A first person for the board: admin, with an API token kept like the keys (shown once by helpdesk users, so kept here).
  if [ ! -s var/admin-token ]; then
    (umask 077; artifacts/cli/helpdesk users add admin --role admin --display-name "Administrator" --users-file var/users.json > var/admin-token 2>/dev/null \
      || artifacts/cli/helpdesk users token admin --users-file var/users.json > var/admin-token) \
      || fail "could not add the first user (admin) to var/users.json"
  fi
  say "board: http://127.0.0.1:8080/ (sign in with the API token in var/admin-token, or set a password: artifacts/cli/helpdesk users password admin --users-file var/users.json)"
  # A 16 MiB gen0 budget: fewer, shorter GC pauses under alert storms (docs/configuration.md, "Tuning"); the runtimeconfig cannot set it.
  export DOTNET_GCgen0size=${DOTNET_GCgen0size:-0x1000000}
  say "helpdesk-service on ${HELPDESK_URLS:-http://127.0.0.1:8080}; spool: var/spool; store: var/helpdesk.db; notify with artifacts/cli/helpdesk"
  exec dotnet "src/Helpdesk.Monitoring.Service/bin/$CONFIG/net10.0/helpdesk-service.dll" \
    --urls "${HELPDESK_URLS:-http://127.0.0.1:8080}" --Helpdesk:DataDirectory "$ROOT/var" "$@"
}

# Prints the key kept in $1, making one (mode 600) the first time.
key_file() {
  [ -s "$1" ] || (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$1")
  cat "$1"
}

test_all() {
  # promtool checks /metrics; a real Nagios 4 drives the end-to-end tests; the Kafka tests use librdkafka's mock
  # cluster from the client's own bundled library; the shared-state tests start their own redis-server; the install
  # test verifies units with systemd-analyze; docker-compose (no engine) validates the container stack; strace shows
  # that a durable write really fsyncs the file and its folder; Debian's chromium runs the board's browser tests
  # (Playwright drives it; no browser is ever downloaded); kill (procps) sends the hang-up the unit's ExecReload sends.
  apt_install prometheus nagios4-core redis-server systemd time docker-compose openssl strace python3-aiosmtpd chromium procps
  command -v promtool >/dev/null 2>&1 || fail "promtool missing after installing prometheus"
  [ -x /usr/sbin/nagios4 ] || fail "nagios4 missing after installing nagios4-core"
  build
  publish_install
  local log status=0 runner
  log=$(mktemp)
  say "running the test suite"
  # The run gets a session of its own and writes to a file that is shown as it grows. A test that hangs is named and
  # its test host stopped after 10 minutes (no single test takes one); the whole run is stopped after 45 (it takes
  # about 11). Nothing a test started and left behind can then hold the run open: it would hold a pipe to tee, never
  # the file, and it is listed and stopped below. (setsid forks only when it is a group leader, which a background job
  # of a script is not; --wait keeps the run's exit status then too.)
  setsid --wait timeout --kill-after=30s 45m dotnet test Helpdesk.Monitoring.sln -c "$CONFIG" --no-build --nologo \
    --blame-hang --blame-hang-timeout 10m --blame-hang-dump-type none > "$log" 2>&1 < /dev/null &
  runner=$!
  tail -n +1 -f --pid="$runner" "$log" || true
  wait "$runner" || status=$?
  case $status in 124|137) say "the test suite did not finish in 45 minutes and was stopped" ;; esac
  leftovers "$runner"
  # One closing line for CI: the sum over every test project.
  awk '/^(Passed|Failed)!/ {
         for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1));
           if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
       END { printf "%d passed, %d failed, %d skipped\n", p, f, s; if (p == 0) exit 1 }' "$log" || status=1
  rm -f "$log"
  return $status
}

# Lists and stops what is still running in the test run's session after it ended: a server or program a test
# started and did not stop. It is a fixture's mistake, told here so it can be mended, not left to slow the machine.
leftovers() {
  local left
  # Zombies are left out: they are dead already, waiting for a parent that is gone to collect their exit code.
  left=$(ps -o pid=,stat=,args= -s "$1" 2>/dev/null | awk '$2 !~ /^Z/' || true)
  [ -n "$left" ] || return 0
  say "still running after the tests, started by them and now stopped:"
  printf '%s\n' "$left" >&2
  pkill -KILL -s "$1" 2>/dev/null || true
}

# Production install: the service and relay (framework-dependent, on the machine's .NET 10 runtime) and the native
# helpdesk command, laid out and wired by the installer (users, folders, keys, units).
install_production() {
  check_dotnet
  native_shim
  publish_install
  src/Helpdesk.Monitoring.Service/deploy/install.sh install "$ROOT/artifacts/install"
}

# What the installer lays out, in artifacts/install: service/, relay/ and cli/ (the test suite installs it too).
publish_install() {
  local out=artifacts/install
  rm -rf "$out"
  say "publishing the service and the relay to $out"
  dotnet publish src/Helpdesk.Monitoring.Service -c Release -o "$out/service" --nologo -v q -clp:ErrorsOnly >/dev/null || fail "publishing the service failed"
  dotnet publish src/Helpdesk.Monitoring.Relay -c Release -o "$out/relay" --nologo -v q -clp:ErrorsOnly >/dev/null || fail "publishing the relay failed"
  publish_cli
  mkdir -p "$out/cli" && cp artifacts/cli/helpdesk "$out/cli/helpdesk"
}

bench() {
  build
  dotnet run -c Release --project bench/Helpdesk.Monitoring.Benchmarks --no-build -- "$@"
}

load() {
  build
  dotnet run -c Release --project bench/Helpdesk.Monitoring.LoadGenerator --no-build -- "$@"
}

case "${1:-}" in
  run)   shift; run "$@" ;;
  test)  shift; test_all ;;
  bench) shift; bench "$@" ;;
  load)  shift; load "$@" ;;
  install)   install_production ;;
  uninstall) src/Helpdesk.Monitoring.Service/deploy/install.sh uninstall ;;
  *) fail "usage: ./build.sh run|test|bench|load|install|uninstall" ;;
esac
