package io.keyfed.ledger.sign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.keyfed.api.crypto.Hashes;
import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.ledger.v1.Ledger;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignRequestStatus;
import io.keyfed.api.ledger.v1.SignatureScheme;
import io.keyfed.ledger.support.LedgerRest;
import io.keyfed.ledger.support.PostgresTestResource;
import io.keyfed.ledger.support.SignParties;
import io.keyfed.ledger.support.SignSetup;
import io.keyfed.ledger.support.TestKeys;
import io.keyfed.ledger.support.TestKeys.TestAccount;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * ecdsa and bitcoin keys sign secp256k1 ECDSA over 32-byte digests, accepted by the default configuration: the
 * ledger fulfils a request with low-S signatures under the key and stores each one's recovery id, which the test
 * knows from the nonce it signed with (R's parity), in gRPC and in the REST JSON's {@code recovery_ids}; a high-S
 * signature, one by another key, and a digest of the wrong length are refused and change nothing.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class EcdsaSignRequestTest {
    private static final TestAccount OWNER = TestKeys.account(4);
    private static final TestAccount ADMIN = TestKeys.account(35);
    private static final TestAccount A = TestKeys.account(193);
    private static final TestAccount B = TestKeys.account(194);
    private static final TestAccount C = TestKeys.account(195);
    private static final BigInteger N = Secp256k1.N;
    /** The test's stand-in for the threshold key (never used elsewhere). */
    private static final BigInteger SECRET = new BigInteger(1, Hashes.sha256("keyfed-ledger-test-ecdsa".getBytes()));

    @GrpcClient("ledger")
    Ledger ledger;

    /** A signature by {@link #SECRET} with nonce k, normalised to low S, and the recovery id R implies. */
    private record Signed(byte[] signature, int recoveryId) {
    }

    private static Signed sign(byte[] digest, BigInteger k, boolean lowS) {
        ECPoint bigR = Secp256k1.PARAMS.getG().multiply(k).normalize();
        BigInteger rx = bigR.getAffineXCoord().toBigInteger();
        BigInteger r = rx.mod(N);
        BigInteger s = k.modInverse(N).multiply(new BigInteger(1, digest).add(r.multiply(SECRET))).mod(N);
        boolean odd = bigR.getAffineYCoord().toBigInteger().testBit(0);
        if (lowS == s.compareTo(N.shiftRight(1)) > 0) {
            s = N.subtract(s); // the signature with nonce -k: R's y flips
            odd = !odd;
        }
        byte[] sig = new byte[64]; // r || s as computed (Secp256k1.compact would normalise s)
        put32(r, sig, 0);
        put32(s, sig, 32);
        return new Signed(sig, (odd ? 1 : 0) + (rx.compareTo(N) >= 0 ? 2 : 0));
    }

    private static void put32(BigInteger v, byte[] out, int off) {
        byte[] b = v.toByteArray();
        int len = Math.min(b.length, 32);
        System.arraycopy(b, b.length - len, out, off + 32 - len, len);
    }

    private static BigInteger nonce(int i) {
        return new BigInteger(1, Hashes.sha256(("nonce " + i).getBytes())).mod(N);
    }

    private long key(String type) {
        String ws = LedgerRest.newWorkspace(OWNER);
        String kr = SignSetup.keyring(ADMIN, 2, "5", A, B, C);
        return SignSetup.fulfilledKey(ledger, OWNER, ws, kr, type, Secp256k1.publicKeyOf(SECRET), 2, A, B, C);
    }

    private SignRequest open(long key, List<byte[]> digests) {
        return SignSetup.get(ledger,
                SignSetup.broadcast(ledger, OWNER, SignSetup.request(key, digests, 0, "")).getSignRequestId());
    }

    private static List<byte[]> digests(int n, String label) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Hashes.sha256((label + " " + i).getBytes()));
        }
        return out;
    }

    @Test
    void ecdsaAndBitcoinKeysAreFulfilledWithLowSSignaturesAndTheirRecoveryIds() {
        for (String type : List.of("ecdsa", "bitcoin")) {
            SignRequest req = open(key(type), digests(8, type));
            assertEquals(SignatureScheme.SIGNATURE_SCHEME_ECDSA_SECP256K1, req.getScheme());
            assertArrayEquals(Secp256k1.publicKeyOf(SECRET), req.getVerifyingKey().toByteArray());
            List<byte[]> sigs = new ArrayList<>();
            List<Integer> ids = new ArrayList<>();
            for (int i = 0; i < req.getMessagesCount(); i++) {
                Signed s = sign(req.getMessages(i).toByteArray(), nonce(i), true);
                sigs.add(s.signature());
                ids.add(s.recoveryId());
            }
            assertTrue(ids.contains(0) && ids.contains(1), "both recovery ids occur: " + ids);

            SignRequest done = ledger.fulfilSignatureRequest(SignParties.answer(B, req,
                    SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED, sigs, "")).await().atMost(SignSetup.WAIT);

            assertEquals(SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED, done.getStatus(), type);
            for (int i = 0; i < sigs.size(); i++) {
                assertArrayEquals(sigs.get(i), done.getSignatures(i).toByteArray());
            }
            assertEquals(ids, done.getRecoveryIdsList(), type);
            JsonPath json = RestAssured.get("/v1/treasury/sign-requests/" + req.getId()).then().statusCode(200)
                    .extract().jsonPath();
            assertEquals(ids, json.getList("recovery_ids", Integer.class), type);
            assertEquals(HexFormat.of().formatHex(sigs.get(0)), json.getString("signatures[0]"));
        }
    }

    @Test
    void aHighSSignatureOrOneByAnotherKeyIsRefusedNamingThePartyAndChangesNothing() {
        SignRequest req = open(key("ecdsa"), digests(2, "refused"));
        byte[] d0 = req.getMessages(0).toByteArray();
        byte[] d1 = req.getMessages(1).toByteArray();
        List<byte[]> highS = List.of(sign(d0, nonce(1), false).signature(), sign(d1, nonce(2), true).signature());
        byte[] other = Secp256k1.sign(BigInteger.valueOf(77), d0); // low S, but by another key (and over SHA-256(d0))
        Map<String, List<byte[]>> cases = new LinkedHashMap<>();
        cases.put("high s", highS);
        cases.put("another key", List.of(other, sign(d1, nonce(3), true).signature()));
        for (Map.Entry<String, List<byte[]>> c : cases.entrySet()) {
            List<byte[]> sigs = c.getValue();
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> ledger.fulfilSignatureRequest(
                    SignParties.answer(C, req, SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED, sigs, ""))
                    .await().atMost(SignSetup.WAIT), c.getKey());
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().contains("signatures[0] from party " + C.address()),
                    e.getStatus().getDescription());
            assertEquals(req, SignSetup.get(ledger, req.getId()));
        }
    }

    @Test
    void anEcdsaMessageMustBeA32ByteDigest() {
        long key = key("bitcoin");
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> SignSetup.broadcast(ledger, OWNER,
                SignSetup.request(key, List.of(new byte[32], new byte[33]), 0, "")));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("messages[1] has 33 bytes; ecdsa messages must be 32 bytes"),
                e.getStatus().getDescription());
    }
}
