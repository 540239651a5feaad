package io.keyfed.ledger.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.KeyTally;
import io.keyfed.api.ledger.v1.PartyFault;
import io.keyfed.api.ledger.v1.PartySignature;

/**
 * The ledger's rules for one authenticated party answer (already checked: a snapshot party, its signature,
 * this request's session), applied to the stored request. Pure: no I/O, no clock.
 *
 * <p>While the request is open (PENDING or PARTIAL):
 * <ul>
 * <li>a REJECTED answer rejects the request (a party that could not get a valid share can stop a key it
 * would not hold);</li>
 * <li>a FULFILLED answer adds its party to the {@code tally} entry of its key. When one key has t answers the
 * request is FULFILLED with that key; its parties are the first {@code holders}, and every party that reported
 * another key gets a fault. When no key can still reach t (best tally + parties yet to answer &lt; t) the
 * request is REJECTED with the tally in its reason and no one is blamed: "no single culprit".</li>
 * </ul>
 * After FULFILLED, a party's first answer changes no status and no balance: the recorded key makes it a
 * holder (attestation), another key is a fault against it, REJECTED makes it a non-holder.
 *
 * <p>In any state, the same answer again (status, key, reason) is a no-op, and a different second answer from
 * a party is a fault against that party only. Every answer that is not a no-op is appended to
 * {@code keyring_party_sigs}, so the record keeps the signed evidence of each holder and each fault.
 */
final class AnswerRules {
    static final String OTHER_KEY = "reported a key other than the fulfilled one";
    static final String NO_CULPRIT = "no single culprit";

    /** What an answer did. */
    enum Effect {
        /** The same answer again: nothing changes, nothing is logged. */
        REPEAT,
        /** Recorded (attestation, non-holder, fault) without a change of status. */
        RECORDED,
        PARTIAL,
        FULFILLED,
        REJECTED
    }

    /** The request after the answer, and a one-line outcome for the log. */
    record Step(Effect effect, KeyRequest request, String outcome) {
    }

    private AnswerRules() {
    }

    /** Whether {@code answer} repeats an answer of its party already on the request. */
    static boolean repeats(KeyRequest req, PartySignature answer) {
        return upgraded(req).getKeyringPartySigsList().stream()
                .anyMatch(s -> s.getCreator().equals(answer.getCreator()) && sameAnswer(s, answer));
    }

    /**
     * A request fulfilled before holders and the tally were recorded, as the rules see it: its answers were
     * all FULFILLED for its key (a mismatch rejected the request then), so each gets that key and its party
     * is a holder. Any other request is returned as it is.
     */
    static KeyRequest upgraded(KeyRequest req) {
        if (req.getStatus() != KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED || req.getTallyCount() > 0
                || req.getHoldersCount() > 0) {
            return req;
        }
        KeyRequest.Builder b = req.toBuilder().clearKeyringPartySigs();
        TreeSet<String> holders = new TreeSet<>();
        for (PartySignature s : req.getKeyringPartySigsList()) {
            if (s.getStatus() == KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED && s.getPublicKey().isEmpty()) {
                s = s.toBuilder().setPublicKey(req.getPublicKey()).build();
            }
            if (s.getStatus() == KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED
                    && s.getPublicKey().equals(req.getPublicKey())) {
                holders.add(s.getCreator());
            }
            b.addKeyringPartySigs(s);
        }
        return b.addAllHolders(holders).build();
    }

    private static boolean answeredBefore(KeyRequest req, String party) {
        return req.getKeyringPartySigsList().stream().anyMatch(s -> s.getCreator().equals(party));
    }

    /** {@code stored} must be PENDING, PARTIAL or FULFILLED (a REJECTED request takes no answer). */
    static Step apply(KeyRequest stored, PartySignature answer) {
        KeyRequest req = upgraded(stored);
        String party = answer.getCreator();
        String id = Long.toUnsignedString(req.getId());
        if (repeats(req, answer)) {
            return new Step(Effect.REPEAT, req, "key request " + id + ": repeated identical response from party "
                    + party + " ignored");
        }
        if (answeredBefore(req, party) && req.getFaultsList().stream().anyMatch(f -> f.getParty().equals(party))) {
            // One fault names the party; ignoring its further answers keeps the record bounded (at most an
            // answer and a fault per party), whatever a cheating party sends.
            return new Step(Effect.REPEAT, req, "key request " + id + ": further answer from party " + party
                    + " ignored: a fault is already recorded against it");
        }
        KeyRequest.Builder b = req.toBuilder().addKeyringPartySigs(answer);
        boolean answeredBefore = req.getKeyringPartySigsList().stream().anyMatch(s -> s.getCreator().equals(party));
        if (answeredBefore) {
            String reason = "sent a second, different answer (" + describe(answer) + ")";
            return recorded(addFault(b, party, reason), "key request " + id + ": fault recorded against party "
                    + party + ": " + reason);
        }
        if (req.getStatus() == KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED) {
            return afterFulfilment(req, b, answer, id);
        }
        if (answer.getStatus() == KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED) {
            String reason = "party " + party + " rejected: "
                    + (answer.getRejectReason().isEmpty() ? "no reason given" : answer.getRejectReason());
            return rejected(b, reason, id);
        }
        return tallied(req, b, answer, id);
    }

