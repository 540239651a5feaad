package io.keyfed.bench.prefill;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keyfed.cli.keys.KeyStore;
import io.keyfed.platform.db.EmbeddedPostgresMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code fill}: connects to the embedded PostgreSQL that serves the ledger's data directory (its port from
 * {@code <dir>.port}, its password from the file inside the directory, as {@link EmbeddedPostgresMain} keeps
 * them), runs {@link Prefill}, then vacuums, analyses and checkpoints the new rows; writes what it did as JSON with
 * {@code --out}.
 */
@Command(name = "fill", description = "Fill the ledger database with N finished key requests and their keys.")
final class FillCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Option(names = "--home", required = true, paramLabel = "DIR", description = "client home with the admin key")
    Path home;

    @Option(names = "--admin", paramLabel = "NAME", defaultValue = "bench-admin",
            description = "the key (in --home) that pays and signs the prefilled requests (default bench-admin)")
    String admin;

    @Option(names = "--pgdata", required = true, paramLabel = "DIR",
            description = "the ledger's embedded PostgreSQL data directory (keyfed.ledger.data-dir); its server must run")
    Path pgdata;

    @Option(names = "--rows", required = true, paramLabel = "N", description = "finished key requests to add")
    long rows;

    @Option(names = "--workspace-keys", paramLabel = "W",
            description = "of which in one workspace (default: N, at most 50000)")
    Long workspaceKeys;

    @Option(names = "--keys-per-workspace", paramLabel = "S", defaultValue = "10000",
            description = "the other keys are spread over workspaces of about S keys (default 10000)")
    long keysPerWorkspace;

    @Option(names = "--fee", paramLabel = "F", defaultValue = "1", description = "key_req_fee of the keyring (default 1)")
    long fee;

    @Option(names = "--threads", paramLabel = "T", description = "signing threads (default: available processors)")
    Integer threads;

    @Option(names = "--out", paramLabel = "FILE", description = "write the result as JSON")
    Path out;

    @Override
    public Integer call() throws Exception {
        Prefill.Options o;
        try {
            o = new Prefill.Options(rows, workspaceKeys != null ? workspaceKeys : Math.min(rows, 50_000),
                    keysPerWorkspace, fee, threads != null ? threads : Runtime.getRuntime().availableProcessors());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Path dir = pgdata.toAbsolutePath().normalize();
        Path portFile = dir.resolveSibling(dir.getFileName() + ".port");
        if (!Files.isRegularFile(portFile)) {
            throw new ParameterException(spec.commandLine(), "no " + portFile + ": the ledger's embedded PostgreSQL on "
                    + dir + " is not running");
        }
        int port = Integer.parseInt(Files.readString(portFile, StandardCharsets.US_ASCII).strip());
        Properties p = new Properties();
        p.setProperty("user", EmbeddedPostgresMain.USER);
        p.setProperty("password", password(dir));
        String url = "jdbc:postgresql://localhost:" + port + "/" + EmbeddedPostgresMain.DATABASE;
        Prefill.Result r;
        double settle;
        try (Connection c = DriverManager.getConnection(url, p)) {
            r = Prefill.run(c, new KeyStore(home).load(admin), o, System.err);
            settle = settle(c);
        } catch (IllegalStateException e) {
            System.err.println("prefill: " + e.getMessage());
            return 1;
        }
        System.err.printf(Locale.ROOT, "prefill: %d key requests (%d log entries, %d workspaces, %d keys in %s) in"
                + " %.1f s; log head at height %d%n", r.rows(), r.logEntries(), r.workspaces(), o.workspaceKeys(),
                r.bigWorkspace(), r.seconds(), r.headHeight());
        System.err.printf(Locale.ROOT, "prefill: VACUUM (ANALYZE) and CHECKPOINT in %.1f s%n", settle);
        if (out != null) {
            ObjectNode j = toJson(r, o);
            j.put("prefill_vacuum_seconds", Math.round(settle * 10) / 10.0);
            Files.writeString(out, JSON.writeValueAsString(j));
        }
        return 0;
    }

    /**
     * What a ledger that grew over months has had done by autovacuum long ago: the new rows vacuumed (visibility
     * map, hint bits) and analysed, and written out by a checkpoint. Done here, so that this background work
     * does not land in the measured phase, where the bench counts every PostgreSQL process of the ledger.
     * Returns the seconds it took.
     */
    private static double settle(Connection c) throws SQLException {
        long t = System.nanoTime();
        try (Statement st = c.createStatement()) {
            st.execute("vacuum (analyze) tx_log, key_requests, keys, request_events, accounts, workspaces,"
                    + " workspace_owners, keyrings, chain_head");
            st.execute("checkpoint");
        }
        return (System.nanoTime() - t) / 1e9;
    }

    static ObjectNode toJson(Prefill.Result r, Prefill.Options o) {
        ObjectNode j = JSON.createObjectNode();
        j.put("prefill_rows", r.rows());
        j.put("prefill_seconds", Math.round(r.seconds() * 10) / 10.0);
        j.put("prefill_log_entries", r.logEntries());
        j.put("prefill_workspace", r.bigWorkspace());
        j.put("prefill_workspace_keys", o.workspaceKeys());
        j.put("prefill_workspaces", r.workspaces());
        j.put("prefill_keyring", r.keyring());
        j.put("prefill_first_id", r.firstId());
        j.put("prefill_last_id", r.lastId());
        j.put("prefill_head_height", r.headHeight());
        return j;
    }

    private static String password(Path dir) throws IOException {
        return Files.readString(dir.resolve(EmbeddedPostgresMain.PASSWORD_FILE), StandardCharsets.UTF_8).strip();
    }
}
