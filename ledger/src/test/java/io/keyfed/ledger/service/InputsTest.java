package io.keyfed.ledger.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.crypto.Bech32;
import io.keyfed.api.ledger.v1.KeyType;

/** Stateless input rules: amounts, addresses, key types, sizes, page tokens, the log hash. */
class InputsTest {

    private static void invalid(Runnable r, String part) {
        LedgerException e = assertThrows(LedgerException.class, r::run);
        assertEquals(LedgerException.Code.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void shouldParseAmountsStrictly() {
        assertEquals(0, Inputs.amount("0", "fee"));
        assertEquals(Long.MAX_VALUE, Inputs.amount("9223372036854775807", "fee"));
        invalid(() -> Inputs.amount("9223372036854775808", "fee"), "overflows");
        invalid(() -> Inputs.amount("-1", "fee"), "negative");
        invalid(() -> Inputs.amount("+1", "fee"), "not a decimal string");
        invalid(() -> Inputs.amount("1.5", "fee"), "not a decimal string");
        invalid(() -> Inputs.amount(" 1", "fee"), "not a decimal string");
        invalid(() -> Inputs.amount("", "fee"), "fee is required");
        invalid(() -> Inputs.amount("1".repeat(100), "fee"), "100 characters");
    }

    @Test
    void shouldCheckAddressPrefixAndChecksum() {
        String zen = Bech32.encode("zen", new byte[20]);
        assertEquals(zen, Inputs.address(zen, "zen", "to_address"));
        invalid(() -> Inputs.address(zen, "keyring", "keyring_addr"), "has prefix 'zen', expected 'keyring'");
        invalid(() -> Inputs.address(zen.substring(0, zen.length() - 1) + "q", "zen", "to_address"), "not valid bech32");
        invalid(() -> Inputs.address(Bech32.encode("zen", new byte[32]), "zen", "to_address"), "must carry 20 bytes");
        invalid(() -> Inputs.address(zen.toUpperCase(), "zen", "to_address"), "lower case");
        invalid(() -> Inputs.address("", "zen", "to_address"), "to_address is required");
    }

    @Test
    void shouldMapKeyTypesAndAliases() {
        assertEquals(KeyType.KEY_TYPE_ECDSA_SECP256K1, Inputs.keyType("ecdsa"));
        assertEquals(KeyType.KEY_TYPE_EDDSA_ED25519, Inputs.keyType("ed25519"));
        assertEquals(KeyType.KEY_TYPE_EDDSA_ED25519, Inputs.keyType("eddsa"));
        assertEquals(KeyType.KEY_TYPE_BITCOIN_SECP256K1, Inputs.keyType("bitcoin"));
        assertEquals(KeyType.KEY_TYPE_BITCOIN_SECP256K1, Inputs.keyType("btc"));
        assertEquals(KeyType.KEY_TYPE_BITCOIN_TAPROOT, Inputs.keyType("taproot"));
        assertEquals(KeyType.KEY_TYPE_BITCOIN_TAPROOT, Inputs.keyType("bitcoin-taproot"));
        invalid(() -> Inputs.keyType("ECDSA"), "unknown key_type 'ECDSA'");
        invalid(() -> Inputs.keyType("schnorr"), "taproot (bitcoin-taproot)");
        invalid(() -> Inputs.keyType("x".repeat(17)), "at most 16");
    }

    @Test
    void shouldRoundTripPageTokensAndRefuseForeignOnes() {
        String t = PageTokens.encode("kr", "42");
        assertEquals(42, PageTokens.decodeId("kr", t));
        assertEquals(0, PageTokens.decodeId("kr", ""));
        invalid(() -> PageTokens.decodeId("key", t), "page_token");
        invalid(() -> PageTokens.decodeId("kr", "%%%"), "page_token");
        assertEquals(20, PageTokens.size(0));
        invalid(() -> PageTokens.size(101), "page_size 101");
    }

    @Test
    void shouldHashLogEntriesOverPrevTxAndOutcome() {
        byte[] prev = new byte[32];
        byte[] a = ChainLog.hash(prev, new byte[] {1}, "ok");
        assertEquals(32, a.length);
        assertTrue(!java.util.Arrays.equals(a, ChainLog.hash(prev, new byte[] {1}, "ok!")));
        assertTrue(!java.util.Arrays.equals(a, ChainLog.hash(a, new byte[] {1}, "ok")));
        assertEquals(java.util.HexFormat.of().formatHex(io.keyfed.api.crypto.Hashes.sha256(prev, new byte[] {1},
                "ok".getBytes(java.nio.charset.StandardCharsets.UTF_8))), java.util.HexFormat.of().formatHex(a));
    }

    @Test
    void shouldValidatePublishedKeysByType() {
        // RFC 8032 test 1 public key: a valid ed25519 point of prime order
        byte[] ed = java.util.HexFormat.of().parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        KeyRequestService.validateKey(KeyType.KEY_TYPE_EDDSA_ED25519, ed);
        byte[] identity = new byte[32];
        identity[0] = 1; // the neutral element (small order)
        invalid(() -> KeyRequestService.validateKey(KeyType.KEY_TYPE_EDDSA_ED25519, identity), "ed25519");
        invalid(() -> KeyRequestService.validateKey(KeyType.KEY_TYPE_EDDSA_ED25519, new byte[31]), "ed25519");
        byte[] g = java.util.HexFormat.of().parseHex("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
        KeyRequestService.validateKey(KeyType.KEY_TYPE_BITCOIN_SECP256K1, g);
        invalid(() -> KeyRequestService.validateKey(KeyType.KEY_TYPE_ECDSA_SECP256K1, ed), "public_key");
    }

    @Test
    void shouldDeriveModuleAndRecordAddresses() {
        String escrow = GenesisService.escrowAddress("zen");
        assertTrue(escrow.startsWith("zen1"));
        assertEquals(escrow, GenesisService.escrowAddress("zen"));
        String zen = Bech32.encode("zen", new byte[20]);
        assertTrue(Addresses.workspace(zen, 0).startsWith("workspace1"));
        assertTrue(!Addresses.workspace(zen, 0).equals(Addresses.workspace(zen, 1)));
        assertTrue(Addresses.keyring(zen, 0).startsWith("keyring1"));
    }
}
