# How a KeyFed federation on this machine is launched and stopped: the single definition of each process's
# command line (ports, tokens, data directories) for ./keyfed up/down/status, ./keyfed demo, ./keyfed bench
# and the e2e tests.
#
# Sourced (after lib.sh) by local.sh, demo.sh and bench.sh. Executed, it runs one process in the foreground
# (the e2e tests' Federation.java starts each service this way and keeps it as its own child):
#   bash scripts/federation.sh init-token RUN I                prints party I's ADDRESS:PUBKEY (new token)
#   bash scripts/federation.sh tls-init RUN N                  certificates and TLS settings of N parties
#   bash scripts/federation.sh exec ledger RUN PORT [JVM_OPT...]
#   bash scripts/federation.sh exec party RUN I PORT PEERS MGMT_PORT LEDGER_PORT [JVM_OPT...]
#   bash scripts/federation.sh exec connector RUN I PORT KEYRING LEDGER_PORT PARTY_PORT [JVM_OPT...]
#
# Layout of a run directory RUN:
#   RUN/genesis.json          the ledger's genesis (applied once, to an empty database)
#   RUN/ledger                the ledger's embedded PostgreSQL data directory (postmaster.pid inside)
#   RUN/partyI/               party I: SoftHSM2 token (softhsm2.conf, tokens/), PIN files (0600),
#                             sunpkcs11.cfg, identity (ADDRESS:PUBKEY), data/ (data/pgdata: its PostgreSQL),
#                             admin.token (0600: the bearer token of its admin endpoints on MGMT_PORT)
#   RUN/tls/                  the run's CA and each service's key and certificate (./keyfed certs), and
#                             NAME.properties: each service's TLS settings (quarkus.config.locations)
#   RUN/logs/NAME.log         each process's output (NAME = ledger, partyI, connectorI)
#   RUN/pids/NAME.pid         "PID START_TICKS" of each process started in the background (kf_spawn)
#
# Every link is mutual TLS. KEYFED_PLAINTEXT=1 runs everything in plain text instead (development only: each
# service logs a warning).
# Environment: KEYFED_JAVA (default: java on the PATH); KEYFED_JAVA_OPTS (default "-XX:+UseSerialGC
# -XX:TieredStopAtLevel=1 -Xss512k") are the JVM options of every service, before the caller's own.

if [ -z "${KEYFED_ROOT:-}" ]; then
  KEYFED_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  export KEYFED_ROOT
fi
PARTY_APP="$KEYFED_ROOT/party/service/target/quarkus-app"
LEDGER_JAR="$KEYFED_ROOT/ledger/target/quarkus-app/quarkus-run.jar"
CONNECTOR_JAR="$KEYFED_ROOT/connector/target/quarkus-app/quarkus-run.jar"
KF_JAVA="${KEYFED_JAVA:-java}"
read -r -a KF_JAVA_OPTS <<<"${KEYFED_JAVA_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k}"
# Services started by kf_spawn, stopped in reverse order of this list by kf_fed_stop.
pids=()
declare -A KF_PIDS=()

# party-tool: operator commands straight on a party's token (identity, hsm-check).
kf_party_tool() {
  "$KF_JAVA" -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
    -cp "$PARTY_APP/app/*:$PARTY_APP/lib/main/*:$PARTY_APP/lib/boot/*" io.keyfed.party.tools.PartyTool "$@"
}

# kf_token_info CFG: the token info (label, manufacturer, model, serial, flags) of the slot a SunPKCS11
# config selects, read with pkcs11-tool (SunPKCS11 does not expose it).
kf_token_info() {
  local cfg="$1" lib idx listing
  lib=$(sed -n 's/^[[:space:]]*library[[:space:]]*=[[:space:]]*//p' "$cfg" | head -n 1)
  idx=$(sed -n 's/^[[:space:]]*slotListIndex[[:space:]]*=[[:space:]]*//p' "$cfg" | head -n 1)
  [ -n "$lib" ] && [ -f "$lib" ] && command -v pkcs11-tool >/dev/null 2>&1 || return 0
  listing=$(pkcs11-tool --module "$lib" --list-token-slots 2>/dev/null) || return 0
  echo "token (slot list index ${idx:-0}):"
  printf '%s\n' "$listing" | awk -v want="${idx:-0}" '
    /^Slot [0-9]+/ { n++; show = (n - 1 == want); next }
    show && /^[ ]+(token (label|manufacturer|model|flags)|serial num|hardware version|firmware version)/ { print }'
}

