package io.keyfed.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * JMH result parsing and the crypto_ms_per_key computation. The fixture {@code jmh/crypto-2of3.json} is the
 * unedited output of a real run on the 2-vCPU AMD EPYC of this project (2026-12-06, OpenJDK 17.0.15, JMH 1.37,
 * under load from other builds, so its figures are high):
 * {@code bench/run.sh 'DkgFederationBenchmark.federation|HsmBenchmark.(signIdentity|seal|unseal)|DklsBenchmark
 * .signSession|FrostSigningBenchmark.session' -p curve=secp256k1,ed25519 -p tn=2of3 -p ciphersuite=taproot,ed25519
 * -f 1 -wi 2 -i 3 -w 1s -r 1s -rf json}. The expected sums below are worked out by hand from the scores it holds.
 */
class CryptoCostTest {
    // The fixture's scores (ms/op), copied from its "primaryMetric.score" fields.
    private static final double DKG_SECP = 8.095097228620583;
    private static final double DKG_ED = 25.170110720886573;
    private static final double DKLS = 132.85724181666666;
    private static final double FROST_TAPROOT = 4.636414614816181;
    private static final double FROST_ED = 4.012874679773215;
    private static final double SEAL = 0.13469939779615106;
    private static final double SIGN = 0.2940930701771733;
    private static final double UNSEAL = 0.07848030393407533;

