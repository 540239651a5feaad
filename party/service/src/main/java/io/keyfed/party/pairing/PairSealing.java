package io.keyfed.party.pairing;

import java.util.Arrays;

import io.keyfed.api.encoding.CanonicalWriter;
import io.keyfed.party.dkls.DklsAbort;
import io.keyfed.party.dkls.PairwiseSetupOutput;
import io.keyfed.party.hsm.HsmToken;

/**
 * Seals a pairwise setup in the token the way key shares are sealed ({@link HsmToken#seal}: AES-256-GCM inside
 * the token under the current sealing key), with associated data that binds the blob to the pair and the setup:
 *
 * <pre>
 * aad = CanonicalWriter("keyfed/pair-setup/v1").string(this party's address).string(peer's address)
 *       .bytes(this party's identity key).bytes(peer's identity key).bytes(setup id)
 * </pre>
 *
 * So a sealed setup opens only for this party, with this peer under the identity key it was run with, and only
 * as the setup it claims to be. The encoded setup is wiped as soon as it is sealed or decoded. Blocking (token).
 */
final class PairSealing {
    static final String DOMAIN = "keyfed/pair-setup/v1";

    private final HsmToken token;
    private final String self;
    private final byte[] selfIdentity;

    PairSealing(HsmToken token, String self, byte[] selfIdentity) {
        this.token = token;
        this.self = self;
        this.selfIdentity = selfIdentity.clone();
    }

    static byte[] aad(String self, String peer, byte[] selfIdentity, byte[] peerIdentity, byte[] setupId) {
        return new CanonicalWriter(DOMAIN).string(self).string(peer).bytes(selfIdentity).bytes(peerIdentity)
                .bytes(setupId).toByteArray();
    }

    /** The sealed encoding of {@code setup}, the pair's setup with {@code peer}. */
    byte[] seal(PairwiseSetupOutput setup, String peer, byte[] peerIdentity) throws DklsAbort {
        byte[] plain = setup.encode();
        try {
            return token.seal(plain, aad(self, peer, selfIdentity, peerIdentity, setup.setupId()));
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /**
     * The setup sealed in {@code sealed}, as setup {@code setupId} with {@code peer}.
     *
     * @throws IllegalArgumentException when it does not open (another pair, identity key or setup id, tampered,
     *         a retired sealing key) or does not decode
     */
    PairwiseSetupOutput unseal(byte[] sealed, byte[] setupId, String peer, byte[] peerIdentity) {
        byte[] plain;
        try {
            plain = token.unseal(sealed, aad(self, peer, selfIdentity, peerIdentity, setupId));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the sealed setup does not open in the token");
        }
        try {
            PairwiseSetupOutput out = PairwiseSetupOutput.decode(plain);
            if (!Arrays.equals(out.setupId(), setupId)) {
                out.destroy();
                throw new IllegalArgumentException("the sealed setup is not setup " + PairIds.hex(setupId));
            }
            return out;
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }
}
