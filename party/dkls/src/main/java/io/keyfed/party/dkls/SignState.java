package io.keyfed.party.dkls;

import io.keyfed.party.dkg.curve.GroupElement;
import io.keyfed.party.dkg.curve.Scalar;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.security.auth.Destroyable;

/**
 * SECRET state of one signer between the rounds of {@link DklsSign}: its nonce k, the inversion mask φ,
 * its additive key share x, the multiplication states and shares. In memory only, used once: each round
 * consumes it; an abort, the end of round 3, or {@link #destroy()} wipes the secrets.
 */
public final class SignState implements Destroyable {
    final int self;
    final List<Integer> signers;
    final byte[] sessionId;
    final byte[] digest;
    final GroupElement publicKey;
    final Map<Integer, PairwiseSetupOutput> setups;
    Scalar k;
    Scalar phi;
    Scalar x;
    byte[] bigR;
    byte[] salt;
    final Map<Integer, byte[]> commitments = new TreeMap<>();
    final Map<Integer, RvoleReceiver> receivers = new TreeMap<>();
    final Map<Integer, Scalar[]> senderShares = new TreeMap<>();
    byte[] commitmentsDigest;
    GroupElement groupR;
    private int round;
    private boolean destroyed;

    SignState(int self, List<Integer> signers, byte[] sessionId, byte[] digest, GroupElement publicKey,
            Map<Integer, PairwiseSetupOutput> setups) {
        this.self = self;
        this.signers = List.copyOf(signers);
        this.sessionId = sessionId.clone();
        this.digest = digest.clone();
        this.publicKey = publicKey;
        this.setups = Map.copyOf(setups);
        this.round = 1;
    }

    public int self() {
        return self;
    }

    synchronized void advance(int done) {
        if (destroyed && done < 3 || round != done) {
            throw new IllegalStateException("signing state has done round " + round + ", not " + done
                    + (destroyed ? " (wiped: nonces are used once)" : ""));
        }
        round = done + 1;
    }

    /**
     * Refuses to go on when the pairwise setup with another signer of this session was retired since round 1 (a
     * failed check in another session of the pair, or the caller's discard; see {@link SetupRetirement}). Setups
     * with parties outside the signer set, if the caller passed any, do not matter here.
     */
    void requireSetupsUsable() throws DklsAbort {
        for (int j : signers) {
            if (j != self && setups.get(j).isRetired()) {
                throw new DklsAbort(new DklsError.SetupRetired(j));
            }
        }
    }

    /** Wipes every secret (k, φ, x, the multiplication states and shares). */
    @Override
    public synchronized void destroy() {
        for (Scalar s : new Scalar[] {k, phi, x}) {
            if (s != null) {
                s.destroy();
            }
        }
        receivers.values().forEach(RvoleReceiver::destroy);
        for (Scalar[] pair : senderShares.values()) {
            for (Scalar s : pair) {
                s.destroy();
            }
        }
        destroyed = true;
    }

    @Override
    public synchronized boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "SignState[self=" + self + ", signers=" + signers + ", round=" + round + ", REDACTED]";
    }
}
