package io.keyfed.party.frost;

import io.keyfed.party.dkg.DkgResult;
import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.pkg.PublicKeyPackage;
import io.keyfed.party.dkg.secret.SecretShare;

/**
 * A signer's key, as the DKG left it: its secret share s_i and the public key package (t, Y, Y_1..Y_n).
 * Holds references, never modifies them and does not wipe the share (its owner does). Checked on creation:
 * same curve, identifier in 1..n, and s_i·G == Y_i.
 */
public final class KeyPackage {
    private final SecretShare share;
    private final PublicKeyPackage publicKeys;

    private KeyPackage(SecretShare share, PublicKeyPackage publicKeys) {
        this.share = share;
        this.publicKeys = publicKeys;
    }

    public static KeyPackage of(DkgResult result) throws FrostAbort {
        return of(result.secretShare(), result.publicKeyPackage());
    }

    public static KeyPackage of(SecretShare share, PublicKeyPackage publicKeys) throws FrostAbort {
        Curve curve = publicKeys.curve();
        int i = share.identifier();
        if (share.curve().id() != curve.id()) {
            throw mismatch(i, "share and public key package are on different curves");
        }
        if (i < 1 || i > publicKeys.n()) {
            throw mismatch(i, "identifier " + i + " outside 1.." + publicKeys.n());
        }
        if (!curve.mulBase(share.value()).equals(publicKeys.verificationShare(i))) {
            throw mismatch(i, "s_i·G differs from the verification share Y_i");
        }
        return new KeyPackage(share, publicKeys);
    }

    public int identifier() {
        return share.identifier();
    }

    public SecretShare share() {
        return share;
    }

    public PublicKeyPackage publicKeys() {
        return publicKeys;
    }

    private static FrostAbort mismatch(int i, String reason) {
        return new FrostAbort(new FrostError.KeyMismatch(i, reason));
    }

    @Override
    public String toString() {
        return "KeyPackage[participant=" + identifier() + ", " + publicKeys + "]";
    }
}
