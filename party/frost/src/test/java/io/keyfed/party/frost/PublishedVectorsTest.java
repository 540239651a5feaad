package io.keyfed.party.frost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.GroupElement;
import io.keyfed.party.dkg.curve.InvalidEncodingException;
import io.keyfed.party.dkg.curve.Scalar;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The published vectors, byte for byte: RFC 9591 Appendix E.1 (Ed25519) and E.5 (secp256k1), and
 * ZcashFoundation/frost's frost-secp256k1-tr vectors (each file under vectors/ cites its source). From the
 * vector's key and randomness the engine must reproduce the shares, nonces, commitments, binding factor
 * inputs and factors, signature shares and the final signature.
 */
class PublishedVectorsTest {

    static Stream<Arguments> vectors() {
        return Stream.of(
                Arguments.of("frost_ed25519_sha512.json", Ciphersuite.ED25519_SHA512),
                Arguments.of("frost_secp256k1_sha256.json", Ciphersuite.SECP256K1_SHA256),
                Arguments.of("frost_secp256k1_tr.json", Ciphersuite.SECP256K1_TR));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void dealerSharesAndGroupKeyMatchTheVector(String file, Ciphersuite cs) throws Exception {
        JsonNode v = load(file);
        TrustedDealer.Dealt dealt = deal(v, cs.curve());
        Curve curve = cs.curve();
        assertEquals(v.at("/inputs/verifying_key_key").asText(), Hex.of(curve.encodePoint(dealt.publicKeys().groupKey())));
        for (JsonNode s : v.at("/inputs/participant_shares")) {
            int id = s.get("identifier").asInt();
            assertEquals(s.get("participant_share").asText(), Hex.of(dealt.shares().get(id - 1).toBytes()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void roundsReproduceNoncesCommitmentsBindingFactorsSharesAndSignature(String file, Ciphersuite cs)
            throws Exception {
        JsonNode v = load(file);
        Curve curve = cs.curve();
        TrustedDealer.Dealt dealt = deal(v, curve);
        byte[] message = Hex.bytes(v.at("/inputs/message").asText());

        List<Frost.Round1> round1 = new ArrayList<>();
        List<SigningCommitments> commitments = new ArrayList<>();
        for (JsonNode o : v.at("/round_one_outputs/outputs")) {
            int id = o.get("identifier").asInt();
            FixedRandom rng = new FixedRandom(Hex.bytes(o.get("hiding_nonce_randomness").asText()),
                    Hex.bytes(o.get("binding_nonce_randomness").asText()));
            Frost.Round1 r1 = Frost.commit(cs, dealt.shares().get(id - 1), rng);
            assertTrue(rng.drained());
            assertEquals(o.get("hiding_nonce").asText(), Hex.of(curve.encodeScalar(r1.nonces().hiding())), "hiding nonce " + id);
            assertEquals(o.get("binding_nonce").asText(), Hex.of(curve.encodeScalar(r1.nonces().binding())), "binding nonce " + id);
            assertEquals(o.get("hiding_nonce_commitment").asText(), Hex.of(r1.commitments().hidingBytes(curve)));
            assertEquals(o.get("binding_nonce_commitment").asText(), Hex.of(r1.commitments().bindingBytes(curve)));
            round1.add(r1);
            commitments.add(r1.commitments());
        }
        SigningPackage pkg = new SigningPackage(commitments, message);

        GroupElement groupKey = cs.adjustment(dealt.publicKeys().groupKey()).applyPublic(curve, dealt.publicKeys().groupKey());
        Scalar[] rho = SigningMath.bindingFactors(cs, groupKey, pkg);
        int k = 0;
        for (JsonNode o : v.at("/round_one_outputs/outputs")) {
            int id = o.get("identifier").asInt();
            assertEquals(o.get("binding_factor_input").asText(),
                    Hex.of(SigningMath.bindingFactorInput(cs, groupKey, pkg, id)), "binding factor input " + id);
            assertEquals(o.get("binding_factor").asText(), Hex.of(curve.encodeScalar(rho[k++])), "binding factor " + id);
        }

        List<SignatureShare> shares = new ArrayList<>();
        k = 0;
        for (JsonNode o : v.at("/round_two_outputs/outputs")) {
            int id = o.get("identifier").asInt();
            SignatureShare share = Frost.sign(cs, pkg, round1.get(k++).nonces(), dealt.key(id));
            assertEquals(o.get("sig_share").asText(), Hex.of(share.encode(curve)), "signature share " + id);
            shares.add(share);
        }
        Signature sig = Frost.aggregate(cs, pkg, shares, dealt.publicKeys());
        assertEquals(v.at("/final_output/sig").asText(), Hex.of(sig.bytes()));
        for (Frost.Round1 r1 : round1) {
            assertTrue(r1.nonces().isDestroyed(), "nonces wiped after signing");
        }
    }

    /** Frost.verify, as a party checks a RESULT: the published signature verifies; altered inputs do not. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void publishedSignatureVerifiesAndAlteredOnesDoNot(String file, Ciphersuite cs) throws Exception {
        JsonNode v = load(file);
        TrustedDealer.Dealt dealt = deal(v, cs.curve());
        byte[] message = Hex.bytes(v.at("/inputs/message").asText());
        byte[] sig = Hex.bytes(v.at("/final_output/sig").asText());
        assertTrue(Frost.verify(cs, dealt.publicKeys(), message, sig));
        byte[] otherMessage = message.clone();
        otherMessage[0] ^= 1;
        assertFalse(Frost.verify(cs, dealt.publicKeys(), otherMessage, sig));
        for (int at : new int[] {1, sig.length - 1}) {
            byte[] altered = sig.clone();
            altered[at] ^= 1;
            assertFalse(Frost.verify(cs, dealt.publicKeys(), message, altered), "byte " + at + " altered");
        }
        assertFalse(Frost.verify(cs, dealt.publicKeys(), message, java.util.Arrays.copyOf(sig, sig.length - 1)));
        // under another key
        assertFalse(Frost.verify(cs, TrustedDealer.keygen(cs.curve(), 2, 3, new java.security.SecureRandom())
                .publicKeys(), message, sig));
    }

    static TrustedDealer.Dealt deal(JsonNode v, Curve curve) throws InvalidEncodingException {
        int n = v.at("/config/MAX_PARTICIPANTS").asInt();
        int t = v.at("/config/MIN_PARTICIPANTS").asInt();
        List<Scalar> coefficients = new ArrayList<>();
        for (JsonNode c : v.at("/inputs/share_polynomial_coefficients")) {
            coefficients.add(curve.decodeScalar(Hex.bytes(c.asText())));
        }
        Scalar secret = curve.decodeScalar(Hex.bytes(v.at("/inputs/group_secret_key").asText()));
        return TrustedDealer.keygen(curve, t, n, secret, coefficients);
    }

    static JsonNode load(String file) throws IOException {
        try (InputStream in = PublishedVectorsTest.class.getResourceAsStream("/vectors/" + file)) {
            JsonNode v = new ObjectMapper().readTree(in);
            assertTrue(v.get("source").asText().contains("ZcashFoundation/frost"));
            return v;
        }
    }
}
