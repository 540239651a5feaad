package io.keyfed.bench.prefill;

import java.io.IOException;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.google.protobuf.ByteString;

import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyringParty;
import io.keyfed.cli.keys.SigningKey;
import io.keyfed.cli.log.LogVerifier;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Fills a ledger database (its schema made by the ledger's own Flyway migrations, its genesis applied) with
 * {@code rows} finished key requests and their keys, in one database transaction that holds the chain-head row
 * lock, as every ledger writer does: the ledger may be running (it then waits for the commit) or stopped.
 *
 * <p>What it writes, each as the ledger would: an admin's MsgNewKeyring (a 2-of-3 keyring of three party keys
 * made here and then forgotten; no party service holds them) and MsgNewWorkspace transactions, then per key
 * request the admin's signed MsgNewKeyRequest and two signed FULFILLED party answers ({@link KeyMaker}): the
 * tx_log entries hash-chained onto the log's head, the key_requests row (FULFILLED), the keys row, one request
 * event per step, and the fees: the admin pays {@code fee} per request, the keyring's address receives it
 * (escrowed and released within the same request, so the escrow's balance is unchanged and the supply still
 * adds up). The admin's sequence and the chain head (height, hash, next request id) move on, so the ledger's
 * next change chains onto the prefilled log. Rows go in by COPY, in chunks signed on {@code threads} threads.
 */
public final class Prefill {
    /**
     * {@code workspaceKeys} of the {@code rows} keys go to one workspace (spread evenly over the ids), the rest
     * round-robin to ceil(rest / {@code keysPerWorkspace}) others.
     */
    public record Options(long rows, long workspaceKeys, long keysPerWorkspace, long fee, int threads) {
        public Options {
            if (rows < 1 || rows > 100_000_000L) {
                throw new IllegalArgumentException("rows must be 1..100000000, got " + rows);
            }
            if (workspaceKeys < 1 || workspaceKeys > rows) {
                throw new IllegalArgumentException("workspace keys must be 1.." + rows + " (the rows), got " + workspaceKeys);
            }
            if (keysPerWorkspace < 1) {
                throw new IllegalArgumentException("keys per workspace must be at least 1, got " + keysPerWorkspace);
            }
            if (fee < 0) {
                throw new IllegalArgumentException("fee must not be negative, got " + fee);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
        }

        long otherWorkspaces() {
            return (rows - workspaceKeys + keysPerWorkspace - 1) / keysPerWorkspace;
        }

        /** Whether key {@code k} (0-based) goes to the big workspace: exactly workspaceKeys of them, spread evenly. */
        boolean inBig(long k) {
            return (k + 1) * workspaceKeys / rows > k * workspaceKeys / rows;
        }
    }

    /** What was written. */
    public record Result(long rows, long logEntries, long firstId, long lastId, String keyring, String bigWorkspace,
            long workspaces, long headHeight, String headHash, double seconds) {
    }

    private static final int CHUNK = 2_000;

    private Prefill() {
    }