    private static JmhResults fixture() throws IOException {
        try (InputStream in = CryptoCostTest.class.getResourceAsStream("/jmh/crypto-2of3.json")) {
            return JmhResults.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void parsesEveryBenchmarkOfARealJmhRunWithItsParametersAndScoreInMs() throws IOException {
        JmhResults r = fixture();
        assertEquals(8, r.all().size());
        JmhResults.Result dkg = r.find(CryptoCost.DKG, Map.of("curve", "secp256k1", "tn", "2of3"));
        assertEquals("io.keyfed.bench.DkgFederationBenchmark.federation", dkg.benchmark());
        assertEquals("avgt", dkg.mode());
        assertEquals(1, dkg.threads());
        assertEquals(DKG_SECP, dkg.ms(), 1e-12);
        assertEquals(14.954, dkg.errorMs(), 0.001, "the 99.9% error JMH printed");
        assertEquals(DKG_ED, r.find(CryptoCost.DKG, Map.of("curve", "ed25519")).ms(), 1e-12);
        assertEquals(Map.of(), r.find(CryptoCost.SEAL, Map.of()).params(), "a benchmark without parameters");
    }

    @Test
    void convertsMicrosecondsAndNanosecondsToMsAndKeepsAMissingErrorAsNaN() {
        String json = """
                [{"benchmark":"a.B.us","mode":"avgt","threads":1,"primaryMetric":{"score":250.0,"scoreError":"NaN",
                  "scoreUnit":"us/op"}},
                 {"benchmark":"a.B.ns","mode":"avgt","threads":1,"primaryMetric":{"score":1500000.0,"scoreError":10.0,
                  "scoreUnit":"ns/op"}}]""";
        JmhResults r = JmhResults.parse(json);
        assertEquals(0.25, r.find("B.us", Map.of()).ms(), 1e-12);
        assertTrue(Double.isNaN(r.find("B.us", Map.of()).errorMs()));
        assertEquals(1.5, r.find("B.ns", Map.of()).ms(), 1e-12);
        assertEquals(1e-5, r.find("B.ns", Map.of()).errorMs(), 1e-15);
    }

    @Test
    void refusesWhatIsNotATimePerOperation() {
        String thrpt = """
                [{"benchmark":"a.B.c","mode":"thrpt","threads":2,"primaryMetric":{"score":9.0,"scoreUnit":"ops/s"}}]""";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JmhResults.parse(thrpt));
        assertTrue(e.getMessage().contains("ops/s"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JmhResults.parse("{\"benchmark\":\"x\"}"));
        assertThrows(IllegalArgumentException.class, () -> JmhResults.parse("not json"));
        assertThrows(IllegalArgumentException.class, () -> JmhResults.parse("[{\"mode\":\"avgt\"}]"));
    }

    @Test
    void aKeyRequestIsTheDkgPlusThreeSignaturesAndOneSealPerParty() throws IOException {
        CryptoCost.Cost c = CryptoCost.compute(new CryptoCost.Flow(false, "ecdsa", 2, 3, 0), fixture());
        // 8.0950972 + 9 x 0.2940931 + 3 x 0.1346994 = 8.0950972 + 2.6468376 + 0.4040982 = 11.1460330
        assertEquals(11.1460330, c.msPerKey(), 1e-6);
        assertEquals(DKG_SECP + 9 * SIGN + 3 * SEAL, c.msPerKey(), 1e-12);
        assertEquals(List.of(1, 9, 3), c.lines().stream().map(l -> l.term().count()).toList());
        // taproot keys come from the same secp256k1 DKG; ed25519 keys from the ed25519 one
        assertEquals(c.msPerKey(), CryptoCost.compute(new CryptoCost.Flow(false, "taproot", 2, 3, 0), fixture())
                .msPerKey(), 1e-12);
        // 25.1701107 + 2.6468376 + 0.4040982 = 28.2210465
        assertEquals(28.2210465, CryptoCost.compute(new CryptoCost.Flow(false, "ed25519", 2, 3, 0), fixture())
                .msPerKey(), 1e-6);
    }

    @Test
    void anEcdsaSignRequestIsTheDklsSessionPlusShareAndPairSetupUnsealsAndAnswers() throws IOException {
        CryptoCost.Cost c = CryptoCost.compute(new CryptoCost.Flow(true, "ecdsa", 2, 3, 1), fixture());
        // 132.8572418 + (3 shares + 2 x 1 pair setups) x 0.0784803 + 3 x 0.2940931
        //   = 132.8572418 + 0.3924015 + 0.8822792 = 134.1319225
        assertEquals(134.1319225, c.msPerKey(), 1e-6);
        assertEquals(DKLS + 5 * UNSEAL + 3 * SIGN, c.msPerKey(), 1e-12);
        assertEquals(List.of(1, 5, 3), c.lines().stream().map(l -> l.term().count()).toList());
        assertEquals(c.msPerKey(), CryptoCost.compute(new CryptoCost.Flow(true, "bitcoin", 2, 3, 1), fixture())
                .msPerKey(), 1e-12, "bitcoin keys sign with DKLs23 too");
    }

    @Test
    void aFrostSignRequestCountsOneSessionPerMessage() throws IOException {
        CryptoCost.Cost taproot = CryptoCost.compute(new CryptoCost.Flow(true, "taproot", 2, 3, 1), fixture());
        // 4.6364146 + 3 x 0.0784803 + 3 x 0.2940931 = 4.6364146 + 0.2354409 + 0.8822792 = 5.7541347
        assertEquals(5.7541347, taproot.msPerKey(), 1e-6);
        CryptoCost.Cost ed = CryptoCost.compute(new CryptoCost.Flow(true, "ed25519", 2, 3, 4), fixture());
        // 4 x 4.0128747 + 0.2354409 + 0.8822792 = 16.0514987 + 1.1177201 = 17.1692188
        assertEquals(17.1692188, ed.msPerKey(), 1e-6);
        assertEquals(4 * FROST_ED + 3 * UNSEAL + 3 * SIGN, ed.msPerKey(), 1e-12);
        assertEquals(FROST_TAPROOT, taproot.lines().get(0).msEach(), 1e-12);
    }

    @Test
    void theTokenOperationCountsFollowThresholdAndParties() {
        assertEquals(List.of(1, 15, 5), CryptoCost.terms(new CryptoCost.Flow(false, "ecdsa", 3, 5, 0)).stream()
                .map(CryptoCost.Term::count).toList());
        assertEquals(List.of(1, 2, 1), CryptoCost.terms(new CryptoCost.Flow(false, "ed25519", 1, 1, 0)).stream()
                .map(CryptoCost.Term::count).toList(), "one party sends no share, so signs no share statement");
        // 3-of-5 DKLs23: 5 shares + 3 x 2 pair setups unsealed, 5 answers
        assertEquals(List.of(1, 11, 5), CryptoCost.terms(new CryptoCost.Flow(true, "ecdsa", 3, 5, 1)).stream()
                .map(CryptoCost.Term::count).toList());
        assertEquals(Map.of("curve", "secp256k1", "tn", "3of5"),
                CryptoCost.terms(new CryptoCost.Flow(false, "bitcoin", 3, 5, 0)).get(0).params());
    }

    @Test
    void aMissingBenchmarkIsNamedNotGuessed() throws IOException {
        JmhResults r = fixture();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CryptoCost.compute(new CryptoCost.Flow(false, "ecdsa", 3, 5, 0), r));
        assertTrue(e.getMessage().contains("DkgFederationBenchmark.federation") && e.getMessage().contains("3of5"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CryptoCost.Flow(false, "rsa", 2, 3, 0));
        assertThrows(IllegalArgumentException.class, () -> new CryptoCost.Flow(false, "ecdsa", 4, 3, 0));
    }

    @Test
    void aMultiThreadedResultIsRefused() {
        String json = """
                [{"benchmark":"io.keyfed.bench.DkgFederationBenchmark.federation","mode":"avgt","threads":2,
                  "params":{"curve":"secp256k1","tn":"2of3"},"primaryMetric":{"score":2.0,"scoreUnit":"ms/op"}}]""";
        assertThrows(IllegalArgumentException.class,
                () -> CryptoCost.compute(new CryptoCost.Flow(false, "ecdsa", 2, 3, 0), JmhResults.parse(json)));
    }

    @Test
    void floorAndOverheadAreCoresOverCryptoAndDeploymentOverCrypto() {
        // 2 cores / 4 ms per key = 0.5 keys per ms = 500 keys/s; 60 ms / 4 ms = 15
        assertEquals(500.0, CryptoCost.floorKeysPerS(2, 4.0), 1e-12);
        assertEquals(15.0, CryptoCost.overheadRatio(60.0, 4.0), 1e-12);
    }
}
