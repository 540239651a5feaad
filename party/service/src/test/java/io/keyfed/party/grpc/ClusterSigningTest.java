package io.keyfed.party.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.keyfed.api.encoding.SignMessages;
import io.keyfed.api.encoding.SignResponseSignBytes;
import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.crypto.Taproot;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.PartySignResponse;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignRequestStatus;
import io.keyfed.api.ledger.v1.SignatureScheme;
import io.keyfed.api.party.v1.KeygenRequest;
import io.keyfed.api.party.v1.KeygenResponse;
import io.keyfed.api.party.v1.SigningAnswer;
import io.keyfed.api.party.v1.SigningCall;
import io.keyfed.api.verify.Bip340Verifier;
import io.keyfed.api.verify.Ed25519Verifier;

/**
 * Three parties over real gRPC sockets, real tokens and real PostgreSQL make a key with the DKG, then sign with
 * it (FROST): each signature checked by the api's verifiers, which share no code with the FROST engine.
 */
class ClusterSigningTest {
    private PartyCluster cluster;

    @BeforeEach
    void start() throws IOException {
        cluster = new PartyCluster("party-1", "party-2", "party-3")
                .configure(c -> c.signingAttemptTimeout = java.time.Duration.ofSeconds(3)).startAll();
    }

    @AfterEach
    void stop() throws InterruptedException {
        cluster.close();
    }

    /** Runs the DKG for key {@code id} on every member; returns the group public key. */
    static byte[] makeKey(PartyCluster cluster, long id, KeyType type) throws Exception {
        KeygenRequest call = cluster.request(id, type, 2, System.currentTimeMillis() + 60_000);
        List<ListenableFuture<KeygenResponse>> futures = new ArrayList<>();
        for (PartyCluster.Member m : cluster.members()) {
            futures.add(m.futureStub().keygen(call));
        }
        byte[] key = null;
        for (ListenableFuture<KeygenResponse> f : futures) {
            key = f.get(60, TimeUnit.SECONDS).getResponse().getPublicKey().toByteArray();
        }
        cluster.ledger.fulfill(id, key);
        return key;
    }

    static SignRequest signRequest(PartyCluster cluster, long id, long keyId, KeyType type, byte[] publicKey, List<byte[]> messages,
            long deadline) {
        KeygenRequest keyCall = cluster.unregistered(keyId, type, 2, deadline);
        boolean taproot = type == KeyType.KEY_TYPE_BITCOIN_TAPROOT;
        SignRequest.Builder r = SignRequest.newBuilder().setId(id).setKeyId(keyId)
                .setKeyringAddr(keyCall.getRequest().getKeyringAddr()).setKeyType(type)
                .setScheme(taproot ? SignatureScheme.SIGNATURE_SCHEME_BIP340 : SignatureScheme.SIGNATURE_SCHEME_ED25519)
                .setVerifyingKey(ByteString.copyFrom(taproot ? Taproot.outputKey(publicKey) : publicKey))
                .addAllParties(keyCall.getRequest().getPartiesList()).setPartyThreshold(2).setDeadlineUnixMs(deadline);
        messages.forEach(m -> r.addMessages(ByteString.copyFrom(m)));
        return cluster.ledger.register(r.build());
    }

    static SigningCall call(SignRequest r) {
        return SigningCall.newBuilder().setChainId(PartyCluster.CHAIN_ID).setRequest(r).build();
    }

    static boolean verifies(SignRequest r, byte[] message, byte[] signature) {
        byte[] key = r.getVerifyingKey().toByteArray();
        return r.getScheme() == SignatureScheme.SIGNATURE_SCHEME_BIP340 ? Bip340Verifier.verify(key, message, signature)
                : Ed25519Verifier.verify(key, message, signature);
    }