# A random PIN in a 0600 file; PINs live only under the run directory, never in git.
kf_new_pin_file() {
  (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=\n' > "$1")
}

# kf_init_party_token RUN I: party I's own SoftHSM2 token under RUN/partyI, its SunPKCS11 config, and the
# party's keys created in it. Writes and prints ADDRESS:PUBKEY (RUN/partyI/identity).
kf_init_party_token() {
  local dir="$1/party$2" label="keyfed-party-$2" id
  mkdir -p "$dir"
  kf_new_pin_file "$dir/so.pin"
  kf_new_pin_file "$dir/user.pin"
  SOFTHSM2_CONF="$dir/softhsm2.conf" KEYFED_HSM_LABEL="$label" \
    KEYFED_HSM_SO_PIN_FILE="$dir/so.pin" KEYFED_HSM_USER_PIN_FILE="$dir/user.pin" \
    KEYFED_HSM_SUNPKCS11_CFG="$dir/sunpkcs11.cfg" \
    bash "$KEYFED_ROOT/hsm-config/init-token.sh" >"$dir/init-token.out" 2>"$dir/init-token.err" \
    || { cat "$dir/init-token.err" >&2; return 1; }
  id=$(SOFTHSM2_CONF="$dir/softhsm2.conf" kf_party_tool identity --config "$dir/sunpkcs11.cfg" \
    --pin-file "$dir/user.pin" 2>>"$dir/init-token.err") || { cat "$dir/init-token.err" >&2; return 1; }
  printf '%s\n' "$id" > "$dir/identity"
  kf_new_admin_token "$1" "$2"
  printf '%s\n' "$id"
}

# --- admin token (party admin endpoints on the management port) ---
# kf_new_admin_token RUN I: a random bearer token for party I's admin endpoints in RUN/partyI/admin.token (0600),
# unless it exists. Use: curl --cacert RUN/tls/ca.crt -H "Authorization: Bearer $(cat RUN/partyI/admin.token)" https://127.0.0.1:MGMT_PORT/admin/...
kf_new_admin_token() {
  local f="$1/party$2/admin.token"
  [ -s "$f" ] || (umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$f"; echo >> "$f")
}
# --- end admin token ---

# kf_fed_layout BASE N [STRIDE]: the port block. Ledger BASE (gRPC and REST), party I BASE+STRIDE+I,
# connector I BASE+2*STRIDE+I, party I's management interface (health, metrics, admin; loopback)
# BASE+3*STRIDE+I (STRIDE 10 by default: up to 9 parties). Sets KF_LEDGER_PORT, KF_PARTY_PORTS,
# KF_CONNECTOR_PORTS and KF_PARTY_MGMT_PORTS (index I-1).
kf_fed_layout() {
  local base="$1" n="$2" stride="${3:-10}" i
  KF_LEDGER_PORT=$base; KF_PARTY_PORTS=(); KF_CONNECTOR_PORTS=(); KF_PARTY_MGMT_PORTS=()
  for i in $(seq 1 "$n"); do
    KF_PARTY_PORTS+=($((base + stride + i)))
    KF_CONNECTOR_PORTS+=($((base + 2 * stride + i)))
    KF_PARTY_MGMT_PORTS+=($((base + 3 * stride + i)))
  done
}

# kf_ports_free PORT...: fails naming the first port something on this machine listens on or holds.
kf_ports_free() {
  python3 - "$@" <<'PY'
import socket, sys
for p in sys.argv[1:]:
    s = socket.socket()
    # as the services bind: connections of an earlier run in TIME_WAIT do not make a port taken
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("", int(p)))  # every address, as the services bind
    except OSError as e:
        print(f"port {p} is in use ({e.strerror})", file=sys.stderr)
        sys.exit(1)
    finally:
        s.close()
PY
}

# ------------------------------------------------------------------- transport security

kf_plaintext() { [ "${KEYFED_PLAINTEXT:-0}" = 1 ]; }
kf_scheme() { if kf_plaintext; then echo http; else echo https; fi; }

# kf_curl RUN CURL_ARG...: curl trusting the run's CA (plain curl in plain-text mode).
kf_curl() {
  local run="$1"; shift
  if kf_plaintext; then curl "$@"; else curl --cacert "$run/tls/ca.crt" "$@"; fi
}

# kf_client_tls RUN: exports what the KeyFed client needs to reach the run's ledger (KEYFED_CA).
kf_client_tls() {
  kf_plaintext || export KEYFED_CA="$1/tls/ca.crt"
}

# kf_certs RUN CERTS_ARG...: ./keyfed certs into RUN/tls (existing files are kept), one at a time.
kf_certs() {
  local run="$1"; shift
  mkdir -p "$run/tls"
  (
    flock 8
    kf_cli certs --dir "$run/tls" "$@" >>"$run/tls/certs.log" 2>&1 || { tail -n 20 "$run/tls/certs.log" >&2; exit 1; }
  ) 8>"$run/tls/.lock"
}

kf_party_addr() { # RUN I
  local id
  id=$(cat "$1/party$2/identity") || return 1
  printf '%s\n' "${id%%:*}"
}

# kf_tls_ledger RUN [CERTS_ARG...]: the CA, the ledger's certificate (and any others CERTS_ARG names, in the
# same ./keyfed certs run) and RUN/tls/ledger.properties.
kf_tls_ledger() {
  local run="$1" t="$1/tls"; shift
  kf_plaintext && return 0
  kf_certs "$run" --ledger "$@" || return 1
  cat > "$t/ledger.properties" <<EOF
# The ledger's TLS settings (written by scripts/federation.sh; see deploy/TLS.md)
quarkus.tls.key-store.pem.0.cert=$t/ledger.crt
quarkus.tls.key-store.pem.0.key=$t/ledger.key
quarkus.tls.trust-store.pem.certs=$t/ca.crt
EOF
}

# kf_tls_init RUN N: certificates for parties 1..N and their connectors (tokens made by kf_init_parties), and
# each one's TLS settings, RUN/tls/partyI.properties and connectorI.properties. A party trusts exactly its
# peers' certificates and its own connector's (and, on its ledger link, the ledger's): not the CA.
kf_tls_init() {
  local run="$1" n="$2" t="$1/tls" i j addr peers args=()
  kf_plaintext && return 0
  for i in $(seq 1 "$n"); do
    addr=$(kf_party_addr "$run" "$i") || return 1
    args+=(--party "$addr" --connector "$addr")
  done
  kf_tls_ledger "$run" "${args[@]}" || return 1
  for i in $(seq 1 "$n"); do
    addr=$(kf_party_addr "$run" "$i")
    peers=""
    for j in $(seq 1 "$n"); do
      [ "$j" = "$i" ] || peers+="${peers:+,}$t/party-$(kf_party_addr "$run" "$j").crt"
    done
    cat > "$t/party$i.properties" <<EOF
# Party $i's TLS settings (written by scripts/federation.sh; see deploy/TLS.md)
quarkus.tls.key-store.pem.0.cert=$t/party-$addr.crt
quarkus.tls.key-store.pem.0.key=$t/party-$addr.key
quarkus.tls.trust-store.pem.certs=$t/ca.crt
keyfed.tls.pinned-certs=$peers,$t/connector-$addr.crt
quarkus.tls.peers.key-store.pem.0.cert=$t/party-$addr.crt
quarkus.tls.peers.key-store.pem.0.key=$t/party-$addr.key
quarkus.tls.peers.trust-store.pem.certs=$peers
quarkus.management.tls-configuration-name=management
quarkus.tls.management.key-store.pem.0.cert=$t/party-$addr.crt
quarkus.tls.management.key-store.pem.0.key=$t/party-$addr.key
quarkus.grpc.clients.ledger.ssl.certificate=$t/party-$addr.crt
quarkus.grpc.clients.ledger.ssl.key=$t/party-$addr.key
quarkus.grpc.clients.ledger.ssl.trust-store=$t/ledger.crt
EOF
    cat > "$t/connector$i.properties" <<EOF
# Connector $i's TLS settings (written by scripts/federation.sh; see deploy/TLS.md)
quarkus.tls.key-store.pem.0.cert=$t/connector-$addr.crt
quarkus.tls.key-store.pem.0.key=$t/connector-$addr.key
quarkus.grpc.clients.ledger.ssl.certificate=$t/connector-$addr.crt
quarkus.grpc.clients.ledger.ssl.key=$t/connector-$addr.key
quarkus.grpc.clients.ledger.ssl.trust-store=$t/ledger.crt
quarkus.grpc.clients.party.ssl.certificate=$t/connector-$addr.crt
quarkus.grpc.clients.party.ssl.key=$t/connector-$addr.key
quarkus.grpc.clients.party.ssl.trust-store=$t/party-$addr.crt
EOF
  done
}

# kf_tls_opt RUN NAME: the JVM option that gives service NAME its TLS settings (or plain text).
kf_tls_opt() {
  if kf_plaintext; then
    echo "-Dquarkus.http.insecure-requests=enabled"
  else
    [ -f "$1/tls/$2.properties" ] || { echo "no TLS settings for $2 in $1/tls (kf_tls_init makes them)" >&2; return 1; }
    echo "-Dquarkus.config.locations=$1/tls/$2.properties"
  fi
}

# ------------------------------------------------------------------- the command line of each process
# Each sets KF_ENV (NAME=VALUE...) and KF_CMD (the java arguments after the JVM options).

kf_ledger_cmd() { # RUN PORT
  local run="$1" port="$2" tls
  kf_tls_ledger "$run" && tls=$(kf_tls_opt "$run" ledger) || return 1
  KF_ENV=()
  KF_CMD=("$tls" -Dquarkus.http.port="$port" -Dkeyfed.ledger.genesis-file="$run/genesis.json"
    -Dkeyfed.ledger.data-dir="$run/ledger" -jar "$LEDGER_JAR")
}

kf_party_cmd() { # RUN I PORT PEERS MGMT_PORT LEDGER_PORT
  local dir="$1/party$2" port="$3" peers="$4" mgmt_port="$5" ledger_port="$6" tls
  tls=$(kf_tls_opt "$1" "party$2") || return 1
  KF_ENV=(SOFTHSM2_CONF="$dir/softhsm2.conf")
  KF_CMD=("$tls" -Dquarkus.http.port="$port" -Dkeyfed.party.hsm.config-file="$dir/sunpkcs11.cfg"
    -Dkeyfed.party.hsm.pin-file="$dir/user.pin" -Dkeyfed.party.data-dir="$dir/data" -Dkeyfed.party.peers="$peers"
    -Dquarkus.management.port="$mgmt_port" -Dkeyfed.party.admin.token-file="$dir/admin.token"
    -Dquarkus.grpc.clients.ledger.host=127.0.0.1 -Dquarkus.grpc.clients.ledger.port="$ledger_port"
    -jar "$PARTY_APP/quarkus-run.jar")
}

kf_connector_cmd() { # RUN I PORT KEYRING LEDGER_PORT PARTY_PORT
  local port="$3" keyring="$4" ledger_port="$5" party_port="$6" tls
  tls=$(kf_tls_opt "$1" "connector$2") || return 1
  KF_ENV=()
  KF_CMD=("$tls" -Dquarkus.http.port="$port" -Dkeyfed.connector.keyring-addr="$keyring"
    -Dquarkus.grpc.clients.ledger.host=127.0.0.1 -Dquarkus.grpc.clients.ledger.port="$ledger_port"
    -Dquarkus.grpc.clients.party.host=127.0.0.1 -Dquarkus.grpc.clients.party.port="$party_port"
    -jar "$CONNECTOR_JAR")
}

# kf_peers RUN N: the parties' peer list ADDRESS@127.0.0.1:PORT,... from their identity files and KF_PARTY_PORTS.
kf_peers() {
  local run="$1" n="$2" i id peers=""
  for i in $(seq 1 "$n"); do
    id=$(cat "$run/party$i/identity") || return 1
    peers+="${peers:+,}${id%%:*}@127.0.0.1:${KF_PARTY_PORTS[$((i - 1))]}"
  done
  printf '%s\n' "$peers"
}

# ------------------------------------------------------------------- running and stopping

# kf_spawn RUN NAME JVM_OPT...: starts KF_CMD in the background, in a session of its own (so a Ctrl-C in
# the terminal does not reach it), output appended to RUN/logs/NAME.log, "PID START_TICKS" in
# RUN/pids/NAME.pid. The PID is the JVM's own (the subshell execs it).
kf_spawn() {
  local run="$1" name="$2" pid; shift 2
  mkdir -p "$run/logs" "$run/pids"
  local launch=(env "${KF_ENV[@]}" "$KF_JAVA" "${KF_JAVA_OPTS[@]}" "$@" "${KF_CMD[@]}")
  command -v setsid >/dev/null 2>&1 && launch=(setsid "${launch[@]}")
  # fd 9 is the lock local.sh holds while it works: the service must not keep it.
  (exec "${launch[@]}" </dev/null >>"$run/logs/$name.log" 2>&1 9>&-) &
  pid=$!
  echo "$pid $(kf_start_ticks "$pid")" > "$run/pids/$name.pid"
  pids+=("$pid")
  KF_PIDS[$name]=$pid
}

# The start time of a process (clock ticks after boot, field 22 of /proc/PID/stat): with the PID it
# names one process, never a later one that reused the PID.
kf_start_ticks() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
  stat=${stat##*) }
  set -- $stat
  echo "${20}"
}

# kf_pid_of RUN NAME: prints the PID of NAME if the process that pid file names is still running.
kf_pid_of() {
  local f="$1/pids/$2.pid" pid ticks
  [ -f "$f" ] || return 1
  read -r pid ticks < "$f" || return 1
  [ -n "$pid" ] && ! kf_gone "$pid" && [ "$(kf_start_ticks "$pid")" = "$ticks" ] || return 1
  echo "$pid"
}

# kf_postmaster_of DATADIR: prints the PID of the PostgreSQL server running on DATADIR (its
# postmaster.pid names it, the process is a postgres and serves that directory).
kf_postmaster_of() {
  local dir="$1" pid pgdir exe
  [ -f "$dir/postmaster.pid" ] || return 1
  { read -r pid; read -r pgdir; } < "$dir/postmaster.pid" || return 1
  [ -n "$pid" ] && ! kf_gone "$pid" && [ "$pgdir" = "$dir" ] || return 1
  exe=$(tr '\0' '\n' < "/proc/$pid/cmdline" 2>/dev/null | head -n 1)
  case "$exe" in *postgres) echo "$pid" ;; *) return 1 ;; esac
}

