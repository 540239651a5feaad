package io.keyfed.party.dkls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.CurveId;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A 2-of-3 federation signs SHA-256 of every distinct message of Wycheproof's secp256k1 ECDSA (SHA-256)
 * vectors (the empty message and edge cases among them); BouncyCastle verifies each and each recovers
 * to the key's EVM address.
 */
class WycheproofDigestsTest {
    @Test
    void theDigestsOfWycheproofsMessagesAllSign() throws Exception {
        JsonNode doc;
        try (InputStream in = getClass().getResourceAsStream("/vectors/wycheproof_secp256k1_sha256_msgs.json")) {
            doc = new ObjectMapper().readTree(in);
        }
        assertTrue(doc.get("source").asText().contains("wycheproof"));
        assertEquals(61, doc.get("msgs").size(), "every distinct message of the file");
        SecureRandom rng = new SecureRandom();
        Federation f = new Federation(2, 3, rng);
        byte[] key = Curve.of(CurveId.SECP256K1).encodePoint(f.publicKey);
        List<List<Integer>> subsets = f.subsets();
        int k = 0;
        for (JsonNode m : doc.get("msgs")) {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(HexFormat.of().parseHex(m.asText()));
            SignMessages.EcdsaSignature sig = f.sign(subsets.get(k++ % subsets.size()), digest, new Federation.Hooks());
            assertTrue(IndependentEcdsa.verify(key, digest, sig.r(), sig.s()), "msg " + m.asText());
            assertTrue(IndependentEcdsa.lowS(sig.s()));
            assertArrayEquals(IndependentEcdsa.address(key),
                    IndependentEcdsa.recoverAddress(digest, sig.r(), sig.s(), sig.recoveryId()));
        }
    }
}
