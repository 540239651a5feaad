package io.keyfed.party.signing;

import java.util.List;

import com.google.protobuf.ByteString;

import io.keyfed.api.encoding.SignResponseSignBytes;
import io.keyfed.api.ledger.v1.PartySignResponse;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignRequestStatus;
import io.keyfed.party.hsm.HsmToken;

/**
 * Signs this party's answers to sign requests in its token, over {@link SignResponseSignBytes} (chain, request,
 * keyring, key, key type, scheme, verifying key, messages hash, party, status, signatures, reason). Stateless apart
 * from the token; a token call blocks, so callers run on a worker thread.
 */
final class SignAnswers {
    private final HsmToken token;
    private final String self;

    SignAnswers(HsmToken token, String self) {
        this.token = token;
        this.self = self;
    }

    PartySignResponse fulfilled(SignSpec spec, List<byte[]> signatures) {
        return sign(spec, SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED, signatures, "");
    }

    PartySignResponse rejected(SignSpec spec, String reason) {
        return sign(spec, SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED, List.of(), reason);
    }

    private PartySignResponse sign(SignSpec spec, SignRequestStatus status, List<byte[]> signatures, String reason) {
        SignRequest r = spec.request();
        byte[] bytes = SignResponseSignBytes.of(spec.chainId(), r.getId(), r.getKeyringAddr(), r.getKeyId(),
                r.getKeyType(), r.getScheme(), r.getVerifyingKey().toByteArray(), spec.messagesHash(), self, status,
                signatures, reason);
        PartySignResponse.Builder b = PartySignResponse.newBuilder().setRequestId(r.getId()).setPartyAddr(self)
                .setStatus(status).setRejectReason(reason)
                .setSignature(ByteString.copyFrom(token.signIdentity(bytes)));
        signatures.forEach(s -> b.addSignatures(ByteString.copyFrom(s)));
        return b.build();
    }
}
