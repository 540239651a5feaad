package io.keyfed.ledger.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;

import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.KeyringParty;
import io.keyfed.api.ledger.v1.PartySignAnswer;
import io.keyfed.api.ledger.v1.PartySignResponse;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignRequestStatus;
import io.keyfed.api.ledger.v1.SignatureScheme;
import io.keyfed.ledger.support.TestKeys;

/** The pure sign-answer rules, the scheme rules, and the static checks of a PartySignResponse. */
class SignAnswerRulesTest {
    private static final String A = "zen1a";
    private static final String B = "zen1b";
    private static final String C = "zen1c";
    private static final String D = "zen1d";
    private static final ByteString SIG1 = ByteString.copyFrom(new byte[64]);
    private static final ByteString SIG2 = ByteString.copyFrom(filled(64, 2));

    private static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) v);
        return b;
    }

    /** A PENDING request of 4 parties with threshold {@code t}, one message. */
    private static SignRequest open(int t) {
        SignRequest.Builder b = SignRequest.newBuilder().setId(9).setStatus(SignRequestStatus.SIGN_REQUEST_STATUS_PENDING)
                .setPartyThreshold(t).addMessages(ByteString.copyFrom(new byte[32])).setFee("10");
        for (String p : List.of(A, B, C, D)) {
            b.addParties(KeyringParty.newBuilder().setAddress(p));
        }
        return b.build();
    }

    private static PartySignAnswer reject(String party, String reason) {
        return PartySignAnswer.newBuilder().setCreator(party).setStatus(SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED)
                .setRejectReason(reason).build();
    }

    private static PartySignAnswer fulfil(String party, ByteString sig) {
        return PartySignAnswer.newBuilder().setCreator(party).setStatus(SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED)
                .addSignatures(sig).build();
    }

    private static SignAnswerRules.Step apply(SignRequest r, PartySignAnswer a) {
        return SignAnswerRules.apply(r, a, List.of());
    }

    @Test
    void theFirstVerifiedFulfilledAnswerFulfilsWithItsSignaturesAndRecoveryIds() {
        SignAnswerRules.Step s = SignAnswerRules.apply(open(3), fulfil(A, SIG1), List.of(1));
        assertEquals(SignAnswerRules.Effect.FULFILLED, s.effect());
        assertEquals(List.of(SIG1), s.request().getSignaturesList());
        assertEquals(List.of(1), s.request().getRecoveryIdsList());
        // a later answer of another party is recorded and changes nothing else
        SignAnswerRules.Step later = apply(s.request(), fulfil(B, SIG2));
        assertEquals(SignAnswerRules.Effect.RECORDED, later.effect());
        assertEquals(List.of(SIG1), later.request().getSignaturesList());
        assertEquals(SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED, later.request().getStatus());
        assertEquals(2, later.request().getKeyringPartySigsCount());
    }

    @Test
    void nMinusTPlusOneDistinctRejectionsRejectAndFewerArePartial() {
        // n = 4, t = 3: 2 rejections leave 2 willing parties, fewer than 3
        SignAnswerRules.Step one = apply(open(3), reject(A, "no share"));
        assertEquals(SignAnswerRules.Effect.PARTIAL, one.effect());
        SignAnswerRules.Step two = apply(one.request(), reject(B, "no share"));
        assertEquals(SignAnswerRules.Effect.REJECTED, two.effect());
        assertEquals("2 of 4 parties rejected; no 3 willing parties remain", two.request().getRejectReason());
        // n = 4, t = 1: every party must reject
        SignRequest r = open(1);
        for (String p : List.of(A, B, C)) {
            r = apply(r, reject(p, "no share")).request();
            assertEquals(SignRequestStatus.SIGN_REQUEST_STATUS_PARTIAL, r.getStatus());
        }
        assertEquals(SignAnswerRules.Effect.REJECTED, apply(r, reject(D, "no share")).effect());
    }

    @Test
    void aRepeatIsANoOpAndADifferentSecondAnswerIsAFaultWhoseRepeatIsANoOpToo() {
        SignRequest r = apply(open(3), reject(A, "no share")).request();
        assertEquals(SignAnswerRules.Effect.REPEAT, apply(r, reject(A, "no share")).effect());

        SignAnswerRules.Step fault = apply(r, reject(A, "another reason"));
        assertEquals(SignAnswerRules.Effect.RECORDED, fault.effect());
        assertEquals(1, fault.request().getFaultsCount());
        assertEquals(A, fault.request().getFaults(0).getParty());
        assertEquals(1, fault.request().getKeyringPartySigsCount(), "a fault is not an accepted answer");
        assertEquals(SignRequestStatus.SIGN_REQUEST_STATUS_PARTIAL, fault.request().getStatus());
        assertEquals(SignAnswerRules.Effect.REPEAT, apply(fault.request(), reject(A, "another reason")).effect());

        // a later FULFILLED from the same party, once it has a fault, is ignored: never a fulfilment
        SignAnswerRules.Step ignored = apply(fault.request(), fulfil(A, SIG1));
        assertEquals(SignAnswerRules.Effect.REPEAT, ignored.effect());
        assertEquals(0, ignored.request().getSignaturesCount(), "a faulty party cannot fulfil");

        // without an earlier fault, a FULFILLED after a REJECTED is the party's fault, named with its digest
        SignAnswerRules.Step fulfilFault = apply(r, fulfil(A, SIG1));
        assertEquals(SignAnswerRules.Effect.RECORDED, fulfilFault.effect());
        assertEquals(0, fulfilFault.request().getSignaturesCount(), "a party that rejected cannot fulfil");
        assertTrue(fulfilFault.request().getFaults(0).getReason().contains("FULFILLED with 1 other signatures"));
    }

    @Test
    void aPartyWithAFaultCannotGrowTheRecordWithFurtherAnswers() {
        SignRequest req = apply(open(2), reject(A, "no share")).request();
        req = apply(req, reject(A, "changed its mind")).request();
        assertEquals(1, req.getFaultsCount());
        for (int i = 0; i < 5; i++) {
            SignAnswerRules.Step step = apply(req, reject(A, "reason " + i));
            assertEquals(SignAnswerRules.Effect.REPEAT, step.effect(), "further answer " + i);
            req = step.request();
        }
        assertEquals(1, req.getFaultsCount());
        assertEquals(1, req.getKeyringPartySigsCount());
        assertEquals(SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED, apply(req, fulfil(B, SIG1)).request().getStatus());
    }

    @Test
    void theSchemeIsFixedByTheKeyTypeAndMessagesAreCheckedForLength() {
        assertEquals(SignatureScheme.SIGNATURE_SCHEME_ED25519, SignatureChecks.scheme(KeyType.KEY_TYPE_EDDSA_ED25519));
        assertEquals(SignatureScheme.SIGNATURE_SCHEME_BIP340, SignatureChecks.scheme(KeyType.KEY_TYPE_BITCOIN_TAPROOT));
        assertEquals(SignatureScheme.SIGNATURE_SCHEME_ECDSA_SECP256K1,
                SignatureChecks.scheme(KeyType.KEY_TYPE_ECDSA_SECP256K1));
        assertEquals(SignatureScheme.SIGNATURE_SCHEME_ECDSA_SECP256K1,
                SignatureChecks.scheme(KeyType.KEY_TYPE_BITCOIN_SECP256K1));
        SignatureChecks.checkMessage(SignatureScheme.SIGNATURE_SCHEME_BIP340, 0, new byte[32]);
        LedgerException e = assertThrows(LedgerException.class,
                () -> SignatureChecks.checkMessage(SignatureScheme.SIGNATURE_SCHEME_BIP340, 2, new byte[31]));
        assertEquals("messages[2] has 31 bytes; bip340 messages must be 32 bytes", e.getMessage());
        SignatureChecks.checkMessage(SignatureScheme.SIGNATURE_SCHEME_ED25519, 0, new byte[1232]);
        assertThrows(LedgerException.class,
                () -> SignatureChecks.checkMessage(SignatureScheme.SIGNATURE_SCHEME_ECDSA_SECP256K1, 0, new byte[33]));
        SignatureChecks.requireSupported(SignatureScheme.SIGNATURE_SCHEME_BIP340, List.of("ed25519", " BIP340"));
        LedgerException unsupported = assertThrows(LedgerException.class, () -> SignatureChecks
                .requireSupported(SignatureScheme.SIGNATURE_SCHEME_ECDSA_SECP256K1, List.of("ed25519", "bip340")));
        assertEquals(LedgerException.Code.FAILED_PRECONDITION, unsupported.code());
        assertTrue(unsupported.getMessage().startsWith("signature scheme ecdsa"), unsupported.getMessage());
    }

    @Test
    void signaturesAreCheckedByTheSchemesVerifierAndEcdsaGetsRecoveryIds() {
        java.math.BigInteger d = java.math.BigInteger.valueOf(987654321);
        byte[] pk = io.keyfed.api.crypto.Secp256k1.publicKeyOf(d);
        List<byte[]> digests = new java.util.ArrayList<>();
        List<byte[]> sigs = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            byte[] m = new byte[] { (byte) i };
            digests.add(io.keyfed.api.crypto.Hashes.sha256(m));
            sigs.add(io.keyfed.api.crypto.Secp256k1.sign(d, m)); // low S, over SHA-256(m)
        }
        for (int i = 0; i < 8; i++) {
            assertTrue(SignatureChecks.verifies(SignatureScheme.SIGNATURE_SCHEME_ECDSA_SECP256K1, pk, digests.get(i),
                    sigs.get(i)));
        }
        assertTrue(!SignatureChecks.verifies(SignatureScheme.SIGNATURE_SCHEME_ECDSA_SECP256K1, pk, digests.get(0),
                sigs.get(1)));
        List<Integer> ids = SignatureChecks.recoveryIds(SignatureScheme.SIGNATURE_SCHEME_ECDSA_SECP256K1, pk, digests,
                sigs);
        assertEquals(8, ids.size());
        assertTrue(ids.stream().allMatch(v -> v >= 0 && v <= 3), ids.toString());
        assertTrue(ids.stream().distinct().count() > 1, "both y parities occur in 8 signatures: " + ids);
        assertEquals(List.of(), SignatureChecks.recoveryIds(SignatureScheme.SIGNATURE_SCHEME_ED25519, new byte[32],
                digests, sigs));
        // a signature of the wrong scheme does not verify
        assertTrue(!SignatureChecks.verifies(SignatureScheme.SIGNATURE_SCHEME_BIP340,
                java.util.Arrays.copyOfRange(pk, 1, 33), digests.get(0), sigs.get(0)));
    }

    private static final LedgerParams PARAMS = new LedgerParams(TestKeys.CHAIN_ID, "zen", "urock", 1, "zen1escrow", 60,
            600);

    private static PartySignResponse.Builder answer() {
        return PartySignResponse.newBuilder().setRequestId(1).setPartyAddr(TestKeys.account(1).address())
                .setStatus(SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED).addSignatures(SIG1)
                .setSignature(ByteString.copyFrom(new byte[64]));
    }

    private static String invalid(PartySignResponse r) {
        LedgerException e = assertThrows(LedgerException.class, () -> SignAnswers.validate(r, PARAMS));
        assertEquals(LedgerException.Code.INVALID_ARGUMENT, e.code());
        return e.getMessage();
    }

    @Test
    void malformedAnswersAreRefusedNamingTheField() {
        SignAnswers.validate(answer().build(), PARAMS);
        assertEquals("request_id is required", invalid(answer().setRequestId(0).build()));
        assertTrue(invalid(answer().setStatus(SignRequestStatus.SIGN_REQUEST_STATUS_PARTIAL).build()).startsWith("status"));
        assertTrue(invalid(answer().clearSignatures().build()).contains("has 0"));
        assertTrue(invalid(answer().setStatus(SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED).build())
                .contains("REJECTED answer carries no signatures"));
        assertTrue(invalid(answer().setSignatures(0, ByteString.copyFrom(new byte[63])).build())
                .startsWith("signatures[0] has 63 bytes"));
        assertTrue(invalid(answer().setSignature(ByteString.copyFrom(new byte[65])).build()).startsWith("signature must"));
        assertTrue(invalid(answer().setRejectReason("why").build()).contains("no reject_reason"));
        assertTrue(invalid(answer().setRejectReason("x".repeat(Inputs.MAX_REASON + 1))
                .setStatus(SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED).clearSignatures().build())
                .contains("reject_reason"));
        UnknownFieldSet extra = UnknownFieldSet.newBuilder()
                .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build();
        assertTrue(invalid(answer().setUnknownFields(extra).build()).contains("PartySignResponse"));
    }
}
