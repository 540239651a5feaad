package io.keyfed.party.dkg;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.GroupElement;
import io.keyfed.party.dkg.pkg.Round1Package;
import io.keyfed.party.dkg.secret.Round2Package;
import java.util.Objects;

/**
 * The check of one round-2 package against its sender's round-1 commitments, as {@link Dkg#finish} makes it
 * for every received share, for a party that is not the package's recipient: a third party judging a complaint
 * whose evidence opened the share. After the package's sender, recipient, curve and session are checked,
 * the share goes through the same Feldman check as in {@code Dkg.finish} ({@code Dkg.checkShare}).
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
        Dkg.checkShare(curve, senderPackage.commitments(), curve.scalarOf(recipient), share);
    }
}
