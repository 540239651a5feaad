package io.keyfed.bench.prefill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.crypto.Bech32;
import io.keyfed.api.crypto.Hashes;
import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.encoding.DkgSessionId;
import io.keyfed.api.encoding.PartyResponseSignBytes;
import io.keyfed.api.encoding.TxSignBytes;
import io.keyfed.api.ledger.v1.Key;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.Keyring;
import io.keyfed.api.ledger.v1.KeyringParty;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.api.ledger.v1.TxBody;
import io.keyfed.api.ledger.v1.TxRaw;
import io.keyfed.cli.http.LedgerJson.TxEntry;
import io.keyfed.cli.keys.SigningKey;
import io.keyfed.cli.log.LogVerifier;
import io.keyfed.platform.testing.EmbeddedTestPostgres;

/**
 * The prefill on a real PostgreSQL whose schema is made by the ledger's own Flyway migrations (read from the
 * ledger module's sources) and whose genesis rows are those the ledger's GenesisService writes: the log verifies
 * with the code behind {@code ./keyfed verify-log}, the balances add up to the genesis supply, every stored
 * signature checks, a second prefill chains onto the first, and refused prefills change nothing.
 */
class PrefillTest {
    private static final String CHAIN = "keyfed-prefill-test";
    private static final long GENESIS_ADMIN = 1_000_000_000L;
    private static final long GENESIS_OTHER = 5_000L;
    private static final Path MIGRATIONS = Path.of("../ledger/src/main/resources/db/migration");
    private static EmbeddedTestPostgres pg;

    private final SigningKey admin = SigningKey.generate("bench-admin", new SecureRandom());
    private final String adminAddr = admin.address(Addresses.DEFAULT_PREFIX);

    @BeforeAll
    static void start() {
        assertTrue(Files.isDirectory(MIGRATIONS), "the ledger's migrations are not at " + MIGRATIONS.toAbsolutePath());
        pg = EmbeddedTestPostgres.start("bench-prefill");
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void prefilledLedgerVerifiesKeepsTheSupplyAndHoldsSignedFulfilledRequests() throws Exception {
        DataSource ds = ledgerDatabase(GENESIS_ADMIN);
        Prefill.Result r;
        try (Connection c = ds.getConnection()) {
            r = Prefill.run(c, admin, new Prefill.Options(2_000, 1_200, 500, 1, 2), null);
        }
        // one keyring, the big workspace and two of at most 500, then three entries per key request
        assertEquals(3, r.workspaces());
        assertEquals(1 + 3 + 3 * 2_000, r.logEntries());
        try (Connection c = ds.getConnection()) {
            LogVerifier v = verifyLog(c);
            assertEquals(r.logEntries(), v.count());
            assertEquals(v.headHex(), hex(one(c, "select hash from chain_head where id = 1")));
            assertEquals(r.logEntries(), number(c, "select height from chain_head where id = 1"));
            assertEquals(2_001, number(c, "select next_request_id from chain_head where id = 1"));
            assertSupplyHolds(c);
            assertEquals(GENESIS_ADMIN - 2_000, number(c, "select balance from accounts where address = '" + adminAddr + "'"));
            assertEquals(2_004, number(c, "select sequence from accounts where address = '" + adminAddr + "'"));
            assertEquals(2_000, number(c, "select balance from accounts where address = '" + r.keyring() + "'"));
            assertEquals(0, number(c, "select balance from accounts where address = '" + escrow() + "'"));
            assertEquals(2_000, number(c, "select count(*) from key_requests where status = "
                    + KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED_VALUE));
            assertEquals(2_000, number(c, "select count(*) from key_requests"));
            assertEquals(2_000, number(c, "select count(*) from keys"));
            assertEquals(6_000, number(c, "select count(*) from request_events where kind = 1"));
            assertEquals(1_200, number(c, "select count(*) from keys where workspace_addr = '" + r.bigWorkspace() + "'"));
            assertEquals(3, number(c, "select count(*) from workspace_owners where owner = '" + adminAddr + "'"));
            assertSignedAndShaped(c);
        }
    }

    @Test
    void aSecondPrefillChainsOntoTheFirst() throws Exception {
        DataSource ds = ledgerDatabase(GENESIS_ADMIN);
        try (Connection c = ds.getConnection()) {
            Prefill.Result a = Prefill.run(c, admin, new Prefill.Options(300, 100, 1_000, 1, 2), null);
            Prefill.Result b = Prefill.run(c, admin, new Prefill.Options(200, 100, 1_000, 1, 1), null);
            assertEquals(301, b.firstId());
            assertEquals(500, b.lastId());
            assertEquals(a.headHeight() + b.logEntries(), b.headHeight());
            LogVerifier v = verifyLog(c);
            assertEquals(b.headHeight(), v.count());
            assertEquals(b.headHash(), v.headHex());
            assertSupplyHolds(c);
            assertEquals(500, number(c, "select count(*) from keys"));
            assertSignedAndShaped(c);
        }
    }

    @Test
    void anAdminWhoCannotPayTheFeesIsRefusedAndNothingChanges() throws Exception {
        DataSource ds = ledgerDatabase(150);
        try (Connection c = ds.getConnection()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Prefill.run(c, admin, new Prefill.Options(200, 100, 1_000, 1, 1), null));
            assertTrue(e.getMessage().contains("has 150 urock, the prefill's fees need 200"), e.getMessage());
            assertEquals(0, number(c, "select count(*) from tx_log"));
            assertEquals(0, number(c, "select height from chain_head where id = 1"));
            assertEquals(0, number(c, "select count(*) from keyrings"));
            assertEquals(150, number(c, "select balance from accounts where address = '" + adminAddr + "'"));
        }
    }

