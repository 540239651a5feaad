package io.keyfed.party.dkg;

import io.keyfed.party.dkg.pkg.PublicKeyPackage;
import io.keyfed.party.dkg.secret.SecretShare;
import javax.security.auth.Destroyable;

/** Verified output of {@link Dkg#finish}: the public key package and this party's secret share s_i. */
public final class DkgResult implements Destroyable {
    private final PublicKeyPackage publicKeyPackage;
    private final SecretShare secretShare;

    DkgResult(PublicKeyPackage publicKeyPackage, SecretShare secretShare) {
        this.publicKeyPackage = publicKeyPackage;
        this.secretShare = secretShare;
    }

    public PublicKeyPackage publicKeyPackage() {
        return publicKeyPackage;
    }

    public SecretShare secretShare() {
        return secretShare;
    }

    @Override
    public void destroy() {
        secretShare.destroy();
    }

    @Override
    public boolean isDestroyed() {
        return secretShare.isDestroyed();
    }

    @Override
    public String toString() {
        return "DkgResult[" + publicKeyPackage + ", " + secretShare + "]";
    }
}