    /** Runs the prefill on {@code c} (auto-commit is turned off; committed at the end, rolled back on failure). */
    public static Result run(Connection c, SigningKey admin, Options o, PrintStream progress)
            throws SQLException, IOException, InterruptedException {
        long t0 = System.nanoTime();
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            Result r = fill(c, admin, o, progress, t0);
            c.commit();
            return new Result(r.rows(), r.logEntries(), r.firstId(), r.lastId(), r.keyring(), r.bigWorkspace(),
                    r.workspaces(), r.headHeight(), r.headHash(), (System.nanoTime() - t0) / 1e9);
        } catch (SQLException | IOException | InterruptedException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private static Result fill(Connection c, SigningKey admin, Options o, PrintStream progress, long t0)
            throws SQLException, IOException, InterruptedException {
        long fees = Math.multiplyExact(o.rows(), o.fee());
        LedgerState s = LedgerState.lock(c, admin, fees);
        long now = System.currentTimeMillis();
        Chain chain = new Chain(s.height, s.hash, now);
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();

        SecureRandom rnd = new SecureRandom();
        List<SigningKey> partyKeys = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            partyKeys.add(SigningKey.generate("prefill-party-" + i, rnd));
        }
        partyKeys.sort(Comparator.comparing(k -> k.address(s.prefix)));
        List<KeyringParty> parties = partyKeys.stream().map(k -> KeyringParty.newBuilder().setAddress(k.address(s.prefix))
                .setPublicKey(ByteString.copyFrom(k.publicKey())).build()).toList();

        long seq = s.sequence;
        SetupTxs.Created kr = SetupTxs.keyring(admin, s.adminAddr, s.chainId, seq++, parties, KeyMaker.THRESHOLD, o.fee());
        chain.add("tx", kr.tx(), kr.outcome(), s.adminAddr);
        insertNamed(c, "insert into keyrings (address, creator, created_height, data) values (?, ?, ?, ?)",
                kr.address(), s.adminAddr, chain.height, kr.data());
        List<String> workspaces = new ArrayList<>();
        for (long w = 0; w <= o.otherWorkspaces(); w++) {
            SetupTxs.Created ws = SetupTxs.workspace(admin, s.adminAddr, s.chainId, seq++);
            chain.add("tx", ws.tx(), ws.outcome(), s.adminAddr);
            insertNamed(c, "insert into workspaces (address, creator, created_height, data) values (?, ?, ?, ?)",
                    ws.address(), s.adminAddr, chain.height, ws.data());
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into workspace_owners (workspace_addr, owner) values (?, ?)")) {
                ps.setString(1, ws.address());
                ps.setString(2, s.adminAddr);
                ps.executeUpdate();
            }
            workspaces.add(ws.address());
        }
        chain.flush(copy);

        KeyMaker maker = new KeyMaker(s.chainId, admin, s.adminAddr, kr.address(), parties, partyKeys, o.fee(),
                Math.addExact(now, Math.multiplyExact(s.defaultTimeoutSeconds, 1000L)));
        CounterKeys keys = new CounterKeys(rnd);
        Rows rows = new Rows();
        ExecutorService pool = Executors.newFixedThreadPool(o.threads(), r -> {
            Thread t = new Thread(r, "prefill-signer");
            t.setDaemon(true);
            return t;
        });
        long firstId = s.nextRequestId;
        long keySeq0 = seq;
        long height0 = chain.height;
        try {
            Deque<Future<List<KeyMaker.Made>>> window = new ArrayDeque<>();
            long next = 0;
            long done = 0;
            long reported = 0;
            long waitNs = 0;
            long copyNs = 0;
            while (done < o.rows()) {
                while (next < o.rows() && window.size() < o.threads() * 2) {
                    long from = next;
                    int n = (int) Math.min(CHUNK, o.rows() - from);
                    window.add(pool.submit(() -> chunk(maker, keys, o, workspaces, from, n, firstId, keySeq0,
                            height0)));
                    next += n;
                }
                long w0 = System.nanoTime();
                List<KeyMaker.Made> made = take(window.poll());
                long w1 = System.nanoTime();
                for (KeyMaker.Made m : made) {
                    rows.add(chain, m, kr.address());
                }
                long c0 = System.nanoTime();
                chain.flush(copy);
                rows.flush(copy);
                waitNs += w1 - w0;
                copyNs += System.nanoTime() - c0;
                done += made.size();
                if (progress != null && (done - reported >= 100_000 || done == o.rows())) {
                    progress.printf(Locale.ROOT, "prefill: %d of %d key requests (%.0f s; %.0f s waiting for the"
                            + " signers, %.0f s in COPY)%n", done, o.rows(), (System.nanoTime() - t0) / 1e9, waitNs / 1e9,
                            copyNs / 1e9);
                    reported = done;
                }
            }
        } finally {
            pool.shutdownNow();
            partyKeys.forEach(SigningKey::destroy);
        }
        seq += o.rows();
        s.finish(c, seq, chain.height, chain.hash, firstId + o.rows(), kr.address(), fees);
        return new Result(o.rows(), chain.height - s.height, firstId, firstId + o.rows() - 1, kr.address(),
                workspaces.get(0), workspaces.size(), chain.height, HexFormat.of().formatHex(chain.hash), 0);
    }

