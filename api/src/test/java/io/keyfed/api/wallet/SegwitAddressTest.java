package io.keyfed.api.wallet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.keyfed.api.crypto.Bech32;
import io.keyfed.api.crypto.Hashes;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.Wallet;
import io.keyfed.api.ledger.v1.WalletType;

/** BIP-173 segwit vectors and BIP-84 key-to-address vectors. */
class SegwitAddressTest {
    private static final JsonNode V = Vectors.load("segwit.json");

    static Stream<JsonNode> validV0() {
        return Vectors.list(V.get("validV0")).stream();
    }

    static Stream<String> higherVersions() {
        return Vectors.list(V.get("validBech32HigherVersions")).stream().map(JsonNode::asText);
    }

    static Stream<JsonNode> invalid() {
        return Vectors.list(V.get("invalid")).stream();
    }

    static Stream<JsonNode> keys() {
        return Vectors.list(V.get("keys")).stream();
    }

    @ParameterizedTest
    @MethodSource("validV0")
    void decodesAndReEncodesValidV0Addresses(JsonNode v) {
        String hrp = v.get("hrp").asText();
        String address = v.get("address").asText();
        SegwitAddress.Decoded d = SegwitAddress.decode(hrp, address);
        assertEquals(v.get("scriptPubKey").asText(), Vectors.hex(SegwitAddress.scriptPubKey(d)));
        assertEquals(address.toLowerCase(Locale.ROOT), SegwitAddress.encodeV0(hrp, d.program()));
    }

    /** BIP-173's v1+ examples are valid bech32 (checksum), though BIP-350 now requires bech32m for them. */
    @ParameterizedTest
    @MethodSource("higherVersions")
    void higherVersionExamplesPassTheBech32ChecksumButAreRefused(String address) {
        assertDoesNotThrow(() -> Bech32.decode5(address));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SegwitAddress.decode("bc", address));
        assertTrue(e.getMessage().contains("bech32m"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void invalidAddressesAreRejectedForTheirReason(JsonNode v) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SegwitAddress.decode(v.get("hrp").asText(), v.get("address").asText()),
                v.get("reason").asText());
        assertTrue(e.getMessage().contains(v.get("expect").asText()),
                v.get("reason").asText() + " -> " + e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("keys")
    void keysRenderAsPublishedP2wpkhAddresses(JsonNode v) {
        byte[] key = Vectors.hex(v.get("publicKey").asText());
        byte[] h = Hashes.hash160(key);
        if (v.has("hash160")) {
            assertEquals(v.get("hash160").asText(), Vectors.hex(h));
        }
        assertEquals(v.get("mainnet").asText(), SegwitAddress.p2wpkh("bc", h));
        List<Wallet> w = Wallets.derive(KeyType.KEY_TYPE_BITCOIN_SECP256K1, key, WalletType.WALLET_TYPE_BTC_MAINNET,
                List.of(), "zen");
        assertEquals(List.of(Wallet.newBuilder().setType(WalletType.WALLET_TYPE_BTC_MAINNET)
                .setAddress(v.get("mainnet").asText()).build()), w);
        if (v.has("testnet")) {
            assertEquals(v.get("testnet").asText(), Wallets.derive(KeyType.KEY_TYPE_BITCOIN_SECP256K1, key,
                    WalletType.WALLET_TYPE_BTC_TESTNET, List.of(), "zen").get(0).getAddress());
        }
    }

    @Test
    void regnetUsesTheBcrtPrefixOverTheSameProgram() {
        byte[] key = Vectors.hex("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
        String addr = Wallets.derive(KeyType.KEY_TYPE_BITCOIN_SECP256K1, key, WalletType.WALLET_TYPE_BTC_REGNET,
                List.of(), "zen").get(0).getAddress();
        assertTrue(addr.startsWith("bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7k"), addr);
        SegwitAddress.Decoded d = SegwitAddress.decode("bcrt", addr);
        assertEquals(0, d.version());
        assertArrayEquals(Vectors.hex("751e76e8199196d454941c45d1b3a323f1433bd6"), d.program());
    }

    @Test
    void encoderRefusesWrongProgramLengths() {
        assertThrows(IllegalArgumentException.class, () -> SegwitAddress.encodeV0("bc", new byte[19]));
        assertThrows(IllegalArgumentException.class, () -> SegwitAddress.p2wpkh("bc", new byte[32]));
    }
}
