package io.keyfed.api.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.SignRequestStatus;
import io.keyfed.api.ledger.v1.SignatureScheme;

class SignResponseSignBytesTest {
    private static final byte[] VERIFYING_KEY = filled(32, 0x11);
    private static final byte[] SIG_1 = filled(64, 0x21);
    private static final byte[] SIG_2 = filled(65, 0x22);
    private static final List<byte[]> MESSAGES = List.of(filled(32, 0x31), filled(32, 0x32));

    @Test
    void signMessagesHashMatchesTheLayoutWrittenInItsJavadoc() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        lp(out, "keyfed/sign-messages/v1".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(u32(2));
        lp(out, MESSAGES.get(0));
        lp(out, MESSAGES.get(1));
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(out.toByteArray());
        assertArrayEquals(expected, SignMessages.hash(MESSAGES));
        assertEquals(23, "keyfed/sign-messages/v1".length(), "u32(23) in the Javadoc");
    }

    @Test
    void signMessagesHashBindsTheOrderTheCountAndTheSplitOfTheMessages() {
        byte[] a = {1, 2};
        byte[] b = {3};
        Set<String> hashes = new HashSet<>();
        for (List<byte[]> messages : List.of(List.of(a, b), List.of(b, a), List.of(a), List.of(a, b, b),
                List.of(new byte[] {1}, new byte[] {2, 3}), List.<byte[]>of(), List.of(new byte[0]))) {
            hashes.add(hex(SignMessages.hash(messages)));
        }
        assertEquals(7, hashes.size());
    }

    @Test
    void signResponseMatchesTheLayoutWrittenInItsJavadoc() {
        byte[] messagesHash = SignMessages.hash(MESSAGES);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        lp(out, "keyfed/sign-response/v1".getBytes(StandardCharsets.US_ASCII));
        lp(out, utf8("keyfed-1"));
        out.writeBytes(ByteBuffer.allocate(8).putLong(0x0102030405060708L).array());
        lp(out, utf8("keyring1abc"));
        out.writeBytes(ByteBuffer.allocate(8).putLong(77).array());
        out.writeBytes(u32(64)); // KEY_TYPE_BITCOIN_TAPROOT
        out.writeBytes(u32(2)); // SIGNATURE_SCHEME_BIP340
        lp(out, VERIFYING_KEY);
        lp(out, messagesHash);
        lp(out, utf8("zen1party"));
        out.write(3); // FULFILLED
        out.writeBytes(u32(2));
        lp(out, SIG_1);
        lp(out, SIG_2);
        lp(out, new byte[0]);
        assertArrayEquals(out.toByteArray(), SignResponseSignBytes.of("keyfed-1", 0x0102030405060708L, "keyring1abc",
                77, KeyType.KEY_TYPE_BITCOIN_TAPROOT, SignatureScheme.SIGNATURE_SCHEME_BIP340, VERIFYING_KEY,
                messagesHash, "zen1party", SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED, List.of(SIG_1, SIG_2), ""));
        assertEquals(23, "keyfed/sign-response/v1".length(), "u32(23) in the Javadoc");
    }

    @Test
    void aRejectionMatchesTheLayoutWithNoSignaturesAndItsReason() {
        byte[] messagesHash = SignMessages.hash(MESSAGES);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        lp(out, "keyfed/sign-response/v1".getBytes(StandardCharsets.US_ASCII));
        lp(out, utf8("keyfed-1"));
        out.writeBytes(ByteBuffer.allocate(8).putLong(9).array());
        lp(out, utf8("keyring1abc"));
        out.writeBytes(ByteBuffer.allocate(8).putLong(1).array());
        out.writeBytes(u32(2)); // KEY_TYPE_EDDSA_ED25519
        out.writeBytes(u32(1)); // SIGNATURE_SCHEME_ED25519
        lp(out, VERIFYING_KEY);
        lp(out, messagesHash);
        lp(out, utf8("zen1party"));
        out.write(4); // REJECTED
        out.writeBytes(u32(0));
        lp(out, utf8("policy: amount too large \u00e9"));
        assertArrayEquals(out.toByteArray(), SignResponseSignBytes.of("keyfed-1", 9, "keyring1abc", 1,
                KeyType.KEY_TYPE_EDDSA_ED25519, SignatureScheme.SIGNATURE_SCHEME_ED25519, VERIFYING_KEY, messagesHash,
                "zen1party", SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED, List.of(),
                "policy: amount too large \u00e9"));
    }

