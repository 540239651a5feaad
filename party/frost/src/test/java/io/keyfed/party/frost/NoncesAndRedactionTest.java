package io.keyfed.party.frost;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.Secp256k1Curve;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** Hedged nonces (fresh randomness and the share both matter), wiping, and no secret in any string. */
class NoncesAndRedactionTest {
    static final Curve CURVE = Secp256k1Curve.INSTANCE;
    static final SecureRandom RNG = new SecureRandom();

    @Test
    void nonceDependsOnTheShareAsWellAsTheRandomness() {
        TrustedDealer.Dealt d = TrustedDealer.keygen(CURVE, 2, 3, RNG);
        byte[] r1 = new byte[32];
        byte[] r2 = new byte[32];
        r2[0] = 1;
        Frost.Round1 a = Frost.commit(Ciphersuite.TAPROOT, d.shares().get(0), new FixedRandom(r1, r2));
        Frost.Round1 b = Frost.commit(Ciphersuite.TAPROOT, d.shares().get(1), new FixedRandom(r1, r2));
        // the same randomness for two shares still gives different nonces; other randomness, another nonce
        assertNotEquals(a.commitments().hiding(), b.commitments().hiding());
        assertNotEquals(a.commitments().hiding(), a.commitments().binding());
        Frost.Round1 c = Frost.commit(Ciphersuite.TAPROOT, d.shares().get(0), RNG);
        assertNotEquals(a.commitments().hiding(), c.commitments().hiding());
    }

    @Test
    void destroyedNoncesAreWipedAndUnreadable() {
        TrustedDealer.Dealt d = TrustedDealer.keygen(CURVE, 2, 3, RNG);
        SigningNonces n = Frost.commit(Ciphersuite.SECP256K1_SHA256, d.shares().get(0), RNG).nonces();
        assertFalse(n.isDestroyed());
        n.destroy();
        assertTrue(n.isDestroyed());
        assertThrows(IllegalStateException.class, () -> CURVE.encodeScalar(n.hiding()));
        assertThrows(IllegalStateException.class, () -> CURVE.encodeScalar(n.binding()));
    }

    @Test
    void stringsShowNoSecret() throws Exception {
        TrustedDealer.Dealt d = TrustedDealer.keygen(CURVE, 2, 3, RNG);
        SigningNonces n = Frost.commit(Ciphersuite.SECP256K1_SHA256, d.shares().get(0), RNG).nonces();
        String hiding = Hex.of(CURVE.encodeScalar(n.hiding()));
        String binding = Hex.of(CURVE.encodeScalar(n.binding()));
        String share = Hex.of(d.shares().get(0).toBytes());
        KeyPackage key = d.key(1);
        for (String s : new String[] {n.toString(), key.toString(), new Frost.Round1(n).toString()}) {
            String lower = s.toLowerCase();
            assertFalse(lower.contains(hiding) || lower.contains(binding) || lower.contains(share), s);
        }
        assertTrue(n.toString().contains("REDACTED"));
    }
}
