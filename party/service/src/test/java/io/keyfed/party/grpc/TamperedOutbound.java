package io.keyfed.party.grpc;

import java.util.concurrent.atomic.AtomicInteger;

import io.keyfed.party.session.OutboundPackages;
import io.keyfed.party.transport.EnvelopeCodec;

/**
 * The outgoing packages of a {@link PartyCluster} member's node, which a test may read, rewrite or withhold before
 * they are sealed, so that a party misbehaves over the real transport with properly authenticated envelopes.
 * Test code only: the service sends its packages unchanged ({@link OutboundPackages#UNCHANGED}). Kept across the
 * member's restarts.
 */
public final class TamperedOutbound implements OutboundPackages {
    private volatile OutboundPackages filter;

    /**
     * From now on every package goes through {@code filter} ({@code (recipient, kind, plaintext) -> bytes}, null to
     * withhold); null sends them unchanged again.
     */
    public void set(OutboundPackages filter) {
        this.filter = filter;
    }

    /**
     * From now on every package of {@code protocol} is withheld (a silent party); the others go unchanged. The
     * returned counter counts the withheld packages, so a test can assert that the silence really happened.
     */
    public AtomicInteger withhold(EnvelopeCodec.Protocol protocol) {
        AtomicInteger withheld = new AtomicInteger();
        set((to, kind, plain) -> {
            if (EnvelopeCodec.protocolOf(kind) == protocol) {
                withheld.incrementAndGet();
                return null;
            }
            return plain;
        });
        return withheld;
    }

    @Override
    public byte[] apply(String recipient, int kind, byte[] plaintext) {
        OutboundPackages f = filter;
        return f == null ? plaintext : f.apply(recipient, kind, plaintext);
    }
}
