#!/usr/bin/env bash
# Initialises one KeyFed party's SoftHSM2 token in a private token folder.
#
# Inputs (environment only; PINs never go on a command line):
#   KEYFED_HSM_LABEL          token label (required)
#   KEYFED_HSM_SO_PIN         SO PIN, or KEYFED_HSM_SO_PIN_FILE (file holding it)
#   KEYFED_HSM_USER_PIN       user PIN, or KEYFED_HSM_USER_PIN_FILE (file holding it)
#   SOFTHSM2_CONF             SoftHSM2 config to use; created from softhsm2.conf.template
#                             (token folder "tokens" beside it) when the file does not exist.
#                             Default: $KEYFED_HSM_DIR/softhsm2.conf
#   KEYFED_HSM_DIR            default folder for the config and tokens (default ./softhsm)
#   KEYFED_HSM_LIBRARY        PKCS#11 library (default /usr/lib/softhsm/libsofthsm2.so)
#   KEYFED_HSM_LOG_LEVEL      SoftHSM log level for a new config (default ERROR)
#   KEYFED_HSM_SUNPKCS11_CFG  optional: where to write a SunPKCS11 config for this token
#
# Idempotent: a token with the label already present is left alone.
# Output on stdout, one KEY=value per line:
#   SOFTHSM2_CONF=...  KEYFED_HSM_SLOT_LIST_INDEX=...  [KEYFED_HSM_SUNPKCS11_CFG=...]
# The slot list index is valid for the current set of tokens in that folder: SoftHSM
# orders slots by slot id, so creating another token may move it. Rerun to refresh.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { printf 'init-token: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

library="${KEYFED_HSM_LIBRARY:-/usr/lib/softhsm/libsofthsm2.so}"
label="${KEYFED_HSM_LABEL:-}"
[[ -n "$label" ]] || die "set KEYFED_HSM_LABEL to the token label"
(( ${#label} <= 32 )) || die "KEYFED_HSM_LABEL is longer than 32 characters"

# --- packages ------------------------------------------------------------------------
need_install=()
[[ -f /usr/lib/softhsm/libsofthsm2.so ]] || need_install+=(softhsm2)
command -v pkcs11-tool >/dev/null 2>&1 || need_install+=(opensc)
if (( ${#need_install[@]} > 0 )); then
  log "installing ${need_install[*]} with apt-get"
  if [[ "$(id -u)" == 0 ]]; then sudo_cmd=(); else sudo_cmd=(sudo); fi
  "${sudo_cmd[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${need_install[@]}" >&2
fi
[[ -f "$library" ]] || die "PKCS#11 library $library not found"

# --- PINs (read into variables, handed to pkcs11-tool as env:NAME) -------------------
read_secret() { # $1 value var, $2 file var, $3 description
  local value="${!1:-}" file_var="$2" file="${!2:-}"
  if [[ -z "$value" && -n "$file" ]]; then
    [[ -r "$file" ]] || die "$file_var points at an unreadable file"
    value="$(head -n 1 -- "$file" | tr -d '\r\n')"
  fi
  [[ -n "$value" ]] || die "no $3: set $1 or $file_var"
  (( ${#value} >= 4 )) || die "$3 must have at least 4 characters"
  printf '%s' "$value"
}

# --- SoftHSM2 configuration ----------------------------------------------------------
conf="${SOFTHSM2_CONF:-${KEYFED_HSM_DIR:-./softhsm}/softhsm2.conf}"
conf_dir="$(dirname -- "$conf")"
mkdir -p -- "$conf_dir"
conf="$(cd "$conf_dir" && pwd)/$(basename -- "$conf")"
if [[ ! -f "$conf" ]]; then
  token_dir="$(dirname -- "$conf")/tokens"
  mkdir -p -- "$token_dir"
  chmod 700 -- "$token_dir"
  sed -e "s|@TOKEN_DIR@|${token_dir}|" -e "s|@LOG_LEVEL@|${KEYFED_HSM_LOG_LEVEL:-ERROR}|" \
    "$here/softhsm2.conf.template" > "$conf"
  log "wrote $conf (tokens in $token_dir)"
fi
export SOFTHSM2_CONF="$conf"

p11() { pkcs11-tool --module "$library" "$@"; }

# Prints the index (in the C_GetSlotList(false) order SunPKCS11 uses) of the slot whose
# token has label $1, or of the first uninitialised token when $1 is empty.
slot_index() {
  # Read the whole listing first: awk exiting early would SIGPIPE pkcs11-tool and, under
  # pipefail, fail the script once there are many tokens.
  local listing
  listing="$(p11 --list-slots 2>/dev/null)"
  printf '%s\n' "$listing" | awk -v want="$1" '
    /^Slot [0-9]+/ { idx = $2; next }
    want == "" && /token state:[ ]*uninitialized/ { print idx; exit }
    want != "" && /^[ ]*token label[ ]*:/ {
      l = $0; sub(/^[ ]*token label[ ]*:[ ]?/, "", l); sub(/[ ]+$/, "", l)
      if (l == want) { print idx; exit }
    }'
}

index="$(slot_index "$label")"
if [[ -n "$index" ]]; then
  log "token '$label' already initialised; leaving it alone"
else
  free="$(slot_index "")"
  [[ -n "$free" ]] || die "no free slot in $conf"
  KEYFED_HSM__SO="$(read_secret KEYFED_HSM_SO_PIN KEYFED_HSM_SO_PIN_FILE 'SO PIN')"
  KEYFED_HSM__USER="$(read_secret KEYFED_HSM_USER_PIN KEYFED_HSM_USER_PIN_FILE 'user PIN')"
  export KEYFED_HSM__SO KEYFED_HSM__USER
  p11 --slot-index "$free" --init-token --label "$label" --so-pin env:KEYFED_HSM__SO >&2
  # SoftHSM moves an initialised token to a new slot id, and pkcs11-tool's --token-label
  # matches prefixes ("party-1" would match "party-10"): look the slot up by exact label.
  index="$(slot_index "$label")"
  [[ -n "$index" ]] || die "token '$label' not found after initialisation"
  p11 --slot-index "$index" --login --login-type so --so-pin env:KEYFED_HSM__SO \
      --init-pin --pin env:KEYFED_HSM__USER >&2
  unset KEYFED_HSM__SO KEYFED_HSM__USER
  index="$(slot_index "$label")"
  [[ -n "$index" ]] || die "token '$label' not found after initialisation"
  log "initialised token '$label'"
fi

echo "SOFTHSM2_CONF=$conf"
echo "KEYFED_HSM_SLOT_LIST_INDEX=$index"
if [[ -n "${KEYFED_HSM_SUNPKCS11_CFG:-}" ]]; then
  name="keyfed-$(printf '%s' "$label" | tr -c 'A-Za-z0-9-' '-')"
  mkdir -p -- "$(dirname -- "$KEYFED_HSM_SUNPKCS11_CFG")"
  sed -e "s|@NAME@|${name}|" -e "s|@LIBRARY@|${library}|" -e "s|@SLOT_LIST_INDEX@|${index}|" \
    "$here/sunpkcs11.cfg.template" > "$KEYFED_HSM_SUNPKCS11_CFG"
  echo "KEYFED_HSM_SUNPKCS11_CFG=$KEYFED_HSM_SUNPKCS11_CFG"
fi
