package io.keyfed.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.keyfed.api.ledger.v1.KeyRequestEvent;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.KeyringParty;
import io.keyfed.api.ledger.v1.LedgerGrpc;
import io.keyfed.api.ledger.v1.MsgNewKeyRequest;
import io.keyfed.api.ledger.v1.MsgNewKeyring;
import io.keyfed.api.ledger.v1.MsgNewWorkspace;
import io.keyfed.api.ledger.v1.TxBody;
import io.keyfed.api.ledger.v1.WatchKeyRequestsRequest;
import io.keyfed.cli.http.LedgerClient;
import io.keyfed.cli.http.LedgerClientException;
import io.keyfed.cli.keys.KeyStore;
import io.keyfed.cli.keys.SigningKey;
import io.keyfed.cli.tx.TxBuilder;

/**
 * Closed-loop load generator for a running KeyFed deployment ({@code ./keyfed bench} drives it).
 *
 * <pre>
 *   init  --home DIR --accounts C --amount A --chain-id ID --genesis FILE [--timeout S]
 *         creates the admin key and C owner keys in DIR, writes a genesis funding them
 *   setup --home DIR --ledger URL --accounts C --threshold T --fee F --party ADDR:PUBHEX ...
 *         creates the keyring (admin) and one workspace owned by all C owners; prints KEYRING= and WORKSPACE=
 *   run   --home DIR --ledger URL --keyring K --workspace W --keys N --concurrency C --type ecdsa
 *         [--warmup W] [--timeout S] [--json FILE] [--group NAME=PID,PID] [--group-match NAME=TEXT]
 *         [--param NAME=VALUE] [--clk-tck 100] [--before-measure SHELL_COMMAND]
 * </pre>
 *
 * <p>{@code run} keeps C requests in flight: C workers, each with its own owner account (so the account
 * sequences never race), each submitting a NewKeyRequest (POST /v1/txs), waiting for its final status and
 * submitting the next. Final statuses come from one gRPC {@code WatchKeyRequests} stream (FULFILLED,
 * REJECTED); latency runs from the moment POST returned to the moment the event arrived. A request whose
 * event has not come after a few seconds is looked up over REST (counted as {@code watch_misses}).
 */
