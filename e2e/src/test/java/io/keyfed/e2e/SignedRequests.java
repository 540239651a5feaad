package io.keyfed.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.keyfed.api.encoding.SignMessages;
import io.keyfed.api.encoding.SignSessionId;
import io.keyfed.api.ledger.v1.SignatureScheme;

/**
 * What the signing ITs check on a sign request as the ledger's REST API returns it: its signatures, verified by
 * the independent verifier under its {@code verifying_key}, and its signing session id and coordinators,
 * recomputed with the api module's {@link SignSessionId} from the request's own fields.
 */
final class SignedRequests {
    private static final HexFormat HEX = HexFormat.of();

    private SignedRequests() {
    }

    static List<byte[]> messages(JsonNode r) {
        List<byte[]> out = new ArrayList<>();
        r.path("messages").forEach(m -> out.add(HEX.parseHex(m.asText())));
        return out;
    }

    /** The request holds exactly the messages {@code sent}, in order. */
    static void assertMessages(List<byte[]> sent, JsonNode r) {
        List<byte[]> got = messages(r);
        assertEquals(sent.size(), got.size(), r.toString());
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), got.get(i), "message " + i + " of " + r);
        }
    }

    /** The snapshot's party addresses, in the request's (ascending) order. */
    static List<String> snapshot(JsonNode r) {
        List<String> out = new ArrayList<>();
        r.path("parties").forEach(p -> out.add(p.path("address").asText()));
        return out;
    }

    /** The addresses of the parties whose answers the ledger recorded. */
    static List<String> answered(JsonNode r) {
        List<String> out = new ArrayList<>();
        r.path("keyring_party_sigs").forEach(a -> out.add(a.path("creator").asText()));
        return out;
    }

    /** The signing session id of request {@code r}, derived from its JSON. */
    static byte[] sessionId(JsonNode r) {
        return SignSessionId.derive(Federation.CHAIN_ID, r.path("id").asLong(), r.path("key_id").asLong(),
                SignatureScheme.valueOf(r.path("scheme").asText()), SignMessages.hash(messages(r)), snapshot(r),
                r.path("party_threshold").asInt());
    }

    /**
     * Asserts FULFILLED request {@code r} carries one signature per message and that each verifies with
     * {@code @noble/curves} under the request's verifying_key (BIP-340 under x(Q) for Taproot keys); a copy of the
     * first signature with one bit flipped, checked in the same run, must not.
     */
    static void assertVerifiesWithNoble(NobleVerifier noble, JsonNode r) throws Exception {
        assertEquals("SIGN_REQUEST_STATUS_FULFILLED", r.path("status").asText(), r.toString());
        String scheme = switch (r.path("scheme").asText()) {
            case "SIGNATURE_SCHEME_ED25519" -> "ed25519";
            case "SIGNATURE_SCHEME_BIP340" -> "bip340";
            default -> throw new AssertionError("no independent verifier for " + r.path("scheme").asText());
        };
        byte[] key = HEX.parseHex(r.path("verifying_key").asText());
        List<byte[]> messages = messages(r);
        assertFalse(messages.isEmpty(), r.toString());
        assertEquals(messages.size(), r.path("signatures").size(), "one signature per message: " + r);
        List<NobleVerifier.Item> items = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            items.add(new NobleVerifier.Item("request " + r.path("id").asText() + " message " + i, scheme, key,
                    messages.get(i), HEX.parseHex(r.path("signatures").get(i).asText())));
        }
        byte[] corrupted = items.get(0).signature().clone();
        corrupted[40] ^= 0x01;
        items.add(new NobleVerifier.Item("corrupted copy", scheme, key, messages.get(0), corrupted));
        NobleVerifier.Run run = noble.verify(items);
        assertEquals(items.size(), run.verdicts().size(), run.output());
        for (int i = 0; i < messages.size(); i++) {
            assertTrue(run.verdicts().get(i).valid(), "noble: " + run.output() + "\nrequest: " + r);
        }
        assertFalse(run.verdicts().get(messages.size()).valid(), run.output());
        assertEquals(1, run.exit(), run.output());
    }
}
