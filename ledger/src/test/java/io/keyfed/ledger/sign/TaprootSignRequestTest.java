package io.keyfed.ledger.sign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.keyfed.api.crypto.Hashes;
import io.keyfed.api.crypto.Taproot;
import io.keyfed.api.ledger.v1.Ledger;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignRequestStatus;
import io.keyfed.api.ledger.v1.SignatureScheme;
import io.keyfed.api.ledger.v1.TxResult;
import io.keyfed.ledger.support.LedgerRest;
import io.keyfed.ledger.support.PostgresTestResource;
import io.keyfed.ledger.support.SignParties;
import io.keyfed.ledger.support.SignSetup;
import io.keyfed.ledger.support.TestKeys;
import io.keyfed.ledger.support.TestKeys.TestAccount;
import io.keyfed.ledger.support.TestSigner;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * Taproot keys sign BIP-340 under x(Q): the request carries x(Q) as its verifying key, 32-byte messages only, and
 * the ledger fulfils it with signatures that verify under x(Q) (made by the test from the tweaked secret) and
 * refuses one that does not verify.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class TaprootSignRequestTest {
    private static final TestAccount OWNER = TestKeys.account(40);
    private static final TestAccount ADMIN = TestKeys.account(35);
    private static final TestAccount A = TestKeys.account(187);
    private static final TestAccount B = TestKeys.account(188);
    private static final TestAccount C = TestKeys.account(189);
    private static final TestSigner KEY = TestSigner.taproot("taproot-lifecycle");

    @GrpcClient("ledger")
    Ledger ledger;

    private long taprootKey() {
        String ws = LedgerRest.newWorkspace(OWNER);
        String kr = SignSetup.keyring(ADMIN, 2, "7", A, B, C);
        return SignSetup.fulfilledKey(ledger, OWNER, ws, kr, "taproot", KEY.publicKey(), 2, A, B, C);
    }

    private static List<byte[]> digests(int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Hashes.sha256(new byte[] { (byte) i, 42 }));
        }
        return out;
    }

    @Test
    void anAnswerWithValidBip340SignaturesUnderTheOutputKeyFulfilsTheRequest() {
        long key = taprootKey();
        TxResult r = SignSetup.broadcast(ledger, OWNER, SignSetup.request(key, digests(4), 0, ""));
        SignRequest req = SignSetup.get(ledger, r.getSignRequestId());
        assertEquals(SignatureScheme.SIGNATURE_SCHEME_BIP340, req.getScheme());
        assertArrayEquals(Taproot.outputKey(KEY.publicKey()), req.getVerifyingKey().toByteArray(), "x(Q)");
        assertArrayEquals(KEY.verifyingKey(), req.getVerifyingKey().toByteArray(), "the test's own tweak agrees");
        long keyringBefore = LedgerRest.balance(req.getKeyringAddr());

        SignRequest done = ledger.fulfilSignatureRequest(SignParties.fulfil(B, req, KEY)).await().atMost(SignSetup.WAIT);

        assertEquals(SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED, done.getStatus());
        assertEquals(4, done.getSignaturesCount());
        assertEquals(keyringBefore + 28, LedgerRest.balance(req.getKeyringAddr()), "4 × 7 urock released");
        String supply = RestAssured.get("/v1/params").then().extract().jsonPath().getString("genesis_supply");
        assertEquals(Long.parseLong(supply), LedgerRest.totalBalances());
    }

    @Test
    void aBip340SignatureThatDoesNotVerifyIsRefusedNamingThePartyAndTheMessage() {
        long key = taprootKey();
        SignRequest req = SignSetup.get(ledger,
                SignSetup.broadcast(ledger, OWNER, SignSetup.request(key, digests(2), 0, "")).getSignRequestId());
        List<byte[]> sigs = new ArrayList<>(req.getMessagesList().stream().map(m -> KEY.sign(m.toByteArray())).toList());
        byte[] bad = sigs.get(0).clone();
        bad[63] ^= 1;
        sigs.set(0, bad);

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> ledger.fulfilSignatureRequest(
                SignParties.answer(C, req, SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED, sigs, ""))
                .await().atMost(SignSetup.WAIT));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("signatures[0] from party " + C.address()),
                e.getStatus().getDescription());
        assertEquals(req, SignSetup.get(ledger, req.getId()));
    }

    @Test
    void theSameBadSignaturesFromTwoPartiesAreRefusedNamingEachAndTheGoodOnesStillFulfil() {
        long key = taprootKey();
        SignRequest req = SignSetup.get(ledger,
                SignSetup.broadcast(ledger, OWNER, SignSetup.request(key, digests(3), 0, "")).getSignRequestId());
        List<byte[]> good = req.getMessagesList().stream().map(m -> KEY.sign(m.toByteArray())).toList();
        List<byte[]> bad = new ArrayList<>(good);
        byte[] flipped = good.get(2).clone();
        flipped[10] ^= 1;
        bad.set(2, flipped);

        for (TestAccount party : List.of(A, C)) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> ledger.fulfilSignatureRequest(
                    SignParties.answer(party, req, SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED, bad, ""))
                    .await().atMost(SignSetup.WAIT));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().contains("signatures[2] from party " + party.address()
                    + " on sign request"), e.getStatus().getDescription());
        }
        assertEquals(req, SignSetup.get(ledger, req.getId()), "refusals change nothing");

        SignRequest done = ledger.fulfilSignatureRequest(
                SignParties.answer(C, req, SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED, good, ""))
                .await().atMost(SignSetup.WAIT);
        assertEquals(SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED, done.getStatus());
        SignRequest again = ledger.fulfilSignatureRequest(
                SignParties.answer(A, req, SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED, good, ""))
                .await().atMost(SignSetup.WAIT);
        assertEquals(2, again.getKeyringPartySigsCount(), "the second party's identical answer is recorded too");
    }

    @Test
    void aTaprootMessageMustBeA32ByteDigest() {
        long key = taprootKey();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> SignSetup.broadcast(ledger, OWNER,
                SignSetup.request(key, List.of(new byte[32], new byte[31]), 0, "")));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("messages[1] has 31 bytes; bip340 messages must be 32 bytes"),
                e.getStatus().getDescription());
    }
}