    private static Step afterFulfilment(KeyRequest req, KeyRequest.Builder b, PartySignature answer, String id) {
        String party = answer.getCreator();
        if (answer.getStatus() == KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED) {
            b.clearNonHolders().addAllNonHolders(sortedWith(req.getNonHoldersList(), party));
            return recorded(b, "key request " + id + ": party " + party + " holds no share of the key (non-holder): "
                    + (answer.getRejectReason().isEmpty() ? "no reason given" : answer.getRejectReason()));
        }
        if (answer.getPublicKey().equals(req.getPublicKey())) {
            List<String> holders = sortedWith(req.getHoldersList(), party);
            b.clearHolders().addAllHolders(holders);
            return recorded(b, "key request " + id + ": holder attestation from party " + party + " (" + holders.size()
                    + " of " + req.getPartiesCount() + " parties hold the key)");
        }
        String reason = OTHER_KEY + " (" + hex(answer.getPublicKey().toByteArray()) + ")";
        return recorded(addFault(b, party, reason), "key request " + id + ": fault recorded against party " + party
                + ": " + reason);
    }

    /** A FULFILLED first answer while the request is open. */
    private static Step tallied(KeyRequest req, KeyRequest.Builder b, PartySignature answer, String id) {
        List<KeyTally> tally = new ArrayList<>(req.getTallyList());
        int at = -1;
        for (int i = 0; i < tally.size(); i++) {
            if (tally.get(i).getPublicKey().equals(answer.getPublicKey())) {
                at = i;
            }
        }
        if (at < 0) {
            tally.add(KeyTally.newBuilder().setPublicKey(answer.getPublicKey()).addParties(answer.getCreator()).build());
            at = tally.size() - 1;
        } else {
            tally.set(at, tally.get(at).toBuilder().clearParties()
                    .addAllParties(sortedWith(tally.get(at).getPartiesList(), answer.getCreator())).build());
        }
        b.clearTally().addAllTally(tally);
        KeyTally mine = tally.get(at);
        int t = req.getPartyThreshold();
        if (mine.getPartiesCount() >= t) {
            b.setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED).setPublicKey(mine.getPublicKey())
                    .clearHolders().addAllHolders(mine.getPartiesList());
            List<PartyFault> faults = new ArrayList<>(b.getFaultsList());
            for (int i = 0; i < tally.size(); i++) {
                KeyTally other = tally.get(i);
                if (i != at) {
                    for (String p : other.getPartiesList()) {
                        faults.add(fault(p, OTHER_KEY + " (" + hex(other.getPublicKey().toByteArray()) + ")"));
                    }
                }
            }
            faults.sort(Comparator.comparing(PartyFault::getParty));
            b.clearFaults().addAllFaults(faults);
            String blamed = faults.isEmpty() ? "" : "; faults recorded against "
                    + faults.stream().map(PartyFault::getParty).distinct().toList();
            return new Step(Effect.FULFILLED, b.build(), "key request " + id + " fulfilled by " + mine.getPartiesCount()
                    + " of " + req.getPartiesCount() + " parties" + blamed);
        }
        long answered = b.getKeyringPartySigsList().stream().map(PartySignature::getCreator).distinct().count();
        long toCome = req.getPartiesCount() - answered;
        int best = tally.stream().mapToInt(KeyTally::getPartiesCount).max().orElse(0);
        if (best + toCome < t) {
            return rejected(b, "no key can still reach the threshold " + t + " (" + describe(tally) + "; " + toCome
                    + " parties still to answer): " + NO_CULPRIT, id);
        }
        b.setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_PARTIAL);
        return new Step(Effect.PARTIAL, b.build(), "key request " + id + " partial: " + mine.getPartiesCount()
                + " of threshold " + t + " for key " + hex(mine.getPublicKey().toByteArray()) + " (party "
                + answer.getCreator() + ")");
    }

    private static Step rejected(KeyRequest.Builder b, String reason, String id) {
        b.setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED).setRejectReason(reason);
        return new Step(Effect.REJECTED, b.build(), "key request " + id + " rejected: " + reason);
    }

    private static Step recorded(KeyRequest.Builder b, String outcome) {
        return new Step(Effect.RECORDED, b.build(), outcome);
    }

    private static KeyRequest.Builder addFault(KeyRequest.Builder b, String party, String reason) {
        List<PartyFault> faults = new ArrayList<>(b.getFaultsList());
        faults.add(fault(party, reason));
        faults.sort(Comparator.comparing(PartyFault::getParty));
        return b.clearFaults().addAllFaults(faults);
    }

    private static PartyFault fault(String party, String reason) {
        return PartyFault.newBuilder().setParty(party).setReason(reason).build();
    }

    private static boolean sameAnswer(PartySignature a, PartySignature b) {
        return a.getStatus() == b.getStatus() && a.getPublicKey().equals(b.getPublicKey())
                && a.getRejectReason().equals(b.getRejectReason());
    }

    private static List<String> sortedWith(List<String> parties, String party) {
        TreeSet<String> s = new TreeSet<>(parties);
        s.add(party);
        return List.copyOf(s);
    }

    private static String describe(PartySignature a) {
        return a.getStatus() == KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED ? "REJECTED"
                : "FULFILLED with key " + hex(a.getPublicKey().toByteArray());
    }

    /** "tally key 02ab..: [zen1a, zen1b], key 03cd..: [zen1c]" */
    private static String describe(List<KeyTally> tally) {
        return "tally " + String.join(", ", tally.stream().map(k -> "key " + hex(k.getPublicKey().toByteArray()) + ": "
                + k.getPartiesList()).toList());
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