# kf_pg_dirs RUN: the embedded PostgreSQL data directories of a run (ledger and parties).
kf_pg_dirs() {
  local d
  echo "$1/ledger"
  for d in "$1"/party*/data/pgdata; do [ -d "$d" ] && echo "$d"; done
  return 0
}

# kf_wait_ready NAME PORT RUN [SECONDS]: waits until NAME answers /q/health/ready on PORT; fails early, with
# the end of its log, if its process exits.
kf_wait_ready() {
  local name="$1" port="$2" run="$3" limit="${4:-120}" i=0
  until kf_curl "$run" -fsS -o /dev/null "$(kf_scheme)://127.0.0.1:$port/q/health/ready" 2>/dev/null; do
    if ! kf_pid_of "$run" "$name" >/dev/null; then
      echo "$name exited during start-up; the end of $run/logs/$name.log:" >&2
      tail -n 30 "$run/logs/$name.log" >&2
      return 1
    fi
    i=$((i + 1))
    if [ $i -gt $((limit * 4)) ]; then
      echo "$name did not become ready on port $port in ${limit}s; the end of $run/logs/$name.log:" >&2
      tail -n 30 "$run/logs/$name.log" >&2
      return 1
    fi
    sleep 0.25
  done
}

# kf_gone PID: the process has exited (a zombie, exited but not yet reaped by its parent, counts as gone).
kf_gone() {
  [ ! -d "/proc/$1" ] || grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null || [ ! -d "/proc/$1" ]
}

