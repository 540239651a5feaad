package io.keyfed.party.dkls;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfed.party.dkg.DkgResult;
import io.keyfed.party.dkg.LocalFederation;
import io.keyfed.party.dkg.SessionId;
import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.CurveId;
import io.keyfed.party.dkg.pkg.PublicKeyPackage;
import io.keyfed.party.dkg.secret.SecretShare;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The DKG's shares as they are sign: a real 2-of-3 DKG run in memory, then every pair signs. */
class DkgSharesSigningTest {
    static final Curve C = Curve.of(CurveId.SECP256K1);
    static final SecureRandom rng = new SecureRandom();
    static List<DkgResult> results;
    static Federation f;

    /** One DKG run and its pairwise setups, for both tests. */
    @BeforeAll
    static void setUp() throws Exception {
        results = LocalFederation.run(C, 2, 3, SessionId.of(random(SessionId.LENGTH)));
        f = new Federation(results, rng);
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        rng.nextBytes(b);
        return b;
    }

    @Test
    void everyPairSignsWithSharesFromARealDkg() throws Exception {
        byte[] key = results.get(0).publicKeyPackage().groupPublicKey();
        for (List<Integer> signers : List.of(List.of(1, 2), List.of(1, 3), List.of(2, 3))) {
            byte[] digest = random(32);
            SignMessages.EcdsaSignature sig = f.sign(signers, digest, new Federation.Hooks());
            assertTrue(IndependentEcdsa.verify(key, digest, sig.r(), sig.s()), signers.toString());
        }
    }

    @Test
    void aShareThatIsNotTheParticipantsOrTooFewSignersAreRefused() throws Exception {
        PublicKeyPackage pkg = results.get(0).publicKeyPackage();
        SecretShare wrong = new SecretShare(C, 2, results.get(0).secretShare().value().copy());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DklsSign.round1(wrong, pkg,
                List.of(1, 2), f.setups.get(2), random(32), random(32), rng));
        assertTrue(e.getMessage().contains("verification share Y_2"), e.getMessage());
        IllegalArgumentException few = assertThrows(IllegalArgumentException.class, () -> DklsSign.round1(
                results.get(0).secretShare(), pkg, List.of(1), f.setups.get(1), random(32), random(32), rng));
        assertTrue(few.getMessage().contains("need 2 signers"), few.getMessage());
    }
}
