package io.keyfed.connector.forward;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.protobuf.ByteString;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.PartyResponse;
import org.junit.jupiter.api.Test;

class AnswerCheckTest {

    private static final KeyRequest REQUEST = KeyRequest.newBuilder().setId(9).build();

    private static PartyResponse.Builder answer() {
        return PartyResponse.newBuilder().setRequestId(9).setPartyAddr("zen1me")
                .setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED)
                .setSignature(ByteString.copyFrom(new byte[64]));
    }

    @Test
    void aPlausibleAnswerIsRelayed() {
        assertNull(KeyRequestKind.checkAnswer(REQUEST, answer().build(), "zen1me"));
        assertNull(KeyRequestKind.checkAnswer(REQUEST,
                answer().setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED).build(), "zen1me"));
    }

    @Test
    void answersThatCannotBeThisOneAreNot() {
        assertNotNull(KeyRequestKind.checkAnswer(REQUEST, answer().setRequestId(10).build(), "zen1me"));
        assertNotNull(KeyRequestKind.checkAnswer(REQUEST, answer().setPartyAddr("zen1other").build(), "zen1me"));
        assertNotNull(KeyRequestKind.checkAnswer(REQUEST,
                answer().setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_PENDING).build(), "zen1me"));
        assertNotNull(KeyRequestKind.checkAnswer(REQUEST, answer().clearSignature().build(), "zen1me"));
    }
}
