package io.keyfed.bench.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The messages of {@code run --sign}. */
class SignLoadTest {
    @Test
    void ed25519RequestsCarryShortTexts() {
        List<byte[]> m = SignLoad.messages("ed25519", 7, 3);
        assertEquals(3, m.size());
        assertArrayEquals("keyfed bench: request 7, message 2".getBytes(StandardCharsets.UTF_8), m.get(2));
    }

    @Test
    void taprootRequestsCarrySha256DigestsOfTheTexts() {
        // Expected digests computed apart, with coreutils: printf '%s' TEXT | sha256sum
        List<byte[]> m = SignLoad.messages("taproot", 7, 3);
        assertEquals(3, m.size());
        for (byte[] b : m) {
            assertEquals(32, b.length);
        }
        assertEquals("6a26aac364afc260702e7f4ef856d93df035fb724df0146615d89400303e1de0", HexFormat.of().formatHex(m.get(2)));
        assertEquals("2930e1fa01dad9d7a6206c930c1418e2664829203502979b110e73b718bd1bc2",
                HexFormat.of().formatHex(SignLoad.messages("bitcoin-taproot", 0, 1).get(0)));
    }

    @Test
    void everyMessageOfARunIsDifferent() {
        Set<String> seen = new HashSet<>();
        for (long n = 0; n < 50; n++) {
            for (byte[] b : SignLoad.messages("taproot", n, SignLoad.MAX_MESSAGES)) {
                seen.add(HexFormat.of().formatHex(b));
            }
        }
        assertEquals(50 * SignLoad.MAX_MESSAGES, seen.size());
    }

    @Test
    void ecdsaAndBitcoinRequestsCarrySha256DigestsOfTheTexts() {
        // Expected digests computed apart, with coreutils: printf '%s' TEXT | sha256sum
        assertEquals("6a26aac364afc260702e7f4ef856d93df035fb724df0146615d89400303e1de0",
                HexFormat.of().formatHex(SignLoad.messages("ecdsa", 7, 3).get(2)));
        assertEquals("2930e1fa01dad9d7a6206c930c1418e2664829203502979b110e73b718bd1bc2",
                HexFormat.of().formatHex(SignLoad.messages("btc", 0, 1).get(0)));
        assertEquals(32, SignLoad.messages("bitcoin", 3, 1).get(0).length);
    }

    @Test
    void everyKeyTypeCanBeDrivenAndNothingElse() {
        assertEquals("ed25519", SignLoad.signableType("EdDSA"));
        assertEquals("taproot", SignLoad.signableType("bitcoin-taproot"));
        assertEquals("ecdsa", SignLoad.signableType("ECDSA"));
        assertEquals("bitcoin", SignLoad.signableType("btc"));
        assertNull(SignLoad.signableType("schnorr"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SignLoad.messages("rsa", 0, 1));
        assertEquals("cannot sign with a rsa key", e.getMessage());
    }
}
