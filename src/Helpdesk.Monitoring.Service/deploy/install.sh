#!/usr/bin/env bash
# Installs (or uninstalls) Helpdesk.Monitoring on this machine from published programs. Run through
# `./build.sh install` / `./build.sh uninstall`, which publish first. Idempotent: a second run upgrades the programs
# and keeps configuration, keys and data.
#
#   install.sh install PUBLISHED    PUBLISHED holds service/, relay/ and cli/helpdesk
#   install.sh uninstall            removes programs and units; keeps configuration, keys, data, spool and users
#
# Settings (environment):
#   HELPDESK_USER, HELPDESK_GROUP   the service's user and the group it shares with Nagios (helpdesk, helpdesk)
#   HELPDESK_NAGIOS_USER            Nagios' user, added to the group (nagios)
#   HELPDESK_INSTANCE               this Nagios server's name in incidents (the host name)
#   HELPDESK_OBJECTS_CACHE          Nagios' object cache (default: object_cache_file from Nagios' main configuration)
#   HELPDESK_LISTEN                 where the service listens (http://127.0.0.1:8080)
#   HELPDESK_PREFIX                 install below this folder instead of / (for packaging and tests)
set -euo pipefail

say()  { printf '==> %s\n' "$*" >&2; }
fail() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
prefix=${HELPDESK_PREFIX:-}
user=${HELPDESK_USER:-helpdesk}
group=${HELPDESK_GROUP:-helpdesk}
nagios_user=${HELPDESK_NAGIOS_USER:-nagios}
instance=${HELPDESK_INSTANCE:-$(hostname -s)}
listen=${HELPDESK_LISTEN:-http://127.0.0.1:8080}

libdir=$prefix/opt/helpdesk
bindir=$prefix/usr/local/bin
plugindir=$prefix/usr/lib/nagios/plugins
confdir=$prefix/etc/helpdesk
datadir=$prefix/var/lib/helpdesk
spooldir=$prefix/var/spool/helpdesk
unitdir=$prefix/etc/systemd/system
docdir=$libdir/docs

# Every value below ends up in unit files, JSON and Nagios objects: only plain names and paths are accepted.
[[ $user =~ ^[a-z_][a-z0-9_-]{0,31}$ && $group =~ ^[a-z_][a-z0-9_-]{0,31}$ && $nagios_user =~ ^[a-z_][a-z0-9_-]{0,31}$ ]] \
  || fail "HELPDESK_USER, HELPDESK_GROUP and HELPDESK_NAGIOS_USER must be plain user names (lower-case letters, digits, _ and -)"
[[ $prefix =~ ^(/[A-Za-z0-9._-]+)*$ ]] || fail "HELPDESK_PREFIX '$prefix' must be an absolute path of plain names"
[[ $instance =~ ^[A-Za-z0-9._-]{1,64}$ ]] || fail "HELPDESK_INSTANCE '$instance' must be a plain name (letters, digits, . _ -)"
url='^https?://[][A-Za-z0-9.*+:-]+/?$'
[[ $listen =~ $url ]] || fail "HELPDESK_LISTEN '$listen' must be a URL such as http://127.0.0.1:8080"
[ "$(id -u)" -eq 0 ] || fail "run as root (it creates users, folders under /etc, /opt and /var, and systemd units)"

systemd_running() { [ -z "$prefix" ] && [ -d /run/systemd/system ]; }

objects_cache() {
  if [ -n "${HELPDESK_OBJECTS_CACHE:-}" ]; then echo "$HELPDESK_OBJECTS_CACHE"; return; fi
  local cfg
  for cfg in /etc/nagios4/nagios.cfg /etc/nagios/nagios.cfg /usr/local/nagios/etc/nagios.cfg; do
    if [ -r "$cfg" ]; then
      sed -n 's/^[[:space:]]*object_cache_file=\(.*\)$/\1/p' "$cfg" | tail -n 1
      return
    fi
  done
}

status_file() {
  if [ -n "${HELPDESK_STATUS_FILE:-}" ]; then echo "$HELPDESK_STATUS_FILE"; return; fi
  local cfg
  for cfg in /etc/nagios4/nagios.cfg /etc/nagios/nagios.cfg /usr/local/nagios/etc/nagios.cfg; do
    if [ -r "$cfg" ]; then
      sed -n 's/^[[:space:]]*status_file=\(.*\)$/\1/p' "$cfg" | tail -n 1
      return
    fi
  done
}

render() { # template → file, with this install's names and paths
  sed -e "s|@USER@|$user|g" -e "s|@GROUP@|$group|g" -e "s|@LIBDIR@|$libdir|g" -e "s|@CONFDIR@|$confdir|g" \
      -e "s|@DATADIR@|$datadir|g" -e "s|@SPOOLDIR@|$spooldir|g" -e "s|@DOCDIR@|$docdir|g" -e "s|@BINDIR@|$bindir|g" \
      -e "s|@INSTANCE@|$instance|g" "$1" > "$2"
}

# 43 letters and digits, about 256 bits, always that long (dropping base64's '/' and '+' made some keys short). Every
# stage reads its input to the end, so no stage dies of a closed pipe under pipefail.
new_key() { head -c 4096 /dev/urandom | LC_ALL=C tr -dc 'A-Za-z0-9' | cut -c 1-43; }

install_all() {
  local published=$1
  [ -f "$published/service/helpdesk-service.dll" ] && [ -f "$published/relay/helpdesk-relay.dll" ] && [ -x "$published/cli/helpdesk" ] \
    || fail "$published does not hold service/, relay/ and cli/helpdesk: run ./build.sh install, which publishes them"

  say "users: $user in group $group"
  getent group "$group" >/dev/null || groupadd --system "$group"
  id -u "$user" >/dev/null 2>&1 || useradd --system --gid "$group" --home-dir "$datadir" --no-create-home --shell /usr/sbin/nologin "$user"
  if id -u "$nagios_user" >/dev/null 2>&1; then
    usermod -a -G "$group" "$nagios_user"
    say "Nagios' user $nagios_user joins group $group (restart Nagios so its workers have the group)"
  else
    say "no user $nagios_user here: add the user Nagios runs as to group $group (HELPDESK_NAGIOS_USER names it)"
  fi

  say "folders"
  install -d -m 0755 "$libdir" "$bindir" "$plugindir" "$unitdir" "$docdir"
  install -d -m 0750 -o root -g "$group" "$confdir"
  install -d -m 0750 -o "$user" -g "$group" "$datadir"
  # The spool is shared: Nagios' user writes, the service's user reads and deletes; set-group-id keeps the group.
  install -d -m 2770 -o "$user" -g "$group" "$spooldir"
  for sub in incoming tmp rejected quarantine; do install -d -m 2770 -o "$user" -g "$group" "$spooldir/$sub"; done

  say "programs in $libdir, $bindir and $plugindir"
  for part in service relay cli; do
    rm -rf "$libdir/$part.new"
    cp -a "$published/$part" "$libdir/$part.new"
    rm -rf "$libdir/$part"
    mv "$libdir/$part.new" "$libdir/$part"
  done
  # The Kafka client's bundled librdkafka links libsasl2.so.3 (Red Hat's name); Debian's libsasl2.so.2 is the same
  # library. The units put this folder on the service's and the relay's library path.
  install -d -m 0755 "$libdir/native"
  local sasl
  sasl=$(ldconfig -p | awk '/libsasl2\.so\.2 / && !found {print $NF; found = 1}')
  if [ -n "$sasl" ]; then
    ln -sfn "$sasl" "$libdir/native/libsasl2.so.3"
  else
    say "libsasl2.so.2 not found (Debian package libsasl2-2): the Kafka mode and the relay will refuse to start until it is installed"
  fi
  chown -R root:root "$libdir"
  # The command stays in its folder beside service/ (`helpdesk store` runs the service's program); people and Nagios run the link.
  ln -sfn "$libdir/cli/helpdesk" "$bindir/helpdesk"
  ln -sfn "$libdir/relay/helpdesk-relay" "$bindir/helpdesk-relay"
  sed "s|^cli=\${HELPDESK_CLI:-/usr/local/bin/helpdesk}|cli=\${HELPDESK_CLI:-$bindir/helpdesk}|" "$repo/nagios-plugins/check_helpdesk" > "$plugindir/check_helpdesk"
  chmod 0755 "$plugindir/check_helpdesk"
  [ -d "$repo/docs" ] && cp -a "$repo/docs/." "$docdir/"

  if [ ! -s "$confdir/keys.env" ]; then
    say "keys: a new ingest key and agent key in $confdir/keys.env (mode 600, root only)"
    (umask 077; printf '# Read by systemd (as root) for the service. Rotate: replace a key, then restart the service.\nHELPDESK_INGEST_KEY=%s\nHELPDESK_AGENT_KEY=%s\n' "$(new_key)" "$(new_key)" > "$confdir/keys.env")
  else
    say "keys: $confdir/keys.env kept"
  fi
  chown root:root "$confdir/keys.env"; chmod 0600 "$confdir/keys.env"

  # People who sign in to the board: the service's group reads the file; only root (helpdesk users) changes it.
  if [ ! -e "$confdir/users.json" ]; then
    (umask 027; printf '{\n  "users": []\n}\n' > "$confdir/users.json")
    say "users: $confdir/users.json (empty: add the first person with helpdesk users add NAME --role admin)"
  fi
  chown root:"$group" "$confdir/users.json"; chmod 0640 "$confdir/users.json"

  if [ ! -e "$confdir/relay.env" ]; then
    (umask 077; printf '# The Kafka brokers helpdesk-relay ships the spool to (scale-out only).\n#HELPDESK_KAFKA_BOOTSTRAP_SERVERS=kafka1:9092,kafka2:9092\n' > "$confdir/relay.env")
  fi

  local cache status
  cache=$(objects_cache)
  [[ $cache =~ ^[A-Za-z0-9._/-]*$ ]] || fail "the Nagios object cache path '$cache' has characters this installer will not write into JSON: set HELPDESK_OBJECTS_CACHE"
  status=$(status_file)
  [[ $status =~ ^[A-Za-z0-9._/-]*$ ]] || fail "the Nagios status file path '$status' has characters this installer will not write into JSON: set HELPDESK_STATUS_FILE"
  if [ ! -e "$confdir/helpdesk.json" ]; then
    say "configuration: $confdir/helpdesk.json (objects cache: ${cache:-none found})"
    [ -n "$cache" ] || say "no Nagios object cache found: a router outage will not be correlated by parents until Helpdesk:Topology:ObjectsCachePath is set"
    cat > "$confdir/helpdesk.json" <<JSON
{
  "Urls": "$listen",
  "Helpdesk": {
    "DataDirectory": "$datadir",
    "Api": { "UsersPath": "$confdir/users.json" },
    "Spool": { "Path": "$spooldir" },
    "Topology": { "ObjectsCachePath": "$cache" }$( [ -n "$status" ] && printf ',\n    "Nagios": { "StatusFiles": { "%s": "%s" } }' "$instance" "$status" )
  }
}
JSON
  else
    say "configuration: $confdir/helpdesk.json kept"
  fi
  chown root:"$group" "$confdir/helpdesk.json"; chmod 0640 "$confdir/helpdesk.json"
  # A commented example of every rules section, refreshed on each install; the service reads a rules file only once
  # Helpdesk:RulesPath names one, so this sample changes nothing until someone copies it and points there.
  install -m 0644 "$repo/src/Helpdesk.Monitoring.Service/rules.sample.json" "$confdir/rules.sample.json"
  install -d -m 0755 "$confdir/nagios"
  sed -e "s|/usr/local/bin/helpdesk notify --instance nagios-prod --spool /var/spool/helpdesk|$bindir/helpdesk notify --instance $instance --spool $spooldir|" \
    "$repo/nagios-plugins/helpdesk.cfg" > "$confdir/nagios/helpdesk.cfg"
  chmod 0644 "$confdir/nagios/helpdesk.cfg"

  say "systemd units in $unitdir"
  render "$here/systemd/helpdesk.service.in" "$unitdir/helpdesk.service"
  render "$here/systemd/helpdesk-relay.service.in" "$unitdir/helpdesk-relay.service"
  chmod 0644 "$unitdir/helpdesk.service" "$unitdir/helpdesk-relay.service"
  if systemd_running; then
    systemctl daemon-reload
    systemctl enable helpdesk.service >/dev/null
    systemctl restart helpdesk.service
    say "helpdesk.service enabled and (re)started"
  else
    say "systemd is not running here: start the service with $libdir/service/helpdesk-service as $user (see docs/install.md)"
  fi

  cat >&2 <<DONE

Installed. Next:
  1. In Nagios' main configuration: enable_environment_macros=1 and cfg_file=$confdir/nagios/helpdesk.cfg
     (it defines the notify-helpdesk command and a helpdesk contact for instance '$instance'); then restart Nagios.
  2. Keys (ingest for senders, agent for older tools) are in $confdir/keys.env, readable by root only.
  3. People: $bindir/helpdesk users add NAME --role admin --users-file $confdir/users.json prints their token once;
     helpdesk users password NAME --users-file $confdir/users.json sets a password for the board.
  4. Watch it: $plugindir/check_helpdesk -H 127.0.0.1 -p ${listen##*:}
  5. Rules (priority, routing, SLA, customers): copy $confdir/rules.sample.json to $confdir/rules.json, edit it,
     check it with helpdesk rules check $confdir/rules.json, set "RulesPath" under "Helpdesk" in helpdesk.json, restart;
     later changes to the rules: check again, then systemctl reload helpdesk.
  6. Telling people (Teams, e-mail, webhooks) and customers: docs/outbound.md; set Outbound:IncidentUrl to this
     service's address as people reach it, followed by /incidents/{number}.
DONE
}

uninstall_all() {
  if systemd_running; then
    systemctl disable --now helpdesk.service helpdesk-relay.service >/dev/null 2>&1 || true
  fi
  rm -f "$unitdir/helpdesk.service" "$unitdir/helpdesk-relay.service"
  systemd_running && systemctl daemon-reload
  rm -rf "$libdir"
  rm -f "$bindir/helpdesk" "$bindir/helpdesk-relay" "$plugindir/check_helpdesk"
  say "programs and units removed; kept: $confdir (configuration and keys), $datadir (incidents), $spooldir (spool), users $user and group $group"
}

case "${1:-}" in
  install)   [ $# -eq 2 ] || fail "usage: install.sh install PUBLISHED"; install_all "$2" ;;
  uninstall) uninstall_all ;;
  *) fail "usage: install.sh install PUBLISHED | install.sh uninstall" ;;
esac
