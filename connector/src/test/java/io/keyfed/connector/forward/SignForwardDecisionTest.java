package io.keyfed.connector.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keyfed.api.ledger.v1.KeyringParty;
import io.keyfed.api.ledger.v1.PartySignAnswer;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignRequestStatus;
import org.junit.jupiter.api.Test;

class SignForwardDecisionTest {

    private static final String KEYRING = "keyring1abc";
    private static final String ME = "zen1me";
    private static final String OTHER = "zen1other";
    private static final long NOW = 1_700_000_000_000L;

    private static SignRequest.Builder pending() {
        return SignRequest.newBuilder()
                .setId(7)
                .setKeyringAddr(KEYRING)
                .setStatus(SignRequestStatus.SIGN_REQUEST_STATUS_PENDING)
                .setDeadlineUnixMs(NOW + 60_000)
                .addParties(KeyringParty.newBuilder().setAddress(ME))
                .addParties(KeyringParty.newBuilder().setAddress(OTHER))
                .setPartyThreshold(2);
    }

    private static ForwardDecision decide(SignRequest.Builder request) {
        return ForwardDecision.decide(request.build(), KEYRING, ME, NOW);
    }

    @Test
    void aPendingSignRequestOfThisPartyIsForwarded() {
        assertEquals(ForwardDecision.FORWARD, decide(pending()));
        assertEquals(ForwardDecision.FORWARD, decide(pending().setDeadlineUnixMs(0)));
    }

    @Test
    void aPartialSignRequestIsStillForwarded() {
        assertEquals(ForwardDecision.FORWARD, decide(pending().setStatus(SignRequestStatus.SIGN_REQUEST_STATUS_PARTIAL)));
    }

    @Test
    void finalStatusesAreNotForwarded() {
        for (SignRequestStatus status : new SignRequestStatus[] {
                SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED, SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED,
                SignRequestStatus.SIGN_REQUEST_STATUS_UNSPECIFIED}) {
            assertEquals(ForwardDecision.NOT_OPEN, decide(pending().setStatus(status)), status.name());
        }
    }

    @Test
    void aSignRequestPastItsDeadlineIsNotForwarded() {
        assertEquals(ForwardDecision.EXPIRED, decide(pending().setDeadlineUnixMs(NOW)));
        assertEquals(ForwardDecision.FORWARD, decide(pending().setDeadlineUnixMs(NOW + 1)));
    }

    @Test
    void aSignRequestWhoseSnapshotLacksThisPartyIsNotForwarded() {
        assertEquals(ForwardDecision.NOT_A_PARTY, decide(pending().clearParties()
                .addParties(KeyringParty.newBuilder().setAddress(OTHER))));
        assertEquals(ForwardDecision.NOT_A_PARTY, decide(pending().clearParties()), "no snapshot, no party");
    }

    @Test
    void aSignRequestOfAnotherKeyringOrAlreadyAnsweredIsNotForwarded() {
        assertEquals(ForwardDecision.OTHER_KEYRING, decide(pending().setKeyringAddr("keyring1zzz")));
        assertEquals(ForwardDecision.ALREADY_ANSWERED, decide(pending()
                .addKeyringPartySigs(PartySignAnswer.newBuilder().setCreator(ME)
                        .setStatus(SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED))));
        assertEquals(ForwardDecision.FORWARD, decide(pending()
                .addKeyringPartySigs(PartySignAnswer.newBuilder().setCreator(OTHER)
                        .setStatus(SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED))));
    }
}
