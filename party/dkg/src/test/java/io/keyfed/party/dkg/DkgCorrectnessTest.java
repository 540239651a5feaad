package io.keyfed.party.dkg;

import static io.keyfed.party.dkg.TestSupport.interpolate;
import static io.keyfed.party.dkg.TestSupport.interpolateInExponent;
import static io.keyfed.party.dkg.TestSupport.subsets;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.Ed25519Curve;
import io.keyfed.party.dkg.curve.GroupElement;
import io.keyfed.party.dkg.curve.Secp256k1Curve;
import io.keyfed.party.dkg.pkg.PublicKeyPackage;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DkgCorrectnessTest {

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Curve c : List.of(Secp256k1Curve.INSTANCE, Ed25519Curve.INSTANCE)) {
            for (int[] tn : new int[][] {{1, 1}, {2, 3}, {3, 5}, {5, 7}}) {
                out.add(Arguments.of(c, tn[0], tn[1]));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} t={1} n={2}")
    @MethodSource("cases")
    void thresholdKeyIsConsistent(Curve curve, int t, int n) throws Exception {
        int keyType = curve instanceof Ed25519Curve ? 2 : 1;
        List<DkgResult> results = LocalFederation.run(curve, t, n, TestSessions.example(keyType, n, t));
        assertEquals(n, results.size());

        // every party agrees on Y and on every Y_j
        PublicKeyPackage pub = results.get(0).publicKeyPackage();
        for (DkgResult r : results) {
            assertEquals(pub, r.publicKeyPackage());
            assertArrayEquals(pub.groupPublicKey(), r.publicKeyPackage().groupPublicKey());
        }
        assertEquals(curve.pointLength(), pub.groupPublicKey().length);
        GroupElement y = pub.groupKey();

        List<BigInteger> s = new ArrayList<>();
        for (int j = 1; j <= n; j++) {
            DkgResult r = results.get(j - 1);
            assertEquals(j, r.secretShare().identifier());
            s.add(TestSupport.big(curve, r.secretShare().value()));
            // Y_j == s_j·G
            assertEquals(pub.verificationShare(j), TestSupport.mulBase(curve, s.get(j - 1)));
        }

        // any t shares reconstruct x with x·G == Y (at most 40 subsets checked)
        List<List<Integer>> sets = subsets(n, t);
        for (int k = 0; k < sets.size() && k < 40; k++) {
            List<Integer> ids = sets.get(k);
            List<BigInteger> vals = ids.stream().map(i -> s.get(i - 1)).toList();
            assertEquals(y, TestSupport.mulBase(curve, interpolate(curve, ids, vals)), "subset " + ids);
            List<GroupElement> ys = ids.stream().map(pub::verificationShare).toList();
            assertEquals(y, interpolateInExponent(curve, ids, ys), "verification shares " + ids);
        }
        // t−1 shares do not
        if (t > 1) {
            for (List<Integer> ids : subsets(n, t - 1)) {
                List<BigInteger> vals = ids.stream().map(i -> s.get(i - 1)).toList();
                assertNotEquals(y, TestSupport.mulBase(curve, interpolate(curve, ids, vals)), "subset " + ids);
            }
        }
        results.forEach(DkgResult::destroy);
        assertTrue(results.get(0).isDestroyed());
    }
}
