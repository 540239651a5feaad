package io.keyfed.party.session;

import org.jboss.logging.Logger;

import com.google.protobuf.ByteString;

import io.keyfed.api.encoding.PartyResponseSignBytes;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.party.dkg.SessionId;
import io.keyfed.party.hsm.HsmToken;

/**
 * Signs this party's answers in its token, over the v2 sign bytes that bind the session id
 * ({@link PartyResponseSignBytes}), and brings a stored answer up to date before it is sent again (an answer
 * stored before v2 is re-signed with the same status, key and reason). Stateless apart from the token; a token
 * call blocks, so callers run on a worker thread.
 */
final class PartyAnswers {
    /** Logs under the manager's category. */
    private static final Logger LOG = Logger.getLogger(DkgSessionManager.class);

    private final HsmToken token;
    private final String self;

    PartyAnswers(HsmToken token, String self) {
        this.token = token;
        this.self = self;
    }

    /** This party's answer, signed in its token over the v2 bytes ({@link PartyResponseSignBytes}). */
    PartyResponse sign(SessionSpec spec, KeyRequestStatus status, byte[] publicKey, String reason) {
        byte[] sid = spec.sessionId().toBytes();
        byte[] bytes = PartyResponseSignBytes.of(spec.chainId(), spec.requestId(), spec.keyring(), spec.keyType(),
                self, status, publicKey, reason, sid);
        byte[] sig = token.signIdentity(bytes);
        return PartyResponse.newBuilder().setRequestId(spec.requestId()).setPartyAddr(self).setStatus(status)
                .setPublicKey(ByteString.copyFrom(publicKey)).setRejectReason(reason)
                .setSignature(ByteString.copyFrom(sig)).setSessionId(ByteString.copyFrom(sid)).build();
    }

    /**
     * A stored answer as it is sent again: one stored before the v2 sign bytes (no session id) is re-signed
     * under v2 with the same status, key and reason; a v2 answer is returned as it is.
     */
    PartyResponse current(SessionSpec spec, PartyResponse stored) {
        if (stored.getSessionId().size() == SessionId.LENGTH) {
            return stored;
        }
        LOG.infof("request %s: the stored answer was signed under %s; re-signed under %s", spec.requestIdText(),
                PartyResponseSignBytes.DOMAIN_V1, PartyResponseSignBytes.DOMAIN);
        return sign(spec, stored.getStatus(), stored.getPublicKey().toByteArray(), stored.getRejectReason());
    }
}
