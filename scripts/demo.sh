#!/usr/bin/env bash
# ./keyfed demo [--json FILE]: starts the ledger (embedded PostgreSQL), three parties with their own
# SoftHSM2 tokens and data directories, and three connectors; sets up accounts from a genesis, a workspace
# and a 2-of-3 keyring whose parties are registered by their token-held keys; requests one key of each
# type, waits for FULFILLED and then for all three parties to hold each key (it fails, listing the missing
# holders, if a request's deadline passes first), prints each key with its addresses; then asks the ed25519
# key to sign a short text and the taproot, ecdsa and bitcoin keys a 32-byte digest each, waits for FULFILLED
# (it fails, with the reason, if a sign request is rejected or not final in time) and shows each signature
# with the key it verifies under (for ECDSA also the recovery id, the EVM address the signature recovers to,
# as the client computes it, and DER for the bitcoin key; it fails if that is not the key's); prints the fee movements; stops everything. --json FILE writes the requests (each with
# its n signed party answers and its holders), the keys, the sign requests, the keyring and the balances.
# The processes are started and stopped by the functions of federation.sh, as ./keyfed up does, on the run
# directory .keyfed/demo (wiped at the start, logs kept at the end) and the port block KEYFED_DEMO_BASE_PORT
# (default 18080: ledger 18080, parties 18091-18093, connectors 18101-18103, party management 18111-18113).
set -euo pipefail
source "$KEYFED_ROOT/scripts/lib.sh"
source "$KEYFED_ROOT/scripts/federation.sh"
cd "$KEYFED_ROOT"

json_out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --json) json_out="${2:?--json needs a file}"; shift 2 ;;
    --json=*) json_out="${1#--json=}"; shift ;;
    -h|--help)
      echo "usage: ./keyfed demo [--json FILE]"
      echo "  Runs the whole key-request flow on this machine, then signs one message with each key"
      echo "  (ed25519: a text; taproot, ecdsa, bitcoin: a 32-byte digest), and stops what it started."
      echo "  --json FILE  also write keys, requests (with every party's signed answer and the holders),"
      echo "               sign_requests, keyring, balances and genesis supply as JSON"
      exit 0 ;;
    *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
  esac
