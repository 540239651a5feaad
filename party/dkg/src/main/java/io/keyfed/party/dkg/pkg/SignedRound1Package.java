package io.keyfed.party.dkg.pkg;

import io.keyfed.party.dkg.DkgAbort;
import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.wire.Wire;
import io.keyfed.party.dkg.wire.WireReader;
import io.keyfed.party.dkg.wire.WireWriter;
import java.util.Objects;

/**
 * A round-1 package as it is broadcast: the package and its sender's signature over the package's echo digest
 * ({@link io.keyfed.party.dkg.Dkg#round1Digest}), so that the package is evidence a third party can check.
 *
 * <p>Encoding: {@code u8 version=1 | u8 type=5 | u8 curve | lp(Round1Package bytes) | lp(signature, 1..64)}.
 */
public final class SignedRound1Package {
    private final Round1Package pkg;
    private final byte[] signature;

    public SignedRound1Package(Round1Package pkg, byte[] signature) {
        this.pkg = Objects.requireNonNull(pkg, "pkg");
        Objects.requireNonNull(signature, "signature");
        if (signature.length < 1 || signature.length > Wire.MAX_SIGNATURE_BYTES) {
            throw new IllegalArgumentException("signature must be 1.." + Wire.MAX_SIGNATURE_BYTES + " bytes");
        }
        this.signature = signature.clone();
    }

    public Round1Package pkg() {
        return pkg;
    }

    public byte[] signature() {
        return signature.clone();
    }

    public byte[] encode() {
        WireWriter w = new WireWriter();
        w.u8(Wire.VERSION).u8(Wire.TYPE_SIGNED_ROUND1).u8(pkg.curve().id().wireId());
        w.bytes(pkg.encode()).bytes(signature);
        return w.toByteArray();
    }

    /** Decodes the wrapper and the package inside it; every failure names {@code from}. */
    public static SignedRound1Package decode(Curve curve, byte[] bytes, int from) throws DkgAbort {
        WireReader r = WireReader.open(bytes, Wire.MAX_MESSAGE_BYTES, from);
        r.header(Wire.VERSION, Wire.TYPE_SIGNED_ROUND1, curve.id().wireId());
        byte[] inner = r.bytesUpTo(Wire.MAX_MESSAGE_BYTES, "round-1 package");
        byte[] sig = r.bytesUpTo(Wire.MAX_SIGNATURE_BYTES, "signature");
        r.end();
        return new SignedRound1Package(Round1Package.decode(curve, inner, from), sig);
    }

    @Override
    public String toString() {
        return "SignedRound1Package[" + pkg + "]";
    }
}
