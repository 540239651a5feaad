package io.keyfed.connector.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.protobuf.ByteString;
import io.keyfed.api.ledger.v1.PartySignResponse;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignRequestStatus;
import org.junit.jupiter.api.Test;

class SignAnswerCheckTest {

    private static final ByteString SIG = ByteString.copyFrom(new byte[64]);
    private static final SignRequest REQUEST = SignRequest.newBuilder().setId(9)
            .addMessages(ByteString.copyFrom(new byte[32])).addMessages(ByteString.copyFrom(new byte[32])).build();

    private static PartySignResponse.Builder answer() {
        return PartySignResponse.newBuilder().setRequestId(9).setPartyAddr("zen1me")
                .setStatus(SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED)
                .addSignatures(SIG).addSignatures(SIG)
                .setSignature(SIG);
    }

    private static String check(PartySignResponse.Builder answer) {
        return SignRequestKind.checkAnswer(REQUEST, answer.build(), "zen1me");
    }

    @Test
    void aFulfilledAnswerWithOneSignaturePerMessageIsRelayed() {
        assertNull(check(answer()));
    }

    @Test
    void aRejectedAnswerWithoutSignaturesIsRelayed() {
        assertNull(check(answer().setStatus(SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED).clearSignatures()
                .setRejectReason("no share")));
    }

    @Test
    void anAnswerForAnotherRequestOrFromAnotherPartyIsNot() {
        assertEquals("answer is for sign request 10", check(answer().setRequestId(10)));
        assertEquals("answer is from zen1other, not from zen1me", check(answer().setPartyAddr("zen1other")));
    }

    @Test
    void anAnswerThatIsOpenUnsignedOrMiscountedIsNot() {
        assertEquals("answer status is SIGN_REQUEST_STATUS_PENDING",
                check(answer().setStatus(SignRequestStatus.SIGN_REQUEST_STATUS_PENDING)));
        assertEquals("answer is not signed", check(answer().clearSignature()));
        assertEquals("answer has 1 signatures for 2 messages",
                check(answer().clearSignatures().addSignatures(SIG)));
        assertEquals("signature 1 is 63 bytes, not 64",
                check(answer().setSignatures(1, ByteString.copyFrom(new byte[63]))));
    }
}