done
if [ -n "$json_out" ]; then
  case "$json_out" in /*) ;; *) json_out="$PWD/$json_out" ;; esac
fi

start_s=$(date +%s)
kf_ensure_system_deps
kf_build all

RUN="$KEYFED_ROOT/.keyfed/demo"
# A demo interrupted hard (SIGKILL) may have left its processes: stop them before wiping their directory.
[ -d "$RUN" ] && kf_fed_stop "$RUN"
rm -rf "$RUN"
mkdir -p "$RUN/logs" "$RUN/home"
chmod 700 "$RUN"
base_port="${KEYFED_DEMO_BASE_PORT:-18080}"
kf_fed_layout "$base_port" 3
ledger_port=$KF_LEDGER_PORT
kf_ports_free "$ledger_port" "${KF_PARTY_PORTS[@]}" "${KF_CONNECTOR_PORTS[@]}" "${KF_PARTY_MGMT_PORTS[@]}" \
  || { echo "the demo's port block is not free; move it with KEYFED_DEMO_BASE_PORT" >&2; exit 1; }
LEDGER="$(kf_scheme)://127.0.0.1:$ledger_port"
export KEYFED_LEDGER="$LEDGER" KEYFED_HOME="$RUN/home"
kf_client_tls "$RUN" # KEYFED_CA: the client trusts the run's CA

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ ${#pids[@]} -gt 0 ]; then
    kf_log "stopping ${#pids[@]} processes"
    kf_fed_stop "$RUN"
  fi
  [ $rc -ne 0 ] && kf_log "demo failed (exit $rc); logs are in $RUN/logs"
  exit $rc
}
trap cleanup EXIT INT TERM

cli() { kf_cli "$@"; }
# Prints each status change of a request until it is final; fails if it ends REJECTED or takes too long.
kf_wait_request() {
  local id="$1" limit="$2" last="" st i=0
  while :; do
    st=$(kf_cli --quiet key request-show "$id")
    [ "$st" != "$last" ] && { echo "  request $id: ${st#KEY_REQUEST_STATUS_}"; last="$st"; }
    case "$st" in
      *FULFILLED) return 0 ;;
      *REJECTED) kf_cli key request-show "$id" | grep -i reason >&2 || true; return 1 ;;
    esac
    i=$((i + 1)); [ $i -gt $((limit * 5)) ] && { echo "request $id still $st after ${limit}s" >&2; return 1; }
    sleep 0.2
  done
}
# As kf_wait_request, for a sign request: fails with the ledger's reason if it ends REJECTED, or if it is not
# final after $2 seconds.
kf_wait_sign() {
  local id="$1" limit="$2" last="" st i=0
  while :; do
    st=$(kf_cli --quiet sign show "$id")
    [ "$st" != "$last" ] && { echo "  sign request $id: ${st#SIGN_REQUEST_STATUS_}"; last="$st"; }
    case "$st" in
      *FULFILLED) return 0 ;;
      *REJECTED)
        echo "sign request $id was REJECTED: $(kf_cli --json sign show "$id" \
          | python3 -c 'import json,sys; print(json.load(sys.stdin).get("reject_reason") or "(no reason)")')" >&2
        return 1 ;;
    esac
    i=$((i + 1))
    [ $i -gt $((limit * 5)) ] && { echo "sign request $id is still ${st#SIGN_REQUEST_STATUS_} after ${limit}s, not FULFILLED" >&2; return 1; }
    sleep 0.2
  done
}
# Waits until every party of each request holds its key (n holders on the ledger: the fulfilling answers and
# the later holder attestations). If a request's deadline passes first, lists its missing holders and fails.
kf_wait_holders() {
  python3 - "$LEDGER" "$@" <<'PY'
import json, os, ssl, sys, time, urllib.request
tls = ssl.create_default_context(cafile=os.environ["KEYFED_CA"]) if os.environ.get("KEYFED_CA") else None
base, *ids = sys.argv[1:]
def get(i):
    with urllib.request.urlopen(f"{base}/v1/treasury/key-requests/{i}", context=tls) as r:
        return json.load(r)
waiting, failed = list(ids), False
while waiting:
    for i in list(waiting):
        r = get(i)
        parties = [p["address"] for p in r["parties"]]
        holders = r.get("holders", [])
        if len(holders) == len(parties):
            print(f"  request {i}: {len(holders)} of {len(parties)} parties hold the key")
            waiting.remove(i)
        elif time.time() * 1000 > r["deadline_unix_ms"]:
            missing = [p for p in parties if p not in holders]
            print(f"  request {i}: deadline passed with {len(holders)} of {len(parties)} holders; missing:",
                  file=sys.stderr)
            faults = {f["party"]: f["reason"] for f in r.get("faults", [])}
            for p in missing:
                why = ("says it holds no share" if p in r.get("non_holders", [])
                       else "fault: " + faults[p] if p in faults else "no answer")
                print(f"    {p} ({why})", file=sys.stderr)
            waiting.remove(i)
            failed = True
    if waiting:
        time.sleep(0.2)
sys.exit(1 if failed else 0)
PY
}
q() { kf_cli --quiet "$@"; }
step() { printf '\n\033[1;36m== %s\033[0m\n' "$*"; }

# ---------------------------------------------------------------------------------------------
step "1. accounts and genesis"
q keys add alice >/dev/null
q keys add bob >/dev/null
alice=$(q keys show alice); bob=$(q keys show bob)
echo "alice (workspace owner): $alice"
echo "bob   (keyring admin):   $bob"
q genesis --out "$RUN/genesis.json" --chain-id keyfed-demo --prefix zen \
  --account alice=1000000 --account bob=250000 --default-timeout 60 >/dev/null
cat "$RUN/genesis.json"; echo

# ---------------------------------------------------------------------------------------------
step "2. start the ledger (embedded PostgreSQL under $RUN/ledger)"
kf_start_ledger "$RUN"

parties=()
have_parties=0
if [ -f party/service/target/quarkus-app/quarkus-run.jar ] && [ -f connector/target/quarkus-app/quarkus-run.jar ] \
   && [ "${KEYFED_DEMO_LEDGER_ONLY:-0}" != 1 ]; then
  have_parties=1
fi

if [ $have_parties = 1 ]; then
  step "3. three parties, each with its own SoftHSM2 token and data directory"
  kf_init_parties "$RUN" 3
  kf_start_parties "$RUN" 3
fi

kf_wait_ready ledger "$ledger_port" "$RUN"
echo "ledger ready on port $ledger_port (gRPC and REST)"
cli params

if [ $have_parties = 1 ]; then
  kf_wait_parties "$RUN" 3
  party_args=()
  for p in "${KF_PARTY_IDS[@]}"; do party_args+=(--party "$p"); done
else
  step "3. (no party service built: registering three software keys as stand-in parties; requests stay PENDING)"
  party_args=()
  for i in 1 2 3; do q keys add "party$i" >/dev/null; party_args+=(--party "$(q keys show party$i --party)"); done
fi
printf '%s\n' "${party_args[@]}" | grep -v -- --party | sed 's/^/  party /'

# ---------------------------------------------------------------------------------------------
step "4. a workspace owned by alice, and a 2-of-3 keyring administered by bob (fees: 100 urock a key, 10 a signed message)"
ws=$(q workspace create --from alice)
echo "workspace: $ws"
kr=$(q keyring create --from bob --description "demo federation" --threshold 2 --key-fee 100 --sig-fee 10 "${party_args[@]}")
echo "keyring:   $kr"
cli keyring show "$kr"

if [ $have_parties = 1 ]; then
  kf_start_connectors "$RUN" 3 "$kr"
  echo "  3 connectors watching $kr"
fi

escrow=$(kf_cli --json params | python3 -c 'import json,sys; print(json.load(sys.stdin)["escrow_address"])')
balances_json() {
  python3 - "$LEDGER" "$alice" "$bob" "$kr" "$escrow" <<'PY'
import json, os, ssl, sys, urllib.request
base, *addrs = sys.argv[1:]
tls = ssl.create_default_context(cafile=os.environ["KEYFED_CA"]) if os.environ.get("KEYFED_CA") else None
out = {}
for a in addrs:
    with urllib.request.urlopen(f"{base}/v1/bank/balances/{a}", context=tls) as r:
        out[a] = json.load(r)["amount"]
print(json.dumps(out))
PY
}
before=$(balances_json)

# ---------------------------------------------------------------------------------------------
ids=() sign_ids=()
if [ $have_parties = 1 ]; then
  step "5. request one key of each type and wait for FULFILLED"
  for t in ecdsa ed25519 bitcoin taproot; do
    id=$(q key request --from alice --workspace "$ws" --keyring "$kr" --type "$t" --timeout 60)
    echo "requested $t key: request $id"
    ids+=("$id")
  done
  for id in "${ids[@]}"; do kf_wait_request "$id" 90; done
  step "5b. wait until all 3 parties hold each key (holder attestations after FULFILLED)"
  kf_wait_holders "${ids[@]}"
  step "6. the keys, with their addresses in every wallet format"
  for id in "${ids[@]}"; do cli key show "$id"; echo; done

  # A key's id is the id of the request that made it: ids[0] is the ecdsa key, ids[1] the ed25519 key,
  # ids[2] the bitcoin key, ids[3] the taproot key.
  ed_key=${ids[1]} tr_key=${ids[3]}
  ed_text="KeyFed demo: hello, federation"
  tr_text="KeyFed demo: a taproot spend"
  ed_msg=$(printf '%s' "$ed_text" | od -An -v -tx1 | tr -d ' \n')
  tr_msg=$(printf '%s' "$tr_text" | sha256sum | cut -d' ' -f1)
  step "6b. sign: the ed25519 key signs a short text, the taproot key a 32-byte digest"
  echo "ed25519 key $ed_key, message: the UTF-8 bytes of \"$ed_text\" ($ed_msg)"
  sid=$(q sign --from alice --key "$ed_key" --message "$ed_msg" --timeout 60)
  echo "  sign request $sid"
  sign_ids+=("$sid")
  echo "taproot key $tr_key, message: SHA-256(\"$tr_text\") = $tr_msg"
  sid=$(q sign --from alice --key "$tr_key" --message "$tr_msg" --timeout 60)
  echo "  sign request $sid"
  sign_ids+=("$sid")
  # Threshold ECDSA (DKLs23): the ecdsa key signs as for an EVM chain, the bitcoin key as for a P2WPKH spend.
  ec_key=${ids[0]} btc_key=${ids[2]}
  ec_text="KeyFed demo: an EVM transaction" btc_text="KeyFed demo: a Bitcoin spend"
  ec_msg=$(printf '%s' "$ec_text" | sha256sum | cut -d' ' -f1)
  btc_msg=$(printf '%s' "$btc_text" | sha256sum | cut -d' ' -f1)
  step "6c. sign: the ecdsa key and the bitcoin key each sign a 32-byte digest (threshold ECDSA)"
  echo "ecdsa key $ec_key, message: SHA-256(\"$ec_text\") = $ec_msg"
  sid=$(q sign --from alice --key "$ec_key" --message "$ec_msg" --timeout 60)
  echo "  sign request $sid"
  sign_ids+=("$sid")
  echo "bitcoin key $btc_key, message: SHA-256(\"$btc_text\") = $btc_msg"
  sid=$(q sign --from alice --key "$btc_key" --message "$btc_msg" --timeout 60)
  echo "  sign request $sid"
  sign_ids+=("$sid")
  for sid in "${sign_ids[@]}"; do kf_wait_sign "$sid" 90; done
  step "6d. the signatures, and the key each verifies under (ECDSA: the address each recovers to)"
  show_sign=$(cat <<'PY'
import json, sys
r = json.load(sys.stdin)
scheme = r["scheme"].removeprefix("SIGNATURE_SCHEME_")
print(f"sign request {r['id']}: key {r['key_id']}, {scheme}, fee {r['fee']} urock")
print(f"  verifies under: {r['verifying_key']}")
ecdsa = r.get("ecdsa") or []
for i, (m, s) in enumerate(zip(r["messages"], r["signatures"])):
    print(f"  message:        {m}")
    print(f"  signature:      {s}")
    if i < len(ecdsa):
        e = ecdsa[i]
        print(f"  recovery id:    {e['recovery_id']} (Ethereum v {e['v']})")
        print(f"  recovers to:    {e['recovered_evm_address']}"
              + (" (the key's EVM address)" if e["matches_key"] else f" (NOT the key's: {e['key_evm_address']})"))
        if "der" in e:
            print(f"  DER (BIP-66):   {e['der']}")
PY
)
  for sid in "${sign_ids[@]}"; do
    # The client's JSON of the request: the ledger's, plus for ECDSA the forms and the recovered address it
    # computed (it exits 1 if a signature does not recover to the key). Kept for --json.
    kf_cli --json sign show "$sid" >"$RUN/sign-request-$sid.json"
    python3 -c "$show_sign" <"$RUN/sign-request-$sid.json"
  done
else
  step "5. a key request (stays PENDING: no parties are running)"
  id=$(q key request --from alice --workspace "$ws" --keyring "$kr" --type ecdsa --timeout 3600)
  ids+=("$id")
  cli key request-show "$id"
  step "6. queries"
  cli workspace show "$ws"
  cli key requests --keyring "$kr"
fi
after=$(balances_json)

step "7. fee movements (urock)"
python3 - "$before" "$after" "$alice" "$bob" "$kr" "$escrow" <<'PY'
import json, sys
before, after = json.loads(sys.argv[1]), json.loads(sys.argv[2])
names = dict(zip(sys.argv[3:], ["alice (owner)", "bob (admin)", "keyring", "escrow"]))
for a, name in names.items():
    b, c = int(before[a]), int(after[a])
    print(f"  {name:14} {b:>10} -> {c:>10}  ({c - b:+d})")
PY

step "8. the tx log"
cli verify-log

if [ -n "$json_out" ]; then
  KF_SIGN_IDS="${sign_ids[*]}" KF_RUN="$RUN" python3 - "$LEDGER" "$json_out" "$kr" "$before" "$after" "${ids[@]}" <<'PY'
import json, os, ssl, sys, urllib.request
tls = ssl.create_default_context(cafile=os.environ["KEYFED_CA"]) if os.environ.get("KEYFED_CA") else None
base, out, kr, before, after, *ids = sys.argv[1:]
def get(path):
    with urllib.request.urlopen(base + path, context=tls) as r:
        return json.load(r)
doc = {
    "keys": [], "requests": [get(f"/v1/treasury/key-requests/{i}") for i in ids],
    # As the client printed them in step 6d: the ledger's JSON, for ECDSA with the client's "ecdsa" array.
    "sign_requests": [json.load(open(f"{os.environ['KF_RUN']}/sign-request-{i}.json"))
                      for i in os.environ["KF_SIGN_IDS"].split()],
    "keyring": get(f"/v1/identity/keyrings/{kr}"),
    "balances": {"before": json.loads(before), "after": json.loads(after)},
    "genesis_supply": get("/v1/params")["genesis_supply"],
}
for r in doc["requests"]:
    if r.get("status") == "KEY_REQUEST_STATUS_FULFILLED":
        doc["keys"].append(get(f"/v1/treasury/keys/{r['id']}?wallet_type=WALLET_TYPE_UNSPECIFIED"))
with open(out, "w") as f:
    json.dump(doc, f, indent=2)
PY
  echo "wrote $json_out"
fi
echo
kf_log "demo finished in $(( $(date +%s) - start_s )) s"
