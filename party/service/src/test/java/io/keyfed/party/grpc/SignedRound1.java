package io.keyfed.party.grpc;

import java.security.SecureRandom;

import io.keyfed.party.dkg.Dkg;
import io.keyfed.party.dkg.DkgParameters;
import io.keyfed.party.dkg.pkg.Round1Package;
import io.keyfed.party.dkg.pkg.SignedRound1Package;
import io.keyfed.party.hsm.HsmToken;
import io.keyfed.party.session.Round1Signatures;
import io.keyfed.party.session.SessionSpec;

/** Round-1 payloads as a party sends them, signed in a test party's own token (to play that party). */
final class SignedRound1 {
    private static final SecureRandom RANDOM = new SecureRandom();

    private SignedRound1() {
    }

    /** {@code pkg} signed by {@code token} for the party whose view {@code spec} is. */
    static SignedRound1Package sign(HsmToken token, SessionSpec spec, Round1Package pkg) {
        byte[] digest = Dkg.round1Digest(spec.sessionId(), pkg);
        return new SignedRound1Package(pkg, token.signIdentity(
                Round1Signatures.signBytes(spec.sessionId().toBytes(), spec.selfId(), digest)));
    }

    /** A fresh, valid round-1 package of the party whose view {@code spec} is, signed in its token: wire bytes. */
    static byte[] fresh(HsmToken token, SessionSpec spec) {
        Round1Package pkg = Dkg.round1(new DkgParameters(spec.curve(), spec.threshold(), spec.n(), spec.selfId(),
                spec.sessionId()), RANDOM).broadcast();
        return sign(token, spec, pkg).encode();
    }
}