# kf_stop_pid PID [NAME]: SIGTERM, then SIGKILL after 30 s; waits until the process is gone.
kf_stop_pid() {
  local pid="$1" i=0
  kill -TERM "$pid" 2>/dev/null || return 0
  while ! kf_gone "$pid"; do
    i=$((i + 1))
    if [ $i -eq 120 ]; then
      echo "${2:-pid $pid} did not stop in 30 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
    [ $i -gt 200 ] && { echo "${2:-pid $pid} is still there" >&2; return 1; }
    sleep 0.25
  done
  wait "$pid" 2>/dev/null || true
}

# kf_fed_stop RUN: stops every process of the run by its pid file (connectors, then parties, then the
# ledger), then waits for their embedded PostgreSQL servers to be gone: a JVM stops its server as it exits,
# but the last postgres processes can outlive it by a moment, and a killed JVM leaves its server running
# (SIGTERM then). Sets KF_STOPPED (how many services it stopped). Keeps all data.
kf_fed_stop() {
  local run="$1" f name pid n=0 dir pg=()
  local names=()
  while read -r dir; do
    pid=$(kf_postmaster_of "$dir") && pg+=("$pid $(kf_start_ticks "$pid") $dir")
  done < <(kf_pg_dirs "$run")
  for f in "$run"/pids/connector*.pid "$run"/pids/party*.pid "$run"/pids/ledger.pid; do
    [ -f "$f" ] && names+=("$(basename "$f" .pid)")
  done
  for name in "${names[@]}"; do
    if pid=$(kf_pid_of "$run" "$name"); then
      kf_stop_pid "$pid" "$name" && n=$((n + 1))
    fi
    rm -f "$run/pids/$name.pid"
  done
  local ticks
  for f in "${pg[@]}"; do
    read -r pid ticks dir <<<"$f"
    [ "$(kf_start_ticks "$pid")" = "$ticks" ] && kf_stop_pid "$pid" "PostgreSQL on $dir"
  done
  while read -r dir; do # one started since (a JVM's watchdog restarting it)
    pid=$(kf_postmaster_of "$dir") && kf_stop_pid "$pid" "PostgreSQL on $dir"
  done < <(kf_pg_dirs "$run")
  pids=()
  KF_STOPPED=$n
}

