package io.keyfed.party.hsm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Sealing-key generations in a real SoftHSM2 token: rotation, listing, retirement, and which generation
 * is current after a reopen. Uses the "hsm-closed" token of the pool (the pool of 10 is fully named;
 * that test only opens and closes the facade, and test classes run one after another).
 */
class HsmTokenRotationTest {
    private static final byte[] AAD = "share/7/party-1/ecdsa".getBytes(StandardCharsets.UTF_8);

    @Test
    void rotatesRetiresAndFindsTheHighestGenerationAgain() throws Exception {
        SoftHsmTestTokens.TestToken t = SoftHsmTestTokens.token("hsm-closed");
        byte[] secret = "a secret share".getBytes(StandardCharsets.UTF_8);
        String oldId;
        String newId;
        byte[] underOld;
        byte[] underNew;
        List<byte[]> concurrent = new ArrayList<>();
        try (HsmToken token = HsmToken.open(t.config())) {
            oldId = token.sealingKeyId();
            int oldGeneration = generationOf(token, oldId);
            underOld = token.seal(secret, AAD);
            assertEquals(oldId, HsmToken.sealedKeyId(underOld).orElseThrow());

            // Seals from other threads while the key rotates: each blob names a generation that opens.
            ExecutorService pool = Executors.newFixedThreadPool(3);
            List<Future<List<byte[]>>> sealers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                sealers.add(pool.submit(() -> {
                    List<byte[]> out = new ArrayList<>();
                    for (int k = 0; k < 40; k++) {
                        out.add(token.seal(secret, AAD));
                    }
                    return out;
                }));
            }
            newId = token.rotateSealingKey();
            for (Future<List<byte[]>> f : sealers) {
                concurrent.addAll(f.get(60, TimeUnit.SECONDS));
            }
            pool.shutdown();

            assertNotEquals(oldId, newId);
            assertEquals("keyfed-sealing-" + (oldGeneration + 1), newId);
            assertEquals(newId, token.sealingKeyId());
            List<HsmToken.SealingGeneration> gens = token.sealingGenerations();
            assertTrue(gens.contains(new HsmToken.SealingGeneration(oldId, oldGeneration, false)), gens.toString());
            assertTrue(gens.contains(new HsmToken.SealingGeneration(newId, oldGeneration + 1, true)), gens.toString());
            assertEquals(1, gens.stream().filter(HsmToken.SealingGeneration::current).count());
            KeyStatus sealing = token.keyStatus().stream().filter(k -> k.role().equals("sealing")).findFirst()
                    .orElseThrow();
            assertEquals(newId, sealing.alias());
            assertTrue(sealing.protectedInToken(), sealing.toString());
            assertEquals(256, sealing.bits());

            underNew = token.seal(secret, AAD);
            assertEquals(newId, HsmToken.sealedKeyId(underNew).orElseThrow());
            assertArrayEquals(secret, token.unseal(underOld, AAD), "the old key still opens its blobs");
            assertArrayEquals(secret, token.unseal(underNew, AAD));
            for (byte[] b : concurrent) {
                assertArrayEquals(secret, token.unseal(b, AAD));
            }

            HsmException current = assertThrows(HsmException.class, () -> token.retireSealingKey(newId));
            assertEquals(HsmException.Kind.KEY_INVALID, current.kind());
            assertTrue(current.getMessage().contains("current sealing key"), current.getMessage());
            HsmException notSealing = assertThrows(HsmException.class, () -> token.retireSealingKey("keyfed-identity"));
            assertEquals(HsmException.Kind.KEY_INVALID, notSealing.kind());
            assertFalse(token.retireSealingKey("keyfed-sealing-99"), "an absent generation is already retired");
        }

        // Without the facade: hsm-check's inspection shows the current and the older generation.
        HsmReport report = HsmToken.inspect(t.config());
        assertTrue(report.keys().stream().anyMatch(k -> k.alias().equals(newId) && k.role().equals("sealing")
                && k.protectedInToken()), report.keys().toString());
        assertTrue(report.keys().stream().anyMatch(k -> k.alias().equals(oldId) && k.role().equals("sealing-old")),
                report.keys().toString());

        // Reopened: the highest generation is current, both open; then the old one is retired.
        try (HsmToken token = HsmToken.open(t.config().createMissingKeys(false))) {
            assertEquals(newId, token.sealingKeyId());
            assertArrayEquals(secret, token.unseal(underOld, AAD));
            assertArrayEquals(secret, token.unseal(underNew, AAD));
            assertTrue(token.retireSealingKey(oldId));
            assertFalse(token.retireSealingKey(oldId), "retiring twice is a no-op");
            HsmException gone = assertThrows(HsmException.class, () -> token.unseal(underOld, AAD));
            assertEquals(HsmException.Kind.UNSEAL_FAILED, gone.kind());
            assertTrue(gone.getMessage().contains("not in the token"), gone.getMessage());
            assertArrayEquals(secret, token.unseal(underNew, AAD));
            assertEquals(List.of(newId), token.sealingGenerations().stream().map(HsmToken.SealingGeneration::keyId)
                    .toList());
        }
        try (HsmToken token = HsmToken.open(t.config().createMissingKeys(false))) {
            assertEquals(newId, token.sealingKeyId(), "still current after the old generation is gone");
            assertArrayEquals(secret, token.unseal(underNew, AAD));
        }
    }

    @Test
    void generationAliasesFollowTheDocumentedRule() {
        assertEquals("keyfed-sealing", HsmToken.sealingAlias("keyfed-sealing", 1));
        assertEquals("keyfed-sealing-2", HsmToken.sealingAlias("keyfed-sealing", 2));
        assertEquals(1, HsmToken.sealingGeneration("keyfed-sealing", "keyfed-sealing"));
        assertEquals(12, HsmToken.sealingGeneration("keyfed-sealing", "keyfed-sealing-12"));
        assertEquals(0, HsmToken.sealingGeneration("keyfed-sealing", "keyfed-sealing-1"));
        assertEquals(0, HsmToken.sealingGeneration("keyfed-sealing", "keyfed-sealing-02"));
        assertEquals(0, HsmToken.sealingGeneration("keyfed-sealing", "keyfed-sealing-x"));
        assertEquals(0, HsmToken.sealingGeneration("keyfed-sealing", "keyfed-identity"));
        assertTrue(HsmToken.sealedKeyId(new byte[] { 1, 2 }).isEmpty());
    }

    private static int generationOf(HsmToken token, String keyId) {
        return token.sealingGenerations().stream().filter(g -> g.keyId().equals(keyId)).findFirst().orElseThrow()
                .generation();
    }
}
