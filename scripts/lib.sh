# Shared helpers for ./keyfed and its scripts. Sourced, not executed.

kf_log() { printf '\033[1m[keyfed]\033[0m %s\n' "$*" >&2; }

kf_as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs the system packages the build and the tests need, from Debian's packages, when missing.
kf_ensure_system_deps() {
  local missing=()
  command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
  [ -e /usr/lib/softhsm/libsofthsm2.so ] || missing+=(softhsm2)
  command -v pkcs11-tool >/dev/null 2>&1 || missing+=(opensc)
  # The e2e tests verify the federation's signatures with tools/verify-node (Node.js 18+, npm).
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  if [ ${#missing[@]} -gt 0 ]; then
    kf_log "installing ${missing[*]} from Debian's packages"
    kf_as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive kf_as_root apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# True when a module's build output is missing or older than any of its sources.
# KEYFED_SKIP_BUILD=1: never stale (the e2e tests run ./keyfed inside a Maven build that made the artifacts).
kf_stale() {
  local marker="$1"; shift
  [ "${KEYFED_SKIP_BUILD:-0}" = 1 ] && return 1
  [ -e "$marker" ] || return 0
  [ -n "$(find "$@" -newer "$marker" -type f -not -path '*/target/*' -print -quit 2>/dev/null)" ]
}

# Builds the runnable artifacts when needed (tests skipped; ./keyfed test runs them).
kf_build() {
  local need=0
  kf_stale cli/target/keyfed-cli-0.1.0-SNAPSHOT.jar pom.xml api/pom.xml api/src cli/pom.xml cli/src && need=1
  kf_stale ledger/target/quarkus-app/quarkus-run.jar pom.xml api/src platform/src ledger/pom.xml ledger/src && need=1
  if [ "${1:-}" = all ]; then
    kf_stale party/service/target/quarkus-app/quarkus-run.jar party api/src platform/src && need=1
    kf_stale connector/target/quarkus-app/quarkus-run.jar connector api/src && need=1
  fi
  if [ $need = 1 ]; then
    kf_log "building (./mvnw -B -q package -DskipTests)"
    ./mvnw -B -q package -DskipTests
  fi
}

kf_cli() {
  if kf_stale cli/target/keyfed-cli-0.1.0-SNAPSHOT.jar pom.xml api/src cli/src; then
    kf_log "building the client"
    ./mvnw -B -q -pl api,cli -am package -DskipTests >&2
  fi
  java -cp "$KEYFED_ROOT/cli/target/keyfed-cli-0.1.0-SNAPSHOT.jar:$KEYFED_ROOT/cli/target/lib/*" io.keyfed.cli.Main "$@"
}

# Waits until a URL answers 200, or fails after $2 seconds.
kf_wait_http() {
  local url="$1" limit="${2:-60}" i=0
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    i=$((i + 1))
    if [ $i -gt $((limit * 4)) ]; then return 1; fi
    sleep 0.25
  done
}

kf_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
