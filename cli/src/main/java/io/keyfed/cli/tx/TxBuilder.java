package io.keyfed.cli.tx;

import java.util.function.Consumer;

import com.google.protobuf.ByteString;

import io.keyfed.api.encoding.TxSignBytes;
import io.keyfed.api.ledger.v1.TxBody;
import io.keyfed.api.ledger.v1.TxRaw;
import io.keyfed.cli.keys.SigningKey;

/**
 * Builds a signed transaction: TxBody{chain_id, public_key, sequence, one msg} serialised once to
 * body_bytes, signed over {@link TxSignBytes#of(byte[])}, wrapped in TxRaw.
 */
public final class TxBuilder {
    private TxBuilder() {
    }

    /**
     * @param msg sets exactly one message on the body builder
     * @throws IllegalArgumentException when {@code msg} sets no message
     */
    public static TxRaw build(SigningKey signer, String chainId, long sequence, Consumer<TxBody.Builder> msg) {
        if (chainId == null || chainId.isEmpty()) {
            throw new IllegalArgumentException("chain id is empty");
        }
        TxBody.Builder body = TxBody.newBuilder()
                .setChainId(chainId)
                .setPublicKey(ByteString.copyFrom(signer.publicKey()))
                .setSequence(sequence);
        msg.accept(body);
        if (body.getMsgCase() == TxBody.MsgCase.MSG_NOT_SET) {
            throw new IllegalArgumentException("transaction has no message");
        }
        byte[] bodyBytes = body.build().toByteArray();
        byte[] signature = signer.sign(TxSignBytes.of(bodyBytes));
        return TxRaw.newBuilder()
                .setBodyBytes(ByteString.copyFrom(bodyBytes))
                .setSignature(ByteString.copyFrom(signature))
                .build();
    }
}