# kf_fed_running RUN: prints NAME PID of each process of the run that is alive (PostgreSQL as NAME-postgres).
kf_fed_running() {
  local run="$1" f name pid dir
  for f in "$run"/pids/*.pid; do
    [ -f "$f" ] || continue
    name=$(basename "$f" .pid)
    pid=$(kf_pid_of "$run" "$name") && echo "$name $pid"
  done
  while read -r dir; do
    pid=$(kf_postmaster_of "$dir") && echo "postgres:${dir#"$run"/} $pid"
  done < <(kf_pg_dirs "$run")
  return 0
}

# ------------------------------------------------------------------- a whole federation

# kf_init_parties RUN N: a token per party (and its admin token). Sets KF_PARTY_IDS (ADDRESS:PUBKEY, index I-1).
kf_init_parties() {
  local run="$1" n="$2" i id
  KF_PARTY_IDS=()
  for i in $(seq 1 "$n"); do
    id=$(kf_init_party_token "$run" "$i") || return 1
    KF_PARTY_IDS+=("$id")
    echo "  party $i: ${id%%:*} (token keyfed-party-$i, port ${KF_PARTY_PORTS[$((i - 1))]:-?}, management port ${KF_PARTY_MGMT_PORTS[$((i - 1))]:-?})"
  done
}

# kf_start_ledger RUN JVM_OPT...: the ledger on KF_LEDGER_PORT (does not wait; kf_wait_ready ledger ...).
kf_start_ledger() {
  local run="$1"; shift
  kf_ledger_cmd "$run" "$KF_LEDGER_PORT"
  kf_spawn "$run" ledger "$@"
}

# kf_start_parties RUN N JVM_OPT...: parties 1..N on KF_PARTY_PORTS (management on KF_PARTY_MGMT_PORTS), tokens
# made by kf_init_parties (a run made before admin tokens existed gets them here), each confirming its requests
# with the ledger on KF_LEDGER_PORT.
kf_start_parties() {
  local run="$1" n="$2" i peers; shift 2
  peers=$(kf_peers "$run" "$n") || return 1
  kf_tls_init "$run" "$n" || return 1
  KF_PARTY_PIDS=()
  for i in $(seq 1 "$n"); do
    kf_new_admin_token "$run" "$i"
    kf_party_cmd "$run" "$i" "${KF_PARTY_PORTS[$((i - 1))]}" "$peers" "${KF_PARTY_MGMT_PORTS[$((i - 1))]}" \
      "$KF_LEDGER_PORT"
    kf_spawn "$run" "party$i" "$@"
    KF_PARTY_PIDS[$i]=${KF_PIDS[party$i]}
  done
}

kf_wait_parties() { # RUN N: readiness is on each party's management port
  local i
  for i in $(seq 1 "$2"); do kf_wait_ready "party$i" "${KF_PARTY_MGMT_PORTS[$((i - 1))]}" "$1" || return 1; done
}

# kf_start_connectors RUN N KEYRING JVM_OPT...: connector I for party I on KF_CONNECTOR_PORTS; waits for them.
kf_start_connectors() {
  local run="$1" n="$2" keyring="$3" i; shift 3
  KF_CONNECTOR_PIDS=()
  for i in $(seq 1 "$n"); do
    kf_connector_cmd "$run" "$i" "${KF_CONNECTOR_PORTS[$((i - 1))]}" "$keyring" "$KF_LEDGER_PORT" \
      "${KF_PARTY_PORTS[$((i - 1))]}"
    kf_spawn "$run" "connector$i" "$@"
    KF_CONNECTOR_PIDS[$i]=${KF_PIDS[connector$i]}
  done
  for i in $(seq 1 "$n"); do
    kf_wait_ready "connector$i" "${KF_CONNECTOR_PORTS[$((i - 1))]}" "$run" || return 1
  done
}

# ------------------------------------------------------------------- executed: one process in the foreground
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  # shellcheck source=scripts/lib.sh
  source "$KEYFED_ROOT/scripts/lib.sh"
  usage() { sed -n '5,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
  [ $# -ge 2 ] || usage
  op="$1" what="$2"; shift 2
  case "$op/$what" in
    init-token/*)
      kf_init_party_token "$what" "${1:?party index}"; exit ;;
    tls-init/*)
      kf_tls_init "$what" "${1:?number of parties}"; exit ;;
    exec/ledger)
      [ $# -ge 2 ] || usage
      kf_ledger_cmd "$1" "$2"; shift 2 ;;
    exec/party)
      [ $# -ge 6 ] || usage
      kf_party_cmd "$1" "$2" "$3" "$4" "$5" "$6"; shift 6 ;;
    exec/connector)
      [ $# -ge 6 ] || usage
      kf_connector_cmd "$1" "$2" "$3" "$4" "$5" "$6"; shift 6 ;;
    *) usage ;;
  esac
  exec env "${KF_ENV[@]}" "$KF_JAVA" "${KF_JAVA_OPTS[@]}" "$@" "${KF_CMD[@]}"
fi
