package io.keyfed.party.dkg.curve;

/** Curves supported by the DKG engine; {@link #wireId()} is the byte used in message encodings. */
public enum CurveId {
    SECP256K1(1),
    ED25519(2);

    private final int wireId;

    CurveId(int wireId) {
        this.wireId = wireId;
    }

    public int wireId() {
        return wireId;
    }

    public static CurveId fromWireId(int id) {
        for (CurveId c : values()) {
            if (c.wireId == id) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown curve id " + id);
    }
}
