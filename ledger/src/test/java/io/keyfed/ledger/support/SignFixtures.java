package io.keyfed.ledger.support;

import java.time.Duration;
import java.util.List;

import com.google.protobuf.ByteString;

import io.keyfed.api.encoding.SignMessages;
import io.keyfed.api.encoding.SignResponseSignBytes;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyRequestByIdRequest;
import io.keyfed.api.ledger.v1.Ledger;
import io.keyfed.api.ledger.v1.MsgNewKeyring;
import io.keyfed.api.ledger.v1.MsgNewSignatureRequest;
import io.keyfed.api.ledger.v1.PartySignResponse;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignRequestStatus;

/**
 * Sign requests made through real transactions: a workspace, a keyring, an ed25519 key fulfilled by its
 * parties (test keys standing in for the HSMs), then MsgNewSignatureRequest; and party answers signed as a
 * party signs them.
 */
public final class SignFixtures {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private SignFixtures() {
    }

    /** A FULFILLED ed25519 key of a new workspace of {@code owner} on a new keyring; its parties answered. */
    public record TestKey(long id, String workspace, String keyring) {
    }

    public static TestKey ed25519Key(Ledger ledger, TestKeys.TestAccount owner, TestKeys.TestAccount admin,
            int threshold, String sigReqFee, TestKeys.TestAccount... parties) {
        String ws = LedgerRest.newWorkspace(owner);
        MsgNewKeyring.Builder kb = Txs.newKeyring(threshold, "0", parties).toBuilder().setSigReqFee(sigReqFee);
        String kr = LedgerRest.submit(admin, b -> b.setNewKeyring(kb.build())).getString("created_address");
        long id = LedgerRest.newKeyRequest(owner, ws, kr, "ed25519", 0);
        KeyRequest req = ledger.getKeyRequest(KeyRequestByIdRequest.newBuilder().setId(id).build()).await().atMost(WAIT);
        byte[] pub = new byte[32];
        byte[] seed = new byte[32];
        seed[0] = (byte) id;
        seed[1] = (byte) (id >> 8);
        org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(seed, 0, pub, 0);
        for (TestKeys.TestAccount p : parties) {
            ledger.fulfilKeyRequest(Parties.fulfil(p, req, pub)).await().atMost(WAIT);
        }
        return new TestKey(id, ws, kr);
    }

    /** Submits MsgNewSignatureRequest for {@code key} and returns the new request's id (expects acceptance). */
    public static long newSignRequest(TestKeys.TestAccount owner, long keyId, long timeoutSeconds, byte[]... messages) {
        MsgNewSignatureRequest.Builder m = MsgNewSignatureRequest.newBuilder().setKeyId(keyId)
                .setTimeoutSeconds(timeoutSeconds);
        for (byte[] msg : messages) {
            m.addMessages(ByteString.copyFrom(msg));
        }
        return LedgerRest.submit(owner, b -> b.setNewSignatureRequest(m.build())).getLong("sign_request_id");
    }

    /** A REJECTED answer by {@code party}, signed over the sign-response bytes. */
    public static PartySignResponse reject(TestKeys.TestAccount party, SignRequest req, String reason) {
        List<byte[]> messages = req.getMessagesList().stream().map(ByteString::toByteArray).toList();
        byte[] bytes = SignResponseSignBytes.of(TestKeys.CHAIN_ID, req.getId(), req.getKeyringAddr(), req.getKeyId(),
                req.getKeyType(), req.getScheme(), req.getVerifyingKey().toByteArray(), SignMessages.hash(messages),
                party.address(), SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED, List.of(), reason);
        return PartySignResponse.newBuilder().setRequestId(req.getId()).setPartyAddr(party.address())
                .setStatus(SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED).setRejectReason(reason)
                .setSignature(ByteString.copyFrom(party.sign(bytes))).build();
    }
}
