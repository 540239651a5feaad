package io.keyfed.party.dkg;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.GroupElement;
import io.keyfed.party.dkg.pkg.Round1Package;
import io.keyfed.party.dkg.secret.Round2Package;
import java.math.BigInteger;
import java.util.Objects;

/**
 * The check of one round-2 package against its sender's round-1 commitments, as {@link Dkg#finish} makes it
 * for every received share, for a party that is not the package's recipient: a third party judging a complaint
 * whose evidence opened the share. Round 2 step 2 (Komlo–Goldberg): "g^f_ℓ(i) ?= Π_k φ_ℓk^(i^k mod q)",
 * written additively as f_ℓ(i)·G == Σ_k i^k·φ_ℓk, after the package's sender, recipient, curve, session and
 * scalar range are checked as {@code Dkg.finish} checks them.
 */
public final class ShareVerification {
    private ShareVerification() {
    }

    /**
     * Checks {@code share}, claimed to be the sender's share for participant {@code recipient}, against
     * {@code senderPackage} (the sender's round-1 broadcast). Every failure is a {@link DkgAbort} naming the
     * package's sender (the sender of {@code senderPackage}).
     */
    public static void verify(Round1Package senderPackage, int recipient, SessionId sessionId, Round2Package share)
            throws DkgAbort {
        Objects.requireNonNull(senderPackage, "senderPackage");
        Objects.requireNonNull(share, "share");
        int j = senderPackage.sender();
        Curve curve = senderPackage.curve();
        if (share.curve().id() != curve.id()) {
            throw new DkgAbort(new DkgError.MalformedMessage(j, "wrong curve"));
        }
        if (share.sender() != j) {
            throw new DkgAbort(new DkgError.SenderMismatch(j, share.sender()));
        }
        if (share.recipient() != recipient) {
            throw new DkgAbort(new DkgError.Misaddressed(j, share.recipient()));
        }
        if (!share.sessionId().equals(sessionId) || !senderPackage.sessionId().equals(sessionId)) {
            throw new DkgAbort(new DkgError.SessionMismatch(j));
        }
        BigInteger value = share.share();
        if (value.signum() < 0 || value.compareTo(curve.order()) >= 0) {
            throw new DkgAbort(new DkgError.InvalidScalar(j, "share"));
        }
        GroupElement expected = Dkg.evalCommitment(curve, senderPackage.commitments(), BigInteger.valueOf(recipient));
        if (!curve.mulBase(value).equals(expected)) {
            throw new DkgAbort(new DkgError.InvalidShare(j));
        }
    }
}
