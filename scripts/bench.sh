#!/usr/bin/env bash
# ./keyfed bench: drives the real deployment on this machine (the ledger with its embedded PostgreSQL, P
# parties with their own SoftHSM2 tokens, one connector per party) with a closed-loop load of NewKeyRequests,
# and reports fulfilled keys/s, latency from "NewKeyRequest committed" to FULFILLED, CPU per key of each
# process, and errors. With --sign it makes a few keys of the type first, then drives NewSignatureRequests of
# --messages messages each against them, and also reports signatures/s. Stops everything it started. The services are started and stopped by the functions
# of federation.sh (as ./keyfed up and the demo), on the run directory .keyfed/bench.
set -euo pipefail
source "$KEYFED_ROOT/scripts/lib.sh"
source "$KEYFED_ROOT/scripts/federation.sh"
source "$KEYFED_ROOT/scripts/bench-prefill.sh"
cd "$KEYFED_ROOT"

keys=200 conc=32 type=ecdsa threshold=2 parties=3 json_out="" warmup="" warmup_batch="" timeout=120 sign=0 messages=""
sign_keys="" crypto=1 crypto_only=0 prefill=0
usage() {
  cat <<'USAGE'
usage: ./keyfed bench [--keys N] [--concurrency C] [--type ecdsa|ed25519|bitcoin|taproot] [--threshold T]
                      [--parties P] [--json FILE] [--warmup W] [--warmup-batch B] [--timeout S] [--prefill N]
                      [--no-crypto | --crypto-only]
       ./keyfed bench --sign --type ed25519|taproot|ecdsa|bitcoin [--messages M] [--sign-keys K] [--keys N] [other options]
  Starts a ledger, P parties (SoftHSM2 tokens) and P connectors, creates a T-of-P keyring and a
  workspace with C owners, then keeps C NewKeyRequests in flight until N keys are final.
  --sign: first makes K keys of the type (default 1), then keeps C NewSignatureRequests in flight, each
  of M messages (default 1; ed25519: short texts; taproot, ecdsa, bitcoin: 32-byte digests) with the K
  keys in turn, until N sign requests are final. The report has the same fields, counting fulfilled sign requests
  where it counts keys (keys_per_s is requests/s, cpu_s_per_key is per request), plus signatures_per_s
  (fulfilled requests x M per second) and params.mode = "sign", params.messages, params.sign_keys.
  Defaults: --keys 200 --concurrency 32 --type ecdsa --threshold 2 --parties 3 --timeout 120
            --warmup 1500 keys, or 300 sign requests with --sign (run first, in batches of --warmup-batch,
            default 100, and left out of the figures; 0 for none; see bench/README.md for why)
  Before the load it runs the matching JMH benchmarks (bench/run.sh: the in-memory DKG, or the signing
  session, and the HSM operations, single-threaded) and reports crypto_ms_per_key, cpu_ms_per_key_deployment,
  overhead_ratio and floor_keys_per_s (bench/README.md, "Cryptography against the deployment").
  --no-crypto skips JMH (those fields are null, with the reason); --crypto-only runs JMH alone, no deployment.
  Prints one summary line; --json FILE also writes keys_per_s, p50_ms, p90_ms, p99_ms, max_ms, errors,
  fulfilled, CPU seconds per key of each process (ledger includes its PostgreSQL), the fields above with
  their JMH terms, the warm-up's batches, the parameters and the machine. Exit status 1 if any request was
  not FULFILLED.
  --prefill N: before the load, fills the ledger's database with N (up to 1000000 and more) finished key
  requests and keys (the ledger's own tables, by COPY; see bench/README.md), restarts the ledger on it, and
  after the load times listing the biggest prefilled workspace (min(N, 50000) keys) on page 1 and page 1000
  (20 a page, median of 7 calls). The JSON report then also has prefill_rows, prefill_seconds,
  prefill_workspace_keys, list_page1_ms and list_page1000_ms (and a second summary line).
Environment:
  KEYFED_BENCH_JAVA_OPTS   JVM options of the services (default "-XX:+UseParallelGC -Xss512k": the full tiered
                           JIT and a throughput collector, as a production deployment on 2 cores would run;
                           bench/README.md says why; the demo's C1-only flags are
                           "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k")
  KEYFED_BENCH_JMH_OPTS    JMH options of the crypto benchmarks (default "-f 1 -wi 5 -w 2s -i 5 -r 2s")
  KEYFED_BENCH_BASE_PORT   first port (default 19080): ledger = base, parties base+100+i, connectors base+200+i,
                           party management (health, metrics, admin) base+300+i
  KEYFED_BENCH_JFR=1       record a JFR profile (settings=profile) of every service during the measured
                           phase (after the warm-up), into .keyfed/bench/jfr/NAME.jfr; read it with
                           jfr print --events jdk.ExecutionSample --stack-depth 64 FILE
  KEYFED_BENCH_LOG_LEVEL   root log level of the services (default INFO, as deployed)
USAGE
}
while [ $# -gt 0 ]; do
  case "$1" in
    --keys) keys="${2:?}"; shift 2 ;;
    --concurrency) conc="${2:?}"; shift 2 ;;
    --type) type="${2:?}"; shift 2 ;;
    --threshold) threshold="${2:?}"; shift 2 ;;
    --parties) parties="${2:?}"; shift 2 ;;
    --json) json_out="${2:?}"; shift 2 ;;
    --warmup) warmup="${2:?}"; shift 2 ;;
    --warmup-batch) warmup_batch="${2:?}"; shift 2 ;;
    --no-crypto) crypto=0; shift ;;
    --crypto-only) crypto_only=1; shift ;;
    --timeout) timeout="${2:?}"; shift 2 ;;
    --sign) sign=1; shift ;;
    --messages) messages="${2:?}"; shift 2 ;;
    --sign-keys) sign_keys="${2:?}"; shift 2 ;;
    --prefill) prefill="${2:?}"; shift 2 ;;
    --*=*) set -- "${1%%=*}" "${1#*=}" "${@:2}" ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
  esac
