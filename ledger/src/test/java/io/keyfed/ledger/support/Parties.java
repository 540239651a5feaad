package io.keyfed.ledger.support;

import com.google.protobuf.ByteString;

import io.keyfed.api.encoding.DkgSessionId;
import io.keyfed.api.encoding.PartyResponseSignBytes;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.PartyResponse;

/** Party responses signed with software test keys, standing in for the parties' HSMs. */
public final class Parties {
    private Parties() {
    }

    public static PartyResponse fulfil(TestKeys.TestAccount party, KeyRequest req, byte[] publicKey) {
        return response(party, req, KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, publicKey, "");
    }

    public static PartyResponse reject(TestKeys.TestAccount party, KeyRequest req, String reason) {
        return response(party, req, KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED, new byte[0], reason);
    }

    public static PartyResponse response(TestKeys.TestAccount party, KeyRequest req, KeyRequestStatus status,
            byte[] publicKey, String reason) {
        return response(party, req, status, publicKey, reason, sessionId(req));
    }

    /** The session id the ledger derives for {@code req} (its snapshot and threshold, this test chain). */
    public static byte[] sessionId(KeyRequest req) {
        return DkgSessionId.derive(TestKeys.CHAIN_ID, req.getId(), req.getKeyringAddr(), req.getKeyTypeValue(),
                req.getPartiesList().stream().map(p -> p.getAddress()).toList(), req.getPartyThreshold());
    }

    /** An answer signed for {@code sessionId}, which may be another session's. */
    public static PartyResponse response(TestKeys.TestAccount party, KeyRequest req, KeyRequestStatus status,
            byte[] publicKey, String reason, byte[] sessionId) {
        byte[] msg = PartyResponseSignBytes.of(TestKeys.CHAIN_ID, req.getId(), req.getKeyringAddr(), req.getKeyType(),
                party.address(), status, publicKey, reason, sessionId);
        return PartyResponse.newBuilder()
                .setRequestId(req.getId())
                .setPartyAddr(party.address())
                .setStatus(status)
                .setPublicKey(ByteString.copyFrom(publicKey))
                .setRejectReason(reason)
                .setSignature(ByteString.copyFrom(party.sign(msg)))
                .setSessionId(ByteString.copyFrom(sessionId))
                .build();
    }
}
