package io.keyfed.party.frost;

import io.keyfed.party.dkg.curve.Scalar;
import javax.security.auth.Destroyable;

/**
 * Round-1 secret of one signer: the hiding and binding nonces (d, e) and the commitments made from them.
 * Held in memory only, never stored. {@link Frost#sign} consumes it: it is wiped when signing ends, and a
 * second use is refused ({@link FrostError.NonceReuse}). {@link #destroy()} wipes it without signing.
 */
public final class SigningNonces implements Destroyable {
    private final int identifier;
    private final Scalar hiding;
    private final Scalar binding;
    private final SigningCommitments commitments;
    private boolean used;

    /** Takes ownership of both scalars. */
    SigningNonces(int identifier, Scalar hiding, Scalar binding, SigningCommitments commitments) {
        this.identifier = identifier;
        this.hiding = hiding;
        this.binding = binding;
        this.commitments = commitments;
    }

    public int identifier() {
        return identifier;
    }

    /** The public commitments these nonces were made for. */
    public SigningCommitments commitments() {
        return commitments;
    }

    /** Marks the nonces used; false if they were used or wiped already. */
    synchronized boolean consume() {
        if (used || hiding.isDestroyed()) {
            return false;
        }
        used = true;
        return true;
    }

    /** d itself (not a copy), until wiped. */
    Scalar hiding() {
        return hiding;
    }

    /** e itself (not a copy), until wiped. */
    Scalar binding() {
        return binding;
    }

    @Override
    public synchronized void destroy() {
        used = true;
        hiding.destroy();
        binding.destroy();
    }

    @Override
    public boolean isDestroyed() {
        return hiding.isDestroyed();
    }

    @Override
    public String toString() {
        return "SigningNonces[participant=" + identifier + ", REDACTED]";
    }
}
