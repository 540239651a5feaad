#!/usr/bin/env bash
# ./keyfed up | status | down: a federation that stays up on this machine, to try the client against.
#
#   ./keyfed up [--parties N] [--threshold T] [--base-port P] [--run-dir DIR]
#       Builds what is missing, then starts in the background a ledger (embedded PostgreSQL), N parties with
#       their own SoftHSM2 tokens and N connectors (default 3 parties, threshold 2). The first time it also
#       writes a genesis that funds the account "local" (its key in DIR/home), creates a workspace owned by
#       it and a T-of-N keyring it administers. Prints what runs, the ports and ready-to-paste client
#       commands, and writes DIR/env to `source`. Again after `down`, it resumes the same federation
#       (tokens, keys, keyring and workspace are kept; genesis and keyring are not made again).
#       While the federation runs, another `up` says so and changes nothing (exit 0). A port of the block
#       that is taken makes it refuse, naming the port (exit 1).
#   ./keyfed status [--run-dir DIR]
#       Each process (PID alive, /q/health/ready, its PostgreSQL) and the keyring. Exit 0 when everything is
#       healthy, 1 when something is not, 3 when nothing runs.
#   ./keyfed down [--purge] [--run-dir DIR]
#       Stops what `up` started, by PID (SIGTERM, SIGKILL after 30 s), and any embedded PostgreSQL left on
#       the run's data directories; keeps the data. --purge also deletes DIR.
#
# Ports (one block): ledger P (gRPC and REST), party I P+10+I, connector I P+20+I, party I's management
# interface P+30+I (health, metrics and the admin endpoints, on 127.0.0.1; the admin token is in
# DIR/partyI/admin.token); P is 17080 by default (ledger 17080, parties 17091-17093, connectors 17101-17103,
# party management 17111-17113). --base-port or KEYFED_BASE_PORT moves it.
# DIR is .keyfed/local by default; --run-dir or KEYFED_RUN_DIR moves it (the e2e test uses its own).
# State: DIR/federation.conf (parties, threshold, ports, workspace, keyring), DIR/pids/*.pid, DIR/logs/.
set -euo pipefail
source "$KEYFED_ROOT/scripts/lib.sh"
source "$KEYFED_ROOT/scripts/federation.sh"
cd "$KEYFED_ROOT"

DEFAULT_RUN="$KEYFED_ROOT/.keyfed/local"
ACCOUNT=local
KEY_FEE=100
GENESIS_AMOUNT=1000000000

die() { echo "keyfed: $*" >&2; exit "${KF_EXIT:-1}"; }
usage_die() { KF_EXIT=2 die "$*"; }
num() { [[ "$2" =~ ^[0-9]+$ ]] || usage_die "$1 must be a number, got '$2'"; }

cmd="${1:?up, status or down}"; shift
parties="" threshold="" base_port="${KEYFED_BASE_PORT:-}" run="${KEYFED_RUN_DIR:-$DEFAULT_RUN}" purge=0
while [ $# -gt 0 ]; do
  case "$cmd/$1" in
    up/--parties) parties="${2:?--parties needs a number}"; shift 2 ;;
    up/--threshold) threshold="${2:?--threshold needs a number}"; shift 2 ;;
    up/--base-port) base_port="${2:?--base-port needs a port}"; shift 2 ;;
    */--run-dir) run="${2:?--run-dir needs a directory}"; shift 2 ;;
    down/--purge) purge=1; shift ;;
    */--*=*) set -- "${1%%=*}" "${1#*=}" "${@:2}" ;;
    */-h|*/--help) sed -n '2,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) usage_die "unknown option for $cmd: $1 (try ./keyfed $cmd --help)" ;;
  esac
done
[ -z "$parties" ] || num --parties "$parties"
[ -z "$threshold" ] || num --threshold "$threshold"
[ -z "$base_port" ] || num --base-port "$base_port"
run=$(realpath -m "$run")
CONF="$run/federation.conf"
ENV_FILE="$run/env"