    @Test
    void aDatabaseWithoutGenesisIsRefused() throws Exception {
        DataSource ds = pg.dataSource(pg.createDatabase("prefill"));
        Flyway.configure().dataSource(ds).locations("filesystem:" + MIGRATIONS.toAbsolutePath()).load().migrate();
        try (Connection c = ds.getConnection()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Prefill.run(c, admin, new Prefill.Options(10, 10, 10, 1, 1), null));
            assertTrue(e.getMessage().contains("no chain head"), e.getMessage());
            assertEquals(0, number(c, "select count(*) from tx_log"));
        }
    }

    @Test
    void optionsOutOfRangeAreRefusedByName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Prefill.Options(100, 101, 10, 1, 1))
                .getMessage().contains("workspace keys must be 1..100"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Prefill.Options(0, 1, 10, 1, 1))
                .getMessage().contains("rows must be"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Prefill.Options(10, 1, 10, -1, 1))
                .getMessage().contains("fee must not be negative"));
    }

    /** A fresh database with the ledger's migrations and the rows the ledger's genesis writes. */
    private DataSource ledgerDatabase(long adminAmount) throws SQLException {
        DataSource ds = pg.dataSource(pg.createDatabase("prefill"));
        Flyway.configure().dataSource(ds).locations("filesystem:" + MIGRATIONS.toAbsolutePath()).load().migrate();
        String other = SigningKey.generate("other", new SecureRandom()).address(Addresses.DEFAULT_PREFIX);
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("insert into chain_head (id, height, hash, next_request_id) values (1, 0, '\\x"
                    + "00".repeat(32) + "', 1)");
            st.executeUpdate("insert into params (id, chain_id, address_prefix, denom, genesis_supply, escrow_address,"
                    + " default_timeout_seconds, max_timeout_seconds) values (1, '" + CHAIN + "', 'zen', 'urock', "
                    + (adminAmount + GENESIS_OTHER) + ", '" + escrow() + "', 120, 3600)");
            st.executeUpdate("insert into accounts (address, sequence, balance) values ('" + adminAddr + "', 0, "
                    + adminAmount + "), ('" + other + "', 0, " + GENESIS_OTHER + ")");
        }
        return ds;
    }

    /** The ledger's escrow address (GenesisService.escrowAddress). */
    private static String escrow() {
        byte[] h = Hashes.sha256("keyfed/escrow".getBytes(StandardCharsets.US_ASCII));
        return Bech32.encode(Addresses.DEFAULT_PREFIX, Arrays.copyOf(h, 20));
    }

    /** The whole log through verify-log's checker. */
    private static LogVerifier verifyLog(Connection c) throws Exception {
        LogVerifier v = new LogVerifier();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select height, hash, prev_hash, tx_bytes, outcome from tx_log order by height")) {
            while (rs.next()) {
                v.accept(new TxEntry(rs.getLong(1), hex(rs.getBytes(2)), hex(rs.getBytes(3)), rs.getBytes(4),
                        rs.getString(5)));
            }
        }
        return v;
    }

    private static void assertSupplyHolds(Connection c) throws SQLException {
        assertEquals(number(c, "select genesis_supply from params where id = 1"),
                number(c, "select sum(balance) from accounts"));
    }

    /**
     * Every admin transaction carries a valid signature at the next sequence; every party answer is signed by a
     * keyring party over the request's v2 sign bytes and session id; every request is FULFILLED by its two
     * answers with a valid, distinct curve point that its key row repeats.
     */
    private void assertSignedAndShaped(Connection c) throws Exception {
        Map<String, byte[]> partyKeys = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select data from keyrings")) {
            while (rs.next()) {
                for (KeyringParty p : Keyring.parseFrom(rs.getBytes(1)).getPartiesList()) {
                    partyKeys.put(p.getAddress(), p.getPublicKey().toByteArray());
                }
            }
        }
        Map<Long, KeyRequest> requests = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "select r.id, r.data, k.data, r.candidate_public_key from key_requests r join keys k on k.id = r.id")) {
            Set<String> points = new HashSet<>();
            while (rs.next()) {
                KeyRequest q = KeyRequest.parseFrom(rs.getBytes(2));
                Key k = Key.parseFrom(rs.getBytes(3));
                assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, q.getStatus());
                assertEquals(2, q.getHoldersCount());
                assertEquals(2, q.getKeyringPartySigsCount());
                assertEquals(q.getPublicKey(), k.getPublicKey());
                assertArrayEquals(q.getPublicKey().toByteArray(), rs.getBytes(4));
                assertTrue(Secp256k1.isValidPublicKey(k.getPublicKey().toByteArray()));
                assertTrue(points.add(hex(k.getPublicKey().toByteArray())), "a public key repeats");
                requests.put(rs.getLong(1), q);
            }
        }
        long sequence = -1;
        int answers = 0;
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select kind, tx_bytes, sender from tx_log order by height")) {
            while (rs.next()) {
                byte[] bytes = rs.getBytes(2);
                if (rs.getString(1).equals("tx")) {
                    TxRaw raw = TxRaw.parseFrom(bytes);
                    TxBody body = TxBody.parseFrom(raw.getBodyBytes());
                    assertEquals(CHAIN, body.getChainId());
                    assertTrue(body.getSequence() > sequence, "sequences must rise");
                    sequence = body.getSequence();
                    assertTrue(Secp256k1.verify(body.getPublicKey().toByteArray(),
                            TxSignBytes.of(raw.getBodyBytes().toByteArray()), raw.getSignature().toByteArray()));
                    assertEquals(adminAddr, rs.getString(3));
                } else {
                    assertEquals("party_response", rs.getString(1));
                    PartyResponse a = PartyResponse.parseFrom(bytes);
                    KeyRequest q = requests.get(a.getRequestId());
                    byte[] session = DkgSessionId.derive(CHAIN, q.getId(), q.getKeyringAddr(), q.getKeyTypeValue(),
                            q.getPartiesList().stream().map(KeyringParty::getAddress).toList(), q.getPartyThreshold());
                    assertArrayEquals(session, a.getSessionId().toByteArray());
                    byte[] signBytes = PartyResponseSignBytes.of(CHAIN, q.getId(), q.getKeyringAddr(), q.getKeyType(),
                            a.getPartyAddr(), a.getStatus(), a.getPublicKey().toByteArray(), "", session);
                    assertTrue(Secp256k1.verify(partyKeys.get(a.getPartyAddr()), signBytes, a.getSignature().toByteArray()),
                            "party answer signature");
                    assertTrue(q.getHoldersList().contains(a.getPartyAddr()));
                    answers++;
                }
            }
        }
        assertEquals(2 * requests.size(), answers);
    }

    private static byte[] one(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next(), "no row: " + sql);
            return rs.getBytes(1);
        }
    }

    private static long number(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next(), "no row: " + sql);
            return rs.getLong(1);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
