package io.keyfed.party.session;

import java.util.Arrays;

import org.jboss.logging.Logger;

import io.grpc.Status;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.party.dkg.DkgAbort;
import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.CurveId;
import io.keyfed.party.dkg.curve.InvalidEncodingException;
import io.keyfed.party.dkg.pkg.PublicKeyPackage;
import io.keyfed.party.dkg.secret.SecretShare;
import io.keyfed.party.hsm.HsmException;
import io.keyfed.party.hsm.HsmToken;
import io.keyfed.party.store.ShareSealing;
import io.keyfed.party.store.StoredResult;

/**
 * Opens a stored sealed share inside the token and checks it against the stored verification share (the check
 * behind Keygen's stored answers and the admin share check), or unseals it for a signing session. Never returns or logs the share. Blocking (token).
 */
public final class StoredShares {
    private static final Logger LOG = Logger.getLogger(DkgSessionManager.class);

    private final HsmToken token;
    private final String self;

    public StoredShares(HsmToken token, String self) {
        this.token = token;
        this.self = self;
    }

    /**
     * s_i·G compared with the stored Y_i (and, for an active share, the package's group key with the answered one).
     * Opens pending and retired shares too. FAILED_PRECONDITION when the request has no share (answered REJECTED
     * before one existed), the blob does not open or the row is corrupt.
     */
    ShareCheck open(StoredResult r) {
        OpenedShare opened = unseal(r);
        try {
            SecretShare share = opened.share();
            PublicKeyPackage pkp = opened.publicKeys();
            Curve curve = pkp.curve();
            boolean matches = r.participantId() <= pkp.n()
                    && Arrays.equals(curve.encodePoint(curve.mulBase(share.value())),
                            pkp.verificationShareBytes(r.participantId()))
                    && (!r.fulfilled() || Arrays.equals(pkp.groupPublicKey(), r.response().getPublicKey().toByteArray()));
            return new ShareCheck(r.requestId(), r.participantId(), matches, r.shareState());
        } finally {
            opened.destroy();
        }
    }

    /**
     * The stored share unsealed in the token, with its public key package, for one session: the caller wipes it.
     * FAILED_PRECONDITION when the request has no share, the blob does not open or the row is corrupt.
     */
    public OpenedShare unseal(StoredResult r) {
        String rid = Long.toUnsignedString(r.requestId());
        if (!r.hasShare()) {
            throw new PartyException(Status.Code.FAILED_PRECONDITION, "request " + rid + " was answered "
                    + r.response().getStatus() + " on this party; it has no share");
        }
        KeyType keyType = KeyType.forNumber(r.keyType());
        CurveId curveId = SessionSpec.curveOf(keyType == null ? KeyType.UNRECOGNIZED : keyType);
        Curve curve = Curve.of(curveId);
        byte[] aad = ShareSealing.aad(r.requestId(), r.sessionId(), SessionSpec.curveName(curveId), r.keyType(), self);
        byte[] plain;
        try {
            plain = token.unseal(r.sealedShare(), aad);
        } catch (HsmException e) {
            LOG.errorf("request %s: the sealed share does not open: %s", rid, e.getMessage());
            throw new PartyException(e.kind() == HsmException.Kind.UNSEAL_FAILED ? Status.Code.FAILED_PRECONDITION
                    : Status.Code.INTERNAL, "sealed share for request " + rid + " does not open: " + e.getMessage());
        }
        SecretShare share = null;
        try {
            share = SecretShare.fromBytes(curve, r.participantId(), plain);
            PublicKeyPackage pkp = PublicKeyPackage.decode(curve, r.publicKeyPackage(), r.participantId());
            OpenedShare opened = new OpenedShare(share, pkp);
            share = null;
            return opened;
        } catch (InvalidEncodingException | DkgAbort e) {
            throw new PartyException(Status.Code.FAILED_PRECONDITION, "the stored result of request " + rid
                    + " is corrupt (its share or public key package does not decode)");
        } finally {
            Arrays.fill(plain, (byte) 0);
            if (share != null) {
                share.destroy();
            }
        }
    }
}