    private static byte[] sha256(String s) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    }

    static List<byte[]> messages(KeyType type, int count) throws Exception {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(type == KeyType.KEY_TYPE_BITCOIN_TAPROOT ? sha256("message " + i)
                    : ("message " + i + " to sign").getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Each member's answer to the request, asked of the given members at once. */
    static List<PartySignResponse> signOn(SignRequest r, List<PartyCluster.Member> members) throws Exception {
        List<ListenableFuture<SigningAnswer>> futures = new ArrayList<>();
        for (PartyCluster.Member m : members) {
            futures.add(m.futureStub().sign(call(r)));
        }
        List<PartySignResponse> out = new ArrayList<>();
        for (ListenableFuture<SigningAnswer> f : futures) {
            out.add(f.get(60, TimeUnit.SECONDS).getResponse());
        }
        return out;
    }

    static void assertFulfilledAndSigned(SignRequest r, PartySignResponse answer, PartyCluster.Member m) {
        assertEquals(SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED, answer.getStatus(), answer.getRejectReason());
        assertEquals(m.address, answer.getPartyAddr());
        assertEquals(r.getMessagesCount(), answer.getSignaturesCount());
        for (int k = 0; k < r.getMessagesCount(); k++) {
            assertTrue(verifies(r, r.getMessages(k).toByteArray(), answer.getSignatures(k).toByteArray()),
                    "signature " + k + " verifies under the request's verifying key");
        }
        byte[] bytes = SignResponseSignBytes.of(PartyCluster.CHAIN_ID, r.getId(), r.getKeyringAddr(), r.getKeyId(),
                r.getKeyType(), r.getScheme(), r.getVerifyingKey().toByteArray(),
                SignMessages.hash(r.getMessagesList().stream().map(ByteString::toByteArray).toList()), m.address,
                answer.getStatus(), answer.getSignaturesList().stream().map(ByteString::toByteArray).toList(), "");
        assertTrue(Secp256k1.verify(m.token.identityPublicKey(), bytes, answer.getSignature().toByteArray()),
                "the answer is signed by the party's identity key");
    }

    @ParameterizedTest
    @EnumSource(value = KeyType.class, names = { "KEY_TYPE_EDDSA_ED25519", "KEY_TYPE_BITCOIN_TAPROOT" })
    void everyPartyAnswersWithSignaturesThatVerifyUnderTheKey(KeyType type) throws Exception {
        byte[] key = makeKey(cluster, 11, type);
        SignRequest r = signRequest(cluster, 1, 11, type, key, messages(type, 3), System.currentTimeMillis() + 60_000);
        List<PartySignResponse> answers = signOn(r, cluster.members());
        for (int i = 0; i < 3; i++) {
            assertFulfilledAndSigned(r, answers.get(i), cluster.member(i));
        }
        // Asked again: the stored answer, not a second session.
        PartySignResponse again = cluster.member(0).stub().sign(call(r)).getResponse();
        assertEquals(answers.get(0), again);
    }

    @Test
    void twoOfThreeSignWhileOnePartyIsStopped() throws Exception {
        byte[] key = makeKey(cluster, 12, KeyType.KEY_TYPE_EDDSA_ED25519);
        cluster.member(2).stop();
        SignRequest r = signRequest(cluster, 2, 12, KeyType.KEY_TYPE_EDDSA_ED25519, key,
                messages(KeyType.KEY_TYPE_EDDSA_ED25519, 1), System.currentTimeMillis() + 60_000);
        List<PartySignResponse> answers = signOn(r, cluster.members().subList(0, 2));
        assertFulfilledAndSigned(r, answers.get(0), cluster.member(0));
        assertFulfilledAndSigned(r, answers.get(1), cluster.member(1));
    }

    @Test
    void aMessageTheLedgerDoesNotHoldIsRefusedAndNothingIsSigned() throws Exception {
        byte[] key = makeKey(cluster, 13, KeyType.KEY_TYPE_EDDSA_ED25519);
        SignRequest r = signRequest(cluster, 3, 13, KeyType.KEY_TYPE_EDDSA_ED25519, key,
                messages(KeyType.KEY_TYPE_EDDSA_ED25519, 1), System.currentTimeMillis() + 60_000);
        SignRequest forged = r.toBuilder().setMessages(0, ByteString.copyFromUtf8("pay the attacker")).build();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> cluster.member(0).stub().sign(call(forged)));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("messages"), e.getStatus().getDescription());
        assertTrue(cluster.member(0).node().store().findSignAnswer(3).isEmpty(), "no answer stored");
        assertEquals(0, cluster.member(0).node().signing().activeSessions(), "no session started");

        SignRequest unknown = r.toBuilder().setId(99).build();
        StatusRuntimeException nf = assertThrows(StatusRuntimeException.class,
                () -> cluster.member(0).stub().sign(call(unknown)));
        assertEquals(Status.Code.NOT_FOUND, nf.getStatus().getCode());
        assertTrue(cluster.member(0).node().store().findSignAnswer(99).isEmpty(), "no answer stored");
    }

    @Test
    void aPartyWithoutAShareOfTheKeyAnswersRejected() throws Exception {
        SignRequest r = signRequest(cluster, 4, 14, KeyType.KEY_TYPE_EDDSA_ED25519, new byte[32],
                messages(KeyType.KEY_TYPE_EDDSA_ED25519, 1), System.currentTimeMillis() + 60_000);
        PartySignResponse a = cluster.member(0).stub().sign(call(r)).getResponse();
        assertEquals(SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED, a.getStatus());
        assertTrue(a.getRejectReason().contains("holds no share of key 14"), a.getRejectReason());
        assertArrayEquals(a.toByteArray(), cluster.member(0).node().store().findSignAnswer(4).orElseThrow()
                .response().toByteArray(), "the answer is stored as returned");
    }

    @Test
    void malformedOrUnsupportedCallsAreRefusedNamingTheProblem() throws Exception {
        var stub = cluster.member(0).stub();
        StatusRuntimeException noRequest = assertThrows(StatusRuntimeException.class,
                () -> stub.sign(SigningCall.newBuilder().setChainId(PartyCluster.CHAIN_ID).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, noRequest.getStatus().getCode());
        assertTrue(noRequest.getStatus().getDescription().contains("request is missing"));

        SignRequest r = signRequest(cluster, 5, 15, KeyType.KEY_TYPE_EDDSA_ED25519, new byte[32],
                messages(KeyType.KEY_TYPE_EDDSA_ED25519, 1), System.currentTimeMillis() + 60_000);
        StatusRuntimeException noChain = assertThrows(StatusRuntimeException.class,
                () -> stub.sign(call(r).toBuilder().setChainId("").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, noChain.getStatus().getCode());
        assertTrue(noChain.getStatus().getDescription().contains("chain_id"));

        StatusRuntimeException otherChain = assertThrows(StatusRuntimeException.class,
                () -> stub.sign(call(r).toBuilder().setChainId("another-chain").build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, otherChain.getStatus().getCode());
        assertTrue(otherChain.getStatus().getDescription().contains("chain_id"));

        // ECDSA for an ed25519 key: no protocol signs that combination.
        SignRequest ecdsa = cluster.ledger.register(r.toBuilder().setId(6)
                .setScheme(SignatureScheme.SIGNATURE_SCHEME_ECDSA_SECP256K1).build());
        StatusRuntimeException unsupported = assertThrows(StatusRuntimeException.class, () -> stub.sign(call(ecdsa)));
        assertEquals(Status.Code.UNIMPLEMENTED, unsupported.getStatus().getCode());
        assertTrue(unsupported.getStatus().getDescription().contains("not available"));

        cluster.ledger.register(r.toBuilder().setId(7).setStatus(SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED).build());
        StatusRuntimeException done = assertThrows(StatusRuntimeException.class,
                () -> stub.sign(call(r.toBuilder().setId(7).build())));
        assertEquals(Status.Code.FAILED_PRECONDITION, done.getStatus().getCode());
        assertTrue(done.getStatus().getDescription().contains("FULFILLED at the ledger"));
        for (long id : new long[] { 5, 6, 7 }) {
            assertTrue(cluster.member(0).node().store().findSignAnswer(id).isEmpty(), "nothing stored for " + id);
        }
    }
}