done
num() { [[ "$2" =~ ^[0-9]+$ ]] || { echo "$1 must be a number, got '$2'" >&2; exit 2; }; }
num --keys "$keys"; num --concurrency "$conc"; num --threshold "$threshold"; num --parties "$parties"
num --timeout "$timeout"
num --prefill "$prefill"
if [ -z "$warmup" ]; then
  if [ $sign = 1 ]; then warmup=300; else warmup=1500; fi
fi
num --warmup "$warmup"
[ -z "$warmup_batch" ] || { num --warmup-batch "$warmup_batch"; [ "$warmup_batch" -ge 1 ] || { echo "--warmup-batch must be at least 1" >&2; exit 2; }; }
[ $crypto = 1 ] || [ $crypto_only = 0 ] || { echo "--crypto-only and --no-crypto exclude each other" >&2; exit 2; }
case "$type" in ecdsa|ed25519|eddsa|bitcoin|btc|taproot|bitcoin-taproot) ;; *) echo "--type must be ecdsa, ed25519, bitcoin or taproot" >&2; exit 2 ;; esac
sign_args=()
if [ $sign = 1 ]; then
  [ -z "$messages" ] || { num --messages "$messages"; [ "$messages" -ge 1 ] && [ "$messages" -le 64 ] \
    || { echo "--messages must be 1..64" >&2; exit 2; }; }
  [ -z "$sign_keys" ] || { num --sign-keys "$sign_keys"; [ "$sign_keys" -ge 1 ] || { echo "--sign-keys must be at least 1" >&2; exit 2; }; }
  sign_args=(--sign ${messages:+--messages "$messages"} ${sign_keys:+--sign-keys "$sign_keys"})
elif [ -n "$messages$sign_keys" ]; then
  echo "--messages and --sign-keys need --sign" >&2; exit 2
