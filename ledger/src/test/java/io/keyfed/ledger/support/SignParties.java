package io.keyfed.ledger.support;

import java.util.List;

import com.google.protobuf.ByteString;

import io.keyfed.api.encoding.SignMessages;
import io.keyfed.api.encoding.SignResponseSignBytes;
import io.keyfed.api.ledger.v1.PartySignResponse;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignRequestStatus;

/** Party answers to sign requests, signed with software test keys standing in for the parties' HSMs. */
public final class SignParties {
    private SignParties() {
    }

    /** FULFILLED with {@code signer}'s signature of each message of the request. */
    public static PartySignResponse fulfil(TestKeys.TestAccount party, SignRequest req, TestSigner signer) {
        return answer(party, req, SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED,
                req.getMessagesList().stream().map(m -> signer.sign(m.toByteArray())).toList(), "");
    }

    public static PartySignResponse reject(TestKeys.TestAccount party, SignRequest req, String reason) {
        return answer(party, req, SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED, List.of(), reason);
    }

    /** An answer with the party's valid signature over the sign bytes of exactly these fields. */
    public static PartySignResponse answer(TestKeys.TestAccount party, SignRequest req, SignRequestStatus status,
            List<byte[]> signatures, String reason) {
        byte[] bytes = SignResponseSignBytes.of(TestKeys.CHAIN_ID, req.getId(), req.getKeyringAddr(), req.getKeyId(),
                req.getKeyType(), req.getScheme(), req.getVerifyingKey().toByteArray(),
                SignMessages.hash(req.getMessagesList().stream().map(ByteString::toByteArray).toList()), party.address(),
                status, signatures, reason);
        return PartySignResponse.newBuilder()
                .setRequestId(req.getId())
                .setPartyAddr(party.address())
                .setStatus(status)
                .addAllSignatures(signatures.stream().map(ByteString::copyFrom).toList())
                .setRejectReason(reason)
                .setSignature(ByteString.copyFrom(party.sign(bytes)))
                .build();
    }
}
