package io.keyfed.party.dkg.curve;

import static io.keyfed.party.dkg.TestSupport.hex;
import static io.keyfed.party.dkg.TestSupport.vectors;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.keyfed.party.dkg.TestSupport;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Curve arithmetic against published vectors (see the "source" field of each JSON file). */
class CurveVectorsTest {

    @Test
    void ed25519Rfc8032SecretKeyToPublicKey() throws Exception {
        Curve ed = Ed25519Curve.INSTANCE;
        JsonNode v = vectors("ed25519_rfc8032.json").get("vectors");
        assertEquals(3, v.size());
        for (JsonNode t : v) {
            // RFC 8032 5.1.5: h = SHA-512(sk); clamp the low half; A = s·B.
            byte[] h = MessageDigest.getInstance("SHA-512").digest(hex(t.get("secretKey").asText()));
            byte[] low = Arrays.copyOf(h, 32);
            low[0] &= (byte) 248;
            low[31] &= (byte) 127;
            low[31] |= (byte) 64;
            BigInteger s = TestSupport.fromLe(low);
            byte[] pub = ed.encodePublicKey(TestSupport.mulBase(ed, s));
            assertEquals(t.get("publicKey").asText(), hex(pub), t.get("name").asText());
            // decoding the published key validates and round-trips
            assertArrayEquals(pub, ed.encodePoint(ed.decodePoint(pub)));
            // variable-base multiply agrees with the basepoint table
            assertEquals(TestSupport.mulBase(ed, s), ed.mul(ed.generator(), TestSupport.scalar(ed, s)));
        }
    }

    @Test
    void secp256k1KnownMultiples() throws Exception {
        Curve k1 = Secp256k1Curve.INSTANCE;
        JsonNode v = vectors("secp256k1_multiples.json");
        for (JsonNode t : v.get("multiples")) {
            BigInteger k = new BigInteger(t.get("k").asText(), 16);
            GroupElement p = TestSupport.mulBase(k1, k);
            assertEquals(t.get("compressed").asText(), hex(k1.encodePoint(p)), "k=" + t.get("k").asText());
            assertEquals(p, k1.mul(k1.generator(), TestSupport.scalar(k1, k)));
            assertEquals(p, k1.decodePoint(hex(t.get("compressed").asText())));
        }
        // 1·G + 2·G == 3·G
        assertEquals(k1.mulBase(k1.scalarOf(3)), k1.add(k1.generator(), k1.mulBase(k1.scalarOf(2))));
    }

    @Test
    void secp256k1Bip340PublicKeys() {
        Curve k1 = Secp256k1Curve.INSTANCE;
        for (JsonNode t : vectors("secp256k1_multiples.json").get("bip340")) {
            BigInteger sk = new BigInteger(t.get("secretKey").asText(), 16);
            byte[] compressed = k1.encodePublicKey(TestSupport.mulBase(k1, sk));
            assertEquals(t.get("xOnlyPublicKey").asText(), hex(Arrays.copyOfRange(compressed, 1, 33)),
                    "BIP-340 vector " + t.get("index").asInt());
        }
    }

    @Test
    void expandMessageXmdRfc9380() {
        JsonNode v = vectors("expand_message_xmd_sha256.json");
        String dst = v.get("dst").asText();
        for (JsonNode t : v.get("vectors")) {
            byte[] out = ExpandMessageXmd.sha256(t.get("msg").asText().getBytes(StandardCharsets.US_ASCII), dst,
                    t.get("lenInBytes").asInt());
            assertEquals(t.get("uniformBytes").asText(), hex(out), "msg=" + t.get("msg").asText());
        }
    }

    /** Cross-check of the 48-byte hash_to_field against FROST(secp256k1) nonce values. */
    @Test
    void secp256k1HashToFieldCrossCheck() {
        JsonNode v = vectors("frost_secp256k1_nonce_crosscheck.json");
        byte[] dst = v.get("dst").asText().getBytes(StandardCharsets.US_ASCII);
        for (JsonNode t : v.get("vectors")) {
            byte[] rnd = hex(t.get("randomness").asText());
            byte[] sk = hex(t.get("secret").asText());
            byte[] msg = new byte[64];
            System.arraycopy(rnd, 0, msg, 0, 32);
            System.arraycopy(sk, 0, msg, 32, 32);
            Scalar nonce = Secp256k1Curve.hashToField(msg, dst);
            assertEquals(t.get("nonce").asText(), hex(Secp256k1Curve.INSTANCE.encodeScalar(nonce)));
        }
    }
}
