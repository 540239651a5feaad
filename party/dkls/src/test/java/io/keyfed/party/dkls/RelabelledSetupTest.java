package io.keyfed.party.dkls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A setup run under its pair's own identifiers (1 and 2) signs under the identifiers of a key, once both copies
 * are relabelled with them ({@link PairwiseSetupOutput#relabelled}).
 */
class RelabelledSetupTest {
    final SecureRandom rng = new SecureRandom();

    byte[] random(int n) {
        byte[] b = new byte[n];
        rng.nextBytes(b);
        return b;
    }

    /** Signers 2 and 3 of a 2-of-3 key sign with a setup run as {@code low} ↔ 1 and the other party ↔ 2. */
    void signAs(int lowSigner, int highSigner) throws DklsAbort {
        PairwiseSetupOutput[] run = TestSetups.pair(rng, random(32), 1, 2);
        Federation f = new Federation(2, 3, rng);
        f.setups.get(lowSigner).put(highSigner, run[0].relabelled(lowSigner, highSigner));
        f.setups.get(highSigner).put(lowSigner, run[1].relabelled(highSigner, lowSigner));
        byte[] digest = random(32);
        SignMessages.EcdsaSignature sig = f.sign(List.of(2, 3), digest, new Federation.Hooks());
        assertTrue(IndependentEcdsa.verify(Federation.C.encodePoint(f.publicKey), digest, sig.r(), sig.s()));
    }

    @Test
    void setupRunAsOneAndTwoSignsAsTwoAndThree() throws DklsAbort {
        signAs(2, 3);
    }

    @Test
    void setupRunAsOneAndTwoSignsWithTheLabelsCrossed() throws DklsAbort {
        // the party that was 1 in the setup run is 3 in the key, the one that was 2 is 2
        signAs(3, 2);
    }

    /** Own buffers (destroying one leaves the other), one retirement (marking any one retires all). */
    @Test
    void aRelabelledCopyHasItsOwnBuffersButSharesTheRetirement() throws DklsAbort {
        PairwiseSetupOutput[] run = TestSetups.pair(rng, random(32), 1, 2);
        PairwiseSetupOutput copy = run[0].relabelled(4, 7);
        assertEquals(4, copy.self());
        assertEquals(7, copy.peer());
        assertArrayEquals(run[0].setupId(), copy.setupId());
        assertArrayEquals(run[0].zeroSeed(), copy.zeroSeed());
        copy.destroy();
        assertTrue(run[0].isUsable(), "destroying the copy leaves the original");
        PairSetupTest.assertCorrelated(run[0], run[1]);
        PairwiseSetupOutput second = run[0].relabelled(4, 7);
        PairSetupTest.assertCorrelated(second, run[1]);
        PairwiseSetupOutput third = second.relabelled(4, 7);
        run[0].markUnusable(2);
        assertFalse(second.isUsable(), "marking the original retires a copy already made");
        assertFalse(third.isUsable(), "and a copy of the copy");
        assertTrue(run[1].isUsable(), "the peer's output is the peer's own setup object");
        assertEquals(new DklsError.SetupUnusable(2), assertThrows(DklsAbort.class, third::encode).error());

        PairwiseSetupOutput[] other = TestSetups.pair(rng, random(32), 1, 2);
        PairwiseSetupOutput copy2 = other[0].relabelled(4, 7);
        copy2.markUnusable(7);
        assertFalse(other[0].isUsable(), "marking a copy retires its original");
        assertEquals(new DklsError.SetupUnusable(7),
                assertThrows(DklsAbort.class, () -> other[0].relabelled(4, 7)).error());
    }

    @Test
    void anUnusableSetupOrBadIdentifiersAreRefused() throws DklsAbort {
        PairwiseSetupOutput[] run = TestSetups.pair(rng, random(32), 1, 2);
        assertThrows(IllegalArgumentException.class, () -> run[0].relabelled(3, 3));
        assertThrows(IllegalArgumentException.class, () -> run[0].relabelled(0, 3));
        run[0].markUnusable(2);
        assertEquals(new DklsError.SetupUnusable(2), assertThrows(DklsAbort.class, () -> run[0].relabelled(2, 3)).error());
        assertFalse(run[0].isUsable());
    }
}
