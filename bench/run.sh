#!/usr/bin/env bash
# Runs KeyFed's JMH micro-benchmarks (see bench/README.md).
#
#   bench/run.sh                      all benchmarks, average time, then 2-thread throughput of
#                                     the federation DKG and the HSM operations
#   bench/run.sh Dkg                  benchmarks matching a regex (average time only)
#   bench/run.sh DkgParty.party -p curve=ed25519 -p tn=3of5
#   bench/run.sh FrostSigning -p ciphersuite=taproot
#   bench/run.sh Hsm -bm thrpt -t 2   any JMH option; given options replace the defaults
#   bench/run.sh -h                   JMH's own help
#
# Defaults: -f 1 -wi 2 -i 3 -w 2s -r 2s -tu ms -bm avgt. Builds bench/target/benchmarks.jar when
# missing, with the modules it needs (-pl bench -am, no install; KEYFED_BENCH_REBUILD=1 forces it).
# When an HSM benchmark is selected, creates a SoftHSM2 token under bench/target/softhsm with
# hsm-config/init-token.sh (random PINs in 0600 files there, never in the repository) and exports
# SOFTHSM2_CONF, KEYFED_BENCH_HSM_CONFIG and KEYFED_BENCH_HSM_PIN_FILE; JMH's forked JVMs inherit the
# environment.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
target="$here/target"
jar="$target/benchmarks.jar"
log() { printf 'bench: %s\n' "$*" >&2; }

# --- arguments: an optional leading regex, then JMH options ------------------------------
regex=""
if [[ $# -gt 0 && "$1" != -* ]]; then
  regex="$1"
  shift
fi
user_args=("$@")
has_opt() { local o; for o in "${user_args[@]}"; do [[ "$o" == "$1" ]] && return 0; done; return 1; }
defaults=()
add_default() { has_opt "$1" || defaults+=("$1" "$2"); }
add_default -f 1
add_default -wi 2
add_default -i 3
add_default -w 2s
add_default -r 2s
add_default -tu ms

# --- build ---------------------------------------------------------------------------------
if [[ ! -f "$jar" || "${KEYFED_BENCH_REBUILD:-0}" == 1 ]]; then
  log "building $jar"
  # -am builds the modules bench needs (api, party/dkg, party/frost, party/service, cli...) from this
  # checkout, so a fresh clone works without anything installed in ~/.m2.
  (cd "$root" && ./mvnw -B -q -pl bench -am package -DskipTests)
fi

# JMH's own listing and help need the jar only.
for o in "${user_args[@]}"; do
  case "$o" in -h|-help|--help|-l|-lp|-lprof|-lrf) exec java -jar "$jar" "${user_args[@]}";; esac
done

# --- SoftHSM2 token (only if an HSM benchmark is selected) ------------------------------
selected="$(java -jar "$jar" -l ${regex:+"$regex"} | grep '^io\.keyfed' || true)"
[[ -n "$selected" ]] || { log "no benchmark matches '${regex}' (a jar older than the benchmark? KEYFED_BENCH_REBUILD=1)"; exit 1; }
if grep -q 'HsmBenchmark' <<<"$selected"; then
  hsm="$target/softhsm"
  label="keyfed-bench"
  umask 077
  mkdir -p "$hsm/pins"
  export SOFTHSM2_CONF="$hsm/softhsm2.conf"
  pin_file="$hsm/pins/$label.user.pin"
  so_pin_file="$hsm/pins/$label.so.pin"
  if [[ ! -s "$pin_file" || ! -s "$so_pin_file" ]]; then
    # Fresh token folder: a token made with PINs we no longer have would be useless.
    rm -rf -- "$hsm/tokens" "$SOFTHSM2_CONF"
    head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$pin_file"
    head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$so_pin_file"
    chmod 600 "$pin_file" "$so_pin_file"
  fi
  out="$(KEYFED_HSM_LABEL="$label" KEYFED_HSM_USER_PIN_FILE="$pin_file" KEYFED_HSM_SO_PIN_FILE="$so_pin_file" \
         KEYFED_HSM_SUNPKCS11_CFG="$hsm/$label.cfg" bash "$root/hsm-config/init-token.sh")"
  cfg="$(sed -n 's/^KEYFED_HSM_SUNPKCS11_CFG=//p' <<<"$out")"
  [[ -f "$cfg" ]] || { log "init-token.sh wrote no SunPKCS11 configuration"; exit 1; }
  export KEYFED_BENCH_HSM_CONFIG="$cfg"
  export KEYFED_BENCH_HSM_PIN_FILE="$pin_file"
  log "SoftHSM2 token '$label' ready (SOFTHSM2_CONF=$SOFTHSM2_CONF)"
fi

# --- run -----------------------------------------------------------------------------------
run() { log "java -jar $jar $*"; java -jar "$jar" "$@"; }
if has_opt -bm; then
  run ${regex:+"$regex"} "${defaults[@]}" "${user_args[@]}"
else
  run ${regex:+"$regex"} "${defaults[@]}" -bm avgt "${user_args[@]}"
  if [[ -z "$regex" ]]; then
    # Throughput where it matters: keys/s of a federation in memory and HSM operations/s,
    # with both cores busy (2 threads; the operation count is per second over all threads).
    thrpt_defaults=()
    for ((k = 0; k < ${#defaults[@]}; k += 2)); do
      [[ "${defaults[k]}" == -tu ]] || thrpt_defaults+=("${defaults[k]}" "${defaults[k + 1]}")
    done
    has_opt -tu || thrpt_defaults+=(-tu s)
    run 'DkgFederationBenchmark|HsmBenchmark' "${thrpt_defaults[@]}" -bm thrpt -t 2 "${user_args[@]}"
  fi
fi
