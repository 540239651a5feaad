package io.keyfed.party.session;

import javax.security.auth.Destroyable;

import io.keyfed.party.dkg.pkg.PublicKeyPackage;
import io.keyfed.party.dkg.secret.SecretShare;

/**
 * A stored share unsealed for one session: the secret share in memory and its public key package. Its owner
 * wipes it ({@link #destroy}) when the session ends, whatever the outcome. No toString of the share.
 */
public final class OpenedShare implements Destroyable {
    private final SecretShare share;
    private final PublicKeyPackage publicKeys;

    OpenedShare(SecretShare share, PublicKeyPackage publicKeys) {
        this.share = share;
        this.publicKeys = publicKeys;
    }

    public SecretShare share() {
        return share;
    }

    public PublicKeyPackage publicKeys() {
        return publicKeys;
    }

    @Override
    public void destroy() {
        share.destroy();
    }

    @Override
    public boolean isDestroyed() {
        return share.isDestroyed();
    }

    @Override
    public String toString() {
        return "OpenedShare[participant " + share.identifier() + (isDestroyed() ? ", wiped]" : "]");
    }
}
