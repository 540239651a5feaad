package io.keyfed.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The independent verifier (tools/verify-node, {@code @noble/curves}) against published vectors, so that the
 * end-to-end tests' "verifies" means something: every RFC 8032 Ed25519 test of section 7.1 and every row of
 * BIP-340's test-vectors.csv, negative rows included, as the api module stores them
 * ({@code api/src/test/resources/vectors/rfc8032_ed25519.json}, {@code bip340.json}, each naming its source);
 * corrupted copies of valid ones must be reported invalid, and malformed input must never pass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NobleVerifierTest {
    private static final HexFormat HEX = HexFormat.of();
    private final Path root = Path.of(System.getProperty("keyfed.root", "..")).toAbsolutePath().normalize();
    private NobleVerifier noble;
    private final List<NobleVerifier.Item> valid = new ArrayList<>();
    private final List<NobleVerifier.Item> bip340Negative = new ArrayList<>();

    @BeforeAll
    void installAndReadVectors() throws Exception {
        noble = NobleVerifier.install(root);
        ObjectMapper json = new ObjectMapper();
        JsonNode rfc = json.readTree(root.resolve("api/src/test/resources/vectors/rfc8032_ed25519.json").toFile());
        assertTrue(rfc.path("source").asText().startsWith("RFC 8032"), rfc.path("source").asText());
        for (JsonNode v : rfc.path("vectors")) {
            valid.add(item(v.path("name").asText(), "ed25519", v.path("publicKey").asText(), v.path("message").asText(),
                    v.path("signature").asText()));
        }
        JsonNode bip = json.readTree(root.resolve("api/src/test/resources/vectors/bip340.json").toFile());
        assertTrue(bip.path("source").asText().startsWith("bitcoin/bips bip-0340/test-vectors.csv"));
        for (JsonNode r : bip.path("rows")) {
            NobleVerifier.Item i = item("bip340-" + r.path("index").asInt(), "bip340", r.path("publicKey").asText(),
                    r.path("message").asText(), r.path("signature").asText());
            (r.path("result").asBoolean() ? valid : bip340Negative).add(i);
        }
        assertEquals(5 + 5 + 4, valid.size(), "RFC 8032 tests 1, 2, 3, 1024, SHA(abc); BIP-340 rows 0-4 and 15-18");
        assertEquals(10, bip340Negative.size(), "BIP-340 rows 5-14");
    }

    private static NobleVerifier.Item item(String id, String scheme, String key, String message, String signature) {
        return new NobleVerifier.Item(id, scheme, HEX.parseHex(key), HEX.parseHex(message), HEX.parseHex(signature));
    }

    @Test
    void everyValidPublishedVectorVerifies() throws Exception {
        NobleVerifier.Run run = noble.verify(valid);
        assertEquals(0, run.exit(), run.output());
        assertEquals(valid.size(), run.verdicts().size(), run.output());
        for (int i = 0; i < valid.size(); i++) {
            assertEquals(valid.get(i).id(), run.verdicts().get(i).id(), run.output());
            assertTrue(run.verdicts().get(i).valid(), run.output());
        }
        assertTrue(run.allValid());
    }

    @Test
    void everyNegativeBip340RowIsReportedInvalid() throws Exception {
        NobleVerifier.Run run = noble.verify(bip340Negative);
        assertEquals(1, run.exit(), run.output());
        assertEquals(bip340Negative.size(), run.verdicts().size(), run.output());
        run.verdicts().forEach(v -> assertFalse(v.valid(), v.toString()));
        // BIP-340 row 5's key is not on the curve; still a clean verdict, not a crash.
        assertEquals("bip340-5", run.verdicts().get(0).id());
    }

    @Test
    void aCorruptedSignatureAWrongMessageOrAnotherKeyIsReportedInvalid() throws Exception {
        List<NobleVerifier.Item> bad = new ArrayList<>();
        for (NobleVerifier.Item v : valid) {
            byte[] sig = v.signature().clone();
            sig[sig.length - 9] ^= 0x01; // inside s (z): the point R stays valid
            bad.add(new NobleVerifier.Item(v.id() + "/sig", v.scheme(), v.key(), v.message(), sig));
            byte[] msg = v.message().length == 0 ? new byte[] {0} : v.message().clone();
            msg[0] ^= v.message().length == 0 ? 0 : (byte) 0x80;
            bad.add(new NobleVerifier.Item(v.id() + "/msg", v.scheme(), v.key(), msg, v.signature()));
        }
        // Each signature under the next vector's key of the same scheme (BIP-340 rows 15-18 share one key).
        for (int i = 0; i + 1 < valid.size(); i++) {
            if (valid.get(i).scheme().equals(valid.get(i + 1).scheme())
                    && !java.util.Arrays.equals(valid.get(i).key(), valid.get(i + 1).key())) {
                NobleVerifier.Item v = valid.get(i);
                bad.add(new NobleVerifier.Item(v.id() + "/key", v.scheme(), valid.get(i + 1).key(), v.message(),
                        v.signature()));
            }
        }
        NobleVerifier.Run run = noble.verify(bad);
        assertEquals(1, run.exit(), run.output());
        assertEquals(bad.size(), run.verdicts().size(), run.output());
        for (NobleVerifier.Verdict v : run.verdicts()) {
            assertFalse(v.valid(), v.toString());
            assertEquals("signature does not verify", v.error(), v.toString());
        }
        // One bad item among good ones fails the whole run.
        List<NobleVerifier.Item> mixed = new ArrayList<>(valid);
        mixed.add(bad.get(0));
        assertFalse(noble.verify(mixed).allValid());
    }

    @Test
    void malformedItemsAreReportedAndNeverPass() throws Exception {
        String sig = "00".repeat(64);
        String key = "11".repeat(32);
        NobleVerifier.Run run = noble.verifyText(String.join("\n",
                "{\"id\":\"a\",\"scheme\":\"ed25519\",\"key\":\"zz\",\"message\":\"\",\"signature\":\"" + sig + "\"}",
                "{\"id\":\"b\",\"scheme\":\"ecdsa\",\"key\":\"" + key + "\",\"message\":\"00\",\"signature\":\"" + sig + "\"}",
                "{\"id\":\"c\",\"scheme\":\"bip340\",\"key\":\"02" + key + "\",\"message\":\"00\",\"signature\":\"" + sig
                        + "\"}",
                "{\"id\":\"d\",\"scheme\":\"ed25519\",\"key\":\"" + key + "\",\"message\":\"00\"}"));
        assertEquals(1, run.exit(), run.output());
        assertEquals(List.of("a", "b", "c", "d"), run.verdicts().stream().map(NobleVerifier.Verdict::id).toList());
        run.verdicts().forEach(v -> assertFalse(v.valid(), v.toString()));
        assertEquals("key is not a hex string", run.verdicts().get(0).error());
        assertTrue(run.verdicts().get(1).error().startsWith("unknown scheme \"ecdsa\""), run.output());
        assertEquals("bip340 key must be 32 bytes (x-only), not 33", run.verdicts().get(2).error());
        assertEquals("signature is not a hex string", run.verdicts().get(3).error());

        NobleVerifier.Run empty = noble.verifyText("\n");
        assertEquals(2, empty.exit(), empty.output());
        assertTrue(empty.verdicts().isEmpty() && empty.output().contains("no items to verify"), empty.output());
        NobleVerifier.Run broken = noble.verifyText("{\"scheme\":");
        assertEquals(2, broken.exit(), broken.output());
        assertTrue(broken.output().contains("unreadable input"), broken.output());
    }
}
