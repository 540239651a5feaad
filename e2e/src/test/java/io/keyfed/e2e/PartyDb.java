package io.keyfed.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import io.keyfed.api.ledger.v1.PartyResponse;

/**
 * A party's stored results, read straight from its embedded PostgreSQL (table {@code party_key_record}, one row
 * per answered request; see party/service's {@code V1__party_store.sql}; and its pairwise setups) over JDBC: the server's port is on the
 * fourth line of the data directory's postmaster.pid; it accepts local connections only, each with the password
 * kept in the data directory's keyfed-password file (see platform/README.md).
 */
final class PartyDb {
    private PartyDb() {
    }

    /**
     * SHA-256 over each result row the party committed (public key package, sealed share, signed response),
     * by request id; the rows of REJECTED answers included.
     */
    static Map<Long, String> records(Federation.Party p) throws Exception {
        Map<Long, String> out = new HashMap<>();
        try (Connection c = connect(p);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select request_id,"
                        + " sha256(public_key_package || sealed_share || coalesce(response, ''::bytea)) from party_key_record")) {
            while (rs.next()) {
                out.put(rs.getLong(1), HexFormat.of().formatHex(rs.getBytes(2)));
            }
        }
        return out;
    }

    /**
     * One of a party's rows that holds a sealed share: {@code digest} is SHA-256 over its share material (session
     * id, public key package, sealed share), {@code answer} the signed answer stored with it.
     */
    record ShareRow(String digest, PartyResponse answer, String state) {
        /**
         * The group public key of the stored answer, in hex (the ledger's JSON form); empty if it did not fulfil or
         * has no answer yet (a share stored pending before its CONFIRM, waiting for the ledger's status).
         */
        String publicKeyHex() {
            return answer == null ? "" : HexFormat.of().formatHex(answer.getPublicKey().toByteArray());
        }

        /** Stored before its CONFIRM and not yet activated or retired from the ledger's final status. */
        boolean pending() {
            return "pending".equals(state);
        }
    }

    /** The party's rows that hold a sealed share, by request id (a REJECTED answer's row holds none). */
    static Map<Long, ShareRow> shares(Federation.Party p) throws Exception {
        Map<Long, ShareRow> out = new HashMap<>();
        try (Connection c = connect(p);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select request_id,"
                        + " sha256(session_id || public_key_package || sealed_share), response, share_state"
                        + " from party_key_record"
                        + " where octet_length(sealed_share) > 0")) {
            while (rs.next()) {
                byte[] answer = rs.getBytes(3);
                out.put(rs.getLong(1), new ShareRow(HexFormat.of().formatHex(rs.getBytes(2)),
                        answer == null ? null : PartyResponse.parseFrom(answer), rs.getString(4)));
            }
        }
        return out;
    }

    /**
     * The party's DKLs23 pairwise setups (table {@code party_pair_setup}, schema V4): the setup id in hex, by the
     * peer's address.
     */
    static Map<String, String> pairSetups(Federation.Party p) throws Exception {
        Map<String, String> out = new HashMap<>();
        try (Connection c = connect(p);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select peer_address, setup_id from party_pair_setup")) {
            while (rs.next()) {
                out.put(rs.getString(1), HexFormat.of().formatHex(rs.getBytes(2)));
            }
        }
        return out;
    }

    private static Connection connect(Federation.Party p) throws Exception {
        Path dataDir = p.dir.resolve("data/pgdata");
        List<String> pid = Files.readAllLines(dataDir.resolve("postmaster.pid"));
        String url = "jdbc:postgresql://localhost:" + pid.get(3).trim() + "/postgres";
        String password = Files.readString(dataDir.resolve("keyfed-password")).strip();
        return DriverManager.getConnection(url, "postgres", password);
    }
}
