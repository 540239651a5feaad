package io.keyfed.party.dkls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The bytes a caller seals: a decoded setup works with the peer's, and bad bytes are refused. */
class SetupEncodingTest {
    final SecureRandom rng = new SecureRandom();

    byte[] random(int n) {
        byte[] b = new byte[n];
        rng.nextBytes(b);
        return b;
    }

    @Test
    void aDecodedSetupStillCorrelatesWithItsPeerInBothDirections() throws DklsAbort {
        PairwiseSetupOutput[] pair = TestSetups.pair(rng, random(32), 2, 5);
        PairwiseSetupOutput back = PairwiseSetupOutput.decode(pair[0].encode());
        assertEquals(2, back.self());
        assertEquals(5, back.peer());
        assertArrayEquals(pair[0].setupId(), back.setupId());
        assertArrayEquals(pair[1].zeroSeed(), back.zeroSeed());
        PairSetupTest.assertCorrelated(back, pair[1]);
        PairSetupTest.assertCorrelated(pair[1], back);
        assertArrayEquals(pair[0].encode(), back.encode());
    }

    @Test
    void bytesOfTheWrongLengthVersionOrIdentifiersAreRefused() throws DklsAbort {
        byte[] good = TestSetups.pair(rng, random(32), 1, 2)[0].encode();
        assertThrows(IllegalArgumentException.class, () -> PairwiseSetupOutput.decode(Arrays.copyOf(good, good.length - 1)));
        assertThrows(IllegalArgumentException.class, () -> PairwiseSetupOutput.decode(Arrays.copyOf(good, good.length + 1)));
        byte[] version = good.clone();
        version[0] = 2;
        assertThrows(IllegalArgumentException.class, () -> PairwiseSetupOutput.decode(version));
        byte[] samePeer = good.clone();
        samePeer[8] = samePeer[4]; // peer = self
        assertThrows(IllegalArgumentException.class, () -> PairwiseSetupOutput.decode(samePeer));
    }

    @Test
    void anUnusableSetupIsNotEncoded() throws DklsAbort {
        PairwiseSetupOutput a = TestSetups.pair(rng, random(32), 1, 2)[0];
        a.markUnusable(2);
        assertEquals(new DklsError.SetupUnusable(2), assertThrows(DklsAbort.class, a::encode).error());
    }
}
