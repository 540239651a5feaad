package io.keyfed.party.pairing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.keyfed.party.dkls.PairSetup;
import io.keyfed.party.dkls.PairSetupState;
import io.keyfed.party.dkls.SetupMessages;
import io.keyfed.party.dkls.Step;

/** The pairing payloads decode exactly what was encoded, and nothing of another length or shape. */
class PairWireTest {
    private final SecureRandom random = new SecureRandom();

    byte[] random(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    PairWire.Hello hello(byte[] held) {
        byte[] identity = random(33);
        identity[0] = 2;
        return new PairWire.Hello(held, random(32), random(32), identity);
    }

    @Test
    void aHelloDecodesToWhatWasEncodedWithAndWithoutAHeldSetup() throws Exception {
        PairWire.Hello none = hello(null);
        PairWire.Hello back = PairWire.hello(PairWire.hello(none));
        assertNull(back.heldSetupId);
        assertTrue(back.sameAs(none));
        PairWire.Hello held = hello(random(32));
        assertTrue(PairWire.hello(PairWire.hello(held)).sameAs(held));
        assertFalse(held.sameAs(none));
    }

    @Test
    void aHelloOfAnotherLengthVersionOrFlagIsRefusedNamingTheProblem() {
        byte[] good = PairWire.hello(hello(null));
        assertEquals("HELLO of 130 bytes; expected 131", assertThrows(PairWire.Malformed.class,
                () -> PairWire.hello(Arrays.copyOf(good, 130))).getMessage());
        assertThrows(PairWire.Malformed.class, () -> PairWire.hello(Arrays.copyOf(good, 132)));
        byte[] version = good.clone();
        version[0] = 0;
        assertTrue(assertThrows(PairWire.Malformed.class, () -> PairWire.hello(version)).getMessage()
                .contains("version 0"));
        byte[] flag = good.clone();
        flag[1] = 2;
        assertTrue(assertThrows(PairWire.Malformed.class, () -> PairWire.hello(flag)).getMessage()
                .contains("held flag 2"));
        byte[] idWithoutFlag = good.clone();
        idWithoutFlag[5] = 1;
        assertTrue(assertThrows(PairWire.Malformed.class, () -> PairWire.hello(idWithoutFlag)).getMessage()
                .contains("holds no setup but names a setup id"));
    }

    @Test
    void aRoundHeaderNamesARoundFromOneToFive() throws Exception {
        byte[] p = new byte[2 + 12 + 16];
        p[0] = 1;
        for (int r = 1; r <= 5; r++) {
            p[1] = (byte) r;
            assertEquals(r, PairWire.roundOf(p));
        }
        p[1] = 0;
        assertTrue(assertThrows(PairWire.Malformed.class, () -> PairWire.roundOf(p)).getMessage()
                .contains("ROUND number 0"));
        p[1] = 6;
        assertThrows(PairWire.Malformed.class, () -> PairWire.roundOf(p));
        p[1] = 1;
        p[0] = 2;
        assertThrows(PairWire.Malformed.class, () -> PairWire.roundOf(p));
        assertTrue(assertThrows(PairWire.Malformed.class, () -> PairWire.roundOf(new byte[29])).getMessage()
                .contains("truncated"));
    }

    @Test
    void everyRoundOfARealSetupDecodesToWhatWasEncodedAndOnlyAtItsLength() throws Exception {
        byte[] id = random(32);
        Step<PairSetupState, SetupMessages.Round1> a1 = PairSetup.start(id, 1, 2, random);
        Step<PairSetupState, SetupMessages.Round1> b1 = PairSetup.start(id, 2, 1, random);
        byte[] p1 = PairWire.encode(a1.message());
        assertEquals(130, p1.length);
        SetupMessages.Round1 d1 = PairWire.round1(p1, 1, 2);
        assertArrayEquals(a1.message().key().publicKey(), d1.key().publicKey());
        assertArrayEquals(a1.message().seedCommitment(), d1.seedCommitment());
        // the decoded messages drive the real setup to the end: nothing was lost in the encoding
        var a2 = PairSetup.round2(a1.state(), PairWire.round1(PairWire.encode(b1.message()), 2, 1), random);
        var b2 = PairSetup.round2(b1.state(), d1, random);
        var a3 = PairSetup.round3(a2.state(), PairWire.round2(PairWire.encode(b2.message()), 2, 1));
        var b3 = PairSetup.round3(b2.state(), PairWire.round2(PairWire.encode(a2.message()), 1, 2));
        var a4 = PairSetup.round4(a3.state(), PairWire.round3(PairWire.encode(b3.message()), 2, 1));
        var b4 = PairSetup.round4(b3.state(), PairWire.round3(PairWire.encode(a3.message()), 1, 2));
        var a5 = PairSetup.round5(a4.state(), PairWire.round4(PairWire.encode(b4.message()), 2, 1));
        var b5 = PairSetup.round5(b4.state(), PairWire.round4(PairWire.encode(a4.message()), 1, 2));
        byte[] p5 = PairWire.encode(b5.message());
        assertEquals(256 * 64 + 32, p5.length);
        var outA = PairSetup.finish(a5.state(), PairWire.round5(p5, 2, 1));
        var outB = PairSetup.finish(b5.state(), PairWire.round5(PairWire.encode(a5.message()), 1, 2));
        assertArrayEquals(outA.setupId(), outB.setupId());
        assertTrue(TwoPartySigning.signTogether(outA.relabelled(1, 2), outB.relabelled(2, 1)));
        // and each round refuses any other length
        assertThrows(PairWire.Malformed.class, () -> PairWire.round1(Arrays.copyOf(p1, 131), 1, 2));
        assertThrows(PairWire.Malformed.class, () -> PairWire.round2(new byte[256 * 33 - 1], 1, 2));
        assertThrows(PairWire.Malformed.class, () -> PairWire.round3(new byte[256 * 32 + 1], 1, 2));
        assertThrows(PairWire.Malformed.class, () -> PairWire.round4(new byte[0], 1, 2));
        assertEquals("round 5 message of 16415 bytes; expected 16416", assertThrows(PairWire.Malformed.class,
                () -> PairWire.round5(new byte[16415], 1, 2)).getMessage());
    }
}
