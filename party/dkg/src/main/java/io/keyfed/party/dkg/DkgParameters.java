package io.keyfed.party.dkg;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.wire.Wire;
import java.util.Objects;

/**
 * Public parameters of one party's DKG run.
 *
 * @param curve     the group
 * @param threshold t: any t of n shares reconstruct; polynomials have degree t−1
 * @param n         number of participants, identifiers 1..n
 * @param self      this party's identifier i
 * @param sessionId from {@link SessionId#derive}
 */
public record DkgParameters(Curve curve, int threshold, int n, int self, SessionId sessionId) {
    public DkgParameters {
        Objects.requireNonNull(curve, "curve");
        Objects.requireNonNull(sessionId, "sessionId");
        if (n < 1 || n > Wire.MAX_PARTICIPANTS) {
            throw new IllegalArgumentException("n out of range");
        }
        if (threshold < 1 || threshold > n) {
            throw new IllegalArgumentException("threshold out of range");
        }
        if (self < 1 || self > n) {
            throw new IllegalArgumentException("self identifier out of range");
        }
    }
}
