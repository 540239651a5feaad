package io.keyfed.connector.fake;

import com.google.protobuf.ByteString;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.KeyringParty;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignRequestStatus;
import io.keyfed.api.ledger.v1.SignatureScheme;

/**
 * The same in-test ledger and party, with one open sign request (id {@link #PRELOADED_SIGN_REQUEST}) already in
 * the ledger when the connector starts.
 */
public class SignBackends extends FakeBackends {

    public static final long PRELOADED_SIGN_REQUEST = 1;

    /** An open sign request of the test keyring for two 32-byte digests, snapshot this party and one other, t = 2. */
    public static SignRequest pendingSign(long id) {
        return SignRequest.newBuilder()
                .setId(id)
                .setCreator("zen1owner")
                .setKeyId(7)
                .setWorkspaceAddr("workspace1fake")
                .setKeyringAddr(KEYRING)
                .setKeyType(KeyType.KEY_TYPE_EDDSA_ED25519)
                .setScheme(SignatureScheme.SIGNATURE_SCHEME_ED25519)
                .addMessages(ByteString.copyFrom(new byte[32]))
                .addMessages(ByteString.copyFrom(new byte[] {1, 2, 3}))
                .setVerifyingKey(ByteString.copyFrom(new byte[32]))
                .setStatus(SignRequestStatus.SIGN_REQUEST_STATUS_PENDING)
                .setFee("200")
                .addParties(KeyringParty.newBuilder().setAddress(FakeParty.ADDRESS))
                .addParties(KeyringParty.newBuilder().setAddress(OTHER_PARTY))
                .setPartyThreshold(2)
                .setDeadlineUnixMs(System.currentTimeMillis() + 120_000)
                .build();
    }

    @Override
    protected void preload(FakeLedger ledger) {
        ledger.signs().emit(pendingSign(PRELOADED_SIGN_REQUEST), "");
    }
}