public final class LoadGenerator {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private LoadGenerator() {
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0) {
            usage();
            System.exit(2);
        }
        Args a = new Args(Arrays.copyOfRange(argv, 1, argv.length));
        switch (argv[0]) {
            case "init" -> init(a);
            case "setup" -> setup(a);
            case "run" -> System.exit(run(a));
            default -> {
                usage();
                System.exit(2);
            }
        }
    }

    private static void usage() {
        System.err.println("usage: LoadGenerator init|setup|run [options]  (see ./keyfed bench --help)");
    }

    // ------------------------------------------------------------------------------------------ init

    private static String ownerName(int i) {
        return "bench-owner-" + i;
    }

    private static void init(Args a) throws Exception {
        KeyStore ks = new KeyStore(Path.of(a.req("--home")));
        int accounts = a.intOpt("--accounts", 32);
        String amount = a.opt("--amount", "1000000000");
        SecureRandom rnd = new SecureRandom();
        ObjectNode doc = JSON.createObjectNode();
        doc.put("chain_id", a.opt("--chain-id", "keyfed-bench"));
        ArrayNode acc = doc.putArray("accounts");
        List<String> names = new ArrayList<>();
        names.add("bench-admin");
        for (int i = 1; i <= accounts; i++) {
            names.add(ownerName(i));
        }
        for (String n : names) {
            SigningKey k = ks.exists(n) ? ks.load(n) : ks.create(n, rnd);
            ObjectNode o = acc.addObject();
            o.put("address", k.address("zen"));
            o.put("amount", amount);
        }
        long timeout = a.intOpt("--timeout", 120);
        ObjectNode params = doc.putObject("params");
        params.put("default_timeout_seconds", timeout);
        params.put("max_timeout_seconds", Math.max(timeout, 3600));
        Files.writeString(Path.of(a.req("--genesis")), JSON.writeValueAsString(doc));
    }

    // ------------------------------------------------------------------------------------------ setup

    private static void setup(Args a) throws Exception {
        KeyStore ks = new KeyStore(Path.of(a.req("--home")));
        Tx tx = new Tx(new LedgerClient(a.req("--ledger")));
        int accounts = a.intOpt("--accounts", 32);
        SigningKey admin = ks.load("bench-admin");
        MsgNewKeyring.Builder kr = MsgNewKeyring.newBuilder().setDescription("keyfed bench")
                .setPartyThreshold(a.intOpt("--threshold", 2)).setKeyReqFee(a.opt("--fee", "1")).setSigReqFee("0");
        for (String p : a.all("--party")) {
            int c = p.lastIndexOf(':');
            kr.addParties(KeyringParty.newBuilder().setAddress(p.substring(0, c))
                    .setPublicKey(ByteString.copyFrom(HexFormat.of().parseHex(p.substring(c + 1)))));
        }
        String keyring = tx.submit(admin, b -> b.setNewKeyring(kr)).path("created_address").asText();
        MsgNewWorkspace.Builder ws = MsgNewWorkspace.newBuilder();
        SigningKey first = ks.load(ownerName(1));
        for (int i = 2; i <= accounts; i++) {
            ws.addAdditionalOwners(ks.load(ownerName(i)).address("zen"));
        }
        String workspace = tx.submit(first, b -> b.setNewWorkspace(ws)).path("created_address").asText();
        System.out.println("KEYRING=" + keyring);
        System.out.println("WORKSPACE=" + workspace);
    }

    /** Signs and posts transactions, tracking each sender's sequence locally. */
    private static final class Tx {
        final LedgerClient ledger;
        final String chainId;
        final Map<String, Long> seq = new ConcurrentHashMap<>();

        Tx(LedgerClient ledger) throws LedgerClientException {
            this.ledger = ledger;
            this.chainId = ledger.get("/v1/params").path("chain_id").asText();
        }

        JsonNode submit(SigningKey signer, Consumer<TxBody.Builder> msg) throws LedgerClientException {
            String addr = signer.address("zen");
            Long s = seq.get(addr);
            if (s == null) {
                try {
                    s = ledger.get("/v1/auth/accounts/" + addr).path("sequence").asLong();
                } catch (LedgerClientException e) {
                    s = 0L;
                }
            }
            byte[] raw = TxBuilder.build(signer, chainId, s, msg).toByteArray();
            ObjectNode body = ledger.mapper().createObjectNode();
            body.put("tx_bytes", Base64.getEncoder().encodeToString(raw));
            try {
                JsonNode r = ledger.post("/v1/txs", body);
                seq.put(addr, s + 1);
                return r;
            } catch (LedgerClientException e) {
                seq.remove(addr); // re-read it next time
                throw e;
            }
        }
    }

    // ------------------------------------------------------------------------------------------ run

    /** A final status as seen by this process. */
    private record Final(KeyRequestStatus status, long nanos, String reason, boolean viaPoll) {
    }

    /** One request's outcome. */
    private record Outcome(long id, KeyRequestStatus status, long latencyNanos, long doneNanos, String error) {
    }

    private static int run(Args a) throws Exception {
        Path home = Path.of(a.req("--home"));
        String ledgerUrl = a.req("--ledger");
        String keyring = a.req("--keyring");
        String workspace = a.req("--workspace");
        int keys = a.intOpt("--keys", 200);
        int warmup = a.intOpt("--warmup", 0);
        int conc = a.intOpt("--concurrency", 32);
        String type = a.opt("--type", "ecdsa");
        int timeout = a.intOpt("--timeout", 120);
        String jsonOut = a.opt("--json", null);
        ProcCpu cpu = new ProcCpu(a.intOpt("--clk-tck", 100));
        List<ProcCpu.Group> groups = groups(a);

        KeyStore ks = new KeyStore(home);
        List<SigningKey> owners = new ArrayList<>();
        for (int i = 1; i <= conc; i++) {
            owners.add(ks.load(ownerName(i)));
        }
        LedgerClient ledger = new LedgerClient(ledgerUrl);
        Tx tx = new Tx(ledger);

        // One watch stream for every final status of the keyring.
        java.net.URI u = java.net.URI.create(ledgerUrl);
        ManagedChannel ch = ManagedChannelBuilder.forAddress(u.getHost(), u.getPort()).usePlaintext().build();
        Watch watch = new Watch(ch, keyring);
        watch.start();
        try {
            if (!watch.awaitOpen(30)) {
                System.err.println("bench: the WatchKeyRequests stream did not open");
            }
            if (warmup > 0) {
                System.err.printf(Locale.ROOT, "bench: warm-up, %d keys at %d in flight%n", warmup, conc);
                List<Outcome> w = phase(tx, ledger, owners, workspace, keyring, type, timeout, warmup, conc, watch);
                long bad = w.stream().filter(o -> o.status != KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED).count();
                System.err.printf(Locale.ROOT, "bench: warm-up done (%d not fulfilled)%n", bad);
            }
            String hook = a.opt("--before-measure", null);
            if (hook != null) {
                // e.g. start a JFR recording in every service, so that the profile leaves out the warm-up
                new ProcessBuilder("bash", "-c", hook).inheritIO().start().waitFor();
            }
            System.err.printf(Locale.ROOT, "bench: measuring %d %s keys at %d in flight%n", keys, type, conc);
            double load0 = loadAvg();
            Map<String, Double> cpu0 = cpu.snapshot(groups);
            double self0 = cpu.self();
            long t0 = System.nanoTime();
            List<Outcome> res = phase(tx, ledger, owners, workspace, keyring, type, timeout, keys, conc, watch);
            long t1 = System.nanoTime();
            Map<String, Double> cpu1 = cpu.snapshot(groups);
            double self1 = cpu.self();
            double load1 = loadAvg();
            return report(a, res, t0, t1, conc, cpu0, cpu1, self1 - self0, load0, load1, watch, jsonOut, type,
                    keys, warmup);
        } finally {
            watch.stop();
            ch.shutdownNow();
        }
    }

    private static List<ProcCpu.Group> groups(Args a) {
        Map<String, ProcCpu.Group> g = new LinkedHashMap<>();
        for (String s : a.all("--group")) {
            int eq = s.indexOf('=');
            ProcCpu.Group grp = g.computeIfAbsent(s.substring(0, eq),
                    n -> new ProcCpu.Group(n, new java.util.HashSet<>(), new ArrayList<>()));
            for (String p : s.substring(eq + 1).split(",")) {
                if (!p.isBlank()) {
                    grp.roots().add(Integer.parseInt(p.trim()));
                }
            }
        }
        for (String s : a.all("--group-match")) {
            int eq = s.indexOf('=');
            ProcCpu.Group grp = g.computeIfAbsent(s.substring(0, eq),
                    n -> new ProcCpu.Group(n, new java.util.HashSet<>(), new ArrayList<>()));
            grp.cmdlineMatches().add(s.substring(eq + 1));
        }
        return new ArrayList<>(g.values());
    }

    /** Submits {@code total} requests with {@code conc} in flight; returns every outcome. */
    private static List<Outcome> phase(Tx tx, LedgerClient ledger, List<SigningKey> owners, String workspace,
            String keyring, String type, int timeout, int total, int conc, Watch watch) throws InterruptedException {
        AtomicInteger issued = new AtomicInteger();
        List<Outcome> out = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(conc);
        for (int w = 0; w < conc; w++) {
            SigningKey owner = owners.get(w);
            Thread t = new Thread(() -> {
                try {
                    while (issued.getAndIncrement() < total) {
                        out.add(one(tx, ledger, owner, workspace, keyring, type, timeout, watch));
                    }
                } finally {
                    done.countDown();
                }
            }, "bench-worker-" + w);
            t.setDaemon(true);
            t.start();
        }
        done.await();
        return new ArrayList<>(out);
    }

    private static Outcome one(Tx tx, LedgerClient ledger, SigningKey owner, String workspace, String keyring,
            String type, int timeout, Watch watch) {
        long id;
        long start;
        try {
            JsonNode r = tx.submit(owner, b -> b.setNewKeyRequest(MsgNewKeyRequest.newBuilder()
                    .setWorkspaceAddr(workspace).setKeyringAddr(keyring).setKeyType(type).setTimeoutSeconds(timeout)));
            start = System.nanoTime();
            id = r.path("key_request_id").asLong();
        } catch (LedgerClientException e) {
            long now = System.nanoTime();
            return new Outcome(0, KeyRequestStatus.KEY_REQUEST_STATUS_UNSPECIFIED, 0, now,
                    "submit: " + e.getMessage());
        }
        CompletableFuture<Final> f = watch.future(id);
        long deadline = start + TimeUnit.SECONDS.toNanos(timeout + 15L);
        while (true) {
            try {
                Final fin = f.get(3, TimeUnit.SECONDS);
                watch.forget(id);
                long lat = Math.max(0, fin.nanos - start);
                return new Outcome(id, fin.status, lat, fin.nanos,
                        fin.status == KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED ? null : "rejected: " + fin.reason);
            } catch (TimeoutException e) {
                // The watch has not said anything yet: look it up, in case the stream missed it.
                try {
                    JsonNode r = ledger.get("/v1/treasury/key-requests/" + id);
                    String st = r.path("status").asText();
                    if (st.endsWith("FULFILLED") || st.endsWith("REJECTED")) {
                        watch.misses.incrementAndGet();
                        f.complete(new Final(KeyRequestStatus.valueOf(st), System.nanoTime(),
                                r.path("reject_reason").asText(), true));
                        continue;
                    }
                } catch (LedgerClientException ex) {
                    // fall through to the deadline check
                }
                if (System.nanoTime() > deadline) {
                    watch.forget(id);
                    return new Outcome(id, KeyRequestStatus.KEY_REQUEST_STATUS_UNSPECIFIED, 0, System.nanoTime(),
                            "not final after " + (timeout + 15) + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(id, KeyRequestStatus.KEY_REQUEST_STATUS_UNSPECIFIED, 0, System.nanoTime(), "interrupted");
            } catch (ExecutionException e) {
                return new Outcome(id, KeyRequestStatus.KEY_REQUEST_STATUS_UNSPECIFIED, 0, System.nanoTime(),
                        String.valueOf(e.getCause()));
            }
        }
    }

    /** The WatchKeyRequests stream for FULFILLED and REJECTED, resubscribing from its cursor on failure. */
    private static final class Watch {
        final LedgerGrpc.LedgerStub stub;
        final String keyring;
        final ConcurrentHashMap<Long, CompletableFuture<Final>> pending = new ConcurrentHashMap<>();
        final AtomicLong cursor = new AtomicLong();
        final AtomicInteger reconnects = new AtomicInteger();
        final AtomicInteger misses = new AtomicInteger();
        final CountDownLatch open = new CountDownLatch(1);
        volatile boolean stopped;
        volatile io.grpc.Context.CancellableContext ctx;

        Watch(ManagedChannel ch, String keyring) {
            this.stub = LedgerGrpc.newStub(ch);
            this.keyring = keyring;
        }

        CompletableFuture<Final> future(long id) {
            return pending.computeIfAbsent(id, k -> new CompletableFuture<>());
        }

        void forget(long id) {
            pending.remove(id);
        }

        boolean awaitOpen(int seconds) throws InterruptedException {
            return open.await(seconds, TimeUnit.SECONDS);
        }

        void start() {
            WatchKeyRequestsRequest req = WatchKeyRequestsRequest.newBuilder().setKeyringAddr(keyring)
                    .addStatuses(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED)
                    .addStatuses(KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED).setCursor(cursor.get()).build();
            io.grpc.Context.CancellableContext c = io.grpc.Context.current().withCancellation();
            ctx = c;
            c.run(() -> stub.watchKeyRequests(req, new StreamObserver<>() {
                @Override
                public void onNext(KeyRequestEvent ev) {
                    long now = System.nanoTime();
                    cursor.accumulateAndGet(ev.getCursor(), Math::max);
                    KeyRequestStatus st = ev.getRequest().getStatus();
                    if (st == KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED
                            || st == KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED) {
                        future(ev.getRequest().getId()).complete(new Final(st, now, ev.getRequest().getRejectReason(), false));
                    }
                }

                @Override
                public void onError(Throwable t) {
                    resubscribe();
                }

                @Override
                public void onCompleted() {
                    resubscribe();
                }
            }));
            // The ledger emits nothing until an event matches; a short pause lets the subscription settle
            // (the REST fallback covers anything missed meanwhile).
            new Thread(() -> {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                open.countDown();
            }).start();
        }

        void resubscribe() {
            if (stopped) {
                return;
            }
            reconnects.incrementAndGet();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            start();
        }

        void stop() {
            stopped = true;
            if (ctx != null) {
                ctx.cancel(null);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ report

    private static int report(Args a, List<Outcome> res, long t0, long t1, int conc, Map<String, Double> cpu0,
            Map<String, Double> cpu1, double selfCpu, double load0, double load1, Watch watch, String jsonOut,
            String type, int keys, int warmup) throws IOException {
        List<Outcome> ok = res.stream().filter(o -> o.status == KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED).toList();
        long[] lat = ok.stream().mapToLong(Outcome::latencyNanos).sorted().toArray();
        int fulfilled = ok.size();
        long rejected = res.stream().filter(o -> o.status == KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED).count();
        int errors = res.size() - fulfilled;
        double wall = (t1 - t0) / 1e9;
        double kps = fulfilled / wall;
        // Steady state: between the conc-th and the (n-conc)-th completion, leaving out ramp-up and drain.
        long[] done = ok.stream().mapToLong(Outcome::doneNanos).sorted().toArray();
        double steady = Double.NaN;
        if (done.length > 2 * conc + 1) {
            int i0 = conc;
            int i1 = done.length - conc - 1;
            steady = (i1 - i0) / ((done[i1] - done[i0]) / 1e9);
        }
        ObjectNode j = JSON.createObjectNode();
        j.put("keys_per_s", round(kps, 2));
        j.put("steady_keys_per_s", Double.isNaN(steady) ? null : round(steady, 2));
        j.put("p50_ms", ms(pct(lat, 50)));
        j.put("p90_ms", ms(pct(lat, 90)));
        j.put("p99_ms", ms(pct(lat, 99)));
        j.put("max_ms", ms(lat.length == 0 ? 0 : lat[lat.length - 1]));
        j.put("mean_ms", ms(lat.length == 0 ? 0 : (long) Arrays.stream(lat).average().orElse(0)));
        j.put("errors", errors);
        j.put("rejected", rejected);
        j.put("fulfilled", fulfilled);
        j.put("requested", res.size());
        j.put("wall_s", round(wall, 3));
        j.put("watch_reconnects", watch.reconnects.get());
        j.put("watch_misses", watch.misses.get());
        ObjectNode cpuJ = j.putObject("cpu_s_per_key");
        ObjectNode cpuTot = j.putObject("cpu_s");
        double total = 0;
        for (Map.Entry<String, Double> e : cpu1.entrySet()) {
            double d = e.getValue() - cpu0.getOrDefault(e.getKey(), 0.0);
            total += d;
            cpuTot.put(e.getKey(), round(d, 3));
            cpuJ.put(e.getKey(), fulfilled == 0 ? null : round(d / fulfilled, 5));
        }
        for (String g : cpu1.keySet()) {
            // A service as deployed: its JVM ("X_jvm") plus its embedded PostgreSQL ("X_postgres").
            if (g.endsWith("_jvm") && cpu1.containsKey(g.substring(0, g.length() - 4) + "_postgres")) {
                String x = g.substring(0, g.length() - 4);
                double d = cpu1.get(g) - cpu0.getOrDefault(g, 0.0) + cpu1.get(x + "_postgres")
                        - cpu0.getOrDefault(x + "_postgres", 0.0);
                cpuTot.put(x, round(d, 3));
                cpuJ.put(x, fulfilled == 0 ? null : round(d / fulfilled, 5));
            }
        }
        cpuTot.put("load_generator", round(selfCpu, 3));
        cpuJ.put("load_generator", fulfilled == 0 ? null : round(selfCpu / fulfilled, 5));
        j.put("cpu_s_per_key_deployment", fulfilled == 0 ? null : round(total / fulfilled, 5));
        j.put("cpu_utilisation_cores", round(total / wall, 2));
        ObjectNode params = j.putObject("params");
        params.put("keys", keys);
        params.put("warmup", warmup);
        params.put("concurrency", conc);
        params.put("type", type);
        for (String p : a.all("--param")) {
            int eq = p.indexOf('=');
            params.put(p.substring(0, eq), p.substring(eq + 1));
        }
        ObjectNode m = j.putObject("machine");
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("cpu_model", cpuModel());
        m.put("loadavg_1m_before", load0);
        m.put("loadavg_1m_after", load1);
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("time_utc", Instant.now().toString());
        ArrayNode errs = j.putArray("error_samples");
        res.stream().filter(o -> o.error != null).limit(10).forEach(o -> errs.add("request " + o.id + ": " + o.error));

        StringBuilder cpuLine = new StringBuilder();
        cpuJ.fields().forEachRemaining(e -> {
            String k = e.getKey();
            int us = k.lastIndexOf('_');
            if (us > 0 && (k.endsWith("_jvm") || k.endsWith("_postgres")) && cpuJ.has(k.substring(0, us))) {
                return; // shown as the sum
            }
            cpuLine.append(' ').append(k).append('=')
                    .append(e.getValue().isNull() ? "-" : String.format(Locale.ROOT, "%.1fms", e.getValue().asDouble() * 1000));
        });
        System.out.printf(Locale.ROOT,
                "bench %s keys=%d conc=%d: %.1f keys/s (steady %.1f), p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms,"
                        + " fulfilled %d, errors %d; cpu/key total %.1f ms:%s%n",
                type, keys, conc, kps, steady, ms(pct(lat, 50)), ms(pct(lat, 90)), ms(pct(lat, 99)),
                ms(lat.length == 0 ? 0 : lat[lat.length - 1]), fulfilled, errors,
                fulfilled == 0 ? 0 : total / fulfilled * 1000, cpuLine);
        if (jsonOut != null) {
            Files.writeString(Path.of(jsonOut), JSON.writeValueAsString(j) + "\n");
        }
        return errors == 0 ? 0 : 1;
    }

    /** Nearest-rank percentile. */
    private static long pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double ms(long nanos) {
        return round(nanos / 1e6, 1);
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private static double loadAvg() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    // ------------------------------------------------------------------------------------------ args

    /** --name value options, repeatable. */
    private static final class Args {
        private final Map<String, List<String>> m = new LinkedHashMap<>();

        Args(String[] argv) {
            for (int i = 0; i < argv.length; i++) {
                String k = argv[i];
                if (!k.startsWith("--") || i + 1 >= argv.length) {
                    throw new IllegalArgumentException("expected --option value, got '" + k + "'");
                }
                m.computeIfAbsent(k, x -> new ArrayList<>()).add(argv[++i]);
            }
        }

        String opt(String k, String def) {
            List<String> v = m.get(k);
            return v == null ? def : v.get(v.size() - 1);
        }

        String req(String k) {
            String v = opt(k, null);
            if (v == null) {
                throw new IllegalArgumentException(k + " is required");
            }
            return v;
        }

        int intOpt(String k, int def) {
            String v = opt(k, null);
            return v == null ? def : Integer.parseInt(v);
        }

        List<String> all(String k) {
            return m.getOrDefault(k, List.of());
        }
    }
}
