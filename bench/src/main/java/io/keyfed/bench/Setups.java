package io.keyfed.bench;

import java.util.ArrayList;
import java.util.List;

import io.keyfed.api.encoding.DkgSessionId;
import io.keyfed.party.dkg.SessionId;
import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.CurveId;

/** Parameter parsing shared by the DKG benchmarks. */
final class Setups {
    private Setups() {
    }

    /** {@code "2of3"} → {t, n}. */
    static int[] thresholdAndSize(String spec) {
        String[] parts = spec.split("of");
        if (parts.length != 2) {
            throw new IllegalArgumentException("expected <t>of<n>, got " + spec);
        }
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    }

    static Curve curve(String name) {
        return switch (name) {
            case "secp256k1" -> Curve.of(CurveId.SECP256K1);
            case "ed25519" -> Curve.of(CurveId.ED25519);
            default -> throw new IllegalArgumentException("unknown curve " + name);
        };
    }

    /** The ledger's KeyType number for the curve (1 = ecdsa secp256k1, 2 = ed25519). */
    static int keyType(Curve curve) {
        return curve.id() == CurveId.SECP256K1 ? 1 : 2;
    }

    /** The session id of request 42 of an example keyring of n parties (party001..), as the ledger derives it. */
    static SessionId session(Curve curve, int n, int t) {
        List<String> parties = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            parties.add(String.format("party%03d", i));
        }
        return SessionId.of(DkgSessionId.derive("keyfed-bench-1", 42, "keyring1exampleaddress", keyType(curve),
                parties, t));
    }
}