    /** Keys {@code from .. from+n-1} (0-based): ids, sequences and heights follow from their index. */
    private static List<KeyMaker.Made> chunk(KeyMaker maker, CounterKeys keys, Options o, List<String> workspaces,
            long from, int n, long firstId, long seq0, long height0) {
        byte[][] pks = keys.range(from, n);
        List<KeyMaker.Made> out = new ArrayList<>(n);
        long others = workspaces.size() - 1;
        for (int i = 0; i < n; i++) {
            long k = from + i;
            String ws;
            if (o.inBig(k)) {
                ws = workspaces.get(0);
            } else {
                ws = workspaces.get((int) (1 + Math.floorMod(k, others)));
            }
            out.add(maker.make(firstId + k, seq0 + k, height0 + 3 * k + 1, ws, pks[i]));
        }
        return out;
    }

    private static List<KeyMaker.Made> take(Future<List<KeyMaker.Made>> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            if (t instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("prefill worker failed: " + t, t);
        }
    }

    private static void insertNamed(Connection c, String sql, String address, String creator, long height, byte[] data)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, address);
            ps.setString(2, creator);
            ps.setLong(3, height);
            ps.setBytes(4, data);
            ps.executeUpdate();
        }
    }

    /** The log being extended: the head, and the entries not yet copied. */
    static final class Chain {
        long height;
        byte[] hash;
        private final long timeMs;
        private final CopyText log = new CopyText("tx_log",
                "(height, hash, prev_hash, kind, tx_bytes, outcome, sender, time_unix_ms)");

        Chain(long height, byte[] hash, long timeMs) {
            this.height = height;
            this.hash = hash;
            this.timeMs = timeMs;
        }

        /** Appends an entry: height + 1, hash = SHA-256(previous hash || bytes || UTF-8 outcome). */
        void add(String kind, byte[] bytes, String outcome, String sender) {
            byte[] h = LogVerifier.hashOf(hash, bytes, outcome);
            height++;
            log.num(height).bytes(h).bytes(hash).text(kind).bytes(bytes).text(outcome).text(sender).num(timeMs).end();
            hash = h;
        }

        void flush(CopyManager copy) throws SQLException, IOException {
            log.copy(copy);
        }
    }

    /** The request, key and event rows of the keys made so far. */
    static final class Rows {
        private final CopyText requests = new CopyText("key_requests",
                "(id, workspace_addr, keyring_addr, status, deadline_unix_ms, candidate_public_key, data, traceparent)");
        private final CopyText keys = new CopyText("keys", "(id, workspace_addr, keyring_addr, data)");
        private final CopyText events = new CopyText("request_events", "(request_id, keyring_addr, status, data, kind)");

        void add(Chain chain, KeyMaker.Made m, String keyring) {
            long expected = m.steps().get(0).getCreatedHeight();
            if (chain.height + 1 != expected) {
                throw new IllegalStateException("key request " + m.id() + " was made for height " + expected
                        + " but the log is at " + chain.height);
            }
            for (KeyMaker.Entry e : m.entries()) {
                chain.add(e.kind(), e.bytes(), e.outcome(), e.sender());
            }
            KeyRequest done = m.last();
            requests.num(m.id()).text(m.workspace()).text(keyring).num(done.getStatusValue())
                    .num(done.getDeadlineUnixMs()).bytes(m.publicKey()).bytes(done.toByteArray()).text("").end();
            keys.num(m.id()).text(m.workspace()).text(keyring).bytes(m.keyData()).end();
            for (KeyRequest step : m.steps()) {
                events.num(m.id()).text(keyring).num(step.getStatusValue()).bytes(step.toByteArray()).num(1).end();
            }
        }

        void flush(CopyManager copy) throws SQLException, IOException {
            requests.copy(copy);
            keys.copy(copy);
            events.copy(copy);
        }
    }
}