# Paths as the user typed them in the printed commands: relative to the repository when inside it.
show_path() { case "$1" in "$KEYFED_ROOT"/*) echo "${1#"$KEYFED_ROOT"/}" ;; *) echo "$1" ;; esac; }
run_flag() { [ "$run" = "$DEFAULT_RUN" ] || printf 'KEYFED_RUN_DIR=%q ' "$(show_path "$run")"; }

lock() {
  mkdir -p "$run"
  exec 9>"$run/.lock"
  flock -n 9 || die "another ./keyfed up/down is working on $(show_path "$run"); try again when it is done"
}

load_conf() {
  # shellcheck disable=SC1090
  source "$CONF"
  kf_fed_layout "$KF_BASE_PORT" "$KF_N"
}

save_conf() {
  local tmp="$CONF.tmp"
  {
    echo "# written by ./keyfed up; read by up, status and down"
    printf 'KF_N=%q\nKF_T=%q\nKF_BASE_PORT=%q\nKF_ACCOUNT=%q\nKF_ACCOUNT_ADDR=%q\nKF_WORKSPACE=%q\nKF_KEYRING=%q\n' \
      "$KF_N" "$KF_T" "$KF_BASE_PORT" "$ACCOUNT" "$KF_ACCOUNT_ADDR" "$KF_WORKSPACE" "$KF_KEYRING"
  } > "$tmp"
  mv "$tmp" "$CONF"
}

# The processes of the federation, in start order.
names() { local i; echo ledger; for i in $(seq 1 "$KF_N"); do echo "party$i"; done
  for i in $(seq 1 "$KF_N"); do echo "connector$i"; done; }
port_of() { case "$1" in ledger) echo "$KF_LEDGER_PORT" ;; party*) echo "${KF_PARTY_PORTS[$((${1#party} - 1))]}" ;;
  connector*) echo "${KF_CONNECTOR_PORTS[$((${1#connector} - 1))]}" ;; esac; }
# The port that serves /q/health: a party's management port, the service port otherwise.
health_port_of() { case "$1" in party*) echo "${KF_PARTY_MGMT_PORTS[$((${1#party} - 1))]}" ;; *) port_of "$1" ;; esac; }

client_env() {
  printf 'KEYFED_HOME=%q KEYFED_LEDGER=%q' "$(show_path "$run/home")" "$(kf_scheme)://127.0.0.1:$KF_LEDGER_PORT"
  kf_plaintext || printf ' KEYFED_CA=%q' "$(show_path "$run/tls/ca.crt")"
}

write_env_file() {
  {
    echo "# source this file to point ./keyfed's client commands at the local federation"
    printf 'export KEYFED_HOME=%q\nexport KEYFED_LEDGER=%q\nexport KEYFED_RUN_DIR=%q\n' \
      "$run/home" "$(kf_scheme)://127.0.0.1:$KF_LEDGER_PORT" "$run"
    kf_plaintext || printf 'export KEYFED_CA=%q\n' "$run/tls/ca.crt"
    printf 'export KEYFED_WORKSPACE=%q\nexport KEYFED_KEYRING=%q\n' "$KF_WORKSPACE" "$KF_KEYRING"
  } > "$ENV_FILE"
}

print_summary() {
  local name pid e
  echo "local federation in $(show_path "$run"): $KF_N parties, threshold $KF_T"
  for name in $(names); do
    pid=$(kf_pid_of "$run" "$name" || echo "-")
    case "$name" in
      party*) printf '  %-12s pid %-8s port %s, management %s (127.0.0.1)\n' "$name" "$pid" "$(port_of "$name")" \
        "$(health_port_of "$name")" ;;
      *) printf '  %-12s pid %-8s port %s\n' "$name" "$pid" "$(port_of "$name")" ;;
    esac
  done
  echo "  ledger       $(kf_scheme)://127.0.0.1:$KF_LEDGER_PORT (gRPC and REST), data in $(show_path "$run/ledger")"
  echo "  account      $KF_ACCOUNT_ADDR (key '$ACCOUNT' in $(show_path "$run/home"))"
  echo "  workspace    $KF_WORKSPACE"
  echo "  keyring      $KF_KEYRING ($KF_T of $KF_N, fee $KEY_FEE urock per key)"
  echo "  logs         $(show_path "$run/logs")/"
  e=$(client_env)
  cat <<EOF

Client commands (or run \`source $(show_path "$ENV_FILE")\` once, then leave out the KEYFED_* prefix):
  $e ./keyfed key request --from $ACCOUNT --workspace $KF_WORKSPACE --keyring $KF_KEYRING --type ecdsa --wait
  $e ./keyfed key request --from $ACCOUNT --workspace $KF_WORKSPACE --keyring $KF_KEYRING --type ed25519 --wait
  $e ./keyfed key list --workspace $KF_WORKSPACE
  $e ./keyfed keyring show $KF_KEYRING
  $e ./keyfed balance $ACCOUNT
Party admin (management port, bearer token; e.g. the sealing keys of party 1):
  curl -s $(kf_plaintext || echo "--cacert $(show_path "$run")/tls/ca.crt ")-H "Authorization: Bearer \$(cat $(show_path "$run")/party1/admin.token)" $(kf_scheme)://127.0.0.1:${KF_PARTY_MGMT_PORTS[0]}/admin/sealing-key
Then: $(run_flag)./keyfed status | $(run_flag)./keyfed down (keeps the data) | $(run_flag)./keyfed down --purge
EOF
}

# ------------------------------------------------------------------------------------------- up

up() {
  lock
  local fresh=1
  if [ -f "$CONF" ]; then
    fresh=0
    load_conf
    local running
    running=$(kf_fed_running "$run")
    if [ -n "$running" ]; then
      local missing="" name
      for name in $(names); do kf_pid_of "$run" "$name" >/dev/null || missing+="${missing:+, }$name"; done
      if [ -z "$missing" ]; then
        kf_log "the local federation in $(show_path "$run") is already running; nothing changed"
        [ -z "$parties$threshold$base_port" ] || kf_log "(--parties, --threshold and --base-port apply to a stopped federation only)"
        print_summary
        exit 0
      fi
      die "the local federation in $(show_path "$run") is partly running: $missing not running;
run $(run_flag)./keyfed down (keeps the data), then $(run_flag)./keyfed up"
    fi
    if { [ -n "$parties" ] && [ "$parties" != "$KF_N" ]; } || { [ -n "$threshold" ] && [ "$threshold" != "$KF_T" ]; }; then
      usage_die "the federation in $(show_path "$run") has $KF_N parties, threshold $KF_T;
$(run_flag)./keyfed down --purge deletes it, then up makes one with other numbers"
    fi
    [ -z "$base_port" ] || KF_BASE_PORT=$base_port
  else
    if [ -n "$(ls -A "$run" 2>/dev/null | grep -v -x -e .lock -e logs)" ]; then
      # An earlier first start that did not finish: stop what it left running, start afresh.
      kf_log "$(show_path "$run") holds an unfinished federation; stopping what runs there and starting afresh"
      kf_fed_stop "$run"
      find "$run" -mindepth 1 -maxdepth 1 ! -name logs ! -name .lock -exec rm -rf {} +
    fi
    KF_N=${parties:-3} KF_T=${threshold:-2} KF_BASE_PORT=${base_port:-17080}
    [ "$KF_N" -ge 1 ] && [ "$KF_N" -le 9 ] || usage_die "--parties must be 1..9, got $KF_N"
    [ "$KF_T" -ge 1 ] && [ "$KF_T" -le "$KF_N" ] || usage_die "--threshold must be 1..$KF_N (the parties), got $KF_T"
  fi
  kf_fed_layout "$KF_BASE_PORT" "$KF_N"
  [ $((KF_BASE_PORT + 30 + KF_N)) -le 65535 ] || usage_die "--base-port $KF_BASE_PORT leaves no room for the block"
  local ports=("$KF_LEDGER_PORT" "${KF_PARTY_PORTS[@]}" "${KF_CONNECTOR_PORTS[@]}" "${KF_PARTY_MGMT_PORTS[@]}")
  kf_ports_free "${ports[@]}" || die "the port block ${KF_LEDGER_PORT}-${KF_PARTY_MGMT_PORTS[-1]} is not free;
stop what uses it, or move the block with --base-port P (or KEYFED_BASE_PORT)"

  local t0; t0=$(date +%s)
  kf_ensure_system_deps
  kf_build all
  trap 'on_failure $?' EXIT
  trap 'exit 130' INT TERM
  mkdir -p "$run/logs" "$run/home"
  chmod 700 "$run" "$run/home"
  export KEYFED_HOME="$run/home" KEYFED_LEDGER="$(kf_scheme)://127.0.0.1:$KF_LEDGER_PORT"
  kf_client_tls "$run"
  if [ $fresh = 1 ]; then
    kf_log "new local federation in $(show_path "$run"): $KF_N parties, threshold $KF_T, ports from $KF_BASE_PORT"
    touch "$run/.keyfed-run"
    kf_cli --quiet keys add "$ACCOUNT" --prefix zen >/dev/null
    KF_ACCOUNT_ADDR=$(kf_cli --quiet keys show "$ACCOUNT" --prefix zen)
    kf_cli --quiet genesis --out "$run/genesis.json" --chain-id keyfed-local --prefix zen \
      --account "$ACCOUNT=$GENESIS_AMOUNT" --default-timeout 120 >/dev/null
    kf_init_parties "$run" "$KF_N"
  else
    kf_log "resuming the local federation in $(show_path "$run")"
  fi
  kf_start_ledger "$run"
  kf_start_parties "$run" "$KF_N"
  kf_wait_ready ledger "$KF_LEDGER_PORT" "$run"
  kf_wait_parties "$run" "$KF_N"
  if [ $fresh = 1 ]; then
    local party_args=() i
    for i in $(seq 1 "$KF_N"); do party_args+=(--party "$(cat "$run/party$i/identity")"); done
    KF_WORKSPACE=$(kf_cli --quiet workspace create --from "$ACCOUNT")
    KF_KEYRING=$(kf_cli --quiet keyring create --from "$ACCOUNT" --description "local federation" \
      --threshold "$KF_T" --key-fee "$KEY_FEE" "${party_args[@]}")
  fi
  save_conf
  kf_start_connectors "$run" "$KF_N" "$KF_KEYRING"
  trap - EXIT INT TERM
  write_env_file
  kf_log "up in $(( $(date +%s) - t0 )) s"
  print_summary
}

on_failure() {
  local rc=$1
  trap - EXIT
  [ "$rc" = 0 ] && exit 0
  kf_log "up failed (exit $rc); stopping what it started"
  kf_fed_stop "$run"
  if [ ! -f "$CONF" ] || [ -z "${KF_KEYRING:-}" ]; then
    # A first start that did not finish leaves nothing to resume: keep only the logs.
    rm -f "$CONF"
    find "$run" -mindepth 1 -maxdepth 1 ! -name logs ! -name .lock -exec rm -rf {} +
  fi
  kf_log "logs are in $(show_path "$run/logs")/"
  exit "$rc"
}

# ------------------------------------------------------------------------------------------- status

status() {
  if [ ! -f "$CONF" ]; then
    echo "no local federation in $(show_path "$run") (./keyfed up starts one)"
    exit 3
  fi
  load_conf
  if [ -z "$(kf_fed_running "$run")" ]; then
    echo "the local federation in $(show_path "$run") is stopped (data kept; $(run_flag)./keyfed up resumes it)"
    exit 3
  fi
  local name pid port code health pg healthy=1 hport
  echo "local federation in $(show_path "$run"): $KF_N parties, threshold $KF_T"
  printf '  %-12s %-8s %-6s %-22s %s\n' NAME PID PORT HEALTH POSTGRES
  for name in $(names); do
    port=$(port_of "$name")
    hport=$(health_port_of "$name")
    pg="-"
    case "$name" in
      ledger) pg=$(kf_postmaster_of "$run/ledger" || echo "not running") ;;
      party*) pg=$(kf_postmaster_of "$run/$name/data/pgdata" || echo "not running") ;;
    esac
    if pid=$(kf_pid_of "$run" "$name"); then
      code=$(kf_curl "$run" -s -o /dev/null -m 5 -w '%{http_code}' "$(kf_scheme)://127.0.0.1:$hport/q/health/ready" || true)
      case "$code" in
        200) health=ready ;;
        000|"") health="not answering"; healthy=0 ;;
        *) health="not ready (HTTP $code)"; healthy=0 ;;
      esac
    else
      pid="-" health="stopped"; healthy=0
    fi
    [ "$pg" = "not running" ] && healthy=0
    [ "$pg" = "-" ] || [ "$pg" = "not running" ] || pg="pid $pg"
    printf '  %-12s %-8s %-6s %-22s %s\n' "$name" "$pid" "$port" "$health" "$pg"
  done
  echo
  echo "workspace $KF_WORKSPACE (owner $KF_ACCOUNT_ADDR)"
  echo "keyring $KF_KEYRING:"
  kf_client_tls "$run"
  KEYFED_HOME="$run/home" KEYFED_LEDGER="$(kf_scheme)://127.0.0.1:$KF_LEDGER_PORT" kf_cli keyring show "$KF_KEYRING" \
    | sed 's/^/  /' || { echo "  (the ledger does not answer)"; healthy=0; }
  if [ $healthy = 1 ]; then echo "all healthy"; exit 0; fi
  echo "not all healthy (logs in $(show_path "$run/logs")/)"
  exit 1
}

# ------------------------------------------------------------------------------------------- down

down() {
  if [ ! -d "$run" ]; then
    echo "nothing to stop: no local federation in $(show_path "$run")"
    exit 0
  fi
  lock
  if [ -z "$(kf_fed_running "$run")" ]; then
    echo "nothing runs in $(show_path "$run")"
  else
    kf_fed_stop "$run"
    echo "stopped $KF_STOPPED processes of the local federation in $(show_path "$run")"
  fi
  rm -rf "$run/pids"
  if [ $purge = 1 ]; then
    if [ -f "$run/.keyfed-run" ] || [ -z "$(ls -A "$run" | grep -v -x -e .lock -e logs)" ]; then
      rm -rf "$run"
      echo "deleted $(show_path "$run") (tokens, keys, ledger and party data)"
    else
      die "$(show_path "$run") was not made by ./keyfed up; not deleting it"
    fi
  elif [ -f "$CONF" ]; then
    echo "data kept in $(show_path "$run"); $(run_flag)./keyfed up resumes, $(run_flag)./keyfed down --purge deletes it"
  fi
}

case "$cmd" in
  up) up ;;
  status) status ;;
  down) down ;;
  *) usage_die "unknown command: $cmd" ;;
esac
