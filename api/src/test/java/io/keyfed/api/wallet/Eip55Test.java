package io.keyfed.api.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.WalletType;

class Eip55Test {
    private static final JsonNode V = Vectors.load("eip55.json");

    static Stream<String> checksummed() {
        return Vectors.list(V.get("checksummed")).stream().map(JsonNode::asText);
    }

    static Stream<JsonNode> keys() {
        return Vectors.list(V.get("keys")).stream();
    }

    @ParameterizedTest
    @MethodSource("checksummed")
    void reproducesTheEipChecksumFromAnyCase(String address) {
        String body = address.substring(2);
        assertEquals(address, Eip55.checksum("0x" + body.toLowerCase(Locale.ROOT)));
        assertEquals(address, Eip55.checksum("0x" + body.toUpperCase(Locale.ROOT)));
        assertEquals(address, Eip55.checksum(Vectors.hex(body)));
        assertTrue(Eip55.isValid(address));
    }

    @Test
    void aFlippedLetterCaseFailsTheChecksum() {
        String good = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
        String bad = "0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
        assertTrue(Eip55.isValid(good));
        assertFalse(Eip55.isValid(bad));
        assertFalse(Eip55.isValid("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe"));
        assertFalse(Eip55.isValid("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed00"));
        assertThrows(IllegalArgumentException.class, () -> Eip55.checksum(new byte[19]));
    }

    @Test
    void keccakIsTheOriginalKeccakNotSha3() {
        for (JsonNode v : Vectors.list(V.get("keccak256"))) {
            assertEquals(v.get("hash").asText(),
                    Vectors.hex(Keccak256.hash(v.get("input").asText().getBytes(StandardCharsets.UTF_8))));
        }
    }

    @ParameterizedTest
    @MethodSource("keys")
    void privateKeyToAddress(JsonNode v) {
        byte[] pub = Secp256k1.publicKeyOf(new BigInteger(v.get("privateKey").asText(), 16));
        assertEquals(v.get("publicKey").asText(), Vectors.hex(pub));
        String expected = v.get("address").asText();
        assertEquals(expected, Eip55.address(Secp256k1.decodePublicKey(pub)));
        assertEquals(expected, Wallets.derive(KeyType.KEY_TYPE_ECDSA_SECP256K1, pub, WalletType.WALLET_TYPE_EVM,
                List.of(), "zen").get(0).getAddress());
    }
}
