package io.keyfed.ledger.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

import com.google.protobuf.ByteString;

import io.keyfed.api.encoding.SignMessages;
import io.keyfed.api.ledger.v1.PartyFault;
import io.keyfed.api.ledger.v1.PartySignAnswer;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignRequestStatus;

/**
 * The ledger's rules for one authenticated party answer to a sign request (already checked: a snapshot party,
 * its in-token signature, and for FULFILLED every signature verified under the request's key), applied to the
 * stored request. Pure: no I/O, no clock.
 *
 * <ul>
 * <li>The same answer again (status, signatures, reason) is a no-op: {@link Effect#REPEAT}.</li>
 * <li>A different answer from a party that already answered is a fault against that party, recorded in
 * {@code faults} with a digest of the answer (so that its repeat is a no-op too); nothing else changes. One
 * fault per party is enough to name it: any further answer from a party with a fault is ignored like a
 * repeat, so a cheating party cannot grow the record without bound.</li>
 * <li>While open (PENDING, PARTIAL): FULFILLED fulfils, storing the signatures (and recovery ids). REJECTED is
 * recorded; the request becomes PARTIAL, and REJECTED once n − t + 1 distinct parties rejected (no t willing
 * parties remain).</li>
 * <li>After FULFILLED: a first answer of a party is recorded, with no change of status.</li>
 * </ul>
 */
final class SignAnswerRules {
    static final String SECOND_ANSWER = "sent a second, different answer";

    /** What an answer did. */
    enum Effect {
        /** The same answer again: nothing changes, nothing is logged. */
        REPEAT,
        /** Recorded (an answer after fulfilment, a fault) without a change of status. */
        RECORDED,
        PARTIAL,
        FULFILLED,
        REJECTED
    }

    /** The request after the answer, and a one-line outcome for the log. */
    record Step(Effect effect, SignRequest request, String outcome) {
    }

    private SignAnswerRules() {
    }

    /** Whether {@code answer} repeats an answer of its party already on the request (an accepted one or a fault). */
    static boolean repeats(SignRequest req, PartySignAnswer answer) {
        String party = answer.getCreator();
        String fault = faultReason(answer);
        return req.getKeyringPartySigsList().stream().anyMatch(s -> s.getCreator().equals(party) && same(s, answer))
                || req.getFaultsList().stream().anyMatch(f -> f.getParty().equals(party) && f.getReason().equals(fault));
    }

    /**
     * {@code stored} must be PENDING, PARTIAL or FULFILLED (a REJECTED request takes no answer).
     * {@code recoveryIds}: ECDSA, the recovery id of each signature of a FULFILLED answer; empty otherwise.
     */
    static Step apply(SignRequest stored, PartySignAnswer answer, List<Integer> recoveryIds) {
        String party = answer.getCreator();
        String id = Long.toUnsignedString(stored.getId());
        if (repeats(stored, answer)) {
            return new Step(Effect.REPEAT, stored, "sign request " + id + ": repeated identical answer from party "
                    + party + " ignored");
        }
        if (stored.getFaultsList().stream().anyMatch(f -> f.getParty().equals(party))) {
            return new Step(Effect.REPEAT, stored, "sign request " + id + ": further answer from party " + party
                    + " ignored: a fault is already recorded against it");
        }
        if (stored.getKeyringPartySigsList().stream().anyMatch(s -> s.getCreator().equals(party))) {
            String reason = faultReason(answer);
            List<PartyFault> faults = new ArrayList<>(stored.getFaultsList());
            faults.add(PartyFault.newBuilder().setParty(party).setReason(reason).build());
            faults.sort(Comparator.comparing(PartyFault::getParty));
            return new Step(Effect.RECORDED, stored.toBuilder().clearFaults().addAllFaults(faults).build(),
                    "sign request " + id + ": fault recorded against party " + party + ": " + reason);
        }
        SignRequest.Builder b = stored.toBuilder().addKeyringPartySigs(answer);
        boolean rejects = answer.getStatus() == SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED;
        if (stored.getStatus() == SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED) {
            return new Step(Effect.RECORDED, b.build(), "sign request " + id + ": answer " + (rejects ? "REJECTED"
                    : "FULFILLED") + " from party " + party + " recorded after fulfilment");
        }
        if (!rejects) {
            b.clearSignatures().addAllSignatures(answer.getSignaturesList()).clearRecoveryIds()
                    .addAllRecoveryIds(recoveryIds).setStatus(SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED);
            return new Step(Effect.FULFILLED, b.build(), "sign request " + id + " fulfilled by party " + party + " ("
                    + answer.getSignaturesCount() + " signatures verified)");
        }
        long rejected = b.getKeyringPartySigsList().stream()
                .filter(s -> s.getStatus() == SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED)
                .map(PartySignAnswer::getCreator).distinct().count();
        int n = stored.getPartiesCount();
        int t = stored.getPartyThreshold();
        String why = answer.getRejectReason().isEmpty() ? "no reason given" : answer.getRejectReason();
        if (rejected >= n - t + 1) {
            String reason = rejected + " of " + n + " parties rejected; no " + t + " willing parties remain";
            b.setStatus(SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED).setRejectReason(reason);
            return new Step(Effect.REJECTED, b.build(), "sign request " + id + " rejected: " + reason + " (last: party "
                    + party + ": " + why + ")");
        }
        b.setStatus(SignRequestStatus.SIGN_REQUEST_STATUS_PARTIAL);
        return new Step(Effect.PARTIAL, b.build(), "sign request " + id + " partial: " + rejected + " of " + n
                + " parties rejected, " + (n - t + 1) + " reject it (party " + party + ": " + why + ")");
    }

    private static boolean same(PartySignAnswer a, PartySignAnswer b) {
        return a.getStatus() == b.getStatus() && a.getSignaturesList().equals(b.getSignaturesList())
                && a.getRejectReason().equals(b.getRejectReason());
    }

    /** The fault reason of a second answer; names the answer by its status and reason or signatures' digest. */
    static String faultReason(PartySignAnswer a) {
        if (a.getStatus() == SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED) {
            return SECOND_ANSWER + " (REJECTED: " + (a.getRejectReason().isEmpty() ? "no reason given"
                    : a.getRejectReason()) + ")";
        }
        List<byte[]> sigs = a.getSignaturesList().stream().map(ByteString::toByteArray).toList();
        return SECOND_ANSWER + " (FULFILLED with " + sigs.size() + " other signatures, digest "
                + HexFormat.of().formatHex(SignMessages.hash(sigs)) + ")";
    }
}
