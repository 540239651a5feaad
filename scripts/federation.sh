# Starts and stops a local federation: parties with their own SoftHSM2 tokens, and their connectors.
# Sourced by demo.sh and bench.sh after lib.sh; callers keep started PIDs in the `pids` array.

PARTY_APP="$KEYFED_ROOT/party/service/target/quarkus-app"
CONNECTOR_JAR="$KEYFED_ROOT/connector/target/quarkus-app/quarkus-run.jar"

# party-tool: operator commands straight on a party's token (identity, hsm-check).
kf_party_tool() {
  java -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
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

# kf_init_party_token DIR LABEL: a SoftHSM2 token of its own under DIR, its SunPKCS11 config, and the
# party's keys created in it. Prints ADDRESS:PUBKEY.
kf_init_party_token() {
  local dir="$1" label="$2"
  mkdir -p "$dir"
  kf_new_pin_file "$dir/so.pin"
  kf_new_pin_file "$dir/user.pin"
  SOFTHSM2_CONF="$dir/softhsm2.conf" KEYFED_HSM_LABEL="$label" \
    KEYFED_HSM_SO_PIN_FILE="$dir/so.pin" KEYFED_HSM_USER_PIN_FILE="$dir/user.pin" \
    KEYFED_HSM_SUNPKCS11_CFG="$dir/sunpkcs11.cfg" \
    bash "$KEYFED_ROOT/hsm-config/init-token.sh" >"$dir/init-token.out" 2>"$dir/init-token.err" \
    || { cat "$dir/init-token.err" >&2; return 1; }
  SOFTHSM2_CONF="$dir/softhsm2.conf" kf_party_tool identity --config "$dir/sunpkcs11.cfg" \
    --pin-file "$dir/user.pin" 2>>"$dir/init-token.err"
}

# kf_start_parties RUN N FIRST_PORT JAVA_OPTS...: sets KF_PARTY_IDS (ADDRESS:PUBKEY) and KF_PARTY_PORTS.
kf_start_parties() {
  local run="$1" n="$2" port0="$3"; shift 3
  local i peers="" id
  KF_PARTY_IDS=(); KF_PARTY_PORTS=()
  for i in $(seq 1 "$n"); do
    id=$(kf_init_party_token "$run/party$i" "keyfed-party-$i") || return 1
    KF_PARTY_IDS+=("$id")
    KF_PARTY_PORTS+=($((port0 + i)))
    peers+="${peers:+,}${id%%:*}@127.0.0.1:$((port0 + i))"
    echo "  party $i: ${id%%:*} (token keyfed-party-$i, port $((port0 + i)))"
  done
  for i in $(seq 1 "$n"); do
    kf_start_party "$run" "$i" "$peers" "$@"
  done
  KF_PEERS="$peers"
}

# kf_start_party RUN I PEERS JAVA_OPTS...: (re)starts party I, appending its PID to pids.
kf_start_party() {
  local run="$1" i="$2" peers="$3"; shift 3
  local dir="$run/party$i"
  SOFTHSM2_CONF="$dir/softhsm2.conf" java "$@" -Dquarkus.http.port="${KF_PARTY_PORTS[$((i - 1))]}" \
    -Dkeyfed.party.hsm.config-file="$dir/sunpkcs11.cfg" -Dkeyfed.party.hsm.pin-file="$dir/user.pin" \
    -Dkeyfed.party.data-dir="$dir/data" -Dkeyfed.party.peers="$peers" \
    -jar "$PARTY_APP/quarkus-run.jar" >>"$run/logs/party$i.log" 2>&1 &
  pids+=($!)
  KF_PARTY_PIDS[$i]=$!
}

kf_wait_parties() {
  local port
  for port in "${KF_PARTY_PORTS[@]}"; do
    kf_wait_http "http://127.0.0.1:$port/q/health/ready" 90 || { echo "party on port $port did not start" >&2; return 1; }
  done
}

# kf_start_connectors RUN N FIRST_PORT KEYRING LEDGER_PORT JAVA_OPTS...
kf_start_connectors() {
  local run="$1" n="$2" port0="$3" keyring="$4" ledger_port="$5"; shift 5
  local i
  KF_CONNECTOR_PORTS=()
  for i in $(seq 1 "$n"); do
    KF_CONNECTOR_PORTS+=($((port0 + i)))
    kf_start_connector "$run" "$i" "$keyring" "$ledger_port" "$@"
  done
  for i in $(seq 1 "$n"); do
    kf_wait_http "http://127.0.0.1:$((port0 + i))/q/health/ready" 90 \
      || { echo "connector $i did not become ready" >&2; tail -n 30 "$run/logs/connector$i.log" >&2; return 1; }
  done
  echo "  $n connectors watching $keyring"
}

kf_start_connector() {
  local run="$1" i="$2" keyring="$3" ledger_port="$4"; shift 4
  java "$@" -Dquarkus.http.port="${KF_CONNECTOR_PORTS[$((i - 1))]}" -Dkeyfed.connector.keyring-addr="$keyring" \
    -Dquarkus.grpc.clients.ledger.host=127.0.0.1 -Dquarkus.grpc.clients.ledger.port="$ledger_port" \
    -Dquarkus.grpc.clients.party.host=127.0.0.1 -Dquarkus.grpc.clients.party.port="${KF_PARTY_PORTS[$((i - 1))]}" \
    -jar "$CONNECTOR_JAR" >>"$run/logs/connector$i.log" 2>&1 &
  pids+=($!)
  KF_CONNECTOR_PIDS[$i]=$!
}
