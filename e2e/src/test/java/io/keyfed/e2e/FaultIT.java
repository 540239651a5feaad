package io.keyfed.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;

import io.keyfed.cli.http.LedgerClientException;
import io.keyfed.cli.keys.SigningKey;

/**
 * Crash faults with real processes: while 200 key requests (2-of-3, mixed key types, 60 s timeout) are
 * being submitted and served, one process is killed with SIGKILL and restarted. After each fault, every
 * request of the keyring is final (none past its deadline), no key is stored twice and no two requests
 * share a key, supply is conserved, and new requests are fulfilled. One federation serves all four faults
 * in turn (a fault's invariants cover every request made so far), which keeps the module's time down.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultIT {
    private static final long FEE = 10;
    private static final long GENESIS_OWNER = 1_000_000;
    private static final long GENESIS_BOB = 1_000_000;
    private static final int LOAD = 200;
    private static final long TIMEOUT_S = 60;
    private static final String[] TYPES = {"ecdsa", "ed25519", "bitcoin"};
    /** Owners submitting in parallel (each with its own client, so sequences pipeline per owner). */
    private static final int OWNERS = 6;
    private static final int KILL_AT = 100;
    private static final int THRESHOLD = 2;

    private Federation fed;
    private Client client;
    private ShareAudit shares;
    private final SigningKey bob = Client.newKey("bob");
    private final List<SigningKey> owners = new ArrayList<>();
    private final List<Client> clients = new ArrayList<>();
    private final List<String> workspaces = new ArrayList<>();
    private String keyring;
    /** Every key request the ledger acknowledged (HTTP 200): id, log height, log hash. */
    private final java.util.Queue<Ack> acknowledged = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private record Ack(long id, long height, String hash) {
    }

    @BeforeAll
    void startFederation() throws Exception {
        fed = new Federation("faults");
        Map<SigningKey, Long> balances = new HashMap<>(Map.of(bob, GENESIS_BOB));
        for (int i = 0; i < OWNERS; i++) {
            SigningKey k = Client.newKey("owner" + i);
            owners.add(k);
            balances.put(k, GENESIS_OWNER);
        }
        Path genesis = fed.writeGenesis(balances);
        fed.initParties(3);
        fed.startLedger(genesis);
        fed.startParties();
        client = new Client(fed);
        for (SigningKey k : owners) {
            Client c = new Client(fed);
            clients.add(c);
            workspaces.add(c.newWorkspace(k));
        }
        keyring = client.newKeyring(bob, THRESHOLD, FEE, fed.parties);
        shares = new ShareAudit(fed);
        // Key requests only: with both watch streams a connector has more than once lost its streams for about a
        // minute after the ledger's restart (GOAWAY "Request stream N is not correct for server connection", an
        // open issue, e2e/README.md); this test is about the key flow's invariants under crashes.
        fed.startConnectors(keyring, false);
    }

    @AfterAll
    void stopFederation() throws Exception {
        if (fed != null) {
            fed.close();
        }
    }

    // ------------------------------------------------------------------------------------ the faults

    @Test
    @Order(1)
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void shouldSurviveAConnectorKilledUnderLoad() throws Exception {
        ManagedProcess c = fed.connectors.get(0);
        underLoad("connector", () -> {
            c.kill();
            Thread.sleep(1000);
            fed.restartConnector(c);
        });
    }

    @Test
    @Order(2)
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void shouldSurviveAPartyKilledUnderLoadWithItsSealedSharesIntact() throws Exception {
        Federation.Party p = fed.parties.get(1);
        // underLoad's share audit covers the crash: the share rows the party committed before it are unchanged
        // in its PostgreSQL and open in its token after the restart, and it holds shares of the fresh requests.
        underLoad("party", () -> {
            p.process.kill();
            Thread.sleep(1000);
            fed.restartParty(p);
        });
    }

    @Test
    @Order(3)
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void shouldSurviveTheLedgerKilledUnderLoad() throws Exception {
        underLoad("ledger", () -> {
            OptionalLong pg = fed.postmasterPid();
            fed.ledger().kill();
            Thread.sleep(1000);
            if (pg.isPresent() && Federation.isPostgres(pg.getAsLong())) {
                // Finding: the embedded PostgreSQL outlives its killed ledger (no JVM shutdown hook runs on
                // SIGKILL), holding the data directory. A new ledger on that directory cannot start its own
                // server while the orphan lives ("FATAL: lock file postmaster.pid already exists", then the
                // ledger gives up after its 60 s start-up wait), so the recovery procedure stops the orphan first.
                System.out.println("[fault ledger] FINDING: embedded PostgreSQL (pid " + pg.getAsLong()
                        + ") outlived the SIGKILLed ledger; stopping it (SIGTERM) before the restart");
                Federation.stopPid(pg.getAsLong());
                fed.restartLedger();
            } else {
                fed.restartLedger();
            }
        });
    }

    @Test
    @Order(4)
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void shouldSurvivePostgresKilledUnderLoad() throws Exception {
        underLoad("postgres", () -> {
            long pid = fed.postmasterPid().orElseThrow(() -> new AssertionError("no postmaster.pid in "
                    + fed.ledgerDataDir()));
            assertTrue(Federation.isPostgres(pid), "postmaster " + pid + " is running");
            Federation.killPid(pid);
            // Does the ledger recover on its own? Give it a bounded look, then apply the recovery procedure.
            boolean selfRecovered = false;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int readiness = -1;
            while (System.nanoTime() < until) {
                Thread.sleep(1000);
                readiness = fed.ledgerReadiness();
                selfRecovered = readiness == 200 && statusAnswers();
                if (selfRecovered && fed.postmasterPid().isPresent()
                        && Federation.isPostgres(fed.postmasterPid().getAsLong())) {
                    break;
                }
                selfRecovered = false;
            }
            System.out.println("[fault postgres] after SIGKILL of the postmaster: ledger alive=" + fed.ledger().isAlive()
                    + ", readiness=" + readiness + ", recovered by itself=" + selfRecovered);
            if (!selfRecovered) {
                // Recovery procedure: restart the ledger, which restarts its embedded PostgreSQL (crash recovery
                // from the WAL happens there).
                fed.ledger().stop();
                fed.restartLedger();
            }
        });
    }

    // ------------------------------------------------------------------------------------ load and checks

    interface Fault {
        void inject() throws Exception;
    }

    /**
     * Submits {@value #LOAD} requests from {@value #OWNERS} owners in parallel, injects the fault once
     * {@value #KILL_AT} are submitted (most of them still running) and every party holds a share, then checks
     * everything, the parties' shares from before the fault included.
     */
    private void underLoad(String name, Fault fault) throws Exception {
        AtomicInteger submitted = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        List<String> errors = new ArrayList<>();
        List<Thread> load = new ArrayList<>();
        for (int o = 0; o < OWNERS; o++) {
            int owner = o;
            Thread t = new Thread(() -> {
                for (int i = next.getAndIncrement(); i < LOAD; i = next.getAndIncrement()) {
                    submitOne(owner, TYPES[i % TYPES.length], errors);
                    submitted.incrementAndGet();
                }
            }, "load-" + name + "-" + o);
            t.start();
            load.add(t);
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (submitted.get() < KILL_AT && load.stream().anyMatch(Thread::isAlive) && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        Map<Federation.Party, Map<Long, PartyDb.ShareRow>> before = shares.snapshotOnceEveryPartyHoldsAShare(120);
        int inFlight = inFlightCount();
        System.out.println("[fault " + name + "] injecting after " + submitted.get() + " submissions, " + inFlight
                + " requests not final");
        long t0 = System.nanoTime();
        fault.inject();
        System.out.println("[fault " + name + "] fault injected and repaired in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms; then " + submitted.get()
                + " submitted, " + inFlightCount() + " not final");
        for (Thread t : load) {
            t.join(TimeUnit.SECONDS.toMillis(240));
            assertFalse(t.isAlive(), "load generator finished");
        }
        assertTrue(errors.isEmpty(), "submissions that never went through: " + errors);

        // A few fresh requests once the fault is repaired: the restarted piece serves again.
        List<Long> fresh = new ArrayList<>();
        for (String t : TYPES) {
            fresh.add(submitOne(0, t, errors));
        }
        long freshDeadline = 0;
        for (long id : fresh) {
            JsonNode r = client.awaitFinal(id, TIMEOUT_S + 30);
            assertEquals("KEY_REQUEST_STATUS_FULFILLED", r.path("status").asText(), "after " + name + ": " + r);
            freshDeadline = Math.max(freshDeadline, r.path("deadline_unix_ms").asLong());
        }
        Map<Long, String> fulfilled = assertInvariants(name);
        shares.awaitSharesOnEveryParty(fresh, freshDeadline);
        int opened = shares.assertIntactAndOpen(name, before, fresh, fulfilled, THRESHOLD);
        System.out.println("[fault " + name + "] shares: " + before.values().stream().mapToInt(Map::size).sum()
                + " rows from before the fault unchanged, " + opened + " shares of fulfilled requests opened");
    }

    /** Submits one request for an owner, retrying while the ledger is unavailable (bounded); returns its id. */
    private long submitOne(int owner, String type, List<String> errors) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        LedgerClientException last = null;
        while (System.nanoTime() < until) {
            try {
                JsonNode r = clients.get(owner).requestKeyTx(owners.get(owner), workspaces.get(owner), keyring, type,
                        TIMEOUT_S);
                Ack a = new Ack(r.path("key_request_id").asLong(), r.path("height").asLong(), r.path("hash").asText());
                acknowledged.add(a);
                return a.id();
            } catch (LedgerClientException e) {
                last = e;
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        synchronized (errors) {
            errors.add(String.valueOf(last));
        }
        return -1;
    }

    private boolean statusAnswers() {
        try {
            client.ledger().get("/v1/status");
            return true;
        } catch (LedgerClientException | RuntimeException e) {
            return false;
        }
    }

    private int inFlightCount() {
        try {
            return (int) allRequests().stream().filter(r -> !isFinal(r)).count();
        } catch (LedgerClientException e) {
            return -1;
        }
    }

    private static boolean isFinal(JsonNode r) {
        String st = r.path("status").asText();
        return st.endsWith("FULFILLED") || st.endsWith("REJECTED");
    }

    private List<JsonNode> allRequests() throws LedgerClientException {
        List<JsonNode> out = new ArrayList<>();
        String token = "";
        do {
            JsonNode page = client.ledger().get("/v1/treasury/key-requests",
                    Map.of("keyring_addr", keyring, "page_size", "100", "page_token", token));
            page.path("requests").forEach(out::add);
            token = page.path("next_page_token").asText("");
        } while (!token.isEmpty());
        return out;
    }

    private List<JsonNode> allKeys() throws LedgerClientException {
        List<JsonNode> out = new ArrayList<>();
        for (String workspace : workspaces) {
            out.addAll(keysOf(workspace));
        }
        return out;
    }

    private List<JsonNode> keysOf(String workspace) throws LedgerClientException {
        List<JsonNode> out = new ArrayList<>();
        String token = "";
        do {
            JsonNode page = client.ledger().get("/v1/treasury/keys",
                    Map.of("workspace_addr", workspace, "page_size", "100", "page_token", token));
            page.path("keys").forEach(out::add);
            token = page.path("next_page_token").asText("");
        } while (!token.isEmpty());
        return out;
    }

    /** Checks the ledger's invariants after the fault {@code name}; returns the fulfilled requests' keys by id. */
    private Map<Long, String> assertInvariants(String name) throws Exception {
        // 1. Every request final; none left open past its deadline (+ sweep interval and slack).
        List<JsonNode> requests = allRequests();
        long lastDeadline = requests.stream().mapToLong(r -> r.path("deadline_unix_ms").asLong()).max().orElse(0);
        long until = Math.max(lastDeadline, System.currentTimeMillis()) + 20_000;
        while (requests.stream().anyMatch(r -> !isFinal(r)) && System.currentTimeMillis() < until) {
            Thread.sleep(500);
            requests = allRequests();
        }
        long now = System.currentTimeMillis();
        List<String> stuck = new ArrayList<>();
        for (JsonNode r : requests) {
            if (!isFinal(r)) {
                stuck.add(r.path("id").asText() + " " + r.path("status").asText() + " deadline "
                        + r.path("deadline_unix_ms").asLong() + " (now " + now + ")");
            }
        }
        assertTrue(stuck.isEmpty(), "after " + name + ", requests not final past their deadline: " + stuck);

        // 2. Durability: every acknowledged request is still in the log at its height with its hash, and is
        //    still the request that was created there (ids are not reused by a later transaction).
        List<String> lost = new ArrayList<>();
        for (Ack a : acknowledged) {
            JsonNode rec;
            JsonNode req;
            try {
                rec = client.ledger().get("/v1/txs/" + a.height());
                req = client.request(a.id());
            } catch (LedgerClientException e) {
                lost.add("request " + a.id() + " acknowledged at height " + a.height() + ": " + e.getMessage());
                continue;
            }
            if (!a.hash().equals(rec.path("hash").asText()) || req.path("created_height").asLong() != a.height()) {
                lost.add("request " + a.id() + " acknowledged at height " + a.height() + " hash " + a.hash()
                        + ", now log has " + rec.path("hash").asText() + " and the request was created at height "
                        + req.path("created_height").asLong());
            }
        }
        assertTrue(lost.isEmpty(), "after " + name + ", acknowledged transactions lost or replaced ("
                + lost.size() + "): " + lost);

        // 3. No key stored twice; no two requests share a public key; keys match their requests.
        Map<Long, String> fulfilled = new TreeMap<>();
        Map<String, Integer> reasons = new TreeMap<>();
        Set<String> requestKeys = new HashSet<>();
        for (JsonNode r : requests) {
            if (r.path("status").asText().endsWith("FULFILLED")) {
                String pk = r.path("public_key").asText();
                assertFalse(pk.isEmpty(), "fulfilled request without key: " + r);
                assertTrue(requestKeys.add(pk), "two requests share public key " + pk);
                fulfilled.put(r.path("id").asLong(), pk);
            } else {
                String reason = r.path("reject_reason").asText();
                reasons.merge(reason.length() > 60 ? reason.substring(0, 60) : reason, 1, Integer::sum);
            }
        }
        List<JsonNode> keys = allKeys();
        Set<Long> keyIds = new HashSet<>();
        Set<String> keyPubs = new HashSet<>();
        for (JsonNode k : keys) {
            long id = k.path("key").path("id").asLong();
            String pk = k.path("key").path("public_key").asText();
            assertTrue(keyIds.add(id), "key " + id + " stored twice");
            assertTrue(keyPubs.add(pk), "public key stored twice: " + pk);
            assertEquals(fulfilled.get(id), pk, "key " + id + " is not its fulfilled request's key");
        }
        assertEquals(fulfilled.keySet(), keyIds, "one key per fulfilled request");

        // 4. Supply: the ledger's own sum, and the sum over every account that can hold funds here.
        JsonNode supply = client.ledger().get("/v1/bank/supply");
        long genesis = Long.parseLong(supply.path("genesis_supply").asText());
        assertEquals(OWNERS * GENESIS_OWNER + GENESIS_BOB, genesis);
        assertEquals(genesis, Long.parseLong(supply.path("total_balances").asText()), "total balances after " + name);
        String escrow = client.params().path("escrow_address").asText();
        long escrowed = client.balance(escrow);
        long sum = client.balance(bob.address("zen")) + client.balance(keyring) + escrowed;
        for (SigningKey k : owners) {
            sum += client.balance(k.address("zen"));
        }
        assertEquals(genesis, sum, "owners + admin + keyring + escrow after " + name);
        assertEquals(0, escrowed, "nothing left in escrow once every request is final");
        assertEquals(FEE * fulfilled.size(), client.balance(keyring), "keyring earned one fee per fulfilled key");

        System.out.println("[fault " + name + "] " + requests.size() + " requests so far: " + fulfilled.size()
                + " fulfilled, " + (requests.size() - fulfilled.size()) + " rejected " + reasons);
        return fulfilled;
    }
}
