package io.keyfed.party.signing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.keyfed.party.frost.SigningCommitments;
import io.keyfed.party.frost.SigningNonces;

/**
 * One FROST attempt of a signing session on this party: its coordinator, this party's fresh nonces (one pair per
 * message, in memory only, used at most once and wiped when the attempt ends), the commitments the coordinator
 * collects in arrival order, the package of the attempt, and the signature shares received for it. Not
 * thread-safe: owned by one {@link SigningSession}, used under its lock.
 */
final class FrostRound {
    final int attempt;
    final String coordinator;
    /** This party's nonces, one pair per message; null once used or wiped. */
    private SigningNonces[] nonces;
    /** This party's commitments for the attempt, one per message. */
    final List<SigningCommitments> own;
    /** Coordinator only: the commitments received (its own first), by sender, in arrival order. */
    final Map<String, List<SigningCommitments>> commits = new LinkedHashMap<>();
    /** Coordinator only: whether it has sent the attempt's package. */
    boolean packageSent;
    /** The attempt's package, once received (or made, by the coordinator). */
    SigningWire.Package pkg;
    /** Shares received, by signer identifier (for the package, once it is there). */
    final Map<Integer, SigningWire.Share> shares = new TreeMap<>();
    /** Whether the attempt has failed on this party (a bad package): it waits for its timer, doing nothing more. */
    boolean failed;
    /** Whether the attempt is over on this party (timed out, a bad share, or the session moved on). */
    boolean ended;

    FrostRound(int attempt, String coordinator, SigningNonces[] nonces) {
        this.attempt = attempt;
        this.coordinator = coordinator;
        this.nonces = nonces;
        List<SigningCommitments> c = new ArrayList<>(nonces.length);
        for (SigningNonces n : nonces) {
            c.add(n.commitments());
        }
        this.own = List.copyOf(c);
    }

    /** The nonces, handed out once (to sign the package); null afterwards. */
    SigningNonces[] takeNonces() {
        SigningNonces[] out = nonces;
        nonces = null;
        return out;
    }

    /** Wipes whatever nonces are left. */
    void destroy() {
        ended = true;
        if (nonces != null) {
            for (SigningNonces n : nonces) {
                n.destroy();
            }
            nonces = null;
        }
    }

    /** Whether {@code identifier} is in the attempt's package. */
    boolean isSigner(int identifier) {
        if (pkg == null) {
            return false;
        }
        for (int s : pkg.signers()) {
            if (s == identifier) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "FrostRound[attempt " + attempt + ", coordinator " + coordinator + "]";
    }
}
