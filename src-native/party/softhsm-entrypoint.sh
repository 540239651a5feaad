#!/bin/sh
# Entrypoint of the party's SoftHSM2 (test) image: initialises the party's token in the data volume
# at first start (idempotent), renders its SunPKCS11 configuration, then runs the party ("$@").
#
# PINs come from the environment or, preferably, from mounted files; none is baked into the image:
#   KEYFED_HSM_SO_PIN  or KEYFED_HSM_SO_PIN_FILE     token SO PIN (only needed at first start)
#   KEYFED_HSM_USER_PIN or KEYFED_HSM_USER_PIN_FILE  token user PIN
# The party reads the user PIN from KEYFED_HSM_USER_PIN (keyfed.party.hsm.pin-env) or from the file
# named by KEYFED_PARTY_HSM_PIN_FILE; when only KEYFED_HSM_USER_PIN_FILE is given it is passed on as that.
set -eu
umask 077
: "${KEYFED_HSM_DIR:?}"
: "${KEYFED_PARTY_HSM_CONFIG_FILE:?}"
mkdir -p "$KEYFED_HSM_DIR"
KEYFED_HSM_SUNPKCS11_CFG="$KEYFED_PARTY_HSM_CONFIG_FILE"
export KEYFED_HSM_SUNPKCS11_CFG
/opt/keyfed/hsm-config/init-token.sh >/dev/null
if [ -z "${KEYFED_PARTY_HSM_PIN_FILE:-}" ] && [ -n "${KEYFED_HSM_USER_PIN_FILE:-}" ]; then
  KEYFED_PARTY_HSM_PIN_FILE="$KEYFED_HSM_USER_PIN_FILE"
  export KEYFED_PARTY_HSM_PIN_FILE
fi
# The SO PIN is not needed any more.
unset KEYFED_HSM_SO_PIN
exec "$@"
