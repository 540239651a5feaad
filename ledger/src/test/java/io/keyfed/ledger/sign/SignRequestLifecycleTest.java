package io.keyfed.ledger.sign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.keyfed.api.ledger.v1.GetTxRequest;
import io.keyfed.api.ledger.v1.KeyringParty;
import io.keyfed.api.ledger.v1.Ledger;
import io.keyfed.api.ledger.v1.MsgAddKeyringParty;
import io.keyfed.api.ledger.v1.MsgUpdateKeyring;
import io.keyfed.api.ledger.v1.PartySignResponse;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignRequestStatus;
import io.keyfed.api.ledger.v1.SignatureScheme;
import io.keyfed.api.ledger.v1.TxRecord;
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
import io.vertx.mutiny.sqlclient.Pool;

/**
 * A sign request's life over real gRPC on real PostgreSQL: created with its fee escrowed, then fulfilled by an
 * answer whose signatures the ledger verifies, rejected by n − t + 1 parties, or expired; every way the fee moves
 * once and the supply stays the genesis supply. The test holds the key's secret and makes the signatures.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class SignRequestLifecycleTest {
    private static final TestAccount OWNER = TestKeys.account(31);
    private static final TestAccount ADMIN = TestKeys.account(35);
    private static final TestAccount A = TestKeys.account(181);
    private static final TestAccount B = TestKeys.account(182);
    private static final TestAccount C = TestKeys.account(183);
    private static final TestAccount D = TestKeys.account(184);
    private static final TestSigner KEY = TestSigner.ed25519("lifecycle");
    private static final String FEE = "10";

    @GrpcClient("ledger")
    Ledger ledger;

    @Inject
    Pool pool;

    /** A 2-of-3 keyring (A, B, C) with sign fee 10 per message, and an ed25519 key of OWNER's held by KEY. */
    private long newKey() {
        String ws = LedgerRest.newWorkspace(OWNER);
        String kr = SignSetup.keyring(ADMIN, 2, FEE, A, B, C);
        return SignSetup.fulfilledKey(ledger, OWNER, ws, kr, "ed25519", KEY.publicKey(), 2, A, B, C);
    }

    private SignRequest newRequest(long keyId, List<byte[]> messages, long timeout) {
        TxResult r = SignSetup.broadcast(ledger, OWNER, SignSetup.request(keyId, messages, timeout, ""));
        assertNotEquals(0, r.getSignRequestId(), r.getOutcome());
        return SignSetup.read(pool, r.getSignRequestId());
    }

    private SignRequest answer(PartySignResponse r) {
        return ledger.fulfilSignatureRequest(r).await().atMost(SignSetup.WAIT);
    }

    private StatusRuntimeException refused(PartySignResponse r) {
        return assertThrows(StatusRuntimeException.class, () -> answer(r));
    }

    private static String escrow() {
        return RestAssured.get("/v1/params").then().extract().jsonPath().getString("escrow_address");
    }

    private static long genesisSupply() {
        return Long.parseLong(RestAssured.get("/v1/params").then().extract().jsonPath().getString("genesis_supply"));
    }

    /** Balances of the owner, the keyring and the escrow, and the log height. */
    private static List<Long> books(SignRequest r) {
        return List.of(LedgerRest.balance(OWNER.address()), LedgerRest.balance(r.getKeyringAddr()),
                LedgerRest.balance(escrow()), LedgerRest.height());
    }

    private static List<byte[]> messages(int... lengths) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < lengths.length; i++) {
            byte[] m = new byte[lengths[i]];
            Arrays.fill(m, (byte) (i + 1));
            out.add(m);
        }
        return out;
    }

    @Test
    void anAnswerWhoseSignaturesAllVerifyFulfilsTheRequestAndReleasesTheFeeToTheKeyring() {
        long keyId = newKey();
        long ownerBefore = LedgerRest.balance(OWNER.address());
        long escrowBefore = LedgerRest.balance(escrow());
        List<byte[]> msgs = messages(1, 32, 1232);
        TxResult created = SignSetup.broadcast(ledger, OWNER, SignSetup.request(keyId, msgs, 0, "30"));
        assertTrue(created.getOutcome().startsWith("sign request " + created.getSignRequestId() + " created ("),
                created.getOutcome());
        assertTrue(created.getOutcome().contains("fee 30 urock escrowed"), created.getOutcome());
        SignRequest req = SignSetup.read(pool, created.getSignRequestId());
        assertEquals(SignRequestStatus.SIGN_REQUEST_STATUS_PENDING, req.getStatus());
        assertEquals(SignatureScheme.SIGNATURE_SCHEME_ED25519, req.getScheme());
        assertArrayEquals(KEY.publicKey(), req.getVerifyingKey().toByteArray());
        assertEquals("30", req.getFee());
        assertEquals(OWNER.address(), req.getCreator());
        assertEquals(created.getHeight(), req.getCreatedHeight());
        assertEquals(ownerBefore - 30, LedgerRest.balance(OWNER.address()));
        assertEquals(escrowBefore + 30, LedgerRest.balance(escrow()));
        assertEquals(1, SignSetup.events(pool, req.getId()));

        SignRequest done = answer(SignParties.fulfil(A, req, KEY));

        assertEquals(SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED, done.getStatus());
        assertEquals(3, done.getSignaturesCount());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(KEY.sign(msgs.get(i)), done.getSignatures(i).toByteArray());
        }
        assertEquals(0, done.getRecoveryIdsCount(), "recovery ids are for ECDSA only");
        assertEquals(done, SignSetup.read(pool, req.getId()));
        assertEquals(30, LedgerRest.balance(req.getKeyringAddr()), "fee released to the keyring");
        assertEquals(escrowBefore, LedgerRest.balance(escrow()));
        assertEquals(2, SignSetup.events(pool, req.getId()));
        TxRecord log = ledger.getTx(GetTxRequest.newBuilder().setHeight(LedgerRest.height()).build())
                .await().atMost(SignSetup.WAIT);
        assertEquals("sign_response", log.getKind());
        assertTrue(log.getOutcome().contains("sign request " + req.getId() + " fulfilled by party " + A.address()),
                log.getOutcome());

        // a later valid answer from another party is recorded, and moves nothing
        SignRequest later = answer(SignParties.fulfil(B, req, KEY));
        assertEquals(SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED, later.getStatus());
        assertEquals(List.of(A.address(), B.address()),
                later.getKeyringPartySigsList().stream().map(s -> s.getCreator()).toList());
        assertEquals(30, LedgerRest.balance(req.getKeyringAddr()));
        assertEquals(genesisSupply(), LedgerRest.totalBalances(), "supply after fulfilment");
    }

    @Test
    void aSignatureThatDoesNotVerifyIsRefusedNamingThePartyAndTheMessageAndChangesNothing() {
        SignRequest req = newRequest(newKey(), messages(5, 6, 7), 0);
        List<byte[]> sigs = new ArrayList<>(req.getMessagesList().stream().map(m -> KEY.sign(m.toByteArray())).toList());
        sigs.set(1, KEY.sign(new byte[] { 9, 9, 9 })); // a valid signature, of another message
        List<Long> before = books(req);

        StatusRuntimeException e = refused(SignParties.answer(A, req, SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED,
                sigs, ""));

        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains(A.address()), e.getStatus().getDescription());
        assertTrue(e.getStatus().getDescription().contains("signatures[1]"), e.getStatus().getDescription());
        assertEquals(before, books(req));
        assertEquals(req, SignSetup.read(pool, req.getId()));
        assertEquals(1, SignSetup.events(pool, req.getId()));
        // the party can still fulfil it with good signatures
        assertEquals(SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED, answer(SignParties.fulfil(A, req, KEY)).getStatus());
    }

    @Test
    void nMinusTPlusOneRejectionsRejectTheRequestAndRefundTheFee() {
        SignRequest req = newRequest(newKey(), messages(32, 32), 0);
        long ownerAfterEscrow = LedgerRest.balance(OWNER.address());

        SignRequest partial = answer(SignParties.reject(A, req, "no share for this key"));
        assertEquals(SignRequestStatus.SIGN_REQUEST_STATUS_PARTIAL, partial.getStatus());
        assertEquals(ownerAfterEscrow, LedgerRest.balance(OWNER.address()), "one rejection of 3 (t=2) refunds nothing");

        SignRequest rejected = answer(SignParties.reject(B, req, "the ledger did not confirm the request"));
        assertEquals(SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED, rejected.getStatus());
        assertEquals("2 of 3 parties rejected; no 2 willing parties remain", rejected.getRejectReason());
        assertEquals(ownerAfterEscrow + 20, LedgerRest.balance(OWNER.address()), "fee refunded");
        assertEquals(0, LedgerRest.balance(req.getKeyringAddr()));
        assertEquals(genesisSupply(), LedgerRest.totalBalances(), "supply after rejection");

        StatusRuntimeException late = refused(SignParties.fulfil(C, req, KEY));
        assertEquals(Status.Code.FAILED_PRECONDITION, late.getStatus().getCode());
        assertTrue(late.getStatus().getDescription().contains("already REJECTED"), late.getStatus().getDescription());
        assertEquals(ownerAfterEscrow + 20, LedgerRest.balance(OWNER.address()), "refunded once");
    }

    @Test
    void aRequestPastItsDeadlineIsRejectedAndRefundedByTheSweeper() throws InterruptedException {
        SignRequest req = newRequest(newKey(), messages(8), 1);
        long ownerAfterEscrow = LedgerRest.balance(OWNER.address());
        SignRequest now = req;
        for (int i = 0; i < 600 && now.getStatus() != SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED; i++) {
            Thread.sleep(200);
            now = SignSetup.read(pool, req.getId());
        }
        assertEquals(SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED, now.getStatus());
        assertEquals("deadline exceeded", now.getRejectReason());
        assertEquals(ownerAfterEscrow + 10, LedgerRest.balance(OWNER.address()), "fee refunded");
        assertEquals(genesisSupply(), LedgerRest.totalBalances(), "supply after timeout");
        String kind = pool.preparedQuery("select kind from tx_log where outcome like $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of("sign request " + req.getId() + " rejected: deadline%"))
                .await().atMost(SignSetup.WAIT).iterator().next().getString(0);
        assertEquals("sign_timeout", kind);
        StatusRuntimeException late = refused(SignParties.fulfil(A, req, KEY));
        assertEquals(Status.Code.FAILED_PRECONDITION, late.getStatus().getCode());
    }

    @Test
    void theSameAnswerAgainIsANoOp() {
        SignRequest req = newRequest(newKey(), messages(4), 0);
        SignRequest first = answer(SignParties.reject(A, req, "no share"));
        long height = LedgerRest.height();
        List<Long> before = books(req);

        SignRequest again = answer(SignParties.reject(A, req, "no share"));

        assertEquals(first, again);
        assertEquals(before, books(req));
        assertEquals(height, LedgerRest.height(), "a repeat is not logged");
        assertEquals(2, SignSetup.events(pool, req.getId()));
    }

    @Test
    void aDifferentSecondAnswerIsRecordedAsAFaultAgainstItsPartyOnly() {
        SignRequest req = newRequest(newKey(), messages(4), 0);
        answer(SignParties.reject(A, req, "no share"));
        long ownerBalance = LedgerRest.balance(OWNER.address());
        long height = LedgerRest.height();

        SignRequest after = answer(SignParties.fulfil(A, req, KEY));

        assertEquals(SignRequestStatus.SIGN_REQUEST_STATUS_PARTIAL, after.getStatus(), "the fault kills nothing");
        assertEquals(1, after.getFaultsCount());
        assertEquals(A.address(), after.getFaults(0).getParty());
        assertTrue(after.getFaults(0).getReason().startsWith("sent a second, different answer (FULFILLED"),
                after.getFaults(0).getReason());
        assertEquals(1, after.getKeyringPartySigsCount(), "the fault is listed apart from the accepted answers");
        assertEquals(0, after.getSignaturesCount());
        assertEquals(height + 1, LedgerRest.height(), "the fault is logged");
        assertEquals(ownerBalance, LedgerRest.balance(OWNER.address()));
        // the same conflicting answer again is a repeat
        assertEquals(after, answer(SignParties.fulfil(A, req, KEY)));
        assertEquals(height + 1, LedgerRest.height());
        // another party can still fulfil it
        assertEquals(SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED, answer(SignParties.fulfil(B, req, KEY)).getStatus());
    }

    @Test
    void anAnswerFromANonPartyIsRefusedNamingItAndChangesNothing() {
        SignRequest req = newRequest(newKey(), messages(4), 0);
        List<Long> before = books(req);

        StatusRuntimeException e = refused(SignParties.fulfil(D, req, KEY));

        assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains(D.address()), e.getStatus().getDescription());
        assertTrue(e.getStatus().getDescription().contains("non-party"), e.getStatus().getDescription());
        assertEquals(before, books(req));
        assertEquals(req, SignSetup.read(pool, req.getId()));
    }

    @Test
    void anAnswerWithABadPartySignatureIsRefusedAndChangesNothing() {
        SignRequest req = newRequest(newKey(), messages(4), 0);
        PartySignResponse good = SignParties.fulfil(A, req, KEY);
        // B signs A's answer: not A's in-token signature
        PartySignResponse forged = good.toBuilder().setSignature(SignParties.fulfil(B, req, KEY).getSignature()).build();
        List<Long> before = books(req);

        StatusRuntimeException e = refused(forged);

        assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith("bad party signature from " + A.address()),
                e.getStatus().getDescription());
        assertEquals(before, books(req));
        assertEquals(req, SignSetup.read(pool, req.getId()));
        // an answer whose bytes were altered after signing (another reason) is refused the same way
        PartySignResponse altered = SignParties.reject(A, req, "no share").toBuilder().setRejectReason("other").build();
        assertEquals(Status.Code.PERMISSION_DENIED, refused(altered).getStatus().getCode());
    }

    @Test
    void theSnapshotIsTheKeysOwnNotTheKeyringsCurrentOne() {
        String ws = LedgerRest.newWorkspace(OWNER);
        String kr = SignSetup.keyring(ADMIN, 2, FEE, A, B, C);
        long keyId = SignSetup.fulfilledKey(ledger, OWNER, ws, kr, "ed25519", KEY.publicKey(), 2, A, B, C);
        // the keyring changes after the key was made: D joins, the threshold becomes 3
        LedgerRest.submit(ADMIN, b -> b.setAddKeyringParty(MsgAddKeyringParty.newBuilder().setKeyringAddr(kr)
                .setParty(io.keyfed.ledger.support.Txs.party(D))));
        LedgerRest.submit(ADMIN, b -> b.setUpdateKeyring(MsgUpdateKeyring.newBuilder().setKeyringAddr(kr)
                .setPartyThreshold(3)));

        SignRequest req = newRequest(keyId, messages(4), 0);

        assertEquals(List.of(A.address(), B.address(), C.address()).stream().sorted().toList(),
                req.getPartiesList().stream().map(KeyringParty::getAddress).toList());
        assertEquals(2, req.getPartyThreshold());
        assertEquals(Status.Code.PERMISSION_DENIED, refused(SignParties.fulfil(D, req, KEY)).getStatus().getCode());
        assertNotNull(answer(SignParties.reject(A, req, "no share")));
        assertEquals(SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED,
                answer(SignParties.reject(B, req, "no share")).getStatus(), "n − t + 1 = 2 of the key's own snapshot");
    }
}