    @Test
    void everyFieldIsBound() {
        Map<String, Supplier<byte[]>> variants = new LinkedHashMap<>();
        variants.put("base", () -> of(b -> { }));
        variants.put("chain id", () -> of(b -> b.chainId = "keyfed-2"));
        variants.put("request id", () -> of(b -> b.requestId = 10));
        variants.put("keyring", () -> of(b -> b.keyring = "keyring1abd"));
        variants.put("key id", () -> of(b -> b.keyId = 2));
        variants.put("key type", () -> of(b -> b.keyType = KeyType.KEY_TYPE_BITCOIN_SECP256K1));
        variants.put("scheme", () -> of(b -> b.scheme = SignatureScheme.SIGNATURE_SCHEME_BIP340));
        variants.put("verifying key", () -> of(b -> b.verifyingKey = filled(33, 0x11)));
        variants.put("messages hash", () -> of(b -> b.messagesHash = SignMessages.hash(MESSAGES.subList(0, 1))));
        variants.put("party", () -> of(b -> b.party = "zen1partz"));
        variants.put("status", () -> of(b -> b.status = SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED));
        variants.put("one signature fewer", () -> of(b -> b.signatures = List.of(SIG_1)));
        variants.put("signatures swapped", () -> of(b -> b.signatures = List.of(SIG_2, SIG_1)));
        variants.put("a signature changed", () -> of(b -> b.signatures = List.of(SIG_1, filled(65, 0x23))));
        variants.put("signature bytes moved between two", () -> of(b -> b.signatures =
                List.of(Arrays.copyOf(SIG_1, 65), Arrays.copyOf(SIG_2, 64))));
        variants.put("reject reason", () -> of(b -> b.reason = "x"));
        Set<String> seen = new HashSet<>();
        List<String> clashes = new ArrayList<>();
        for (Map.Entry<String, Supplier<byte[]>> e : variants.entrySet()) {
            if (!seen.add(hex(e.getValue().get()))) {
                clashes.add(e.getKey());
            }
        }
        assertEquals(List.of(), clashes, "variants that gave the same bytes as an earlier one");
    }

    @Test
    void refusesAMessagesHashOfTheWrongLength() {
        assertThrows(IllegalArgumentException.class, () -> of(b -> b.messagesHash = new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> of(b -> b.messagesHash = null));
    }

    /** The fields of one answer, changed one at a time by the tests. */
    private static final class Fields {
        String chainId = "keyfed-1";
        long requestId = 9;
        String keyring = "keyring1abc";
        long keyId = 1;
        KeyType keyType = KeyType.KEY_TYPE_BITCOIN_TAPROOT;
        SignatureScheme scheme = SignatureScheme.SIGNATURE_SCHEME_ECDSA_SECP256K1;
        byte[] verifyingKey = VERIFYING_KEY;
        byte[] messagesHash = SignMessages.hash(MESSAGES);
        String party = "zen1party";
        SignRequestStatus status = SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED;
        List<byte[]> signatures = List.of(SIG_1, SIG_2);
        String reason = "";
    }

    private static byte[] of(java.util.function.Consumer<Fields> change) {
        Fields f = new Fields();
        change.accept(f);
        return SignResponseSignBytes.of(f.chainId, f.requestId, f.keyring, f.keyId, f.keyType, f.scheme, f.verifyingKey,
                f.messagesHash, f.party, f.status, f.signatures, f.reason);
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static byte[] u32(int v) {
        return ByteBuffer.allocate(4).putInt(v).array();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }

    private static void lp(ByteArrayOutputStream out, byte[] b) {
        out.writeBytes(u32(b.length));
        out.writeBytes(b);
    }
}
