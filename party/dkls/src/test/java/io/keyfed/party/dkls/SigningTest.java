package io.keyfed.party.dkls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.CurveId;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The 3-round signing: every signer subset of 2-of-3, 3-of-4 and 3-of-5 federations signs random digests;
 * each signature verifies with BouncyCastle, is low-S, and recovers to the key's EVM address.
 */
class SigningTest {
    static final Curve C = Curve.of(CurveId.SECP256K1);
    final SecureRandom rng = new SecureRandom();

    byte[] digest() {
        byte[] d = new byte[32];
        rng.nextBytes(d);
        return d;
    }

    void everySubsetSigns(int t, int n) throws DklsAbort {
        Federation f = new Federation(t, n, rng);
        byte[] key = C.encodePoint(f.publicKey);
        List<List<Integer>> subsets = f.subsets();
        for (List<Integer> signers : subsets) {
            byte[] digest = digest();
            SignMessages.EcdsaSignature sig = f.sign(signers, digest, new Federation.Hooks());
            assertTrue(IndependentEcdsa.verify(key, digest, sig.r(), sig.s()), "BouncyCastle verifies " + signers);
            assertTrue(IndependentEcdsa.lowS(sig.s()), "low-S " + signers);
            assertArrayEquals(IndependentEcdsa.address(key),
                    IndependentEcdsa.recoverAddress(digest, sig.r(), sig.s(), sig.recoveryId()),
                    "recovers to the key's address " + signers);
        }
    }

    @Test
    void everyPairOfATwoOfThreeFederationSigns() throws DklsAbort {
        everySubsetSigns(2, 3);
    }

    @Test
    void everyTrioOfAThreeOfFourFederationSigns() throws DklsAbort {
        everySubsetSigns(3, 4);
    }

    @Test
    void everyTrioOfAThreeOfFiveFederationSigns() throws DklsAbort {
        everySubsetSigns(3, 5);
    }

    @Test
    void theRecoveryCheckCanFail() throws DklsAbort {
        Federation f = new Federation(2, 2, rng);
        byte[] digest = digest();
        SignMessages.EcdsaSignature sig = f.sign(List.of(1, 2), digest, new Federation.Hooks());
        byte[] key = C.encodePoint(f.publicKey);
        assertFalse(java.util.Arrays.equals(IndependentEcdsa.address(key),
                IndependentEcdsa.recoverAddress(digest, sig.r(), sig.s(), sig.recoveryId() ^ 1)));
        byte[] other = digest();
        assertFalse(IndependentEcdsa.verify(key, other, sig.r(), sig.s()));
    }

    @Test
    void aSignatureShareCanBeCombinedOnlyOnceAndRoundsOnlyOnce() throws DklsAbort {
        Federation f = new Federation(2, 2, rng);
        byte[] sid = new byte[32];
        var r1 = DklsSign.round1(1, f.shares[1], f.publicKey, List.of(1, 2), f.setups.get(1), sid, digest(), rng);
        var r1b = DklsSign.round1(2, f.shares[2], f.publicKey, List.of(1, 2), f.setups.get(2), sid, digest(), rng);
        DklsSign.round2(r1.state(), List.of(r1b.message().broadcast()), r1b.message().direct(), rng);
        assertThrows(IllegalStateException.class,
                () -> DklsSign.round2(r1.state(), List.of(r1b.message().broadcast()), r1b.message().direct(), rng));
        assertTrue(r1.state().toString().contains("REDACTED"));
    }
}