fi
[ "$conc" -ge 1 ] && [ "$keys" -ge 1 ] || { echo "--keys and --concurrency must be at least 1" >&2; exit 2; }
[ "$threshold" -ge 1 ] && [ "$threshold" -le "$parties" ] || { echo "need 1 <= threshold <= parties" >&2; exit 2; }
[ "$parties" -le 99 ] || { echo "at most 99 parties" >&2; exit 2; }
if [ -n "$json_out" ]; then
  case "$json_out" in /*) ;; *) json_out="$PWD/$json_out" ;; esac
fi

kf_ensure_system_deps
kf_build all
BENCH_JAR="$KEYFED_ROOT/bench/target/benchmarks.jar"
if kf_stale "$BENCH_JAR" bench/pom.xml bench/src cli/src api/src; then
  kf_log "building the load generator (bench module)"
  ./mvnw -B -q -pl bench -am package -DskipTests >&2
fi
lg() { java -XX:+UseSerialGC -Dslf4j.internal.verbosity=ERROR -cp "$BENCH_JAR" io.keyfed.bench.load.LoadGenerator "$@"; }
kf_type_lower="$(tr '[:upper:]' '[:lower:]' <<<"$type")"
case "$kf_type_lower" in ed25519|eddsa) dkg_curve=ed25519 suite=ed25519 ;; taproot|bitcoin-taproot) dkg_curve=secp256k1 suite=taproot ;;
  *) dkg_curve=secp256k1 suite="" ;; esac

RUN="$KEYFED_ROOT/.keyfed/bench"
[ -d "$RUN" ] && kf_fed_stop "$RUN"
rm -rf "$RUN"
mkdir -p "$RUN/logs" "$RUN/home"
chmod 700 "$RUN" "$RUN/home"
# 0. the cryptography alone, on this machine, before the deployment starts: the JMH benchmarks whose sum is
#    crypto_ms_per_key (bench/README.md), single-threaded, through bench/run.sh (which makes its SoftHSM2 token).
crypto_args=(--no-crypto "skipped with --no-crypto")
if [ $crypto = 1 ]; then
  if [ $sign = 0 ]; then
    jmh_regex='DkgFederationBenchmark\.federation$|HsmBenchmark\.(signIdentity|seal)$'
  elif [ -n "$suite" ]; then
    jmh_regex='FrostSigningBenchmark\.session$|HsmBenchmark\.(signIdentity|unseal)$'
  else
    jmh_regex='DklsBenchmark\.signSession$|HsmBenchmark\.(signIdentity|unseal)$'
  fi
  read -r -a jmh_opts <<<"${KEYFED_BENCH_JMH_OPTS:--f 1 -wi 5 -w 2s -i 5 -r 2s}"
  kf_log "crypto: JMH '$jmh_regex' ${jmh_opts[*]}, $threshold-of-$parties (log: $RUN/logs/jmh.log)"
  # JMH's times are wall-clock: on a busy machine they grow with its load. The report keeps the load averages.
  jmh_load_before="$(cut -d' ' -f1 /proc/loadavg)"
  # JMH runs one at a time per machine (its /tmp/jmh.lock): wait up to 10 minutes for another run to end.
  for attempt in $(seq 1 40); do
    if bench/run.sh "$jmh_regex" -p curve="$dkg_curve" -p tn="${threshold}of${parties}" ${suite:+-p ciphersuite="$suite"} \
        "${jmh_opts[@]}" -t 1 -bm avgt -tu ms -rf json -rff "$RUN/jmh.json" >"$RUN/logs/jmh.log" 2>&1; then
      break
    fi
    if [ "$attempt" -lt 40 ] && grep -q 'Unable to acquire the JMH lock' "$RUN/logs/jmh.log"; then
      kf_log "crypto: another JMH run holds /tmp/jmh.lock; retrying in 15 s"
      sleep 15
      continue
    fi
    echo "the JMH benchmarks failed; see $RUN/logs/jmh.log (or run with --no-crypto)" >&2
    exit 1
  done
  crypto_args=(--crypto-jmh "$RUN/jmh.json" --param "jmh_loadavg_1m=$jmh_load_before,$(cut -d' ' -f1 /proc/loadavg)")
fi
if [ $crypto_only = 1 ]; then
  lg crypto --jmh "$RUN/jmh.json" --type "$type" --threshold "$threshold" --parties "$parties" \
    $([ $sign = 1 ] && echo --sign) ${messages:+--messages "$messages"} --cores "$(nproc)" ${json_out:+--json "$json_out"}
  [ -n "$json_out" ] && kf_log "wrote $json_out"
  exit 0
fi

base_port="${KEYFED_BENCH_BASE_PORT:-19080}"
kf_fed_layout "$base_port" "$parties" 100
ledger_port=$KF_LEDGER_PORT
kf_ports_free "$ledger_port" "${KF_PARTY_PORTS[@]}" "${KF_CONNECTOR_PORTS[@]}" "${KF_PARTY_MGMT_PORTS[@]}" \
  || { echo "the bench's port block is not free; move it with KEYFED_BENCH_BASE_PORT" >&2; exit 1; }
LEDGER="$(kf_scheme)://127.0.0.1:$ledger_port"
kf_client_tls "$RUN" # KEYFED_CA: the load generator trusts the run's CA

# JVM settings of the services: as a production deployment runs them (the full tiered JIT, ParallelGC), not the
# demo's C1-only start-up flags; the warm-up gives C2 its time (bench/README.md, "JVM flags and warm-up").
read -r -a KF_JAVA_OPTS <<<"${KEYFED_BENCH_JAVA_OPTS:--XX:+UseParallelGC -Xss512k}"
log_level="${KEYFED_BENCH_LOG_LEVEL:-INFO}"
LOG_OPTS=(-Dquarkus.log.level="$log_level")
JAVA_OPTS=("${KF_JAVA_OPTS[@]}" "${LOG_OPTS[@]}")

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ ${#pids[@]} -gt 0 ]; then
    kf_log "stopping ${#pids[@]} processes"
    kf_fed_stop "$RUN"
  fi
  [ $rc -ne 0 ] && kf_log "bench failed or had errors (exit $rc); logs are in $RUN/logs"
  exit $rc
}
trap cleanup EXIT INT TERM

# 1. keys and genesis: an admin and C owners (one per request in flight, so account sequences never race),
#    each funded far beyond N fees.
if [ $sign = 1 ]; then
  kf_log "bench: $keys sign requests of ${messages:-1} messages with ${sign_keys:-1} $type keys, $conc in flight, $threshold-of-$parties; run directory $RUN"
else
  kf_log "bench: $keys $type keys, $conc in flight, $threshold-of-$parties; run directory $RUN"
fi
lg init --home "$RUN/home" --accounts "$conc" --amount 1000000000 --chain-id keyfed-bench \
  --genesis "$RUN/genesis.json" --timeout "$timeout"

# 2. ledger and parties
kf_start_ledger "$RUN" "${LOG_OPTS[@]}"
[ "$prefill" -eq 0 ] || kf_bench_prefill "$RUN" "$prefill" "${LOG_OPTS[@]}"
ledger_pid=${KF_PIDS[ledger]}

# A party holds at most max-sessions DKG sessions; give it room for the offered load.
max_sessions=$(( conc * 2 > 64 ? conc * 2 : 64 ))
party_opts=("${LOG_OPTS[@]}" -Dkeyfed.party.max-sessions=$max_sessions)
kf_init_parties "$RUN" "$parties" >/dev/null
kf_start_parties "$RUN" "$parties" "${party_opts[@]}"
kf_wait_ready ledger "$ledger_port" "$RUN"
kf_wait_parties "$RUN" "$parties"

# 3. keyring, workspace
party_args=()
for p in "${KF_PARTY_IDS[@]}"; do party_args+=(--party "$p"); done
setup_out=$(lg setup --home "$RUN/home" --ledger "$LEDGER" --accounts "$conc" --threshold "$threshold" --fee 1 \
  "${party_args[@]}")
keyring=$(sed -n 's/^KEYRING=//p' <<<"$setup_out")
workspace=$(sed -n 's/^WORKSPACE=//p' <<<"$setup_out")
[ -n "$keyring" ] && [ -n "$workspace" ] || { echo "setup failed: $setup_out" >&2; exit 1; }

# 4. connectors, with limits that do not cap the offered load: the defaults (max-in-flight 16,
#    rate-limit 50/s) would hold a 32-in-flight run at 16 and 50 keys/s.
conn_in_flight=$(( conc * 2 > 64 ? conc * 2 : 64 ))
conn_opts=("${LOG_OPTS[@]}" -Dkeyfed.connector.max-in-flight=$conn_in_flight
  -Dkeyfed.connector.rate-limit-per-second=0 -Dkeyfed.connector.retry.max-backoff=1s)
kf_start_connectors "$RUN" "$parties" "$keyring" "${conn_opts[@]}"

# 5. the load
# CPU groups. pg_ctl daemonises each embedded PostgreSQL, so its postmaster (and its backends) are found by
# data directory, listed before the JVM that started it; the report adds X_jvm and X_postgres up as X.
groups=(--group-match "ledger_postgres=-D $RUN/ledger " --group "ledger_jvm=$ledger_pid")
for i in $(seq 1 "$parties"); do
  groups+=(--group-match "party${i}_postgres=-D $RUN/party$i/data/pgdata " --group "party${i}_jvm=${KF_PARTY_PIDS[$i]}"
    --group "connector$i=${KF_CONNECTOR_PIDS[$i]}")
done
kf_log "deployment ready (ledger pid $ledger_pid); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
# Optional profile: one JFR recording per service of the measured phase, dumped after the run. A first recording
# with the same settings starts before the warm-up and runs on unread: enabling JFR's events re-instruments JDK
# classes and throws compiled code away, which started at the measured phase alone tripled its CPU per key.
jfr_targets=("ledger=$ledger_pid")
for i in $(seq 1 "$parties"); do
  jfr_targets+=("party$i=${KF_PARTY_PIDS[$i]}" "connector$i=${KF_CONNECTOR_PIDS[$i]}")
done
jfr() { # jfr start NAME|dump
  [ "${KEYFED_BENCH_JFR:-0}" = 1 ] || return 0
  mkdir -p "$RUN/jfr"
  local t
  for t in "${jfr_targets[@]}"; do
    if [ "$1" = start ]; then
      jcmd "${t#*=}" JFR.start name="$2" settings=profile >/dev/null || true
    else
      jcmd "${t#*=}" JFR.dump name=bench filename="$RUN/jfr/${t%%=*}.jfr" >/dev/null || true
    fi
  done
}
hook=()
if [ "${KEYFED_BENCH_JFR:-0}" = 1 ]; then
  # started by the load generator between the warm-up and the measured phase
  hook=(--before-measure "$(declare -p jfr_targets RUN); $(declare -f jfr); KEYFED_BENCH_JFR=1 jfr start bench")
  jfr start warmup
fi
set +e
lg run --home "$RUN/home" --ledger "$LEDGER" --keyring "$keyring" --workspace "$workspace" \
  --keys "$keys" --warmup "$warmup" ${warmup_batch:+--warmup-batch "$warmup_batch"} --concurrency "$conc" \
  --type "$type" --timeout "$timeout" ${sign_args[@]+"${sign_args[@]}"} \
  --clk-tck "$(getconf CLK_TCK)" "${groups[@]}" ${json_out:+--json "$json_out"} \
  --threshold "$threshold" --parties "$parties" "${crypto_args[@]}" --cores "$(nproc)" \
  --param "java_opts=${JAVA_OPTS[*]}" ${jmh_opts[@]+--param "jmh_opts=${jmh_opts[*]}"} \
  --param "connector_max_in_flight=$conn_in_flight" --param "connector_rate_limit=0" \
  --param "party_max_sessions=$max_sessions" "${hook[@]}"
rc=$?
set -e
[ "$prefill" -eq 0 ] || kf_bench_prefill_report "$RUN" "$prefill" "$LEDGER" "$json_out" || rc=1
jfr dump
[ "${KEYFED_BENCH_JFR:-0}" = 1 ] && kf_log "JFR recordings in $RUN/jfr"
[ -n "$json_out" ] && [ -f "$json_out" ] && kf_log "wrote $json_out"
exit $rc
