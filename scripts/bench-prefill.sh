# ./keyfed bench --prefill N: sourced by bench.sh (after federation.sh). The ledger's database is filled with N
# finished key requests and keys before the measured load, and key listing is timed on it afterwards.
# Needs BENCH_JAR (the bench module's jar) and KF_LEDGER_PORT.

kf_prefill_tool() { java -XX:+UseSerialGC -Dslf4j.internal.verbosity=ERROR -cp "$BENCH_JAR" io.keyfed.bench.prefill.PrefillTool "$@"; }

# kf_bench_prefill RUN N JVM_OPT...: the ledger was just started (kf_start_ledger) and applies its migrations and
# the genesis; once it is ready, fills its database with N finished key requests (PrefillTool fill: COPY through
# the JDBC driver into the ledger's own tables, under the chain-head lock, the admin of RUN/home paying the
# fees; then VACUUM (ANALYZE) and CHECKPOINT), then restarts the ledger so that the measured one starts on the
# prefilled database. Writes RUN/prefill.json.
kf_bench_prefill() {
  local run="$1" rows="$2" pg i=0; shift 2
  kf_wait_ready ledger "$KF_LEDGER_PORT" "$run" || return 1
  kf_log "prefill: $rows finished key requests into the ledger's database"
  kf_prefill_tool fill --home "$run/home" --pgdata "$run/ledger" --rows "$rows" --out "$run/prefill.json" || return 1
  kf_log "prefill: restarting the ledger on the prefilled database"
  kf_stop_pid "${KF_PIDS[ledger]}" ledger || return 1
  while pg=$(kf_postmaster_of "$run/ledger"); do # its embedded PostgreSQL stops with it
    i=$((i + 1))
    [ $i -gt 120 ] && { kf_stop_pid "$pg" "PostgreSQL on $run/ledger"; break; }
    sleep 0.25
  done
  kf_start_ledger "$run" "$@"
}

# kf_bench_prefill_report RUN N LEDGER_URL [JSON]: times listing the prefill's big workspace (min(N, 50000) keys)
# on page 1 and on page 1000 (20 keys a page; an earlier page when it has fewer keys), the median of 7 calls
# each, and adds those figures and RUN/prefill.json's to the JSON report.
kf_bench_prefill_report() {
  local run="$1" rows="$2" ledger="$3" json="${4:-}" w page
  w=$(( rows < 50000 ? rows : 50000 ))
  page=$(( w / 20 < 1000 ? w / 20 : 1000 ))
  [ "$page" -ge 2 ] || { kf_log "prefill: too few keys to time a far page"; return 0; }
  kf_prefill_tool list-timing --ledger "$ledger" --prefill "$run/prefill.json" --page "$page" --page-size 20 \
    --calls 7 ${json:+--json "$json"}
}
