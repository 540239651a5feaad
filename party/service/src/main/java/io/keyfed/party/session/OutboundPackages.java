package io.keyfed.party.session;

/**
 * What a session hands to the transport for one peer, just before it is sealed in its envelope:
 * {@code (recipient, kind, plaintext)} → the bytes to send ({@code plaintext} itself when unchanged), or null to
 * send nothing. The party sends every package as it is ({@link #UNCHANGED}, the only implementation in the
 * service); it is given once, to {@link PartyNode}'s constructor, and nothing can replace it afterwards. Tests
 * that play a misbehaving party over the real transport build their node with one of their own.
 */
@FunctionalInterface
public interface OutboundPackages {
    /** Every package sent as it is. */
    OutboundPackages UNCHANGED = (recipient, kind, plaintext) -> plaintext;

    /** @return the payload to send instead (may be {@code plaintext} itself), or null to withhold it */
    byte[] apply(String recipient, int kind, byte[] plaintext);
}
