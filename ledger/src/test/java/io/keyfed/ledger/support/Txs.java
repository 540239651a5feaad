package io.keyfed.ledger.support;

import java.util.Base64;

import com.google.protobuf.ByteString;

import io.keyfed.api.encoding.TxSignBytes;
import io.keyfed.api.ledger.v1.KeyringParty;
import io.keyfed.api.ledger.v1.MsgNewKeyRequest;
import io.keyfed.api.ledger.v1.MsgNewKeyring;
import io.keyfed.api.ledger.v1.MsgNewWorkspace;
import io.keyfed.api.ledger.v1.MsgSend;
import io.keyfed.api.ledger.v1.TxBody;
import io.keyfed.api.ledger.v1.TxRaw;

/** Builds signed transactions the way a client does. */
public final class Txs {
    private Txs() {
    }

    public static TxBody.Builder body(TestKeys.TestAccount from, long sequence) {
        return TxBody.newBuilder().setChainId(TestKeys.CHAIN_ID).setPublicKey(ByteString.copyFrom(from.publicKey()))
                .setSequence(sequence);
    }

    public static byte[] sign(TestKeys.TestAccount from, byte[] bodyBytes) {
        return TxRaw.newBuilder().setBodyBytes(ByteString.copyFrom(bodyBytes))
                .setSignature(ByteString.copyFrom(from.sign(TxSignBytes.of(bodyBytes)))).build().toByteArray();
    }

    public static byte[] sign(TestKeys.TestAccount from, TxBody body) {
        return sign(from, body.toByteArray());
    }

    public static String base64(byte[] tx) {
        return Base64.getEncoder().encodeToString(tx);
    }

    public static String json(byte[] tx) {
        return "{\"tx_bytes\":\"" + base64(tx) + "\"}";
    }

    public static MsgSend send(String to, String amount) {
        return MsgSend.newBuilder().setToAddress(to).setAmount(amount).build();
    }

    public static MsgNewWorkspace newWorkspace(String... additionalOwners) {
        return MsgNewWorkspace.newBuilder().addAllAdditionalOwners(java.util.List.of(additionalOwners)).build();
    }

    public static KeyringParty party(TestKeys.TestAccount p) {
        return KeyringParty.newBuilder().setAddress(p.address()).setPublicKey(ByteString.copyFrom(p.publicKey())).build();
    }

    public static MsgNewKeyring newKeyring(int threshold, String fee, TestKeys.TestAccount... parties) {
        MsgNewKeyring.Builder b = MsgNewKeyring.newBuilder().setDescription("test keyring").setPartyThreshold(threshold)
                .setKeyReqFee(fee).setSigReqFee("0");
        for (TestKeys.TestAccount p : parties) {
            b.addParties(party(p));
        }
        return b.build();
    }

    public static MsgNewKeyRequest newKeyRequest(String workspace, String keyring, String keyType, long timeout) {
        return MsgNewKeyRequest.newBuilder().setWorkspaceAddr(workspace).setKeyringAddr(keyring).setKeyType(keyType)
                .setTimeoutSeconds(timeout).build();
    }
}
