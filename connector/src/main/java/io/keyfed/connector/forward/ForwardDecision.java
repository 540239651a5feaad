package io.keyfed.connector.forward;

import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.KeyringParty;
import io.keyfed.api.ledger.v1.PartySignAnswer;
import io.keyfed.api.ledger.v1.PartySignature;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignRequestStatus;
import java.util.List;

/**
 * Whether a streamed request should be handed to this connector's party. Pure: the in-process
 * de-duplication is {@link InFlightRegistry}'s job.
 */
public enum ForwardDecision {
    /** Open, in time, for our keyring, our party is in the snapshot and has not answered. */
    FORWARD,
    /** The event is about another keyring (the ledger filters; we trust nothing). */
    OTHER_KEYRING,
    /** FULFILLED, REJECTED or unspecified (for sign requests: anything but PENDING). */
    NOT_OPEN,
    /** Its deadline has passed; the ledger rejects and refunds it. */
    EXPIRED,
    /** Our party is not in the request's party snapshot. */
    NOT_A_PARTY,
    /** Our party's signature is already recorded on the request. */
    ALREADY_ANSWERED;

    public static ForwardDecision decide(KeyRequest request, String keyringAddr, String partyAddr, long nowMillis) {
        if (!request.getKeyringAddr().equals(keyringAddr)) {
            return OTHER_KEYRING;
        }
        KeyRequestStatus status = request.getStatus();
        if (status != KeyRequestStatus.KEY_REQUEST_STATUS_PENDING
                && status != KeyRequestStatus.KEY_REQUEST_STATUS_PARTIAL) {
            return NOT_OPEN;
        }
        long deadline = request.getDeadlineUnixMs();
        if (deadline > 0 && nowMillis >= deadline) {
            return EXPIRED;
        }
        if (request.getPartiesCount() > 0 && !inSnapshot(request.getPartiesList(), partyAddr)) {
            return NOT_A_PARTY;
        }
        for (PartySignature sig : request.getKeyringPartySigsList()) {
            if (sig.getCreator().equals(partyAddr)) {
                return ALREADY_ANSWERED;
            }
        }
        return FORWARD;
    }

    /**
     * For a sign request: PENDING or PARTIAL (some party answered REJECTED, the others can still sign), and a request whose snapshot (the key's
     * parties) does not list this party, or lists none, is not forwarded.
     */
    public static ForwardDecision decide(SignRequest request, String keyringAddr, String partyAddr, long nowMillis) {
        if (!request.getKeyringAddr().equals(keyringAddr)) {
            return OTHER_KEYRING;
        }
        if (request.getStatus() != SignRequestStatus.SIGN_REQUEST_STATUS_PENDING
                && request.getStatus() != SignRequestStatus.SIGN_REQUEST_STATUS_PARTIAL) {
            return NOT_OPEN;
        }
        long deadline = request.getDeadlineUnixMs();
        if (deadline > 0 && nowMillis >= deadline) {
            return EXPIRED;
        }
        if (!inSnapshot(request.getPartiesList(), partyAddr)) {
            return NOT_A_PARTY;
        }
        for (PartySignAnswer answer : request.getKeyringPartySigsList()) {
            if (answer.getCreator().equals(partyAddr)) {
                return ALREADY_ANSWERED;
            }
        }
        return FORWARD;
    }

    private static boolean inSnapshot(List<KeyringParty> parties, String partyAddr) {
        for (KeyringParty party : parties) {
            if (party.getAddress().equals(partyAddr)) {
                return true;
            }
        }
        return false;
    }
}
