package io.keyfed.cli.tx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.encoding.TxSignBytes;
import io.keyfed.api.ledger.v1.MsgNewKeyRequest;
import io.keyfed.api.ledger.v1.MsgSend;
import io.keyfed.api.ledger.v1.TxBody;
import io.keyfed.api.ledger.v1.TxRaw;
import io.keyfed.cli.keys.KeyStore;
import io.keyfed.cli.keys.SigningKey;

class TxBuilderTest {
    @TempDir
    Path home;

    @Test
    void signedSendVerifiesOverTxSignBytes() throws Exception {
        SigningKey key = new KeyStore(home).create("alice", new SecureRandom());
        TxRaw raw = TxBuilder.build(key, "keyfed-test", 7,
                b -> b.setSend(MsgSend.newBuilder().setToAddress("zen1dest").setAmount("42")));
        TxRaw parsed = TxRaw.parseFrom(raw.toByteArray());
        byte[] bodyBytes = parsed.getBodyBytes().toByteArray();
        byte[] sig = parsed.getSignature().toByteArray();
        assertEquals(64, sig.length);
        assertTrue(Secp256k1.verify(key.publicKey(), TxSignBytes.of(bodyBytes), sig));

        TxBody body = TxBody.parseFrom(bodyBytes);
        assertEquals("keyfed-test", body.getChainId());
        assertArrayEquals(key.publicKey(), body.getPublicKey().toByteArray());
        assertEquals(7, body.getSequence());
        assertEquals(TxBody.MsgCase.SEND, body.getMsgCase());
        assertEquals("zen1dest", body.getSend().getToAddress());
        assertEquals("42", body.getSend().getAmount());
    }

    @Test
    void signatureDoesNotCoverOtherBytes() throws Exception {
        SigningKey key = new KeyStore(home).create("bob", new SecureRandom());
        TxRaw raw = TxBuilder.build(key, "c", 0, b -> b.setNewKeyRequest(MsgNewKeyRequest.newBuilder()
                .setWorkspaceAddr("workspace1x").setKeyringAddr("keyring1y").setKeyType("ecdsa")));
        byte[] body = raw.getBodyBytes().toByteArray();
        byte[] sig = raw.getSignature().toByteArray();
        assertFalse(Secp256k1.verify(key.publicKey(), body, sig), "signed the domain-tagged bytes, not the body");
        body[body.length - 1] ^= 1;
        assertFalse(Secp256k1.verify(key.publicKey(), TxSignBytes.of(body), sig));
        assertEquals("ecdsa", TxBody.parseFrom(raw.getBodyBytes()).getNewKeyRequest().getKeyType());
    }

    @Test
    void refusesATransactionWithoutMessage() throws Exception {
        SigningKey key = new KeyStore(home).create("carol", new SecureRandom());
        assertThrows(IllegalArgumentException.class, () -> TxBuilder.build(key, "c", 0, b -> { }));
        assertThrows(IllegalArgumentException.class, () -> TxBuilder.build(key, "", 0,
                b -> b.setSend(MsgSend.newBuilder().setToAddress("x").setAmount("1"))));
    }
}
