package io.keyfed.ledger.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.KeyringParty;
import io.keyfed.api.ledger.v1.PartyFault;
import io.keyfed.api.ledger.v1.PartySignature;

/** The answer rules over every order of arrival: one cheat among honest parties never gets them blamed. */
class AnswerRulesTest {
    private static final ByteString REAL = ByteString.copyFromUtf8("real-key");
    private static final ByteString BOGUS = ByteString.copyFromUtf8("bogus-key");
    private static final List<String> PARTIES = List.of("zen1a", "zen1b", "zen1c", "zen1d");

    private static KeyRequest request(int n, int t) {
        KeyRequest.Builder b = KeyRequest.newBuilder().setId(1).setPartyThreshold(t)
                .setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_PENDING);
        PARTIES.subList(0, n).forEach(p -> b.addParties(KeyringParty.newBuilder().setAddress(p)));
        return b.build();
    }

    private static PartySignature fulfilled(String party, ByteString key) {
        return PartySignature.newBuilder().setCreator(party).setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED)
                .setPublicKey(key).build();
    }

    private static void permutations(List<String> rest, List<String> prefix, List<List<String>> out) {
        if (rest.isEmpty()) {
            out.add(prefix);
        }
        for (String p : rest) {
            List<String> r = new ArrayList<>(rest);
            r.remove(p);
            List<String> q = new ArrayList<>(prefix);
            q.add(p);
            permutations(r, q, out);
        }
    }

    @Test
    void aCheatWithABogusKeyIsTheOnlyPartyEverBlamedInAnyOrderOfArrival() {
        int delivered = 0;
        for (int[] nt : new int[][] {{3, 2}, {4, 3}, {4, 2}}) {
            int n = nt[0];
            List<List<String>> orders = new ArrayList<>();
            permutations(PARTIES.subList(0, n), List.of(), orders);
            for (List<String> order : orders) {
                KeyRequest req = request(n, nt[1]);
                for (String p : order) {
                    if (req.getStatus() == KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED) {
                        break;
                    }
                    boolean cheat = p.equals("zen1c");
                    delivered += cheat ? 1 : 0;
                    req = AnswerRules.apply(req, fulfilled(p, cheat ? BOGUS : REAL)).request();
                }
                assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, req.getStatus(), order + " " + nt[0]
                        + "/" + nt[1] + ": " + req.getRejectReason());
                assertEquals(REAL, req.getPublicKey());
                assertEquals(List.of("zen1c"), req.getFaultsList().stream().map(PartyFault::getParty).toList(),
                        "order " + order);
                assertTrue(req.getHoldersList().stream().noneMatch("zen1c"::equals));
                assertEquals(n - 1, req.getHoldersCount(), "every honest answer is a holder, order " + order);
            }
        }
        assertTrue(delivered > 0, "the cheat never answered");
    }

    @Test
    void aPartyWithAFaultCannotGrowTheRecordWithFurtherAnswers() {
        KeyRequest req = AnswerRules.apply(request(3, 2), fulfilled("zen1a", REAL)).request();
        req = AnswerRules.apply(req, fulfilled("zen1a", BOGUS)).request();
        assertEquals(1, req.getFaultsCount());
        int recorded = req.getKeyringPartySigsCount();
        for (int i = 0; i < 5; i++) {
            AnswerRules.Step step = AnswerRules.apply(req, fulfilled("zen1a", ByteString.copyFromUtf8("other-" + i)));
            assertEquals(AnswerRules.Effect.REPEAT, step.effect(), "further answer " + i);
            req = step.request();
        }
        assertEquals(1, req.getFaultsCount());
        assertEquals(recorded, req.getKeyringPartySigsCount());
        // the other parties' answers still count
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED,
                AnswerRules.apply(req, fulfilled("zen1b", REAL)).request().getStatus());
    }

    @Test
    void aRepeatedAnswerIsANoOpInEveryState() {
        KeyRequest req = AnswerRules.apply(request(3, 2), fulfilled("zen1a", REAL)).request();
        assertEquals(AnswerRules.Effect.REPEAT, AnswerRules.apply(req, fulfilled("zen1a", REAL)).effect());
        req = AnswerRules.apply(req, fulfilled("zen1b", REAL)).request();
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, req.getStatus());
        assertEquals(AnswerRules.Effect.REPEAT, AnswerRules.apply(req, fulfilled("zen1b", REAL)).effect());
        req = AnswerRules.apply(req, fulfilled("zen1c", REAL)).request();
        assertEquals(AnswerRules.Effect.REPEAT, AnswerRules.apply(req, fulfilled("zen1c", REAL)).effect());
        assertEquals(List.of("zen1a", "zen1b", "zen1c"), req.getHoldersList());
    }

    @Test
    void aRequestFulfilledBeforeHoldersWereRecordedListsItsFulfillingPartiesAndTakesAttestations() {
        // as stored by the earlier rules: FULFILLED, two answers without key or session id, no holders, no tally
        KeyRequest legacy = request(3, 2).toBuilder().setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED)
                .setPublicKey(REAL)
                .addKeyringPartySigs(PartySignature.newBuilder().setCreator("zen1b")
                        .setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED))
                .addKeyringPartySigs(PartySignature.newBuilder().setCreator("zen1a")
                        .setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED))
                .build();
        assertEquals(List.of("zen1a", "zen1b"), HolderView.shown(legacy, 0).getHoldersList());
        assertEquals(AnswerRules.Effect.REPEAT, AnswerRules.apply(legacy, fulfilled("zen1a", REAL)).effect(),
                "a fulfilling party's answer again is no fault");
        AnswerRules.Step attested = AnswerRules.apply(legacy, fulfilled("zen1c", REAL));
        assertEquals(AnswerRules.Effect.RECORDED, attested.effect());
        assertEquals(List.of("zen1a", "zen1b", "zen1c"), attested.request().getHoldersList());
        assertTrue(attested.request().getFaultsList().isEmpty());
    }
}
