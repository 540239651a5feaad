package io.keyfed.party.dkg;

import java.util.ArrayList;
import java.util.List;

import io.keyfed.api.encoding.DkgSessionId;

/** Session ids for in-memory runs, derived as the ledger and the party service derive them. */
public final class TestSessions {
    public static final String CHAIN = "keyfed-test-1";
    public static final String KEYRING = "keyring1exampleaddress";

    private TestSessions() {
    }

    /** n synthetic, sorted participant names: party001, party002, ... */
    public static List<String> parties(int n) {
        List<String> ps = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ps.add(String.format("party%03d", i));
        }
        return ps;
    }

    /** The session id of request 42 of an example keyring with n parties and threshold t. */
    public static SessionId example(int keyType, int n, int t) {
        return of(42, keyType, n, t);
    }

    public static SessionId of(long requestId, int keyType, int n, int t) {
        return SessionId.of(DkgSessionId.derive(CHAIN, requestId, KEYRING, keyType, parties(n), t));
    }
}
