#!/usr/bin/env bash
# Writes <module>/target/native-sources/ for one service, the input of its Dockerfile.native.
# Needs no GraalVM: native-image runs later, in the Mandrel builder stage of the Dockerfile.
#   src-native/build-native-sources.sh ledger | party/service | connector
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
module="${1:?usage: build-native-sources.sh ledger|party/service|connector}"
case "$module" in
  ledger|connector) reactor="api,$module" ;;
  party/service) reactor="api,party/dkg,party/service" ;;
  *) echo "build-native-sources: unknown service module '$module'" >&2; exit 2 ;;
esac
props=()
while IFS= read -r line; do
  case "$line" in ''|'#'*) continue ;; esac
  props+=("-D$line")
done < "$here/native-build.properties"
cd "$root"
# The service's in-repository dependencies are built in the same reactor (listed, not -am).
exec ./mvnw -B -pl "$reactor" package -DskipTests "${props[@]}"
