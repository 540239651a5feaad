package io.keyfed.bench.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import io.grpc.ManagedChannel;
import io.keyfed.cli.http.LedgerApi;
import io.keyfed.cli.keys.KeyStore;
import io.keyfed.cli.keys.SigningKey;
import io.keyfed.cli.tx.TxSubmitter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code run}: a warm-up phase, then the measured phase of {@code --keys} requests at {@code --concurrency} in
 * flight, with the CPU of each process group measured around it; prints the report. Exit status 1 if any
 * measured request was not FULFILLED. With {@code --sign} the requests are sign requests of {@code --messages}
 * messages each, over {@code --sign-keys} keys of the type made first.
 */
@Command(name = "run", description = "Keep C NewKeyRequests (or with --sign, NewSignatureRequests) in flight until "
        + "N are final; report the figures.")
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    LedgerTls tls;

    @Option(names = "--home", required = true, paramLabel = "DIR", description = "client home with the owner keys")
    Path home;

    @Option(names = "--ledger", required = true, paramLabel = "URL",
            description = "ledger base URL, http:// or https:// (REST; the gRPC watch uses the same host, port "
                    + "and TLS files)")
    String ledgerUrl;

    @Option(names = "--keyring", required = true, paramLabel = "K", description = "keyring address")
    String keyring;

    @Option(names = "--workspace", required = true, paramLabel = "W", description = "workspace address")
    String workspace;

    @Option(names = "--keys", paramLabel = "N", defaultValue = "200", description = "measured requests (default 200)")
    int keys;

    @Option(names = "--sign", description = "drive sign requests (ed25519, taproot, ecdsa or bitcoin keys) instead of "
            + "key requests")
    boolean sign;

    @Option(names = "--messages", paramLabel = "M", description = "with --sign: messages per sign request, 1.."
            + SignLoad.MAX_MESSAGES + " (default 1)")
    Integer messages;

    @Option(names = "--sign-keys", paramLabel = "K", description = "with --sign: keys made first and signed with "
            + "in turn (default 1)")
    Integer signKeys;

    @Option(names = "--warmup", paramLabel = "W", defaultValue = "0",
            description = "requests run first and left out of the figures (default 0)")
    int warmup;

    @Option(names = "--concurrency", paramLabel = "C", defaultValue = "32",
            description = "requests in flight, one owner account each (default 32)")
    int concurrency;

    @Option(names = "--type", paramLabel = "TYPE", defaultValue = "ecdsa",
            description = "key type: ecdsa, ed25519, bitcoin or taproot (default ecdsa)")
    String type;

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "120",
            description = "each request's timeout, seconds (default 120)")
    int timeout;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the figures as JSON")
    Path jsonOut;

    @Option(names = "--clk-tck", paramLabel = "HZ", defaultValue = "100",
            description = "clock ticks per second of /proc/PID/stat (getconf CLK_TCK; default 100)")
    int clkTck;

    @Option(names = "--group", paramLabel = "NAME=PID,PID",
            description = "a CPU group: these processes and their descendants (repeatable)")
    List<String> groups = new ArrayList<>();

    @Option(names = "--group-match", paramLabel = "NAME=TEXT",
            description = "add to a CPU group the processes whose command line contains TEXT (repeatable)")
    List<String> groupMatches = new ArrayList<>();

    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "reported under \"params\" (repeatable)")
    List<String> params = new ArrayList<>();

    @Option(names = "--threshold", paramLabel = "T", defaultValue = "2",
            description = "the keyring's threshold, for the cryptography's cost (default 2)")
    int threshold;

    @Option(names = "--parties", paramLabel = "N", defaultValue = "3",
            description = "the keyring's parties, for the cryptography's cost (default 3)")
    int parties;

    @Option(names = "--warmup-batch", paramLabel = "B", defaultValue = "100",
            description = "warm-up requests per batch, each batch's rate and CPU reported (default 100)")
    int warmupBatch;

    @Option(names = "--crypto-jmh", paramLabel = "FILE", description = "JMH results (-rf json) of this machine: "
            + "crypto_ms_per_key, overhead_ratio and floor_keys_per_s come from them")
    Path cryptoJmh;

    @Option(names = "--no-crypto", paramLabel = "REASON",
            description = "report crypto_ms_per_key, overhead_ratio and floor_keys_per_s as null, for this reason")
    String noCrypto;

    @Option(names = "--cores", paramLabel = "C", description = "cores for floor_keys_per_s (default: this JVM's "
            + "available processors)")
    Integer cores;

    @Option(names = "--before-measure", paramLabel = "SHELL_COMMAND",
            description = "run with bash -c between the warm-up and the measured phase")
    String beforeMeasure;

    @Override
    public Integer call() throws Exception {
        if (keys < 1 || concurrency < 1 || warmup < 0) {
            throw new ParameterException(spec.commandLine(), "--keys and --concurrency must be at least 1, "
                    + "--warmup at least 0");
        }
        checkSignOptions();
        if (warmupBatch < 1) {
            throw new ParameterException(spec.commandLine(), "--warmup-batch must be at least 1");
        }
        int perRequest = sign ? messages() : 0;
        LoadReport.Context crypto = cryptoContext();
        List<ProcCpu.Group> cpuGroups = cpuGroups();
        Map<String, String> extra = new LinkedHashMap<>();
        namedValues("--param", params).forEach(e -> extra.put(e.getKey(), e.getValue()));
        ProcCpu cpu = new ProcCpu(clkTck);
        KeyStore ks = new KeyStore(home);
        List<SigningKey> owners = new ArrayList<>();
        for (int i = 1; i <= concurrency; i++) {
            owners.add(ks.load(LoadGenerator.ownerName(i)));
        }
        TxSubmitter tx = new TxSubmitter(new LedgerApi(tls.client(ledgerUrl)));

        // One watch stream for every final status of the keyring's requests (key requests; sign requests too).
        ManagedChannel ch = tls.channel(ledgerUrl);
        KeyRequestWatch keyWatch = new KeyRequestWatch(ch, keyring);
        SignRequestWatch signWatch = sign ? new SignRequestWatch(ch, keyring) : null;
        FinalStatusWatch watch = sign ? signWatch : keyWatch;
        keyWatch.start();
        if (sign) {
            signWatch.start();
        }
        try {
            if (!keyWatch.awaitOpen(30)) {
                System.err.println("bench: the WatchKeyRequests stream did not open");
            }
            if (sign && !signWatch.awaitOpen(30)) {
                System.err.println("bench: the WatchSignRequests stream did not open");
            }
            LoadDriver driver = LoadDriver.keys(tx, owners, workspace, keyring, type, timeout, keyWatch);
            String unit = "keys";
            if (sign) {
                List<Long> signWith = makeKeys(driver);
                if (signWith == null) {
                    return 1;
                }
                driver = LoadDriver.signatures(tx, owners, signWith, type, perRequest, timeout, signWatch);
                unit = "sign requests of " + perRequest + " message" + (perRequest == 1 ? "" : "s") + " with";
            }
            WarmupPhase.Result warm = null;
            if (warmup > 0) {
                System.err.printf(Locale.ROOT, "bench: warm-up, %d %s at %d in flight, in batches of %d%n", warmup,
                        sign ? "sign requests" : "keys", concurrency, warmupBatch);
                warm = WarmupPhase.run(driver, warmup, warmupBatch, cpu, cpuGroups);
                System.err.printf(Locale.ROOT, "bench: warm-up done in %.1f s (%d not fulfilled)%n", warm.seconds(),
                        warm.notFulfilled());
            }
            if (beforeMeasure != null) {
                // e.g. start a JFR recording in every service, so that the profile leaves out the warm-up
                new ProcessBuilder("bash", "-c", beforeMeasure).inheritIO().start().waitFor();
            }
            if (sign) {
                System.err.printf(Locale.ROOT, "bench: measuring %d %s %s keys at %d in flight%n", keys, unit, type,
                        concurrency);
            } else {
                System.err.printf(Locale.ROOT, "bench: measuring %d %s keys at %d in flight%n", keys, type,
                        concurrency);
            }
            double load0 = LoadReport.loadAvg();
            Map<String, Double> cpu0 = cpu.snapshot(cpuGroups);
            double self0 = cpu.self();
            long t0 = System.nanoTime();
            List<LoadDriver.Outcome> res = driver.phase(keys);
            long t1 = System.nanoTime();
            Map<String, Double> cpu1 = cpu.snapshot(cpuGroups);
            double self1 = cpu.self();
            double load1 = LoadReport.loadAvg();
            LoadReport.Measure m = new LoadReport.Measure(t0, t1, cpu0, cpu1, self1 - self0, load0, load1,
                    watch.reconnects(), watch.misses());
            if (sign) {
                extra.put("sign_keys", Integer.toString(signKeys()));
            }
            extra.put("threshold", Integer.toString(threshold));
            extra.put("parties", Integer.toString(parties));
            LoadReport.Context ctx = new LoadReport.Context(crypto.crypto(), crypto.cryptoSource(),
                    crypto.cryptoMissing(), crypto.cores(), warm);
            return LoadReport.report(res, m, new LoadReport.Params(type, keys, warmup, concurrency, extra,
                    perRequest), ctx, jsonOut);
        } finally {
            keyWatch.stop();
            if (signWatch != null) {
                signWatch.stop();
            }
            ch.shutdownNow();
        }
    }

    /** The cryptography's cost from --crypto-jmh, or null figures with the --no-crypto reason; checked up front. */
    private LoadReport.Context cryptoContext() {
        int c = cores == null ? Runtime.getRuntime().availableProcessors() : cores;
        if (c < 1) {
            throw new ParameterException(spec.commandLine(), "--cores must be at least 1");
        }
        if (cryptoJmh != null && noCrypto != null) {
            throw new ParameterException(spec.commandLine(), "give --crypto-jmh FILE or --no-crypto REASON, not both");
        }
        if (cryptoJmh == null) {
            return new LoadReport.Context(null, null, noCrypto != null ? noCrypto : "no --crypto-jmh given", c, null);
        }
        try {
            CryptoCost.Flow flow = new CryptoCost.Flow(sign, type, threshold, parties, sign ? messages() : 0);
            CryptoCost.Cost cost = CryptoCost.compute(flow, JmhResults.read(cryptoJmh));
            return new LoadReport.Context(cost, "JMH results " + cryptoJmh, null, c, null);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--crypto-jmh " + cryptoJmh + ": " + e.getMessage());
        }
    }

    /** --sign needs a key type (all four sign); --messages and --sign-keys need --sign and are at least 1. */
    void checkSignOptions() {
        if (!sign) {
            if (messages != null || signKeys != null) {
                throw new ParameterException(spec.commandLine(), (messages != null ? "--messages" : "--sign-keys")
                        + " needs --sign");
            }
            return;
        }
        if (SignLoad.signableType(type) == null) {
            throw new ParameterException(spec.commandLine(), "--sign needs --type ed25519, taproot, ecdsa or bitcoin, "
                    + "not '" + type + "'");
        }
        if (messages() < 1 || messages() > SignLoad.MAX_MESSAGES) {
            throw new ParameterException(spec.commandLine(), "--messages must be 1.." + SignLoad.MAX_MESSAGES
                    + ", got " + messages());
        }
        if (signKeys() < 1) {
            throw new ParameterException(spec.commandLine(), "--sign-keys must be at least 1, got " + signKeys());
        }
    }

    private int messages() {
        return messages == null ? 1 : messages;
    }

    private int signKeys() {
        return signKeys == null ? 1 : signKeys;
    }

    /** The --sign-keys keys to sign with, made by the key driver; null (after saying why) unless all FULFILLED. */
    private List<Long> makeKeys(LoadDriver keyDriver) throws InterruptedException {
        System.err.printf(Locale.ROOT, "bench: making %d %s key%s to sign with%n", signKeys(), type,
                signKeys() == 1 ? "" : "s");
        List<Long> ids = new ArrayList<>();
        for (LoadDriver.Outcome o : keyDriver.phase(signKeys())) {
            if (!o.fulfilled()) {
                System.err.printf(Locale.ROOT, "bench: key request %d (a key to sign with) was not fulfilled: %s%n",
                        o.id(), o.error());
                return null;
            }
            ids.add(o.id());
        }
        return ids;
    }

    /** The --group and --group-match options as CPU groups, merged by name in order of appearance. */
    private List<ProcCpu.Group> cpuGroups() {
        Map<String, ProcCpu.Group> g = new LinkedHashMap<>();
        namedValues("--group", groups).forEach(e -> {
            String name = e.getKey();
            String pids = e.getValue();
            ProcCpu.Group grp = g.computeIfAbsent(name, n -> new ProcCpu.Group(n, new HashSet<>(), new ArrayList<>()));
            for (String p : pids.split(",")) {
                if (!p.isBlank()) {
                    try {
                        grp.roots().add(Integer.parseInt(p.trim()));
                    } catch (NumberFormatException bad) {
                        throw new ParameterException(spec.commandLine(), "--group " + name + ": '" + p
                                + "' is not a process id");
                    }
                }
            }
        });
        namedValues("--group-match", groupMatches).forEach(e -> g
                .computeIfAbsent(e.getKey(), n -> new ProcCpu.Group(n, new HashSet<>(), new ArrayList<>()))
                .cmdlineMatches().add(e.getValue()));
        return new ArrayList<>(g.values());
    }

    /** NAME=VALUE options as (NAME, VALUE) pairs, in order; VALUE is everything after the first '='. */
    private List<Map.Entry<String, String>> namedValues(String option, List<String> values) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (String v : values) {
            int eq = v.indexOf('=');
            if (eq <= 0) {
                throw new ParameterException(spec.commandLine(), option + " '" + v + "': expected NAME=VALUE");
            }
            out.add(Map.entry(v.substring(0, eq), v.substring(eq + 1)));
        }
        return out;
    }
}
