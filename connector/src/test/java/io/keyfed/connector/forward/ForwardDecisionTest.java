package io.keyfed.connector.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.KeyringParty;
import io.keyfed.api.ledger.v1.PartySignature;
import org.junit.jupiter.api.Test;

class ForwardDecisionTest {

    private static final String KEYRING = "keyring1abc";
    private static final String ME = "zen1me";
    private static final String OTHER = "zen1other";
    private static final long NOW = 1_700_000_000_000L;

    private static KeyRequest.Builder open() {
        return KeyRequest.newBuilder()
                .setId(7)
                .setKeyringAddr(KEYRING)
                .setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_PENDING)
                .setDeadlineUnixMs(NOW + 60_000)
                .addParties(KeyringParty.newBuilder().setAddress(ME))
                .addParties(KeyringParty.newBuilder().setAddress(OTHER))
                .setPartyThreshold(2);
    }

    private static ForwardDecision decide(KeyRequest.Builder request) {
        return ForwardDecision.decide(request.build(), KEYRING, ME, NOW);
    }

    @Test
    void pendingAndPartialRequestsAreForwarded() {
        assertEquals(ForwardDecision.FORWARD, decide(open()));
        assertEquals(ForwardDecision.FORWARD, decide(open().setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_PARTIAL)
                .addKeyringPartySigs(PartySignature.newBuilder().setCreator(OTHER))));
    }

    @Test
    void finalRequestsAreNot() {
        assertEquals(ForwardDecision.NOT_OPEN, decide(open().setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED)));
        assertEquals(ForwardDecision.NOT_OPEN, decide(open().setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED)));
        assertEquals(ForwardDecision.NOT_OPEN,
                decide(open().setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_UNSPECIFIED)));
    }

    @Test
    void expiredRequestsAreNot() {
        assertEquals(ForwardDecision.EXPIRED, decide(open().setDeadlineUnixMs(NOW)));
        assertEquals(ForwardDecision.EXPIRED, decide(open().setDeadlineUnixMs(NOW - 1)));
        assertEquals(ForwardDecision.FORWARD, decide(open().setDeadlineUnixMs(NOW + 1)));
    }

    @Test
    void aRequestWithoutDeadlineIsForwarded() {
        assertEquals(ForwardDecision.FORWARD, decide(open().setDeadlineUnixMs(0)));
    }

    @Test
    void aRequestThisPartyAnsweredIsNot() {
        assertEquals(ForwardDecision.ALREADY_ANSWERED, decide(open()
                .setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_PARTIAL)
                .addKeyringPartySigs(PartySignature.newBuilder().setCreator(ME)
                        .setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED))));
    }

    @Test
    void otherKeyringsAndForeignSnapshotsAreNot() {
        assertEquals(ForwardDecision.OTHER_KEYRING, decide(open().setKeyringAddr("keyring1zzz")));
        assertEquals(ForwardDecision.NOT_A_PARTY, decide(open().clearParties()
                .addParties(KeyringParty.newBuilder().setAddress(OTHER))));
    }

    @Test
    void anEmptySnapshotDoesNotBlockForwarding() {
        assertEquals(ForwardDecision.FORWARD, decide(open().clearParties()));
    }
}
