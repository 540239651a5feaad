package io.keyfed.party.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;

import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.crypto.Secp256k1;

class PeerDirectoryTest {
    private static final String A = Addresses.account("zen", Secp256k1.publicKeyOf(BigInteger.valueOf(1)));
    private static final String B = Addresses.account("zen", Secp256k1.publicKeyOf(BigInteger.valueOf(2)));
    private static final String C = Addresses.account("zen", Secp256k1.publicKeyOf(BigInteger.valueOf(3)));

    @Test
    void parsesTheListAndDropsTheOwnEntry() {
        PeerDirectory d = PeerDirectory.parse(" " + A + "@127.0.0.1:9101, " + B + "@party-b.local:9102 ,"
                + C + "@[::1]:9103,", "zen", A);
        assertEquals(2, d.all().size());
        assertTrue(d.endpoint(A).isEmpty());
        assertEquals("party-b.local", d.endpoint(B).orElseThrow().host());
        assertEquals(9102, d.endpoint(B).orElseThrow().port());
        assertEquals("::1", d.endpoint(C).orElseThrow().host());
        assertTrue(PeerDirectory.parse("", "zen", A).all().isEmpty());
        assertTrue(PeerDirectory.parse(null, "zen", A).all().isEmpty());
    }

    @Test
    void refusesMalformedEntries() {
        assertThrows(IllegalArgumentException.class, () -> PeerDirectory.parse("127.0.0.1:9101", "zen", A));
        assertThrows(IllegalArgumentException.class, () -> PeerDirectory.parse(B + "@host", "zen", A));
        assertThrows(IllegalArgumentException.class, () -> PeerDirectory.parse(B + "@host:0", "zen", A));
        assertThrows(IllegalArgumentException.class, () -> PeerDirectory.parse(B + "@host:x", "zen", A));
        assertThrows(IllegalArgumentException.class, () -> PeerDirectory.parse("zen1abc@host:1", "zen", A));
        assertThrows(IllegalArgumentException.class, () -> PeerDirectory.parse(B + "@h:1," + B + "@h:2", "zen", A));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PeerDirectory.parse(B + "@h:1", "other", A));
        assertTrue(e.getMessage().contains("prefix"), e.getMessage());
    }
}
